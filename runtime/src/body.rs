//! Request bodies and their encodings (form, multipart, percent-encoding of path segments).

use std::fmt;

use bytes::Bytes;
use http::HeaderValue;

use crate::retry::Rng;

/// A request body.
#[derive(Clone)]
pub enum Body {
    /// `application/json`, already serialized.
    Json(Bytes),
    /// `application/x-www-form-urlencoded`.
    Form(Vec<(String, String)>),
    /// `text/plain; charset=utf-8`.
    Text(String),
    /// Raw bytes with a content type.
    Bytes {
        /// The `Content-Type`.
        content_type: String,
        /// The bytes.
        data: Bytes,
    },
    /// `multipart/form-data`.
    Multipart(Vec<Part>),
}

impl fmt::Debug for Body {
    /// Only the kind and size: bodies are never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Json(b) => write!(f, "Json({} bytes)", b.len()),
            Body::Form(fields) => write!(f, "Form({} fields)", fields.len()),
            Body::Text(t) => write!(f, "Text({} bytes)", t.len()),
            Body::Bytes { content_type, data } => {
                write!(f, "Bytes({content_type:?}, {} bytes)", data.len())
            }
            Body::Multipart(parts) => write!(f, "Multipart({} parts)", parts.len()),
        }
    }
}

impl Body {
    /// The content type and the bytes to send. The content type is a `HeaderValue` already,
    /// so the common JSON case costs no allocation or validation per request.
    pub(crate) fn encode(self, rng: &mut Rng) -> Result<(HeaderValue, Bytes), String> {
        Ok(match self {
            Body::Json(b) => (HeaderValue::from_static("application/json"), b),
            Body::Form(fields) => {
                let mut out = String::new();
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push('&');
                    }
                    form_encode_into(&mut out, name);
                    out.push('=');
                    form_encode_into(&mut out, value);
                }
                (
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                    Bytes::from(out),
                )
            }
            Body::Text(t) => (
                HeaderValue::from_static("text/plain; charset=utf-8"),
                Bytes::from(t),
            ),
            Body::Bytes { content_type, data } => {
                if content_type.contains(['\r', '\n']) {
                    return Err("the body's content type contains CR or LF".to_owned());
                }
                let value = HeaderValue::from_str(&content_type)
                    .map_err(|_| "the body's content type contains invalid characters")?;
                (value, data)
            }
            Body::Multipart(parts) => {
                let boundary = format!("----forge-{:016x}{:016x}", rng.next_u64(), rng.next_u64());
                let mut out = Vec::new();
                for part in &parts {
                    part.write(&mut out, &boundary)?;
                }
                out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
                let value =
                    HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
                        .map_err(|_| "invalid multipart boundary")?;
                (value, Bytes::from(out))
            }
        })
    }
}

/// One field of a `multipart/form-data` body.
#[derive(Clone)]
pub struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

impl Part {
    /// A text field.
    pub fn text(name: impl Into<String>, value: impl Into<String>) -> Self {
        Part {
            name: name.into(),
            file_name: None,
            content_type: None,
            data: Bytes::from(value.into()),
        }
    }

    /// A binary field (give it a file name and content type for file uploads).
    pub fn bytes(name: impl Into<String>, data: impl Into<Bytes>) -> Self {
        Part {
            name: name.into(),
            file_name: None,
            content_type: None,
            data: data.into(),
        }
    }

    /// Set the file name.
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Set the part's content type.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    fn write(&self, out: &mut Vec<u8>, boundary: &str) -> Result<(), String> {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        out.extend_from_slice(b"Content-Disposition: form-data; name=\"");
        out.extend_from_slice(escape_disposition(&self.name).as_bytes());
        out.push(b'"');
        if let Some(file_name) = &self.file_name {
            out.extend_from_slice(b"; filename=\"");
            out.extend_from_slice(escape_disposition(file_name).as_bytes());
            out.push(b'"');
        }
        out.extend_from_slice(b"\r\n");
        if let Some(ct) = &self.content_type {
            if ct.bytes().any(|b| b == b'\r' || b == b'\n') {
                return Err(format!(
                    "content type of multipart part `{}` contains CR or LF",
                    self.name
                ));
            }
            out.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.data);
        out.extend_from_slice(b"\r\n");
        Ok(())
    }
}

