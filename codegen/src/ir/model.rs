//! The type space of the IR: named types and the type expressions that refer to them.

/// A named type: an index into [`super::Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub(crate) usize);

impl TypeId {
    /// The index into [`super::Api::types`].
    pub fn index(self) -> usize {
        self.0
    }
}

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// A sized integer.
    Int(IntKind),
    /// `f64`: a JSON number, every digit of which `f32` could not keep.
    Float,
    /// `serde_json::Value`: anything.
    Json,
    /// `serde_json::Map<String, Value>`: any object.
    JsonObject,
    /// A named type.
    Named(TypeId),
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>` from `nullable`; fields add their own `Option` for absence.
    Nullable(Box<TypeRef>),
    /// `Box<T>` to break a recursive containment.
    Boxed(Box<TypeRef>),
    /// File contents (`format: binary`): `forge_runtime::Upload`.
    Upload,
}

impl TypeRef {
    /// `Nullable(self)` when `nullable`: the one place a nullable value becomes an `Option`.
    pub fn nullable_if(self, nullable: bool) -> TypeRef {
        if nullable {
            TypeRef::Nullable(Box::new(self))
        } else {
            self
        }
    }

    /// How a setter or constructor takes a value of this type: the one rule for `impl Into`.
    pub fn argument(&self) -> Argument {
        match self {
            TypeRef::String
            | TypeRef::Named(_)
            | TypeRef::Vec(_)
            | TypeRef::Boxed(_)
            | TypeRef::Upload => Argument::Into,
            _ => Argument::Value,
        }
    }

    /// The named type this expression holds directly or through `Option`, `Box` and `Vec`.
    pub fn named_within(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            TypeRef::Nullable(inner) | TypeRef::Boxed(inner) | TypeRef::Vec(inner) => {
                inner.named_within()
            }
            _ => None,
        }
    }

    /// Every named type mentioned anywhere in this expression.
    pub fn for_each_named(&self, f: &mut impl FnMut(TypeId)) {
        match self {
            TypeRef::Named(id) => f(*id),
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Nullable(inner)
            | TypeRef::Boxed(inner) => inner.for_each_named(f),
            _ => {}
        }
    }
}

/// How a value is passed to a setter or constructor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Argument {
    /// `impl Into<T>`: strings, named types, lists, boxes, uploads.
    Into,
    /// `T` itself: numbers, booleans, JSON values, maps, options.
    Value,
}

/// Integer widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntKind {
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `serde_json::Number`, for bounds no primitive holds.
    Number,
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust name.
    pub name: String,
    /// Rustdoc text.
    pub doc: Option<String>,
    /// Where it came from (canonical JSON pointer).
    pub pointer: String,
    /// `#[deprecated(note)]` text, if deprecated.
    pub deprecated: Option<String>,
    /// What it is.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Struct),
    /// An open string enum: known constants, any other string kept.
    OpenEnum(Vec<EnumValue>),
    /// A closed string enum.
    ClosedEnum(Vec<EnumValue>),
    /// A single value (`const`, or a one-value `enum`), as a zero-sized type.
    Const(ConstValue),
    /// A union with a tag property.
    Tagged {
        /// Wire name of the tag property.
        tag: String,
        /// The variants, each with its tag value.
        variants: Vec<Variant>,
    },
    /// A union tried in order; a variant is only tried when the value carries its constants.
    Untagged(Vec<Variant>),
    /// `pub type Name = T;`
    Alias(TypeRef),
    /// `pub struct Name(pub T);`, for an alias that contains itself (`A: array of A`), which a
    /// type alias cannot express.
    Newtype(TypeRef),
}

/// A constant value.
#[derive(Debug, Clone, PartialEq)]
pub enum ConstValue {
    /// A string.
    Str(String),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer beyond `i64`.
    Uint(u64),
    /// A boolean.
    Bool(bool),
}

/// A struct.
#[derive(Debug, Clone, Default)]
pub struct Struct {
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// What to do with keys that are not fields.
    pub extra: Extra,
    /// Rust name of the extra-keys field.
    pub extra_name: String,
    /// Methods for building it, when the client sends it (request bodies and what they hold).
    pub builder: Option<Builder>,
}

/// Keys outside the declared properties.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Extra {
    /// `additionalProperties: false`: ignored when reading, never written.
    #[default]
    Deny,
    /// Kept in a flattened map of values of this type.
    Keep(TypeRef),
}

