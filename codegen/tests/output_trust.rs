//! The generator touches only what is its own: a user's project, an empty
//! or wrong specs tree, a page it cannot read and a hostile crate name all
//! leave the output as it was, with an error that says why.

use stackql_codegen::{Config, Error, WriteError};

const MANIFEST: &str = ".stackql-codegen-manifest";
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const PAGE: &str = "aws/connect/integration_associations/index.md";

fn seed_page() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../specs")
            .join(PAGE),
    )
    .unwrap()
}

/// A specs tree holding the seed page.
fn specs(dir: &Path) -> PathBuf {
    let specs = dir.join("specs");
    let page = specs.join(PAGE);
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    std::fs::write(&page, seed_page()).unwrap();
    specs
}

/// Every file under `dir`: path → bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().into(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn a_users_project_is_refused_unless_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let specs = specs(dir.path());
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join("src")).unwrap();
    std::fs::write(project.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
    std::fs::write(project.join("src/lib.rs"), "pub fn mine() {}\n").unwrap();
    let before = tree(&project);
    let e = Config::new()
        .specs(&specs)
        .generate_to(&project)
        .unwrap_err();
    assert!(matches!(e, Error::Write(WriteError::NotOurs { .. })), "{e}");
    assert!(e.to_string().contains("--adopt"), "{e}");
    assert_eq!(tree(&project), before);
    Config::new()
        .specs(&specs)
        .adopt(true)
        .generate_to(&project)
        .unwrap();
    assert!(project.join(MANIFEST).is_file());
    assert_ne!(
        std::fs::read(project.join("src/lib.rs")).unwrap(),
        before[Path::new("src/lib.rs")]
    );
}

#[test]
fn no_pages_is_an_error_and_the_output_stays() {
    let dir = tempfile::tempdir().unwrap();
    let specs = specs(dir.path());
    let out = dir.path().join("out");
    Config::new().specs(&specs).generate_to(&out).unwrap();
    let before = tree(&out);
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    for (specs, only) in [(&empty, vec![]), (&specs, vec!["aws/nothing/"])] {
        let e = Config::new()
            .specs(specs)
            .only(only)
            .generate_to(&out)
            .unwrap_err();
        assert!(matches!(e, Error::NoPages { .. }), "{e}");
        assert_eq!(tree(&out), before);
    }
    let e = Config::new()
        .specs(dir.path().join("missing"))
        .generate_to(&out)
        .unwrap_err();
    assert!(e.to_string().contains("missing"), "{e}");
    assert_eq!(tree(&out), before);
}

#[test]
fn a_crate_name_cannot_inject_into_cargo_toml() {
    let dir = tempfile::tempdir().unwrap();
    let specs = specs(dir.path());
    let out = dir.path().join("out");
    for bad in [
        "x\"\nbuild = \"evil.rs",
        "",
        "1abc",
        "a b",
        "ünï",
        &"a".repeat(65),
    ] {
        let e = Config::new()
            .specs(&specs)
            .crate_name(bad)
            .generate_to(&out)
            .unwrap_err();
        assert!(matches!(e, Error::CrateName { .. }), "{bad:?}: {e}");
    }
    assert!(!out.exists() || tree(&out).is_empty());
    Config::new()
        .specs(&specs)
        .crate_name("my_cloud-2")
        .generate_to(&out)
        .unwrap();
    let toml = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(toml.contains("name = \"my_cloud-2\""));
}
