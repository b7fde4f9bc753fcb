//! [`Config`]: the generator's settings (like `prost_build::Config`). The
//! entry points that run the pipeline with them are in [`crate::pipeline`].

use crate::emit::RuntimeDependency;
use crate::pipeline::Progress;
use crate::write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The settings of a run, and its entry points (like `prost_build::Config`):
/// every setter takes and returns `&mut Self`, so settings chain; the
/// entry points ([`Config::generate`], [`Config::write_to`],
/// [`Config::generate_to`], [`Config::generate_module`], [`Config::check`],
/// [`Config::parse`]) run the pipeline with them.
///
/// ```no_run
/// // build.rs
/// let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("stackql");
/// stackql_codegen::Config::new()
///     .specs("specs")
///     .generate_to(&out)
///     .unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) specs: PathBuf,
    pub(crate) crate_name: String,
    pub(crate) cloud_control: bool,
    pub(crate) allow_partial: bool,
    pub(crate) only: Vec<String>,
    pub(crate) service_features: bool,
    pub(crate) runtime: Option<RuntimeDependency>,
    pub(crate) adopt: bool,
    progress: Option<Reporter>,
}

/// The [`Progress`] a [`Config`] reports to.
#[derive(Clone)]
struct Reporter(Arc<dyn Progress>);

impl std::fmt::Debug for Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
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
            adopt: false,
            progress: None,
        }
    }
}

impl Config {
    /// Defaults: specs from `specs/`, crate `stackql-bindings`, Cloud Control
    /// actions in AWS policies, service features, no partial output, the
    /// runtime by path (see [`Config::runtime_dependency`]), no progress
    /// reporting.
    ///
    /// ```
    /// let config = stackql_codegen::Config::new();
    /// ```
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

    /// Only pages under one of these folders of the specs (e.g. `aws/s3`),
    /// or these pages, matched by whole path segments: `aws/s3` does not
    /// select `aws/s3control`. All pages when empty.
    ///
    /// ```
    /// stackql_codegen::Config::new().only(["aws/s3/", "google/compute/"]);
    /// ```
    pub fn only<I: IntoIterator<Item = S>, S: Into<String>>(&mut self, prefixes: I) -> &mut Self {
        self.only = prefixes.into_iter().map(Into::into).collect();
        self
    }

    /// Take over an output directory that is not empty and holds no
    /// manifest of the generator's, and overwrite files it did not create
    /// where it generates files of the same path. Off by default: such a
    /// directory is refused, so that `--out` pointed at a user's project
    /// changes nothing.
    ///
    /// ```
    /// stackql_codegen::Config::new().adopt(true);
    /// ```
    pub fn adopt(&mut self, on: bool) -> &mut Self {
        self.adopt = on;
        self
    }

    /// Whether the crate name follows cargo's package-name rules (as
    /// `cargo new` checks them, within crates.io's 64 characters): nothing
    /// else may reach the emitted Cargo.toml.
    pub(crate) fn valid_crate_name(&self) -> bool {
        let name = &self.crate_name;
        name.len() <= 64
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
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

    /// Where the entry points report their stages and each parsed page
    /// (the CLI draws a progress bar with it); nowhere by default.
    ///
    /// ```
    /// use stackql_codegen::{Config, Progress};
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    ///
    /// #[derive(Default)]
    /// struct Count(AtomicUsize);
    /// impl Progress for Count {
    ///     fn page_parsed(&self) {
    ///         self.0.fetch_add(1, Ordering::Relaxed);
    ///     }
    /// }
    ///
    /// let count = std::sync::Arc::new(Count::default());
    /// Config::new().specs("../specs").progress(count.clone()).parse()?;
    /// assert!(count.0.load(Ordering::Relaxed) > 0);
    /// # Ok::<(), stackql_codegen::Error>(())
    /// ```
    pub fn progress(&mut self, progress: Arc<dyn Progress>) -> &mut Self {
        self.progress = Some(Reporter(progress));
        self
    }

    /// The configured [`Progress`], or one that ignores everything.
    pub(crate) fn reporter(&self) -> &dyn Progress {
        match &self.progress {
            Some(Reporter(p)) => p.as_ref(),
            None => &(),
        }
    }

    /// The runtime dependency of a crate written to `out` (see
    /// [`Config::runtime_dependency`]).
    pub(crate) fn runtime_for(&self, out: Option<&Path>) -> RuntimeDependency {
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
}
