//! Stage 3: Rust tokens from the IR. The type space and the client are emitted separately (as
//! typify and progenitor split them); they share only [`Ctx`], which renders type expressions.
//! Every decision was made in the IR: this stage renders.

mod access;
mod client;
mod doc;
mod features;
mod lib_rs;
mod resources;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{names, Api, IntKind, TypeId, TypeRef};

/// A piece of a file that renders on its own, on whichever thread formats it. Token streams
/// cannot cross threads, so a unit holds the closure that makes its tokens, not the tokens.
pub struct Unit<'a> {
    render: Box<dyn Fn() -> TokenStream + Send + Sync + 'a>,
}

impl<'a> Unit<'a> {
    /// A unit whose tokens `render` makes.
    pub fn new(render: impl Fn() -> TokenStream + Send + Sync + 'a) -> Self {
        Unit {
            render: Box::new(render),
        }
    }

    /// The unit's tokens.
    pub fn tokens(&self) -> TokenStream {
        (self.render)()
    }
}

/// A file to generate: its path relative to the crate root and its units, in order.
pub struct FilePlan<'a> {
    /// `src/types.rs` and so on.
    pub path: String,
    /// The pieces, concatenated in order once rendered.
    pub units: Vec<Unit<'a>>,
}

/// Every file to generate, in path order.
pub fn plan(api: &Api) -> Vec<FilePlan<'_>> {
    let mut files = vec![
        FilePlan {
            path: "src/client.rs".to_owned(),
            units: client::units(api),
        },
        FilePlan {
            path: "src/lib.rs".to_owned(),
            units: vec![Unit::new(move || lib_rs::file(api))],
        },
    ];
    files.extend(resources::files(api));
    files.push(FilePlan {
        path: "src/types.rs".to_owned(),
        units: types::units(api),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// What a generated module starts with so that `forge_runtime::...` resolves: nothing when the
/// runtime is a dependency, `use crate::forge_runtime;` when it is the crate's own module.
/// (Allowed unused: a module may need the runtime only in some specs.)
pub fn runtime_import(api: &Api) -> TokenStream {
    match api.runtime {
        crate::RuntimeMode::Crate => TokenStream::new(),
        crate::RuntimeMode::Vendored => quote! {
            #[allow(unused_imports)]
            use crate::forge_runtime;
        },
    }
}

/// An identifier for a field, method or parameter (raw when it is a keyword).
pub fn ident(name: &str) -> Ident {
    if names::needs_raw(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// An identifier for a type.
pub fn type_ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// How the standard names generated code uses are written in a module: bare, unless a spec type
/// in scope takes the name, then fully qualified. One rule, so careful-looking code and spec type
/// names (`Option`, `Box`, `Default`) live together.
#[derive(Clone)]
pub struct Std {
    /// `Option`.
    pub option: TokenStream,
    /// `String`.
    pub string: TokenStream,
    /// `Vec`.
    pub vec: TokenStream,
    /// `Box`.
    pub boxed: TokenStream,
    /// `Result`.
    pub result: TokenStream,
    /// `Default`.
    pub default: TokenStream,
}

impl Std {
    /// The names as seen from a module where `taken` type names are in scope.
    fn new(taken: impl Fn(&str) -> bool) -> Self {
        let pick = |name: &str, full: TokenStream| {
            if taken(name) {
                full
            } else {
                let id = type_ident(name);
                quote! { #id }
            }
        };
        Std {
            option: pick("Option", quote! { ::std::option::Option }),
            string: pick("String", quote! { ::std::string::String }),
            vec: pick("Vec", quote! { ::std::vec::Vec }),
            boxed: pick("Box", quote! { ::std::boxed::Box }),
            result: pick("Result", quote! { ::std::result::Result }),
            default: pick("Default", quote! { ::std::default::Default }),
        }
    }
}

/// What rendering needs: the API, and how names are written in the module being rendered.
#[derive(Clone)]
pub struct Ctx<'a> {
    /// The API.
    pub api: &'a Api,
    /// Standard names.
    pub std: Std,
    /// `true` inside `types.rs`, where spec types are in scope; elsewhere they are written
    /// `crate::types::Name`.
    in_types: bool,
}

impl<'a> Ctx<'a> {
    /// For `src/types.rs`: spec types in scope.
    pub fn types_module(api: &'a Api) -> Self {
        let names: std::collections::HashSet<&str> =
            api.types.iter().map(|t| t.name.as_str()).collect();
        Ctx {
            api,
            std: Std::new(|n| names.contains(n)),
            in_types: true,
        }
    }

    /// For every other module: no spec type in scope.
    pub fn other_module(api: &'a Api) -> Self {
        Ctx {
            api,
            std: Std::new(|_| false),
            in_types: false,
        }
    }

    /// A named type's path.
    pub fn named(&self, id: TypeId) -> TokenStream {
        let name = type_ident(&self.api.ty(id).name);
        if self.in_types {
            quote! { #name }
        } else {
            quote! { crate::types::#name }
        }
    }

    /// The Rust type for a type expression.
    pub fn ty(&self, t: &TypeRef) -> TokenStream {
        let s = &self.std;
        match t {
            TypeRef::String => s.string.clone(),
            TypeRef::Bool => quote! { bool },
            TypeRef::Int(IntKind::I32) => quote! { i32 },
            TypeRef::Int(IntKind::I64) => quote! { i64 },
            TypeRef::Int(IntKind::U32) => quote! { u32 },
            TypeRef::Int(IntKind::U64) => quote! { u64 },
            TypeRef::Int(IntKind::Number) => quote! { ::serde_json::Number },
            TypeRef::Float => quote! { f64 },
            TypeRef::Json => quote! { ::serde_json::Value },
            TypeRef::JsonObject => {
                let string = &s.string;
                quote! { ::serde_json::Map<#string, ::serde_json::Value> }
            }
            TypeRef::Named(id) => self.named(*id),
            TypeRef::Vec(inner) => {
                let (v, inner) = (&s.vec, self.ty(inner));
                quote! { #v<#inner> }
            }
            TypeRef::Map(inner) => {
                let (string, inner) = (&s.string, self.ty(inner));
                quote! { ::std::collections::BTreeMap<#string, #inner> }
            }
            TypeRef::Nullable(inner) => {
                let (o, inner) = (&s.option, self.ty(inner));
                quote! { #o<#inner> }
            }
            TypeRef::Boxed(inner) => {
                let (b, inner) = (&s.boxed, self.ty(inner));
                quote! { #b<#inner> }
            }
            TypeRef::Upload => quote! { forge_runtime::Upload },
        }
    }

    /// `Option<t>`.
    pub fn option(&self, t: TokenStream) -> TokenStream {
        let o = &self.std.option;
        quote! { #o<#t> }
    }
}
