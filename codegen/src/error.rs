//! Errors and warnings, each naming the file, the JSON pointer and the reason.

use std::fmt;

/// A generation failure: where (file and JSON pointer, or line for syntax errors) and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {location}: {kind}")]
pub struct Error {
    /// The spec's name as given in [`crate::Input::spec_name`].
    pub file: String,
    /// Where in the file.
    pub location: Location,
    /// What is wrong.
    pub kind: ErrorKind,
}

/// A place in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A JSON pointer such as `#/components/schemas/Completion/properties/model`.
    Pointer(String),
    /// A 1-based line and column, for text that did not parse.
    Line {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Pointer(p) => f.write_str(p),
            Location::Line { line, column } => write!(f, "line {line}, column {column}"),
        }
    }
}

/// Why a spec was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not valid JSON or YAML.
    #[error("malformed {format}: {message}")]
    Syntax {
        /// `JSON` or `YAML`.
        format: &'static str,
        /// The parser's message.
        message: String,
    },
    /// The document is too large or too deep to be a sane spec (alias bombs, deep nesting).
    #[error("document exceeds a safety limit: {0}")]
    Limit(String),
    /// The document is not an OpenAPI 3.x document.
    #[error("not an OpenAPI 3.0/3.1 document: {0}")]
    NotOpenApi(String),
    /// A value has the wrong shape for its place in OpenAPI.
    #[error("invalid OpenAPI: {0}")]
    Invalid(String),
    /// A `$ref` that points nowhere in this document.
    #[error("dangling $ref `{0}`: no such location in this document")]
    DanglingRef(String),
    /// A `$ref` to another document.
    #[error("external $ref `{0}` is not supported: bundle the spec into one document first")]
    ExternalRef(String),
    /// A chain of `$ref`s that leads back to itself without reaching a schema.
    #[error("$ref cycle: {0}")]
    RefCycle(String),
    /// A `type` that OpenAPI does not define.
    #[error(
        "unknown type `{0}`: expected one of string, number, integer, boolean, array, object, null"
    )]
    UnknownType(String),
    /// Something valid that this generator does not support yet.
    #[error("unsupported: {0} (use --lenient to skip the operation)")]
    Unsupported(String),
    /// Two operations share an operationId.
    #[error("duplicate operationId `{0}`")]
    DuplicateOperationId(String),
    /// A path template names a parameter the operation does not declare.
    #[error("path parameter `{0}` is used in the path but not declared")]
    UndeclaredPathParam(String),
    /// The generator settings are wrong.
    #[error("invalid settings: {0}")]
    Settings(String),
    /// The emitted code did not parse: a generator bug, reported instead of panicking.
    #[error("internal error: generated code for {path} does not parse: {message}")]
    Internal {
        /// The file being generated.
        path: String,
        /// The parser's message.
        message: String,
    },
}

impl Error {
    /// An error at a JSON pointer.
    pub fn at(file: &str, pointer: impl Into<String>, kind: ErrorKind) -> Self {
        Error {
            file: file.to_owned(),
            location: Location::Pointer(pointer.into()),
            kind,
        }
    }
}

/// A non-fatal finding: a construct generated in a degraded way, or an operation skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// JSON pointer of the construct.
    pub pointer: String,
    /// What happened.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// Escapes one JSON pointer token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
