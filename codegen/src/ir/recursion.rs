//! Breaks infinite-size types: a field whose type leads back to its own struct without passing
//! through a `Vec` or a map is boxed.
//!
//! Types that contain each other inline form strongly connected components of the "stored
//! inline" graph; an edge inside a component (or a self-edge) is exactly one that closes a
//! cycle. Tarjan's algorithm finds the components in linear time, which matters for specs with
//! thousands of types.

use super::model::{TypeDef, TypeKind, TypeRef};

/// A type's index in the graph.
type Node = usize;

/// Turns aliases that contain themselves (through `Vec`, maps or other aliases) into newtypes:
/// `type A = Vec<A>` does not compile, `struct A(Vec<A>)` does.
pub fn newtype_recursive_aliases(types: &mut [TypeDef]) {
    // Edges from each alias to the aliases it names anywhere inside; an alias is recursive when
    // its strongly connected component has a cycle (more than one member, or a self-edge).
    let edges: Vec<Vec<(usize, Node)>> = types
        .iter()
        .map(|def| {
            let mut out = Vec::new();
            if let TypeKind::Alias(ty) = &def.kind {
                named_anywhere(ty, &mut out);
            }
            out.into_iter()
                .filter(|t| matches!(types.get(*t).map(|d| &d.kind), Some(TypeKind::Alias(_))))
                .map(|t| (0, t))
                .collect()
        })
        .collect();
    let component = components(&edges);
    let mut size = std::collections::HashMap::new();
    for c in &component {
        *size.entry(*c).or_insert(0usize) += 1;
    }
    for id in 0..types.len() {
        let self_edge = edges[id].iter().any(|(_, t)| *t == id);
        let in_cycle = self_edge || size.get(&component[id]).is_some_and(|n| *n > 1);
        if in_cycle {
            if let TypeKind::Alias(ty) = &types[id].kind {
                types[id].kind = TypeKind::Newtype(ty.clone());
            }
        }
    }
}

fn named_anywhere(ty: &TypeRef, out: &mut Vec<Node>) {
    match ty {
        TypeRef::Named(id) => out.push(id.index()),
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Nullable(inner)
        | TypeRef::Boxed(inner) => named_anywhere(inner, out),
        _ => {}
    }
}

/// Boxes every field and variant payload that closes a containment cycle.
pub fn box_cycles(types: &mut [TypeDef]) {
    let edges: Vec<Vec<(usize, Node)>> = types.iter().map(direct_children).collect();
    let component = components(&edges);
    for (id, children) in edges.iter().enumerate() {
        for &(slot, child) in children {
            if child < types.len() && component[child] == component[id] {
                match &mut types[id].kind {
                    TypeKind::Struct(s) => box_ref(&mut s.fields[slot].ty),
                    TypeKind::Tagged { variants, .. } | TypeKind::Untagged(variants) => {
                        box_ref(&mut variants[slot].ty)
                    }
                    TypeKind::Alias(ty) | TypeKind::Newtype(ty) => box_ref(ty),
                    _ => {}
                }
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
fn direct_children(def: &TypeDef) -> Vec<(usize, Node)> {
    let inline = |ty: &TypeRef| -> Option<Node> {
        match ty {
            TypeRef::Named(id) => Some(id.index()),
            TypeRef::Nullable(inner) => match inner.as_ref() {
                TypeRef::Named(id) => Some(id.index()),
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
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => {
            inline(ty).map(|t| vec![(0, t)]).unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

/// Tarjan's strongly connected components, iteratively (no recursion on deep graphs). Returns
/// each node's component number.
fn components(edges: &[Vec<(usize, Node)>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, position of the next edge to visit)
        let mut work = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut pos)) = work.last_mut() {
            if let Some(&(_, child)) = edges[node].get(*pos) {
                *pos += 1;
                if child >= n {
                    continue;
                }
                if index[child] == UNSEEN {
                    index[child] = next_index;
                    low[child] = next_index;
                    next_index += 1;
                    stack.push(child);
                    on_stack[child] = true;
                    work.push((child, 0));
                } else if on_stack[child] {
                    low[node] = low[node].min(index[child]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_group_cycles_and_separate_chains() {
        // 0 -> 1 -> 2 -> 0 is a cycle; 3 -> 0 is not part of it.
        let edges = vec![vec![(0, 1)], vec![(0, 2)], vec![(0, 0)], vec![(0, 0)]];
        let c = components(&edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
    }
}
