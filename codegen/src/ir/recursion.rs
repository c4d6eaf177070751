//! Breaks infinite-size types: a field whose type leads back to its own struct without passing
//! through a `Vec` or a map is boxed.

use std::collections::HashSet;

use super::{TypeDef, TypeId, TypeKind, TypeRef};

/// Boxes every field and variant payload that closes a containment cycle.
pub fn box_cycles(types: &mut [TypeDef]) {
    for id in 0..types.len() {
        let targets: Vec<(usize, TypeId)> = direct_children(&types[id])
            .into_iter()
            .filter(|(_, child)| reaches(types, *child, id))
            .collect();
        for (slot, _) in targets {
            match &mut types[id].kind {
                TypeKind::Struct(s) => box_ref(&mut s.fields[slot].ty),
                TypeKind::Tagged { variants, .. } | TypeKind::Untagged(variants) => {
                    box_ref(&mut variants[slot].ty)
                }
                TypeKind::Alias(ty) => box_ref(ty),
                _ => {}
            }
        }
    }
}

fn box_ref(ty: &mut TypeRef) {
    match ty {
        TypeRef::Nullable(inner) => box_ref(inner),
        TypeRef::Named(_) => *ty = TypeRef::Boxed(Box::new(ty.clone())),
        _ => {}
    }
}

/// Named types stored inline (not behind a `Vec`, map or `Box`), with the slot they occupy.
fn direct_children(def: &TypeDef) -> Vec<(usize, TypeId)> {
    let inline = |ty: &TypeRef| -> Option<TypeId> {
        match ty {
            TypeRef::Named(id) => Some(*id),
            TypeRef::Nullable(inner) => match inner.as_ref() {
                TypeRef::Named(id) => Some(*id),
                _ => None,
            },
            _ => None,
        }
    };
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| inline(&f.ty).map(|t| (i, t)))
            .collect(),
        TypeKind::Tagged { variants, .. } | TypeKind::Untagged(variants) => variants
            .iter()
            .enumerate()
            .filter_map(|(i, v)| inline(&v.ty).map(|t| (i, t)))
            .collect(),
        TypeKind::Alias(ty) => inline(ty).map(|t| vec![(0, t)]).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Whether `from` contains `to` inline, directly or transitively.
fn reaches(types: &[TypeDef], from: TypeId, to: TypeId) -> bool {
    let mut seen = HashSet::new();
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if id == to {
            return true;
        }
        if !seen.insert(id) {
            continue;
        }
        if let Some(def) = types.get(id) {
            stack.extend(direct_children(def).into_iter().map(|(_, t)| t));
        }
    }
    false
}
