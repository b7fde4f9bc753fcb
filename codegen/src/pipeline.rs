//! The pipeline: discover → read → parse → select → resolve → emit → write,
//! reporting each [`Stage`] to a [`Progress`]. [`Config`]'s entry points
//! (defined here) run it with the settings of `config.rs`; the cache of an
//! output directory (`cache.rs`) lets a write skip all of it, or the
//! parsing of unchanged pages and the resolving and rendering of resources
//! whose inputs did not change.

use crate::cache::{self, Cache};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Kind, Severity};
use crate::emit::{self, EmitOptions, OutFile};
use crate::error::{io, Error, Result};
use crate::model::{PageKind, Resource};
use crate::parse::Page;
use crate::resolve;
use crate::specs::{self, SpecFile};
use crate::write::{self, Drift, Output, WriteOptions, WriteReport};
use foldhash::HashMap;
use rayon::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

mod same_shape;

/// A stage of the pipeline, as reported to [`Progress::stage`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stage {
    /// Walking the specs directory for pages.
    Discover,
    /// Reading (and hashing) every page.
    Read,
    /// Parsing every page into the model ([`Config::parse`] reads each
    /// page here too); [`Progress::page_parsed`] is called once per page.
    Parse,
    /// One resource per id, and every Rust name decided.
    Resolve,
    /// Rendering the crate's files (in memory).
    Emit,
    /// Writing the files (or, for [`Config::check`], comparing them).
    Write,
    /// The run is over (after the last stage it went through: a write that
    /// finds nothing changed ends after [`Stage::Read`]).
    Done,
}

/// Receives the progress of a run (see [`Config::progress`]). Every method
/// does nothing by default; [`Progress::page_parsed`] is called from many
/// threads at once.
///
/// ```
/// use stackql_codegen::{Progress, Stage};
/// struct Log;
/// impl Progress for Log {
///     fn stage(&self, stage: Stage) {
///         eprintln!("{stage:?}");
///     }
/// }
/// ```
pub trait Progress: Send + Sync {
    /// `stage` begins; the stage before it has ended.
    fn stage(&self, _stage: Stage) {}
    /// The specs hold `pages` pages; [`Progress::page_parsed`] follows once
    /// for each, unless the run ends without parsing.
    fn pages_found(&self, _pages: usize) {}
    /// One more page was parsed.
    fn page_parsed(&self) {}
}

/// Reports nothing.
impl Progress for () {}

/// The outcome of parsing, resolving and emitting, before anything is
/// written ([`Config::generate`]).
#[derive(Debug, Clone)]
pub struct Generation {
    /// Every page read, with its diagnostics.
    pub pages: Vec<Page>,
    /// Diagnostics that come from the whole set (duplicates, links, emit failures).
    pub diagnostics: Vec<Diagnostic>,
    /// The generated files.
    pub files: Vec<OutFile>,
    /// Resources generated.
    pub resources: usize,
    /// Resource pages left out (errors).
    pub left_out: Vec<String>,
    /// The cache entries to store beside the files (when writing).
    cache: Option<cache::Entries>,
    /// Files of the crate not in `files`: kept as the output holds them,
    /// since the cache vouches they are what the run would write (only
    /// when writing).
    kept: Vec<String>,
    /// The [`cache::Shape`] of the run (when writing).
    shape: u64,
    /// How many of the warnings are the shape's ([`cache::Stamp::shape_warnings`]).
    shape_warnings: usize,
}

/// Frees `value` on rayon's thread pool instead of the caller's thread: a
/// generation's pages and files are millions of small allocations (~50 M
/// instructions to free for current/aws), and the caller (the CLI, a build
/// script) is usually about to exit or return.
fn free_later<T: Send + 'static>(value: T) {
    rayon::spawn(move || drop(value));
}

impl Generation {
    /// Every diagnostic: per page, then set-wide.
    pub fn all_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.pages
            .iter()
            .flat_map(|p| &p.diagnostics)
            .chain(&self.diagnostics)
    }

    /// Warnings and errors, as printed (`file:line: warning[kind]: ...`).
    pub fn warnings(&self) -> Vec<String> {
        self.all_diagnostics()
            .filter(|d| d.severity >= Severity::Warning)
            .map(ToString::to_string)
            .collect()
    }

    /// Writes the files into `out` and stores the cache (stamped with `key`,
    /// so that the next run with the same key can skip everything).
    /// The tree, the stamps and the cache are written under the output's
    /// lock, so the stamps are those of the files on disk. `previous` is the
    /// cache the run started from.
    fn write_stamped(&self, output: &Output, key: u64, previous: &cache::Reuse) -> Result<Outcome> {
        let none = cache::Entries::default();
        let planned = write::Planned::all(&self.files, &self.kept);
        write_recorded(
            output,
            &cache::Written {
                key,
                files: &planned,
                entries: self.cache.as_ref().unwrap_or(&none),
                previous: Some(previous),
                resources: self.resources,
                left_out: &self.left_out,
                warnings: &self.warnings(),
                shape: self.shape,
                shape_warnings: self.shape_warnings,
            },
        )
    }
}

