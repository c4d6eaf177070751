//! Success responses and server-sent event streams.

use std::borrow::Cow;

use super::bodies::{is_json, is_json_lines, media_base};
use super::params::OpCtx;
use crate::error::{Error, ErrorKind};
use crate::ir::model::{Presence, TypeKind, TypeRef};
use crate::ir::operation::{Body, EventAction, ResponseKind, Stream, Toggle};
use crate::openapi::{self, MediaType, Pointer, StreamAction};

/// What an operation's success response declares.
pub(super) struct Responses {
    pub kind: ResponseKind,
    /// The response headers it declares, lowercased.
    pub headers: Vec<String>,
    pub stream: Option<Stream>,
    /// The media type to ask for by name in `Accept` (a vendor JSON type), if any.
    pub accept: Option<String>,
}

impl OpCtx<'_, '_> {
    /// The success response's shape, the headers it declares, and the stream when the operation
    /// can answer with one.
    pub(super) fn responses(
        &mut self,
        op: &openapi::Operation,
        at: &Pointer,
        type_base: &str,
        body: Option<&Body>,
    ) -> Result<Responses, Error> {
        let mut success: Vec<(&String, &openapi::Response)> = op
            .responses
            .iter()
            .filter(|(code, _)| code.starts_with('2'))
            .collect();
        // Exact codes before ranges (`2XX`).
        success.sort_by_key(|(code, _)| code.to_ascii_uppercase().contains('X'));
        if success.is_empty() {
            if let Some(default) = op.responses.get_key_value("default") {
                success.push(default);
            }
        }
        let Some((code, response)) = success.first().copied() else {
            return Ok(Responses {
                kind: ResponseKind::Empty,
                headers: Vec::new(),
                stream: None,
                accept: None,
            });
        };
        let resolver = self.space.resolver();
        let start = at.join("responses").join(code);
        let resolved = resolver.follow(Cow::Borrowed(response), &start)?;
        let (at, response) = (resolved.pointer, resolved.value);
        let headers = response
            .headers
            .keys()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        // RFC 9110 §15.3.5 and §15.3.6: a 204 or 205 response has no content, whatever the spec
        // says it holds (journy.io declares a JSON body on its 204s; a server cannot send it).
        if matches!(code.as_str(), "204" | "205") && !response.content.is_empty() {
            self.warn(
                &at.join("content"),
                format!("a {code} response has no content (RFC 9110); its content is ignored"),
            );
            return Ok(Responses {
                kind: ResponseKind::Empty,
                headers,
                stream: None,
                accept: None,
            });
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
        let rank = |media: &str| {
            let base = media_base(media);
            if is_json(&base) {
                0
            } else if is_json_lines(&base) {
                1
            } else {
                2
            }
        };
        let chosen = other.iter().min_by_key(|(m, _)| rank(m));
        // A vendor JSON type is asked for by name; `application/json` is the runtime's default
        // and a wildcard (`*/*`) accepts it. So is a concrete type that is not JSON (rev.ai's
        // captions, `application/x-subrip`): the runtime's `*/*` is refused by a server that
        // checks `Accept` against what it produces. A name that is no media type (truora.com's
        // `PDF`) is not asked for: sent, it broke the server that read it.
        let accept = chosen
            .map(|(m, _)| media_base(m))
            .filter(|base| {
                base.split_once('/')
                    .is_some_and(|(t, s)| !t.is_empty() && !s.is_empty())
            })
            .filter(|base| {
                base.ends_with("+json")
                    || (!is_json(base) && !is_json_lines(base) && !base.contains('*'))
            })
            .map(|_| chosen.map(|(m, _)| m.to_string()).unwrap_or_default());
        let kind = match chosen {
            None => ResponseKind::Empty,
            Some((media, content)) => {
                let base = media_base(media);
                if let (true, Some(schema)) = (is_json_lines(&base), &content.schema) {
                    let schema_at = at.join("content").join(media).join("schema");
                    let lowered =
                        self.space
                            .lower(schema, &schema_at, &format!("{type_base}Line"))?;
                    ResponseKind::JsonLines(lowered.into_type())
                } else if is_json(&base) {
                    match &content.schema {
                        Some(schema) => {
                            let schema_at = at.join("content").join(media).join("schema");
                            let lowered = self.space.lower(
                                schema,
                                &schema_at,
                                &format!("{type_base}Response"),
                            )?;
                            ResponseKind::Json(lowered.into_type())
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
        let stream = match stream_media {
            Some((media, content)) => {
                let media_at = at.join("content").join(media);
                Some(self.stream(content, &media_at, type_base, other.is_empty(), body)?)
            }
            None => None,
        };
        Ok(Responses {
            kind,
            headers,
            stream,
            accept,
        })
    }

    fn stream(
        &mut self,
        media: &MediaType,
        at: &Pointer,
        type_base: &str,
        only: bool,
        body: Option<&Body>,
    ) -> Result<Stream, Error> {
        let hint = format!("{type_base}Event");
        let Some(spec) = &media.x_stream else {
            let item = match &media.schema {
                Some(schema) => self.space.lower(schema, &at.join("schema"), &hint)?.ty,
                None => TypeRef::Json,
            };
            // A stream described as `type: string` says nothing about its events' data.
            let item = if item == TypeRef::String {
                TypeRef::Json
            } else {
                item
            };
            return Ok(Stream {
                item,
                toggle: None,
                events: Vec::new(),
                otherwise: EventAction::Yield,
                only,
            });
        };
        let mut item = None;
        let mut events = Vec::new();
        let events_at = at.join("x-forge-stream").join("events");
        for (name, event) in &spec.events {
            let event_at = events_at.join(name);
            if event.action == StreamAction::Yield {
                let ty = match &event.schema {
                    Some(schema) => {
                        self.space
                            .lower(schema, &event_at.join("schema"), &hint)?
                            .ty
                    }
                    None => TypeRef::Json,
                };
                match &item {
                    None => item = Some(ty),
                    Some(existing) if *existing == ty => {}
                    Some(_) => {
                        return Err(Error::at(
                            self.space.resolver().file(),
                            event_at.as_str(),
                            ErrorKind::Unsupported(
                                "stream events that yield different types".into(),
                            ),
                        ))
                    }
                }
            }
            events.push((name.clone(), action(event.action)));
        }
        let toggle = match &spec.toggle {
            Some(wire) => self.toggle(wire, body, &at.join("x-forge-stream").join("toggle")),
            None => None,
        };
        Ok(Stream {
            item: item.unwrap_or(TypeRef::Json),
            toggle,
            events,
            otherwise: EventAction::Skip,
            only,
        })
    }

    /// The toggle must be an optional boolean property of the body's struct; the methods set it.
    fn toggle(&mut self, wire: &str, body: Option<&Body>, at: &Pointer) -> Option<Toggle> {
        let found = body.and_then(|b| match b.ty {
            TypeRef::Named(id) => match &self.space.def(id).kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .any(|f| {
                        f.wire == wire && f.ty == TypeRef::Bool && f.presence == Presence::Optional
                    })
                    .then(|| Toggle {
                        ty: id,
                        wire: wire.to_owned(),
                    }),
                _ => None,
            },
            _ => None,
        });
        if found.is_none() {
            self.warn(
                at,
                format!("`{wire}` is not an optional boolean property of the request body; the stream is not toggled"),
            );
        }
        found
    }
}

fn action(a: StreamAction) -> EventAction {
    match a {
        StreamAction::Yield => EventAction::Yield,
        StreamAction::Skip => EventAction::Skip,
        StreamAction::Error => EventAction::Error,
    }
}
