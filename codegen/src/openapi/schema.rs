//! The Schema Object of OpenAPI 3.0 and 3.1 (JSON Schema 2020-12 subset), in one type.
//!
//! 3.0 and 3.1 differ in a few keywords (`nullable` vs `type: [.., "null"]`, boolean vs numeric
//! `exclusiveMinimum`, `example` vs `examples`); the model accepts both spellings and lowering
//! normalises them.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Number, Value};

/// A schema. `true` reads as the empty schema and `false` as `not: {}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// `$ref`; in 3.1 siblings such as `description` may stand beside it.
    #[serde(rename = "$ref", default)]
    pub reference: Option<String>,
    /// `type`: one name or (3.1) a list.
    #[serde(rename = "type", default)]
    pub types: Option<SchemaType>,
    /// `format`.
    #[serde(default)]
    pub format: Option<String>,
    /// `title`.
    #[serde(default)]
    pub title: Option<String>,
    /// `description`.
    #[serde(default)]
    pub description: Option<String>,
    /// 3.0 `nullable`.
    #[serde(default)]
    pub nullable: bool,
    /// `const`, kept even when it is `null`.
    #[serde(rename = "const", default, deserialize_with = "present")]
    pub const_value: Option<Value>,
    /// `enum`.
    #[serde(rename = "enum", default)]
    pub enum_values: Option<Vec<Value>>,
    /// `default`.
    #[serde(default, deserialize_with = "present")]
    pub default: Option<Value>,
    /// `example` (3.0), kept even when it is `null`.
    #[serde(default, deserialize_with = "present")]
    pub example: Option<Value>,
    /// `examples` (3.1: a list of values).
    #[serde(default)]
    pub examples: Option<Value>,
    /// `allOf`.
    #[serde(default, deserialize_with = "opt_vec")]
    pub all_of: Option<Vec<Schema>>,
    /// `anyOf`.
    #[serde(default, deserialize_with = "opt_vec")]
    pub any_of: Option<Vec<Schema>>,
    /// `oneOf`.
    #[serde(default, deserialize_with = "opt_vec")]
    pub one_of: Option<Vec<Schema>>,
    /// `not`.
    #[serde(default, deserialize_with = "opt_box")]
    pub not: Option<Box<Schema>>,
    /// `discriminator`.
    #[serde(default)]
    pub discriminator: Option<Discriminator>,
    /// `properties`, in document order.
    #[serde(default, deserialize_with = "opt_map")]
    pub properties: Option<IndexMap<String, Schema>>,
    /// `required`.
    #[serde(default)]
    pub required: Vec<String>,
    /// `additionalProperties`.
    #[serde(default)]
    pub additional_properties: Option<AdditionalProperties>,
    /// `items` (a schema; 3.0 and 3.1).
    #[serde(default, deserialize_with = "opt_box")]
    pub items: Option<Box<Schema>>,
    /// 3.1 `prefixItems` (tuples).
    #[serde(default, deserialize_with = "opt_vec")]
    pub prefix_items: Option<Vec<Schema>>,
    /// `minLength`.
    #[serde(default)]
    pub min_length: Option<u64>,
    /// `maxLength`.
    #[serde(default)]
    pub max_length: Option<u64>,
    /// `pattern`.
    #[serde(default)]
    pub pattern: Option<String>,
    /// `minimum`.
    #[serde(default)]
    pub minimum: Option<Number>,
    /// `maximum`.
    #[serde(default)]
    pub maximum: Option<Number>,
    /// `exclusiveMinimum`: a flag on `minimum` (3.0) or a bound of its own (3.1).
    #[serde(default)]
    pub exclusive_minimum: Option<Bound>,
    /// `exclusiveMaximum`.
    #[serde(default)]
    pub exclusive_maximum: Option<Bound>,
    /// `multipleOf`.
    #[serde(default)]
    pub multiple_of: Option<Number>,
    /// `minItems`.
    #[serde(default)]
    pub min_items: Option<u64>,
    /// `maxItems`.
    #[serde(default)]
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    #[serde(default)]
    pub unique_items: bool,
    /// `minProperties`.
    #[serde(default)]
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    #[serde(default)]
    pub max_properties: Option<u64>,
    /// `readOnly`.
    #[serde(default)]
    pub read_only: bool,
    /// `writeOnly`.
    #[serde(default)]
    pub write_only: bool,
    /// `deprecated`.
    #[serde(default)]
    pub deprecated: bool,
    /// Stainless' deprecation message, shown in `#[deprecated(note)]`.
    #[serde(rename = "x-stainless-deprecation-message", default)]
    pub x_deprecation_message: Option<String>,
    /// Rust name override.
    #[serde(rename = "x-forge-name", default)]
    pub x_name: Option<String>,
    /// Where an error envelope keeps its type, message and request id (JSON pointers).
    #[serde(rename = "x-forge-error-envelope", default)]
    pub x_error_envelope: Option<ErrorEnvelopeSpec>,
    /// Set when the schema was the boolean `false`.
    #[serde(skip)]
    pub is_false: bool,
}

