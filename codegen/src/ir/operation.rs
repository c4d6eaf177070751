//! Operations in the IR: what each generated method sends and what it reads back.

use super::model::{TypeId, TypeRef};
use crate::openapi::HttpMethod;

/// An index into [`Operation::params`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParamId(pub(crate) usize);

impl ParamId {
    /// The index into [`Operation::params`].
    pub fn index(self) -> usize {
        self.0
    }
}

/// An index into [`super::Api::groups`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupId(pub(crate) usize);

impl GroupId {
    /// The index into [`super::Api::groups`].
    pub fn index(self) -> usize {
        self.0
    }
}

/// One API operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Canonical JSON pointer of the operation.
    pub pointer: String,
    /// operationId (or one derived from method and path).
    pub id: String,
    /// The group it belongs to, or `None` for a method on the client itself.
    pub group: Option<GroupId>,
    /// Rust method name (the one-response call, or the stream for stream-only operations).
    pub method: String,
    /// Rust name of the streaming method, when the operation can also answer with a stream.
    pub stream_method: Option<String>,
    /// Rust name of the request value type the methods return.
    pub request_type: String,
    /// Rust name of the `static` describing its server-sent events, when it streams.
    pub events_static: Option<String>,
    /// The HTTP method.
    pub http: HttpMethod,
    /// The path, parsed.
    pub path: PathTemplate,
    /// Summary and description.
    pub doc: Option<String>,
    /// Deprecated.
    pub deprecated: bool,
    /// Parameters: path ones in template order, then the rest in spec order.
    pub params: Vec<Param>,
    /// Request body.
    pub body: Option<Body>,
    /// Success response.
    pub response: ResponseKind,
    /// The `Accept` header of the one-response call when the success media type is a JSON type
    /// other than `application/json` itself (`application/vnd.forem.api-v1+json`) or a concrete
    /// type that is not JSON (`application/x-subrip`, `text/csv`): a server that negotiates
    /// answers 406 to the runtime's default (`application/json`, `*/*`).
    pub accept: Option<String>,
    /// Headers the success response declares, lower-case (`link`, `request-id`).
    pub response_headers: Vec<String>,
    /// Server-sent events, when the operation can stream.
    pub stream: Option<Stream>,
    /// How to page through a list, when the settings (or the spec, unambiguously) say.
    pub pagination: Option<Pagination>,
    /// The Cargo feature it is compiled under (its area), or `None` for always.
    pub feature: Option<super::features::FeatureId>,
    /// Its security requirements (its own `security`, else the document's) when they differ
    /// from the client's default of sending every configured credential: alternatives, each
    /// the names of the client's schemes it needs together; an empty alternative, or none,
    /// needs no credential. `None`: the client's default.
    pub security: Option<Vec<Vec<String>>>,
}

impl Operation {
    /// Parameters the caller passes as method arguments: path ones and required others.
    pub fn positional(&self) -> impl Iterator<Item = (ParamId, &Param)> {
        self.params
            .iter()
            .enumerate()
            .filter(|(_, p)| p.required)
            .map(|(i, p)| (ParamId(i), p))
    }

    /// Parameters set with a method of the request value.
    pub fn optional(&self) -> impl Iterator<Item = (ParamId, &Param)> {
        self.params
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.required)
            .map(|(i, p)| (ParamId(i), p))
    }

    /// A parameter.
    pub fn param(&self, id: ParamId) -> &Param {
        &self.params[id.0]
    }

    /// Whether the one-response method exists (not a stream-only operation).
    pub fn has_single(&self) -> bool {
        !self.stream.as_ref().is_some_and(|s| s.only)
    }

    /// The types the client sends: the parameters' and the body's.
    pub fn sent(&self) -> impl Iterator<Item = &TypeRef> {
        let params = self.params.iter().map(|p| &p.ty);
        params.chain(self.body.iter().map(|b| &b.ty))
    }

    /// The types the client reads: the response's and the stream items'.
    pub fn read(&self) -> impl Iterator<Item = &TypeRef> {
        let response = match &self.response {
            ResponseKind::Json(t) | ResponseKind::JsonLines(t) => Some(t),
            ResponseKind::Text | ResponseKind::Bytes | ResponseKind::Empty => None,
        };
        response
            .into_iter()
            .chain(self.stream.iter().map(|s| &s.item))
    }
}

/// A path template: literal text and parameters, in order, plus constant query pairs some specs
/// write into the path key (`/v1/messages?beta=true`).
#[derive(Debug, Clone, PartialEq)]
pub struct PathTemplate {
    /// The segments, in order.
    pub segments: Vec<PathSegment>,
    /// Query pairs fixed by the path key.
    pub query: Vec<(String, String)>,
    /// The template as the spec wrote it, for docs.
    pub raw: String,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq)]
pub enum PathSegment {
    /// Text sent as it is.
    Literal(String),
    /// A path parameter, percent-encoded as one segment.
    Param(ParamId),
}

/// A parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Rust name (argument, or setter of the request value).
    pub name: String,
    /// Wire name.
    pub wire: String,
    /// Where it goes, and how it is written there.
    pub location: ParamLocation,
    /// Its type.
    pub ty: TypeRef,
    /// A method argument (path parameters always are).
    pub required: bool,
    /// Rustdoc.
    pub doc: Option<String>,
    /// Spec default, as the string sent on the wire.
    pub default: Option<String>,
    /// `#[deprecated]` note.
    pub deprecated: Option<String>,
    /// Where the spec declares it (canonical JSON pointer, `$ref`s followed): a lenient reading
    /// may move it (a path parameter of a query in a path key becomes a query parameter).
    pub pointer: String,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string, in a style.
    Query(QueryStyle),
    /// A header (lists joined with `,`).
    Header,
    /// A cookie.
    Cookie,
}

