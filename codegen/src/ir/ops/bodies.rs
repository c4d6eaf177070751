//! Request bodies: the media type the client sends, and the body's type.

use std::borrow::Cow;

use indexmap::IndexMap;

use super::params::OpCtx;
use crate::error::Error;
use crate::ir::model::{TypeKind, TypeRef};
use crate::ir::operation::{Body, FormArray, FormArrayStyle, RequestMedia};
use crate::openapi::{MediaType, ParameterStyle, Pointer, RequestBody, Resolver};

/// The media type without parameters, lower-case.
pub fn media_base(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// JSON Lines: one JSON value per line.
pub fn is_json_lines(base: &str) -> bool {
    matches!(
        base,
        "application/x-jsonl"
            | "application/jsonl"
            | "application/jsonlines"
            | "application/x-jsonlines"
            | "application/x-ndjson"
            | "application/ndjson"
    )
}

/// JSON, or a media type that accepts it (`*/*`).
pub fn is_json(base: &str) -> bool {
    base == "application/json"
        || base.ends_with("+json")
        || base == "*/*"
        || base == "application/*"
}

impl OpCtx<'_, '_> {
    pub(super) fn body(
        &mut self,
        body: &RequestBody,
        at: &Pointer,
        type_base: &str,
    ) -> Result<Option<Body>, Error> {
        let resolver = self.space.resolver();
        let resolved = resolver.follow(Cow::Borrowed(body), at)?;
        let (at, body) = (resolved.pointer, resolved.value);
        let Some((media, content, kind)) = pick_media(&resolver, &body.content, &at) else {
            return Ok(None);
        };
        if body.content.len() > 1 {
            self.warn(
                &at.join("content"),
                format!("several request media types; the client sends `{media}`"),
            );
        }
        let schema_at = at.join("content").join(media).join("schema");
        let ty = match (&kind, &content.schema) {
            (RequestMedia::Text, _) => TypeRef::String,
            (RequestMedia::Binary(_), _) => TypeRef::Upload,
            (_, Some(schema)) => self
                .space
                .lower(schema, &schema_at, &format!("{type_base}Body"))?
                .into_type(),
            (_, None) => TypeRef::Json,
        };
        let kind = match kind {
            RequestMedia::Form(_) => RequestMedia::Form(self.form_arrays(&ty, content)),
            other => other,
        };
        Ok(Some(Body {
            media: kind,
            ty,
            required: body.required,
        }))
    }
}

impl OpCtx<'_, '_> {
    /// The top-level array fields of a form body `ty` that its Encoding Objects leave in
    /// `style: form` (the default), in field order.
    fn form_arrays(&self, ty: &TypeRef, content: &MediaType) -> Vec<FormArray> {
        let TypeRef::Named(id) = ty else {
            return Vec::new();
        };
        let TypeKind::Struct(s) = &self.space.def(*id).kind else {
            return Vec::new();
        };
        s.fields
            .iter()
            .filter(|f| match &f.ty {
                TypeRef::Vec(_) => true,
                TypeRef::Nullable(inner) => matches!(**inner, TypeRef::Vec(_)),
                _ => false,
            })
            .filter_map(|f| {
                let encoding = content.encoding.get(&f.wire);
                let style = encoding
                    .and_then(|e| e.style)
                    .unwrap_or(ParameterStyle::Form);
                let explode = encoding.and_then(|e| e.explode).unwrap_or(true);
                (style == ParameterStyle::Form).then(|| FormArray {
                    wire: f.wire.clone(),
                    style: if explode {
                        FormArrayStyle::Repeated
                    } else {
                        FormArrayStyle::Joined
                    },
                })
            })
            .collect()
    }
}

/// The media type the client sends: JSON first, then form, multipart, text, anything else. A
/// media range (`*/*`) with a schema that is not binary takes JSON; a form or multipart body
/// whose schema is not an object (jira's arrays of column names) has no fields to send, so it
/// comes last.
fn pick_media<'c>(
    resolver: &Resolver<'_>,
    content: &'c IndexMap<String, MediaType>,
    at: &Pointer,
) -> Option<(&'c str, &'c MediaType, RequestMedia)> {
    let shape = |m: &str, c: &MediaType| -> Option<(Vec<String>, Option<String>)> {
        let schema = c.schema.as_ref()?;
        let schema_at = at.join("content").join(m).join("schema");
        let r = resolver.follow(Cow::Borrowed(schema), &schema_at).ok()?;
        Some((r.value.type_names().to_vec(), r.value.format.clone()))
    };
    let rank = |m: &str, c: &MediaType| -> (u8, RequestMedia) {
        let base = media_base(m);
        let fields = || {
            shape(m, c)
                .is_none_or(|(types, _)| types.is_empty() || types.iter().any(|t| t == "object"))
        };
        if base == "*/*" || base == "application/*" {
            let binary = shape(m, c).is_none_or(|(types, format)| {
                format.as_deref() == Some("binary") || (types.len() == 1 && types[0] == "string")
            });
            if binary {
                (4, RequestMedia::Binary(m.to_owned()))
            } else {
                (3, RequestMedia::Json(None))
            }
        } else if base == "application/json" {
            (0, RequestMedia::Json(None))
        } else if base.ends_with("+json") && !base.contains('*') {
            (0, RequestMedia::Json(Some(m.to_owned())))
        } else if base.ends_with("+json") {
            // A media range (`application/*+json`) is no Content-Type: a JSON body goes out as
            // plain JSON, and only when no concrete type is listed.
            (5, RequestMedia::Json(None))
        } else if base == "application/x-www-form-urlencoded" {
            (if fields() { 1 } else { 6 }, RequestMedia::Form(Vec::new()))
        } else if base == "multipart/form-data" {
            (if fields() { 2 } else { 6 }, RequestMedia::Multipart)
        } else if base.starts_with("text/") {
            (3, RequestMedia::Text)
        } else {
            (4, RequestMedia::Binary(m.to_owned()))
        }
    };
    content
        .iter()
        .map(|(m, c)| {
            let (r, k) = rank(m, c);
            (r, m.as_str(), c, k)
        })
        .min_by_key(|(r, ..)| *r)
        .map(|(_, m, c, k)| (m, c, k))
}
