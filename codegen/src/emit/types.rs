//! Type definitions: structs with constructors, setters and `validate()`, open and closed enums,
//! constants, unions and aliases.

use std::collections::HashSet;
use std::sync::Arc;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::doc::{doc_attrs, doc_or, first_line, own_doc, with_paragraph};
use super::{ident, ty, type_ident, Unit};
use crate::ir::{
    Api, Constraints, EnumValue, Extra, Field, Struct, TypeDef, TypeKind, TypeRef, Variant,
};

/// Types per rendering unit: small enough to spread over threads and keep peak memory low.
const TYPES_PER_UNIT: usize = 64;

/// `src/types.rs`, as independent units: the module head, then the types in chunks.
pub fn units(api: &Api) -> Vec<Unit<'_>> {
    // Only what the client sends gets setters and `validate()`; responses are read, not built,
    // and leaving those methods out keeps big crates (Stripe: thousands of types) smaller.
    let inputs = input_types(api);
    let mut validating = validating_types(api);
    validating.retain(|id| inputs.contains(id));
    let sets = Arc::new((inputs, validating));
    let mut units = vec![Unit::new(move || {
        let uses = if api.types.is_empty() {
            TokenStream::new()
        } else {
            quote! { use serde::{Deserialize, Serialize}; }
        };
        quote! {
            //! The API's data types, one per schema.
            // Deprecation is for users of the crate; the crate itself must keep using what it defines.
            #![allow(deprecated)]
            #![allow(clippy::large_enum_variant, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
            #uses
        }
    })];
    for start in (0..api.types.len()).step_by(TYPES_PER_UNIT) {
        let end = (start + TYPES_PER_UNIT).min(api.types.len());
        let sets = Arc::clone(&sets);
        units.push(Unit::new(move || {
            let (inputs, validating) = &*sets;
            let items = (start..end).map(|id| {
                let def = &api.types[id];
                type_def(
                    api,
                    def,
                    validating.contains(&id).then_some(validating),
                    inputs.contains(&id),
                )
            });
            quote! { #(#items)* }
        }));
    }
    units
}

/// Types reachable from request bodies and parameters: the values the client sends.
pub fn input_types(api: &Api) -> HashSet<usize> {
    let mut seen = HashSet::new();
    let mut stack: Vec<&TypeRef> = Vec::new();
    for op in &api.operations {
        stack.extend(op.params.iter().map(|p| &p.ty));
        stack.extend(op.body.iter().map(|b| &b.ty));
    }
    while let Some(t) = stack.pop() {
        match t {
            TypeRef::Named(id) => {
                if !seen.insert(*id) {
                    continue;
                }
                match &api.types[*id].kind {
                    TypeKind::Struct(s) => {
                        stack.extend(s.fields.iter().map(|f| &f.ty));
                        if let Extra::Keep(t) = &s.extra {
                            stack.push(t);
                        }
                    }
                    TypeKind::Tagged { variants, .. } | TypeKind::Untagged(variants) => {
                        stack.extend(variants.iter().map(|v| &v.ty))
                    }
                    TypeKind::Alias(t) | TypeKind::Newtype(t) => stack.push(t),
                    _ => {}
                }
            }
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Nullable(inner)
            | TypeRef::Boxed(inner) => stack.push(inner),
            _ => {}
        }
    }
    seen
}

