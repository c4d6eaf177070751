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
//! as their classes, read the same, until nothing merges. A shape that contains itself stays
//! apart from its copies (the refinement starts from "all different"), which is the safe side.

use std::collections::HashMap;

use super::model::{TypeDef, TypeId, TypeKind};
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
    let mut class: Vec<TypeId> = (0..types.len()).map(TypeId).collect();
    loop {
        let renumber = Renumber::new(class.iter().map(|c| Some(*c)).collect());
        let mut first: HashMap<String, TypeId> = HashMap::new();
        let mut next = class.clone();
        for (i, def) in types.iter().enumerate() {
            if !candidate[i] {
                continue;
            }
            let mut kind = def.kind.clone();
            renumber.kind(&mut kind);
            let shape = format!("{:?} {:?}", def.deprecated, kind);
            next[i] = *first.entry(shape).or_insert(TypeId(i));
        }
        if next == class {
            break;
        }
        class = next;
    }
    if class.iter().enumerate().all(|(i, c)| c.0 == i) {
        return class;
    }
    let renumber = Renumber::new(class.iter().map(|c| Some(*c)).collect());
    for (i, def) in types.iter_mut().enumerate() {
        if class[i].0 == i {
            renumber.kind(&mut def.kind);
        } else {
            def.kind = TypeKind::Alias(super::model::TypeRef::Named(class[i]));
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
