//! Compile time as a feature: every operation belongs to one *area*, and every area is a Cargo
//! feature, so a crate built with a few features compiles only what they reach.
//!
//! An operation's area is its top-level group (the module of its first tag, named after it),
//! or, for an operation the spec leaves ungrouped, the first segment of its path after a version
//! or an `/api` prefix (`/v1/customers/{customer}` is `customers`): its methods stay where they
//! are (on the client), and its code goes to the area's module. An operation whose path starts
//! with a parameter has no area and is always compiled.
//!
//! A type is compiled when an enabled feature reaches it (through parameters, bodies,
//! responses, streams and what those contain): its gate lists those features. A type that every
//! feature reaches, or that the error envelope or an always-compiled operation reaches, is always
//! compiled. Schemas no operation reaches (webhook payloads, event types) are the
//! [`OTHER_TYPES`] feature's. A set of features too long to list on one line ([`INLINE_MAX`]) is
//! named once, as a *shared* feature that each of them enables, so a gate stays one short line.

use std::collections::HashSet;

use super::model::{TypeDef, TypeId, TypeRef};
use super::names::{self, Scope};
use super::operation::{ErrorEnvelope, Group, GroupId, Operation};
use super::roles::reachable;

/// The feature of the schemas no operation reaches.
pub const OTHER_TYPES: &str = "other-types";

/// Features the generated manifest declares itself, which no area may take.
pub const RESERVED: &[&str] = &["default", "full", "strict", OTHER_TYPES];

/// The longest `#[cfg(...)]` a gate writes inline: a set of features whose attribute would be
/// longer (more than one line) is a shared feature.
pub const INLINE_MAX: usize = 80;

/// An API with at most this many operations enables every feature by default; a larger one
/// enables none, so a user names the areas they call.
pub const DEFAULT_ALL_UP_TO: usize = 200;

/// An index into [`Features::list`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeatureId(pub(crate) usize);

impl FeatureId {
    /// The index into [`Features::list`].
    pub fn index(self) -> usize {
        self.0
    }
}

/// One Cargo feature: an area of the API, or [`OTHER_TYPES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name in `Cargo.toml` and `#[cfg(feature = "...")]`.
    pub name: String,
    /// The module under `src/resources/` an area's code lives in (`None` for [`OTHER_TYPES`]).
    pub module: Option<String>,
    /// The top-level group it is, if a group made it (else an ungrouped path area).
    pub group: Option<GroupId>,
    /// How many operations it enables.
    pub operations: usize,
}

/// When a type is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Always.
    Always,
    /// When any of these features is enabled (in [`Features::list`] order; as many as fit on
    /// one line, [`INLINE_MAX`]).
    Any(Vec<FeatureId>),
    /// When the shared feature of this index into [`Features::shared`] is enabled.
    Shared(usize),
}

/// The crate's features and what each gates.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// The features, sorted by name.
    pub list: Vec<Feature>,
    /// Per type ([`TypeId`] order): when it is compiled.
    pub types: Vec<Gate>,
    /// The shared features: each the set of features that enable it, in order of first use.
    pub shared: Vec<Vec<FeatureId>>,
    /// Whether `default` enables every feature ([`DEFAULT_ALL_UP_TO`]).
    pub default_all: bool,
}

impl Features {
    /// A feature.
    pub fn get(&self, id: FeatureId) -> &Feature {
        &self.list[id.0]
    }

    /// A type's gate.
    pub fn gate(&self, id: TypeId) -> &Gate {
        &self.types[id.0]
    }

    /// The feature a group's code is compiled under: its top-level ancestor's.
    pub fn of_group(&self, groups: &[Group], mut id: GroupId) -> Option<FeatureId> {
        while let Some(parent) = groups[id.0].parent {
            id = parent;
        }
        self.list
            .iter()
            .position(|f| f.group == Some(id))
            .map(FeatureId)
    }

    /// The features ungrouped areas made, with their modules: where the ungrouped operations
    /// of a feature no group made are written.
    pub fn areas(&self) -> impl Iterator<Item = (FeatureId, &str)> {
        self.list
            .iter()
            .enumerate()
            .filter_map(|(i, f)| match (&f.module, f.group) {
                (Some(module), None) => Some((FeatureId(i), module.as_str())),
                _ => None,
            })
    }

    /// A shared feature's name: `_shared-1`, ... (the `_` says it is not for enabling).
    pub fn shared_name(index: usize) -> String {
        format!("_shared-{}", index + 1)
    }
}

