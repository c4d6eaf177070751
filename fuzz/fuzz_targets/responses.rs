//! Response and error-envelope decoding as the runtime does it, on arbitrary status codes,
//! headers and bodies.
//!
//! Input layout (see `fuzz/README.md`; `fuzz/seeds/responses/` shows it):
//!
//! - byte 0, bit 0: which test `ApiDescription` (0: request-id, should-retry and retry-after-ms
//!   headers named, API status kinds; 1: none of those);
//! - bytes 1-2: the status, little-endian, as `100 + v % 900` (every code `StatusCode` takes);
//! - byte 3: the number of headers (mod 8), then per header a name byte (one of [`NAMES`], mod),
//!   a little-endian `u16` length and that many value bytes (a value `HeaderValue` refuses is left out; bytes
//!   0x80-0xFF are kept, so a `request-id` may be invalid UTF-8);
//! - the rest: the body.
//!
//! Checked, beyond "no panic":
//!
//! 1. `ApiError::from_response(status, headers, body, &DESCRIPTION)`, for a typed envelope of
//!    this file (`constant!`, `open_enum!`, flattened extras), the generated crate's
//!    `ErrorResponse`, and `serde_json::Value`: the envelope is the body decoded as `E` (none for
//!    an empty body); the message is the envelope's if not empty, else the trimmed body text,
//!    else the status reason (never empty); the request id is the header's (if UTF-8 and not
//!    empty), else the envelope's; the kind follows the HTTP table and the API's own statuses;
//!    `is_retryable` follows `x-should-retry`, then 408/409/429/5xx; status, headers and body are
//!    kept as they came; `Error::from` it agrees on status, request id and retryability.
//! 2. `Display` of every error built (`ApiError`, `Error::Api`, `Error::Decode`) is one line (no
//!    `\n`, `\r`, VT, FF, NEL, U+2028, U+2029) and at most [`DISPLAY_MAX`] characters.
//! 3. A 2xx body decoded the way `send_json` does (`serde_json::from_slice::<T>`) into the
//!    generated `Completion`, a test type using `object!`, `constant!`,
//!    `open_enum!`, a closed enum, a `deny_unknown_fields` object and an untagged union
//!    over `wire::matches_consts` (as the generator emits it), and `Value`: a value that decodes
//!    re-encodes to JSON that decodes to the same value (floats within an ulp or two: serde_json's
//!    default float parsing is best-effort), a union variant always carries its tags, absent / null
//!    / value stay three states; a body that does not decode makes an `Error::Decode` as the
//!    runtime does.
//! 4. `wire::deserialize_const` on the body, strict and loose, for each kind of `Const`: strict
//!    accepts exactly the values `Const::matches_value` and `wire::matches_consts(v, &[("", c)])`
//!    accept; loose also any other value of the constant's JSON type, never one of another type
//!    nor a body that is not JSON.
//! 5. `link_next` on the `link` headers (and on the body, when it is a valid header value): a
//!    result is the target of one of them, a well-formed `rel="next"` header after them is found
//!    when they have none, and one before them always wins.
//!
//! `retry-after` / `retry-after-ms` are sent too, but the runtime's parser for them
//! (`retry::server_delay`) is crate-private, so only `is_retryable` is observable here.
#![no_main]

use std::borrow::Cow;
use std::collections::BTreeMap;

use forge_runtime::wire::{self, Const};
use forge_runtime::{
    link_next, Api, ApiDescription, ApiError, ApiErrorKind, Bytes, Client, EnvNames, Error,
    ErrorEnvelope, HeaderMap, HeaderValue, RetryHeaders, StatusCode,
};
use libfuzzer_sys::fuzz_target;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// The longest `Display` line accepted, in characters: the runtime cuts the message at 300, the
/// error type at 100, the request id at 200 and a source chain at 500; the rest is the status,
/// its reason and fixed words.
const DISPLAY_MAX: usize = 1024;

const NAMES: [&str; 8] = [
    "request-id",
    "x-should-retry",
    "retry-after",
    "retry-after-ms",
    "link",
    "content-type",
    "x-request-id",
    "request-id",
];

