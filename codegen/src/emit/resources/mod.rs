//! `src/resources/`: one module per operation group with its handle, one method per operation
//! (and one streaming method), and the request value each method returns.

mod build;
mod docs;
mod pages;
mod request;
mod wire;

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc_or;
use super::{features, ident, runtime_import, type_ident, Ctx, FilePlan, Unit};
use crate::ir::features::FeatureId;
use crate::ir::{Api, GroupId, Operation};

/// Operations per rendering unit.
const OPERATIONS_PER_UNIT: usize = 32;

/// The files of `src/resources/`: the root, one module per group, and one per area the spec
/// leaves ungrouped (its operations are methods on the client, their code under its feature).
pub fn files(api: &Api) -> Vec<FilePlan<'_>> {
    let mut files = vec![FilePlan {
        path: "src/resources/mod.rs".to_owned(),
        units: module_root(api),
    }];
    for (index, group) in api.groups.iter().enumerate() {
        let id = GroupId(index);
        let mut units = vec![Unit::new(move || group_head(api, id))];
        units.extend(op_units(api, Place::Group(id)));
        if group.parent.is_none() {
            if let Some(feature) = api.features.of_group(&api.groups, id) {
                units.extend(op_units(api, Place::Client(Some(feature))));
            }
        }
        files.push(FilePlan {
            path: format!("src/resources/{}.rs", group.module),
            units,
        });
    }
    for (feature, module) in api.features.areas() {
        let mut units = vec![Unit::new(move || area_head(api, feature))];
        units.extend(op_units(api, Place::Client(Some(feature))));
        files.push(FilePlan {
            path: format!("src/resources/{module}.rs"),
            units,
        });
    }
    files
}

/// Where an operation's methods go: on a group's handle, or on the client (for the ungrouped
/// operations of one feature, or of none).
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Group(GroupId),
    Client(Option<FeatureId>),
}

fn ops_at(api: &Api, place: Place) -> Vec<&Operation> {
    api.operations
        .iter()
        .filter(|op| match place {
            Place::Group(id) => op.group == Some(id),
            Place::Client(feature) => op.group.is_none() && op.feature == feature,
        })
        .collect()
}

/// `resources/mod.rs`: the modules, each under its feature, and the operations that are always
/// compiled (methods on the client itself).
fn module_root(api: &Api) -> Vec<Unit<'_>> {
    let mut units = vec![Unit::new(move || {
        let groups = api.groups.iter().enumerate().map(|(index, g)| {
            let module = ident(&g.module);
            let gate = features::group_attr(api, GroupId(index));
            quote! { #gate pub mod #module; }
        });
        let areas = api.features.areas().map(|(feature, module)| {
            let module = ident(module);
            let gate = features::feature_attr(api, Some(feature));
            quote! { #gate pub mod #module; }
        });
        let import = runtime_import(api);
        quote! {
            //! The operations, one module per group or area, each compiled under its feature.
            #![allow(deprecated, clippy::too_many_arguments)]
            #import
            #(#groups)*
            #(#areas)*
        }
    })];
    units.extend(op_units(api, Place::Client(None)));
    units
}

/// The methods and request values of the operations at a place, in chunks.
fn op_units(api: &Api, place: Place) -> Vec<Unit<'_>> {
    let ops = ops_at(api, place);
    let mut units = Vec::new();
    for chunk in ops.chunks(OPERATIONS_PER_UNIT) {
        let chunk = chunk.to_vec();
        units.push(Unit::new(move || {
            let ctx = Ctx::other_module(api);
            let methods = chunk.iter().map(|op| docs::methods(&ctx, op));
            let handle = match place {
                Place::Group(id) => {
                    let ty = type_ident(&api.group(id).type_name);
                    quote! { impl<'a> #ty<'a> }
                }
                Place::Client(_) => quote! { impl crate::client::Client },
            };
            let requests = chunk.iter().map(|op| request::request_type(&ctx, op));
            quote! {
                #handle {
                    #(#methods)*
                }

                #(#requests)*
            }
        }));
    }
    units
}

/// The head of an area's module: its operations are methods on the client.
fn area_head(api: &Api, feature: FeatureId) -> TokenStream {
    let name = &api.features.get(feature).name;
    let module_doc = super::doc::inner_doc_attrs(&format!(
        "The `{name}` operations: methods on [`Client`](crate::Client), compiled with the `{name}` \
         feature."
    ));
    let import = runtime_import(api);
    quote! {
        #module_doc
        #![allow(deprecated, clippy::too_many_arguments)]
        #import
    }
}

fn group_head(api: &Api, id: GroupId) -> TokenStream {
    let g = api.group(id);
    let name = type_ident(&g.type_name);
    let docs = doc_or(g.doc.as_deref(), &format!("The `{}` operations.", g.path));
    let module_doc = super::doc::inner_doc_attrs(&format!("The `{}` operations.", g.path));
    let children = api
        .groups
        .iter()
        .filter(|child| child.parent == Some(id))
        .map(|child| {
            let method = ident(&child.method);
            let module = ident(&child.module);
            let ty = type_ident(&child.type_name);
            let doc = super::doc::doc_attrs(Some(&format!("The `{}` operations.", child.path)));
            quote! {
                #doc
                pub fn #method(self) -> crate::resources::#module::#ty<'c> {
                    crate::resources::#module::#ty::new(self.client)
                }
            }
        });
    let import = runtime_import(api);
    quote! {
        #module_doc
        #![allow(deprecated, clippy::too_many_arguments)]
        #import

        #docs
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'c> {
            client: &'c crate::client::Client,
        }

        impl<'c> #name<'c> {
            pub(crate) fn new(client: &'c crate::client::Client) -> Self {
                #name { client }
            }

            #(#children)*
        }
    }
}
