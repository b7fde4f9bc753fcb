//! Questions tools ask of a specs tree. [`PolicyQuery`]: the merged
//! least-privilege IAM policy for a set of operations, e.g. everything one
//! program does (the CLI's `policy` command).
//!
//! Each request names a resource and what is done to it:
//! `provider.service.resource:operation`, where the operation is one of
//! `create`, `read`, `update`, `delete`, `list` (any case) or the name of one
//! of the resource's methods (`aws.s3.buckets:list_resources`), which stands
//! for the operations that method performs, as in the generated bindings
//! (a tags view's `SELECT` lists and reads). Operation names win over method
//! names.
//!
//! The actions are the ones the resource page lists for each operation (a
//! view's come from the resource its Permissions section links to) plus, for
//! resources reached through AWS Cloud Control, the Cloud Control API actions
//! StackQL calls (unless turned off). They are merged with [`PolicyBuilder`]
//! (one statement per service prefix) into one policy document, split into
//! several when it exceeds the quota of the [`PolicyKind`].
//!
//! Every problem (an unknown resource or operation, a resource without
//! documented permissions, nothing to allow) is an [`Error`] naming what
//! exists instead; all of them are reported at once ([`Errors`]).
//!
//! ```
//! use stackql_codegen::query::{PolicyKind, PolicyQuery};
//! let policy = PolicyQuery::new("../specs")
//!     .kind(PolicyKind::Managed)
//!     .policy(&["aws.connect.integration_associations:read"])?;
//! assert_eq!(policy.docs.len(), 1);
//! assert!(policy.docs[0].actions().contains(&"cloudformation:GetResource"));
//! # Ok::<(), stackql_codegen::query::Errors>(())
//! ```

mod error;
mod lookup;
mod request;
#[cfg(test)]
mod tests;

pub use error::{Error, Errors, Warning};
pub use stackql_runtime::policy::{PolicyBuilder, PolicyDocument, PolicyKind};

use crate::config::Config;
use crate::model::{Resource, ResourceId};
use crate::parse::Page;
use crate::{pipeline, resolve};
use request::Request;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// A policy request's settings: where the specs are, the quota to fit and
/// whether Cloud Control actions are added. Setters chain like
/// [`crate::Config`]'s.
///
/// ```
/// use stackql_codegen::query::{PolicyKind, PolicyQuery};
/// let mut q = PolicyQuery::new("../specs");
/// q.kind(PolicyKind::InlineRole).cloud_control(false);
/// ```
#[derive(Debug, Clone)]
pub struct PolicyQuery {
    specs: PathBuf,
    kind: PolicyKind,
    cloud_control: bool,
}

/// The answer to a [`PolicyQuery`].
#[derive(Debug, Clone)]
pub struct Policy {
    /// The documents: one, or several when one would exceed the quota of
    /// the [`PolicyKind`] (each then within it, to attach on its own).
    pub docs: Vec<PolicyDocument>,
    /// The size of the merged document (characters excluding whitespace).
    pub size: usize,
    /// What is worth saying about it.
    pub warnings: Vec<Warning>,
}

impl PolicyQuery {
    /// A query over the specs directory `specs`
    /// (`<provider>/<service>/<resource>/index.md`, or a provider's
    /// `<service>/<resource>/index.md`): managed-policy quota, Cloud Control
    /// actions on.
    ///
    /// ```
    /// let q = stackql_codegen::query::PolicyQuery::new("specs");
    /// ```
    pub fn new(specs: impl Into<PathBuf>) -> Self {
        PolicyQuery {
            specs: specs.into(),
            kind: PolicyKind::Managed,
            cloud_control: true,
        }
    }

    /// Where the policy will be attached, which decides its size quota:
    /// [`PolicyKind::Managed`] (a customer managed policy, 6,144 characters
    /// excluding whitespace) or [`PolicyKind::InlineRole`] (a role's inline
    /// policies, 10,240 characters for all of them together).
    ///
    /// ```
    /// use stackql_codegen::query::{PolicyKind, PolicyQuery};
    /// PolicyQuery::new("specs").kind(PolicyKind::InlineRole);
    /// ```
    pub fn kind(&mut self, kind: PolicyKind) -> &mut Self {
        self.kind = kind;
        self
    }

    /// Whether the AWS Cloud Control API actions StackQL calls are added to
    /// those the pages list (on by default: without them every call is denied).
    ///
    /// ```
    /// stackql_codegen::query::PolicyQuery::new("specs").cloud_control(false);
    /// ```
    pub fn cloud_control(&mut self, on: bool) -> &mut Self {
        self.cloud_control = on;
        self
    }

