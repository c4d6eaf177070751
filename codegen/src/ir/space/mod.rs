//! Schema lowering: the type space. Component schemas are declared first (so references resolve
//! in any order), then defined; a reference to any other place is declared when first met, so
//! recursion works wherever a pointer leads. Inline schemas that need a name get one from their
//! location; a place lowered twice (a shared parameter, an inline schema also reached by `$ref`)
//! becomes one type.

mod all_of;
mod envelope;
mod objects;
mod refs;
mod scalars;
mod tags;
mod unions;

use std::collections::{HashMap, HashSet};

use super::model::{Constraints, TypeDef, TypeId, TypeKind, TypeRef};
use super::names::{self, Scope};
use crate::error::{Diagnostic, Error, ErrorKind};
use crate::openapi::{Pointer, Resolver, Schema};

pub use envelope::field_path;
pub use scalars::deprecation;

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

    /// The type with its nullability: `Option<T>` when `null` is a value.
    pub fn into_type(self) -> TypeRef {
        self.ty.nullable_if(self.nullable)
    }
}

/// What a schema becomes before it is placed.
enum Shape {
    /// An anonymous type expression.
    Type(TypeRef),
    /// Something that needs a named type.
    Named(TypeKind),
}

/// Where a pointer's schema was placed: its named type and whether references to it admit
/// `null` (the named type itself never does; the `Option` travels with each reference).
#[derive(Debug, Clone, Copy)]
struct Placed {
    id: TypeId,
    nullable: bool,
}

/// Named types under construction.
pub struct TypeSpace<'a> {
    resolver: Resolver<'a>,
    types: Vec<TypeDef>,
    by_pointer: HashMap<Pointer, Placed>,
    /// Constraints found at the end of each `$ref` chain, memoized.
    ref_constraints: HashMap<Pointer, Constraints>,
    /// Whether each place reached through a `$ref` admits `null`, memoized.
    ref_nullable: HashMap<Pointer, bool>,
    /// Types some `$ref` stands for: their place is shared, so no pass may repurpose them.
    referenced: HashSet<TypeId>,
    /// The name hints of inline places being lowered, for a reference that reaches one.
    naming: HashMap<Pointer, String>,
    names: Scope,
    warnings: Vec<Diagnostic>,
}

impl<'a> TypeSpace<'a> {
    /// An empty space; every component schema is declared, in document order.
    pub fn new(resolver: Resolver<'a>) -> Result<Self, Error> {
        let mut space = TypeSpace {
            resolver,
            types: Vec::new(),
            by_pointer: HashMap::new(),
            ref_constraints: HashMap::new(),
            ref_nullable: HashMap::new(),
            referenced: HashSet::new(),
            naming: HashMap::new(),
            names: Scope::default(),
            warnings: Vec::new(),
        };
        let doc = resolver.doc();
        let components = Pointer::root().join("components").join("schemas");
        for (name, schema) in &doc.components.schemas {
            let pointer = components.join(name);
            let hint = schema.x_name.as_deref().unwrap_or(name);
            space.declare(hint, &pointer, schema)?;
        }
        Ok(space)
    }

    /// Defines every component schema declared by [`Self::new`].
    pub fn define_components(&mut self) -> Result<(), Error> {
        let doc = self.resolver.doc();
        let components = Pointer::root().join("components").join("schemas");
        for (name, schema) in &doc.components.schemas {
            let pointer = components.join(name);
            let id = self.by_pointer[&pointer].id;
            self.define(id, schema, &pointer)?;
        }
        self.check_alias_cycles()
    }

    /// Finishes: the types in id order, and the warnings.
    pub fn finish(self) -> (Vec<TypeDef>, Vec<Diagnostic>) {
        (self.types, self.warnings)
    }

