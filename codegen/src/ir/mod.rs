//! Stage 2: the intermediate representation. Every `$ref` is resolved, every name is a valid and
//! unique Rust identifier, every decision (presence, path templates, media types, the streaming
//! toggle, setters) is made, and every construct is either mapped or reported with its JSON
//! pointer. Emission reads only this; it never looks at the OpenAPI model and decides nothing.

mod client;
mod dedup;
pub mod features;
mod model;
pub mod names;
mod operation;
mod ops;
mod pagination;
mod recursion;
mod roles;
mod select;
mod space;

use serde_json::Value;

use crate::error::{Diagnostic, Error};
use crate::openapi::{Document, Resolver};
use crate::settings::Settings;

pub use crate::openapi::HttpMethod;
pub use client::{Auth, AuthKind, AuthLocation, ClientInfo};
pub use model::{
    Argument, Builder, Carried, ConstValue, Constraints, EnumValue, Extra, Field, Fill, IntKind,
    Presence, Requirement, Setter, Struct, TypeDef, TypeId, TypeKind, TypeRef, Variant,
};
pub use operation::{
    Body, CursorSource, ErrorEnvelope, EventAction, FieldPath, FormArray, FormArrayStyle, Group,
    GroupId, Operation, PageScheme, Pagination, Param, ParamId, ParamLocation, PathSegment,
    PathTemplate, QueryStyle, RequestMedia, ResponseKind, Stream, Toggle,
};
pub(crate) use ops::is_json;

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
    /// Named types, in a stable order: components in document order, then the types met while
    /// defining them and lowering operations, in the order they were met.
    pub types: Vec<TypeDef>,
    /// Operations, in document order.
    pub operations: Vec<Operation>,
    /// Operation groups (from tags), in first-use order.
    pub groups: Vec<Group>,
    /// The error envelope, if the spec declares one.
    pub error_envelope: Option<ErrorEnvelope>,
    /// Degraded or skipped constructs.
    pub warnings: Vec<Diagnostic>,
    /// The Cargo features (one per area of the API) and what each gates.
    pub features: features::Features,
    /// How the generated code reaches the runtime (set by the caller, not by the spec).
    pub runtime: crate::RuntimeMode,
    /// Hand-written modules declared in `lib.rs` (the settings' `modules`), in order.
    pub modules: Vec<String>,
}

impl Api {
    /// A type's definition.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// A group.
    pub fn group(&self, id: GroupId) -> &Group {
        &self.groups[id.0]
    }
}

/// Lowers a parsed document, in phases whose order the types enforce: the type space is made
/// (components declared), then defined, operations lowered against it, the space finished,
/// and only then are recursion, roles and builders worked out on the finished types.
pub fn lower(
    file: &str,
    doc: &Document,
    raw: &Value,
    settings: &Settings,
    lenient: bool,
) -> Result<Api, Error> {
    let resolver = Resolver::new(file, doc, raw);
    let mut warnings = Vec::new();
    let mut client = client::lower(file, doc, settings, &mut warnings)?;
    let mut space = space::TypeSpace::new(resolver)?;
    space.define_components()?;
    let lowered_ops = ops::lower(&mut space, settings, lenient)?;
    let mut operations = lowered_ops.operations;
    client::narrow_security(&client, &mut operations);
    client.default_headers =
        client::default_headers(ops::common_default_headers(&operations), settings);
    let mut error_envelope = space.error_envelope()?;
    space.pin_union_tags();
    space.untagged_requirements();
    let (mut types, space_warnings) = space.finish();
    warnings.extend(space_warnings);
    warnings.extend(lowered_ops.warnings);
    recursion::newtype_recursive_aliases(&mut types);
    recursion::box_cycles(&mut types);
    if settings.select.is_some() {
        select::prune(&mut types, &mut operations, error_envelope.as_mut());
    }
    let toggles: Vec<TypeId> = operations
        .iter()
        .filter_map(|op| op.stream.as_ref()?.toggle.as_ref().map(|t| t.ty))
        .collect();
    let shapes = dedup::merge(
        &mut types,
        &mut operations,
        error_envelope.as_mut(),
        &toggles,
    );
    let roles = roles::Roles::of(&types, &operations, error_envelope.as_ref());
    roles::remove_toggles(&mut types, &mut operations, &roles);
    roles::builders(&mut types, &roles);
    pagination::assign(&types, &mut operations, settings, &lowered_ops.unselected)?;
    let features = features::assign(
        &types,
        &lowered_ops.groups,
        &mut operations,
        error_envelope.as_ref(),
        ops::CRATE_MODULES,
        &shapes,
    );
    Ok(Api {
        crate_name: settings.crate_name.clone(),
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        client,
        types,
        operations,
        groups: lowered_ops.groups,
        error_envelope,
        warnings,
        features,
        runtime: crate::RuntimeMode::Crate,
        modules: Vec::new(),
    })
}
