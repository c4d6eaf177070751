//! typed model (stub)
use crate::error::Error;
/// doc
pub struct Document;
impl Document { /// x
pub fn from_value(_f: &str, _v: &serde_json::Value) -> Result<Self, Error> { Ok(Document) } }
