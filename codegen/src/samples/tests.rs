use serde_json::{json, Value};

use super::*;
use crate::openapi::Document;

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
            examples:
              rex: {value: {name: rex, kind: dog}}
          application/xml:
            schema: {$ref: "#/components/schemas/Pet"}
            example: "<pet><name>rex</name></pet>"
      responses:
        "200": {description: ok}
components:
  schemas:
    Pet:
      type: object
      required: [name, kind]
      example: {name: tom, kind: cat}
      properties:
        id: {type: string, format: uuid, readOnly: true}
        name: {type: string, minLength: 2, maxLength: 8}
        kind: {type: string, enum: [cat, dog]}
        age: {type: integer, minimum: 0, maximum: 30, nullable: true}
        tags: {type: array, items: {type: string}, minItems: 1, maxItems: 2}
    Shape:
      oneOf:
        - {$ref: "#/components/schemas/Circle"}
        - {$ref: "#/components/schemas/Square"}
      discriminator: {propertyName: kind}
    Circle:
      type: object
      required: [kind, r]
      properties: {kind: {type: string}, r: {type: number, exclusiveMinimum: true, minimum: 0}}
    Square:
      type: object
      required: [kind, side]
      properties: {kind: {type: string}, side: {type: integer, multipleOf: 3}}
    Node:
      type: object
      required: [next]
      properties: {next: {$ref: "#/components/schemas/Node"}}
    Tree:
      type: object
      properties: {children: {type: array, items: {$ref: "#/components/schemas/Tree"}}}
    Code:
      type: string
      pattern: "(?=x)y"
    Identification:
      type: object
      minProperties: 1
      properties: {user: {type: string}, account: {type: string}}
    Severity: {type: string, enum: [10, 20, 30]}
    RealtimeItem:
      anyOf:
        - {$ref: "#/components/schemas/SystemItem"}
      discriminator: {propertyName: type}
    SystemItem:
      type: object
      required: [type]
      properties: {type: {type: string, enum: [message]}}
    ScreenTypes:
      type: object
      additionalProperties: false
      required: [defaultScreen]
      properties: {default: {type: integer}}
    Bounded:
      type: object
      maxProperties: 2
      required: [a]
      properties: {a: {type: integer}, b: {type: integer}, c: {type: integer}, d: {type: integer}}
      additionalProperties: {type: string}
    Command:
      items: {type: string}
      oneOf:
        - {type: array, items: {}}
        - {type: string}
    FileSearch:
      type: object
      properties:
        ids: {type: array, items: {type: string}}
        stores: {type: array, items: {type: integer}}
      oneOf:
        - {required: [ids]}
        - {required: [stores]}
    ImageRef:
      type: object
      properties: {url: {type: string}, file: {type: string}}
      anyOf:
        - {required: [url]}
        - {required: [file]}
      not: {required: [url, file]}
    Reference:
      type: object
      required: [id]
      properties:
        id: {type: string}
        type:
          anyOf:
            - {type: string, enum: [reference]}
            - {type: "null"}
    Inner:
      oneOf:
        - {$ref: "#/components/schemas/SystemItem"}
    Input:
      oneOf:
        - {$ref: "#/components/schemas/Inner"}
        - {$ref: "#/components/schemas/Reference"}
      discriminator: {propertyName: type}
    Action:
      type: object
      properties: {action: {type: string, enum: []}}
    Limit: {type: number, format: int32, minimum: 0, maximum: 1000}
    Metadata:
      oneOf:
        - {type: string}
        - {type: boolean}
        - {type: string, format: datetime}
    Twins:
      oneOf:
        - type: object
          required: [returns]
          properties: {returns: {type: array, items: {type: number}}, rate: {type: number}}
        - type: object
          required: [returns]
          properties: {returns: {type: array, items: {type: number}}, series: {type: array, items: {type: number}}}
    Apart:
      oneOf:
        - {type: object, required: [a], properties: {a: {type: string}}}
        - {type: object, required: [b], properties: {b: {type: string}}}
    Closed:
      additionalProperties: false
      oneOf:
        - {type: object, required: [a], properties: {a: {type: string}}}
"##;

