//! What a change is: [`Change`], [`ChangeKind`], their [`Impact`], the
//! per-resource [`ResourceDiff`] and the implied [`Semver`] bump.
//!
//! Names (the JSON `change` tag, [`ChangeKind::name`], [`Impact::as_str`],
//! [`Bump::as_str`]) are derived from the variant names by one rule,
//! `snake_case`, applied by serde for JSON and by strum for `&'static str`.

use crate::model::{Operation, Verb};
use serde::Serialize;
use std::collections::BTreeMap;

/// What a change does to code written against the generated bindings, and
/// so which version bump it needs ([`Impact::bump`]).
///
/// JSON: `"breaking"`, `"additive"`, `"policy"`, `"docs"`.
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
    /// changed composite identifier, a nested property removed or retyped,
    /// a changed function signature, any generated Rust path (module,
    /// type, field, function) renamed; the same for a view and its columns.
    /// A major release.
    Breaking,
    /// Only new API: a new resource, view, method, field, optional property
    /// or nested property. A minor release: every generated struct is
    /// `#[non_exhaustive]` and built outside the crate with `new` (the
    /// required values) and `with_*` setters (the optional ones), so a new
    /// optional field breaks no code that builds, reads or destructures it
    /// (with `..`); cargo-semver-checks agrees (see `docs/semver.md`).
    Additive,
    /// Permission-only: no API change, but the IAM actions an operation
    /// needs changed (the generated `permissions` constants and policies
    /// change). A patch release, listed apart because a deployed policy may
    /// need updating.
    Policy,
    /// Docs-only: a description that becomes rustdoc changed (resource,
    /// field or method). A patch release.
    Docs,
}

impl Impact {
    /// Stable lower-case name (as in JSON).
    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    /// The bump a change of this impact needs for a crate at `1.0.0` or
    /// later: breaking → major, additive → minor, permission- or docs-only
    /// → patch.
    pub fn bump(&self) -> Bump {
        match self {
            Impact::Breaking => Bump::Major,
            Impact::Additive => Bump::Minor,
            Impact::Policy | Impact::Docs => Bump::Patch,
        }
    }