/// Writes `w.files` into `output` and stores the cache `w` records (the
/// files, the stamps and the cache are written under the output's lock, so
/// the stamps are those of the files on disk).
fn write_recorded(output: &Output, w: &cache::Written) -> Result<Outcome> {
    let out = output.path();
    let (report, stats) = output.write(w.files)?;
    cache::store(out, w, &stats).map_err(io(format!("writing {}", out.display())))?;
    Ok(Outcome {
        report,
        resources: w.resources,
        left_out: w.left_out.to_vec(),
        warnings: w.warnings.to_vec(),
        skipped: false,
    })
}

/// What [`Config::write_to`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Files written, left alone and removed.
    pub report: WriteReport,
    /// Resources generated.
    pub resources: usize,
    /// Resource pages left out (errors; only with `allow_partial`).
    pub left_out: Vec<String>,
    /// Warnings and errors of the pages, as printed
    /// (`file:line: warning[kind]: ...`); a skipped run repeats those of the
    /// run that wrote the output.
    pub warnings: Vec<String>,
    /// Whether nothing was parsed: the settings and every page were those of
    /// the run that wrote the output, and every file it wrote is untouched.
    pub skipped: bool,
}

/// What [`Config::check`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Check {
    /// How the output differs from what the specs produce, sorted; empty
    /// when it is up to date.
    pub drift: Vec<Drift>,
    /// Resources generated.
    pub resources: usize,
    /// Warnings and errors of the pages, as printed.
    pub warnings: Vec<String>,
}

/// The pages of a run, read: the key of the run is computed from their bytes
/// and they are parsed from the same bytes.
pub(crate) struct Inputs {
    pub(crate) files: Vec<SpecFile>,
    pub(crate) texts: Vec<std::io::Result<Vec<u8>>>,
    pub(crate) hashes: Vec<u64>,
}

/// The resources of a set of pages, one per id: the first page (in path
/// order) with an id wins, since a second one would write the same files.
pub(crate) struct Selection<'p> {
    /// The resources kept, sorted by id ([`crate::model::ResourceId`]'s order).
    pub(crate) resources: Vec<&'p Resource>,
    /// Every page left out because an earlier one has its id.
    pub(crate) duplicates: Vec<Duplicate<'p>>,
}

/// A resource whose id an earlier page already gave.
pub(crate) struct Duplicate<'p> {
    /// The id, `provider.service.resource`.
    pub(crate) id: String,
    /// The page that gave it first (and is kept).
    pub(crate) first: &'p Resource,
    /// The page left out.
    pub(crate) again: &'p Resource,
}

/// The output's `.gitignore`.
const GITIGNORE: &str = ".gitignore";

/// Adds `.gitignore` to `files` (kept sorted), listing the cache, which
/// records modification times and is not worth committing: unless `out`
/// holds another `.gitignore` the generator did not write, which stays the
/// user's.
fn add_gitignore(out: &Path, files: &mut Vec<OutFile>) {
    let Some(file) = gitignore(out) else {
        return;
    };
    let at = files.partition_point(|f| f.path < file.path);
    files.insert(at, file);
}

/// The output's `.gitignore`, unless `out` holds another one the generator
/// did not write.
fn gitignore(out: &Path) -> Option<OutFile> {
    let file = OutFile {
        path: GITIGNORE.into(),
        contents: format!(
            "# @generated by {}: its cache of file stamps is local, not worth committing.\n/{}\n",
            emit::GENERATOR,
            cache::CACHE
        ),
    };
    write::free_or_ours(out, GITIGNORE, file.contents.as_bytes()).then_some(file)
}

