//! IR (stub)
use crate::error::{Error, Diagnostic};
/// api
pub struct Api { /// ops
pub operations: Vec<()>, /// t
pub types: Vec<()>, /// w
pub warnings: Vec<Diagnostic> }
/// lower
pub fn lower(_f: &str, _d: &crate::openapi::Document, _v: &serde_json::Value, _s: &crate::Settings, _l: bool) -> Result<Api, Error> { Ok(Api { operations: vec![], types: vec![], warnings: vec![] }) }
