//! The `stackql-codegen` command line.

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use stackql_codegen::write::Drift;
use stackql_codegen::{Config, RuntimeDependency};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

mod cli;

/// mimalloc: malloc/free were a quarter of the generator's samples (see the
/// README's benchmark section).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Typed Rust bindings and IAM policies from StackQL provider resource docs.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the bindings crate from a specs tree.
    Generate {
        /// The specs directory (`<provider>/<service>/<resource>/index.md`).
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// The output crate directory.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
        /// Compare instead of writing; exit non-zero on any difference.
        #[arg(long)]
        check: bool,
        /// Write what can be generated even if some resource pages fail.
        #[arg(long)]
        allow_partial: bool,
        /// The generated crate's package name.
        #[arg(long, default_value = "stackql-bindings")]
        crate_name: String,
        /// Leave the AWS Cloud Control API actions out of policies.
        #[arg(long)]
        no_cloud_control: bool,
        /// Only pages whose path under the specs starts with this (repeatable), e.g. `aws/s3/`.
        #[arg(long)]
        only: Vec<String>,
        /// Depend on `stackql-runtime` at this path (relative to the output
        /// crate, or absolute). Default: the runtime source this generator
        /// was built from, written relative to the output.
        #[arg(long, value_name = "PATH", conflicts_with = "runtime_version")]
        runtime_path: Option<String>,
        /// Depend on `stackql-runtime` by this version requirement (from a
        /// registry) instead of by path.
        #[arg(long, value_name = "VERSION")]
        runtime_version: Option<String>,
        /// Take over a non-empty `--out` directory that the generator did not
        /// create (one without `.stackql-codegen-manifest`), overwriting files
        /// of the same paths; refused without this flag.
        #[arg(long)]
        adopt: bool,
    },
    /// Print per-provider counts of pages, resources, methods, permissions and diagnostics.
    Report(cli::report::Args),
    /// Print the merged least-privilege IAM policy for a set of operations.
    Policy(cli::policy::Args),
    /// Compare two spec trees at the model level and classify each change.
    Diff(cli::diff::Args),
    /// Print the parsed model of each resource as one JSON object per line.
    Model {
        /// The specs directory.
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
        /// Only this resource (`provider.service.resource`).
        #[arg(long)]
        id: Option<String>,
    },
}

/// The pages-parsed progress bar of long runs (hidden when stderr is not a
/// terminal).
pub(crate) fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
    }
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:40}] {pos}/{len} pages ({per_sec})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.set_message("parsing");
    pb
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate {
            specs,
            out,
            check,
            allow_partial,
            crate_name,
            no_cloud_control,
            only,
            runtime_path,
            runtime_version,
            adopt,
        } => {
            let mut cfg = Config::new();
            cfg.specs(&specs)
                .adopt(adopt)
                .out_crate(&crate_name, !no_cloud_control, allow_partial)
                .only(only);
            if let Some(p) = runtime_path {
                cfg.runtime_dependency(RuntimeDependency::Path(p));
            }
            if let Some(v) = runtime_version {
                cfg.runtime_dependency(RuntimeDependency::Version(v));
            }
            generate(&cfg, &out, check)
        }
        Command::Report(args) => cli::report::run(args),
        Command::Policy(args) => cli::policy::run(args),
        Command::Diff(args) => cli::diff::run(args),
        Command::Model { specs, id } => {
            let mut cfg = Config::new();
            cfg.specs(&specs);
            let pages = match cfg.parse(&|_| {}) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let mut found = false;
            for r in pages.iter().filter_map(|p| p.resource.as_ref()) {
                if id.as_deref().is_some_and(|id| r.id.to_string() != id) {
                    continue;
                }
                found = true;
                match serde_json::to_string(r) {
                    Ok(line) => println!("{line}"),
                    Err(e) => eprintln!("error: {e}"),
                }
            }
            if !found && id.is_some() {
                eprintln!(
                    "error: no resource page with that id under {}",
                    specs.display()
                );
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
    }
}

fn generate(cfg: &Config, out: &std::path::Path, check: bool) -> ExitCode {
    let pb = progress_bar();
    let progress = |n: usize| {
        if n > 0 {
            pb.set_length(n as u64);
        } else {
            pb.inc(1);
        }
    };
    if !check {
        // A write reuses unchanged files, or skips everything when nothing changed.
        let result = cfg.write_to(out, &progress);
        pb.finish_and_clear();
        return match result {
            Ok(o) => {
                for w in &o.warnings {
                    eprintln!("{w}");
                }
                let r = &o.report;
                eprintln!(
                    "{}: {} resources, {} files written, {} unchanged, {} removed{}",
                    out.display(),
                    o.resources,
                    r.written.len(),
                    r.unchanged,
                    r.removed.len(),
                    if o.left_out.is_empty() {
                        String::new()
                    } else {
                        format!(", {} page(s) left out", o.left_out.len())
                    }
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    // `--check` renders everything.
    let result = cfg.generate_for(out, &progress);
    pb.finish_and_clear();
    let g = match result {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    for w in g.warnings() {
        eprintln!("{w}");
    }
    match stackql_codegen::write::check(out, &g.files) {
        Ok(drift) if drift.is_empty() => {
            eprintln!(
                "{} is up to date ({} resources)",
                out.display(),
                g.resources
            );
            ExitCode::SUCCESS
        }
        Ok(drift) => {
            for d in &drift {
                match d {
                    Drift::Missing(p) => eprintln!("missing: {p}"),
                    Drift::Changed(p) => eprintln!("changed: {p}"),
                    Drift::Stale(p) => eprintln!("stale:   {p}"),
                }
            }
            eprintln!(
                "{} differs from the specs in {} file(s); run `cargo run -p stackql-codegen -- generate` and commit",
                out.display(),
                drift.len()
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: reading {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}
