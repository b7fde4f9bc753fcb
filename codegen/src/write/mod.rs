//! Writing the output: all or nothing, only into a directory the generator
//! owns, never through a symbolic link.
//!
//! The generator's files are listed in `.stackql-codegen-manifest` in the
//! output directory; anything it does not list (a README, a `target/`
//! directory, a hand-written module) is not its business and is kept.
//!
//! A write ([`Output::write`]):
//! 1. refuses paths that leave the output, a non-empty directory without a
//!    manifest (unless [`WriteOptions::adopt`]), symbolic links on the way to
//!    any file it writes, and files it would overwrite that it did not create;
//! 2. compares every file with what is there; when nothing changes it stops;
//! 3. builds the new tree beside the old one (`.NAME.stackql-new.PID`):
//!    unchanged files are hard links of the old ones, so their mtimes stay
//!    and cargo does not rebuild them. When the write adds or removes no
//!    file and all its changes lie in one directory (a page edit changes
//!    one resource module), only that directory is built again, at the same
//!    path under the new tree, so the work is proportional to the change;
//! 4. swaps the two directories (the output, or that one directory in it)
//!    with one `renameat2(RENAME_EXCHANGE)`, so a reader (or a `kill -9`)
//!    sees the previous output or the new one, never a mix;
//! 5. moves the entries that are not the generator's into the new tree and
//!    deletes the old one.
//!
//! An exclusive lock on the output directory serialises concurrent runs; a
//! run that finds what a killed run left beside the output finishes or
//! discards it first (see [`tree::recover`]).

mod lock;
mod tree;

use crate::emit::OutFile;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The list of files the generator owns in an output directory.
pub const MANIFEST: &str = ".stackql-codegen-manifest";

/// How the output directory differs from what the specs produce.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Drift {
    /// The file should exist and does not.
    Missing(String),
    /// The file exists with other bytes.
    Changed(String),
    /// A generated file that the specs no longer produce.
    Stale(String),
}

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written (new or changed).
    pub written: Vec<String>,
    /// Files left alone because their bytes were already right.
    pub unchanged: usize,
    /// Stale generated files removed.
    pub removed: Vec<String>,
}

/// Why the output was not written. Nothing was changed in the output when
/// any of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A generated path would leave the output directory (a generator bug
    /// or a hostile manifest).
    #[error("refusing to write `{path}`: it is not a relative path inside the output directory")]
    Outside {
        /// The offending path.
        path: String,
    },
    /// The output has no parent directory to build the new tree in (`/`).
    #[error("refusing to write into {}: name a directory for the generated crate, e.g. `--out generated`", path.display())]
    NoParent {
        /// The output path.
        path: PathBuf,
    },
    /// The output directory is not empty and holds no manifest of ours.
    #[error(
        "{} is not empty and holds no {MANIFEST}: the generator did not create it and will not write there; \
         choose a new or empty directory, or pass --adopt (Config::adopt) to take it over",
        dir.display()
    )]
    NotOurs {
        /// The output directory.
        dir: PathBuf,
    },
    /// A symbolic link where the generator would write or delete.
    #[error(
        "{} is a symbolic link: the generator never writes or deletes through symbolic links; \
         replace it with a directory, or point --out at the real path",
        path.display()
    )]
    Symlink {
        /// The link.
        path: PathBuf,
    },
    /// The output path is a file.
    #[error("{} is a file, not a directory: --out names the directory of the generated crate", path.display())]
    NotADirectory {
        /// The path.
        path: PathBuf,
    },
    /// A file the generator would overwrite but did not create.
    #[error(
        "{} exists and was not created by the generator (it is not in {MANIFEST}); \
         move it away, or pass --adopt (Config::adopt) to overwrite it",
        path.display()
    )]
    Foreign {
        /// The file.
        path: PathBuf,
    },
    /// Something that must be a file is a directory, or the other way round.
    #[error("{} is in the way: expected {expected}, found {found}; move it away", path.display())]
    InTheWay {
        /// The path.
        path: PathBuf,
        /// What the generator needs there.
        expected: &'static str,
        /// What is there.
        found: &'static str,
    },
    /// An I/O error, with the path it happened on.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
}

impl WriteError {
    fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> WriteError {
        let path = path.into();
        move |source| WriteError::Io { path, source }
    }
}

