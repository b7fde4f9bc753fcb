//! `stackql-codegen`: typed Rust bindings and IAM policies from StackQL
//! provider resource docs.
//!
//! The pipeline is `pages → parse → model → resolve → emit → write`:
//! - [`parse`] reads one Markdown/MDX page into a [`model::Resource`] plus
//!   [`diagnostic::Diagnostic`]s;
//! - [`specs`] walks a specs tree and parses every page (in parallel);
//! - [`resolve`] decides every Rust name, deterministically;
//! - [`emit`] builds the Rust files (quote → syn → prettyplease) and the
//!   policy JSON;
//! - [`write`] stages the output and swaps it in only when the run succeeds.
//!
//! [`Config`] is the builder for build scripts (like `prost_build::Config`).
#![deny(missing_docs)]

pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod ident;
pub mod model;
pub mod parse;
pub mod report;
pub mod resolve;
pub mod specs;
pub mod suggest;
pub mod write;

pub use config::{Config, Error, Generation, Outcome, Result};
pub use emit::RuntimeDependency;
