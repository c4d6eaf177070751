//! The one `$ref` resolver, used by every stage.
//!
//! A local reference is a URI fragment holding a JSON pointer. RFC 6901 §6 says how to read it:
//! percent-decode the fragment (RFC 3986), then split the pointer at `/` and unescape `~1` and
//! `~0` in each token. Every reference is turned into one canonical form, the pointer with its
//! tokens escaped but not percent-encoded (`#/paths/~1pets~1{id}`), which is also how the
//! generator writes the pointers of the places it visits; so a place has one name however a spec
//! spells references to it.
//!
//! Following a chain of references that leads back to where it started without reaching
//! anything but other references is a reference loop, and an error. Recursion (a schema that
//! contains a reference to itself somewhere inside) is not seen here: the type space handles it.

use std::borrow::Cow;
use std::collections::HashSet;

use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{Components, Document, Header, Parameter, PathItem, RequestBody, Response, Schema};
use crate::error::{escape_token, Error, ErrorKind};

/// A reference in canonical form: `#` followed by `/`-separated escaped tokens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    /// The document root.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// Reads a `$ref` value. `None` for a reference to another document.
    pub fn parse(reference: &str) -> Option<Pointer> {
        let fragment = reference.strip_prefix('#')?;
        let decoded = percent_decode(fragment);
        let mut out = String::with_capacity(decoded.len() + 1);
        out.push('#');
        if decoded.is_empty() {
            return Some(Pointer(out));
        }
        // A pointer that does not start with `/` is not RFC 6901; specs that write
        // `#components/schemas/X` mean the same place.
        let body = decoded.strip_prefix('/').unwrap_or(&decoded);
        for token in body.split('/') {
            out.push('/');
            out.push_str(&escape_token(&unescape_token(token)));
        }
        Some(Pointer(out))
    }

    /// The pointer text (`#/components/schemas/Pet`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// One token deeper.
    pub fn join(&self, token: &str) -> Pointer {
        Pointer(format!("{}/{}", self.0, escape_token(token)))
    }

    /// The unescaped tokens.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .strip_prefix("#/")
            .into_iter()
            .flat_map(|rest| rest.split('/'))
            .map(unescape_token)
    }

    /// `Some(name)` when this is `#/components/<section>/<name>`.
    pub fn component(&self, section: &str) -> Option<String> {
        let rest = self.0.strip_prefix("#/components/")?;
        let rest = rest.strip_prefix(section)?.strip_prefix('/')?;
        (!rest.contains('/')).then(|| unescape_token(rest))
    }
}

impl std::fmt::Display for Pointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Something a `$ref` can stand for, with the components section that names it.
pub trait Referable: DeserializeOwned + Clone {
    /// `$ref`, if this is a reference.
    fn reference(&self) -> Option<&str>;
    /// The components map that holds named values of this kind.
    fn section(components: &Components) -> (&'static str, &IndexMap<String, Self>);
}

macro_rules! referable {
    ($ty:ty, $section:literal, $field:ident) => {
        impl Referable for $ty {
            fn reference(&self) -> Option<&str> {
                self.reference.as_deref()
            }
            fn section(components: &Components) -> (&'static str, &IndexMap<String, Self>) {
                ($section, &components.$field)
            }
        }
    };
}

referable!(Schema, "schemas", schemas);
referable!(Parameter, "parameters", parameters);
referable!(RequestBody, "requestBodies", request_bodies);
referable!(Response, "responses", responses);
referable!(Header, "headers", headers);
referable!(PathItem, "pathItems", path_items);

/// A value reached by following references, with the canonical pointer of where it is.
#[derive(Debug, Clone)]
pub struct Resolved<'a, T: Clone> {
    /// The value (borrowed from the document when it is a component).
    pub value: Cow<'a, T>,
    /// Where it is: the last reference followed, or the starting place.
    pub pointer: Pointer,
    /// Whether any reference was followed.
    pub via_ref: bool,
}

/// Resolves references within one document.
#[derive(Debug, Clone, Copy)]
pub struct Resolver<'a> {
    file: &'a str,
    doc: &'a Document,
    raw: &'a Value,
}

impl<'a> Resolver<'a> {
    /// A resolver over the typed document and the raw value it was read from.
    pub fn new(file: &'a str, doc: &'a Document, raw: &'a Value) -> Self {
        Resolver { file, doc, raw }
    }

