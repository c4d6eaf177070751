//! Lowering to the IR, one construct per test, through the public pipeline:
//! `parse::load` -> `openapi::Document::from_value` -> `ir::lower`.

use codegen::ir::{
    self, Api, AuthLocation, EnumValue, Extra, Field, FloatKind, IntKind, Struct, TypeDef,
    TypeKind, TypeRef,
};
use codegen::openapi::Document;
use codegen::{Input, Settings};

const FILE: &str = "t.yaml";

fn lower_with(text: &str, version: &str) -> Api {
    let text = format!("openapi: {version}\ninfo: {{title: T, version: '1'}}\n{text}");
    let raw = codegen::parse::load(FILE, &text).unwrap_or_else(|e| panic!("{e}"));
    let doc = Document::from_value(FILE, &raw).unwrap_or_else(|e| panic!("{e}"));
    ir::lower(FILE, &doc, &raw, &Settings::for_crate("t"), false).unwrap_or_else(|e| panic!("{e}"))
}

/// Lowers a 3.1 document made of `text` (everything after `info`).
fn lower(text: &str) -> Api {
    lower_with(text, "3.1.0")
}

/// Lowers a 3.1 document whose only content is these component schemas.
fn lower_schemas(yaml_schemas: &str) -> Api {
    lower(&format!(
        "paths: {{}}\ncomponents:\n  schemas:\n{yaml_schemas}"
    ))
}

fn ty<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| {
            let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
            panic!("no type `{name}` among {names:?}")
        })
}

fn id_of(api: &Api, name: &str) -> usize {
    api.types
        .iter()
        .position(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type `{name}`"))
}

fn strukt<'a>(api: &'a Api, name: &str) -> &'a Struct {
    match &ty(api, name).kind {
        TypeKind::Struct(s) => s,
        other => panic!("`{name}` is not a struct: {other:?}"),
    }
}

fn field<'a>(s: &'a Struct, wire: &str) -> &'a Field {
    s.fields.iter().find(|f| f.wire == wire).unwrap_or_else(|| {
        let wires: Vec<&str> = s.fields.iter().map(|f| f.wire.as_str()).collect();
        panic!("no field `{wire}` among {wires:?}")
    })
}

fn names(values: &[EnumValue]) -> Vec<(&str, &str)> {
    values
        .iter()
        .map(|v| (v.name.as_str(), v.value.as_str()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Field modes
// ---------------------------------------------------------------------------------------------

#[test]
fn required_optional_and_nullable_fields_keep_their_modes() {
    let api = lower_schemas(
        "    A:
      type: object
      required: [req, req_null]
      properties:
        req: {type: string}
        opt: {type: string}
        req_null: {type: [string, 'null']}
        opt_null: {type: [string, 'null']}
",
    );
    let a = strukt(&api, "A");
    let modes: Vec<(&str, bool, bool)> = a
        .fields
        .iter()
        .map(|f| (f.wire.as_str(), f.required, f.nullable))
        .collect();
    assert_eq!(
        modes,
        [
            ("req", true, false),
            ("opt", false, false),
            ("req_null", true, true),
            ("opt_null", false, true),
        ]
    );
    assert!(
        a.fields.iter().all(|f| f.ty == TypeRef::String),
        "{:?}",
        a.fields
    );
    assert!(field(a, "req").is_constructor_arg());
    assert!(field(a, "req_null").is_constructor_arg());
    assert!(!field(a, "opt").is_constructor_arg());
}

#[test]
fn fields_keep_spec_order() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        zeta: {type: string}
        alpha: {type: string}
        mid: {type: string}
",
    );
    let wires: Vec<&str> = strukt(&api, "A")
        .fields
        .iter()
        .map(|f| f.wire.as_str())
        .collect();
    assert_eq!(wires, ["zeta", "alpha", "mid"]);
}

#[test]
fn openapi_3_0_nullable_true_gives_a_nullable_field() {
    let api = lower_with(
        "paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        b: {type: string, nullable: true}
",
        "3.0.3",
    );
    let b = field(strukt(&api, "A"), "b");
    assert!(b.nullable);
    assert_eq!(b.ty, TypeRef::String);
}

#[test]
fn openapi_3_1_type_list_with_null_gives_a_nullable_field() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        b: {type: [string, 'null']}
",
    );
    let b = field(strukt(&api, "A"), "b");
    assert!(b.nullable);
    assert_eq!(b.ty, TypeRef::String);
}

#[test]
fn any_of_string_and_null_gives_a_nullable_field() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        b:
          anyOf:
            - {type: string, maxLength: 512}
            - {type: 'null'}
",
    );
    let b = field(strukt(&api, "A"), "b");
    assert!(b.nullable);
    assert_eq!(b.ty, TypeRef::String);
    assert_eq!(
        b.constraints.max_length,
        Some(512),
        "constraints come from the string branch"
    );
}

#[test]
fn one_of_ref_and_null_gives_a_nullable_named_field() {
    let api = lower_schemas(
        "    B: {type: object, properties: {x: {type: integer}}}
    A:
      type: object
      properties:
        b:
          oneOf:
            - $ref: '#/components/schemas/B'
            - type: 'null'
",
    );
    let b = field(strukt(&api, "A"), "b");
    assert!(b.nullable);
    assert_eq!(b.ty, TypeRef::Named(id_of(&api, "B")));
}

