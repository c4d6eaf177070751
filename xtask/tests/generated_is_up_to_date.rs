//! The project's main guard, run by every `cargo test`: every checked-in crate's `src/` must be
//! exactly what the generator makes from its settings and spec. A spec or generator change
//! committed without `cargo xtask generate` fails here with the unified diff of every stale file.

#[test]
fn checked_in_crates_match_their_specs() {
    let root = xtask::workspace::root();
    let comparisons = xtask::generate::check(&root)
        .unwrap_or_else(|e| panic!("cannot generate the checked-in crates: {e}"));
    for comparison in comparisons {
        assert!(comparison.is_up_to_date(), "\n{}", comparison.report());
    }
}
