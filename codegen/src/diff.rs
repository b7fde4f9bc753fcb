//! Schema diff: what changed between two generations of a provider's pages,
//! and what that does to the generated Rust API.
//!
//! [`diff`] compares two sets of parsed [`Resource`]s at the model level,
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

use crate::model::{Method, Operation, Permissions, Resource, Verb};
use crate::resolve::{self, Ty};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// What a change does to code written against the generated bindings.
///
/// JSON: `"breaking"`, `"additive"`, `"policy"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Existing code may stop compiling or silently change meaning: a
    /// removed resource, field, method or property, a renamed method, a
    /// changed required-param list, a property that becomes required (or
    /// optional: `CreateProperties::new` changes either way), a changed
    /// field type (row fields are `Option<T>`, so the `T` changes) or a
    /// changed composite identifier.
    Breaking,
    /// Only new API: a new resource, field, method or optional property.
    Additive,
    /// No API change, but the IAM actions an operation needs changed (the
    /// generated `permissions` constants and policies change).
    Policy,
}

impl Impact {
    /// Stable lower-case name (as in JSON).
    pub fn as_str(&self) -> &'static str {
        match self {
            Impact::Breaking => "breaking",
            Impact::Additive => "additive",
            Impact::Policy => "policy",
        }
    }
}

/// One change to one resource. Serialised as the [`Impact`] under `impact`
/// plus the [`ChangeKind`]'s fields, tagged by `change`, e.g.
/// `{"impact":"breaking","change":"method_renamed","old":"list_resource",
/// "new":"list_resources","verb":"SELECT","required_params":["region"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What it does to the generated API.
    pub impact: Impact,
    /// What changed.
    #[serde(flatten)]
    pub kind: ChangeKind,
}

/// What changed. Names are as the pages write them (wire names, method
/// names), not Rust identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ChangeKind {
    /// The resource is new (additive).
    ResourceAdded,
    /// The resource is gone (breaking).
    ResourceRemoved,
    /// A new row of the Fields table (additive).
    FieldAdded {
        /// Column name.
        field: String,
        /// Its datatype.
        datatype: String,
    },
    /// A Fields row is gone (breaking).
    FieldRemoved {
        /// Column name.
        field: String,
        /// Its old datatype.
        datatype: String,
    },
    /// A field's datatype changed (breaking when the Rust type changes).
    FieldTypeChanged {
        /// Column name.
        field: String,
        /// Old datatype.
        old: String,
        /// New datatype.
        new: String,
    },
    /// A new method (additive).
    MethodAdded {
        /// Method name.
        method: String,
        /// Its verb.
        verb: Verb,
        /// Its required params, in page order.
        required_params: Vec<String>,
    },
    /// A method is gone (breaking).
    MethodRemoved {
        /// Method name.
        method: String,
        /// Its verb.
        verb: Verb,
        /// Its required params, in page order.
        required_params: Vec<String>,
    },
    /// A method was removed and one with the same verb and the same required
    /// params added (breaking: the Rust function is renamed).
    MethodRenamed {
        /// Old method name.
        old: String,
        /// New method name.
        new: String,
        /// The verb of both.
        verb: Verb,
        /// The required params of the new method, in page order.
        required_params: Vec<String>,
    },
    /// A method kept its name but is accessible by another verb (breaking).
    MethodVerbChanged {
        /// Method name.
        method: String,
        /// Old verb.
        old: Verb,
        /// New verb.
        new: Verb,
    },
    /// A method needs a new required param (breaking: a new argument).
    RequiredParamAdded {
        /// Method name (the new name of a renamed method).
        method: String,
        /// The param.
        param: String,
    },
    /// A method no longer takes a required param (breaking: an argument is
    /// gone).
    RequiredParamRemoved {
        /// Method name.
        method: String,
        /// The param.
        param: String,
    },
    /// The same required params in another order (breaking: the generated
    /// function's positional `&str` arguments swap silently).
    RequiredParamsReordered {
        /// Method name (the new name of a renamed method).
        method: String,
        /// Old order.
        old: Vec<String>,
        /// New order.
        new: Vec<String>,
    },
    /// A new insertable property (`InsertSpec::all`/`required`): additive
    /// when optional or when the resource could not be inserted before,
    /// breaking when required (`CreateProperties::new` gains an argument).
    PropertyAdded {
        /// Property (column) name.
        property: String,
        /// Whether it is required.
        required: bool,
    },
    /// An insertable property is gone (breaking).
    PropertyRemoved {
        /// Property (column) name.
        property: String,
        /// Whether it was required.
        required: bool,
    },
    /// An optional property became required (breaking).
    PropertyBecameRequired {
        /// Property (column) name.
        property: String,
    },
    /// A required property became optional (breaking: the field becomes
    /// `Option<T>` and leaves `CreateProperties::new`).
    PropertyBecameOptional {
        /// Property (column) name.
        property: String,
    },
    /// The composite identifier's parts changed (breaking: `Identifier::new`
    /// changes).
    IdentifierChanged {
        /// Old parts (empty when there was none).
        old: Vec<String>,
        /// New parts (empty when there is none).
        new: Vec<String>,
    },
    /// The row struct's name changed (breaking), e.g. because the page's
    /// singular name changed.
    RowTypeRenamed {
        /// Old Rust type name.
        old: String,
        /// New Rust type name.
        new: String,
    },
    /// An operation needs a new IAM action (policy).
    PermissionAdded {
        /// The operation.
        operation: Operation,
        /// The action, as the new page writes it.
        action: String,
    },
    /// An operation no longer lists an IAM action (policy).
    PermissionRemoved {
        /// The operation.
        operation: Operation,
        /// The action, as the old page wrote it.
        action: String,
    },
}

