//! What the generated code costs its users to compile (`--compile`):
//! `cargo check` of downstream crates depending on a crate generated from
//! the three large providers, clean and incremental.

use crate::sys::{fail, is_resource_file, secs, time};
use stackql_codegen::Config;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn count_lines(dir: &Path, out: &mut Vec<(String, usize)>, root: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            count_lines(&p, out, root);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let n = std::fs::read_to_string(&p).map_or(0, |s| s.lines().count());
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, n));
        }
    }
}

/// Runs cargo; returns the wall time and, when GNU time is installed, the
/// peak RSS of the largest process it ran (rustc), in MB.
fn cargo(dir: &Path, target: &Path, args: &[&str]) -> (Duration, Option<f64>) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let gnu_time = Path::new("/usr/bin/time").exists();
    let mut cmd = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "stackql-bench-maxrss %M", &cargo]);
        c
    } else {
        Command::new(&cargo)
    };
    let (st, d) = time(|| {
        cmd.args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target)
            .env_remove("RUSTFLAGS")
            .output()
    });
    match st {
        Ok(o) if o.status.success() => {
            let err = String::from_utf8_lossy(&o.stderr);
            let rss = err
                .lines()
                .filter_map(|l| l.strip_prefix("stackql-bench-maxrss "))
                .filter_map(|kb| kb.trim().parse::<f64>().ok())
                .next_back()
                .map(|kb| kb / 1024.0);
            (d, rss)
        }
        Ok(o) => {
            let err = String::from_utf8_lossy(&o.stderr);
            let tail: Vec<&str> = err.lines().rev().take(30).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            fail(&format!(
                "cargo {} in {} failed:\n{}",
                args.join(" "),
                dir.display(),
                tail.join("\n")
            ))
        }
        Err(e) => fail(&format!("running cargo: {e}")),
    }
}

fn show(what: &str, r: (Duration, Option<f64>)) {
    match r.1 {
        Some(mb) => println!(
            "    {what:<40} {:>8.2} s   peak RSS {mb:>6.0} MB",
            secs(r.0)
        ),
        None => println!("    {what:<40} {:>8.2} s", secs(r.0)),
    }
}

fn downstream(dir: &Path, dep: &str) {
    std::fs::create_dir_all(dir.join("src")).unwrap_or_else(|e| fail(&e.to_string()));
    let toml = format!(
        "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{dep}\n\n[workspace]\n",
        dir.file_name().unwrap().to_string_lossy()
    );
    std::fs::write(dir.join("Cargo.toml"), toml).unwrap_or_else(|e| fail(&e.to_string()));
    let krate = dep
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .replace('-', "_");
    std::fs::write(
        dir.join("src/main.rs"),
        format!("use {krate} as _;\n\nfn main() {{}}\n"),
    )
    .unwrap_or_else(|e| fail(&e.to_string()));
}

fn touch(path: &Path) {
    // Append and remove nothing: a trailing comment changes the file's
    // bytes and mtime, so cargo rebuilds the crate (incrementally).
    let mut s = std::fs::read_to_string(path).unwrap_or_else(|e| fail(&e.to_string()));
    s.push_str("// touched by stackql-bench\n");
    std::fs::write(path, s).unwrap_or_else(|e| fail(&e.to_string()));
}

/// Measures: a first check (when the dependencies may not be built yet), a
/// clean check of `pkg` (after `cargo clean -p`), an incremental check after
/// editing `edit`, one after editing the downstream's main.rs, and a no-op.
fn check_series(
    label: &str,
    dir: &Path,
    target: &Path,
    pkg: &str,
    edit: Option<&Path>,
    deps_built: bool,
) {
    println!("  {label}");
    if !deps_built {
        show(
            "first check (incl. deps not yet built)",
            cargo(dir, target, &["check", "-q"]),
        );
    }
    cargo(dir, target, &["clean", "-q", "-p", pkg]);
    show(
        &format!("clean check of {pkg}"),
        cargo(dir, target, &["check", "-q"]),
    );
    if let Some(p) = edit {
        touch(p);
        show(
            "incremental, one generated file edited",
            cargo(dir, target, &["check", "-q"]),
        );
    }
    touch(&dir.join("src/main.rs"));
    show(
        "incremental, downstream main.rs edited",
        cargo(dir, target, &["check", "-q"]),
    );
    show("no-op check", cargo(dir, target, &["check", "-q"]));
}