/// The area of an ungrouped operation: the first path segment that is not a version (`v1`,
/// `v2beta1`, `2010-04-01`) or `api`, without an extension (`Accounts.json`), in snake case;
/// `None` when that segment is a parameter or there is none.
pub fn path_area(raw_path: &str) -> Option<String> {
    let path = raw_path.split('?').next().unwrap_or(raw_path);
    let segment = path
        .split('/')
        .filter(|s| !s.is_empty())
        .find(|s| !is_version(s) && !s.eq_ignore_ascii_case("api"))?;
    if segment.starts_with('{') {
        return None;
    }
    let stem = segment.split('.').next().unwrap_or(segment);
    let name = names::field_name(stem);
    (!name.starts_with('_')).then_some(name)
}

/// `v1`, `v2beta1`, `v1.2`, `2010-04-01`, `3`.
fn is_version(segment: &str) -> bool {
    let digits_and_dashes = |s: &str| {
        !s.is_empty()
            && s.starts_with(|c: char| c.is_ascii_digit())
            && s.chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == '.')
    };
    match segment.strip_prefix(['v', 'V']) {
        Some(rest) => {
            rest.starts_with(|c: char| c.is_ascii_digit())
                && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        }
        None => digits_and_dashes(segment),
    }
}

/// Gives every operation its feature and every type its gate. `modules` are the module names
/// already taken under `src/resources/` (every group's, and the crate's own).
pub fn assign(
    types: &[TypeDef],
    groups: &[Group],
    ops: &mut [Operation],
    envelope: Option<&ErrorEnvelope>,
    taken_modules: &[&str],
    shapes: &[TypeId],
) -> Features {
    // Areas in first-use order, then sorted by name: (name, module, group).
    let mut areas: Vec<(String, String, Option<GroupId>)> = Vec::new();
    let mut modules = Scope::with_reserved(taken_modules);
    for g in groups {
        modules.claim(g.module.clone());
    }
    let mut feature_names = Scope::with_reserved(RESERVED);
    let mut op_area: Vec<Option<usize>> = Vec::with_capacity(ops.len());
    for op in ops.iter() {
        let area = match op.group {
            Some(mut g) => {
                while let Some(parent) = groups[g.0].parent {
                    g = parent;
                }
                match areas.iter().position(|a| a.2 == Some(g)) {
                    Some(i) => Some(i),
                    None => {
                        let module = groups[g.0].module.clone();
                        let name = feature_names.claim(module.clone());
                        areas.push((name, module, Some(g)));
                        Some(areas.len() - 1)
                    }
                }
            }
            None => path_area(&op.path.raw).map(|wanted| {
                let top_level = |a: &(String, String, Option<GroupId>)| match a.2 {
                    Some(g) => groups[g.0].parent.is_none() && groups[g.0].module == wanted,
                    None => a.1 == wanted,
                };
                if let Some(i) = areas.iter().position(top_level) {
                    return i;
                }
                // A top-level group of that name not met yet still takes the area.
                let group = groups
                    .iter()
                    .position(|g| g.parent.is_none() && g.module == wanted)
                    .map(GroupId);
                let module = match group {
                    Some(_) => wanted.clone(),
                    None => modules.claim(wanted.clone()),
                };
                let name = feature_names.claim(module.clone());
                areas.push((name, module, group));
                areas.len() - 1
            }),
        };
        op_area.push(area);
    }
    let mut order: Vec<usize> = (0..areas.len()).collect();
    order.sort_by(|a, b| areas[*a].0.cmp(&areas[*b].0));
    let mut rank = vec![0; areas.len()];
    for (position, &area) in order.iter().enumerate() {
        rank[area] = position;
    }
    let mut list: Vec<Feature> = order
        .iter()
        .map(|&i| Feature {
            name: areas[i].0.clone(),
            module: Some(areas[i].1.clone()),
            group: areas[i].2,
            operations: 0,
        })
        .collect();
    for (op, area) in ops.iter_mut().zip(&op_area) {
        op.feature = area.map(|a| FeatureId(rank[a]));
        if let Some(f) = op.feature {
            list[f.0].operations += 1;
        }
    }
    let (types, shared) = gates(types, ops, envelope, shapes, &mut list);
    // `gates` may have put [`OTHER_TYPES`] among the sorted features: the operations' ids move
    // with the areas they name.
    if let Some(other) = list.iter().position(|f| f.name == OTHER_TYPES) {
        for op in ops.iter_mut() {
            if let Some(f) = &mut op.feature {
                if f.0 >= other {
                    f.0 += 1;
                }
            }
        }
    }
    Features {
        default_all: ops.len() <= DEFAULT_ALL_UP_TO,
        list,
        types,
        shared,
    }
}

