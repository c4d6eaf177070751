//! Serde helpers that generated types share: constant values and "absent vs null" fields.

use std::borrow::Cow;

use serde::de::{Deserialize, Deserializer, Error as _, Unexpected};

/// Reads a string that the schema fixes to `expected` (`type: "completion"`).
///
/// A different value is accepted unless `strict`: the official SDKs read such values without
/// complaint, and a server that adds a new type should not break old clients. Generated crates pass
/// `cfg!(feature = "strict")`.
pub fn deserialize_const<'de, D: Deserializer<'de>>(
    deserializer: D,
    expected: &'static str,
    strict: bool,
) -> Result<(), D::Error> {
    let value = Cow::<'de, str>::deserialize(deserializer)?;
    if strict && value != expected {
        return Err(D::Error::invalid_value(Unexpected::Str(&value), &expected));
    }
    Ok(())
}

/// For `Option<Option<T>>` fields: a present `null` reads as `Some(None)`, an absent key (with
/// `#[serde(default)]`) as `None`.
pub fn deserialize_nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
