//! File contents for `format: binary` fields, sent as file parts of `multipart/form-data` bodies.

use std::fmt;

use bytes::Bytes;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::Part;

/// Bytes to upload, with the file name and content type the server will see.
///
/// `Debug` shows the size, never the contents.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Upload {
    data: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl Upload {
    /// Contents without a name; the part is named after its field.
    pub fn new(data: impl Into<Bytes>) -> Self {
        Upload {
            data: data.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// The file name sent in `Content-Disposition` (many APIs use its extension to tell formats).
    #[must_use]
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The part's `Content-Type` (default `application/octet-stream`).
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The contents.
    pub fn data(&self) -> &Bytes {
        &self.data
    }

    /// The multipart part for a field named `name`.
    pub fn to_part(&self, name: &str) -> Part {
        let part = Part::bytes(name, self.data.clone())
            .file_name(self.file_name.clone().unwrap_or_else(|| name.to_owned()));
        part.content_type(
            self.content_type
                .clone()
                .unwrap_or_else(|| "application/octet-stream".to_owned()),
        )
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("len", &self.data.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for Upload {
    fn from(data: Vec<u8>) -> Self {
        Upload::new(data)
    }
}

impl From<Bytes> for Upload {
    fn from(data: Bytes) -> Self {
        Upload::new(data)
    }
}

impl From<&'static [u8]> for Upload {
    fn from(data: &'static [u8]) -> Self {
        Upload::new(Bytes::from_static(data))
    }
}

impl From<String> for Upload {
    fn from(data: String) -> Self {
        Upload::new(data)
    }
}

/// In JSON, where OpenAPI 3.0 gives `binary` no encoding of its own, contents that are UTF-8
/// travel as the string they spell (what a schema of `type: string` admits, and what
/// [`Deserialize`] reads back byte for byte); other contents as an array of bytes, which no
/// string could carry without loss.
impl Serialize for Upload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.data) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => serializer.serialize_bytes(&self.data),
        }
    }
}

/// Reads a string (its UTF-8 bytes), a byte string, or an array of bytes.
impl<'de> Deserialize<'de> for Upload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Upload;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or bytes")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Upload, E> {
                Ok(Upload::new(v.as_bytes().to_vec()))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Upload, E> {
                Ok(Upload::new(v.to_vec()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Upload, A::Error> {
                let mut out = Vec::new();
                while let Some(b) = seq.next_element::<u8>()? {
                    out.push(b);
                }
                Ok(Upload::new(out))
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::Upload;

    #[test]
    fn utf8_contents_round_trip_through_json_as_the_string_they_spell() {
        let upload: Upload = serde_json::from_str(r#""ye\u00e9""#).unwrap();
        assert_eq!(upload.data().as_ref(), "yeé".as_bytes());
        assert_eq!(serde_json::to_string(&upload).unwrap(), r#""yeé""#);
    }

    #[test]
    fn other_contents_round_trip_through_json_as_a_byte_array() {
        let upload = Upload::new(vec![0xff, 0x00]);
        let json = serde_json::to_string(&upload).unwrap();
        assert_eq!(json, "[255,0]");
        assert_eq!(serde_json::from_str::<Upload>(&json).unwrap(), upload);
    }
}
