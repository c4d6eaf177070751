//! Which types the client sends and which it reads, and what follows from it: only what is
//! sent gets setters and `validate()`, and a streaming toggle leaves a body type that is only
//! sent (the method sets it).

use std::collections::HashSet;

use super::model::{Builder, Extra, Fill, Setter, TypeDef, TypeId, TypeKind, TypeRef};
use super::names::Scope;
use super::operation::{ErrorEnvelope, Operation};

/// The types reachable from what the client sends, and from what it reads.
pub struct Roles {
    /// Reachable from request bodies and parameters.
    pub inputs: HashSet<TypeId>,
    /// Reachable from responses, streams and the error envelope.
    pub outputs: HashSet<TypeId>,
}

impl Roles {
    /// Computes both sets.
    pub fn of(types: &[TypeDef], ops: &[Operation], envelope: Option<&ErrorEnvelope>) -> Self {
        let mut inputs = Vec::new();
        let mut outputs = Vec::new();
        for op in ops {
            inputs.extend(op.sent().cloned());
            outputs.extend(op.read().cloned());
        }
        outputs.extend(envelope.map(|e| TypeRef::Named(e.ty)));
        Roles {
            inputs: reachable(types, inputs),
            outputs: reachable(types, outputs),
        }
    }
}

/// Every named type reachable from `roots`.
pub fn reachable(types: &[TypeDef], roots: Vec<TypeRef>) -> HashSet<TypeId> {
    let mut seen = HashSet::new();
    let mut stack = roots;
    while let Some(t) = stack.pop() {
        let mut named = Vec::new();
        t.for_each_named(&mut |id| named.push(id));
        for id in named {
            if !seen.insert(id) {
                continue;
            }
            match &types[id.0].kind {
                TypeKind::Struct(s) => {
                    stack.extend(s.fields.iter().map(|f| f.ty.clone()));
                    if let Extra::Keep(t) = &s.extra {
                        stack.push(t.clone());
                    }
                }
                TypeKind::Tagged { variants, .. } | TypeKind::Untagged(variants) => {
                    stack.extend(variants.iter().map(|v| v.ty.clone()))
                }
                TypeKind::Alias(t) | TypeKind::Newtype(t) => stack.push(t.clone()),
                _ => {}
            }
        }
    }
    seen
}

/// Removes each streaming toggle from its body type when nothing reads that type, so the
/// method alone decides; an operation whose body type is also read keeps the field.
pub fn remove_toggles(types: &mut [TypeDef], ops: &mut [Operation], roles: &Roles) {
    for op in ops {
        let Some(stream) = &mut op.stream else {
            continue;
        };
        let Some(toggle) = &stream.toggle else {
            continue;
        };
        if roles.outputs.contains(&toggle.ty) {
            stream.toggle = None;
            continue;
        }
        if let TypeKind::Struct(s) = &mut types[toggle.ty.0].kind {
            s.fields.retain(|f| f.wire != toggle.wire);
        }
    }
}

/// Gives every struct the client sends its setters and, when constraints are inside, a
/// `validate()`.
pub fn builders(types: &mut [TypeDef], roles: &Roles) {
    let validating = validating(types);
    for (index, def) in types.iter_mut().enumerate() {
        let id = TypeId(index);
        if !roles.inputs.contains(&id) {
            continue;
        }
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        // Setters share one scope with the constructor and `validate`, so no two can clash.
        let mut scope = Scope::with_reserved(&["new", "validate"]);
        let mut setters = Vec::new();
        for (i, f) in s.fields.iter().enumerate() {
            if f.fill != Fill::Caller || !f.presence.may_be_absent() {
                continue;
            }
            let base = if f.name == "new" || f.name == "validate" {
                format!("with_{}", f.name)
            } else {
                f.name.clone()
            };
            let name = scope.claim(base);
            let null_name = f
                .presence
                .nullable()
                .then(|| scope.claim(format!("{}_null", f.name)));
            setters.push(Setter {
                field: i,
                name,
                null_name,
            });
        }
        s.builder = Some(Builder {
            setters,
            validates: validating.contains(&id),
        });
    }
}

/// Types whose values carry constraints somewhere inside.
fn validating(types: &[TypeDef]) -> HashSet<TypeId> {
    let mut set = HashSet::new();
    loop {
        let before = set.len();
        for (index, def) in types.iter().enumerate() {
            if let TypeKind::Struct(s) = &def.kind {
                if s.fields.iter().any(|f| {
                    !f.constraints.is_empty()
                        || f.ty.named_within().is_some_and(|t| set.contains(&t))
                }) {
                    set.insert(TypeId(index));
                }
            }
        }
        if set.len() == before {
            return set;
        }
    }
}
