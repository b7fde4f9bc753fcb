//! The new tree beside the old one, the swap, and the entries that are not
//! the generator's carried over.
//!
//! Beside the output `DIR` a run creates `.DIR.stackql-new.PID` (the new
//! tree) and, where the file system cannot exchange two directories in one
//! rename, `.DIR.stackql-old.PID`; nothing else outside the output. Both
//! are removed before the run ends; a killed run's are finished or removed
//! by the next run ([`recover`], [`restore_if_missing`]).

use super::lock::DirLock;
use super::{manifest_paths, PathSet, Stats, WriteError, MANIFEST};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};

const NEW: &str = "stackql-new";
const OLD: &str = "stackql-old";

/// One file of the new tree.
pub(super) struct Staged<'a> {
    /// Its path under the output, `/`-separated (checked by `safe_rel`).
    pub path: &'a str,
    /// Its bytes; `None` for a file kept as the output holds it.
    pub bytes: Option<&'a [u8]>,
    /// Whether the file in the output already holds them (then it is hard
    /// linked, keeping its modification time).
    pub keep: bool,
}

fn parent_and_name(out: &Path) -> (&Path, String) {
    let parent = out.parent().unwrap_or(Path::new("/"));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (parent, name)
}

/// `.DIR.stackql-new.PID` beside the output `DIR`: where this run builds.
fn stage_of(out: &Path) -> PathBuf {
    let (parent, name) = parent_and_name(out);
    parent.join(format!(".{name}.{NEW}.{}", std::process::id()))
}

/// Whether the `/`-separated `path` lies inside the directory `dir`.
fn is_under(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// A leftover of a killed run beside `out`, of `kind` (`NEW` or `OLD`).
fn leftovers(out: &Path, kind: &str) -> Vec<PathBuf> {
    let (parent, name) = parent_and_name(out);
    let prefix = format!(".{name}.{kind}.");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            e.file_name().to_str().is_some_and(|n| {
                n.strip_prefix(&prefix)
                    .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
            }) && e.file_type().is_ok_and(|t| t.is_dir())
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// A run killed between the two renames of the fallback swap left the
/// output missing and the previous tree beside it: put it back.
pub(super) fn restore_if_missing(out: &Path) -> Result<(), WriteError> {
    if std::fs::symlink_metadata(out).is_ok() {
        return Ok(());
    }
    if let Some(old) = leftovers(out, OLD).into_iter().next() {
        std::fs::rename(&old, out).map_err(WriteError::io(&old))?;
    }
    Ok(())
}

/// Finishes what killed runs left beside `out` (locked by the caller): the
/// entries of a previous tree that are not the generator's are moved into
/// the output, then the leftover is deleted. A new tree that was never
/// swapped in holds only generated files and is deleted. Only a leftover
/// holding a manifest is the generator's (a run writes it first into the
/// tree it builds, and every output has one); one without is left alone,
/// or removed when it is empty (a run killed before its first write).
pub(super) fn recover(out: &Path) -> Result<(), WriteError> {
    for kind in [NEW, OLD] {
        for left in leftovers(out, kind) {
            let own = left.join(MANIFEST);
            if !std::fs::symlink_metadata(&own).is_ok_and(|m| m.is_file()) {
                // Not ours, unless empty: `remove_dir` removes nothing else.
                let _ = std::fs::remove_dir(&left);
                continue;
            }
            let texts =
                [own, out.join(MANIFEST)].map(|m| std::fs::read_to_string(m).unwrap_or_default());
            let ours = PathSet::new(texts.iter().flat_map(|t| manifest_paths(t)));
            carry(&left, out, Path::new(""), &ours)?;
            std::fs::remove_dir_all(&left).map_err(WriteError::io(&left))?;
        }
    }
    Ok(())
}

/// Whether `dir` holds anything but the generator's cache.
pub(super) fn has_entries(dir: &Path) -> Result<bool, WriteError> {
    let entries = std::fs::read_dir(dir).map_err(WriteError::io(dir))?;
    Ok(entries.flatten().any(|e| {
        let n = e.file_name();
        n != OsStr::new(crate::cache::CACHE) && !is_temp(&n)
    }))
}

/// Refuses paths whose way down holds a symbolic link or a file where a
/// directory is needed; each directory on the way is looked at once.
/// `rels` are `/`-separated relative paths (see `safe_rel`). Returns the
/// directories found missing, sorted: nothing below them needs looking at
/// (most directories below one found missing are skipped, not all).
pub(super) fn check_dirs<'a>(out: &Path, rels: &[&'a str]) -> Result<Missing<'a>, WriteError> {
    // Sorted, so a directory comes before the ones inside it (a prefix
    // sorts first).
    let mut missing: Vec<&str> = Vec::new();
    for d in dirs_of(rels.iter().copied()) {
        if missing.last().is_some_and(|m| is_under(d, m)) {
            continue;
        }
        let cur = out.join(d);
        match std::fs::symlink_metadata(&cur) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => missing.push(d),
            Err(e) => return Err(WriteError::io(cur)(e)),
            Ok(m) if m.file_type().is_symlink() => return Err(WriteError::Symlink { path: cur }),
            Ok(m) if !m.is_dir() => {
                return Err(WriteError::InTheWay {
                    path: cur,
                    expected: "a directory",
                    found: "a file",
                })
            }
            Ok(_) => {}
        }
    }
    Ok(Missing(missing))
}

