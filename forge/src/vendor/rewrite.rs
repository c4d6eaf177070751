//! The text rewrites that make a file of `forge-runtime` a file of the module `forge_runtime`
//! inside a generated crate. The runtime is this repository's own rustfmt-formatted code, so the
//! rewrites work on lines in the shapes rustfmt writes (no parse and reprint: comments and layout
//! stay as written), and a shape they do not know is an error naming the file and line, which
//! the vendoring test meets before any user does.
//!
//! - paths: `crate::` becomes `crate::forge_runtime::`, `$crate::` becomes
//!   `$crate::forge_runtime::` (`pub(crate)` stays: the module is one crate with its user);
//! - exported macros: `#[macro_export]` becomes `#[allow(unused_macros)]` and
//!   `pub(crate) use name;` follows the macro,
//!   so the module root can re-export it (see [`macro_reexports`]);
//! - test code: items under `#[cfg(test)]` or `#[cfg(feature = "testing")]` are removed, with
//!   their doc comments, so the crate's own `cargo test` never compiles the runtime's tests;
//! - doc tests: every code block in a doc comment becomes a `text` block without its hidden
//!   (`# `) lines, so no doc test of the vendored module runs.

/// Why a file could not be rewritten: its line (1-based) and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewriteError {
    /// The line of the original file.
    pub line: usize,
    /// What was not understood.
    pub reason: String,
}

/// A runtime file, rewritten, and the names of the exported macros it defines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rewritten {
    /// The new text.
    pub text: String,
    /// `macro_rules!` names that were `#[macro_export]`ed, in file order.
    pub macros: Vec<String>,
}

/// The attributes whose items are test-only.
const TEST_ONLY: &[&str] = &["#[cfg(test)]", "#[cfg(feature = \"testing\")]"];

/// Applies every rewrite to one file.
pub fn file(text: &str) -> Result<Rewritten, RewriteError> {
    let lines: Vec<&str> = text.lines().collect();
    let kept = remove_test_items(&lines)?;
    let mut out = Rewritten::default();
    let mut pending_macro: Option<String> = None;
    let mut fence = Fence::default();
    let mut body = Vec::with_capacity(kept.len());
    let mut i = 0;
    while i < kept.len() {
        let (number, line) = kept[i];
        i += 1;
        if line.trim() == "#[macro_export]" {
            let name = kept
                .get(i)
                .and_then(|(_, next)| next.strip_prefix("macro_rules! "))
                .and_then(|rest| rest.strip_suffix(" {"))
                .filter(|name| is_ident(name) && !line.starts_with(' '));
            let Some(name) = name else {
                return Err(RewriteError {
                    line: number,
                    reason: "`#[macro_export]` not followed by `macro_rules! name {` at column 0"
                        .into(),
                });
            };
            pending_macro = Some(name.to_owned());
            // A crate uses the macros its types need, not always both.
            body.push("#[allow(unused_macros)]".to_owned());
            continue;
        }
        let Some(line) = fence.rewrite(line) else {
            continue;
        };
        body.push(paths(&line));
        if line == "}" {
            if let Some(name) = pending_macro.take() {
                body.push("#[allow(unused_imports)]".to_owned());
                body.push(format!("pub(crate) use {name};"));
                out.macros.push(name);
            }
        }
    }
    if let Some(name) = pending_macro {
        return Err(RewriteError {
            line: lines.len(),
            reason: format!("the macro `{name}` has no closing `}}` at column 0"),
        });
    }
    out.text = join(&body);
    Ok(out)
}

/// The lines that stay once test-only items are gone: (1-based line number, text).
fn remove_test_items<'a>(lines: &[&'a str]) -> Result<Vec<(usize, &'a str)>, RewriteError> {
    let mut kept: Vec<(usize, &str)> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if !TEST_ONLY.contains(&trimmed.trim_end()) {
            if TEST_ONLY.iter().any(|attr| trimmed.starts_with(attr)) {
                return Err(RewriteError {
                    line: i + 1,
                    reason: "a test-only attribute with its item on the same line".into(),
                });
            }
            kept.push((i + 1, line));
            i += 1;
            continue;
        }
        let indent = &line[..line.len() - trimmed.len()];
        // The item's doc comments and other attributes above the `cfg` go with it.
        while kept.last().is_some_and(|(_, above)| {
            above.strip_prefix(indent).is_some_and(|rest| {
                (rest.starts_with("///") || rest.starts_with("#[")) && !rest.starts_with("#[cfg")
            })
        }) {
            kept.pop();
        }
        let start = i;
        i += 1;
        // Attributes below it, then the item up to its `;` or its closing brace at its indent.
        while lines
            .get(i)
            .is_some_and(|l| l.strip_prefix(indent).is_some_and(|r| r.starts_with("#[")))
        {
            i += 1;
        }
        let Some(first) = lines.get(i) else {
            return Err(RewriteError {
                line: start + 1,
                reason: "a test-only attribute at the end of the file".into(),
            });
        };
        if !first.trim_end().ends_with(';') {
            let close = format!("{indent}}}");
            match lines[i..].iter().position(|l| l.trim_end() == close) {
                Some(offset) => i += offset,
                None => {
                    return Err(RewriteError {
                        line: start + 1,
                        reason:
                            "a test-only item whose closing `}` at its indentation is not found"
                                .into(),
                    })
                }
            }
        }
        i += 1;
        // One blank line stays where the item was.
        if kept.last().is_some_and(|(_, l)| l.trim().is_empty())
            && lines.get(i).is_none_or(|l| l.trim().is_empty())
        {
            kept.pop();
        }
    }
    while kept.last().is_some_and(|(_, l)| l.trim().is_empty()) {
        kept.pop();
    }
    Ok(kept)
}

