//! Spec text that tries to escape into code. Descriptions carry comment terminators, raw-string
//! ends, attributes, inner attributes after a newline, fenced Rust code, backslashes and control
//! characters; names (schemas, properties, enum values, operation ids, tags, parameters) carry
//! quotes, `::`, spaces, braces, keywords and non-ASCII. Every generated file must parse with
//! `syn` and hold exactly what the spec asks for: no item, function, macro call or attribute
//! that the spec text smuggled in, and every doc string still a doc string.
//!
//! Payload text says `PWNED` (descriptions) or `evil` (names); no identifier in the output may
//! contain `pwned`, and no function may be called `evil`.

use std::collections::BTreeSet;

use codegen::ir::names;
use codegen::{Input, Settings};
use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use serde_json::{json, Map, Value};

/// Attributes the generator writes; anything else came from the spec.
const ALLOWED_ATTRIBUTES: &[&str] = &[
    "doc",
    "derive",
    "serde",
    "allow",
    "must_use",
    "deprecated",
    "forbid",
    "warn",
    "cfg",
    "cfg_attr",
    "non_exhaustive",
    "inline",
    "rustfmt",
    // The field lines of `forge_runtime::object!`.
    "key",
    "other_keys",
    // `request_value!`'s: which `send_*` method a request value is sent by.
    "send_json",
    "send_json_lines",
    "send_text",
    "send_bytes",
    "send_empty",
];

/// Macros the generated code calls.
const ALLOWED_MACROS: &[&str] = &[
    "cfg",
    "env",
    "format",
    "matches",
    "vec",
    "write",
    "concat",
    "constant",
    "open_enum",
    "closed_enum",
    "tagged_union",
    "object",
    "request_value",
];

/// Type names `client.rs` defines.
const CLIENT_TYPES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "ApiError",
    "EventStream",
    "Paginated",
];

/// Description payloads.
const DESCRIPTIONS: &[&str] = &[
    "ends a comment */ fn pwned_1() {} /*",
    "ends a raw string \"# fn pwned_2() {} r#\"",
    "#[pwned_attr] an attribute",
    "line\n#![pwned_inner]\nafter",
    "```rust\nfn pwned_3() {}\n```",
    "```\nfn pwned_4() {}\n```",
    "    fn pwned_5() {} // indented code block",
    "back\\slash \\\" \\n \\u{0} \\",
    "CR\r\nLF\nCR\rend \" ' `",
    "nul \u{0} del \u{7f} ls \u{2028} ps \u{2029} zwj \u{200d}",
    "<script>pwned()</script> [x](javascript:pwned) <!-- --> ]]>",
    "*/\n#[doc = \"pwned\"]\n/*",
    "\"\"\"\n}}}\n{{{\n)))\n]]]",
    "unterminated `code span and ``` fence",
    "PWNED",
];

/// Name payloads (each also used as a description elsewhere).
const NAMES: &[&str] = &[
    "a\"b",
    "a'b",
    "a::b",
    "with space",
    "{}",
    "{id}",
    "type",
    "self",
    "Self",
    "r#try",
    "fn evil(){}",
    "struct Evil;",
    "名前",
    "größe",
    "0lead",
    "-",
    "+1",
    "a\\b",
    "a*/b",
    "#[evil_attr]",
    "a\nb",
    "a`b",
    "Option",
    "crate",
    "~0/1%25",
];

fn generate(spec: &Value) -> codegen::Generated {
    let text = spec.to_string();
    codegen::generate(&Input {
        spec_name: "injection.json",
        spec_text: &text,
        settings: Settings::for_crate("injection"),
        lenient: false,
        overlays: Vec::new(),
        modules: Vec::new(),
        runtime: codegen::RuntimeMode::Crate,
    })
    .unwrap_or_else(|e| panic!("{e}\n{}", serde_json::to_string_pretty(spec).unwrap()))
}

/// A schema name as a `$ref` fragment token: RFC 6901 escapes, and `%` percent-encoded since the
/// fragment is a URI fragment (the generator percent-decodes it).
fn pointer_token(name: &str) -> String {
    name.replace('~', "~0")
        .replace('/', "~1")
        .replace('%', "%25")
}

