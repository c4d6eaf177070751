//! Path templates: `/v1/things/{id}` into literal and parameter segments, and the query some
//! specs write into the path key.

use crate::ir::operation::{ParamId, PathSegment, PathTemplate};

/// A path key split into its template and what follows a `?`.
#[derive(Debug, Clone, PartialEq)]
pub struct PathKey {
    /// The path part, before any `?`.
    pub path: String,
    /// `name=value` pairs of the query part; a value that is a `{template}` names a parameter.
    pub query: Vec<(String, QueryPart)>,
}

/// A value in the query part of a path key.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryPart {
    /// A constant (`?beta=true`).
    Literal(String),
    /// A template (`?query={query}`): the parameter of that name.
    Param(String),
}

impl PathKey {
    /// Splits a path key.
    pub fn parse(key: &str) -> PathKey {
        let (path, query) = match key.split_once('?') {
            Some((path, query)) => (path, query),
            None => (key, ""),
        };
        let query = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                let part = match value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
                    Some(param) => QueryPart::Param(param.to_owned()),
                    None => QueryPart::Literal(value.to_owned()),
                };
                (name.to_owned(), part)
            })
            .collect();
        PathKey {
            path: path.to_owned(),
            query,
        }
    }

    /// The names of the path's `{parameters}`, in order.
    pub fn template_names(&self) -> Vec<String> {
        pieces(&self.path)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Param(name) => Some(name.to_owned()),
                Piece::Text(_) => None,
            })
            .collect()
    }
}

enum Piece<'a> {
    Text(&'a str),
    Param(&'a str),
}

/// Text and `{name}` pieces; an unclosed `{` is text.
fn pieces(path: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        out.push(Piece::Param(&rest[start + 1..start + len]));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// The template, with each `{name}` resolved by `param`; a name no parameter fills stays as
/// written.
pub fn template(key: &PathKey, raw: &str, param: impl Fn(&str) -> Option<ParamId>) -> PathTemplate {
    let mut segments: Vec<PathSegment> = Vec::new();
    let push_text = |segments: &mut Vec<PathSegment>, text: &str| match segments.last_mut() {
        Some(PathSegment::Literal(prev)) => prev.push_str(text),
        _ => segments.push(PathSegment::Literal(text.to_owned())),
    };
    for piece in pieces(&key.path) {
        match piece {
            Piece::Text(text) => push_text(&mut segments, text),
            Piece::Param(name) => match param(name) {
                Some(id) => segments.push(PathSegment::Param(id)),
                None => push_text(&mut segments, &format!("{{{name}}}")),
            },
        }
    }
    let query = key
        .query
        .iter()
        .filter_map(|(name, part)| match part {
            QueryPart::Literal(value) => Some((name.clone(), value.clone())),
            QueryPart::Param(_) => None,
        })
        .collect();
    PathTemplate {
        segments,
        query,
        raw: raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_query_pairs_and_templates_are_told_apart() {
        let key = PathKey::parse("/v1/messages?beta=true");
        assert_eq!(key.path, "/v1/messages");
        assert_eq!(
            key.query,
            [("beta".to_owned(), QueryPart::Literal("true".into()))]
        );
        let key = PathKey::parse("/search/articles?query={query}");
        assert_eq!(
            key.query,
            [("query".to_owned(), QueryPart::Param("query".into()))]
        );
    }

    #[test]
    fn templates_keep_unfilled_names_and_unclosed_braces_as_text() {
        let key = PathKey::parse("/a/{id}/b/{other}/c{");
        let t = template(&key, "/a/{id}/b/{other}/c{", |n| {
            (n == "id").then_some(ParamId(0))
        });
        assert_eq!(
            t.segments,
            [
                PathSegment::Literal("/a/".into()),
                PathSegment::Param(ParamId(0)),
                PathSegment::Literal("/b/{other}/c{".into()),
            ]
        );
    }
}
