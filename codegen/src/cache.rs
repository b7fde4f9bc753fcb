//! The cache of an output directory: reusing unchanged work. After a
//! write, `.stackql-codegen-cache` in the output directory records, under
//! the generator's own [`fingerprint`]:
//!
//! - a [`Stamp`]: a [`key`] over every setting and every input page's bytes,
//!   and the size, modification time and content hash of every file
//!   written. A run whose key is the same and whose files are all as written
//!   does nothing at all (no parsing): see [`crate::Config::write_to`];
//! - per page, the hash of its bytes, the hash of its parsed [`Page`] and
//!   that page's [`head`]: a page whose bytes did not change is not parsed
//!   again unless its resource must be rendered again;
//! - per resource, a [`resource_key`] over everything its files are made
//!   from (its page's path and model, its module names, for a view its base
//!   page's path and model, and the settings), the diagnostics of
//!   resolving it, and the paths and hashes of the files it produced. A
//!   resource whose key matches and whose files still hash the same is
//!   neither resolved nor rendered: its files are taken as they are.
//!
//! Stamps, heads and resource entries are JSON arrays rather than objects
//! (every run that reuses the cache reads thousands of them). Every entry
//! line carries a hash of itself; a line that does not match it, does not
//! parse, or names another page is ignored; and the last line is a hash of
//! the whole file before it, without which the cache is not read at all,
//! so a corrupt cache costs work, never correctness. A hand edit of an
//! output file changes its hash, so it is never kept. The cache only saves
//! work: deleting it changes no output, and `--check` never uses it.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::emit::{OutFile, Reused};
use crate::model::{PageKind, Permissions, Resource, ResourceId};
use crate::parse::Page;
use crate::pipeline::Inputs;
use crate::resolve::{Inception, RResource};
use crate::write;
use foldhash::HashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The cache file's name in an output directory.
pub const CACHE: &str = ".stackql-codegen-cache";

/// The cache's hasher: foldhash's quality variant with a fixed seed, so that
/// the hash of the same input is the same in every run of this build. It
/// reads ~5 times fewer instructions per byte than std's SipHash (the
/// cache's hash before; on the ~75 MB of pages and output files of a fresh
/// `current/aws` write). Like SipHash with its fixed keys, it is a 64-bit
/// checksum, not a defence against crafted collisions. Another build may
/// hash differently: a cache is only read by the build that wrote it
/// ([`fingerprint`]).
fn hasher() -> foldhash::quality::FoldHasher<'static> {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x5354_4143_4b51_4c43).build_hasher()
}

/// A content hash of `bytes` (see [`hasher`]).
pub fn hash(bytes: &[u8]) -> u64 {
    let mut h = hasher();
    h.write(bytes);
    h.finish()
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
/// touched since. Stored as `[path, len, mtime, hash]`: an output has
/// thousands, read by every run.
#[derive(Debug, Clone, PartialEq, Eq)]
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

impl Serialize for FileStamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (&self.path, self.len, self.mtime, self.hash).serialize(s)
    }
}

impl<'de> Deserialize<'de> for FileStamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (path, len, mtime, hash) = <(String, u64, u128, u64)>::deserialize(d)?;
        Ok(FileStamp {
            path,
            len,
            mtime,
            hash,
        })
    }
}

impl FileStamp {
    /// Stamps `path` under `out`, which was just written with `bytes` (and
    /// their [`hash`], when known; `None`: kept as it was), with the
    /// metadata `stat` the write took from the file it wrote, if any (else
    /// the file is stat'ed). `None` when the file cannot be stat'ed or has
    /// no usable time. A file that `previous` stamped and that was not
    /// rewritten since (same size and time, older than that stamp; a write
    /// leaves it so only when its bytes are the ones to write) keeps that
    /// stamp's hash instead of being hashed; a kept file it does not vouch
    /// for is read and hashed.
    fn of(
        out: &Path,
        path: &str,
        bytes: Option<(&[u8], Option<u64>)>,
        stat: Option<&std::fs::Metadata>,
        previous: Option<&Reuse>,
    ) -> Option<FileStamp> {
        // A kept file is the one `previous` stamped (vouched for when it
        // was reused; a write keeps it, or its copy, with that time).
        if let (None, Some(s)) = (bytes, previous.and_then(|p| p.stamps.get(path))) {
            return Some((*s).clone());
        }
        let looked_up;
        let meta = match stat {
            Some(m) => m,
            None => {
                looked_up = std::fs::metadata(out.join(path)).ok()?;
                &looked_up
            }
        };
        let (len, mtime) = (meta.len(), mtime(meta)?);
        let known = previous.and_then(|p| {
            let s = p.stamps.get(path)?;
            s.vouches_for(len, mtime, p.stamped_at).then_some(s.hash)
        });
        Some(FileStamp {
            path: path.to_string(),
            len,
            mtime,
            hash: match (known, bytes) {
                (Some(h), _) | (None, Some((_, Some(h)))) => h,
                (None, Some((b, None))) => hash(b),
                (None, None) => hash(&std::fs::read(out.join(path)).ok()?),
            },
        })
    }

    /// Whether the file is still as stamped. Its size and time must match;
    /// a file whose time is not older than the stamp itself (`stamped_at`,
    /// the cache file's time) could have been edited within the same clock
    /// tick, so its bytes are hashed too (as git does for "racily clean"
    /// index entries).
    fn holds(&self, out: &Path, stamped_at: u128) -> bool {
        self.same_stat(out)
            && (self.mtime < stamped_at
                || std::fs::read(out.join(&self.path)).is_ok_and(|b| hash(&b) == self.hash))
    }

    /// Whether the file is still as stamped without reading it: the same
    /// size and time, older than the stamp (see [`FileStamp::holds`]).
    fn holds_unread(&self, out: &Path, stamped_at: u128) -> bool {
        std::fs::symlink_metadata(out.join(&self.path)).is_ok_and(|meta| {
            meta.is_file()
                && mtime(&meta).is_some_and(|t| self.vouches_for(meta.len(), t, stamped_at))
        })
    }

    /// Whether a file of size `len` and time `mtime` is the one stamped,
    /// unread: same size and time, and older than the stamp (`stamped_at`),
    /// so not rewritten within the stamp's clock tick.
    fn vouches_for(&self, len: u64, mtime: u128, stamped_at: u128) -> bool {
        self.len == len && self.mtime == mtime && self.mtime < stamped_at
    }

