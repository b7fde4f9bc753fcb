//! Reading a specs tree: every page under a root, parsed in parallel.

use crate::diagnostic::{Diagnostic, Kind, Severity};
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
    /// A symbolic link (to a page or a directory): not followed, reported
    /// with a `symlink-skipped` warning instead of read.
    pub link: bool,
}

/// Every Markdown page (`*.md`, `*.mdx`) under `root` whose relative path
/// is under one of the folders (or is one of the pages) `only` names, by
/// whole path segments (`aws/s3` and `aws/s3/` select `aws/s3/...`, never
/// `aws/s3control/...`); all pages when empty. Sorted by relative path.
/// Only the folders named are walked, so a slice of a large tree costs what
/// the slice costs; the folders are walked in parallel.
///
/// Symbolic links are not followed: each is listed as a [`SpecFile::link`]
/// (parsing reports it). Any other entry named `*.md` that is not a
/// directory is a page, even one that cannot be read (a FIFO): reading it
/// fails, and the run with it.
pub fn discover_only(root: &Path, only: &[String]) -> std::io::Result<Vec<SpecFile>> {
    let mut out;
    if only.is_empty() {
        out = walk(root, String::new(), true)?;
    } else {
        // A missing root is an error whatever the prefixes.
        std::fs::read_dir(root)?;
        out = Vec::new();
        let mut prefixes: Vec<&str> = only.iter().filter_map(|p| segments(p)).collect();
        prefixes.sort();
        prefixes.dedup();
        // A folder inside another one listed is walked with it.
        let prefixes: Vec<&str> = prefixes
            .iter()
            .filter(|d| {
                !prefixes
                    .iter()
                    .any(|o| o != *d && (o.is_empty() || d.starts_with(&format!("{o}/"))))
            })
            .copied()
            .collect();
        for prefix in prefixes {
            if prefix.is_empty() {
                out.append(&mut walk(root, String::new(), true)?);
                continue;
            }
            let path = root.join(prefix);
            let ty = match std::fs::symlink_metadata(&path) {
                Ok(m) => EntryType::of(m.file_type()),
                // A prefix naming nothing selects no page.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => continue,
                Err(e) => return Err(e),
            };
            match found(path, prefix.to_string(), ty) {
                Some(Found::Dir(path, rel)) => out.append(&mut walk(&path, rel, false)?),
                Some(Found::File(f)) => out.push(f),
                None => {}
            }
        }
    }
    out.par_sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(out)
}

/// The relative path a prefix names, without the `/` at its ends (empty:
/// the root), or `None` when it is not a plain relative path (`..`, an
/// absolute path, an empty segment): such a prefix selects nothing.
fn segments(prefix: &str) -> Option<&str> {
    let p = prefix.trim_end_matches('/');
    let plain = p.is_empty()
        || (!p.contains('\\')
            && !p.split('/').any(|s| s.is_empty() || s == "." || s == "..")
            && Path::new(p)
                .components()
                .all(|c| matches!(c, Component::Normal(_))));
    plain.then_some(p)
}

/// The type of a directory entry, not followed: all the walk asks of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryType {
    Link,
    Dir,
    /// A regular file, a FIFO, a device, ...
    Other,
}

impl EntryType {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn of_raw(ty: rustix::fs::FileType) -> Self {
        match ty {
            rustix::fs::FileType::Symlink => EntryType::Link,
            rustix::fs::FileType::Directory => EntryType::Dir,
            _ => EntryType::Other,
        }
    }

    fn of(ty: std::fs::FileType) -> Self {
        if ty.is_symlink() {
            EntryType::Link
        } else if ty.is_dir() {
            EntryType::Dir
        } else {
            EntryType::Other
        }
    }
}

/// What a directory entry is to the walk.
enum Found {
    /// A directory to walk: its path and relative path.
    Dir(PathBuf, String),
    /// A page, or a symbolic link to report.
    File(SpecFile),
}

