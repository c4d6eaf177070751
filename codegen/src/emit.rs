//! emit (stub)
/// files
pub fn emit(_api: &crate::ir::Api) -> Vec<(String, proc_macro2::TokenStream)> { vec![("src/lib.rs".into(), quote::quote!{ pub struct X; })] }
/// cargo toml
pub fn cargo_toml(runtime_path: &str, crate_name: &str) -> String { format!("[package]\nname = \"{crate_name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nforge-runtime = {{ path = \"{runtime_path}\" }}\n") }
