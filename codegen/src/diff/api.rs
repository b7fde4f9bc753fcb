//! The generated Rust API of one resource as the resolver names it, and the
//! changes between two of them that the page-level comparison cannot see:
//! nested types (the manifest's shapes), Rust paths that move while the page
//! item keeps its name, and function signatures.
//!
//! Nothing here names anything: every Rust name comes from
//! [`resolve::resolve`](crate::resolve::resolve), run on both trees.

use super::compare::change;
use super::{Change, ChangeKind, Impact, RustItem};
use crate::resolve::{Arg, RField, RMethod, RResource, RStruct, Ty};
use std::collections::{BTreeMap, BTreeSet};

/// Where a generated struct sits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    /// The row type.
    Row,
    /// `CreateProperties`, `UpdateProperties`, `ReplaceProperties` or
    /// `PatchProperties` (by their fixed names); `mirrors_page` for those
    /// whose fields are the page's properties (create and patch), whose
    /// additions and removals the page-level comparison reports.
    Properties { name: String, mirrors_page: bool },
    /// A nested type, by the property path that reaches it first
    /// (`Actions`, `Actions.SendNotificationActions.Recipient`).
    Nested(String),
    /// The row type of a SELECT method that returns columns of its own
    /// (`ListWebhooksRow`), by the method's name: the page-level comparison
    /// does not see its columns.
    MethodRow(String),
    /// The typed optional params of a method (`ListWebhooksOptions`), by
    /// the method's name: a param removed is a setter gone.
    Options(String),
}

impl Place {
    /// The property path of a field of this struct.
    fn path(&self, wire: &str) -> String {
        match self {
            Place::Nested(p) | Place::MethodRow(p) | Place::Options(p) => format!("{p}.{wire}"),
            _ => wire.to_string(),
        }
    }
}

/// One resource's generated API.
pub(super) struct Api<'r> {
    r: &'r RResource<'r>,
    /// `provider::service::module`.
    prefix: String,
    /// Every struct with a place, roots first, then nested types in the
    /// order the roots' fields reach them (properties before row fields,
    /// so that paths use the manifest's names).
    structs: Vec<(Place, &'r RStruct)>,
}

impl<'r> Api<'r> {
    pub(super) fn new(r: &'r RResource<'r>) -> Api<'r> {
        let id = &r.res.id;
        let mut structs: Vec<(Place, &RStruct)> = Vec::new();
        let create = r.create.iter().map(|s| (s, true));
        let updates = r.updates.iter().map(|(_, s)| (s, false));
        let patch = r.patch.iter().map(|s| (s, true));
        for (s, mirrors_page) in create.chain(updates).chain(patch) {
            let name = s.name.clone();
            structs.push((Place::Properties { name, mirrors_page }, s));
        }
        if let Some(row) = &r.row {
            structs.push((Place::Row, row));
        }
        for (method, row) in &r.method_rows {
            structs.push((Place::MethodRow(method.clone()), row));
        }
        for (method, name) in &r.options {
            if let Some(s) = r.nested.iter().find(|s| s.name == *name) {
                structs.push((Place::Options(method.clone()), s));
            }
        }
        let by_name: BTreeMap<&str, &RStruct> =
            r.nested.iter().map(|s| (s.name.as_str(), s)).collect();
        let mut seen = BTreeSet::new();
        let roots = structs.clone();
        for (_, s) in roots {
            for f in &s.fields {
                visit(&f.ty, f.wire.clone(), &by_name, &mut seen, &mut structs);
            }
        }
        Api {
            r,
            prefix: format!("{}::{}::{}", id.provider, id.service, r.module),
            structs,
        }
    }

    /// The row type's name, if the resource has a row type.
    pub(super) fn row_name(&self) -> Option<&str> {
        self.r.row.as_ref().map(|row| row.name.as_str())
    }

    /// The Rust type of the row field for column `wire`, if there is one.
    pub(super) fn row_field_ty(&self, wire: &str) -> Option<&Ty> {
        self.r
            .row
            .as_ref()?
            .fields
            .iter()
            .find(|f| f.wire == wire)
            .map(|f| &f.ty)
    }

    /// Whether the generated function of `method` (the first of that name)
    /// takes `param` as an argument of its own, rather than as a field of
    /// its properties struct. Unknown methods take every param.
    pub(super) fn takes(&self, method: &str, param: &str) -> bool {
        let Some(m) = self.r.methods.iter().find(|m| m.method.name == method) else {
            return true;
        };
        m.args.iter().any(|a| match a {
            Arg::Param { wire, .. } | Arg::BodyField { wire, .. } => wire == param,
            Arg::Identifier { wire } => param == wire,
            Arg::Patch => crate::resolve::is_patch_param(param),
            Arg::Properties(_) | Arg::PropertiesMap => false,
        })
    }

    /// The wire names of the required fields of `CreateProperties`, if
    /// the resource has one.
    pub(super) fn required_properties(&self) -> Option<BTreeSet<String>> {
        let create = self.r.create.as_ref()?;
        Some(
            create
                .fields
                .iter()
                .filter(|f| !f.optional)
                .map(|f| f.wire.clone())
                .collect(),
        )
    }

    fn rust(&self, s: &RStruct, ident: &str) -> String {
        format!("{}::{}::{ident}", self.prefix, s.name)
    }
}

