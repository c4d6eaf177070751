//! Macros that generated crates invoke for what every open enum and every constant type has in
//! common, so each crate states only its values. They expand in the generated crate (inherent
//! impls need that), and write every path in full so a spec type named `String` or `Option`
//! cannot capture one.

/// The impls every open enum (`pub struct Name(Cow<'static, str>)`) shares: `from_static`,
/// `as_str`, `Display`, `FromStr`, conversions from and to strings, comparison with `str`.
#[macro_export]
macro_rules! open_enum {
    ($name:ident) => {
        impl $name {
            /// A value from a string that lives for the whole program, without allocating.
            pub const fn from_static(value: &'static str) -> Self {
                $name(::std::borrow::Cow::Borrowed(value))
            }

            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                $name(::std::borrow::Cow::Owned(value.to_owned()))
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                $name(::std::borrow::Cow::Owned(value))
            }
        }

        impl ::std::convert::From<$name> for ::std::string::String {
            fn from(value: $name) -> Self {
                value.0.into_owned()
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::cmp::PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl ::std::cmp::PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

/// The impls of a constant type (a unit struct that always holds one value): `VALUE`,
/// `Display`, and serde impls that write the value and read it back, accepting another value
/// unless the generated crate's `strict` feature is on.
#[macro_export]
macro_rules! constant {
    ($name:ident, str $value:literal) => {
        impl $name {
            /// The only value.
            pub const VALUE: &'static str = $value;

            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &'static str {
                Self::VALUE
            }
        }

        $crate::constant!(@impls $name, $crate::wire::Const::Str($value));
    };
    ($name:ident, i64 $value:literal) => {
        impl $name {
            /// The only value.
            pub const VALUE: i64 = $value;
        }

        $crate::constant!(@impls $name, $crate::wire::Const::Int($value));
    };
    ($name:ident, u64 $value:literal) => {
        impl $name {
            /// The only value.
            pub const VALUE: u64 = $value;
        }

        $crate::constant!(@impls $name, $crate::wire::Const::Uint($value));
    };
    ($name:ident, bool $value:literal) => {
        impl $name {
            /// The only value.
            pub const VALUE: bool = $value;
        }

        $crate::constant!(@impls $name, $crate::wire::Const::Bool($value));
    };
    (@impls $name:ident, $value:expr) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&Self::VALUE, f)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(&$value, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::wire::deserialize_const(deserializer, $value, cfg!(feature = "strict"))
                    .map(|()| $name)
            }
        }
    };
}

/// A closed string enum, written as an enum whose discriminants are the wire strings:
///
/// ```
/// forge_runtime::closed_enum! {
///     /// How a card is funded.
///     pub enum Funding {
///         Credit = "credit",
///         /// A prepaid card.
///         Prepaid = "prepaid",
///     }
/// }
/// assert_eq!(Funding::Prepaid.as_str(), "prepaid");
/// assert_eq!(Funding::from_wire("credit"), Some(Funding::Credit));
/// ```
///
/// Each variant's docs end with its wire value. The enum gets `Debug`, `Clone`, `Copy`,
/// `PartialEq`, `Eq`, `Hash`, `PartialOrd`, `Ord`, `Display`, `ALL`, `as_str`, `from_wire`, and
/// serde impls that write and read the wire strings (another string is an `unknown variant`
/// error).
#[macro_export]
macro_rules! closed_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                #[doc = ""]
                #[doc = concat!("`", $value, "`")]
                $variant,
            )*
        }

        #[allow(deprecated)]
        impl $name {
            /// Every value, in the spec's order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The value as it goes on the wire.
            pub const fn as_str(&self) -> &'static str {
                match *self {
                    $(Self::$variant => $value,)*
                }
            }

            /// The value whose wire form is `value`, if there is one.
            pub fn from_wire(value: &str) -> ::std::option::Option<Self> {
                match value {
                    $($value => ::std::option::Option::Some(Self::$variant),)*
                    _ => ::std::option::Option::None,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::wire::deserialize_enum(deserializer, Self::from_wire, &[$($value),*])
            }
        }
    };
}

