//! How list operations page: from the settings' `pagination` rules, else detected where the spec
//! makes it unambiguous (a well-known cursor pair, or a `Link` header on an array response).

use std::collections::HashSet;

use super::model::{TypeDef, TypeId, TypeKind, TypeRef};
use super::operation::{
    CursorSource, FieldPath, Operation, PageScheme, Pagination, ParamId, ParamLocation,
    ResponseKind,
};
use super::space::field_path;
use crate::error::{escape_token, Error, ErrorKind};
use crate::settings::{PageRule, Settings};

/// Fills in `Operation::pagination` for every operation. A rule for an operation the settings'
/// `select` left out (one of `unselected`) has nothing to apply to.
pub fn assign(
    types: &[TypeDef],
    ops: &mut [Operation],
    settings: &Settings,
    unselected: &HashSet<String>,
) -> Result<(), Error> {
    for op_id in settings.pagination.keys() {
        if !ops.iter().any(|op| &op.id == op_id) && !unselected.contains(op_id) {
            return Err(settings_error(
                settings,
                op_id,
                "",
                format!("no operation `{op_id}` in the spec"),
            ));
        }
    }
    for op in ops.iter_mut() {
        op.pagination = match settings.pagination.get(&op.id) {
            Some(rule) => Some(from_rule(types, op, rule, settings)?),
            None => detect(types, op),
        };
    }
    Ok(())
}

fn settings_error(settings: &Settings, op: &str, key: &str, reason: String) -> Error {
    Error::at(
        &settings.source,
        format!("#/pagination/{}{key}", escape_token(op)),
        ErrorKind::Settings(reason),
    )
}

/// The struct a response type is, through aliases and boxes.
fn response_struct(types: &[TypeDef], op: &Operation) -> Option<TypeId> {
    let ResponseKind::Json(ty) = &op.response else {
        return None;
    };
    let mut current = ty.clone();
    for _ in 0..64 {
        match current {
            TypeRef::Named(id) => match &types[id.index()].kind {
                TypeKind::Struct(_) => return Some(id),
                TypeKind::Alias(inner) => current = inner.clone(),
                _ => return None,
            },
            TypeRef::Boxed(inner) => current = *inner,
            _ => return None,
        }
    }
    None
}

/// The optional query parameter with this wire name.
fn query_param(op: &Operation, wire: &str) -> Option<ParamId> {
    op.params
        .iter()
        .position(|p| {
            p.wire == wire && !p.required && matches!(p.location, ParamLocation::Query(_))
        })
        .map(ParamId)
}

/// The item type of a list type.
fn item_of(ty: &TypeRef) -> Option<TypeRef> {
    match ty {
        TypeRef::Vec(inner) => Some((**inner).clone()),
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => item_of(inner),
        _ => None,
    }
}

fn from_rule(
    types: &[TypeDef],
    op: &Operation,
    rule: &PageRule,
    settings: &Settings,
) -> Result<Pagination, Error> {
    let err = |key: &str, reason: String| settings_error(settings, &op.id, key, reason);
    let (items, item) = match &rule.items {
        Some(path) => {
            let Some(id) = response_struct(types, op) else {
                return Err(err("/items", "the response is not an object".into()));
            };
            let path = field_path(types, id, path)
                .ok_or_else(|| err("/items", format!("`{path}` is not a field of the response")))?;
            let item = item_of(&path.end)
                .ok_or_else(|| err("/items", "that field is not a list".into()))?;
            (Some(path), item)
        }
        None => {
            let ResponseKind::Json(ty) = &op.response else {
                return Err(err("/items", "the response is not JSON".into()));
            };
            let item = item_of(ty).ok_or_else(|| {
                err(
                    "/items",
                    "the response is not a list: say which field holds the items".into(),
                )
            })?;
            (None, item)
        }
    };
    let param = |key: &str, wire: &str| {
        query_param(op, wire).ok_or_else(|| {
            err(
                key,
                format!("`{wire}` is not an optional query parameter of the operation"),
            )
        })
    };
    let response_field = |key: &str, path: &str| -> Result<FieldPath, Error> {
        response_struct(types, op)
            .and_then(|id| field_path(types, id, path))
            .ok_or_else(|| err(key, format!("`{path}` is not a field of the response")))
    };
    let scheme = if let Some(cursor) = &rule.cursor {
        let source = match (&cursor.from, &cursor.from_last_item) {
            (Some(from), _) => CursorSource::Field(response_field("/cursor/from", from)?),
            (None, Some(field)) => {
                let path = item
                    .named_within()
                    .and_then(|id| field_path(types, id, field))
                    .ok_or_else(|| {
                        err(
                            "/cursor/from_last_item",
                            format!("`{field}` is not a field of the items"),
                        )
                    })?;
                CursorSource::LastItem(path)
            }
            (None, None) => {
                return Err(err(
                    "/cursor",
                    "give exactly one of from, from_last_item".into(),
                ))
            }
        };
        PageScheme::Cursor {
            param: param("/cursor/param", &cursor.param)?,
            source,
            has_more: cursor
                .has_more
                .as_deref()
                .map(|f| response_field("/cursor/has_more", f))
                .transpose()?,
        }
    } else if let Some(offset) = &rule.offset {
        PageScheme::Offset {
            param: param("/offset/param", &offset.param)?,
        }
    } else if let Some(page) = &rule.page {
        PageScheme::PageNumber {
            param: param("/page/param", &page.param)?,
            first: page.first.unwrap_or(1),
        }
    } else {
        PageScheme::LinkHeader
    };
    Ok(Pagination {
        items: items.unwrap_or(FieldPath {
            steps: Vec::new(),
            end: TypeRef::Vec(Box::new(item.clone())),
        }),
        item,
        scheme,
    })
}

/// The well-known shapes, and nothing else: guessing wrong would page forever or skip items.
fn detect(types: &[TypeDef], op: &Operation) -> Option<Pagination> {
    if op.response_headers.iter().any(|h| h == "link") {
        if let ResponseKind::Json(ty) = &op.response {
            if let Some(item) = item_of(ty) {
                return Some(Pagination {
                    items: FieldPath {
                        steps: Vec::new(),
                        end: ty.clone(),
                    },
                    item,
                    scheme: PageScheme::LinkHeader,
                });
            }
        }
    }
    let id = response_struct(types, op)?;
    let field = |path: &str| field_path(types, id, path);
    let data = field("data")?;
    let item = item_of(&data.end)?;
    let has_more = field("has_more").filter(|p| p.end == TypeRef::Bool);
    // Anthropic: `after_id` takes `last_id`.
    if let (Some(param), Some(last)) = (query_param(op, "after_id"), field("last_id")) {
        return Some(Pagination {
            items: data,
            item,
            scheme: PageScheme::Cursor {
                param,
                source: CursorSource::Field(last),
                has_more,
            },
        });
    }
    // Stripe: `starting_after` takes the last item's `id`, while `has_more`.
    if let (Some(param), Some(_)) = (query_param(op, "starting_after"), &has_more) {
        let item_id = match &item {
            TypeRef::Named(item_struct) => field_path(types, *item_struct, "id"),
            _ => None,
        }?;
        return Some(Pagination {
            items: data,
            item,
            scheme: PageScheme::Cursor {
                param,
                source: CursorSource::LastItem(item_id),
                has_more,
            },
        });
    }
    None
}
