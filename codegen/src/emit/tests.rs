//! The text emitter against the quote-based emitter it replaced
//! (`reference`), over every resource of the shared corpus: each file the
//! text emitter writes is valid Rust (`syn` parses it) and is the same code,
//! token for token apart from formatting. Both sides are parsed with `syn`
//! and printed by prettyplease, a function of the syntax tree alone, so
//! layout, trailing commas and `///` versus `#[doc]` do not count and every
//! token does.

use super::{normalize, reference, resource_file};
use crate::model::Resource;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// The resources of every page under `dir` (one per id, as `generate`
/// selects them).
fn resources(dir: &Path) -> Vec<Resource> {
    let mut by_id = BTreeMap::new();
    for p in crate::Config::new().specs(dir).parse().expect("readable") {
        if let Some(r) = p.resource {
            by_id.entry(r.id.to_string()).or_insert(r);
        }
    }
    by_id.into_values().collect()
}

/// The canonical print of a syntax tree.
fn canonical(file: &syn::File) -> String {
    prettyplease::unparse(file)
}

/// Compares the two emitters on every resource under `dir`; returns how
/// many were compared.
fn compare(dir: &Path) -> usize {
    use rayon::prelude::*;
    let all = resources(dir);
    let krate = crate::resolve::resolve(&all, true, &mut Vec::new());
    let failures: Vec<String> = krate
        .resources
        .par_iter()
        .filter_map(|r| {
            let text = resource_file(r).expect("rendered");
            let new = match syn::parse_file(&text) {
                Ok(f) => f,
                Err(e) => return Some(format!("{}: not valid Rust: {e}", r.res.source)),
            };
            let old: syn::File =
                syn::parse2(reference::tokens(r, &normalize)).expect("the reference parses");
            let (new, old) = (canonical(&new), canonical(&old));
            (new != old).then(|| {
                let at = new
                    .lines()
                    .zip(old.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                format!(
                    "{}: differs at line {at}:\n  new: {:?}\n  old: {:?}",
                    r.res.source,
                    new.lines().nth(at),
                    old.lines().nth(at)
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} resources differ:\n{}",
        failures.len(),
        krate.resources.len(),
        failures[..failures.len().min(5)].join("\n")
    );
    krate.resources.len()
}

#[test]
fn the_text_emitter_writes_the_reference_tokens_for_the_whole_corpus() {
    let root = corpus();
    if !root.is_dir() {
        eprintln!("skipped: no corpus at {}", root.display());
        return;
    }
    let mut compared = 0;
    for folder in ["current", "aws-2024-06", "aws-2023-11"] {
        compared += compare(&root.join(folder));
    }
    // Every resource page of the three folders (5,272 + 1,013 + 388).
    assert!(compared > 6_000, "{compared}");
}

#[test]
fn the_specs_page_renders_the_reference_tokens() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    assert_eq!(compare(&specs), 1);
}