/// The whole resource of `r`: `r` itself, unless its page came from the
/// cache (`cached_at` gives its index), where `r` is only its head
/// ([`cache::head`]): then the page is parsed again from its bytes (once).
fn whole_resource<'a>(
    r: &'a Resource,
    cached_at: &HashMap<&str, usize>,
    inputs: &Inputs,
    whole: &'a [OnceLock<Option<Resource>>],
) -> &'a Resource {
    let Some(&i) = cached_at.get(r.source.as_str()) else {
        return r;
    };
    let (Some(f), Some(Ok(bytes)), Some(slot)) =
        (inputs.files.get(i), inputs.texts.get(i), whole.get(i))
    else {
        return r;
    };
    slot.get_or_init(|| specs::parse_guarded(&f.relative, &String::from_utf8_lossy(bytes)).resource)
        .as_ref()
        .filter(|w| w.id == r.id)
        .unwrap_or(r)
}

/// One resource per id (see [`Selection`]); the one place that decides it.
pub(crate) fn select(pages: &[Page]) -> Selection<'_> {
    // In id order, and in page order for one id (the sort is stable): the
    // first of each id is kept.
    let mut all: Vec<(usize, &Resource)> = pages
        .iter()
        .filter_map(|p| p.resource.as_ref())
        .enumerate()
        .collect();
    all.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    let mut resources: Vec<&Resource> = Vec::with_capacity(all.len());
    let mut duplicates: Vec<(usize, Duplicate)> = Vec::new();
    for (at, r) in all {
        match resources.last() {
            Some(first) if first.id == r.id => duplicates.push((
                at,
                Duplicate {
                    id: r.id.to_string(),
                    first,
                    again: r,
                },
            )),
            _ => resources.push(r),
        }
    }
    duplicates.sort_by_key(|(at, _)| *at);
    Selection {
        resources,
        duplicates: duplicates.into_iter().map(|(_, d)| d).collect(),
    }
}

impl Config {
    /// The pages the settings select (every `*.md` / `*.mdx` under the
    /// specs directory, under the [`Config::only`] folders), and the
    /// symbolic links met on the way (not followed, see [`SpecFile::link`]),
    /// sorted by relative path, without reading them: what a run reads.
    ///
    /// ```
    /// let files = stackql_codegen::Config::new().specs("../specs").spec_files()?;
    /// assert_eq!(files[0].relative, "aws/connect/integration_associations/index.md");
    /// # Ok::<(), stackql_codegen::Error>(())
    /// ```
    pub fn spec_files(&self) -> Result<Vec<SpecFile>> {
        specs::discover_only(&self.specs, &self.only).map_err(io(format!(
            "reading specs directory {}",
            self.specs.display()
        )))
    }

    /// [`Config::spec_files`], reported as [`Stage::Discover`].
    fn discover(&self) -> Result<Vec<SpecFile>> {
        let progress = self.reporter();
        progress.stage(Stage::Discover);
        let files = self.spec_files()?;
        progress.pages_found(files.len());
        Ok(files)
    }

    /// Discovers and reads every page, hashing each (in parallel).
    fn read(&self) -> Result<Inputs> {
        let files = self.discover()?;
        self.reporter().stage(Stage::Read);
        let (texts, hashes) = files
            .par_iter()
            .map(|f| {
                let bytes = specs::read(f);
                let h = bytes.as_ref().map_or(0, |b| cache::hash(b));
                (bytes, h)
            })
            .unzip();
        Ok(Inputs {
            files,
            texts,
            hashes,
        })
    }

    /// Ends a run: reports [`Stage::Done`] and passes `result` on.
    fn done<T>(&self, result: Result<T>) -> Result<T> {
        self.reporter().stage(Stage::Done);
        result
    }

    /// Reads and parses every page of the specs (in parallel, in path
    /// order), for tools that work on the model (reports, diffs, policy
    /// queries). A page that cannot be read or parsed is a page with error
    /// diagnostics, not an error; only an unreadable specs directory is.
    ///
    /// ```
    /// let pages = stackql_codegen::Config::new().specs("../specs").parse()?;
    /// let ids: Vec<String> = pages
    ///     .iter()
    ///     .filter_map(|p| p.resource.as_ref())
    ///     .map(|r| r.id.to_string())
    ///     .collect();
    /// assert_eq!(ids, ["aws.connect.integration_associations"]);
    /// # Ok::<(), stackql_codegen::Error>(())
    /// ```
    pub fn parse(&self) -> Result<Vec<Page>> {
        let result = self.discover().map(|files| {
            let progress = self.reporter();
            progress.stage(Stage::Parse);
            specs::parse_all(&files, &|| progress.page_parsed())
        });
        self.done(result)
    }

