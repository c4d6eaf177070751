//! Why a call or a round trip failed, as a cause shared by every failure of the same kind, and
//! whose fault it is: Prism's, the spec's, a construct that cannot round-trip, or (until shown
//! otherwise) ours.

use serde_json::Value;

use super::results::{Call, RoundTrip};

#[path = "triage_signs.rs"]
mod signs;
use signs::*;

/// Whose fault a failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Owner {
    /// The generator or runtime, until shown otherwise.
    Ours,
    /// Prism is wrong (see "Prism's faults" in CONFORMANCE.md).
    Prism,
    /// The spec contradicts itself (an example outside its schema, ...).
    Spec,
    /// A construct that cannot round-trip by design.
    Construct,
}

impl Owner {
    /// The word in the report.
    pub fn word(self) -> &'static str {
        match self {
            Owner::Ours => "ours",
            Owner::Prism => "Prism",
            Owner::Spec => "spec",
            Owner::Construct => "construct",
        }
    }
}

/// A failure's cause: its owner and a key that is the same for every failure of the kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cause {
    /// Whose fault.
    pub owner: Owner,
    /// `wire: 422 ...` or `round trip: ...`, with names and numbers taken out.
    pub key: String,
}

/// The media types an operation declares in the spec.
#[derive(Debug, Clone, Default)]
pub struct Media {
    /// Of its success responses.
    pub success: Vec<String>,
    /// Of its request body.
    pub request: Vec<String>,
    /// The spec's property and parameter names whose `enum` contradicts their `type` (strings
    /// listed for an array or an integer): no value satisfies both.
    pub bad_enums: Vec<String>,
    /// It declares a 3xx response.
    pub redirects: bool,
    /// The spec's `enum`s that sit beside an `allOf`, each as its string values: Prism makes
    /// values of the `allOf` alone (Discord's install-params scopes).
    pub enums_beside_all_of: Vec<Vec<String>>,
    /// The names its form or multipart body requires without declaring them as properties
    /// (box's `grant_type`).
    pub form_undeclared_required: Vec<String>,
    /// Its query parameters that are objects or arrays of objects (not `deepObject`), whose
    /// form serialization OpenAPI leaves undefined (mastodon's `timeline`).
    pub object_query_params: Vec<String>,
    /// The spec's `type: number` (or `integer`) properties with a `pattern`, which Prism
    /// fills with strings (tl-api's `price`).
    pub number_patterns: Vec<String>,
}