/// The directories the `/`-separated `paths` (sorted) lie in, and those
/// above them, sorted.
fn dirs_of<'a>(paths: impl Iterator<Item = &'a str>) -> BTreeSet<&'a str> {
    let mut dirs: BTreeSet<&str> = BTreeSet::new();
    let mut last = None;
    for path in paths {
        let mut at = path.rsplit_once('/').map(|(d, _)| d);
        // Paths come sorted: most share the directory of the one before.
        if at == last {
            continue;
        }
        last = at;
        // Once a directory is in, so are the ones above it.
        while let Some(d) = at.filter(|d| dirs.insert(d)) {
            at = d.rsplit_once('/').map(|(up, _)| up);
        }
    }
    dirs
}

/// The directories [`check_dirs`] found missing, sorted.
pub(super) struct Missing<'a>(Vec<&'a str>);

impl Missing<'_> {
    /// Whether the `/`-separated `path` lies in a missing directory (so
    /// nothing is there, and no stat is needed to know it).
    pub(super) fn holds(&self, path: &str) -> bool {
        !self.0.is_empty()
            && path
                .match_indices('/')
                .any(|(i, _)| self.0.binary_search(&&path[..i]).is_ok())
    }
}

/// What is at `path` (whose directories [`check_dirs`] passed): `None`
/// when nothing; refuses a symbolic link or a directory where the file goes.
pub(super) fn check_file(path: &Path) -> Result<Option<std::fs::Metadata>, WriteError> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(WriteError::io(path)(e)),
        Ok(m) if m.file_type().is_symlink() => Err(WriteError::Symlink {
            path: path.to_path_buf(),
        }),
        Ok(m) if m.is_dir() => Err(WriteError::InTheWay {
            path: path.to_path_buf(),
            expected: "a file",
            found: "a directory",
        }),
        Ok(m) => Ok(Some(m)),
    }
}

/// Builds the new tree beside `out`, swaps it in, carries over what is
/// not the generator's (`ours`: the paths of the previous and the new
/// manifest) and deletes the previous tree. Returns the [`Stats`] of
/// `files`.
pub(super) fn replace(
    out: &Path,
    files: &[Staged],
    manifest: &[u8],
    ours: &PathSet,
) -> Result<Stats, WriteError> {
    let stage = stage_of(out);
    std::fs::create_dir(&stage).map_err(WriteError::io(&stage))?;
    // Locked before the swap: once it is the output, no other run may
    // enter it until this one is done.
    let lock = DirLock::acquire(&stage);
    let built = lock.and_then(|lock| Ok((build(out, &stage, files, manifest)?, lock)));
    let (stats, _lock) = match built {
        Ok(built) => built,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&stage);
            return Err(e);
        }
    };
    if let Err(e) = exchange(&stage, out) {
        let _ = std::fs::remove_dir_all(&stage);
        return Err(e);
    }
    // `stage` now holds the previous tree. Should this fail, the next run
    // finishes it (see `recover`).
    carry(&stage, out, Path::new(""), ours)?;
    std::fs::remove_dir_all(&stage).map_err(WriteError::io(&stage))?;
    Ok(stats)
}

/// The deepest directory holding every one of `changed` (paths relative to
/// the output, `/`-separated), or `None` when that is the output itself.
pub(super) fn scope<'a>(changed: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut common: Option<&str> = None;
    for path in changed {
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        let c = common.get_or_insert(dir);
        while !(c.is_empty() || dir == *c || is_under(dir, c)) {
            *c = c.rsplit_once('/').map_or("", |(up, _)| up);
        }
    }
    common.filter(|c| !c.is_empty())
}

