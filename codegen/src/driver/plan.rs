//! What a driver runs, as data: the samples of every type and the arguments of every operation,
//! all from [`crate::samples::Generator`]. The driver reads this file at run time, so its code
//! stays one line per type and a few per operation whatever the samples are.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

use crate::ir::{self, Api, EventAction, RequestMedia, TypeRef};
use crate::openapi::{Parameter, PathItem, Pointer, Resolver, Schema};
use crate::samples::{Direction, Generator, Plan as Fill};

/// The whole data file.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The generator's seed.
    pub seed: u64,
    /// Types with a schema, in IR order.
    pub types: Vec<TypeEntry>,
    /// Every operation, in IR order.
    pub operations: Vec<OpEntry>,
}

/// One type's samples.
#[derive(Debug, Clone, Serialize)]
pub struct TypeEntry {
    /// Index into `Api::types` (not written: the driver's dispatch holds it).
    #[serde(skip)]
    pub index: usize,
    /// Rust name.
    pub name: String,
    /// The schema's pointer.
    pub pointer: String,
    /// Samples.
    pub samples: Vec<SampleEntry>,
    /// Samples not made, and why.
    pub skipped: Vec<String>,
}

/// One sample.
#[derive(Debug, Clone, Serialize)]
pub struct SampleEntry {
    /// The value.
    pub value: Value,
    /// Where it came from.
    pub source: String,
}

/// One operation's arguments.
#[derive(Debug, Clone, Serialize)]
pub struct OpEntry {
    /// operationId.
    pub id: String,
    /// `GET`.
    pub method: String,
    /// The path template.
    pub path: String,
    /// One value per IR parameter.
    pub params: Vec<Option<Value>>,
    /// Why a parameter has no value.
    pub missing: Vec<Option<String>>,
    /// The body.
    pub body: Option<Value>,
    /// Why the body has no value.
    pub body_missing: Option<String>,
    /// The events the local server streams, when the operation can stream.
    pub events: Option<Vec<EventEntry>>,
    /// Whether the one-response method exists.
    pub single: bool,
    /// Whether the spec declares a 2xx, 3xx or `default` response (a mock answers with a
    /// declared status, so without one it can only answer with an error).
    pub success_declared: bool,
}

/// One server-sent event.
#[derive(Debug, Clone, Serialize)]
pub struct EventEntry {
    /// `event:` name, if any.
    pub event: Option<String>,
    /// `data:` value.
    pub data: Value,
}

/// Events per streamed call.
const EVENTS: usize = 3;

/// The plan for a lowered API.
pub fn plan(api: &Api, resolver: &Resolver<'_>, seed: u64) -> Plan {
    let generator = Generator::new(*resolver, seed);
    let mut types = Vec::new();
    for (index, t) in api.types.iter().enumerate() {
        let Some(pointer) = schema_pointer(resolver, &t.pointer) else {
            continue;
        };
        let s = generator.samples(&pointer, Direction::Any);
        types.push(TypeEntry {
            index,
            name: t.name.clone(),
            pointer: t.pointer.clone(),
            samples: s
                .samples
                .into_iter()
                .map(|s| SampleEntry {
                    value: s.value,
                    source: s.source,
                })
                .collect(),
            skipped: s.skipped,
        });
    }
    let operations = api
        .operations
        .iter()
        .map(|op| operation(api, resolver, &generator, op))
        .collect();
    Plan {
        seed,
        types,
        operations,
    }
}

/// The pointer when it names a schema: a component schema, or a place whose last tokens say a
/// schema stands there (`.../schema`, `.../properties/x`, `.../items`, `.../allOf/0`, ...).
fn schema_pointer(resolver: &Resolver<'_>, pointer: &str) -> Option<Pointer> {
    let p = Pointer::parse(pointer)?;
    resolver.raw_at(&p)?.as_object()?;
    let tokens: Vec<String> = p.tokens().collect();
    let n = tokens.len();
    let last = tokens.last()?.as_str();
    let parent = n.checked_sub(2).map(|i| tokens[i].as_str());
    let schema_place = matches!(
        last,
        "schema" | "items" | "additionalProperties" | "not" | "contains"
    ) || matches!(
        parent,
        Some(
            "schemas"
                | "properties"
                | "allOf"
                | "anyOf"
                | "oneOf"
                | "prefixItems"
                | "definitions"
                | "$defs"
                | "patternProperties"
        )
    );
    schema_place.then_some(p)
}