/// Registers the nested struct `ty` names (through `Vec`s) at `path`, then
/// its own nested structs.
fn visit<'r>(
    ty: &Ty,
    path: String,
    by_name: &BTreeMap<&str, &'r RStruct>,
    seen: &mut BTreeSet<String>,
    out: &mut Vec<(Place, &'r RStruct)>,
) {
    match ty {
        Ty::Vec(t) => visit(t, path, by_name, seen, out),
        Ty::Named(n) => {
            let Some(s) = by_name.get(n.as_str()) else {
                return;
            };
            if !seen.insert(path.clone()) {
                return;
            }
            out.push((Place::Nested(path.clone()), s));
            for f in &s.fields {
                visit(&f.ty, format!("{path}.{}", f.wire), by_name, seen, out);
            }
        }
        _ => {}
    }
}

/// A type as the generated code spells it; `named` false writes every
/// nested struct as `_` (renames are reported on their own).
fn ty_text(ty: &Ty, named: bool) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::I64 => "i64".into(),
        Ty::F64 => "f64".into(),
        Ty::Bool => "bool".into(),
        Ty::Json => "serde_json::Value".into(),
        Ty::Vec(t) => format!("Vec<{}>", ty_text(t, named)),
        Ty::Named(n) if named => n.clone(),
        Ty::Named(_) => "_".into(),
    }
}

fn field_text(f: &RField, named: bool) -> String {
    let t = ty_text(&f.ty, named);
    if f.optional {
        format!("Option<{t}>")
    } else {
        t
    }
}

/// Whether two Rust types differ in more than the names of nested structs.
pub(super) fn ty_differs(old: &Ty, new: &Ty) -> bool {
    ty_text(old, false) != ty_text(new, false)
}

/// Fields by wire name, first occurrence.
fn by_wire(s: &RStruct) -> BTreeMap<&str, &RField> {
    let mut m = BTreeMap::new();
    for f in &s.fields {
        m.entry(f.wire.as_str()).or_insert(f);
    }
    m
}

/// The Rust-level changes between two versions of one resource. `page` are
/// the page-level changes already found: what they report is not reported
/// again (a row field's datatype change, a property's required-ness, a
/// method's params or verb).
pub(super) fn changes(old: &Api, new: &Api, page: &[Change], out: &mut Vec<Change>) {
    if old.r.module != new.r.module {
        out.push(change(
            Impact::Breaking,
            ChangeKind::RustRenamed {
                item: RustItem::Module,
                path: String::new(),
                old: old.prefix.clone(),
                new: new.prefix.clone(),
            },
        ));
    }
    structs(old, new, page, out);
    functions(old, new, page, out);
}

