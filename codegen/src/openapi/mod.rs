//! Stage 1b: the typed model of an OpenAPI 3.0 / 3.1 document.
//!
//! Every object that OpenAPI lets be a Reference Object carries an optional `reference` (`$ref`)
//! instead of being wrapped in an `Either`: serde then reports errors with exact paths, and 3.1's
//! `$ref` with sibling keywords needs no special case. Only the `x-` extensions the generator acts on
//! are modelled; the rest are skipped without being buffered.

mod extensions;
pub mod overlay;
mod paths;
pub mod refs;
mod repair;
mod schema;
mod security;

pub use paths::{
    Encoding, Header, HttpMethod, MediaType, Operation, Parameter, ParameterIn, ParameterStyle,
    PathItem, RequestBody, Response, StreamAction, StreamEvent, StreamSpec,
};
pub use refs::{Pointer, Referable, Resolved, Resolver};
pub use repair::read_lenient;
pub use schema::{
    AdditionalProperties, Bound, Discriminator, ErrorEnvelopeSpec, Schema, SchemaType,
};
pub use security::{ApiKeyIn, SecurityScheme};

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
    /// Path templates to path items; extension keys are skipped.
    #[serde(default, deserialize_with = "extensions::without_extensions")]
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
        for (name, text) in crate::parse::corpus_specs() {
            let v = crate::parse::load(&name, &text).unwrap_or_else(|e| panic!("{e}"));
            Document::from_value(&name, &v).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
