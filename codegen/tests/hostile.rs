//! Hostile specs beyond `bad_specs.rs`: bytes that are not UTF-8 (through the xtask binary),
//! depth that hides in `$ref` chains instead of in the text, path templates and operation ids
//! that only collide after renaming, `$ref` cycles of length 3, and generated input (mutated
//! real specs, random JSON schema trees) that must never panic.
//!
//! Whenever generation succeeds, the output must also be code that could compile: every file
//! parses with `syn`, and names are unique where Rust needs them unique (items per file,
//! methods per type, fields per struct, variants per enum), which `syn` alone does not check.
//!
//! Wall-clock checks here are hang guards (fail after 120 s), never speed assertions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use codegen::{ErrorKind, Input, Settings};
use serde_json::{json, Value};

const FILE: &str = "hostile.json";
/// Generous: a 5,000-struct chain takes about 3 s of CPU in a debug build, and a 10 s guard
/// tripped when the test shared two cores with other builds. It catches what never ends (or
/// grows exponentially); speed is measured by `cargo xtask bench`.
const HANG_GUARD: Duration = Duration::from_secs(120);

fn generate(text: &str, lenient: bool) -> Result<codegen::Generated, codegen::Error> {
    codegen::generate(&Input {
        spec_name: FILE,
        spec_text: text,
        settings: Settings::for_crate("hostile"),
        lenient,
        overlays: Vec::new(),
        modules: Vec::new(),
        runtime: codegen::RuntimeMode::Crate,
    })
}

/// Generates on a thread with the main thread's usual 8 MiB stack (test threads get 2 MiB,
/// `cargo xtask` runs on a main thread), failing if it takes longer than the hang guard.
fn generate_guarded(text: String) -> Result<codegen::Generated, codegen::Error> {
    let start = Instant::now();
    let result = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || generate(&text, false))
        .unwrap()
        .join()
        .unwrap_or_else(|_| panic!("the generator panicked"));
    let elapsed = start.elapsed();
    assert!(elapsed < HANG_GUARD, "hang guard: took {elapsed:?}");
    result
}

fn spec(schemas: Value, paths: Value) -> String {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Hostile", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
    .to_string()
}