/// How [`Output::open`] treats the directory it is given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Take over a non-empty directory that holds no manifest, and overwrite
    /// files the generator did not create where it generates files of the
    /// same path. Off by default.
    pub adopt: bool,
}

fn safe_rel(rel: &str) -> Result<&Path, WriteError> {
    let p = Path::new(rel);
    // `/`-separated names only: no empty, `.` or `..` segment, no NUL, no
    // root (on Unix that is every component normal; elsewhere, prefixes
    // such as `C:` are looked for too).
    if !normal_segments(rel.as_bytes())
        || (!cfg!(unix) && !p.components().all(|c| matches!(c, Component::Normal(_))))
    {
        return Err(WriteError::Outside {
            path: rel.to_string(),
        });
    }
    Ok(p)
}

/// Whether `rel`'s `/`-separated segments are all names: none empty, `.`
/// or `..`, and no NUL anywhere (one pass: every write checks thousands).
fn normal_segments(rel: &[u8]) -> bool {
    let mut start = 0;
    for (i, b) in rel.iter().chain(std::iter::once(&b'/')).enumerate() {
        match b {
            0 => return false,
            b'/' => {
                if matches!(&rel[start..i], b"" | b"." | b"..") {
                    return false;
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    true
}

/// One file of a write: its path and its bytes, or no bytes for a file the
/// output already holds as the generator last wrote it: the cache's stamp
/// vouched for it in this run (a regular file of the stamped size and
/// time, see [`crate::cache`]). Such a file is neither read nor compared
/// nor looked at again, only kept (its directories are still checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Planned<'a> {
    /// Path relative to the output, `/`-separated.
    pub path: &'a str,
    /// The bytes to write; `None` keeps the file as it is.
    pub bytes: Option<&'a [u8]>,
}

impl<'a> Planned<'a> {
    /// `files` to write and `kept` paths, in path order.
    pub fn all(files: &'a [OutFile], kept: &'a [String]) -> Vec<Planned<'a>> {
        let mut all: Vec<Planned> = files
            .iter()
            .map(|f| Planned {
                path: &f.path,
                bytes: Some(f.contents.as_bytes()),
            })
            .chain(kept.iter().map(|path| Planned { path, bytes: None }))
            .collect();
        all.sort_by(|a, b| a.path.cmp(b.path));
        all
    }
}

/// The manifest listing `paths`.
pub fn manifest_text<'a>(paths: impl Iterator<Item = &'a str>) -> String {
    let mut s = String::from(
        "# Files generated by stackql-codegen; it removes them when they are no longer produced.\n",
    );
    for p in paths {
        s.push_str(p);
        s.push('\n');
    }
    s
}

/// The paths a manifest file lists, or `None` when there is none.
fn read_manifest(path: &Path) -> Option<BTreeSet<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(manifest_paths(&text).map(str::to_string).collect())
}

/// The paths listed in a manifest's `text`.
fn manifest_paths(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
}

/// A set of paths under the output (`/`-separated), sorted: what a manifest
/// lists, what a write produces. Cheaper to build than a `BTreeSet` for the
/// thousands of paths of a provider, and as quick to ask.
#[derive(Debug, Default)]
pub(crate) struct PathSet<'a>(Vec<&'a str>);

impl<'a> PathSet<'a> {
    pub(crate) fn new(paths: impl IntoIterator<Item = &'a str>) -> Self {
        let mut v: Vec<&str> = paths.into_iter().collect();
        // Stable: it merges the sorted runs the paths come in.
        v.sort();
        v.dedup();
        PathSet(v)
    }

    pub(crate) fn contains(&self, path: &str) -> bool {
        self.0.binary_search(&path).is_ok()
    }

    /// Whether some path lies under the directory `dir`.
    pub(crate) fn has_under(&self, dir: &str) -> bool {
        let prefix = format!("{dir}/");
        let at = self.0.partition_point(|p| *p < prefix.as_str());
        self.0.get(at).is_some_and(|p| p.starts_with(&prefix))
    }

    fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.0.iter().copied()
    }
}

/// Whether the generator may write `bytes` at `rel` in `out`: nothing is
/// there, its manifest lists it, or it already holds exactly `bytes` (a
/// file the user put there is left alone).
pub fn free_or_ours(out: &Path, rel: &str, bytes: &[u8]) -> bool {
    let path = out.join(rel);
    std::fs::symlink_metadata(&path).is_err()
        || read_manifest(&out.join(MANIFEST)).is_some_and(|m| m.contains(rel))
        || same_bytes(&path, bytes)
}

