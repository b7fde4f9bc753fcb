//! What a change is: [`Change`], [`ChangeKind`], their [`Impact`], the
//! per-resource [`ResourceDiff`] and the implied [`Semver`] bump.
//!
//! Names (the JSON `change` tag, [`ChangeKind::name`], [`Impact::as_str`],
//! [`Bump::as_str`]) are derived from the variant names by one rule,
//! `snake_case`, applied by serde for JSON and by strum for `&'static str`.

use crate::model::{Operation, Verb};
use serde::Serialize;
use std::collections::BTreeMap;

/// What a change does to code written against the generated bindings.
///
/// JSON: `"breaking"`, `"additive"`, `"policy"`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Impact {
    /// Existing code may stop compiling or silently change meaning: a
    /// removed resource, field, method or property, a renamed method, a
    /// changed required-param list, a property that becomes required (or
    /// optional: `CreateProperties::new` changes either way), a changed
    /// field type (row fields are `Option<T>`, so the `T` changes) or a
    /// changed composite identifier; the same for a view and its columns.
    Breaking,
    /// Only new API: a new resource, view, field, method or optional property.
    Additive,
    /// No API change, but the IAM actions an operation needs changed (the
    /// generated `permissions` constants and policies change).
    Policy,
}

impl Impact {
    /// Stable lower-case name (as in JSON).
    pub fn as_str(&self) -> &'static str {
        self.into()
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::VariantNames)]
#[serde(tag = "change", rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
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
    /// A new view documented beside the resource (additive: a new submodule
    /// with its own row type and SELECT functions).
    ViewAdded {
        /// The view's table name (`vw_disks`).
        view: String,
    },
    /// A view is gone (breaking: its submodule is gone).
    ViewRemoved {
        /// The view's table name.
        view: String,
    },
    /// A new column of a view (additive).
    ViewFieldAdded {
        /// The view's table name.
        view: String,
        /// Column name.
        field: String,
        /// Its datatype.
        datatype: String,
    },
    /// A view's column is gone (breaking).
    ViewFieldRemoved {
        /// The view's table name.
        view: String,
        /// Column name.
        field: String,
        /// Its old datatype.
        datatype: String,
    },
    /// A view column's datatype changed (breaking when the Rust type changes).
    ViewFieldTypeChanged {
        /// The view's table name.
        view: String,
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
        self.into()
    }

    /// Sort key inside one resource: category, then subject.
    pub(crate) fn sort_key(&self) -> (u8, String, String) {
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        let (rank, (a, b)) = match self {
            ChangeKind::ResourceAdded => (0, s("", "")),
            ChangeKind::ResourceRemoved => (0, s("", "")),
            ChangeKind::FieldAdded { field, .. }
            | ChangeKind::FieldRemoved { field, .. }
            | ChangeKind::FieldTypeChanged { field, .. } => (1, s(field, "")),
            ChangeKind::ViewAdded { view } | ChangeKind::ViewRemoved { view } => (1, s(view, "")),
            ChangeKind::ViewFieldAdded { view, field, .. }
            | ChangeKind::ViewFieldRemoved { view, field, .. }
            | ChangeKind::ViewFieldTypeChanged { view, field, .. } => (1, s(view, field)),
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

/// Counts over a [`SchemaDiff`](super::SchemaDiff).
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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
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
        self.into()
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
    pub(crate) fn of(kind: ReleaseKind) -> Semver {
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
}