/// Classifies the entry at `path` (relative path `relative`) of type `ty`
/// (not followed): a directory, a page (named `*.md`/`*.mdx`), a link, or
/// nothing.
fn found(path: PathBuf, relative: String, ty: EntryType) -> Option<Found> {
    if ty == EntryType::Link {
        return Some(Found::File(SpecFile {
            path,
            relative,
            link: true,
        }));
    }
    if ty == EntryType::Dir {
        return Some(Found::Dir(path, relative));
    }
    path.extension()
        .is_some_and(|e| e == "md" || e == "mdx")
        .then_some(Found::File(SpecFile {
            path,
            relative,
            link: false,
        }))
}

/// Every page under `dir`, whose relative path is `rel` (empty for the
/// root). `dir` itself is followed where it is a link only when `follow`
/// (the specs root may be one); the directories below it never are.
fn walk(dir: &Path, rel: String, follow: bool) -> std::io::Result<Vec<SpecFile>> {
    let mut files = Vec::new();
    let mut subdirs = Vec::new();
    for_each_entry(dir, follow, &mut |name, ty| {
        let relative = if rel.is_empty() {
            name.to_string_lossy().into_owned()
        } else {
            format!("{rel}/{}", name.to_string_lossy())
        };
        match found(dir.join(name), relative, ty) {
            Some(Found::Dir(path, relative)) => subdirs.push((path, relative)),
            Some(Found::File(f)) => files.push(f),
            None => {}
        }
    })?;
    let nested: Vec<Vec<SpecFile>> = subdirs
        .into_par_iter()
        .map(|(path, relative)| walk(&path, relative, false))
        .collect::<std::io::Result<_>>()?;
    files.extend(nested.into_iter().flatten());
    Ok(files)
}

/// Calls `each` with the name and type (not followed) of every entry of the
/// directory `dir` but `.` and `..`; `dir` is followed if it is a link only
/// when `follow` (else a directory that became a link since it was listed
/// is an error). The directory is read with `getdents` on the file it is
/// opened as: no stat of it (the C library's `opendir`, which
/// `std::fs::read_dir` calls, makes one per directory), and an entry's type
/// is stat'ed only where the file system does not give it.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn for_each_entry(
    dir: &Path,
    follow: bool,
    each: &mut dyn FnMut(&std::ffi::OsStr, EntryType),
) -> std::io::Result<()> {
    use rustix::fs::{FileType, Mode, OFlags};
    use std::os::unix::ffi::OsStrExt;
    let mut flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    if !follow {
        flags |= OFlags::NOFOLLOW;
    }
    let fd = match rustix::fs::open(dir, flags, Mode::empty()) {
        Ok(fd) => fd,
        // `ELOOP` or `ENOTDIR` (the kernel's choice for a link with both
        // flags): said plainly when it is a link.
        Err(_) if !follow && std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_symlink()) => {
            return Err(became_link(dir));
        }
        Err(e) => return Err(e.into()),
    };
    let mut entries = rustix::fs::Dir::new(fd)?;
    while let Some(entry) = entries.read() {
        let entry = entry?;
        let name = entry.file_name().to_bytes();
        if name == b"." || name == b".." {
            continue;
        }
        let name = std::ffi::OsStr::from_bytes(name);
        let ty = match entry.file_type() {
            // A file system that does not say: asked of the entry itself.
            FileType::Unknown => type_at(entries.fd()?, name)?,
            ty => EntryType::of_raw(ty),
        };
        each(name, ty);
    }
    Ok(())
}

/// The type of the entry `name` of the directory open as `dir`, asked of
/// the entry itself (not followed).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn type_at(dir: impl std::os::fd::AsFd, name: &std::ffi::OsStr) -> std::io::Result<EntryType> {
    let st = rustix::fs::statat(dir, name, rustix::fs::AtFlags::SYMLINK_NOFOLLOW)?;
    Ok(EntryType::of_raw(rustix::fs::FileType::from_raw_mode(
        st.st_mode,
    )))
}

/// [`for_each_entry`] where the directory is read by `std::fs::read_dir`
/// (checked not to be a link first, unless `follow`).
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn for_each_entry(
    dir: &Path,
    follow: bool,
    each: &mut dyn FnMut(&std::ffi::OsStr, EntryType),
) -> std::io::Result<()> {
    if !follow && std::fs::symlink_metadata(dir)?.file_type().is_symlink() {
        return Err(became_link(dir));
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        each(&entry.file_name(), EntryType::of(entry.file_type()?));
    }
    Ok(())
}

