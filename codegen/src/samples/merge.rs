//! `allOf` read as one schema: properties and `required` lists are united, and every other
//! keyword is taken from the first place that has it (the schema itself, then its parts in
//! order), so an `enum` or bound written beside `allOf` constrains the value as much as one
//! written inside it.

use std::borrow::Cow;

use crate::openapi::{Pointer, Resolver, Schema};

/// How deep `allOf` parts may nest (through references) before the rest is left out.
const MAX_NESTING: usize = 16;

/// The schema with its `allOf` parts folded in, references followed. Parts that cannot be
/// resolved are named in `notes`.
pub fn flatten(
    resolver: &Resolver<'_>,
    schema: &Schema,
    at: &Pointer,
    notes: &mut Vec<String>,
) -> Schema {
    let mut out = schema.clone();
    out.all_of = None;
    fold(resolver, schema, at, &mut out, notes, 0);
    out
}

fn fold(
    resolver: &Resolver<'_>,
    schema: &Schema,
    at: &Pointer,
    out: &mut Schema,
    notes: &mut Vec<String>,
    nesting: usize,
) {
    let Some(parts) = &schema.all_of else {
        return;
    };
    if nesting > MAX_NESTING {
        notes.push(format!("{at}: allOf nested too deep, the rest left out"));
        return;
    }
    for (i, part) in parts.iter().enumerate() {
        let part_at = at.join("allOf").join(&i.to_string());
        let resolved = match resolver.follow(Cow::Borrowed(part), &part_at) {
            Ok(r) => r,
            Err(e) => {
                notes.push(e.to_string());
                continue;
            }
        };
        let part = resolved.value.as_ref();
        merge_into(out, part);
        fold(resolver, part, &resolved.pointer, out, notes, nesting + 1);
    }
}

/// Adds `part`'s keywords to `out`: maps and lists united, single keywords kept from `out`
/// when it has them.
fn merge_into(out: &mut Schema, part: &Schema) {
    macro_rules! first {
        ($($field:ident),*) => {$(
            if out.$field.is_none() {
                out.$field = part.$field.clone();
            }
        )*};
    }
    first!(
        types,
        format,
        const_value,
        enum_values,
        default,
        any_of,
        one_of,
        not,
        discriminator,
        additional_properties,
        prefix_items,
        min_length,
        max_length,
        pattern,
        minimum,
        maximum,
        exclusive_minimum,
        exclusive_maximum,
        multiple_of,
        min_items,
        max_items,
        min_properties,
        max_properties
    );
    // Items described (or left free, `items: {}`) in one part and shaped in a later one: the
    // later one's shape, as for properties.
    match (&out.items, &part.items) {
        (None, Some(_)) => out.items = part.items.clone(),
        (Some(first), Some(later)) if first.is_annotation_only() && !later.is_annotation_only() => {
            out.items = part.items.clone();
        }
        _ => {}
    }
    out.nullable |= part.nullable;
    out.unique_items |= part.unique_items;
    out.is_false |= part.is_false;
    if let Some(props) = &part.properties {
        let mine = out.properties.get_or_insert_with(Default::default);
        for (k, v) in props {
            match mine.get_mut(k) {
                // Described in one part, shaped in a later one: the later one's shape.
                Some(first) if first.is_annotation_only() && !v.is_annotation_only() => {
                    *first = v.clone();
                }
                Some(_) => {}
                None => {
                    mine.insert(k.clone(), v.clone());
                }
            }
        }
    }
    for r in &part.required {
        if !out.required.contains(r) {
            out.required.push(r.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openapi::Document;

    #[test]
    fn a_property_only_described_in_one_part_takes_a_later_parts_shape() {
        let raw = serde_json::json!({
            "openapi": "3.1.0", "info": {"title": "t"}, "paths": {},
            "components": {"schemas": {
                "Typed": {"type": "object", "properties": {"n": {"type": "integer", "maximum": 8}}},
                "X": {"allOf": [
                    {"type": "object", "properties": {"n": {"description": "How many."}}},
                    {"$ref": "#/components/schemas/Typed"}
                ]}
            }}
        });
        let doc = Document::from_value("t", &raw).unwrap();
        let resolver = Resolver::new("t", &doc, &raw);
        let mut notes = Vec::new();
        let x = flatten(
            &resolver,
            &doc.components.schemas["X"],
            &Pointer::root(),
            &mut notes,
        );
        let n = &x.properties.unwrap()["n"];
        assert_eq!(n.type_names(), ["integer"]);
        assert!(n.maximum.is_some());
    }

    #[test]
    fn enum_beside_all_of_wins_and_properties_unite() {
        let raw = serde_json::json!({
            "openapi": "3.1.0", "info": {"title": "t"}, "paths": {},
            "components": {"schemas": {
                "Base": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
                "Kind": {"type": "integer", "enum": [1, 2, 3]},
                "X": {"allOf": [{"$ref": "#/components/schemas/Base"}], "properties": {"b": {"type": "integer"}}, "required": ["b"]},
                "Y": {"type": "integer", "enum": [2], "allOf": [{"$ref": "#/components/schemas/Kind"}]}
            }}
        });
        let doc = Document::from_value("t", &raw).unwrap();
        let resolver = Resolver::new("t", &doc, &raw);
        let at = Pointer::root();
        let mut notes = Vec::new();
        let x = flatten(&resolver, &doc.components.schemas["X"], &at, &mut notes);
        assert_eq!(x.required, ["b", "a"]);
        assert_eq!(x.properties.unwrap().len(), 2);
        let y = flatten(&resolver, &doc.components.schemas["Y"], &at, &mut notes);
        assert_eq!(y.enum_values, Some(vec![serde_json::json!(2)]));
        assert!(notes.is_empty());
    }
}
