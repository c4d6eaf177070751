//! The `example`/`examples` values a spec gives for a schema: on the schema itself (3.0
//! `example`, 3.1 `examples` list) and on every media type whose schema it is.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use crate::openapi::{MediaType, Pointer, Resolver, Schema};

/// Media-type examples, by the canonical pointer of the schema they illustrate.
#[derive(Debug, Default)]
pub struct MediaExamples(HashMap<Pointer, Vec<(Value, String)>>);

impl MediaExamples {
    /// Every request body and response media type of every operation.
    pub fn collect(resolver: &Resolver<'_>) -> Self {
        let mut out = MediaExamples::default();
        let doc = resolver.doc();
        let paths = Pointer::root().join("paths");
        for (path, item) in &doc.paths {
            let item_at = paths.join(path);
            for (method, op) in item.operations() {
                let op_at = item_at.join(method.key());
                if let Some(body) = &op.request_body {
                    if let Ok(r) = resolver.follow(Cow::Borrowed(body), &op_at.join("requestBody"))
                    {
                        out.media(resolver, &r.value.content, &r.pointer.join("content"));
                    }
                }
                for (status, response) in &op.responses {
                    let at = op_at.join("responses").join(status);
                    if let Ok(r) = resolver.follow(Cow::Borrowed(response), &at) {
                        out.media(resolver, &r.value.content, &r.pointer.join("content"));
                    }
                }
            }
        }
        out
    }

    fn media(
        &mut self,
        resolver: &Resolver<'_>,
        content: &indexmap::IndexMap<String, MediaType>,
        at: &Pointer,
    ) {
        for (name, media) in content {
            let Some(schema) = &media.schema else {
                continue;
            };
            // An XML or text example is written in that syntax: it says nothing about the JSON
            // value (`<response>...</response>` beside `application/json` for the same schema).
            let base = name
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if !(base == "application/json" || base.ends_with("+json") || base == "*/*") {
                continue;
            }
            let media_at = at.join(name);
            let schema_at = match &schema.reference {
                Some(r) => match resolver.pointer(r, media_at.as_str()) {
                    Ok(p) => p,
                    Err(_) => continue,
                },
                None => media_at.join("schema"),
            };
            let entry = self.0.entry(schema_at).or_default();
            if let Some(v) = &media.example {
                entry.push((
                    v.clone(),
                    format!("example at {}", media_at.join("example")),
                ));
            }
            for (key, example) in media.examples.iter().flatten() {
                let example_at = media_at.join("examples").join(key);
                let example = match example.get("$ref").and_then(Value::as_str) {
                    Some(r) => match Pointer::parse(r).and_then(|p| resolver.raw_at(&p)) {
                        Some(v) => v,
                        None => continue,
                    },
                    None => example,
                };
                if let Some(v) = example.get("value") {
                    entry.push((v.clone(), format!("example at {example_at}/value")));
                }
            }
        }
    }

    /// The examples for a schema: its own, then its media types'.
    pub fn for_schema(&self, schema: &Schema, at: &Pointer) -> Vec<(Value, String)> {
        let mut out = Vec::new();
        if let Some(v) = &schema.example {
            out.push((v.clone(), format!("example at {at}/example")));
        }
        match &schema.examples {
            Some(Value::Array(list)) => {
                for (i, v) in list.iter().enumerate() {
                    out.push((v.clone(), format!("example at {at}/examples/{i}")));
                }
            }
            // 3.0 has no schema `examples`; a map there is a spec mistake, read as named values.
            Some(Value::Object(map)) => {
                for (k, v) in map {
                    let v = v.get("value").unwrap_or(v);
                    out.push((
                        v.clone(),
                        format!("example at {}", at.join("examples").join(k)),
                    ));
                }
            }
            _ => {}
        }
        if let Some(more) = self.0.get(at) {
            out.extend(more.iter().cloned());
        }
        out
    }
}
