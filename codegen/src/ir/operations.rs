//! Operation lowering: parameters, bodies, responses and streams of every path item.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::client::ClientInfo;
use super::names::{self, Scope};
use super::types::TypeSpace;
use super::TypeRef;
use crate::error::{escape_token, Diagnostic, Error, ErrorKind};
use crate::openapi::{self, Document, MediaType, Parameter, PathItem, RequestBody, Response};

/// One API operation, ready to emit as a method.
#[derive(Debug, Clone)]
pub struct Operation {
    /// JSON pointer of the operation.
    pub pointer: String,
    /// operationId (or one derived from method and path).
    pub id: String,
    /// Index into [`super::Api::groups`], or `None` for a method on the client itself.
    pub group: Option<usize>,
    /// Rust method name.
    pub method: String,
    /// Upper-case HTTP method.
    pub http_method: String,
    /// Path template (`/v1/things/{id}`).
    pub path: String,
    /// Summary and description.
    pub doc: Option<String>,
    /// Deprecated.
    pub deprecated: bool,
    /// Parameters: path ones in template order, then the rest in spec order.
    pub params: Vec<Param>,
    /// Request body.
    pub body: Option<Body>,
    /// Success response.
    pub response: ResponseKind,
    /// Server-sent events, when the operation can stream.
    pub stream: Option<Stream>,
    /// Name of the generated options struct.
    pub options_type: String,
    /// Skipped under `--lenient`.
    pub skipped: bool,
    /// Findings for this operation.
    pub warnings: Vec<Diagnostic>,
}

impl Operation {
    /// Parameters the caller passes as arguments: path ones and required others.
    pub fn positional(&self) -> impl Iterator<Item = &Param> {
        self.params
            .iter()
            .filter(|p| p.location == ParamLocation::Path || p.required)
    }

    /// Parameters that live in the options struct.
    pub fn optional(&self) -> impl Iterator<Item = &Param> {
        self.params
            .iter()
            .filter(|p| p.location != ParamLocation::Path && !p.required)
    }
}

/// A parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Rust name.
    pub name: String,
    /// Wire name.
    pub wire: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type.
    pub ty: TypeRef,
    /// Required.
    pub required: bool,
    /// Rustdoc.
    pub doc: Option<String>,
    /// Spec default, as the string sent on the wire.
    pub default: Option<String>,
    /// `explode` (query arrays and objects).
    pub explode: bool,
    /// `deepObject` style.
    pub deep_object: bool,
    /// `#[deprecated]` note.
    pub deprecated: Option<String>,
}

/// Parameter locations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// Query string.
    Query,
    /// Header.
    Header,
    /// Cookie.
    Cookie,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Encoding.
    pub kind: BodyKind,
    /// Type.
    pub ty: TypeRef,
    /// Required.
    pub required: bool,
    /// Media type sent.
    pub content_type: String,
}

/// Request body encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/json` (and `+json`).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// `text/*`.
    Text,
    /// Anything else, as bytes.
    Binary,
}

/// Success response shapes.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseKind {
    /// JSON decoded to a type.
    Json(TypeRef),
    /// Text.
    Text,
    /// Raw bytes.
    Bytes,
    /// No body.
    Empty,
}

/// Server-sent events of an operation.
#[derive(Debug, Clone)]
pub struct Stream {
    /// Type yielded per event.
    pub item: TypeRef,
    /// Wire name of the body property that asks for the stream.
    pub toggle: Option<String>,
    /// Event name to action.
    pub events: Vec<(String, StreamAction)>,
    /// Action for other events.
    pub otherwise: StreamAction,
    /// The operation answers only with a stream.
    pub only: bool,
}

pub use crate::openapi::StreamAction;

/// A group of operations (`client.completions()`).
#[derive(Debug, Clone)]
pub struct Group {
    /// Method on the client.
    pub method: String,
    /// Rust type of the group handle.
    pub type_name: String,
    /// Tag name.
    pub tag: String,
    /// Tag description.
    pub doc: Option<String>,
}

/// Names the client itself uses; groups and ungrouped methods avoid them.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "from_env",
    "base_url",
    "runtime",
    "with_options",
    "clone",
    "default",
];

struct Ctx<'a, 'b> {
    file: &'a str,
    doc: &'a Document,
    raw: &'a Value,
    space: &'b mut TypeSpace<'a>,
}

