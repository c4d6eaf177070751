//! What the `object!` macro expands to calls: reading and writing a struct as a JSON object,
//! one key at a time.
//!
//! serde's derives write, for every struct, a field-identifier visitor with a dozen methods,
//! a sequence visitor, a wrapper type for each `with` field and, once a field is `flatten`ed,
//! a buffer of every unknown entry. For an API's thousands of types that is most of what the
//! compiler checks. Here the per-struct part is one loop over keys, and everything that does
//! not depend on the struct is written once, in the functions below. Each field's presence
//! picks its pair of functions by name (`read::optional`, `write::optional`, ...).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap};

/// An object's key: borrowed from the input where the format allows, owned otherwise.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key's text, owned, for a map of unknown keys.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Where the keys a struct does not declare go: nowhere ([`Skip`]), or a map of them (the
/// struct's `extra` field).
pub trait Sink<'de> {
    /// Takes the value of `key` from `map`.
    fn put<A: MapAccess<'de>>(&mut self, key: Key<'de>, map: &mut A) -> Result<(), A::Error>;
}

/// Unknown keys are read past and dropped.
#[derive(Default)]
pub struct Skip;

impl<'de> Sink<'de> for Skip {
    fn put<A: MapAccess<'de>>(&mut self, _key: Key<'de>, map: &mut A) -> Result<(), A::Error> {
        map.next_value::<IgnoredAny>().map(drop)
    }
}

impl<'de, T: Deserialize<'de>> Sink<'de> for BTreeMap<String, T> {
    fn put<A: MapAccess<'de>>(&mut self, key: Key<'de>, map: &mut A) -> Result<(), A::Error> {
        self.insert(key.into_string(), map.next_value()?);
        Ok(())
    }
}

/// The sink of a struct: `()` without an `extra` field, `(its type,)` with one.
pub trait Rest {
    /// The sink.
    type Sink: Default;
}

impl Rest for () {
    type Sink = Skip;
}

impl<T> Rest for (BTreeMap<String, T>,) {
    type Sink = BTreeMap<String, T>;
}

/// The `expecting` text of a struct's visitor: `struct Name`, as serde's derive writes it.
pub fn expecting(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    write!(f, "struct {name}")
}

/// Reads the value of the key just read into its field's slot.
pub fn take<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The first key whose field must be present and is not.
pub fn first_missing(fields: &[(&'static str, bool)]) -> Option<&'static str> {
    fields
        .iter()
        .find_map(|&(key, missing)| missing.then_some(key))
}

/// Turning what a key held (`None` when the key was absent) into the field's value, after
/// [`first_missing`] has refused an object lacking a key whose presence is `MISSING`.
pub mod read {
    /// A field that must be present.
    pub mod required {
        /// Its absence is an error.
        pub const MISSING: bool = true;

        /// The value read (present: [`first_missing`](crate::object::first_missing) checked).
        pub fn read<F>(slot: Option<F>) -> F {
            match slot {
                Some(value) => value,
                None => unreachable!("object!: a missing required key is refused before reading"),
            }
        }
    }

    /// A field whose absence reads as its default: a constant, or a required nullable value.
    pub mod defaulted {
        /// Its absence is its default.
        pub const MISSING: bool = false;

        /// The value read, or the default.
        pub fn read<F: Default>(slot: Option<F>) -> F {
            slot.unwrap_or_default()
        }
    }

    /// An `Option`: absent and `null` are both `None`.
    pub mod optional {
        /// Its absence is `None`.
        pub const MISSING: bool = false;

        /// The value read; `None` for absent or `null`.
        pub fn read<T>(slot: Option<Option<T>>) -> Option<T> {
            slot.flatten()
        }
    }

    /// An `Option<Option<T>>`: absent is `None`, a present `null` is `Some(None)` (the slot
    /// holds the field's type as read, whose outer `Option` took the `null`).
    pub mod nullable {
        /// Its absence is `None`.
        pub const MISSING: bool = false;

        /// The value read: `None` absent, `Some(None)` for `null`.
        pub fn read<T>(slot: Option<Option<Option<T>>>) -> Option<Option<T>> {
            slot.map(Option::flatten)
        }
    }
}

/// Writing a field's entry, or leaving it out.
pub mod write {
    use serde::ser::{Serialize, SerializeMap};

    /// Always written.
    pub fn required<M: SerializeMap, F: Serialize>(
        map: &mut M,
        key: &'static str,
        value: &F,
    ) -> Result<(), M::Error> {
        map.serialize_entry(key, value)
    }

    /// Always written, as a required field is (a constant writes its value, a required nullable
    /// `None` writes `null`).
    pub use self::required as defaulted;

    /// Left out when `None`.
    pub fn optional<M: SerializeMap, T: Serialize>(
        map: &mut M,
        key: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        match value {
            Some(_) => map.serialize_entry(key, value),
            None => Ok(()),
        }
    }

    /// Left out when `None`; `Some(None)` writes an explicit `null`.
    pub fn nullable<M: SerializeMap, T: Serialize>(
        map: &mut M,
        key: &'static str,
        value: &Option<Option<T>>,
    ) -> Result<(), M::Error> {
        match value {
            Some(inner) => map.serialize_entry(key, inner),
            None => Ok(()),
        }
    }
}

/// Writes the entries of a struct's `extra` map after its declared fields.
pub fn write_rest<M: SerializeMap, T: Serialize>(
    map: &mut M,
    rest: &BTreeMap<String, T>,
) -> Result<(), M::Error> {
    rest.iter()
        .try_for_each(|(key, value)| map.serialize_entry(key, value))
}
