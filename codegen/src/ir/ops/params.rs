//! Parameters: path-item and operation parameters merged, references followed, locations and
//! styles decided, the path template parsed against them.

use std::borrow::Cow;

use serde_json::Value;

use super::bodies;
use super::paths::{self, PathKey, QueryPart};
use super::Parts;
use crate::error::{Diagnostic, Error, ErrorKind};
use crate::ir::model::TypeRef;
use crate::ir::names::{self, Scope};
use crate::ir::operation::{Param, ParamId, ParamLocation, QueryStyle};
use crate::ir::space::TypeSpace;
use crate::openapi::{self, HttpMethod, Parameter, ParameterIn, ParameterStyle, PathItem, Pointer};

/// Names a request value uses itself: its fields (`client`, `body`, `options`, `mode`) and
/// methods; parameters take other names.
const PARAM_RESERVED: &[&str] = &[
    "client",
    "body",
    "options",
    "mode",
    "request",
    "with_response",
    "items",
    "into_future",
];

/// Lowering one operation.
pub(super) struct OpCtx<'s, 'a> {
    pub space: &'s mut TypeSpace<'a>,
    pub at: &'s Pointer,
    pub lenient: bool,
    pub warnings: Vec<Diagnostic>,
}

impl OpCtx<'_, '_> {
    pub(super) fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.warnings.push(Diagnostic {
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    fn err(&self, pointer: &Pointer, kind: ErrorKind) -> Error {
        Error::at(self.space.resolver().file(), pointer.as_str(), kind)
    }

    /// Lowers an operation's parameters, body and responses.
    pub(super) fn lower(
        &mut self,
        key: &str,
        item: &PathItem,
        item_at: &Pointer,
        op: &openapi::Operation,
        _method: HttpMethod,
        id: &str,
    ) -> Result<Parts, Error> {
        let type_base = names::type_name(id);
        let at = self.at.clone();
        let resolver = self.space.resolver();
        // Operation parameters override path-item ones with the same name and location.
        let mut declared: Vec<(Pointer, Parameter)> = Vec::new();
        let item_params = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (item_at.join("parameters").join(&i.to_string()), p));
        let op_params = op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (at.join("parameters").join(&i.to_string()), p));
        for (p_at, p) in item_params.chain(op_params) {
            let resolved = resolver.follow(Cow::Borrowed(p), &p_at)?;
            let (pointer, p) = (resolved.pointer, resolved.value.into_owned());
            if p.name.is_none() {
                return Err(self.err(
                    &pointer,
                    ErrorKind::Invalid("parameter without `name`".into()),
                ));
            }
            if p.location.is_none() {
                return Err(self.err(
                    &pointer,
                    ErrorKind::Invalid("parameter without `in`".into()),
                ));
            }
            declared.retain(|(_, q)| !(q.name == p.name && q.location == p.location));
            declared.push((pointer, p));
        }
        let mut path_key = PathKey::parse(key);
        self.query_in_path_key(&mut path_key, &mut declared)?;
        let template_names = path_key.template_names();
        for name in &template_names {
            let found = declared.iter().any(|(_, p)| {
                p.location == Some(ParameterIn::Path) && p.name.as_deref() == Some(name)
            });
            if !found {
                return Err(self.err(&at, ErrorKind::UndeclaredPathParam(name.clone())));
            }
        }
        // Path parameters first, in template order.
        declared.sort_by_key(|(_, p)| match p.location {
            Some(ParameterIn::Path) => template_names
                .iter()
                .position(|n| Some(n) == p.name.as_ref())
                .unwrap_or(0),
            _ => usize::MAX,
        });
        // The operation has a security requirement the client can meet with a credential.
        let doc = resolver.doc();
        let secured = !doc.components.security_schemes.is_empty()
            && op
                .security
                .as_ref()
                .or(doc.security.as_ref())
                .is_some_and(|r| r.iter().any(|alternative| !alternative.is_empty()));
        let mut scope = Scope::with_reserved(PARAM_RESERVED);
        let mut params = Vec::new();
        for (p_at, p) in &declared {
            let wire = p.name.clone().unwrap_or_default();
            if p.location == Some(ParameterIn::Path) && !template_names.contains(&wire) {
                self.warn(
                    p_at,
                    format!("path parameter `{wire}` is not in the path template; ignored"),
                );
                continue;
            }
            // OpenAPI 3.x: a header parameter named `Accept`, `Content-Type` or `Authorization`
            // "SHALL be ignored". The first two are: the responses and the body say those, and
            // sent, a `Content-Type` parameter replaced the body's media type. `Authorization`
            // is when a security scheme of the operation supplies it (telstra.com's bearer
            // token; sent, the parameter replaced the credential), and stays otherwise: specs
            // without one (keeper.json) carry the credential there, and servers require it.
            let ignored: &[&str] = if secured {
                &["accept", "content-type", "authorization"]
            } else {
                &["accept", "content-type"]
            };
            if p.location == Some(ParameterIn::Header)
                && ignored.contains(&wire.to_ascii_lowercase().as_str())
            {
                self.warn(
                    p_at,
                    format!("header parameter `{wire}` ignored, as OpenAPI says for this name"),
                );
                continue;
            }
            if let Some(param) = self.param(p, p_at, wire, &type_base, &mut scope)? {
                params.push(param);
            }
        }
        let path = paths::template(&path_key, key, |name| {
            params
                .iter()
                .position(|p: &Param| p.location == ParamLocation::Path && p.wire == name)
                .map(ParamId)
        });
        let body = match &op.request_body {
            Some(body) => self.body(body, &at.join("requestBody"), &type_base)?,
            None => None,
        };
        let responses = self.responses(op, &at, &type_base, body.as_ref())?;
        Ok(Parts {
            path,
            params,
            body,
            response: responses.kind,
            accept: responses.accept,
            response_headers: responses.headers,
            stream: responses.stream,
        })
    }

