//! The cache of an output directory: reusing unchanged output. After a
//! write, `.stackql-codegen-cache` in the output directory records two
//! things under the generator's own [`fingerprint`]:
//!
//! - a [`Stamp`]: a [`key`] over every setting and every input page's bytes,
//!   and the size, modification time and content hash of every file
//!   written. A run whose key is the same and whose files are all as written
//!   does nothing at all (no parsing): see [`crate::Config::write_to`];
//! - per resource file, a hash of its input (the resolved resource) and of
//!   the bytes written. When the stamp does not match (a page changed), a
//!   file whose input hash matches and whose bytes still hash the same is
//!   taken as it is instead of being rendered and formatted again
//!   ([`Cache::resource_file`]).
//!
//! A hand edit changes a file's time or hash, so it is never kept. The cache
//! only saves work: deleting it changes no output, and `--check` never uses
//! it.

use crate::config::Config;
use crate::emit::OutFile;
use crate::pipeline::Inputs;
use crate::resolve::RResource;
use crate::write;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The cache file's name in an output directory.
pub const CACHE: &str = ".stackql-codegen-cache";

/// A content hash: std's SipHash-1-3 with fixed keys, about twice as fast as
/// FNV-1a (the cache's hash before) on whole files. Another toolchain may
/// hash differently; that only makes the cache miss once.
pub fn hash(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// Streams `Debug` output into a hasher (no intermediate `String`).
struct HashWriter(std::hash::DefaultHasher);

impl std::fmt::Write for HashWriter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// The generator's identity: a cache written by another build is ignored.
pub fn fingerprint() -> String {
    format!(
        "{} {}",
        env!("CARGO_PKG_VERSION"),
        env!("STACKQL_CODEGEN_FINGERPRINT")
    )
}

/// One file as written: enough to tell, without reading it, that it was not
/// touched since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    /// Path relative to the output directory.
    pub path: String,
    /// Size in bytes.
    pub len: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime: u128,
    /// [`hash`] of the bytes written.
    pub hash: u64,
}

impl FileStamp {
    /// Stamps `path` under `out`, which was just written with `bytes`.
    /// `None` when the file cannot be stat'ed or has no usable time.
    pub fn of(out: &Path, path: &str, bytes: &[u8]) -> Option<FileStamp> {
        let meta = std::fs::metadata(out.join(path)).ok()?;
        Some(FileStamp {
            path: path.to_string(),
            len: meta.len(),
            mtime: mtime(&meta)?,
            hash: hash(bytes),
        })
    }

    /// Whether the file is still as stamped. Its size and time must match;
    /// a file whose time is not older than the stamp itself (`stamped_at`,
    /// the cache file's time) could have been edited within the same clock
    /// tick, so its bytes are hashed too (as git does for "racily clean"
    /// index entries).
    fn holds(&self, out: &Path, stamped_at: u128) -> bool {
        let path = out.join(&self.path);
        let Ok(meta) = std::fs::metadata(&path) else {
            return false;
        };
        if !meta.is_file() || meta.len() != self.len || mtime(&meta) != Some(self.mtime) {
            return false;
        }
        self.mtime < stamped_at || std::fs::read(&path).is_ok_and(|b| hash(&b) == self.hash)
    }
}

fn mtime(meta: &std::fs::Metadata) -> Option<u128> {
    Some(
        meta.modified()
            .ok()?
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_nanos(),
    )
}

/// What the last successful write into an output directory was made from
/// and what it wrote; see the module docs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Hash of the generator's settings and of every input page (path and bytes).
    pub key: u64,
    /// Resources generated.
    pub resources: usize,
    /// Resource pages left out.
    pub left_out: Vec<String>,
    /// Warnings (and worse) of that run, as printed, so a run that skips
    /// everything still shows them.
    pub warnings: Vec<String>,
    /// Every file the generator owns there (the manifest included).
    pub files: Vec<FileStamp>,
}

impl Stamp {
    /// Whether every stamped file under `out` is as written.
    /// `stamped_at` is the cache file's modification time.
    pub fn holds(&self, out: &Path, stamped_at: u128) -> bool {
        self.files.par_iter().all(|f| f.holds(out, stamped_at))
    }
}

/// The cache of a previous run: the stamp, and path → (input hash, output hash).
#[derive(Debug, Default)]
pub struct Cache {
    dir: Option<PathBuf>,
    entries: HashMap<String, (u64, u64)>,
    stamp: Option<Stamp>,
    /// The cache file's modification time.
    stamped_at: u128,
}

