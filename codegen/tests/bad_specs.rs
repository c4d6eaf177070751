//! Bad input: every refusal names the file, the place (JSON pointer, or line for text that does
//! not parse) and the reason, and nothing panics or overflows the stack.

use std::time::{Duration, Instant};

use codegen::error::Location;
use codegen::{ErrorKind, Input, Settings};

const FILE: &str = "bad.yaml";

/// A valid header for specs whose trouble is further down.
const HEAD: &str = "openapi: 3.1.0\ninfo: {title: Bad, version: '1'}\n";

fn generate(spec_text: &str) -> Result<codegen::Generated, codegen::Error> {
    codegen::generate(&Input {
        spec_name: FILE,
        spec_text,
        settings: Settings::for_crate("bad"),
        lenient: false,
        overlays: Vec::new(),
        modules: Vec::new(),
        runtime: codegen::RuntimeMode::Crate,
    })
}

/// Generates `spec_text`, expecting a refusal from `bad.yaml`.
fn refuse(spec_text: &str) -> codegen::Error {
    match generate(spec_text) {
        Ok(g) => panic!(
            "expected an error, generated {} files; warnings: {:?}",
            g.files.len(),
            g.warnings
        ),
        Err(e) => {
            assert_eq!(e.file, FILE, "{e}");
            assert!(e.to_string().starts_with("bad.yaml: "), "{e}");
            e
        }
    }
}

fn pointer(e: &codegen::Error) -> &str {
    match &e.location {
        Location::Pointer(p) => p,
        other => panic!("expected a JSON pointer, got {other:?} in {e}"),
    }
}

fn line(e: &codegen::Error) -> usize {
    match &e.location {
        Location::Line { line, .. } => *line,
        other => panic!("expected a line, got {other:?} in {e}"),
    }
}

fn schemas(yaml_schemas: &str) -> String {
    format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n{yaml_schemas}")
}

// ---------------------------------------------------------------------------------------------
// Text that does not parse
// ---------------------------------------------------------------------------------------------

#[test]
fn malformed_yaml_reports_the_line() {
    let e = refuse("openapi: 3.1.0\ninfo:\n  title: a: b\n");
    assert!(
        matches!(e.kind, ErrorKind::Syntax { format: "YAML", .. }),
        "{e}"
    );
    assert_eq!(line(&e), 3, "{e}");
    let text = e.to_string();
    assert!(text.contains("line 3"), "{text}");
    assert!(text.contains("malformed YAML"), "{text}");
}

#[test]
fn unclosed_yaml_flow_collection_reports_a_line() {
    let e = refuse("openapi: 3.1.0\ninfo: {title: x\npaths: {}\n");
    assert!(
        matches!(e.kind, ErrorKind::Syntax { format: "YAML", .. }),
        "{e}"
    );
    assert!(line(&e) >= 2, "{e}");
}

#[test]
fn duplicate_yaml_key_is_a_syntax_error_with_its_line() {
    let e = refuse("openapi: 3.1.0\ninfo: {title: x}\npaths: {}\npaths: {}\n");
    assert!(
        matches!(e.kind, ErrorKind::Syntax { format: "YAML", .. }),
        "{e}"
    );
    assert!(e.to_string().contains("duplicate key `paths`"), "{e}");
    assert_eq!(line(&e), 4, "{e}");
}

#[test]
fn malformed_json_reports_line_and_column() {
    let e = refuse("{\n  \"openapi\": \"3.1.0\",\n  \"info\": ,\n}");
    assert!(
        matches!(e.kind, ErrorKind::Syntax { format: "JSON", .. }),
        "{e}"
    );
    assert_eq!(
        e.location,
        Location::Line {
            line: 3,
            column: 11
        },
        "{e}"
    );
    let text = e.to_string();
    assert!(text.contains("malformed JSON"), "{text}");
    assert!(text.contains("line 3, column 11"), "{text}");
}