/// Types whose values carry constraints somewhere inside, and so get `validate()`.
pub fn validating_types(api: &Api) -> HashSet<usize> {
    let mut set = HashSet::new();
    loop {
        let before = set.len();
        for (id, def) in api.types.iter().enumerate() {
            if let TypeKind::Struct(s) = &def.kind {
                if s.fields.iter().any(|f| {
                    !f.constraints.is_empty() || named_in(&f.ty).is_some_and(|t| set.contains(&t))
                }) {
                    set.insert(id);
                }
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

/// The named type a field holds, through `Option`, `Box` and `Vec`.
fn named_in(ty: &TypeRef) -> Option<usize> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) | TypeRef::Vec(inner) => named_in(inner),
        _ => None,
    }
}

fn deprecated_attr(note: Option<&str>) -> TokenStream {
    match note {
        Some(note) => quote! { #[deprecated(note = #note)] },
        None => TokenStream::new(),
    }
}

/// `validating` is the set of validating types, given only when this type is one of them.
fn type_def(
    api: &Api,
    def: &TypeDef,
    validating: Option<&HashSet<usize>>,
    input: bool,
) -> TokenStream {
    let name = type_ident(&def.name);
    let docs = doc_or(def.doc.as_deref(), &format!("The `{}` schema.", def.name));
    let deprecated = deprecated_attr(def.deprecated.as_deref());
    match &def.kind {
        TypeKind::Struct(s) => struct_def(api, &name, docs, deprecated, s, validating, input),
        TypeKind::OpenEnum(values) => open_enum(&name, docs, deprecated, values),
        TypeKind::ClosedEnum(values) => closed_enum(&name, docs, deprecated, values),
        TypeKind::Const(value) => const_def(&name, docs, deprecated, value),
        TypeKind::Tagged { tag, variants } => tagged(api, &name, docs, deprecated, tag, variants),
        TypeKind::Untagged(variants) => untagged(api, &name, docs, deprecated, variants),
        TypeKind::Alias(target) => {
            let target = ty(api, target);
            quote! { #docs #deprecated pub type #name = #target; }
        }
        TypeKind::Newtype(target) => {
            let target = ty(api, target);
            quote! {
                #docs
                #deprecated
                #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
    }
}

fn field_type(api: &Api, f: &Field) -> TokenStream {
    let inner = ty(api, &f.ty);
    match (f.required, f.nullable) {
        (true, false) => inner,
        (true, true) | (false, false) => quote! { Option<#inner> },
        (false, true) => quote! { Option<Option<#inner>> },
    }
}

fn struct_def(
    api: &Api,
    name: &proc_macro2::Ident,
    docs: TokenStream,
    deprecated: TokenStream,
    s: &Struct,
    validating: Option<&HashSet<usize>>,
    input: bool,
) -> TokenStream {
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = &f.wire;
        let rename = if f.name != *wire { quote! { #[serde(rename = #wire)] } } else { TokenStream::new() };
        let serde_attr = match (f.required, f.nullable, f.defaulted) {
            (true, false, false) => TokenStream::new(),
            (true, _, _) => quote! { #[serde(default)] },
            (false, false, _) => quote! { #[serde(default, skip_serializing_if = "Option::is_none")] },
            (false, true, _) => quote! {
                #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "forge_runtime::wire::deserialize_nullable")]
            },
        };
        let mut text = f.doc.clone().filter(|d| !d.trim().is_empty()).unwrap_or_else(|| format!("The `{wire}` field."));
        if f.nullable && !f.required {
            text = with_paragraph(Some(&text), "`Some(None)` sends an explicit `null`; `None` leaves the key out.");
        }
        let doc = doc_attrs(Some(&text));
        let dep = deprecated_attr(f.deprecated.as_deref());
        let fty = field_type(api, f);
        quote! { #doc #dep #rename #serde_attr pub #fname: #fty, }
    });
    let extra = match &s.extra {
        Extra::Deny => TokenStream::new(),
        Extra::Keep(value) => {
            let ename = ident(&s.extra_name);
            let value = ty(api, value);
            let doc = doc_attrs(Some(if matches!(s.extra, Extra::Keep(TypeRef::Json)) {
                "Keys the schema does not declare, kept as they came so nothing the server sends is lost."
            } else {
                "Entries beyond the declared fields (`additionalProperties`)."
            }));
            quote! { #doc #[serde(flatten)] pub #ename: std::collections::BTreeMap<String, #value>, }
        }
    };
    let has_deprecated = s.fields.iter().any(|f| f.deprecated.is_some());
    let allow_deprecated = if has_deprecated {
        quote! { #[allow(deprecated)] }
    } else {
        TokenStream::new()
    };
    let methods = struct_methods(api, name, s, validating, input);
    let default = if s.fields.iter().any(Field::is_constructor_arg) {
        TokenStream::new()
    } else {
        quote! { Default, }
    };
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, #default PartialEq, Serialize, Deserialize)]
        #allow_deprecated
        pub struct #name { #(#fields)* #extra }
        #allow_deprecated
        impl #name { #methods }
    }
}

/// A constructor argument's type and how to store it: `impl Into<T>` where that reads well.
fn arg_type(api: &Api, f: &Field) -> (TokenStream, TokenStream) {
    let fname = ident(&f.name);
    if f.nullable {
        let fty = field_type(api, f);
        return (fty, quote! { #fname });
    }
    let inner = ty(api, &f.ty);
    match &f.ty {
        TypeRef::String
        | TypeRef::Named(_)
        | TypeRef::Vec(_)
        | TypeRef::Boxed(_)
        | TypeRef::Bytes => (quote! { impl Into<#inner> }, quote! { #fname.into() }),
        _ => (inner, quote! { #fname }),
    }
}

fn struct_methods(
    api: &Api,
    name: &proc_macro2::Ident,
    s: &Struct,
    validating: Option<&HashSet<usize>>,
    input: bool,
) -> TokenStream {
    let args: Vec<&Field> = s.fields.iter().filter(|f| f.is_constructor_arg()).collect();
    let params = args.iter().map(|f| {
        let fname = ident(&f.name);
        let (aty, _) = arg_type(api, f);
        quote! { #fname: #aty }
    });
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        if f.is_constructor_arg() {
            let (_, store) = arg_type(api, f);
            if store.to_string() == f.name {
                quote! { #fname }
            } else {
                quote! { #fname: #store }
            }
        } else if f.required {
            quote! { #fname: Default::default() }
        } else {
            quote! { #fname: None }
        }
    });
    let extra_init = match &s.extra {
        Extra::Deny => TokenStream::new(),
        Extra::Keep(_) => {
            let ename = ident(&s.extra_name);
            quote! { #ename: Default::default() }
        }
    };
    let too_many = if args.len() > 7 {
        quote! { #[allow(clippy::too_many_arguments)] }
    } else {
        TokenStream::new()
    };
    let new_doc = if args.is_empty() {
        format!("Creates a `{name}` with every field unset.")
    } else {
        let list: Vec<String> = args.iter().map(|f| format!("`{}`", f.wire)).collect();
        format!(
            "Creates a `{name}` from its required fields ({}); the optional ones start unset.",
            list.join(", ")
        )
    };
    let new_doc = doc_attrs(Some(&new_doc));
    // Setters share one scope with the constructor and `validate`, so no two can clash.
    let mut setter_names = crate::ir::names::Scope::with_reserved(&["new", "validate"]);
    let optional: Vec<&Field> = s.fields.iter().filter(|f| input && !f.required).collect();
    let plain: Vec<String> = optional
        .iter()
        .map(|f| {
            let base = if f.name == "new" || f.name == "validate" {
                format!("with_{}", f.name)
            } else {
                f.name.clone()
            };
            setter_names.claim(base)
        })
        .collect();
    let nulls: Vec<Option<String>> = optional
        .iter()
        .map(|f| {
            f.nullable
                .then(|| setter_names.claim(format!("{}_null", f.name)))
        })
        .collect();
    let setters = optional
        .iter()
        .zip(plain)
        .zip(nulls)
        .map(|((f, setter), null_name)| {
            let fname = ident(&f.name);
            let setter = ident(&setter);
            let summary =
                first_line(f.doc.as_deref()).unwrap_or_else(|| format!("The `{}` field.", f.wire));
            let doc = doc_attrs(Some(&format!("Sets `{}`: {summary}", f.wire)));
            let dep = deprecated_attr(f.deprecated.as_deref());
            let inner = ty(api, &f.ty);
            let (arg, value) = match &f.ty {
                TypeRef::String
                | TypeRef::Named(_)
                | TypeRef::Vec(_)
                | TypeRef::Boxed(_)
                | TypeRef::Bytes => (quote! { impl Into<#inner> }, quote! { value.into() }),
                _ => (inner, quote! { value }),
            };
            let store = if f.nullable {
                quote! { Some(Some(#value)) }
            } else {
                quote! { Some(#value) }
            };
            let null_setter = if let Some(null_name) = null_name {
                let null_name = ident(&null_name);
                let ndoc = doc_attrs(Some(&format!("Sends `{}` as an explicit `null`.", f.wire)));
                quote! {
                    #ndoc #dep #[must_use]
                    pub fn #null_name(mut self) -> Self { self.#fname = Some(None); self }
                }
            } else {
                TokenStream::new()
            };
            quote! {
                #doc #dep #[must_use]
                pub fn #setter(mut self, value: #arg) -> Self { self.#fname = #store; self }
                #null_setter
            }
        });
    let validate = match validating {
        Some(validating) => validate_fn(s, validating),
        None => TokenStream::new(),
    };
    quote! {
        #new_doc
        #too_many
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits,)* #extra_init }
        }
        #(#setters)*
        #validate
    }
}

fn validate_fn(s: &Struct, validating: &HashSet<usize>) -> TokenStream {
    let checks = s.fields.iter().filter_map(|f| {
        let fname = ident(&f.name);
        let wire = &f.wire;
        let value_checks = constraint_checks(&f.constraints, wire, &f.ty);
        let nested = nested_validation(validating, &f.ty, quote! { value }, quote! { #wire }, 0);
        if value_checks.is_empty() && nested.is_empty() {
            return None;
        }
        let body = quote! { #value_checks #nested };
        Some(match (f.required, f.nullable) {
            (true, false) => quote! { { let value = &self.#fname; #body } },
            (true, true) | (false, false) => quote! { if let Some(value) = &self.#fname { #body } },
            (false, true) => quote! { if let Some(Some(value)) = &self.#fname { #body } },
        })
    });
    quote! {
        /// Checks the constraints the API's schema states (lengths, ranges, item counts), here and
        /// in nested values. Sending does not call this: the server stays the judge.
        ///
        /// # Errors
        ///
        /// The first constraint broken, naming the field.
        pub fn validate(&self) -> Result<(), forge_runtime::validation::ValidationError> {
            #(#checks)*
            Ok(())
        }
    }
}

/// Code that calls `validate()` on every validating value inside `value` (a reference), naming
/// each by its path.
fn nested_validation(
    validating: &HashSet<usize>,
    t: &TypeRef,
    value: TokenStream,
    path: TokenStream,
    depth: usize,
) -> TokenStream {
    match t {
        TypeRef::Named(id) if validating.contains(id) => {
            quote! { #value.validate().map_err(|e| e.within(#path))?; }
        }
        TypeRef::Boxed(inner) => nested_validation(validating, inner, value, path, depth),
        TypeRef::Nullable(inner) => {
            let v = format_ident!("inner{depth}");
            let body = nested_validation(validating, inner, quote! { #v }, path, depth + 1);
            if body.is_empty() {
                body
            } else {
                quote! { if let Some(#v) = #value { #body } }
            }
        }
        TypeRef::Vec(inner) => {
            let item = format_ident!("item{depth}");
            let index = format_ident!("i{depth}");
            let body = nested_validation(
                validating,
                inner,
                quote! { #item },
                quote! { &format!("{}[{}]", #path, #index) },
                depth + 1,
            );
            if body.is_empty() {
                body
            } else {
                quote! { for (#index, #item) in #value.iter().enumerate() { #body } }
            }
        }
        _ => TokenStream::new(),
    }
}

fn constraint_checks(c: &Constraints, wire: &str, fty: &TypeRef) -> TokenStream {
    let mut out = TokenStream::new();
    let unboxed = match fty {
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => inner.as_ref(),
        other => other,
    };
    match unboxed {
        TypeRef::String => {
            if let Some(min) = c.min_length {
                out.extend(quote! { forge_runtime::validation::min_length(#wire, value, #min)?; });
            }
            if let Some(max) = c.max_length {
                out.extend(quote! { forge_runtime::validation::max_length(#wire, value, #max)?; });
            }
        }
        TypeRef::Int(kind) if *kind != crate::ir::IntKind::Number => {
            out.extend(numeric_checks(c, wire, quote! { *value as f64 }));
        }
        TypeRef::Float(crate::ir::FloatKind::F64) => {
            out.extend(numeric_checks(c, wire, quote! { *value }));
        }
        TypeRef::Float(crate::ir::FloatKind::F32) => {
            out.extend(numeric_checks(c, wire, quote! { f64::from(*value) }));
        }
        TypeRef::Vec(_) => {
            if let Some(min) = c.min_items {
                out.extend(
                    quote! { forge_runtime::validation::min_items(#wire, value.len(), #min)?; },
                );
            }
            if let Some(max) = c.max_items {
                out.extend(
                    quote! { forge_runtime::validation::max_items(#wire, value.len(), #max)?; },
                );
            }
        }
        _ => {}
    }
    out
}

fn numeric_checks(c: &Constraints, wire: &str, value: TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let checks = [
        (c.minimum, quote! { minimum }),
        (c.maximum, quote! { maximum }),
        (c.exclusive_minimum, quote! { exclusive_minimum }),
        (c.exclusive_maximum, quote! { exclusive_maximum }),
    ];
    for (bound, check) in checks {
        if let Some(bound) = bound {
            let lit = Literal::f64_suffixed(bound);
            out.extend(quote! { forge_runtime::validation::#check(#wire, #value, #lit)?; });
        }
    }
    out
}

fn open_enum(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    deprecated: TokenStream,
    values: &[EnumValue],
) -> TokenStream {
    let consts = values.iter().map(|v| {
        let cname = format_ident!("{}", v.name);
        let value = &v.value;
        let doc = doc_or(v.doc.as_deref(), &format!("`{value}`"));
        let dep = deprecated_attr(v.deprecated.as_deref());
        quote! { #doc #dep pub const #cname: #name = #name(std::borrow::Cow::Borrowed(#value)); }
    });
    let known = values.iter().map(|v| format_ident!("{}", v.name));
    let strings: Vec<&String> = values.iter().map(|v| &v.value).collect();
    let deprecations = values.iter().filter_map(|v| {
        let value = &v.value;
        v.deprecated
            .as_ref()
            .map(|note| quote! { #value => Some(#note), })
    });
    let descriptions = values.iter().filter_map(|v| {
        let value = &v.value;
        v.doc.as_ref().map(|d| quote! { #value => Some(#d), })
    });
    let deprecations: Vec<TokenStream> = deprecations.collect();
    let descriptions: Vec<TokenStream> = descriptions.collect();
    let lookup = |arms: &[TokenStream]| {
        if arms.is_empty() {
            quote! { None }
        } else {
            quote! { match self.as_str() { #(#arms)* _ => None } }
        }
    };
    let deprecation_body = lookup(&deprecations);
    let description_body = lookup(&descriptions);
    let is_known = if strings.is_empty() {
        quote! { false }
    } else {
        quote! { matches!(self.as_str(), #(#strings)|*) }
    };
    let type_doc = format!(
        "An open set: any string is a valid `{name}`. Known values are associated constants; others \
         round-trip unchanged."
    );
    let type_doc = doc_attrs(Some(&type_doc));
    quote! {
        #docs
        ///
        #type_doc
        #deprecated
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct #name(std::borrow::Cow<'static, str>);

        #[allow(deprecated)]
        impl #name {
            #(#consts)*

            /// Every value known to this version of the crate, in the spec's order.
            pub const KNOWN: &'static [#name] = &[#(Self::#known),*];

            /// A value from a string that lives for the whole program, without allocating.
            pub const fn from_static(value: &'static str) -> Self {
                #name(std::borrow::Cow::Borrowed(value))
            }

            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Whether this is one of [`Self::KNOWN`].
            pub fn is_known(&self) -> bool {
                #is_known
            }

            /// The spec's deprecation notice for this value, if it has one.
            pub fn deprecation(&self) -> Option<&'static str> {
                #deprecation_body
            }

            /// The spec's description of this value, if it is known.
            pub fn description(&self) -> Option<&'static str> {
                #description_body
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                #name(std::borrow::Cow::Owned(value.to_owned()))
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                #name(std::borrow::Cow::Owned(value))
            }
        }

        impl From<#name> for String {
            fn from(value: #name) -> Self {
                value.0.into_owned()
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl PartialEq<str> for #name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for #name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    }
}

fn closed_enum(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    deprecated: TokenStream,
    values: &[EnumValue],
) -> TokenStream {
    let variants = values.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let value = &v.value;
        let doc = doc_or(v.doc.as_deref(), &format!("`{value}`"));
        let dep = deprecated_attr(v.deprecated.as_deref());
        quote! { #doc #dep #[serde(rename = #value)] #vname, }
    });
    let arms = values.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let value = &v.value;
        quote! { #name::#vname => #value, }
    });
    let first = values.first().map(|v| format_ident!("{}", v.name));
    let default = first.map(|_| TokenStream::new());
    let _ = default;
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum #name { #(#variants)* }

        #[allow(deprecated)]
        impl #name {
            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &'static str {
                match self { #(#arms)* }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn const_def(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    deprecated: TokenStream,
    value: &str,
) -> TokenStream {
    let note = format!(
        "Always `\"{value}\"`: it serializes as that string and reads from it. Another value is \
         accepted unless the crate's `strict` feature is on, so a server that adds values does not \
         break old clients."
    );
    let note = doc_attrs(Some(&note));
    quote! {
        #docs
        ///
        #note
        #deprecated
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct #name;

        impl #name {
            /// The only value.
            pub const VALUE: &'static str = #value;

            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &'static str {
                Self::VALUE
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(Self::VALUE)
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(Self::VALUE)
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                forge_runtime::wire::deserialize_const(deserializer, Self::VALUE, cfg!(feature = "strict")).map(|()| #name)
            }
        }
    }
}

fn variant_tokens(api: &Api, variants: &[Variant]) -> Vec<TokenStream> {
    variants
        .iter()
        .map(|v| {
            let vname = format_ident!("{}", v.name);
            let payload = ty(api, &v.ty);
            let doc = doc_or(
                v.doc.as_deref(),
                &format!("The `{}` variant.", v.tag.as_deref().unwrap_or(&v.name)),
            );
            quote! { #doc #vname(#payload), }
        })
        .collect()
}

fn tagged(
    api: &Api,
    name: &proc_macro2::Ident,
    docs: TokenStream,
    deprecated: TokenStream,
    tag: &str,
    variants: &[Variant],
) -> TokenStream {
    let decls = variant_tokens(api, variants);
    let ser_arms = variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        quote! { #name::#vname(value) => value.serialize(serializer), }
    });
    let de_arms = variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let tag_value = v.tag.clone().unwrap_or_default();
        quote! { Some(#tag_value) => serde_json::from_value(value).map(#name::#vname).map_err(serde::de::Error::custom), }
    });
    let tag_doc = own_doc(&format!(
        "Which variant is chosen by the `{tag}` property. A value with an unknown `{tag}` is kept in \
         [`{name}::Other`] so nothing the server sends is lost."
    ));
    quote! {
        #docs
        ///
        #tag_doc
        #deprecated
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#decls)*
            /// A variant this version of the crate does not know, kept as it came.
            Other(serde_json::Value),
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                    #name::Other(value) => value.serialize(serializer),
                }
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                match value.get(#tag).and_then(serde_json::Value::as_str) {
                    #(#de_arms)*
                    _ => Ok(#name::Other(value)),
                }
            }
        }
    }
}

fn untagged(
    api: &Api,
    name: &proc_macro2::Ident,
    docs: TokenStream,
    deprecated: TokenStream,
    variants: &[Variant],
) -> TokenStream {
    let decls = variant_tokens(api, variants);
    quote! {
        #docs
        ///
        /// Variants are tried in order; the first that reads the value wins.
        #deprecated
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(untagged)]
        pub enum #name { #(#decls)* }
    }
}
