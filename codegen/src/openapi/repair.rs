//! The lenient reading: spec mistakes that have one sensible reading are repaired in the raw
//! document, each with a warning naming its pointer, instead of refusing the spec.
//!
//! Repairs are made one at a time, where the typed reading failed, and the reading is retried;
//! every later stage (the resolver included) then sees the repaired document, so a repair is
//! made once and seen everywhere.

use serde_json::Value;

use super::Document;
use crate::error::{Diagnostic, Error, ErrorKind};
use crate::openapi::refs::Pointer;

/// Schema keywords whose value only annotates or constrains: a value of the wrong JSON type can
/// be dropped without changing what the schema describes for a client.
const DROPPABLE: &[&str] = &[
    "pattern",
    "format",
    "title",
    "description",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "readOnly",
    "writeOnly",
    "deprecated",
    "nullable",
    "summary",
    "explode",
    "example",
    "discriminator",
    "x-forge-name",
];

/// Keywords that hold a list of schemas; written as a map, the map's values are the list.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// The most repairs one document may need before the reading gives up.
const MAX_REPAIRS: usize = 10_000;

/// Reads `raw` as a document, repairing what has one sensible reading.
pub fn read_lenient(file: &str, raw: &mut Value) -> Result<(Document, Vec<Diagnostic>), Error> {
    let mut warnings = Vec::new();
    loop {
        let error = match Document::from_value(file, raw) {
            Ok(doc) => return Ok((doc, warnings)),
            Err(e) => e,
        };
        if warnings.len() >= MAX_REPAIRS {
            return Err(error);
        }
        let (crate::error::Location::Pointer(at), ErrorKind::Invalid(reason)) =
            (&error.location, &error.kind)
        else {
            return Err(error);
        };
        let Some(pointer) = Pointer::parse(at) else {
            return Err(error);
        };
        match repair(raw, &pointer) {
            Some(what) => warnings.push(Diagnostic {
                pointer: pointer.to_string(),
                message: format!("{reason}: {what}"),
            }),
            None => return Err(error),
        }
    }
}

/// Repairs the value at `pointer`, saying what was done; `None` when nothing sensible applies.
fn repair(raw: &mut Value, pointer: &Pointer) -> Option<String> {
    let tokens: Vec<String> = pointer.tokens().collect();
    let (key, parent_tokens) = tokens.split_last()?;
    let parent = value_mut(raw, parent_tokens)?;
    let object = parent.as_object_mut()?;
    let value = object.get(key)?;
    if SCHEMA_LISTS.contains(&key.as_str()) {
        if let Value::Object(map) = value {
            let list: Vec<Value> = map.values().cloned().collect();
            object.insert(key.clone(), Value::Array(list));
            return Some(format!("`{key}` is a map; read as the list of its values"));
        }
    }
    if key == "required" && value.is_boolean() {
        object.remove(key);
        return Some("`required: true/false` on a schema is Swagger 2; ignored".to_owned());
    }
    if DROPPABLE.contains(&key.as_str()) {
        object.remove(key);
        return Some(format!("`{key}` ignored"));
    }
    None
}

fn value_mut<'v>(mut current: &'v mut Value, tokens: &[String]) -> Option<&'v mut Value> {
    for token in tokens {
        current = match current {
            Value::Object(map) => map.get_mut(token)?,
            Value::Array(items) => items.get_mut(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<(Document, Vec<Diagnostic>), Error> {
        let mut raw = crate::parse::load("t.yaml", text).unwrap();
        read_lenient("t.yaml", &mut raw)
    }

    #[test]
    fn a_repair_inside_a_list_item_reaches_it_by_index() {
        let (doc, warnings) = read(
            "openapi: 3.1.0\ninfo: {title: t}\ncomponents:\n  schemas:\n    A:\n      allOf:\n        - {type: object}\n        - {type: string, maxLength: x}\n",
        )
        .unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            warnings[0].pointer,
            "#/components/schemas/A/allOf/1/maxLength"
        );
        let parts = doc.components.schemas["A"].all_of.as_ref().unwrap();
        assert_eq!(parts[1].max_length, None);
        assert_eq!(parts[1].type_names(), ["string"]);
    }

    #[test]
    fn a_keyword_that_shapes_the_schema_is_not_dropped() {
        // `type: 5` has no sensible reading: dropping it would change what the schema is.
        let e =
            read("openapi: 3.1.0\ninfo: {title: t}\ncomponents:\n  schemas:\n    A: {type: 5}\n")
                .unwrap_err();
        assert_eq!(
            e.location,
            crate::error::Location::Pointer("#/components/schemas/A/type".into())
        );
    }

    #[test]
    fn keys_that_need_escaping_are_repaired_at_their_canonical_pointer() {
        let (_, warnings) = read(
            "openapi: 3.1.0\ninfo: {title: t}\ncomponents:\n  schemas:\n    a/b~c: {type: string, pattern: 1}\n",
        )
        .unwrap();
        assert_eq!(warnings[0].pointer, "#/components/schemas/a~1b~0c/pattern");
    }
}