    /// The merged policy of `requests` (`provider.service.resource:operation`
    /// each), or every error found: usage errors first, then one per
    /// request that names no documented operation.
    ///
    /// ```
    /// let e = stackql_codegen::query::PolicyQuery::new("../specs")
    ///     .policy(&["aws.connect.integration_associations:frobnicate"])
    ///     .unwrap_err();
    /// assert!(e.to_string().contains("its methods: create_resource"), "{e}");
    /// ```
    pub fn policy<S: AsRef<str>>(&self, requests: &[S]) -> Result<Policy, Errors> {
        let mut errors = Vec::new();
        let requests: Vec<Request> = requests
            .iter()
            .filter_map(|a| Request::parse(a.as_ref()).map_err(|e| errors.push(e)).ok())
            .collect();
        if !errors.is_empty() {
            return Err(Errors(errors));
        }
        let pages = self
            .read_pages(&requests)
            .map_err(|e| Errors(vec![e.into()]))?;
        self.merge(&requests, &pages)
    }

    /// The pages of the specs: only the requested services' folders first
    /// (fast), all of them when that does not find every requested service.
    fn read_pages(&self, requests: &[Request]) -> crate::Result<Vec<Page>> {
        let parse = |only: Vec<String>| Config::new().specs(&self.specs).only(only).parse();
        let prefixes: BTreeSet<String> = requests
            .iter()
            .flat_map(|r| {
                [
                    format!("{}/{}/", r.provider, r.service),
                    format!("{}/", r.service),
                ]
            })
            .collect();
        let pages = parse(prefixes.into_iter().collect())?;
        let ids: Vec<&ResourceId> = pages
            .iter()
            .filter_map(|p| p.resource.as_ref())
            .map(|r| &r.id)
            .collect();
        // A resource missing from a service that was found is missing from the
        // specs too (its page is in that folder, or nowhere).
        let service_found = |q: &Request| {
            ids.iter()
                .any(|id| id.provider == q.provider && id.service == q.service)
        };
        if requests.iter().all(service_found) {
            return Ok(pages);
        }
        parse(Vec::new())
    }

    /// Resolves the requested services of `pages` and merges the actions of
    /// every request.
    fn merge(&self, requests: &[Request], pages: &[Page]) -> Result<Policy, Errors> {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        // One resource per id, the first page winning (as `generate` does).
        let selection = pipeline::select(pages);
        for d in &selection.duplicates {
            if requests.iter().any(|q| q.id() == d.id) {
                warnings.push(Warning::Duplicate {
                    id: d.id.clone(),
                    first: d.first.source.clone(),
                    second: d.again.source.clone(),
                });
            }
        }
        // Resolve the requested services only: a view's base is in its service.
        let services: BTreeSet<(&str, &str)> =
            requests.iter().map(|q| (q.provider, q.service)).collect();
        let resources: Vec<Resource> = selection
            .resources
            .into_iter()
            .filter(|r| services.contains(&(r.id.provider.as_str(), r.id.service.as_str())))
            .cloned()
            .collect();
        let mut diags = Vec::new();
        let resolved = resolve::resolve(&resources, self.cloud_control, &mut diags);
        // What the pages say about their permissions, to explain missing ones.
        diags.extend(
            pages
                .iter()
                .flat_map(|p| &p.diagnostics)
                .filter(|d| lookup::about_permissions(d))
                .cloned(),
        );
        let resolved: BTreeMap<String, &resolve::RResource> = resolved
            .resources
            .iter()
            .map(|r| (r.res.id.to_string(), r))
            .collect();

        let mut builder = PolicyBuilder::new();
        for q in requests {
            let Some(r) = resolved.get(&q.id()) else {
                errors.push(lookup::unknown_resource(q, pages, &self.specs));
                continue;
            };
            let ops = match lookup::operations(q, r, &diags) {
                Ok(ops) => ops,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            for op in ops {
                let actions = &r.permissions[&op];
                let (page, arg) = (&r.res.source, q.arg);
                if actions.is_empty() {
                    warnings.push(Warning::NoActions {
                        page: page.clone(),
                        operation: op,
                        arg: arg.to_string(),
                    });
                }
                if actions.iter().any(|a| a == "*") {
                    warnings.push(Warning::EveryAction {
                        page: page.clone(),
                        operation: op,
                        arg: arg.to_string(),
                    });
                }
                builder.allow(actions.iter().map(String::as_str));
                if r.cloud_control {
                    builder.require(&op);
                }
            }
        }
        if !errors.is_empty() {
            return Err(Errors(errors));
        }
        let merged = builder.build();
        if merged.statement.is_empty() {
            return Err(Errors(vec![Error::EmptyPolicy {
                requests: requests.iter().map(|q| q.arg.to_string()).collect(),
                cloud_control: self.cloud_control,
            }]));
        }
        let docs = builder.build_split(self.kind);
        if let Some(bad) = docs.iter().find_map(|d| d.validate().err()) {
            return Err(Errors(vec![Error::Invalid(bad)]));
        }
        Ok(Policy {
            size: merged.size(),
            docs,
            warnings,
        })
    }
}