/// A union chosen by a tag property, written as an enum whose discriminants are the tag values,
/// after a `#[serde(tag = "...")]` line naming the property:
///
/// ```
/// # #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// # pub struct Cat { pub r#type: String }
/// forge_runtime::tagged_union! {
///     #[serde(tag = "type")]
///     /// A pet.
///     pub enum Pet {
///         /// A cat; two tags choose it.
///         Cat(Cat) = "cat" | "kitten",
///     }
/// }
/// let pet: Pet = serde_json::from_str(r#"{"type":"kitten"}"#).unwrap();
/// assert!(matches!(pet, Pet::Cat(_)));
/// let pet: Pet = serde_json::from_str(r#"{"type":"dog"}"#).unwrap();
/// assert!(matches!(pet, Pet::Other(_)));
/// ```
///
/// Each variant's docs end with its tag values. The enum gets an `Other(serde_json::Value)`
/// variant that keeps a value whose tag it does not know, `Debug`, `Clone`, `PartialEq`, and serde impls: each variant writes its payload (which
/// carries its tag), and reading picks the variant by the tag.
#[macro_export]
macro_rules! tagged_union {
    (
        #[serde(tag = $tag:literal)]
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident($ty:ty $(,)?) = $value:literal $(| $alias:literal)*, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                #[doc = ""]
                #[doc = concat!("`", $tag, "` is `", $value, "`" $(, " or `", $alias, "`")*, ".")]
                $variant($ty),
            )*
            /// A variant this version of the crate does not know, kept as it came.
            Other(::serde_json::Value),
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(value) => ::serde::Serialize::serialize(value, serializer),)*
                    Self::Other(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value =
                    <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let result = match value.get($tag).and_then(::serde_json::Value::as_str) {
                    $(::std::option::Option::Some($value $(| $alias)*) => {
                        ::serde::Deserialize::deserialize(value).map(Self::$variant)
                    })*
                    _ => return ::std::result::Result::Ok(Self::Other(value)),
                };
                result.map_err(::serde::de::Error::custom)
            }
        }
    };
}

/// A union without a tag: an enum whose variants are tried in order, each only when the value
/// carries what its `#[when(..)]` line states: `always` the constants at JSON pointers it must
/// hold, `present` those it may leave out (or `null`) but not contradict, `keys` the pointers
/// it must have. A variant that states `keys` is tried again after all the others, without
/// them: a value lacking a nullable key it requires may still be meant for it.
///
/// ```
/// # #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// # pub struct Cat { pub kind: String, pub lives: Option<i64> }
/// forge_runtime::untagged_union! {
///     /// A pet, or a name.
///     pub enum Pet {
///         /// A cat: its `kind` is `"cat"`.
///         #[when(always = [("/kind", Str("cat"))])]
///         Cat(Cat),
///         /// Any other value that reads as a string.
///         Name(String),
///     }
/// }
/// let pet: Pet = serde_json::from_str(r#"{"kind":"cat","lives":9}"#).unwrap();
/// assert!(matches!(pet, Pet::Cat(_)));
/// let pet: Pet = serde_json::from_str(r#""Rex""#).unwrap();
/// assert_eq!(serde_json::to_string(&pet).unwrap(), r#""Rex""#);
/// assert!(serde_json::from_str::<Pet>(r#"{"kind":"dog"}"#).is_err());
/// ```
///
/// The enum gets `Debug`, `Clone`, `PartialEq`, and serde impls: each variant writes its
/// payload; reading takes the first variant that applies and reads the value.
#[macro_export]
macro_rules! untagged_union {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[doc = $vdoc:literal])*
                $(#[when(
                    $(always = [$(($ap:literal, $ak:ident($av:literal))),* $(,)?] $(,)?)?
                    $(present = [$(($pp:literal, $pk:ident($pv:literal))),* $(,)?] $(,)?)?
                    $(keys = [$($key:literal),* $(,)?])?
                )])?
                $variant:ident($ty:ty $(,)?),
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        $vis enum $name {
            $($(#[doc = $vdoc])* $variant($ty),)*
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(value) => ::serde::Serialize::serialize(value, serializer),)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value =
                    <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                // The pass with every condition, then the variants that state keys without them.
                for with_keys in [true, false] {
                    $(
                        let keys: &[&str] = &[$($($($key),*)?)?];
                        if (with_keys || !keys.is_empty())
                            && $crate::wire::variant_applies(
                                &value,
                                &[$($($(($ap, $crate::wire::Const::$ak($av))),*)?)?],
                                &[$($($(($pp, $crate::wire::Const::$pk($pv))),*)?)?],
                                if with_keys { keys } else { &[] },
                            )
                        {
                            if let ::std::result::Result::Ok(v) =
                                <$ty as ::serde::Deserialize>::deserialize(&value)
                            {
                                return ::std::result::Result::Ok(Self::$variant(v));
                            }
                        }
                    )*
                }
                ::std::result::Result::Err(::serde::de::Error::custom(::std::concat!(
                    "data did not match any variant of untagged enum ",
                    ::std::stringify!($name)
                )))
            }
        }
    };
}

