//! The part of every conformance driver that does not depend on the API: reading the samples,
//! the round trip of one value, recording a call, the local server for event streams, the
//! command line and the result file. Copied as it is into each driver crate by
//! `codegen::driver`; `main.rs` beside it holds only what is particular to the API.

use std::io::Write as _;
use std::time::Duration;

use forge_runtime::{Error, ErrorEnvelope, EventStream, Response};
use futures::StreamExt;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::compare;

/// `data/samples.json`, as `codegen::driver` writes it.
#[derive(Debug, Deserialize)]
pub struct Data {
    pub seed: u64,
    pub types: Vec<TypeData>,
    pub operations: Vec<OpData>,
}

#[derive(Debug, Deserialize)]
pub struct TypeData {
    pub name: String,
    pub pointer: String,
    pub samples: Vec<SampleData>,
    pub skipped: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct SampleData {
    pub value: Value,
    pub source: String,
}

#[derive(Debug, Deserialize)]
pub struct OpData {
    pub id: String,
    pub method: String,
    pub path: String,
    /// One per IR parameter; `null` where no value could be made (with the reason in `missing`).
    pub params: Vec<Option<Value>>,
    pub missing: Vec<Option<String>>,
    pub body: Option<Value>,
    pub body_missing: Option<String>,
    /// `Some` when the operation can stream: the events the local server sends.
    pub events: Option<Vec<EventData>>,
    pub single: bool,
    pub success_declared: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EventData {
    pub event: Option<String>,
    pub data: Value,
}

/// The arguments of one operation, decoded into the types its methods take.
pub struct Args<'a>(pub &'a OpData);

impl Args<'_> {
    /// A required parameter.
    pub fn param<T: DeserializeOwned>(&self, i: usize) -> Result<T, String> {
        match &self.0.params[i] {
            Some(v) => from_value(v, &format!("parameter {i}")),
            None => Err(format!(
                "no sample for parameter {i}: {}",
                self.0.missing[i].as_deref().unwrap_or("none made")
            )),
        }
    }

    /// An optional parameter: `None` when no value could be made.
    pub fn opt<T: DeserializeOwned>(&self, i: usize) -> Result<Option<T>, String> {
        match &self.0.params[i] {
            Some(v) => from_value(v, &format!("parameter {i}")).map(Some),
            None => Ok(None),
        }
    }

    /// The body.
    pub fn body<T: DeserializeOwned>(&self) -> Result<T, String> {
        match &self.0.body {
            Some(v) => from_value(v, "body"),
            None => Err(format!(
                "no sample for the body: {}",
                self.0.body_missing.as_deref().unwrap_or("none made")
            )),
        }
    }

    /// A binary body: the sample string's bytes.
    pub fn bytes(&self) -> Result<Vec<u8>, String> {
        let text: String = self.body()?;
        Ok(text.into_bytes())
    }
}

fn from_value<T: DeserializeOwned>(v: &Value, what: &str) -> Result<T, String> {
    serde_json::from_value(v.clone()).map_err(|e| format!("argument: the {what} sample does not decode: {e}"))
}

/// The outcome of one sample's round trip.
#[derive(Debug, Serialize)]
pub struct RoundTrip {
    #[serde(rename = "type")]
    pub ty: String,
    pub pointer: String,
    pub source: String,
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub got: Option<Value>,
}

/// Decodes `sample` as `T`, encodes it again and compares.
pub fn round_trip<T: DeserializeOwned + Serialize>(sample: &Value) -> (&'static str, Option<String>, Option<String>, Option<Value>) {
    let decoded: T = match serde_json::from_value(sample.clone()) {
        Ok(t) => t,
        Err(e) => return ("failed", None, Some(e.to_string()), None),
    };
    let back = match serde_json::to_value(&decoded) {
        Ok(v) => v,
        Err(e) => return ("failed", None, Some(format!("re-encoding: {e}")), None),
    };
    match compare::first_difference(sample, &back) {
        None => ("ok", None, None, None),
        Some(at) => {
            let got = compare::at(&back, &at).cloned();
            ("lossy", Some(at), None, Some(got.unwrap_or(Value::Null)))
        }
    }
}

/// One call of an operation.
#[derive(Debug, Default, Serialize)]
pub struct Call {
    pub op: String,
    pub method: String,
    pub path: String,
    /// `prism`, or `sse` for the driver's own event-stream server.
    pub target: &'static str,
    pub status: Option<u16>,
    pub decoded: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Prism's `sl-violations` header, when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub violations: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<usize>,
    /// Whether the spec declares a success response for the operation.
    pub success_declared: bool,
}

