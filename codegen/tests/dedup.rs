//! One definition per shape: types that read the same are defined once, and every other name of
//! that shape is an alias of it (`ir::dedup`), through the public pipeline.

use codegen::ir::{self, Api, Operation, TypeDef, TypeKind, TypeRef};
use codegen::openapi::Document;
use codegen::Settings;

const FILE: &str = "t.yaml";

fn lower(paths: &str) -> Api {
    let text = format!("openapi: 3.1.0\ninfo: {{title: T, version: '1'}}\npaths:\n{paths}");
    let raw = codegen::parse::load(FILE, &text).unwrap_or_else(|e| panic!("{e}"));
    let doc = Document::from_value(FILE, &raw).unwrap_or_else(|e| panic!("{e}"));
    ir::lower(FILE, &doc, &raw, &Settings::for_crate("t"), false).unwrap_or_else(|e| panic!("{e}"))
}

fn index(api: &Api, name: &str) -> usize {
    api.types
        .iter()
        .position(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type `{name}`"))
}

fn ty<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    &api.types[index(api, name)]
}

/// The name of the type an alias stands for, or `None` for a definition.
fn alias_of<'a>(api: &'a Api, name: &str) -> Option<&'a str> {
    match &ty(api, name).kind {
        TypeKind::Alias(TypeRef::Named(id)) => Some(api.ty(*id).name.as_str()),
        _ => None,
    }
}

fn op<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.operations.iter().find(|o| o.id == id).unwrap()
}

fn body(api: &Api, id: &str) -> TypeRef {
    op(api, id).body.as_ref().unwrap().ty.clone()
}

/// Two operations under two tags whose bodies are `body_a` and `body_b` (YAML schemas).
fn two_bodies(body_a: &str, body_b: &str) -> Api {
    lower(&format!(
        "  /a:\n    post:\n      operationId: makeA\n      tags: [alpha]\n      requestBody:\n        content:\n          application/json:\n            schema: {body_a}\n      responses:\n        '204': {{description: done}}\n  /b:\n    post:\n      operationId: makeB\n      tags: [beta]\n      requestBody:\n        content:\n          application/json:\n            schema: {body_b}\n      responses:\n        '204': {{description: done}}\n"
    ))
}

const ADDRESS: &str = "{type: object, properties: {city: {type: string}, line: {type: string, description: The street.}}}";

#[test]
fn a_second_copy_of_a_shape_is_an_alias_of_the_first() {
    let api = two_bodies(ADDRESS, ADDRESS);
    assert!(matches!(ty(&api, "MakeABody").kind, TypeKind::Struct(_)));
    assert_eq!(alias_of(&api, "MakeBBody"), Some("MakeABody"));
    // What named the copy names the definition, so nothing downstream meets the alias.
    assert_eq!(body(&api, "makeB"), body(&api, "makeA"));
}

#[test]
fn shapes_that_differ_only_in_a_field_doc_stay_apart() {
    let other = ADDRESS.replace("The street.", "The road.");
    let api = two_bodies(ADDRESS, &other);
    for name in ["MakeABody", "MakeBBody"] {
        assert!(matches!(ty(&api, name).kind, TypeKind::Struct(_)), "{name}");
    }
}

#[test]
fn copies_that_hold_copies_merge_at_every_level() {
    let nested = "{type: object, properties: {mode: {type: string, enum: [fast, slow]}, at: {type: object, properties: {x: {type: integer}}}}}";
    let api = two_bodies(nested, nested);
    assert_eq!(alias_of(&api, "MakeBBody"), Some("MakeABody"));
    assert_eq!(alias_of(&api, "MakeBBodyMode"), Some("MakeABodyMode"));
    assert_eq!(alias_of(&api, "MakeBBodyAt"), Some("MakeABodyAt"));
}

#[test]
fn constants_are_never_merged() {
    // A unit struct is written as a value (`Kind`), which an alias cannot be.
    let api = two_bodies("{const: card}", "{const: card}");
    for name in ["MakeABody", "MakeBBody"] {
        assert!(matches!(ty(&api, name).kind, TypeKind::Const(_)), "{name}");
    }
}

#[test]
fn an_alias_compiles_wherever_its_definition_does() {
    let api = two_bodies(ADDRESS, ADDRESS);
    let (first, copy) = (index(&api, "MakeABody"), index(&api, "MakeBBody"));
    // The definition serves both areas, and the alias is not left to `other-types`.
    assert_eq!(api.features.types[copy], api.features.types[first]);
    assert!(api.features.list.iter().all(|f| f.name != "other-types"));
}
