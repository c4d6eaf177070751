//! Generator settings: the client-level facts OpenAPI has no place for (crate name, env var names,
//! the retry-count header). Read from a small YAML file beside the spec; every field has a default
//! so any spec can be generated without one.

mod auth;
mod names;
mod pagination;
mod select;

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{escape_token, Error, ErrorKind};

pub use auth::{AuthSetting, DefaultHeaders};
pub use names::{group_path, Names, OperationName};
pub use pagination::{CursorRule, PageNumberRule, PageRule, ParamRule};
pub use select::{Matcher, OperationKey, Select, Selector};

/// Settings for one generated crate.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The spec file, relative to the settings file (used by the `xtask`, not by the library).
    #[serde(default)]
    pub spec: Option<String>,
    /// The crate's package name, e.g. `anthropic-completions`.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// The crate's version in a standalone crate's `Cargo.toml` (`0.1.0` when not given).
    #[serde(default)]
    pub version: Option<String>,
    /// The client's name in the `User-Agent` header: `<client_name>/Rust <version>`.
    #[serde(default)]
    pub client_name: Option<String>,
    /// Environment variables the generated `Client::from_env` reads.
    #[serde(default)]
    pub env: EnvSettings,
    /// Per `securitySchemes` key: the builder setter and the environment variable of its
    /// credential.
    #[serde(default)]
    pub auth: BTreeMap<String, AuthSetting>,
    /// Headers sent on every request, after the spec's common ones (a name given here replaces
    /// the spec's value).
    #[serde(default)]
    pub default_headers: DefaultHeaders,
    /// Which operations are generated; when given, only the types the selected operations reach
    /// are.
    #[serde(default)]
    pub select: Option<Select>,
    /// Retry hints and the attempt counter.
    #[serde(default)]
    pub retry: RetrySettings,
    /// The response header that carries the server's request id.
    #[serde(default)]
    pub request_id_header: Option<String>,
    /// A header that carries one key per logical request, the same on every retry, so a server
    /// can tell a retry of a non-idempotent call from a new one (`Idempotency-Key`).
    #[serde(default)]
    pub idempotency_header: Option<String>,
    /// HTTP statuses with an error kind of their own beyond the standard table, e.g.
    /// `529: overloaded`.
    #[serde(default)]
    pub error_statuses: BTreeMap<u16, ErrorKindName>,
    /// How list operations page, by operationId (operations the spec makes unambiguous are
    /// detected without a rule).
    #[serde(default)]
    pub pagination: BTreeMap<String, PageRule>,
    /// Group and method names per operation or tag.
    #[serde(default)]
    pub names: Names,
    /// JSON merge patches (files relative to this settings file) applied to the spec, in order,
    /// before generation.
    #[serde(default)]
    pub overlays: Vec<String>,
    /// Patches on parameters wherever the spec declares them, by location (`header`, `query`,
    /// `path`, `cookie`) and wire name: a JSON merge patch applied to each such parameter
    /// object, or `null` to remove the parameter (a credential header the client sends itself).
    /// What an overlay cannot do, since a merge patch replaces arrays whole.
    #[serde(default)]
    pub parameters: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
    /// Hand-written modules of the crate, `name: file` (relative to this settings file): each
    /// is copied into `src/<name>.rs` under the `@generated` header and declared `pub mod
    /// <name>;` in `lib.rs`, so the code an API needs beyond its spec lives beside the spec.
    #[serde(default)]
    pub modules: BTreeMap<String, String>,
    /// The settings file's name, for errors about what it says (`settings` when built in code).
    #[serde(skip, default = "default_source")]
    pub source: String,
}

fn default_source() -> String {
    "settings".to_owned()
}

/// Retry-related header names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetrySettings {
    /// A request header carrying the attempt number (0, 1, ...).
    #[serde(default)]
    pub count_header: Option<String>,
    /// A response header whose `true`/`false` decides whether to retry, before the status does.
    #[serde(default)]
    pub should_retry_header: Option<String>,
    /// A response header with the delay before a retry in milliseconds, read before
    /// `retry-after`.
    #[serde(default)]
    pub after_ms_header: Option<String>,
}

/// The error kinds a status can be given (`ApiErrorKind` in the runtime).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKindName {
    /// `BadRequest`.
    BadRequest,
    /// `Authentication`.
    Authentication,
    /// `PermissionDenied`.
    PermissionDenied,
    /// `NotFound`.
    NotFound,
    /// `Conflict`.
    Conflict,
    /// `RequestTooLarge`.
    RequestTooLarge,
    /// `UnprocessableEntity`.
    UnprocessableEntity,
    /// `RateLimit`.
    RateLimit,
    /// `InternalServer`.
    InternalServer,
    /// `Overloaded`.
    Overloaded,
}

impl ErrorKindName {
    /// The runtime's variant name.
    pub fn variant(self) -> &'static str {
        match self {
            ErrorKindName::BadRequest => "BadRequest",
            ErrorKindName::Authentication => "Authentication",
            ErrorKindName::PermissionDenied => "PermissionDenied",
            ErrorKindName::NotFound => "NotFound",
            ErrorKindName::Conflict => "Conflict",
            ErrorKindName::RequestTooLarge => "RequestTooLarge",
            ErrorKindName::UnprocessableEntity => "UnprocessableEntity",
            ErrorKindName::RateLimit => "RateLimit",
            ErrorKindName::InternalServer => "InternalServer",
            ErrorKindName::Overloaded => "Overloaded",
        }
    }
}

