//! Where a re-encoded value first differs from the sample it was decoded from: key order is
//! ignored and numbers are compared by value (`1` equals `1.0`). This file is also copied as it
//! is into every driver crate (`include_str!`), so the comparison the unit tests check is the one
//! the drivers run; it uses nothing but `serde_json`.

use serde_json::Value;

/// The JSON pointer of the first place where `actual` differs from `expected`, or `None` when
/// they are equal. Object keys are visited in sorted order so the answer does not depend on the
/// order either side wrote them in.
pub fn first_difference(expected: &Value, actual: &Value) -> Option<String> {
    let mut path = String::new();
    if differs(expected, actual, &mut path) {
        Some(if path.is_empty() {
            "/".to_owned()
        } else {
            path
        })
    } else {
        None
    }
}

/// The value at `pointer` (as `first_difference` writes it), for messages.
pub fn at<'v>(value: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer == "/" {
        Some(value)
    } else {
        value.pointer(pointer)
    }
}

fn differs(expected: &Value, actual: &Value, path: &mut String) -> bool {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => !same_number(a, b),
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let len = path.len();
                path.push('/');
                path.push_str(&key.replace('~', "~0").replace('/', "~1"));
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) if !differs(x, y, path) => {}
                    _ => return true,
                }
                path.truncate(len);
            }
            false
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let len = path.len();
                path.push('/');
                path.push_str(&i.to_string());
                if differs(x, y, path) {
                    return true;
                }
                path.truncate(len);
            }
            if a.len() != b.len() {
                path.push('/');
                path.push_str(&a.len().min(b.len()).to_string());
                return true;
            }
            false
        }
        (a, b) => a != b,
    }
}

/// Integers exactly; anything with a fraction or exponent by its `f64` value.
fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return x == y;
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_and_number_spelling_do_not_matter() {
        let a: Value = serde_json::from_str(r#"{"b": 1, "a": [1.0, {"x": 2e0}]}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a": [1, {"x": 2}], "b": 1.0}"#).unwrap();
        assert_eq!(first_difference(&a, &b), None);
    }

    #[test]
    fn the_first_differing_pointer_is_named() {
        let a = json!({"a": {"b": [1, 2, 3]}, "z": 1});
        assert_eq!(
            first_difference(&a, &json!({"a": {"b": [1, 2]}, "z": 1})).as_deref(),
            Some("/a/b/2")
        );
        assert_eq!(
            first_difference(&a, &json!({"a": {"b": [1, 5, 3]}, "z": 1})).as_deref(),
            Some("/a/b/1")
        );
        assert_eq!(
            first_difference(&a, &json!({"a": {"b": [1, 2, 3]}})).as_deref(),
            Some("/z")
        );
        assert_eq!(
            first_difference(&json!({"a/b": 1}), &json!({})).as_deref(),
            Some("/a~1b")
        );
        assert_eq!(
            first_difference(&json!(1), &json!("1")).as_deref(),
            Some("/")
        );
        assert_eq!(
            first_difference(&json!({"k": null}), &json!({})).as_deref(),
            Some("/k")
        );
        assert_eq!(at(&a, "/a/b/1"), Some(&json!(2)));
    }

    #[test]
    fn numbers_compare_by_value_not_by_type() {
        assert_eq!(
            first_difference(&json!(0.1), &json!(0.1f32 as f64)).as_deref(),
            Some("/")
        );
        assert_eq!(first_difference(&json!(u64::MAX), &json!(u64::MAX)), None);
        assert_eq!(first_difference(&json!(-3), &json!(-3.0)), None);
    }
}
