//! Serde helpers that generated types share: constant values, enums, and parameter encodings.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Serialize, Serializer};

/// A value a schema fixes (`const`, or a one-value `enum`): what generated zero-sized types
/// serialize and check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Const {
    /// A string.
    Str(&'static str),
    /// A negative (or any signed) integer.
    Int(i64),
    /// A non-negative integer.
    Uint(u64),
    /// A number with a fraction or exponent.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

impl Serialize for Const {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Const::Str(s) => serializer.serialize_str(s),
            Const::Int(i) => serializer.serialize_i64(i),
            Const::Uint(u) => serializer.serialize_u64(u),
            Const::Float(f) => serializer.serialize_f64(f),
            Const::Bool(b) => serializer.serialize_bool(b),
            Const::Null => serializer.serialize_unit(),
        }
    }
}

impl fmt::Display for Const {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Const::Str(s) => write!(f, "{s:?}"),
            Const::Int(i) => write!(f, "{i}"),
            Const::Uint(u) => write!(f, "{u}"),
            Const::Float(x) => write!(f, "{x}"),
            Const::Bool(b) => write!(f, "{b}"),
            Const::Null => f.write_str("null"),
        }
    }
}

/// A value read while checking a constant; numbers compare by value (`1` equals `1.0`).
enum Seen<'a> {
    Str(&'a str),
    Int(i64),
    Uint(u64),
    Float(f64),
    Bool(bool),
    Null,
    Other,
}

impl Const {
    fn as_f64(self) -> Option<f64> {
        match self {
            Const::Int(i) => Some(i as f64),
            Const::Uint(u) => Some(u as f64),
            Const::Float(f) => Some(f),
            _ => None,
        }
    }

    fn matches(self, seen: &Seen<'_>) -> bool {
        match (self, seen) {
            (Const::Str(a), Seen::Str(b)) => a == *b,
            (Const::Bool(a), Seen::Bool(b)) => a == *b,
            (Const::Null, Seen::Null) => true,
            (Const::Int(a), Seen::Int(b)) => a == *b,
            (Const::Uint(a), Seen::Uint(b)) => a == *b,
            (Const::Int(a), Seen::Uint(b)) => u64::try_from(a).is_ok_and(|a| a == *b),
            (Const::Uint(a), Seen::Int(b)) => u64::try_from(*b).is_ok_and(|b| a == b),
            (c, Seen::Float(b)) => c.as_f64() == Some(*b),
            (Const::Float(a), Seen::Int(b)) => a == *b as f64,
            (Const::Float(a), Seen::Uint(b)) => a == *b as f64,
            _ => false,
        }
    }

    /// Whether a value is of this constant's JSON type (a string, a number, a boolean, null).
    fn same_kind(self, seen: &Seen<'_>) -> bool {
        matches!(
            (self, seen),
            (Const::Str(_), Seen::Str(_))
                | (Const::Bool(_), Seen::Bool(_))
                | (Const::Null, Seen::Null)
                | (
                    Const::Int(_) | Const::Uint(_) | Const::Float(_),
                    Seen::Int(_) | Seen::Uint(_) | Seen::Float(_)
                )
        )
    }

    /// `true` if the JSON value is this constant.
    pub fn matches_value(self, value: &serde_json::Value) -> bool {
        use serde_json::Value;
        let seen = match value {
            Value::String(s) => Seen::Str(s),
            Value::Bool(b) => Seen::Bool(*b),
            Value::Null => Seen::Null,
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => Seen::Uint(u),
                (_, Some(i), _) => Seen::Int(i),
                (_, _, Some(f)) => Seen::Float(f),
                _ => Seen::Other,
            },
            Value::Array(_) | Value::Object(_) => Seen::Other,
        };
        self.matches(&seen)
    }
}

struct ConstVisitor {
    expected: Const,
    strict: bool,
}

impl ConstVisitor {
    /// Another value of the constant's JSON type is accepted unless strict (a server that adds
    /// values must not break old clients); a value of another JSON type is always an error
    /// (`"type": 7` where the constant is a string is not a new value, it is a wrong one).
    fn check<E: de::Error>(&self, seen: Seen<'_>, unexpected: de::Unexpected<'_>) -> Result<(), E> {
        let matches = self.expected.matches(&seen);
        if !matches && (self.strict || !self.expected.same_kind(&seen)) {
            return Err(E::invalid_value(unexpected, &self));
        }
        Ok(())
    }
}

impl<'de> Visitor<'de> for &ConstVisitor {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the constant {}", self.expected)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.check(Seen::Str(v), de::Unexpected::Str(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.check(Seen::Int(v), de::Unexpected::Signed(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.check(Seen::Uint(v), de::Unexpected::Unsigned(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.check(Seen::Float(v), de::Unexpected::Float(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.check(Seen::Bool(v), de::Unexpected::Bool(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.check(Seen::Null, de::Unexpected::Unit)
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.check(Seen::Null, de::Unexpected::Option)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.check(Seen::Other, de::Unexpected::Seq)
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.check(Seen::Other, de::Unexpected::Map)
    }
}

