//! `stackql-bench`: wall time of each generator stage on the real corpus,
//! against a floor (read + tokenise with pulldown-cmark), plus peak memory
//! and, with `--compile`, what the generated code costs its users to compile.
//!
//! ```sh
//! cargo run --release -p stackql-codegen --bin stackql-bench -- [CORPUS_DIR] [--compile] [--repeat N]
//! ```
//!
//! `CORPUS_DIR` defaults to `../shared/corpus` beside the workspace. Each
//! top-level folder of the corpus (`current`, `aws-2024-06`, ...) is one
//! generation: one specs root, one generated crate.

use pulldown_cmark::{Options, Parser};
use rayon::prelude::*;
use stackql_codegen::emit::{self, EmitOptions};
use stackql_codegen::model::{PageKind, Resource};
use stackql_codegen::parse::Page;
use stackql_codegen::specs::{self, SpecFile};
use stackql_codegen::{resolve, write, Config};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// mimalloc: malloc/free were a quarter of the generator's samples (see the
/// README's benchmark section).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Targets of the issue "Speed at provider scale".
const TARGET_AWS_S: f64 = 1.0;
const TARGET_WHOLE_S: f64 = 3.0;
const TARGET_FULL_RATIO: f64 = 8.0;
const TARGET_NOCHANGE_RATIO: f64 = 2.0;
const TARGET_PEAK_MB: f64 = 500.0;

struct Args {
    corpus: PathBuf,
    /// Which generation sets to time: `aws`, `whole` or both (empty).
    sets: Vec<String>,
    /// Leave the outputs in the work directory (no deletion at all).
    keep: bool,
    compile: bool,
    compile_only: bool,
    repeat: usize,
    work: PathBuf,
}

fn args() -> Args {
    let mut corpus = None;
    let mut compile = false;
    let mut compile_only = false;
    let mut repeat = 3;
    let mut work = None;
    let mut sets = Vec::new();
    let mut keep = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--compile" => compile = true,
            "--compile-only" => {
                compile = true;
                compile_only = true
            }
            "--repeat" => {
                repeat = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .unwrap_or_else(|| usage("--repeat needs a positive number"))
            }
            "--keep" => keep = true,
            "--set" => match it.next().as_deref() {
                Some(set @ ("aws" | "whole")) => sets.push(set.to_string()),
                _ => usage("--set takes `aws` or `whole`"),
            },
            "--work-dir" => {
                work = Some(PathBuf::from(
                    it.next()
                        .unwrap_or_else(|| usage("--work-dir needs a directory")),
                ))
            }
            "-h" | "--help" => usage(""),
            s if s.starts_with('-') => usage(&format!("unknown flag {s}")),
            s => corpus = Some(PathBuf::from(s)),
        }
    }
    let corpus =
        corpus.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    let work = work.unwrap_or_else(|| std::env::temp_dir().join("stackql-bench"));
    Args {
        corpus,
        sets,
        keep,
        compile,
        compile_only,
        repeat,
        work,
    }
}

fn usage(msg: &str) -> ! {
    if !msg.is_empty() {
        eprintln!("error: {msg}");
    }
    eprintln!(
        "usage: stackql-bench [CORPUS_DIR] [--set aws|whole] [--keep] [--compile | --compile-only] [--repeat N] [--work-dir DIR]\n\
         \n  CORPUS_DIR   default: ../shared/corpus beside the workspace\n  \
         --set S      only this set: `aws` (current/aws) or `whole` (every folder); repeatable; default both\n  \
         --keep       delete no output (with a fresh --work-dir: no deletion skews the write timings)\n  \
         --compile    also measure `cargo check` of generated and downstream crates (minutes)\n  \
         --compile-only  only that part\n  \
         --repeat N   runs of the floor / full / no-change measurements (median shown; default 3)\n  \
         --work-dir   scratch directory (default: $TMPDIR/stackql-bench; the compile part keeps\n               \
         its crates and CARGO_TARGET_DIR there so dependencies compile once)"
    );
    std::process::exit(if msg.is_empty() { 0 } else { 2 })
}

/// One generation: a specs root and the page prefixes to keep (all when empty).
#[derive(Clone)]
struct Job {
    name: String,
    root: PathBuf,
    only: Vec<String>,
}