    /// Whether the file is a regular file of the stamped size and time.
    fn same_stat(&self, out: &Path) -> bool {
        std::fs::metadata(out.join(&self.path)).is_ok_and(|meta| {
            meta.is_file() && meta.len() == self.len && mtime(&meta) == Some(self.mtime)
        })
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
    /// The run's [`Shape`].
    pub shape: u64,
    /// How many of `warnings` come from pages and the set of pages
    /// (duplicate ids), before those of resolving each resource: the shape
    /// decides them.
    pub shape_warnings: usize,
}

impl Stamp {
    /// Whether every stamped file under `out` is as written.
    /// `stamped_at` is the cache file's modification time.
    pub fn holds(&self, out: &Path, stamped_at: u128) -> bool {
        self.files.par_iter().all(|f| f.holds(out, stamped_at))
    }
}

/// The cache of a previous run: its stamp and, parsed on demand
/// ([`Cache::reuse`]), its entries.
#[derive(Debug, Default)]
pub struct Cache {
    dir: Option<PathBuf>,
    stamp: Option<Stamp>,
    /// The cache file's modification time.
    stamped_at: u128,
    /// The cache file's text; its entry lines (after the stamp) from
    /// `entries_at` on, not parsed yet.
    text: String,
    entries_at: usize,
}

impl Cache {
    /// Loads the cache of `dir`; empty when missing, unreadable or written by
    /// another build of the generator. Only the stamp is parsed.
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
        let Some(text) = intact(text) else {
            return cache;
        };
        let Some((first, rest)) = text.split_once('\n') else {
            return cache;
        };
        if first != fingerprint() {
            return cache;
        }
        let (stamp, entries) = rest.split_once('\n').unwrap_or((rest, ""));
        cache.stamped_at = mtime(&meta).unwrap_or(0);
        cache.stamp = stamp
            .strip_prefix("stamp ")
            .and_then(|j| serde_json::from_str(j).ok());
        cache.entries_at = text.len() - entries.len();
        cache.text = text;
        cache
    }

    /// The stamp of the last write, if the output is still exactly as that
    /// write left it and its key is `key`.
    pub fn unchanged(&self, key: u64) -> Option<&Stamp> {
        let (dir, stamp) = (self.dir.as_ref()?, self.stamp.as_ref()?);
        (stamp.key == key && stamp.holds(dir, self.stamped_at)).then_some(stamp)
    }

    /// The stamp of the last write (not checked against the files).
    pub fn stamp(&self) -> Option<&Stamp> {
        self.stamp.as_ref()
    }

    /// The entries of the cache, indexed (lines whose own hash does not
    /// match are dropped here; page models are parsed only when asked for).
    pub fn reuse(&self) -> Reuse<'_> {
        let mut reuse = Reuse {
            dir: self.dir.as_deref(),
            text: &self.text,
            stamped_at: self.stamped_at,
            stamps: self
                .stamp
                .iter()
                .flat_map(|s| &s.files)
                .map(|f| (f.path.as_str(), f))
                .collect(),
            ..Reuse::default()
        };
        let entries = &self.text[self.entries_at..];
        let lines = entries.as_bytes().iter().filter(|b| **b == b'\n').count();
        let mut pages = Vec::with_capacity(lines);
        for line in entries.lines() {
            let Some((tag, rest)) = line.split_once(' ') else {
                continue;
            };
            let Some(body) = checked(rest) else {
                continue;
            };
            match tag {
                "page" => {
                    // `<bytes> <model> "path"\t<head>`, the hashes 16 hex digits.
                    let (Some(bytes), Some(model), Some(rest)) =
                        (body.get(..16), body.get(17..33), body.get(34..))
                    else {
                        continue;
                    };
                    let Some((path, head)) = rest.split_once('\t') else {
                        continue;
                    };
                    let (Ok(bytes), Ok(model), Some(path)) = (
                        u64::from_str_radix(bytes, 16),
                        u64::from_str_radix(model, 16),
                        json_string(path),
                    ) else {
                        continue;
                    };
                    let page = PageLine {
                        bytes,
                        model,
                        head,
                        line,
                    };
                    pages.push((path, page));
                }
                "res" => {
                    let Some((id, json)) = body.split_once('\t') else {
                        continue;
                    };
                    let Some(id) = json_string(id) else {
                        continue;
                    };
                    reuse.resources.push(ResourceLine { id, json, line });
                }
                _ => {}
            }
        }
        reuse.pages = pages.into_iter().collect();
        reuse.resource_at = reuse
            .resources
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.clone(), i))
            .collect();
        reuse
    }
}

/// A JSON string's value; without a backslash in it (every path and id the
/// generator writes), its text between the quotes, borrowed.
fn json_string(json: &str) -> Option<Cow<'_, str>> {
    match json.strip_prefix('"').and_then(|j| j.strip_suffix('"')) {
        Some(plain) if !plain.bytes().any(|b| b == b'\\' || b == b'"' || b < b' ') => {
            Some(Cow::Borrowed(plain))
        }
        _ => serde_json::from_str(json).ok().map(Cow::Owned),
    }
}

/// The start of a cache's last line, `end <hash>`: the [`hash`] of every
/// byte before it.
const END: &str = "end ";

/// The cache `text` without its last line, when that line is the hash of
/// all before it; `None` for a cache changed, cut short or added to since
/// it was written. Each entry line checks itself as well, but the stamp
/// (the warnings a run that changes nothing prints again, the count of the
/// resources) and the lines' number and order are only checked here: lines
/// dropped, repeated or moved, each intact, misled a regeneration into
/// keeping files it should have written again.
fn intact(mut text: String) -> Option<String> {
    let body = text.strip_suffix('\n')?;
    let at = body.rfind('\n').map_or(0, |i| i + 1);
    let sum = body[at..].strip_prefix(END)?;
    if sum.len() != 16 || u64::from_str_radix(sum, 16).ok()? != hash(&body.as_bytes()[..at]) {
        return None;
    }
    text.truncate(at);
    Some(text)
}

