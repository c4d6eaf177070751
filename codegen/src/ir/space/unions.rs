//! `anyOf`/`oneOf` and type lists: open and closed string enums, tagged and untagged unions.

use std::borrow::Cow;
use std::collections::HashSet;

use serde_json::Value;

use super::scalars::{deprecation, enum_values};
use super::{Lowered, Shape, TypeSpace};
use crate::error::Error;
use crate::ir::model::{TypeKind, TypeRef, Variant};
use crate::ir::names::{self, Scope};
use crate::openapi::{Pointer, Schema, SchemaType};

/// One string branch of a union: its value (`None` for a free string), doc and deprecation.
type StringChoice = (Option<String>, Option<String>, Option<String>);

impl TypeSpace<'_> {
    /// `parts` are the branches of the list at `at` (`.../anyOf`).
    pub(super) fn union_shape(
        &mut self,
        schema: &Schema,
        parts: &[Schema],
        at: &Pointer,
        hint: &str,
        mut lowered: Lowered,
    ) -> Result<(Shape, Lowered), Error> {
        // `{type: null}` branches make the whole value nullable (already counted); the rest are
        // the union.
        let mut kept = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let part_at = at.join(&i.to_string());
            let resolved = self.resolver.follow(Cow::Borrowed(part), &part_at)?;
            let is_null = resolved.value.type_names() == ["null"]
                || resolved.value.const_value == Some(Value::Null);
            if !is_null {
                kept.push((part_at, part));
            }
        }
        if kept.is_empty() {
            return Ok((Shape::Type(TypeRef::Json), lowered));
        }
        if let [(part_at, part)] = kept.as_slice() {
            let inner = self.lower(part, part_at, hint)?;
            lowered.nullable |= inner.nullable;
            if lowered.constraints.is_empty() {
                lowered.constraints = inner.constraints;
            }
            lowered.doc = inner.doc;
            return Ok((Shape::Type(inner.ty), lowered));
        }
        if let Some(values) = string_choices(&kept) {
            let open = values.iter().any(|(v, _, _)| v.is_none());
            let known = values
                .into_iter()
                .filter_map(|(v, d, dep)| v.map(|v| (v, d, dep)));
            let kind = if open {
                TypeKind::OpenEnum(enum_values(known, names::const_name))
            } else {
                TypeKind::ClosedEnum(enum_values(known, names::variant_name))
            };
            return Ok((Shape::Named(kind), lowered));
        }
        let tag = match &schema.discriminator {
            Some(d) => Some(d.property_name.clone()),
            None => self.inferred_tag(&kept)?,
        };
        let mut variant_names = Scope::with_reserved(&["Other"]);
        let mut variants = Vec::new();
        for (part_at, part) in &kept {
            let resolved = self.resolver.follow(Cow::Borrowed(*part), part_at)?;
            let target = resolved.via_ref.then(|| resolved.pointer.clone());
            let resolved = resolved.value;
            let base = target
                .as_ref()
                .map(super::refs::hint_from_pointer)
                .or_else(|| resolved.title.clone())
                .or_else(|| tag.as_ref().and_then(|t| tag_value(&resolved, t)))
                .or_else(|| resolved.type_names().first().cloned())
                .unwrap_or_else(|| format!("Variant{}", variants.len()));
            let name = variant_names.claim(names::variant_name(&base));
            let inner = self.lower(part, part_at, &format!("{hint}{name}"))?;
            // The mapping's keys for this variant, else the values its own tag property
            // allows, else (a discriminator without a mapping) its schema's name.
            let mut tag_values: Vec<String> = match (&tag, &schema.discriminator) {
                (Some(t), Some(d)) => {
                    let mapped: Vec<String> = d
                        .mapping
                        .iter()
                        .filter(|(_, r)| mapping_target(r).as_ref() == target.as_ref())
                        .map(|(k, _)| k.clone())
                        .collect();
                    if !mapped.is_empty() {
                        mapped
                    } else {
                        let own = self.branch_tag_values(part, part_at, t, 0)?;
                        if own.is_empty() {
                            target
                                .as_ref()
                                .and_then(|p| p.tokens().last())
                                .into_iter()
                                .collect()
                        } else {
                            own
                        }
                    }
                }
                (Some(t), None) => tag_value(&resolved, t).into_iter().collect(),
                _ => Vec::new(),
            };
            let tag_value = (!tag_values.is_empty()).then(|| tag_values.remove(0));
            // A nullable branch makes the union nullable, not the branch an `Option`.
            lowered.nullable |= inner.nullable;
            variants.push(Variant {
                name,
                tag: tag_value,
                aliases: tag_values,
                ty: inner.ty,
                doc: resolved.doc().map(str::to_owned),
                requires: Vec::new(),
                keys: Vec::new(),
            });
        }
        // A tag only decides when every variant has one and no two share it (Stripe's deleted
        // objects share `object` with the live ones); otherwise variants are tried in order.
        let mut tags = HashSet::new();
        let distinct = variants.iter().all(|v| {
            v.tag.as_ref().is_some_and(|t| tags.insert(t.clone()))
                && v.aliases.iter().all(|a| tags.insert(a.clone()))
        });
        let kind = match tag {
            Some(tag) if distinct => TypeKind::Tagged { tag, variants },
            _ => TypeKind::Untagged(variants),
        };
        Ok((Shape::Named(kind), lowered))
    }

    /// `type: [string, integer]`: one variant per type, tried in order.
    pub(super) fn type_list_shape(
        &mut self,
        schema: &Schema,
        non_null: &[&str],
        at: &Pointer,
        hint: &str,
        lowered: Lowered,
    ) -> Result<(Shape, Lowered), Error> {
        let mut variants = Vec::new();
        for (i, t) in non_null.iter().enumerate() {
            let single = Schema {
                types: Some(SchemaType(vec![(*t).to_owned()])),
                nullable: false,
                ..schema.clone()
            };
            let inner = self.lower(
                &single,
                &at.join("type").join(&i.to_string()),
                &format!("{hint}{}", names::type_name(t)),
            )?;
            variants.push(Variant {
                name: names::variant_name(t),
                tag: None,
                aliases: Vec::new(),
                ty: inner.ty,
                doc: None,
                requires: Vec::new(),
                keys: Vec::new(),
            });
        }
        Ok((Shape::Named(TypeKind::Untagged(variants)), lowered))
    }

    /// The tag values a branch fixes: its tag property's constant or `enum`, seen through a
    /// nullable `anyOf` (OpenAI's `ItemReferenceParam.type`); for a branch that is itself a
    /// union (OpenAI's `Item` in `InputItem`), every value its branches fix. Empty when the tag
    /// is left free somewhere: only then does the schema's name stand in for it.
    fn branch_tag_values(
        &self,
        part: &Schema,
        at: &Pointer,
        tag: &str,
        depth: usize,
    ) -> Result<Vec<String>, Error> {
        let resolved = self.resolver.follow(Cow::Borrowed(part), at)?;
        let (schema, at) = (resolved.value, resolved.pointer);
        let nested = schema
            .one_of
            .as_ref()
            .map(|p| ("oneOf", p))
            .or(schema.any_of.as_ref().map(|p| ("anyOf", p)));
        let (at, parts, of_tag) =
            match (nested, schema.properties.as_ref().and_then(|p| p.get(tag))) {
                (_, Some(prop)) => {
                    let prop_at = at.join("properties").join(tag);
                    let prop = self.resolver.follow(Cow::Borrowed(prop), &prop_at)?;
                    let own = string_values(&prop.value);
                    if !own.is_empty() {
                        return Ok(own);
                    }
                    match prop.value.any_of.as_ref().or(prop.value.one_of.as_ref()) {
                        Some(parts) => (prop.pointer.clone(), parts.clone(), true),
                        None => return Ok(Vec::new()),
                    }
                }
                (Some((key, parts)), None) if depth < 8 => (at.join(key), parts.clone(), false),
                _ => return Ok(Vec::new()),
            };
        let mut all: Vec<String> = Vec::new();
        for (i, p) in parts.iter().enumerate() {
            let values = if of_tag {
                if p.type_names() == ["null"] {
                    continue;
                }
                string_values(p)
            } else {
                self.branch_tag_values(p, &at.join(&i.to_string()), tag, depth + 1)?
            };
            if values.is_empty() {
                return Ok(Vec::new());
            }
            for v in values {
                if !all.contains(&v) {
                    all.push(v);
                }
            }
        }
        Ok(all)
    }

    /// A property that every branch has as a required string constant is a tag, even without a
    /// `discriminator` (Anthropic's and OpenAI's specs rely on this).
    fn inferred_tag(&self, kept: &[(Pointer, &Schema)]) -> Result<Option<String>, Error> {
        let mut candidate: Option<Vec<String>> = None;
        for (at, part) in kept {
            let resolved = self.resolver.follow(Cow::Borrowed(*part), at)?.value;
            let Some(props) = &resolved.properties else {
                return Ok(None);
            };
            let consts: Vec<String> = props
                .iter()
                .filter(|(k, p)| {
                    resolved.required.contains(k)
                        && (matches!(p.const_value, Some(Value::String(_)))
                            || p.enum_values
                                .as_ref()
                                .is_some_and(|e| e.len() == 1 && e[0].is_string()))
                })
                .map(|(k, _)| k.clone())
                .collect();
            candidate = Some(match candidate {
                None => consts,
                Some(prev) => prev.into_iter().filter(|k| consts.contains(k)).collect(),
            });
        }
        Ok(candidate.and_then(|c| c.into_iter().next()))
    }
}