#[test]
fn truncated_json_is_a_syntax_error() {
    let e = refuse("{\"openapi\": \"3.1.0\", \"info\": {\"title\": ");
    assert!(
        matches!(e.kind, ErrorKind::Syntax { format: "JSON", .. }),
        "{e}"
    );
    assert!(matches!(e.location, Location::Line { line: 1, .. }), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Not an OpenAPI 3 document
// ---------------------------------------------------------------------------------------------

#[test]
fn yaml_list_is_not_an_object() {
    let e = refuse("- openapi\n- 3.1.0\n");
    assert!(matches!(e.kind, ErrorKind::NotOpenApi(_)), "{e}");
    assert_eq!(pointer(&e), "#");
    assert!(e.to_string().contains("not an object"), "{e}");
}

#[test]
fn json_scalar_and_array_are_not_objects() {
    for text in ["[1, 2]", "\"openapi\"", "42"] {
        let e = refuse(text);
        assert!(matches!(e.kind, ErrorKind::NotOpenApi(_)), "{text}: {e}");
        assert_eq!(pointer(&e), "#", "{text}");
    }
}

#[test]
fn empty_text_is_not_an_object() {
    let e = refuse("");
    assert!(matches!(e.kind, ErrorKind::NotOpenApi(_)), "{e}");
    assert_eq!(pointer(&e), "#");
}

#[test]
fn swagger_2_is_refused_by_name() {
    let e = refuse("swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n");
    assert!(matches!(e.kind, ErrorKind::NotOpenApi(_)), "{e}");
    assert_eq!(pointer(&e), "#/swagger");
    assert!(e.to_string().contains("Swagger"), "{e}");
    assert!(e.to_string().contains("2.0"), "{e}");
}

#[test]
fn missing_openapi_field_is_refused() {
    let e = refuse("info: {title: x, version: '1'}\npaths: {}\n");
    assert!(matches!(e.kind, ErrorKind::NotOpenApi(_)), "{e}");
    assert_eq!(pointer(&e), "#");
    assert!(e.to_string().contains("openapi"), "{e}");
}

#[test]
fn openapi_version_4_is_refused_at_its_pointer() {
    let e = refuse("openapi: 4.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n");
    assert!(matches!(e.kind, ErrorKind::NotOpenApi(_)), "{e}");
    assert_eq!(pointer(&e), "#/openapi");
    assert!(e.to_string().contains("4.0.0"), "{e}");
}

#[test]
fn openapi_version_2_string_is_refused_at_its_pointer() {
    let e = refuse("{\"openapi\": \"2.0\", \"paths\": {}}");
    assert!(matches!(e.kind, ErrorKind::NotOpenApi(_)), "{e}");
    assert_eq!(pointer(&e), "#/openapi");
}

#[test]
fn openapi_version_written_as_a_yaml_number_is_refused_at_its_pointer() {
    // `openapi: 4.0` unquoted is a YAML float, not a string.
    let e = refuse("openapi: 4.0\ninfo: {title: x, version: '1'}\npaths: {}\n");
    assert!(matches!(e.kind, ErrorKind::NotOpenApi(_)), "{e}");
    assert_eq!(pointer(&e), "#/openapi", "{e}");
}

#[test]
fn wrong_shape_in_the_document_names_its_pointer() {
    let e = refuse(&format!("{HEAD}paths:\n  /a:\n    get:\n      tags: 5\n"));
    assert!(matches!(e.kind, ErrorKind::Invalid(_)), "{e}");
    assert_eq!(pointer(&e), "#/paths/~1a/get/tags");
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

#[test]
fn dangling_ref_in_a_property_names_the_ref_pointer() {
    let e = refuse(&schemas(
        "    A:\n      type: object\n      properties:\n        b:\n          $ref: '#/components/schemas/Nope'\n",
    ));
    assert!(
        matches!(&e.kind, ErrorKind::DanglingRef(r) if r == "#/components/schemas/Nope"),
        "{e}"
    );
    assert_eq!(pointer(&e), "#/components/schemas/A/properties/b/$ref");
    let text = e.to_string();
    assert!(
        text.contains("bad.yaml: #/components/schemas/A/properties/b/$ref: dangling $ref"),
        "{text}"
    );
}

#[test]
fn dangling_ref_outside_components_names_the_ref_pointer() {
    let e = refuse(&schemas(
        "    A:\n      type: object\n      properties:\n        b:\n          $ref: '#/definitions/B'\n",
    ));
    assert!(matches!(e.kind, ErrorKind::DanglingRef(_)), "{e}");
    assert_eq!(pointer(&e), "#/components/schemas/A/properties/b/$ref");
}

#[test]
fn external_ref_is_refused_with_its_pointer() {
    let e = refuse(&schemas(
        "    A:\n      type: object\n      properties:\n        b:\n          $ref: 'other.yaml#/X'\n",
    ));
    assert!(
        matches!(&e.kind, ErrorKind::ExternalRef(r) if r == "other.yaml#/X"),
        "{e}"
    );
    assert_eq!(pointer(&e), "#/components/schemas/A/properties/b/$ref");
    assert!(e.to_string().contains("other.yaml#/X"), "{e}");
}

#[test]
fn dangling_parameter_ref_names_the_ref_pointer() {
    let e = refuse(&format!(
        "{HEAD}paths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/Nope'\n      responses:\n        '204': {{description: ok}}\n"
    ));
    assert!(matches!(e.kind, ErrorKind::DanglingRef(_)), "{e}");
    assert_eq!(pointer(&e), "#/paths/~1a/get/parameters/0/$ref");
}

#[test]
fn ref_cycle_between_two_aliases_is_a_ref_cycle_error() {
    let e = refuse(&schemas(
        "    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n",
    ));
    assert!(matches!(e.kind, ErrorKind::RefCycle(_)), "{e}");
    let p = pointer(&e);
    assert!(
        p == "#/components/schemas/A" || p == "#/components/schemas/B",
        "{e}"
    );
    assert!(e.to_string().contains("$ref cycle"), "{e}");
}

#[test]
fn self_ref_is_a_ref_cycle_error() {
    let e = refuse(&schemas("    A:\n      $ref: '#/components/schemas/A'\n"));
    assert!(matches!(e.kind, ErrorKind::RefCycle(_)), "{e}");
    assert_eq!(pointer(&e), "#/components/schemas/A");
}

#[test]
fn ref_cycle_outside_components_is_a_ref_cycle_error() {
    let e = refuse(&format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/x-loop/a'\nx-loop:\n  a:\n    $ref: '#/x-loop/b'\n  b:\n    $ref: '#/x-loop/a'\n"
    ));
    assert!(matches!(e.kind, ErrorKind::RefCycle(_)), "{e}");
    // The place whose `$ref` closes the loop, in canonical form.
    assert!(["#/x-loop/a", "#/x-loop/b"].contains(&pointer(&e)), "{e}");
}

#[test]
fn ref_cycle_through_a_nullable_any_of_alias_is_a_ref_cycle_error() {
    // A = anyOf[B, null], B = A: `type A = Option<B>; type B = A;` would not compile.
    let e = refuse(&schemas(
        "    A:\n      anyOf:\n        - $ref: '#/components/schemas/B'\n        - type: 'null'\n    B:\n      $ref: '#/components/schemas/A'\n",
    ));
    assert!(matches!(e.kind, ErrorKind::RefCycle(_)), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Schemas and operations
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_type_name_is_refused_at_its_type_pointer() {
    let e = refuse(&schemas(
        "    A:\n      type: object\n      properties:\n        b:\n          type: strnig\n",
    ));
    assert!(
        matches!(&e.kind, ErrorKind::UnknownType(t) if t == "strnig"),
        "{e}"
    );
    assert_eq!(pointer(&e), "#/components/schemas/A/properties/b/type");
    assert!(e.to_string().contains("unknown type `strnig`"), "{e}");
}

#[test]
fn unknown_type_in_a_type_list_names_its_index() {
    let e = refuse(&schemas("    A:\n      type: [string, nul]\n"));
    assert!(
        matches!(&e.kind, ErrorKind::UnknownType(t) if t == "nul"),
        "{e}"
    );
    assert_eq!(pointer(&e), "#/components/schemas/A/type/1");
}

#[test]
fn duplicate_operation_ids_are_refused_at_the_second() {
    let e = refuse(&format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: listThings\n      responses:\n        '204': {{description: ok}}\n  /b:\n    get:\n      operationId: listThings\n      responses:\n        '204': {{description: ok}}\n"
    ));
    assert!(
        matches!(&e.kind, ErrorKind::DuplicateOperationId(id) if id == "listThings"),
        "{e}"
    );
    assert_eq!(pointer(&e), "#/paths/~1b/get/operationId");
    assert!(
        e.to_string().contains("duplicate operationId `listThings`"),
        "{e}"
    );
}

#[test]
fn undeclared_path_parameter_is_refused() {
    let e = refuse(&format!(
        "{HEAD}paths:\n  /things/{{thing_id}}:\n    get:\n      operationId: getThing\n      responses:\n        '204': {{description: ok}}\n"
    ));
    assert!(
        matches!(&e.kind, ErrorKind::UndeclaredPathParam(p) if p == "thing_id"),
        "{e}"
    );
    assert_eq!(pointer(&e), "#/paths/~1things~1{thing_id}/get");
    assert!(e.to_string().contains("`thing_id`"), "{e}");
}

#[test]
fn path_parameter_declared_only_in_the_query_is_still_undeclared() {
    let e = refuse(&format!(
        "{HEAD}paths:\n  /things/{{id}}:\n    get:\n      parameters:\n        - {{name: id, in: query, schema: {{type: string}}}}\n      responses:\n        '204': {{description: ok}}\n"
    ));
    assert!(
        matches!(&e.kind, ErrorKind::UndeclaredPathParam(p) if p == "id"),
        "{e}"
    );
}

#[test]
fn undeclared_path_parameter_is_skipped_with_a_warning_when_lenient() {
    let text = format!(
        "{HEAD}paths:\n  /things/{{thing_id}}:\n    get:\n      operationId: getThing\n      responses:\n        '204': {{description: ok}}\n  /ok:\n    get:\n      operationId: ok\n      responses:\n        '204': {{description: ok}}\n"
    );
    let g = codegen::generate(&Input {
        spec_name: FILE,
        spec_text: &text,
        settings: Settings::for_crate("bad"),
        lenient: true,
        overlays: Vec::new(),
        modules: Vec::new(),
        runtime: codegen::RuntimeMode::Crate,
    })
    .unwrap();
    assert_eq!(g.stats.operations, 1);
    assert!(
        g.warnings
            .iter()
            .any(|w| w.pointer == "#/paths/~1things~1{thing_id}/get"
                && w.message.contains("getThing")),
        "{:?}",
        g.warnings
    );
}

// ---------------------------------------------------------------------------------------------
// Lenient repairs: refused with the pointer and the reason, or repaired with a warning naming it
// ---------------------------------------------------------------------------------------------

fn generate_lenient(spec_text: &str) -> codegen::Generated {
    codegen::generate(&Input {
        spec_name: FILE,
        spec_text,
        settings: Settings::for_crate("bad"),
        lenient: true,
        overlays: Vec::new(),
        modules: Vec::new(),
        runtime: codegen::RuntimeMode::Crate,
    })
    .unwrap_or_else(|e| panic!("lenient generation refused it: {e}"))
}

/// The lenient reading's typed document and warnings, lowered, for checking what was repaired.
fn lower_lenient(spec_text: &str) -> (codegen::ir::Api, Vec<codegen::Diagnostic>) {
    let mut raw = codegen::parse::load(FILE, spec_text).unwrap_or_else(|e| panic!("{e}"));
    let (doc, repairs) =
        codegen::openapi::read_lenient(FILE, &mut raw).unwrap_or_else(|e| panic!("{e}"));
    let api = codegen::ir::lower(FILE, &doc, &raw, &Settings::for_crate("bad"), true)
        .unwrap_or_else(|e| panic!("{e}"));
    (api, repairs)
}

/// Asserts that exactly one warning names `pointer`, and returns its message.
fn warning_at(warnings: &[codegen::Diagnostic], pointer: &str) -> String {
    let found: Vec<&codegen::Diagnostic> =
        warnings.iter().filter(|w| w.pointer == pointer).collect();
    assert_eq!(found.len(), 1, "one warning at {pointer}: {warnings:?}");
    found[0].message.clone()
}

const WRONG_KEYWORD_TYPE: &str =
    "    A:\n      type: object\n      properties:\n        b: {type: string, pattern: 0, maxLength: 4}\n";

#[test]
fn a_keyword_of_the_wrong_json_type_is_refused_at_its_pointer() {
    let e = refuse(&schemas(WRONG_KEYWORD_TYPE));
    assert!(matches!(e.kind, ErrorKind::Invalid(_)), "{e}");
    assert_eq!(pointer(&e), "#/components/schemas/A/properties/b/pattern");
}

#[test]
fn a_keyword_of_the_wrong_json_type_is_dropped_with_a_warning_when_lenient() {
    let g = generate_lenient(&schemas(WRONG_KEYWORD_TYPE));
    let message = warning_at(&g.warnings, "#/components/schemas/A/properties/b/pattern");
    assert!(message.contains("`pattern` ignored"), "{message}");
    let (api, _) = lower_lenient(&schemas(WRONG_KEYWORD_TYPE));
    let a = api.types.iter().find(|t| t.name == "A").unwrap();
    let codegen::ir::TypeKind::Struct(s) = &a.kind else {
        panic!("{:?}", a.kind)
    };
    assert_eq!(
        s.fields[0].constraints.max_length,
        Some(4),
        "the rest of the schema stays"
    );
}

const ALL_OF_MAP: &str = "    A:\n      allOf:\n        first: {type: object, properties: {x: {type: string}}}\n        second: {type: object, properties: {y: {type: integer}}}\n";

#[test]
fn all_of_written_as_a_map_is_refused_at_its_pointer() {
    let e = refuse(&schemas(ALL_OF_MAP));
    assert!(matches!(e.kind, ErrorKind::Invalid(_)), "{e}");
    assert_eq!(pointer(&e), "#/components/schemas/A/allOf");
}

#[test]
fn all_of_written_as_a_map_is_read_as_the_list_of_its_values_when_lenient() {
    let (api, repairs) = lower_lenient(&schemas(ALL_OF_MAP));
    let message = warning_at(&repairs, "#/components/schemas/A/allOf");
    assert!(message.contains("list of its values"), "{message}");
    let a = api.types.iter().find(|t| t.name == "A").unwrap();
    let codegen::ir::TypeKind::Struct(s) = &a.kind else {
        panic!("{:?}", a.kind)
    };
    let wires: Vec<&str> = s.fields.iter().map(|f| f.wire.as_str()).collect();
    assert_eq!(wires, ["x", "y"]);
}

#[test]
fn one_of_written_as_a_map_is_read_as_a_list_when_lenient() {
    let text =
        schemas("    U:\n      oneOf:\n        s: {type: string}\n        n: {type: integer}\n");
    assert_eq!(pointer(&refuse(&text)), "#/components/schemas/U/oneOf");
    let (api, repairs) = lower_lenient(&text);
    warning_at(&repairs, "#/components/schemas/U/oneOf");
    let u = api.types.iter().find(|t| t.name == "U").unwrap();
    assert!(
        matches!(&u.kind, codegen::ir::TypeKind::Untagged(v) if v.len() == 2),
        "{:?}",
        u.kind
    );
}

const SWAGGER_REQUIRED: &str =
    "    A:\n      type: object\n      properties:\n        b: {type: string, required: true}\n";

#[test]
fn swagger_2_required_flag_on_a_schema_is_refused_at_its_pointer() {
    let e = refuse(&schemas(SWAGGER_REQUIRED));
    assert!(matches!(e.kind, ErrorKind::Invalid(_)), "{e}");
    assert_eq!(pointer(&e), "#/components/schemas/A/properties/b/required");
}

#[test]
fn swagger_2_required_flag_on_a_schema_is_dropped_with_a_warning_when_lenient() {
    let g = generate_lenient(&schemas(SWAGGER_REQUIRED));
    let message = warning_at(&g.warnings, "#/components/schemas/A/properties/b/required");
    assert!(message.contains("Swagger 2"), "{message}");
}

#[test]
fn every_repair_is_reported_once_each() {
    let text = schemas(&format!(
        "{WRONG_KEYWORD_TYPE}{}",
        ALL_OF_MAP.replace("    A:", "    M:")
    ));
    let g = generate_lenient(&text);
    warning_at(&g.warnings, "#/components/schemas/A/properties/b/pattern");
    warning_at(&g.warnings, "#/components/schemas/M/allOf");
}

#[test]
fn a_mistake_with_no_sensible_reading_is_refused_even_when_lenient() {
    let text = schemas("    A:\n      type: object\n      properties: [a, b]\n");
    let e = codegen::generate(&Input {
        spec_name: FILE,
        spec_text: &text,
        settings: Settings::for_crate("bad"),
        lenient: true,
        overlays: Vec::new(),
        modules: Vec::new(),
        runtime: codegen::RuntimeMode::Crate,
    })
    .unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Invalid(_)), "{e}");
    assert_eq!(pointer(&e), "#/components/schemas/A/properties");
}

const QUERY_TEMPLATE_IN_PATH: &str = "paths:
  /search?query={query}:
    get:
      operationId: search
      parameters:
        - {name: query, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: ok}
";

#[test]
fn a_query_template_in_the_path_key_is_refused_at_the_operation() {
    let e = refuse(&format!("{HEAD}{QUERY_TEMPLATE_IN_PATH}"));
    assert!(matches!(e.kind, ErrorKind::Unsupported(_)), "{e}");
    assert_eq!(pointer(&e), "#/paths/~1search?query={query}/get");
    assert!(e.to_string().contains("query"), "{e}");
}

#[test]
fn a_query_template_in_the_path_key_is_read_as_a_query_parameter_when_lenient() {
    let (api, _) = lower_lenient(&format!("{HEAD}{QUERY_TEMPLATE_IN_PATH}"));
    let message = warning_at(&api.warnings, "#/paths/~1search?query={query}/get");
    assert!(message.contains("`query`"), "{message}");
    let op = &api.operations[0];
    assert_eq!(op.params.len(), 1);
    let p = &op.params[0];
    assert_eq!(p.wire, "query");
    assert!(
        matches!(p.location, codegen::ir::ParamLocation::Query(_)),
        "{:?}",
        p.location
    );
    assert!(p.required);
    assert_eq!(
        op.path.segments,
        [codegen::ir::PathSegment::Literal("/search".into())]
    );
    assert!(
        op.path.query.is_empty(),
        "the template is not a constant pair"
    );
}

#[test]
fn constant_query_pairs_in_the_path_key_are_accepted_in_both_modes() {
    let text = format!(
        "{HEAD}paths:\n  /v1/messages?beta=true:\n    post:\n      operationId: create\n      responses:\n        '204': {{description: ok}}\n"
    );
    let strict = generate(&text).unwrap_or_else(|e| panic!("{e}"));
    assert!(strict.warnings.is_empty(), "{:?}", strict.warnings);
    let lenient = generate_lenient(&text);
    assert!(lenient.warnings.is_empty(), "{:?}", lenient.warnings);
    assert_eq!(strict.files, lenient.files);
}

// ---------------------------------------------------------------------------------------------
// Hostile input: limits, not stack overflows
// ---------------------------------------------------------------------------------------------

const DEPTH: usize = 5000;

/// A hang guard, not a speed assertion (as in `hostile.rs`): hostile inputs fail in about a
/// second in a debug build, but the tests share two cores with whatever else is building (a
/// 10 s guard tripped on a loaded machine), so it only catches what never ends. Speed is
/// measured by `cargo xtask bench`.
const QUICK: Duration = Duration::from_secs(120);

fn timed(text: &str) -> (codegen::Error, Duration) {
    let start = Instant::now();
    let e = refuse(text);
    (e, start.elapsed())
}

#[test]
fn deeply_nested_yaml_schema_is_a_limit_error() {
    // Flow style keeps the text linear in the depth.
    let mut text = schemas("    A: ");
    for _ in 0..DEPTH {
        text.push_str("{type: object, properties: {a: ");
    }
    text.push_str("{type: string}");
    for _ in 0..DEPTH {
        text.push_str("}}");
    }
    text.push('\n');
    let (e, elapsed) = timed(&text);
    assert!(matches!(e.kind, ErrorKind::Limit(_)), "{e}");
    assert!(matches!(e.location, Location::Line { line: 6, .. }), "{e}");
    assert!(elapsed < QUICK, "took {elapsed:?}");
}

#[test]
fn deeply_nested_block_yaml_schema_is_a_limit_error() {
    let mut text = schemas("    A:\n");
    let mut indent = 6;
    for _ in 0..DEPTH / 10 {
        text.push_str(&" ".repeat(indent));
        text.push_str("properties:\n");
        text.push_str(&" ".repeat(indent + 1));
        text.push_str("a:\n");
        indent += 2;
    }
    text.push_str(&" ".repeat(indent));
    text.push_str("type: string\n");
    let (e, elapsed) = timed(&text);
    assert!(matches!(e.kind, ErrorKind::Limit(_)), "{e}");
    assert!(matches!(e.location, Location::Line { .. }), "{e}");
    assert!(elapsed < QUICK, "took {elapsed:?}");
}

#[test]
fn deeply_nested_json_schema_is_a_limit_error() {
    let mut text = String::from(
        r#"{"openapi":"3.1.0","info":{"title":"x","version":"1"},"paths":{},"components":{"schemas":{"A":"#,
    );
    for _ in 0..DEPTH {
        text.push_str(r#"{"type":"object","properties":{"a":"#);
    }
    text.push_str(r#"{"type":"string"}"#);
    for _ in 0..DEPTH {
        text.push_str("}}");
    }
    text.push_str("}}}");
    let (e, elapsed) = timed(&text);
    assert!(matches!(e.kind, ErrorKind::Limit(_)), "{e}");
    assert!(matches!(e.location, Location::Line { line: 1, .. }), "{e}");
    assert!(elapsed < QUICK, "took {elapsed:?}");
}

#[test]
fn deeply_nested_json_arrays_are_a_limit_error() {
    let text = format!(
        "{{\"openapi\":\"3.1.0\",\"x\":{}{}}}",
        "[".repeat(DEPTH),
        "]".repeat(DEPTH)
    );
    let (e, elapsed) = timed(&text);
    assert!(matches!(e.kind, ErrorKind::Limit(_)), "{e}");
    assert!(elapsed < QUICK, "took {elapsed:?}");
}

#[test]
fn nesting_just_under_the_limit_is_not_refused_for_depth() {
    // 40 nested inline objects (about 82 JSON levels with `properties`) is a legitimate spec.
    let mut text = schemas("    A: ");
    for _ in 0..40 {
        text.push_str("{type: object, properties: {a: ");
    }
    text.push_str("{type: string}");
    for _ in 0..40 {
        text.push_str("}}");
    }
    text.push('\n');
    let g = generate(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g.stats.types, 40, "{:?}", g.stats);
}

#[test]
fn yaml_alias_bomb_is_a_limit_error() {
    let mut text = String::from(HEAD);
    text.push_str(
        "paths: {}\nx-bomb:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..12 {
        let p = i - 1;
        let refs = vec![format!("*a{p}"); 10].join(", ");
        text.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
    }
    let (e, elapsed) = timed(&text);
    assert!(matches!(e.kind, ErrorKind::Limit(_)), "{e}");
    assert!(matches!(e.location, Location::Line { .. }), "{e}");
    assert!(e.to_string().contains("safety limit"), "{e}");
    assert!(elapsed < QUICK, "took {elapsed:?}");
}

#[test]
fn yaml_alias_to_unknown_anchor_is_a_syntax_error() {
    let e = refuse("openapi: 3.1.0\ninfo: *nowhere\n");
    assert!(
        matches!(e.kind, ErrorKind::Syntax { format: "YAML", .. }),
        "{e}"
    );
    assert!(matches!(e.location, Location::Line { line: 2, .. }), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Never panics
// ---------------------------------------------------------------------------------------------

fn real_spec() -> String {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/anthropic-completions.yaml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn real_settings() -> Settings {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/forge.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Settings::from_text("spec/forge.yaml", &text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn real_spec_generates_without_warnings() {
    let text = real_spec();
    let g = codegen::generate(&Input {
        spec_name: "spec/anthropic-completions.yaml",
        spec_text: &text,
        settings: real_settings(),
        lenient: false,
        overlays: Vec::new(),
        modules: Vec::new(),
        runtime: codegen::RuntimeMode::Crate,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
    assert!(g.stats.operations >= 1, "{:?}", g.stats);
    assert!(g.files.iter().any(|f| f.path == "src/types.rs"));
}

fn generate_real(text: &str) -> codegen::Generated {
    codegen::generate(&Input {
        spec_name: "spec/anthropic-completions.yaml",
        spec_text: text,
        settings: real_settings(),
        lenient: false,
        overlays: Vec::new(),
        modules: Vec::new(),
        runtime: codegen::RuntimeMode::Crate,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn real_spec_with_crlf_line_ends_generates_the_same_files() {
    let text = real_spec();
    let lf = generate_real(&text);
    let crlf = generate_real(&text.replace('\n', "\r\n"));
    assert!(crlf.warnings.is_empty(), "{:?}", crlf.warnings);
    // The header carries the spec's hash, so compare everything after it.
    let body = |g: &codegen::Generated| -> Vec<String> {
        g.files
            .iter()
            .map(|f| f.contents.lines().skip(2).collect::<Vec<_>>().join("\n"))
            .collect()
    };
    assert_eq!(body(&lf), body(&crlf));
}

#[test]
fn yaml_spec_with_a_byte_order_mark_generates() {
    let g = generate_real(&format!("\u{feff}{}", real_spec()));
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
}

#[test]
fn json_with_a_byte_order_mark_is_read_as_json() {
    let text = "\u{feff}{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"x\", \"version\": \"1\"}, \"paths\": {}}";
    generate(text).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn every_line_prefix_of_the_real_spec_generates_or_errors_without_panicking() {
    let text = real_spec();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut prefix = String::new();
    for (i, l) in lines.iter().enumerate() {
        prefix.push_str(l);
        // Every line near the top (where the structure is), then every seventh.
        if i > 40 && i % 7 != 0 {
            continue;
        }
        if let Err(e) = generate(&prefix) {
            assert_eq!(e.file, FILE, "prefix of {} lines: {e}", i + 1);
        }
    }
}

#[test]
fn real_spec_with_a_line_removed_generates_or_errors_without_panicking() {
    let text = real_spec();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for skip in (0..lines.len()).step_by(5) {
        let mutated: String = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, l)| *l)
            .collect();
        if let Err(e) = generate(&mutated) {
            assert_eq!(e.file, FILE, "without line {}: {e}", skip + 1);
        }
    }
}

mod props {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            let _ = super::generate(&text);
        }

        #[test]
        fn arbitrary_yaml_like_text_never_panics(
            text in r"(openapi: 3\.1\.0\n)?([a-z$ {}\[\]:,'#/&*\-\n]{0,80})"
        ) {
            let _ = super::generate(&text);
        }

        #[test]
        fn arbitrary_schema_keyword_values_never_panic(
            key in prop::sample::select(vec![
                "type", "properties", "required", "items", "allOf", "anyOf", "oneOf", "enum",
                "const", "additionalProperties", "$ref", "nullable", "discriminator", "minimum",
                "maxLength", "format", "default", "not", "prefixItems", "exclusiveMinimum",
            ]),
            value in prop::sample::select(vec![
                "1", "-1", "true", "false", "null", "x", "[]", "{}", "[1, x]", "{a: 1}",
                "'#/components/schemas/A'", "[{type: string}]", "{propertyName: t}",
                "{type: object}", "18446744073709551616", "[null]",
            ]),
        ) {
            let text = super::schemas(&format!("    A:\n      {key}: {value}\n    B:\n      type: object\n      properties:\n        a:\n          $ref: '#/components/schemas/A'\n"));
            if let Err(e) = super::generate(&text) {
                prop_assert_eq!(e.file.as_str(), super::FILE);
            }
        }
    }
}
