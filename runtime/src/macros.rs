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
