//! Rust identifiers from arbitrary spec names: valid, ASCII, stable, and unique within their scope.
//!
//! Case conversion goes through heck; what heck leaves invalid (keywords, leading digits, symbols,
//! non-ASCII, empty names) is repaired here, and collisions get a numeric suffix in first-come
//! order, so the same spec always yields the same names.

use std::collections::HashSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (all editions), which need `r#` or a suffix.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "union",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// The names the crate root exports besides the schema types. A schema type with one of these
/// names gets a suffix; any other name (`Option`, `Box`, `Value`) is kept, because generated code
/// qualifies the standard names a spec type shadows.
pub const ROOT_EXPORTS: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "ApiError",
    "ApiErrorKind",
    "EventStream",
    "Response",
    "RequestOptions",
    "Upload",
    "StreamExt",
    "Secret",
    "Paginated",
    "ValidationError",
    "Self",
    // Prelude values that generated expressions use: a unit or tuple struct of the same name
    // would shadow them.
    "Some",
    "None",
    "Ok",
    "Err",
];

/// Replaces characters that cannot appear in an identifier, keeping word boundaries.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push(' ');
        } else if let Some(latin) = transliterate(c) {
            out.push_str(latin);
        } else {
            // Other non-ASCII letters keep their identity as a hex code point word.
            out.push_str(&format!(" u{:x} ", c as u32));
        }
    }
    out
}

/// Accented Latin letters as their base letters (`größe` -> `groesse` reads better than code
/// points); `None` for everything else.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'ä' | 'æ' => "ae",
        'Ä' | 'Æ' => "Ae",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'ď' | 'đ' | 'ð' => "d",
        'Ď' | 'Đ' | 'Ð' => "D",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ğ' => "g",
        'Ğ' => "G",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'Į' | 'İ' => "I",
        'ł' | 'ľ' => "l",
        'Ł' | 'Ľ' => "L",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ö' | 'œ' => "oe",
        'Ö' | 'Œ' => "Oe",
        'ř' => "r",
        'Ř' => "R",
        'ś' | 'š' | 'ş' => "s",
        'Ś' | 'Š' | 'Ş' => "S",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'Ť' | 'Ţ' => "T",
        'þ' => "th",
        'Þ' => "Th",
        'ù' | 'ú' | 'û' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ū' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ü' => "ue",
        'Ü' => "Ue",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        _ => return None,
    })
}

/// `UpperCamelCase` type or variant name.
pub fn type_name(raw: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if ROOT_EXPORTS.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// Variant name for an enum value: like a type name, but `Self` and friends only need a suffix.
pub fn variant_name(raw: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name = "SelfValue".to_owned();
    }
    name
}

