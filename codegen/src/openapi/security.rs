//! Security schemes.

use serde::Deserialize;

/// A security scheme, by its `type`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type")]
pub enum SecurityScheme {
    /// `apiKey`: a header, query parameter or cookie.
    #[serde(rename = "apiKey")]
    ApiKey {
        /// The header, query parameter or cookie name.
        name: String,
        /// Where it goes.
        #[serde(rename = "in")]
        location: ApiKeyIn,
        /// Description.
        #[serde(default)]
        description: Option<String>,
    },
    /// `http`: an `Authorization` scheme such as `bearer` or `basic`.
    #[serde(rename = "http")]
    Http {
        /// `bearer`, `basic`, ... (case-insensitive).
        scheme: String,
        /// Description.
        #[serde(default)]
        description: Option<String>,
    },
    /// `oauth2`: the client sends the token it was given as a bearer token.
    #[serde(rename = "oauth2")]
    OAuth2 {
        /// Description.
        #[serde(default)]
        description: Option<String>,
    },
    /// `openIdConnect`: like `oauth2`, a bearer token.
    #[serde(rename = "openIdConnect")]
    OpenIdConnect {
        /// Description.
        #[serde(default)]
        description: Option<String>,
    },
    /// `mutualTLS`: configured on the HTTP client, not per request.
    #[serde(rename = "mutualTLS")]
    MutualTls {
        /// Description.
        #[serde(default)]
        description: Option<String>,
    },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiKeyIn {
    /// A header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

impl SecurityScheme {
    /// The scheme's description.
    pub fn description(&self) -> Option<&str> {
        match self {
            SecurityScheme::ApiKey { description, .. }
            | SecurityScheme::Http { description, .. }
            | SecurityScheme::OAuth2 { description }
            | SecurityScheme::OpenIdConnect { description }
            | SecurityScheme::MutualTls { description } => description.as_deref(),
        }
    }
}