/// The cause of a failed call, `None` when it passed; `declared` is what the spec says of it.
pub fn call(c: &Call, declared: &Media) -> Option<Cause> {
    if c.ok() {
        return None;
    }
    let message = c.error.as_deref().unwrap_or("");
    let (owner, key) = if c.path.contains('?') && c.status == Some(404) {
        (
            Owner::Prism,
            "Prism cannot route a path key that holds a query string (`/x?beta=true`)".to_owned(),
        )
    } else if c.path.contains('?') && !c.accepted() && !violations(c).is_empty() {
        (
            Owner::Prism,
            "Prism routes a path key that holds a query string (`/v1/messages?beta=true`) to the operation at the bare path (`POST /v1/messages`) and refuses the request by that one's schema (anthropic's beta fields: \"must NOT have additional properties\")".to_owned(),
        )
    } else if c.method.eq_ignore_ascii_case("HEAD")
        && c.status == Some(500)
        && message.is_empty()
        && c.violations.is_none()
    {
        (
            Owner::Prism,
            "Prism fails on a HEAD whose response declares a `Content-Type` header (`application/octet-stream`): \"Cannot find serializer\" in its log, a 500 without body on the wire".to_owned(),
        )
    } else if c.status == Some(406) && declared.success.iter().any(|m| m.trim() == "*/*") {
        (
            Owner::Prism,
            "Prism answers 406 to `Accept: application/json` when the response is declared `*/*`"
                .to_owned(),
        )
    } else if c.path.contains('#') {
        (
            Owner::Spec,
            "a path key with a fragment (`/schema#add`): the fragment is never sent, so on the wire the call is another operation's, and Prism routes and judges it as that one".to_owned(),
        )
    } else if form_array_refused(c, declared) {
        (
            Owner::Prism,
            "Prism reads no array from a form or multipart body (`topic=a&topic=b`, repeated parts)".to_owned(),
        )
    } else if form_field_read_as_string(c, declared) {
        (
            Owner::Prism,
            "Prism reads every form field and multipart part as a string, so an object, number or boolean field (box's `attributes`, sent as JSON text) is \"not an object\"".to_owned(),
        )
    } else if query_object_items(c) {
        (
            Owner::Prism,
            "Prism reads the items of an exploded query array as strings where the schema makes them objects (box's `mdfilters`), a serialization OpenAPI leaves undefined".to_owned(),
        )
    } else if form_undeclared_required(c, declared) {
        (
            Owner::Prism,
            "Prism keeps only the form fields its schema declares as properties, so a field listed only in `required` (box's `grant_type`) is always missing".to_owned(),
        )
    } else if object_query_required(c, declared) {
        (
            Owner::Spec,
            "a required query parameter whose items are objects (mastodon's `timeline`, described as a string enum), a serialization OpenAPI leaves undefined: an empty object sends no value, and Prism reads any other as a string".to_owned(),
        )
    } else if c.accepted() && string_for_a_patterned_number(c, declared) {
        (
            Owner::Prism,
            "Prism's dynamic response fills a `type: number` property that has a `pattern` with a string matching it (tl-api's `price`), and the client's number refuses it".to_owned(),
        )
    } else if let Some(why) = body_shape_against_media(c, declared) {
        (Owner::Spec, why.to_owned())
    } else if yaml_body_unread(c, declared) {
        (
            Owner::Prism,
            "Prism reads no YAML request body (`application/x-yaml`): every one is \"not an object\"".to_owned(),
        )
    } else if ignored_header_required(c) {
        (
            Owner::Prism,
            "Prism requires a header parameter OpenAPI says to ignore (`Content-Type` or `Accept` declared as a parameter)".to_owned(),
        )
    } else if let Some(name) = contradictory_enum(c, declared) {
        (
            Owner::Spec,
            format!("an `enum` that contradicts its `type` (`{name}`: strings listed for an array or an integer), so no value is valid"),
        )
    } else if declared
        .request
        .iter()
        .any(|m| m.eq_ignore_ascii_case("application/form-data"))
        && !c.accepted()
    {
        (
            Owner::Spec,
            "the request media type `application/form-data` does not exist (`multipart/form-data` is meant), so no body is one Prism can read".to_owned(),
        )
    } else if foreign_path_param(c, message) {
        (
            Owner::Prism,
            "Prism routes a concrete path to a templated one (`/v1/category-list.json` to `/v1/{id}.{output_format}`) and judges it by that one's parameters".to_owned(),
        )
    } else if c.status == Some(500) && message.contains("Tried to force a dynamic response") {
        (
            Owner::Prism,
            "Prism cannot make a dynamic response for a media type declared without a schema"
                .to_owned(),
        )
    } else if c.status == Some(500) && message.contains("Cannot serialise complex objects as text")
    {
        (
            Owner::Prism,
            "Prism makes an object for a text response (a schema without `type`, or an object declared as `text/csv`) and cannot write it".to_owned(),
        )
    } else if c.accepted() && negative_for_unsigned(message) {
        (
            Owner::Prism,
            "Prism's dynamic response gives a negative number for `format: uint64` (or `uint32`), a format it ignores".to_owned(),
        )
    } else if c.accepted() && unknown_variant_of_enum_beside_all_of(message, declared) {
        (
            Owner::Prism,
            "Prism's dynamic response ignores an `enum` beside `allOf` and sends a value the `allOf` allows but the `enum` does not (Discord's `scopes`)".to_owned(),
        )
    } else if c.status == Some(500) && message.contains("Cannot find serializer for") {
        (
            Owner::Prism,
            "Prism has no serializer for the response media type (`application/x-jsonl`)"
                .to_owned(),
        )
    } else if c.status == Some(500) && prism_internal_error(message) {
        (
            Owner::Prism,
            "Prism failed inside while making a response (its faker, json-schema-faker, threw: `Prop not found`, `Cannot read properties of undefined`): a 500 of Prism's own error type, not one the spec declares".to_owned(),
        )
    } else if !c.accepted() && byte_body_for_a_binary_type(c, declared) {
        (
            Owner::Spec,
            "a binary request body (`application/octet-stream`) declared `format: byte`, which is base64 text, where the spec's description means the file's own bytes (xero's attachments); the client sends the bytes".to_owned(),
        )
    } else if declared.redirects
        && c.status.is_some_and(|s| (400..500).contains(&s))
        && (c.error.as_deref().is_some_and(|e| {
            e.contains("NO_PATH_MATCHED_ERROR") || e.contains("UNPROCESSABLE_ENTITY")
        }) || violations(c).iter().any(|v| v["location"][0] == "request"))
    {
        (
            Owner::Prism,
            "Prism's redirect points at a made-up `Location` (`culpa ea ex`), which the client follows to a route that does not exist".to_owned(),
        )
    } else if c.status.is_some_and(|s| (300..400).contains(&s)) {
        (
            Owner::Construct,
            "a redirect (3xx) the spec declares as the answer: the client returns it as `Error::Api` with its status, `Location` and body, not decoded".to_owned(),
        )
    } else if adjacent_path_params(c) {
        (
            Owner::Prism,
            "Prism cannot split adjacent path parameters (`/profiles/{id}{mediaTypeExtension}` for `/profiles/et.json`)".to_owned(),
        )
    } else if c.accepted() && response_violates_spec(c) {
        (
            Owner::Prism,
            "Prism's dynamic response violates the spec by Prism's own validation (`sl-violations` at the response body), and does not decode".to_owned(),
        )
    } else if !c.success_declared && !c.accepted() && c.status.is_some() {
        (
            Owner::Spec,
            "the spec declares no success response, so the mock can only answer with an error status".to_owned(),
        )
    } else if c.status.is_none()
        && c.target == "prism"
        && (message.starts_with("request timed out") || message.starts_with("connection error"))
    {
        (
            Owner::Prism,
            "Prism did not answer: it hung (evetech.net), crashed (truora.com's `PDF`) or would not start (github.json: it fetches a `$ref` found inside an example)".to_owned(),
        )
    } else if message.starts_with("no sample") && message.contains("admits no value") {
        (
            Owner::Spec,
            "the spec's schema for a required argument admits no value (an `enum` none of whose values is of its `type`, a required key that `additionalProperties: false` forbids)".to_owned(),
        )
    } else if message.starts_with("no sample") && message.contains("branches overlap") {
        (
            Owner::Spec,
            "the spec's `oneOf` branches overlap (properties alike, extra keys allowed: portfoliooptimizer's bodies differ by one optional key), so every value it describes matches two branches, which `oneOf` refuses".to_owned(),
        )
    } else if message.starts_with("argument:") || message.starts_with("no sample") {
        (Owner::Ours, format!("argument: {}", shape(message)))
    } else if let Some(status) = c.status {
        if c.accepted() {
            (
                Owner::Ours,
                format!(
                    "response does not decode: {}",
                    shape(decode_reason(message))
                ),
            )
        } else {
            (Owner::Ours, format!("{status}: {}", prism_reason(message)))
        }
    } else {
        (Owner::Ours, format!("no response: {}", shape(message)))
    };
    Some(Cause {
        owner,
        key: format!(
            "{}: {key}",
            if c.target == "sse" { "stream" } else { "wire" }
        ),
    })
}

