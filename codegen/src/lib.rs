//! `stackql-codegen`: typed Rust bindings and IAM policies from StackQL
//! provider resource docs.
//!
//! The pipeline is `pages → parse → model → resolve → emit → write`; the
//! crate's surface is small:
//!
//! - [`Config`]: the settings of a run (like `prost_build::Config`) and its
//!   entry points: [`Config::write_to`] / [`Config::generate_to`] write a
//!   crate, [`Config::generate_module`] writes bindings for a build script to
//!   `include!`, [`Config::check`] compares an output with the specs,
//!   [`Config::generate`] keeps everything in memory and [`Config::parse`]
//!   gives the parsed pages ([`Config::spec_files`], the pages it reads); a
//!   [`Progress`] follows a run.
//! - [`parse`] and [`model`]: one page into a [`model::Resource`] with its
//!   [`diagnostic::Diagnostic`]s, for tools built on top;
//! - [`report`], [`diff`] and [`query`]: the questions the CLI's `report`,
//!   `diff` and `policy` commands ask of a specs tree.
//!
//! Writing a crate (what `stackql-codegen generate` does):
//!
//! ```no_run
//! let outcome = stackql_codegen::Config::new()
//!     .specs("specs")
//!     .write_to("generated".as_ref())?;
//! println!("{} resources", outcome.resources);
//! # Ok::<(), stackql_codegen::Error>(())
//! ```
//!
//! In a build script, bindings included into the crate itself:
//!
//! ```no_run
//! // build.rs
//! let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("stackql");
//! stackql_codegen::Config::new()
//!     .specs("specs")
//!     .service_features(false)
//!     .generate_module(&out)
//!     .unwrap();
//! // src/lib.rs: pub mod bindings { include!(concat!(env!("OUT_DIR"), "/stackql/bindings.rs")); }
//! ```
//!
//! The model of a specs tree, and what changed between two:
//!
//! ```
//! use stackql_codegen::{diff, Config};
//! let pages = Config::new().specs("../specs").parse()?;
//! let resources: Vec<_> = pages.into_iter().filter_map(|p| p.resource).collect();
//! let d = diff::diff(&resources, &resources);
//! assert!(d.resources.is_empty());
//! # Ok::<(), stackql_codegen::Error>(())
//! ```
//!
//! The least-privilege policy of a set of operations:
//!
//! ```
//! let policy = stackql_codegen::query::PolicyQuery::new("../specs")
//!     .policy(&["aws.connect.integration_associations:list"])?;
//! assert!(policy.docs[0].actions().contains(&"connect:ListIntegrationAssociations"));
//! # Ok::<(), stackql_codegen::query::Errors>(())
//! ```
#![deny(missing_docs)]

pub mod diagnostic;
pub mod diff;
pub mod model;
pub mod parse;
pub mod query;
pub mod report;

mod cache;
mod config;
mod emit;
mod error;
mod ident;
mod pipeline;
mod resolve;
mod specs;
mod suggest;
mod write;

pub use config::Config;
pub use emit::{OutFile, RuntimeDependency};
pub use error::{Error, Result};
pub use pipeline::{Check, Generation, Outcome, Progress, Stage};
pub use specs::SpecFile;
pub use write::{Drift, WriteError, WriteReport};
