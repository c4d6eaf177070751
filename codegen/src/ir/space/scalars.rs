//! Scalars, constants and enums, and the constraints a value carries.

use std::collections::HashSet;

use serde_json::Value;

use super::{Shape, TypeSpace};
use crate::error::{Error, ErrorKind};
use crate::ir::model::{ConstValue, Constraints, EnumValue, IntKind, TypeKind, TypeRef};
use crate::ir::names::{self, Scope};
use crate::openapi::{Bound, Pointer, Schema};

const TYPE_NAMES: &[&str] = &[
    "string", "number", "integer", "boolean", "array", "object", "null",
];

/// Refuses a `type` OpenAPI does not define, naming it.
pub(super) fn check_types(
    space: &TypeSpace<'_>,
    schema: &Schema,
    at: &Pointer,
) -> Result<(), Error> {
    let names = schema.type_names();
    for (i, t) in names.iter().enumerate() {
        if !TYPE_NAMES.contains(&t.as_str()) {
            let pointer = if names.len() > 1 {
                at.join("type").join(&i.to_string())
            } else {
                at.join("type")
            };
            return Err(space.err(pointer.as_str(), ErrorKind::UnknownType(t.clone())));
        }
    }
    Ok(())
}

/// A constant from a JSON value, when it has a Rust constant form.
pub(super) fn const_value(value: &Value) -> Option<ConstValue> {
    match value {
        Value::String(s) => Some(ConstValue::Str(s.clone())),
        Value::Bool(b) => Some(ConstValue::Bool(*b)),
        Value::Number(n) => n
            .as_i64()
            .map(ConstValue::Int)
            .or_else(|| n.as_u64().map(ConstValue::Uint)),
        _ => None,
    }
}

/// `const`: a zero-sized constant type where the value has one; a float or a structured value
/// stays JSON, which keeps it exactly.
pub(super) fn const_shape(value: &Value, non_null: &[&str]) -> Shape {
    match const_value(value) {
        Some(c) => Shape::Named(TypeKind::Const(c)),
        None if value.is_number() => Shape::Type(TypeRef::Float),
        None if non_null == ["string"] => Shape::Type(TypeRef::String),
        None => Shape::Type(TypeRef::Json),
    }
}

/// `enum`: a one-value enum is a constant wherever it is written, string enums are closed Rust
/// enums, other enums keep their scalar type.
pub(super) fn enum_shape(schema: &Schema, values: &[Value], non_null: &[&str]) -> Shape {
    let non_null_values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
    // A one-value enum is a constant (`object: {enum: [customer]}`, `type: {enum: [2]}`):
    // callers do not pass it, it always serializes right, and unions can tell variants apart
    // by it.
    if let [only] = non_null_values.as_slice() {
        if let Some(c) = const_value(only) {
            return Shape::Named(TypeKind::Const(c));
        }
    }
    let strings: Vec<&str> = non_null_values.iter().filter_map(|v| v.as_str()).collect();
    if strings.is_empty() || strings.len() != non_null_values.len() {
        let ty = match non_null.first().copied() {
            Some(scalar) => scalar_type(schema, scalar),
            None if non_null_values.iter().all(|v| v.is_i64()) => TypeRef::Int(IntKind::I64),
            None if non_null_values.iter().all(|v| v.is_number()) => TypeRef::Float,
            None if non_null_values.iter().all(|v| v.is_boolean()) => TypeRef::Bool,
            None => TypeRef::Json,
        };
        return Shape::Type(ty);
    }
    let variants = enum_values(
        strings.iter().map(|s| ((*s).to_owned(), None, None)),
        names::variant_name,
    );
    Shape::Named(TypeKind::ClosedEnum(variants))
}

/// The Rust type of a scalar `type`.
pub(super) fn scalar_type(schema: &Schema, scalar: &str) -> TypeRef {
    match scalar {
        "string" => string_type(schema),
        "integer" => TypeRef::Int(int_kind(schema)),
        // `format: float` is still a JSON number: `f32` would lose digits the server sends.
        "number" => TypeRef::Float,
        "boolean" => TypeRef::Bool,
        "object" => TypeRef::JsonObject,
        "array" => TypeRef::Vec(Box::new(TypeRef::Json)),
        _ => TypeRef::Json,
    }
}

