//! A regeneration that reuses the cache of its output directory (pages not
//! parsed again, resources not resolved or rendered again) writes exactly
//! what a fresh generation from the same specs writes: every file byte for
//! byte, the same warnings, the same pages left out. Checked over a real
//! corpus slice (`current/aws/s3`, whose `_list_only` and `_tags` views take
//! their permissions from a base page, plus `aws/sqs`) through a sequence of
//! edits: a base page's permissions, a deleted page, an added page, a page
//! that no longer parses, a page whose id moves to another service, a
//! duplicate id, a hand-edited output file, and corrupt or foreign caches.
//! Skipped, saying so, when the corpus is absent; `.ci/run` requires it.

mod common;

use stackql_codegen::{Config, Outcome};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The cache file's name in an output directory.
const CACHE: &str = ".stackql-codegen-cache";

/// Every file under `dir` but the cache: relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if rel != CACHE {
                    out.insert(rel, std::fs::read(&path).unwrap());
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A specs tree to edit, an output directory regenerated in place, and a
/// fresh output directory per comparison (all at the same depth, so the
/// runtime's relative path is the same).
struct Bench {
    root: tempfile::TempDir,
    specs: PathBuf,
    fresh: usize,
}

impl Bench {
    fn config(&self) -> Config {
        let mut c = Config::new();
        c.specs(&self.specs).allow_partial(true);
        c
    }

    fn inc(&self) -> PathBuf {
        self.root.path().join("out").join("inc")
    }

    fn page(&self, rel: &str) -> PathBuf {
        self.specs.join(rel)
    }

    /// Regenerates in place and generates fresh; asserts both wrote the
    /// same and that the regeneration did not skip. Returns the tree.
    fn same_as_fresh(&mut self, step: &str) -> BTreeMap<String, Vec<u8>> {
        let inc = self.config().write_to(&self.inc()).unwrap();
        assert!(
            !inc.skipped,
            "{step}: the specs changed, the run must not skip"
        );
        self.fresh += 1;
        let fresh_dir = self
            .root
            .path()
            .join("out")
            .join(format!("fresh{}", self.fresh));
        let fresh = self.config().write_to(&fresh_dir).unwrap();
        assert_same_outcome(step, &inc, &fresh);
        let (a, b) = (tree(&self.inc()), tree(&fresh_dir));
        let paths = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
        assert_eq!(paths(&a), paths(&b), "{step}: the same files");
        for (path, bytes) in &a {
            assert!(
                *bytes == b[path],
                "{step}: {path} differs from a fresh generation"
            );
        }
        a
    }
}

