//! The settings for any spec that are not names or overlays: `select` (operations by id, tag or
//! path pattern, and only the types they reach), `version`, `auth` and `default_headers`, and
//! the errors that name the settings file, the key and the reason.

use codegen::{Generated, Input, RuntimeMode, Settings};

/// Two tags; `Pet` only `pets` reaches, `Owner` only `owners`, `Toy` nothing; `Error` is the
/// error envelope, and `ErrorDetail` only it reaches.
const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Shop, version: "1"}
servers: [{url: "https://shop.test"}]
components:
  securitySchemes:
    Key: {type: apiKey, in: header, name: x-key}
    Token: {type: http, scheme: bearer}
  schemas:
    Pet:
      type: object
      required: [id]
      properties: {id: {type: string}, tag: {$ref: "#/components/schemas/PetTag"}}
    PetTag: {type: string, enum: [cat, dog]}
    Owner:
      type: object
      properties: {name: {type: string}}
    Toy:
      type: object
      properties: {name: {type: string}}
    Error:
      type: object
      x-forge-error-envelope: {message: /message}
      properties: {message: {type: string}, detail: {$ref: "#/components/schemas/ErrorDetail"}}
    ErrorDetail:
      type: object
      properties: {code: {type: string}}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}}}}
        default: {description: error, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /pets/{id}:
    delete:
      operationId: deletePet
      tags: [pets]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: gone}
        default: {description: error, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /owners:
    get:
      operationId: listOwners
      tags: [owners]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Owner"}}}}
        default: {description: error, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
"##;

fn settings(yaml: &str) -> Result<Settings, codegen::Error> {
    Settings::from_text("shop.forge.yaml", &format!("crate: shop\n{yaml}"))
}

fn generate(yaml: &str) -> Result<Generated, codegen::Error> {
    codegen::generate(&Input {
        spec_name: "shop.yaml",
        spec_text: SPEC,
        settings: settings(yaml)?,
        lenient: false,
        overlays: Vec::new(),
        modules: Vec::new(),
        runtime: RuntimeMode::Crate,
    })
}

fn file<'a>(g: &'a Generated, path: &str) -> &'a str {
    &g.files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

/// Whether `name` is generated: defined, or an alias of the type that defines its shape.
fn has_type(g: &Generated, name: &str) -> bool {
    let types = file(g, "src/types.rs");
    ["struct", "enum", "type"]
        .iter()
        .any(|item| types.contains(&format!("pub {item} {name}")))
}

fn err(yaml: &str) -> String {
    match generate(yaml) {
        Ok(_) => panic!("generated with {yaml}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn without_select_every_schema_is_generated() {
    let g = generate("").unwrap();
    assert_eq!(g.stats.operations, 3);
    for name in ["Pet", "PetTag", "Owner", "Toy", "Error", "ErrorDetail"] {
        assert!(has_type(&g, name), "{name}");
    }
}

#[test]
fn a_tag_keeps_its_operations_and_only_the_types_they_reach() {
    let g = generate("select:\n  include:\n    - tag: pets\n").unwrap();
    assert_eq!(g.stats.operations, 2);
    for name in ["Pet", "PetTag", "Error", "ErrorDetail"] {
        assert!(has_type(&g, name), "{name}");
    }
    for name in ["Owner", "Toy"] {
        assert!(!has_type(&g, name), "{name}");
    }
    assert!(!g.files.iter().any(|f| f.path.contains("owners")));
}

#[test]
fn exclude_removes_from_what_is_included() {
    let g = generate(
        "select:\n  include: [{path: /pets*}, {operation: listOwners}]\n  exclude: [{operation: deletePet}]\n",
    )
    .unwrap();
    assert_eq!(g.stats.operations, 2);
    let all = g
        .files
        .iter()
        .map(|f| f.contents.as_str())
        .collect::<String>();
    assert!(
        all.contains("fn list_pets") || all.contains("fn list("),
        "{all}"
    );
    assert!(!all.contains("DeletePet"), "{all}");
    assert!(has_type(&g, "Owner") && !has_type(&g, "Toy"));
}

#[test]
fn exclude_alone_keeps_the_rest() {
    let g = generate("select:\n  exclude: [{tag: owners}]\n").unwrap();
    assert_eq!(g.stats.operations, 2);
    assert!(!has_type(&g, "Owner"));
}

#[test]
fn settings_for_unselected_operations_are_not_errors() {
    let g = generate(
        "select: {include: [{tag: owners}]}\n\
         names: {operations: {listPets: {method: all}}}\n\
         pagination: {listPets: {cursor: {param: cursor, from_last_item: id}}}\n",
    )
    .unwrap();
    assert_eq!(g.stats.operations, 1);
}

#[test]
fn selection_errors_name_the_entry() {
    assert_eq!(
        err("select:\n  include: [{tag: pets}, {tag: pest}]\n"),
        "shop.forge.yaml: #/select/include/1: invalid settings: no operation has the tag `pest` in shop.yaml"
    );
    assert_eq!(
        err("select:\n  exclude: [{operation: removePet}]\n"),
        "shop.forge.yaml: #/select/exclude/0: invalid settings: no operation `removePet` in shop.yaml"
    );
    let e = err("select:\n  include: [{tags: pets}]\n");
    assert!(
        e.starts_with(
            "shop.forge.yaml: #/select/include/0: invalid settings: unknown variant `tags`"
        ),
        "{e}"
    );
    let e = err("select:\n  only: []\n");
    assert!(
        e.starts_with("shop.forge.yaml: #/select/only: invalid settings: unknown field `only`"),
        "{e}"
    );
}

#[test]
fn version_is_the_crates_and_checked() {
    assert_eq!(settings("").unwrap().crate_version(), "0.1.0");
    assert_eq!(
        settings("version: 2.1.0-beta.1\n").unwrap().crate_version(),
        "2.1.0-beta.1"
    );
    assert_eq!(
        err("version: \"2.1\"\n"),
        "shop.forge.yaml: #/version: invalid settings: `2.1` is not a version: MAJOR.MINOR.PATCH, as Cargo takes it"
    );
}

#[test]
fn auth_gives_each_scheme_its_setter_and_variable() {
    let g =
        generate("auth:\n  Key: {setter: shop_key, env: SHOP_KEY}\n  Token: {env: SHOP_TOKEN}\n")
            .unwrap();
    let client = file(&g, "src/client.rs");
    assert!(client.contains("setter: \"shop_key\""), "{client}");
    assert!(client.contains("env: Some(\"SHOP_KEY\")"), "{client}");
    assert!(client.contains("setter: \"auth_token\""), "{client}");
    assert!(client.contains("env: Some(\"SHOP_TOKEN\")"), "{client}");
    // `new` takes the first scheme's credential through its setter of the settings' own.
    assert!(
        client.contains(".credential(\"shop_key\", credential)"),
        "{client}"
    );
}

#[test]
fn auth_errors_name_the_scheme() {
    assert_eq!(
        err("auth:\n  Keyy: {env: X}\n"),
        "shop.forge.yaml: #/auth/Keyy: invalid settings: no security scheme `Keyy` in shop.yaml"
    );
    assert_eq!(
        err("auth:\n  Key: {setter: auth_token}\n"),
        "shop.forge.yaml: #/auth/Key/setter: invalid settings: `auth_token` is the runtime's setter for a bearer token, and `Key` is an API key"
    );
    assert_eq!(
        err("auth:\n  Key: {setter: Shop-Key}\n"),
        "shop.forge.yaml: #/auth/Key/setter: invalid settings: `Shop-Key` is not a setter name: a snake_case Rust identifier"
    );
    assert_eq!(
        err("auth:\n  Key: {setter: k}\n  Token: {setter: k}\n"),
        "shop.forge.yaml: #/auth/Token/setter: invalid settings: `k` is already the setter of `Key`"
    );
    assert_eq!(
        err("env:\n  credentials: {Key: SHOP_KEY}\n"),
        "shop.forge.yaml: #/env/credentials: invalid settings: moved: give each scheme's variable in `auth`, as `auth: {<scheme>: {env: <VARIABLE>}}`"
    );
}

#[test]
fn default_headers_are_sent_on_every_request_in_file_order() {
    let g =
        generate("default_headers:\n  shop-version: \"2024-01-01\"\n  x-client: forge\n").unwrap();
    let client = file(&g, "src/client.rs");
    let compact: String = client.split_whitespace().collect();
    assert!(
        compact.contains(
            "default_headers:&[(\"shop-version\",\"2024-01-01\"),(\"x-client\",\"forge\")]"
        ),
        "{client}"
    );
    assert_eq!(
        err("default_headers:\n  \"bad header\": x\n"),
        "shop.forge.yaml: #/default_headers/bad header: invalid settings: `bad header` is not a header name"
    );
    assert_eq!(
        err("default_headers:\n  x-a: \"one\\ntwo\"\n"),
        "shop.forge.yaml: #/default_headers/x-a: invalid settings: the value holds a line break or another control character"
    );
}
