//! `#[cfg(...)]` attributes: the one place the IR's features and gates become code.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::features::{FeatureId, Features, Gate};
use crate::ir::{Api, GroupId, TypeId};

/// `#[cfg(feature = "name")]`.
fn one(name: &str) -> TokenStream {
    quote! { #[cfg(feature = #name)] }
}

/// What compiles an operation's code: its feature's attribute, or nothing.
pub fn feature_attr(api: &Api, feature: Option<FeatureId>) -> TokenStream {
    match feature {
        Some(f) => one(&api.features.get(f).name),
        None => TokenStream::new(),
    }
}

/// What compiles a group's module and accessor.
pub fn group_attr(api: &Api, group: GroupId) -> TokenStream {
    feature_attr(api, api.features.of_group(&api.groups, group))
}

/// What compiles a type.
pub fn type_attr(api: &Api, id: TypeId) -> TokenStream {
    match api.features.gate(id) {
        Gate::Always => TokenStream::new(),
        Gate::Any(features) if features.len() == 1 => one(&api.features.get(features[0]).name),
        Gate::Any(features) => {
            let names = features.iter().map(|f| api.features.get(*f).name.as_str());
            quote! { #[cfg(any(#(feature = #names),*))] }
        }
        Gate::Shared(index) => one(&Features::shared_name(*index)),
    }
}