fn violations(headers: &forge_runtime::HeaderMap) -> Option<String> {
    headers
        .get("sl-violations")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// Records what a one-response call gave.
pub fn call<T, E: ErrorEnvelope>(result: Result<Response<T>, Error<E>>) -> Call {
    match result {
        Ok(r) => Call {
            status: Some(r.status().as_u16()),
            decoded: true,
            violations: violations(r.headers()),
            ..Call::default()
        },
        Err(e) => failed(e),
    }
}

fn failed<E: ErrorEnvelope>(e: Error<E>) -> Call {
    match &e {
        Error::Api(api) => Call {
            status: Some(api.status().as_u16()),
            error: Some(String::from_utf8_lossy(api.body()).chars().take(2000).collect()),
            violations: violations(api.headers()),
            ..Call::default()
        },
        Error::Decode { status, body, source, headers, .. } => Call {
            status: Some(status.as_u16()),
            error: Some(format!(
                "decode: {source}; body: {}",
                String::from_utf8_lossy(body).chars().take(1500).collect::<String>()
            )),
            violations: violations(headers),
            ..Call::default()
        },
        _ => Call {
            error: Some(e.to_string()),
            ..Call::default()
        },
    }
}

/// Records what a streaming call gave: every item must decode.
pub async fn stream<T: DeserializeOwned, E: ErrorEnvelope>(result: Result<EventStream<T, E>, Error<E>>) -> Call {
    let mut stream = match result {
        Ok(s) => s,
        Err(e) => return failed(e),
    };
    let status = stream.status().as_u16();
    let mut items = 0;
    while let Some(item) = stream.next().await {
        match item {
            Ok(_) => items += 1,
            Err(e) => {
                let mut c = failed(e);
                c.status = Some(status);
                c.events = Some(items);
                return c;
            }
        }
    }
    Call {
        status: Some(status),
        decoded: true,
        events: Some(items),
        ..Call::default()
    }
}

/// A one-shot local server that answers the next request with `events` as server-sent events,
/// then closes the connection. Returns its base URL.
pub async fn serve_events(events: Vec<EventData>) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        // Read the head (and whatever of the body came with it): the request is not judged here.
        let mut head = Vec::new();
        let mut buf = [0u8; 8192];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match tokio::time::timeout(Duration::from_secs(5), socket.read(&mut buf)).await {
                Ok(Ok(n)) if n > 0 => head.extend_from_slice(&buf[..n]),
                _ => break,
            }
        }
        let mut out = String::from(
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n",
        );
        for e in events {
            if let Some(name) = e.event {
                out.push_str(&format!("event: {name}\n"));
            }
            out.push_str(&format!("data: {}\n\n", e.data));
        }
        let _ = socket.write_all(out.as_bytes()).await;
        let _ = socket.shutdown().await;
    });
    Ok(url)
}

/// `--base-url URL --data FILE --out FILE`.
pub struct Cli {
    pub base_url: String,
    pub data: String,
    pub out: String,
}

impl Cli {
    pub fn parse() -> Result<Cli, String> {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let get = |name: &str| -> Result<String, String> {
            args.iter()
                .position(|a| a == name)
                .and_then(|i| args.get(i + 1))
                .cloned()
                .ok_or_else(|| format!("{name} is required: driver --base-url URL --data FILE --out FILE"))
        };
        Ok(Cli {
            base_url: get("--base-url")?,
            data: get("--data")?,
            out: get("--out")?,
        })
    }
}

/// Reads the samples file.
pub fn load(path: &str) -> Result<Data, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
}

/// The whole result, written as one JSON file.
#[derive(Debug, Serialize)]
pub struct Results {
    pub seed: u64,
    pub roundtrip: Vec<RoundTrip>,
    /// Types whose samples could not all be made: (type, reason).
    pub skipped: Vec<(String, String)>,
    pub wire: Vec<Call>,
}

impl Results {
    pub fn write(&self, path: &str) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        let mut f = std::fs::File::create(path).map_err(|e| format!("cannot write {path}: {e}"))?;
        f.write_all(text.as_bytes()).map_err(|e| format!("cannot write {path}: {e}"))
    }
}

/// Runs every sample of every type through `one` (the per-type dispatch in `main.rs`).
pub fn round_trips(
    data: &Data,
    one: impl Fn(usize, &Value) -> (&'static str, Option<String>, Option<String>, Option<Value>),
) -> (Vec<RoundTrip>, Vec<(String, String)>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for (i, t) in data.types.iter().enumerate() {
        for reason in &t.skipped {
            skipped.push((t.name.clone(), reason.clone()));
        }
        for s in &t.samples {
            let (outcome, at, error, got) = one(i, &s.value);
            let keep = outcome != "ok";
            out.push(RoundTrip {
                ty: t.name.clone(),
                pointer: t.pointer.clone(),
                source: s.source.clone(),
                outcome,
                at,
                error,
                sample: keep.then(|| s.value.clone()),
                got,
            });
        }
    }
    (out, skipped)
}