impl Cache {
    /// Loads the cache of `dir`; empty when missing, unreadable or written by
    /// another build of the generator.
    pub fn load(dir: Option<&Path>) -> Cache {
        let Some(dir) = dir else {
            return Cache::default();
        };
        let path = dir.join(CACHE);
        let mut cache = Cache {
            dir: Some(dir.to_path_buf()),
            ..Cache::default()
        };
        let (Ok(text), Ok(meta)) = (std::fs::read_to_string(&path), std::fs::metadata(&path))
        else {
            return cache;
        };
        let mut lines = text.lines();
        if lines.next() != Some(fingerprint().as_str()) {
            return cache;
        }
        cache.stamped_at = mtime(&meta).unwrap_or(0);
        cache.stamp = lines
            .next()
            .and_then(|l| l.strip_prefix("stamp "))
            .and_then(|j| serde_json::from_str(j).ok());
        for line in lines {
            let mut parts = line.rsplitn(3, ' ');
            let (Some(o), Some(i), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
                continue;
            };
            if let (Ok(i), Ok(o)) = (u64::from_str_radix(i, 16), u64::from_str_radix(o, 16)) {
                cache.entries.insert(path.to_string(), (i, o));
            }
        }
        cache
    }

    /// The stamp of the last write, if the output is still exactly as that
    /// write left it and its key is `key`.
    pub fn unchanged(&self, key: u64) -> Option<&Stamp> {
        let (dir, stamp) = (self.dir.as_ref()?, self.stamp.as_ref()?);
        (stamp.key == key && stamp.holds(dir, self.stamped_at)).then_some(stamp)
    }

    /// The stamp of the last write (not checked against the files).
    #[cfg(test)]
    pub fn stamp(&self) -> Option<&Stamp> {
        self.stamp.as_ref()
    }

    /// The text of a cache recording `entries` (path, input hash, output
    /// text), without a stamp (see [`Cache::with_stamp`]).
    pub fn render<'a>(entries: impl Iterator<Item = (&'a str, u64, &'a str)>) -> String {
        let mut out = fingerprint();
        out.push_str("\nstamp -\n");
        for (path, input, text) in entries {
            out.push_str(&format!(
                "{path} {input:016x} {:016x}\n",
                hash(text.as_bytes())
            ));
        }
        out
    }

    /// A rendered cache text with `stamp` put in.
    pub fn with_stamp(text: &str, stamp: &Stamp) -> String {
        let json = serde_json::to_string(stamp).unwrap_or_else(|_| "-".into());
        let rest = text
            .split_once('\n')
            .and_then(|(_, r)| r.split_once('\n'))
            .map_or("", |(_, r)| r);
        format!("{}\nstamp {json}\n{rest}", fingerprint())
    }

    /// The text of the resource file at `path` with its [`input_hash`]: the
    /// file the previous run wrote when the cache vouches for it (same input
    /// hash, same bytes), else `render(r)`.
    pub fn resource_file(
        &self,
        r: &RResource,
        path: &str,
        render: impl FnOnce(&RResource) -> Result<String, String>,
    ) -> Result<(String, u64), String> {
        let input = input_hash(r);
        if let (Some(dir), Some((i, o))) = (&self.dir, self.entries.get(path)) {
            if *i == input {
                if let Ok(old) = std::fs::read_to_string(dir.join(path)) {
                    if hash(old.as_bytes()) == *o {
                        return Ok((old, input));
                    }
                }
            }
        }
        Ok((render(r)?, input))
    }
}

/// The input hash of a resource module.
pub fn input_hash(r: &RResource) -> u64 {
    let mut w = HashWriter(std::hash::DefaultHasher::new());
    // Writing into a hasher cannot fail.
    let _ = std::fmt::Write::write_fmt(&mut w, format_args!("{r:?}"));
    w.0.finish()
}