    /// The spec's name, for errors.
    pub fn file(&self) -> &'a str {
        self.file
    }

    /// The typed document.
    pub fn doc(&self) -> &'a Document {
        self.doc
    }

    /// The canonical pointer of a `$ref` met at `at`, checked to exist.
    pub fn pointer(&self, reference: &str, at: &str) -> Result<Pointer, Error> {
        let pointer = Pointer::parse(reference).ok_or_else(|| {
            Error::at(self.file, at, ErrorKind::ExternalRef(reference.to_owned()))
        })?;
        if self.raw_at(&pointer).is_none() {
            return Err(Error::at(
                self.file,
                at,
                ErrorKind::DanglingRef(reference.to_owned()),
            ));
        }
        Ok(pointer)
    }

    /// The raw value at a canonical pointer.
    pub fn raw_at(&self, pointer: &Pointer) -> Option<&'a Value> {
        let mut current = self.raw;
        for token in pointer.tokens() {
            current = match current {
                Value::Object(map) => map.get(&token)?,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(current)
    }

    /// The typed value at a canonical pointer: from the components map when it names one,
    /// otherwise read from the raw document (errors name the exact pointer).
    pub fn typed_at<T: Referable>(&self, pointer: &Pointer) -> Result<Cow<'a, T>, Error> {
        let (section, map) = T::section(&self.doc.components);
        if let Some(found) = pointer.component(section).and_then(|name| map.get(&name)) {
            return Ok(Cow::Borrowed(found));
        }
        let raw = self.raw_at(pointer).ok_or_else(|| {
            Error::at(
                self.file,
                pointer.as_str(),
                ErrorKind::DanglingRef(pointer.to_string()),
            )
        })?;
        let owned;
        let raw = match raw {
            // A boolean schema (`true`/`false`) where an object is expected.
            Value::Bool(b) => {
                owned = schema_for_bool(*b);
                &owned
            }
            other => other,
        };
        serde_path_to_error::deserialize(raw)
            .map(Cow::Owned)
            .map_err(|e| {
                let inner = crate::parse::pointer_of(e.path());
                Error::at(
                    self.file,
                    format!("{}{}", pointer, &inner[1..]),
                    ErrorKind::Invalid(e.inner().to_string()),
                )
            })
    }

    /// Follows a chain of references (if `start` is one) to what it stands for. `at` is where
    /// `start` was met.
    pub fn follow<'s, T: Referable>(
        &self,
        start: Cow<'s, T>,
        at: &Pointer,
    ) -> Result<Resolved<'s, T>, Error>
    where
        'a: 's,
    {
        let mut current = start;
        let mut pointer = at.clone();
        let mut seen = HashSet::new();
        let mut via_ref = false;
        while let Some(reference) = current.reference().map(str::to_owned) {
            let next = self.pointer(&reference, &format!("{pointer}/$ref"))?;
            if !seen.insert(next.clone()) {
                return Err(Error::at(
                    self.file,
                    pointer.as_str(),
                    ErrorKind::RefCycle(format!("{reference} refers back to itself")),
                ));
            }
            current = self.typed_at::<T>(&next)?;
            pointer = next;
            via_ref = true;
        }
        Ok(Resolved {
            value: current,
            pointer,
            via_ref,
        })
    }
}

fn schema_for_bool(b: bool) -> Value {
    if b {
        Value::Object(Default::default())
    } else {
        serde_json::json!({"not": {}})
    }
}

/// Unescapes one RFC 6901 token: `~1` is `/`, `~0` is `~` (in that order).
pub fn unescape_token(token: &str) -> String {
    if !token.contains('~') {
        return token.to_owned();
    }
    token.replace("~1", "/").replace("~0", "~")
}