/// The cause of a round trip that was not `ok`.
pub fn round_trip(t: &RoundTrip) -> Option<Cause> {
    let key = match t.outcome.as_str() {
        "ok" => return None,
        "lossy" => format!(
            "lossy: re-encoded {} where the sample has {}",
            kind(t.got.as_ref()),
            kind(
                t.at.as_deref()
                    .and_then(|at| at_pointer(t.sample.as_ref()?, at))
            )
        ),
        _ => format!(
            "does not decode: {}",
            shape(t.error.as_deref().unwrap_or(""))
        ),
    };
    let got_bytes = t
        .got
        .as_ref()
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().all(Value::is_u64));
    let sample_text =
        t.at.as_deref()
            .and_then(|at| at_pointer(t.sample.as_ref()?, at))
            .is_some_and(Value::is_string);
    // A string of a generated sample written back as another string: only a constant does that
    // (a discriminator variant's tag pinned to its mapping value, read leniently outside
    // `strict`); open enums keep what they read and closed ones refuse it.
    let pinned_tag = t.outcome == "lossy"
        && t.source.starts_with("generated")
        && sample_text
        && t.got.as_ref().is_some_and(Value::is_string);
    if pinned_tag {
        return Some(Cause {
            owner: Owner::Construct,
            key: "round trip: a discriminator variant's tag is the constant of its mapping (jira's `type: option.cascading`); a sample of the struct alone with another tag is read leniently and written back with the constant (the `strict` feature refuses it)".to_owned(),
        });
    }
    if t.outcome == "lossy" && got_bytes && sample_text {
        return Some(Cause {
            owner: Owner::Construct,
            key: "round trip: `format: binary` in a JSON value is a file (`forge_runtime::Upload`), not UTF-8, so written as a byte array: OpenAPI 3.0 gives binary no JSON encoding".to_owned(),
        });
    }
    let owner = if t.source.starts_with("example") {
        // An example the generated type refuses is first suspected of breaking its own schema.
        Owner::Spec
    } else {
        Owner::Ours
    };
    Some(Cause {
        owner,
        key: format!(
            "round trip ({}): {key}",
            if owner == Owner::Spec {
                "spec example"
            } else {
                "generated sample"
            }
        ),
    })
}