/// The key of a run: the generator, every setting that affects the output
/// (`mode` says which kind of output and, for build-script mode, where:
/// `bindings.rs` names its absolute path; `out` decides the runtime's
/// relative path), and every page's path and bytes. The specs directory's
/// own path is left out: the output does not depend on it.
pub fn key(config: &Config, mode: &str, out: Option<&Path>, inputs: &Inputs) -> u64 {
    fn text(h: &mut impl Hasher, s: &str) {
        h.write_usize(s.len());
        h.write(s.as_bytes());
    }
    let mut h = std::hash::DefaultHasher::new();
    text(&mut h, &fingerprint());
    text(&mut h, mode);
    text(&mut h, &config.crate_name);
    h.write_u8(u8::from(config.cloud_control));
    h.write_u8(u8::from(config.allow_partial));
    h.write_u8(u8::from(config.service_features));
    text(&mut h, &format!("{:?}", config.runtime_for(out)));
    h.write_usize(config.only.len());
    for p in &config.only {
        text(&mut h, p);
    }
    h.write_usize(inputs.files.len());
    for ((f, t), hash) in inputs.files.iter().zip(&inputs.texts).zip(&inputs.hashes) {
        text(&mut h, &f.relative);
        match t {
            Ok(b) => {
                h.write_u8(1);
                h.write_usize(b.len());
                h.write_u64(*hash);
            }
            // An unreadable page is an error today; it must not match
            // a later run where it can be read.
            Err(_) => h.write_u8(0),
        }
    }
    h.finish()
}

/// What a write into `out` produced, before it is stamped (see [`store`]).
pub struct Written<'a> {
    /// The run's [`key`].
    pub key: u64,
    /// The files written (the manifest is stamped with them).
    pub files: &'a [OutFile],
    /// The per-resource cache text ([`Cache::render`]).
    pub rendered: &'a str,
    /// Resources generated.
    pub resources: usize,
    /// Resource pages left out.
    pub left_out: &'a [String],
    /// Warnings of the run, as printed.
    pub warnings: &'a [String],
}

/// Stores the cache of the write `w` into `out`: its per-resource entries
/// and, when every file written can be stat'ed, its [`Stamp`].
pub fn store(out: &Path, w: &Written) -> std::io::Result<()> {
    let manifest = write::manifest_text(w.files);
    let mut files = vec![(write::MANIFEST, manifest.as_bytes())];
    files.extend(
        w.files
            .iter()
            .map(|f| (f.path.as_str(), f.contents.as_bytes())),
    );
    let stamps: Option<Vec<FileStamp>> = files
        .par_iter()
        .map(|(path, bytes)| FileStamp::of(out, path, bytes))
        .collect();
    let stamp = stamps.map(|files| Stamp {
        key: w.key,
        resources: w.resources,
        left_out: w.left_out.to_vec(),
        warnings: w.warnings.to_vec(),
        files,
    });
    let text = match &stamp {
        Some(s) => Cache::with_stamp(w.rendered, s),
        None => w.rendered.to_string(),
    };
    write::write_atomic(&out.join(CACHE), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_round_trip_and_foreign_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let text = Cache::render([("src/a.rs", 7u64, "x")].into_iter());
        std::fs::write(dir.path().join(CACHE), &text).unwrap();
        let c = Cache::load(Some(dir.path()));
        assert_eq!(c.entries["src/a.rs"], (7, hash(b"x")));
        assert!(c.stamp().is_none());
        std::fs::write(
            dir.path().join(CACHE),
            text.replacen(&fingerprint(), "other", 1),
        )
        .unwrap();
        assert!(Cache::load(Some(dir.path())).entries.is_empty());
    }

    #[test]
    fn stamp_round_trip_and_file_checks() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::write(out.join("a.rs"), "one").unwrap();
        let stamp = Stamp {
            key: 42,
            resources: 1,
            left_out: vec!["a \"b\"\nc".into()],
            warnings: vec!["w".into()],
            files: vec![FileStamp::of(out, "a.rs", b"one").unwrap()],
        };
        let text = Cache::with_stamp(
            &Cache::render([("src/a.rs", 7u64, "x")].into_iter()),
            &stamp,
        );
        std::fs::write(out.join(CACHE), &text).unwrap();
        let c = Cache::load(Some(out));
        assert_eq!(c.stamp(), Some(&stamp));
        assert_eq!(c.entries["src/a.rs"], (7, hash(b"x")));
        assert_eq!(c.unchanged(42), Some(&stamp));
        assert_eq!(c.unchanged(43), None);
        // Same size and (likely) the same clock tick: the hash catches it.
        std::fs::write(out.join("a.rs"), "two").unwrap();
        assert_eq!(Cache::load(Some(out)).unchanged(42), None);
        // The bytes back but a newer time: not trusted either.
        std::fs::write(out.join("a.rs"), "one").unwrap();
        let mut later = FileStamp::of(out, "a.rs", b"one").unwrap();
        later.mtime += 1;
        assert!(!later.holds(out, u128::MAX));
        std::fs::remove_file(out.join("a.rs")).unwrap();
        assert_eq!(Cache::load(Some(out)).unchanged(42), None);
    }
}
