//! `allOf`: annotation-only parts modify, one shaped part stands for the whole, object parts
//! merge into one struct whose properties keep the place they were written.

use std::borrow::Cow;

use super::objects::ObjectParts;
use super::{Lowered, Shape, TypeSpace};
use crate::error::{Error, ErrorKind};
use crate::ir::model::TypeRef;
use crate::openapi::{Pointer, Schema};

/// A schema with no shape of its own: only annotations such as `nullable` or `description`.
pub(super) fn is_annotation_only(schema: &Schema) -> bool {
    schema.is_annotation_only()
}

impl TypeSpace<'_> {
    pub(super) fn all_of_shape(
        &mut self,
        schema: &Schema,
        parts: &[Schema],
        at: &Pointer,
        hint: &str,
        mut lowered: Lowered,
    ) -> Result<(Shape, Lowered), Error> {
        // Parts that only annotate (`{nullable: true}`, `{description: ...}`) modify the others
        // rather than add a shape: OpenAI writes `allOf: [{$ref: X}, {nullable: true}]`.
        let shaped: Vec<(Pointer, &Schema)> = parts
            .iter()
            .enumerate()
            .filter(|(_, part)| !is_annotation_only(part))
            .map(|(i, part)| (at.join("allOf").join(&i.to_string()), part))
            .collect();
        let only_part = shaped.len() == 1
            && schema.properties.is_none()
            && schema
                .type_names()
                .iter()
                .all(|t| t == "object" || t == "null");
        let leading = if only_part {
            Some(0)
        } else if schema.properties.is_none() {
            self.scalar_intersection(schema, &shaped)?
        } else {
            None
        };
        if let Some(leading) = leading {
            let (part_at, part) = &shaped[leading];
            let inner = self.lower(part, part_at, hint)?;
            lowered.nullable |= inner.nullable;
            lowered.doc = inner.doc;
            if lowered.constraints.is_empty() {
                lowered.constraints = inner.constraints;
            }
            return Ok((Shape::Type(inner.ty), lowered));
        }
        if shaped.is_empty() && schema.properties.is_none() {
            return Ok((Shape::Type(TypeRef::Json), lowered));
        }
        // Merge object parts into one struct: properties and `required` are unioned.
        let mut merged = ObjectParts::empty(schema, at);
        for (part_at, part) in &shaped {
            self.merge_part(&mut merged, part, part_at, 0)?;
        }
        merged.add(schema, at);
        Ok((self.object_shape(&merged, hint)?, lowered))
    }

    /// The part that stands for an `allOf` of scalars: `allOf: [{$ref: resourceId}, {type:
    /// string}]` (ato.gov.au) is a string, not an object with no properties. It is the part with
    /// a reference, an `enum` or a `const` (else the first) when every other part only restates
    /// its type (`{type: string}`, with constraints or a format) and no part is an object or an
    /// array; `None` otherwise, when the parts are merged as objects.
    fn scalar_intersection(
        &mut self,
        schema: &Schema,
        shaped: &[(Pointer, &Schema)],
    ) -> Result<Option<usize>, Error> {
        let mut resolved = Vec::with_capacity(shaped.len());
        for (part_at, part) in shaped {
            let part = self.resolver.follow(Cow::Borrowed(*part), part_at)?.value;
            let shaped_like_object = part.properties.is_some()
                || part.additional_properties.is_some()
                || part.items.is_some()
                || part
                    .type_names()
                    .iter()
                    .any(|t| t == "object" || t == "array");
            if shaped_like_object {
                return Ok(None);
            }
            resolved.push(part.into_owned());
        }
        let Some(leading) = shaped
            .iter()
            .zip(&resolved)
            .position(|((_, part), target)| {
                part.reference.is_some()
                    || target.enum_values.is_some()
                    || target.const_value.is_some()
            })
            .or((!shaped.is_empty()).then_some(0))
        else {
            return Ok(None);
        };
        let types = |s: &Schema| -> Vec<String> {
            s.type_names()
                .iter()
                .filter(|t| *t != "null")
                .cloned()
                .collect()
        };
        let leading_types = types(&resolved[leading]);
        let restates = |s: &Schema| {
            let own = types(s);
            own.is_empty()
                || leading_types.is_empty()
                || own == leading_types
                || (own == ["number"] && leading_types == ["integer"])
        };
        let plain = |s: &Schema| {
            s.reference.is_none()
                && s.all_of.is_none()
                && s.any_of.is_none()
                && s.one_of.is_none()
                && s.enum_values.is_none()
                && s.const_value.is_none()
        };
        let others_restate = shaped
            .iter()
            .zip(&resolved)
            .enumerate()
            .all(|(i, ((_, part), target))| i == leading || (plain(part) && restates(target)));
        Ok((others_restate && restates(schema)).then_some(leading))
    }

    /// Adds one `allOf` part (following references and nested `allOf`s) to `merged`.
    fn merge_part(
        &mut self,
        merged: &mut ObjectParts,
        part: &Schema,
        at: &Pointer,
        depth: usize,
    ) -> Result<(), Error> {
        if depth > 32 {
            return Err(self.err(
                at.as_str(),
                ErrorKind::RefCycle("allOf nests into itself".into()),
            ));
        }
        let resolved = self.resolver.follow(Cow::Borrowed(part), at)?;
        let (part, at) = (resolved.value, resolved.pointer);
        if let Some(nested) = &part.all_of {
            for (i, inner) in nested.iter().enumerate() {
                if !is_annotation_only(inner) {
                    let inner_at = at.join("allOf").join(&i.to_string());
                    self.merge_part(merged, inner, &inner_at, depth + 1)?;
                }
            }
            merged.add(&part, &at);
            return Ok(());
        }
        let is_object = part.properties.is_some()
            || part.type_names().iter().any(|t| t == "object")
            || part.additional_properties.is_some();
        if !is_object {
            self.warn(
                at.as_str(),
                "allOf part that is not an object: the merged type ignores it",
            );
            return Ok(());
        }
        merged.add(&part, &at);
        Ok(())
    }
}