impl Job {
    fn config(&self) -> Config {
        let mut c = Config::new();
        c.specs(&self.root)
            .only(self.only.clone())
            .allow_partial(true);
        c
    }

    fn discover(&self) -> Vec<SpecFile> {
        specs::discover_only(&self.root, &self.only)
            .unwrap_or_else(|e| fail(&format!("reading {}: {e}", self.root.display())))
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("stackql-bench: {msg}");
    std::process::exit(1)
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

/// CPU time (user + system, all threads) of this process so far.
fn cpu_now() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|x| x.parse().ok())
        .collect();
    // utime + stime in clock ticks (USER_HZ, 100 on Linux).
    Duration::from_millis(f.iter().sum::<u64>() * 10)
}

/// Wall and CPU time of `f`.
fn stage<T>(f: impl FnOnce() -> T) -> (T, [Duration; 2]) {
    let c = cpu_now();
    let (v, w) = time(f);
    (v, [w, cpu_now().saturating_sub(c)])
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ok(pass: bool) -> &'static str {
    if pass {
        "ok"
    } else {
        "MISSED"
    }
}

/// Peak resident set size of this process (VmHWM), in MB.
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The floor: read every page and walk every pulldown-cmark event, in parallel.
fn floor(files: &[SpecFile]) -> usize {
    files
        .par_iter()
        .map(|f| {
            let bytes = std::fs::read(&f.path).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            Parser::new_ext(&text, Options::all()).count()
        })
        .sum()
}

/// What `Config::generate` does between parsing and writing: one resource
/// per id, resolve, emit.
fn dedupe(pages: &[Page]) -> (Vec<Resource>, usize) {
    let mut by_id: BTreeMap<String, Resource> = BTreeMap::new();
    let mut dups = 0;
    for r in pages.iter().filter_map(|p| p.resource.as_ref()) {
        let id = r.id.to_string();
        match by_id.entry(id) {
            std::collections::btree_map::Entry::Occupied(_) => dups += 1,
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(r.clone());
            }
        }
    }
    (by_id.into_values().collect(), dups)
}

fn is_resource_file(path: &str) -> bool {
    path.starts_with("src/")
        && path.ends_with(".rs")
        && !path.ends_with("/mod.rs")
        && path.matches('/').count() == 3
}

struct Staged {
    pages: usize,
    bytes: usize,
    resources: usize,
    left_out: usize,
    out_files: usize,
    out_bytes: usize,
    discover: [Duration; 2],
    read: [Duration; 2],
    parse: [Duration; 2],
    resolve: [Duration; 2],
    emit: [Duration; 2],
    lex: Duration,
    syn: Duration,
    pretty: Duration,
    write: [Duration; 2],
}

impl Staged {
    fn total(&self, i: usize) -> Duration {
        self.discover[i]
            + self.read[i]
            + self.parse[i]
            + self.resolve[i]
            + self.emit[i]
            + self.write[i]
    }
}

