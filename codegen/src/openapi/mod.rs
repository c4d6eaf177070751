//! Stage 1b: the typed model of an OpenAPI 3.0 / 3.1 document.
//!
//! Every object that OpenAPI lets be a Reference Object carries an optional `reference` (`$ref`)
//! instead of being wrapped in an `Either`: serde then reports errors with exact paths, and 3.1's
//! `$ref` with sibling keywords needs no special case. Only the `x-` extensions the generator acts on
//! are modelled; the rest are skipped without being buffered.

mod schema;

pub use schema::{AdditionalProperties, Bound, Discriminator, Schema, SchemaType};

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, ErrorKind};

/// An OpenAPI document.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    /// `3.0.x` or `3.1.x`.
    pub openapi: String,
    /// Title, version, description.
    #[serde(default)]
    pub info: Info,
    /// Base URLs; the first is the client's default.
    #[serde(default)]
    pub servers: Vec<Server>,
    /// Path templates to path items.
    #[serde(default)]
    pub paths: IndexMap<String, PathItem>,
    /// Reusable objects.
    #[serde(default)]
    pub components: Components,
    /// Document-wide security requirements.
    #[serde(default)]
    pub security: Option<Vec<IndexMap<String, Vec<String>>>>,
    /// Tag descriptions.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// `info`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Info {
    /// API title.
    #[serde(default)]
    pub title: String,
    /// API version (required by OpenAPI, missing in some real specs).
    #[serde(default)]
    pub version: Option<Value>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
}

/// A server.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Server {
    /// URL template.
    pub url: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Template variables with defaults.
    #[serde(default)]
    pub variables: IndexMap<String, ServerVariable>,
}

/// A server URL variable.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ServerVariable {
    /// Default value.
    #[serde(default)]
    pub default: Option<Value>,
}

/// A tag.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Tag {
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
}

/// `components`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Components {
    /// Named schemas.
    #[serde(default)]
    pub schemas: IndexMap<String, Schema>,
    /// Named responses.
    #[serde(default)]
    pub responses: IndexMap<String, Response>,
    /// Named parameters.
    #[serde(default)]
    pub parameters: IndexMap<String, Parameter>,
    /// Named request bodies.
    #[serde(default)]
    pub request_bodies: IndexMap<String, RequestBody>,
    /// Named headers.
    #[serde(default)]
    pub headers: IndexMap<String, Header>,
    /// Named security schemes.
    #[serde(default)]
    pub security_schemes: IndexMap<String, SecurityScheme>,
    /// Named path items (3.1).
    #[serde(default)]
    pub path_items: IndexMap<String, PathItem>,
}

/// A path item: the operations on one path.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PathItem {
    /// `$ref` to a path item.
    #[serde(rename = "$ref", default)]
    pub reference: Option<String>,
    /// Summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Parameters shared by all operations here.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// GET.
    #[serde(default)]
    pub get: Option<Operation>,
    /// PUT.
    #[serde(default)]
    pub put: Option<Operation>,
    /// POST.
    #[serde(default)]
    pub post: Option<Operation>,
    /// DELETE.
    #[serde(default)]
    pub delete: Option<Operation>,
    /// OPTIONS.
    #[serde(default)]
    pub options: Option<Operation>,
    /// HEAD.
    #[serde(default)]
    pub head: Option<Operation>,
    /// PATCH.
    #[serde(default)]
    pub patch: Option<Operation>,
    /// TRACE.
    #[serde(default)]
    pub trace: Option<Operation>,
}

impl PathItem {
    /// The operations in OpenAPI's order, with their lowercase method names.
    pub fn operations(&self) -> impl Iterator<Item = (&'static str, &Operation)> {
        [
            ("get", &self.get),
            ("put", &self.put),
            ("post", &self.post),
            ("delete", &self.delete),
            ("options", &self.options),
            ("head", &self.head),
            ("patch", &self.patch),
            ("trace", &self.trace),
        ]
        .into_iter()
        .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
    }
}

/// An operation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// Unique id; the method name derives from it.
    #[serde(default)]
    pub operation_id: Option<String>,
    /// Summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Tags; the first groups the operation.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Parameters.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Request body.
    #[serde(default)]
    pub request_body: Option<RequestBody>,
    /// Responses by status code, range (`4XX`) or `default`.
    #[serde(default)]
    pub responses: IndexMap<String, Response>,
    /// Deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// Security requirements overriding the document's.
    #[serde(default)]
    pub security: Option<Vec<IndexMap<String, Vec<String>>>>,
    /// Rust method name override.
    #[serde(rename = "x-forge-name", default)]
    pub x_name: Option<String>,
}