/// `rest` is `<hash> <body>`: the body when the hash is its own.
fn checked(rest: &str) -> Option<&str> {
    let (sum, body) = rest.split_once(' ')?;
    (u64::from_str_radix(sum, 16).ok()? == hash(body.as_bytes())).then_some(body)
}

/// `<tag> <hash of body> <body>`.
fn line(tag: &str, body: &str) -> String {
    format!("{tag} {:016x} {body}", hash(body.as_bytes()))
}

/// What a resource produced: see the module docs. Stored as `"id"\t[input,
/// source, base, module, file, inception, files, diagnostics]`: the id
/// apart, so a run finds an entry without parsing it; the diagnostics last,
/// so a run sees that there are none without parsing it either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResourceEntry {
    /// `provider.service.resource`.
    pub(crate) id: String,
    /// Its [`resource_key`].
    pub(crate) input: u64,
    /// The page it was made from.
    pub(crate) source: String,
    /// For a view, the page of the resource it inherits its permissions from.
    pub(crate) base: Option<String>,
    /// Its module name and file, as the crate's module tree decided them.
    pub(crate) module: String,
    pub(crate) file: String,
    /// Which `module_inception` lints its module needs.
    pub(crate) inception: Inception,
    /// Its files: path and [`hash`] of the bytes.
    pub(crate) files: Vec<(String, u64)>,
    /// The diagnostics of resolving it.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// An entry's stored form after its id.
type StoredEntry = (
    u64,
    String,
    Option<String>,
    String,
    String,
    u8,
    Vec<(String, u64)>,
    Vec<Diagnostic>,
);

impl ResourceEntry {
    /// The entry of `r`, made from inputs of key `input`, that produced
    /// `files` (path and [`hash`]) and `diagnostics`.
    fn of(r: &RResource, input: u64, files: &[(String, u64)], diagnostics: &[Diagnostic]) -> Self {
        ResourceEntry {
            id: r.res.id.to_string(),
            input,
            source: r.res.source.clone(),
            base: r.base.map(|b| b.source.clone()),
            module: r.module.clone(),
            file: r.file.clone(),
            inception: r.inception,
            files: files.to_vec(),
            diagnostics: diagnostics.to_vec(),
        }
    }

    /// Its line's body: `"id"\t[...]`.
    fn body(&self) -> Option<String> {
        let i = self.inception;
        let stored: StoredEntry = (
            self.input,
            self.source.clone(),
            self.base.clone(),
            self.module.clone(),
            self.file.clone(),
            u8::from(i.in_service) | u8::from(i.permissions) << 1 | u8::from(i.methods) << 2,
            self.files.clone(),
            self.diagnostics.clone(),
        );
        Some(format!(
            "{}\t{}",
            serde_json::to_string(&self.id).ok()?,
            serde_json::to_string(&stored).ok()?
        ))
    }

    /// Parses the part of a line after the id.
    fn parse(id: &str, json: &str) -> Option<Self> {
        let (input, source, base, module, file, inception, files, diagnostics): StoredEntry =
            serde_json::from_str(json).ok()?;
        Some(ResourceEntry {
            id: id.to_string(),
            input,
            source,
            base,
            module,
            file,
            inception: Inception {
                in_service: inception & 1 != 0,
                permissions: inception & 2 != 0,
                methods: inception & 4 != 0,
            },
            files,
            diagnostics,
        })
    }
}

/// A resource line of a [`Cache`], found by its id, parsed on use.
#[derive(Debug, Clone)]
pub(crate) struct ResourceLine<'c> {
    /// `provider.service.resource`.
    pub(crate) id: Cow<'c, str>,
    /// The rest of its body: the [`StoredEntry`].
    json: &'c str,
    /// The whole line, to store again as it is.
    line: &'c str,
}

impl ResourceLine<'_> {
    /// The entry, parsed.
    pub(crate) fn entry(&self) -> Option<ResourceEntry> {
        ResourceEntry::parse(&self.id, self.json)
    }

    /// Whether its text holds `needle` (a page path as JSON quotes it):
    /// an entry whose source or base is that page does.
    pub(crate) fn mentions(&self, needle: &str) -> bool {
        self.json.contains(needle)
    }

    /// Whether it stores no diagnostics (seen without parsing it).
    pub(crate) fn without_diagnostics(&self) -> bool {
        self.json.ends_with(",[]]")
    }
}

/// A page line of a [`Cache`]: the hashes of its bytes and its model, and
/// its head's JSON text ([`stored_head`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageLine<'c> {
    pub(crate) bytes: u64,
    pub(crate) model: u64,
    pub(crate) head: &'c str,
    line: &'c str,
}

/// The entries of a [`Cache`], indexed: what a run may reuse.
#[derive(Debug, Default)]
pub struct Reuse<'c> {
    dir: Option<&'c Path>,
    /// The cache file's text: every line below is a part of it.
    text: &'c str,
    /// The stamp of every file of the previous write, by path.
    stamps: HashMap<&'c str, &'c FileStamp>,
    /// The cache file's modification time.
    stamped_at: u128,
    /// Page path → its line.
    pages: HashMap<Cow<'c, str>, PageLine<'c>>,
    /// Resource lines, in the order they were stored (the crate's).
    resources: Vec<ResourceLine<'c>>,
    /// Resource id → its index in `resources`.
    resource_at: HashMap<Cow<'c, str>, usize>,
}

impl<'c> Reuse<'c> {
    /// The [`head`] of the page at `path` as parsed from bytes of hash
    /// `bytes_hash`, if cached (and the cached page is that page).
    pub fn page(&self, path: &str, bytes_hash: u64) -> Option<Page> {
        let p = self.pages.get(path)?;
        if p.bytes != bytes_hash {
            return None;
        }
        let (kind, diagnostics, resource): StoredHead = serde_json::from_str(p.head).ok()?;
        Some(Page {
            source: path.to_string(),
            kind,
            diagnostics,
            resource: resource.map(|(provider, service, resource, name, line, permissions)| {
                head_resource(
                    ResourceId {
                        provider,
                        service,
                        resource,
                    },
                    path.to_string(),
                    name,
                    line,
                    stored_permissions(permissions),
                )
            }),
        })
    }