/// Runs the pipeline stage by stage (each stage over every job before the next).
fn staged(jobs: &[Job], out: &Path) -> Staged {
    let (per_job, discover) = stage(|| jobs.iter().map(Job::discover).collect::<Vec<_>>());
    let flat: Vec<(usize, &SpecFile)> = per_job
        .iter()
        .enumerate()
        .flat_map(|(j, fs)| fs.iter().map(move |f| (j, f)))
        .collect();
    let (texts, read) = stage(|| {
        flat.par_iter()
            .map(|(_, f)| {
                let bytes = std::fs::read(&f.path).unwrap_or_default();
                String::from_utf8_lossy(&bytes).into_owned()
            })
            .collect::<Vec<String>>()
    });
    let bytes = texts.iter().map(String::len).sum();
    let (pages, parse) = stage(|| {
        flat.par_iter()
            .zip(texts.par_iter())
            .map(|((_, f), t)| specs::parse_guarded(&f.relative, t))
            .collect::<Vec<Page>>()
    });
    drop(texts);
    let mut left_out = pages
        .iter()
        .filter(|p| p.kind == PageKind::Resource && p.resource.is_none())
        .count();
    let mut by_job: Vec<Vec<Page>> = vec![Vec::new(); jobs.len()];
    for ((j, _), p) in flat.iter().zip(pages) {
        by_job[*j].push(p);
    }
    let models: Vec<Vec<Resource>> = by_job
        .iter()
        .map(|ps| {
            let (rs, dups) = dedupe(ps);
            left_out += dups;
            rs
        })
        .collect();
    let (resolved, resolve) = stage(|| {
        models
            .iter()
            .map(|rs| resolve::resolve(rs, true, &mut Vec::new()))
            .collect::<Vec<_>>()
    });
    let opts = EmitOptions {
        crate_name: "stackql-bindings".into(),
        runtime: stackql_codegen::RuntimeDependency::Version(stackql_runtime::VERSION.into()),
        cloud_control: true,
        service_features: true,
        reuse_from: None,
    };
    let (emitted, emit) = stage(|| {
        resolved
            .iter()
            .map(|r| emit::crate_files(r, &opts))
            .collect::<Vec<_>>()
    });
    let mut resources = 0;
    for ((files, errors), r) in emitted.iter().zip(&resolved) {
        resources += r.resources.len() - errors.len();
        left_out += errors.len();
        let _ = files;
    }
    drop(resolved);
    // Formatting is not separable from token building through the public
    // API: re-lex each emitted resource file into a TokenStream, then time
    // syn parsing and prettyplease on it (what `emit::format_file` does).
    let sources: Vec<&str> = emitted
        .iter()
        .flat_map(|(files, _)| files)
        .filter(|f| is_resource_file(&f.path))
        .map(|f| f.contents.as_str())
        .collect();
    // TokenStream is not Send: each file goes through all three steps on
    // one thread; the wall time of the whole is split by summed step times.
    let (steps, fmt_wall) = time(|| {
        sources
            .par_iter()
            .map(|s| {
                let (ts, lex) = time(|| {
                    s.parse::<proc_macro2::TokenStream>()
                        .expect("emitted Rust lexes")
                });
                let (file, syn_d) =
                    time(|| syn::parse2::<syn::File>(ts).expect("emitted Rust parses"));
                let (_, pretty) = time(|| prettyplease::unparse(&file).len());
                [lex, syn_d, pretty]
            })
            .reduce(
                || [Duration::ZERO; 3],
                |a, b| [a[0] + b[0], a[1] + b[1], a[2] + b[2]],
            )
    });
    let cpu = secs(steps[0] + steps[1] + steps[2]).max(1e-9);
    let share = |d: Duration| fmt_wall.mul_f64(secs(d) / cpu);
    let (lex, syn_t, pretty) = (share(steps[0]), share(steps[1]), share(steps[2]));
    let out_files = emitted.iter().map(|(f, _)| f.len()).sum();
    let out_bytes = emitted
        .iter()
        .flat_map(|(f, _)| f)
        .map(|f| f.contents.len())
        .sum();
    let (_, write_t) = stage(|| {
        for ((files, _), job) in emitted.iter().zip(jobs) {
            write::write(&out.join(&job.name), files)
                .unwrap_or_else(|e| fail(&format!("writing: {e}")));
        }
    });
    Staged {
        pages: flat.len(),
        bytes,
        resources,
        left_out,
        out_files,
        out_bytes,
        discover,
        read,
        parse,
        resolve,
        emit,
        lex,
        syn: syn_t,
        pretty,
        write: write_t,
    }
}

/// `Config::generate_to` for every job into `out/<job>`.
fn end_to_end(jobs: &[Job], out: &Path) {
    for job in jobs {
        job.config()
            .generate_to(&out.join(&job.name))
            .unwrap_or_else(|e| fail(&format!("{}: {e}", job.name)));
    }
}