impl ChangeKind {
    /// The `change` tag, as in JSON (and in [`Summary::by_kind`]).
    pub fn name(&self) -> &'static str {
        match self {
            ChangeKind::ResourceAdded => "resource_added",
            ChangeKind::ResourceRemoved => "resource_removed",
            ChangeKind::FieldAdded { .. } => "field_added",
            ChangeKind::FieldRemoved { .. } => "field_removed",
            ChangeKind::FieldTypeChanged { .. } => "field_type_changed",
            ChangeKind::MethodAdded { .. } => "method_added",
            ChangeKind::MethodRemoved { .. } => "method_removed",
            ChangeKind::MethodRenamed { .. } => "method_renamed",
            ChangeKind::MethodVerbChanged { .. } => "method_verb_changed",
            ChangeKind::RequiredParamAdded { .. } => "required_param_added",
            ChangeKind::RequiredParamRemoved { .. } => "required_param_removed",
            ChangeKind::RequiredParamsReordered { .. } => "required_params_reordered",
            ChangeKind::PropertyAdded { .. } => "property_added",
            ChangeKind::PropertyRemoved { .. } => "property_removed",
            ChangeKind::PropertyBecameRequired { .. } => "property_became_required",
            ChangeKind::PropertyBecameOptional { .. } => "property_became_optional",
            ChangeKind::IdentifierChanged { .. } => "identifier_changed",
            ChangeKind::RowTypeRenamed { .. } => "row_type_renamed",
            ChangeKind::PermissionAdded { .. } => "permission_added",
            ChangeKind::PermissionRemoved { .. } => "permission_removed",
        }
    }

    /// Sort key inside one resource: category, then subject.
    fn sort_key(&self) -> (u8, String, String) {
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        let (rank, (a, b)) = match self {
            ChangeKind::ResourceAdded => (0, s("", "")),
            ChangeKind::ResourceRemoved => (0, s("", "")),
            ChangeKind::FieldAdded { field, .. }
            | ChangeKind::FieldRemoved { field, .. }
            | ChangeKind::FieldTypeChanged { field, .. } => (1, s(field, "")),
            ChangeKind::MethodAdded { method, .. }
            | ChangeKind::MethodRemoved { method, .. }
            | ChangeKind::MethodVerbChanged { method, .. } => (2, s(method, "")),
            ChangeKind::MethodRenamed { old, .. } => (2, s(old, "")),
            ChangeKind::RequiredParamAdded { method, param }
            | ChangeKind::RequiredParamRemoved { method, param } => (3, s(method, param)),
            ChangeKind::RequiredParamsReordered { method, .. } => (3, s(method, "")),
            ChangeKind::PropertyAdded { property, .. }
            | ChangeKind::PropertyRemoved { property, .. }
            | ChangeKind::PropertyBecameRequired { property }
            | ChangeKind::PropertyBecameOptional { property } => (4, s(property, "")),
            ChangeKind::IdentifierChanged { .. } | ChangeKind::RowTypeRenamed { .. } => {
                (5, s("", ""))
            }
            ChangeKind::PermissionAdded { operation, action }
            | ChangeKind::PermissionRemoved { operation, action } => (
                6,
                (
                    format!(
                        "{}",
                        Operation::ALL
                            .iter()
                            .position(|o| o == operation)
                            .unwrap_or(9)
                    ),
                    action.to_ascii_lowercase(),
                ),
            ),
        };
        (rank, a, b)
    }

    /// One line of Markdown describing the change (names in backticks).
    pub fn describe(&self) -> String {
        let list = |v: &[String]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        match self {
            ChangeKind::ResourceAdded => "new resource".into(),
            ChangeKind::ResourceRemoved => "resource removed".into(),
            ChangeKind::FieldAdded { field, datatype } => {
                format!("new field `{field}` (`{datatype}`)")
            }
            ChangeKind::FieldRemoved { field, datatype } => {
                format!("field `{field}` (`{datatype}`) removed")
            }
            ChangeKind::FieldTypeChanged { field, old, new } => {
                format!("field `{field}` changed type from `{old}` to `{new}`")
            }
            ChangeKind::MethodAdded {
                method,
                verb,
                required_params,
            } => format!(
                "new method `{method}` ({verb}; required params: {})",
                list(required_params)
            ),
            ChangeKind::MethodRemoved { method, verb, .. } => {
                format!("method `{method}` ({verb}) removed")
            }
            ChangeKind::MethodRenamed { old, new, verb, .. } => {
                format!("method `{old}` renamed to `{new}` ({verb})")
            }
            ChangeKind::MethodVerbChanged { method, old, new } => {
                format!("method `{method}` moved from {old} to {new}")
            }
            ChangeKind::RequiredParamAdded { method, param } => {
                format!("method `{method}` requires new param `{param}`")
            }
            ChangeKind::RequiredParamRemoved { method, param } => {
                format!("method `{method}` no longer takes param `{param}`")
            }
            ChangeKind::RequiredParamsReordered { method, old, new } => format!(
                "method `{method}` reorders its required params from {} to {}",
                list(old),
                list(new)
            ),
            ChangeKind::PropertyAdded { property, required } => format!(
                "new {} property `{property}`",
                if *required { "required" } else { "optional" }
            ),
            ChangeKind::PropertyRemoved { property, required } => format!(
                "{} property `{property}` removed",
                if *required { "required" } else { "optional" }
            ),
            ChangeKind::PropertyBecameRequired { property } => {
                format!("property `{property}` is now required")
            }
            ChangeKind::PropertyBecameOptional { property } => {
                format!("property `{property}` is now optional")
            }
            ChangeKind::IdentifierChanged { old, new } => format!(
                "identifier changed from {} to {}",
                template(old),
                template(new)
            ),
            ChangeKind::RowTypeRenamed { old, new } => {
                format!("row type `{old}` renamed to `{new}`")
            }
            ChangeKind::PermissionAdded { operation, action } => {
                format!("{operation} needs `{action}`")
            }
            ChangeKind::PermissionRemoved { operation, action } => {
                format!("{operation} no longer needs `{action}`")
            }
        }
    }
}