    /// A query string inside a path key (`/search?query={query}`) is not OpenAPI. Constant pairs
    /// (`?beta=true`) are sent as they are; a `{template}` there is read, under `--lenient`, as
    /// the query parameter of that name.
    fn query_in_path_key(
        &mut self,
        key: &mut PathKey,
        declared: &mut [(Pointer, Parameter)],
    ) -> Result<(), Error> {
        let templated: Vec<String> = key
            .query
            .iter()
            .filter_map(|(_, part)| match part {
                QueryPart::Param(name) => Some(name.clone()),
                QueryPart::Literal(_) => None,
            })
            .collect();
        if templated.is_empty() {
            return Ok(());
        }
        if !self.lenient {
            return Err(self.err(
                self.at,
                ErrorKind::Unsupported(format!(
                    "a query string with parameters ({}) in the path key",
                    templated.join(", ")
                )),
            ));
        }
        for name in &templated {
            for (_, p) in declared.iter_mut() {
                if p.name.as_deref() == Some(name) && p.location == Some(ParameterIn::Path) {
                    p.location = Some(ParameterIn::Query);
                    p.required = true;
                }
            }
        }
        let at = self.at.clone();
        self.warn(
            &at,
            format!(
                "the path key holds a query string; `{}` read as query parameters",
                templated.join("`, `")
            ),
        );
        Ok(())
    }

    fn param(
        &mut self,
        p: &Parameter,
        at: &Pointer,
        wire: String,
        type_base: &str,
        scope: &mut Scope,
    ) -> Result<Option<Param>, Error> {
        let location = match p.location {
            Some(ParameterIn::Path) => ParamLocation::Path,
            Some(ParameterIn::Query) => ParamLocation::Query(query_style(p)),
            Some(ParameterIn::Header) => ParamLocation::Header,
            Some(ParameterIn::Cookie) => ParamLocation::Cookie,
            None => return Ok(None),
        };
        let hint = format!("{type_base}{}", names::type_name(&wire));
        let (ty, default) = match (&p.schema, &p.content) {
            (Some(schema), _) => {
                let lowered = self.space.lower(schema, &at.join("schema"), &hint)?;
                let default = schema.default.as_ref().and_then(|d| match d {
                    Value::String(s) => Some(s.clone()),
                    Value::Null => None,
                    other => Some(other.to_string()),
                });
                (lowered.ty, default)
            }
            (None, Some(content)) => match content.iter().next() {
                Some((media, entry)) => match &entry.schema {
                    Some(schema) => {
                        let schema_at = at.join("content").join(media).join("schema");
                        (self.space.lower(schema, &schema_at, &hint)?.ty, None)
                    }
                    None => (TypeRef::String, None),
                },
                None => (TypeRef::String, None),
            },
            (None, None) => (TypeRef::String, None),
        };
        Ok(Some(Param {
            name: scope.claim(names::field_name(p.x_name.as_deref().unwrap_or(&wire))),
            wire,
            location,
            ty,
            required: p.required || location == ParamLocation::Path,
            doc: p.description.clone(),
            default,
            deprecated: p
                .deprecated
                .then(|| "deprecated in the API specification".to_owned()),
            pointer: at.as_str().to_owned(),
        }))
    }
}

/// How a query parameter is written: from `style` and `explode` (form and exploded by default),
/// or as JSON text when `content` describes it with a JSON media type.
fn query_style(p: &Parameter) -> QueryStyle {
    let json_content = p.schema.is_none()
        && p.content.as_ref().is_some_and(|c| {
            c.iter()
                .next()
                .is_some_and(|(media, _)| bodies::is_json(&bodies::media_base(media)))
        });
    if json_content {
        return QueryStyle::Json;
    }
    match p.style {
        Some(ParameterStyle::DeepObject) => QueryStyle::DeepObject,
        Some(ParameterStyle::SpaceDelimited) => QueryStyle::SpaceDelimited,
        Some(ParameterStyle::PipeDelimited) => QueryStyle::PipeDelimited,
        _ if p.explode == Some(false) => QueryStyle::Form,
        _ => QueryStyle::FormExploded,
    }
}
