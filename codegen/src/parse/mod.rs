//! Stage 1a: spec text (JSON or YAML) to a `serde_json::Value` tree, with limits that keep hostile
//! input from exhausting the stack or memory.
//!
//! Everything downstream works on `serde_json::Value`, so JSON pointers in errors mean the same
//! thing whatever the input format was.

mod yaml;

use crate::error::{Error, ErrorKind, Location};

/// Nesting deeper than this is refused: no real spec comes close, and the recursive passes that
/// follow (typed parsing, drop) must not overflow the stack.
pub const MAX_DEPTH: usize = 128;

/// Nodes a YAML document may expand to through aliases (billion laughs).
pub const MAX_NODES: usize = 5_000_000;

/// Parses `text` as JSON if it looks like JSON (first non-space byte `{` or `[`), else as YAML.
pub fn load(file: &str, text: &str) -> Result<serde_json::Value, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        load_json(file, trimmed)
    } else {
        yaml::load(file, text)
    }
}

fn load_json(file: &str, text: &str) -> Result<serde_json::Value, Error> {
    // serde_json's own recursion limit (128) bounds the depth.
    serde_json::from_str(text).map_err(|e| {
        let kind = if e.to_string().contains("recursion limit") {
            ErrorKind::Limit(format!("nesting deeper than {MAX_DEPTH} levels"))
        } else {
            ErrorKind::Syntax {
                format: "JSON",
                message: strip_position(&e.to_string()),
            }
        };
        Error {
            file: file.to_owned(),
            location: Location::Line {
                line: e.line(),
                column: e.column(),
            },
            kind,
        }
    })
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Renders the path `serde_path_to_error` reports as a JSON pointer (`#/a/b/0`).
pub fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::from("#");
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&crate::error::escape_token(key)),
            Segment::Enum { variant } => out.push_str(&crate::error::escape_token(variant)),
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_detected_by_its_first_byte() {
        let v = load("a.json", "  {\"openapi\": \"3.1.0\"}").unwrap();
        assert_eq!(v["openapi"], "3.1.0");
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let e = load("a.json", "{\n  \"a\": ,\n}").unwrap_err();
        assert_eq!(e.location, Location::Line { line: 2, column: 8 });
        assert!(matches!(e.kind, ErrorKind::Syntax { format: "JSON", .. }));
    }

    #[test]
    fn deep_json_is_refused_not_overflowed() {
        let text = "[".repeat(5000) + &"]".repeat(5000);
        let e = load("a.json", &text).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Limit(_)), "{e}");
    }
}

/// The real-world specs of the shared corpus (`../shared/specs/real`), as (file name, text),
/// sorted. The corpus is part of the test set-up: a missing one fails the test that asks.
#[cfg(test)]
pub(crate) fn corpus_specs() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/real");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the shared spec corpus is missing: cannot list {}: {e}",
            dir.display()
        )
    });
    let mut specs: Vec<(String, String)> = entries
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .path()
        })
        .filter(|path| path.extension().is_some_and(|e| e == "json" || e == "yaml"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (name, text)
        })
        .collect();
    assert!(
        !specs.is_empty(),
        "no .json or .yaml spec in {}",
        dir.display()
    );
    specs.sort();
    specs
}

#[cfg(test)]
mod corpus_smoke {
    /// Every real spec in the shared corpus loads to a document with an `openapi` field.
    #[test]
    fn corpus_specs_load() {
        for (name, text) in super::corpus_specs() {
            let v = super::load(&name, &text).unwrap_or_else(|e| panic!("{e}"));
            assert!(v.get("openapi").is_some(), "{name}");
        }
    }
}