fn assert_same_outcome(step: &str, inc: &Outcome, fresh: &Outcome) {
    assert_eq!(inc.warnings, fresh.warnings, "{step}: warnings");
    assert_eq!(inc.left_out, fresh.left_out, "{step}: pages left out");
    assert_eq!(inc.resources, fresh.resources, "{step}: resources");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// New bytes for a page that generates nothing (a service index).
fn touch(path: &Path) {
    let mut text = std::fs::read_to_string(path).unwrap();
    text.push('\n');
    std::fs::write(path, text).unwrap();
}

#[test]
fn regeneration_after_edits_is_byte_for_byte_a_fresh_generation() {
    let corpus = require_corpus!();
    let root = tempfile::tempdir().unwrap();
    let specs = root.path().join("specs");
    for slice in ["aws/s3", "aws/sqs"] {
        copy_tree(&corpus.join("current").join(slice), &specs.join(slice));
    }
    let mut b = Bench {
        root,
        specs,
        fresh: 0,
    };
    let first = b.config().write_to(&b.inc()).unwrap();
    assert!(!first.skipped);
    assert!(
        b.config().write_to(&b.inc()).unwrap().skipped,
        "nothing changed"
    );
    let before = tree(&b.inc());
    let view_policy = "policies/aws/s3/buckets_list_only.json";
    let tags_policy = "policies/aws/s3/bucket_tags.json";
    assert!(before.contains_key(view_policy) && before.contains_key(tags_policy));

    // A base page's permissions change: its views' policies follow.
    let buckets = b.page("aws/s3/buckets/index.md");
    edit(&buckets, "s3:ListAllMyBuckets", "s3:ListAllMyBucketsEdited");
    edit(&buckets, "s3:GetBucketTagging", "s3:GetBucketTaggingEdited");
    let after = b.same_as_fresh("base page permissions");
    for p in [view_policy, tags_policy, "policies/aws/s3/buckets.json"] {
        assert_ne!(before[p], after[p], "{p} follows its base page");
    }
    assert_eq!(
        before["policies/aws/sqs/queues.json"], after["policies/aws/sqs/queues.json"],
        "an unrelated policy stays"
    );

    // The base page loses its permissions: the views get none, and a warning.
    let text = std::fs::read_to_string(&buckets).unwrap();
    let cut = text.find("## Permissions").expect("a Permissions section");
    std::fs::write(&buckets, &text[..cut]).unwrap();
    let after = b.same_as_fresh("base page without permissions");
    assert!(!after.contains_key(view_policy));
    std::fs::write(&buckets, &text).unwrap();
    b.same_as_fresh("base page restored");

    // A deleted page, and a page added.
    std::fs::remove_dir_all(b.page("aws/s3/storage_lens_tags")).unwrap();
    let after = b.same_as_fresh("deleted page");
    assert!(!after.contains_key("policies/aws/s3/storage_lens_tags.json"));
    copy_tree(
        &corpus.join("current/aws/s3/storage_lens_tags"),
        &b.page("aws/s3/storage_lens_tags"),
    );
    b.same_as_fresh("added page");

    // A page that no longer parses as a resource page.
    let access_points = b.page("aws/s3/access_points/index.md");
    let text = std::fs::read_to_string(&access_points).unwrap();
    std::fs::write(
        &access_points,
        "---\ntitle: broken\n---\n\n## Overview\n<table>\n",
    )
    .unwrap();
    b.same_as_fresh("unparsable page");
    std::fs::write(&access_points, &text).unwrap();
    b.same_as_fresh("page parses again");

    // A page whose id moves to another service (sqs): names there change.
    let policies = b.page("aws/s3/bucket_policies/index.md");
    let text = std::fs::read_to_string(&policies).unwrap();
    std::fs::write(
        &policies,
        text.replace("aws.s3.bucket_policies", "aws.sqs.queues_2"),
    )
    .unwrap();
    let after = b.same_as_fresh("id moved to another service");
    assert!(after.keys().any(|p| p.starts_with("src/aws/sqs/queues_2")));
    std::fs::write(&policies, &text).unwrap();
    b.same_as_fresh("id moved back");

    // A second page with a taken id: the first in path order wins, until
    // it is deleted.
    copy_tree(&b.page("aws/s3/buckets"), &b.page("aws/s3/buckets_copy"));
    edit(
        &b.page("aws/s3/buckets_copy/index.md"),
        "s3:CreateBucket",
        "s3:CreateBucketCopy",
    );
    b.same_as_fresh("duplicate id");
    std::fs::remove_dir_all(b.page("aws/s3/buckets")).unwrap();
    let after = b.same_as_fresh("duplicate id, the first page deleted");
    assert!(
        String::from_utf8_lossy(&after["policies/aws/s3/buckets.json"])
            .contains("CreateBucketCopy")
    );

    // A hand edit of an output file is never kept, even when the page that
    // made it is unchanged.
    let file = b.inc().join("src/aws/sqs/queues.rs");
    std::fs::write(&file, "// edited by hand\n").unwrap();
    touch(&b.page("aws/sqs/index.md"));
    b.same_as_fresh("hand-edited output");

    // A corrupt cache (bytes flipped in the middle of its lines), a cache
    // cut short, and a cache of another build: ignored, never trusted.
    let cache = b.inc().join(CACHE);
    let text = std::fs::read_to_string(&cache).unwrap();
    let corrupt: String = text
        .lines()
        .map(|l| {
            if l.len() > 200 {
                l.replacen("aws", "awz", 1).replacen("Get", "Gex", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(corrupt, text);
    std::fs::write(&cache, corrupt).unwrap();
    touch(&b.page("aws/sqs/index.md"));
    b.same_as_fresh("corrupt cache");
    let text = std::fs::read_to_string(&cache).unwrap();
    std::fs::write(&cache, &text[..text.len() * 2 / 3]).unwrap();
    touch(&b.page("aws/sqs/index.md"));
    b.same_as_fresh("cache cut short");
    let text = std::fs::read_to_string(&cache).unwrap();
    let (_, rest) = text.split_once('\n').unwrap();
    std::fs::write(&cache, format!("0.0.0 another-build\n{rest}")).unwrap();
    touch(&b.page("aws/sqs/index.md"));
    b.same_as_fresh("foreign cache");
    std::fs::remove_file(&cache).unwrap();
    touch(&b.page("aws/sqs/index.md"));
    b.same_as_fresh("no cache");
}
