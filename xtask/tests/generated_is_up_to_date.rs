//! The project's main guard, run by every `cargo test`: `generated/src` must be exactly what the
//! generator makes from `spec/forge.yaml` and its spec. A spec or generator change committed
//! without `cargo xtask generate` fails here with the unified diff of every stale file.

#[test]
fn generated_src_matches_the_spec() {
    let root = xtask::workspace::root();
    let comparison = xtask::check::workspace(&root)
        .unwrap_or_else(|e| panic!("cannot generate from {}: {e}", xtask::workspace::SETTINGS));
    assert!(comparison.is_up_to_date(), "\n{}", comparison.report());
}