    /// The resolver.
    pub fn resolver(&self) -> Resolver<'a> {
        self.resolver
    }

    /// Claims a type-level name (group handles, request values) in the same scope as schema
    /// types, so they can never collide.
    pub fn claim_type_name(&mut self, raw: &str) -> String {
        self.names.claim(names::type_name(raw))
    }

    /// A type's definition.
    pub fn def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// Records a non-fatal finding.
    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Diagnostic {
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    fn err(&self, pointer: &str, kind: ErrorKind) -> Error {
        Error::at(self.resolver.file(), pointer, kind)
    }

    /// Lowers a schema used at `pointer`; inline types are named from `hint`.
    pub fn lower(&mut self, schema: &Schema, at: &Pointer, hint: &str) -> Result<Lowered, Error> {
        if let Some(placed) = self.by_pointer.get(at).copied() {
            return Ok(self.placed(placed, schema));
        }
        // A reference met while shaping may reach this very place (an inline schema that
        // contains itself): it is declared under this place's name, not one from its pointer.
        let naming =
            schema.reference.is_none() && self.naming.insert(at.clone(), hint.to_owned()).is_none();
        let shaped = self.shape(schema, at, hint);
        if naming {
            self.naming.remove(at);
        }
        let (shape, mut lowered) = shaped?;
        // Lowering the shape may have reached this very place through a reference and defined
        // it there: that definition is the one.
        if let Some(placed) = self.by_pointer.get(at).copied() {
            return Ok(self.placed(placed, schema));
        }
        lowered.ty = match shape {
            Shape::Type(ty) => ty,
            Shape::Named(kind) => {
                let name = self.names.claim(names::type_name(hint));
                let id = self.push(name, at, schema, kind);
                self.by_pointer.insert(
                    at.clone(),
                    Placed {
                        id,
                        nullable: lowered.nullable,
                    },
                );
                TypeRef::Named(id)
            }
        };
        Ok(lowered)
    }

    fn placed(&self, placed: Placed, schema: &Schema) -> Lowered {
        Lowered {
            ty: TypeRef::Named(placed.id),
            nullable: placed.nullable,
            constraints: scalars::constraints(schema),
            doc: None,
        }
    }

    /// Reserves a name and id for the schema at `pointer`; [`Self::define`] gives it its shape.
    fn declare(&mut self, hint: &str, pointer: &Pointer, schema: &Schema) -> Result<TypeId, Error> {
        let name = self.names.claim(names::type_name(hint));
        let nullable = self.admits_null(schema, pointer)?;
        let id = self.push(name, pointer, schema, TypeKind::Alias(TypeRef::Json));
        self.by_pointer
            .insert(pointer.clone(), Placed { id, nullable });
        Ok(id)
    }

    fn define(&mut self, id: TypeId, schema: &Schema, pointer: &Pointer) -> Result<(), Error> {
        let name = self.types[id.0].name.clone();
        let (shape, _) = self.shape(schema, pointer, &name)?;
        self.types[id.0].kind = match shape {
            Shape::Named(kind) => kind,
            Shape::Type(ty) => TypeKind::Alias(ty),
        };
        Ok(())
    }

    fn push(&mut self, name: String, pointer: &Pointer, schema: &Schema, kind: TypeKind) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name,
            doc: schema.doc().map(str::to_owned),
            pointer: pointer.to_string(),
            deprecated: deprecation(schema),
            kind,
        });
        id
    }

    /// Whether `null` is a value of the schema: the one rule, used both when a place is declared
    /// and when it is shaped. A chain of `$ref`s is walked one link at a time and the answer
    /// memoized for every place on it, so long alias chains cost linear time; a chain that comes
    /// back to a place on it is a reference loop.
    fn admits_null(&mut self, schema: &Schema, at: &Pointer) -> Result<bool, Error> {
        if null_by_itself(schema) {
            return Ok(true);
        }
        let Some(first) = &schema.reference else {
            return self.null_branch(schema, at);
        };
        let mut chain: Vec<Pointer> = Vec::new();
        let mut on_chain = HashSet::new();
        let mut reference = first.clone();
        let mut from = at.clone();
        let found = loop {
            let target = self.resolver.pointer(&reference, &format!("{from}/$ref"))?;
            if let Some(known) = self.ref_nullable.get(&target) {
                break *known;
            }
            if !on_chain.insert(target.clone()) {
                return Err(self.err(
                    from.as_str(),
                    ErrorKind::RefCycle(format!("{reference} refers back to itself")),
                ));
            }
            chain.push(target.clone());
            let next = self.resolver.typed_at::<Schema>(&target)?;
            if null_by_itself(&next) {
                break true;
            }
            match &next.reference {
                Some(r) => {
                    reference = r.clone();
                    from = target;
                }
                None => break self.null_branch(&next, &target)?,
            }
        };
        for link in chain {
            self.ref_nullable.insert(link, found);
        }
        Ok(found)
    }

    /// Whether a schema that is not a reference admits `null` through its branches: a `null`
    /// branch of `anyOf`/`oneOf`, or an annotation-only `allOf` part that says so.
    fn null_branch(&self, schema: &Schema, at: &Pointer) -> Result<bool, Error> {
        for (key, parts) in [("anyOf", &schema.any_of), ("oneOf", &schema.one_of)] {
            for (i, part) in parts.iter().flatten().enumerate() {
                let part_at = at.join(key).join(&i.to_string());
                let resolved = self
                    .resolver
                    .follow(std::borrow::Cow::Borrowed(part), &part_at)?;
                if resolved.value.type_names() == ["null"]
                    || resolved.value.const_value == Some(serde_json::Value::Null)
                {
                    return Ok(true);
                }
            }
        }
        if let Some(parts) = &schema.all_of {
            // `allOf: [{$ref: X}, {nullable: true}]`: an annotation-only part makes the whole
            // nullable (OpenAI writes it so).
            return Ok(parts.iter().any(|p| {
                all_of::is_annotation_only(p) && (p.nullable || p.type_names() == ["null"])
            }));
        }
        Ok(false)
    }

    fn shape(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        hint: &str,
    ) -> Result<(Shape, Lowered), Error> {
        let mut lowered = Lowered::plain(TypeRef::Json);
        lowered.constraints = scalars::constraints(schema);
        lowered.nullable = self.admits_null(schema, at)?;
        if schema.is_false {
            self.warn(
                at.as_str(),
                "schema `false` (no valid value) is generated as serde_json::Value",
            );
            return Ok((Shape::Type(TypeRef::Json), lowered));
        }
        if let Some(reference) = &schema.reference {
            let (ty, nullable) = self.lower_ref(reference, at)?;
            lowered.nullable |= nullable;
            if lowered.constraints.is_empty() {
                // Constraints of a referenced scalar (`$ref: '#/.../Prompt'` with `minLength`).
                lowered.constraints = self.ref_constraints(reference, at);
            }
            lowered.doc = self.ref_doc(reference, at);
            return Ok((Shape::Type(ty), lowered));
        }
        scalars::check_types(self, schema, at)?;
        let non_null: Vec<&str> = schema
            .type_names()
            .iter()
            .map(String::as_str)
            .filter(|t| *t != "null")
            .collect();
        if let Some(value) = &schema.const_value {
            return Ok((scalars::const_shape(value, &non_null), lowered));
        }
        if let Some(values) = &schema.enum_values {
            return Ok((scalars::enum_shape(schema, values, &non_null), lowered));
        }
        if let Some((key, parts)) = schema
            .any_of
            .as_ref()
            .map(|p| ("anyOf", p))
            .or(schema.one_of.as_ref().map(|p| ("oneOf", p)))
        {
            return self.union_shape(schema, parts, &at.join(key), hint, lowered);
        }
        if let Some(parts) = &schema.all_of {
            return self.all_of_shape(schema, parts, at, hint, lowered);
        }
        if non_null.len() > 1 {
            return self.type_list_shape(schema, &non_null, at, hint, lowered);
        }
        let shape = match non_null.first().copied() {
            Some("object") => self.plain_object_shape(schema, at, hint)?,
            None if schema.properties.is_some() || schema.additional_properties.is_some() => {
                self.plain_object_shape(schema, at, hint)?
            }
            Some("array") => Shape::Type(self.array_type(schema, at, hint)?),
            None if schema.items.is_some() => Shape::Type(self.array_type(schema, at, hint)?),
            Some(scalar) => Shape::Type(scalars::scalar_type(schema, scalar)),
            None => Shape::Type(TypeRef::Json),
        };
        Ok((shape, lowered))
    }
}

/// `null` is a value of the schema by its own keywords: `nullable`, `type: null`, `const: null`
/// or a `null` in its `enum`.
fn null_by_itself(schema: &Schema) -> bool {
    schema.nullable
        || schema.type_names().iter().any(|t| t == "null")
        || schema.const_value == Some(serde_json::Value::Null)
        || schema
            .enum_values
            .as_ref()
            .is_some_and(|v| v.iter().any(serde_json::Value::is_null))
}