    /// The bump for a `0.x` crate (Cargo's rules: the minor number is the
    /// breaking one): breaking → minor, everything else → patch.
    pub fn bump_0x(&self) -> Bump {
        match self {
            Impact::Breaking => Bump::Minor,
            _ => Bump::Patch,
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
/// names, property paths such as `Actions.SubmitAutoEvaluationActions`);
/// the kinds about the generated Rust API also give Rust paths
/// (`aws::connect::rules::Actions::submit_auto_evaluation_actions`), as the
/// resolver names them.
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
    /// A method reads another table (the Methods table's `Resource` column):
    /// its function moves between the resource's module and a view's
    /// (breaking). `None` is the page's own resource.
    MethodTableChanged {
        /// Method name.
        method: String,
        /// Old table.
        old: Option<String>,
        /// New table.
        new: Option<String>,
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
    /// A property of a nested type (a manifest shape) or of
    /// `UpdateProperties`/`ReplaceProperties` is new (additive).
    NestedPropertyAdded {
        /// Property path from the resource, e.g.
        /// `Actions.SubmitAutoEvaluationActions` (array items are
        /// transparent: `Tags.Key`).
        path: String,
        /// The new Rust field.
        rust: String,
    },
    /// A property of a nested type or of `UpdateProperties`/
    /// `ReplaceProperties` is gone (breaking).
    NestedPropertyRemoved {
        /// Property path from the resource.
        path: String,
        /// The old Rust field.
        rust: String,
    },
    /// The Rust type of a generated field changed (breaking): a nested
    /// property's shape changed (`string` → object, scalar → array, an
    /// object of unknown shape got properties), a manifest shape turned a
    /// `serde_json::Value` row field into a struct, or a field became
    /// required or optional. Page datatype changes of row fields are
    /// [`ChangeKind::FieldTypeChanged`] instead.
    TypeChanged {
        /// Property path from the resource (a row field's column name).
        path: String,
        /// The Rust field.
        rust: String,
        /// Old Rust type, e.g. `Option<String>`.
        old: String,
        /// New Rust type.
        new: String,
    },
    /// A generated function takes other argument types (breaking), e.g.
    /// an UPDATE gains an `UpdateProperties` argument; reported when no
    /// required param or verb change of the method explains it.
    SignatureChanged {
        /// Method name.
        method: String,
        /// The Rust function.
        rust: String,
        /// Old argument types, e.g. `(&Identifier, &str)`.
        old: String,
        /// New argument types.
        new: String,
    },
    /// A generated Rust path moved although the page item it comes from
    /// kept its name (breaking): a de-duplication suffix (`Tag` →
    /// `Tag2`, `name` → `name_2`), a module or a nested type renamed. (A
    /// renamed method is [`ChangeKind::MethodRenamed`], a renamed row type
    /// [`ChangeKind::RowTypeRenamed`].)
    RustRenamed {
        /// What was renamed.
        item: RustItem,
        /// The page item it comes from: a property path for a type or a
        /// field, a method name for a function, empty for a module.
        path: String,
        /// Old path, e.g. `aws::connect::rules::Tag`.
        old: String,
        /// New path.
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
    /// A description that becomes rustdoc changed (docs), or a method's
    /// optional params, which its rustdoc lists.
    DocsChanged {
        /// What it documents.
        item: DocItem,
        /// The field or method name (empty for the resource).
        name: String,
    },
}

/// What kind of Rust item a [`ChangeKind::RustRenamed`] moves.
///
/// JSON: `"module"`, `"type"`, `"field"`, `"function"`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RustItem {
    /// A resource module.
    Module,
    /// A struct.
    Type,
    /// A struct field.
    Field,
    /// A function (and its `methods` static).
    Function,
}

/// What a [`ChangeKind::DocsChanged`] description documents.
///
/// JSON: `"resource"`, `"field"`, `"method"`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DocItem {
    /// The resource's description or summary (the module docs).
    Resource,
    /// A Fields row's description (the row field's docs).
    Field,
    /// A Methods row's description or optional params (the function's docs).
    Method,
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
            | ChangeKind::MethodVerbChanged { method, .. }
            | ChangeKind::MethodTableChanged { method, .. } => (2, s(method, "")),
            ChangeKind::MethodRenamed { old, .. } => (2, s(old, "")),
            ChangeKind::RequiredParamAdded { method, param }
            | ChangeKind::RequiredParamRemoved { method, param } => (3, s(method, param)),
            ChangeKind::RequiredParamsReordered { method, .. } => (3, s(method, "")),
            ChangeKind::PropertyAdded { property, .. }
            | ChangeKind::PropertyRemoved { property, .. }
            | ChangeKind::PropertyBecameRequired { property }
            | ChangeKind::PropertyBecameOptional { property } => (4, s(property, "")),
            ChangeKind::SignatureChanged { method, .. } => (3, s(method, "")),
            ChangeKind::NestedPropertyAdded { path, rust }
            | ChangeKind::NestedPropertyRemoved { path, rust }
            | ChangeKind::TypeChanged { path, rust, .. } => (4, s(path, rust)),
            ChangeKind::IdentifierChanged { .. } | ChangeKind::RowTypeRenamed { .. } => {
                (5, s("", ""))
            }
            ChangeKind::RustRenamed { path, old, .. } => (5, s(path, old)),
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
            ChangeKind::DocsChanged { item, name } => {
                (7, ((*item as u8).to_string(), name.clone()))
            }
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
    /// Changes classified [`Impact::Docs`].
    pub docs: usize,
    /// `method_renamed` changes.
    pub methods_renamed: usize,
    /// Changes per `change` tag (see [`ChangeKind::name`]).
    pub by_kind: BTreeMap<String, usize>,
}

/// The kind of release a diff calls for.
///
/// JSON: `"none"`, `"docs"`, `"policy"`, `"additive"`, `"breaking"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseKind {
    /// Nothing changed.
    None,
    /// Only descriptions changed.
    Docs,
    /// Only permissions changed (and perhaps descriptions).
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
    /// The bump for a crate at `1.0.0` or later: the highest
    /// [`Impact::bump`] of its changes.
    pub bump: Bump,
    /// The bump for a `0.x` crate: the highest [`Impact::bump_0x`].
    pub bump_0x: Bump,
}

impl Semver {
    pub(crate) fn of(kind: ReleaseKind) -> Semver {
        let impact = match kind {
            ReleaseKind::None => None,
            ReleaseKind::Docs => Some(Impact::Docs),
            ReleaseKind::Policy => Some(Impact::Policy),
            ReleaseKind::Additive => Some(Impact::Additive),
            ReleaseKind::Breaking => Some(Impact::Breaking),
        };
        let (bump, bump_0x) = impact.map_or((Bump::None, Bump::None), |i| (i.bump(), i.bump_0x()));
        Semver {
            kind,
            bump,
            bump_0x,
        }
    }
}
