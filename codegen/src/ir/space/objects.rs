//! Objects and arrays.

use indexmap::IndexMap;

use super::{Shape, TypeSpace};
use crate::error::Error;
use crate::ir::model::{Extra, Field, Fill, Presence, Struct, TypeKind, TypeRef};
use crate::ir::names::{self, Scope};
use crate::openapi::{AdditionalProperties, Pointer, Schema};

/// The parts of an object type, each property with the place it was written (so a property
/// merged in by `allOf` is lowered once, where it lives).
pub(super) struct ObjectParts {
    description: Option<String>,
    properties: IndexMap<String, (Schema, Pointer)>,
    required: Vec<String>,
    additional: Option<(AdditionalProperties, Pointer)>,
}

impl ObjectParts {
    /// No properties yet; `additionalProperties` as the outer schema at `at` states it.
    pub(super) fn empty(outer: &Schema, at: &Pointer) -> Self {
        ObjectParts {
            description: outer.description.clone(),
            properties: IndexMap::new(),
            required: Vec::new(),
            additional: outer
                .additional_properties
                .clone()
                .map(|a| (a, at.join("additionalProperties"))),
        }
    }

    /// The parts of a plain object schema at `at`.
    pub(super) fn of(schema: &Schema, at: &Pointer) -> Self {
        let mut parts = ObjectParts::empty(schema, at);
        parts.add(schema, at);
        parts
    }

    /// Adds a schema's own properties, `required` and `additionalProperties` (a closed part does
    /// not close a merge: the other parts add keys).
    pub(super) fn add(&mut self, part: &Schema, at: &Pointer) {
        if let Some(props) = &part.properties {
            let props_at = at.join("properties");
            for (k, v) in props {
                match self.properties.get_mut(k) {
                    // A property only described in one part (rev.ai's `callback_url: {description}`)
                    // and shaped in a later one is the later one's shape, with the first one's text where
                    // the later has none.
                    Some((first, first_at))
                        if first.is_annotation_only() && !v.is_annotation_only() =>
                    {
                        let doc = (first.description.clone(), first.title.clone());
                        *first = v.clone();
                        first.description = first.description.take().or(doc.0);
                        first.title = first.title.take().or(doc.1);
                        *first_at = props_at.join(k);
                    }
                    Some(_) => {}
                    None => {
                        self.properties
                            .insert(k.clone(), (v.clone(), props_at.join(k)));
                    }
                }
            }
        }
        for r in &part.required {
            if !self.required.contains(r) {
                self.required.push(r.clone());
            }
        }
        if self.description.is_none() {
            self.description = part.description.clone();
        }
        match &part.additional_properties {
            Some(AdditionalProperties::Bool(false)) | None => {}
            Some(other) if self.additional.is_none() => {
                self.additional = Some((other.clone(), at.join("additionalProperties")));
            }
            Some(_) => {}
        }
    }
}

impl TypeSpace<'_> {
    pub(super) fn plain_object_shape(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        hint: &str,
    ) -> Result<Shape, Error> {
        self.object_shape(&ObjectParts::of(schema, at), hint)
    }

    pub(super) fn object_shape(&mut self, parts: &ObjectParts, hint: &str) -> Result<Shape, Error> {
        if parts.properties.is_empty() {
            return Ok(Shape::Type(match &parts.additional {
                Some((AdditionalProperties::Schema(inner), inner_at)) => {
                    let item = self.lower(inner, inner_at, &format!("{hint}Value"))?;
                    TypeRef::Map(Box::new(item.into_type()))
                }
                _ => TypeRef::JsonObject,
            }));
        }
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        for (wire, (prop, prop_at)) in &parts.properties {
            let name = scope.claim(names::field_name(prop.x_name.as_deref().unwrap_or(wire)));
            let field_hint = format!("{hint}{}", names::type_name(wire));
            let inner = self.lower(prop, prop_at, &field_hint)?;
            let constant = matches!(inner.ty, TypeRef::Named(id)
                if matches!(self.def(id).kind, TypeKind::Const(_)));
            let fill = if constant {
                Fill::Constant
            } else if prop.read_only {
                Fill::Server
            } else {
                Fill::Caller
            };
            // `readOnly` values are absent from requests and `writeOnly` ones from responses,
            // so a required one may still be missing from what one side sends.
            let required = parts.required.contains(wire) && !prop.read_only && !prop.write_only;
            fields.push(Field {
                name,
                wire: wire.clone(),
                doc: prop
                    .description
                    .clone()
                    .or(inner.doc)
                    .or_else(|| prop.title.clone()),
                ty: inner.ty,
                presence: Presence::of(required, inner.nullable),
                fill,
                deprecated: super::deprecation(prop),
                constraints: inner.constraints,
            });
        }
        let extra = match &parts.additional {
            Some((AdditionalProperties::Bool(false), _)) => Extra::Deny,
            Some((AdditionalProperties::Schema(inner), inner_at)) => {
                let item = self.lower(inner, inner_at, &format!("{hint}Value"))?;
                Extra::Keep(item.into_type())
            }
            _ => Extra::Keep(TypeRef::Json),
        };
        let extra_name = scope.claim("extra".to_owned());
        Ok(Shape::Named(TypeKind::Struct(Struct {
            fields,
            extra,
            extra_name,
            builder: None,
        })))
    }

    pub(super) fn array_type(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        hint: &str,
    ) -> Result<TypeRef, Error> {
        let item = match &schema.items {
            Some(items) => self
                .lower(items, &at.join("items"), &format!("{hint}Item"))?
                .into_type(),
            None => TypeRef::Json,
        };
        Ok(TypeRef::Vec(Box::new(item)))
    }
}
