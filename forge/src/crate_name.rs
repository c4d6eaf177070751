//! Crate names: derived from a spec's file name when neither `--name` nor settings give one, and
//! checked when the user gives one, so a bad name fails here rather than in `cargo check` later.

use std::path::Path;

/// A package name from the spec's file stem: lowercase ASCII letters and digits, every run of
/// anything else (dots, spaces, `_`, non-ASCII) becomes one `-`, no `-` at either end, and `api-`
/// in front when it would start with a digit. `specs/Pet Store.v2.yaml` gives `pet-store-v2`.
pub fn derive(spec_path: &Path) -> String {
    let stem = spec_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name = String::with_capacity(stem.len());
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    while name.ends_with('-') {
        name.pop();
    }
    if name.is_empty() {
        "api".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}")
    } else {
        name
    }
}

/// Checks a user-given name with the rule the generator's settings use: ASCII letters, digits,
/// `-` and `_`, starting with a letter.
pub fn validate(name: &str) -> Result<(), String> {
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "--name `{name}` is not a valid crate name: use ASCII letters, digits, `-` and `_`, starting with a letter"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derived(path: &str) -> String {
        derive(Path::new(path))
    }

    #[test]
    fn derives_from_the_file_stem() {
        assert_eq!(
            derived("spec/anthropic-completions.yaml"),
            "anthropic-completions"
        );
        assert_eq!(derived("specs/Pet Store.v2.yaml"), "pet-store-v2");
        assert_eq!(derived("PetStore.json"), "petstore");
        assert_eq!(derived("my_api.yaml"), "my-api");
        assert_eq!(derived("openapi"), "openapi");
        assert_eq!(derived("__weird--name__.yml"), "weird-name");
        assert_eq!(derived("Ünïcode-api.yaml"), "n-code-api");
    }

    #[test]
    fn prefixes_a_leading_digit() {
        assert_eq!(derived("3d-printing.yaml"), "api-3d-printing");
        assert_eq!(derived("2024.json"), "api-2024");
    }

    #[test]
    fn never_empty() {
        assert_eq!(derived("---.yaml"), "api");
        assert_eq!(derived(""), "api");
    }

    #[test]
    fn derived_names_are_valid() {
        for path in ["a.yaml", "9.yaml", "-.yaml", "x y z.json", "über.yaml"] {
            let name = derived(path);
            assert_eq!(validate(&name), Ok(()), "{path} -> {name}");
        }
    }

    #[test]
    fn validates_given_names() {
        assert!(validate("petstore").is_ok());
        assert!(validate("pet_store-2").is_ok());
        assert!(validate("2pet").is_err());
        assert!(validate("").is_err());
        assert!(validate("pet store").is_err());
        assert!(validate("-pet").is_err());
    }
}
