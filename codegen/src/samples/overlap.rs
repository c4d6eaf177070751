//! Whether a value made for one union branch is also another's: `oneOf` refuses a value two
//! branches take, so the walk tries another branch (journy's two string branches,
//! portfoliooptimizer's bodies alike but for one optional key).

use serde_json::{Map, Value};

use crate::openapi::{AdditionalProperties, Schema};

/// The names a branch that only says which keys must be present (`{required: [a]}`) requires.
pub(super) fn presence_only(branch: &Schema) -> Option<Vec<String>> {
    let bare = Schema {
        required: Vec::new(),
        description: None,
        ..branch.clone()
    };
    (bare == Schema::default() && !branch.required.is_empty()).then(|| branch.required.clone())
}

/// `other` (a union branch, folded) takes `value`, an object made from the branch `own`: it asks
/// nothing the value lacks, and each key is one it declares exactly as `own` does or one it
/// leaves open. Anything else it might check (an `enum`, a nested union) counts as refusing.
pub(super) fn takes_object(other: &Schema, own: &Schema, value: &Map<String, Value>) -> bool {
    let types = other.type_names();
    let open = || {
        matches!(
            other.additional_properties,
            None | Some(AdditionalProperties::Bool(true))
        )
    };
    let count = value.len() as u64;
    (types.is_empty() || types.iter().any(|t| t == "object"))
        && other.reference.is_none()
        && other.enum_values.is_none()
        && other.const_value.is_none()
        && other.not.is_none()
        && other.one_of.is_none()
        && other.any_of.is_none()
        && other.min_properties.is_none_or(|m| count >= m)
        && other.max_properties.is_none_or(|m| count <= m)
        && other.required.iter().all(|r| value.contains_key(r))
        && value
            .keys()
            .all(|k| match other.properties.as_ref().and_then(|p| p.get(k)) {
                Some(theirs) => own
                    .properties
                    .as_ref()
                    .and_then(|p| p.get(k))
                    .is_some_and(|mine| mine == theirs),
                None => open(),
            })
}

/// `schema` takes every value of `value`'s type: it names the type and narrows it by nothing a
/// validator checks (a `format` only counts when it is one validators know).
pub(super) fn takes_every(schema: &Schema, value: &Value) -> bool {
    const CHECKED: &[&str] = &[
        "date-time",
        "date",
        "time",
        "duration",
        "uri",
        "uri-reference",
        "uri-template",
        "url",
        "iri",
        "iri-reference",
        "email",
        "idn-email",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "uuid",
        "regex",
        "json-pointer",
        "relative-json-pointer",
        "byte",
        "int32",
        "int64",
        "float",
        "double",
    ];
    schema.type_names().iter().any(|t| is_of_type(value, t))
        && schema.reference.is_none()
        && schema.enum_values.is_none()
        && schema.const_value.is_none()
        && schema.pattern.is_none()
        && schema.min_length.is_none()
        && schema.max_length.is_none()
        && schema.minimum.is_none()
        && schema.maximum.is_none()
        && schema.exclusive_minimum.is_none()
        && schema.exclusive_maximum.is_none()
        && schema.multiple_of.is_none()
        && schema.all_of.is_none()
        && schema.any_of.is_none()
        && schema.one_of.is_none()
        && schema.not.is_none()
        && schema
            .format
            .as_deref()
            .is_none_or(|f| !CHECKED.contains(&f))
}

/// `value` is of the JSON Schema type named `name`.
pub(super) fn is_of_type(value: &Value, name: &str) -> bool {
    match name {
        "string" => value.is_string(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    }
}