/// Names of environment variables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvSettings {
    /// Overrides the base URL.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Extra default headers, one `Name: value` per line.
    #[serde(default)]
    pub custom_headers: Option<String>,
    /// Refused with a pointer to `auth` (where each scheme's variable now goes), instead of as
    /// an unknown key.
    #[serde(default)]
    pub credentials: Option<serde_json::Value>,
}

impl Settings {
    /// Default settings for a crate named `crate_name`.
    pub fn for_crate(crate_name: &str) -> Self {
        Settings {
            spec: None,
            crate_name: crate_name.to_owned(),
            version: None,
            client_name: None,
            env: EnvSettings::default(),
            auth: BTreeMap::new(),
            default_headers: DefaultHeaders::default(),
            select: None,
            retry: RetrySettings::default(),
            request_id_header: None,
            idempotency_header: None,
            error_statuses: BTreeMap::new(),
            pagination: BTreeMap::new(),
            names: Names::default(),
            overlays: Vec::new(),
            parameters: BTreeMap::new(),
            modules: BTreeMap::new(),
            source: default_source(),
        }
    }

    /// Parses a settings file (YAML or JSON).
    pub fn from_text(file: &str, text: &str) -> Result<Self, Error> {
        let value = crate::parse::load(file, text)?;
        let mut settings: Settings = serde_path_to_error::deserialize(&value).map_err(|e| {
            Error::at(
                file,
                crate::parse::pointer_of(e.path()),
                ErrorKind::Settings(e.inner().to_string()),
            )
        })?;
        settings.source = file.to_owned();
        settings.validate(file)?;
        Ok(settings)
    }

    fn validate(&self, file: &str) -> Result<(), Error> {
        let valid_crate = !self.crate_name.is_empty()
            && self
                .crate_name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && self
                .crate_name
                .starts_with(|c: char| c.is_ascii_alphabetic());
        if !valid_crate {
            return Err(Error::at(
                file,
                "#/crate",
                ErrorKind::Settings(format!("`{}` is not a valid crate name", self.crate_name)),
            ));
        }
        if self.env.credentials.is_some() {
            return Err(Error::at(
                file,
                "#/env/credentials",
                ErrorKind::Settings(
                    "moved: give each scheme's variable in `auth`, as \
                     `auth: {<scheme>: {env: <VARIABLE>}}`"
                        .into(),
                ),
            ));
        }
        if let Some(version) = &self.version {
            if !auth::is_version(version) {
                return Err(Error::at(
                    file,
                    "#/version",
                    ErrorKind::Settings(format!(
                        "`{version}` is not a version: MAJOR.MINOR.PATCH, as Cargo takes it"
                    )),
                ));
            }
        }
        auth::validate(self, file)?;
        for (op, rule) in &self.pagination {
            let schemes = rule.schemes();
            if schemes.len() != 1 {
                return Err(Error::at(
                    file,
                    format!("#/pagination/{}", escape_token(op)),
                    ErrorKind::Settings(format!(
                        "give exactly one of cursor, offset, page, link_header (found {})",
                        if schemes.is_empty() {
                            "none".to_owned()
                        } else {
                            schemes.join(", ")
                        }
                    )),
                ));
            }
            if let Some(cursor) = &rule.cursor {
                if cursor.from.is_some() == cursor.from_last_item.is_some() {
                    return Err(Error::at(
                        file,
                        format!("#/pagination/{}/cursor", escape_token(op)),
                        ErrorKind::Settings("give exactly one of from, from_last_item".into()),
                    ));
                }
            }
        }
        for location in self.parameters.keys() {
            if !PARAMETER_LOCATIONS.contains(&location.as_str()) {
                return Err(Error::at(
                    file,
                    format!("#/parameters/{}", escape_token(location)),
                    ErrorKind::Settings(format!(
                        "`{location}` is not a parameter location (one of {})",
                        PARAMETER_LOCATIONS.join(", ")
                    )),
                ));
            }
        }
        for name in self.modules.keys() {
            if let Err(reason) = module_name_error(name) {
                return Err(Error::at(
                    file,
                    format!("#/modules/{}", escape_token(name)),
                    ErrorKind::Settings(reason),
                ));
            }
        }
        Ok(())
    }

    /// The crate's version: `version`, else [`crate::manifest::DEFAULT_VERSION`].
    pub fn crate_version(&self) -> &str {
        self.version
            .as_deref()
            .unwrap_or(crate::manifest::DEFAULT_VERSION)
    }

    /// The crate's library name (`anthropic_completions`).
    pub fn lib_name(&self) -> String {
        self.crate_name.replace('-', "_")
    }
}

/// The `in` values of OpenAPI parameters.
pub const PARAMETER_LOCATIONS: &[&str] = &["path", "query", "header", "cookie"];

/// Module names of the crate root that the generator writes itself.
pub const GENERATED_MODULES: &[&str] = &[
    "client",
    "resources",
    "types",
    "lib",
    "main",
    "mod",
    "forge_runtime",
];

/// Why `name` cannot name a hand-written module (`src/<name>.rs`, `pub mod <name>;`).
pub fn module_name_error(name: &str) -> Result<(), String> {
    let plain = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name != "_";
    if !plain {
        return Err(format!(
            "`{name}` is not a module name: lower-case letters, digits and `_`"
        ));
    }
    if GENERATED_MODULES.contains(&name) {
        return Err(format!("`{name}` is a module the generator writes itself"));
    }
    if crate::ir::names::needs_raw(name) || crate::ir::names::cannot_be_raw(name) {
        return Err(format!("`{name}` is a Rust keyword"));
    }
    Ok(())
}
