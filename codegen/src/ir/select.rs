//! Types for the selected operations only: when the settings select operations (`select:`), the
//! types none of them reaches are dropped after lowering, in one pass. What stays is what the
//! operations send and read (parameters, bodies, responses, stream items) and the error envelope,
//! with everything those contain; every [`TypeId`] in the IR is then renumbered, keeping the
//! order the types had.
//!
//! The renumbering destructures the IR structs that hold types without `..` (but `Operation`,
//! whose type-holding fields it names), so a field added to one of them later does not compile
//! until it is renumbered here too.

use super::model::{Extra, Field, Struct, TypeDef, TypeId, TypeKind, TypeRef, Variant};
use super::operation::{
    Body, CursorSource, ErrorEnvelope, FieldPath, Operation, PageScheme, Pagination, Param,
    ResponseKind, Stream, Toggle,
};
use super::roles::reachable;

/// Drops the types that `ops` and `envelope` do not reach and renumbers the rest.
pub fn prune(
    types: &mut Vec<TypeDef>,
    ops: &mut [Operation],
    envelope: Option<&mut ErrorEnvelope>,
) {
    let mut roots: Vec<TypeRef> = Vec::new();
    for op in ops.iter() {
        roots.extend(op.params.iter().map(|p| p.ty.clone()));
        roots.extend(op.body.iter().map(|b| b.ty.clone()));
        match &op.response {
            ResponseKind::Json(t) | ResponseKind::JsonLines(t) => roots.push(t.clone()),
            ResponseKind::Text | ResponseKind::Bytes | ResponseKind::Empty => {}
        }
        if let Some(stream) = &op.stream {
            roots.push(stream.item.clone());
            roots.extend(stream.toggle.iter().map(|t| TypeRef::Named(t.ty)));
        }
    }
    if let Some(e) = envelope.as_deref() {
        roots.push(TypeRef::Named(e.ty));
    }
    let keep = reachable(types, roots);
    if keep.len() == types.len() {
        return;
    }
    // Old index -> new id, for the types that stay.
    let mut map: Vec<Option<TypeId>> = vec![None; types.len()];
    let mut next = 0;
    for (old, slot) in map.iter_mut().enumerate() {
        if keep.contains(&TypeId(old)) {
            *slot = Some(TypeId(next));
            next += 1;
        }
    }
    let renumber = Renumber::new(map);
    let old = std::mem::take(types);
    *types = old
        .into_iter()
        .enumerate()
        .filter(|(i, _)| renumber.map[*i].is_some())
        .map(|(_, mut def)| {
            renumber.kind(&mut def.kind);
            def
        })
        .collect();
    for op in ops {
        renumber.operation(op);
    }
    if let Some(e) = envelope {
        renumber.envelope(e);
    }
}

/// Rewrites every [`TypeId`] in the IR through a map (old index -> new id): for pruning, and
/// for [`super::dedup`], which points every copy of a shape at its one definition.
pub(super) struct Renumber {
    map: Vec<Option<TypeId>>,
}

impl Renumber {
    pub(super) fn new(map: Vec<Option<TypeId>>) -> Self {
        Renumber { map }
    }

    fn id(&self, id: &mut TypeId) {
        *id = self.map[id.0].expect("a type something kept reaches is kept");
    }

    fn ty(&self, t: &mut TypeRef) {
        match t {
            TypeRef::Named(id) => self.id(id),
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Nullable(inner)
            | TypeRef::Boxed(inner) => self.ty(inner),
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::Int(_)
            | TypeRef::Float
            | TypeRef::Json
            | TypeRef::JsonObject
            | TypeRef::Upload => {}
        }
    }

    pub(super) fn kind(&self, kind: &mut TypeKind) {
        match kind {
            TypeKind::Struct(Struct {
                fields,
                extra,
                extra_name: _,
                builder: _,
            }) => {
                for Field {
                    name: _,
                    wire: _,
                    doc: _,
                    ty,
                    presence: _,
                    fill: _,
                    deprecated: _,
                    constraints: _,
                } in fields
                {
                    self.ty(ty);
                }
                match extra {
                    Extra::Keep(t) => self.ty(t),
                    Extra::Deny => {}
                }
            }
            TypeKind::Tagged { tag: _, variants } | TypeKind::Untagged(variants) => {
                for Variant {
                    name: _,
                    tag: _,
                    aliases: _,
                    ty,
                    doc: _,
                    requires: _,
                    keys: _,
                } in variants
                {
                    self.ty(ty);
                }
            }
            TypeKind::Alias(t) | TypeKind::Newtype(t) => self.ty(t),
            TypeKind::OpenEnum(_) | TypeKind::ClosedEnum(_) | TypeKind::Const(_) => {}
        }
    }

    fn path(&self, path: &mut FieldPath) {
        let FieldPath { steps, end } = path;
        for (id, _) in steps {
            self.id(id);
        }
        self.ty(end);
    }

    pub(super) fn operation(&self, op: &mut Operation) {
        // The fields that hold types; the others are names, docs, the path template, media
        // types and ids of groups and features.
        let Operation {
            params,
            body,
            response,
            stream,
            pagination,
            ..
        } = op;
        for Param {
            name: _,
            wire: _,
            location: _,
            ty,
            required: _,
            doc: _,
            default: _,
            deprecated: _,
            pointer: _,
        } in params
        {
            self.ty(ty);
        }
        if let Some(Body {
            media: _,
            ty,
            required: _,
        }) = body
        {
            self.ty(ty);
        }
        match response {
            ResponseKind::Json(t) | ResponseKind::JsonLines(t) => self.ty(t),
            ResponseKind::Text | ResponseKind::Bytes | ResponseKind::Empty => {}
        }
        if let Some(Stream {
            item,
            toggle,
            events: _,
            otherwise: _,
            only: _,
        }) = stream
        {
            self.ty(item);
            if let Some(Toggle { ty, wire: _ }) = toggle {
                self.id(ty);
            }
        }
        if let Some(Pagination {
            items,
            item,
            scheme,
        }) = pagination
        {
            self.path(items);
            self.ty(item);
            match scheme {
                PageScheme::Cursor {
                    param: _,
                    source,
                    has_more,
                } => {
                    match source {
                        CursorSource::Field(p) | CursorSource::LastItem(p) => self.path(p),
                    }
                    if let Some(p) = has_more {
                        self.path(p);
                    }
                }
                PageScheme::Offset { .. }
                | PageScheme::PageNumber { .. }
                | PageScheme::LinkHeader => {}
            }
        }
    }

    pub(super) fn envelope(&self, e: &mut ErrorEnvelope) {
        let ErrorEnvelope {
            ty,
            error_type,
            message,
            request_id,
        } = e;
        self.id(ty);
        for p in [error_type, message, request_id].into_iter().flatten() {
            self.path(p);
        }
    }
}
