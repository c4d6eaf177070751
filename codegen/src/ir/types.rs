//! Schema lowering: the type space. Component schemas are declared first (so references resolve
//! in any order), then defined; inline schemas that need a name get one from their location.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::names::{self, Scope};
use super::{
    Constraints, EnumValue, ErrorEnvelope, Extra, Field, FloatKind, IntKind, Operation, Struct,
    TypeDef, TypeId, TypeKind, TypeRef, Variant,
};
use crate::error::{escape_token, Diagnostic, Error, ErrorKind};
use crate::openapi::{self, AdditionalProperties, Bound, Document, Schema};

/// A schema lowered to a type expression, plus what its wrapper needs to know.
#[derive(Debug, Clone)]
pub struct Lowered {
    /// The type, without nullability.
    pub ty: TypeRef,
    /// `null` is a valid value.
    pub nullable: bool,
    /// Constraints of the (non-null) value.
    pub constraints: Constraints,
    /// Description of the referenced schema, for fields that have none of their own.
    pub doc: Option<String>,
}

impl Lowered {
    fn plain(ty: TypeRef) -> Self {
        Lowered {
            ty,
            nullable: false,
            constraints: Constraints::default(),
            doc: None,
        }
    }
}

/// What a schema becomes before it is placed.
enum Shape {
    /// An anonymous type expression.
    Type(TypeRef),
    /// Something that needs a named type.
    Named(TypeKind),
}

/// Named types under construction.
pub struct TypeSpace<'a> {
    file: &'a str,
    doc: &'a Document,
    raw: &'a Value,
    types: Vec<Option<TypeDef>>,
    /// Pointer of a schema (component or referenced location) to its named type.
    by_pointer: HashMap<String, TypeId>,
    /// Pointers whose lowering is in progress (to catch `$ref` cycles that never reach a type).
    resolving: HashSet<String>,
    /// Constraints found at the end of each `$ref` chain.
    ref_constraints: HashMap<String, Constraints>,
    names: Scope,
    warnings: Vec<Diagnostic>,
}

const COMPONENTS: &str = "#/components/schemas/";

impl<'a> TypeSpace<'a> {
    /// An empty space over a document.
    pub fn new(file: &'a str, doc: &'a Document, raw: &'a Value) -> Self {
        TypeSpace {
            file,
            doc,
            raw,
            types: Vec::new(),
            by_pointer: HashMap::new(),
            resolving: HashSet::new(),
            ref_constraints: HashMap::new(),
            names: Scope::default(),
            warnings: Vec::new(),
        }
    }

    /// Reserves a name and id for every component schema, in document order.
    pub fn declare_components(&mut self) -> Result<(), Error> {
        for (name, schema) in &self.doc.components.schemas {
            let pointer = format!("{COMPONENTS}{}", escape_token(name));
            let rust_name = self
                .names
                .claim(names::type_name(schema.x_name.as_deref().unwrap_or(name)));
            let id = self.types.len();
            self.types.push(Some(TypeDef {
                name: rust_name,
                doc: schema.doc().map(str::to_owned),
                pointer: pointer.clone(),
                deprecated: deprecation(schema),
                kind: TypeKind::Alias(TypeRef::Json),
            }));
            self.by_pointer.insert(pointer, id);
        }
        Ok(())
    }

    /// Defines every component schema declared earlier.
    pub fn define_components(&mut self) -> Result<(), Error> {
        let doc = self.doc;
        for (name, schema) in &doc.components.schemas {
            let pointer = format!("{COMPONENTS}{}", escape_token(name));
            let id = self.by_pointer[&pointer];
            let type_name = self.name_of(id).to_owned();
            let kind = match self.shape(schema, &pointer, &type_name)? {
                (Shape::Named(kind), _) => kind,
                (Shape::Type(ty), lowered) => TypeKind::Alias(if lowered.nullable {
                    TypeRef::Nullable(Box::new(ty))
                } else {
                    ty
                }),
            };
            if let Some(def) = self.types[id].as_mut() {
                def.kind = kind;
            }
        }
        self.check_alias_cycles()
    }

    /// Finishes: the types in id order, and the warnings.
    pub fn finish(self) -> (Vec<TypeDef>, Vec<Diagnostic>) {
        (self.types.into_iter().flatten().collect(), self.warnings)
    }

    /// Claims a type-level name (group handles, options structs) in the same scope as schema
    /// types, so they can never collide.
    pub fn claim_type_name(&mut self, raw: &str) -> String {
        self.names.claim(names::type_name(raw))
    }