/// Reads a value that the schema fixes to `expected` (`type: "completion"`).
///
/// A different value is accepted unless `strict`: the official SDKs read such values without
/// complaint, and a server that adds a new type should not break old clients. Generated crates
/// pass `cfg!(feature = "strict")`.
pub fn deserialize_const<'de, D: Deserializer<'de>>(
    deserializer: D,
    expected: Const,
    strict: bool,
) -> Result<(), D::Error> {
    deserializer.deserialize_any(&ConstVisitor { expected, strict })
}

/// Whether an untagged union tries a variant on `value`: [`matches_consts`] of `always`,
/// [`matches_present_consts`] of `present`, and [`has_keys`] of `keys`.
pub fn variant_applies(
    value: &serde_json::Value,
    always: &[(&str, Const)],
    present: &[(&str, Const)],
    keys: &[&str],
) -> bool {
    matches_consts(value, always) && matches_present_consts(value, present) && has_keys(value, keys)
}

/// `true` if `value` carries every constant at its JSON pointer (`("/type", Const::Str("a"))`):
/// an untagged union then never picks a variant whose tags the value does not carry. A
/// missing location does not carry its constant.
pub fn matches_consts(value: &serde_json::Value, consts: &[(&str, Const)]) -> bool {
    consts.iter().all(|(pointer, expected)| {
        value
            .pointer(pointer)
            .is_some_and(|found| expected.matches_value(found))
    })
}

/// `true` if every JSON pointer of `consts` that `value` has holds its constant or `null`: the
/// optional and nullable fields an untagged union's variant fixes may be left out (their
/// `Option` reads `null` as `None`), but not set to something else.
pub fn matches_present_consts(value: &serde_json::Value, consts: &[(&str, Const)]) -> bool {
    consts.iter().all(|(pointer, expected)| {
        value
            .pointer(pointer)
            .is_none_or(|found| found.is_null() || expected.matches_value(found))
    })
}

/// `true` if `value` has every JSON pointer of `keys`, whatever it holds there (`null` too): an
/// untagged union's variant that requires a nullable key is tried first on values that have it.
pub fn has_keys(value: &serde_json::Value, keys: &[&str]) -> bool {
    keys.iter().all(|pointer| value.pointer(pointer).is_some())
}

/// Reads a closed string enum: `from_wire` maps each known string to its value; another string
/// is an `unknown variant` error naming the known ones.
pub fn deserialize_enum<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    from_wire: fn(&str) -> Option<T>,
    known: &'static [&'static str],
) -> Result<T, D::Error> {
    struct EnumVisitor<T> {
        from_wire: fn(&str) -> Option<T>,
        known: &'static [&'static str],
    }
    impl<T> serde::de::Visitor<'_> for EnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            (self.from_wire)(value).ok_or_else(|| E::unknown_variant(value, self.known))
        }
    }
    deserializer.deserialize_str(EnumVisitor { from_wire, known })
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

/// A parameter that `content: application/json` describes: its JSON text, strings quoted
/// (`{"select":"node"}`, `"and"`).
pub fn to_json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A path, header, cookie or non-exploded query value in OpenAPI's `simple` (or `form`) style:
/// a string as itself, an array's items and an object's keys and values joined with commas
/// (`role,admin,firstName,Alex`), nulls as nothing, and anything nested as JSON.
pub fn to_simple_string<T: serde::Serialize + ?Sized>(value: &T) -> String {
    use serde_json::Value;
    let item = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    match serde_json::to_value(value) {
        Ok(Value::Array(items)) => items.iter().map(item).collect::<Vec<_>>().join(","),
        Ok(Value::Object(map)) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .flat_map(|(k, v)| [k.clone(), item(v)])
            .collect::<Vec<_>>()
            .join(","),
        Ok(other) => item(&other),
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
    form_pairs_with(value, &[])
}

/// How a top-level array field of a form body is written without brackets (OpenAPI's
/// `style: form`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormArray {
    /// `explode: true`: `name=a&name=b`.
    Repeated,
    /// `explode: false`: `name=a,b`.
    Joined,
}

