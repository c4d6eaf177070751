//! Path items, operations, parameters, bodies and responses.

use indexmap::IndexMap;
use serde::Deserialize;

use super::extensions::without_extensions;
use super::Schema;

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

/// The HTTP methods a path item can hold, in OpenAPI's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// The key of the method in a path item (`get`).
    pub fn key(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }

    /// The method as it goes on the wire (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

impl PathItem {
    /// The operations in OpenAPI's order.
    pub fn operations(&self) -> impl Iterator<Item = (HttpMethod, &Operation)> {
        [
            (HttpMethod::Get, &self.get),
            (HttpMethod::Put, &self.put),
            (HttpMethod::Post, &self.post),
            (HttpMethod::Delete, &self.delete),
            (HttpMethod::Options, &self.options),
            (HttpMethod::Head, &self.head),
            (HttpMethod::Patch, &self.patch),
            (HttpMethod::Trace, &self.trace),
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
    /// Responses by status code, range (`4XX`) or `default`; extension keys are skipped.
    #[serde(default, deserialize_with = "without_extensions")]
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

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParameterIn {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

/// How a parameter's value is serialized (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ParameterStyle {
    /// `form` (query, cookie default).
    Form,
    /// `simple` (path, header default).
    Simple,
    /// `label` (path, `.a.b`).
    Label,
    /// `matrix` (path, `;x=a,b`).
    Matrix,
    /// `spaceDelimited` (query arrays).
    SpaceDelimited,
    /// `pipeDelimited` (query arrays).
    PipeDelimited,
    /// `deepObject` (query objects, `x[a]=1`).
    DeepObject,
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
    /// Where it goes (absent only on a `$ref`).
    #[serde(rename = "in", default)]
    pub location: Option<ParameterIn>,
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
    pub style: Option<ParameterStyle>,
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
    /// `example`.
    #[serde(default, deserialize_with = "super::schema::present")]
    pub example: Option<serde_json::Value>,
    /// `examples`: named Example Objects (their `value`s are samples).
    #[serde(default)]
    pub examples: Option<IndexMap<String, serde_json::Value>>,
    /// Server-sent events description (forge extension).
    #[serde(rename = "x-forge-stream", default)]
    pub x_stream: Option<StreamSpec>,
    /// `encoding`: how a form or multipart body writes each property. Entries that are not
    /// Encoding Objects are left out: before this was read, no spec was refused for one.
    #[serde(default, deserialize_with = "encodings")]
    pub encoding: IndexMap<String, Encoding>,
}

/// An Encoding Object: the serialization of one property of a form body.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Encoding {
    /// `style` (`form` when absent).
    #[serde(default)]
    pub style: Option<ParameterStyle>,
    /// `explode` (true for `form` when absent).
    #[serde(default)]
    pub explode: Option<bool>,
}

fn encodings<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<IndexMap<String, Encoding>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    let serde_json::Value::Object(map) = value else {
        return Ok(IndexMap::new());
    };
    Ok(map
        .into_iter()
        .filter_map(|(name, e)| Some((name, serde_json::from_value(e).ok()?)))
        .collect())
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