    /// The line of the page at `path`, whatever its bytes.
    pub(crate) fn page_line(&self, path: &str) -> Option<PageLine<'c>> {
        self.pages.get(path).copied()
    }

    /// The resource lines, in the order they were stored.
    pub(crate) fn resource_lines(&self) -> &[ResourceLine<'c>] {
        &self.resources
    }

    /// The cached output of `r` (a skeleton, see
    /// [`crate::resolve::resolve_reusing`]) whose [`resource_key`] is `key`:
    /// its diagnostics and its files, when every file still has the bytes
    /// written. A file the stamp vouches for is neither read nor hashed
    /// ([`Reused::kept`]); any other is read back and hashed.
    pub fn resource(&self, r: &RResource, key: u64) -> Option<(Vec<Diagnostic>, Reused)> {
        let at = *self.resource_at.get(r.res.id.to_string().as_str())?;
        let e = self.resources[at].entry()?;
        if e.input != key {
            return None;
        }
        let dir = self.dir?;
        let mut reused = Reused::default();
        for (path, h) in e.files {
            if self.vouches_for(&path, h) {
                reused.kept.push(path);
                continue;
            }
            let contents = std::fs::read_to_string(dir.join(&path)).ok()?;
            if hash(contents.as_bytes()) != h {
                return None;
            }
            reused.read.push(OutFile { path, contents });
        }
        Some((e.diagnostics, reused))
    }

    /// Whether the previous write stamped the file at `path` with content
    /// hash `h` and it is still as stamped, unread (see
    /// [`FileStamp::holds_unread`]).
    pub(crate) fn vouches_for(&self, path: &str, h: u64) -> bool {
        self.dir.is_some_and(|dir| {
            self.stamps
                .get(path)
                .is_some_and(|s| s.hash == h && s.holds_unread(dir, self.stamped_at))
        })
    }

    /// Whether the previous write stamped the file at `path` and it is still
    /// as stamped, unread.
    pub(crate) fn holds(&self, path: &str) -> bool {
        self.stamps
            .get(path)
            .is_some_and(|s| self.vouches_for(path, s.hash))
    }

    /// The line of the resource `id`, to store again as it is.
    fn kept_resource(&self, id: &str) -> Option<Line> {
        let at = *self.resource_at.get(id)?;
        Some(self.kept(self.resources[at].line))
    }

    /// `line` (a part of [`Reuse::text`]), to copy when the cache is stored.
    fn kept(&self, line: &str) -> Line {
        let start = line.as_ptr() as usize - self.text.as_ptr() as usize;
        Line::Kept {
            text: text_id(self.text),
            at: start..start + line.len(),
        }
    }
}

/// What the cache keeps of a page: all but the parts of its resource that
/// only rendering it reads (the permissions it lists included; a view keeps
/// the link to its base's). Selecting the resources and naming their modules
/// need no more; a resource that must be rendered again, or a view's base
/// resource, is parsed again from its page (see
/// [`crate::resolve::resolve_reusing`]).
pub fn head(page: &Page) -> Page {
    Page {
        source: page.source.clone(),
        kind: page.kind,
        diagnostics: page.diagnostics.clone(),
        resource: page.resource.as_ref().map(|r| {
            head_resource(
                r.id.clone(),
                r.source.clone(),
                r.name.clone(),
                r.line,
                match &r.permissions {
                    Permissions::Listed { .. } => Permissions::Listed {
                        operations: Vec::new(),
                    },
                    other => other.clone(),
                },
            )
        }),
    }
}

/// A resource of which only the [`head`] is known.
fn head_resource(
    id: ResourceId,
    source: String,
    name: String,
    line: usize,
    permissions: Permissions,
) -> Resource {
    Resource {
        id,
        source,
        name,
        line,
        permissions,
        description: None,
        summary: None,
        cloud_type: None,
        singular: None,
        fields: Vec::new(),
        views: Vec::new(),
        methods: Vec::new(),
        params: Vec::new(),
        examples: Vec::new(),
        identifier: None,
        insert: None,
    }
}

/// A page's [`head`] as the cache stores it: `[kind, diagnostics,
/// resource]`, the resource `[provider, service, resource, name, line,
/// permissions]` (its page's path is the line's). Arrays, not objects:
/// every run that reuses the cache reads thousands.
type StoredHead = (
    PageKind,
    Vec<Diagnostic>,
    Option<(String, String, String, String, usize, StoredPermissions)>,
);

/// A head's [`Permissions`]: whether the page lists its own (left out, see
/// [`head`]), and a view's link `[href, resource, line]`.
type StoredPermissions = (bool, Option<(String, String, usize)>);

fn store_permissions(p: Permissions) -> StoredPermissions {
    match p {
        Permissions::None => (false, None),
        Permissions::Listed { .. } => (true, None),
        Permissions::SeeAlso {
            href,
            resource,
            line,
        } => (false, Some((href, resource, line))),
    }
}

fn stored_permissions(p: StoredPermissions) -> Permissions {
    match p {
        (_, Some((href, resource, line))) => Permissions::SeeAlso {
            href,
            resource,
            line,
        },
        (true, None) => Permissions::Listed {
            operations: Vec::new(),
        },
        (false, None) => Permissions::None,
    }
}

/// The JSON text of `page`'s [`StoredHead`].
pub(crate) fn stored_head(page: &Page) -> Option<String> {
    let h = head(page);
    let stored: StoredHead = (
        h.kind,
        h.diagnostics,
        h.resource.map(|r| {
            (
                r.id.provider,
                r.id.service,
                r.id.resource,
                r.name,
                r.line,
                store_permissions(r.permissions),
            )
        }),
    );
    serde_json::to_string(&stored).ok()
}

/// The entry lines a write stores beside its stamp.
#[derive(Debug, Clone, Default)]
pub struct Entries {
    lines: Vec<Line>,
    /// The [`hash`] of each file of the resources recorded anew, by path:
    /// the stamps of the write take them instead of hashing the bytes again.
    hashes: HashMap<String, u64>,
}

/// An entry line: made by this run, or kept from the previous cache text
/// (copied from it when the cache is stored, never held twice in memory).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line {
    New(String),
    Kept {
        /// Which text the range is in ([`text_id`]).
        text: (usize, usize),
        at: std::ops::Range<usize>,
    },
}