/// [`form_pairs`], with the top-level array fields named in `arrays` written as that says
/// (items that are objects or arrays stay in brackets, which `style: form` does not define).
pub fn form_pairs_with<T: serde::Serialize + ?Sized>(
    value: &T,
    arrays: &[(&str, FormArray)],
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(map)) => {
            for (key, value) in &map {
                let style = arrays.iter().find(|(name, _)| name == key).map(|a| a.1);
                match (style, value) {
                    (Some(style), serde_json::Value::Array(items))
                        if items.iter().all(|i| !i.is_object() && !i.is_array()) =>
                    {
                        let texts = items.iter().filter(|i| !i.is_null()).map(|i| match i {
                            serde_json::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        });
                        match style {
                            FormArray::Repeated => out.extend(texts.map(|t| (key.clone(), t))),
                            FormArray::Joined => {
                                out.push((key.clone(), texts.collect::<Vec<_>>().join(",")));
                            }
                        }
                    }
                    _ => flatten(key.clone(), value, &mut out),
                }
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
    fn form_arrays_are_repeated_or_joined_as_named_and_bracketed_otherwise() {
        use super::FormArray;
        let mut pairs = super::form_pairs_with(
            &json!({"topic": ["a", "b"], "tags": [1, 2], "expand": ["x"], "n": 3}),
            &[("topic", FormArray::Repeated), ("tags", FormArray::Joined)],
        );
        pairs.sort();
        let owned = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        assert_eq!(
            pairs,
            [
                owned("expand[0]", "x"),
                owned("n", "3"),
                owned("tags", "1,2"),
                owned("topic", "a"),
                owned("topic", "b"),
            ]
        );
    }

    #[test]
    fn the_empty_pointer_is_the_value_itself() {
        use super::{matches_consts, Const};
        assert!(matches_consts(&json!(2), &[("", Const::Int(2))]));
        assert!(!matches_consts(&json!(2), &[("", Const::Int(1))]));
    }

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

    #[derive(Debug)]
    struct Tagged;
    impl<'de> serde::Deserialize<'de> for Tagged {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::deserialize_const(d, super::Const::Str("completion"), true).map(|()| Tagged)
        }
    }
    struct Loose;
    impl<'de> serde::Deserialize<'de> for Loose {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::deserialize_const(d, super::Const::Uint(2), false).map(|()| Loose)
        }
    }

    #[test]
    fn constants_strict_and_loose() {
        assert!(serde_json::from_str::<Tagged>(r#""completion""#).is_ok());
        let err = serde_json::from_str::<Tagged>(r#""other""#).unwrap_err();
        assert!(err.to_string().contains("completion"), "{err}");
        assert!(serde_json::from_str::<Tagged>("[1, {\"a\": 2}]").is_err());
        // Loose: another value of the constant's JSON type is accepted, another type is not.
        for loose in ["2", "3", "2.5"] {
            assert!(serde_json::from_str::<Loose>(loose).is_ok(), "{loose}");
        }
        for wrong in ["\"x\"", "[1, [2]]", "{\"a\": {}}", "null", "true"] {
            assert!(serde_json::from_str::<Loose>(wrong).is_err(), "{wrong}");
        }
        assert_eq!(
            serde_json::to_string(&super::Const::Str("a")).unwrap(),
            r#""a""#
        );
        assert_eq!(serde_json::to_string(&super::Const::Null).unwrap(), "null");
        assert_eq!(serde_json::to_string(&super::Const::Int(-3)).unwrap(), "-3");
    }

    #[test]
    fn matches_consts_by_pointer() {
        use super::{matches_consts, Const};
        let v = json!({"type": "a", "n": 1, "inner": {"ok": true, "z": null}});
        assert!(matches_consts(
            &v,
            &[("/type", Const::Str("a")), ("/n", Const::Int(1))]
        ));
        assert!(matches_consts(
            &v,
            &[("/n", Const::Float(1.0)), ("/inner/ok", Const::Bool(true))]
        ));
        assert!(matches_consts(&v, &[("/inner/z", Const::Null)]));
        assert!(!matches_consts(&v, &[("/type", Const::Str("b"))]));
        assert!(!matches_consts(&v, &[("/missing", Const::Null)]));
        assert!(!matches_consts(&v, &[("/n", Const::Str("1"))]));
        assert!(matches_consts(&v, &[]));
    }

    #[test]
    fn a_json_content_parameter_is_its_json_text() {
        use super::to_json_text;
        assert_eq!(
            to_json_text(&json!({"select": "node"})),
            r#"{"select":"node"}"#
        );
        assert_eq!(to_json_text("and"), r#""and""#);
    }

    #[test]
    fn a_required_key_counts_when_present_even_as_null() {
        use super::has_keys;
        assert!(has_keys(&json!({"note": null, "n": 1}), &["/note"]));
        assert!(!has_keys(&json!({"content_id": 1}), &["/note"]));
        assert!(has_keys(&json!({}), &[]));
    }

    #[test]
    fn an_optional_constant_may_be_absent_but_not_different() {
        use super::{matches_present_consts, Const};
        let object = [("/object", Const::Str("realtime.item"))];
        let tagged = json!({"object": "realtime.item", "type": "message"});
        assert!(matches_present_consts(&tagged, &object));
        assert!(matches_present_consts(&json!({"type": "message"}), &object));
        assert!(matches_present_consts(&json!({"object": null}), &object));
        let other = json!({"object": "other", "type": "message"});
        assert!(!matches_present_consts(&other, &object));
    }

    #[test]
    fn simple_style_joins_keys_and_values_with_commas() {
        use super::to_simple_string;
        // One key besides the null: the order of several depends on serde_json's features.
        let object = json!({"firstName": "Alex", "gone": null});
        assert_eq!(to_simple_string(&object), "firstName,Alex");
        assert_eq!(to_simple_string(&json!(["a", 1, true])), "a,1,true");
        assert_eq!(to_simple_string("a b"), "a b");
    }

    #[test]
    fn plain_strings_are_not_quoted() {
        assert_eq!(super::to_plain_string("a b"), "a b");
        assert_eq!(super::to_plain_string(&3), "3");
    }
}