// ---------------------------------------------------------------------------------------------
// The test API.
// ---------------------------------------------------------------------------------------------

static DESCRIPTION: ApiDescription = ApiDescription {
    client_name: "Fuzz",
    crate_version: "0.0.0",
    default_base_url: "https://api.example.com",
    auth: &[],
    auth_required: false,
    default_headers: &[],
    retry_count_header: Some("x-retry-count"),
    request_id_header: Some("request-id"),
    idempotency_header: None,
    retry: RetryHeaders {
        should_retry: Some("x-should-retry"),
        retry_after_ms: Some("retry-after-ms"),
    },
    status_kinds: &[
        (529, ApiErrorKind::Overloaded),
        (418, ApiErrorKind::Conflict),
        (404, ApiErrorKind::Other),
        (200, ApiErrorKind::BadRequest),
    ],
    env: EnvNames {
        base_url: None,
        custom_headers: None,
    },
};

/// An API that names none of the optional headers.
static BARE: ApiDescription = ApiDescription {
    client_name: "Bare",
    crate_version: "0.0.0",
    default_base_url: "",
    auth: &[],
    auth_required: false,
    default_headers: &[],
    retry_count_header: None,
    request_id_header: None,
    idempotency_header: None,
    retry: RetryHeaders {
        should_retry: None,
        retry_after_ms: None,
    },
    status_kinds: &[],
    env: EnvNames {
        base_url: None,
        custom_headers: None,
    },
};

struct FuzzApi;

impl Api for FuzzApi {
    type Envelope = Envelope;
    const DESCRIPTION: &'static ApiDescription = &DESCRIPTION;
    fn from_client(_client: Client<Self>) -> Self {
        FuzzApi
    }
}

