//! A regeneration whose crate keeps its shape ([`cache::Shape`]): the
//! settings, and every page's path and head. The module tree, every
//! resource's names, which resource a view inherits its permissions from,
//! the crate-level files and the warnings of the pages all follow from the
//! shape, so when it is the one the previous write recorded, none of it is
//! decided again: only the pages whose bytes changed are parsed, only the
//! resources made from a model that changed (a page's own, and the views
//! inheriting from it) are resolved, under the names the previous write
//! recorded, and rendered; every other file, cache entry and warning is the
//! previous write's. An edit inside a page (a description, a field, a
//! permission) keeps the shape; anything else (a page added, removed or
//! unreadable, a head that changed, an output file that is not as the
//! previous write left it, a resource whose files would change their
//! paths) goes the whole way ([`Config::generate_from`]), which writes the
//! same bytes: the quick path is only ever a shortcut to them.

use super::{gitignore, write_recorded, Inputs, Outcome, Stage, GITIGNORE};
use crate::cache::{self, PageLine, ResourceEntry, Reuse, Stamp};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::emit::{self, OutFile};
use crate::error::Result;
use crate::model::Resource;
use crate::parse::Page;
use crate::resolve::{self, RResource};
use crate::specs;
use crate::write::{self, Output, WriteOptions};
use rayon::prelude::*;
use std::path::Path;

/// What a regeneration starts from.
pub(super) struct Run<'r, 'c> {
    /// The pages, read.
    pub(super) inputs: &'r Inputs,
    /// The run's settings key ([`cache::settings_key`]).
    pub(super) settings: u64,
    /// The run's key ([`cache::key`]).
    pub(super) key: u64,
    /// The stamp of the previous write.
    pub(super) previous: &'r Stamp,
    /// The previous write's cache entries.
    pub(super) reuse: &'r Reuse<'c>,
}

/// A page of the run, against the previous write's line for it.
enum Seen<'c> {
    /// The same bytes: its head and model are the line's.
    Same(PageLine<'c>),
    /// Other bytes, parsed again.
    Changed {
        page: Box<Page>,
        head: String,
        model: u64,
        was: PageLine<'c>,
    },
}

impl Seen<'_> {
    fn head(&self) -> &str {
        match self {
            Seen::Same(line) => line.head,
            Seen::Changed { head, .. } => head,
        }
    }

    fn model(&self) -> u64 {
        match self {
            Seen::Same(line) => line.model,
            Seen::Changed { model, .. } => *model,
        }
    }

    /// Whether its model is not the one the previous write had.
    fn remodelled(&self) -> bool {
        matches!(self, Seen::Changed { model, was, .. } if *model != was.model)
    }
}

/// A resource made again: its line among the previous write's, its entry
/// there, and what it is now.
struct Remade<'a> {
    line: usize,
    entry: ResourceEntry,
    r: RResource<'a>,
    diagnostics: Vec<Diagnostic>,
}

/// The index of the page at `path` among the run's (sorted by path).
fn page_at(inputs: &Inputs, path: &str) -> Option<usize> {
    inputs
        .files
        .binary_search_by(|f| f.relative.as_str().cmp(path))
        .ok()
}

/// Warnings and errors of `diagnostics`, as printed.
fn shown(diagnostics: &[Diagnostic]) -> impl Iterator<Item = String> + '_ {
    diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .map(ToString::to_string)
}

