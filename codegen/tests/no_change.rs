//! The no-change fast path of `Config::generate_to` / `write_to`: a run
//! whose settings and pages are those of the run that wrote the output, and
//! whose files are untouched, parses nothing; anything else regenerates, and
//! the output is always what a fresh generation gives.

use stackql_codegen::Config;
use stackql_codegen::Outcome;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const CACHE: &str = ".stackql-codegen-cache";
const MODULE: &str = "src/aws/connect/integration_associations.rs";
const POLICY: &str = "policies/aws/connect/integration_associations.json";

fn page() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../specs/aws/connect/integration_associations/index.md");
    std::fs::read_to_string(p).unwrap()
}

/// A specs tree with the real page and a second resource made from it.
fn specs(root: &Path) -> PathBuf {
    let specs = root.join("specs");
    put(
        &specs,
        "aws/connect/integration_associations/index.md",
        &page(),
    );
    put(
        &specs,
        "aws/connect/widget_links/index.md",
        &page().replace("integration_associations", "widget_links"),
    );
    specs
}

fn put(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Every file under `dir` but the cache: path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if !p.ends_with(CACHE) {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Writes into `out` and checks that it now holds exactly what a fresh
/// generation with the same settings gives; returns the outcome.
fn run(cfg: &Config, out: &Path) -> Outcome {
    let outcome = cfg.write_to(out).unwrap();
    // At the same depth as `out`: the runtime's path is relative to it.
    let fresh = tempfile::tempdir().unwrap();
    let fresh = fresh.path().join("out");
    cfg.write_to(&fresh).unwrap();
    assert_eq!(
        tree(out),
        tree(&fresh),
        "output differs from a fresh generation"
    );
    assert!(cfg.check(out).unwrap().drift.is_empty());
    outcome
}

fn setup() -> (tempfile::TempDir, Config, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = Config::new();
    cfg.specs(specs(dir.path()));
    let out = dir.path().join("out");
    let first = run(&cfg, &out);
    assert!(!first.skipped);
    assert_eq!(first.resources, 2);
    (dir, cfg, out)
}

#[test]
fn an_unchanged_run_skips_everything_and_reports_the_same() {
    let (_dir, cfg, out) = setup();
    let mtime = std::fs::metadata(out.join(MODULE))
        .unwrap()
        .modified()
        .unwrap();
    let skipped = run(&cfg, &out);
    assert!(skipped.skipped);
    assert!(skipped.report.written.is_empty());
    assert_eq!(
        std::fs::metadata(out.join(MODULE))
            .unwrap()
            .modified()
            .unwrap(),
        mtime
    );
    // Without the cache the same run parses everything and says the same.
    std::fs::remove_file(out.join(CACHE)).unwrap();
    let full = run(&cfg, &out);
    assert!(!full.skipped);
    assert_eq!(
        Outcome {
            skipped: true,
            ..full
        },
        skipped
    );
    assert!(run(&cfg, &out).skipped);
}

#[test]
fn a_hand_edited_output_file_is_regenerated() {
    let (_dir, cfg, out) = setup();
    let original = std::fs::read_to_string(out.join(MODULE)).unwrap();
    // The same size, most likely within the clock tick of the write: only
    // the content hash can tell.
    let edited = original.replacen("pub", "pib", 1);
    assert_eq!(edited.len(), original.len());
    std::fs::write(out.join(MODULE), &edited).unwrap();
    let o = run(&cfg, &out);
    assert!(!o.skipped);
    assert_eq!(o.report.written, [MODULE]);
    // Another size, later.
    std::fs::write(out.join(POLICY), "{}").unwrap();
    let o = run(&cfg, &out);
    assert_eq!(o.report.written, [POLICY]);
    // The manifest is the generator's too: emptied, it no longer says the
    // files are the generator's, so they are not overwritten unless adopted.
    std::fs::write(out.join(".stackql-codegen-manifest"), "").unwrap();
    let e = cfg.write_to(&out).unwrap_err();
    assert!(e.to_string().contains("--adopt"), "{e}");
    let mut adopt = cfg.clone();
    adopt.adopt(true);
    assert!(!run(&adopt, &out).skipped);
    assert!(run(&cfg, &out).skipped);
}

#[test]
fn a_removed_output_file_is_written_again() {
    let (_dir, cfg, out) = setup();
    std::fs::remove_file(out.join(POLICY)).unwrap();
    assert_eq!(run(&cfg, &out).report.written, [POLICY]);
    // A file the generator did not write is not its business.
    std::fs::write(out.join("src/mine.rs"), "// mine\n").unwrap();
    let o = cfg.write_to(&out).unwrap();
    assert!(o.skipped);
    assert_eq!(
        std::fs::read_to_string(out.join("src/mine.rs")).unwrap(),
        "// mine\n"
    );
}

#[test]
fn a_changed_added_or_removed_page_is_regenerated() {
    let (dir, cfg, out) = setup();
    let specs = dir.path().join("specs");
    put(
        &specs,
        "aws/connect/integration_associations/index.md",
        &page().replace("AWS region.", "The AWS region."),
    );
    let o = run(&cfg, &out);
    assert!(!o.skipped);
    assert_eq!(o.report.written, [MODULE]);
    assert!(run(&cfg, &out).skipped);

    put(
        &specs,
        "aws/connect/gadgets/index.md",
        &page().replace("integration_associations", "gadgets"),
    );
    let o = run(&cfg, &out);
    assert_eq!(o.resources, 3);
    assert!(o
        .report
        .written
        .contains(&"src/aws/connect/gadgets.rs".to_string()));

    std::fs::remove_dir_all(specs.join("aws/connect/widget_links")).unwrap();
    let o = run(&cfg, &out);
    assert_eq!(o.resources, 2);
    assert!(o
        .report
        .removed
        .contains(&"src/aws/connect/widget_links.rs".to_string()));
    assert!(!out.join("src/aws/connect/widget_links.rs").exists());

    // A page that is not a resource page counts as well (it has a note).
    put(&specs, "aws/connect/readme.md", "# Connect\n");
    assert!(!run(&cfg, &out).skipped);
    assert!(run(&cfg, &out).skipped);
}

#[test]
fn a_changed_setting_is_regenerated() {
    let (dir, mut cfg, out) = setup();
    cfg.crate_name("other-name");
    let o = run(&cfg, &out);
    assert_eq!(o.report.written, ["Cargo.toml"]);
    assert!(run(&cfg, &out).skipped);

    cfg.cloud_control(false);
    assert!(o.report.written.len() < run(&cfg, &out).report.written.len());
    assert!(run(&cfg, &out).skipped);

    cfg.service_features(false);
    assert!(!run(&cfg, &out).skipped);
    assert!(run(&cfg, &out).skipped);

    cfg.only(["aws/connect/widget_links"]);
    let o = run(&cfg, &out);
    assert_eq!(o.resources, 1);
    assert!(!out.join(MODULE).exists());
    assert!(run(&cfg, &out).skipped);
    cfg.only(Vec::<String>::new());
    assert_eq!(run(&cfg, &out).resources, 2);

    // A broken page: left out with allow_partial, an error without, even
    // though the pages did not change since the partial run.
    let specs = dir.path().join("specs");
    put(
        &specs,
        "aws/connect/broken/index.md",
        &page().replace(
            "aws.connect.integration_associations\" />",
            "aws.connect.../../etc\" />",
        ),
    );
    cfg.allow_partial(true);
    let o = run(&cfg, &out);
    assert_eq!(o.left_out, ["aws/connect/broken/index.md"]);
    let skipped = run(&cfg, &out);
    assert!(skipped.skipped);
    assert_eq!(skipped.left_out, o.left_out);
    assert!(skipped
        .warnings
        .iter()
        .any(|w| w.contains("broken/index.md")));
    cfg.allow_partial(false);
    let err = cfg.generate_to(&out).unwrap_err().to_string();
    assert!(err.contains("could not be generated"), "{err}");
}

#[test]
fn build_script_mode_skips_too_and_names_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = Config::new();
    cfg.specs(specs(dir.path())).service_features(false);
    let out = dir.path().join("out");
    cfg.generate_module(&out).unwrap();
    let bindings = std::fs::read_to_string(out.join("bindings.rs")).unwrap();
    assert!(cfg.generate_module(&out).unwrap().written.is_empty());
    // The same output directory seen through another path: bindings.rs
    // names that path, so it is written again.
    let other = dir.path().join(".").join("out");
    let r = cfg.generate_module(&other).unwrap();
    assert_eq!(r.written, ["bindings.rs"]);
    assert_ne!(
        std::fs::read_to_string(out.join("bindings.rs")).unwrap(),
        bindings
    );
    // A crate written over it drops bindings.rs.
    let o = cfg.write_to(&out).unwrap();
    assert!(!o.skipped);
    assert_eq!(o.report.removed, ["bindings.rs"]);
}