/// [`replace`] for a write whose changes all lie in the directory `scope`
/// of the output (see [`scope`]) and that adds or removes no file (so the
/// manifest stays): only that directory is built again beside the output
/// (`.DIR.stackql-new.PID/<scope>`, unchanged files hard linked) and
/// swapped in with one `renameat2(RENAME_EXCHANGE)`, so the work is that of
/// the directory, not of the whole tree, and a reader still sees the
/// previous output or the new one. Returns the [`Stats`] of `files`, or
/// `None`, having changed nothing, where the file system cannot exchange
/// two directories in one rename (then [`replace`] does the whole tree).
pub(super) fn replace_scoped(
    out: &Path,
    scope: &str,
    files: &[Staged],
    ours: &PathSet,
) -> Result<Option<Stats>, WriteError> {
    let stage = stage_of(out);
    std::fs::create_dir(&stage).map_err(WriteError::io(&stage))?;
    // The output's manifest first, which the write keeps: should this run
    // be killed, the next one knows the stage for the generator's (see
    // `recover`).
    let (manifest, staged) = (out.join(MANIFEST), stage.join(MANIFEST));
    if std::fs::hard_link(&manifest, &staged).is_err() {
        if let Err(e) = std::fs::copy(&manifest, &staged) {
            let _ = std::fs::remove_dir_all(&stage);
            return Err(WriteError::io(manifest)(e));
        }
    }
    let (at, inside): (Vec<usize>, Vec<&Staged>) = files
        .iter()
        .enumerate()
        .filter(|(_, f)| is_under(f.path, scope))
        .unzip();
    let (new, current) = (stage.join(scope), out.join(scope));
    let swapped = std::fs::create_dir_all(&new)
        .map_err(WriteError::io(&new))
        .and_then(|()| build_files(out, &stage, &inside))
        .and_then(|built| Ok((built, exchange_in_one(&new, &current)?)));
    let built = match swapped {
        Ok((built, true)) => built,
        Ok((_, false)) => {
            std::fs::remove_dir_all(&stage).map_err(WriteError::io(&stage))?;
            return Ok(None);
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&stage);
            return Err(e);
        }
    };
    // `stage/<scope>` now holds the previous directory: the path down to it
    // mirrors the output's, so what is not the generator's goes back to
    // the same place (as `recover` does should this run be killed now).
    carry(&stage, out, Path::new(""), ours)?;
    std::fs::remove_dir_all(&stage).map_err(WriteError::io(&stage))?;
    let mut stats: Stats = files.iter().map(|_| None).collect();
    for (i, meta) in at.into_iter().zip(built) {
        stats[i] = meta;
    }
    Ok(Some(stats))
}

fn build(out: &Path, stage: &Path, files: &[Staged], manifest: &[u8]) -> Result<Stats, WriteError> {
    // The manifest first: should this run be killed, the next one knows
    // every file of this tree for the generator's (see `recover`).
    let m = stage.join(MANIFEST);
    std::fs::write(&m, manifest).map_err(WriteError::io(m))?;
    build_files(out, stage, &files.iter().collect::<Vec<_>>())
}

/// Puts `files` into `stage` at their paths: hard links of the output's
/// files where they are unchanged, else their bytes. Returns their
/// [`Stats`].
fn build_files(out: &Path, stage: &Path, files: &[&Staged]) -> Result<Stats, WriteError> {
    create_dirs(stage, files)?;
    files
        .par_iter()
        .map(|f| {
            let dst = stage.join(f.path);
            let src = out.join(f.path);
            if f.keep && std::fs::hard_link(&src, &dst).is_ok() {
                return Ok(None);
            }
            match f.bytes {
                Some(bytes) => write_file(&dst, bytes)
                    .map(Some)
                    .map_err(WriteError::io(dst)),
                // No hard links here: a copy, with the time of the file it
                // copies, so that the cache's stamp of it still holds.
                None => copy_keeping_time(&src, &dst)
                    .map(|()| None)
                    .map_err(WriteError::io(src)),
            }
        })
        .collect()
}

/// Writes `bytes` to a new file at `path`; its metadata once written.
fn write_file(path: &Path, bytes: &[u8]) -> io::Result<std::fs::Metadata> {
    use std::io::Write;
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.metadata()
}

