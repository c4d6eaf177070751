//! Operation lowering: every path item's operations, their groups and names.

mod bodies;
mod params;
pub mod paths;
mod responses;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::names::{self, Scope};
use super::operation::{Group, GroupId, Operation, ParamLocation, PathTemplate, ResponseKind};
use super::space::TypeSpace;
use crate::error::{Diagnostic, Error, ErrorKind};
use crate::openapi::{self, HttpMethod, PathItem, Pointer};

/// Names the client itself uses; groups and ungrouped methods avoid them.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "from_env",
    "base_url",
    "runtime",
    "clone",
    "default",
    "from_client",
];

/// Module names the crate uses itself.
const CRATE_MODULES: &[&str] = &["client", "types", "resources", "lib", "mod", "forge_runtime"];

/// Operations and groups, in document order.
pub struct Lowered {
    /// The operations that were generated.
    pub operations: Vec<Operation>,
    /// Their groups.
    pub groups: Vec<Group>,
    /// Findings, including skipped operations.
    pub warnings: Vec<Diagnostic>,
}

/// The naming scopes operations share.
struct Scopes {
    groups: Scope,
    modules: Scope,
    methods: HashMap<Option<GroupId>, Scope>,
    statics: Scope,
    group_index: HashMap<String, GroupId>,
}

/// Lowers every operation. Errors stop generation unless `lenient`, which skips the operation
/// with a warning.
pub fn lower(space: &mut TypeSpace<'_>, lenient: bool) -> Result<Lowered, Error> {
    let resolver = space.resolver();
    let doc = resolver.doc();
    let file = resolver.file();
    let mut out = Lowered {
        operations: Vec::new(),
        groups: Vec::new(),
        warnings: Vec::new(),
    };
    let mut scopes = Scopes {
        groups: Scope::with_reserved(CLIENT_METHODS),
        modules: Scope::with_reserved(CRATE_MODULES),
        methods: HashMap::new(),
        statics: Scope::with_reserved(&["API"]),
        group_index: HashMap::new(),
    };
    let mut ids = HashSet::new();
    let paths_at = Pointer::root().join("paths");
    for (key, item) in &doc.paths {
        let item_at = paths_at.join(key);
        let resolved = resolver.follow(Cow::Borrowed(item), &item_at)?;
        let item: &PathItem = &resolved.value;
        for (method, op) in item.operations() {
            let at = item_at.join(method.key());
            let id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{} {key}", method.key()));
            if !ids.insert(id.clone()) {
                return Err(Error::at(
                    file,
                    format!("{at}/operationId"),
                    ErrorKind::DuplicateOperationId(id),
                ));
            }
            let group = op
                .tags
                .first()
                .map(|tag| group_of(tag, doc, space, &mut scopes, &mut out.groups));
            let mut ctx = params::OpCtx {
                space,
                at: &at,
                lenient,
                warnings: Vec::new(),
            };
            match ctx.lower(key, item, &resolved.pointer, op, method, &id) {
                Ok(parts) => {
                    let warnings = std::mem::take(&mut ctx.warnings);
                    out.warnings.extend(warnings);
                    let operation = assemble(
                        parts,
                        &id,
                        &at,
                        group,
                        method,
                        op,
                        &mut scopes,
                        &out.groups,
                        space,
                    );
                    out.operations.push(operation);
                }
                Err(e) if lenient => {
                    out.warnings.extend(std::mem::take(&mut ctx.warnings));
                    out.warnings.push(Diagnostic {
                        pointer: at.to_string(),
                        message: format!("operation `{id}` skipped: {}", e.kind),
                    });
                }
                Err(e) => return Err(e),
            }
        }
    }
    Ok(out)
}