/// Lowers every operation. Errors stop generation unless `lenient`, which skips the operation.
pub fn lower<'a>(
    file: &'a str,
    doc: &'a Document,
    raw: &'a Value,
    space: &mut TypeSpace<'a>,
    lenient: bool,
    _client: &ClientInfo,
) -> Result<(Vec<Operation>, Vec<Group>), Error> {
    let mut ctx = Ctx {
        file,
        doc,
        raw,
        space,
    };
    let mut ops = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut group_index: HashMap<String, usize> = HashMap::new();
    let mut group_names = Scope::with_reserved(CLIENT_METHODS);
    let mut method_scopes: HashMap<Option<usize>, Scope> = HashMap::new();
    let mut ids = HashSet::new();
    for (path, item) in &doc.paths {
        let item_pointer = format!("#/paths/{}", escape_token(path));
        let item = match &item.reference {
            Some(r) => openapi::at_pointer::<PathItem>(file, raw, r)?,
            None => item.clone(),
        };
        for (method, op) in item.operations() {
            let pointer = format!("{item_pointer}/{method}");
            let id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{method} {path}"));
            if !ids.insert(id.clone()) {
                return Err(Error::at(
                    file,
                    format!("{pointer}/operationId"),
                    ErrorKind::DuplicateOperationId(id),
                ));
            }
            let group = match op.tags.first() {
                Some(tag) => Some(match group_index.get(tag) {
                    Some(index) => *index,
                    None => {
                        let method = group_names.claim(names::field_name(tag));
                        groups.push(Group {
                            type_name: ctx.space.claim_type_name(&format!("{tag} api")),
                            method,
                            tag: tag.clone(),
                            doc: doc
                                .tags
                                .iter()
                                .find(|t| &t.name == tag)
                                .and_then(|t| t.description.clone()),
                        });
                        group_index.insert(tag.clone(), groups.len() - 1);
                        groups.len() - 1
                    }
                }),
                None => None,
            };
            let scope = method_scopes.entry(group).or_insert_with(|| {
                if group.is_none() {
                    Scope::with_reserved(CLIENT_METHODS)
                } else {
                    Scope::default()
                }
            });
            let method_name = scope.claim_family(
                method_name(
                    op.x_name.as_deref(),
                    &id,
                    group.map(|g| groups[g].tag.as_str()),
                ),
                &["_with", "_raw", "_streaming", "_streaming_with"],
            );
            let options_type = ctx.space.claim_type_name(&format!("{id} options"));
            let mut lowered = Operation {
                pointer: pointer.clone(),
                id: id.clone(),
                group,
                method: method_name,
                http_method: method.to_ascii_uppercase(),
                path: path.clone(),
                doc: join_doc(op.summary.as_deref(), op.description.as_deref()),
                deprecated: op.deprecated,
                params: Vec::new(),
                body: None,
                response: ResponseKind::Empty,
                stream: None,
                options_type,
                skipped: false,
                warnings: Vec::new(),
            };
            let result = ctx.fill(&mut lowered, &item, op, &pointer);
            match result {
                Ok(()) => {}
                Err(e) if lenient => {
                    lowered.skipped = true;
                    lowered.warnings.push(Diagnostic {
                        pointer: pointer.clone(),
                        message: format!("operation `{id}` skipped: {}", e.kind),
                    });
                }
                Err(e) => return Err(e),
            }
            ops.push(lowered);
        }
    }
    Ok((ops, groups))
}

