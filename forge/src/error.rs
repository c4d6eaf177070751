//! The one error type of every command, so `main` can print `error: <reason>` the same way for a
//! bad spec, an unreadable file or a refused output folder.

use std::fmt;
use std::io;

/// Why a command failed. Its `Display` is the whole message, naming the file involved.
#[derive(Debug)]
pub enum Error {
    /// The generator refused the spec or the settings; its message names file, pointer and reason.
    Codegen(codegen::Error),
    /// A file system operation failed; `what` says which, on which path.
    Io {
        /// E.g. "cannot read spec/api.yaml".
        what: String,
        /// The OS error.
        source: io::Error,
    },
    /// Anything else, already phrased for the user.
    Message(String),
}

impl Error {
    /// Wraps an I/O error with what was being done: `.map_err(Error::io(format!("cannot read {p}")))`.
    pub fn io(what: impl Into<String>) -> impl FnOnce(io::Error) -> Error {
        let what = what.into();
        move |source| Error::Io { what, source }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Codegen(e) => write!(f, "{e}"),
            Error::Io { what, source } => write!(f, "{what}: {source}"),
            Error::Message(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Codegen(e) => Some(e),
            Error::Io { source, .. } => Some(source),
            Error::Message(_) => None,
        }
    }
}

impl From<codegen::Error> for Error {
    fn from(e: codegen::Error) -> Self {
        Error::Codegen(e)
    }
}