fn template(parts: &[String]) -> String {
    if parts.is_empty() {
        "none".into()
    } else {
        let t = parts
            .iter()
            .map(|p| format!("<{p}>"))
            .collect::<Vec<_>>()
            .join("|");
        format!("`{t}`")
    }
}

/// Whether a resource is new, gone or changed.
///
/// JSON: `"added"`, `"removed"`, `"changed"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceStatus {
    /// Only in the new tree.
    Added,
    /// Only in the old tree.
    Removed,
    /// In both, with at least one change.
    Changed,
}

/// The changes to one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceDiff {
    /// e.g. `aws`.
    pub provider: String,
    /// e.g. `connect`.
    pub service: String,
    /// e.g. `integration_associations`.
    pub resource: String,
    /// New, gone or changed.
    pub status: ResourceStatus,
    /// The changes, sorted: resource, fields, methods, required params,
    /// properties, identifier, permissions; by name within each.
    /// An added or removed resource has exactly one change
    /// (`resource_added`/`resource_removed`).
    pub changes: Vec<Change>,
}

impl ResourceDiff {
    /// `provider.service.resource`.
    pub fn id(&self) -> String {
        format!("{}.{}.{}", self.provider, self.service, self.resource)
    }

    /// The highest impact among the changes (`None` when there are none).
    pub fn impact(&self) -> Option<Impact> {
        self.changes.iter().map(|c| c.impact).min()
    }
}

/// Counts over a [`SchemaDiff`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Resources only in the new tree.
    pub resources_added: usize,
    /// Resources only in the old tree.
    pub resources_removed: usize,
    /// Resources in both with at least one change.
    pub resources_changed: usize,
    /// Changes classified [`Impact::Breaking`] (an added or removed resource
    /// counts as one change).
    pub breaking: usize,
    /// Changes classified [`Impact::Additive`].
    pub additive: usize,
    /// Changes classified [`Impact::Policy`].
    pub policy: usize,
    /// `method_renamed` changes.
    pub methods_renamed: usize,
    /// Changes per `change` tag (see [`ChangeKind::name`]).
    pub by_kind: BTreeMap<String, usize>,
}

/// The kind of release a diff calls for.
///
/// JSON: `"none"`, `"policy"`, `"additive"`, `"breaking"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseKind {
    /// Nothing changed.
    None,
    /// Only permissions changed.
    Policy,
    /// Only additions (and perhaps permissions).
    Additive,
    /// At least one breaking change.
    Breaking,
}

/// A semver version bump.
///
/// JSON: `"none"`, `"patch"`, `"minor"`, `"major"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// No release needed.
    None,
    /// `x.y.Z`
    Patch,
    /// `x.Y.0`
    Minor,
    /// `X.0.0`
    Major,
}

impl Bump {
    /// Stable lower-case name (as in JSON).
    pub fn as_str(&self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// The implied version bump of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Semver {
    /// What kind of change the diff is, overall.
    pub kind: ReleaseKind,
    /// The bump for a crate at `1.0.0` or later: breaking → major,
    /// additive → minor, policy → patch.
    pub bump: Bump,
    /// The bump for a `0.x` crate (Cargo's rules: the minor number is the
    /// breaking one): breaking → minor, additive or policy → patch.
    pub bump_0x: Bump,
}

impl Semver {
    fn of(kind: ReleaseKind) -> Semver {
        let (bump, bump_0x) = match kind {
            ReleaseKind::None => (Bump::None, Bump::None),
            ReleaseKind::Policy => (Bump::Patch, Bump::Patch),
            ReleaseKind::Additive => (Bump::Minor, Bump::Patch),
            ReleaseKind::Breaking => (Bump::Major, Bump::Minor),
        };
        Semver {
            kind,
            bump,
            bump_0x,
        }
    }

