//! Operation lowering: every path item's operations, their groups and names.

mod bodies;
mod params;
pub mod paths;
mod responses;

pub(crate) use bodies::is_json;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::names::{self, Scope};
use super::operation::{Group, GroupId, Operation, ParamLocation, PathTemplate, ResponseKind};
use super::space::TypeSpace;
use crate::error::{Diagnostic, Error, ErrorKind};
use crate::openapi::{self, HttpMethod, PathItem, Pointer};
use crate::settings::{group_path, OperationKey, Select, Selector, Settings};

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
pub(crate) const CRATE_MODULES: &[&str] = &[
    "client",
    "types",
    "resources",
    "lib",
    "mod",
    "forge_runtime",
];

/// Operations and groups, in document order.
pub struct Lowered {
    /// The operations that were generated.
    pub operations: Vec<Operation>,
    /// Their groups.
    pub groups: Vec<Group>,
    /// Findings, including skipped operations.
    pub warnings: Vec<Diagnostic>,
    /// The ids of the operations the settings' `select` left out.
    pub unselected: HashSet<String>,
}

/// The naming scopes operations share.
struct Scopes {
    modules: Scope,
    /// Per group (and `None` for the client): its methods and its child groups' accessors.
    methods: HashMap<Option<GroupId>, Scope>,
    statics: Scope,
    group_index: HashMap<Vec<String>, GroupId>,
}

impl Scopes {
    fn of(&mut self, group: Option<GroupId>) -> &mut Scope {
        self.methods.entry(group).or_insert_with(|| {
            if group.is_none() {
                Scope::with_reserved(CLIENT_METHODS)
            } else {
                Scope::default()
            }
        })
    }
}

/// Lowers every operation. Errors stop generation unless `lenient`, which skips the operation
/// with a warning.
pub fn lower(
    space: &mut TypeSpace<'_>,
    settings: &Settings,
    lenient: bool,
) -> Result<Lowered, Error> {
    let resolver = space.resolver();
    let doc = resolver.doc();
    let file = resolver.file();
    let mut out = Lowered {
        operations: Vec::new(),
        groups: Vec::new(),
        warnings: Vec::new(),
        unselected: HashSet::new(),
    };
    let every = Select::default();
    let mut selector = Selector::new(settings.select.as_ref().unwrap_or(&every));
    let mut scopes = Scopes {
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
            let key_of = OperationKey {
                id: &id,
                tags: &op.tags,
                path: key,
            };
            if !selector.selects(key_of) {
                out.unselected.insert(id);
                continue;
            }
            let named = settings.names.operations.get(&id);
            let path = match named.and_then(|n| n.group.as_deref()) {
                Some(dotted) => group_path(dotted),
                None => match op.tags.first() {
                    Some(tag) => match settings.names.tags.get(tag) {
                        Some(dotted) => group_path(dotted),
                        None => vec![tag.clone()],
                    },
                    None => Vec::new(),
                },
            };
            let tag_doc = op.tags.first().and_then(|tag| {
                doc.tags
                    .iter()
                    .find(|t| &t.name == tag)
                    .and_then(|t| t.description.clone())
            });
            let group = group_of(&path, tag_doc, space, &mut scopes, &mut out.groups);
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
                    let names = Naming {
                        method: named.and_then(|n| n.method.as_deref()),
                        tag: op.tags.first().map(String::as_str),
                        group: named.map(|_| path.as_slice()),
                    };
                    let operation = assemble(
                        parts,
                        &id,
                        &at,
                        group,
                        method,
                        op,
                        names,
                        &mut scopes,
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
    selector.finish(&settings.source, file)?;
    for id in settings.names.operations.keys() {
        if !ids.contains(id) {
            return Err(Error::at(
                &settings.source,
                format!("#/names/operations/{}", crate::error::escape_token(id)),
                ErrorKind::Settings(format!("no operation `{id}` in {file}")),
            ));
        }
    }
    Ok(out)
}

/// The group at a path, created (with its parents) on first use; `None` for the empty path.
fn group_of(
    path: &[String],
    doc: Option<String>,
    space: &mut TypeSpace<'_>,
    scopes: &mut Scopes,
    groups: &mut Vec<Group>,
) -> Option<GroupId> {
    let mut parent = None;
    for depth in 1..=path.len() {
        let prefix = &path[..depth];
        if let Some(id) = scopes.group_index.get(prefix) {
            parent = Some(*id);
            continue;
        }
        let id = GroupId(groups.len());
        let last = &prefix[depth - 1];
        let joined = prefix.join(" ");
        groups.push(Group {
            parent,
            method: scopes.of(parent).claim(names::field_name(last)),
            type_name: space.claim_type_name(&format!("{joined} api")),
            module: scopes.modules.claim(names::field_name(&joined)),
            path: prefix.join("."),
            doc: (depth == path.len()).then(|| doc.clone()).flatten(),
        });
        scopes.group_index.insert(prefix.to_vec(), id);
        parent = Some(id);
    }
    parent
}

/// What the settings and the spec say about a method's name.
struct Naming<'a> {
    /// The settings' name for it.
    method: Option<&'a str>,
    /// The operation's first tag, a prefix to strip from its operationId.
    tag: Option<&'a str>,
    /// The group path, when the settings name the operation: its request value is then named
    /// after group and method (`MessagesBatchesListRequest`) rather than the operationId.
    group: Option<&'a [String]>,
}

/// The parts of an operation that lowering fills in before names are given.
pub(super) struct Parts {
    pub path: PathTemplate,
    pub params: Vec<super::operation::Param>,
    pub body: Option<super::operation::Body>,
    pub response: ResponseKind,
    pub accept: Option<String>,
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
    naming: Naming<'_>,
    scopes: &mut Scopes,
    space: &mut TypeSpace<'_>,
) -> Operation {
    let scope = scopes.of(group);
    let wanted = match naming.method {
        Some(name) => names::field_name(name),
        None => method_name(op.x_name.as_deref(), id, naming.tag),
    };
    let streams = parts.stream.is_some();
    let only_stream = parts.stream.as_ref().is_some_and(|s| s.only);
    let method = if streams && !only_stream {
        scope.claim_family(wanted, &["_streaming"])
    } else {
        scope.claim(wanted)
    };
    let stream_method = (streams && !only_stream).then(|| names::suffixed(&method, "_streaming"));
    let events_static = streams.then(|| {
        scopes
            .statics
            .claim(format!("{}_EVENTS", names::const_name(id)))
    });
    let request_type = space.claim_type_name(&match naming.group {
        Some(group) => format!("{} {method} request", group.join(" ")),
        None => format!("{id} request"),
    });
    Operation {
        pointer: at.to_string(),
        id: id.to_owned(),
        group,
        method,
        stream_method,
        request_type,
        events_static,
        http,
        path: parts.path,
        doc: join_doc(op.summary.as_deref(), op.description.as_deref()),
        deprecated: op.deprecated,
        params: parts.params,
        body: parts.body,
        response: parts.response,
        accept: parts.accept,
        response_headers: parts.response_headers,
        stream: parts.stream,
        pagination: None,
        feature: None,
        security: op
            .security
            .as_ref()
            .or(space.resolver().doc().security.as_ref())
            .map(|requirements| {
                requirements
                    .iter()
                    .map(|r| r.keys().cloned().collect())
                    .collect()
            }),
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
