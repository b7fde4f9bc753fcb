//! [`Config`]: the builder behind the CLI and build scripts.

use crate::diagnostic::{Diagnostic, Kind, Severity};
use crate::emit::reuse::{self, Cache, FileStamp, Stamp};
use crate::emit::{self, EmitOptions, OutFile, RuntimeDependency};
use crate::model::{PageKind, Resource};
use crate::parse::Page;
use crate::resolve;
use crate::specs::{self, SpecFile};
use crate::write::{self, Drift, WriteReport};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

/// Errors of a generation run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The specs directory or the output could not be read or written.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Resource pages were left out and `allow_partial` is off.
    #[error("{count} resource page(s) could not be generated (first: {first}); fix them or pass --allow-partial")]
    Partial {
        /// How many pages were left out.
        count: usize,
        /// The first error diagnostic.
        first: String,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
    let context = context.into();
    move |source| Error::Io { context, source }
}

/// The outcome of parsing, resolving and emitting, before anything is written.
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
    /// The reuse cache to store in the output directory (see [`emit::reuse`]).
    pub cache: String,
}

impl Generation {
    /// Writes the files into `out` (see [`write::write`]) and stores the
    /// reuse cache beside them.
    pub fn write(&self, out: &Path) -> Result<WriteReport> {
        let report =
            write::write(out, &self.files).map_err(io(format!("writing {}", out.display())))?;
        write::write_atomic(&out.join(emit::reuse::CACHE), self.cache.as_bytes())
            .map_err(io(format!("writing {}", out.display())))?;
        Ok(report)
    }

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

    /// [`Generation::write`], storing a [`Stamp`] under `key` in the cache
    /// so that the next run with the same key can skip everything.
    fn write_stamped(&self, out: &Path, key: u64) -> Result<Outcome> {
        let report =
            write::write(out, &self.files).map_err(io(format!("writing {}", out.display())))?;
        let manifest = write::manifest_text(&self.files);
        let mut files = vec![(write::MANIFEST, manifest.as_bytes())];
        files.extend(
            self.files
                .iter()
                .map(|f| (f.path.as_str(), f.contents.as_bytes())),
        );
        let stamps: Option<Vec<FileStamp>> = files
            .par_iter()
            .map(|(path, bytes)| FileStamp::of(out, path, bytes))
            .collect();
        let warnings = self.warnings();
        let stamp = stamps.map(|files| Stamp {
            key,
            resources: self.resources,
            left_out: self.left_out.clone(),
            warnings: warnings.clone(),
            files,
        });
        let cache = match &stamp {
            Some(s) => Cache::with_stamp(&self.cache, s),
            None => self.cache.clone(),
        };
        write::write_atomic(&out.join(reuse::CACHE), cache.as_bytes())
            .map_err(io(format!("writing {}", out.display())))?;
        Ok(Outcome {
            report,
            resources: self.resources,
            left_out: self.left_out.clone(),
            warnings,
            skipped: false,
        })
    }
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

/// The pages of a run, read: the key of the run is computed from their bytes
/// and they are parsed from the same bytes.
struct Inputs {
    files: Vec<SpecFile>,
    texts: Vec<std::io::Result<Vec<u8>>>,
    hashes: Vec<u64>,
}

/// Configures and runs the generator (like `prost_build::Config`).
///
/// ```no_run
/// // build.rs
/// stackql_codegen::Config::new()
///     .specs("specs")
///     .generate_to(&std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("stackql"))
///     .unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    specs: PathBuf,
    crate_name: String,
    cloud_control: bool,
    allow_partial: bool,
    only: Vec<String>,
    service_features: bool,
    runtime: Option<RuntimeDependency>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            specs: PathBuf::from("specs"),
            crate_name: "stackql-bindings".into(),
            cloud_control: true,
            allow_partial: false,
            only: Vec::new(),
            service_features: true,
            runtime: None,
        }
    }
}

impl Config {
    /// Defaults: specs from `specs/`, crate `stackql-bindings`, Cloud Control
    /// actions in AWS policies, no partial output.
    pub fn new() -> Self {
        Self::default()
    }

    /// The specs directory (`<provider>/<service>/<resource>/index.md` pages).
    ///
    /// ```
    /// let mut c = stackql_codegen::Config::new();
    /// c.specs("../shared/corpus/current/aws");
    /// ```
    pub fn specs(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.specs = dir.into();
        self
    }

