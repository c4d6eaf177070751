//! `docs/settings.md` is the reference of the settings file: it has a section for every key the
//! settings accept, and every YAML example in it is valid settings.

use codegen::Settings;

fn page() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/settings.md");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The YAML code blocks of the page, in order.
fn yaml_blocks(page: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in page.lines() {
        match (&mut current, line.trim()) {
            (None, "```yaml") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn every_key_has_a_section() {
    // The list of keys is the settings' own, as its unknown-key error states it.
    let err = Settings::from_text("s.yaml", "crate: x\nno_such_key: 1\n")
        .unwrap_err()
        .to_string();
    let (_, expected) = err.split_once("expected one of ").expect(&err);
    let keys: Vec<&str> = expected
        .split(", ")
        .map(|k| k.trim_matches(|c| c == '`' || c == ' '))
        .collect();
    assert!(keys.len() > 10 && keys.contains(&"select"), "{keys:?}");
    let page = page();
    for key in keys {
        assert!(
            page.contains(&format!("\n### `{key}`\n")),
            "docs/settings.md has no section for `{key}`"
        );
    }
}

#[test]
fn every_example_is_valid_settings() {
    let page = page();
    let blocks = yaml_blocks(&page);
    assert!(blocks.len() > 15, "only {} YAML blocks", blocks.len());
    for block in &blocks {
        let text = if block.starts_with("crate:") {
            block.clone()
        } else {
            format!("crate: example\n{block}")
        };
        Settings::from_text("docs/settings.md", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    }
    let full = Settings::from_text("example.yaml", &blocks[0]).unwrap();
    assert_eq!(full.crate_name, "acme-client");
    assert!(full.select.is_some() && !full.auth.is_empty() && !full.default_headers.0.is_empty());
}

#[test]
fn the_readme_settings_example_is_valid_settings() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");
    let readme = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let example = yaml_blocks(&readme)
        .into_iter()
        .find(|b| b.starts_with("# forge.yaml\n"))
        .expect("the README shows a forge.yaml");
    let settings = Settings::from_text("README.md", &example).unwrap_or_else(|e| panic!("{e}"));
    assert!(settings.select.is_some() && !settings.overlays.is_empty());
}
