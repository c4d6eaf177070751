//! Unions that cannot lie: a tagged union's variant carries its tag as a constant (so
//! `Pet::Cat(Cat::new(..))` cannot hold a dog), and an untagged union only tries a variant when
//! the value carries the constants that variant fixes.

use std::collections::BTreeMap;

use super::TypeSpace;
use crate::error::escape_token;
use crate::ir::model::{ConstValue, Fill, TypeDef, TypeId, TypeKind, TypeRef};
use crate::ir::names;

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
            for variant in variants {
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
        for ((id, index), values) in expected {
            if values.iter().any(|v| *v != values[0]) {
                // The same struct stands for two tags: it keeps its string.
                continue;
            }
            let (struct_name, field_name) = {
                let TypeKind::Struct(s) = &self.types[id].kind else {
                    continue;
                };
                (self.types[id].name.clone(), s.fields[index].wire.clone())
            };
            let name = self
                .names
                .claim(names::type_name(&format!("{struct_name} {field_name}")));
            let pointer = format!(
                "{}/properties/{}",
                self.types[id].pointer,
                escape_token(&field_name)
            );
            let const_id = TypeId(self.types.len());
            self.types.push(TypeDef {
                name,
                doc: Some(format!(
                    "The `{field_name}` of a `{struct_name}`: always `{}`.",
                    values[0]
                )),
                pointer,
                deprecated: None,
                kind: TypeKind::Const(ConstValue::Str(values[0].clone())),
            });
            if let TypeKind::Struct(s) = &mut self.types[id].kind {
                let field = &mut s.fields[index];
                field.ty = TypeRef::Named(const_id);
                field.fill = Fill::Constant;
            }
        }
    }

    /// Fills in what each untagged variant requires of a value: the constants of its struct's
    /// fields, by JSON pointer.
    pub fn untagged_requirements(&mut self) {
        let mut found: Vec<(usize, usize, Vec<(String, ConstValue)>)> = Vec::new();
        for (union, def) in self.types.iter().enumerate() {
            let TypeKind::Untagged(variants) = &def.kind else {
                continue;
            };
            for (i, variant) in variants.iter().enumerate() {
                let Some(id) = struct_of(&self.types, &variant.ty) else {
                    continue;
                };
                let TypeKind::Struct(s) = &self.types[id.0].kind else {
                    continue;
                };
                let requires: Vec<(String, ConstValue)> = s
                    .fields
                    .iter()
                    .filter_map(|f| {
                        let value = const_of(&self.types, &f.ty)?;
                        Some((format!("/{}", escape_token(&f.wire)), value))
                    })
                    .collect();
                if !requires.is_empty() {
                    found.push((union, i, requires));
                }
            }
        }
        for (union, i, requires) in found {
            if let TypeKind::Untagged(variants) = &mut self.types[union].kind {
                variants[i].requires = requires;
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