/// `x-forge-error-envelope`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorEnvelopeSpec {
    /// Pointer to the error type string.
    #[serde(rename = "type", default)]
    pub error_type: Option<String>,
    /// Pointer to the message.
    #[serde(default)]
    pub message: Option<String>,
    /// Pointer to the request id.
    #[serde(default)]
    pub request_id: Option<String>,
}

/// Deserializes a present value, `null` included, as `Some`.
pub(crate) fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// `type`: a name or a list of names, kept as written; lowering rejects unknown names with their
/// pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaType(pub Vec<String>);

impl<'de> Deserialize<'de> for SchemaType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SchemaType;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a type name or a list of type names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SchemaType, E> {
                Ok(SchemaType(vec![v.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SchemaType, A::Error> {
                let mut out = Vec::new();
                while let Some(t) = seq.next_element::<String>()? {
                    out.push(t);
                }
                Ok(SchemaType(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// `additionalProperties`: a boolean or a schema.
#[derive(Debug, Clone, PartialEq)]
pub enum AdditionalProperties {
    /// `true` (any extra keys) or `false` (none).
    Bool(bool),
    /// Extra keys with values of this schema.
    Schema(Box<Schema>),
}

impl<'de> Deserialize<'de> for AdditionalProperties {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AdditionalProperties;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean or a schema")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(AdditionalProperties::Bool(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let schema = Schema::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(AdditionalProperties::Schema(Box::new(schema)))
            }
        }
        d.deserialize_any(V)
    }
}

/// `exclusiveMinimum` / `exclusiveMaximum`.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    /// 3.0: makes `minimum`/`maximum` exclusive.
    Flag(bool),
    /// 3.1: the exclusive bound itself.
    Value(Number),
}

impl<'de> Deserialize<'de> for Bound {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Bool(b) => Ok(Bound::Flag(b)),
            Value::Number(n) => Ok(Bound::Value(n)),
            other => Err(de::Error::custom(format!(
                "expected a boolean or a number, found {other}"
            ))),
        }
    }
}

/// `discriminator`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Discriminator {
    /// The property that names the variant.
    pub property_name: String,
    /// Tag value to `$ref`.
    #[serde(default)]
    pub mapping: IndexMap<String, String>,
}

/// A schema where JSON Schema also allows `true`/`false`.
struct SchemaOrBool(Schema);

impl<'de> Deserialize<'de> for SchemaOrBool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        schema_or_bool(d).map(SchemaOrBool)
    }
}

fn opt_box<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Box<Schema>>, D::Error> {
    Ok(Some(Box::new(schema_or_bool(d)?)))
}

fn opt_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<Schema>>, D::Error> {
    let items = Vec::<SchemaOrBool>::deserialize(d)?;
    Ok(Some(items.into_iter().map(|s| s.0).collect()))
}

fn opt_map<'de, D: Deserializer<'de>>(d: D) -> Result<Option<IndexMap<String, Schema>>, D::Error> {
    let map = IndexMap::<String, SchemaOrBool>::deserialize(d)?;
    Ok(Some(map.into_iter().map(|(k, s)| (k, s.0)).collect()))
}

fn schema_or_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Schema, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Schema;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a schema or a boolean")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Schema, E> {
            Ok(Schema {
                is_false: !v,
                ..Schema::default()
            })
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Schema, A::Error> {
            Schema::deserialize(de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_any(V)
}

impl Schema {
    /// The description, or the title when there is none.
    pub fn doc(&self) -> Option<&str> {
        self.description.as_deref().or(self.title.as_deref())
    }

    /// Type names, empty when `type` is absent.
    pub fn type_names(&self) -> &[String] {
        self.types.as_ref().map(|t| t.0.as_slice()).unwrap_or(&[])
    }

    /// A schema with no shape of its own: only annotations such as `nullable` or `description`
    /// (and constraints that need a type to mean something).
    pub fn is_annotation_only(&self) -> bool {
        self.reference.is_none()
            && self.type_names().iter().all(|t| t == "null")
            && self.properties.is_none()
            && self.items.is_none()
            && self.all_of.is_none()
            && self.any_of.is_none()
            && self.one_of.is_none()
            && self.enum_values.is_none()
            && self.const_value.is_none()
            && self.additional_properties.is_none()
    }
}