    /// e.g. `major (breaking); for a 0.x crate: minor (0.x breaking)`.
    pub fn describe(&self) -> String {
        let zero = match self.kind {
            ReleaseKind::Breaking => " (0.x breaking)",
            _ => "",
        };
        match self.kind {
            ReleaseKind::None => "none (no changes)".into(),
            _ => format!(
                "{} ({}); for a 0.x crate: {}{zero}",
                self.bump.as_str(),
                match self.kind {
                    ReleaseKind::Breaking => "breaking",
                    ReleaseKind::Additive => "additive",
                    _ => "policy only",
                },
                self.bump_0x.as_str()
            ),
        }
    }
}

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

/// Compares two sets of resources (e.g. two parses of the same provider's
/// pages). Resources are matched by id; when an id occurs twice in one set,
/// the first wins (as in generation).
pub fn diff(old: &[Resource], new: &[Resource]) -> SchemaDiff {
    let (old, new) = (by_id(old), by_id(new));
    let mut counts: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for r in old.values() {
        counts
            .entry((r.id.provider.clone(), r.id.service.clone()))
            .or_default()
            .0 += 1;
    }
    for r in new.values() {
        counts
            .entry((r.id.provider.clone(), r.id.service.clone()))
            .or_default()
            .1 += 1;
    }
    let ids: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let mut resources = BTreeMap::new();
    for id in ids {
        let (o, n) = (old.get(id).copied(), new.get(id).copied());
        let (r, status, changes) = match (o, n) {
            (Some(o), Some(n)) => (o, ResourceStatus::Changed, resource_changes(o, n)),
            (None, Some(n)) => (
                n,
                ResourceStatus::Added,
                vec![change(Impact::Additive, ChangeKind::ResourceAdded)],
            ),
            (Some(o), None) => (
                o,
                ResourceStatus::Removed,
                vec![change(Impact::Breaking, ChangeKind::ResourceRemoved)],
            ),
            (None, None) => continue,
        };
        if changes.is_empty() {
            continue;
        }
        resources.insert(
            id.clone(),
            ResourceDiff {
                provider: r.id.provider.clone(),
                service: r.id.service.clone(),
                resource: r.id.resource.clone(),
                status,
                changes,
            },
        );
    }
    SchemaDiff::assemble(resources, counts)
}

fn by_id(rs: &[Resource]) -> BTreeMap<String, &Resource> {
    let mut m: BTreeMap<String, &Resource> = BTreeMap::new();
    for r in rs {
        m.entry(r.id.to_string()).or_insert(r);
    }
    m
}

fn change(impact: Impact, kind: ChangeKind) -> Change {
    Change { impact, kind }
}

impl SchemaDiff {
    fn assemble(
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

    /// A changelog section to paste: the implied bump, then
    /// `## Breaking changes`, `## Additions` and `## Policy changes` (empty
    /// ones left out), each grouped by service (`### aws.connect`), one item
    /// per resource (`aws.connect.integration_associations`), methods,
    /// fields, properties and actions in backticks.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Implied version bump: **{}** (for a 0.x crate: **{}**).",
            self.semver.bump.as_str(),
            self.semver.bump_0x.as_str()
        );
        let s = &self.summary;
        let _ = writeln!(
            out,
            "\nResources: {} → {} ({} added, {} removed, {} changed); {} breaking, {} additive, {} policy change(s).",
            self.old_resources,
            self.new_resources,
            s.resources_added,
            s.resources_removed,
            s.resources_changed,
            s.breaking,
            s.additive,
            s.policy
        );
        for (impact, title) in [
            (Impact::Breaking, "Breaking changes"),
            (Impact::Additive, "Additions"),
            (Impact::Policy, "Policy changes"),
        ] {
            let mut services: BTreeMap<(&str, &str), Vec<Items>> = BTreeMap::new();
            for r in self.resources.values() {
                let items = items(r, impact);
                if !items.is_empty() {
                    services
                        .entry((&r.provider, &r.service))
                        .or_default()
                        .push((r, items));
                }
            }
            if services.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n## {title}");
            for ((provider, service), rs) in services {
                let _ = writeln!(out, "\n### {provider}.{service}\n");
                for (r, items) in rs {
                    match items.as_slice() {
                        [one] => {
                            let _ = writeln!(out, "- `{}`: {one}", r.id());
                        }
                        _ => {
                            let _ = writeln!(out, "- `{}`:", r.id());
                            for i in items {
                                let _ = writeln!(out, "  - {i}");
                            }
                        }
                    }
                }
            }
        }
        if self.resources.is_empty() {
            out.push_str("\nNo changes.\n");
        }
        out
    }

    /// A concise summary: counts, the implied bump and every breaking change
    /// (one line each).
    pub fn to_text(&self) -> String {
        let s = &self.summary;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "resources: {} -> {} ({} added, {} removed, {} changed)",
            self.old_resources,
            self.new_resources,
            s.resources_added,
            s.resources_removed,
            s.resources_changed
        );
        let _ = writeln!(
            out,
            "changes:   {} breaking, {} additive, {} policy ({} method rename(s))",
            s.breaking, s.additive, s.policy, s.methods_renamed
        );
        let _ = writeln!(out, "semver:    {}", self.semver.describe());
        if s.breaking > 0 {
            let _ = writeln!(out, "\nbreaking changes:");
            for (r, c) in self.changes(Impact::Breaking) {
                let _ = writeln!(out, "  {}: {}", r.id(), c.kind.describe().replace('`', ""));
            }
        }
        out
    }
}

/// A resource and its Markdown items in one section.
type Items<'a> = (&'a ResourceDiff, Vec<String>);

/// Markdown items of one impact for one resource; permission changes are
/// merged into one item per operation.
fn items(r: &ResourceDiff, impact: Impact) -> Vec<String> {
    let mut out = Vec::new();
    let mut perms: BTreeMap<usize, (Operation, Vec<String>, Vec<String>)> = BTreeMap::new();
    for c in r.changes.iter().filter(|c| c.impact == impact) {
        match &c.kind {
            ChangeKind::PermissionAdded { operation, action }
            | ChangeKind::PermissionRemoved { operation, action } => {
                let rank = Operation::ALL
                    .iter()
                    .position(|o| o == operation)
                    .unwrap_or(Operation::ALL.len());
                let e = perms
                    .entry(rank)
                    .or_insert_with(|| (*operation, Vec::new(), Vec::new()));
                let a = format!("`{action}`");
                if matches!(c.kind, ChangeKind::PermissionAdded { .. }) {
                    e.1.push(a);
                } else {
                    e.2.push(a);
                }
            }
            k => out.push(k.describe()),
        }
    }
    for (_, (op, added, removed)) in perms {
        let mut parts = Vec::new();
        if !added.is_empty() {
            parts.push(format!("added {}", added.join(", ")));
        }
        if !removed.is_empty() {
            parts.push(format!("removed {}", removed.join(", ")));
        }
        out.push(format!("{op}: {}", parts.join("; ")));
    }
    out
}

/// The changes between two versions of one resource, sorted.
fn resource_changes(old: &Resource, new: &Resource) -> Vec<Change> {
    let mut out = Vec::new();
    fields(old, new, &mut out);
    methods(old, new, &mut out);
    properties(old, new, &mut out);
    identifier(old, new, &mut out);
    row_type(old, new, &mut out);
    permissions(old, new, &mut out);
    out.sort_by_cached_key(|c| (c.kind.sort_key(), c.kind.name()));
    out
}

/// Datatype per field name (first row wins).
fn field_types(r: &Resource) -> BTreeMap<&str, &str> {
    let mut m: BTreeMap<&str, &str> = BTreeMap::new();
    for f in &r.fields {
        m.entry(f.name.as_str()).or_insert(f.datatype.as_str());
    }
    m
}