/// A 4xx whose first violation is a path parameter the operation's template does not have:
/// Prism's `sl-violations` header reports an error in the response body it made itself
/// (redirection.io's recursive `Crawl`: a required property missing deep inside), so a decode
/// failure is Prism's answer being wrong, not the client.
fn response_violates_spec(c: &Call) -> bool {
    let Some(text) = &c.violations else {
        return false;
    };
    parse_violations(text).iter().any(|v| {
        let at: Vec<&str> = v["location"]
            .as_array()
            .map(|l| l.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        at.starts_with(&["response", "body"]) && v["severity"] == "Error"
    })
}

/// Prism matched the request to another path.
fn foreign_path_param(c: &Call, body: &str) -> bool {
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return false;
    };
    let location = v
        .get("validation")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|e| e.get("location"))
        .and_then(Value::as_array);
    match location.map(Vec::as_slice) {
        Some([Value::String(kind), Value::String(name), ..]) if kind == "path" => {
            !c.path.contains(&format!("{{{name}}}"))
        }
        _ => false,
    }
}

/// Prism refused the path of a template with two parameters side by side, which it does not
/// split even where one has an `enum` (see "Prism's faults").
fn adjacent_path_params(c: &Call) -> bool {
    c.path.contains("}{")
        && c.violations
            .as_deref()
            .is_some_and(|v| v.contains(r#""location":["request","path""#))
}

fn at_pointer<'v>(v: &'v Value, at: &str) -> Option<&'v Value> {
    if at == "/" {
        Some(v)
    } else {
        v.pointer(at)
    }
}

/// The JSON kind of a value, for cause keys.
fn kind(v: Option<&Value>) -> &'static str {
    match v {
        None => "nothing",
        Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "a boolean",
        Some(Value::Number(_)) => "a number",
        Some(Value::String(_)) => "a string",
        Some(Value::Array(_)) => "an array",
        Some(Value::Object(_)) => "an object",
    }
}

/// The validation message of Prism's problem document, shaped.
fn prism_reason(body: &str) -> String {
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return shape(body);
    };
    let title = v.get("title").and_then(Value::as_str).unwrap_or("");
    let first = v
        .get("validation")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .map(|e| {
            format!(
                "{} {}",
                e.get("location").map(|l| l.to_string()).unwrap_or_default(),
                e.get("message").and_then(Value::as_str).unwrap_or("")
            )
        });
    shape(&match first {
        Some(f) => format!("{title}: {f}"),
        None => title.to_owned(),
    })
}

fn decode_reason(message: &str) -> &str {
    message
        .strip_prefix("decode: ")
        .and_then(|m| m.split("; body:").next())
        .unwrap_or(message)
}

/// Text with names and numbers taken out, so one kind of failure has one key.
pub fn shape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' | '"' => {
                out.push_str("`_`");
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                }
            }
            '0'..='9' => {
                while chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                    chars.next();
                }
                out.push('N');
            }
            _ => out.push(c),
        }
    }
    let out = out
        .split(" at line ")
        .next()
        .unwrap_or("")
        .trim()
        .to_owned();
    out.chars().take(160).collect()
}

#[cfg(test)]
#[path = "triage_tests.rs"]
mod tests;