impl Config {
    /// Writes `out` for `run` by the quick path (see the module docs);
    /// `None` when the crate does not keep its shape, or the previous write
    /// cannot vouch for what it would keep: nothing was written then.
    pub(super) fn write_same_shape(&self, out: &Path, run: &Run) -> Result<Option<Outcome>> {
        let Run {
            inputs,
            settings,
            key,
            previous,
            reuse,
        } = *run;
        let progress = self.reporter();
        if inputs.files.iter().any(|f| f.link) || inputs.texts.iter().any(|t| t.is_err()) {
            return Ok(None);
        }
        progress.stage(Stage::Parse);
        let seen: Option<Vec<Seen>> = inputs
            .files
            .par_iter()
            .zip(&inputs.texts)
            .zip(&inputs.hashes)
            .map(|((f, text), h)| {
                let was = reuse.page_line(&f.relative)?;
                let seen = if was.bytes == *h {
                    Seen::Same(was)
                } else {
                    let page = specs::parse_read(f, text);
                    let head = cache::stored_head(&page)?;
                    let model = cache::model_hash(&page);
                    Seen::Changed {
                        page: Box::new(page),
                        head,
                        model,
                        was,
                    }
                };
                progress.page_parsed();
                Some(seen)
            })
            .collect();
        let Some(seen) = seen else {
            return Ok(None);
        };
        let mut shape = cache::Shape::new(settings);
        for (f, s) in inputs.files.iter().zip(&seen) {
            shape.page(&f.relative, Some(s.head()));
        }
        let lines = reuse.resource_lines();
        if shape.finish() != previous.shape
            || lines.len() != previous.resources
            || previous.shape_warnings > previous.warnings.len()
        {
            return Ok(None);
        }

        progress.stage(Stage::Resolve);
        // The resources made from a model that changed: an entry names its
        // page and its base's, so only entries that mention such a page
        // are parsed.
        let changed: Vec<(&str, String)> = inputs
            .files
            .iter()
            .zip(&seen)
            .filter(|(_, s)| s.remodelled())
            .filter_map(|(f, _)| {
                Some((
                    f.relative.as_str(),
                    serde_json::to_string(&f.relative).ok()?,
                ))
            })
            .collect();
        let is_changed = |path: &str| changed.iter().any(|(p, _)| *p == path);
        let redo: Option<Vec<(usize, ResourceEntry)>> = lines
            .par_iter()
            .enumerate()
            .filter(|(_, l)| changed.iter().any(|(_, quoted)| l.mentions(quoted)))
            .filter_map(|(i, l)| match l.entry() {
                Some(e) if is_changed(&e.source) || e.base.as_deref().is_some_and(is_changed) => {
                    Some(Some((i, e)))
                }
                Some(_) => None,
                None => Some(None),
            })
            .collect();
        let Some(redo) = redo else {
            return Ok(None);
        };
        // Their pages and their bases', whole: those whose bytes did not
        // change are parsed again.
        let mut again: Vec<usize> = redo
            .iter()
            .flat_map(|(_, e)| std::iter::once(&e.source).chain(&e.base))
            .filter_map(|p| page_at(inputs, p))
            .filter(|&i| matches!(seen[i], Seen::Same(_)))
            .collect();
        again.sort_unstable();
        again.dedup();
        let parsed: Vec<Page> = again
            .par_iter()
            .map(|&i| specs::parse_read(&inputs.files[i], &inputs.texts[i]))
            .collect();
        let whole = |path: &str| -> Option<&Resource> {
            let i = page_at(inputs, path)?;
            match &seen[i] {
                Seen::Changed { page, .. } => page.resource.as_ref(),
                Seen::Same(_) => parsed[again.binary_search(&i).ok()?].resource.as_ref(),
            }
        };
        let remade: Option<Vec<Remade>> = redo
            .into_par_iter()
            .map(|(line, entry)| {
                let res = whole(&entry.source).filter(|r| r.id.to_string() == entry.id)?;
                let base = match &entry.base {
                    Some(b) => Some(whole(b)?),
                    None => None,
                };
                let names = (entry.module.clone(), entry.file.clone(), entry.inception);
                let (r, diagnostics) = resolve::resolve_named(res, base, names, self.cloud_control);
                Some(Remade {
                    line,
                    entry,
                    r,
                    diagnostics,
                })
            })
            .collect();
        let Some(remade) = remade else {
            return Ok(None);
        };

        progress.stage(Stage::Emit);
        let model = |path: &str| page_at(inputs, path).map(|i| seen[i].model());
        let rendered: Option<Vec<(Vec<OutFile>, u64)>> = remade
            .par_iter()
            .map(|m| {
                let files = emit::resource_files(&m.r, self.cloud_control);
                let same_paths = files.iter().map(|f| f.path.as_str()).eq(m
                    .entry
                    .files
                    .iter()
                    .map(|(p, _)| p.as_str()));
                let base = match m.r.base {
                    Some(b) => Some((b.source.as_str(), model(&b.source)?)),
                    None => None,
                };
                let input = cache::resource_key(settings, model(&m.r.res.source)?, &m.r, base);
                same_paths.then_some((files, input))
            })
            .collect();
        let Some(rendered) = rendered else {
            return Ok(None);
        };
        // Every other file is kept as the previous write left it, if it
        // still is.
        let mut redone: Vec<&str> = rendered
            .iter()
            .flat_map(|(files, _)| files.iter().map(|f| f.path.as_str()))
            .collect();
        redone.sort_unstable();
        let kept: Vec<String> = previous
            .files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| *p != write::MANIFEST && redone.binary_search(p).is_err())
            .map(str::to_string)
            .collect();
        if !kept.par_iter().all(|p| reuse.holds(p))
            || (!kept.iter().any(|p| p == GITIGNORE) && gitignore(out).is_some())
        {
            return Ok(None);
        }