fn structs(old: &Api, new: &Api, page: &[Change], out: &mut Vec<Change>) {
    let new_places: BTreeMap<&Place, &RStruct> = new.structs.iter().map(|(p, s)| (p, *s)).collect();
    let old_places: BTreeMap<&Place, &RStruct> = old.structs.iter().map(|(p, s)| (p, *s)).collect();
    // A method's typed optional params that appear or go: each field a
    // setter added or gone.
    let mut said = BTreeSet::new();
    for (place, s, api, added) in new
        .structs
        .iter()
        .filter(|(p, _)| !old_places.contains_key(p))
        .map(|(p, s)| (p, s, new, true))
        .chain(
            old.structs
                .iter()
                .filter(|(p, _)| !new_places.contains_key(p))
                .map(|(p, s)| (p, s, old, false)),
        )
    {
        // Methods that share a struct share its setters: said once.
        if !matches!(place, Place::Options(_)) || !said.insert((added, &s.name)) {
            continue;
        }
        for f in &s.fields {
            let (path, rust) = (place.path(&f.wire), api.rust(s, &f.ident));
            out.push(if added {
                change(
                    Impact::Additive,
                    ChangeKind::NestedPropertyAdded { path, rust },
                )
            } else {
                change(
                    Impact::Breaking,
                    ChangeKind::NestedPropertyRemoved { path, rust },
                )
            });
        }
    }
    let mut renamed = BTreeSet::new();
    let mut compared = BTreeSet::new();
    for (place, os) in &old.structs {
        let Some(ns) = new_places.get(place) else {
            continue;
        };
        let renamed_here = os.name != ns.name && renamed.insert((&os.name, &ns.name));
        if let (Place::Nested(path) | Place::Options(path), true) = (place, renamed_here) {
            out.push(change(
                Impact::Breaking,
                ChangeKind::RustRenamed {
                    item: RustItem::Type,
                    path: path.clone(),
                    old: format!("{}::{}", old.prefix, os.name),
                    new: format!("{}::{}", new.prefix, ns.name),
                },
            ));
        }
        // A row type of no field is the JSON map of every column (the
        // emitter's `row_type`): gaining its first field, or losing its
        // last, makes it another type.
        let row = matches!(place, Place::Row | Place::MethodRow(_));
        if row && os.fields.is_empty() != ns.fields.is_empty() {
            let what = |s: &RStruct| match s.fields.is_empty() {
                true => "serde_json::Map<String, Value>".to_string(),
                false => format!("struct {}", s.name),
            };
            out.push(change(
                Impact::Breaking,
                ChangeKind::TypeChanged {
                    path: ns.name.clone(),
                    rust: format!("{}::{}", new.prefix, ns.name),
                    old: what(os),
                    new: what(ns),
                },
            ));
        }
        if compared.insert((os.name.as_str(), ns.name.as_str())) {
            fields(place, (old, os), (new, ns), page, out);
        }
    }
}

/// Whether the page-level comparison already reported `kind`.
fn reported(page: &[Change], kind: impl Fn(&ChangeKind) -> bool) -> bool {
    page.iter().any(|c| kind(&c.kind))
}

fn fields(
    place: &Place,
    (old, os): (&Api, &RStruct),
    (new, ns): (&Api, &RStruct),
    page: &[Change],
    out: &mut Vec<Change>,
) {
    let (of, nf) = (by_wire(os), by_wire(ns));
    // The row's, `CreateProperties`' and `PatchProperties`' added and
    // removed fields are the page's fields and properties, reported at the
    // page level.
    let membership = match place {
        Place::Nested(_) | Place::MethodRow(_) | Place::Options(_) => true,
        Place::Properties { mirrors_page, .. } => !mirrors_page,
        Place::Row => false,
    };
    for (wire, o) in &of {
        let path = place.path(wire);
        let Some(n) = nf.get(wire) else {
            if membership {
                out.push(change(
                    Impact::Breaking,
                    ChangeKind::NestedPropertyRemoved {
                        path,
                        rust: old.rust(os, &o.ident),
                    },
                ));
            }
            continue;
        };
        if o.ident != n.ident {
            out.push(change(
                Impact::Breaking,
                ChangeKind::RustRenamed {
                    item: RustItem::Field,
                    path: path.clone(),
                    old: old.rust(os, &o.ident),
                    new: new.rust(ns, &n.ident),
                },
            ));
        }
        let ty = ty_differs(&o.ty, &n.ty);
        let optional = o.optional != n.optional;
        let explained = match place {
            // `FieldTypeChanged` (judged on the resolved types) says it.
            Place::Row => reported(
                page,
                |k| matches!(k, ChangeKind::FieldTypeChanged { field, .. } if field == wire),
            ),
            // `PropertyBecameRequired`/`Optional` say a required-ness change.
            Place::Properties { .. } if !ty => reported(page, |k| match k {
                ChangeKind::PropertyBecameRequired { property }
                | ChangeKind::PropertyBecameOptional { property } => property == wire,
                _ => false,
            }),
            _ => false,
        };
        if (ty || optional) && !explained {
            out.push(change(
                Impact::Breaking,
                ChangeKind::TypeChanged {
                    path,
                    rust: new.rust(ns, &n.ident),
                    old: field_text(o, true),
                    new: field_text(n, true),
                },
            ));
        }
    }
    if membership {
        for (wire, n) in &nf {
            if !of.contains_key(wire) {
                out.push(change(
                    Impact::Additive,
                    ChangeKind::NestedPropertyAdded {
                        path: place.path(wire),
                        rust: new.rust(ns, &n.ident),
                    },
                ));
            }
        }
    }
}

