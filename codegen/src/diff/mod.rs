//! Schema diff: what changed between two generations of a provider's pages,
//! and what that does to the generated Rust API.
//!
//! [`diff`] compares two sets of parsed [`Resource`](crate::model::Resource)s,
//! keyed by resource id, and lists every [`Change`] per resource. Two levels
//! are compared:
//! - what the pages state: resources, fields, methods (with rename
//!   detection), required params, insertable properties, composite
//!   identifiers, permissions and descriptions;
//! - what the generator makes of it: both trees are resolved
//!   (`resolve::resolve`, as `generate` does) and
//!   the generated structs are compared down to the nested types of the
//!   manifest's shapes (a property added, removed or retyped at
//!   `Actions.SubmitAutoEvaluationActions`), with every Rust path that moves
//!   (a module, a type, a field or a function renamed, e.g. by a
//!   de-duplication suffix) and every function whose argument types change.
//!   Required-ness and arguments are judged as generated: a required INSERT
//!   param that is a body property is a required `CreateProperties` field,
//!   not an argument.
//!
//! Each change gets an [`Impact`], the class that sets the version bump:
//!
//! | class | bump (≥ 1.0 / 0.x) | e.g. |
//! | --- | --- | --- |
//! | breaking | major / minor | a field, property, method or resource removed; a method renamed; a Rust path renamed; a type changed; a property made required |
//! | additive | minor / patch | a new resource, method, field, optional property or nested property |
//! | policy (permission-only) | patch / patch | an operation needs a new IAM action |
//! | docs (docs-only) | patch / patch | a field's description changed |
//!
//! New fields count as additive because every generated struct is
//! `#[non_exhaustive]`, built with `new` (its required values) and `with_*`
//! setters: code outside the crate never names every field. The whole diff
//! gets the highest bump of its changes ([`Semver`]); `docs/semver.md`
//! records how the verdicts compare with cargo-semver-checks'.
//!
//! The [`SchemaDiff`] serialises to stable JSON (maps are `BTreeMap`s,
//! changes are sorted; the field names below are the JSON names) and renders
//! as a Markdown changelog section ([`SchemaDiff::to_markdown`]) or a short
//! text summary ([`SchemaDiff::to_text`]).
//!
//! ```
//! use stackql_codegen::diff::diff;
//! let d = diff(&[], &[]);
//! assert!(d.resources.is_empty());
//! assert_eq!(d.semver.bump, stackql_codegen::diff::Bump::None);
//! ```
//!
//! The module is split as the work is: the change types (what a change is,
//! its impact, the semver bump), the comparison of pages and of the
//! generated API, and the rendering (text and Markdown; JSON is the types'
//! serde form).

mod api;
mod compare;
mod render;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_api;
mod types;

pub use compare::diff;
pub use types::{
    Bump, Change, ChangeKind, DocItem, Impact, ReleaseKind, ResourceDiff, ResourceStatus, RustItem,
    Semver, Summary,
};

use serde::Serialize;
use std::collections::BTreeMap;

/// The difference between two spec trees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaDiff {
    /// Resources (distinct ids) in the old tree.
    pub old_resources: usize,
    /// Resources (distinct ids) in the new tree.
    pub new_resources: usize,
    /// Counts.
    pub summary: Summary,
    /// The implied version bump.
    pub semver: Semver,
    /// Every resource with at least one change, by `provider.service.resource`.
    pub resources: BTreeMap<String, ResourceDiff>,
    /// Resources per (provider, service): (old, new), for filtering.
    #[serde(skip)]
    counts: BTreeMap<(String, String), (usize, usize)>,
}

impl SchemaDiff {
    pub(crate) fn assemble(
        resources: BTreeMap<String, ResourceDiff>,
        counts: BTreeMap<(String, String), (usize, usize)>,
    ) -> SchemaDiff {
        let mut summary = Summary::default();
        for r in resources.values() {
            match r.status {
                ResourceStatus::Added => summary.resources_added += 1,
                ResourceStatus::Removed => summary.resources_removed += 1,
                ResourceStatus::Changed => summary.resources_changed += 1,
            }
            for c in &r.changes {
                match c.impact {
                    Impact::Breaking => summary.breaking += 1,
                    Impact::Additive => summary.additive += 1,
                    Impact::Policy => summary.policy += 1,
                    Impact::Docs => summary.docs += 1,
                }
                if matches!(c.kind, ChangeKind::MethodRenamed { .. }) {
                    summary.methods_renamed += 1;
                }
                *summary
                    .by_kind
                    .entry(c.kind.name().to_string())
                    .or_default() += 1;
            }
        }
        let kind = if summary.breaking > 0 {
            ReleaseKind::Breaking
        } else if summary.additive > 0 {
            ReleaseKind::Additive
        } else if summary.policy > 0 {
            ReleaseKind::Policy
        } else if summary.docs > 0 {
            ReleaseKind::Docs
        } else {
            ReleaseKind::None
        };
        SchemaDiff {
            old_resources: counts.values().map(|c| c.0).sum(),
            new_resources: counts.values().map(|c| c.1).sum(),
            summary,
            semver: Semver::of(kind),
            resources,
            counts,
        }
    }

    /// The same diff restricted to one provider's service (counts,
    /// summary and semver recomputed), e.g. `filter_service("aws", "connect")`.
    pub fn filter_service(&self, provider: &str, service: &str) -> SchemaDiff {
        self.filter(|p, s| p == provider && s == service)
    }

    /// The same diff restricted to the services `keep(provider, service)`
    /// accepts (counts, summary and semver recomputed).
    pub fn filter(&self, keep: impl Fn(&str, &str) -> bool) -> SchemaDiff {
        let resources = self
            .resources
            .iter()
            .filter(|(_, r)| keep(&r.provider, &r.service))
            .map(|(k, r)| (k.clone(), r.clone()))
            .collect();
        let counts = self
            .counts
            .iter()
            .filter(|((p, s), _)| keep(p, s))
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        SchemaDiff::assemble(resources, counts)
    }

    /// Every change of one impact, with its resource, in resource order.
    pub fn changes(&self, impact: Impact) -> impl Iterator<Item = (&ResourceDiff, &Change)> {
        self.resources.values().flat_map(move |r| {
            r.changes
                .iter()
                .filter(move |c| c.impact == impact)
                .map(move |c| (r, c))
        })
    }
}