/// Headers with a spec default that every operation declares: sent by the client on every request.
pub fn common_default_headers(ops: &[Operation]) -> Vec<(String, String)> {
    let live: Vec<&Operation> = ops.iter().filter(|o| !o.skipped).collect();
    let Some(first) = live.first() else {
        return Vec::new();
    };
    first
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Header)
        .filter_map(|p| p.default.as_ref().map(|d| (p.wire.clone(), d.clone())))
        .filter(|(wire, value)| {
            live.iter().all(|op| {
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

impl Ctx<'_, '_> {
    fn fill(
        &mut self,
        op: &mut Operation,
        item: &PathItem,
        spec: &openapi::Operation,
        pointer: &str,
    ) -> Result<(), Error> {
        let type_base = names::type_name(&op.id);
        // Operation parameters override path-item ones with the same name and location.
        let mut params: Vec<(String, Parameter)> = Vec::new();
        let item_params = item.parameters.iter().enumerate().map(|(i, p)| {
            (
                format!(
                    "{}/parameters/{i}",
                    pointer.rsplit_once('/').map(|x| x.0).unwrap_or(pointer)
                ),
                p,
            )
        });
        let op_params = spec
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("{pointer}/parameters/{i}"), p));
        for (at, p) in item_params.chain(op_params) {
            let resolved = self.resolve_param(p, &at)?;
            params.retain(|(_, q)| !(q.name == resolved.name && q.location == resolved.location));
            params.push((at, resolved));
        }
        let mut scope = Scope::with_reserved(&["body", "options", "request"]);
        let template_names = template_params(&op.path);
        for name in &template_names {
            let declared = params.iter().any(|(_, p)| {
                p.location.as_deref() == Some("path") && p.name.as_deref() == Some(name)
            });
            if !declared {
                return Err(Error::at(
                    self.file,
                    pointer,
                    ErrorKind::UndeclaredPathParam(name.clone()),
                ));
            }
        }
        // Path parameters first, in template order.
        params.sort_by_key(|(_, p)| match p.location.as_deref() {
            Some("path") => template_names
                .iter()
                .position(|n| Some(n) == p.name.as_ref())
                .unwrap_or(0),
            _ => usize::MAX,
        });
        for (at, p) in &params {
            let wire = p.name.clone().unwrap_or_default();
            let location = match p.location.as_deref() {
                Some("path") => ParamLocation::Path,
                Some("query") => ParamLocation::Query,
                Some("header") => ParamLocation::Header,
                Some("cookie") => ParamLocation::Cookie,
                other => {
                    return Err(Error::at(
                        self.file,
                        format!("{at}/in"),
                        ErrorKind::Invalid(format!("parameter location {other:?}")),
                    ))
                }
            };
            if location == ParamLocation::Path && !template_names.contains(&wire) {
                op.warnings.push(Diagnostic {
                    pointer: at.clone(),
                    message: format!(
                        "path parameter `{wire}` is not in the path template; ignored"
                    ),
                });
                continue;
            }
            let hint = format!("{type_base}{}", names::type_name(&wire));
            let (ty, default) = match (&p.schema, &p.content) {
                (Some(schema), _) => {
                    let lowered = self.space.lower(schema, &format!("{at}/schema"), &hint)?;
                    let default = schema.default.as_ref().and_then(|d| match d {
                        Value::String(s) => Some(s.clone()),
                        Value::Null => None,
                        other => Some(other.to_string()),
                    });
                    (lowered.ty, default)
                }
                (None, Some(content)) => match content.iter().next() {
                    Some((_, media)) => match &media.schema {
                        Some(schema) => (
                            self.space
                                .lower(schema, &format!("{at}/content"), &hint)?
                                .ty,
                            None,
                        ),
                        None => (TypeRef::String, None),
                    },
                    None => (TypeRef::String, None),
                },
                (None, None) => (TypeRef::String, None),
            };
            op.params.push(Param {
                name: scope.claim(names::field_name(p.x_name.as_deref().unwrap_or(&wire))),
                wire,
                location,
                ty,
                required: p.required || location == ParamLocation::Path,
                doc: p.description.clone(),
                default,
                explode: p
                    .explode
                    .unwrap_or(p.style.as_deref().is_none_or(|s| s == "form")),
                deep_object: p.style.as_deref() == Some("deepObject"),
                deprecated: p
                    .deprecated
                    .then(|| "deprecated in the API specification".to_owned()),
            });
        }
        if let Some(body) = &spec.request_body {
            op.body = self.body(
                body,
                &format!("{pointer}/requestBody"),
                &type_base,
                &mut op.warnings,
            )?;
        }
        self.responses(op, spec, pointer, &type_base)
    }

    fn resolve_param(&self, p: &Parameter, at: &str) -> Result<Parameter, Error> {
        let mut current = p.clone();
        let mut hops = 0;
        while let Some(r) = current.reference.clone() {
            hops += 1;
            if hops > 16 {
                return Err(Error::at(
                    self.file,
                    at,
                    ErrorKind::RefCycle(format!("{r} refers back to itself")),
                ));
            }
            current = self.load::<Parameter>(&r, &format!("{at}/$ref"), "parameters", |d| {
                &d.components.parameters
            })?;
        }
        if current.name.is_none() {
            return Err(Error::at(
                self.file,
                at,
                ErrorKind::Invalid("parameter without `name`".into()),
            ));
        }
        Ok(current)
    }

    fn load<T: Clone + serde::de::DeserializeOwned>(
        &self,
        reference: &str,
        at: &str,
        component: &str,
        pick: impl Fn(&Document) -> &indexmap::IndexMap<String, T>,
    ) -> Result<T, Error> {
        if !reference.starts_with('#') {
            return Err(Error::at(
                self.file,
                at,
                ErrorKind::ExternalRef(reference.to_owned()),
            ));
        }
        let prefix = format!("#/components/{component}/");
        if let Some(name) = reference.strip_prefix(&prefix) {
            let name = name.replace("~1", "/").replace("~0", "~");
            return pick(self.doc).get(&name).cloned().ok_or_else(|| {
                Error::at(self.file, at, ErrorKind::DanglingRef(reference.to_owned()))
            });
        }
        if self.raw.pointer(&reference[1..]).is_none() {
            return Err(Error::at(
                self.file,
                at,
                ErrorKind::DanglingRef(reference.to_owned()),
            ));
        }
        openapi::at_pointer(self.file, self.raw, reference)
    }

    fn body(
        &mut self,
        body: &RequestBody,
        pointer: &str,
        type_base: &str,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Option<Body>, Error> {
        let mut body = body.clone();
        let mut hops = 0;
        while let Some(r) = body.reference.clone() {
            hops += 1;
            if hops > 16 {
                return Err(Error::at(
                    self.file,
                    pointer,
                    ErrorKind::RefCycle(format!("{r} refers back to itself")),
                ));
            }
            body =
                self.load::<RequestBody>(&r, &format!("{pointer}/$ref"), "requestBodies", |d| {
                    &d.components.request_bodies
                })?;
        }
        let Some((media, content, kind)) = pick_media(&body.content) else {
            if body.content.is_empty() {
                return Ok(None);
            }
            let types: Vec<&String> = body.content.keys().collect();
            return Err(Error::at(
                self.file,
                format!("{pointer}/content"),
                ErrorKind::Unsupported(format!("request media types {types:?}")),
            ));
        };
        if body.content.len() > 1 {
            warnings.push(Diagnostic {
                pointer: format!("{pointer}/content"),
                message: format!("several request media types; the client sends `{media}`"),
            });
        }
        let at = format!("{pointer}/content/{}/schema", escape_token(media));
        let ty = match (kind, &content.schema) {
            (BodyKind::Text, _) => TypeRef::String,
            (BodyKind::Binary, _) => TypeRef::Bytes,
            (_, Some(schema)) => {
                let lowered = self
                    .space
                    .lower(schema, &at, &format!("{type_base}Request"))?;
                if lowered.nullable {
                    TypeRef::Nullable(Box::new(lowered.ty))
                } else {
                    lowered.ty
                }
            }
            (_, None) => TypeRef::Json,
        };
        Ok(Some(Body {
            kind,
            ty,
            required: body.required,
            content_type: media.to_owned(),
        }))
    }

    fn responses(
        &mut self,
        op: &mut Operation,
        spec: &openapi::Operation,
        pointer: &str,
        type_base: &str,
    ) -> Result<(), Error> {
        let mut success: Vec<(&String, &Response)> = spec
            .responses
            .iter()
            .filter(|(code, _)| code.starts_with('2'))
            .collect();
        success.sort_by_key(|(code, _)| code.to_ascii_uppercase().contains('X'));
        if success.is_empty() {
            if let Some((code, default)) = spec.responses.get_key_value("default") {
                success.push((code, default));
            }
        }
        let Some((code, response)) = success.first().copied() else {
            return Ok(());
        };
        let at = format!("{pointer}/responses/{}", escape_token(code));
        let mut response = response.clone();
        let mut hops = 0;
        while let Some(r) = response.reference.clone() {
            hops += 1;
            if hops > 16 {
                return Err(Error::at(
                    self.file,
                    &at,
                    ErrorKind::RefCycle(format!("{r} refers back to itself")),
                ));
            }
            response = self.load::<Response>(&r, &format!("{at}/$ref"), "responses", |d| {
                &d.components.responses
            })?;
        }
        let stream_media = response
            .content
            .iter()
            .find(|(m, _)| media_base(m) == "text/event-stream");
        let other: Vec<(&String, &MediaType)> = response
            .content
            .iter()
            .filter(|(m, _)| media_base(m) != "text/event-stream")
            .collect();
        op.response = match pick_media_for_response(&other) {
            None => ResponseKind::Empty,
            Some((media, content)) => {
                let base = media_base(media);
                if is_json(&base) {
                    match &content.schema {
                        Some(schema) => {
                            let l = self.space.lower(
                                schema,
                                &format!("{at}/content/{}/schema", escape_token(media)),
                                &format!("{type_base}Response"),
                            )?;
                            ResponseKind::Json(if l.nullable {
                                TypeRef::Nullable(Box::new(l.ty))
                            } else {
                                l.ty
                            })
                        }
                        None => ResponseKind::Json(TypeRef::Json),
                    }
                } else if base.starts_with("text/") {
                    ResponseKind::Text
                } else {
                    ResponseKind::Bytes
                }
            }
        };
        if let Some((media, content)) = stream_media {
            let at = format!("{at}/content/{}", escape_token(media));
            op.stream = Some(self.stream(content, &at, type_base, other.is_empty())?);
        }
        Ok(())
    }

    fn stream(
        &mut self,
        media: &MediaType,
        at: &str,
        type_base: &str,
        only: bool,
    ) -> Result<Stream, Error> {
        let hint = format!("{type_base}Event");
        let Some(spec) = &media.x_stream else {
            let item = match &media.schema {
                Some(schema) => self.space.lower(schema, &format!("{at}/schema"), &hint)?.ty,
                None => TypeRef::Json,
            };
            let item = if item == TypeRef::String {
                TypeRef::Json
            } else {
                item
            };
            return Ok(Stream {
                item,
                toggle: None,
                events: Vec::new(),
                otherwise: StreamAction::Yield,
                only,
            });
        };
        let mut item = None;
        let mut events = Vec::new();
        for (name, event) in &spec.events {
            let event_at = format!("{at}/x-forge-stream/events/{}", escape_token(name));
            if event.action == StreamAction::Yield {
                let ty = match &event.schema {
                    Some(schema) => {
                        self.space
                            .lower(schema, &format!("{event_at}/schema"), &hint)?
                            .ty
                    }
                    None => TypeRef::Json,
                };
                match &item {
                    None => item = Some(ty),
                    Some(existing) if *existing == ty => {}
                    Some(_) => {
                        return Err(Error::at(
                            self.file,
                            event_at,
                            ErrorKind::Unsupported(
                                "stream events that yield different types".into(),
                            ),
                        ))
                    }
                }
            }
            events.push((name.clone(), event.action));
        }
        Ok(Stream {
            item: item.unwrap_or(TypeRef::Json),
            toggle: spec.toggle.clone(),
            events,
            otherwise: StreamAction::Skip,
            only,
        })
    }
}

fn template_params(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + end].to_owned());
        rest = &rest[start + end + 1..];
    }
    out
}

