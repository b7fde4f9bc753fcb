//! `generate --out OUT` writes a complete crate that builds on its own, and
//! `--check` names the files that drifted.

use stackql_codegen::write::Drift;
use stackql_codegen::Config;
use std::path::Path;
use std::process::Command;

fn specs() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

#[test]
fn generated_crate_builds_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("my-bindings");
    let report = Config::new()
        .specs(specs())
        .crate_name("my-bindings")
        .generate_to(&out)
        .unwrap();
    assert!(report.written.iter().any(|p| p == "src/runtime/mod.rs"));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my-bindings\""));
    // Share the workspace's target dir so dependencies build once.
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/standalone");
    let status = Command::new(env!("CARGO"))
        .args([
            "check",
            "-q",
            "--features",
            "aws-connect",
            "--manifest-path",
        ])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "the generated crate does not build on its own"
    );
}

#[test]
fn check_names_drifted_files_and_regeneration_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let mut cfg = Config::new();
    cfg.specs(specs());
    cfg.generate_to(out).unwrap();
    assert!(cfg.check(out).unwrap().is_empty());
    let module = out.join("src/aws/connect/integration_associations.rs");
    let before = std::fs::metadata(&module).unwrap().modified().unwrap();
    let again = cfg.generate_to(out).unwrap();
    assert!(again.written.is_empty(), "{:?}", again.written);
    assert_eq!(
        std::fs::metadata(&module).unwrap().modified().unwrap(),
        before
    );

    std::fs::write(&module, "// edited\n").unwrap();
    std::fs::remove_file(out.join("policies/aws/connect/integration_associations.json")).unwrap();
    assert_eq!(
        cfg.check(out).unwrap(),
        [
            Drift::Missing("policies/aws/connect/integration_associations.json".into()),
            Drift::Changed("src/aws/connect/integration_associations.rs".into()),
        ]
    );
}

#[test]
fn a_failing_page_leaves_the_previous_output_intact() {
    let dir = tempfile::tempdir().unwrap();
    let specs_dir = dir.path().join("specs");
    let page = specs_dir.join("aws/connect/integration_associations/index.md");
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    let text =
        std::fs::read_to_string(specs().join("aws/connect/integration_associations/index.md"))
            .unwrap();
    std::fs::write(&page, &text).unwrap();
    let out = dir.path().join("out");
    let mut cfg = Config::new();
    cfg.specs(&specs_dir);
    cfg.generate_to(&out).unwrap();
    let snapshot =
        std::fs::read_to_string(out.join("src/aws/connect/integration_associations.rs")).unwrap();
    // A second, broken page: its Id escapes the output directory.
    let bad = specs_dir.join("aws/connect/evil/index.md");
    std::fs::create_dir_all(bad.parent().unwrap()).unwrap();
    std::fs::write(
        &bad,
        text.replace(
            "aws.connect.integration_associations\" />",
            "aws.connect.../../etc\" />",
        ),
    )
    .unwrap();
    // And the good page changes: nothing of it may be written.
    std::fs::write(&page, text.replace("AWS region.", "Changed region.")).unwrap();
    let err = cfg.generate_to(&out).unwrap_err().to_string();
    assert!(err.contains("could not be generated"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("src/aws/connect/integration_associations.rs")).unwrap(),
        snapshot
    );
    assert!(!dir.path().join("etc").exists());
}
