//! Comparison: two sets of resources → the [`Change`]s of each resource.
//! What the pages state is compared here; what the resolver makes of it
//! (Rust names, nested types, signatures) in [`super::api`].

use super::api::{self, Api};
use super::{Change, ChangeKind, DocItem, Impact, ResourceDiff, ResourceStatus, SchemaDiff};
use crate::model::{Field, Method, Operation, Permissions, Resource, View};
use crate::resolve::{self, RResource, Ty};
use std::collections::{BTreeMap, BTreeSet};

/// Compares two sets of resources (e.g. two parses of the same provider's
/// pages). Resources are matched by id; when an id occurs twice in one set,
/// the first wins (as in generation). Both sets are resolved (as
/// `generate` does) so that the Rust names and types compared are the
/// generated ones.
pub fn diff(old: &[Resource], new: &[Resource]) -> SchemaDiff {
    let resolved = |rs| resolve::resolve(rs, false, &mut Vec::new());
    let (old, new) = rayon::join(|| resolved(old), || resolved(new));
    let (old, new) = (by_id(&old.resources), by_id(&new.resources));
    let mut counts: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for r in old.values().map(|r| r.res) {
        counts
            .entry((r.id.provider.clone(), r.id.service.clone()))
            .or_default()
            .0 += 1;
    }
    for r in new.values().map(|r| r.res) {
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
        let r = r.res;
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

fn by_id<'r>(rs: &'r [RResource<'r>]) -> BTreeMap<String, &'r RResource<'r>> {
    let mut m = BTreeMap::new();
    for r in rs {
        m.entry(r.res.id.to_string()).or_insert(r);
    }
    m
}

pub(super) fn change(impact: Impact, kind: ChangeKind) -> Change {
    Change { impact, kind }
}

/// The changes between two versions of one resource, sorted.
fn resource_changes(old: &RResource, new: &RResource) -> Vec<Change> {
    let (oa, na) = (Api::new(old), Api::new(new));
    let (old, new) = (old.res, new.res);
    let mut out = Vec::new();
    fields(old, new, (&oa, &na), &mut out);
    views(old, new, &mut out);
    methods(old, new, (&oa, &na), &mut out);
    properties(old, new, (&oa, &na), &mut out);
    identifier(old, new, &mut out);
    row_type(&oa, &na, &mut out);
    permissions(old, new, &mut out);
    docs(old, new, &mut out);
    let page = out.clone();
    api::changes(&oa, &na, &page, &mut out);
    out.sort_by_cached_key(|c| (c.kind.sort_key(), c.kind.name()));
    out
}

/// Datatype per field name (first row wins).
fn field_types(fields: &[Field]) -> BTreeMap<&str, &str> {
    let mut m: BTreeMap<&str, &str> = BTreeMap::new();
    for f in fields {
        m.entry(f.name.as_str()).or_insert(f.datatype.as_str());
    }
    m
}

/// What changed between two versions of a field, in the resource's own
/// table or in a view's.
enum FieldChange<'a> {
    Added(&'a str),
    Removed(&'a str),
    TypeChanged(&'a str, &'a str),
}

/// The changes between two versions of a table's fields, each named by
/// `kind`; `retyped(name, old, new)` says whether a datatype change changes
/// the generated type.
fn compare_fields(
    old: &[Field],
    new: &[Field],
    retyped: impl Fn(&str, &str, &str) -> bool,
    kind: impl Fn(&str, FieldChange) -> ChangeKind,
    out: &mut Vec<Change>,
) {
    let (o, n) = (field_types(old), field_types(new));
    for (name, dt) in &o {
        match n.get(name) {
            None => out.push(change(
                Impact::Breaking,
                kind(name, FieldChange::Removed(dt)),
            )),
            Some(nd) if retyped(name, dt, nd) => out.push(change(
                Impact::Breaking,
                kind(name, FieldChange::TypeChanged(dt, nd)),
            )),
            Some(_) => {}
        }
    }
    for (name, dt) in &n {
        if !o.contains_key(name) {
            out.push(change(Impact::Additive, kind(name, FieldChange::Added(dt))));
        }
    }
}

/// Row fields. A datatype change is reported when the generated type
/// changes with it (a manifest shape may keep a struct type either way).
fn fields(old: &Resource, new: &Resource, (oa, na): (&Api, &Api), out: &mut Vec<Change>) {
    let retyped = |name: &str, od: &str, nd: &str| {
        Ty::from_datatype(od) != Ty::from_datatype(nd)
            && match (oa.row_field_ty(name), na.row_field_ty(name)) {
                (Some(o), Some(n)) => api::ty_differs(o, n),
                _ => true,
            }
    };
    let kind = |field: &str, c: FieldChange| {
        let field = field.to_string();
        match c {
            FieldChange::Added(dt) => ChangeKind::FieldAdded {
                field,
                datatype: dt.into(),
            },
            FieldChange::Removed(dt) => ChangeKind::FieldRemoved {
                field,
                datatype: dt.into(),
            },
            FieldChange::TypeChanged(o, n) => ChangeKind::FieldTypeChanged {
                field,
                old: o.into(),
                new: n.into(),
            },
        }
    };
    compare_fields(&old.fields, &new.fields, retyped, kind, out);
}

/// Views added and removed, and the column changes of views in both.
fn views(old: &Resource, new: &Resource, out: &mut Vec<Change>) {
    fn find<'r>(r: &'r Resource, name: &str) -> Option<&'r View> {
        r.views.iter().find(|v| v.name == name)
    }
    for o in &old.views {
        let Some(n) = find(new, &o.name) else {
            out.push(change(
                Impact::Breaking,
                ChangeKind::ViewRemoved {
                    view: o.name.clone(),
                },
            ));
            continue;
        };
        let kind = |field: &str, c: FieldChange| {
            let (view, field) = (o.name.clone(), field.to_string());
            match c {
                FieldChange::Added(dt) => ChangeKind::ViewFieldAdded {
                    view,
                    field,
                    datatype: dt.into(),
                },
                FieldChange::Removed(dt) => ChangeKind::ViewFieldRemoved {
                    view,
                    field,
                    datatype: dt.into(),
                },
                FieldChange::TypeChanged(o, n) => ChangeKind::ViewFieldTypeChanged {
                    view,
                    field,
                    old: o.into(),
                    new: n.into(),
                },
            }
        };
        let retyped = |_: &str, od: &str, nd: &str| Ty::from_datatype(od) != Ty::from_datatype(nd);
        compare_fields(&o.fields, &n.fields, retyped, kind, out);
    }
    for n in &new.views {
        if find(old, &n.name).is_none() {
            out.push(change(
                Impact::Additive,
                ChangeKind::ViewAdded {
                    view: n.name.clone(),
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

/// Methods and their required params. A param that the generated function
/// does not take itself (an INSERT's body property, folded into
/// `CreateProperties`) is left to the property comparison.
fn methods(old: &Resource, new: &Resource, (oa, na): (&Api, &Api), out: &mut Vec<Change>) {
    let args = |api: &Api, m: &Method| -> Vec<String> {
        let takes = |p: &&String| api.takes(&m.name, p);
        m.required_params.iter().filter(takes).cloned().collect()
    };
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
                if args(oa, m) != args(na, a) {
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
        if om.resource != nm.resource {
            out.push(change(
                Impact::Breaking,
                ChangeKind::MethodTableChanged {
                    method: nm.name.clone(),
                    old: om.resource.clone(),
                    new: nm.resource.clone(),
                },
            ));
        }
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
        for p in np
            .iter()
            .filter(|p| !op.contains(p) && na.takes(&nm.name, p))
        {
            out.push(change(
                Impact::Breaking,
                ChangeKind::RequiredParamAdded {
                    method: nm.name.clone(),
                    param: p.clone(),
                },
            ));
        }
        for p in op
            .iter()
            .filter(|p| !np.contains(p) && oa.takes(&om.name, p))
        {
            out.push(change(
                Impact::Breaking,
                ChangeKind::RequiredParamRemoved {
                    method: nm.name.clone(),
                    param: p.clone(),
                },
            ));
        }
        // Same params, other order: the common arguments' relative order.
        let (op_args, np_args) = (args(oa, om), args(na, nm));
        let common_old: Vec<&String> = op_args.iter().filter(|p| np.contains(p)).collect();
        let common_new: Vec<&String> = np_args.iter().filter(|p| op.contains(p)).collect();
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

/// Insertable properties. Which are required is what the generated
/// `CreateProperties` makes required (the Methods table's INSERT params,
/// else the page's "required" tab), where there is one.
fn properties(old: &Resource, new: &Resource, (oapi, napi): (&Api, &Api), out: &mut Vec<Change>) {
    let had_insert = old.insert.is_some();
    let empty = (BTreeSet::new(), BTreeSet::new());
    let (oa, or) = insertable(old).unwrap_or_else(|| empty.clone());
    let (na, nr) = insertable(new).unwrap_or(empty);
    let or = oapi.required_properties().unwrap_or(or);
    let nr = napi.required_properties().unwrap_or(nr);
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
/// the resource name), as the resolver decided.
fn row_type(old: &Api, new: &Api, out: &mut Vec<Change>) {
    // A row type that appears or goes with the resource's fields is the
    // fields' change, reported with them.
    let (Some(o), Some(n)) = (old.row_name(), new.row_name()) else {
        return;
    };
    if o != n {
        out.push(change(
            Impact::Breaking,
            ChangeKind::RowTypeRenamed {
                old: o.to_string(),
                new: n.to_string(),
            },
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

/// Descriptions that become rustdoc: the resource's (module docs), each
/// field's and each method's (first occurrence of a name, on both sides).
fn docs(old: &Resource, new: &Resource, out: &mut Vec<Change>) {
    let text = |s: &Option<String>| s.as_deref().unwrap_or("").trim().to_string();
    if text(&old.description) != text(&new.description) || text(&old.summary) != text(&new.summary)
    {
        out.push(change(
            Impact::Docs,
            ChangeKind::DocsChanged {
                item: DocItem::Resource,
                name: String::new(),
            },
        ));
    }
    for (item, o, n) in [
        (DocItem::Field, field_docs(old), field_docs(new)),
        (DocItem::Method, method_docs(old), method_docs(new)),
    ] {
        for (name, doc) in &o {
            if n.get(name).is_some_and(|d| d != doc) {
                out.push(change(
                    Impact::Docs,
                    ChangeKind::DocsChanged {
                        item,
                        name: name.to_string(),
                    },
                ));
            }
        }
    }
    // A method's optional params are in its rustdoc (and taken by
    // `.param`, unchecked by the compiler).
    fn optional(r: &Resource) -> BTreeMap<&str, &Vec<String>> {
        let mut m = BTreeMap::new();
        for x in &r.methods {
            m.entry(x.name.as_str()).or_insert(&x.optional_params);
        }
        m
    }
    let (o, n) = (optional(old), optional(new));
    for (name, params) in &o {
        let said = |c: &Change| matches!(&c.kind, ChangeKind::DocsChanged { item: DocItem::Method, name: m } if m == name);
        if n.get(name).is_some_and(|p| p != params) && !out.iter().any(said) {
            out.push(change(
                Impact::Docs,
                ChangeKind::DocsChanged {
                    item: DocItem::Method,
                    name: name.to_string(),
                },
            ));
        }
    }
}

/// Description per name, first occurrence, trimmed.
fn described<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> BTreeMap<&'a str, &'a str> {
    let mut m = BTreeMap::new();
    for (name, doc) in pairs {
        m.entry(name).or_insert(doc.trim());
    }
    m
}

fn field_docs(r: &Resource) -> BTreeMap<&str, &str> {
    described(
        r.fields
            .iter()
            .map(|f| (f.name.as_str(), f.description.as_str())),
    )
}

fn method_docs(r: &Resource) -> BTreeMap<&str, &str> {
    described(
        r.methods
            .iter()
            .map(|m| (m.name.as_str(), m.description.as_str())),
    )
}