/// RFC 3986 percent-decoding of a URI fragment. Invalid escapes are kept as they are, and bytes
/// that do not form UTF-8 leave the text undecoded.
pub fn percent_decode(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(s) => Cow::Owned(s),
        Err(_) => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoded_tokens_decode_before_unescaping() {
        let p = Pointer::parse("#/paths/~1pets~1%7Bid%7D/get").unwrap();
        assert_eq!(p.as_str(), "#/paths/~1pets~1{id}/get");
        assert_eq!(
            p.tokens().collect::<Vec<_>>(),
            ["paths", "/pets/{id}", "get"]
        );
    }

    #[test]
    fn tilde_escapes_round_trip() {
        let p = Pointer::parse("#/components/schemas/a~0b~1c").unwrap();
        assert_eq!(
            p.tokens().collect::<Vec<_>>(),
            ["components", "schemas", "a~b/c"]
        );
        assert_eq!(p.component("schemas").as_deref(), Some("a~b/c"));
        assert_eq!(p.as_str(), "#/components/schemas/a~0b~1c");
    }

    #[test]
    fn percent_encoded_space_and_tilde() {
        let p = Pointer::parse("#/components/schemas/My%20Type").unwrap();
        assert_eq!(p.component("schemas").as_deref(), Some("My Type"));
        let p = Pointer::parse("#/x/%7E1").unwrap();
        assert_eq!(p.tokens().collect::<Vec<_>>(), ["x", "/"]);
    }

    #[test]
    fn external_references_are_not_pointers() {
        assert!(Pointer::parse("other.yaml#/x").is_none());
        assert_eq!(Pointer::parse("#").unwrap(), Pointer::root());
    }

    #[test]
    fn a_pointer_without_its_leading_slash_names_the_same_place() {
        assert_eq!(
            Pointer::parse("#components/schemas/X"),
            Pointer::parse("#/components/schemas/X")
        );
    }

    fn resolver_over(text: &str, test: impl FnOnce(Resolver<'_>)) {
        let raw = crate::parse::load("t.yaml", text).unwrap();
        let doc = Document::from_value("t.yaml", &raw).unwrap();
        test(Resolver::new("t.yaml", &doc, &raw));
    }

    #[test]
    fn following_a_reference_loop_fails_at_the_place_that_closes_it() {
        resolver_over(
            "openapi: 3.1.0\ninfo: {title: t}\nx-a: {$ref: '#/x-b'}\nx-b: {$ref: '#/x-a'}\n",
            |r| {
                let start = Schema {
                    reference: Some("#/x-a".into()),
                    ..Schema::default()
                };
                let e = r
                    .follow(Cow::<Schema>::Owned(start), &Pointer::root().join("start"))
                    .unwrap_err();
                assert!(matches!(e.kind, ErrorKind::RefCycle(_)), "{e}");
                assert_eq!(e.location, crate::error::Location::Pointer("#/x-b".into()));
            },
        );
    }

    #[test]
    fn following_a_chain_ends_at_the_last_place_with_its_canonical_pointer() {
        resolver_over(
            "openapi: 3.1.0\ninfo: {title: t}\nx-a: {$ref: '#/x-%62'}\nx-b: {type: string}\n",
            |r| {
                let start = Schema {
                    reference: Some("#/x-a".into()),
                    ..Schema::default()
                };
                let found = r
                    .follow(Cow::<Schema>::Owned(start), &Pointer::root().join("s"))
                    .unwrap();
                assert!(found.via_ref);
                assert_eq!(found.pointer.as_str(), "#/x-b");
                assert_eq!(found.value.type_names(), ["string"]);
            },
        );
    }

    #[test]
    fn a_place_outside_the_model_is_read_with_errors_at_its_own_pointer() {
        resolver_over(
            "openapi: 3.1.0\ninfo: {title: t}\nx-defs:\n  A: {properties: 3}\n  T: true\n",
            |r| {
                let at = Pointer::parse("#/x-defs/A").unwrap();
                let e = r.typed_at::<Schema>(&at).unwrap_err();
                assert_eq!(
                    e.location,
                    crate::error::Location::Pointer("#/x-defs/A/properties".into())
                );
                let t = r
                    .typed_at::<Schema>(&Pointer::parse("#/x-defs/T").unwrap())
                    .unwrap();
                assert_eq!(*t, Schema::default(), "`true` is the empty schema");
            },
        );
    }

    #[test]
    fn a_reference_to_nowhere_is_dangling_at_the_ref() {
        resolver_over("openapi: 3.1.0\ninfo: {title: t}\n", |r| {
            let e = r.pointer("#/x-missing", "#/here/$ref").unwrap_err();
            assert!(matches!(e.kind, ErrorKind::DanglingRef(_)), "{e}");
            assert_eq!(
                e.location,
                crate::error::Location::Pointer("#/here/$ref".into())
            );
        });
    }

    #[test]
    fn bad_percent_escapes_stay() {
        assert_eq!(percent_decode("a%zzb%4"), "a%zzb%4");
        assert_eq!(percent_decode("%C3%A9"), "é");
        assert_eq!(percent_decode("%FF"), "%FF");
    }
}