/// `snake_case` field, method or parameter name (a raw identifier when it is a keyword).
pub fn field_name(raw: &str) -> String {
    // Keep a leading `+`/`-` meaning apart (GitHub's reactions use `+1` and `-1`).
    let prefix = match raw.chars().next() {
        Some('+') => "plus ",
        Some('-') if raw.len() > 1 => "minus ",
        _ => "",
    };
    let mut name = format!("{prefix}{}", ascii_words(raw)).to_snake_case();
    if name.is_empty() {
        name = "field".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// `SHOUTY_SNAKE_CASE` constant name.
pub fn const_name(raw: &str) -> String {
    let mut name = ascii_words(raw).to_shouty_snake_case();
    // heck drops the separator between digits ("4-5" -> "45"); keep digit groups apart.
    name = digit_groups(raw, name);
    if name.is_empty() {
        name = "EMPTY".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    name
}

/// Rebuilds a SHOUTY name so that adjacent digit groups stay separated by `_`, as in the official
/// Java SDK (`claude-opus-4-5` -> `CLAUDE_OPUS_4_5`).
fn digit_groups(raw: &str, heck_name: String) -> String {
    let words: Vec<String> = ascii_words(raw)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_shouty_snake_case())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        heck_name
    } else {
        words.join("_")
    }
}

/// `name` as written in Rust source (`r#type` for a keyword), for doc examples.
pub fn source_ident(name: &str) -> String {
    if needs_raw(name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// A member of a method family: `create` + `_streaming`; a trailing `_` (from `self_`) is not
/// doubled.
pub fn suffixed(name: &str, suffix: &str) -> String {
    format!("{}{suffix}", name.trim_end_matches('_'))
}

/// Whether `name` must be written `r#name`.
pub fn needs_raw(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Whether `name` is a keyword that cannot be raw, and so needs a suffix.
pub fn cannot_be_raw(name: &str) -> bool {
    NOT_RAW.contains(&name)
}

/// Hands out unique names within one scope.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// A scope with some names already taken.
    pub fn with_reserved(names: &[&str]) -> Self {
        Scope {
            taken: names.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// `name`, or `name2`, `name3`, ... if taken; `self`-like keywords get `_`.
    pub fn claim(&mut self, name: String) -> String {
        let base = if cannot_be_raw(&name) {
            format!("{name}_")
        } else {
            name
        };
        if self.taken.insert(base.clone()) {
            return base;
        }
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|i| format!("{base}{sep}{i}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(base)
    }

    /// `name` (or `name2`, ...) such that it and every `name + suffix` are free; claims them all.
    /// Methods come in families (`create`, `create_streaming`), and no member of one
    /// family may take a member of another.
    pub fn claim_family(&mut self, name: String, suffixes: &[&str]) -> String {
        let base = if cannot_be_raw(&name) {
            format!("{name}_")
        } else {
            name
        };
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let candidates =
            std::iter::once(base.clone()).chain((2..).map(|i| format!("{base}{sep}{i}")));
        for candidate in candidates {
            let free = !self.taken.contains(&candidate)
                && suffixes
                    .iter()
                    .all(|s| !self.taken.contains(&suffixed(&candidate, s)));
            if free {
                self.taken.insert(candidate.clone());
                for s in suffixes {
                    self.taken.insert(suffixed(&candidate, s));
                }
                return candidate;
            }
        }
        base
    }

    /// Whether a name is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_camel_case() {
        assert_eq!(type_name("completion_response"), "CompletionResponse");
        assert_eq!(type_name("pull-request.review"), "PullRequestReview");
    }

    #[test]
    fn names_with_leading_digits_get_a_prefix() {
        assert_eq!(type_name("2fa"), "V2fa");
        assert_eq!(field_name("3d_secure"), "_3d_secure");
        assert_eq!(const_name("3-opus"), "V3_OPUS");
    }

    #[test]
    fn only_root_exports_get_a_suffix() {
        assert_eq!(type_name("Option"), "Option");
        assert_eq!(type_name("error"), "ErrorModel");
    }

    #[test]
    fn keywords_are_detected_for_raw_identifiers() {
        assert!(needs_raw(&field_name("type")));
        assert_eq!(Scope::default().claim(field_name("self")), "self_");
    }

    #[test]
    fn non_ascii_becomes_code_points() {
        assert_eq!(field_name("café"), "cafe");
        assert_eq!(field_name("größe"), "groesse");
        assert!(type_name("名前").is_ascii());
    }

    #[test]
    fn symbols_and_signs_are_kept_apart() {
        assert_eq!(field_name("+1"), "plus_1");
        assert_eq!(field_name("-1"), "minus_1");
        assert_eq!(field_name("@type"), "type");
    }

    #[test]
    fn model_ids_become_java_style_constants() {
        assert_eq!(
            const_name("claude-opus-4-5-20251101"),
            "CLAUDE_OPUS_4_5_20251101"
        );
        assert_eq!(
            const_name("claude-3-7-sonnet-latest"),
            "CLAUDE_3_7_SONNET_LATEST"
        );
    }

    #[test]
    fn collisions_get_numeric_suffixes_in_order() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim(field_name("fooBar")), "foo_bar");
        assert_eq!(scope.claim(field_name("foo_bar")), "foo_bar2");
        assert_eq!(scope.claim(field_name("FooBar")), "foo_bar3");
        let mut scope = Scope::default();
        assert_eq!(scope.claim("v1".into()), "v1");
        assert_eq!(scope.claim("v1".into()), "v1_2");
    }
}