    /// Parses, resolves and emits, in memory: the files of the crate and
    /// every diagnostic. Fails (with `allow_partial` off) when any resource
    /// page could not be generated.
    ///
    /// ```
    /// let g = stackql_codegen::Config::new().specs("../specs").generate()?;
    /// assert_eq!(g.resources, 1);
    /// assert!(g.files.iter().any(|f| f.path == "src/aws/connect/integration_associations.rs"));
    /// # Ok::<(), stackql_codegen::Error>(())
    /// ```
    pub fn generate(&self) -> Result<Generation> {
        let result = self
            .read()
            .and_then(|inputs| self.generate_from(inputs, None, None));
        self.done(result)
    }

    /// Parses, selects, resolves and emits `inputs` for a crate that goes
    /// to `out` (it decides the runtime's relative path). With `cache` (a
    /// write), pages, resolved resources and files the cache vouches for
    /// are reused, and the entries to store for the next run are made.
    fn generate_from(
        &self,
        inputs: Inputs,
        out: Option<&Path>,
        cache: Option<(&cache::Reuse, u64)>,
    ) -> Result<Generation> {
        if !self.valid_crate_name() {
            return Err(Error::CrateName {
                name: self.crate_name.clone(),
            });
        }
        let progress = self.reporter();
        progress.stage(Stage::Parse);
        let reuse = cache.map(|(r, _)| r);
        let (pages, from_cache) = specs::parse_texts_reusing(
            &inputs.files,
            &inputs.texts,
            &inputs.hashes,
            &|path, h| reuse.and_then(|r| r.page(path, h)),
            &|| progress.page_parsed(),
        );
        // The cache entries of the pages, and the hash of each page's model.
        let mut model_hashes: HashMap<&str, u64> = HashMap::default();
        let mut shape = cache.map(|(_, settings)| cache::Shape::new(settings));
        let mut entries = cache.map(|(reuse, _)| {
            // What recording a page costs, for every page parsed anew, in
            // parallel; the lines are then added in page order.
            // (Not for unreadable pages and links: they record no line.)
            let mut facts: Vec<Option<cache::PageFacts>> = pages
                .par_iter()
                .zip(&from_cache)
                .zip(inputs.hashes.par_iter().zip(&inputs.texts))
                .zip(&inputs.files)
                .map(|(((page, reused), (h, text)), f)| {
                    let recorded = !*reused && text.is_ok() && !f.link;
                    recorded.then(|| cache::PageFacts::of(page, *h))
                })
                .collect();
            let mut e = cache::Entries::default();
            for ((page, (f, text)), ((h, reused), facts)) in pages
                .iter()
                .zip(inputs.files.iter().zip(&inputs.texts))
                .zip(inputs.hashes.iter().zip(&from_cache).zip(&mut facts))
            {
                let Some(shape) = shape.as_mut() else {
                    continue;
                };
                if text.is_err() || f.link {
                    shape.page(&f.relative, None);
                } else if let Some(model) =
                    e.page(page, *h, *reused, Some(reuse), shape, facts.take())
                {
                    model_hashes.insert(f.relative.as_str(), model);
                }
            }
            e
        });
        progress.stage(Stage::Resolve);
        let mut diagnostics = Vec::new();
        // Resource pages that failed, and pages that could not be read or
        // parsed at all (whatever they were meant to be).
        let mut left_out: Vec<String> = pages
            .iter()
            .filter(|p| {
                p.resource.is_none()
                    && (p.kind == PageKind::Resource
                        || p.diagnostics.iter().any(|d| d.severity == Severity::Error))
            })
            .map(|p| p.source.clone())
            .collect();
        if pages.iter().all(|p| p.kind != PageKind::Resource) && left_out.is_empty() {
            return Err(Error::NoPages {
                specs: self.specs.display().to_string(),
                only: if self.only.is_empty() {
                    String::new()
                } else {
                    format!(" (--only {})", self.only.join(", "))
                },
            });
        }
        let selection = select(&pages);
        for d in &selection.duplicates {
            diagnostics.push(Diagnostic::new(
                &d.again.source,
                d.again.line,
                Severity::Error,
                Kind::DuplicateId,
                format!(
                    "expected a unique Id, found `{}` already given by {}",
                    d.id, d.first.source
                ),
            ));
            left_out.push(d.again.source.clone());
        }
        let resources = selection.resources;
        let key_of = |r: &resolve::RResource| {
            let (_, settings) = cache?;
            let page = model_hashes.get(r.res.source.as_str())?;
            let base = match r.base {
                Some(b) => Some((b.source.as_str(), *model_hashes.get(b.source.as_str())?)),
                None => None,
            };
            Some(cache::resource_key(settings, *page, r, base))
        };
        // A page from the cache is only its head: a resource of one that
        // must be resolved in full is parsed again from the page's bytes.
        let cached_at: HashMap<&str, usize> = pages
            .iter()
            .zip(&from_cache)
            .enumerate()
            .filter(|(_, (_, cached))| **cached)
            .map(|(i, (p, _))| (p.source.as_str(), i))
            .collect();
        let whole: Vec<OnceLock<Option<Resource>>> =
            pages.iter().map(|_| OnceLock::new()).collect();
        let (resolved, resource_diags, reused) = resolve::resolve_reusing(
            &resources,
            self.cloud_control,
            &|r| reuse?.resource(r, key_of(r)?),
            &|r| whole_resource(r, &cached_at, &inputs, &whole),
        );
        // The warnings so far are the shape's: those of the pages and of the
        // set of pages.
        let shape_warnings = pages
            .iter()
            .flat_map(|p| &p.diagnostics)
            .chain(&diagnostics)
            .filter(|d| d.severity >= Severity::Warning)
            .count();
        diagnostics.extend(resource_diags.iter().flatten().cloned());
        progress.stage(Stage::Emit);
        let opts = EmitOptions {
            crate_name: self.crate_name.clone(),
            runtime: self.runtime_for(out),
            cloud_control: self.cloud_control,
            service_features: self.service_features,
        };
        let is_reused: Vec<bool> = reused.iter().map(Option::is_some).collect();
        let emit::CrateFiles {
            files,
            kept,
            outputs,
        } = emit::crate_files_cached(&resolved, &opts, reused, entries.is_some())
            .map_err(|problem| Error::Internal { problem })?;
        if let Some(e) = &mut entries {
            // The records of the resources rendered anew (their files
            // hashed as they were rendered), in parallel; the lines are then
            // added in order.
            let records: Vec<Option<cache::ResourceRecord>> = resolved
                .resources
                .par_iter()
                .zip(&resource_diags)
                .zip(&outputs)
                .zip(&is_reused)
                .map(|(((r, d), hashed), reused)| {
                    let input = key_of(r).filter(|_| !*reused)?;
                    Some(cache::ResourceRecord::of(r, input, hashed, d))
                })
                .collect();
            for ((((r, d), hashed), reused), record) in resolved
                .resources
                .iter()
                .zip(&resource_diags)
                .zip(&outputs)
                .zip(&is_reused)
                .zip(records)
            {
                let Some(input) = key_of(r) else {
                    continue;
                };
                e.resource(r, input, hashed, d, reuse.filter(|_| *reused), record);
            }
        }
        // Its millions of small allocations, freed on every thread.
        resolved.resources.into_par_iter().for_each(drop);
        left_out.sort();
        if !left_out.is_empty() && !self.allow_partial {
            let first = pages
                .iter()
                .flat_map(|p| &p.diagnostics)
                .chain(&diagnostics)
                .find(|d| d.severity == Severity::Error)
                .map(ToString::to_string)
                .unwrap_or_default();
            return Err(Error::Partial {
                count: left_out.len(),
                first,
            });
        }
        Ok(Generation {
            resources: resources.len(),
            pages,
            diagnostics,
            files,
            left_out,
            cache: entries,
            kept,
            shape: shape.map_or(0, |s| s.finish()),
            shape_warnings,
        })
    }

