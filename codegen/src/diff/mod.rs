//! Schema diff: what changed between two generations of a provider's pages,
//! and what that does to the generated Rust API.
//!
//! [`diff`] compares two sets of parsed [`Resource`](crate::model::Resource)s at the model level,
//! keyed by resource id, and lists every [`Change`] per resource:
//! resources, fields, methods (with rename detection), required params,
//! insertable properties, composite identifiers and permissions. Each change
//! gets an [`Impact`] — what it does to code written against the generated
//! bindings — and the whole diff an implied [`Semver`] bump.
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
//! its impact, the semver bump), the comparison (how two resources are
//! compared) and the rendering (text and Markdown; JSON is the types' serde
//! form).

mod compare;
mod render;
#[cfg(test)]
mod tests;
mod types;

pub use compare::diff;
pub use types::{
    Bump, Change, ChangeKind, Impact, ReleaseKind, ResourceDiff, ResourceStatus, Semver, Summary,
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
