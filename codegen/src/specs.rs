//! Reading a specs tree: every `index.md` under a root, parsed in parallel.

use crate::parse::{parse_page, Page};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A page found under the specs root.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// Absolute or root-joined path.
    pub path: PathBuf,
    /// Path relative to the root, `/`-separated (used in diagnostics and headers).
    pub relative: String,
}

/// Every Markdown page (`*.md`, `*.mdx`) under `root`, sorted by relative path.
pub fn discover(root: &Path) -> std::io::Result<Vec<SpecFile>> {
    let mut out = Vec::new();
    walk(root, root, &mut out)?;
    out.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<SpecFile>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let ty = entry.file_type()?;
        let path = entry.path();
        if ty.is_dir() {
            walk(root, &path, out)?;
        } else if ty.is_file() && path.extension().is_some_and(|e| e == "md" || e == "mdx") {
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push(SpecFile { path, relative });
        }
    }
    Ok(())
}

/// Reads and parses every file; a page that cannot be read becomes a page
/// with an error diagnostic. Output order is the input order.
pub fn parse_all(files: &[SpecFile], progress: &(dyn Fn() + Sync)) -> Vec<Page> {
    files
        .par_iter()
        .map(|f| {
            let page = match std::fs::read(&f.path) {
                Ok(bytes) => parse_guarded(&f.relative, &String::from_utf8_lossy(&bytes)),
                Err(e) => unreadable(&f.relative, &e.to_string()),
            };
            progress();
            page
        })
        .collect()
}

/// Parses a page; should the parser ever panic, the page gets an
/// `internal-error` diagnostic instead of stopping the run.
pub fn parse_guarded(relative: &str, text: &str) -> Page {
    std::panic::catch_unwind(|| parse_page(relative, text)).unwrap_or_else(|_| {
        let mut p = unreadable(
            relative,
            "the parser panicked on this page (a bug: please report it with the page)",
        );
        p.diagnostics[0].kind = "internal-error";
        p
    })
}

fn unreadable(relative: &str, why: &str) -> Page {
    use crate::diagnostic::{Diagnostic, Severity};
    Page {
        source: relative.to_string(),
        kind: crate::model::PageKind::Other,
        resource: None,
        diagnostics: vec![Diagnostic::new(
            relative,
            1,
            Severity::Error,
            "unreadable",
            why,
        )],
    }
}
