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
use super::{ident, runtime_import, type_ident, Ctx, FilePlan, Unit};
use crate::ir::{Api, GroupId, Operation};

/// Operations per rendering unit.
const OPERATIONS_PER_UNIT: usize = 32;

/// The files of `src/resources/`.
pub fn files(api: &Api) -> Vec<FilePlan<'_>> {
    let mut files = vec![FilePlan {
        path: "src/resources/mod.rs".to_owned(),
        units: module_root(api),
    }];
    for (index, group) in api.groups.iter().enumerate() {
        files.push(FilePlan {
            path: format!("src/resources/{}.rs", group.module),
            units: group_units(api, Some(GroupId(index))),
        });
    }
    files
}

fn ops_of(api: &Api, group: Option<GroupId>) -> Vec<&Operation> {
    api.operations
        .iter()
        .filter(|op| op.group == group)
        .collect()
}

/// `resources/mod.rs`: the group modules, and the operations no tag groups (methods on the
/// client itself).
fn module_root(api: &Api) -> Vec<Unit<'_>> {
    let mut units = vec![Unit::new(move || {
        let modules = api.groups.iter().map(|g| {
            let module = ident(&g.module);
            quote! { pub mod #module; }
        });
        let import = runtime_import(api);
        quote! {
            //! The operations, one module per group.
            #![allow(deprecated, clippy::too_many_arguments)]
            #import
            #(#modules)*
        }
    })];
    units.extend(group_units(api, None));
    units
}

/// The units of one group's module (or, for `None`, the ungrouped operations).
fn group_units(api: &Api, group: Option<GroupId>) -> Vec<Unit<'_>> {
    let mut units = Vec::new();
    if let Some(id) = group {
        units.push(Unit::new(move || group_head(api, id)));
    }
    let ops = ops_of(api, group);
    for chunk in ops.chunks(OPERATIONS_PER_UNIT) {
        let chunk = chunk.to_vec();
        units.push(Unit::new(move || {
            let ctx = Ctx::other_module(api);
            let methods = chunk.iter().map(|op| docs::methods(&ctx, op));
            let handle = match group {
                Some(id) => {
                    let ty = type_ident(&api.group(id).type_name);
                    quote! { impl<'c> #ty<'c> }
                }
                None => quote! { impl crate::client::Client },
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
