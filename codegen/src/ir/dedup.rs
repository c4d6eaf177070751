//! One definition per shape: types that are the same (same fields with the same docs, wire
//! names, presences and types; same values; same variants) are defined once, and every other
//! name of that shape becomes `pub type Name = First;`.
//!
//! Big specs write the same inline object again and again: Stripe's request bodies repeat one
//! address object 28 times and one list of merchant categories 18 times. Each copy was a type,
//! with its impls, for the compiler to check; an alias is nothing to check, and every name a
//! user may have written still exists. The first type of a shape (components come first, in
//! document order) is the one defined, and everything in the IR that named a later copy names
//! it instead, so nothing downstream ever meets an alias it did not expect.
//!
//! Sameness is found the way a minimal automaton is: start with every type in a class of its
//! own, and repeatedly merge the types whose definitions, with the named types inside written
//! as their classes, read the same, until nothing merges; each round reads again only the types
//! that name one whose class changed. A shape that contains itself stays apart from its copies
//! (the refinement starts from "all different"), which is the safe side.

use std::collections::HashMap;

use super::model::{Extra, TypeDef, TypeId, TypeKind, TypeRef};
use super::operation::{ErrorEnvelope, Operation};
use super::select::Renumber;

/// Merges the types of the same shape. Returns, per type, the type that defines its shape (itself
/// for every type that stays a definition); the others are now aliases of that type, and every
/// [`TypeId`] in `types`, `ops` and `envelope` points at a definition. `keep` are types that
/// must stay as they are (a streaming toggle's body, whose field the method removes).
pub fn merge(
    types: &mut [TypeDef],
    ops: &mut [Operation],
    envelope: Option<&mut ErrorEnvelope>,
    keep: &[TypeId],
) -> Vec<TypeId> {
    let candidate: Vec<bool> = types
        .iter()
        .enumerate()
        .map(|(i, def)| mergeable(&def.kind) && !keep.contains(&TypeId(i)))
        .collect();
    // Who names whom: when a type's class changes, only the types naming it can read anew.
    let mut named_by: Vec<Vec<usize>> = vec![Vec::new(); types.len()];
    for (i, def) in types.iter().enumerate() {
        if candidate[i] {
            names(&def.kind, &mut |id| named_by[id.0].push(i));
        }
    }
    let mut class: Vec<TypeId> = (0..types.len()).map(TypeId).collect();
    let mut shape: Vec<Option<String>> = vec![None; types.len()];
    // The types of each shape, in index order: the first is the class of them all.
    let mut members: HashMap<String, Vec<usize>> = HashMap::new();
    let mut dirty: Vec<usize> = (0..types.len()).filter(|&i| candidate[i]).collect();
    while !dirty.is_empty() {
        let renumber = Renumber::new(class.iter().map(|c| Some(*c)).collect());
        let mut touched: Vec<String> = Vec::new();
        for &i in &dirty {
            let mut kind = types[i].kind.clone();
            renumber.kind(&mut kind);
            let now = format!("{:?} {:?}", types[i].deprecated, kind);
            if shape[i].as_ref() == Some(&now) {
                continue;
            }
            if let Some(before) = shape[i].take() {
                if let Some(m) = members.get_mut(&before) {
                    m.retain(|&j| j != i);
                }
                touched.push(before);
            }
            let m = members.entry(now.clone()).or_default();
            let at = m.partition_point(|&j| j < i);
            m.insert(at, i);
            touched.push(now.clone());
            shape[i] = Some(now);
        }
        let mut changed = Vec::new();
        for s in &touched {
            let Some(m) = members.get(s) else { continue };
            let Some(&first) = m.first() else { continue };
            for &i in m {
                if class[i] != TypeId(first) {
                    class[i] = TypeId(first);
                    changed.push(i);
                }
            }
        }
        dirty = changed
            .iter()
            .flat_map(|&c| named_by[c].iter().copied())
            .collect();
        dirty.sort_unstable();
        dirty.dedup();
    }
    if class.iter().enumerate().all(|(i, c)| c.0 == i) {
        return class;
    }
    let renumber = Renumber::new(class.iter().map(|c| Some(*c)).collect());
    for (i, def) in types.iter_mut().enumerate() {
        if class[i].0 == i {
            renumber.kind(&mut def.kind);
        } else {
            def.kind = TypeKind::Alias(TypeRef::Named(class[i]));
        }
    }
    for op in ops {
        renumber.operation(op);
    }
    if let Some(e) = envelope {
        renumber.envelope(e);
    }
    class
}

/// Every named type a definition mentions.
fn names(kind: &TypeKind, f: &mut impl FnMut(TypeId)) {
    match kind {
        TypeKind::Struct(s) => {
            for field in &s.fields {
                field.ty.for_each_named(f);
            }
            if let Extra::Keep(t) = &s.extra {
                t.for_each_named(f);
            }
        }
        TypeKind::Tagged { variants, .. } | TypeKind::Untagged(variants) => {
            for v in variants {
                v.ty.for_each_named(f);
            }
        }
        TypeKind::Alias(t) | TypeKind::Newtype(t) => t.for_each_named(f),
        TypeKind::OpenEnum(_) | TypeKind::ClosedEnum(_) | TypeKind::Const(_) => {}
    }
}

/// Kinds worth one definition. Aliases and newtypes cost nothing to repeat; a constant is a
/// unit struct that users write as a value (`Object`), which an alias cannot be.
fn mergeable(kind: &TypeKind) -> bool {
    match kind {
        TypeKind::Struct(_)
        | TypeKind::OpenEnum(_)
        | TypeKind::ClosedEnum(_)
        | TypeKind::Tagged { .. }
        | TypeKind::Untagged(_) => true,
        TypeKind::Const(_) | TypeKind::Alias(_) | TypeKind::Newtype(_) => false,
    }
}
