//! The error of a generation run.

/// Errors of a generation run ([`crate::Config`]'s entry points).
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
    /// The output could not be written; it was left as it was.
    #[error(transparent)]
    Write(#[from] crate::write::WriteError),
    /// The specs directory holds no resource page (with `only`, none under
    /// those prefixes): the output would lose every resource, so it is left
    /// as it was.
    #[error("no resource page found under {specs}{only}: check --specs (a tree of <provider>/<service>/<resource>/index.md pages) and --only; the output was left as it was")]
    NoPages {
        /// The specs directory.
        specs: String,
        /// The `--only` prefixes, as printed.
        only: String,
    },
    /// The crate name is not a valid cargo package name.
    #[error("invalid crate name {name:?}: a cargo package name is 1 to 64 ASCII letters, digits, `-` and `_`, starting with a letter")]
    CrateName {
        /// The name given.
        name: String,
    },
    /// The generated crate would not be well-formed (its module tree or its
    /// feature table): a generator bug, caught before anything was written.
    #[error("internal error (a bug in stackql-codegen, please report it with the specs tree): {problem}; nothing was written")]
    Internal {
        /// What is wrong.
        problem: String,
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

/// Wraps an I/O error with what was being done (`map_err(io("reading x"))`).
pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
    let context = context.into();
    move |source| Error::Io { context, source }
}
