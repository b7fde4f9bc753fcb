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

#[cfg(unix)]
#[test]
fn an_unreadable_page_fails_the_run_without_allow_partial() {
    let dir = tempfile::tempdir().unwrap();
    let specs = specs(dir.path());
    let out = dir.path().join("out");
    Config::new().specs(&specs).generate_to(&out).unwrap();
    let before = tree(&out);
    // A FIFO named like a page: it is a page, and reading it fails (even
    // for root), without blocking the run.
    let fifo = specs.join("aws/connect/broken/index.md");
    std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    let e = Config::new().specs(&specs).generate_to(&out).unwrap_err();
    assert!(matches!(e, Error::Partial { count: 1, .. }), "{e}");
    assert!(e.to_string().contains("broken/index.md"), "{e}");
    assert!(e.to_string().contains("not a regular file"), "{e}");
    assert_eq!(tree(&out), before);
    let o = Config::new()
        .specs(&specs)
        .allow_partial(true)
        .write_to(&out)
        .unwrap();
    assert_eq!(o.left_out, ["aws/connect/broken/index.md"]);
}

#[cfg(unix)]
#[test]
fn symbolic_links_in_the_specs_are_reported_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let specs = specs(dir.path());
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, specs.join("aws/linked")).unwrap();
    std::os::unix::fs::symlink(
        specs.join(PAGE),
        specs.join("aws/connect/integration_associations/copy.md"),
    )
    .unwrap();
    let o = Config::new()
        .specs(&specs)
        .write_to(&dir.path().join("out"))
        .unwrap();
    assert_eq!(o.resources, 1);
    let links: Vec<&String> = o
        .warnings
        .iter()
        .filter(|w| w.contains("warning[symlink-skipped]"))
        .collect();
    assert_eq!(links.len(), 2, "{:?}", o.warnings);
    assert!(links[0].starts_with("aws/connect/integration_associations/copy.md:1:"));
    assert!(links[1].starts_with("aws/linked:1:") && links[1].contains("elsewhere"));
}

#[test]
fn the_output_ignores_its_cache_unless_the_user_has_a_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    let specs = specs(dir.path());
    let out = dir.path().join("out");
    Config::new().specs(&specs).generate_to(&out).unwrap();
    let ignore = std::fs::read_to_string(out.join(".gitignore")).unwrap();
    assert!(
        ignore.lines().any(|l| l == "/.stackql-codegen-cache"),
        "{ignore}"
    );
    let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    assert!(manifest.lines().any(|l| l == ".gitignore"));
    assert!(Config::new()
        .specs(&specs)
        .check(&out)
        .unwrap()
        .drift
        .is_empty());
    // A user's own .gitignore in a crate taken over is theirs: kept as it
    // is, not listed, and `--check` does not ask for ours.
    let project = dir.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join(".gitignore"), "target/\n").unwrap();
    Config::new()
        .specs(&specs)
        .adopt(true)
        .generate_to(&project)
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(project.join(".gitignore")).unwrap(),
        "target/\n"
    );
    let manifest = std::fs::read_to_string(project.join(MANIFEST)).unwrap();
    assert!(!manifest.lines().any(|l| l == ".gitignore"));
    assert!(Config::new()
        .specs(&specs)
        .check(&project)
        .unwrap()
        .drift
        .is_empty());
}

/// The CLI's messages name what the user gave.
mod cli {
    use super::*;
    use std::process::Command;

    const BIN: &str = env!("CARGO_BIN_EXE_stackql-codegen");

    fn generate(args: &[&std::ffi::OsStr]) -> (bool, String) {
        let o = Command::new(BIN)
            .arg("generate")
            .args(args)
            .output()
            .unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    }

    #[test]
    fn out_naming_a_file_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let specs = specs(dir.path());
        let file = dir.path().join("a-file");
        std::fs::write(&file, "mine").unwrap();
        let under = file.join("sub");
        for (check, out) in [
            (false, &file),
            (true, &file),
            (false, &under),
            (true, &under),
        ] {
            let mut args = vec![
                "--specs".as_ref(),
                specs.as_os_str(),
                "--out".as_ref(),
                out.as_os_str(),
            ];
            if check {
                args.push("--check".as_ref());
            }
            let (ok, err) = generate(&args);
            assert!(!ok);
            let want = format!("{} is a file, not a directory", file.display());
            assert!(err.contains(&want), "{out:?} (check: {check}): {err}");
            assert!(!err.contains("os error"), "{err}");
        }
        assert_eq!(std::fs::read(&file).unwrap(), b"mine");
    }

    #[test]
    fn check_names_the_paths_to_regenerate() {
        let dir = tempfile::tempdir().unwrap();
        let specs = specs(dir.path());
        let out = dir.path().join("my out");
        Config::new().specs(&specs).generate_to(&out).unwrap();
        std::fs::write(out.join("src/lib.rs"), "// edited\n").unwrap();
        let (ok, err) = generate(&[
            "--check".as_ref(),
            "--specs".as_ref(),
            specs.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ]);
        assert!(!ok);
        let hint = err.lines().last().unwrap();
        let quoted = format!("--out '{}'", out.display());
        assert!(
            hint.contains(&format!("--specs {}", specs.display())),
            "{hint}"
        );
        assert!(hint.contains(&quoted), "{hint}");
        assert!(!hint.contains("--check"), "{hint}");
    }
}