impl fmt::Debug for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Part")
            .field("name", &self.name)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.data.len())
            .finish()
    }
}

/// Escape a multipart name or file name as the HTML form rules do.
fn escape_disposition(s: &str) -> String {
    s.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn push_pct(out: &mut String, b: u8) {
    out.push('%');
    out.push(HEX[usize::from(b >> 4)] as char);
    out.push(HEX[usize::from(b & 0xF)] as char);
}

/// Percent-encode `s` for use as one path segment: everything but the RFC 3986
/// unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded, including `/`.
pub fn encode_path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            push_pct(&mut out, b);
        }
    }
    out
}

fn form_encode_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'*') {
            out.push(b as char);
        } else if b == b' ' {
            out.push('+');
        } else {
            push_pct(out, b);
        }
    }
}

/// Merge `extra` into a JSON object body (its values win). Only called when `extra` is
/// non-empty, so the common path never re-parses the body.
pub(crate) fn merge_extra_body(
    body: Option<Body>,
    extra: &serde_json::Map<String, serde_json::Value>,
) -> Result<Option<Body>, String> {
    let mut object = match body {
        None => serde_json::Map::new(),
        Some(Body::Json(bytes)) => match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(serde_json::Value::Object(map)) => map,
            Ok(_) => return Err("extra_body needs a JSON object body".to_owned()),
            Err(e) => return Err(format!("the JSON body is not valid JSON: {e}")),
        },
        Some(_) => return Err("extra_body can only be merged into a JSON body".to_owned()),
    };
    for (k, v) in extra {
        object.insert(k.clone(), v.clone());
    }
    serde_json::to_vec(&object)
        .map(|v| Some(Body::Json(Bytes::from(v))))
        .map_err(|e| format!("could not serialize the JSON body: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn path_segment_encoding() {
        assert_eq!(encode_path_segment("abc-_.~XYZ09"), "abc-_.~XYZ09");
        assert_eq!(encode_path_segment("a/b c?d#e%"), "a%2Fb%20c%3Fd%23e%25");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
        assert_eq!(encode_path_segment(".."), "..");
    }

    #[test]
    fn form_encoding() {
        let (ct, bytes) = Body::Form(vec![
            ("a b".into(), "c&d=é".into()),
            ("x".into(), "".into()),
        ])
        .encode(&mut Rng::new())
        .unwrap();
        assert_eq!(ct, "application/x-www-form-urlencoded");
        assert_eq!(&bytes[..], b"a+b=c%26d%3D%C3%A9&x=");
    }

    #[test]
    fn multipart_encoding() {
        let parts = vec![
            Part::text("field", "value"),
            Part::bytes("file", &b"\x00\x01"[..])
                .file_name("a\"b.bin")
                .content_type("application/octet-stream"),
        ];
        let (ct, bytes) = Body::Multipart(parts).encode(&mut Rng::new()).unwrap();
        let boundary = ct
            .to_str()
            .unwrap()
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.bin\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n\x00\x01\r\n--{boundary}--\r\n"
        );
        assert_eq!(bytes, Bytes::from(expected));
    }

    #[test]
    fn extra_body_merges_and_wins() {
        let body = Body::Json(Bytes::from_static(br#"{"a":1,"b":2}"#));
        let extra = json!({"b": 3, "c": [true]}).as_object().unwrap().clone();
        let Some(Body::Json(out)) = merge_extra_body(Some(body), &extra).unwrap() else {
            panic!("not json")
        };
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v, json!({"a": 1, "b": 3, "c": [true]}));
    }

    #[test]
    fn extra_body_rejects_non_object() {
        let extra = json!({"b": 3}).as_object().unwrap().clone();
        assert!(merge_extra_body(Some(Body::Json(Bytes::from_static(b"[1]"))), &extra).is_err());
        assert!(merge_extra_body(Some(Body::Text("x".into())), &extra).is_err());
        assert!(merge_extra_body(None, &extra).is_ok());
    }
}
