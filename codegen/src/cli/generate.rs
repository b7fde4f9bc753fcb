//! `stackql-codegen generate`: writes the bindings crate, or with `--check`
//! compares it with what the specs produce.

use super::{Bar, Failure};
use stackql_codegen::{Config, Drift, RuntimeDependency};
use std::path::PathBuf;

/// Arguments of `generate`.
#[derive(clap::Args)]
pub struct Args {
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
    /// Only pages under this folder of the specs, by whole path segments (repeatable), e.g. `aws/s3`.
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
    /// create (one without `.stackql-codegen-manifest`), overwriting files of
    /// the same paths; refused without this flag.
    #[arg(long)]
    adopt: bool,
}

/// Runs the subcommand.
pub fn run(args: Args) -> super::Result {
    let mut cfg = Config::new();
    cfg.specs(&args.specs)
        .crate_name(&args.crate_name)
        .cloud_control(!args.no_cloud_control)
        .allow_partial(args.allow_partial)
        .only(args.only)
        .adopt(args.adopt)
        .progress(Bar::new());
    if let Some(p) = args.runtime_path {
        cfg.runtime_dependency(RuntimeDependency::Path(p));
    }
    if let Some(v) = args.runtime_version {
        cfg.runtime_dependency(RuntimeDependency::Version(v));
    }
    let out = &args.out;
    if args.check {
        // `--check` renders everything.
        let c = cfg.check(out)?;
        super::print_diagnostics(&c.warnings);
        if c.drift.is_empty() {
            eprintln!(
                "{} is up to date ({} resources)",
                out.display(),
                c.resources
            );
            return Ok(());
        }
        {
            // One buffered write rather than three per file (a fresh
            // `--check` lists thousands).
            use std::io::Write;
            let mut err = std::io::BufWriter::new(std::io::stderr().lock());
            for d in &c.drift {
                let _ = match d {
                    Drift::Missing(p) => writeln!(err, "missing: {p}"),
                    Drift::Changed(p) => writeln!(err, "changed: {p}"),
                    Drift::Stale(p) => writeln!(err, "stale:   {p}"),
                };
            }
            let _ = err.flush();
        }
        eprintln!(
            "{} differs from {} in {} file(s); regenerate with `{}` and commit",
            out.display(),
            args.specs.display(),
            c.drift.len(),
            super::command_line("--check", &[("--specs", &args.specs), ("--out", out)])
        );
        return Err(Failure::reported());
    }
    // A write reuses unchanged files, or skips everything when nothing changed.
    let o = cfg.write_to(out)?;
    super::print_diagnostics(&o.warnings);
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
    Ok(())
}