fn operation(
    api: &Api,
    resolver: &Resolver<'_>,
    generator: &Generator<'_>,
    op: &ir::Operation,
) -> OpEntry {
    let found = find_operation(resolver, &op.pointer);
    let mut params = Vec::new();
    let mut missing = Vec::new();
    for (i, p) in op.params.iter().enumerate() {
        let schema = found
            .as_ref()
            .and_then(|(item, item_at, o, o_at)| param_schema(resolver, item, item_at, o, o_at, p));
        let key = format!("{}/param/{}", op.pointer, p.wire);
        let made = match schema {
            Some((schema, at)) => generator
                .one(&schema, &at, &key, i as u64, Direction::Request, Fill::All)
                .map(|s| s.value),
            None => Err(format!("no schema found for parameter `{}`", p.wire)),
        };
        match made {
            Ok(v) => {
                params.push(Some(v));
                missing.push(None);
            }
            Err(e) => {
                params.push(None);
                missing.push(Some(e));
            }
        }
    }
    let (body, body_missing) = match &op.body {
        None => (None, None),
        Some(b) => match body_sample(resolver, generator, op, &b.media, &b.ty) {
            Ok(v) => (Some(v), None),
            Err(e) => (None, Some(e)),
        },
    };
    let events = op
        .stream
        .as_ref()
        .map(|s| events(api, resolver, generator, op, s));
    let success_declared = found.as_ref().is_none_or(|(_, _, o, _)| {
        o.responses.keys().any(|k| {
            let k = k.to_ascii_lowercase();
            k == "default" || k.starts_with('2') || k.starts_with('3')
        })
    });
    OpEntry {
        id: op.id.clone(),
        method: op.http.as_str().to_owned(),
        path: op.path.raw.clone(),
        params,
        missing,
        body,
        body_missing,
        events,
        single: op.has_single(),
        success_declared,
    }
}

type Found<'a> = (
    Cow<'a, PathItem>,
    Pointer,
    crate::openapi::Operation,
    Pointer,
);

/// The path item and operation an IR operation's pointer names.
fn find_operation<'a>(resolver: &Resolver<'a>, pointer: &str) -> Option<Found<'a>> {
    let p = Pointer::parse(pointer)?;
    let tokens: Vec<String> = p.tokens().collect();
    let (method, parent) = tokens.split_last()?;
    let mut item_at = Pointer::root();
    for t in parent {
        item_at = item_at.join(t);
    }
    let item = resolver.typed_at::<PathItem>(&item_at).ok()?;
    let resolved = resolver.follow(item, &item_at).ok()?;
    let o = resolved
        .value
        .operations()
        .find(|(m, _)| m.key() == method)
        .map(|(_, o)| o.clone())?;
    let item_at = resolved.pointer;
    let o_at = item_at.join(method);
    Some((resolved.value, item_at, o, o_at))
}

