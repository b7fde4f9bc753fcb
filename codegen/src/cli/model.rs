//! `stackql-codegen model`: the parsed model of each resource, one JSON
//! object per line.

use stackql_codegen::Config;
use std::path::PathBuf;

/// Arguments of `model`.
#[derive(clap::Args)]
pub struct Args {
    /// The specs directory.
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
    /// Only this resource (`provider.service.resource`).
    #[arg(long)]
    id: Option<String>,
}

/// Runs the subcommand.
pub fn run(args: Args) -> super::Result {
    let pages = Config::new().specs(&args.specs).parse()?;
    let mut text = String::new();
    for r in pages.iter().filter_map(|p| p.resource.as_ref()) {
        if args.id.as_deref().is_some_and(|id| r.id.to_string() != id) {
            continue;
        }
        text.push_str(&serde_json::to_string(r)?);
        text.push('\n');
    }
    super::print(&text, "the model")?;
    if text.is_empty() && args.id.is_some() {
        return Err(format!(
            "no resource page with that id under {}",
            args.specs.display()
        )
        .into());
    }
    Ok(())
}
