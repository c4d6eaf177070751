//! Stage 2: the intermediate representation. Every `$ref` is resolved, every name is a valid and
//! unique Rust identifier, and every construct is either mapped or reported with its JSON pointer.
//! Emission reads only this; it never looks at the OpenAPI model.

mod client;
pub mod names;
mod operations;
mod recursion;
mod types;

use serde_json::Value;

use crate::error::{Diagnostic, Error};
use crate::openapi::Document;
use crate::settings::Settings;

pub use client::{Auth, AuthLocation, ClientInfo};
pub use operations::{
    Body, BodyKind, Group, Operation, Param, ParamLocation, ResponseKind, Stream, StreamAction,
};

/// Index of a named type in [`Api::types`].
pub type TypeId = usize;

/// The whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// Package name (`anthropic-completions`).
    pub crate_name: String,
    /// The spec's title.
    pub title: String,
    /// The spec's description.
    pub description: Option<String>,
    /// Client-level facts.
    pub client: ClientInfo,
    /// Named types, in a stable order (components first, in document order; then inline types in
    /// the order they were met).
    pub types: Vec<TypeDef>,
    /// Operations, in document order.
    pub operations: Vec<Operation>,
    /// Operation groups (from tags), in first-use order.
    pub groups: Vec<Group>,
    /// The error envelope, if the spec declares one.
    pub error_envelope: Option<ErrorEnvelope>,
    /// Degraded or skipped constructs.
    pub warnings: Vec<Diagnostic>,
}

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// A sized integer.
    Int(IntKind),
    /// `f64` (or `f32`).
    Float(FloatKind),
    /// `serde_json::Value`: anything.
    Json,
    /// `serde_json::Map<String, Value>`: any object.
    JsonObject,
    /// A named type.
    Named(TypeId),
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`-like map (emitted as `std::collections::BTreeMap`).
    Map(Box<TypeRef>),
    /// `Option<T>` from `nullable`; fields add their own `Option` for absence.
    Nullable(Box<TypeRef>),
    /// `Box<T>` to break a recursive containment.
    Boxed(Box<TypeRef>),
    /// Raw bytes (`binary` bodies).
    Bytes,
}

/// Integer widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntKind {
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `serde_json::Number`, for bounds no primitive holds.
    Number,
}

/// Float widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatKind {
    /// `f32`.
    F32,
    /// `f64`.
    F64,
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Rustdoc text.
    pub doc: Option<String>,
    /// Where it came from (JSON pointer).
    pub pointer: String,
    /// `#[deprecated(note)]` text, if deprecated.
    pub deprecated: Option<String>,
    /// What it is.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Struct),
    /// An open string enum: known constants, any other string kept.
    OpenEnum(Vec<EnumValue>),
    /// A closed string enum.
    ClosedEnum(Vec<EnumValue>),
    /// A single string value (`const`), as a zero-sized type.
    Const(String),
    /// A union with a tag property.
    Tagged {
        /// Wire name of the tag property.
        tag: String,
        /// The variants.
        variants: Vec<Variant>,
    },
    /// A union tried in order.
    Untagged(Vec<Variant>),
    /// `pub type Name = T;`
    Alias(TypeRef),
    /// `pub struct Name(pub T);`, for an alias that contains itself (`A: array of A`), which a
    /// type alias cannot express.
    Newtype(TypeRef),
}

/// A struct.
#[derive(Debug, Clone, Default)]
pub struct Struct {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// What to do with keys that are not fields.
    pub extra: Extra,
    /// Rust name of the extra-keys field.
    pub extra_name: String,
}

/// Keys outside the declared properties.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Extra {
    /// `additionalProperties: false`: ignored when reading, never written.
    #[default]
    Deny,
    /// Kept in a flattened map of values of this type.
    Keep(TypeRef),
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust name (without `r#`).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// Rustdoc.
    pub doc: Option<String>,
    /// The value's type (without the `Option` for absence).
    pub ty: TypeRef,
    /// Must be present on the wire.
    pub required: bool,
    /// May be `null` on the wire.
    pub nullable: bool,
    /// Has a spec default, so a missing key reads as the default (const fields).
    pub defaulted: bool,
    /// `#[deprecated(note)]` text.
    pub deprecated: Option<String>,
    /// Constraints to check in `validate()`.
    pub constraints: Constraints,
}

impl Field {
    /// Whether the constructor takes this field as an argument.
    pub fn is_constructor_arg(&self) -> bool {
        self.required && !self.defaulted
    }
}

/// Validation constraints on a value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `minimum` (inclusive).
    pub minimum: Option<f64>,
    /// `maximum` (inclusive).
    pub maximum: Option<f64>,
    /// Exclusive lower bound.
    pub exclusive_minimum: Option<f64>,
    /// Exclusive upper bound.
    pub exclusive_maximum: Option<f64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
}

impl Constraints {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// One value of a string enum.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// Rust name (variant `UpperCamel`, or constant `SHOUTY` for open enums).
    pub name: String,
    /// The wire string.
    pub value: String,
    /// Rustdoc.
    pub doc: Option<String>,
    /// `#[deprecated(note)]` text.
    pub deprecated: Option<String>,
}

/// One variant of a union.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Rust variant name.
    pub name: String,
    /// Tag value (tagged unions).
    pub tag: Option<String>,
    /// Payload.
    pub ty: TypeRef,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// Where the client finds an error's type, message and request id.
#[derive(Debug, Clone)]
pub struct ErrorEnvelope {
    /// The envelope type.
    pub ty: TypeId,
    /// Field path (Rust field names) to the error type, and the type found there.
    pub error_type: Option<(Vec<String>, TypeRef)>,
    /// Field path to the message.
    pub message: Option<(Vec<String>, TypeRef)>,
    /// Field path to the request id.
    pub request_id: Option<(Vec<String>, TypeRef)>,
}

/// Lowers a parsed document.
pub fn lower(
    file: &str,
    doc: &Document,
    raw: &Value,
    settings: &Settings,
    lenient: bool,
) -> Result<Api, Error> {
    let mut space = types::TypeSpace::new(file, doc, raw);
    space.declare_components()?;
    let mut client = client::lower(file, doc, settings, &mut space)?;
    let (operations, groups) = operations::lower(file, doc, raw, &mut space, lenient, &client)?;
    client.default_headers = operations::common_default_headers(&operations);
    space.define_components()?;
    let error_envelope = space.error_envelope(&operations)?;
    let (mut types, mut warnings) = space.finish();
    recursion::newtype_recursive_aliases(&mut types);
    recursion::box_cycles(&mut types);
    warnings.extend(operations.iter().flat_map(|op| op.warnings.iter().cloned()));
    Ok(Api {
        crate_name: settings.crate_name.clone(),
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        client,
        types,
        operations: operations.into_iter().filter(|op| !op.skipped).collect(),
        groups,
        error_envelope,
        warnings,
    })
}