/// The result must be an error that is not a generator bug, or output that could compile.
fn assert_sane(result: &Result<codegen::Generated, codegen::Error>) {
    match result {
        Ok(g) => check_output(g),
        Err(e) => {
            assert!(!matches!(e.kind, ErrorKind::Internal { .. }), "{e}");
            assert_eq!(e.file, FILE, "{e}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What "could compile" means here
// ---------------------------------------------------------------------------------------------

/// Every `.rs` file parses, and names are unique where Rust requires it.
fn check_output(g: &codegen::Generated) {
    for file in &g.files {
        if !file.path.ends_with(".rs") {
            continue;
        }
        let parsed = syn::parse_file(&file.contents)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}\n{}", file.path, file.contents));
        check_unique_names(&file.path, &parsed);
    }
}

fn check_unique_names(path: &str, file: &syn::File) {
    let mut items = BTreeSet::new();
    let mut methods: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in &file.items {
        let name = match item {
            syn::Item::Struct(s) => {
                let mut fields = BTreeSet::new();
                for f in &s.fields {
                    if let Some(id) = &f.ident {
                        assert!(
                            fields.insert(id.to_string()),
                            "{path}: field `{id}` twice in `{}`",
                            s.ident
                        );
                    }
                }
                Some(s.ident.to_string())
            }
            syn::Item::Enum(e) => {
                let mut variants = BTreeSet::new();
                for v in &e.variants {
                    assert!(
                        variants.insert(v.ident.to_string()),
                        "{path}: variant `{}` twice in `{}`",
                        v.ident,
                        e.ident
                    );
                }
                Some(e.ident.to_string())
            }
            syn::Item::Type(t) => Some(t.ident.to_string()),
            syn::Item::Static(s) => Some(s.ident.to_string()),
            syn::Item::Const(c) => Some(c.ident.to_string()),
            syn::Item::Fn(f) => Some(f.sig.ident.to_string()),
            syn::Item::Impl(i) if i.trait_.is_none() => {
                let self_ty = &i.self_ty;
                let ty = quote::quote!(#self_ty).to_string();
                let set = methods.entry(ty.clone()).or_default();
                for it in &i.items {
                    if let syn::ImplItem::Fn(f) = it {
                        assert!(
                            set.insert(f.sig.ident.to_string()),
                            "{path}: method `{}` twice on `{ty}`",
                            f.sig.ident
                        );
                    }
                    if let syn::ImplItem::Const(c) = it {
                        assert!(
                            set.insert(c.ident.to_string()),
                            "{path}: constant `{}` twice on `{ty}`",
                            c.ident
                        );
                    }
                }
                None
            }
            _ => None,
        };
        if let Some(name) = name {
            assert!(items.insert(name.clone()), "{path}: item `{name}` twice");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Bytes that are not UTF-8: the library takes `&str`, so this is the xtask's job
// ---------------------------------------------------------------------------------------------

/// The workspace's `xtask` binary, if it has been built (`cargo test --workspace` builds it for
/// its own tests before any test runs).
fn xtask_binary() -> Option<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let exe = format!("xtask{}", std::env::consts::EXE_SUFFIX);
    ["debug", "release"]
        .iter()
        .map(|profile| target.join(profile).join(&exe))
        .find(|p| p.is_file())
}

#[test]
fn spec_files_that_are_not_utf8_are_refused_by_the_xtask_with_the_file_name() {
    let Some(xtask) = xtask_binary() else {
        eprintln!("skipped: no built xtask binary (run `cargo test --workspace`)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("forge-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let valid = b"openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n";
    let utf16: Vec<u8> = "\u{feff}openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "invalid byte",
            [&valid[..20], b"\xff\xfe", &valid[20..]].concat(),
        ),
        (
            "overlong slash",
            [&valid[..], b"x-a: \"\xc0\xaf\"\n"].concat(),
        ),
        (
            "surrogate",
            [&valid[..], b"x-a: \"\xed\xa0\x80\"\n"].concat(),
        ),
        ("truncated at end", [&valid[..], b"x-a: \xe2\x82"].concat()),
        (
            "Latin-1 description",
            [&valid[..], b"x-a: caf\xe9\n"].concat(),
        ),
        ("UTF-16 with BOM", utf16),
    ];
    for (name, bytes) in cases {
        assert!(std::str::from_utf8(&bytes).is_err(), "{name}");
        let spec = dir.join("spec.yaml");
        let out = dir.join("out");
        std::fs::write(&spec, &bytes).unwrap();
        let start = Instant::now();
        let output = Command::new(&xtask)
            .args(["generate", "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(start.elapsed() < HANG_GUARD, "{name}: hang guard");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains("spec.yaml"), "{name}: {stderr}");
        assert!(stderr.contains("UTF-8"), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(
            !out.exists(),
            "{name}: a failed generation wrote {}",
            out.display()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// Depth that hides in `$ref` chains (the text stays flat, so the parser's depth limit never
// sees it)
// ---------------------------------------------------------------------------------------------

const CHAIN: usize = 5000;

fn chain_spec(link: impl Fn(usize) -> Value) -> String {
    chain_spec_of(CHAIN, link)
}

fn chain_spec_of(len: usize, link: impl Fn(usize) -> Value) -> String {
    let mut schemas = serde_json::Map::new();
    for i in 0..len {
        schemas.insert(format!("S{i}"), link(i));
    }
    schemas.insert(format!("S{len}"), json!({"type": "string"}));
    spec(Value::Object(schemas), json!({}))
}

fn next(i: usize) -> String {
    format!("#/components/schemas/S{}", i + 1)
}

#[test]
fn five_thousand_object_levels_through_refs_in_properties() {
    // S0 { next: S1 }, S1 { next: S2 }, ... 5,000 structs, none deeper than one level in text.
    let text = chain_spec(
        |i| json!({"type": "object", "properties": {"next": {"$ref": next(i)}}, "required": ["next"]}),
    );
    let result = generate_guarded(text);
    assert_sane(&result);
}

#[test]
fn five_thousand_alias_refs_in_a_row() {
    // S0 = S1 = S2 = ... = string: resolving S0 follows 5,000 `$ref`s, each place once (linear
    // time), with no stack overflow, and every alias ends at `String`.
    let text = chain_spec(|i| json!({"$ref": next(i)}));
    let g = generate_guarded(text).unwrap_or_else(|e| panic!("{e}"));
    check_output(&g);
}

#[test]
fn five_thousand_nullable_and_array_aliases_in_a_row() {
    for wrap in ["anyOf-null", "array", "map", "allOf"] {
        let text = chain_spec(|i| match wrap {
            "anyOf-null" => json!({"anyOf": [{"$ref": next(i)}, {"type": "null"}]}),
            "array" => json!({"type": "array", "items": {"$ref": next(i)}}),
            "map" => json!({"type": "object", "additionalProperties": {"$ref": next(i)}}),
            _ => json!({"allOf": [{"$ref": next(i)}], "description": "x"}),
        });
        let result = generate_guarded(text);
        assert_sane(&result);
    }
}

#[test]
fn five_thousand_deep_ref_chain_used_by_an_operation() {
    let mut schemas = serde_json::Map::new();
    for i in 0..CHAIN {
        schemas.insert(format!("S{i}"), json!({"$ref": next(i)}));
    }
    schemas.insert(
        "S5000".into(),
        json!({"type": "object", "properties": {"a": {"type": "string"}}}),
    );
    let paths = json!({"/x": {"post": {
        "operationId": "deep",
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}},
    }}});
    assert_sane(&generate_guarded(spec(Value::Object(schemas), paths)));
}

// ---------------------------------------------------------------------------------------------
// `$ref` cycles of length 3
// ---------------------------------------------------------------------------------------------

fn cycle3(make: impl Fn(&str) -> Value) -> String {
    let r = |n: &str| format!("#/components/schemas/{n}");
    spec(
        json!({"A": make(&r("B")), "B": make(&r("C")), "C": make(&r("A"))}),
        json!({}),
    )
}

#[test]
fn three_alias_ref_cycle_is_a_ref_cycle_error() {
    let e = generate_guarded(cycle3(|to| json!({"$ref": to}))).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::RefCycle(_)), "{e}");
    assert!(e.to_string().contains("$ref cycle"), "{e}");
}

#[test]
fn three_cycle_through_nullable_aliases_is_a_ref_cycle_error() {
    // type A = Option<B>; type B = Option<C>; type C = Option<A>: an infinite alias.
    let result = generate_guarded(cycle3(
        |to| json!({"anyOf": [{"$ref": to}, {"type": "null"}]}),
    ));
    let e = result.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::RefCycle(_)), "{e}");
}

#[test]
fn three_cycle_through_required_properties_is_boxed() {
    // Legitimate recursion: A { b: B }, B { c: C }, C { a: A } needs one Box to have a size.
    let result = generate_guarded(cycle3(
        |to| json!({"type": "object", "properties": {"next": {"$ref": to}}, "required": ["next"]}),
    ));
    let g = result.unwrap_or_else(|e| panic!("{e}"));
    check_output(&g);
    let types = &g
        .files
        .iter()
        .find(|f| f.path == "src/types.rs")
        .unwrap()
        .contents;
    assert!(types.contains("Box<"), "{types}");
}

#[test]
fn three_cycle_through_arrays_and_maps_is_refused_or_named() {
    // `type A = Vec<B>; type B = Vec<C>; type C = Vec<A>;` is a cycle rustc rejects ("cycle
    // detected when expanding type alias"): the generator must refuse it or break the cycle
    // with a named type (a newtype struct).
    for (what, make) in [
        (
            "arrays",
            Box::new(|to: &str| json!({"type": "array", "items": {"$ref": to}}))
                as Box<dyn Fn(&str) -> Value>,
        ),
        (
            "maps",
            Box::new(|to: &str| json!({"type": "object", "additionalProperties": {"$ref": to}})),
        ),
        (
            "mixed",
            Box::new(|to: &str| {
                if to.ends_with('B') {
                    json!({"type": "array", "items": {"$ref": to}})
                } else {
                    json!({"anyOf": [{"$ref": to}, {"type": "null"}]})
                }
            }),
        ),
    ] {
        match generate_guarded(cycle3(make)) {
            Err(e) => assert!(matches!(e.kind, ErrorKind::RefCycle(_)), "{what}: {e}"),
            Ok(g) => {
                check_output(&g);
                let types = &g.files.iter().find(|f| f.path == "src/types.rs").unwrap();
                let file = syn::parse_file(&types.contents).unwrap();
                assert_no_alias_cycle(what, &file);
            }
        }
    }
}

/// Fails if the file's `type X = ...;` aliases refer to each other in a cycle.
fn assert_no_alias_cycle(what: &str, file: &syn::File) {
    let aliases: BTreeMap<String, BTreeSet<String>> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Type(t) => {
                let ty = &t.ty;
                let text = quote::quote!(#ty).to_string();
                let idents = text
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned)
                    .collect();
                Some((t.ident.to_string(), idents))
            }
            _ => None,
        })
        .collect();
    for start in aliases.keys() {
        let mut stack = vec![start.clone()];
        let mut seen = BTreeSet::new();
        while let Some(name) = stack.pop() {
            for next in aliases.get(&name).into_iter().flatten() {
                assert!(
                    next != start,
                    "{what}: type alias cycle through `{start}`: {aliases:?}"
                );
                if aliases.contains_key(next) && seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Paths and operation ids
// ---------------------------------------------------------------------------------------------

fn op(id: &str, params: Value) -> Value {
    json!({"operationId": id, "parameters": params, "responses": {"204": {"description": "ok"}}})
}

fn path_param(name: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}})
}

#[test]
fn odd_path_templates_are_refused_or_generate_compilable_code() {
    for (path, params) in [
        ("/a/{}", json!([])),
        ("/a/{x", json!([])),
        ("/a/x}", json!([])),
        ("/a/{{x}}", json!([path_param("x")])),
        ("/a/{x}/{x}", json!([path_param("x")])),
        ("/a/{x.y}", json!([path_param("x.y")])),
        ("/a/{x y}", json!([path_param("x y")])),
        (
            "/a/{type}/{self}/{Self}",
            json!([path_param("type"), path_param("self"), path_param("Self")]),
        ),
        ("/a/{x}", json!([path_param("x"), path_param("x")])),
        ("/a/{x}", json!([path_param("x"), path_param("y")])),
        ("/a/{x}{y}", json!([path_param("x"), path_param("y")])),
        ("/a/{\"}", json!([path_param("\"")])),
        (
            "/a/{x}",
            json!([path_param("x"), {"name": "x", "in": "query", "schema": {"type": "string"}}]),
        ),
        ("a/{x}", json!([path_param("x")])),
        ("", json!([])),
    ] {
        let text = spec(
            json!({}),
            json!({ path: {"get": op("op", params.clone())} }),
        );
        assert_sane(&generate(&text, false));
        assert_sane(&generate(&text, true));
    }
}

#[test]
fn a_self_referencing_array_alias_is_refused_or_named() {
    // The smallest case of the cycle bug below, kept apart so it is easy to run alone.
    let text = spec(
        json!({"A": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}}),
        json!({}),
    );
    match generate_guarded(text) {
        Err(e) => assert!(matches!(e.kind, ErrorKind::RefCycle(_)), "{e}"),
        Ok(g) => {
            let types = g.files.iter().find(|f| f.path == "src/types.rs").unwrap();
            assert_no_alias_cycle("self array", &syn::parse_file(&types.contents).unwrap());
        }
    }
}

/// String literals in a generated file (where a parameterless path ends up).
fn string_literals(contents: &str) -> Vec<String> {
    fn walk(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
        for tt in tokens {
            match tt {
                proc_macro2::TokenTree::Group(g) => walk(g.stream(), out),
                proc_macro2::TokenTree::Literal(l) => {
                    if let Ok(s) = syn::parse_str::<syn::LitStr>(&l.to_string()) {
                        out.push(s.value());
                    }
                }
                _ => {}
            }
        }
    }
    let file = syn::parse_file(contents).unwrap();
    let mut out = Vec::new();
    walk(quote::quote!(#file), &mut out);
    out
}

/// String literals in every generated Rust file (request paths live with the operations).
fn all_string_literals(g: &codegen::Generated) -> Vec<String> {
    g.files
        .iter()
        .filter(|f| f.path.ends_with(".rs"))
        .flat_map(|f| string_literals(&f.contents))
        .collect()
}

#[test]
fn literal_braces_in_parameterless_paths_reach_the_wire_unchanged() {
    for path in ["/a/x}", "/a/{x", "/v1/b{c", "/a/{", "/}"] {
        let text = spec(json!({}), json!({ path: {"get": op("op", json!([]))} }));
        let g = generate(&text, false).unwrap_or_else(|e| panic!("{path}: {e}"));
        let literals = all_string_literals(&g);
        assert!(
            literals.iter().any(|l| l == path),
            "{path}: the request path is not in the generated code; paths there: {:?}",
            literals
                .iter()
                .filter(|l| l.starts_with('/'))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn parameterless_paths_without_braces_reach_the_wire_unchanged() {
    // The control for the test above: ordinary and percent-encoded literal paths are intact.
    for path in ["/a/b", "/v1/complete", "/a%20b/c", "/a/b:c", "/"] {
        let text = spec(json!({}), json!({ path: {"get": op("op", json!([]))} }));
        let g = generate(&text, false).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(all_string_literals(&g).iter().any(|l| l == path), "{path}");
    }
}

#[test]
fn undeclared_path_params_in_every_position_are_refused() {
    for (path, declared) in [
        ("/{a}", vec![]),
        ("/x/{a}/y/{b}", vec!["a"]),
        ("/x/{a}/y/{b}", vec!["b"]),
        ("/x/{A}", vec!["a"]),
        ("/x/{a}", vec![" a"]),
    ] {
        let params: Vec<Value> = declared.iter().map(|n| path_param(n)).collect();
        let text = spec(json!({}), json!({ path: {"get": op("op", json!(params))} }));
        let e = generate(&text, false).unwrap_err();
        assert!(
            matches!(e.kind, ErrorKind::UndeclaredPathParam(_)),
            "{path} {declared:?}: {e}"
        );
    }
    // Declared on the path item (shared by its operations) counts as declared.
    let text = spec(
        json!({}),
        json!({"/x/{a}": {"parameters": [path_param("a")], "get": op("op", json!([]))}}),
    );
    check_output(&generate(&text, false).unwrap_or_else(|e| panic!("{e}")));
}

#[test]
fn operation_ids_that_collide_after_renaming_give_distinct_methods() {
    // Distinct in the spec, the same in snake_case; plus ids that rename to nothing or to a
    // keyword. Either refused by name or generated with distinct method names.
    let ids = [
        "getThing",
        "get_thing",
        "get-thing",
        "GetThing",
        "get thing",
        "getThingRaw",
        "get_thing_raw",
        "getThingWith",
        "",
        "!!!",
        "type",
        "self",
        "fn",
        "new",
        "builder",
        "r#try",
        "日本",
        "get thing::<>",
    ];
    let mut paths = serde_json::Map::new();
    for (i, id) in ids.iter().enumerate() {
        paths.insert(format!("/p{i}"), json!({"get": op(id, json!([]))}));
    }
    let result = generate(&spec(json!({}), Value::Object(paths)), false);
    match &result {
        Ok(g) => {
            check_output(g);
            assert_eq!(g.stats.operations, ids.len());
        }
        Err(e) => assert!(matches!(e.kind, ErrorKind::DuplicateOperationId(_)), "{e}"),
    }
}

#[test]
fn duplicate_operation_ids_in_one_path_item_are_refused() {
    let text = spec(
        json!({}),
        json!({"/a": {"get": op("same", json!([])), "post": op("same", json!([]))}}),
    );
    let e = generate(&text, false).unwrap_err();
    assert!(
        matches!(&e.kind, ErrorKind::DuplicateOperationId(id) if id == "same"),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------------------
// Generated input: never a panic, and anything generated could compile
// ---------------------------------------------------------------------------------------------

fn real_spec() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/anthropic-completions.yaml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// A JSON value shaped like a schema, nested a few levels, with keywords and junk mixed.
    fn schema_like() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(json!({"type": "string"})),
            Just(json!({"type": "integer", "format": "int64"})),
            Just(json!({"type": ["string", "null"]})),
            Just(json!({"$ref": "#/components/schemas/A"})),
            Just(json!({"$ref": "#/components/schemas/B"})),
            Just(json!({"$ref": "#/components/schemas/Nope"})),
            Just(json!({"$ref": "#/paths"})),
            Just(json!({"const": "x"})),
            Just(json!({"enum": ["a", "a", 1, null]})),
            Just(json!({"type": "object"})),
            Just(json!({})),
            Just(json!(true)),
            Just(json!(null)),
            Just(json!(42)),
            ".{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::btree_map("[a-zA-Z_ $\"]{0,6}", inner.clone(), 0..4).prop_map(
                    |props| json!({"type": "object", "properties": props, "required": props.keys().take(1).collect::<Vec<_>>()})
                ),
                inner.clone().prop_map(|i| json!({"type": "array", "items": i})),
                inner.clone().prop_map(|i| json!({"type": "object", "additionalProperties": i})),
                prop::collection::vec(inner.clone(), 0..4).prop_map(|v| json!({"oneOf": v})),
                prop::collection::vec(inner.clone(), 0..4).prop_map(|v| json!({"anyOf": v})),
                prop::collection::vec(inner.clone(), 0..4).prop_map(|v| json!({"allOf": v})),
                (prop::collection::vec(inner.clone(), 1..3), "[a-z]{1,4}").prop_map(|(v, name)| {
                    json!({"oneOf": v, "discriminator": {"propertyName": name}})
                }),
                (inner.clone(), any::<bool>()).prop_map(|(i, n)| json!({"allOf": [i], "nullable": n})),
            ]
        })
    }

    fn mutate(text: &str, edits: &[(usize, u8, String)]) -> String {
        let mut s = text.to_owned();
        for (pos, kind, piece) in edits {
            if s.is_empty() {
                break;
            }
            let mut at = pos % s.len();
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            match kind % 3 {
                0 => s.insert_str(at, piece),
                1 => {
                    let mut end = (at + piece.len().max(1)).min(s.len());
                    while !s.is_char_boundary(end) {
                        end += 1;
                    }
                    s.replace_range(at..end, "");
                }
                _ => {
                    let mut end = (at + piece.len()).min(s.len());
                    while !s.is_char_boundary(end) {
                        end += 1;
                    }
                    s.replace_range(at..end, piece);
                }
            }
        }
        s
    }

    fn edits() -> impl Strategy<Value = Vec<(usize, u8, String)>> {
        prop::collection::vec(
            (
                any::<usize>(),
                any::<u8>(),
                prop_oneof![
                    Just("\n".to_owned()),
                    Just(": ".to_owned()),
                    Just("- ".to_owned()),
                    Just("{".to_owned()),
                    Just("}".to_owned()),
                    Just("$ref: '#/components/schemas/Completion'".to_owned()),
                    Just("  ".to_owned()),
                    Just("&a ".to_owned()),
                    Just("*a".to_owned()),
                    Just("\"".to_owned()),
                    Just("null".to_owned()),
                    ".{1,6}",
                ],
            ),
            1..6,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn random_schema_trees_never_panic_and_generate_compilable_code(
            a in schema_like(),
            b in schema_like(),
            body in schema_like(),
            lenient in any::<bool>(),
        ) {
            let text = spec(
                json!({"A": a, "B": b}),
                json!({"/x/{id}": {"post": {
                    "operationId": "call",
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "requestBody": {"content": {"application/json": {"schema": body}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}},
                }}}),
            );
            let result = generate(&text, lenient);
            assert_sane(&result);
        }

        #[test]
        fn mutated_real_spec_never_panics(edits in edits()) {
            let text = mutate(&real_spec(), &edits);
            assert_sane(&generate(&text, false).map_err(|mut e| { e.file = FILE.into(); e }));
        }

        #[test]
        fn mutated_fixtures_never_panic(
            name in prop::sample::select(vec![
                "all_of.yaml", "one_of_discriminator.yaml", "recursive.yaml", "names.yaml",
                "params.yaml", "sse.yaml", "bodies.yaml", "nullable30.yaml",
            ]),
            edits in edits(),
        ) {
            let text = mutate(&fixture(name), &edits);
            assert_sane(&generate(&text, true).map_err(|mut e| { e.file = FILE.into(); e }));
        }

        #[test]
        fn random_bytes_as_lossy_text_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            let text = String::from_utf8_lossy(&bytes);
            let _ = generate(&text, false);
            // And as the tail of a plausible header, so parsing gets past the first line.
            let text = format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n{text}");
            assert_sane(&generate(&text, true));
        }
    }
}