/// A parameter (path, query, header or cookie).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    /// `$ref` to a parameter.
    #[serde(rename = "$ref", default)]
    pub reference: Option<String>,
    /// Wire name.
    #[serde(default)]
    pub name: Option<String>,
    /// `path`, `query`, `header` or `cookie`.
    #[serde(rename = "in", default)]
    pub location: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Required (always true for path parameters).
    #[serde(default)]
    pub required: bool,
    /// Deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// Serialization style.
    #[serde(default)]
    pub style: Option<String>,
    /// Explode arrays and objects.
    #[serde(default)]
    pub explode: Option<bool>,
    /// The value's schema.
    #[serde(default)]
    pub schema: Option<Schema>,
    /// Alternative to `schema`: one media type.
    #[serde(default)]
    pub content: Option<IndexMap<String, MediaType>>,
    /// Rust name override.
    #[serde(rename = "x-forge-name", default)]
    pub x_name: Option<String>,
}

/// A request body.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RequestBody {
    /// `$ref` to a request body.
    #[serde(rename = "$ref", default)]
    pub reference: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Media types.
    #[serde(default)]
    pub content: IndexMap<String, MediaType>,
    /// Required.
    #[serde(default)]
    pub required: bool,
}

/// A response.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Response {
    /// `$ref` to a response.
    #[serde(rename = "$ref", default)]
    pub reference: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Response headers.
    #[serde(default)]
    pub headers: IndexMap<String, Header>,
    /// Media types.
    #[serde(default)]
    pub content: IndexMap<String, MediaType>,
}

/// A header description.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Header {
    /// `$ref` to a header.
    #[serde(rename = "$ref", default)]
    pub reference: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Schema.
    #[serde(default)]
    pub schema: Option<Schema>,
}

/// A media type entry.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MediaType {
    /// Schema of the body.
    #[serde(default)]
    pub schema: Option<Schema>,
    /// Server-sent events description (forge extension).
    #[serde(rename = "x-forge-stream", default)]
    pub x_stream: Option<StreamSpec>,
}

/// `x-forge-stream`: what each server-sent event means.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamSpec {
    /// The boolean request-body property that selects the stream.
    #[serde(default)]
    pub toggle: Option<String>,
    /// Event name to its handling.
    #[serde(default)]
    pub events: IndexMap<String, StreamEvent>,
}

/// One kind of server-sent event.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamEvent {
    /// `yield`, `skip` or `error`.
    pub action: StreamAction,
    /// Schema of the event's `data`.
    #[serde(default)]
    pub schema: Option<Schema>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
}

/// What the client does with an event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StreamAction {
    /// Yield the parsed data.
    #[default]
    Yield,
    /// Ignore the event.
    Skip,
    /// The data is an error envelope: fail the stream.
    Error,
}

/// A security scheme.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityScheme {
    /// `$ref`.
    #[serde(rename = "$ref", default)]
    pub reference: Option<String>,
    /// `apiKey`, `http`, `oauth2`, `openIdConnect`, `mutualTLS`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// apiKey: the header/query/cookie name.
    #[serde(default)]
    pub name: Option<String>,
    /// apiKey: `header`, `query` or `cookie`.
    #[serde(rename = "in", default)]
    pub location: Option<String>,
    /// http: `bearer`, `basic`, ...
    #[serde(default)]
    pub scheme: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
}