/// Generates current/aws + google + github into `work/compile` and
/// measures `cargo check` of downstream crates.
pub fn compile_cost(corpus: &Path, work: &Path) {
    println!("\n== compile cost for users (current/aws + current/google + current/github) ==");
    let base = work.join("compile");
    let gen = base.join("stackql-bindings");
    let target = base.join("target");
    let mut cfg = Config::new();
    cfg.specs(corpus.join("current"))
        .only(["aws/", "google/", "github/"])
        .allow_partial(true);
    let (o, d) = time(|| cfg.write_to(&gen).unwrap_or_else(|e| fail(&e.to_string())));
    println!(
        "generated {} resources ({} left out) into {} in {:.2} s{}",
        o.resources,
        o.left_out.len(),
        gen.display(),
        secs(d),
        if o.skipped {
            " (unchanged since the last run)"
        } else {
            ""
        }
    );

    let mut lines = Vec::new();
    count_lines(&gen.join("src"), &mut lines, &gen);
    let total: usize = lines.iter().map(|(_, n)| n).sum();
    let mut per: Vec<usize> = lines
        .iter()
        .filter(|(p, _)| is_resource_file(p))
        .map(|(_, n)| *n)
        .collect();
    per.sort();
    let res_total: usize = per.iter().sum();
    println!(
        "lines of Rust: {total} total ({res_total} in {} resource files, {} in lib/mod files)",
        per.len(),
        total - res_total
    );
    if !per.is_empty() {
        println!(
            "per resource: mean {:.0}, median {}, p90 {}, max {}",
            res_total as f64 / per.len() as f64,
            per[per.len() / 2],
            per[per.len() * 9 / 10],
            per[per.len() - 1]
        );
    }
    let mut by_provider: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (p, n) in lines.iter().filter(|(p, _)| is_resource_file(p)) {
        let prov = p.split('/').nth(1).unwrap_or_default().to_string();
        let e = by_provider.entry(prov).or_default();
        e.0 += 1;
        e.1 += n;
    }
    for (p, (files, n)) in &by_provider {
        println!("  {p:<8} {files:>5} resources {n:>9} lines");
    }

    println!("cargo check (CARGO_TARGET_DIR={}):", target.display());
    let gen_path = gen.to_string_lossy().replace('\\', "/");
    let s3_file = first_rs(&gen.join("src/aws/s3"));
    let user = |name: &str, feature: &str| {
        let dir = base.join(name);
        downstream(
            &dir,
            &format!("stackql-bindings = {{ path = \"{gen_path}\", features = [\"{feature}\"] }}"),
        );
        dir
    };
    let untouch = || {
        // Undo the edit so the next series starts from the generated bytes.
        if let Some(f) = &s3_file {
            let s = std::fs::read_to_string(f).unwrap_or_default();
            let _ = std::fs::write(f, s.replace("// touched by stackql-bench\n", ""));
        }
    };
    check_series(
        "downstream crate, stackql-bindings with feature `aws-s3`",
        &user("user-aws-s3", "aws-s3"),
        &target,
        "stackql-bindings",
        s3_file.as_deref(),
        false,
    );
    untouch();
    let dir = base.join("user-cloudcontrol");
    downstream(&dir, "aws-sdk-cloudcontrol = \"1\"");
    check_series(
        "downstream crate, aws-sdk-cloudcontrol (crates.io)",
        &dir,
        &target,
        "aws-sdk-cloudcontrol",
        None,
        false,
    );
    // serde and serde_json are built by now: the first check would be the clean one.
    check_series(
        "downstream crate, stackql-bindings with feature `aws` (every AWS service)",
        &user("user-aws", "aws"),
        &target,
        "stackql-bindings",
        // Editing one file re-checks the whole enabled crate: as long as the clean check.
        None,
        true,
    );
}

fn first_rs(dir: &Path) -> Option<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs") && !p.ends_with("mod.rs"))
        .collect();
    v.sort();
    v.into_iter().next()
}