/// Tells one cache text in memory from another: its address and length.
fn text_id(text: &str) -> (usize, usize) {
    (text.as_ptr() as usize, text.len())
}

impl Entries {
    /// Records `page`, read from bytes of hash `bytes_hash`, as its
    /// [`head`], and that head in `shape`; `reused` when it came from `from`
    /// (its line is copied, not serialized again). `facts` are the page's
    /// [`PageFacts`] when the caller computed them already (in parallel,
    /// for every page not reused). Returns the hash of its whole model
    /// (what its resource is made from), or `None` when its head cannot be
    /// serialized.
    pub fn page(
        &mut self,
        page: &Page,
        bytes_hash: u64,
        reused: bool,
        from: Option<&Reuse>,
        shape: &mut Shape,
        facts: Option<PageFacts>,
    ) -> Option<u64> {
        if let Some(from) = from.filter(|_| reused) {
            if let Some(kept) = self.kept_page(&page.source, from) {
                shape.page(&page.source, Some(kept.head));
                return Some(kept.model);
            }
        }
        let PageFacts { head, model, line } =
            facts.unwrap_or_else(|| PageFacts::of(page, bytes_hash));
        shape.page(&page.source, head.as_deref());
        self.lines.push(Line::New(line?));
        Some(model)
    }

    /// Records the page at `path`, read from bytes of hash `bytes_hash`, of
    /// [`stored_head`] `head` and [`model_hash`] `model` (both computed
    /// already; the caller adds the head to its [`Shape`]).
    pub(crate) fn new_page(
        &mut self,
        path: &str,
        bytes_hash: u64,
        head: &str,
        model: u64,
    ) -> Option<()> {
        self.lines
            .push(Line::New(page_line(path, bytes_hash, head, model)?));
        Some(())
    }

    /// Records the page at `path` as `from` holds it (its line copied);
    /// returns that line (its head and model hash), `None` (nothing
    /// recorded) when `from` has none for it.
    pub(crate) fn kept_page<'c>(&mut self, path: &str, from: &Reuse<'c>) -> Option<PageLine<'c>> {
        let p = from.page_line(path)?;
        self.lines.push(from.kept(p.line));
        Some(p)
    }

    /// Records the resolved resource `r`, made from inputs of key `input`:
    /// its `files` (path and [`hash`]) and `diagnostics`; or, when `reused`,
    /// copies its line from `from`. `record` is its [`ResourceRecord`] when
    /// the caller made it already (in parallel, for every resource not
    /// reused).
    pub fn resource(
        &mut self,
        r: &RResource,
        input: u64,
        files: &[(String, u64)],
        diagnostics: &[Diagnostic],
        reused: Option<&Reuse>,
        record: Option<ResourceRecord>,
    ) {
        if let Some(l) = reused.and_then(|from| from.kept_resource(&r.res.id.to_string())) {
            self.lines.push(l);
            return;
        }
        let record = record.unwrap_or_else(|| ResourceRecord::of(r, input, files, diagnostics));
        if let Some(line) = record.line {
            self.lines.push(Line::New(line));
        }
        self.hashes.extend(record.files);
    }

    /// Copies the line of the resource `id` from `from`.
    pub(crate) fn kept_resource(&mut self, id: &str, from: &Reuse) {
        if let Some(l) = from.kept_resource(id) {
            self.lines.push(l);
        }
    }

    /// Writes the cache text: fingerprint, `stamp` (or none) and the
    /// entries; kept lines are copied from `previous`'s text (a kept line
    /// of another text is left out: a miss next time, not a wrong entry).
    fn render_to(
        &self,
        w: &mut impl std::io::Write,
        stamp: Option<&Stamp>,
        previous: Option<&Reuse>,
    ) -> std::io::Result<()> {
        let json = stamp
            .and_then(|s| serde_json::to_string(s).ok())
            .unwrap_or_else(|| "-".into());
        use std::io::Write as _;
        // Built whole, for the hash of the last line (see `intact`).
        let mut text = Vec::with_capacity(previous.map_or(0, |p| p.text.len()) + json.len());
        writeln!(text, "{}\nstamp {json}", fingerprint())?;
        for l in &self.lines {
            let line = match l {
                Line::New(s) => s.as_str(),
                Line::Kept { text, at } => match previous {
                    Some(p) if text_id(p.text) == *text => &p.text[at.clone()],
                    _ => continue,
                },
            };
            text.extend_from_slice(line.as_bytes());
            text.push(b'\n');
        }
        let sum = hash(&text);
        w.write_all(&text)?;
        writeln!(w, "{END}{sum:016x}")
    }

    /// [`Entries::render_to`] into a string, without kept lines.
    #[cfg(test)]
    fn render(&self, stamp: Option<&Stamp>) -> String {
        let mut out = Vec::new();
        self.render_to(&mut out, stamp, None).expect("in memory");
        String::from_utf8(out).expect("UTF-8")
    }
}

/// What a cache entry records of a resource rendered anew: its entry line
/// and the [`hash`] of each of its files. Hashing the files is most of the
/// cost of recording a resource; it is done for each resource apart, so a
/// run does it in parallel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRecord {
    /// Its entry line (`None` when it cannot be serialized).
    line: Option<String>,
    /// Its files: path and hash.
    files: Vec<(String, u64)>,
}

impl ResourceRecord {
    /// The record of `r`, made from inputs of key `input`, that produced
    /// `files` (path and [`hash`]) and `diagnostics`.
    pub fn of(
        r: &RResource,
        input: u64,
        files: &[(String, u64)],
        diagnostics: &[Diagnostic],
    ) -> Self {
        let entry = ResourceEntry::of(r, input, files, diagnostics);
        ResourceRecord {
            line: entry.body().map(|body| line("res", &body)),
            files: entry.files,
        }
    }
}

/// The entry line of the page at `path`, read from bytes of hash
/// `bytes_hash`, of [`stored_head`] `head` and [`model_hash`] `model`.
fn page_line(path: &str, bytes_hash: u64, head: &str, model: u64) -> Option<String> {
    let path = serde_json::to_string(path).ok()?;
    Some(line(
        "page",
        &format!("{bytes_hash:016x} {model:016x} {path}\t{head}"),
    ))
}