impl ParamLocation {
    /// The word for docs (`query`).
    pub fn word(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query(_) => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// How a query parameter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `form`, exploded: `x=a&x=b`, objects as their own keys.
    FormExploded,
    /// `form`, not exploded: `x=a,b`.
    Form,
    /// `spaceDelimited`: `x=a%20b`.
    SpaceDelimited,
    /// `pipeDelimited`: `x=a|b`.
    PipeDelimited,
    /// `deepObject`: `x[a]=1&x[b][c]=2`.
    DeepObject,
    /// A parameter described by `content` with a JSON media type instead of a `schema`: the
    /// value's JSON text as one pair (`query={"select":"node"}`).
    Json,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Encoding, with the media type sent.
    pub media: RequestMedia,
    /// Type.
    pub ty: TypeRef,
    /// Required (an optional body is still an argument today).
    pub required: bool,
}

/// Request body encodings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestMedia {
    /// `application/json`; `Some` for a vendor type (`application/merge-patch+json`) sent as is.
    Json(Option<String>),
    /// `application/x-www-form-urlencoded`, with the top-level array fields written without
    /// brackets; every other array and object is written in brackets (`deepObject`).
    Form(Vec<FormArray>),
    /// `multipart/form-data`.
    Multipart,
    /// `text/*`.
    Text,
    /// Anything else, as bytes under this content type.
    Binary(String),
}

/// A top-level array field of a form body that OpenAPI's `style: form` writes without
/// brackets (the default of an Encoding Object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormArray {
    /// The field's wire name.
    pub wire: String,
    /// How its items are written.
    pub style: FormArrayStyle,
}

/// How the items of a [`FormArray`] are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormArrayStyle {
    /// `explode: true` (the default): one `name=item` pair per item.
    Repeated,
    /// `explode: false`: one `name=a,b` pair.
    Joined,
}

/// Success response shapes.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseKind {
    /// JSON decoded to a type.
    Json(TypeRef),
    /// JSON Lines (`application/x-jsonl`, `application/x-ndjson`): one value of the type per
    /// line, decoded to a `Vec`.
    JsonLines(TypeRef),
    /// Text.
    Text,
    /// Raw bytes.
    Bytes,
    /// No body.
    Empty,
}

/// Server-sent events of an operation.
#[derive(Debug, Clone)]
pub struct Stream {
    /// Type yielded per event.
    pub item: TypeRef,
    /// The body field that asks for the stream: the methods set it, so the body type has none.
    pub toggle: Option<Toggle>,
    /// Event name to action.
    pub events: Vec<(String, EventAction)>,
    /// Action for other events.
    pub otherwise: EventAction,
    /// The operation answers only with a stream.
    pub only: bool,
}

/// The streaming toggle: a boolean property of the body type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toggle {
    /// The body type.
    pub ty: TypeId,
    /// The property's wire name.
    pub wire: String,
}

/// What the client does with one server-sent event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventAction {
    /// Parse the data as the item type and yield it.
    Yield,
    /// Ignore it.
    Skip,
    /// The data is an error envelope: end the stream with an error.
    Error,
}

/// How a list operation pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The response field (a list) that holds the items.
    pub items: FieldPath,
    /// The item type.
    pub item: TypeRef,
    /// How the next page is asked for.
    pub scheme: PageScheme,
}

/// The ways an API asks for the next page.
#[derive(Debug, Clone, PartialEq)]
pub enum PageScheme {
    /// A cursor from a response field goes into a request parameter (Anthropic's `after_id` from
    /// `last_id`, Stripe's `starting_after` from the last item's `id`).
    Cursor {
        /// The query parameter that takes the cursor.
        param: ParamId,
        /// Where the cursor comes from.
        source: CursorSource,
        /// A boolean response field that says whether there is more (`has_more`).
        has_more: Option<FieldPath>,
    },
    /// A numeric offset parameter, advanced by the number of items received.
    Offset {
        /// The offset parameter.
        param: ParamId,
    },
    /// A page number parameter, advanced by one.
    PageNumber {
        /// The page parameter.
        param: ParamId,
        /// The first page's number when the caller sets none.
        first: u64,
    },
    /// The `Link: <...>; rel="next"` header.
    LinkHeader,
}

/// Where the next cursor is read.
#[derive(Debug, Clone, PartialEq)]
pub enum CursorSource {
    /// A response field (`last_id`, `next_cursor`).
    Field(FieldPath),
    /// A field of the last item (`id`).
    LastItem(FieldPath),
}

/// A path of fields from a type to a value inside it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldPath {
    /// The struct each step starts from, and the index of the field taken.
    pub steps: Vec<(TypeId, usize)>,
    /// The type at the end of the path.
    pub end: TypeRef,
}

/// A group of operations (`client.completions()`), possibly inside another
/// (`client.beta().files()`).
#[derive(Debug, Clone)]
pub struct Group {
    /// The group it is inside, or `None` for one reached from the client.
    pub parent: Option<GroupId>,
    /// The accessor method on the client or the parent group.
    pub method: String,
    /// Rust type of the group handle.
    pub type_name: String,
    /// Rust module the group's code lives in.
    pub module: String,
    /// The group's path as the spec or settings name it (`completions`, `beta.files`).
    pub path: String,
    /// The tag's description, when a tag made the group.
    pub doc: Option<String>,
}

/// Where the client finds an error's type, message and request id.
#[derive(Debug, Clone)]
pub struct ErrorEnvelope {
    /// The envelope type.
    pub ty: TypeId,
    /// Field path to the error type.
    pub error_type: Option<FieldPath>,
    /// Field path to the message.
    pub message: Option<FieldPath>,
    /// Field path to the request id.
    pub request_id: Option<FieldPath>,
}