/// Refuses an output path that is a file, or lies under one (`--out
/// Cargo.toml/x`), rather than failing later with "Not a directory" or
/// "File exists" on some path inside it.
fn refuse_file(out: &Path) -> Result<(), WriteError> {
    for p in out.ancestors() {
        match std::fs::symlink_metadata(p) {
            Ok(m) if m.is_dir() || m.file_type().is_symlink() => return Ok(()),
            Ok(_) => {
                return Err(WriteError::NotADirectory {
                    path: p.to_path_buf(),
                })
            }
            Err(_) => {}
        }
    }
    Ok(())
}

/// Compares `out` with `files` without writing anything.
pub fn check(out: &Path, files: &[OutFile]) -> Result<Vec<Drift>, WriteError> {
    refuse_file(out)?;
    let mut drift = Vec::new();
    let wanted: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for f in files {
        let path = out.join(safe_rel(&f.path)?);
        match std::fs::read(&path) {
            Ok(bytes) if bytes == f.contents.as_bytes() => {}
            Ok(_) => drift.push(Drift::Changed(f.path.clone())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                drift.push(Drift::Missing(f.path.clone()))
            }
            Err(e) => return Err(WriteError::io(path)(e)),
        }
    }
    for old in read_manifest(&out.join(MANIFEST)).unwrap_or_default() {
        if !wanted.contains(old.as_str()) && safe_rel(&old).is_ok_and(|p| out.join(p).exists()) {
            drift.push(Drift::Stale(old));
        }
    }
    drift.sort();
    Ok(drift)
}

/// Writes `files` under `out` with default [`WriteOptions`]: see
/// [`Output::open`] and [`Output::write`].
#[cfg(test)]
pub fn write(out: &Path, files: &[OutFile]) -> Result<WriteReport, WriteError> {
    let output = Output::open(out, WriteOptions::default())?;
    output
        .write(&Planned::all(files, &[]))
        .map(|(report, _)| report)
}

/// The metadata of each file of a write that it created with its bytes, as
/// the write left it, taken from the open file (`None` for a file it kept,
/// linked or copied, or when it wrote nothing): what the cache stamps,
/// without looking the paths up again. In the order of the files written.
pub(crate) type Stats = Vec<Option<std::fs::Metadata>>;

/// An output directory, locked for this process until dropped.
#[derive(Debug)]
pub struct Output {
    path: PathBuf,
    options: WriteOptions,
    _lock: lock::DirLock,
}