fn with_generator(seed: u64, f: impl FnOnce(&Generator<'_>)) {
    let raw = crate::parse::load("t.yaml", SPEC).unwrap();
    let doc = Document::from_value("t.yaml", &raw).unwrap();
    let resolver = Resolver::new("t.yaml", &doc, &raw);
    f(&Generator::new(resolver, seed));
}

fn schema_ptr(name: &str) -> Pointer {
    Pointer::root()
        .join("components")
        .join("schemas")
        .join(name)
}

#[test]
fn examples_come_first_then_generated_values_within_the_schema() {
    with_generator(1, |g| {
        let s = g.samples(&schema_ptr("Pet"), Direction::Any);
        assert_eq!(s.samples[0].value, json!({"name": "tom", "kind": "cat"}));
        assert_eq!(s.samples[1].value, json!({"name": "rex", "kind": "dog"}));
        assert!(
            s.samples[1].source.contains("examples/rex/value"),
            "{}",
            s.samples[1].source
        );
        assert!(s.samples.len() >= 5, "{:?}", s.samples);
        assert!(
            s.samples.iter().all(|x| x.value.is_object()),
            "XML examples are not JSON samples"
        );
        for sample in &s.samples[2..] {
            let v = &sample.value;
            let name = v["name"].as_str().unwrap();
            assert!((2..=8).contains(&name.len()), "{v}");
            assert!(["cat", "dog"].contains(&v["kind"].as_str().unwrap()));
            if let Some(age) = v.get("age").and_then(Value::as_i64) {
                assert!((0..=30).contains(&age));
            }
            if let Some(tags) = v.get("tags") {
                let n = tags.as_array().unwrap().len();
                assert!((1..=2).contains(&n), "{v}");
            }
        }
        // Plan::All first: every optional property present; Plan::Required: none.
        assert!(s.samples[2].value.get("tags").is_some());
        assert!(s.samples[3].value.get("tags").is_none());
    });
}

#[test]
fn same_seed_same_samples_other_seed_other_samples() {
    let mut runs = Vec::new();
    for seed in [5, 5, 6] {
        with_generator(seed, |g| {
            runs.push(g.samples(&schema_ptr("Pet"), Direction::Any))
        });
    }
    assert_eq!(runs[0], runs[1]);
    assert_ne!(runs[0].samples[2..], runs[2].samples[2..]);
}

#[test]
fn read_only_properties_stay_out_of_requests() {
    with_generator(2, |g| {
        let any = g.samples(&schema_ptr("Pet"), Direction::Any);
        assert!(any.samples.iter().any(|s| s.value.get("id").is_some()));
        let req = g.samples(&schema_ptr("Pet"), Direction::Request);
        assert!(req
            .samples
            .iter()
            .skip(2)
            .all(|s| s.value.get("id").is_none()));
    });
}

#[test]
fn min_properties_brings_optional_properties_in() {
    with_generator(3, |g| {
        let all = g.samples(&schema_ptr("Identification"), Direction::Request);
        assert!(!all.samples.is_empty());
        for s in &all.samples {
            assert!(!s.value.as_object().unwrap().is_empty(), "{}", s.value);
        }
    });
}

#[test]
fn each_union_branch_in_turn_with_its_discriminator_tag() {
    with_generator(3, |g| {
        let s = g.samples(&schema_ptr("Shape"), Direction::Any);
        let kinds: Vec<&str> = s
            .samples
            .iter()
            .map(|s| s.value["kind"].as_str().unwrap())
            .collect();
        assert!(
            kinds.contains(&"Circle") && kinds.contains(&"Square"),
            "{kinds:?}"
        );
        for sample in &s.samples {
            match sample.value["kind"].as_str().unwrap() {
                "Circle" => assert!(sample.value["r"].as_f64().unwrap() > 0.0),
                _ => assert_eq!(sample.value["side"].as_i64().unwrap() % 3, 0),
            }
        }
    });
}

#[test]
fn a_branch_that_fixes_its_tag_keeps_it_over_the_implicit_mapping() {
    with_generator(3, |g| {
        let s = g.samples(&schema_ptr("RealtimeItem"), Direction::Any);
        assert!(!s.samples.is_empty());
        for sample in &s.samples {
            assert_eq!(sample.value["type"], "message", "{}", sample.value);
        }
    });
}

#[test]
fn recursion_is_bounded() {
    with_generator(4, |g| {
        let tree = g.samples(&schema_ptr("Tree"), Direction::Any);
        assert!(tree.samples.len() >= 2);
        let node = g.samples(&schema_ptr("Node"), Direction::Any);
        assert!(node.samples.is_empty());
        assert!(node.skipped[0].contains("recursion"), "{:?}", node.skipped);
    });
}

/// The schema named `name` gets no sample, and the reason given contains `why`.
fn assert_unmade(name: &str, why: &str) {
    with_generator(5, |g| {
        let s = g.samples(&schema_ptr(name), Direction::Any);
        assert!(s.samples.is_empty());
        assert!(s.skipped[0].contains(why), "{:?}", s.skipped);
    });
}

#[test]
fn unsatisfiable_patterns_are_reported_not_faked() {
    assert_unmade("Code", "pattern");
}

#[test]
fn a_required_key_that_extra_keys_may_not_be_is_reported_not_faked() {
    assert_unmade("ScreenTypes", "admits no value");
}

#[test]
fn one_of_request_branches_alike_but_for_an_optional_key_are_reported_not_faked() {
    // portfoliooptimizer's alpha body: every value of one branch matches the other too.
    with_generator(5, |g| {
        let request = g.samples(&schema_ptr("Twins"), Direction::Request);
        assert!(request.samples.is_empty());
        assert!(
            request.skipped[0].contains("overlap"),
            "{:?}",
            request.skipped
        );
        assert!(!g
            .samples(&schema_ptr("Twins"), Direction::Any)
            .samples
            .is_empty());
    });
}

#[test]
fn one_of_branches_apart_by_a_required_key_are_both_made() {
    with_generator(1, |g| {
        let all = g.samples(&schema_ptr("Apart"), Direction::Any);
        assert!(all.samples.iter().any(|s| s.value.get("a").is_some()));
        assert!(all.samples.iter().any(|s| s.value.get("b").is_some()));
    });
}

#[test]
fn a_union_whose_siblings_forbid_every_key_is_reported_not_faked() {
    assert_unmade("Closed", "admits no value");
}

#[test]
fn an_enum_whose_values_break_its_type_is_reported_not_faked() {
    assert_unmade("Severity", "admits no value");
}

#[test]
fn nulls_appear_where_nullable() {
    with_generator(6, |g| {
        let schema: Schema = serde_json::from_value(json!({
            "type": "array", "minItems": 3, "maxItems": 3,
            "items": {"type": "integer", "nullable": true}
        }))
        .unwrap();
        let mut nulls = 0;
        for k in 0..40 {
            let v = g
                .one(
                    &schema,
                    &Pointer::root(),
                    "k",
                    k,
                    Direction::Any,
                    Plan::Random,
                )
                .unwrap()
                .value;
            nulls += v.as_array().unwrap().iter().filter(|x| x.is_null()).count();
        }
        assert!(nulls > 0);
    });
}

#[test]
fn a_null_branch_is_null_not_any_value() {
    with_generator(7, |g| {
        let schema: Schema = serde_json::from_value(json!({
            "anyOf": [{"type": "string"}, {"type": "null"}]
        }))
        .unwrap();
        for k in 0..20 {
            let v = g
                .one(
                    &schema,
                    &Pointer::root(),
                    "k",
                    k,
                    Direction::Any,
                    Plan::Random,
                )
                .unwrap()
                .value;
            assert!(v.is_string() || v.is_null(), "{v}");
        }
    });
}

#[test]
fn a_named_union_with_a_nullable_branch_is_never_null_itself() {
    // OpenAI's `stop`: `oneOf: [{type: string, nullable: true}, {type: array}]`. The field that
    // refers to it is the `Option`; the union's own samples must decode into the union.
    with_generator(1, |g| {
        let union = json!({"oneOf": [
            {"type": "string", "nullable": true},
            {"type": "array", "items": {"type": "string"}, "minItems": 1}
        ]});
        let named: Schema = serde_json::from_value(union.clone()).unwrap();
        let field: Schema = serde_json::from_value(json!({
            "type": "array", "minItems": 3, "maxItems": 3, "items": union
        }))
        .unwrap();
        let mut nulls_in_fields = 0;
        for k in 0..40 {
            let one = |s: &Schema| {
                g.one(s, &Pointer::root(), "k", k, Direction::Any, Plan::Random)
                    .unwrap()
                    .value
            };
            let v = one(&named);
            assert!(v.is_string() || v.is_array(), "{v}");
            let items = one(&field);
            nulls_in_fields += items
                .as_array()
                .unwrap()
                .iter()
                .filter(|x| x.is_null())
                .count();
        }
        assert!(
            nulls_in_fields > 0,
            "a place that refers to it may still be null"
        );
    });
}

#[test]
fn max_properties_caps_the_optional_properties_and_extra_keys() {
    with_generator(4, |g| {
        let all = g.samples(&schema_ptr("Bounded"), Direction::Any);
        assert!(!all.samples.is_empty());
        for s in &all.samples {
            let keys = s.value.as_object().unwrap();
            assert!(keys.len() <= 2 && keys.contains_key("a"), "{}", s.value);
        }
    });
}

#[test]
fn keywords_beside_a_union_shape_each_branch() {
    with_generator(1, |g| {
        for s in &g.samples(&schema_ptr("Command"), Direction::Any).samples {
            if let Some(items) = s.value.as_array() {
                assert!(items.iter().all(Value::is_string), "{}", s.value);
            }
        }
    });
}

#[test]
fn a_branch_that_only_requires_a_key_makes_it_by_its_property() {
    with_generator(2, |g| {
        let all = g.samples(&schema_ptr("FileSearch"), Direction::Any);
        assert!(!all.samples.is_empty());
        for s in &all.samples {
            let v = &s.value;
            // Exactly one branch of the `oneOf`, each key shaped by its property.
            assert!(v.get("ids").is_some() != v.get("stores").is_some(), "{v}");
            assert!(v.get("ids").is_none_or(Value::is_array), "{v}");
            assert!(v.get("stores").is_none_or(Value::is_array), "{v}");
        }
    });
}

#[test]
fn not_required_leaves_one_of_the_keys_out() {
    with_generator(3, |g| {
        for s in &g.samples(&schema_ptr("ImageRef"), Direction::Any).samples {
            let v = &s.value;
            assert!(!(v.get("url").is_some() && v.get("file").is_some()), "{v}");
        }
    });
}

#[test]
fn a_branch_tag_is_seen_through_a_nullable_any_of_and_a_nested_union() {
    with_generator(1, |g| {
        let tags: Vec<Value> = g
            .samples(&schema_ptr("Input"), Direction::Any)
            .samples
            .iter()
            .map(|s| s.value["type"].clone())
            .collect();
        assert!(!tags.is_empty());
        for tag in &tags {
            assert!(
                [json!("message"), json!("reference"), Value::Null].contains(tag),
                "{tags:?}"
            );
        }
    });
}

#[test]
fn an_empty_enum_admits_no_value_so_its_optional_property_is_left_out() {
    with_generator(1, |g| {
        for s in &g.samples(&schema_ptr("Action"), Direction::Any).samples {
            assert!(s.value.get("action").is_none(), "{}", s.value);
        }
    });
}

#[test]
fn a_number_of_an_integer_format_is_whole() {
    with_generator(2, |g| {
        for s in &g.samples(&schema_ptr("Limit"), Direction::Any).samples {
            let n = s.value.as_f64().unwrap();
            assert!(
                n.fract() == 0.0 && (0.0..=1000.0).contains(&n),
                "{}",
                s.value
            );
        }
    });
}

#[test]
fn a_one_of_scalar_avoids_a_value_two_branches_take() {
    // journy's metadata values: two string branches, so only a boolean matches exactly one.
    with_generator(1, |g| {
        let all = g.samples(&schema_ptr("Metadata"), Direction::Any);
        assert!(!all.samples.is_empty());
        assert!(
            all.samples.iter().all(|s| s.value.is_boolean()),
            "{:?}",
            all.samples
        );
    });
}
