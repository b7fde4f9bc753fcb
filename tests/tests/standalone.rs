//! `generate --out OUT` writes a complete crate that builds on its own, and
//! `--check` names the files that drifted.

use stackql_codegen::Config;
use stackql_codegen::Drift;
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
    assert!(report.written.iter().any(|p| p == "Cargo.toml"));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my-bindings\""));
    // The runtime is a dependency, by a path relative to the crate.
    let runtime = manifest
        .lines()
        .find_map(|l| l.strip_prefix("stackql-runtime = { path = \""))
        .and_then(|l| l.strip_suffix("\" }"))
        .unwrap_or_else(|| panic!("no runtime path dependency in\n{manifest}"));
    assert!(!Path::new(runtime).is_absolute(), "{runtime}");
    assert!(out.join(runtime).join("Cargo.toml").is_file(), "{runtime}");
    assert!(!out.join("src/runtime").exists());
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

/// Two crates generated for one program share the runtime's types: one
/// `PolicyBuilder` takes the statements of both, and a function written
/// against `stackql_runtime::Statement` takes either's.
#[test]
fn two_generated_crates_share_one_runtime() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["bindings-a", "bindings-b"] {
        Config::new()
            .specs(specs())
            .crate_name(name)
            .generate_to(&dir.path().join(name))
            .unwrap();
    }
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let app = dir.path().join("app");
    std::fs::create_dir_all(app.join("src")).unwrap();
    std::fs::write(
        app.join("Cargo.toml"),
        format!(
            "[package]\nname = \"app\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\n\
             bindings-a = {{ path = \"../bindings-a\", features = [\"aws-connect\"] }}\n\
             bindings-b = {{ path = \"../bindings-b\", features = [\"aws-connect\"] }}\n\
             stackql-runtime = {{ path = {:?} }}\n",
            runtime.canonicalize().unwrap()
        ),
    )
    .unwrap();
    std::fs::write(
        app.join("src/main.rs"),
        r#"
use bindings_a::aws::connect::integration_associations as a;
use bindings_b::aws::connect::integration_associations as b;
use stackql_runtime::{PolicyBuilder, Statement};

fn sql(s: &impl Statement) -> String {
    s.to_sql()
}

fn main() {
    let (la, lb) = (a::list_resource("us-east-1"), b::list_resource("us-east-1"));
    let policy = PolicyBuilder::new().require(&la).require(&lb).build();
    let _: bindings_a::runtime::PolicyDocument = policy;
    let _: stackql_runtime::Verb = b::methods::LIST_RESOURCE.verb;
    assert_eq!(sql(&la), sql(&lb));
}
"#,
    )
    .unwrap();
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/standalone");
    let status = Command::new(env!("CARGO"))
        .args(["check", "-q", "--manifest-path"])
        .arg(app.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "a program using two generated crates does not build"
    );
}

#[test]
fn check_names_drifted_files_and_regeneration_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let mut cfg = Config::new();
    cfg.specs(specs());
    cfg.generate_to(out).unwrap();
    assert!(cfg.check(out).unwrap().drift.is_empty());
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
        cfg.check(out).unwrap().drift,
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
