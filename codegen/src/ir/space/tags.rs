//! Unions that cannot lie: a tagged union's variant carries its tag as a constant (so
//! `Pet::Cat(Cat::new(..))` cannot hold a dog), and an untagged union only tries a variant when
//! the value carries the constants that variant fixes.

use std::collections::{BTreeMap, HashMap};

use super::TypeSpace;
use crate::error::escape_token;
use crate::ir::model::{
    Carried, ConstValue, Extra, Fill, Presence, Requirement, TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::ir::names;

/// What an untagged variant requires of a value.
type Requirements = Vec<Requirement>;

impl TypeSpace<'_> {
    /// Turns the tag field of each tagged union's struct variants into a constant of the
    /// variant's tag, when every union that holds the struct agrees on that tag.
    pub fn pin_union_tags(&mut self) {
        // (struct, field index) -> the tag values unions expect there.
        let mut expected: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
        for def in &self.types {
            let TypeKind::Tagged { tag, variants } = &def.kind else {
                continue;
            };
            // A variant several tags select keeps the field that says which.
            for variant in variants.iter().filter(|v| v.aliases.is_empty()) {
                let (Some(value), Some(id)) = (&variant.tag, struct_of(&self.types, &variant.ty))
                else {
                    continue;
                };
                let TypeKind::Struct(s) = &self.types[id.0].kind else {
                    continue;
                };
                let Some(index) = s.fields.iter().position(|f| f.wire == *tag) else {
                    continue;
                };
                if is_free_string(&self.types, &s.fields[index].ty) {
                    expected
                        .entry((id.0, index))
                        .or_default()
                        .push(value.clone());
                }
            }
        }
        let uses = use_counts(&self.types);
        for ((id, index), values) in expected {
            if values.iter().any(|v| *v != values[0]) {
                // The same struct stands for two tags: it keeps its string.
                continue;
            }
            let (struct_name, field_name, field_ty) = {
                let TypeKind::Struct(s) = &self.types[id].kind else {
                    continue;
                };
                let f = &s.fields[index];
                (self.types[id].name.clone(), f.wire.clone(), f.ty.clone())
            };
            let pointer = format!(
                "{}/properties/{}",
                self.types[id].pointer,
                escape_token(&field_name)
            );
            let kind = TypeKind::Const(ConstValue::Str(values[0].clone()));
            let doc = Some(format!(
                "The `{field_name}` of a `{struct_name}`: always `{}`.",
                values[0]
            ));
            // An inline enum written at this very field, used nowhere else, is the tag's own
            // type: it becomes the constant, keeping its name, instead of being left unused.
            let own = match field_ty {
                TypeRef::Named(e)
                    if self.types[e.0].pointer == pointer
                        && uses.get(&e.0) == Some(&1)
                        && !self.referenced.contains(&e) =>
                {
                    Some(e)
                }
                _ => None,
            };
            let const_id = match own {
                Some(e) => {
                    let def = &mut self.types[e.0];
                    def.kind = kind;
                    def.doc = doc;
                    e
                }
                None => {
                    let name = self
                        .names
                        .claim(names::type_name(&format!("{struct_name} {field_name}")));
                    let const_id = TypeId(self.types.len());
                    self.types.push(TypeDef {
                        name,
                        doc,
                        pointer,
                        deprecated: None,
                        kind,
                    });
                    const_id
                }
            };
            if let TypeKind::Struct(s) = &mut self.types[id].kind {
                let field = &mut s.fields[index];
                field.ty = TypeRef::Named(const_id);
                field.fill = Fill::Constant;
            }
        }
    }

    /// Fills in what each untagged variant requires of a value: the constants of its struct's
    /// fields, by JSON pointer, or the variant's own constant (Discord's `oneOf` of `const`s: a
    /// constant reads any value unless `strict`, so `2` came back as the first variant's `1`),
    /// and the required nullable keys it reads leniently.
    pub fn untagged_requirements(&mut self) {
        let mut found: Vec<(usize, usize, Requirements, Vec<String>)> = Vec::new();
        for (union, def) in self.types.iter().enumerate() {
            let TypeKind::Untagged(variants) = &def.kind else {
                continue;
            };
            for (i, variant) in variants.iter().enumerate() {
                if let Some(value) = const_of(&self.types, &variant.ty) {
                    let whole = Requirement {
                        pointer: String::new(),
                        value,
                        carried: Carried::Always,
                    };
                    found.push((union, i, vec![whole], Vec::new()));
                    continue;
                }
                let Some(id) = struct_of(&self.types, &variant.ty) else {
                    continue;
                };
                let TypeKind::Struct(s) = &self.types[id.0].kind else {
                    continue;
                };
                let requires: Requirements = s
                    .fields
                    .iter()
                    .filter_map(|f| {
                        let value = const_of(&self.types, &f.ty)?;
                        let carried = match f.presence {
                            Presence::Required => Carried::Always,
                            Presence::Optional
                            | Presence::Nullable
                            | Presence::OptionalNullable => Carried::IfPresent,
                        };
                        Some(Requirement {
                            pointer: format!("/{}", escape_token(&f.wire)),
                            value,
                            carried,
                        })
                    })
                    .collect();
                let keys: Vec<String> = s
                    .fields
                    .iter()
                    .filter(|f| f.presence == Presence::Nullable)
                    .map(|f| format!("/{}", escape_token(&f.wire)))
                    .collect();
                if !requires.is_empty() || !keys.is_empty() {
                    found.push((union, i, requires, keys));
                }
            }
        }
        for (union, i, requires, keys) in found {
            if let TypeKind::Untagged(variants) = &mut self.types[union].kind {
                variants[i].requires = requires;
                variants[i].keys = keys;
            }
        }
    }
}

