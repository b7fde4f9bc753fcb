//! Rendering: one Markdown line per change, the `--markdown` changelog and
//! the plain-text summary. (`--json` is the serde form of [`SchemaDiff`].)

use super::{ChangeKind, DocItem, Impact, ReleaseKind, ResourceDiff, RustItem, SchemaDiff, Semver};
use crate::model::Operation;
use std::collections::BTreeMap;
use std::fmt::Write as _;

impl ChangeKind {
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
            ChangeKind::ViewAdded { view } => format!("new view `{view}`"),
            ChangeKind::ViewRemoved { view } => format!("view `{view}` removed"),
            ChangeKind::ViewFieldAdded {
                view,
                field,
                datatype,
            } => format!("new column `{field}` (`{datatype}`) of view `{view}`"),
            ChangeKind::ViewFieldRemoved {
                view,
                field,
                datatype,
            } => format!("column `{field}` (`{datatype}`) of view `{view}` removed"),
            ChangeKind::ViewFieldTypeChanged {
                view,
                field,
                old,
                new,
            } => format!("column `{field}` of view `{view}` changed type from `{old}` to `{new}`"),
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
            ChangeKind::MethodTableChanged { method, old, new } => {
                let table = |t: &Option<String>| {
                    t.as_ref()
                        .map_or("the resource".to_string(), |t| format!("`{t}`"))
                };
                format!(
                    "method `{method}` reads {} instead of {}",
                    table(new),
                    table(old)
                )
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
            ChangeKind::NestedPropertyAdded { path, rust } => {
                format!("new property `{path}` (`{rust}`)")
            }
            ChangeKind::NestedPropertyRemoved { path, rust } => {
                format!("property `{path}` (`{rust}`) removed")
            }
            ChangeKind::TypeChanged {
                path,
                rust,
                old,
                new,
            } => format!("`{path}` (`{rust}`) changed type from `{old}` to `{new}`"),
            ChangeKind::SignatureChanged {
                method,
                rust,
                old,
                new,
            } => format!("method `{method}` (`{rust}`) now takes `{new}` instead of `{old}`"),
            ChangeKind::RustRenamed {
                item,
                path,
                old,
                new,
            } => {
                let of = match item {
                    RustItem::Module => String::new(),
                    RustItem::Function => format!(" (method `{path}`)"),
                    _ => format!(" (`{path}`)"),
                };
                format!("{} `{old}`{of} renamed to `{new}`", <&str>::from(item))
            }
            ChangeKind::DocsChanged { item, name } => match item {
                DocItem::Resource => "resource description changed".into(),
                _ => format!("description of {} `{name}` changed", <&str>::from(item)),
            },
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

impl Semver {
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
                    ReleaseKind::Policy => "policy only",
                    _ => "docs only",
                },
                self.bump_0x.as_str()
            ),
        }
    }
}

impl SchemaDiff {
    /// A changelog section to paste: the implied bump, then
    /// `## Breaking changes (major)`, `## Additions (minor)`,
    /// `## Policy changes (patch, permission-only)` and
    /// `## Documentation changes (patch)` (empty ones left out), each
    /// grouped by service (`### aws.connect`), one item per resource
    /// (`aws.connect.integration_associations`), methods, fields,
    /// properties, actions and Rust paths in backticks.
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
            "\nResources: {} → {} ({} added, {} removed, {} changed); {} breaking, {} additive, {} policy, {} docs change(s).",
            self.old_resources,
            self.new_resources,
            s.resources_added,
            s.resources_removed,
            s.resources_changed,
            s.breaking,
            s.additive,
            s.policy,
            s.docs
        );
        for (impact, title) in [
            (Impact::Breaking, "Breaking changes (major)"),
            (Impact::Additive, "Additions (minor)"),
            (Impact::Policy, "Policy changes (patch, permission-only)"),
            (Impact::Docs, "Documentation changes (patch)"),
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
            "changes:   {} breaking, {} additive, {} policy, {} docs ({} method rename(s))",
            s.breaking, s.additive, s.policy, s.docs, s.methods_renamed
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
/// merged into one item per operation, description changes into one item.
fn items(r: &ResourceDiff, impact: Impact) -> Vec<String> {
    let mut out = Vec::new();
    let mut docs: Vec<String> = Vec::new();
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
            ChangeKind::DocsChanged { item, name } => docs.push(match item {
                DocItem::Resource => "the resource".into(),
                _ => format!("{} `{name}`", <&str>::from(item)),
            }),
            k => out.push(k.describe()),
        }
    }
    if !docs.is_empty() {
        out.push(format!("descriptions of {}", docs.join(", ")));
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