        // The cache entries and warnings, in the order of a whole run.
        let mut entries = cache::Entries::default();
        for ((f, s), h) in inputs.files.iter().zip(&seen).zip(&inputs.hashes) {
            match s {
                Seen::Same(_) => entries.kept_page(&f.relative, reuse).map(|_| ()),
                Seen::Changed {
                    page, head, model, ..
                } => entries.new_page(&page.source, *h, head, *model),
            };
        }
        let mut warnings = previous.warnings[..previous.shape_warnings].to_vec();
        let mut now = remade.iter().zip(&rendered).peekable();
        for (i, l) in lines.iter().enumerate() {
            if let Some((m, (files, input))) = now.next_if(|(m, _)| m.line == i) {
                let files: Vec<(String, u64)> = files
                    .iter()
                    .map(|f| (f.path.clone(), cache::hash(f.contents.as_bytes())))
                    .collect();
                entries.resource(&m.r, *input, &files, &m.diagnostics, None, None);
                warnings.extend(shown(&m.diagnostics));
            } else {
                entries.kept_resource(&l.id, reuse);
                if !l.without_diagnostics() {
                    let Some(e) = l.entry() else {
                        return Ok(None);
                    };
                    warnings.extend(shown(&e.diagnostics));
                }
            }
        }

        progress.stage(Stage::Write);
        let mut files: Vec<OutFile> = rendered.into_iter().flat_map(|(f, _)| f).collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let output = Output::open(out, WriteOptions { adopt: self.adopt })?;
        let planned = write::Planned::all(&files, &kept);
        let written = cache::Written {
            key,
            files: &planned,
            entries: &entries,
            previous: Some(reuse),
            resources: previous.resources,
            left_out: &previous.left_out,
            warnings: &warnings,
            shape: previous.shape,
            shape_warnings: previous.shape_warnings,
        };
        write_recorded(&output, &written).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::Cache;
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    /// A copy of the corpus's `current/aws/s3` (views inheriting from base
    /// pages, `_tags` views) to edit, and the settings reading it.
    struct Specs {
        root: tempfile::TempDir,
        config: Config,
        fresh: usize,
    }

    impl Specs {
        /// `None` (the test is skipped) in a clone without the corpus.
        fn new() -> Option<Specs> {
            let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/current");
            if !corpus.is_dir() {
                eprintln!("skipped: no corpus at {}", corpus.display());
                return None;
            }
            let root = tempfile::tempdir().unwrap();
            copy_tree(&corpus.join("aws/s3"), &root.path().join("specs/aws/s3"));
            let mut config = Config::new();
            config.specs(root.path().join("specs"));
            Some(Specs {
                root,
                config,
                fresh: 0,
            })
        }

        fn out(&self) -> PathBuf {
            self.root.path().join("out").join("inc")
        }

        fn page(&self, rel: &str) -> PathBuf {
            self.root.path().join("specs/aws/s3").join(rel)
        }

        /// The quick path, as a write runs it.
        fn quick(&self) -> Option<Outcome> {
            let (config, out) = (&self.config, self.out());
            let inputs = config.read().unwrap();
            let settings = cache::settings_key(config, "crate", Some(&out));
            let key = cache::key(settings, &inputs);
            let loaded = Cache::load(Some(&out));
            let reuse = loaded.reuse();
            let run = Run {
                inputs: &inputs,
                settings,
                key,
                previous: loaded.stamp()?,
                reuse: &reuse,
            };
            config.write_same_shape(&out, &run).unwrap()
        }

        /// Asserts that `inc` and the output are what a fresh generation
        /// writes and says (files, warnings, pages left out).
        fn assert_fresh(&mut self, step: &str, inc: &Outcome) {
            self.fresh += 1;
            let dir = self
                .root
                .path()
                .join("out")
                .join(format!("fresh{}", self.fresh));
            let fresh = self.config.write_to(&dir).unwrap();
            assert_eq!(inc.warnings, fresh.warnings, "{step}: warnings");
            assert_eq!(inc.left_out, fresh.left_out, "{step}: left out");
            assert_eq!(inc.resources, fresh.resources, "{step}: resources");
            assert!(
                tree(&self.out()) == tree(&dir),
                "{step}: the files of a fresh generation"
            );
        }
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

