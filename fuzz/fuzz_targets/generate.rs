//! The whole `spec text -> files` path: `codegen::generate` on arbitrary UTF-8 text.
//!
//! A panic, a stack overflow, a hang (libFuzzer's `-timeout`) or an out-of-memory is a finding.
//! So is an `ErrorKind::Internal`: the generator emitted code that does not parse.
#![no_main]

use codegen::{ErrorKind, Input, Settings};
use libfuzzer_sys::fuzz_target;

fn run(text: &str, lenient: bool) -> Result<codegen::Generated, codegen::Error> {
    codegen::generate(&Input {
        spec_name: "fuzz.yaml",
        spec_text: text,
        settings: Settings::for_crate("fuzz"),
        lenient,
        overlays: Vec::new(),
        modules: Vec::new(),
        runtime: codegen::RuntimeMode::Crate,
    })
}

fuzz_target!(|data: &[u8]| {
    // The library takes `&str`; the xtask refuses non-UTF-8 files before calling it.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let result = match run(text, false) {
        // Constructs the strict run refuses are skipped by the lenient one: try that path too.
        Err(e)
            if matches!(
                e.kind,
                ErrorKind::Unsupported(_) | ErrorKind::UndeclaredPathParam(_)
            ) =>
        {
            run(text, true)
        }
        other => other,
    };
    match result {
        Ok(generated) => {
            for file in &generated.files {
                if file.path.ends_with(".rs") {
                    if let Err(e) = syn::parse_file(&file.contents) {
                        panic!("{} does not parse: {e}", file.path);
                    }
                }
            }
        }
        Err(e) => {
            assert!(
                !matches!(e.kind, ErrorKind::Internal { .. }),
                "generator bug: {e}"
            );
        }
    }
});
