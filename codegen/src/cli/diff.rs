//! `stackql-codegen diff`: compares two spec trees at the model level and
//! classifies each change by its effect on the generated Rust API (see
//! [`stackql_codegen::diff`]).

use stackql_codegen::diff::{self, SchemaDiff};
use stackql_codegen::model::{PageKind, Resource};
use stackql_codegen::Config;
use std::path::{Path, PathBuf};

/// Arguments of `diff`.
#[derive(clap::Args)]
pub struct Args {
    /// The old specs directory (e.g. the previous generation's pages).
    old_specs: PathBuf,
    /// The new specs directory.
    new_specs: PathBuf,
    /// Print the diff as JSON (stable field names; see the `diff` module docs).
    #[arg(long, conflicts_with = "markdown")]
    json: bool,
    /// Print a Markdown changelog section (breaking changes, additions,
    /// policy changes, grouped by service).
    #[arg(long)]
    markdown: bool,
    /// Only this service, as `provider.service` (repeatable), e.g. `aws.connect`.
    #[arg(long, value_name = "PROVIDER.SERVICE")]
    service: Vec<String>,
}

/// Parses one tree: its resources, and how many resource pages could not be read.
fn parse(dir: &Path) -> stackql_codegen::Result<(Vec<Resource>, usize)> {
    let pages = Config::new().specs(dir).parse()?;
    let failed = pages
        .iter()
        .filter(|p| p.kind == PageKind::Resource && p.resource.is_none())
        .count();
    Ok((
        pages.into_iter().filter_map(|p| p.resource).collect(),
        failed,
    ))
}

/// Runs the subcommand.
pub fn run(args: Args) -> super::Result {
    let mut services = Vec::new();
    for s in &args.service {
        match s.split_once('.') {
            Some((p, s)) if !p.is_empty() && !s.is_empty() && !s.contains('.') => {
                services.push((p.to_string(), s.to_string()))
            }
            _ => {
                return Err(format!(
                    "expected --service as `provider.service` (e.g. `aws.connect`), found `{s}`"
                )
                .into())
            }
        }
    }
    let (old, new) = rayon::join(|| parse(&args.old_specs), || parse(&args.new_specs));
    let ((old, old_failed), (new, new_failed)) = (old?, new?);
    for (dir, failed) in [(&args.old_specs, old_failed), (&args.new_specs, new_failed)] {
        if failed > 0 {
            eprintln!(
                "warning: {failed} resource page(s) under {} could not be parsed and are left out (they may show as added or removed); run `generate` for the diagnostics",
                dir.display()
            );
        }
    }
    let mut d: SchemaDiff = diff::diff(&old, &new);
    if !services.is_empty() {
        d = d.filter(|p, s| services.iter().any(|(wp, ws)| wp == p && ws == s));
    }
    let text = if args.json {
        serde_json::to_string_pretty(&d)? + "\n"
    } else if args.markdown {
        d.to_markdown()
    } else {
        d.to_text()
    };
    super::print(&text, "the diff")
}