/// The media type without parameters, lower-case.
pub fn media_base(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_json(base: &str) -> bool {
    base == "application/json"
        || base.ends_with("+json")
        || base == "*/*"
        || base == "application/*"
}

fn pick_media(
    content: &indexmap::IndexMap<String, MediaType>,
) -> Option<(&str, &MediaType, BodyKind)> {
    let rank = |m: &str| -> Option<(u8, BodyKind)> {
        let base = media_base(m);
        if base == "application/json" || base.ends_with("+json") {
            Some((0, BodyKind::Json))
        } else if base == "application/x-www-form-urlencoded" {
            Some((1, BodyKind::Form))
        } else if base == "multipart/form-data" {
            Some((2, BodyKind::Multipart))
        } else if base.starts_with("text/") {
            Some((3, BodyKind::Text))
        } else {
            Some((4, BodyKind::Binary))
        }
    };
    content
        .iter()
        .filter_map(|(m, c)| rank(m).map(|(r, k)| (r, m.as_str(), c, k)))
        .min_by_key(|(r, ..)| *r)
        .map(|(_, m, c, k)| (m, c, k))
}

fn pick_media_for_response<'m>(
    content: &[(&'m String, &'m MediaType)],
) -> Option<(&'m String, &'m MediaType)> {
    content
        .iter()
        .min_by_key(|(m, _)| if is_json(&media_base(m)) { 0 } else { 1 })
        .copied()
}