    /// The generated crate's package name.
    ///
    /// ```
    /// stackql_codegen::Config::new().crate_name("my-cloud");
    /// ```
    pub fn crate_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.crate_name = name.into();
        self
    }

    /// Whether AWS policies and `required_actions()` include the Cloud
    /// Control API actions (`cloudformation:CreateResource`, ...) StackQL
    /// calls; on by default, since without them every call is denied.
    ///
    /// ```
    /// stackql_codegen::Config::new().cloud_control(false);
    /// ```
    pub fn cloud_control(&mut self, on: bool) -> &mut Self {
        self.cloud_control = on;
        self
    }

    /// Generate what can be generated even when some resource pages fail.
    ///
    /// ```
    /// stackql_codegen::Config::new().allow_partial(true);
    /// ```
    pub fn allow_partial(&mut self, on: bool) -> &mut Self {
        self.allow_partial = on;
        self
    }

    /// Whether each service module is behind a cargo feature (`aws-s3`); on by
    /// default. Build scripts that include the bindings in their own crate
    /// (see [`Config::generate_module`]) turn it off.
    ///
    /// ```
    /// stackql_codegen::Config::new().service_features(false);
    /// ```
    pub fn service_features(&mut self, on: bool) -> &mut Self {
        self.service_features = on;
        self
    }

    /// Only pages whose relative path starts with one of these prefixes
    /// (e.g. `aws/s3/`); all pages when empty.
    ///
    /// ```
    /// stackql_codegen::Config::new().only(["aws/s3/", "google/compute/"]);
    /// ```
    pub fn only<I: IntoIterator<Item = S>, S: Into<String>>(&mut self, prefixes: I) -> &mut Self {
        self.only = prefixes.into_iter().map(Into::into).collect();
        self
    }

    /// How the generated Cargo.toml depends on `stackql-runtime`. By
    /// default, by path on the runtime source this generator was built
    /// from (written relative to the output directory), or, when that
    /// source is gone, by this generator's runtime version.
    ///
    /// ```
    /// use stackql_codegen::{Config, RuntimeDependency};
    /// Config::new().runtime_dependency(RuntimeDependency::Version("0.1".into()));
    /// ```
    pub fn runtime_dependency(&mut self, dep: RuntimeDependency) -> &mut Self {
        self.runtime = Some(dep);
        self
    }

    /// The runtime dependency of a crate written to `out`.
    fn runtime_for(&self, out: Option<&Path>) -> RuntimeDependency {
        if let Some(dep) = &self.runtime {
            return dep.clone();
        }
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
        match (source.canonicalize(), out) {
            (Ok(source), Some(out)) => RuntimeDependency::Path(write::relative_path(out, &source)),
            (Ok(source), None) => RuntimeDependency::Path(source.to_string_lossy().into_owned()),
            (Err(_), _) => RuntimeDependency::Version(stackql_runtime::VERSION.to_string()),
        }
    }

    /// Sets the crate name, Cloud Control policy actions and partial output at once (for the CLI).
    pub fn out_crate(&mut self, name: &str, cloud_control: bool, allow_partial: bool) -> &mut Self {
        self.crate_name(name)
            .cloud_control(cloud_control)
            .allow_partial(allow_partial)
    }

    fn discover(&self) -> Result<Vec<SpecFile>> {
        specs::discover_only(&self.specs, &self.only).map_err(io(format!(
            "reading specs directory {}",
            self.specs.display()
        )))
    }

    /// Reads and parses the specs (in parallel). `progress` is called once per page.
    pub fn parse(&self, progress: &(dyn Fn(usize) + Sync)) -> Result<Vec<Page>> {
        let files = self.discover()?;
        progress(files.len());
        Ok(specs::parse_all(&files, &|| progress(0)))
    }

    /// Discovers and reads every page, hashing each (in parallel).
    fn read(&self, progress: &(dyn Fn(usize) + Sync)) -> Result<Inputs> {
        let files = self.discover()?;
        progress(files.len());
        let (texts, hashes) = files
            .par_iter()
            .map(|f| {
                let bytes = std::fs::read(&f.path);
                let h = bytes.as_ref().map_or(0, |b| reuse::hash(b));
                (bytes, h)
            })
            .unzip();
        Ok(Inputs {
            files,
            texts,
            hashes,
        })
    }

    /// The key of a run: the generator, every setting that affects the
    /// output (`mode` says which kind of output and, for build-script mode,
    /// where: `bindings.rs` names its absolute path), and every page's path
    /// and bytes. The specs directory's own path is left out: the output
    /// does not depend on it.
    fn key(&self, mode: &str, out: Option<&Path>, inputs: &Inputs) -> u64 {
        fn text(h: &mut impl Hasher, s: &str) {
            h.write_usize(s.len());
            h.write(s.as_bytes());
        }
        let mut h = std::hash::DefaultHasher::new();
        text(&mut h, &reuse::fingerprint());
        text(&mut h, mode);
        text(&mut h, &self.crate_name);
        h.write_u8(u8::from(self.cloud_control));
        h.write_u8(u8::from(self.allow_partial));
        h.write_u8(u8::from(self.service_features));
        text(&mut h, &format!("{:?}", self.runtime_for(out)));
        h.write_usize(self.only.len());
        for p in &self.only {
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

    /// Parses, resolves and emits, in memory. Fails (with `allow_partial`
    /// off) when any resource page could not be generated.
    pub fn generate(&self) -> Result<Generation> {
        self.generate_with_progress(&|_| {})
    }

    /// [`Config::generate`] with a progress callback (called with the page
    /// count first, then with 0 once per page).
    pub fn generate_with_progress(&self, progress: &(dyn Fn(usize) + Sync)) -> Result<Generation> {
        let inputs = self.read(progress)?;
        self.generate_from(inputs, None, None, progress)
    }

    /// [`Config::generate_with_progress`], reusing resource files of a
    /// previous output in `reuse_from` whose recorded input and body hashes
    /// still match (a no-change regeneration then formats nothing).
    pub fn generate_reusing(
        &self,
        reuse_from: Option<&Path>,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<Generation> {
        let inputs = self.read(progress)?;
        self.generate_from(inputs, reuse_from, reuse_from, progress)
    }

    /// [`Config::generate_with_progress`] for a crate that goes to `out`
    /// (which decides the runtime's relative path), reusing nothing: what
    /// `--check` compares with `out`.
    pub fn generate_for(
        &self,
        out: &Path,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<Generation> {
        let inputs = self.read(progress)?;
        self.generate_from(inputs, Some(out), None, progress)
    }

    /// `out`: where the crate goes (it decides the runtime path).
    fn generate_from(
        &self,
        inputs: Inputs,
        out: Option<&Path>,
        reuse_from: Option<&Path>,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<Generation> {
        let pages = specs::parse_texts(&inputs.files, &inputs.texts, &|| progress(0));
        drop(inputs);
        let mut diagnostics = Vec::new();
        let mut left_out: Vec<String> = pages
            .iter()
            .filter(|p| p.kind == PageKind::Resource && p.resource.is_none())
            .map(|p| p.source.clone())
            .collect();
        // One resource per id: a second page with the same id would write
        // the same files.
        let mut by_id: BTreeMap<String, Resource> = BTreeMap::new();
        for r in pages.iter().filter_map(|p| p.resource.as_ref()) {
            let id = r.id.to_string();
            if let Some(first) = by_id.get(&id) {
                diagnostics.push(Diagnostic::new(
                    &r.source,
                    r.line,
                    Severity::Error,
                    Kind::DuplicateId,
                    format!(
                        "expected a unique Id, found `{id}` already given by {}",
                        first.source
                    ),
                ));
                left_out.push(r.source.clone());
                continue;
            }
            by_id.insert(id, r.clone());
        }
        let resources: Vec<Resource> = by_id.into_values().collect();
        let resolved = resolve::resolve(&resources, self.cloud_control, &mut diagnostics);
        let opts = EmitOptions {
            crate_name: self.crate_name.clone(),
            runtime: self.runtime_for(out),
            cloud_control: self.cloud_control,
            service_features: self.service_features,
            reuse_from: reuse_from.map(Path::to_path_buf),
        };
        let emit::CrateFiles {
            files,
            errors,
            cache,
        } = emit::crate_files_cached(&resolved, &opts);
        let generated = resources.len() - errors.len();
        for (source, msg) in errors {
            diagnostics.push(Diagnostic::new(
                &source,
                1,
                Severity::Error,
                Kind::Emit,
                format!("the generated module is not valid Rust (a generator bug): {msg}"),
            ));
            left_out.push(source);
        }
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
            resources: generated,
            pages,
            diagnostics,
            files,
            left_out,
            cache,
        })
    }

    /// Generates and writes a complete crate into `out` (created if
    /// missing), touching only changed files. When the settings and every
    /// page are those of the run that wrote `out` and every file it wrote is
    /// untouched (same size and modification time; see [`emit::reuse`]),
    /// nothing is parsed or written at all.
    pub fn generate_to(&self, out: &Path) -> Result<WriteReport> {
        self.write_to(out, &|_| {}).map(|o| o.report)
    }

    /// [`Config::generate_to`] with a progress callback (as
    /// [`Config::generate_with_progress`]) and the whole outcome: what the
    /// CLI prints.
    pub fn write_to(&self, out: &Path, progress: &(dyn Fn(usize) + Sync)) -> Result<Outcome> {
        self.write_mode(out, "crate", progress, &|_| {})
    }

    /// Reads the pages; when the key and the output are as the last write
    /// left them, reports that write's outcome; else generates (reusing
    /// unchanged resource files), lets `finish` add files, and writes.
    fn write_mode(
        &self,
        out: &Path,
        mode: &str,
        progress: &(dyn Fn(usize) + Sync),
        finish: &dyn Fn(&mut Generation),
    ) -> Result<Outcome> {
        let inputs = self.read(progress)?;
        let key = self.key(mode, Some(out), &inputs);
        if let Some(stamp) = Cache::load(Some(out)).unchanged(key) {
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
        let mut g = self.generate_from(inputs, Some(out), Some(out), progress)?;
        finish(&mut g);
        g.write_stamped(out, key)
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
        self.write_mode(out, &mode, &|_| {}, &|g| {
            let include = emit::include_file(out, &g.files);
            g.files.push(include);
        })
        .map(|o| o.report)
    }

    /// Compares `out` with what the specs produce, writing nothing.
    pub fn check(&self, out: &Path) -> Result<Vec<Drift>> {
        let g = self.generate_for(out, &|_| {})?;
        let mut drift =
            write::check(out, &g.files).map_err(io(format!("reading {}", out.display())))?;
        drift.sort();
        Ok(drift)
    }
}
