//! How generated code reaches the runtime: as the `forge_runtime` crate (the default, for the
//! crates this repository checks in), or as the crate's own module `src/forge_runtime/` (what
//! `forge generate` writes by default), declared in `lib.rs` and imported by every module.

use codegen::{Generated, Input, RuntimeMode, Settings};

const SPEC: &str = r##"{
  "openapi": "3.1.0",
  "info": {"title": "Pets", "version": "1"},
  "paths": {
    "/pets": {"get": {"operationId": "listPets", "tags": ["pets"], "responses": {
      "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}}},
    "/health": {"get": {"operationId": "health", "responses": {"204": {"description": "ok"}}}}
  },
  "components": {"schemas": {"Pet": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["cat", "dog"], "x-forge-open": true}}}}}
}"##;

fn generate(runtime: RuntimeMode) -> Generated {
    codegen::generate(&Input {
        spec_name: "pets.json",
        spec_text: SPEC,
        settings: Settings::for_crate("pets"),
        lenient: false,
        overlays: Vec::new(),
        modules: Vec::new(),
        runtime,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

const IMPORT: &str = "use crate::forge_runtime;";

#[test]
fn a_vendored_runtime_is_a_module_every_generated_module_imports() {
    let g = generate(RuntimeMode::Vendored);
    let lib = &g
        .files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .unwrap()
        .contents;
    assert!(
        lib.contains("#[rustfmt::skip]\npub mod forge_runtime;"),
        "{lib}"
    );
    assert!(lib.contains("run `forge generate`"), "{lib}");
    assert!(!lib.contains(IMPORT), "{lib}");
    for file in g.files.iter().filter(|f| f.path != "src/lib.rs") {
        assert!(
            file.contents.contains(IMPORT),
            "{} lacks the import",
            file.path
        );
        assert!(file.contents.starts_with("// @generated"), "{}", file.path);
        assert!(file.contents.contains("`forge generate`"), "{}", file.path);
    }
    assert!(g.files.iter().any(|f| f.path.starts_with("src/resources/")));
}

#[test]
fn a_runtime_crate_needs_no_module_and_no_import() {
    let g = generate(RuntimeMode::Crate);
    for file in &g.files {
        assert!(!file.contents.contains(IMPORT), "{}", file.path);
        assert!(
            !file.contents.contains("mod forge_runtime"),
            "{}",
            file.path
        );
        assert!(
            file.contents.contains("`cargo xtask generate`"),
            "{}",
            file.path
        );
    }
}
