//! A regeneration killed at any point leaves the previous output or the new
//! one, never a mix; two runs into one output at once leave a consistent
//! output and cache. Both run the CLI on large slices of the real corpus.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_stackql-codegen");
const MANIFEST: &str = ".stackql-codegen-manifest";

fn corpus() -> Option<PathBuf> {
    let c = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if c.is_dir() {
        Some(c)
    } else {
        eprintln!(
            "skipped: {} not found (these tests need the real corpus; CI has it)",
            c.display()
        );
        None
    }
}

fn generate(args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.arg("generate")
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn run(args: &[&str]) {
    let st = generate(args).status().unwrap();
    assert!(st.success(), "generate {args:?} failed");
}

fn manifest(out: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(out.join(MANIFEST))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The generator's files under `out` among `paths` (and the manifest):
/// path → bytes, absent ones left out.
fn ours(out: &Path, paths: &BTreeSet<String>) -> BTreeMap<String, Vec<u8>> {
    paths
        .iter()
        .map(String::as_str)
        .chain([MANIFEST])
        .filter_map(|p| Some((p.to_string(), std::fs::read(out.join(p)).ok()?)))
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    let st = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(st.success());
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The services the kill test regenerates (about 360 pages of
/// `current/aws`, 130 of `aws-2024-06`): enough files for a kill to land
/// mid-write, few enough for a debug build in CI.
const SERVICES: [&str; 4] = ["ec2/", "connect/", "s3/", "iam/"];

/// `generate` arguments for [`SERVICES`] of `specs` into `out`.
fn sliced<'a>(specs: &'a Path, out: &'a Path) -> Vec<&'a str> {
    let mut args = vec!["--allow-partial", "--specs", s(specs), "--out", s(out)];
    for service in SERVICES {
        args.extend(["--only", service]);
    }
    args
}

#[test]
fn a_killed_regeneration_leaves_the_old_output_or_the_new_one() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (old_specs, new_specs) = (corpus.join("aws-2024-06"), corpus.join("current/aws"));
    let pristine = dir.path().join("pristine");
    let reference = dir.path().join("reference");
    run(&sliced(&old_specs, &pristine));
    let t = Instant::now();
    run(&sliced(&new_specs, &reference));
    let full = t.elapsed();
    let paths: BTreeSet<String> = manifest(&pristine)
        .union(&manifest(&reference))
        .cloned()
        .collect();
    let (old, new) = (ours(&pristine, &paths), ours(&reference, &paths));
    assert_ne!(old, new);
    let out = dir.path().join("out");
    let tries = 6;
    let (mut saw_old, mut saw_new) = (0, 0);
    for i in 0..tries {
        copy_tree(&pristine, &out);
        // Spread over the run, denser towards its end where the writing is.
        let at = full.mul_f64(0.3 + 0.8 * f64::from(i) / f64::from(tries));
        let mut child = generate(&sliced(&new_specs, &out)).spawn().unwrap();
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let now = ours(&out, &paths);
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            let differ = now
                .keys()
                .chain(new.keys())
                .filter(|k| now.get(*k) != new.get(*k))
                .count();
            panic!("try {i} (killed after {at:?}): a mix of old and new files ({differ} differ from the new output)");
        }
    }
    eprintln!("killed {tries} runs: {saw_old} left the old output, {saw_new} the new one");
    // The next run cleans up what the killed one left and finishes the job.
    run(&sliced(&new_specs, &out));
    assert_eq!(ours(&out, &paths), new);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("stackql-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn concurrent_runs_leave_a_consistent_output_and_cache() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let specs = corpus.join("current");
    let out = dir.path().join("out");
    let base = [
        "--allow-partial",
        "--only",
        "aws/s3/",
        "--only",
        "aws/ec2/",
        "--specs",
        s(&specs),
        "--out",
        s(&out),
    ];
    let with = |extra: &[&'static str]| -> Vec<&str> {
        base.iter().copied().chain(extra.iter().copied()).collect()
    };
    let settings: [Vec<&str>; 2] = [with(&[]), with(&["--no-cloud-control"])];
    for round in 0..2 {
        let children: Vec<_> = settings
            .iter()
            .map(|a| generate(a).spawn().unwrap())
            .collect();
        let deadline = Instant::now() + Duration::from_secs(300);
        for mut c in children {
            while c.try_wait().unwrap().is_none() {
                assert!(
                    Instant::now() < deadline,
                    "round {round}: a run did not finish"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
            assert!(c.wait().unwrap().success(), "round {round}: a run failed");
        }
        // Whatever the order, each setting then regenerates to exactly its
        // output, which --check confirms.
        for a in &settings {
            run(a);
            let check: Vec<&str> = a.iter().copied().chain(["--check"]).collect();
            assert!(
                generate(&check).status().unwrap().success(),
                "round {round}: --check {a:?} finds differences after a run that said it was done"
            );
        }
    }
}