impl Document {
    /// Checks the version and deserializes the typed model; errors carry the JSON pointer.
    pub fn from_value(file: &str, value: &Value) -> Result<Self, Error> {
        let Some(object) = value.as_object() else {
            return Err(Error::at(
                file,
                "#",
                ErrorKind::NotOpenApi("the document is not an object".into()),
            ));
        };
        if let Some(v) = object.get("swagger") {
            return Err(Error::at(
                file,
                "#/swagger",
                ErrorKind::NotOpenApi(format!(
                    "Swagger {} documents are not supported; convert to OpenAPI 3",
                    v
                )),
            ));
        }
        match object.get("openapi") {
            Some(Value::String(v)) if v.starts_with("3.0") || v.starts_with("3.1") => {}
            Some(Value::String(v)) => {
                return Err(Error::at(
                    file,
                    "#/openapi",
                    ErrorKind::NotOpenApi(format!("version `{v}`")),
                ));
            }
            Some(other) => {
                return Err(Error::at(
                    file,
                    "#/openapi",
                    ErrorKind::NotOpenApi(format!(
                        "the version must be a string such as \"3.1.0\", found `{other}`"
                    )),
                ));
            }
            None => {
                return Err(Error::at(
                    file,
                    "#",
                    ErrorKind::NotOpenApi("no `openapi` version field".into()),
                ));
            }
        }
        serde_path_to_error::deserialize(value).map_err(|e| {
            Error::at(
                file,
                crate::parse::pointer_of(e.path()),
                ErrorKind::Invalid(e.inner().to_string()),
            )
        })
    }

    /// True for OpenAPI 3.1 (JSON Schema 2020-12 semantics).
    pub fn is_3_1(&self) -> bool {
        self.openapi.starts_with("3.1")
    }
}

/// Deserializes a typed value found at `pointer` in the raw document.
pub fn at_pointer<T: serde::de::DeserializeOwned>(
    file: &str,
    doc: &Value,
    pointer: &str,
) -> Result<T, Error> {
    let raw = pointer.strip_prefix('#').unwrap_or(pointer);
    let value = doc
        .pointer(raw)
        .ok_or_else(|| Error::at(file, pointer, ErrorKind::DanglingRef(pointer.to_owned())))?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let inner = crate::parse::pointer_of(e.path());
        Error::at(
            file,
            format!("{pointer}{}", &inner[1..]),
            ErrorKind::Invalid(e.inner().to_string()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Result<Document, Error> {
        let v = crate::parse::load("t.yaml", text)?;
        Document::from_value("t.yaml", &v)
    }

    #[test]
    fn swagger_2_is_refused_by_name() {
        let e = doc("swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n").unwrap_err();
        assert!(matches!(e.kind, ErrorKind::NotOpenApi(_)));
        assert!(e.to_string().contains("Swagger"), "{e}");
    }

    #[test]
    fn wrong_shape_names_the_pointer() {
        let e = doc("openapi: 3.1.0\ninfo: {title: x}\ncomponents:\n  schemas:\n    A:\n      properties: 3\n")
            .unwrap_err();
        assert_eq!(
            e.location,
            crate::error::Location::Pointer("#/components/schemas/A/properties".into())
        );
    }

    #[test]
    fn boolean_schemas_and_type_arrays_parse() {
        let d = doc("openapi: 3.1.0\ninfo: {title: x}\ncomponents:\n  schemas:\n    A:\n      type: [string, 'null']\n      additionalProperties: false\n      properties:\n        any: true\n        never: false\n").unwrap();
        let a = &d.components.schemas["A"];
        assert_eq!(a.type_names(), ["string", "null"]);
        assert_eq!(
            a.additional_properties,
            Some(AdditionalProperties::Bool(false))
        );
        assert!(a.properties.as_ref().unwrap()["never"].is_false);
    }

    #[test]
    fn exclusive_bounds_read_in_both_versions() {
        let d = doc("openapi: 3.0.3\ninfo: {title: x}\ncomponents:\n  schemas:\n    A: {type: integer, minimum: 0, exclusiveMinimum: true}\n    B: {type: integer, exclusiveMinimum: 0, maximum: 18446744073709551615}\n").unwrap();
        assert_eq!(
            d.components.schemas["A"].exclusive_minimum,
            Some(Bound::Flag(true))
        );
        assert!(matches!(
            d.components.schemas["B"].exclusive_minimum,
            Some(Bound::Value(_))
        ));
        assert_eq!(
            d.components.schemas["B"]
                .maximum
                .as_ref()
                .and_then(|n| n.as_u64()),
            Some(u64::MAX)
        );
    }

    #[test]
    fn const_null_is_kept() {
        let d = doc(
            "openapi: 3.1.0\ninfo: {title: x}\ncomponents:\n  schemas:\n    A: {const: null}\n",
        )
        .unwrap();
        assert_eq!(d.components.schemas["A"].const_value, Some(Value::Null));
    }

    #[test]
    fn corpus_documents_parse() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/real");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !(name.ends_with(".json") || name.ends_with(".yaml")) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let v = crate::parse::load(&name, &text).unwrap();
            Document::from_value(&name, &v).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