/// The group of a tag, created on first use.
fn group_of(
    tag: &str,
    doc: &openapi::Document,
    space: &mut TypeSpace<'_>,
    scopes: &mut Scopes,
    groups: &mut Vec<Group>,
) -> GroupId {
    if let Some(id) = scopes.group_index.get(tag) {
        return *id;
    }
    let id = GroupId(groups.len());
    groups.push(Group {
        method: scopes.groups.claim(names::field_name(tag)),
        type_name: space.claim_type_name(&format!("{tag} api")),
        module: scopes.modules.claim(names::field_name(tag)),
        tag: tag.to_owned(),
        doc: doc
            .tags
            .iter()
            .find(|t| t.name == tag)
            .and_then(|t| t.description.clone()),
    });
    scopes.group_index.insert(tag.to_owned(), id);
    id
}

/// The parts of an operation that lowering fills in before names are given.
pub(super) struct Parts {
    pub path: PathTemplate,
    pub params: Vec<super::operation::Param>,
    pub body: Option<super::operation::Body>,
    pub response: ResponseKind,
    pub response_headers: Vec<String>,
    pub stream: Option<super::operation::Stream>,
}

#[allow(clippy::too_many_arguments)]
fn assemble(
    parts: Parts,
    id: &str,
    at: &Pointer,
    group: Option<GroupId>,
    http: HttpMethod,
    op: &openapi::Operation,
    scopes: &mut Scopes,
    groups: &[Group],
    space: &mut TypeSpace<'_>,
) -> Operation {
    let scope = scopes.methods.entry(group).or_insert_with(|| {
        if group.is_none() {
            Scope::with_reserved(CLIENT_METHODS)
        } else {
            Scope::default()
        }
    });
    let tag = group.map(|g| groups[g.0].tag.as_str());
    let streams = parts.stream.is_some();
    let only_stream = parts.stream.as_ref().is_some_and(|s| s.only);
    let method = if streams && !only_stream {
        scope.claim_family(method_name(op.x_name.as_deref(), id, tag), &["_streaming"])
    } else {
        scope.claim(method_name(op.x_name.as_deref(), id, tag))
    };
    let stream_method = (streams && !only_stream).then(|| names::suffixed(&method, "_streaming"));
    let events_static = streams.then(|| {
        scopes
            .statics
            .claim(format!("{}_EVENTS", names::const_name(id)))
    });
    Operation {
        pointer: at.to_string(),
        id: id.to_owned(),
        group,
        method,
        stream_method,
        request_type: space.claim_type_name(&format!("{id} request")),
        events_static,
        http,
        path: parts.path,
        doc: join_doc(op.summary.as_deref(), op.description.as_deref()),
        deprecated: op.deprecated,
        params: parts.params,
        body: parts.body,
        response: parts.response,
        response_headers: parts.response_headers,
        stream: parts.stream,
        pagination: None,
    }
}

/// Headers with a spec default that every operation declares: sent by the client on every
/// request, and left out of each operation's parameters.
pub fn common_default_headers(ops: &[Operation]) -> Vec<(String, String)> {
    let Some(first) = ops.first() else {
        return Vec::new();
    };
    first
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Header)
        .filter_map(|p| p.default.as_ref().map(|d| (p.wire.clone(), d.clone())))
        .filter(|(wire, value)| {
            ops.iter().all(|op| {
                op.params.iter().any(|p| {
                    p.location == ParamLocation::Header
                        && p.wire.eq_ignore_ascii_case(wire)
                        && p.default.as_ref() == Some(value)
                })
            })
        })
        .collect()
}

fn method_name(x_name: Option<&str>, id: &str, tag: Option<&str>) -> String {
    if let Some(name) = x_name {
        return names::field_name(name);
    }
    let snake = names::field_name(id);
    if let Some(tag) = tag {
        let prefix = format!("{}_", names::field_name(tag));
        if let Some(rest) = snake.strip_prefix(&prefix) {
            if !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()) {
                return rest.to_owned();
            }
        }
    }
    snake
}

fn join_doc(summary: Option<&str>, description: Option<&str>) -> Option<String> {
    match (summary, description) {
        (Some(s), Some(d)) if d.starts_with(s) => Some(d.to_owned()),
        (Some(s), Some(d)) => Some(format!("{s}\n\n{d}")),
        (Some(s), None) => Some(s.to_owned()),
        (None, Some(d)) => Some(d.to_owned()),
        (None, None) => None,
    }
}