fn param_schema(
    resolver: &Resolver<'_>,
    item: &PathItem,
    item_at: &Pointer,
    op: &crate::openapi::Operation,
    op_at: &Pointer,
    p: &ir::Param,
) -> Option<(Schema, Pointer)> {
    let candidates = op
        .parameters
        .iter()
        .enumerate()
        .map(|(i, x)| (x, op_at.join("parameters").join(&i.to_string())))
        .chain(
            item.parameters
                .iter()
                .enumerate()
                .map(|(i, x)| (x, item_at.join("parameters").join(&i.to_string()))),
        );
    for (param, at) in candidates {
        let Ok(r) = resolver.follow(Cow::Borrowed(param), &at) else {
            continue;
        };
        let param: &Parameter = &r.value;
        if r.pointer.as_str() != p.pointer {
            continue;
        }
        if let Some(s) = &param.schema {
            let at = r.pointer.join("schema");
            if p.required {
                return Some(non_empty_array(resolver, s, at));
            }
            return Some((s.clone(), at));
        }
        if let Some((mt, media)) = param.content.as_ref().and_then(|c| c.first()) {
            if let Some(s) = &media.schema {
                return Some((s.clone(), r.pointer.join("content").join(mt).join("schema")));
            }
        }
        return Some((Schema::default(), r.pointer));
    }
    None
}

/// A required parameter's schema, with `minItems: 1` when it is an array that may be empty: in
/// the styles of a parameter (`form`, `simple`) an empty array is no value at all, so the
/// parameter would go missing (visagecloud's required query `attributes`).
fn non_empty_array(resolver: &Resolver<'_>, schema: &Schema, at: Pointer) -> (Schema, Pointer) {
    let Ok(resolved) = resolver.follow(Cow::Borrowed(schema), &at) else {
        return (schema.clone(), at);
    };
    let array = resolved.value.type_names().iter().any(|t| t == "array")
        || (resolved.value.type_names().is_empty() && resolved.value.items.is_some());
    if !array || resolved.value.min_items.unwrap_or(0) > 0 {
        return (schema.clone(), at);
    }
    let mut schema = resolved.value.into_owned();
    schema.min_items = Some(1);
    (schema, resolved.pointer)
}

fn body_sample(
    resolver: &Resolver<'_>,
    generator: &Generator<'_>,
    op: &ir::Operation,
    media: &RequestMedia,
    ty: &TypeRef,
) -> Result<Value, String> {
    let at = Pointer::parse(&op.pointer).ok_or("bad operation pointer")?;
    let found = find_operation(resolver, &op.pointer).ok_or("operation not found")?;
    let body = found.2.request_body.as_ref().ok_or("no requestBody")?;
    let r = resolver
        .follow(Cow::Borrowed(body), &at.join("requestBody"))
        .map_err(|e| e.to_string())?;
    let fits = |m: &str| {
        let base = m
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match media {
            RequestMedia::Json(Some(exact)) => m == exact,
            RequestMedia::Json(None) => crate::ir::is_json(&base),
            RequestMedia::Form(_) => base == "application/x-www-form-urlencoded",
            RequestMedia::Multipart => base == "multipart/form-data",
            RequestMedia::Text => base.starts_with("text/"),
            RequestMedia::Binary(exact) => m == exact,
        }
    };
    let (mt, content) = r
        .value
        .content
        .iter()
        .find(|(m, _)| fits(m))
        .ok_or("the media type the client sends is not in the spec")?;
    let key = format!("{}/body", op.pointer);
    let schema_at = r.pointer.join("content").join(mt).join("schema");
    match (&content.schema, ty) {
        // A binary body whose schema says what its bytes spell (Spotify's cover image:
        // `image/jpeg` of `{type: string, format: byte}`, base64 text): a sample of the schema,
        // whose text the driver sends as the bytes.
        (Some(schema), TypeRef::Upload) if bytes_are_text(resolver, schema, &schema_at) => {
            Ok(generator
                .one(schema, &schema_at, &key, 0, Direction::Request, Fill::All)?
                .value)
        }
        (_, TypeRef::Upload) | (None, TypeRef::String) => {
            Ok(Value::String("hello from forge".into()))
        }
        (None, _) => Ok(Value::Object(Default::default())),
        (Some(schema), _) => {
            let at = schema_at;
            let schema = match media {
                RequestMedia::Form(_) | RequestMedia::Multipart => {
                    Cow::Owned(non_empty_required_arrays(resolver, schema, &at))
                }
                RequestMedia::Text => text_body_schema(resolver, schema, &at),
                _ => Cow::Borrowed(schema),
            };
            let value = generator
                .one(&schema, &at, &key, 0, Direction::Request, Fill::All)?
                .value;
            Ok(match (media, value) {
                // A text body carries a scalar as its text (`54`, `true`).
                (RequestMedia::Text, v @ (Value::Number(_) | Value::Bool(_))) => {
                    Value::String(v.to_string())
                }
                (_, v) => v,
            })
        }
    }
}