#[test]
fn non_nullable_field_is_not_nullable() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        b: {type: string}
",
    );
    assert!(!field(strukt(&api, "A"), "b").nullable);
}

// ---------------------------------------------------------------------------------------------
// Scalars and containers
// ---------------------------------------------------------------------------------------------

#[test]
fn scalar_formats_map_to_sized_types() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        i: {type: integer}
        i32: {type: integer, format: int32}
        f: {type: number}
        f32: {type: number, format: float}
        b: {type: boolean}
        s: {type: string, format: date-time}
        list: {type: array, items: {type: string}}
        map: {type: object, additionalProperties: {type: integer}}
        any: {}
",
    );
    let a = strukt(&api, "A");
    assert_eq!(field(a, "i").ty, TypeRef::Int(IntKind::I64));
    assert_eq!(field(a, "i32").ty, TypeRef::Int(IntKind::I32));
    assert_eq!(field(a, "f").ty, TypeRef::Float(FloatKind::F64));
    assert_eq!(field(a, "f32").ty, TypeRef::Float(FloatKind::F32));
    assert_eq!(field(a, "b").ty, TypeRef::Bool);
    assert_eq!(field(a, "s").ty, TypeRef::String);
    assert_eq!(field(a, "list").ty, TypeRef::Vec(Box::new(TypeRef::String)));
    assert_eq!(
        field(a, "map").ty,
        TypeRef::Map(Box::new(TypeRef::Int(IntKind::I64)))
    );
    assert_eq!(field(a, "any").ty, TypeRef::Json);
}

#[test]
fn constraints_are_carried_to_the_field() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        s: {type: string, minLength: 1, maxLength: 9}
        n: {type: number, minimum: 0, maximum: 1}
        k: {type: integer, exclusiveMinimum: 0}
        l: {type: array, items: {type: string}, minItems: 2, maxItems: 3}
",
    );
    let a = strukt(&api, "A");
    let s = &field(a, "s").constraints;
    assert_eq!((s.min_length, s.max_length), (Some(1), Some(9)));
    let n = &field(a, "n").constraints;
    assert_eq!((n.minimum, n.maximum), (Some(0.0), Some(1.0)));
    assert_eq!(field(a, "k").constraints.exclusive_minimum, Some(0.0));
    let l = &field(a, "l").constraints;
    assert_eq!((l.min_items, l.max_items), (Some(2), Some(3)));
}

// ---------------------------------------------------------------------------------------------
// Enums and consts
// ---------------------------------------------------------------------------------------------