/// What a cache entry records of a parsed page: its [`stored_head`],
/// [`model_hash`] and entry line. Computing them is the cost of recording a
/// page; it is done for each page apart, so a run does it in parallel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFacts {
    /// The page's [`stored_head`].
    pub head: Option<String>,
    /// The page's [`model_hash`].
    pub model: u64,
    /// Its entry line (`None` when its head cannot be serialized).
    line: Option<String>,
}

impl PageFacts {
    /// The facts of `page`, read from bytes of hash `bytes_hash`.
    pub fn of(page: &Page, bytes_hash: u64) -> Self {
        let head = stored_head(page);
        let model = model_hash(page);
        let line = head
            .as_deref()
            .and_then(|h| page_line(&page.source, bytes_hash, h, model));
        PageFacts { head, model, line }
    }
}

/// The hash of a page's whole model (every field, by its derived `Hash`),
/// what its resource is made from.
pub(crate) fn model_hash(page: &Page) -> u64 {
    let mut h = hasher();
    std::hash::Hash::hash(page, &mut h);
    h.finish()
}

/// The hash of a crate's *shape*: the run's [`settings_key`] and, for every
/// page in order, its path and [`head`] (its kind, diagnostics, resource id
/// and name, and whether it lists permissions or links to another page's),
/// `None` for a page that has none (unreadable, a link). The module tree,
/// every resource's names, which resource a view inherits from, the
/// crate-level files and the warnings of pages follow from it; an edit
/// inside a page (a description, a field, a permission) changes its model,
/// not the shape. See [`crate::Config::write_to`].
#[derive(Clone)]
pub struct Shape(foldhash::quality::FoldHasher<'static>);

impl std::fmt::Debug for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Shape").field(&self.finish()).finish()
    }
}

impl Shape {
    /// The shape of a run of settings key `settings`, before any page.
    pub fn new(settings: u64) -> Self {
        let mut h = hasher();
        h.write_u64(settings);
        Shape(h)
    }

    /// Adds the page at `path`, of head `head` (its [`stored_head`] text).
    pub fn page(&mut self, path: &str, head: Option<&str>) {
        text(&mut self.0, path);
        match head {
            Some(h) => {
                self.0.write_u8(1);
                text(&mut self.0, h);
            }
            None => self.0.write_u8(0),
        }
    }

