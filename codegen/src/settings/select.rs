//! `select:` in the settings: which operations are generated. `include` keeps only the operations
//! an entry matches (all when empty), `exclude` removes the ones an entry matches; an entry
//! matches by operationId, by tag, or by a path pattern. The types no selected operation reaches
//! are not generated (`ir::select`).

use serde::Deserialize;

use crate::error::{Error, ErrorKind};

/// Operation selection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Select {
    /// Only the operations these match (every operation when empty).
    #[serde(default)]
    pub include: Vec<Matcher>,
    /// Not the operations these match, even when included.
    #[serde(default)]
    pub exclude: Vec<Matcher>,
}

/// One entry of `include` or `exclude`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Matcher {
    /// `operation: <operationId>`.
    Operation(String),
    /// `tag: <tag>`: an operation with this tag among its tags.
    Tag(String),
    /// `path: <pattern>`: the operation's path as the spec writes it (without a `?query` part),
    /// where `*` stands for any characters but `/` and `**` for any characters.
    Path(String),
}

/// What an operation is matched on.
#[derive(Debug, Clone, Copy)]
pub struct OperationKey<'a> {
    /// Its operationId (or the id derived from method and path).
    pub id: &'a str,
    /// Its tags.
    pub tags: &'a [String],
    /// The path key in the spec.
    pub path: &'a str,
}

impl Matcher {
    /// Whether this entry matches the operation.
    pub fn matches(&self, op: OperationKey<'_>) -> bool {
        match self {
            Matcher::Operation(id) => id == op.id,
            Matcher::Tag(tag) => op.tags.iter().any(|t| t == tag),
            Matcher::Path(pattern) => {
                let path = op.path.split('?').next().unwrap_or(op.path);
                glob(pattern.as_bytes(), path.as_bytes())
            }
        }
    }
}

/// Decides, operation by operation, and remembers which entries matched anything, so an entry
/// that matches nothing (a misspelt tag) is reported instead of silently selecting nothing.
#[derive(Debug)]
pub struct Selector<'a> {
    select: &'a Select,
    included: Vec<bool>,
    excluded: Vec<bool>,
}

impl<'a> Selector<'a> {
    /// A selector for the settings' `select`.
    pub fn new(select: &'a Select) -> Self {
        Selector {
            select,
            included: vec![false; select.include.len()],
            excluded: vec![false; select.exclude.len()],
        }
    }

    /// Whether the operation is generated.
    pub fn selects(&mut self, op: OperationKey<'_>) -> bool {
        let mut included = self.select.include.is_empty();
        for (i, m) in self.select.include.iter().enumerate() {
            if m.matches(op) {
                self.included[i] = true;
                included = true;
            }
        }
        let mut excluded = false;
        for (i, m) in self.select.exclude.iter().enumerate() {
            if m.matches(op) {
                self.excluded[i] = true;
                excluded = true;
            }
        }
        included && !excluded
    }

    /// After every operation was seen: an entry that matched none is an error naming it.
    pub fn finish(self, settings_file: &str, spec_file: &str) -> Result<(), Error> {
        let unmatched = |list: &str, matched: &[bool], entries: &[Matcher]| {
            matched.iter().position(|m| !m).map(|i| {
                let what = match &entries[i] {
                    Matcher::Operation(id) => format!("no operation `{id}`"),
                    Matcher::Tag(tag) => format!("no operation has the tag `{tag}`"),
                    Matcher::Path(p) => format!("no operation's path matches `{p}`"),
                };
                Error::at(
                    settings_file,
                    format!("#/select/{list}/{i}"),
                    ErrorKind::Settings(format!("{what} in {spec_file}")),
                )
            })
        };
        match unmatched("include", &self.included, &self.select.include)
            .or_else(|| unmatched("exclude", &self.excluded, &self.select.exclude))
        {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// `*` matches a run of characters without `/`, `**` any run; everything else itself.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern {
        [] => text.is_empty(),
        [b'*', b'*', rest @ ..] => (0..=text.len()).any(|i| glob(rest, &text[i..])),
        [b'*', rest @ ..] => {
            let segment = text.iter().position(|&c| c == b'/').unwrap_or(text.len());
            (0..=segment).any(|i| glob(rest, &text[i..]))
        }
        [c, rest @ ..] => text.first() == Some(c) && glob(rest, &text[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key<'a>(id: &'a str, tags: &'a [String], path: &'a str) -> OperationKey<'a> {
        OperationKey { id, tags, path }
    }

    #[test]
    fn path_patterns() {
        let m = |p: &str, path: &str| Matcher::Path(p.into()).matches(key("x", &[], path));
        assert!(m("/v1/messages/*", "/v1/messages/{message_id}"));
        assert!(m("/v1/messages/*", "/v1/messages/batches"));
        assert!(!m("/v1/messages/*", "/v1/messages/batches/{id}"));
        assert!(!m("/v1/messages/*", "/v1/messages"));
        assert!(m("/v1/messages/**", "/v1/messages/batches/{id}/results"));
        assert!(m("/v1/messages*", "/v1/messages?beta=true"));
        assert!(m("/v1/*/batches", "/v1/messages/batches"));
        assert!(m("/v1/messages", "/v1/messages"));
        assert!(!m("/v1/messages", "/v1/messages/x"));
    }

    #[test]
    fn include_then_exclude() {
        let select = Select {
            include: vec![Matcher::Tag("pets".into())],
            exclude: vec![Matcher::Operation("deletePet".into())],
        };
        let mut s = Selector::new(&select);
        let pets = ["pets".to_owned()];
        assert!(s.selects(key("listPets", &pets, "/pets")));
        assert!(!s.selects(key("deletePet", &pets, "/pets/{id}")));
        assert!(!s.selects(key("listUsers", &[], "/users")));
        assert!(s.finish("s.yaml", "api.yaml").is_ok());
    }

    #[test]
    fn an_entry_that_matches_nothing_is_named() {
        let select = Select {
            include: vec![Matcher::Tag("pets".into()), Matcher::Tag("pest".into())],
            exclude: vec![],
        };
        let mut s = Selector::new(&select);
        s.selects(key("listPets", &["pets".to_owned()], "/pets"));
        let e = s.finish("s.yaml", "api.yaml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "s.yaml: #/select/include/1: invalid settings: no operation has the tag `pest` in api.yaml"
        );
    }

    #[test]
    fn every_operation_when_nothing_is_included() {
        let select = Select::default();
        let mut s = Selector::new(&select);
        assert!(s.selects(key("a", &[], "/a")));
    }
}