fn bench_set(title: &str, jobs: &[Job], work: &Path, repeat: usize, target_s: f64) -> (f64, f64) {
    println!("\n== {title} ==");
    // Nothing is deleted until the end of the whole run (see `main`).
    let out = work.join("out").join(title.replace('/', "_"));
    // Warm the page cache so that every measurement below reads from memory.
    let files: Vec<SpecFile> = jobs.iter().flat_map(Job::discover).collect();
    floor(&files);

    let s = staged(jobs, &out.join("staged"));
    let mb = s.bytes as f64 / 1e6;
    println!(
        "pages {}   input {:.1} MB   resources generated {}   resource pages left out {}   output {} files, {:.1} MB",
        s.pages,
        mb,
        s.resources,
        s.left_out,
        s.out_files,
        s.out_bytes as f64 / 1e6
    );
    println!("stage                          wall (s)  share    cpu (s)");
    let tot = secs(s.total(0));
    let row = |name: &str, d: [Duration; 2]| {
        println!(
            "  {name:<28} {:>8.3}   {:>4.0}%   {:>7.2}",
            secs(d[0]),
            100.0 * secs(d[0]) / tot,
            secs(d[1])
        )
    };
    row("discover (walk dirs)", s.discover);
    row("read (fs read, parallel)", s.read);
    row("parse (parse_page, parallel)", s.parse);
    row("resolve", s.resolve);
    row("emit (crate_files)", s.emit);
    row("write (fresh dir)", s.write);
    println!(
        "  {:<28} {:>8.3}           {:>7.2}",
        "sum of stages",
        tot,
        secs(s.total(1))
    );
    println!("  inside emit, estimated by re-running the formatter on the emitted resource files:");
    let fmt = s.syn + s.pretty;
    println!(
        "    syn parse {:.3} s + prettyplease {:.3} s = format ~{:.3} s wall; tokens+policies ~{:.3} s (re-lex {:.3} s, not part of emit)",
        secs(s.syn),
        secs(s.pretty),
        secs(fmt),
        secs(s.emit[0].saturating_sub(fmt)),
        secs(s.lex)
    );

    let runs = |f: &mut dyn FnMut(usize)| {
        let v: Vec<[Duration; 2]> = (0..repeat).map(|i| stage(|| f(i)).1).collect();
        (
            secs(median(v.iter().map(|d| d[0]).collect())),
            secs(median(v.iter().map(|d| d[1]).collect())),
        )
    };
    let (fl, fl_cpu) = runs(&mut |_| {
        floor(&files);
    });
    let (fu, fu_cpu) = runs(&mut |i| {
        let dir = out.join(format!("fresh{i}"));
        end_to_end(jobs, &dir);
    });
    let e2e = out.join("e2e");
    end_to_end(jobs, &e2e);
    let (nc, nc_cpu) = runs(&mut |_| {
        end_to_end(jobs, &e2e);
    });
    // What a no-change run consists of, timed piecewise.
    let (nc_discover, _) = runs(&mut |_| {
        jobs.iter().for_each(|j| drop(j.discover()));
    });
    let (nc_read, _) = runs(&mut |_| {
        let hashes: u64 = specs::read_all(&files)
            .par_iter()
            .map(|b| b.as_ref().map_or(0, |b| emit::reuse::hash(b)))
            .reduce(|| 0, u64::wrapping_add);
        std::hint::black_box(hashes);
    });
    println!("median of {repeat} run(s):                          wall (s)   cpu (s)");
    println!("  floor (read + pulldown-cmark events, parallel) {fl:>8.3}  {fl_cpu:>8.2}");
    println!(
        "  full (Config::generate_to, fresh dir)          {fu:>8.3}  {fu_cpu:>8.2}   target <= {target_s} s: {}",
        ok(fu <= target_s)
    );
    println!(
        "  no-change regeneration (same dir)              {nc:>8.3}  {nc_cpu:>8.2}   target <= {target_s} s: {}",
        ok(nc <= target_s)
    );
    println!(
        "    of which: discover {nc_discover:.3} s, read + hash pages {nc_read:.3} s, key + stat outputs + cache ~{:.3} s",
        (nc - nc_discover - nc_read).max(0.0)
    );
    println!(
        "  full / floor      {:>6.1}x   target <= {TARGET_FULL_RATIO}x: {}",
        fu / fl,
        ok(fu / fl <= TARGET_FULL_RATIO)
    );
    println!(
        "  no-change / floor {:>6.1}x   target <= {TARGET_NOCHANGE_RATIO}x: {}",
        nc / fl,
        ok(nc / fl <= TARGET_NOCHANGE_RATIO)
    );
    println!("  throughput (full) {:.1} MB/s", mb / fu);
    let peak = peak_mb();
    println!(
        "peak memory so far (VmHWM) {peak:.0} MB   target < {TARGET_PEAK_MB} MB: {}",
        ok(peak < TARGET_PEAK_MB)
    );
    (fu, nc)
}

