//! `generate --check` names every file that differs: missing, changed.

use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_stackql-codegen");

/// `generate --check` of the repository's specs into `out`: success and
/// the lines it printed.
fn check(out: &Path) -> (bool, Vec<String>) {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let o = Command::new(BIN)
        .args(["generate", "--check", "--specs"])
        .arg(&specs)
        .arg("--out")
        .arg(out)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&o.stderr)
        .lines()
        .map(str::to_string)
        .collect();
    (o.status.success(), lines)
}

#[test]
fn check_lists_each_missing_and_changed_file_on_its_own_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (ok, lines) = check(&out);
    assert!(!ok);
    let missing: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("missing: "))
        .collect();
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let st = Command::new(BIN)
        .args(["generate", "--specs"])
        .arg(&specs)
        .arg("--out")
        .arg(&out)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success());
    // Every file the run wrote was listed missing, each once.
    for f in &missing {
        assert!(out.join(f).is_file(), "{f} listed but not written");
    }
    let module = "src/aws/connect/integration_associations.rs";
    assert!(missing.contains(&module), "{missing:?}");
    assert!(check(&out).0, "not up to date right after a write");
    std::fs::write(out.join(module), "// edited\n").unwrap();
    let first = missing.iter().find(|f| **f != module).unwrap();
    std::fs::remove_file(out.join(first)).unwrap();
    let (ok, lines) = check(&out);
    assert!(!ok);
    assert!(lines.contains(&format!("changed: {module}")), "{lines:?}");
    assert!(lines.contains(&format!("missing: {first}")), "{lines:?}");
}