/// A spec in which every place that takes text or a name gets hostile input.
/// Returns the spec and the schema names it defines.
fn hostile_spec(
    schema_names: &[String],
    prop_names: &[String],
    enum_values: &[String],
    op_ids: &[String],
    tags: &[String],
    param_names: &[String],
    desc: &dyn Fn(usize) -> String,
) -> (Value, Vec<String>) {
    let mut schemas = Map::new();
    let mut defined = Vec::new();
    for (i, name) in schema_names.iter().enumerate() {
        if schemas.contains_key(name) {
            continue;
        }
        let mut props = Map::new();
        for (j, p) in prop_names.iter().enumerate() {
            props.insert(
                p.clone(),
                json!({"type": "string", "description": desc(i * 7 + j)}),
            );
        }
        schemas.insert(
            name.clone(),
            json!({"type": "object", "description": desc(i), "properties": props}),
        );
        defined.push(name.clone());
    }
    let enum_name = "Enum with \"quotes\" */".to_owned();
    let mut values: Vec<String> = Vec::new();
    for v in enum_values {
        if !values.contains(v) {
            values.push(v.clone());
        }
    }
    if !schemas.contains_key(&enum_name) {
        schemas.insert(
            enum_name.clone(),
            json!({"type": "string", "enum": values, "description": desc(99)}),
        );
        defined.push(enum_name.clone());
    }
    let first = format!("#/components/schemas/{}", pointer_token(&defined[0]));
    let enum_ref = format!("#/components/schemas/{}", pointer_token(&enum_name));
    let mut paths = Map::new();
    for (i, id) in op_ids.iter().enumerate() {
        let mut params = vec![json!({"name": "id", "in": "path", "required": true,
            "schema": {"type": "string"}, "description": desc(i + 3)})];
        for (j, p) in param_names.iter().enumerate() {
            let location = if j % 2 == 0 { "query" } else { "header" };
            params.push(
                json!({"name": p, "in": location, "schema": {"type": "string"},
                "description": desc(i + j)}),
            );
        }
        paths.insert(
            format!("/items{i}/{{id}}"),
            json!({"post": {
                "operationId": id,
                "tags": [tags[i % tags.len()]],
                "summary": desc(i + 1),
                "description": desc(i + 2),
                "parameters": params,
                "requestBody": {"description": desc(i + 4), "content": {"application/json": {"schema": {"$ref": enum_ref}}}},
                "responses": {"200": {"description": desc(i + 5), "content": {"application/json": {"schema": {"$ref": first}}}}},
            }}),
        );
    }
    let spec = json!({
        "openapi": "3.1.0",
        "info": {"title": desc(7), "version": "1", "description": desc(8), "summary": desc(9)},
        "servers": [{"url": "https://api.example.com", "description": desc(10)}],
        "tags": tags.iter().enumerate().map(|(i, t)| json!({"name": t, "description": desc(i)})).collect::<Vec<_>>(),
        "paths": paths,
        "components": {"schemas": schemas},
    });
    (spec, defined)
}

// ---------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Findings {
    doc_text: String,
}

/// Walks a token stream: identifiers, macro calls and attributes.
fn scan(path: &str, tokens: TokenStream, found: &mut Findings) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tt) in tokens.iter().enumerate() {
        match tt {
            TokenTree::Ident(id) => {
                let text = id.to_string();
                assert!(
                    !text.to_ascii_lowercase().contains("pwned"),
                    "{path}: identifier `{text}` came from a description"
                );
                assert_ne!(text, "unsafe", "{path}: `unsafe` in generated code");
                if text == "fn" {
                    if let Some(TokenTree::Ident(name)) = tokens.get(i + 1) {
                        assert_ne!(
                            name.to_string(),
                            "evil",
                            "{path}: `fn evil` came from a name"
                        );
                    }
                }
                // A macro call: `name ! (...)`.
                if let (Some(TokenTree::Punct(bang)), Some(TokenTree::Group(_))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                {
                    if bang.as_char() == '!' && bang.spacing() == Spacing::Alone {
                        assert!(
                            ALLOWED_MACROS.contains(&text.as_str()),
                            "{path}: unexpected macro `{text}!`"
                        );
                    }
                }
            }
            TokenTree::Punct(p) if p.as_char() == '#' => {
                // An attribute: `# [..]` or `# ! [..]`.
                let mut j = i + 1;
                if matches!(tokens.get(j), Some(TokenTree::Punct(b)) if b.as_char() == '!') {
                    j += 1;
                }
                if let Some(TokenTree::Group(g)) = tokens.get(j) {
                    if g.delimiter() == Delimiter::Bracket {
                        check_attribute(path, g.stream(), found);
                    }
                }
            }
            TokenTree::Group(g) => scan(path, g.stream(), found),
            TokenTree::Literal(_) | TokenTree::Punct(_) => {}
        }
    }
}