fn main() {
    let a = args();
    let corpus = a
        .corpus
        .canonicalize()
        .unwrap_or_else(|e| fail(&format!("corpus {}: {e}", a.corpus.display())));
    std::fs::create_dir_all(&a.work).unwrap_or_else(|e| fail(&format!("work dir: {e}")));
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    println!(
        "stackql-bench: corpus {}   cpus {}   rayon threads {}   cpu {cpu}   load average {}",
        corpus.display(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        rayon::current_num_threads(),
        load()
    );

    let aws = [Job {
        name: "current".into(),
        root: corpus.join("current"),
        only: vec!["aws/".into()],
    }];
    let mut whole: Vec<Job> = std::fs::read_dir(&corpus)
        .unwrap_or_else(|e| fail(&format!("corpus: {e}")))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| Job {
            name: e.file_name().to_string_lossy().into_owned(),
            root: e.path(),
            only: Vec::new(),
        })
        .collect();
    whole.sort_by(|a, b| a.name.cmp(&b.name));

    if !a.compile_only {
        // ext4 without a journal (this machine's) does not reuse an inode
        // within 30 s of its deletion and scans past every such inode on
        // each file creation: writing thousands of files right after
        // deleting thousands is many times slower. So the outputs of a run
        // are deleted at its end, and a leftover is reported.
        if a.keep && a.work.join("out").exists() {
            fail("--keep needs a --work-dir without an `out` folder (its outputs would not be fresh)");
        }
        if a.work.join("out").exists() {
            println!(
                "note: deleting the outputs of an earlier run; if it ended less than 30 s ago, \
                 writes into fresh directories may be slower than usual"
            );
            let _ = std::fs::remove_dir_all(a.work.join("out"));
        }
        let want = |s: &str| a.sets.is_empty() || a.sets.iter().any(|x| x == s);
        if want("aws") {
            bench_set("current/aws", &aws, &a.work, a.repeat, TARGET_AWS_S);
        }
        let names: Vec<&str> = whole.iter().map(|j| j.name.as_str()).collect();
        if want("whole") {
            bench_set(
                &format!("whole corpus ({})", names.join(" + ")),
                &whole,
                &a.work,
                a.repeat,
                TARGET_WHOLE_S,
            );
        }
        if !a.keep {
            let _ = std::fs::remove_dir_all(a.work.join("out"));
        }
        let peak = peak_mb();
        println!("\nload average at the end {}", load());
        println!(
            "peak memory (VmHWM, whole run) {peak:.0} MB   target < {TARGET_PEAK_MB} MB: {}",
            ok(peak < TARGET_PEAK_MB)
        );
    }

    if a.compile {
        compile_cost(&corpus, &a.work);
    } else {
        println!("\n(compile cost for users: pass --compile; takes minutes)");
    }
}

// ---------------------------------------------------------------- compile cost

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

/// Measures: first check, clean check of `pkg` (after `cargo clean -p`),
/// incremental check after touching `edit`, and after touching the downstream's main.rs.
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

fn compile_cost(corpus: &Path, work: &Path) {
    println!("\n== compile cost for users (current/aws + current/google + current/github) ==");
    let base = work.join("compile");
    let gen = base.join("stackql-bindings");
    let target = base.join("target");
    let mut cfg = Config::new();
    cfg.specs(corpus.join("current"))
        .only(["aws/", "google/", "github/"])
        .allow_partial(true);
    let (g, d) = time(|| cfg.generate().unwrap_or_else(|e| fail(&e.to_string())));
    write::write(&gen, &g.files).unwrap_or_else(|e| fail(&e.to_string()));
    println!(
        "generated {} resources ({} left out) into {} in {:.2} s",
        g.resources,
        g.left_out.len(),
        gen.display(),
        secs(d)
    );
    drop(g);

    let mut lines = Vec::new();
    count_lines(&gen.join("src"), &mut lines, &gen);
    let total: usize = lines.iter().map(|(_, n)| n).sum();
    let runtime: usize = lines
        .iter()
        .filter(|(p, _)| p.starts_with("src/runtime/"))
        .map(|(_, n)| n)
        .sum();
    let mut per: Vec<usize> = lines
        .iter()
        .filter(|(p, _)| is_resource_file(p) && !p.starts_with("src/runtime/"))
        .map(|(_, n)| *n)
        .collect();
    per.sort();
    let res_total: usize = per.iter().sum();
    println!(
        "lines of Rust: {total} total ({runtime} runtime, {res_total} in {} resource files, {} in lib/mod files)",
        per.len(),
        total - runtime - res_total
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
