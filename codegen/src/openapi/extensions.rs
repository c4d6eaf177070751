//! Specification extensions (`x-...` keys) where OpenAPI allows them beside map entries.
//!
//! The Paths and Responses objects are maps whose keys are path templates or status codes, and
//! OpenAPI lets `x-` keys stand among them. Read as plain maps, an extension would be taken for a
//! path item or a response; these readers skip such keys without buffering their values.

use std::fmt;
use std::marker::PhantomData;

use indexmap::IndexMap;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

/// Reads a map, skipping keys that start with `x-`.
pub fn without_extensions<'de, D, T>(deserializer: D) -> Result<IndexMap<String, T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct MapVisitor<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for MapVisitor<T> {
        type Value = IndexMap<String, T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = IndexMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if is_extension(&key) {
                    map.next_value::<IgnoredAny>()?;
                } else {
                    let value = map.next_value::<T>()?;
                    out.insert(key, value);
                }
            }
            Ok(out)
        }
    }

    deserializer.deserialize_map(MapVisitor(PhantomData))
}

/// Whether a key is a specification extension.
pub fn is_extension(key: &str) -> bool {
    key.starts_with("x-")
}
