//! Tests of the diff on small inline models.

use super::*;
use crate::model::{Field, Identifier, InsertSpec, Method, OperationPermissions};
use crate::model::{Operation, Permissions, Resource, Verb};

pub(super) fn res(service: &str, name: &str) -> Resource {
    Resource::empty(service, name)
}

pub(super) fn field(name: &str, dt: &str) -> Field {
    Field {
        name: name.into(),
        datatype: dt.into(),
        description: String::new(),
        line: 1,
    }
}

pub(super) fn method(name: &str, verb: Verb, params: &[&str]) -> Method {
    Method {
        name: name.into(),
        verb,
        required_params: params.iter().map(|s| s.to_string()).collect(),
        optional_params: Vec::new(),
        returns: None,
        resource: None,
        description: String::new(),
        line: 1,
    }
}

pub(super) fn strings(v: &[&str]) -> Vec<String> {
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

pub(super) fn kinds(d: &SchemaDiff, id: &str) -> Vec<(Impact, ChangeKind)> {
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
    let k = kinds(&diff(&[old.clone()], &[new.clone()]), "p.s.a");
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
    // A list that comes to read the `_list_only` table (its function moves
    // to the view's module), and back.
    let mut moved = new.clone();
    moved.methods[0].resource = Some("a_list_only".into());
    let d = diff(&[new.clone()], &[moved.clone()]);
    let k = kinds(&d, "p.s.a");
    assert!(
        matches!(&k[..], [(Impact::Breaking, ChangeKind::MethodTableChanged { method, old: None, new: Some(t) })] if method == "get" && t == "a_list_only"),
        "{k:?}"
    );
    let k = kinds(&diff(&[moved], &[new]), "p.s.a");
    assert!(matches!(
        &k[..],
        [(
            Impact::Breaking,
            ChangeKind::MethodTableChanged {
                old: Some(_),
                new: None,
                ..
            }
        )]
    ));
}

#[test]
fn properties() {
    let mut old = res("s", "a");
    // Old: body columns `data__`-prefixed (so `region` is a param); new:
    // unprefixed. `data__C` and `C` are one property.
    old.insert = Some(InsertSpec {
        required: strings(&["data__A", "data__B"]),
        all: strings(&["data__A", "data__B", "data__C", "data__D", "region"]),
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
            wire: "data__Identifier".into(),
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
    // A row type exists for a table with columns.
    old.fields = vec![field("id", "string")];
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
         Resources: 1 → 1 (0 added, 0 removed, 1 changed); 1 breaking, 0 additive, 0 policy, 0 docs change(s).\n\n\
         ## Breaking changes (major)\n\n### p.s\n\n\
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

#[test]
fn every_kind_name_is_its_json_tag() {
    use strum::VariantNames;
    let s = String::new;
    let v = Vec::new;
    let (verb, op) = (Verb::Select, Operation::Read);
    let all = [
        ChangeKind::ResourceAdded,
        ChangeKind::ResourceRemoved,
        ChangeKind::FieldAdded {
            field: s(),
            datatype: s(),
        },
        ChangeKind::FieldRemoved {
            field: s(),
            datatype: s(),
        },
        ChangeKind::FieldTypeChanged {
            field: s(),
            old: s(),
            new: s(),
        },
        ChangeKind::ViewAdded { view: s() },
        ChangeKind::ViewRemoved { view: s() },
        ChangeKind::ViewFieldAdded {
            view: s(),
            field: s(),
            datatype: s(),
        },
        ChangeKind::ViewFieldRemoved {
            view: s(),
            field: s(),
            datatype: s(),
        },
        ChangeKind::ViewFieldTypeChanged {
            view: s(),
            field: s(),
            old: s(),
            new: s(),
        },
        ChangeKind::MethodAdded {
            method: s(),
            verb,
            required_params: v(),
        },
        ChangeKind::MethodRemoved {
            method: s(),
            verb,
            required_params: v(),
        },
        ChangeKind::MethodRenamed {
            old: s(),
            new: s(),
            verb,
            required_params: v(),
        },
        ChangeKind::MethodVerbChanged {
            method: s(),
            old: verb,
            new: verb,
        },
        ChangeKind::MethodTableChanged {
            method: s(),
            old: None,
            new: None,
        },
        ChangeKind::RequiredParamAdded {
            method: s(),
            param: s(),
        },
        ChangeKind::RequiredParamRemoved {
            method: s(),
            param: s(),
        },
        ChangeKind::RequiredParamsReordered {
            method: s(),
            old: v(),
            new: v(),
        },
        ChangeKind::PropertyAdded {
            property: s(),
            required: false,
        },
        ChangeKind::PropertyRemoved {
            property: s(),
            required: false,
        },
        ChangeKind::PropertyBecameRequired { property: s() },
        ChangeKind::PropertyBecameOptional { property: s() },
        ChangeKind::IdentifierChanged { old: v(), new: v() },
        ChangeKind::RowTypeRenamed { old: s(), new: s() },
        ChangeKind::PermissionAdded {
            operation: op,
            action: s(),
        },
        ChangeKind::PermissionRemoved {
            operation: op,
            action: s(),
        },
        ChangeKind::NestedPropertyAdded {
            path: s(),
            rust: s(),
        },
        ChangeKind::NestedPropertyRemoved {
            path: s(),
            rust: s(),
        },
        ChangeKind::TypeChanged {
            path: s(),
            rust: s(),
            old: s(),
            new: s(),
        },
        ChangeKind::SignatureChanged {
            method: s(),
            rust: s(),
            old: s(),
            new: s(),
        },
        ChangeKind::RustRenamed {
            item: RustItem::Type,
            path: s(),
            old: s(),
            new: s(),
        },
        ChangeKind::DocsChanged {
            item: DocItem::Field,
            name: s(),
        },
    ];
    let names: std::collections::BTreeSet<&str> = all.iter().map(ChangeKind::name).collect();
    assert_eq!(names, ChangeKind::VARIANTS.iter().copied().collect());
    for k in &all {
        assert_eq!(serde_json::to_value(k).unwrap()["change"], k.name());
    }
    for i in [
        Impact::Breaking,
        Impact::Additive,
        Impact::Policy,
        Impact::Docs,
    ] {
        assert_eq!(serde_json::to_value(i).unwrap(), i.as_str());
    }
    for b in [Bump::None, Bump::Patch, Bump::Minor, Bump::Major] {
        assert_eq!(serde_json::to_value(b).unwrap(), b.as_str());
    }
}

#[test]
fn views_are_classified_apart_from_the_resource_fields() {
    let view = |name: &str, fields: Vec<Field>| crate::model::View {
        name: name.into(),
        tab: "view".into(),
        reads: "disks".into(),
        fields,
        line: 1,
    };
    let mut old = res("s", "disks");
    old.fields = vec![field("id", "string")];
    old.views = vec![
        view(
            "vw_disks",
            vec![field("id", "text"), field("sku_name", "text")],
        ),
        view("vw_gone", vec![field("id", "text")]),
    ];
    let mut new = old.clone();
    new.views = vec![
        view(
            "vw_disks",
            vec![field("id", "integer"), field("disk_state", "text")],
        ),
        view("vw_new", vec![field("id", "text")]),
    ];
    let d = diff(&[old], &[new]);
    let s = |v: &str| v.to_string();
    assert_eq!(
        kinds(&d, "p.s.disks"),
        [
            (
                Impact::Additive,
                ChangeKind::ViewFieldAdded {
                    view: s("vw_disks"),
                    field: s("disk_state"),
                    datatype: s("text")
                }
            ),
            (
                Impact::Breaking,
                ChangeKind::ViewFieldTypeChanged {
                    view: s("vw_disks"),
                    field: s("id"),
                    old: s("text"),
                    new: s("integer")
                }
            ),
            (
                Impact::Breaking,
                ChangeKind::ViewFieldRemoved {
                    view: s("vw_disks"),
                    field: s("sku_name"),
                    datatype: s("text")
                }
            ),
            (
                Impact::Breaking,
                ChangeKind::ViewRemoved { view: s("vw_gone") }
            ),
            (
                Impact::Additive,
                ChangeKind::ViewAdded { view: s("vw_new") }
            ),
        ]
    );
    assert_eq!(
        d.resources["p.s.disks"].changes[3].kind.describe(),
        "view `vw_gone` removed"
    );
}