    /// Generates and writes a complete crate into `out` (created if
    /// missing), touching only changed files and removing the files it
    /// generated before and no longer does; returns what it did and the
    /// warnings to show. When the settings and every page are those of the
    /// run that wrote `out` and every file it wrote is untouched (same size
    /// and modification time), nothing is parsed or written at all
    /// ([`Outcome::skipped`]); otherwise only pages whose bytes changed are
    /// parsed, and only resources whose inputs changed (their page's model,
    /// their module names, their permissions, a view's inherited ones
    /// included) are resolved and rendered: the others' files are taken as
    /// the last write left them. When, in addition, every page keeps its
    /// path and head (an edit inside pages: descriptions, fields,
    /// permissions), the module tree, the crate-level files and the other
    /// resources' cache entries are the last write's too, so the work is
    /// that of the changed pages. The result is the same as without the
    /// cache, byte for byte.
    ///
    /// ```no_run
    /// let outcome = stackql_codegen::Config::new()
    ///     .specs("specs")
    ///     .write_to("generated".as_ref())?;
    /// for w in &outcome.warnings {
    ///     eprintln!("{w}");
    /// }
    /// println!("{} files written", outcome.report.written.len());
    /// # Ok::<(), stackql_codegen::Error>(())
    /// ```
    pub fn write_to(&self, out: &Path) -> Result<Outcome> {
        let result = self.write_mode(out, "crate", &|_| {});
        self.done(result)
    }