/// Whether a field must be on the wire and whether it may be `null`: one rule, four states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always present, never `null`: `T`.
    Required,
    /// May be absent, never `null`: `Option<T>`, left out when `None`.
    Optional,
    /// Always present, may be `null`: `Option<T>` (a missing key also reads as `None`).
    Nullable,
    /// May be absent or `null`: `Option<Option<T>>`, so the three states stay apart.
    OptionalNullable,
}

impl Presence {
    /// From the schema's `required` list and nullability.
    pub fn of(required: bool, nullable: bool) -> Self {
        match (required, nullable) {
            (true, false) => Presence::Required,
            (false, false) => Presence::Optional,
            (true, true) => Presence::Nullable,
            (false, true) => Presence::OptionalNullable,
        }
    }

    /// Whether the key may be left out when writing.
    pub fn may_be_absent(self) -> bool {
        matches!(self, Presence::Optional | Presence::OptionalNullable)
    }

    /// Whether `null` is a value.
    pub fn nullable(self) -> bool {
        matches!(self, Presence::Nullable | Presence::OptionalNullable)
    }
}

/// Who fills a field in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// The caller: a constructor argument when required, a setter when optional.
    Caller,
    /// Nobody: the field's type is a constant that always serializes right.
    Constant,
    /// The server only (`readOnly`): read from responses, never taken by a constructor or setter.
    Server,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust name (without `r#`).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// Rustdoc.
    pub doc: Option<String>,
    /// The value's type (without the `Option`s of its presence).
    pub ty: TypeRef,
    /// Presence on the wire.
    pub presence: Presence,
    /// Who fills it in.
    pub fill: Fill,
    /// `#[deprecated(note)]` text.
    pub deprecated: Option<String>,
    /// Constraints to check in `validate()`.
    pub constraints: Constraints,
}

impl Field {
    /// Whether the constructor takes this field as an argument.
    pub fn is_constructor_arg(&self) -> bool {
        self.fill == Fill::Caller && !self.presence.may_be_absent()
    }
}

/// The building methods of a struct the client sends, with names claimed in one scope with
/// `new` and `validate`.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    /// One setter per optional field the caller fills: (field index, setter name, null-setter
    /// name for optional nullable fields).
    pub setters: Vec<Setter>,
    /// Whether the type gets `validate()` (it or something inside carries constraints).
    pub validates: bool,
}

/// A setter of an optional field.
#[derive(Debug, Clone)]
pub struct Setter {
    /// Index into [`Struct::fields`].
    pub field: usize,
    /// The setter's name.
    pub name: String,
    /// The name of the setter that sends an explicit `null`, for optional nullable fields.
    pub null_name: Option<String>,
}

/// Validation constraints on a value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `minimum` (inclusive).
    pub minimum: Option<f64>,
    /// `maximum` (inclusive).
    pub maximum: Option<f64>,
    /// Exclusive lower bound.
    pub exclusive_minimum: Option<f64>,
    /// Exclusive upper bound.
    pub exclusive_maximum: Option<f64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
}

impl Constraints {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// One value of a string enum.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// Rust name (variant `UpperCamel`, or constant `SHOUTY` for open enums).
    pub name: String,
    /// The wire string.
    pub value: String,
    /// Rustdoc.
    pub doc: Option<String>,
    /// `#[deprecated(note)]` text.
    pub deprecated: Option<String>,
}

/// One variant of a union.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Rust variant name.
    pub name: String,
    /// Tag value (tagged unions).
    pub tag: Option<String>,
    /// The other tag values that select this variant: the mapping gives it several, or its
    /// own `enum` lists several under a discriminator without a mapping (OpenAI's
    /// `web_search` and `web_search_2025_08_26`).
    pub aliases: Vec<String>,
    /// Payload.
    pub ty: TypeRef,
    /// Rustdoc.
    pub doc: Option<String>,
    /// Constants the value must carry for this variant to be tried (untagged unions).
    pub requires: Vec<Requirement>,
    /// JSON pointers of the keys this variant requires but reads as `None` when they are
    /// missing (required and nullable fields): a value that has them all is tried on this
    /// variant before any value without them is (untagged unions; GitHub's card body whose
    /// `note` variant read a `content_id` body as `{"note": null}`).
    pub keys: Vec<String>,
}

/// A constant an untagged union's variant looks for in a value before it is tried.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    /// JSON pointer into the value (`""`: the value itself).
    pub pointer: String,
    /// The constant found there.
    pub value: ConstValue,
    /// Whether a value without the pointer passes.
    pub carried: Carried,
}

/// How a value carries a variant's constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carried {
    /// Always: a value without it is another variant's.
    Always,
    /// When the pointer is there and not `null` (an optional or nullable field, which reads
    /// both as `None`): a value without it may still be this variant's.
    IfPresent,
}