impl Output {
    /// Opens `out` for writing: creates it when missing, refuses a symbolic
    /// link or a file, takes the output lock (waiting for a concurrent run
    /// to finish), and finishes or discards what a killed run left beside
    /// it.
    pub fn open(out: &Path, options: WriteOptions) -> Result<Output, WriteError> {
        let path = std::path::absolute(out).map_err(WriteError::io(out))?;
        let (Some(parent), Some(_)) = (path.parent(), path.file_name()) else {
            return Err(WriteError::NoParent { path });
        };
        tree::restore_if_missing(&path)?;
        refuse_file(&path)?;
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => return Err(WriteError::Symlink { path }),
            Ok(m) if !m.is_dir() => return Err(WriteError::NotADirectory { path }),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                std::fs::create_dir_all(&path).map_err(WriteError::io(&path))?
            }
            Err(e) => return Err(WriteError::io(&path)(e)),
        }
        let _ = parent;
        let lock = lock::DirLock::acquire(&path)?;
        tree::recover(&path)?;
        Ok(Output {
            path,
            options,
            _lock: lock,
        })
    }

    /// The output directory (absolute).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `files`, all or nothing (see the module docs): files whose
    /// bytes are already right, and files kept without bytes, keep their
    /// modification time; generated files no longer produced are removed;
    /// everything else in the directory is kept. Returns, with the report,
    /// the [`Stats`] of `files`.
    pub fn write(&self, files: &[Planned]) -> Result<(WriteReport, Stats), WriteError> {
        let out = &self.path;
        let rels: Vec<&Path> = files
            .iter()
            .map(|f| safe_rel(f.path))
            .collect::<Result<_, _>>()?;
        let previous_text = std::fs::read_to_string(out.join(MANIFEST)).ok();
        let previous = previous_text
            .as_deref()
            .map(|t| PathSet::new(manifest_paths(t)));
        if previous.is_none() && !self.options.adopt && tree::has_entries(out)? {
            return Err(WriteError::NotOurs { dir: out.clone() });
        }
        // Every check before anything is written; in parallel, the
        // comparison with what is there.
        let paths: Vec<&str> = files.iter().map(|f| f.path).collect();
        let missing = tree::check_dirs(out, &paths)?;
        let same: Vec<bool> = files
            .par_iter()
            .zip(&rels)
            .map(|(f, rel)| {
                let owned = previous.as_ref().is_none_or(|p| p.contains(f.path));
                // A kept file was found a regular file, as stamped, by the
                // cache that vouched for it this run: not looked at again.
                let Some(b) = f.bytes else {
                    if !owned && !self.options.adopt {
                        return Err(WriteError::Foreign {
                            path: out.join(rel),
                        });
                    }
                    return Ok(true);
                };
                let path = out.join(rel);
                let there = if missing.holds(f.path) {
                    None
                } else {
                    tree::check_file(&path)?
                };
                if !owned && !self.options.adopt && there.is_some() {
                    return Err(WriteError::Foreign { path });
                }
                Ok(there.is_some_and(|m| m.len() == b.len() as u64 && same_bytes(&path, b)))
            })
            .collect::<Result<_, _>>()?;
        let wanted = PathSet::new(files.iter().map(|f| f.path));
        let removed: Vec<String> = previous
            .iter()
            .flat_map(PathSet::iter)
            .filter(|old| !wanted.contains(old))
            .filter(|old| safe_rel(old).is_ok_and(|p| out.join(p).is_file()))
            .map(str::to_string)
            .collect();
        let manifest = manifest_text(files.iter().map(|f| f.path));
        let mut report = WriteReport::default();
        for (f, s) in files.iter().zip(&same) {
            if *s {
                report.unchanged += 1;
            } else {
                report.written.push(f.path.to_string());
            }
        }
        report.removed = removed;
        // The manifest as read above, and a regular file (as `same_bytes`
        // asks of any file): not read a second time.
        let same_files = report.removed.is_empty()
            && previous_text.as_deref() == Some(manifest.as_str())
            && std::fs::symlink_metadata(out.join(MANIFEST)).is_ok_and(|m| m.is_file());
        if report.written.is_empty() && same_files {
            return Ok((report, files.iter().map(|_| None).collect()));
        }
        let staged: Vec<tree::Staged> = files
            .iter()
            .zip(&same)
            .map(|(f, same)| tree::Staged {
                path: f.path,
                bytes: f.bytes,
                keep: *same,
            })
            .collect();
        let ours = PathSet::new(previous.iter().flat_map(PathSet::iter).chain(wanted.iter()));
        // The same files, some of them changed, all in one directory: only
        // that directory is swapped.
        let scope = tree::scope(report.written.iter().map(String::as_str));
        if let Some(scope) = scope.filter(|_| same_files) {
            if let Some(stats) = tree::replace_scoped(out, scope, &staged, &ours)? {
                return Ok((report, stats));
            }
        }
        let stats = tree::replace(out, &staged, manifest.as_bytes(), &ours)?;
        Ok((report, stats))
    }
}

/// `to` written relative to the directory `from` (both made absolute,
/// symlinks resolved where they exist), `/`-separated: what a Cargo.toml in
/// `from` writes as the `path` of a dependency at `to`.
pub fn relative_path(from: &Path, to: &Path) -> String {
    fn absolute(p: &Path) -> PathBuf {
        p.canonicalize()
            .or_else(|_| std::path::absolute(p))
            .unwrap_or_else(|_| p.to_path_buf())
    }
    let (from, to) = (absolute(from), absolute(to));
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// Whether `path` holds exactly `bytes` (a file of another size is not read).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|b| b == bytes)
}

/// Writes what `fill` writes (through a buffer) to a temporary file in the
/// same directory, then renames it into place, so a reader never sees half
/// a file.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut io::BufWriter<std::fs::File>) -> io::Result<()>,
) -> io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|f| {
        let mut w = io::BufWriter::with_capacity(1 << 20, f);
        fill(&mut w)?;
        w.flush()
    });
    written
        .and_then(|()| std::fs::rename(&tmp, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}

#[cfg(test)]
mod tests;