/// Every type's gate, from what each feature's operations reach, and the shared features. Adds
/// [`OTHER_TYPES`] to `list` when some schema no operation reaches.
fn gates(
    types: &[TypeDef],
    ops: &[Operation],
    envelope: Option<&ErrorEnvelope>,
    shapes: &[TypeId],
    list: &mut Vec<Feature>,
) -> (Vec<Gate>, Vec<Vec<FeatureId>>) {
    let mut roots: Vec<Vec<TypeRef>> = vec![Vec::new(); list.len()];
    let mut always_roots: Vec<TypeRef> =
        envelope.map(|e| TypeRef::Named(e.ty)).into_iter().collect();
    for op in ops {
        let target = match op.feature {
            Some(f) => &mut roots[f.0],
            None => &mut always_roots,
        };
        target.extend(op.sent().chain(op.read()).cloned());
    }
    let mut always: HashSet<TypeId> = reachable(types, always_roots);
    let mut reached: Vec<Vec<usize>> = vec![Vec::new(); types.len()];
    for (f, roots) in roots.into_iter().enumerate() {
        for id in reachable(types, roots) {
            reached[id.0].push(f);
        }
    }
    // Nothing names a merged copy any more (see `dedup`); its alias is compiled wherever the
    // shape's definition is.
    for (i, shape) in shapes.iter().enumerate() {
        if shape.0 != i {
            reached[i] = reached[shape.0].clone();
            if always.contains(shape) {
                always.insert(TypeId(i));
            }
        }
    }
    // What no operation reaches is the other types', and so is everything those reach, so that
    // the feature compiles on its own.
    let other: Vec<TypeRef> = (0..types.len())
        .filter(|&i| reached[i].is_empty() && !always.contains(&TypeId(i)))
        .map(|i| TypeRef::Named(TypeId(i)))
        .collect();
    if !other.is_empty() {
        list.push(Feature {
            name: OTHER_TYPES.to_owned(),
            module: None,
            group: None,
            operations: 0,
        });
        list.sort_by(|a, b| a.name.cmp(&b.name));
        let position = list.iter().position(|f| f.name == OTHER_TYPES).unwrap_or(0);
        for by in &mut reached {
            for f in by.iter_mut() {
                if *f >= position {
                    *f += 1;
                }
            }
        }
        for id in reachable(types, other) {
            reached[id.0].push(position);
        }
    }
    let features = list.len();
    let mut shared: Vec<Vec<FeatureId>> = Vec::new();
    let gates = reached
        .into_iter()
        .enumerate()
        .map(|(i, mut by)| {
            if always.contains(&TypeId(i)) || by.len() == features {
                return Gate::Always;
            }
            by.sort_unstable();
            let by: Vec<FeatureId> = by.into_iter().map(FeatureId).collect();
            if cfg_len(by.iter().map(|f| list[f.0].name.as_str())) <= INLINE_MAX {
                return Gate::Any(by);
            }
            match shared.iter().position(|s| *s == by) {
                Some(k) => Gate::Shared(k),
                None => {
                    shared.push(by);
                    Gate::Shared(shared.len() - 1)
                }
            }
        })
        .collect();
    (gates, shared)
}

/// The length of `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", feature = "b"))]`.
fn cfg_len<'a>(names: impl Iterator<Item = &'a str>) -> usize {
    let (count, letters) = names.fold((0, 0), |(n, l), name| (n + 1, l + name.len()));
    let each = "feature = \"\"".len();
    let wrapper = if count == 1 {
        "#[cfg()]".len()
    } else {
        "#[cfg(any())]".len()
    };
    wrapper + count * each + letters + 2 * count.saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_skip_versions_and_extensions() {
        assert_eq!(
            path_area("/v1/customers/{id}").as_deref(),
            Some("customers")
        );
        assert_eq!(
            path_area("/2010-04-01/Accounts.json").as_deref(),
            Some("accounts")
        );
        assert_eq!(
            path_area("/api/v2beta1/payment-intents").as_deref(),
            Some("payment_intents")
        );
        assert_eq!(
            path_area("/v1/messages?beta=true").as_deref(),
            Some("messages")
        );
        assert_eq!(path_area("/{id}/things"), None);
        assert_eq!(path_area("/"), None);
        assert_eq!(path_area("/version").as_deref(), Some("version"));
    }

    #[test]
    fn cfg_lengths_are_exact() {
        assert_eq!(
            cfg_len(["ab"].into_iter()),
            r#"#[cfg(feature = "ab")]"#.len()
        );
        assert_eq!(
            cfg_len(["a", "bc"].into_iter()),
            r#"#[cfg(any(feature = "a", feature = "bc"))]"#.len()
        );
    }
}