    /// The hash.
    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// The key of a resource's output: the run's [`settings_key`], its page's
/// path and model (`model_hash`, from [`Entries::page`]: an edit that
/// changes no part of the model, such as prose outside every section the
/// parser reads, renders nothing again), what resolving it takes from
/// outside its page: its module name, file and inception lints (decided over
/// the whole crate) and, for a view, the page and model hash of the `base`
/// resource it inherits its permissions from (`None`: not a view, or its
/// base is missing). Whether it goes through Cloud Control follows from
/// these (the settings, its provider, a view's base listing permissions).
pub fn resource_key(
    settings: u64,
    model_hash: u64,
    r: &RResource,
    base: Option<(&str, u64)>,
) -> u64 {
    let mut h = hasher();
    h.write_u64(settings);
    h.write_u64(model_hash);
    for s in [&r.res.source, &r.module, &r.file, &r.policy_file] {
        text(&mut h, s);
    }
    let i = r.inception;
    h.write_u8(u8::from(i.in_service) | u8::from(i.permissions) << 1 | u8::from(i.methods) << 2);
    if let Some((source, model)) = base {
        text(&mut h, source);
        h.write_u64(model);
    }
    h.finish()
}

/// Hashes a string with its length (so that concatenations differ).
fn text(h: &mut impl Hasher, s: &str) {
    h.write_usize(s.len());
    h.write(s.as_bytes());
}

/// The key of a run's settings: the generator, every setting that affects
/// the output (`mode` says which kind of output and, for build-script mode,
/// where: `bindings.rs` names its absolute path; `out` decides the runtime's
/// relative path). The specs directory's own path is left out: the output
/// does not depend on it.
pub fn settings_key(config: &Config, mode: &str, out: Option<&Path>) -> u64 {
    let mut h = hasher();
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
    h.finish()
}

/// The key of a run: its [`settings_key`] and every page's path and bytes.
pub fn key(settings: u64, inputs: &Inputs) -> u64 {
    let mut h = hasher();
    h.write_u64(settings);
    h.write_usize(inputs.files.len());
    for ((f, t), hash) in inputs.files.iter().zip(&inputs.texts).zip(&inputs.hashes) {
        text(&mut h, &f.relative);
        h.write_u8(u8::from(f.link));
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
    /// The files written or kept, as the write took them (the manifest is
    /// stamped with them).
    pub files: &'a [write::Planned<'a>],
    /// The entries to store beside the stamp.
    pub entries: &'a Entries,
    /// The cache of the previous write: a file it stamped that is still as
    /// stamped is not hashed again.
    pub previous: Option<&'a Reuse<'a>>,
    /// Resources generated.
    pub resources: usize,
    /// Resource pages left out.
    pub left_out: &'a [String],
    /// Warnings of the run, as printed.
    pub warnings: &'a [String],
    /// The run's [`Shape`].
    pub shape: u64,
    /// See [`Stamp::shape_warnings`].
    pub shape_warnings: usize,
}

/// Stores the cache of the write `w` into `out`: its per-resource entries
/// and, when every file written can be stat'ed, its [`Stamp`]. `stats` are
/// the write's own of `w.files` (see [`write::Stats`]); the other files
/// are stat'ed.
pub fn store(out: &Path, w: &Written, stats: &write::Stats) -> std::io::Result<()> {
    let manifest = write::manifest_text(w.files.iter().map(|f| f.path));
    let mut files = vec![(write::MANIFEST, Some(manifest.as_bytes()), None)];
    files.extend(
        w.files
            .iter()
            .zip(stats.iter().chain(std::iter::repeat(&None)))
            .map(|(f, stat)| (f.path, f.bytes, stat.as_ref())),
    );
    let stamps: Option<Vec<FileStamp>> = files
        .par_iter()
        .map(|(path, bytes, stat)| {
            let known = w.entries.hashes.get(*path).copied();
            FileStamp::of(out, path, bytes.map(|b| (b, known)), *stat, w.previous)
        })
        .collect();
    let stamp = stamps.map(|files| Stamp {
        key: w.key,
        resources: w.resources,
        left_out: w.left_out.to_vec(),
        warnings: w.warnings.to_vec(),
        files,
        shape: w.shape,
        shape_warnings: w.shape_warnings,
    });
    write::write_atomic_with(&out.join(CACHE), |f| {
        w.entries.render_to(f, stamp.as_ref(), w.previous)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache in `out` holding `entries` (no stamp).
    fn stored(out: &Path, entries: &Entries) -> Cache {
        std::fs::write(out.join(CACHE), entries.render(None)).unwrap();
        Cache::load(Some(out))
    }

    #[test]
    fn pages_come_back_only_for_the_same_bytes_and_an_intact_line() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let page = crate::parse::parse_page("p/s/r/index.md", "# r\n\nNot a resource page.\n");
        let mut entries = Entries::default();
        entries.page(&page, 7, false, None, &mut Shape::new(0), None);
        let cache = stored(out, &entries);
        let reuse = cache.reuse();
        let back = reuse.page("p/s/r/index.md", 7).expect("cached");
        assert_eq!(
            serde_json::to_string(&back).unwrap(),
            serde_json::to_string(&page).unwrap()
        );
        assert!(reuse.page("p/s/r/index.md", 8).is_none(), "other bytes");
        assert!(reuse.page("p/s/other.md", 7).is_none(), "other page");
        // Stored again as it was, without serializing it again.
        let mut again = Entries::default();
        again.page(&back, 7, true, Some(&reuse), &mut Shape::new(0), None);
        assert!(matches!(again.lines[..], [Line::Kept { .. }]));
        let mut copied = Vec::new();
        again.render_to(&mut copied, None, Some(&reuse)).unwrap();
        assert_eq!(String::from_utf8(copied).unwrap(), entries.render(None));
        // Against another text, a kept line is left out, never misread.
        let other = Cache::load(Some(out));
        let mut cut = Vec::new();
        again
            .render_to(&mut cut, None, Some(&other.reuse()))
            .unwrap();
        assert_eq!(
            String::from_utf8(cut).unwrap(),
            Entries::default().render(None)
        );

        // A line changed behind the cache's back is not trusted.
        let text = std::fs::read_to_string(out.join(CACHE)).unwrap();
        let tampered = text.replacen("not a resource page", "not a resource pagf", 1);
        assert_ne!(tampered, text);
        std::fs::write(out.join(CACHE), &tampered).unwrap();
        assert!(Cache::load(Some(out))
            .reuse()
            .page("p/s/r/index.md", 7)
            .is_none());
        // Nor a line that is cut short, nor garbage.
        let cut = &text[..text.len() - 10];
        std::fs::write(out.join(CACHE), cut).unwrap();
        assert!(Cache::load(Some(out))
            .reuse()
            .page("p/s/r/index.md", 7)
            .is_none());
        std::fs::write(
            out.join(CACHE),
            format!("{}\nstamp -\npage 1 2 \"x\"\t{{\n\0ÿ", fingerprint()),
        )
        .unwrap();
        assert!(Cache::load(Some(out)).reuse().pages.is_empty());
        // A cache of another build of the generator is ignored whole.
        std::fs::write(out.join(CACHE), text.replacen(&fingerprint(), "other", 1)).unwrap();
        assert!(Cache::load(Some(out)).reuse().pages.is_empty());
    }

    #[test]
    fn a_resource_page_comes_back_as_its_head_with_the_hash_of_its_whole_model() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let rel = "aws/connect/integration_associations/index.md";
        let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        let text = std::fs::read_to_string(specs.join(rel)).unwrap();
        let page = crate::parse::parse_page(rel, &text);
        let whole = page.resource.as_ref().unwrap();
        assert!(!whole.fields.is_empty() && !whole.methods.is_empty());
        let mut entries = Entries::default();
        let model = entries
            .page(&page, 7, false, None, &mut Shape::new(0), None)
            .unwrap();
        let cache = stored(out, &entries);
        let back = cache.reuse().page(rel, 7).expect("cached");
        assert_eq!(back, head(&page), "the head comes back as it was stored");
        let r = back.resource.as_ref().unwrap();
        // What selecting, naming and permissions need is there ...
        assert_eq!(
            (&r.id, &r.source, r.line),
            (&whole.id, &whole.source, whole.line)
        );
        assert_eq!(back.diagnostics, page.diagnostics);
        // The permissions a page lists are only rendered: they are left out.
        assert!(
            matches!(&whole.permissions, Permissions::Listed { operations } if !operations.is_empty())
        );
        assert_eq!(
            r.permissions,
            Permissions::Listed {
                operations: Vec::new()
            }
        );
        // ... what only rendering needs is not.
        assert!(r.fields.is_empty() && r.methods.is_empty() && r.examples.is_empty());
        // The model hash covers the whole model: a change only rendering
        // sees changes it.
        let mut edited = page.clone();
        edited.resource.as_mut().unwrap().fields.pop();
        let other = Entries::default()
            .page(&edited, 7, false, None, &mut Shape::new(0), None)
            .unwrap();
        assert_ne!(model, other);
        assert_eq!(head(&edited).resource, head(&page).resource);
    }

    #[test]
    fn heads_of_views_and_of_pages_without_permissions_come_back_as_stored() {
        let dir = tempfile::tempdir().unwrap();
        let mut entries = Entries::default();
        let mut pages = Vec::new();
        for (name, permissions) in [
            (
                "things_list_only",
                Permissions::SeeAlso {
                    href: "/providers/p/s/things/#permissions".into(),
                    resource: "things".into(),
                    line: 9,
                },
            ),
            ("others", Permissions::None),
        ] {
            let mut r = Resource::empty("s", name);
            r.source = format!("p/s/{name}/index.md");
            r.permissions = permissions;
            let page = Page {
                source: r.source.clone(),
                kind: PageKind::Resource,
                resource: Some(r),
                diagnostics: Vec::new(),
            };
            entries
                .page(&page, 1, false, None, &mut Shape::new(0), None)
                .unwrap();
            pages.push(page);
        }
        let cache = stored(dir.path(), &entries);
        for page in &pages {
            let back = cache.reuse().page(&page.source, 1).expect("cached");
            assert_eq!(back, head(page));
            assert_eq!(back.resource, page.resource);
        }
    }

    #[test]
    fn resources_come_back_only_with_the_same_key_and_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let res = crate::resolve::empty_resources("p.s.r");
        let krate = crate::resolve::resolve(&res, false, &mut Vec::new());
        let r = &krate.resources[0];
        let file = OutFile {
            path: "src/p/s/r.rs".into(),
            contents: "// r\n".into(),
        };
        std::fs::create_dir_all(out.join("src/p/s")).unwrap();
        std::fs::write(out.join(&file.path), &file.contents).unwrap();
        let key = resource_key(1, 2, r, None);
        assert_ne!(key, resource_key(1, 3, r, None), "the page's bytes count");
        assert_ne!(key, resource_key(4, 2, r, None), "the settings count");
        let base = resource_key(1, 2, r, Some(("p/s/b/index.md", 5)));
        assert_ne!(key, base, "a view's base counts");
        assert_ne!(
            base,
            resource_key(1, 2, r, Some(("p/s/b/index.md", 6))),
            "its model"
        );
        assert_ne!(
            base,
            resource_key(1, 2, r, Some(("p/s/c/index.md", 5))),
            "its page"
        );
        let warn = Diagnostic::new(
            "p/s/r/index.md",
            3,
            crate::diagnostic::Severity::Warning,
            crate::diagnostic::Kind::PermissionsLink,
            "w",
        );
        let mut entries = Entries::default();
        let hashed = [(file.path.clone(), hash(file.contents.as_bytes()))];
        entries.resource(r, key, &hashed, std::slice::from_ref(&warn), None, None);
        let cache = stored(out, &entries);
        let reuse = cache.reuse();
        // No stamp vouches for the file: it is read back and hashed.
        let read = Reused {
            read: vec![file.clone()],
            kept: Vec::new(),
        };
        assert_eq!(reuse.resource(r, key), Some((vec![warn.clone()], read)));
        assert_eq!(reuse.resource(r, key + 1), None);
        // Stamped before the cache was written: kept without being read.
        let past = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        std::fs::File::options()
            .write(true)
            .open(out.join(&file.path))
            .unwrap()
            .set_modified(past)
            .unwrap();
        let stamp = Stamp {
            files: vec![
                FileStamp::of(out, &file.path, Some((b"// r\n", None)), None, None).unwrap(),
            ],
            ..Stamp::default()
        };
        std::fs::write(out.join(CACHE), entries.render(Some(&stamp))).unwrap();
        let cache = Cache::load(Some(out));
        let reuse = cache.reuse();
        let kept = Reused {
            read: Vec::new(),
            kept: vec![file.path.clone()],
        };
        assert_eq!(reuse.resource(r, key), Some((vec![warn], kept)));
        // A hand edit of the file (same size, so only the time tells):
        // rendered again.
        std::fs::write(out.join(&file.path), "// R\n").unwrap();
        assert_eq!(reuse.resource(r, key), None);
        std::fs::remove_file(out.join(&file.path)).unwrap();
        assert_eq!(reuse.resource(r, key), None);
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
            files: vec![FileStamp::of(out, "a.rs", Some((b"one", None)), None, None).unwrap()],
            shape: 7,
            shape_warnings: 1,
        };
        std::fs::write(out.join(CACHE), Entries::default().render(Some(&stamp))).unwrap();
        let c = Cache::load(Some(out));
        assert_eq!(c.stamp(), Some(&stamp));
        assert_eq!(c.unchanged(42), Some(&stamp));
        assert_eq!(c.unchanged(43), None);
        // Same size and (likely) the same clock tick: the hash catches it.
        std::fs::write(out.join("a.rs"), "two").unwrap();
        assert_eq!(Cache::load(Some(out)).unchanged(42), None);
        // The stamp's own text changed (a warning, the count of warnings
        // the shape gives): the cache is not read at all.
        std::fs::write(out.join("a.rs"), "one").unwrap();
        let text = Entries::default().render(Some(&stamp));
        for (from, to) in [
            ("[\"w\"]", "[\"x\"]"),
            ("\"shape_warnings\":1", "\"shape_warnings\":0"),
        ] {
            let changed = text.replacen(from, to, 1);
            assert_ne!(changed, text, "{from}");
            std::fs::write(out.join(CACHE), changed).unwrap();
            assert_eq!(Cache::load(Some(out)).stamp(), None, "{from}");
        }
    }

    #[test]
    fn entry_lines_dropped_repeated_or_moved_void_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let mut entries = Entries::default();
        for (i, path) in ["p/s/a/index.md", "p/s/b/index.md"].iter().enumerate() {
            let page = crate::parse::parse_page(path, "# r\n\nNot a resource page.\n");
            entries.page(&page, i as u64, false, None, &mut Shape::new(0), None);
        }
        let text = entries.render(None);
        std::fs::write(out.join(CACHE), &text).unwrap();
        assert!(Cache::load(Some(out))
            .reuse()
            .page("p/s/a/index.md", 0)
            .is_some());
        let lines: Vec<&str> = text.lines().collect();
        // fingerprint, stamp, two pages, end
        assert_eq!(lines.len(), 5, "{text}");
        let variants = [
            vec![lines[0], lines[1], lines[3], lines[4]],
            vec![lines[0], lines[1], lines[2], lines[2], lines[3], lines[4]],
            vec![lines[0], lines[1], lines[3], lines[2], lines[4]],
            vec![lines[0], lines[1], lines[2], lines[3]],
        ];
        for v in variants {
            let changed = v.join("\n") + "\n";
            std::fs::write(out.join(CACHE), &changed).unwrap();
            let cache = Cache::load(Some(out));
            assert!(
                cache.reuse().page("p/s/a/index.md", 0).is_none(),
                "{changed}"
            );
            assert!(cache.reuse().pages.is_empty(), "{changed}");
        }
        // The bytes back but a newer time: not trusted either.
        std::fs::write(out.join("a.rs"), "one").unwrap();
        let mut later = FileStamp::of(out, "a.rs", Some((b"one", None)), None, None).unwrap();
        later.mtime += 1;
        assert!(!later.holds(out, u128::MAX));
        std::fs::remove_file(out.join("a.rs")).unwrap();
        assert_eq!(Cache::load(Some(out)).unchanged(42), None);
    }
}