/// `{"type":"error","error":{"type":"…","message":"…"},"request_id":"req_…"}`, written the way
/// the generator writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Envelope {
    #[serde(default)]
    r#type: ErrorTag,
    error: ErrorObject,
    #[serde(default)]
    request_id: Option<String>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ErrorObject {
    r#type: ErrorKindName,
    message: String,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct ErrorTag;
forge_runtime::constant!(ErrorTag, str "error");

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
struct ErrorKindName(Cow<'static, str>);
forge_runtime::open_enum!(ErrorKindName);

impl ErrorEnvelope for Envelope {
    type ErrorType = ErrorKindName;
    fn error_type(&self) -> Option<ErrorKindName> {
        Some(self.error.r#type.clone())
    }
    fn message(&self) -> Option<&str> {
        Some(&self.error.message)
    }
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

// ---------------------------------------------------------------------------------------------
// A response type using every wire helper.
// ---------------------------------------------------------------------------------------------

forge_runtime::object! {
    #[derive(Debug, Clone, PartialEq)]
    struct Thing {
        #[key("type", defaulted)]
        r#type: ThingTag,
        #[key("note", nullable)]
        note: Option<Option<String>>,
        #[key("count", nullable)]
        count: Option<Option<u32>>,
        #[key("level", optional)]
        level: Option<Level>,
        #[key("kind", optional)]
        kind: Option<ErrorKindName>,
        #[key("ratio", optional)]
        ratio: Option<f64>,
        #[key("version", optional)]
        version: Option<Version>,
        #[key("on", optional)]
        on: Option<OnFlag>,
        #[key("closed", optional)]
        closed: Option<Closed>,
        #[key("shape", optional)]
        shape: Option<Shape>,
        #[other_keys]
        extra: BTreeMap<String, Value>,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct ThingTag;
forge_runtime::constant!(ThingTag, str "thing");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Version;
forge_runtime::constant!(Version, u64 2);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct OnFlag;
forge_runtime::constant!(OnFlag, bool true);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Level {
    Low,
    High,
}

/// `additionalProperties: false`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Closed {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    size: Option<i64>,
}

/// An untagged union as the generator emits it: a variant is tried only when the value carries
/// its constant tags.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
enum Shape {
    Circle(Circle),
    Square(Square),
    Deleted(DeletedSquare),
}

const CIRCLE_TAGS: &[(&str, Const)] = &[("/type", Const::Str("circle"))];
const SQUARE_TAGS: &[(&str, Const)] = &[("/type", Const::Str("square"))];
const DELETED_TAGS: &[(&str, Const)] = &[
    ("/type", Const::Str("square")),
    ("/deleted", Const::Bool(true)),
];

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        if wire::matches_consts(&value, CIRCLE_TAGS) {
            if let Ok(v) = Circle::deserialize(&value) {
                return Ok(Shape::Circle(v));
            }
        }
        if wire::matches_consts(&value, SQUARE_TAGS) {
            if let Ok(v) = Square::deserialize(&value) {
                return Ok(Shape::Square(v));
            }
        }
        if wire::matches_consts(&value, DELETED_TAGS) {
            if let Ok(v) = DeletedSquare::deserialize(&value) {
                return Ok(Shape::Deleted(v));
            }
        }
        Err(serde::de::Error::custom(
            "data did not match any variant of untagged enum Shape",
        ))
    }
}

impl Shape {
    fn tags(&self) -> &'static [(&'static str, Const)] {
        match self {
            Shape::Circle(_) => CIRCLE_TAGS,
            Shape::Square(_) => SQUARE_TAGS,
            Shape::Deleted(_) => DELETED_TAGS,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Circle {
    #[serde(default)]
    r#type: CircleTag,
    radius: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Square {
    #[serde(default)]
    r#type: SquareTag,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    side: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct DeletedSquare {
    #[serde(default)]
    r#type: SquareTag,
    deleted: DeletedTag,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct CircleTag;
forge_runtime::constant!(CircleTag, str "circle");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct SquareTag;
forge_runtime::constant!(SquareTag, str "square");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct DeletedTag;
forge_runtime::constant!(DeletedTag, bool true);

/// A value read with `wire::deserialize_const(d, C, STRICT)`.
struct ConstOf<const STRICT: bool, const C: usize>;

const CONSTS: [Const; 8] = [
    Const::Str("completion"),
    Const::Str(""),
    Const::Int(-1),
    Const::Uint(2),
    Const::Float(2.5),
    Const::Float(0.0),
    Const::Bool(true),
    Const::Null,
];

impl<'de, const STRICT: bool, const C: usize> Deserialize<'de> for ConstOf<STRICT, C> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        wire::deserialize_const(d, CONSTS[C], STRICT).map(|()| ConstOf)
    }
}

// ---------------------------------------------------------------------------------------------
// Checks.
// ---------------------------------------------------------------------------------------------

const LINE_BREAKS: [char; 7] = [
    '\n', '\r', '\u{0b}', '\u{0c}', '\u{85}', '\u{2028}', '\u{2029}',
];

/// `Display` is one line and bounded, whatever text the server sent.
fn check_display(text: &str, what: &str) {
    let shown = &text[..text.floor_char_boundary(400)];
    assert!(
        !text.contains(LINE_BREAKS),
        "{what}: Display is more than one line: {shown:?}"
    );
    let chars = text.chars().count();
    assert!(
        chars <= DISPLAY_MAX,
        "{what}: Display is {chars} characters, more than {DISPLAY_MAX}: {shown:?}…"
    );
}

fn expected_kind(status: StatusCode, api: &ApiDescription) -> ApiErrorKind {
    if let Some((_, kind)) = api.status_kinds.iter().find(|(c, _)| *c == status.as_u16()) {
        return *kind;
    }
    match status.as_u16() {
        400 => ApiErrorKind::BadRequest,
        401 => ApiErrorKind::Authentication,
        403 => ApiErrorKind::PermissionDenied,
        404 => ApiErrorKind::NotFound,
        409 => ApiErrorKind::Conflict,
        413 => ApiErrorKind::RequestTooLarge,
        422 => ApiErrorKind::UnprocessableEntity,
        429 => ApiErrorKind::RateLimit,
        s if s >= 500 => ApiErrorKind::InternalServer,
        _ => ApiErrorKind::Other,
    }
}

fn expected_retryable(status: StatusCode, headers: &HeaderMap, api: &ApiDescription) -> bool {
    let hint = api
        .retry
        .should_retry
        .and_then(|name| headers.get(name))
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    match hint {
        Some(v) if v.eq_ignore_ascii_case("true") => true,
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        _ => matches!(status.as_u16(), 408 | 409 | 429) || status.as_u16() >= 500,
    }
}

fn header_request_id(headers: &HeaderMap, api: &ApiDescription) -> Option<String> {
    api.request_id_header
        .and_then(|name| headers.get(name))
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

fn check_api_error<E: ErrorEnvelope + PartialEq>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &Bytes,
    api: &ApiDescription,
    what: &str,
) {
    let envelope: Option<E> = if body.is_empty() {
        None
    } else {
        serde_json::from_slice(body).ok()
    };
    let e: ApiError<E> = ApiError::from_response(status, headers.clone(), body.clone(), api);

    assert_eq!(e.status(), status, "{what}: status");
    assert_eq!(e.headers(), headers, "{what}: headers");
    assert_eq!(e.body(), body, "{what}: body");
    assert!(!e.is_stream_event(), "{what}: stream event");
    assert_eq!(e.envelope(), envelope.as_ref(), "{what}: envelope");
    assert_eq!(
        e.error_type().map(|t| t.to_string()),
        envelope
            .as_ref()
            .and_then(|v| v.error_type())
            .map(|t| t.to_string()),
        "{what}: error type"
    );
    let message = envelope
        .as_ref()
        .and_then(|v| v.message())
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
        .or_else(|| {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            (!text.is_empty()).then(|| text.to_owned())
        })
        .unwrap_or_else(|| match status.canonical_reason() {
            Some(reason) => reason.to_owned(),
            None => format!("HTTP status {}", status.as_u16()),
        });
    assert_eq!(e.message(), message, "{what}: message");
    assert!(!e.message().is_empty(), "{what}: empty message");
    let request_id = header_request_id(headers, api).or_else(|| {
        envelope
            .as_ref()
            .and_then(|v| v.request_id())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    });
    assert_eq!(e.request_id(), request_id.as_deref(), "{what}: request id");
    assert_eq!(e.kind(), expected_kind(status, api), "{what}: kind");
    assert_eq!(
        e.kind(),
        ApiErrorKind::for_status(status, api.status_kinds),
        "{what}: for_status"
    );
    assert_eq!(
        e.is_retryable(),
        expected_retryable(status, headers, api),
        "{what}: retryable"
    );

    let text = e.to_string();
    check_display(&text, what);
    assert!(
        text.starts_with(&status.as_u16().to_string()),
        "{what}: Display starts {text:?}"
    );

    let err: Error<E> = Error::from(e.clone());
    assert_eq!(
        err.to_string(),
        text,
        "{what}: Error::Api displays like its ApiError"
    );
    assert_eq!(err.status(), Some(status));
    assert_eq!(err.request_id(), e.request_id());
    assert_eq!(err.is_retryable(), e.is_retryable());
    assert!(err.api_error().is_some());
    assert!(std::error::Error::source(&err).is_some());
}

/// Floats compare within a few ulps (serde_json's default float parsing is best-effort).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            if x == y {
                return true;
            }
            match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) => (x - y).abs() <= 4.0 * f64::EPSILON * x.abs().max(y.abs()),
                _ => false,
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Decode as the runtime's `send_json` does; a value re-encodes to JSON that decodes the same.
fn check_decode<T, E>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &Bytes,
    api: &ApiDescription,
    what: &str,
) -> Option<T>
where
    T: serde::de::DeserializeOwned + Serialize,
    E: ErrorEnvelope,
{
    match serde_json::from_slice::<T>(body) {
        Ok(value) => {
            let text = serde_json::to_string(&value).expect("a decoded value encodes");
            let again: T = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{what}: re-encoded {text:?} does not decode: {e}"));
            let (a, b) = (
                serde_json::to_value(&value).unwrap(),
                serde_json::to_value(&again).unwrap(),
            );
            assert!(same(&a, &b), "{what}: round trip changed {a} into {b}");
            Some(value)
        }
        Err(source) => {
            let request_id = header_request_id(headers, api);
            let err: Error<E> = Error::Decode {
                status,
                headers: Box::new(headers.clone()),
                body: body.clone(),
                request_id: request_id.clone(),
                source: Box::new(source),
            };
            assert_eq!(err.status(), Some(status));
            assert_eq!(err.request_id(), request_id.as_deref());
            assert!(!err.is_retryable());
            let text = err.to_string();
            // serde's messages quote keys and values (`unknown variant `…``) as they were decoded.
            check_display(&text, what);
            None
        }
    }
}

fn check_thing(thing: &Thing, value: Option<&Value>) {
    let Some(Value::Object(map)) = value else {
        return;
    };
    // absent / null / value stay three states.
    let three = |key: &str| match map.get(key) {
        None => 0,
        Some(Value::Null) => 1,
        Some(_) => 2,
    };
    let state = |o: Option<Option<()>>| match o {
        None => 0,
        Some(None) => 1,
        Some(Some(())) => 2,
    };
    assert_eq!(
        state(thing.note.as_ref().map(|o| o.as_ref().map(drop))),
        three("note"),
        "note"
    );
    assert_eq!(
        state(thing.count.map(|o| o.map(drop))),
        three("count"),
        "count"
    );
    if let Some(Some(note)) = &thing.note {
        assert_eq!(map.get("note").and_then(Value::as_str), Some(note.as_str()));
    }
    if let Some(shape) = &thing.shape {
        let raw = map.get("shape").expect("a shape came from somewhere");
        assert!(
            wire::matches_consts(raw, shape.tags()),
            "union picked {shape:?} for {raw} without its tags"
        );
        let encoded = serde_json::to_value(shape).unwrap();
        assert!(
            wire::matches_consts(&encoded, shape.tags()),
            "{shape:?} encodes without its tags: {encoded}"
        );
    }
}

/// Whether a JSON value is of the constant's JSON type (string, number, boolean, null).
fn same_kind(c: Const, v: &Value) -> bool {
    matches!(
        (c, v),
        (Const::Str(_), Value::String(_))
            | (Const::Bool(_), Value::Bool(_))
            | (Const::Null, Value::Null)
            | (
                Const::Int(_) | Const::Uint(_) | Const::Float(_),
                Value::Number(_)
            )
    )
}

fn check_consts<const C: usize>(body: &[u8], value: Option<&Value>) {
    let c = CONSTS[C];
    let loose = serde_json::from_slice::<ConstOf<false, C>>(body).is_ok();
    let strict = serde_json::from_slice::<ConstOf<true, C>>(body).is_ok();
    assert!(
        loose || !strict,
        "strict accepts what loose refuses ({c:?})"
    );
    let Some(v) = value else {
        assert!(
            !loose,
            "deserialize_const accepts a body that is not JSON ({c:?})"
        );
        return;
    };
    // Strict: exactly the constant. Loose: also another value of the same JSON type (a
    // server's new value), never a value of another type.
    let matches = c.matches_value(v);
    assert_eq!(
        strict, matches,
        "strict deserialize_const and matches_value disagree on {v} ({c:?})"
    );
    assert_eq!(
        loose,
        matches || same_kind(c, v),
        "loose deserialize_const on {v} ({c:?})"
    );
    assert_eq!(
        wire::matches_consts(v, &[("", c)]),
        matches,
        "matches_consts at \"\" on {v} ({c:?})"
    );
}

fn check_links(headers: &HeaderMap, body: &[u8]) {
    const NEXT: &str = "https://fuzz.example/next?page=2";
    let good = HeaderValue::from_str(&format!("<{NEXT}>; rel=\"next\"")).unwrap();
    let mut links: Vec<HeaderValue> = headers.get_all("link").iter().cloned().collect();
    if let Ok(v) = HeaderValue::from_bytes(body) {
        links.push(v);
    }
    let map = |values: &[HeaderValue]| {
        let mut m = HeaderMap::new();
        for v in values {
            m.append("link", v.clone());
        }
        m
    };
    let got = link_next(&map(&links));
    if let Some(target) = &got {
        let needle = format!("<{target}>");
        assert!(
            links
                .iter()
                .any(|v| v.to_str().is_ok_and(|s| s.contains(&needle))),
            "link_next gave {target:?}, the target of no link"
        );
    }
    let mut after = links.clone();
    after.push(good.clone());
    let got_after = link_next(&map(&after));
    match &got {
        Some(_) => assert_eq!(got_after, got, "a later header changed the answer"),
        None => assert_eq!(
            got_after.as_deref(),
            Some(NEXT),
            "a well-formed last link not found"
        ),
    }
    let mut before = vec![good];
    before.extend(links);
    assert_eq!(
        link_next(&map(&before)).as_deref(),
        Some(NEXT),
        "the first well-formed link lost"
    );
}

struct Input {
    api: &'static ApiDescription,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

fn input(data: &[u8]) -> Option<Input> {
    let (&flags, rest) = data.split_first()?;
    let (&status, rest) = rest.split_first_chunk::<2>()?;
    let (&n, mut rest) = rest.split_first()?;
    let status = StatusCode::from_u16(100 + u16::from_le_bytes(status) % 900).expect("100..=999");
    let mut headers = HeaderMap::new();
    for _ in 0..n % 8 {
        let Some((&[name, lo, hi], tail)) = rest.split_first_chunk::<3>() else {
            break;
        };
        let len = usize::from(u16::from_le_bytes([lo, hi])).min(tail.len());
        let (value, tail) = tail.split_at(len);
        rest = tail;
        if let Ok(value) = HeaderValue::from_bytes(value) {
            headers.append(NAMES[usize::from(name) % NAMES.len()], value);
        }
    }
    Some(Input {
        api: if flags & 1 == 0 {
            FuzzApi::DESCRIPTION
        } else {
            &BARE
        },
        status,
        headers,
        body: Bytes::copy_from_slice(rest),
    })
}

fuzz_target!(|data: &[u8]| {
    let Some(Input {
        api,
        status,
        headers,
        body,
    }) = input(data)
    else {
        return;
    };

    // 1, 2: the error envelope, three ways.
    check_api_error::<Envelope>(status, &headers, &body, api, "typed envelope");
    check_api_error::<anthropic_completions::ErrorResponse>(
        status,
        &headers,
        &body,
        api,
        "generated envelope",
    );
    check_api_error::<Value>(status, &headers, &body, api, "Value envelope");

    // 3: the body as a 2xx response.
    let value = check_decode::<Value, Value>(status, &headers, &body, api, "Value");
    let thing = check_decode::<Thing, Envelope>(status, &headers, &body, api, "Thing");
    if let Some(thing) = &thing {
        check_thing(thing, value.as_ref());
    }
    check_decode::<anthropic_completions::Completion, anthropic_completions::ErrorResponse>(
        status,
        &headers,
        &body,
        api,
        "Completion",
    );
    check_decode::<Shape, Envelope>(status, &headers, &body, api, "Shape");
    check_decode::<Closed, Envelope>(status, &headers, &body, api, "Closed");

    // 4: constants.
    check_consts::<0>(&body, value.as_ref());
    check_consts::<1>(&body, value.as_ref());
    check_consts::<2>(&body, value.as_ref());
    check_consts::<3>(&body, value.as_ref());
    check_consts::<4>(&body, value.as_ref());
    check_consts::<5>(&body, value.as_ref());
    check_consts::<6>(&body, value.as_ref());
    check_consts::<7>(&body, value.as_ref());
    if let Some(v) = &value {
        for pointer in [
            "/type",
            "/error/type",
            "/0",
            "/a~1b",
            "/~0",
            "/shape/type",
            "",
        ] {
            let _ =
                wire::matches_consts(v, &[(pointer, Const::Str("error")), (pointer, Const::Null)]);
        }
        assert!(wire::matches_consts(v, &[]));
    }

    // 5: Link headers.
    check_links(&headers, &body);
});
