//! `$ref`s in schemas: every pointer is placed once, components up front and any other place
//! when first met, so a reference back into a place still being lowered is recursion, not an
//! error.

use std::borrow::Cow;

use super::{Placed, Shape, TypeSpace};
use crate::error::Error;
use crate::ir::model::{Constraints, TypeKind, TypeRef};
use crate::openapi::{Pointer, Schema};

/// Words of a pointer that name structure, not things: a type is named after the nearest token
/// that is none of these.
const STRUCTURAL: &[&str] = &[
    "schema",
    "schemas",
    "items",
    "properties",
    "additionalProperties",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "content",
    "definitions",
    "$defs",
    "components",
    "responses",
    "requestBody",
    "requestBodies",
    "parameters",
    "paths",
    "get",
    "put",
    "post",
    "delete",
    "patch",
    "options",
    "head",
    "trace",
];

impl TypeSpace<'_> {
    /// The type a `$ref` met at `at` stands for, and whether references to it admit `null`.
    pub(super) fn lower_ref(
        &mut self,
        reference: &str,
        at: &Pointer,
    ) -> Result<(TypeRef, bool), Error> {
        let target = self.resolver.pointer(reference, &format!("{at}/$ref"))?;
        if let Some(placed) = self.by_pointer.get(&target).copied() {
            self.referenced.insert(placed.id);
            return Ok((TypeRef::Named(placed.id), placed.nullable));
        }
        // A place outside `components/schemas`: declared now, defined below, so a reference back
        // to it from inside finds the declaration.
        let schema: Cow<'_, Schema> = self.resolver.typed_at(&target)?;
        let hint = self
            .naming
            .get(&target)
            .cloned()
            .unwrap_or_else(|| hint_from_pointer(&target));
        let id = self.declare(&hint, &target, &schema)?;
        let nullable = self.by_pointer[&target].nullable;
        let name = self.types[id.0].name.clone();
        let (shape, _) = self.shape(&schema, &target, &name)?;
        self.types[id.0].kind = match shape {
            Shape::Named(kind) => kind,
            Shape::Type(ty) => TypeKind::Alias(ty),
        };
        self.by_pointer.insert(target, Placed { id, nullable });
        self.referenced.insert(id);
        Ok((TypeRef::Named(id), nullable))
    }

    /// The constraints at the end of a `$ref` chain, memoized so that long chains of aliases
    /// cost linear, not quadratic, time.
    pub(super) fn ref_constraints(&mut self, reference: &str, at: &Pointer) -> Constraints {
        let Ok(mut current) = self.resolver.pointer(reference, at.as_str()) else {
            return Constraints::default();
        };
        let mut chain = Vec::new();
        let found = loop {
            if let Some(c) = self.ref_constraints.get(&current) {
                break c.clone();
            }
            if chain.contains(&current) {
                break Constraints::default();
            }
            chain.push(current.clone());
            let Ok(target) = self.resolver.typed_at::<Schema>(&current) else {
                break Constraints::default();
            };
            match &target.reference {
                Some(next) => match self.resolver.pointer(next, current.as_str()) {
                    Ok(next) => current = next,
                    Err(_) => break Constraints::default(),
                },
                None => break super::scalars::constraints(&target),
            }
        };
        for link in chain {
            self.ref_constraints.insert(link, found.clone());
        }
        found
    }

    /// The description of what a `$ref` points at, for a field that has none of its own.
    pub(super) fn ref_doc(&self, reference: &str, at: &Pointer) -> Option<String> {
        let target = self.resolver.pointer(reference, at.as_str()).ok()?;
        let schema = self.resolver.typed_at::<Schema>(&target).ok()?;
        schema.doc().map(str::to_owned)
    }
}

/// A name for the type at a pointer: its last token that names a thing.
pub(super) fn hint_from_pointer(pointer: &Pointer) -> String {
    let tokens: Vec<String> = pointer.tokens().collect();
    tokens
        .iter()
        .rev()
        .find(|t| {
            !STRUCTURAL.contains(&t.as_str())
                && !t.chars().all(|c| c.is_ascii_digit())
                && !t.contains('/')
        })
        .cloned()
        .unwrap_or_else(|| operation_hint(&tokens))
}

/// For a place inside an operation (`#/paths/~1pets/get/responses/200/...`), which names no thing
/// of its own: the path's words, the method and what the place is (`pets get response`).
fn operation_hint(tokens: &[String]) -> String {
    if tokens.first().map(String::as_str) != Some("paths") || tokens.len() < 3 {
        return "Schema".to_owned();
    }
    let path: String = tokens[1]
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let role = if tokens.iter().any(|t| t == "responses") {
        "response"
    } else if tokens.iter().any(|t| t == "requestBody") {
        "body"
    } else if tokens.iter().any(|t| t == "parameters") {
        "param"
    } else {
        "schema"
    };
    format!("{} {} {role}", path.trim(), tokens[2])
}
