//! A crate `forge generate` writes with the default (vendored) runtime builds on its own: it is
//! generated, copied alone into an empty temporary folder, and `cargo check` and `cargo test`
//! pass there without a warning: Petstore, and Stripe (173k lines, 468 operations), whose
//! `cargo test --all-features` compiles its 469 doc tests as one program (edition 2024), in about
//! two minutes on 2 cores.
//!
//! The builds share one target folder, `target/standalone-builds` under the workspace's (or
//! `$CARGO_TARGET_DIR`), so the runtime's dependencies compile once.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("forge/ is inside the workspace")
        .to_path_buf()
}

/// A spec from `../shared/specs/real`; a missing one fails the test.
fn real_spec(name: &str) -> PathBuf {
    let path = workspace_root().join("../shared/specs/real").join(name);
    assert!(
        path.is_file(),
        "{} is missing: this test needs the shared specs beside the repository",
        path.display()
    );
    path
}

fn target_dir() -> PathBuf {
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    base.join("standalone-builds")
}

/// Copies every file under `from` into `to`.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `cargo <args>` in `dir`; fails with its output unless it succeeds without a warning.
/// Returns its standard output.
fn cargo(dir: &Path, args: &[&str]) -> String {
    let start = Instant::now();
    let out = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "cargo {} failed in {}:\n{stderr}\n{stdout}",
        args.join(" "),
        dir.display()
    );
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert!(
        warnings.is_empty(),
        "cargo {} warned:\n{stderr}",
        args.join(" ")
    );
    eprintln!("cargo {} in {:.1?}", args.join(" "), elapsed);
    stdout.into_owned()
}

/// Generates `spec` with the `forge` binary and copies the crate alone into an empty folder,
/// which is returned (with its parent, removed on drop).
fn generate_alone(spec: &str, name: &str) -> (tempfile::TempDir, PathBuf) {
    let spec = real_spec(spec);
    let work = tempfile::tempdir().unwrap();
    let generated = work.path().join("generated").join(name);
    let out = Command::new(env!("CARGO_BIN_EXE_forge"))
        .arg("generate")
        .arg("--spec")
        .arg(&spec)
        .arg("--out")
        .arg(&generated)
        .output()
        .expect("forge runs");
    assert!(
        out.status.success(),
        "forge generate failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = fs::read_to_string(generated.join("Cargo.toml")).unwrap();
    assert!(!manifest.contains("path ="), "{manifest}");
    assert!(!manifest.contains("forge-runtime ="), "{manifest}");
    assert!(generated.join("src/forge_runtime/mod.rs").is_file());

    // Alone: an empty folder, nothing of this repository or the generation folder around it.
    let alone = tempfile::tempdir().unwrap();
    let copy = alone.path().join(name);
    copy_tree(&generated, &copy);
    (alone, copy)
}

/// `cargo test` passes: the crate's own doc tests run (`src/client.rs - client::Client ...`);
/// the vendored runtime's are text and its unit tests are gone, so no test names it.
fn tests_pass(dir: &Path, args: &[&str]) {
    let tests = cargo(dir, &[&["test"][..], args].concat());
    assert!(tests.contains("src/client.rs - "), "{tests}");
    assert!(!tests.contains("forge_runtime"), "{tests}");
}

/// A first call, as the README shows it, against a server on 127.0.0.1 that answers one
/// `GET /v1/pets?limit=2`: the vendored runtime sends it and decodes the answer.
const FIRST_CALL: &str = r##"
use std::io::{Read, Write};

#[tokio::test]
async fn lists_pets() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).unwrap();
            assert!(n > 0, "the client closed before a whole request");
            request.extend_from_slice(&buf[..n]);
        }
        let body = r#"[{"id": 1, "name": "Rex", "tag": "dog"}]"#;
        write!(
            socket,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        String::from_utf8(request).unwrap()
    });

    let client = petstore::Client::builder().base_url(base_url).build().unwrap();
    let pets = client.pets().list_pets().limit(2).await.unwrap();
    assert_eq!(pets.len(), 1);
    assert_eq!((pets[0].id, pets[0].name.as_str(), pets[0].tag.as_deref()), (1, "Rex", Some("dog")));

    let request = server.join().unwrap();
    assert!(request.starts_with("GET /v1/pets?limit=2 HTTP/1.1\r\n"), "{request}");
    assert!(request.to_ascii_lowercase().contains("user-agent: petstore/rust 0.1.0"), "{request}");
}
"##;

#[test]
fn a_small_crate_builds_alone() {
    let (_alone, dir) = generate_alone("petstore.yaml", "petstore");
    cargo(&dir, &["check"]);
    tests_pass(&dir, &[]);

    // A user's own test calling the API over HTTP, with the async runtime a user would add.
    let manifest = dir.join("Cargo.toml");
    let mut text = fs::read_to_string(&manifest).unwrap();
    text.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n",
    );
    fs::write(&manifest, text).unwrap();
    fs::create_dir_all(dir.join("tests")).unwrap();
    fs::write(dir.join("tests/first_call.rs"), FIRST_CALL).unwrap();
    let out = cargo(&dir, &["test", "--test", "first_call"]);
    assert!(out.contains("test lists_pets ... ok"), "{out}");
}

#[test]
fn a_large_crate_builds_alone() {
    let (_alone, dir) = generate_alone("stripe.yaml", "stripe");
    // Its default features are none (over 200 operations); the tests build every area.
    cargo(&dir, &["check"]);
    tests_pass(&dir, &["--all-features"]);
}