#[test]
fn any_of_free_string_and_consts_is_an_open_enum_with_shouty_names() {
    let api = lower_schemas(
        "    E:
      anyOf:
        - {type: string}
        - {const: a}
        - {const: b}
",
    );
    match &ty(&api, "E").kind {
        TypeKind::OpenEnum(values) => assert_eq!(names(values), [("A", "a"), ("B", "b")]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn open_enum_constant_names_keep_digit_groups_apart() {
    let api = lower_schemas(
        "    Model:
      anyOf:
        - {type: string}
        - {const: claude-opus-4-5-20251101}
        - {const: claude-3-7-sonnet-latest}
",
    );
    match &ty(&api, "Model").kind {
        TypeKind::OpenEnum(values) => assert_eq!(
            names(values),
            [
                ("CLAUDE_OPUS_4_5_20251101", "claude-opus-4-5-20251101"),
                ("CLAUDE_3_7_SONNET_LATEST", "claude-3-7-sonnet-latest"),
            ]
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn open_enum_values_keep_description_and_deprecation() {
    let api = lower_schemas(
        "    E:
      anyOf:
        - {type: string}
        - {const: old, description: The old one., deprecated: true, x-stainless-deprecation-message: Gone soon.}
        - {const: new, description: The new one.}
",
    );
    let TypeKind::OpenEnum(values) = &ty(&api, "E").kind else {
        panic!()
    };
    assert_eq!(values[0].doc.as_deref(), Some("The old one."));
    assert_eq!(values[0].deprecated.as_deref(), Some("Gone soon."));
    assert_eq!(values[1].doc.as_deref(), Some("The new one."));
    assert_eq!(values[1].deprecated, None);
}

#[test]
fn open_enum_constant_names_are_unique() {
    let api = lower_schemas(
        "    E:
      anyOf:
        - {type: string}
        - {const: a-b}
        - {const: a.b}
        - {const: A_B}
        - {const: other}
",
    );
    let TypeKind::OpenEnum(values) = &ty(&api, "E").kind else {
        panic!()
    };
    let mut seen = std::collections::HashSet::new();
    for v in values {
        assert!(
            seen.insert(v.name.as_str()),
            "duplicate {} in {:?}",
            v.name,
            names(values)
        );
    }
    assert_eq!(values.len(), 4);
}

#[test]
fn string_enum_is_a_closed_enum_with_camel_variants() {
    let api = lower_schemas(
        "    E:
      type: string
      enum: [stop_sequence, max_tokens]
",
    );
    match &ty(&api, "E").kind {
        TypeKind::ClosedEnum(values) => assert_eq!(
            names(values),
            [
                ("StopSequence", "stop_sequence"),
                ("MaxTokens", "max_tokens")
            ]
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn any_of_consts_only_is_a_closed_enum() {
    let api = lower_schemas(
        "    E:
      anyOf:
        - {const: x}
        - {const: y}
",
    );
    assert!(matches!(ty(&api, "E").kind, TypeKind::ClosedEnum(ref v) if v.len() == 2));
}

#[test]
fn enum_with_null_is_a_nullable_closed_enum_field() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        e: {type: [string, 'null'], enum: [x, y, null]}
",
    );
    let e = field(strukt(&api, "A"), "e");
    assert!(e.nullable);
    let TypeRef::Named(id) = e.ty else {
        panic!("{:?}", e.ty)
    };
    assert!(matches!(&api.types[id].kind, TypeKind::ClosedEnum(v) if v.len() == 2));
}

#[test]
fn string_const_is_a_const_type() {
    let api = lower_schemas(
        "    T:
      type: string
      const: completion
",
    );
    assert!(matches!(&ty(&api, "T").kind, TypeKind::Const(v) if v == "completion"));
}

#[test]
fn const_property_is_a_defaulted_const_field() {
    let api = lower_schemas(
        "    A:
      type: object
      required: [type]
      properties:
        type: {type: string, const: completion}
",
    );
    let f = field(strukt(&api, "A"), "type");
    assert!(f.required);
    assert!(f.defaulted, "a const field reads as its value when missing");
    assert!(!f.is_constructor_arg());
    let TypeRef::Named(id) = f.ty else {
        panic!("{:?}", f.ty)
    };
    assert!(matches!(&api.types[id].kind, TypeKind::Const(v) if v == "completion"));
    assert_eq!(api.types[id].name, "AType");
}

// ---------------------------------------------------------------------------------------------
// Composition
// ---------------------------------------------------------------------------------------------

#[test]
fn all_of_two_objects_merges_into_one_struct_with_both_fields() {
    let api = lower_schemas(
        "    Base:
      type: object
      required: [id]
      properties:
        id: {type: string}
    Both:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [name]
          properties:
            name: {type: string}
",
    );
    let both = strukt(&api, "Both");
    let fields: Vec<(&str, bool)> = both
        .fields
        .iter()
        .map(|f| (f.wire.as_str(), f.required))
        .collect();
    assert_eq!(fields, [("id", true), ("name", true)]);
}

#[test]
fn all_of_with_one_ref_is_that_type() {
    let api = lower_schemas(
        "    Base: {type: object, properties: {id: {type: string}}}
    A:
      type: object
      properties:
        b:
          description: The base.
          allOf:
            - $ref: '#/components/schemas/Base'
",
    );
    let b = field(strukt(&api, "A"), "b");
    assert_eq!(b.ty, TypeRef::Named(id_of(&api, "Base")));
    assert_eq!(b.doc.as_deref(), Some("The base."));
}

#[test]
fn one_of_with_discriminator_is_a_tagged_union() {
    let api = lower_schemas(
        "    Cat:
      type: object
      required: [kind]
      properties:
        kind: {type: string, const: cat}
        meows: {type: boolean}
    Dog:
      type: object
      required: [kind]
      properties:
        kind: {type: string, const: dog}
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: kind
",
    );
    match &ty(&api, "Pet").kind {
        TypeKind::Tagged { tag, variants } => {
            assert_eq!(tag, "kind");
            let v: Vec<(&str, Option<&str>, &TypeRef)> = variants
                .iter()
                .map(|v| (v.name.as_str(), v.tag.as_deref(), &v.ty))
                .collect();
            assert_eq!(
                v,
                [
                    ("Cat", Some("cat"), &TypeRef::Named(id_of(&api, "Cat"))),
                    ("Dog", Some("dog"), &TypeRef::Named(id_of(&api, "Dog"))),
                ]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn discriminator_mapping_names_the_tags() {
    let api = lower_schemas(
        "    Cat: {type: object, properties: {kind: {type: string}}}
    Dog: {type: object, properties: {kind: {type: string}}}
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: kind
        mapping:
          kitty: '#/components/schemas/Cat'
          doggo: '#/components/schemas/Dog'
",
    );
    let TypeKind::Tagged { variants, .. } = &ty(&api, "Pet").kind else {
        panic!("{:?}", ty(&api, "Pet").kind)
    };
    let tags: Vec<Option<&str>> = variants.iter().map(|v| v.tag.as_deref()).collect();
    assert_eq!(tags, [Some("kitty"), Some("doggo")]);
}

#[test]
fn one_of_with_a_common_const_property_infers_the_tag() {
    let api = lower_schemas(
        "    Text:
      type: object
      required: [type, text]
      properties:
        type: {type: string, const: text}
        text: {type: string}
    Image:
      type: object
      required: [type]
      properties:
        type: {type: string, enum: [image]}
    Block:
      oneOf:
        - $ref: '#/components/schemas/Text'
        - $ref: '#/components/schemas/Image'
",
    );
    match &ty(&api, "Block").kind {
        TypeKind::Tagged { tag, variants } => {
            assert_eq!(tag, "type");
            let tags: Vec<Option<&str>> = variants.iter().map(|v| v.tag.as_deref()).collect();
            assert_eq!(tags, [Some("text"), Some("image")]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn one_of_without_tag_is_an_untagged_union() {
    let api = lower_schemas(
        "    U:
      oneOf:
        - {type: string}
        - {type: array, items: {type: string}}
",
    );
    match &ty(&api, "U").kind {
        TypeKind::Untagged(variants) => {
            assert_eq!(variants.len(), 2);
            assert_eq!(variants[0].ty, TypeRef::String);
            assert_eq!(variants[1].ty, TypeRef::Vec(Box::new(TypeRef::String)));
            assert!(variants.iter().all(|v| v.tag.is_none()));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn type_list_of_two_scalars_is_an_untagged_union() {
    let api = lower_schemas("    U: {type: [string, integer]}\n");
    match &ty(&api, "U").kind {
        TypeKind::Untagged(variants) => {
            let tys: Vec<&TypeRef> = variants.iter().map(|v| &v.ty).collect();
            assert_eq!(tys, [&TypeRef::String, &TypeRef::Int(IntKind::I64)]);
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// References and recursion
// ---------------------------------------------------------------------------------------------

#[test]
fn ref_field_points_at_the_component_type() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        b: {$ref: '#/components/schemas/B'}
    B: {type: object, properties: {x: {type: string}}}
",
    );
    assert_eq!(
        field(strukt(&api, "A"), "b").ty,
        TypeRef::Named(id_of(&api, "B"))
    );
}

#[test]
fn ref_into_a_component_subschema_resolves() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        id: {type: string, maxLength: 8}
    B:
      type: object
      properties:
        a_id: {$ref: '#/components/schemas/A/properties/id'}
",
    );
    let f = field(strukt(&api, "B"), "a_id");
    assert_eq!(f.ty, TypeRef::String);
    assert_eq!(f.constraints.max_length, Some(8));
}

#[test]
fn ref_outside_components_resolves() {
    let api = lower(
        "paths: {}
x-shared:
  Id: {type: object, properties: {v: {type: string}}}
components:
  schemas:
    B:
      type: object
      properties:
        id: {$ref: '#/x-shared/Id'}
",
    );
    let f = field(strukt(&api, "B"), "id");
    let TypeRef::Named(id) = f.ty else {
        panic!("{:?}", f.ty)
    };
    assert_eq!(api.types[id].name, "Id");
}

#[test]
fn ref_with_escaped_pointer_tokens_resolves() {
    let api = lower_schemas(
        "    a/b~c: {type: object, properties: {x: {type: string}}}
    B:
      type: object
      properties:
        v: {$ref: '#/components/schemas/a~1b~0c'}
",
    );
    let f = field(strukt(&api, "B"), "v");
    assert_eq!(f.ty, TypeRef::Named(id_of(&api, "ABC")));
}

#[test]
fn ref_with_percent_encoded_fragment_resolves() {
    // A `$ref` is a URI reference: its fragment may percent-encode characters (RFC 6901 §6).
    let api = lower_schemas(
        "    My Type: {type: object, properties: {x: {type: string}}}
    B:
      type: object
      properties:
        v: {$ref: '#/components/schemas/My%20Type'}
",
    );
    let f = field(strukt(&api, "B"), "v");
    assert_eq!(f.ty, TypeRef::Named(id_of(&api, "MyType")));
}

#[test]
fn recursive_property_is_boxed() {
    let api = lower_schemas(
        "    Node:
      type: object
      properties:
        value: {type: string}
        next: {$ref: '#/components/schemas/Node'}
",
    );
    let node = id_of(&api, "Node");
    assert_eq!(
        field(strukt(&api, "Node"), "next").ty,
        TypeRef::Boxed(Box::new(TypeRef::Named(node)))
    );
}

#[test]
fn mutually_recursive_properties_are_boxed_somewhere_in_the_cycle() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        b: {$ref: '#/components/schemas/B'}
    B:
      type: object
      properties:
        a: {$ref: '#/components/schemas/A'}
",
    );
    let a = &field(strukt(&api, "A"), "b").ty;
    let b = &field(strukt(&api, "B"), "a").ty;
    assert!(
        matches!(a, TypeRef::Boxed(_)) || matches!(b, TypeRef::Boxed(_)),
        "{a:?} {b:?}"
    );
}

#[test]
fn recursion_through_a_vec_is_not_boxed() {
    let api = lower_schemas(
        "    Tree:
      type: object
      properties:
        children:
          type: array
          items: {$ref: '#/components/schemas/Tree'}
",
    );
    let tree = id_of(&api, "Tree");
    assert_eq!(
        field(strukt(&api, "Tree"), "children").ty,
        TypeRef::Vec(Box::new(TypeRef::Named(tree)))
    );
}

#[test]
fn nullable_recursive_property_is_boxed() {
    let api = lower_schemas(
        "    Node:
      type: object
      properties:
        parent:
          anyOf:
            - $ref: '#/components/schemas/Node'
            - type: 'null'
",
    );
    let node = id_of(&api, "Node");
    let parent = field(strukt(&api, "Node"), "parent");
    assert!(parent.nullable);
    assert_eq!(parent.ty, TypeRef::Boxed(Box::new(TypeRef::Named(node))));
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

#[test]
fn keyword_property_keeps_its_name_for_a_raw_identifier() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        type: {type: string}
        match: {type: string}
",
    );
    let a = strukt(&api, "A");
    let t = field(a, "type");
    assert_eq!((t.name.as_str(), t.wire.as_str()), ("type", "type"));
    assert!(codegen::ir::names::needs_raw(&t.name));
    assert_eq!(field(a, "match").name, "match");
}

#[test]
fn self_property_gets_a_suffix_since_it_cannot_be_raw() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        self: {type: string}
",
    );
    let f = field(strukt(&api, "A"), "self");
    assert_eq!(f.name, "self_");
    assert_eq!(f.wire, "self");
}

#[test]
fn colliding_property_names_get_unique_field_names() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        fooBar: {type: string}
        foo_bar: {type: string}
        foo-bar: {type: string}
",
    );
    let a = strukt(&api, "A");
    let pairs: Vec<(&str, &str)> = a
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.wire.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("foo_bar", "fooBar"),
            ("foo_bar2", "foo_bar"),
            ("foo_bar3", "foo-bar")
        ]
    );
}

#[test]
fn property_named_extra_does_not_collide_with_the_extra_map() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        extra: {type: string}
",
    );
    let a = strukt(&api, "A");
    assert_eq!(field(a, "extra").name, "extra");
    assert_ne!(a.extra_name, "extra");
}

#[test]
fn camel_case_property_becomes_a_snake_field_with_its_wire_name() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        maxTokensToSample: {type: integer}
        '2fa': {type: boolean}
",
    );
    let a = strukt(&api, "A");
    assert_eq!(field(a, "maxTokensToSample").name, "max_tokens_to_sample");
    assert_eq!(field(a, "2fa").name, "_2fa");
}

#[test]
fn inline_object_property_gets_a_type_named_from_parent_and_property() {
    let api = lower_schemas(
        "    Parent:
      type: object
      properties:
        child_info:
          type: object
          properties:
            x: {type: string}
",
    );
    let child = field(strukt(&api, "Parent"), "child_info");
    let TypeRef::Named(id) = child.ty else {
        panic!("{:?}", child.ty)
    };
    let def = &api.types[id];
    assert_eq!(def.name, "ParentChildInfo");
    assert_eq!(
        def.pointer,
        "#/components/schemas/Parent/properties/child_info"
    );
    assert!(matches!(&def.kind, TypeKind::Struct(s) if s.fields[0].wire == "x"));
}

#[test]
fn inline_array_item_object_gets_an_item_type_name() {
    let api = lower_schemas(
        "    Parent:
      type: object
      properties:
        rows:
          type: array
          items:
            type: object
            properties:
              x: {type: string}
",
    );
    let rows = field(strukt(&api, "Parent"), "rows");
    let TypeRef::Vec(item) = &rows.ty else {
        panic!("{:?}", rows.ty)
    };
    let TypeRef::Named(id) = **item else {
        panic!("{item:?}")
    };
    assert_eq!(api.types[id].name, "ParentRowsItem");
}

#[test]
fn inline_type_name_that_collides_with_a_component_gets_a_suffix() {
    let api = lower_schemas(
        "    ParentChild: {type: object, properties: {y: {type: string}}}
    Parent:
      type: object
      properties:
        child:
          type: object
          properties:
            x: {type: string}
",
    );
    let child = field(strukt(&api, "Parent"), "child");
    let TypeRef::Named(id) = child.ty else {
        panic!("{:?}", child.ty)
    };
    assert_ne!(id, id_of(&api, "ParentChild"));
    assert_eq!(api.types[id].name, "ParentChild2");
}

#[test]
fn component_names_become_upper_camel_and_avoid_prelude_names() {
    let api = lower_schemas(
        "    error_response: {type: object, properties: {x: {type: string}}}
    Option: {type: object, properties: {x: {type: string}}}
    Client: {type: object, properties: {x: {type: string}}}
",
    );
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["ErrorResponse", "OptionModel", "ClientModel"]);
}

#[test]
fn component_types_come_first_in_document_order() {
    let api = lower_schemas(
        "    Zed:
      type: object
      properties:
        inner: {type: object, properties: {x: {type: string}}}
    Alpha: {type: string, enum: [a]}
",
    );
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Zed", "Alpha", "ZedInner"]);
}

// ---------------------------------------------------------------------------------------------
// Extra keys
// ---------------------------------------------------------------------------------------------

#[test]
fn additional_properties_false_denies_extra_keys() {
    let api = lower_schemas(
        "    A:
      type: object
      additionalProperties: false
      properties:
        b: {type: string}
",
    );
    assert_eq!(strukt(&api, "A").extra, Extra::Deny);
}

#[test]
fn absent_additional_properties_keeps_extra_keys_as_json() {
    let api = lower_schemas(
        "    A:
      type: object
      properties:
        b: {type: string}
",
    );
    let a = strukt(&api, "A");
    assert_eq!(a.extra, Extra::Keep(TypeRef::Json));
    assert_eq!(a.extra_name, "extra");
}

#[test]
fn typed_additional_properties_keep_extra_keys_of_that_type() {
    let api = lower_schemas(
        "    A:
      type: object
      additionalProperties: {type: integer}
      properties:
        b: {type: string}
",
    );
    assert_eq!(
        strukt(&api, "A").extra,
        Extra::Keep(TypeRef::Int(IntKind::I64))
    );
}

// ---------------------------------------------------------------------------------------------
// Operations and client
// ---------------------------------------------------------------------------------------------

const TWO_OPS_WITH_VERSION_HEADER: &str = "paths:
  /a:
    get:
      operationId: getA
      parameters:
        - {name: x-version, in: header, schema: {type: string, default: '2024-01-01'}}
        - {name: x-trace, in: header, schema: {type: string, default: 'on'}}
      responses:
        '204': {description: ok}
  /b:
    post:
      operationId: postB
      parameters:
        - {name: x-version, in: header, schema: {type: string, default: '2024-01-01'}}
      responses:
        '204': {description: ok}
";

#[test]
fn header_with_a_default_on_every_operation_is_a_client_default_header() {
    let api = lower(TWO_OPS_WITH_VERSION_HEADER);
    assert_eq!(
        api.client.default_headers,
        [("x-version".to_owned(), "2024-01-01".to_owned())]
    );
}

#[test]
fn header_default_on_only_some_operations_is_not_a_client_default_header() {
    let api = lower(TWO_OPS_WITH_VERSION_HEADER);
    assert!(
        !api.client
            .default_headers
            .iter()
            .any(|(name, _)| name == "x-trace"),
        "{:?}",
        api.client.default_headers
    );
}

#[test]
fn header_parameter_via_ref_keeps_its_default() {
    let api = lower(
        "paths:
  /a:
    get:
      parameters:
        - $ref: '#/components/parameters/Version'
      responses:
        '204': {description: ok}
components:
  parameters:
    Version: {name: anthropic-version, in: header, schema: {type: string, default: '2023-06-01'}}
",
    );
    assert_eq!(
        api.client.default_headers,
        [("anthropic-version".to_owned(), "2023-06-01".to_owned())]
    );
    let p = &api.operations[0].params[0];
    assert_eq!(p.wire, "anthropic-version");
    assert_eq!(p.name, "anthropic_version");
    assert_eq!(p.location, ir::ParamLocation::Header);
    assert_eq!(p.default.as_deref(), Some("2023-06-01"));
}

#[test]
fn tag_groups_operations_and_strips_the_tag_prefix_from_the_method() {
    let api = lower(
        "tags:
  - {name: completions, description: Text completions.}
paths:
  /v1/complete:
    post:
      tags: [completions]
      operationId: completions_create
      responses:
        '204': {description: ok}
",
    );
    assert_eq!(api.groups.len(), 1);
    let g = &api.groups[0];
    assert_eq!(g.tag, "completions");
    assert_eq!(g.method, "completions");
    assert_eq!(g.type_name, "CompletionsApi");
    assert_eq!(g.doc.as_deref(), Some("Text completions."));
    let op = &api.operations[0];
    assert_eq!(op.group, Some(0));
    assert_eq!(op.method, "create");
    assert_eq!(op.id, "completions_create");
    assert_eq!(op.http_method, "POST");
    assert_eq!(op.path, "/v1/complete");
}

#[test]
fn camel_case_operation_id_is_snake_cased_and_the_tag_prefix_stripped() {
    let api = lower(
        "paths:
  /m:
    get:
      tags: [Messages]
      operationId: messagesList
      responses:
        '204': {description: ok}
  /n:
    get:
      operationId: getNothing
      responses:
        '204': {description: ok}
",
    );
    assert_eq!(api.operations[0].method, "list");
    assert_eq!(api.operations[0].group, Some(0));
    assert_eq!(api.groups[0].method, "messages");
    assert_eq!(api.operations[1].method, "get_nothing");
    assert_eq!(api.operations[1].group, None);
}

#[test]
fn operations_in_first_use_tag_order_get_separate_groups() {
    let api = lower(
        "paths:
  /a:
    get: {tags: [beta], operationId: beta_list, responses: {'204': {description: ok}}}
  /b:
    get: {tags: [alpha], operationId: alpha_list, responses: {'204': {description: ok}}}
  /c:
    post: {tags: [beta], operationId: beta_create, responses: {'204': {description: ok}}}
",
    );
    let tags: Vec<&str> = api.groups.iter().map(|g| g.tag.as_str()).collect();
    assert_eq!(tags, ["beta", "alpha"]);
    let ops: Vec<(Option<usize>, &str)> = api
        .operations
        .iter()
        .map(|o| (o.group, o.method.as_str()))
        .collect();
    assert_eq!(
        ops,
        [(Some(0), "list"), (Some(1), "list"), (Some(0), "create")]
    );
}

#[test]
fn api_key_header_and_http_bearer_schemes_become_api_key_and_auth_token() {
    let api = lower(
        "security:
  - ApiKeyAuth: []
  - BearerAuth: []
paths: {}
components:
  securitySchemes:
    ApiKeyAuth: {type: apiKey, in: header, name: x-api-key}
    BearerAuth: {type: http, scheme: bearer}
",
    );
    let auth: Vec<(&str, &str, &AuthLocation)> = api
        .client
        .auth
        .iter()
        .map(|a| (a.scheme.as_str(), a.method.as_str(), &a.location))
        .collect();
    assert_eq!(
        auth,
        [
            (
                "ApiKeyAuth",
                "api_key",
                &AuthLocation::Header {
                    name: "x-api-key".into(),
                    prefix: String::new()
                }
            ),
            (
                "BearerAuth",
                "auth_token",
                &AuthLocation::Header {
                    name: "Authorization".into(),
                    prefix: "Bearer ".into()
                }
            ),
        ]
    );
    assert!(api.client.auth_required);
}

#[test]
fn no_top_level_security_means_auth_is_optional() {
    let api = lower(
        "paths: {}
components:
  securitySchemes:
    ApiKeyAuth: {type: apiKey, in: header, name: x-api-key}
",
    );
    assert_eq!(api.client.auth.len(), 1);
    assert!(!api.client.auth_required);
}

#[test]
fn first_server_url_with_variables_is_the_default_base_url() {
    let api = lower(
        "servers:
  - url: https://{region}.example.com/v{major}
    variables:
      region: {default: eu}
      major: {default: 2}
  - url: https://other.example.com
paths: {}
",
    );
    assert_eq!(api.client.default_base_url, "https://eu.example.com/v2");
}

#[test]
fn json_request_and_response_bodies_are_typed() {
    let api = lower(
        "paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '201':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing: {type: object, properties: {x: {type: string}}}
",
    );
    let op = &api.operations[0];
    let thing = id_of(&api, "Thing");
    let body = op.body.as_ref().unwrap();
    assert_eq!(body.kind, ir::BodyKind::Json);
    assert_eq!(body.ty, TypeRef::Named(thing));
    assert!(body.required);
    assert_eq!(op.response, ir::ResponseKind::Json(TypeRef::Named(thing)));
}

#[test]
fn path_parameters_come_first_in_template_order() {
    let api = lower(
        "paths:
  /orgs/{org}/repos/{repo}:
    get:
      parameters:
        - {name: page, in: query, schema: {type: integer}}
        - {name: repo, in: path, required: true, schema: {type: string}}
        - {name: org, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: ok}
",
    );
    let params: Vec<&str> = api.operations[0]
        .params
        .iter()
        .map(|p| p.wire.as_str())
        .collect();
    assert_eq!(params, ["org", "repo", "page"]);
}

#[test]
fn x_forge_stream_gives_the_operation_a_stream() {
    let api = lower(
        "paths:
  /complete:
    post:
      operationId: complete
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
            text/event-stream:
              schema: {type: string}
              x-forge-stream:
                toggle: stream
                events:
                  completion: {action: yield, schema: {$ref: '#/components/schemas/Item'}}
                  ping: {action: skip}
                  error: {action: error}
components:
  schemas:
    Item: {type: object, properties: {x: {type: string}}}
",
    );
    let stream = api.operations[0].stream.as_ref().expect("a stream");
    assert_eq!(stream.item, TypeRef::Named(id_of(&api, "Item")));
    assert_eq!(stream.toggle.as_deref(), Some("stream"));
    assert_eq!(
        stream.events,
        [
            ("completion".to_owned(), ir::StreamAction::Yield),
            ("ping".to_owned(), ir::StreamAction::Skip),
            ("error".to_owned(), ir::StreamAction::Error),
        ]
    );
    assert_eq!(stream.otherwise, ir::StreamAction::Skip);
    assert!(!stream.only);
}

#[test]
fn x_forge_error_envelope_names_the_field_paths() {
    let api = lower_schemas(
        "    Failure:
      type: object
      x-forge-error-envelope: {type: /error/type, message: /error/message, request_id: /request_id}
      properties:
        error:
          type: object
          properties:
            type: {type: string}
            message: {type: string}
        request_id: {type: [string, 'null']}
",
    );
    let env = api.error_envelope.as_ref().expect("an envelope");
    assert_eq!(env.ty, id_of(&api, "Failure"));
    let path = |p: &Option<(Vec<String>, TypeRef)>| p.as_ref().map(|(path, _)| path.join("."));
    assert_eq!(path(&env.error_type).as_deref(), Some("error.type"));
    assert_eq!(path(&env.message).as_deref(), Some("error.message"));
    assert_eq!(path(&env.request_id).as_deref(), Some("request_id"));
}

// ---------------------------------------------------------------------------------------------
// Emitted names: what lowering names must stay unique once emitted (checked by parsing the output)
// ---------------------------------------------------------------------------------------------

/// Generates a 3.1 document made of these component schemas and returns `src/types.rs`.
fn emitted_types(yaml_schemas: &str) -> String {
    let text = format!(
        "openapi: 3.1.0\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{yaml_schemas}"
    );
    let g = codegen::generate(&Input {
        spec_name: FILE,
        spec_text: &text,
        settings: Settings::for_crate("t"),
        lenient: false,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    g.files
        .into_iter()
        .find(|f| f.path == "src/types.rs")
        .expect("src/types.rs")
        .contents
}

/// Names defined twice in one namespace of a generated file: top-level items, struct fields, enum
/// variants, and the associated items of all inherent impls of one type. rustc rejects each.
fn duplicate_names(source: &str) -> Vec<String> {
    use std::collections::{BTreeMap, HashSet};
    let file =
        syn::parse_file(source).unwrap_or_else(|e| panic!("generated code does not parse: {e}"));
    let mut dups = Vec::new();
    let mut check = |scope: &str, names: Vec<String>| {
        let mut seen = HashSet::new();
        for n in names {
            if !seen.insert(n.clone()) {
                dups.push(format!("{scope}::{n}"));
            }
        }
    };
    let mut top = Vec::new();
    let mut inherent: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => {
                top.push(s.ident.to_string());
                let fields = s
                    .fields
                    .iter()
                    .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
                    .collect();
                check(&s.ident.to_string(), fields);
            }
            syn::Item::Enum(e) => {
                top.push(e.ident.to_string());
                check(
                    &e.ident.to_string(),
                    e.variants.iter().map(|v| v.ident.to_string()).collect(),
                );
            }
            syn::Item::Type(t) => top.push(t.ident.to_string()),
            syn::Item::Impl(i) if i.trait_.is_none() => {
                let self_ty = quote::ToTokens::to_token_stream(&i.self_ty).to_string();
                let names = inherent.entry(self_ty).or_default();
                for it in &i.items {
                    match it {
                        syn::ImplItem::Fn(f) => names.push(f.sig.ident.to_string()),
                        syn::ImplItem::Const(c) => names.push(c.ident.to_string()),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    check("crate", top);
    for (ty, names) in inherent {
        check(&ty, names);
    }
    dups
}

#[test]
fn keyword_and_colliding_names_emit_without_duplicates() {
    let src = emitted_types(
        "    Weird:
      type: object
      required: [type, self]
      properties:
        type: {type: string}
        self: {type: string}
        super: {type: string}
        Self: {type: string}
        '': {type: string}
        _: {type: string}
        '123': {type: string}
        fn: {type: string}
        extra: {type: string}
        fooBar: {type: string}
        foo_bar: {type: string}
        new: {type: string}
        validate: {type: string}
        next: {$ref: '#/components/schemas/Weird'}
        e: {type: string, enum: ['', '+1', '-1', a-b, a_b, Self, Other]}
        o: {anyOf: [{type: string}, {const: ''}, {const: '+1'}, {const: a-b}, {const: a.b}, {const: Other}]}
    type: {type: object, properties: {a: {type: string}}}
    Self: {type: string}
    Option: {type: object, properties: {some: {type: string}}}
",
    );
    assert_eq!(duplicate_names(&src), Vec::<String>::new());
}

#[test]
fn open_enum_value_known_does_not_clash_with_the_known_list() {
    let src = emitted_types(
        "    Status:
      anyOf:
        - {type: string}
        - {const: known}
        - {const: unknown}
",
    );
    assert_eq!(duplicate_names(&src), Vec::<String>::new());
}

#[test]
fn null_setter_does_not_clash_with_a_field_named_like_it() {
    let src = emitted_types(
        "    A:
      type: object
      properties:
        a: {type: [string, 'null']}
        a_null: {type: string}
",
    );
    assert_eq!(duplicate_names(&src), Vec::<String>::new());
}

#[test]
fn renamed_new_setter_does_not_clash_with_a_field_named_with_new() {
    let src = emitted_types(
        "    A:
      type: object
      properties:
        new: {type: string}
        with_new: {type: string}
",
    );
    assert_eq!(duplicate_names(&src), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// The real spec
// ---------------------------------------------------------------------------------------------

fn real_input_text() -> (String, Settings) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let spec = std::fs::read_to_string(root.join("anthropic-completions.yaml")).unwrap();
    let settings_text = std::fs::read_to_string(root.join("forge.yaml")).unwrap();
    let settings =
        Settings::from_text("spec/forge.yaml", &settings_text).unwrap_or_else(|e| panic!("{e}"));
    (spec, settings)
}

#[test]
fn generating_the_real_spec_twice_gives_byte_identical_files() {
    let (spec, settings) = real_input_text();
    let run = || {
        codegen::generate(&Input {
            spec_name: "spec/anthropic-completions.yaml",
            spec_text: &spec,
            settings: settings.clone(),
            lenient: false,
        })
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let (a, b) = (run(), run());
    assert!(!a.files.is_empty());
    assert_eq!(a.files, b.files);
    assert_eq!(a.stats, b.stats);
    let paths: Vec<&str> = a.files.iter().map(|f| f.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted, "files are sorted by path");
}

#[test]
fn real_spec_emits_no_duplicate_names() {
    let (spec, settings) = real_input_text();
    let g = codegen::generate(&Input {
        spec_name: "spec/anthropic-completions.yaml",
        spec_text: &spec,
        settings,
        lenient: false,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    for f in &g.files {
        assert_eq!(
            duplicate_names(&f.contents),
            Vec::<String>::new(),
            "{}",
            f.path
        );
    }
}

#[test]
fn real_spec_lowers_to_the_reference_client_facts() {
    let (spec, settings) = real_input_text();
    let raw = codegen::parse::load("spec/anthropic-completions.yaml", &spec).unwrap();
    let doc = Document::from_value("spec/anthropic-completions.yaml", &raw).unwrap();
    let api = ir::lower(
        "spec/anthropic-completions.yaml",
        &doc,
        &raw,
        &settings,
        false,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(api.crate_name, "anthropic-completions");
    assert_eq!(api.client.default_base_url, "https://api.anthropic.com");
    assert_eq!(
        api.client.default_headers,
        [("anthropic-version".to_owned(), "2023-06-01".to_owned())]
    );
    let methods: Vec<(&str, Option<&str>)> = api
        .client
        .auth
        .iter()
        .map(|a| (a.method.as_str(), a.env.as_deref()))
        .collect();
    assert_eq!(
        methods,
        [
            ("api_key", Some("ANTHROPIC_API_KEY")),
            ("auth_token", Some("ANTHROPIC_AUTH_TOKEN"))
        ]
    );
    assert_eq!(
        api.client.retry_count_header.as_deref(),
        Some("x-stainless-retry-count")
    );
    assert_eq!(api.client.request_id_header.as_deref(), Some("request-id"));
    assert_eq!(api.groups.len(), 1);
    assert_eq!(api.groups[0].method, "completions");
    assert_eq!(api.operations.len(), 1);
    assert_eq!(api.operations[0].method, "create");
    let TypeKind::OpenEnum(models) = &ty(&api, "Model").kind else {
        panic!()
    };
    assert_eq!(models.len(), 20);
    assert!(api.warnings.is_empty(), "{:?}", api.warnings);
}