    /// Rust name of a type.
    pub fn name_of(&self, id: TypeId) -> &str {
        self.types[id]
            .as_ref()
            .map(|t| t.name.as_str())
            .unwrap_or("")
    }

    /// A type's definition.
    pub fn def(&self, id: TypeId) -> Option<&TypeDef> {
        self.types.get(id).and_then(Option::as_ref)
    }

    /// Records a non-fatal finding.
    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Diagnostic {
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    fn err(&self, pointer: &str, kind: ErrorKind) -> Error {
        Error::at(self.file, pointer, kind)
    }

    /// Lowers a schema used at `pointer`; inline types are named from `hint`.
    pub fn lower(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Result<Lowered, Error> {
        let (shape, mut lowered) = self.shape(schema, pointer, hint)?;
        lowered.ty = match shape {
            Shape::Type(ty) => ty,
            Shape::Named(kind) => TypeRef::Named(self.add_named(hint, pointer, schema, kind)),
        };
        Ok(lowered)
    }

    fn add_named(&mut self, hint: &str, pointer: &str, schema: &Schema, kind: TypeKind) -> TypeId {
        let name = self.names.claim(names::type_name(hint));
        let id = self.types.len();
        self.types.push(Some(TypeDef {
            name,
            doc: schema.doc().map(str::to_owned),
            pointer: pointer.to_owned(),
            deprecated: deprecation(schema),
            kind,
        }));
        id
    }

    /// Follows `$ref`s to the schema they name.
    pub fn resolve(&self, schema: &Schema, pointer: &str) -> Result<(Schema, String), Error> {
        let mut current = schema.clone();
        let mut at = pointer.to_owned();
        let mut seen = HashSet::new();
        while let Some(reference) = current.reference.clone() {
            if !seen.insert(reference.clone()) {
                return Err(self.err(
                    &at,
                    ErrorKind::RefCycle(format!("{reference} refers back to itself")),
                ));
            }
            current = self.load_ref(&reference, &format!("{at}/$ref"))?;
            at = reference;
        }
        Ok((current, at))
    }

    fn load_ref(&self, reference: &str, pointer: &str) -> Result<Schema, Error> {
        if !reference.starts_with('#') {
            return Err(self.err(pointer, ErrorKind::ExternalRef(reference.to_owned())));
        }
        let reference = percent_decode(reference);
        if let Some(name) = reference
            .strip_prefix(COMPONENTS)
            .filter(|n| !n.contains('/'))
        {
            let name = unescape(name);
            if let Some(schema) = self.doc.components.schemas.get(&name) {
                return Ok(schema.clone());
            }
            return Err(self.err(pointer, ErrorKind::DanglingRef(reference.clone())));
        }
        let raw = &reference[1..];
        if self.raw.pointer(raw).is_none() {
            return Err(self.err(pointer, ErrorKind::DanglingRef(reference.clone())));
        }
        openapi::at_pointer(self.file, self.raw, &reference)
    }

    fn shape(
        &mut self,
        schema: &Schema,
        pointer: &str,
        hint: &str,
    ) -> Result<(Shape, Lowered), Error> {
        let mut lowered = Lowered::plain(TypeRef::Json);
        lowered.constraints = constraints(schema);
        if schema.is_false {
            self.warn(
                pointer,
                "schema `false` (no valid value) is generated as serde_json::Value",
            );
            return Ok((Shape::Type(TypeRef::Json), lowered));
        }
        if let Some(reference) = &schema.reference {
            let ty = self.lower_ref(reference, pointer)?;
            lowered.nullable = schema.nullable;
            if lowered.constraints.is_empty() {
                // Constraints of a referenced scalar (`$ref: '#/.../Prompt'` with `minLength`).
                lowered.constraints = self.ref_constraints(reference);
            }
            lowered.doc = self.ref_doc(reference);
            return Ok((Shape::Type(ty), lowered));
        }
        let type_names = schema.type_names();
        for (i, t) in type_names.iter().enumerate() {
            if !matches!(
                t.as_str(),
                "string" | "number" | "integer" | "boolean" | "array" | "object" | "null"
            ) {
                let at = if schema.types.as_ref().map(|t| t.0.len()).unwrap_or(0) > 1 {
                    format!("{pointer}/type/{i}")
                } else {
                    format!("{pointer}/type")
                };
                return Err(self.err(&at, ErrorKind::UnknownType(t.clone())));
            }
        }
        lowered.nullable = schema.nullable || type_names.iter().any(|t| t == "null");
        let non_null: Vec<&str> = type_names
            .iter()
            .map(String::as_str)
            .filter(|t| *t != "null")
            .collect();

        if let Some(value) = &schema.const_value {
            return Ok((self.const_shape(value, &non_null), lowered));
        }
        if let Some(values) = &schema.enum_values {
            let (shape, nullable) = self.enum_shape(schema, values, &non_null);
            lowered.nullable |= nullable;
            return Ok((shape, lowered));
        }
        if let Some(parts) = schema.any_of.as_ref().or(schema.one_of.as_ref()) {
            let key = if schema.any_of.is_some() {
                "anyOf"
            } else {
                "oneOf"
            };
            return self.union_shape(schema, parts, &format!("{pointer}/{key}"), hint, lowered);
        }
        if let Some(parts) = &schema.all_of {
            return self.all_of_shape(schema, parts, pointer, hint, lowered);
        }
        if non_null.len() > 1 {
            let variants = non_null
                .iter()
                .map(|t| {
                    let single = Schema {
                        types: Some(openapi::SchemaType(vec![(*t).to_owned()])),
                        ..schema.clone()
                    };
                    let inner =
                        self.lower(&single, pointer, &format!("{hint}{}", names::type_name(t)))?;
                    Ok(Variant {
                        name: names::variant_name(t),
                        tag: None,
                        ty: inner.ty,
                        doc: None,
                    })
                })
                .collect::<Result<Vec<_>, Error>>()?;
            return Ok((Shape::Named(TypeKind::Untagged(variants)), lowered));
        }
        let shape = match non_null.first().copied() {
            Some("object") => self.object_shape(schema, pointer, hint)?,
            None if schema.properties.is_some() || schema.additional_properties.is_some() => {
                self.object_shape(schema, pointer, hint)?
            }
            Some("array") => Shape::Type(self.array_type(schema, pointer, hint)?),
            None if schema.items.is_some() => Shape::Type(self.array_type(schema, pointer, hint)?),
            Some("string") => Shape::Type(string_type(schema)),
            Some("integer") => Shape::Type(TypeRef::Int(int_kind(schema))),
            Some("number") => Shape::Type(TypeRef::Float(match schema.format.as_deref() {
                Some("float") => FloatKind::F32,
                _ => FloatKind::F64,
            })),
            Some("boolean") => Shape::Type(TypeRef::Bool),
            _ => Shape::Type(TypeRef::Json),
        };
        Ok((shape, lowered))
    }

    fn lower_ref(&mut self, reference: &str, pointer: &str) -> Result<TypeRef, Error> {
        let decoded = percent_decode(reference);
        let reference = decoded.as_str();
        if let Some(id) = self.by_pointer.get(reference) {
            return Ok(TypeRef::Named(*id));
        }
        let at = format!("{pointer}/$ref");
        let target = self.load_ref(reference, &at)?;
        if !self.resolving.insert(reference.to_owned()) {
            return Err(self.err(
                &at,
                ErrorKind::RefCycle(format!("{reference} refers back to itself")),
            ));
        }
        let hint = reference
            .rsplit('/')
            .next()
            .map(unescape)
            .unwrap_or_default();
        let result = self.lower(&target, reference, &hint);
        self.resolving.remove(reference);
        let lowered = result?;
        if let TypeRef::Named(id) = lowered.ty {
            self.by_pointer.insert(reference.to_owned(), id);
        }
        Ok(if lowered.nullable {
            TypeRef::Nullable(Box::new(lowered.ty))
        } else {
            lowered.ty
        })
    }

    /// The constraints at the end of a `$ref` chain, memoized so that long chains of aliases
    /// cost linear, not quadratic, time.
    fn ref_constraints(&mut self, reference: &str) -> Constraints {
        let mut chain = Vec::new();
        let mut current = percent_decode(reference);
        let found = loop {
            if let Some(c) = self.ref_constraints.get(&current) {
                break c.clone();
            }
            if chain.contains(&current) {
                break Constraints::default();
            }
            chain.push(current.clone());
            match self.load_ref(&current, "#") {
                Ok(target) => match target.reference {
                    Some(next) => current = percent_decode(&next),
                    None => break constraints(&target),
                },
                Err(_) => break Constraints::default(),
            }
        };
        for link in chain {
            self.ref_constraints.insert(link, found.clone());
        }
        found
    }

    fn ref_doc(&self, reference: &str) -> Option<String> {
        let name = reference.strip_prefix(COMPONENTS)?;
        self.doc
            .components
            .schemas
            .get(&unescape(name))
            .and_then(|s| s.doc().map(str::to_owned))
    }

    fn const_shape(&mut self, value: &Value, non_null: &[&str]) -> Shape {
        match value {
            Value::String(s) => Shape::Named(TypeKind::Const(s.clone())),
            Value::Bool(_) => Shape::Type(TypeRef::Bool),
            Value::Number(n) if n.is_i64() || n.is_u64() => Shape::Type(TypeRef::Int(IntKind::I64)),
            Value::Number(_) => Shape::Type(TypeRef::Float(FloatKind::F64)),
            _ if non_null == ["string"] => Shape::Type(TypeRef::String),
            _ => Shape::Type(TypeRef::Json),
        }
    }

    fn enum_shape(
        &mut self,
        schema: &Schema,
        values: &[Value],
        non_null: &[&str],
    ) -> (Shape, bool) {
        let nullable = values.iter().any(Value::is_null);
        let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        let non_null_count = values.iter().filter(|v| !v.is_null()).count();
        if strings.is_empty() || strings.len() != non_null_count {
            let ty = match non_null.first().copied() {
                Some("integer") => TypeRef::Int(int_kind(schema)),
                Some("number") => TypeRef::Float(FloatKind::F64),
                Some("boolean") => TypeRef::Bool,
                Some("string") => TypeRef::String,
                _ => TypeRef::Json,
            };
            return (Shape::Type(ty), nullable);
        }
        // A one-value enum is a constant (`object: {enum: [customer]}`): callers should not have
        // to pass it, and it always serializes right.
        if let [only] = strings.as_slice() {
            return (Shape::Named(TypeKind::Const((*only).to_owned())), nullable);
        }
        let variants = enum_values(
            strings.iter().map(|s| ((*s).to_owned(), None, None)),
            names::variant_name,
        );
        (Shape::Named(TypeKind::ClosedEnum(variants)), nullable)
    }

    fn union_shape(
        &mut self,
        schema: &Schema,
        parts: &[Schema],
        pointer: &str,
        hint: &str,
        mut lowered: Lowered,
    ) -> Result<(Shape, Lowered), Error> {
        // Drop `{type: null}` branches: they make the whole value nullable.
        let mut kept = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let (resolved, _) = self.resolve(part, &format!("{pointer}/{i}"))?;
            if resolved.type_names() == ["null"] || resolved.const_value == Some(Value::Null) {
                lowered.nullable = true;
            } else {
                kept.push((i, part));
            }
        }
        if kept.is_empty() {
            return Ok((Shape::Type(TypeRef::Json), lowered));
        }
        if kept.len() == 1 {
            let (i, part) = kept[0];
            let inner = self.lower(part, &format!("{pointer}/{i}"), hint)?;
            lowered.nullable |= inner.nullable;
            if lowered.constraints.is_empty() {
                lowered.constraints = inner.constraints;
            }
            lowered.doc = inner.doc;
            return Ok((Shape::Type(inner.ty), lowered));
        }
        if let Some(values) = self.string_choices(&kept)? {
            let open = values.iter().any(|(v, _, _)| v.is_none());
            let known = values
                .into_iter()
                .filter_map(|(v, d, dep)| v.map(|v| (v, d, dep)));
            let variants = if open {
                enum_values(known, names::const_name)
            } else {
                enum_values(known, names::variant_name)
            };
            let kind = if open {
                TypeKind::OpenEnum(variants)
            } else {
                TypeKind::ClosedEnum(variants)
            };
            return Ok((Shape::Named(kind), lowered));
        }
        let tag = match &schema.discriminator {
            Some(d) => Some(d.property_name.clone()),
            None => self.inferred_tag(&kept)?,
        };
        let mut variant_names = Scope::with_reserved(&["Other"]);
        let mut variants = Vec::new();
        for (i, part) in &kept {
            let at = format!("{pointer}/{i}");
            let (resolved, _) = self.resolve(part, &at)?;
            let base = part
                .reference
                .as_deref()
                .and_then(|r| r.rsplit('/').next())
                .map(unescape)
                .or_else(|| resolved.title.clone())
                .or_else(|| tag.as_ref().and_then(|t| tag_value(&resolved, t)))
                .or_else(|| resolved.type_names().first().cloned())
                .unwrap_or_else(|| format!("Variant{i}"));
            let name = variant_names.claim(names::variant_name(&base));
            let inner = self.lower(part, &at, &format!("{hint}{name}"))?;
            let tag_value = match (&tag, &schema.discriminator) {
                (Some(t), Some(d)) => d
                    .mapping
                    .iter()
                    .find(|(_, r)| Some(r.as_str()) == part.reference.as_deref())
                    .map(|(k, _)| k.clone())
                    .or_else(|| tag_value(&resolved, t))
                    .or_else(|| {
                        part.reference
                            .as_deref()
                            .and_then(|r| r.rsplit('/').next())
                            .map(unescape)
                    }),
                (Some(t), None) => tag_value(&resolved, t),
                _ => None,
            };
            variants.push(Variant {
                name,
                tag: tag_value,
                ty: inner.ty,
                doc: resolved.doc().map(str::to_owned),
            });
        }
        // A tag only decides when every variant has one and no two share it (Stripe's deleted
        // objects share `object` with the live ones); otherwise variants are tried in order.
        let mut tags = HashSet::new();
        let distinct = variants
            .iter()
            .all(|v| v.tag.as_ref().is_some_and(|t| tags.insert(t.clone())));
        let kind = match tag {
            Some(tag) if distinct => TypeKind::Tagged { tag, variants },
            _ => TypeKind::Untagged(variants),
        };
        Ok((Shape::Named(kind), lowered))
    }

    /// For unions of strings: each branch's value (`None` for a free string), doc and deprecation.
    #[allow(clippy::type_complexity)]
    fn string_choices(
        &self,
        kept: &[(usize, &Schema)],
    ) -> Result<Option<Vec<(Option<String>, Option<String>, Option<String>)>>, Error> {
        let mut out = Vec::new();
        for (_, part) in kept {
            if part.reference.is_some() {
                return Ok(None);
            }
            let is_string = part.type_names().is_empty() || part.type_names() == ["string"];
            if !is_string {
                return Ok(None);
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
                _ => return Ok(None),
            }
        }
        Ok(Some(out))
    }

    /// A property that every branch has as a required string `const` is a tag, even without a
    /// `discriminator` (Anthropic's and OpenAI's specs rely on this).
    fn inferred_tag(&self, kept: &[(usize, &Schema)]) -> Result<Option<String>, Error> {
        let mut candidate: Option<Vec<String>> = None;
        for (i, part) in kept {
            let (resolved, _) = self.resolve(part, &format!("#/{i}"))?;
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

    fn all_of_shape(
        &mut self,
        schema: &Schema,
        parts: &[Schema],
        pointer: &str,
        hint: &str,
        mut lowered: Lowered,
    ) -> Result<(Shape, Lowered), Error> {
        // Parts that only annotate (`{nullable: true}`, `{description: ...}`) modify the others
        // rather than add a shape: OpenAI writes `allOf: [{$ref: X}, {nullable: true}]`.
        let mut shaped = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if is_annotation_only(part) {
                lowered.nullable |= part.nullable || part.type_names().iter().any(|t| t == "null");
            } else {
                shaped.push((i, part));
            }
        }
        let parts: Vec<Schema> = shaped.iter().map(|(_, p)| (*p).clone()).collect();
        let only_part = parts.len() == 1
            && schema.properties.is_none()
            && schema
                .type_names()
                .iter()
                .all(|t| t == "object" || t == "null");
        if only_part {
            let at = format!("{pointer}/allOf/{}", shaped[0].0);
            let inner = self.lower(&parts[0], &at, hint)?;
            lowered.nullable |= inner.nullable;
            lowered.doc = inner.doc;
            if lowered.constraints.is_empty() {
                lowered.constraints = inner.constraints;
            }
            return Ok((Shape::Type(inner.ty), lowered));
        }
        // Merge object parts into one struct: properties and `required` are unioned.
        let mut merged = Schema {
            description: schema.description.clone(),
            properties: Some(Default::default()),
            additional_properties: schema.additional_properties.clone(),
            ..Schema::default()
        };
        if shaped.is_empty() && schema.properties.is_none() {
            return Ok((Shape::Type(TypeRef::Json), lowered));
        }
        for &(i, part) in &shaped {
            let at = format!("{pointer}/allOf/{i}");
            let (resolved, _) = self.resolve(part, &at)?;
            let resolved = if resolved.all_of.is_some() {
                self.flatten_all_of(&resolved, &at, 0)?
            } else {
                resolved
            };
            let is_object = resolved.properties.is_some()
                || resolved.type_names().iter().any(|t| t == "object")
                || resolved.additional_properties.is_some();
            if !is_object {
                self.warn(
                    &at,
                    "allOf part that is not an object: the merged type ignores it",
                );
                continue;
            }
            merge_into(&mut merged, &resolved);
        }
        merge_into(
            &mut merged,
            &Schema {
                all_of: None,
                ..schema.clone()
            },
        );
        Ok((self.object_shape(&merged, pointer, hint)?, lowered))
    }

    fn flatten_all_of(
        &self,
        schema: &Schema,
        pointer: &str,
        depth: usize,
    ) -> Result<Schema, Error> {
        if depth > 32 {
            return Err(self.err(
                pointer,
                ErrorKind::RefCycle("allOf nests into itself".into()),
            ));
        }
        let mut merged = Schema {
            properties: Some(Default::default()),
            ..Schema::default()
        };
        for (i, part) in schema.all_of.iter().flatten().enumerate() {
            let at = format!("{pointer}/allOf/{i}");
            let (resolved, _) = self.resolve(part, &at)?;
            let resolved = if resolved.all_of.is_some() {
                self.flatten_all_of(&resolved, &at, depth + 1)?
            } else {
                resolved
            };
            merge_into(&mut merged, &resolved);
        }
        merge_into(
            &mut merged,
            &Schema {
                all_of: None,
                ..schema.clone()
            },
        );
        Ok(merged)
    }

    fn object_shape(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Result<Shape, Error> {
        let props = schema.properties.as_ref().filter(|p| !p.is_empty());
        let Some(props) = props else {
            return Ok(Shape::Type(match &schema.additional_properties {
                Some(AdditionalProperties::Schema(inner)) => {
                    let item = self.lower(
                        inner,
                        &format!("{pointer}/additionalProperties"),
                        &format!("{hint}Value"),
                    )?;
                    TypeRef::Map(Box::new(wrap_nullable(item)))
                }
                _ => TypeRef::JsonObject,
            }));
        };
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        for (wire, prop) in props {
            let at = format!("{pointer}/properties/{}", escape_token(wire));
            let name = scope.claim(names::field_name(prop.x_name.as_deref().unwrap_or(wire)));
            let field_hint = format!("{hint}{}", names::type_name(wire));
            let inner = self.lower(prop, &at, &field_hint)?;
            let defaulted = matches!(inner.ty, TypeRef::Named(id) if matches!(self.def(id).map(|d| &d.kind), Some(TypeKind::Const(_))));
            fields.push(Field {
                name,
                wire: wire.clone(),
                doc: prop
                    .description
                    .clone()
                    .or(inner.doc)
                    .or_else(|| prop.title.clone()),
                ty: inner.ty,
                required: schema.required.contains(wire),
                nullable: inner.nullable,
                defaulted,
                deprecated: deprecation(prop),
                constraints: inner.constraints,
            });
        }
        let extra = match &schema.additional_properties {
            Some(AdditionalProperties::Bool(false)) => Extra::Deny,
            Some(AdditionalProperties::Schema(inner)) => {
                let item = self.lower(
                    inner,
                    &format!("{pointer}/additionalProperties"),
                    &format!("{hint}Value"),
                )?;
                Extra::Keep(wrap_nullable(item))
            }
            _ => Extra::Keep(TypeRef::Json),
        };
        let extra_name = scope.claim("extra".to_owned());
        Ok(Shape::Named(TypeKind::Struct(Struct {
            fields,
            extra,
            extra_name,
        })))
    }

    fn array_type(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Result<TypeRef, Error> {
        let item = match &schema.items {
            Some(items) => wrap_nullable(self.lower(
                items,
                &format!("{pointer}/items"),
                &format!("{hint}Item"),
            )?),
            None => TypeRef::Json,
        };
        Ok(TypeRef::Vec(Box::new(item)))
    }

    /// An alias that names another alias directly is one edge; every alias has at most one, so
    /// following each chain once, with three colours, finds any cycle in linear time.
    fn check_alias_cycles(&self) -> Result<(), Error> {
        const NEW: u8 = 0;
        const ON_PATH: u8 = 1;
        const DONE: u8 = 2;
        let next_of = |id: usize| match self.types.get(id).and_then(Option::as_ref) {
            Some(TypeDef {
                kind: TypeKind::Alias(ty),
                ..
            }) => direct_named(ty),
            _ => None,
        };
        let mut colour = vec![NEW; self.types.len()];
        for start in 0..self.types.len() {
            let mut path = Vec::new();
            let mut current = Some(start);
            while let Some(id) = current {
                match colour.get(id).copied() {
                    Some(NEW) => {
                        colour[id] = ON_PATH;
                        path.push(id);
                        current = next_of(id);
                    }
                    Some(ON_PATH) => {
                        let pointer = self.def(id).map(|d| d.pointer.as_str()).unwrap_or("#");
                        return Err(self.err(
                            pointer,
                            ErrorKind::RefCycle("a chain of $refs leads back to itself".into()),
                        ));
                    }
                    _ => break,
                }
            }
            for id in path {
                colour[id] = DONE;
            }
        }
        Ok(())
    }

    /// Finds the error envelope: a schema with `x-forge-error-envelope`, or the schema of the
    /// operations' error responses.
    pub fn error_envelope(
        &self,
        _operations: &[Operation],
    ) -> Result<Option<ErrorEnvelope>, Error> {
        for (name, schema) in &self.doc.components.schemas {
            let Some(spec) = &schema.x_error_envelope else {
                continue;
            };
            let pointer = format!("{COMPONENTS}{}", escape_token(name));
            let id = self.by_pointer[&pointer];
            let path = |p: &Option<String>,
                        key: &str|
             -> Result<Option<(Vec<String>, TypeRef)>, Error> {
                let Some(p) = p else { return Ok(None) };
                self.field_path(id, p).map(Some).ok_or_else(|| {
                    self.err(
                        &format!("{pointer}/x-forge-error-envelope/{key}"),
                        ErrorKind::Invalid(format!("`{p}` does not name a field path of {name}")),
                    )
                })
            };
            return Ok(Some(ErrorEnvelope {
                ty: id,
                error_type: path(&spec.error_type, "type")?,
                message: path(&spec.message, "message")?,
                request_id: path(&spec.request_id, "request_id")?,
            }));
        }
        Ok(None)
    }

    /// Rust field names along a JSON pointer of wire names, and the type at its end.
    fn field_path(&self, mut id: TypeId, pointer: &str) -> Option<(Vec<String>, TypeRef)> {
        let mut path = Vec::new();
        let mut ty = TypeRef::Named(id);
        for token in pointer.trim_start_matches('/').split('/') {
            let TypeKind::Struct(s) = &self.def(id)?.kind else {
                return None;
            };
            let field = s.fields.iter().find(|f| f.wire == token)?;
            path.push(field.name.clone());
            ty = field.ty.clone();
            if let TypeRef::Named(next) = ty {
                id = next;
            }
        }
        Some((path, ty))
    }
}

/// A schema with no shape of its own: only annotations such as `nullable` or `description`.
fn is_annotation_only(schema: &Schema) -> bool {
    schema.reference.is_none()
        && schema.type_names().iter().all(|t| t == "null")
        && schema.properties.is_none()
        && schema.items.is_none()
        && schema.all_of.is_none()
        && schema.any_of.is_none()
        && schema.one_of.is_none()
        && schema.enum_values.is_none()
        && schema.const_value.is_none()
        && schema.additional_properties.is_none()
}

fn direct_named(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => direct_named(inner),
        _ => None,
    }
}

fn wrap_nullable(lowered: Lowered) -> TypeRef {
    if lowered.nullable {
        TypeRef::Nullable(Box::new(lowered.ty))
    } else {
        lowered.ty
    }
}

fn merge_into(target: &mut Schema, part: &Schema) {
    if let Some(props) = &part.properties {
        let dest = target.properties.get_or_insert_with(Default::default);
        for (k, v) in props {
            dest.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    for r in &part.required {
        if !target.required.contains(r) {
            target.required.push(r.clone());
        }
    }
    if target.description.is_none() {
        target.description = part.description.clone();
    }
    if matches!(
        part.additional_properties,
        Some(AdditionalProperties::Bool(false))
    ) {
        // One closed part does not close the merge: the others add keys.
    } else if target.additional_properties.is_none() {
        target.additional_properties = part.additional_properties.clone();
    }
}

fn tag_value(schema: &Schema, tag: &str) -> Option<String> {
    let prop = schema.properties.as_ref()?.get(tag)?;
    match (&prop.const_value, &prop.enum_values) {
        (Some(Value::String(s)), _) => Some(s.clone()),
        (None, Some(values)) if values.len() == 1 => values[0].as_str().map(str::to_owned),
        _ => None,
    }
}

fn enum_values(
    values: impl Iterator<Item = (String, Option<String>, Option<String>)>,
    naming: fn(&str) -> String,
) -> Vec<EnumValue> {
    let mut scope = Scope::with_reserved(&["Other", "OTHER", "KNOWN"]);
    let mut seen = HashSet::new();
    values
        .filter(|(v, _, _)| seen.insert(v.clone()))
        .map(|(value, doc, deprecated)| EnumValue {
            name: scope.claim(naming(&value)),
            value,
            doc,
            deprecated,
        })
        .collect()
}

/// `#[deprecated]` note for a deprecated schema.
pub fn deprecation(schema: &Schema) -> Option<String> {
    if !schema.deprecated {
        return None;
    }
    Some(
        schema
            .x_deprecation_message
            .clone()
            .unwrap_or_else(|| "deprecated in the API specification".to_owned()),
    )
}

fn constraints(schema: &Schema) -> Constraints {
    let num = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
    let mut c = Constraints {
        min_length: schema.min_length.filter(|n| *n > 0),
        max_length: schema.max_length,
        min_items: schema.min_items.filter(|n| *n > 0),
        max_items: schema.max_items,
        ..Constraints::default()
    };
    match &schema.exclusive_minimum {
        Some(Bound::Flag(true)) => c.exclusive_minimum = num(&schema.minimum),
        Some(Bound::Value(n)) => {
            c.exclusive_minimum = n.as_f64();
            c.minimum = num(&schema.minimum);
        }
        _ => c.minimum = num(&schema.minimum),
    }
    match &schema.exclusive_maximum {
        Some(Bound::Flag(true)) => c.exclusive_maximum = num(&schema.maximum),
        Some(Bound::Value(n)) => {
            c.exclusive_maximum = n.as_f64();
            c.maximum = num(&schema.maximum);
        }
        _ => c.maximum = num(&schema.maximum),
    }
    c
}

fn string_type(schema: &Schema) -> TypeRef {
    // Formats (date-time, uuid, uri, byte, ...) stay `String`: no chrono/uuid dependency for users,
    // and no value the server sends is rejected for a format the client did not need to check.
    // `binary` is file contents (multipart uploads), which a `String` cannot hold.
    match schema.format.as_deref() {
        Some("binary") => TypeRef::Bytes,
        _ => TypeRef::String,
    }
}

fn int_kind(schema: &Schema) -> IntKind {
    let min = schema.minimum.as_ref();
    let max = schema.maximum.as_ref();
    let beyond_i64 = |n: Option<&serde_json::Number>| n.is_some_and(|n| !n.is_i64());
    // A format names the usual width, but the bounds decide when they do not fit in it
    // (`format: int32, maximum: 4294967295` is a u32).
    let within = |lo: f64, hi: f64| {
        min.and_then(serde_json::Number::as_f64)
            .is_none_or(|v| v >= lo)
            && max
                .and_then(serde_json::Number::as_f64)
                .is_none_or(|v| v <= hi)
    };
    let non_negative = min
        .and_then(serde_json::Number::as_f64)
        .is_some_and(|v| v >= 0.0);
    match schema.format.as_deref() {
        Some("int32") if within(i32::MIN as f64, i32::MAX as f64) => return IntKind::I32,
        Some("int32" | "uint32") if non_negative && within(0.0, u32::MAX as f64) => {
            return IntKind::U32
        }
        Some("uint64") if within(0.0, u64::MAX as f64) => return IntKind::U64,
        _ => {}
    }
    if beyond_i64(max)
        && min.is_some_and(|n| n.as_f64().is_some_and(|f| f >= 0.0))
        && max.is_some_and(|n| n.is_u64())
    {
        IntKind::U64
    } else if beyond_i64(min) || beyond_i64(max) {
        IntKind::Number
    } else {
        IntKind::I64
    }
}

/// URI fragments may percent-encode characters of a JSON pointer (`My%20Type`).
pub fn percent_decode(reference: &str) -> String {
    if !reference.contains('%') {
        return reference.to_owned();
    }
    let bytes = reference.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| reference.to_owned())
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
