//! Real provider slices compile clippy-clean in build-script mode: aws/s3,
//! google/compute and github/repos of `current/`, and connect of the
//! 2023-11 generation, generated with `Config::generate_module` (as
//! `tests/build.rs` does for the fixtures) into a crate of their own, which
//! `cargo clippy -- -D warnings` must pass. Skipped, saying
//! so, when the corpus is absent; `.ci/run` requires it. The generated
//! crates are also formatted as rustfmt formats them, the fixtures' in any
//! clone.

mod common;

use std::path::Path;
use std::process::Command;

/// `(module, corpus folder, --only prefixes)`.
const SLICES: [(&str, &str, &[&str]); 2] = [
    (
        "current",
        "current",
        &["aws/s3/", "google/compute/", "github/repos/"],
    ),
    ("aws_2023_11", "aws-2023-11", &["connect/"]),
];

#[test]
fn corpus_slices_compile_clippy_clean() {
    let corpus = require_corpus!();
    let dir = tempfile::tempdir().unwrap();
    let krate = dir.path().join("corpus-slices");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    let mut lib = String::from(
        "//! Bindings generated from slices of the real corpus.\n#![allow(missing_docs)]\n",
    );
    for (module, folder, only) in SLICES {
        let out = krate.join("generated").join(module);
        let report = stackql_codegen::Config::new()
            .specs(corpus.join(folder))
            .only(only.iter().copied())
            .service_features(false)
            .generate_module(&out)
            .unwrap_or_else(|e| panic!("generating {folder} {only:?}: {e}"));
        // Each prefix must have matched pages: a slice that generates
        // nothing would pass clippy trivially.
        for prefix in only {
            let service = prefix.trim_end_matches('/').rsplit('/').next().unwrap();
            let dir = format!("/{service}/");
            let files = report
                .written
                .iter()
                .filter(|p| p.ends_with(".rs") && p.contains(&dir))
                .count();
            assert!(files > 1, "{folder}/{prefix}: {files} Rust files generated");
        }
        lib.push_str(&format!(
            "pub mod {module} {{\n    include!({:?});\n}}\n",
            out.join("bindings.rs")
        ));
    }
    std::fs::write(krate.join("src/lib.rs"), lib).unwrap();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let runtime = workspace.join("runtime").canonicalize().unwrap();
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"corpus-slices\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[dependencies]\nstackql-runtime = {{ path = {:?} }}\n\
             serde = \"1\"\nserde_json = {{ version = \"1\", features = [\"preserve_order\"] }}\n\n\
             [workspace]\n",
            runtime
        ),
    )
    .unwrap();
    // The workspace's lock file: the same dependency versions, already
    // downloaded and (in the shared target dir) already built.
    std::fs::copy(workspace.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    let target = workspace.join("target/standalone");
    let output = Command::new(env!("CARGO"))
        .args(["clippy", "-q", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .args(["--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the corpus slices do not pass `cargo clippy -D warnings` \
         (is clippy installed? `rustup component add clippy`):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `rustfmt --check` over the crate made of the project's own fixture pages
/// (`tests/fixtures/`, formats the corpus lacks among them), in any clone.
#[test]
fn fixture_crates_are_formatted_as_rustfmt_formats_them() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let dir = tempfile::tempdir().unwrap();
    for folder in ["current", "aws-2024-06", "aws-2023-11"] {
        let out = dir.path().join(folder);
        stackql_codegen::Config::new()
            .specs(fixtures.join(folder))
            .write_to(&out)
            .unwrap_or_else(|e| panic!("generating {folder}: {e}"));
        rustfmt_check(folder, &out);
    }
}

/// Asserts that `rustfmt --check` (default configuration, edition 2021)
/// passes over the crate at `out` (its `src/lib.rs` reaches every file).
fn rustfmt_check(folder: &str, out: &Path) {
    let output = Command::new("rustfmt")
        .args(["--check", "--edition", "2021"])
        .arg(out.join("src/lib.rs"))
        .output()
        .expect("rustfmt runs (`rustup component add rustfmt`)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{folder}: the generated files are not as rustfmt formats them \
         ({} differences):\n{}\n{}",
        stdout.matches("Diff in").count(),
        stdout.chars().take(4000).collect::<String>(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Generated crates are formatted exactly as rustfmt formats them: `rustfmt
/// --check` (default configuration, the crate's edition) over `src/lib.rs`,
/// which reaches every module file and resource file, for the whole github
/// provider, aws/s3, aws/ec2 and google/compute of `current/` and the whole
/// 2023-11 AWS generation.
#[test]
fn generated_crates_are_formatted_as_rustfmt_formats_them() {
    let corpus = require_corpus!();
    let dir = tempfile::tempdir().unwrap();
    let slices: [(&str, &[&str]); 2] = [
        (
            "current",
            &["github/", "aws/s3/", "aws/ec2/", "google/compute/"],
        ),
        ("aws-2023-11", &[]),
    ];
    for (folder, only) in slices {
        let out = dir.path().join(folder);
        let outcome = stackql_codegen::Config::new()
            .specs(corpus.join(folder))
            .only(only.iter().copied())
            .write_to(&out)
            .unwrap_or_else(|e| panic!("generating {folder} {only:?}: {e}"));
        assert!(outcome.resources > 300, "{folder}: {}", outcome.resources);
        rustfmt_check(folder, &out);
    }
}