/// Enum values with unique Rust names, in spec order, without repeats.
pub(super) fn enum_values(
    values: impl Iterator<Item = (String, Option<String>, Option<String>)>,
    naming: fn(&str) -> String,
) -> Vec<EnumValue> {
    let mut scope = Scope::with_reserved(&["Other", "OTHER", "KNOWN"]);
    let mut seen = HashSet::new();
    values
        .filter(|(v, _, _)| seen.insert(v.clone()))
        .map(|(value, doc, deprecated)| EnumValue {
            name: scope.claim(naming(&value)),
            value,
            doc,
            deprecated,
        })
        .collect()
}

/// `#[deprecated]` note for a deprecated schema.
pub fn deprecation(schema: &Schema) -> Option<String> {
    if !schema.deprecated {
        return None;
    }
    Some(
        schema
            .x_deprecation_message
            .clone()
            .unwrap_or_else(|| "deprecated in the API specification".to_owned()),
    )
}

/// The constraints a schema states for `validate()`.
pub(super) fn constraints(schema: &Schema) -> Constraints {
    let num = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
    let mut c = Constraints {
        min_length: schema.min_length.filter(|n| *n > 0),
        max_length: schema.max_length,
        min_items: schema.min_items.filter(|n| *n > 0),
        max_items: schema.max_items,
        ..Constraints::default()
    };
    match &schema.exclusive_minimum {
        Some(Bound::Flag(true)) => c.exclusive_minimum = num(&schema.minimum),
        Some(Bound::Value(n)) => {
            c.exclusive_minimum = n.as_f64();
            c.minimum = num(&schema.minimum);
        }
        _ => c.minimum = num(&schema.minimum),
    }
    match &schema.exclusive_maximum {
        Some(Bound::Flag(true)) => c.exclusive_maximum = num(&schema.maximum),
        Some(Bound::Value(n)) => {
            c.exclusive_maximum = n.as_f64();
            c.maximum = num(&schema.maximum);
        }
        _ => c.maximum = num(&schema.maximum),
    }
    c
}

fn string_type(schema: &Schema) -> TypeRef {
    // Formats (date-time, uuid, uri, byte, ...) stay `String`: no chrono/uuid dependency for users,
    // and no value the server sends is rejected for a format the client did not need to check.
    // `binary` is file contents (multipart uploads), which a `String` cannot hold.
    match schema.format.as_deref() {
        Some("binary") => TypeRef::Upload,
        _ => TypeRef::String,
    }
}

fn int_kind(schema: &Schema) -> IntKind {
    let min = schema.minimum.as_ref();
    let max = schema.maximum.as_ref();
    let beyond_i64 = |n: Option<&serde_json::Number>| n.is_some_and(|n| !n.is_i64());
    // A format names the usual width, but the bounds decide when they do not fit in it
    // (`format: int32, maximum: 4294967295` is a u32).
    let within = |lo: f64, hi: f64| {
        min.and_then(serde_json::Number::as_f64)
            .is_none_or(|v| v >= lo)
            && max
                .and_then(serde_json::Number::as_f64)
                .is_none_or(|v| v <= hi)
    };
    let non_negative = min
        .and_then(serde_json::Number::as_f64)
        .is_some_and(|v| v >= 0.0);
    match schema.format.as_deref() {
        Some("int32") if within(i32::MIN as f64, i32::MAX as f64) => return IntKind::I32,
        Some("int32" | "uint32") if non_negative && within(0.0, u32::MAX as f64) => {
            return IntKind::U32
        }
        Some("uint64") if within(0.0, u64::MAX as f64) => return IntKind::U64,
        _ => {}
    }
    if beyond_i64(max)
        && min.is_some_and(|n| n.as_f64().is_some_and(|f| f >= 0.0))
        && max.is_some_and(|n| n.is_u64())
    {
        IntKind::U64
    } else if beyond_i64(min) || beyond_i64(max) {
        IntKind::Number
    } else {
        IntKind::I64
    }
}
