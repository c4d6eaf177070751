//! The error envelope, field paths into types, and the check that no alias chain loops.

use super::TypeSpace;
use crate::error::{Error, ErrorKind};
use crate::ir::model::{TypeId, TypeKind, TypeRef};
use crate::ir::operation::{ErrorEnvelope, FieldPath};
use crate::openapi::Pointer;

impl TypeSpace<'_> {
    /// The error envelope: the component schema with `x-forge-error-envelope`.
    pub fn error_envelope(&self) -> Result<Option<ErrorEnvelope>, Error> {
        let components = Pointer::root().join("components").join("schemas");
        for (name, schema) in &self.resolver.doc().components.schemas {
            let Some(spec) = &schema.x_error_envelope else {
                continue;
            };
            let pointer = components.join(name);
            let id = self.by_pointer[&pointer].id;
            let path = |p: &Option<String>, key: &str| -> Result<Option<FieldPath>, Error> {
                let Some(p) = p else { return Ok(None) };
                self.field_path(id, p).map(Some).ok_or_else(|| {
                    self.err(
                        &format!("{pointer}/x-forge-error-envelope/{key}"),
                        ErrorKind::Invalid(format!("`{p}` does not name a field path of {name}")),
                    )
                })
            };
            return Ok(Some(ErrorEnvelope {
                ty: id,
                error_type: path(&spec.error_type, "type")?,
                message: path(&spec.message, "message")?,
                request_id: path(&spec.request_id, "request_id")?,
            }));
        }
        Ok(None)
    }

    /// The fields along a JSON pointer of wire names (`/error/message`), from struct `id`.
    pub fn field_path(&self, id: TypeId, pointer: &str) -> Option<FieldPath> {
        field_path(&self.types, id, pointer)
    }

    /// An alias that names another alias directly is one edge; every alias has at most one, so
    /// following each chain once, with three colours, finds any loop in linear time.
    pub(super) fn check_alias_cycles(&self) -> Result<(), Error> {
        #[derive(Clone, Copy, PartialEq)]
        enum Colour {
            New,
            OnPath,
            Done,
        }
        let next_of = |id: usize| match &self.types[id].kind {
            TypeKind::Alias(ty) => direct_named(ty).map(TypeId::index),
            _ => None,
        };
        let mut colour = vec![Colour::New; self.types.len()];
        for start in 0..self.types.len() {
            let mut path = Vec::new();
            let mut current = Some(start);
            while let Some(id) = current {
                match colour[id] {
                    Colour::New => {
                        colour[id] = Colour::OnPath;
                        path.push(id);
                        current = next_of(id);
                    }
                    Colour::OnPath => {
                        return Err(self.err(
                            &self.types[id].pointer,
                            ErrorKind::RefCycle("a chain of $refs leads back to itself".into()),
                        ));
                    }
                    Colour::Done => break,
                }
            }
            for id in path {
                colour[id] = Colour::Done;
            }
        }
        Ok(())
    }
}

/// The fields along a JSON pointer of wire names, from struct `id` in `types`.
pub fn field_path(
    types: &[crate::ir::model::TypeDef],
    mut id: TypeId,
    pointer: &str,
) -> Option<FieldPath> {
    let mut steps = Vec::new();
    let mut end = TypeRef::Named(id);
    for token in pointer.trim_start_matches('/').split('/') {
        let TypeKind::Struct(s) = &types[id.0].kind else {
            return None;
        };
        let index = s.fields.iter().position(|f| f.wire == token)?;
        steps.push((id, index));
        end = s.fields[index].ty.clone();
        if let Some(next) = direct_named(&end) {
            id = next;
        }
    }
    Some(FieldPath { steps, end })
}

fn direct_named(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => direct_named(inner),
        _ => None,
    }
}
