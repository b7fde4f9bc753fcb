//! The output lock: an exclusive `flock` on the output directory itself, so
//! that two runs into one output take turns (no lock file is left behind).

use super::WriteError;
use std::fs::File;
use std::path::Path;

/// Held while a run reads, writes and stamps an output; released on drop.
#[derive(Debug)]
pub(super) struct DirLock {
    _file: File,
}

impl DirLock {
    /// Locks the directory at `dir`, waiting for another run to finish.
    /// A run that swapped the directory while we waited had it locked under
    /// the old inode: then the directory that is there now is locked.
    pub(super) fn acquire(dir: &Path) -> Result<DirLock, WriteError> {
        loop {
            let file = File::open(dir).map_err(WriteError::io(dir))?;
            lock_exclusive(&file).map_err(WriteError::io(dir))?;
            if same_inode(&file, dir) {
                return Ok(DirLock { _file: file });
            }
        }
    }
}

#[cfg(unix)]
fn lock_exclusive(file: &File) -> std::io::Result<()> {
    rustix::fs::flock(file, rustix::fs::FlockOperation::LockExclusive).map_err(Into::into)
}

#[cfg(unix)]
fn same_inode(file: &File, dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::symlink_metadata(dir)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn lock_exclusive(_: &File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(not(unix))]
fn same_inode(_: &File, _: &Path) -> bool {
    true
}
