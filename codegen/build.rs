//! Fingerprints the generator's own sources, so that output reused by hash
//! (see `cache.rs`) is never stale after the generator changes.

use std::path::Path;

fn fnv(hash: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *hash ^= u64::from(*b);
        *hash = hash.wrapping_mul(0x100_0000_01b3);
    }
}

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, files);
        } else if p.extension().is_some_and(|x| x == "rs") {
            files.push(p);
        }
    }
}

fn main() {
    // Read when the script runs, not when it was compiled: a target dir
    // moved from another checkout must fingerprint this one.
    let root = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let mut files = Vec::new();
    // The runtime decides policy contents (action normalisation).
    for dir in [root.join("src"), root.join("../runtime/src")] {
        // A directory: cargo reruns the script when a file is added to it.
        println!("cargo:rerun-if-changed={}", dir.display());
        walk(&dir, &mut files);
    }
    files.sort();
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        // Contents only: the fingerprint must not depend on where the repo is.
        fnv(&mut hash, &std::fs::read(f).unwrap_or_default());
    }
    println!("cargo:rustc-env=STACKQL_CODEGEN_FINGERPRINT={hash:016x}");
}
