//! Reusing unchanged output. After a write, `.stackql-codegen-cache` in the
//! output directory records, per resource file, a hash of its input (the
//! resolved resource) and of the bytes written, under the generator's own
//! fingerprint. On the next run a file whose input hash matches and whose
//! bytes still hash the same is taken as it is instead of being rendered and
//! formatted again; a hand edit changes its hash, so it is never kept. The
//! cache only saves work: deleting it changes no output, and `--check`
//! never uses it.

use super::resource;
use crate::resolve::RResource;
use std::collections::HashMap;
use std::path::Path;

/// The cache file's name in an output directory.
pub const CACHE: &str = ".stackql-codegen-cache";

/// FNV-1a, 64 bits: small, fast and stable across toolchains.
pub fn fnv(bytes: &[u8]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x100_0000_01b3);
    }
    hash
}

fn fingerprint() -> String {
    format!(
        "{} {}",
        env!("CARGO_PKG_VERSION"),
        env!("STACKQL_CODEGEN_FINGERPRINT")
    )
}

/// The cache of a previous run: path → (input hash, output hash).
#[derive(Debug, Default)]
pub struct Cache {
    dir: Option<std::path::PathBuf>,
    entries: HashMap<String, (u64, u64)>,
}

impl Cache {
    /// Loads the cache of `dir`; empty when missing, unreadable or written by
    /// another build of the generator.
    pub fn load(dir: Option<&Path>) -> Cache {
        let Some(dir) = dir else {
            return Cache::default();
        };
        let text = std::fs::read_to_string(dir.join(CACHE)).unwrap_or_default();
        let mut lines = text.lines();
        let mut cache = Cache {
            dir: Some(dir.to_path_buf()),
            entries: HashMap::new(),
        };
        if lines.next() != Some(fingerprint().as_str()) {
            return cache;
        }
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

    /// The text of a cache recording `entries` (path, input hash, output text).
    pub fn render<'a>(entries: impl Iterator<Item = (&'a str, u64, &'a str)>) -> String {
        let mut out = fingerprint();
        out.push('\n');
        for (path, input, text) in entries {
            out.push_str(&format!(
                "{path} {input:016x} {:016x}\n",
                fnv(text.as_bytes())
            ));
        }
        out
    }
}

/// The input hash of a resource module.
pub fn input_hash(r: &RResource) -> u64 {
    fnv(format!("{r:?}").as_bytes())
}

/// The resource's module text: the previous file when the cache vouches for
/// it, else rendered and formatted; with its input hash.
pub fn resource_file(r: &RResource, path: &str, cache: &Cache) -> Result<(String, u64), String> {
    let input = input_hash(r);
    if let (Some(dir), Some((i, o))) = (&cache.dir, cache.entries.get(path)) {
        if *i == input {
            if let Ok(old) = std::fs::read_to_string(dir.join(path)) {
                if fnv(old.as_bytes()) == *o {
                    return Ok((old, input));
                }
            }
        }
    }
    let body = super::format_file(resource::tokens(r, &super::normalize))?;
    Ok((format!("{}{body}", super::header(&r.res.source)), input))
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
        assert_eq!(c.entries["src/a.rs"], (7, fnv(b"x")));
        std::fs::write(
            dir.path().join(CACHE),
            text.replacen(&fingerprint(), "other", 1),
        )
        .unwrap();
        assert!(Cache::load(Some(dir.path())).entries.is_empty());
    }
}