/// The struct a type expression names, through aliases and boxes.
fn struct_of(types: &[TypeDef], ty: &TypeRef) -> Option<TypeId> {
    let mut current = ty.clone();
    for _ in 0..64 {
        match current {
            TypeRef::Named(id) => match &types[id.0].kind {
                TypeKind::Struct(_) => return Some(id),
                TypeKind::Alias(inner) => current = inner.clone(),
                _ => return None,
            },
            TypeRef::Boxed(inner) => current = *inner,
            _ => return None,
        }
    }
    None
}

/// The constant a type expression fixes, through aliases.
fn const_of(types: &[TypeDef], ty: &TypeRef) -> Option<ConstValue> {
    let mut current = ty;
    for _ in 0..64 {
        match current {
            TypeRef::Named(id) => match &types[id.0].kind {
                TypeKind::Const(value) => return Some(value.clone()),
                TypeKind::Alias(inner) => current = inner,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// A string the caller may set to anything: a plain string or a string enum.
fn is_free_string(types: &[TypeDef], ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String => true,
        TypeRef::Named(id) => matches!(
            &types[id.0].kind,
            TypeKind::OpenEnum(_) | TypeKind::ClosedEnum(_) | TypeKind::Alias(TypeRef::String)
        ),
        _ => false,
    }
}

/// How many type expressions inside the types name each type.
fn use_counts(types: &[TypeDef]) -> HashMap<usize, usize> {
    let mut uses = HashMap::new();
    let mut count =
        |t: &TypeRef| t.for_each_named(&mut |id| *uses.entry(id.index()).or_insert(0) += 1);
    for def in types {
        match &def.kind {
            TypeKind::Struct(s) => {
                s.fields.iter().for_each(|f| count(&f.ty));
                if let Extra::Keep(t) = &s.extra {
                    count(t);
                }
            }
            TypeKind::Tagged { variants, .. } | TypeKind::Untagged(variants) => {
                variants.iter().for_each(|v| count(&v.ty))
            }
            TypeKind::Alias(t) | TypeKind::Newtype(t) => count(t),
            _ => {}
        }
    }
    uses
}
