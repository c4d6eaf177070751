//! The driver's plan (`codegen::driver::plan`): the arguments every operation is called with.

use codegen::driver::plan;
use codegen::openapi::{Document, Resolver};
use codegen::{ir, Settings};

const FILE: &str = "t.yaml";

fn plan_of(text: &str, seed: u64) -> plan::Plan {
    let text = format!("openapi: 3.1.0\ninfo: {{title: T, version: '1'}}\n{text}");
    let raw = codegen::parse::load(FILE, &text).unwrap_or_else(|e| panic!("{e}"));
    let doc = Document::from_value(FILE, &raw).unwrap_or_else(|e| panic!("{e}"));
    let api = ir::lower(FILE, &doc, &raw, &Settings::for_crate("t"), false)
        .unwrap_or_else(|e| panic!("{e}"));
    plan::plan(&api, &Resolver::new(FILE, &doc, &raw), seed)
}

#[test]
fn a_required_array_parameter_is_never_sent_empty() {
    // In `form` style an empty array is no query pair at all: the required parameter would be
    // missing (visagecloud's `attributes`). An optional one may still be empty.
    let spec = "paths:
  /a:
    get:
      operationId: a
      parameters:
        - {in: query, name: attributes, required: true, schema: {type: array, items: {type: string}}}
        - {in: query, name: ids, required: true, schema: {$ref: '#/components/schemas/Ids'}}
      responses:
        '204': {description: ok}
components:
  schemas:
    Ids: {type: array, items: {type: integer}}
";
    for seed in 0..40 {
        let plan = plan_of(spec, seed);
        for value in plan.operations[0].params.iter().flatten() {
            let items = value.as_array().map(Vec::len);
            assert!(items.is_some_and(|n| n > 0), "seed {seed}: {value}");
        }
    }
}

#[test]
fn a_required_array_property_of_a_form_body_is_never_empty() {
    // An empty array is no field of a form body at all (mercure's required `topic`).
    let spec = "paths:
  /a:
    post:
      operationId: a
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [topic, data]
              properties:
                topic: {type: array, items: {type: string}}
                data: {type: string}
      responses:
        '204': {description: ok}
";
    for seed in 0..40 {
        let plan = plan_of(spec, seed);
        let body = plan.operations[0].body.as_ref().expect("a body");
        let topics = body["topic"].as_array().map(Vec::len);
        assert!(topics.is_some_and(|n| n > 0), "seed {seed}: {body}");
    }
}
