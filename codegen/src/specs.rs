//! Reading a specs tree: every page under a root, parsed in parallel.

use crate::parse::{parse_page, Page};
use rayon::prelude::*;
use std::path::{Component, Path, PathBuf};

/// A page found under the specs root.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// Absolute or root-joined path.
    pub path: PathBuf,
    /// Path relative to the root, `/`-separated (used in diagnostics and headers).
    pub relative: String,
}

/// Every Markdown page (`*.md`, `*.mdx`) under `root` whose relative path
/// starts with one of `only` (all pages when empty), sorted by relative path. Only the folders those prefixes name are
/// walked (`aws/s3/` walks `root/aws/s3`), so a slice of a large tree costs
/// what the slice costs; the folders are walked in parallel.
pub fn discover_only(root: &Path, only: &[String]) -> std::io::Result<Vec<SpecFile>> {
    let mut out;
    if only.is_empty() {
        out = walk(root, String::new())?;
    } else {
        // A missing root is an error whatever the prefixes.
        std::fs::read_dir(root)?;
        out = Vec::new();
        let mut dirs: Vec<&str> = only.iter().map(|p| prefix_dir(p)).collect();
        dirs.sort();
        dirs.dedup();
        // A folder inside another one listed is walked with it.
        let dirs: Vec<&str> = dirs
            .iter()
            .filter(|d| {
                !dirs
                    .iter()
                    .any(|o| o != *d && (o.is_empty() || d.starts_with(&format!("{o}/"))))
            })
            .copied()
            .collect();
        for dir in dirs {
            let path = if dir.is_empty() {
                root.to_path_buf()
            } else {
                root.join(dir)
            };
            match walk(&path, dir.to_string()) {
                Ok(mut v) => out.append(&mut v),
                // A prefix naming no folder selects no page.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && !dir.is_empty() => {}
                Err(e) => return Err(e),
            }
        }
        out.retain(|f| only.iter().any(|p| f.relative.starts_with(p.as_str())));
    }
    out.par_sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(out)
}

/// The folder (relative, `/`-separated, no trailing `/`) holding every page a
/// prefix can select: `aws/s3/` → `aws/s3`, `aws/s` → `aws`, `a` → the root.
/// A prefix that is not a plain relative path selects from the whole root.
fn prefix_dir(prefix: &str) -> &str {
    let dir = prefix.rsplit_once('/').map_or("", |(d, _)| d);
    let plain = !dir.is_empty()
        && !dir.contains('\\')
        && Path::new(dir)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        && !dir.split('/').any(str::is_empty);
    if plain {
        dir
    } else {
        ""
    }
}

/// Every page under `dir`, whose relative path is `rel` (empty for the root).
fn walk(dir: &Path, rel: String) -> std::io::Result<Vec<SpecFile>> {
    let mut files = Vec::new();
    let mut subdirs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let ty = entry.file_type()?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let relative = if rel.is_empty() {
            name.into_owned()
        } else {
            format!("{rel}/{name}")
        };
        if ty.is_dir() {
            subdirs.push((entry.path(), relative));
        } else if ty.is_file() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "md" || e == "mdx") {
                files.push(SpecFile { path, relative });
            }
        }
    }
    let nested: Vec<Vec<SpecFile>> = subdirs
        .into_par_iter()
        .map(|(path, relative)| walk(&path, relative))
        .collect::<std::io::Result<_>>()?;
    files.extend(nested.into_iter().flatten());
    Ok(files)
}

/// Reads and parses every file; a page that cannot be read becomes a page
/// with an error diagnostic. Output order is the input order.
pub fn parse_all(files: &[SpecFile], progress: &(dyn Fn() + Sync)) -> Vec<Page> {
    files
        .par_iter()
        .map(|f| {
            let page = parse_read(&f.relative, &std::fs::read(&f.path));
            progress();
            page
        })
        .collect()
}

/// Parses pages already read (`texts` in the order of `files`).
pub fn parse_texts(
    files: &[SpecFile],
    texts: &[std::io::Result<Vec<u8>>],
    progress: &(dyn Fn() + Sync),
) -> Vec<Page> {
    files
        .par_iter()
        .zip(texts)
        .map(|(f, bytes)| {
            let page = parse_read(&f.relative, bytes);
            progress();
            page
        })
        .collect()
}

fn parse_read(relative: &str, bytes: &std::io::Result<Vec<u8>>) -> Page {
    match bytes {
        Ok(bytes) => parse_guarded(relative, &String::from_utf8_lossy(bytes)),
        Err(e) => unreadable(relative, &e.to_string()),
    }
}

/// Parses a page; should the parser ever panic, the page gets an
/// `internal-error` diagnostic instead of stopping the run.
pub fn parse_guarded(relative: &str, text: &str) -> Page {
    std::panic::catch_unwind(|| parse_page(relative, text)).unwrap_or_else(|_| {
        let mut p = unreadable(
            relative,
            "the parser panicked on this page (a bug: please report it with the page)",
        );
        p.diagnostics[0].kind = crate::diagnostic::Kind::InternalError;
        p
    })
}

fn unreadable(relative: &str, why: &str) -> Page {
    use crate::diagnostic::{Diagnostic, Kind, Severity};
    Page {
        source: relative.to_string(),
        kind: crate::model::PageKind::Other,
        resource: None,
        diagnostics: vec![Diagnostic::new(
            relative,
            1,
            Severity::Error,
            Kind::Unreadable,
            why,
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[SpecFile]) -> Vec<&str> {
        v.iter().map(|f| f.relative.as_str()).collect()
    }

    #[test]
    fn only_walks_the_named_folders_and_keeps_the_order() {
        let dir = tempfile::tempdir().unwrap();
        for p in [
            "aws/s3/buckets/index.md",
            "aws/sqs/queues/index.md",
            "aws/ec2/vpcs/index.mdx",
            "google/compute/disks/index.md",
            "aws/s3/notes.txt",
        ] {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let all = discover_only(dir.path(), &[]).unwrap();
        assert_eq!(
            names(&all),
            [
                "aws/ec2/vpcs/index.mdx",
                "aws/s3/buckets/index.md",
                "aws/sqs/queues/index.md",
                "google/compute/disks/index.md"
            ]
        );
        let only = |p: &[&str]| {
            let p: Vec<String> = p.iter().map(|s| s.to_string()).collect();
            let v = discover_only(dir.path(), &p).unwrap();
            names(&v).iter().map(|s| s.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(
            only(&["aws/s"]),
            ["aws/s3/buckets/index.md", "aws/sqs/queues/index.md"]
        );
        assert_eq!(only(&["aws/s3/", "aws/"]).len(), 3);
        assert_eq!(only(&["google/", "aws/s3/"]).len(), 2);
        assert_eq!(only(&["azure/"]), Vec::<String>::new());
        assert_eq!(only(&["../aws/"]), Vec::<String>::new());
        assert_eq!(only(&["g"]), ["google/compute/disks/index.md"]);
        assert!(discover_only(&dir.path().join("missing"), &[]).is_err());
    }
}