/// A struct that reads and writes itself as a JSON object, written as the struct with a
/// `#[key("wire", presence)]` line on each field and `#[other_keys]` before a map that keeps the
/// keys it does not declare:
///
/// ```
/// forge_runtime::object! {
///     /// A pet.
///     #[derive(Debug, Clone, PartialEq)]
///     pub struct Pet {
///         /// Its name.
///         #[key("name", required)]
///         pub name: String,
///         /// Its tag, if it has one.
///         #[key("tag", optional)]
///         pub tag: Option<String>,
///         /// Its owner: absent, `null`, or a name.
///         #[key("owner", nullable)]
///         pub owner: Option<Option<String>>,
///         #[other_keys]
///         /// The keys the schema does not declare.
///         pub extra: std::collections::BTreeMap<String, serde_json::Value>,
///     }
/// }
/// let pet: Pet = serde_json::from_str(r#"{"name":"Rex","owner":null,"age":3}"#).unwrap();
/// assert_eq!((pet.tag.as_ref(), pet.owner.as_ref()), (None, Some(&None)));
/// assert_eq!(serde_json::to_string(&pet).unwrap(), r#"{"name":"Rex","owner":null,"age":3}"#);
/// ```
///
/// The presences: `required` (must be there), `defaulted` (absent reads as the default: a
/// constant, a required nullable value), `optional` (an `Option`, left out when `None`) and
/// `nullable` (an `Option<Option<T>>`: `None` leaves the key out, `Some(None)` is `null`). What
/// each does is in [`object::read`](crate::object::read) and
/// [`object::write`](crate::object::write). Reading takes an object only; of a key given twice
/// the last wins; unknown keys go to the `#[other_keys]` map, or are skipped without one.
#[macro_export]
macro_rules! object {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[doc = $doc:literal])*
                $(#[deprecated $($dep:tt)*])?
                #[key($key:literal, $presence:ident)]
                $fvis:vis $field:ident : $fty:ty,
            )*
            $(
                #[other_keys]
                $(#[doc = $rdoc:literal])*
                $rvis:vis $rest:ident : $rty:ty,
            )?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $(
                $(#[doc = $doc])*
                $(#[deprecated $($dep)*])?
                $fvis $field: $fty,
            )*
            $(
                $(#[doc = $rdoc])*
                $rvis $rest: $rty,
            )?
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                let mut map = ::serde::Serializer::serialize_map(serializer, None)?;
                $($crate::object::write::$presence(&mut map, $key, &self.$field)?;)*
                $($crate::object::write_rest(&mut map, &self.$rest)?;)?
                ::serde::ser::SerializeMap::end(map)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct ForgeObjectVisitor;

                impl<'de> ::serde::de::Visitor<'de> for ForgeObjectVisitor {
                    type Value = $name;

                    fn expecting(
                        &self,
                        f: &mut ::std::fmt::Formatter<'_>,
                    ) -> ::std::fmt::Result {
                        $crate::object::expecting(f, ::std::stringify!($name))
                    }

                    #[allow(clippy::match_single_binding)]
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<$name, A::Error> {
                        $(let mut $field: ::std::option::Option<$fty> = ::std::option::Option::None;)*
                        let mut rest: <($($rty,)?) as $crate::object::Rest>::Sink =
                            ::std::default::Default::default();
                        while let ::std::option::Option::Some(key) =
                            ::serde::de::MapAccess::next_key::<$crate::object::Key<'de>>(&mut map)?
                        {
                            match key.as_str() {
                                $($key => $crate::object::take(&mut map, &mut $field),)*
                                _ => $crate::object::Sink::put(&mut rest, key, &mut map),
                            }?;
                        }
                        // One early return for a missing key, so each field's read below
                        // is a plain call (a `?` per field grows the function's drop paths).
                        if let ::std::option::Option::Some(key) = $crate::object::first_missing(&[
                            $(($key, $crate::object::read::$presence::MISSING && $field.is_none()),)*
                        ]) {
                            return ::std::result::Result::Err(
                                <A::Error as ::serde::de::Error>::missing_field(key),
                            );
                        }
                        ::std::result::Result::Ok($name {
                            $($field: $crate::object::read::$presence::read($field),)*
                            $($rest: rest,)?
                        })
                    }
                }

                ::serde::Deserializer::deserialize_map(deserializer, ForgeObjectVisitor)
            }
        }
    };
}