fn signature(args: &[Arg]) -> String {
    let args: Vec<String> = args
        .iter()
        .map(|a| match a {
            Arg::Param { .. } => "&str".to_string(),
            Arg::BodyField { .. } => "impl Into<Value>".into(),
            Arg::Identifier { .. } => "&Identifier".into(),
            Arg::Patch => "&[PatchOperation]".into(),
            Arg::Properties(n) => format!("&{n}"),
            Arg::PropertiesMap => "&Map<String, Value>".into(),
        })
        .collect();
    format!("({})", args.join(", "))
}

/// Functions of methods that kept their page name: renamed Rust functions
/// and changed argument types.
fn functions(old: &Api, new: &Api, page: &[Change], out: &mut Vec<Change>) {
    // The typed variants of patch updates are functions of their own.
    for (o, n) in [
        (&old.r.methods, &new.r.methods),
        (&old.r.typed_updates, &new.r.typed_updates),
    ] {
        method_functions(old, new, (o, n), page, out);
    }
}

fn method_functions(
    old: &Api,
    new: &Api,
    (old_methods, new_methods): (&[RMethod], &[RMethod]),
    page: &[Change],
    out: &mut Vec<Change>,
) {
    let (om, nm) = (by_occurrence(old_methods), by_occurrence(new_methods));
    for (k, o) in &om {
        let Some(n) = nm.get(k) else { continue };
        let name = k.0;
        if o.ident != n.ident {
            out.push(change(
                Impact::Breaking,
                ChangeKind::RustRenamed {
                    item: RustItem::Function,
                    path: name.to_string(),
                    old: format!("{}::{}", old.prefix, o.ident),
                    new: format!("{}::{}", new.prefix, n.ident),
                },
            ));
        }
        let (mut os, mut ns) = (signature(&o.args), signature(&n.args));
        if o.row.is_some() || n.row.is_some() {
            // A SELECT that returns a row type of its own, in either version.
            os.push_str(&returns(old, o));
            ns.push_str(&returns(new, n));
        }
        let explained = reported(page, |c| match c {
            ChangeKind::RequiredParamAdded { method, .. }
            | ChangeKind::RequiredParamRemoved { method, .. }
            | ChangeKind::RequiredParamsReordered { method, .. }
            | ChangeKind::MethodVerbChanged { method, .. } => method == name,
            _ => false,
        });
        if os != ns && !explained {
            out.push(change(
                Impact::Breaking,
                ChangeKind::SignatureChanged {
                    method: name.to_string(),
                    rust: format!("{}::{}", new.prefix, n.ident),
                    old: os,
                    new: ns,
                },
            ));
        }
    }
}

/// ` -> Select<Row>`: the row type the SELECT `m` returns.
fn returns(api: &Api, m: &RMethod) -> String {
    let row = m.row.as_deref().or(api.row_name()).unwrap_or("()");
    format!(" -> Select<{row}>")
}

/// Methods by (name, occurrence): a name listed twice is two functions.
fn by_occurrence(ms: &[RMethod]) -> BTreeMap<(&str, usize), &RMethod> {
    let mut n: BTreeMap<&str, usize> = BTreeMap::new();
    ms.iter()
        .map(|m| {
            let i = n.entry(m.method.name.as_str()).or_default();
            *i += 1;
            ((m.method.name.as_str(), *i), m)
        })
        .collect()
}
