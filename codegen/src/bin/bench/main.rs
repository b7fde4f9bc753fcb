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
//! generation: one specs root, one generated crate. The stages are the
//! library's own ([`stackql_codegen::Stage`]), timed as a run reports them.

mod compile;
mod stages;
mod sys;

use clap::{Parser, ValueEnum};
use stages::{bench_set, Job, TARGET_PEAK_MB};
use std::path::{Path, PathBuf};
use sys::{fail, load, ok, peak_mb};

#[path = "../../alloc.rs"]
mod alloc;

/// mimalloc: malloc/free were a quarter of the generator's samples (see the
/// README's benchmark section).
#[global_allocator]
static GLOBAL: alloc::Mimalloc = alloc::Mimalloc;

/// Targets of the issue "Speed at provider scale", in seconds.
const TARGET_AWS_S: f64 = 1.0;
const TARGET_WHOLE_S: f64 = 3.0;

/// Times the generator on the corpus (figures only: no timing is a test).
#[derive(Parser)]
#[command(name = "stackql-bench")]
struct Args {
    /// The corpus; default: ../shared/corpus beside the workspace.
    #[arg(value_name = "CORPUS_DIR")]
    corpus: Option<PathBuf>,
    /// Only this set (repeatable); default both.
    #[arg(long = "set", value_enum, value_name = "SET")]
    sets: Vec<Set>,
    /// Delete no output (with a fresh --work-dir: no deletion skews the write timings).
    #[arg(long)]
    keep: bool,
    /// Also measure `cargo check` of generated and downstream crates (minutes).
    #[arg(long)]
    compile: bool,
    /// Only measure the compile cost.
    #[arg(long, conflicts_with = "compile")]
    compile_only: bool,
    /// Runs of the floor / full / no-change measurements (median shown).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
    repeat: u16,
    /// Scratch directory (default: $TMPDIR/stackql-bench); the compile part
    /// keeps its crates and CARGO_TARGET_DIR there so dependencies compile once.
    #[arg(long = "work-dir", value_name = "DIR")]
    work: Option<PathBuf>,
}

/// A set of generations to time.
#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
enum Set {
    /// current/aws.
    Aws,
    /// Every folder of the corpus.
    Whole,
}

fn main() {
    let a = Args::parse();
    let corpus = a
        .corpus
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    let corpus = corpus
        .canonicalize()
        .unwrap_or_else(|e| fail(&format!("corpus {}: {e}", corpus.display())));
    let work = a
        .work
        .unwrap_or_else(|| std::env::temp_dir().join("stackql-bench"));
    std::fs::create_dir_all(&work).unwrap_or_else(|e| fail(&format!("work dir: {e}")));
    println!(
        "stackql-bench: corpus {}   cpus {}   rayon threads {}   cpu {}   load average {}",
        corpus.display(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        rayon::current_num_threads(),
        sys::cpu_model(),
        load()
    );

    if !a.compile_only {
        let repeat = usize::from(a.repeat);
        // ext4 without a journal (this machine's) does not reuse an inode
        // within 30 s of its deletion and scans past every such inode on
        // each file creation: writing thousands of files right after
        // deleting thousands is many times slower. So the outputs of a run
        // are deleted at its end, and a leftover is reported.
        let outputs = work.join("out");
        if a.keep && outputs.exists() {
            fail("--keep needs a --work-dir without an `out` folder (its outputs would not be fresh)");
        }
        if outputs.exists() {
            println!(
                "note: deleting the outputs of an earlier run; if it ended less than 30 s ago, \
                 writes into fresh directories may be slower than usual"
            );
            let _ = std::fs::remove_dir_all(&outputs);
        }
        let want = |s: Set| a.sets.is_empty() || a.sets.contains(&s);
        if want(Set::Aws) {
            let aws = [Job {
                name: "current".into(),
                root: corpus.join("current"),
                only: vec!["aws/".into()],
            }];
            bench_set("current/aws", &aws, &work, repeat, TARGET_AWS_S);
        }
        if want(Set::Whole) {
            let whole = generations(&corpus);
            let names: Vec<&str> = whole.iter().map(|j| j.name.as_str()).collect();
            let title = format!("whole corpus ({})", names.join(" + "));
            bench_set(&title, &whole, &work, repeat, TARGET_WHOLE_S);
        }
        if !a.keep {
            let _ = std::fs::remove_dir_all(&outputs);
        }
        let peak = peak_mb();
        println!("\nload average at the end {}", load());
        println!(
            "peak memory (VmHWM, whole run) {peak:.0} MB   target < {TARGET_PEAK_MB} MB: {}",
            ok(peak < TARGET_PEAK_MB)
        );
    }

    if a.compile || a.compile_only {
        compile::compile_cost(&corpus, &work);
    } else {
        println!("\n(compile cost for users: pass --compile; takes minutes)");
    }
}

/// One job per top-level folder of the corpus, sorted by name.
fn generations(corpus: &Path) -> Vec<Job> {
    let mut whole: Vec<Job> = std::fs::read_dir(corpus)
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
    whole
}