/// A binary body's schema constrains the text of its bytes: a string of `format: byte`
/// (base64), a `pattern` or an `enum`. `format: binary` and a bare string constrain nothing.
fn bytes_are_text(resolver: &Resolver<'_>, schema: &Schema, at: &Pointer) -> bool {
    resolver.follow(Cow::Borrowed(schema), at).is_ok_and(|s| {
        let s = s.value;
        s.type_names().iter().any(|t| t == "string")
            && (s.format.as_deref() == Some("byte")
                || s.pattern.is_some()
                || s.enum_values.is_some())
    })
}

/// A text body's schema, read as a string where it declares no type (orthanc's
/// `text/plain` bodies with only a description): a text body is text, and the client sends
/// it as a `String`.
fn text_body_schema<'s>(
    resolver: &Resolver<'_>,
    schema: &'s Schema,
    at: &Pointer,
) -> Cow<'s, Schema> {
    let Ok(resolved) = resolver.follow(Cow::Borrowed(schema), at) else {
        return Cow::Borrowed(schema);
    };
    if !resolved.value.type_names().is_empty() || !resolved.value.is_annotation_only() {
        return Cow::Borrowed(schema);
    }
    let mut typed = resolved.value.into_owned();
    typed.types = Some(crate::openapi::SchemaType(vec!["string".to_owned()]));
    Cow::Owned(typed)
}

/// A form or multipart body's schema with `minItems: 1` on its required array properties: an
/// empty array is no field at all in those encodings, so the property would go missing
/// (mercure's required `topic`).
fn non_empty_required_arrays(resolver: &Resolver<'_>, schema: &Schema, at: &Pointer) -> Schema {
    let Ok(resolved) = resolver.follow(Cow::Borrowed(schema), at) else {
        return schema.clone();
    };
    let mut notes = Vec::new();
    let mut flat =
        crate::samples::merge::flatten(resolver, &resolved.value, &resolved.pointer, &mut notes);
    let required = flat.required.clone();
    if let Some(properties) = flat.properties.as_mut() {
        for (name, property) in properties.iter_mut() {
            if required.contains(name) {
                let property_at = resolved.pointer.join("properties").join(name);
                *property = non_empty_array(resolver, property, property_at).0;
            }
        }
    }
    flat
}

fn events(
    api: &Api,
    resolver: &Resolver<'_>,
    generator: &Generator<'_>,
    op: &ir::Operation,
    stream: &ir::Stream,
) -> Vec<EventEntry> {
    let name = if stream.otherwise == EventAction::Yield {
        None
    } else {
        stream
            .events
            .iter()
            .find(|(_, a)| *a == EventAction::Yield)
            .map(|(n, _)| n.clone())
    };
    let pointer = match &stream.item {
        TypeRef::Named(id) => schema_pointer(resolver, &api.ty(*id).pointer),
        _ => None,
    };
    let values: Vec<Value> = match pointer {
        Some(p) => generator
            .samples(&p, Direction::Response)
            .samples
            .into_iter()
            .map(|s| s.value)
            .take(EVENTS)
            .collect(),
        None => {
            let key = format!("{}/events", op.pointer);
            (0..EVENTS as u64)
                .filter_map(|k| {
                    generator
                        .one(
                            &Schema::default(),
                            &Pointer::root(),
                            &key,
                            k,
                            Direction::Response,
                            Fill::Random,
                        )
                        .ok()
                        .map(|s| s.value)
                })
                .collect()
        }
    };
    values
        .into_iter()
        .map(|data| EventEntry {
            event: name.clone(),
            data,
        })
        .collect()
}
