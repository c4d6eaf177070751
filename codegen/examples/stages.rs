//! Times each generator stage on one spec, for profiling:
//! `cargo run --release -p forge-codegen --example stages -- ../shared/specs/real/stripe.yaml`.
//! Benchmarks with floors live in `cargo xtask bench`; this only splits the time by stage.

use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let settings = codegen::Settings::for_crate("x");
    let t = Instant::now();
    let v = codegen::parse::load(&path, &text).unwrap();
    let t1 = t.elapsed();
    let doc = codegen::openapi::Document::from_value(&path, &v).unwrap();
    let t2 = t.elapsed();
    let api = codegen::ir::lower(&path, &doc, &v, &settings, true).unwrap();
    let t3 = t.elapsed();
    let t4 = t.elapsed();
    let header = codegen::format::Header::new(&path, &text, &[]);
    let files = codegen::format::render(&header, &codegen::emit::plan(&api)).unwrap();
    let lines: usize = files.iter().map(|f| f.contents.lines().count()).sum();
    let t5 = t.elapsed();
    println!(
        "parse {:?} typed {:?} ir {:?} emit {:?} format {:?} total {:?} lines {lines}",
        t1,
        t2 - t1,
        t3 - t2,
        t4 - t3,
        t5 - t4,
        t5
    );
}
