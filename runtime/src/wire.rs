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

/// A value as a plain string for a path, query or header parameter: strings as they are, numbers
/// and booleans in JSON form, anything else as compact JSON.
pub fn to_plain_string<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Null) => String::new(),
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Flattens a value into `deepObject` pairs: `name[key]=v`, `name[key][inner]=v`,
/// `name[list][0]=v` (the bracket style Stripe and others use). Nulls are left out.
pub fn deep_object<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Ok(value) = serde_json::to_value(value) {
        flatten(name.to_owned(), &value, &mut out);
    }
    out
}

/// Pairs for an `application/x-www-form-urlencoded` body: top-level fields by name, nested
/// objects and arrays in bracket style.
pub fn form_pairs<T: serde::Serialize + ?Sized>(value: &T) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(map)) => {
            for (key, value) in &map {
                flatten(key.clone(), value, &mut out);
            }
        }
        Ok(serde_json::Value::Null) | Err(_) => {}
        Ok(other) => flatten(String::new(), &other, &mut out),
    }
    out
}

/// Parts for a `multipart/form-data` body: one text part per top-level field (strings as they
/// are, other values as JSON).
pub fn multipart_parts<T: serde::Serialize + ?Sized>(value: &T) -> Vec<crate::Part> {
    let mut parts = Vec::new();
    if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(value) {
        for (key, value) in map {
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::String(s) => parts.push(crate::Part::text(key, s)),
                serde_json::Value::Array(items) => {
                    for item in items {
                        let text = match item {
                            serde_json::Value::String(s) => s,
                            other => other.to_string(),
                        };
                        parts.push(crate::Part::text(key.clone(), text));
                    }
                }
                other => parts.push(crate::Part::text(key, other.to_string())),
            }
        }
    }
    parts
}

fn flatten(prefix: String, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                let name = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}[{key}]")
                };
                flatten(name, inner, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                flatten(format!("{prefix}[{i}]"), inner, out);
            }
        }
        serde_json::Value::String(s) => out.push((prefix, s.clone())),
        other => out.push((prefix, other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn deep_objects_use_brackets() {
        let mut pairs = super::deep_object(
            "card",
            &json!({"number": "4242", "exp": {"month": 1}, "tags": ["a", "b"], "x": null}),
        );
        // Key order is serde_json's map order, which depends on whether another crate in the
        // build enables its `preserve_order` feature: compare sorted.
        pairs.sort();
        assert_eq!(
            pairs,
            vec![
                ("card[exp][month]".to_owned(), "1".to_owned()),
                ("card[number]".to_owned(), "4242".to_owned()),
                ("card[tags][0]".to_owned(), "a".to_owned()),
                ("card[tags][1]".to_owned(), "b".to_owned()),
            ]
        );
    }

    #[test]
    fn plain_strings_are_not_quoted() {
        assert_eq!(super::to_plain_string("a b"), "a b");
        assert_eq!(super::to_plain_string(&3), "3");
    }
}
