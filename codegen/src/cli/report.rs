//! `stackql-codegen report`: per-provider counts of pages, resources,
//! methods, permissions and diagnostics over a specs tree.
//!
//! It is a report, not a gate: pages with errors are counted, not fatal, so
//! the command exits 0 whenever the tree could be read, and non-zero only
//! when it could not (or the output could not be written).

use super::Bar;
use stackql_codegen::report::Report;
use stackql_codegen::Config;
use std::path::PathBuf;

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
pub fn run(args: Args) -> super::Result {
    let pages = Config::new()
        .specs(&args.specs)
        .progress(Bar::new())
        .parse()?;
    let report = Report::new(&pages, &[]);
    let text = if args.json {
        serde_json::to_string_pretty(&report)? + "\n"
    } else {
        report.render_text()
    };
    super::print(&text, "the report")
}