/// Creates under `stage` the directories `files` lie in and those above
/// them: the directories of one depth in parallel, once those above exist.
fn create_dirs(stage: &Path, files: &[&Staged]) -> Result<(), WriteError> {
    let mut by_depth: Vec<Vec<&str>> = Vec::new();
    for d in dirs_of(files.iter().map(|f| f.path)) {
        let depth = d.matches('/').count() + 1;
        if by_depth.len() < depth {
            by_depth.resize_with(depth, Vec::new);
        }
        by_depth[depth - 1].push(d);
    }
    for level in by_depth {
        level.par_iter().try_for_each(|d| {
            let d = stage.join(d);
            match std::fs::create_dir(&d) {
                Ok(()) => Ok(()),
                // The directory a scoped write builds in (see
                // `replace_scoped`), and those above it.
                Err(e)
                    if e.kind() == io::ErrorKind::AlreadyExists
                        && std::fs::symlink_metadata(&d).is_ok_and(|m| m.is_dir()) =>
                {
                    Ok(())
                }
                Err(e) => Err(WriteError::io(d)(e)),
            }
        })?;
    }
    Ok(())
}

fn copy_keeping_time(src: &Path, dst: &Path) -> io::Result<()> {
    let modified = std::fs::symlink_metadata(src)?.modified()?;
    std::fs::copy(src, dst)?;
    std::fs::File::options()
        .write(true)
        .open(dst)?
        .set_modified(modified)
}

/// Swaps the directories `a` and `b` in one `renameat2(RENAME_EXCHANGE)`;
/// `false` (nothing done) where the file system or platform cannot.
fn exchange_in_one(a: &Path, b: &Path) -> Result<bool, WriteError> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        use rustix::io::Errno;
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::OPNOTSUPP => Ok(false),
            Err(e) => Err(WriteError::io(b)(e.into())),
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// Swaps the directories `a` and `b`: in one `renameat2(RENAME_EXCHANGE)`
/// where the file system supports it, else in three renames (a run killed
/// between them is repaired by [`restore_if_missing`]).
fn exchange(a: &Path, b: &Path) -> Result<(), WriteError> {
    if exchange_in_one(a, b)? {
        return Ok(());
    }
    let (parent, name) = parent_and_name(b);
    let old = parent.join(format!(".{name}.{OLD}.{}", std::process::id()));
    std::fs::rename(b, &old).map_err(WriteError::io(b))?;
    if let Err(e) = std::fs::rename(a, b) {
        let _ = std::fs::rename(&old, b);
        return Err(WriteError::io(a)(e));
    }
    std::fs::rename(&old, a).map_err(WriteError::io(&old))
}

/// `.NAME.PID.tmp`: a temporary file of [`super::write_atomic_with`].
fn is_temp(name: &OsStr) -> bool {
    name.to_str().is_some_and(|n| {
        n.starts_with('.')
            && n.strip_suffix(".tmp")
                .and_then(|s| s.rsplit_once('.'))
                .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Moves every entry under `from/rel` that is not the generator's into
/// the same place under `to`, unless something is there already. A
/// directory holding none of the generator's paths moves in one rename.
fn carry(from: &Path, to: &Path, rel: &Path, ours: &PathSet) -> Result<(), WriteError> {
    let dir = from.join(rel);
    let entries = std::fs::read_dir(&dir).map_err(WriteError::io(&dir))?;
    for entry in entries {
        let entry = entry.map_err(WriteError::io(&dir))?;
        let name = entry.file_name();
        if is_temp(&name) || (rel.as_os_str().is_empty() && name == OsStr::new(MANIFEST)) {
            continue;
        }
        let r = rel.join(&name);
        let key = r.to_string_lossy().replace('\\', "/");
        if ours.contains(key.as_str()) {
            continue;
        }
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && ours.has_under(&key) {
            carry(from, to, &r, ours)?;
            continue;
        }
        let dst = to.join(&r);
        if std::fs::symlink_metadata(&dst).is_ok() {
            // Overwritten by a generated file (only with `adopt`).
            continue;
        }
        if let Some(p) = dst.parent() {
            std::fs::create_dir_all(p).map_err(WriteError::io(p))?;
        }
        let src = from.join(&r);
        std::fs::rename(&src, &dst).map_err(WriteError::io(src))?;
    }
    Ok(())
}