fn fields(old: &Resource, new: &Resource, out: &mut Vec<Change>) {
    let (o, n) = (field_types(old), field_types(new));
    for (name, dt) in &o {
        match n.get(name) {
            None => out.push(change(
                Impact::Breaking,
                ChangeKind::FieldRemoved {
                    field: name.to_string(),
                    datatype: dt.to_string(),
                },
            )),
            Some(nd) if Ty::from_datatype(dt) != Ty::from_datatype(nd) => out.push(change(
                Impact::Breaking,
                ChangeKind::FieldTypeChanged {
                    field: name.to_string(),
                    old: dt.to_string(),
                    new: nd.to_string(),
                },
            )),
            Some(_) => {}
        }
    }
    for (name, dt) in &n {
        if !o.contains_key(name) {
            out.push(change(
                Impact::Additive,
                ChangeKind::FieldAdded {
                    field: name.to_string(),
                    datatype: dt.to_string(),
                },
            ));
        }
    }
}

fn sorted(v: &[String]) -> Vec<&String> {
    let mut s: Vec<&String> = v.iter().collect();
    s.sort();
    s
}

/// The methods, first occurrence of each name only.
fn unique_methods(r: &Resource) -> Vec<&Method> {
    let mut seen = BTreeSet::new();
    r.methods
        .iter()
        .filter(|m| seen.insert(m.name.as_str()))
        .collect()
}

fn methods(old: &Resource, new: &Resource, out: &mut Vec<Change>) {
    let (o, n) = (unique_methods(old), unique_methods(new));
    let in_new: BTreeMap<&str, _> = n.iter().map(|m| (m.name.as_str(), *m)).collect();
    let in_old: BTreeSet<&str> = o.iter().map(|m| m.name.as_str()).collect();
    let mut pairs = Vec::new();
    for m in &o {
        if let Some(nm) = in_new.get(m.name.as_str()) {
            pairs.push((*m, *nm));
        }
    }
    let removed: Vec<_> = o
        .iter()
        .filter(|m| !in_new.contains_key(m.name.as_str()))
        .collect();
    let added: Vec<_> = n
        .iter()
        .filter(|m| !in_old.contains(m.name.as_str()))
        .collect();
    // Renames: greedily, in old page order, the closest-named unpaired added
    // method with the same verb and the same required params (as a set);
    // ties go to the first in new page order.
    let mut taken = vec![false; added.len()];
    for m in removed {
        let params = sorted(&m.required_params);
        let best = added
            .iter()
            .enumerate()
            .filter(|(i, a)| !taken[*i] && a.verb == m.verb && sorted(&a.required_params) == params)
            .min_by_key(|(i, a)| (crate::suggest::levenshtein(&m.name, &a.name), *i));
        match best {
            Some((i, a)) => {
                taken[i] = true;
                out.push(change(
                    Impact::Breaking,
                    ChangeKind::MethodRenamed {
                        old: m.name.clone(),
                        new: a.name.clone(),
                        verb: a.verb,
                        required_params: a.required_params.clone(),
                    },
                ));
                if m.required_params != a.required_params {
                    out.push(change(
                        Impact::Breaking,
                        ChangeKind::RequiredParamsReordered {
                            method: a.name.clone(),
                            old: m.required_params.clone(),
                            new: a.required_params.clone(),
                        },
                    ));
                }
            }
            None => out.push(change(
                Impact::Breaking,
                ChangeKind::MethodRemoved {
                    method: m.name.clone(),
                    verb: m.verb,
                    required_params: m.required_params.clone(),
                },
            )),
        }
    }
    for (i, a) in added.iter().enumerate() {
        if !taken[i] {
            out.push(change(
                Impact::Additive,
                ChangeKind::MethodAdded {
                    method: a.name.clone(),
                    verb: a.verb,
                    required_params: a.required_params.clone(),
                },
            ));
        }
    }
    for (om, nm) in pairs {
        if om.verb != nm.verb {
            out.push(change(
                Impact::Breaking,
                ChangeKind::MethodVerbChanged {
                    method: nm.name.clone(),
                    old: om.verb,
                    new: nm.verb,
                },
            ));
        }
        let (op, np) = (&om.required_params, &nm.required_params);
        for p in np.iter().filter(|p| !op.contains(p)) {
            out.push(change(
                Impact::Breaking,
                ChangeKind::RequiredParamAdded {
                    method: nm.name.clone(),
                    param: p.clone(),
                },
            ));
        }
        for p in op.iter().filter(|p| !np.contains(p)) {
            out.push(change(
                Impact::Breaking,
                ChangeKind::RequiredParamRemoved {
                    method: nm.name.clone(),
                    param: p.clone(),
                },
            ));
        }
        // Same params, other order: the common params' relative order.
        let common_old: Vec<&String> = op.iter().filter(|p| np.contains(p)).collect();
        let common_new: Vec<&String> = np.iter().filter(|p| op.contains(p)).collect();
        if common_old != common_new {
            out.push(change(
                Impact::Breaking,
                ChangeKind::RequiredParamsReordered {
                    method: nm.name.clone(),
                    old: op.clone(),
                    new: np.clone(),
                },
            ));
        }
    }
}

/// Insertable properties: (all, required), `data__` prefixes stripped as
/// the generated `CreateProperties` does.
fn insertable(r: &Resource) -> Option<(BTreeSet<String>, BTreeSet<String>)> {
    let ins = r.insert.as_ref()?;
    let strip = |c: &String| c.strip_prefix("data__").unwrap_or(c).to_string();
    let required: BTreeSet<String> = ins.required.iter().map(strip).collect();
    let all = ins
        .all
        .iter()
        .map(strip)
        .chain(required.iter().cloned())
        .collect();
    Some((all, required))
}