    /// [`Config::write_to`], returning only what was written: the short
    /// form for build scripts.
    ///
    /// ```no_run
    /// // build.rs
    /// let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("stackql");
    /// stackql_codegen::Config::new().specs("specs").generate_to(&out).unwrap();
    /// ```
    pub fn generate_to(&self, out: &Path) -> Result<WriteReport> {
        self.write_to(out).map(|o| o.report)
    }

    /// Build-script mode: generates into `out` (e.g. `$OUT_DIR/stackql`) and
    /// writes `out/bindings.rs`, which mounts the provider modules by
    /// absolute `#[path]` and re-exports `stackql_runtime` as `runtime`, for
    /// a crate that depends on `stackql-runtime` to `include!`:
    ///
    /// ```ignore
    /// // build.rs
    /// let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("stackql");
    /// stackql_codegen::Config::new().specs("specs").service_features(false).generate_module(&out).unwrap();
    /// // src/lib.rs (the crate depends on stackql-runtime, serde and serde_json with `preserve_order`)
    /// pub mod bindings { include!(concat!(env!("OUT_DIR"), "/stackql/bindings.rs")); }
    /// ```
    pub fn generate_module(&self, out: &Path) -> Result<WriteReport> {
        let mode = format!("module {}", out.display());
        let result = self.write_mode(out, &mode, &|g| {
            let include = emit::include_file(out, &g.files);
            g.files.push(include);
        });
        self.done(result).map(|o| o.report)
    }

    /// Reads the pages; when the key and the output are as the last write
    /// left them, reports that write's outcome; else generates (reusing
    /// unchanged resource files), lets `finish` add files, and writes.
    fn write_mode(
        &self,
        out: &Path,
        mode: &str,
        finish: &dyn Fn(&mut Generation),
    ) -> Result<Outcome> {
        let inputs = self.read()?;
        let settings = cache::settings_key(self, mode, Some(out));
        let key = cache::key(settings, &inputs);
        let loaded = Cache::load(Some(out));
        if let Some(stamp) = loaded.unchanged(key) {
            return Ok(Outcome {
                report: WriteReport {
                    written: Vec::new(),
                    // All but the manifest, as a write that changes nothing
                    // reports.
                    unchanged: stamp.files.len() - 1,
                    removed: Vec::new(),
                },
                resources: stamp.resources,
                left_out: stamp.left_out.clone(),
                warnings: stamp.warnings.clone(),
                skipped: true,
            });
        }
        let reuse = loaded.reuse();
        if let Some(previous) = loaded.stamp() {
            let run = same_shape::Run {
                inputs: &inputs,
                settings,
                key,
                previous,
                reuse: &reuse,
            };
            if let Some(outcome) = self.write_same_shape(out, &run)? {
                return Ok(outcome);
            }
        }
        let mut g = self.generate_from(inputs, Some(out), Some((&reuse, settings)))?;
        add_gitignore(out, &mut g.files);
        finish(&mut g);
        self.reporter().stage(Stage::Write);
        let output = Output::open(out, WriteOptions { adopt: self.adopt })?;
        let outcome = g.write_stamped(&output, key, &reuse);
        free_later(g);
        outcome
    }

    /// Compares `out` with what the specs produce, writing nothing and
    /// reusing nothing (what `generate --check` runs in CI).
    ///
    /// ```no_run
    /// let check = stackql_codegen::Config::new()
    ///     .specs("specs")
    ///     .check("generated".as_ref())?;
    /// assert!(check.drift.is_empty(), "regenerate: {:?}", check.drift);
    /// # Ok::<(), stackql_codegen::Error>(())
    /// ```
    pub fn check(&self, out: &Path) -> Result<Check> {
        let result = self.read().and_then(|inputs| {
            let mut g = self.generate_from(inputs, Some(out), None)?;
            add_gitignore(out, &mut g.files);
            self.reporter().stage(Stage::Write);
            let drift = write::check(out, &g.files)?;
            let check = Check {
                drift,
                resources: g.resources,
                warnings: g.warnings(),
            };
            free_later(g);
            Ok(check)
        });
        self.done(result)
    }
}