/// The error for a directory of the walk that is a link now (it was listed
/// as a directory): links are not followed.
fn became_link(dir: &Path) -> std::io::Error {
    std::io::Error::other(format!(
        "{} is a symbolic link now (it was a directory when its parent was read); \
         links inside the specs are not followed: run again",
        dir.display()
    ))
}

/// The bytes of a page: what a link points to for a link (it is not
/// followed), the file's bytes for a regular file, an error for anything
/// else (a FIFO would block the run).
pub(crate) fn read(f: &SpecFile) -> std::io::Result<Vec<u8>> {
    if f.relative.contains('\u{FFFD}') && !names_are_utf8(f) {
        return Err(std::io::Error::other(
            "its path in the specs is not valid UTF-8 (shown with U+FFFD): pages of two such \
             names would be one page to the generator; rename it",
        ));
    }
    if f.link {
        let target = std::fs::read_link(&f.path)?;
        return Ok(target.to_string_lossy().into_owned().into_bytes());
    }
    read_regular(&f.path)
}

/// Whether the names of `f`'s path below the specs root (those
/// [`SpecFile::relative`] spells) are valid UTF-8, as `relative` is only
/// then: it is made with `to_string_lossy`.
fn names_are_utf8(f: &SpecFile) -> bool {
    let below = f.relative.split('/').count();
    f.path
        .components()
        .rev()
        .take(below)
        .all(|c| c.as_os_str().to_str().is_some())
}

/// The error for a page that is not a regular file.
fn not_regular() -> std::io::Error {
    std::io::Error::other(
        "not a regular file (a FIFO, socket or device): a page must be a regular file",
    )
}

/// The bytes of the regular file at `path`. It is opened without following
/// a link and without blocking (a FIFO would block the run), and checked on
/// the open file: one stat per page, and nothing can be swapped in between
/// the check and the read.
#[cfg(unix)]
fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use rustix::fs::{Mode, OFlags};
    use rustix::io::Errno;
    use std::io::Read;
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let mut file = match rustix::fs::open(path, flags, Mode::empty()) {
        Ok(fd) => std::fs::File::from(fd),
        // A link (swapped in since the walk) or a socket.
        Err(Errno::LOOP | Errno::NXIO) => return Err(not_regular()),
        Err(e) => return Err(e.into()),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    let len = meta.len();
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // The size the file has as it is opened, read to that size: no second
    // stat (`File`'s own `read_to_end` asks for the size again) and no read
    // to find the end. A file that says it is empty (some special file
    // systems' files do) is read to its end. A page that grows while it is
    // read is read to the size it had (the cache keys on the bytes read, so
    // the next run sees the rest).
    let limit = if len == 0 { u64::MAX } else { len };
    file.by_ref().take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The bytes of the regular file at `path` (checked before it is opened).
#[cfg(not(unix))]
fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    if !std::fs::symlink_metadata(path)?.file_type().is_file() {
        return Err(not_regular());
    }
    std::fs::read(path)
}

/// Reads and parses every file; a page that cannot be read becomes a page
/// with an error diagnostic. Output order is the input order.
pub fn parse_all(files: &[SpecFile], progress: &(dyn Fn() + Sync)) -> Vec<Page> {
    files
        .par_iter()
        .map(|f| {
            let page = parse_read(f, &read(f));
            progress();
            page
        })
        .collect()
}

/// Parses pages already read (`texts` and their `hashes` in the order of
/// `files`), taking from `cached` the page a path had when its bytes had the
/// same hash, so only changed pages are parsed. Returns the pages in input
/// order and, for each, whether it came from `cached`.
pub(crate) fn parse_texts_reusing(
    files: &[SpecFile],
    texts: &[std::io::Result<Vec<u8>>],
    hashes: &[u64],
    cached: &(dyn Fn(&str, u64) -> Option<Page> + Sync),
    progress: &(dyn Fn() + Sync),
) -> (Vec<Page>, Vec<bool>) {
    files
        .par_iter()
        .zip(texts)
        .zip(hashes)
        .map(|((f, bytes), h)| {
            let reused = match bytes {
                Ok(_) if !f.link => cached(&f.relative, *h),
                _ => None,
            };
            let page = match reused {
                Some(p) => (p, true),
                None => (parse_read(f, bytes), false),
            };
            progress();
            page
        })
        .unzip()
}