fn properties(old: &Resource, new: &Resource, out: &mut Vec<Change>) {
    let had_insert = old.insert.is_some();
    let empty = (BTreeSet::new(), BTreeSet::new());
    let (oa, or) = insertable(old).unwrap_or_else(|| empty.clone());
    let (na, nr) = insertable(new).unwrap_or(empty);
    for p in oa.difference(&na) {
        out.push(change(
            Impact::Breaking,
            ChangeKind::PropertyRemoved {
                property: p.clone(),
                required: or.contains(p),
            },
        ));
    }
    for p in na.difference(&oa) {
        let required = nr.contains(p);
        // A required property of a resource that had no INSERT before comes
        // with a new `CreateProperties`: nothing existing breaks.
        let impact = if required && had_insert {
            Impact::Breaking
        } else {
            Impact::Additive
        };
        out.push(change(
            impact,
            ChangeKind::PropertyAdded {
                property: p.clone(),
                required,
            },
        ));
    }
    for p in oa.intersection(&na) {
        match (or.contains(p), nr.contains(p)) {
            (false, true) => out.push(change(
                Impact::Breaking,
                ChangeKind::PropertyBecameRequired {
                    property: p.clone(),
                },
            )),
            (true, false) => out.push(change(
                Impact::Breaking,
                ChangeKind::PropertyBecameOptional {
                    property: p.clone(),
                },
            )),
            _ => {}
        }
    }
}

fn identifier(old: &Resource, new: &Resource, out: &mut Vec<Change>) {
    let parts = |r: &Resource| {
        r.identifier
            .as_ref()
            .map(|i| i.parts.clone())
            .unwrap_or_default()
    };
    let (o, n) = (parts(old), parts(new));
    // Only a change between two templates changes `Identifier`; a template
    // appearing or disappearing follows example changes more often than API
    // changes and is covered by the method param changes.
    if o != n && !o.is_empty() && !n.is_empty() {
        out.push(change(
            Impact::Breaking,
            ChangeKind::IdentifierChanged { old: o, new: n },
        ));
    }
}

/// The row struct is named after the page's singular (or one derived from
/// the resource name): when the singular changes, ask the resolver.
fn row_type(old: &Resource, new: &Resource, out: &mut Vec<Change>) {
    if old.singular == new.singular {
        return;
    }
    let name = |r: &Resource| {
        resolve::resolve(std::slice::from_ref(r), false, &mut Vec::new())
            .resources
            .into_iter()
            .next()
            .map(|r| r.row.name)
            .unwrap_or_default()
    };
    let (o, n) = (name(old), name(new));
    if o != n {
        out.push(change(
            Impact::Breaking,
            ChangeKind::RowTypeRenamed { old: o, new: n },
        ));
    }
}

/// Actions per operation, keyed case-insensitively, first spelling kept.
fn actions(r: &Resource) -> BTreeMap<Operation, BTreeMap<String, String>> {
    let mut m: BTreeMap<Operation, BTreeMap<String, String>> = BTreeMap::new();
    if let Permissions::Listed { operations } = &r.permissions {
        for op in operations {
            let e = m.entry(op.operation).or_default();
            for a in &op.actions {
                let a = a.trim();
                if !a.is_empty() {
                    e.entry(a.to_ascii_lowercase())
                        .or_insert_with(|| a.to_string());
                }
            }
        }
    }
    m
}