/// Where a doc comment's code block stands.
#[derive(Debug, Default)]
struct Fence {
    open: bool,
}

impl Fence {
    /// The line as it stays (`None`: dropped): an opening fence in a doc comment becomes
    /// ```` ```text ````, and the hidden lines of the block go.
    fn rewrite(&mut self, line: &str) -> Option<String> {
        let trimmed = line.trim_start();
        let Some(doc) = trimmed
            .strip_prefix("///")
            .or_else(|| trimmed.strip_prefix("//!"))
        else {
            self.open = false;
            return Some(line.to_owned());
        };
        let content = doc.strip_prefix(' ').unwrap_or(doc);
        if content.trim_start().starts_with("```") {
            let was_open = self.open;
            self.open = !self.open;
            if was_open {
                return Some(line.to_owned());
            }
            let prefix_len = line.len() - content.len();
            let indent = &content[..content.len() - content.trim_start().len()];
            return Some(format!("{}{indent}```text", &line[..prefix_len]));
        }
        if self.open && (content == "#" || content.starts_with("# ")) {
            return None;
        }
        Some(line.to_owned())
    }
}

/// `crate::` paths made paths into the module, `$crate::` ones too.
pub fn paths(line: &str) -> String {
    const CRATE: &str = "crate::";
    let mut out = String::with_capacity(line.len() + 16);
    let mut rest = line;
    while let Some(at) = rest.find(CRATE) {
        let before = &rest[..at];
        out.push_str(before);
        let prior = before.chars().next_back();
        let whole_word = !prior.is_some_and(|c| c.is_alphanumeric() || c == '_');
        out.push_str(CRATE);
        if whole_word {
            out.push_str("forge_runtime::");
        }
        rest = &rest[at + CRATE.len()..];
    }
    out.push_str(rest);
    out
}

fn is_ident(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn join(lines: &[String]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// The lines a module root appends so that the macros its files define are reachable as
/// `forge_runtime::name!`, as the crate's `#[macro_export]` made them: `(module, macro)` pairs,
/// where the module is the file's path under the root (`macros`).
pub fn macro_reexports(macros: &[(String, String)]) -> String {
    if macros.is_empty() {
        return String::new();
    }
    let mut text = String::from(
        "\n// The runtime's exported macros, reachable as `forge_runtime::name!` as in the crate.\n",
    );
    for (module, name) in macros.iter().filter(|(module, _)| !module.is_empty()) {
        text.push_str("#[allow(unused_imports)]\n");
        text.push_str(&format!("pub(crate) use {module}::{name};\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_paths_point_into_the_module() {
        assert_eq!(
            paths("use crate::client::{a, b}; pub(crate) fn f() -> crate::Error"),
            "use crate::forge_runtime::client::{a, b}; pub(crate) fn f() -> crate::forge_runtime::Error"
        );
        assert_eq!(
            paths("$crate::wire::Const::Str($value)"),
            "$crate::forge_runtime::wire::Const::Str($value)"
        );
        assert_eq!(
            paths("pub(in crate::client) x"),
            "pub(in crate::forge_runtime::client) x"
        );
        assert_eq!(
            paths("my_crate::x and [`E`](crate::E)"),
            "my_crate::x and [`E`](crate::forge_runtime::E)"
        );
    }

    #[test]
    fn test_modules_and_testing_items_go() {
        let text = "\
use crate::a;

/// Kept.
pub fn kept() {}

/// Only for tests.
#[cfg(feature = \"testing\")]
pub fn scale(x: f64) -> f64 {
    x
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod more {
    use super::*;

    #[test]
    fn t() {}
}
";
        let out = file(text).unwrap();
        assert_eq!(
            out.text,
            "use crate::forge_runtime::a;\n\n/// Kept.\npub fn kept() {}\n"
        );
    }

    #[test]
    fn exported_macros_become_module_macros() {
        let text = "\
/// Docs.
#[macro_export]
macro_rules! m {
    ($x:ident) => {
        $crate::n!($x);
    };
}
";
        let out = file(text).unwrap();
        assert_eq!(out.macros, ["m"]);
        assert_eq!(
            out.text,
            "/// Docs.\n#[allow(unused_macros)]\nmacro_rules! m {\n    ($x:ident) => {\n        $crate::forge_runtime::n!($x);\n    };\n}\n#[allow(unused_imports)]\npub(crate) use m;\n"
        );
        assert_eq!(
            macro_reexports(&[("macros".into(), "m".into())]),
            "\n// The runtime's exported macros, reachable as `forge_runtime::name!` as in the crate.\n#[allow(unused_imports)]\npub(crate) use macros::m;\n"
        );
    }

    #[test]
    fn doc_tests_become_text() {
        let text = "\
//! Intro.
//!
//! ```no_run
//! use forge_runtime::Client;
//! # async fn run() {}
//! #
//! let x = 1; # not hidden
//! ```
/// ```
/// f();
/// ```
fn f() {}
";
        let out = file(text).unwrap();
        assert_eq!(
            out.text,
            "//! Intro.\n//!\n//! ```text\n//! use forge_runtime::Client;\n//! let x = 1; # not hidden\n//! ```\n/// ```text\n/// f();\n/// ```\nfn f() {}\n"
        );
    }

    #[test]
    fn unknown_shapes_are_errors_with_their_line() {
        let err = file("fn a() {}\n#[cfg(test)] use x;\n").unwrap_err();
        assert_eq!(err.line, 2);
        let err = file("#[macro_export]\nmacro_rules!m{}\n").unwrap_err();
        assert_eq!(err.line, 1);
        let err = file("#[cfg(test)]\nmod tests {\n    fn t() {}\n").unwrap_err();
        assert_eq!(err.line, 1);
    }
}
