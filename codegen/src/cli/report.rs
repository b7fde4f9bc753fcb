//! `stackql-codegen report`: per-provider counts of pages, resources,
//! methods, permissions and diagnostics over a specs tree.
//!
//! It is a report, not a gate: pages with errors are counted, not fatal, so
//! the command exits 0 whenever the tree could be read, and non-zero only
//! when it could not (or the output could not be written).

use stackql_codegen::report::Report;
use stackql_codegen::Config;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `report`.
#[derive(clap::Args)]
pub struct Args {
    /// The specs directory: a provider (`aws/`), a tree of providers
    /// (`current/`) or a tree of generations (`corpus/`).
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
    /// Print the report as JSON (stable field names) instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs the subcommand.
pub fn run(args: Args) -> ExitCode {
    let mut cfg = Config::new();
    cfg.specs(&args.specs);
    let pb = crate::progress_bar();
    let result = cfg.parse(&|n| {
        if n > 0 {
            pb.set_length(n as u64);
        } else {
            pb.inc(1);
        }
    });
    pb.finish_and_clear();
    let pages = match result {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let report = Report::new(&pages, &[]);
    let text = if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(mut s) => {
                s.push('\n');
                s
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        report.render_text()
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not worth an error message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: writing the report: {e}");
            ExitCode::FAILURE
        }
    }
}
