//! The tag a discriminator gives a union branch: its mapping key, or its component name.

use crate::openapi::{Discriminator, Pointer};

/// A discriminator's value for one schema.
pub(super) enum Tag {
    /// From the mapping.
    Mapped(String),
    /// The schema's name, for a discriminator without a mapping.
    Implicit(String),
}

/// The tag value that names the schema at `target` in a discriminator: the mapping key that
/// refers to it, else (when `implicit`) its component name.
pub(super) fn tag_for(d: &Discriminator, target: &Pointer, implicit: bool) -> Option<Tag> {
    for (key, reference) in &d.mapping {
        let pointer = if reference.contains('#') {
            Pointer::parse(reference)
        } else {
            Some(
                Pointer::root()
                    .join("components")
                    .join("schemas")
                    .join(reference),
            )
        };
        if pointer.as_ref() == Some(target) {
            return Some(Tag::Mapped(key.clone()));
        }
    }
    if implicit && d.mapping.is_empty() {
        return target.component("schemas").map(Tag::Implicit);
    }
    None
}