fn check_attribute(path: &str, attr: TokenStream, found: &mut Findings) {
    let parts: Vec<TokenTree> = attr.into_iter().collect();
    let Some(TokenTree::Ident(name)) = parts.first() else {
        panic!("{path}: attribute without a name: {parts:?}");
    };
    let name = name.to_string();
    assert!(
        ALLOWED_ATTRIBUTES.contains(&name.as_str()),
        "{path}: attribute `#[{name}]` came from the spec"
    );
    if name == "doc" {
        // `doc = "text"`, nothing else: a description stays one string.
        match parts.as_slice() {
            [_, TokenTree::Punct(eq), TokenTree::Literal(lit)] if eq.as_char() == '=' => {
                let lit: syn::LitStr = syn::parse_str(&lit.to_string())
                    .unwrap_or_else(|e| panic!("{path}: doc is not a string literal: {e}"));
                found.doc_text.push_str(&lit.value());
                found.doc_text.push('\n');
            }
            [_, TokenTree::Group(_)] => {} // #[doc(hidden)] and the like
            other => panic!("{path}: unexpected doc attribute shape: {other:?}"),
        }
    }
}

/// Parses every file, scans it, and checks the items against what the spec defines.
fn check(g: &codegen::Generated, schema_names: &[String], ops: usize, tags: usize) -> Findings {
    let mut found = Findings::default();
    let mut paths = BTreeSet::new();
    let mut resources = Vec::new();
    let mut groups = 0;
    for file in &g.files {
        paths.insert(file.path.clone());
        if !file.path.ends_with(".rs") {
            continue;
        }
        let parsed = syn::parse_file(&file.contents)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}\n{}", file.path, file.contents));
        // Comments are not tokens: the only ones allowed are the two header lines.
        for line in file.contents.lines() {
            let t = line.trim_start();
            if t.starts_with("//") && !t.starts_with("///") && !t.starts_with("//!") {
                assert!(
                    t.starts_with("// @generated by forge from ")
                        || t.starts_with("// change the spec and run"),
                    "{}: stray comment line {line:?}",
                    file.path
                );
            }
        }
        scan(&file.path, quote::quote!(#parsed), &mut found);
        match file.path.as_str() {
            "src/types.rs" => check_types(&parsed, schema_names),
            "src/client.rs" => check_client(&parsed),
            "src/lib.rs" => check_lib(&parsed),
            "src/resources/mod.rs" => resources.push(parsed),
            other if other.starts_with("src/resources/") => {
                groups += 1;
                resources.push(parsed);
            }
            other => panic!("unexpected file {other}"),
        }
    }
    for name in [
        "src/client.rs",
        "src/lib.rs",
        "src/types.rs",
        "src/resources/mod.rs",
    ] {
        assert!(paths.contains(name), "no {name} among {paths:?}");
    }
    assert!(groups <= tags, "{groups} group modules for {tags} tags");
    check_resources(&resources, ops, tags);
    found
}

/// One type per schema, each named after its schema (plus a number when two names collide).
fn check_types(file: &syn::File, schema_names: &[String]) {
    let mut defined = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => defined.push(s.ident.to_string()),
            syn::Item::Enum(e) => defined.push(e.ident.to_string()),
            syn::Item::Type(t) => defined.push(t.ident.to_string()),
            syn::Item::Impl(i) => {
                let ty = &i.self_ty;
                let ty = quote::quote!(#ty).to_string();
                assert!(
                    schema_names
                        .iter()
                        .any(|s| ty.starts_with(&names::type_name(s))),
                    "impl for `{ty}`, which no schema defines"
                );
            }
            // The runtime's `closed_enum! { enum Name { .. } }` and `tagged_union! { .. }`
            // define the enum they are given.
            syn::Item::Macro(m)
                if matches!(
                    m.mac
                        .path
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .as_deref(),
                    Some("closed_enum" | "tagged_union")
                ) =>
            {
                let body: syn::ItemEnum = syn::parse2(m.mac.tokens.clone()).unwrap_or_else(|e| {
                    panic!("a type macro without an enum ({e}): {}", quote::quote!(#m))
                });
                defined.push(body.ident.to_string());
            }
            // `object! { struct Name { .. } }` defines the struct it is given.
            syn::Item::Macro(m)
                if m.mac
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .as_deref()
                    == Some("object") =>
            {
                let body: syn::ItemStruct = syn::parse2(m.mac.tokens.clone()).unwrap_or_else(|e| {
                    panic!(
                        "an object macro without a struct ({e}): {}",
                        quote::quote!(#m)
                    )
                });
                defined.push(body.ident.to_string());
            }
            // The runtime's `constant!(Name, ..)` and `open_enum!(Name)` implement traits for a
            // type defined beside them, like an impl.
            syn::Item::Macro(m) => {
                let name = m.mac.path.segments.last().map(|s| s.ident.to_string());
                assert!(
                    matches!(name.as_deref(), Some("constant" | "open_enum")),
                    "unexpected macro item in types.rs: {}",
                    quote::quote!(#m)
                );
                let Some(TokenTree::Ident(ty)) = m.mac.tokens.clone().into_iter().next() else {
                    panic!("a type macro without a type: {}", quote::quote!(#m));
                };
                let ty = ty.to_string();
                assert!(
                    schema_names
                        .iter()
                        .any(|s| ty.starts_with(&names::type_name(s))),
                    "macro for `{ty}`, which no schema defines"
                );
            }
            syn::Item::Use(_) => {}
            other => panic!("unexpected item in types.rs: {}", quote::quote!(#other)),
        }
    }
    assert_eq!(
        defined.len(),
        schema_names.len(),
        "types {defined:?} for schemas {schema_names:?}"
    );
    for name in &defined {
        let from_spec = schema_names.iter().any(|s| {
            let base = names::type_name(s);
            name == &base
                || name.strip_prefix(&base).is_some_and(|rest| {
                    // A collision suffix: `2`, or `_2` after a name ending in a digit.
                    let digits = rest.strip_prefix('_').unwrap_or(rest);
                    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
                })
        });
        assert!(
            from_spec,
            "type `{name}` does not come from a schema name: {schema_names:?}"
        );
    }
}

/// `client.rs` holds the client and the runtime's types under this API's names, nothing else.
fn check_client(file: &syn::File) {
    for item in &file.items {
        let name = match item {
            syn::Item::Struct(s) => s.ident.to_string(),
            syn::Item::Type(t) => t.ident.to_string(),
            syn::Item::Enum(e) => e.ident.to_string(),
            syn::Item::Fn(f) => panic!("free function `{}` in client.rs", f.sig.ident),
            syn::Item::Mod(m) => panic!("module `{}` in client.rs", m.ident),
            syn::Item::Macro(m) => panic!("macro item in client.rs: {}", quote::quote!(#m)),
            _ => continue,
        };
        assert!(
            CLIENT_TYPES.contains(&name.as_str()),
            "unexpected type `{name}` in client.rs"
        );
    }
}

/// The resources files hold one `<Tag>Api` handle per group, one `<Op>Request` value per
/// operation (a number added after a collision), the events statics, and the group modules.
fn check_resources(files: &[syn::File], ops: usize, tags: usize) {
    let (mut apis, mut requests) = (0, 0);
    let base = |name: &str| {
        name.trim_end_matches(|c: char| c.is_ascii_digit())
            .trim_end_matches('_')
            .to_owned()
    };
    for file in files {
        for item in &file.items {
            match item {
                syn::Item::Struct(s) => {
                    let name = base(&s.ident.to_string());
                    if name.ends_with("Api") {
                        apis += 1;
                    } else if name.ends_with("Request") {
                        requests += 1;
                    } else {
                        panic!("unexpected type `{}` in resources", s.ident);
                    }
                }
                syn::Item::Static(s) => {
                    assert!(
                        base(&s.ident.to_string()).ends_with("_EVENTS"),
                        "unexpected static `{}`",
                        s.ident
                    );
                }
                syn::Item::Mod(m) => assert!(m.content.is_none(), "inline module `{}`", m.ident),
                syn::Item::Impl(_) | syn::Item::Use(_) => {}
                // The methods a request value shares (the macro names are checked in `scan`).
                syn::Item::Macro(m)
                    if m.mac
                        .path
                        .segments
                        .last()
                        .is_some_and(|s| s.ident == "request_value") => {}
                syn::Item::Fn(f) => panic!("free function `{}` in resources", f.sig.ident),
                other => panic!("unexpected item in resources: {}", quote::quote!(#other)),
            }
        }
    }
    assert!(apis <= tags, "{apis} API groups for {tags} tags");
    assert_eq!(requests, ops, "one request value per operation");
}

fn check_lib(file: &syn::File) {
    for item in &file.items {
        match item {
            syn::Item::Mod(m) => assert!(
                ["client", "resources", "types"].contains(&m.ident.to_string().as_str()),
                "module `{}`",
                m.ident
            ),
            syn::Item::Use(_) => {}
            other => panic!("unexpected item in lib.rs: {}", quote::quote!(#other)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn every_description_and_name_payload_stays_text() {
    let names: Vec<String> = NAMES.iter().map(|s| s.to_string()).collect();
    let all_desc = |i: usize| {
        let mut text = DESCRIPTIONS[i % DESCRIPTIONS.len()].to_owned();
        text.push_str("\n\n");
        text.push_str(DESCRIPTIONS[(i + 5) % DESCRIPTIONS.len()]);
        text.push_str(" PWNED ");
        text
    };
    let (spec, schemas) = hostile_spec(
        &names,
        &names,
        &names,
        &names[..8],
        &names[8..14],
        &names[14..20],
        &all_desc,
    );
    let g = generate(&spec);
    let found = check(&g, &schemas, 8, 6);
    // The payloads are there, as documentation.
    assert!(found.doc_text.contains("PWNED"));
    assert!(
        found.doc_text.contains("*/ fn pwned_1() {} /*"),
        "{}",
        found.doc_text
    );
    assert!(
        found.doc_text.contains("#\\[pwned_attr\\]") || found.doc_text.contains("#[pwned_attr]")
    );
}

#[test]
fn every_payload_in_every_slot_one_at_a_time() {
    // One payload everywhere at once keeps failures easy to read.
    for payload in DESCRIPTIONS.iter().chain(NAMES) {
        // As a name, a description payload says `evil`: `pwned` may not reach an identifier.
        let name = payload
            .replace("pwned", "evil")
            .replace("PWNED", "EVILNAME");
        let one = vec![name.clone()];
        let two = vec![name.clone(), format!("{name}2")];
        let desc = |_: usize| payload.to_string();
        let (spec, schemas) = hostile_spec(&two, &two, &two, &one, &one, &one, &desc);
        let g = generate(&spec);
        check(&g, &schemas, 1, 1);
    }
}

#[test]
fn bidirectional_controls_never_reach_a_doc_comment() {
    const BIDI: [char; 9] = [
        '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}',
    ];
    let payload: String = BIDI.iter().map(|c| format!("x{c}y ")).collect();
    let one = vec![payload.clone()];
    let desc = |_: usize| payload.clone();
    let (spec, _) = hostile_spec(&one, &one, &one, &one, &one, &one, &desc);
    let g = generate(&spec);
    for file in &g.files {
        for (n, line) in file.contents.lines().enumerate() {
            let t = line.trim_start();
            if t.starts_with("//") {
                assert!(
                    !line.contains(BIDI),
                    "{}:{}: a bidi control in a comment: {line:?}",
                    file.path,
                    n + 1
                );
            }
        }
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Bidi controls are left out here: the ignored test above covers them.
    fn not_bidi(c: &char) -> bool {
        !matches!(*c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }

    fn hostile_text(max_parts: usize) -> impl Strategy<Value = String> {
        let part = prop_oneof![
            3 => prop::sample::select(vec![
                "*/", "/*", "\"#", "#\"", "#[", "#![", "]", "\\", "\\\"", "\n", "\r\n", "\r",
                "```rust\nfn evil(){}\n```", "```", "`", "\"", "'", "::", "{}", "{", "}", " ",
                "\t", "\0", "r#", "self", "Self", "type", "fn", "mod", "crate", "名前", "é",
                "0", "-", "+", "$", "~", "/", "%", "<", ">", "[", "]", "(", ")", "\u{2028}",
                "\u{feff}",
            ]).prop_map(str::to_owned),
            1 => any::<char>().prop_filter("bidi", not_bidi).prop_map(String::from),
            1 => "[a-zA-Z]{1,6}",
        ];
        prop::collection::vec(part, 0..max_parts).prop_map(|v| v.concat())
    }

    fn name_list(max: usize) -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec(hostile_text(4), 1..max)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn random_names_and_descriptions_never_escape_into_code(
            schema_names in name_list(4),
            prop_names in name_list(4),
            enum_values in name_list(4),
            op_ids in name_list(3),
            tags in name_list(3),
            param_names in name_list(3),
            descriptions in prop::collection::vec(
                hostile_text(8).prop_map(|t| format!("{t} PWNED {t}")), 1..6),
        ) {
            // Operation ids must be unique in a valid spec; make them so without changing
            // what they sanitize to.
            let mut seen = BTreeSet::new();
            let op_ids: Vec<String> = op_ids
                .into_iter()
                .filter(|id| seen.insert(id.clone()))
                .collect();
            let desc = |i: usize| descriptions[i % descriptions.len()].clone();
            let (spec, schemas) = hostile_spec(
                &schema_names, &prop_names, &enum_values, &op_ids, &tags, &param_names, &desc,
            );
            let g = generate(&spec);
            let found = check(&g, &schemas, op_ids.len(), tags.len());
            prop_assert!(found.doc_text.contains("PWNED"));
        }
    }
}