    /// Every file under `dir` but the cache, by relative path.
    fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut todo = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    todo.push(path);
                } else if !path.ends_with(cache::CACHE) {
                    let rel = path
                        .strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    out.insert(rel, std::fs::read(&path).unwrap());
                }
            }
        }
        out
    }

    fn edit(path: &Path, from: &str, to: &str) {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains(from), "{} has no {from:?}", path.display());
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    #[test]
    fn edits_inside_pages_take_the_quick_path_to_what_a_fresh_run_writes() {
        let Some(mut s) = Specs::new() else {
            return;
        };
        s.config.write_to(&s.out()).unwrap();

        // A base page's field description and permissions: its module and
        // policy are written again, and the modules (their permission
        // constants) and policies of the views that inherit its
        // permissions; nothing else.
        let buckets = s.page("buckets/index.md");
        edit(
            &buckets,
            "Configures the transfer acceleration",
            "Sets the transfer acceleration",
        );
        edit(&buckets, "s3:ListAllMyBuckets", "s3:ListAllMyBucketsEdited");
        let o = s.quick().expect("an edit inside a page keeps the shape");
        let mut written = o.report.written.clone();
        written.sort();
        assert_eq!(
            written,
            [
                "policies/aws/s3/bucket_tags.json",
                "policies/aws/s3/buckets.json",
                "policies/aws/s3/buckets_list_only.json",
                "src/aws/s3/bucket_tags.rs",
                "src/aws/s3/buckets.rs",
                "src/aws/s3/buckets_list_only.rs",
            ]
        );
        assert!(o.report.removed.is_empty() && !o.skipped);
        s.assert_fresh("base page edited", &o);

        // An edit that brings a warning of resolving the resource.
        edit(
            &s.page("bucket_policies/index.md"),
            "bucket,\npolicy_document\nFROM",
            "bucket,\nno_such_column,\npolicy_document\nFROM",
        );
        let o = s.quick().expect("the shape is kept");
        assert!(
            o.warnings.iter().any(|w| w.contains("no_such_column")),
            "{:?}",
            o.warnings
        );
        s.assert_fresh("a new warning", &o);

        // Bytes that change no model (prose after the last section): the
        // pages' cache lines change, no file does.
        let mut text = std::fs::read_to_string(&buckets).unwrap();
        text.push_str("\nA closing remark.\n");
        std::fs::write(&buckets, text).unwrap();
        let o = s.quick().expect("the shape is kept");
        assert!(o.report.written.is_empty(), "{:?}", o.report.written);
        s.assert_fresh("prose only", &o);
        // And the next run finds nothing to do.
        assert!(s.config.write_to(&s.out()).unwrap().skipped);
    }

    #[test]
    fn what_changes_the_shape_or_a_kept_file_goes_the_whole_way() {
        let Some(mut s) = Specs::new() else {
            return;
        };
        s.config.write_to(&s.out()).unwrap();
        type Change = dyn Fn(&Specs);
        let steps: [(&str, &Change); 4] = [
            ("a page added", &|s| {
                copy_tree(&s.page("buckets"), &s.page("buckets_again"));
                edit(
                    &s.page("buckets_again/index.md"),
                    "aws.s3.buckets\"",
                    "aws.s3.buckets_again\"",
                );
            }),
            ("a page removed", &|s| {
                std::fs::remove_dir_all(s.page("buckets_again")).unwrap()
            }),
            ("a base page without permissions", &|s| {
                let page = s.page("buckets/index.md");
                let text = std::fs::read_to_string(&page).unwrap();
                let cut = text.find("## Permissions").unwrap();
                std::fs::write(&page, &text[..cut]).unwrap();
            }),
            ("a generated file edited by hand", &|s| {
                std::fs::write(s.out().join("src/aws/s3/access_points.rs"), "// mine\n").unwrap();
                edit(&s.page("bucket_policies/index.md"), "Gets all", "Lists all");
            }),
        ];
        for (step, change) in steps {
            change(&s);
            assert!(s.quick().is_none(), "{step}: the whole way");
            let o = s.config.write_to(&s.out()).unwrap();
            s.assert_fresh(step, &o);
        }
    }
}