pub(crate) fn parse_read(f: &SpecFile, bytes: &std::io::Result<Vec<u8>>) -> Page {
    let relative = f.relative.as_str();
    match bytes {
        Ok(target) if f.link => {
            let mut p = unreadable(
                relative,
                &format!(
                    "skipped: a symbolic link (to {}), not followed in the specs tree; \
                     copy what it points to into the tree, or point --specs at the real tree",
                    String::from_utf8_lossy(target)
                ),
            );
            p.diagnostics[0].severity = Severity::Warning;
            p.diagnostics[0].kind = Kind::SymlinkSkipped;
            p
        }
        // Valid UTF-8 (every page met so far) is checked by the fast
        // validator; only invalid bytes take the lossy, char-by-char path.
        Ok(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => parse_guarded(relative, text),
            Err(_) => parse_guarded(relative, &String::from_utf8_lossy(bytes)),
        },
        Err(e) => unreadable(relative, &format!("cannot read the page: {e}")),
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
        p.diagnostics[0].kind = Kind::InternalError;
        p
    })
}

fn unreadable(relative: &str, why: &str) -> Page {
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
    #[cfg(unix)]
    fn pages_under_names_that_are_not_utf8_are_unreadable_not_merged() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        // Two directories that the lossy names would make one, and a page
        // whose name is only a replacement character, which is valid.
        for name in [&b"x\xff"[..], b"x\xfe", "y\u{FFFD}".as_bytes()] {
            let d = dir
                .path()
                .join("p/s")
                .join(std::ffi::OsStr::from_bytes(name));
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("index.md"), "# page\n").unwrap();
        }
        let files = discover_only(dir.path(), &[]).unwrap();
        let readable: Vec<(&str, bool)> = files
            .iter()
            .map(|f| (f.relative.as_str(), read(f).is_ok()))
            .collect();
        assert_eq!(
            readable,
            [
                ("p/s/x\u{FFFD}/index.md", false),
                ("p/s/x\u{FFFD}/index.md", false),
                ("p/s/y\u{FFFD}/index.md", true),
            ]
        );
        let e = read(&files[0]).unwrap_err().to_string();
        assert!(
            e.contains("not valid UTF-8") && e.contains("rename it"),
            "{e}"
        );
    }

    #[test]
    fn only_walks_the_named_folders_and_keeps_the_order() {
        let dir = tempfile::tempdir().unwrap();
        for p in [
            "aws/s3/buckets/index.md",
            "aws/s3control/points/index.md",
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
                "aws/s3control/points/index.md",
                "aws/sqs/queues/index.md",
                "google/compute/disks/index.md"
            ]
        );
        let only = |p: &[&str]| {
            let p: Vec<String> = p.iter().map(|s| s.to_string()).collect();
            let v = discover_only(dir.path(), &p).unwrap();
            names(&v).iter().map(|s| s.to_string()).collect::<Vec<_>>()
        };
        // Whole segments: `aws/s3` is not a prefix of `aws/s3control`.
        assert_eq!(only(&["aws/s3"]), ["aws/s3/buckets/index.md"]);
        assert_eq!(only(&["aws/s3/"]), ["aws/s3/buckets/index.md"]);
        assert_eq!(only(&["aws/s"]), Vec::<String>::new());
        assert_eq!(only(&["g"]), Vec::<String>::new());
        assert_eq!(only(&["aws/s3/", "aws/"]).len(), 4);
        assert_eq!(only(&["google/", "aws/s3/"]).len(), 2);
        assert_eq!(only(&["azure/"]), Vec::<String>::new());
        assert_eq!(only(&["../aws/"]), Vec::<String>::new());
        assert_eq!(only(&["aws/s3/notes.txt/x"]), Vec::<String>::new());
        // A page named by its path.
        assert_eq!(
            only(&["aws/sqs/queues/index.md"]),
            ["aws/sqs/queues/index.md"]
        );
        assert_eq!(only(&["/"]).len(), 5);
        assert!(discover_only(&dir.path().join("missing"), &[]).is_err());
    }

    /// The types a directory's entries are given by the walk (from the
    /// file system's directory entries) are those of the entries
    /// themselves, as asked where a file system does not give them.
    #[cfg(unix)]
    #[test]
    fn entry_types_are_those_of_the_entries_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::write(d.join("page.md"), "x").unwrap();
        std::os::unix::fs::symlink(d.join("sub"), d.join("to-dir")).unwrap();
        std::os::unix::fs::symlink("missing", d.join("dangling.md")).unwrap();
        let mut seen = Vec::new();
        for_each_entry(d, false, &mut |name, ty| {
            seen.push((name.to_string_lossy().into_owned(), ty))
        })
        .unwrap();
        seen.sort_by(|a, b| a.0.cmp(&b.0));
        let want = [
            ("dangling.md", EntryType::Link),
            ("page.md", EntryType::Other),
            ("sub", EntryType::Dir),
            ("to-dir", EntryType::Link),
        ];
        let got: Vec<(&str, EntryType)> = seen.iter().map(|(n, t)| (n.as_str(), *t)).collect();
        assert_eq!(got, want);
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            let at = std::fs::File::open(d).unwrap();
            for (name, ty) in want {
                assert_eq!(type_at(&at, name.as_ref()).unwrap(), ty, "{name}");
            }
        }
        // A link to a directory is read only where it may be followed (the
        // specs root); below it, a directory that became a link is an error.
        assert!(for_each_entry(&d.join("to-dir"), true, &mut |_, _| {}).is_ok());
        let e = for_each_entry(&d.join("to-dir"), false, &mut |_, _| {}).unwrap_err();
        assert!(e.to_string().contains("symbolic link now"), "{e}");
    }

    /// Files that say they are empty (procfs's) are read to their end;
    /// others to the size they have when opened.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_that_says_it_is_empty_is_read_to_its_end() {
        let status = std::path::Path::new("/proc/self/status");
        if std::fs::metadata(status).is_ok_and(|m| m.is_file() && m.len() == 0) {
            let bytes = read_regular(status).unwrap();
            assert!(bytes.starts_with(b"Name:"), "{}", bytes.len());
        }
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("index.md");
        std::fs::write(&page, "# p\n").unwrap();
        assert_eq!(read_regular(&page).unwrap(), b"# p\n");
        std::fs::write(&page, "").unwrap();
        assert_eq!(read_regular(&page).unwrap(), b"");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_listed_not_followed_and_special_files_do_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("specs");
        let elsewhere = dir.path().join("elsewhere/r");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("index.md"), "x").unwrap();
        std::fs::create_dir_all(root.join("p/s/r")).unwrap();
        std::fs::write(root.join("p/s/r/index.md"), "x").unwrap();
        std::os::unix::fs::symlink(&elsewhere, root.join("p/s/linked")).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("index.md"), root.join("p/s/page.md")).unwrap();
        let fifo = root.join("p/s/fifo/index.md");
        std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let fifo_made = made.is_ok_and(|s| s.success());
        let found = discover_only(&root, &[]).unwrap();
        let listed: Vec<(&str, bool)> = found
            .iter()
            .map(|f| (f.relative.as_str(), f.link))
            .collect();
        let mut want = vec![
            ("p/s/linked", true),
            ("p/s/page.md", true),
            ("p/s/r/index.md", false),
        ];
        if fifo_made {
            want.insert(0, ("p/s/fifo/index.md", false));
        }
        assert_eq!(listed, want);
        let pages = parse_all(&found, &|| {});
        for p in &pages[pages.len() - 3..pages.len() - 1] {
            let d = &p.diagnostics[0];
            assert_eq!(
                (d.severity, d.kind),
                (Severity::Warning, Kind::SymlinkSkipped)
            );
            assert!(d.message.contains("elsewhere"), "{}", d.message);
        }
        if fifo_made {
            let d = &pages[0].diagnostics[0];
            assert_eq!((d.severity, d.kind), (Severity::Error, Kind::Unreadable));
            assert!(d.message.contains("not a regular file"), "{}", d.message);
        }
        // A page that became a link after the walk is not followed either.
        let swapped = SpecFile {
            link: false,
            ..found
                .iter()
                .find(|f| f.relative == "p/s/page.md")
                .unwrap()
                .clone()
        };
        let e = read(&swapped).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        assert_eq!(read(&found[found.len() - 1]).unwrap(), b"x");
    }
}