/// A discriminator mapping's value (a `$ref` or a bare schema name) as a pointer.
fn mapping_target(value: &str) -> Option<Pointer> {
    if value.starts_with('#') {
        Pointer::parse(value)
    } else {
        Some(
            Pointer::root()
                .join("components")
                .join("schemas")
                .join(value),
        )
    }
}

/// For unions of strings: each branch's value (`None` for a free string), doc and deprecation.
fn string_choices(kept: &[(Pointer, &Schema)]) -> Option<Vec<StringChoice>> {
    let mut out = Vec::new();
    for (_, part) in kept {
        if part.reference.is_some() {
            return None;
        }
        let is_string = part.type_names().is_empty() || part.type_names() == ["string"];
        if !is_string {
            return None;
        }
        match (&part.const_value, &part.enum_values) {
            (Some(Value::String(s)), _) => {
                out.push((Some(s.clone()), part.description.clone(), deprecation(part)))
            }
            (None, Some(values)) if values.iter().all(Value::is_string) => {
                for v in values.iter().filter_map(Value::as_str) {
                    out.push((Some(v.to_owned()), None, None));
                }
            }
            (None, None) if part.type_names() == ["string"] && part.properties.is_none() => {
                out.push((None, None, None))
            }
            _ => return None,
        }
    }
    Some(out)
}

/// The string values a tag property allows: its constant, or its `enum`.
fn string_values(prop: &Schema) -> Vec<String> {
    match (&prop.const_value, &prop.enum_values) {
        (Some(Value::String(s)), _) => vec![s.clone()],
        (None, Some(values)) if values.iter().all(Value::is_string) => values
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// The constant a schema's `tag` property holds, if it has one.
pub(super) fn tag_value(schema: &Schema, tag: &str) -> Option<String> {
    let prop = schema.properties.as_ref()?.get(tag)?;
    match (&prop.const_value, &prop.enum_values) {
        (Some(Value::String(s)), _) => Some(s.clone()),
        (None, Some(values)) if values.len() == 1 => values[0].as_str().map(str::to_owned),
        _ => None,
    }
}