fn permissions(old: &Resource, new: &Resource, out: &mut Vec<Change>) {
    let (o, n) = (actions(old), actions(new));
    let none = BTreeMap::new();
    for op in Operation::ALL {
        let (oa, na) = (o.get(&op).unwrap_or(&none), n.get(&op).unwrap_or(&none));
        for (k, a) in oa {
            if !na.contains_key(k) {
                out.push(change(
                    Impact::Policy,
                    ChangeKind::PermissionRemoved {
                        operation: op,
                        action: a.clone(),
                    },
                ));
            }
        }
        for (k, a) in na {
            if !oa.contains_key(k) {
                out.push(change(
                    Impact::Policy,
                    ChangeKind::PermissionAdded {
                        operation: op,
                        action: a.clone(),
                    },
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, Identifier, InsertSpec, Method, OperationPermissions};

    fn res(service: &str, name: &str) -> Resource {
        Resource::empty(service, name)
    }

    fn field(name: &str, dt: &str) -> Field {
        Field {
            name: name.into(),
            datatype: dt.into(),
            description: String::new(),
            line: 1,
        }
    }

    fn method(name: &str, verb: Verb, params: &[&str]) -> Method {
        Method {
            name: name.into(),
            verb,
            required_params: params.iter().map(|s| s.to_string()).collect(),
            description: String::new(),
            line: 1,
        }
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn perms(ops: &[(Operation, &[&str])]) -> Permissions {
        Permissions::Listed {
            operations: ops
                .iter()
                .map(|(op, a)| OperationPermissions {
                    operation: *op,
                    actions: strings(a),
                    line: 1,
                })
                .collect(),
        }
    }

    fn kinds(d: &SchemaDiff, id: &str) -> Vec<(Impact, ChangeKind)> {
        d.resources[id]
            .changes
            .iter()
            .map(|c| (c.impact, c.kind.clone()))
            .collect()
    }

    #[test]
    fn identical_trees_have_no_changes() {
        let mut r = res("s", "a");
        r.fields = vec![field("x", "string")];
        r.methods = vec![method("list", Verb::Select, &["region"])];
        let d = diff(&[r.clone()], &[r]);
        assert!(d.resources.is_empty());
        assert_eq!(d.semver.kind, ReleaseKind::None);
        assert_eq!(d.semver.bump, Bump::None);
        assert_eq!((d.old_resources, d.new_resources), (1, 1));
        assert!(d.to_markdown().contains("No changes."));
    }

    #[test]
    fn resources_added_and_removed() {
        let d = diff(&[res("s", "gone")], &[res("s", "fresh")]);
        assert_eq!(d.summary.resources_added, 1);
        assert_eq!(d.summary.resources_removed, 1);
        assert_eq!(d.resources["p.s.gone"].status, ResourceStatus::Removed);
        assert_eq!(
            kinds(&d, "p.s.fresh"),
            vec![(Impact::Additive, ChangeKind::ResourceAdded)]
        );
        assert_eq!(d.semver.bump, Bump::Major);
        assert_eq!(d.semver.bump_0x, Bump::Minor);
    }

    #[test]
    fn additive_only_is_minor_and_0x_patch() {
        let old = res("s", "a");
        let mut new = old.clone();
        new.fields.push(field("y", "integer"));
        let d = diff(&[old], &[new]);
        assert_eq!(
            kinds(&d, "p.s.a"),
            vec![(
                Impact::Additive,
                ChangeKind::FieldAdded {
                    field: "y".into(),
                    datatype: "integer".into()
                }
            )]
        );
        assert_eq!(d.semver.kind, ReleaseKind::Additive);
        assert_eq!(
            (d.semver.bump, d.semver.bump_0x),
            (Bump::Minor, Bump::Patch)
        );
    }

    #[test]
    fn field_changes() {
        let mut old = res("s", "a");
        old.fields = vec![
            field("gone", "string"),
            field("n", "integer"),
            field("o", "object"),
        ];
        let mut new = res("s", "a");
        new.fields = vec![
            field("n", "string"),
            // Same Rust type (`serde_json::Value`): not a change.
            field("o", "undefined"),
        ];
        let d = diff(&[old], &[new]);
        assert_eq!(
            kinds(&d, "p.s.a"),
            vec![
                (
                    Impact::Breaking,
                    ChangeKind::FieldRemoved {
                        field: "gone".into(),
                        datatype: "string".into()
                    }
                ),
                (
                    Impact::Breaking,
                    ChangeKind::FieldTypeChanged {
                        field: "n".into(),
                        old: "integer".into(),
                        new: "string".into()
                    }
                ),
            ]
        );
    }

    #[test]
    fn renames_are_paired_by_verb_params_and_closeness() {
        let mut old = res("s", "a");
        old.methods = vec![
            method("list_resource", Verb::Select, &["region"]),
            method(
                "get_resource",
                Verb::Select,
                &["data__Identifier", "region"],
            ),
            method("delete_thing", Verb::Delete, &["id"]),
        ];
        let mut new = res("s", "a");
        new.methods = vec![
            // Same verb and params as the old `list_resource`, but further.
            method("enumerate", Verb::Select, &["region"]),
            method("list_resources", Verb::Select, &["region"]),
            method(
                "get_resource",
                Verb::Select,
                &["data__Identifier", "region"],
            ),
            // Other verb: not a rename.
            method("delete_things", Verb::Exec, &["id"]),
        ];
        let d = diff(&[old], &[new]);
        let k = kinds(&d, "p.s.a");
        assert_eq!(
            k,
            vec![
                (
                    Impact::Breaking,
                    ChangeKind::MethodRemoved {
                        method: "delete_thing".into(),
                        verb: Verb::Delete,
                        required_params: strings(&["id"])
                    }
                ),
                (
                    Impact::Additive,
                    ChangeKind::MethodAdded {
                        method: "delete_things".into(),
                        verb: Verb::Exec,
                        required_params: strings(&["id"])
                    }
                ),
                (
                    Impact::Additive,
                    ChangeKind::MethodAdded {
                        method: "enumerate".into(),
                        verb: Verb::Select,
                        required_params: strings(&["region"])
                    }
                ),
                (
                    Impact::Breaking,
                    ChangeKind::MethodRenamed {
                        old: "list_resource".into(),
                        new: "list_resources".into(),
                        verb: Verb::Select,
                        required_params: strings(&["region"])
                    }
                ),
            ]
        );
        assert_eq!(d.summary.methods_renamed, 1);
        assert_eq!(d.summary.by_kind["method_added"], 2);
    }

    #[test]
    fn rename_with_reordered_params() {
        let mut old = res("s", "a");
        old.methods = vec![method("get", Verb::Select, &["a", "b"])];
        let mut new = res("s", "a");
        new.methods = vec![method("get_one", Verb::Select, &["b", "a"])];
        let k = kinds(&diff(&[old], &[new]), "p.s.a");
        assert_eq!(k.len(), 2);
        assert!(matches!(k[0].1, ChangeKind::MethodRenamed { .. }));
        assert!(matches!(
            k[1].1,
            ChangeKind::RequiredParamsReordered { ref method, .. } if method == "get_one"
        ));
    }

    #[test]
    fn required_params_and_verbs() {
        let mut old = res("s", "a");
        old.methods = vec![
            method("get", Verb::Select, &["a", "b", "c"]),
            method("run", Verb::Exec, &[]),
        ];
        let mut new = res("s", "a");
        new.methods = vec![
            method("get", Verb::Select, &["c", "b", "d"]),
            method("run", Verb::Update, &[]),
        ];
        let k = kinds(&diff(&[old], &[new]), "p.s.a");
        let names: Vec<&str> = k.iter().map(|(_, c)| c.name()).collect();
        assert_eq!(
            names,
            [
                "method_verb_changed",
                "required_params_reordered",
                "required_param_removed",
                "required_param_added",
            ]
        );
        assert!(k.iter().all(|(i, _)| *i == Impact::Breaking));
    }

    #[test]
    fn properties() {
        let mut old = res("s", "a");
        old.insert = Some(InsertSpec {
            required: strings(&["A", "B"]),
            all: strings(&["A", "B", "data__C", "D", "region"]),
            ..InsertSpec::default()
        });
        let mut new = res("s", "a");
        new.insert = Some(InsertSpec {
            required: strings(&["A", "C", "E"]),
            all: strings(&["A", "B", "C", "E", "F", "region"]),
            ..InsertSpec::default()
        });
        let k = kinds(&diff(&[old], &[new.clone()]), "p.s.a");
        assert_eq!(
            k,
            vec![
                (
                    Impact::Breaking,
                    ChangeKind::PropertyBecameOptional {
                        property: "B".into()
                    }
                ),
                (
                    Impact::Breaking,
                    ChangeKind::PropertyBecameRequired {
                        property: "C".into()
                    }
                ),
                (
                    Impact::Breaking,
                    ChangeKind::PropertyRemoved {
                        property: "D".into(),
                        required: false
                    }
                ),
                (
                    Impact::Breaking,
                    ChangeKind::PropertyAdded {
                        property: "E".into(),
                        required: true
                    }
                ),
                (
                    Impact::Additive,
                    ChangeKind::PropertyAdded {
                        property: "F".into(),
                        required: false
                    }
                ),
            ]
        );
        // Without an INSERT before, new required properties break nothing.
        let d = diff(&[res("s", "a")], &[new]);
        assert!(d.resources["p.s.a"]
            .changes
            .iter()
            .all(|c| c.impact == Impact::Additive));
    }

    #[test]
    fn identifier_changes() {
        let id = |parts: &[&str]| {
            Some(Identifier {
                parts: strings(parts),
                line: 1,
            })
        };
        let mut old = res("s", "a");
        old.identifier = id(&["A", "B"]);
        let mut new = res("s", "a");
        new.identifier = id(&["A"]);
        let d = diff(&[old], &[new]);
        assert_eq!(
            d.resources["p.s.a"].changes[0].kind.describe(),
            "identifier changed from `<A>|<B>` to `<A>`"
        );
    }

    #[test]
    fn row_type_follows_the_singular() {
        let mut old = res("s", "servers");
        let mut new = old.clone();
        // Derived `server` and stated `server`: same struct.
        new.singular = Some("server".into());
        assert!(diff(&[old.clone()], &[new.clone()]).resources.is_empty());
        old.singular = Some("srv".into());
        let d = diff(&[old], &[new]);
        assert_eq!(
            kinds(&d, "p.s.servers"),
            vec![(
                Impact::Breaking,
                ChangeKind::RowTypeRenamed {
                    old: "Srv".into(),
                    new: "Server".into()
                }
            )]
        );
    }

    #[test]
    fn permissions_compare_case_insensitively() {
        let mut old = res("s", "a");
        old.permissions = perms(&[
            (Operation::Create, &["s:Create", "lambda:addPermission"]),
            (Operation::List, &["s:List"]),
        ]);
        let mut new = res("s", "a");
        new.permissions = perms(&[
            (
                Operation::Create,
                &["s:Create", "lambda:AddPermission", "s:Tag"],
            ),
            (Operation::Read, &["s:Get"]),
        ]);
        let d = diff(&[old], &[new]);
        let k = kinds(&d, "p.s.a");
        assert_eq!(
            k,
            vec![
                (
                    Impact::Policy,
                    ChangeKind::PermissionAdded {
                        operation: Operation::Create,
                        action: "s:Tag".into()
                    }
                ),
                (
                    Impact::Policy,
                    ChangeKind::PermissionAdded {
                        operation: Operation::Read,
                        action: "s:Get".into()
                    }
                ),
                (
                    Impact::Policy,
                    ChangeKind::PermissionRemoved {
                        operation: Operation::List,
                        action: "s:List".into()
                    }
                ),
            ]
        );
        assert_eq!(d.semver.kind, ReleaseKind::Policy);
        assert_eq!(
            (d.semver.bump, d.semver.bump_0x),
            (Bump::Patch, Bump::Patch)
        );
        let md = d.to_markdown();
        assert!(md.contains("## Policy changes"), "{md}");
        assert!(md.contains("  - Create: added `s:Tag`\n"), "{md}");
        assert!(md.contains("  - List: removed `s:List`\n"), "{md}");
        assert!(!md.contains("## Breaking"), "{md}");
    }

    #[test]
    fn filter_and_render() {
        let mut old = res("s", "a");
        old.methods = vec![method("list_resource", Verb::Select, &["region"])];
        let mut new = old.clone();
        new.methods[0].name = "list_resources".into();
        let other = res("t", "b");
        let d = diff(&[old, other.clone()], &[new, other, res("t", "c")]);
        assert_eq!((d.old_resources, d.new_resources), (2, 3));
        let s = d.filter_service("p", "s");
        assert_eq!((s.old_resources, s.new_resources), (1, 1));
        assert_eq!(s.resources.len(), 1);
        assert_eq!(s.summary.breaking, 1);
        assert_eq!(s.summary.resources_added, 0);
        let md = s.to_markdown();
        assert_eq!(
            md,
            "Implied version bump: **major** (for a 0.x crate: **minor**).\n\n\
             Resources: 1 → 1 (0 added, 0 removed, 1 changed); 1 breaking, 0 additive, 0 policy change(s).\n\n\
             ## Breaking changes\n\n### p.s\n\n\
             - `p.s.a`: method `list_resource` renamed to `list_resources` (SELECT)\n"
        );
        let text = d.to_text();
        assert!(text.contains("p.s.a: method list_resource renamed to list_resources (SELECT)"));
        assert!(text.contains("major (breaking); for a 0.x crate: minor (0.x breaking)"));
        let t = d.filter_service("p", "t");
        assert_eq!(t.semver.kind, ReleaseKind::Additive);
    }

    #[test]
    fn json_names_match_kind_names() {
        let mut old = res("s", "a");
        old.fields = vec![field("x", "string")];
        old.methods = vec![method("m", Verb::Select, &[])];
        let d = diff(&[old], &[res("s", "a"), res("s", "b")]);
        let v = serde_json::to_value(&d).unwrap();
        for r in d.resources.values() {
            for (i, c) in r.changes.iter().enumerate() {
                let j = &v["resources"][r.id()]["changes"][i];
                assert_eq!(j["change"], c.kind.name());
                assert_eq!(j["impact"], c.impact.as_str());
            }
        }
        assert_eq!(v["semver"]["bump"], "major");
        assert_eq!(v["semver"]["bump_0x"], "minor");
        assert_eq!(v["semver"]["kind"], "breaking");
        assert_eq!(v["summary"]["by_kind"]["field_removed"], 1);
        assert!(v.get("counts").is_none());
        assert_eq!(
            v["resources"]["p.s.a"]["changes"][1],
            serde_json::json!({"impact": "breaking", "change": "method_removed",
                "method": "m", "verb": "SELECT", "required_params": []})
        );
    }
}
