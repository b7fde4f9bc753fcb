//! Tests of the Rust-level comparison (nested shapes, Rust renames,
//! signatures) and of the docs-only class, on small inline models.

use super::tests::{field, kinds, method, res};
use super::*;
use crate::model::{Example, InsertSpec, Property, Resource, Shape, Verb};

fn scalar() -> Shape {
    Shape::Scalar {
        datatype: "string".into(),
    }
}

fn obj(props: &[(&str, Shape)]) -> Shape {
    Shape::Object {
        properties: props
            .iter()
            .map(|(n, s)| Property {
                name: n.to_string(),
                shape: s.clone(),
            })
            .collect(),
    }
}

fn arr(items: Shape) -> Shape {
    Shape::Array {
        items: Box::new(items),
    }
}

/// `p.s.a` with an INSERT whose manifest shows `props` (all optional).
fn with_manifest(props: &[(&str, Shape)]) -> Resource {
    let mut r = res("s", "a");
    let Shape::Object { properties } = obj(props) else {
        unreachable!()
    };
    r.insert = Some(InsertSpec {
        all: properties.iter().map(|p| p.name.clone()).collect(),
        properties,
        ..InsertSpec::default()
    });
    r
}

fn only(d: &SchemaDiff, id: &str, names: &[&str]) -> Vec<(Impact, ChangeKind)> {
    kinds(d, id)
        .into_iter()
        .filter(|(_, k)| names.contains(&k.name()))
        .collect()
}

#[test]
fn nested_properties_are_compared_with_their_path() {
    let old = with_manifest(&[
        (
            "Actions",
            obj(&[("A", scalar()), ("Gone", scalar()), ("T", scalar())]),
        ),
        ("Tags", arr(obj(&[("Key", scalar())]))),
    ]);
    let new = with_manifest(&[
        (
            "Actions",
            obj(&[
                ("A", scalar()),
                ("T", obj(&[("X", scalar())])),
                ("B", scalar()),
            ]),
        ),
        ("Tags", arr(obj(&[("Key", scalar()), ("Value", scalar())]))),
    ]);
    let d = diff(&[old], &[new]);
    assert_eq!(
        kinds(&d, "p.s.a"),
        vec![
            (
                Impact::Additive,
                ChangeKind::NestedPropertyAdded {
                    path: "Actions.B".into(),
                    rust: "p::s::a::Actions::b".into()
                }
            ),
            (
                Impact::Breaking,
                ChangeKind::NestedPropertyRemoved {
                    path: "Actions.Gone".into(),
                    rust: "p::s::a::Actions::gone".into()
                }
            ),
            (
                Impact::Breaking,
                ChangeKind::TypeChanged {
                    path: "Actions.T".into(),
                    rust: "p::s::a::Actions::t".into(),
                    old: "Option<String>".into(),
                    new: "Option<T>".into()
                }
            ),
            // Array items are transparent in the path.
            (
                Impact::Additive,
                ChangeKind::NestedPropertyAdded {
                    path: "Tags.Value".into(),
                    rust: "p::s::a::Tag::value".into()
                }
            ),
        ]
    );
    let md = d.to_markdown();
    assert!(
        md.contains("  - property `Actions.Gone` (`p::s::a::Actions::gone`) removed\n"),
        "{md}"
    );
}

#[test]
fn a_new_nested_property_alone_is_a_minor_release() {
    // `aws.connect.rules` between 2024-06 and 2025-01, in small.
    let old = with_manifest(&[("Actions", obj(&[("TaskActions", scalar())]))]);
    let new = with_manifest(&[(
        "Actions",
        obj(&[
            ("TaskActions", scalar()),
            ("SubmitAutoEvaluationActions", scalar()),
        ]),
    )]);
    let d = diff(&[old], &[new]);
    assert_eq!(d.summary.additive, 1);
    assert_eq!(d.semver.kind, ReleaseKind::Additive);
    assert_eq!(
        (d.semver.bump, d.semver.bump_0x),
        (Bump::Minor, Bump::Patch)
    );
    assert!(d
        .to_text()
        .contains("semver:    minor (additive); for a 0.x crate: patch"));
}

#[test]
fn rust_renames_give_old_and_new_paths() {
    let mut old = with_manifest(&[(
        "B",
        obj(&[("Name", scalar()), ("Config", obj(&[("x", scalar())]))]),
    )]);
    old.methods = vec![method("get-thing", Verb::Exec, &[])];
    // A new property `A` with another `Config` shape is named first, so
    // `B.Config` becomes `Config2`; the new `B.name`, which needs no
    // conversion, takes `name` from `B.Name`; the new method `get_thing`
    // takes `get_thing` from `get-thing` (exact names first).
    let mut new = with_manifest(&[
        ("A", obj(&[("Config", obj(&[("y", scalar())]))])),
        (
            "B",
            obj(&[
                ("name", scalar()),
                ("Name", scalar()),
                ("Config", obj(&[("x", scalar())])),
            ]),
        ),
    ]);
    new.methods = vec![
        method("get-thing", Verb::Exec, &[]),
        method("get_thing", Verb::Select, &[]),
    ];
    let d = diff(&[old], &[new]);
    let renamed = |item, path: &str, old: &str, new: &str| {
        (
            Impact::Breaking,
            ChangeKind::RustRenamed {
                item,
                path: path.into(),
                old: old.into(),
                new: new.into(),
            },
        )
    };
    assert_eq!(
        only(&d, "p.s.a", &["rust_renamed"]),
        vec![
            renamed(
                RustItem::Type,
                "B.Config",
                "p::s::a::Config",
                "p::s::a::Config2"
            ),
            renamed(
                RustItem::Field,
                "B.Name",
                "p::s::a::B::name",
                "p::s::a::B::name_2"
            ),
            renamed(
                RustItem::Function,
                "get-thing",
                "p::s::a::get_thing",
                "p::s::a::get_thing_2"
            ),
        ]
    );
    let md = d.to_markdown();
    assert!(
        md.contains("type `p::s::a::Config` (`B.Config`) renamed to `p::s::a::Config2`"),
        "{md}"
    );
    assert!(
        md.contains(
            "function `p::s::a::get_thing` (method `get-thing`) renamed to `p::s::a::get_thing_2`"
        ),
        "{md}"
    );
}

#[test]
fn an_update_that_gains_properties_changes_its_signature() {
    let update = |set: &str| Example {
        verb: Some(Verb::Update),
        tab: None,
        lang: "sql".into(),
        caption: None,
        code: format!("UPDATE p.s.a SET {set} WHERE id = '1';"),
        line: 1,
        code_line: None,
    };
    let mut old = res("s", "a");
    old.methods = vec![method("update", Verb::Update, &["id"])];
    let mut new = old.clone();
    new.examples = vec![update("Foo = 'x'")];
    let d = diff(&[old], &[new.clone()]);
    assert_eq!(
        kinds(&d, "p.s.a"),
        vec![(
            Impact::Breaking,
            ChangeKind::SignatureChanged {
                method: "update".into(),
                rust: "p::s::a::update".into(),
                old: "(&Map<String, Value>, &str)".into(),
                new: "(&UpdateProperties, &str)".into()
            }
        )]
    );
    // A new settable column is a new `UpdateProperties` field.
    let mut newer = new.clone();
    newer.examples = vec![update("Foo = 'x', Bar = 'y'")];
    assert_eq!(
        kinds(&diff(&[new], &[newer]), "p.s.a"),
        vec![(
            Impact::Additive,
            ChangeKind::NestedPropertyAdded {
                path: "Bar".into(),
                rust: "p::s::a::UpdateProperties::bar".into()
            }
        )]
    );
}

#[test]
fn required_ness_follows_the_methods_table_as_generated() {
    // The INSERT method's required params decide `CreateProperties::new`;
    // the page's "required" tab is unchanged. `B` is a body property, not
    // an argument of `create`: only `CreateProperties` changes.
    let mut old = with_manifest(&[("A", scalar()), ("B", scalar())]);
    old.methods = vec![method("create", Verb::Insert, &["A", "region"])];
    let mut new = old.clone();
    new.methods = vec![method("create", Verb::Insert, &["A", "B", "region"])];
    let d = diff(&[old.clone()], &[new]);
    assert_eq!(
        kinds(&d, "p.s.a"),
        vec![(
            Impact::Breaking,
            ChangeKind::PropertyBecameRequired {
                property: "B".into()
            }
        )]
    );
    // A param that is no body property stays an argument.
    let mut new = old.clone();
    new.methods = vec![method("create", Verb::Insert, &["A", "C", "region"])];
    assert_eq!(
        kinds(&diff(&[old], &[new]), "p.s.a"),
        vec![(
            Impact::Breaking,
            ChangeKind::RequiredParamAdded {
                method: "create".into(),
                param: "C".into()
            }
        )]
    );
}

#[test]
fn a_manifest_shape_retypes_a_row_field() {
    let mut old = res("s", "a");
    old.fields = vec![field("actions", "object")];
    let mut new = with_manifest(&[("Actions", obj(&[("A", scalar())]))]);
    new.fields = old.fields.clone();
    let d = diff(&[old], &[new]);
    assert_eq!(
        only(&d, "p.s.a", &["type_changed", "field_type_changed"]),
        vec![(
            Impact::Breaking,
            ChangeKind::TypeChanged {
                path: "actions".into(),
                rust: "p::s::a::A::actions".into(),
                old: "Option<serde_json::Value>".into(),
                new: "Option<Actions>".into()
            }
        )]
    );
}

#[test]
fn descriptions_are_docs_only() {
    let mut old = res("s", "a");
    old.fields = vec![field("x", "string")];
    old.methods = vec![method("list", Verb::Select, &[])];
    let mut new = old.clone();
    new.description = Some("Now described.".into());
    new.fields[0].description = "The x.".into();
    new.methods[0].description = "Lists.".into();
    let d = diff(&[old], &[new]);
    let docs = |item, name: &str| {
        (
            Impact::Docs,
            ChangeKind::DocsChanged {
                item,
                name: name.into(),
            },
        )
    };
    assert_eq!(
        kinds(&d, "p.s.a"),
        vec![
            docs(DocItem::Resource, ""),
            docs(DocItem::Field, "x"),
            docs(DocItem::Method, "list")
        ]
    );
    assert_eq!(d.semver.kind, ReleaseKind::Docs);
    assert_eq!(
        (d.semver.bump, d.semver.bump_0x),
        (Bump::Patch, Bump::Patch)
    );
    let md = d.to_markdown();
    assert!(md.contains("## Documentation changes (patch)"), "{md}");
    // A method's optional params are in its rustdoc (a docs change, said
    // once with its description's) and fields of its typed
    // `<Method>Options`: one added is a setter added, one removed a setter
    // gone.
    let mut older = res("s", "a");
    older.methods = vec![method("list", Verb::Select, &[])];
    let mut newer = older.clone();
    newer.methods[0].optional_params = vec!["nextToken".into()];
    let setter = |path: &str, rust: &str| ChangeKind::NestedPropertyAdded {
        path: path.into(),
        rust: rust.into(),
    };
    let d = diff(std::slice::from_ref(&older), std::slice::from_ref(&newer));
    assert_eq!(
        kinds(&d, "p.s.a"),
        vec![
            (
                Impact::Additive,
                setter("list.nextToken", "p::s::a::ListOptions::next_token")
            ),
            docs(DocItem::Method, "list"),
        ]
    );
    assert_eq!(d.semver.bump, Bump::Minor);
    let mut more = newer.clone();
    more.methods[0].optional_params = vec!["nextToken".into(), "pageSize".into()];
    let d = diff(std::slice::from_ref(&newer), std::slice::from_ref(&more));
    assert_eq!(
        only(&d, "p.s.a", &["nested_property_added"]),
        vec![(
            Impact::Additive,
            setter("list.pageSize", "p::s::a::ListOptions::page_size")
        )]
    );
    let d = diff(std::slice::from_ref(&more), std::slice::from_ref(&older));
    assert_eq!(
        only(&d, "p.s.a", &["nested_property_removed"]).len(),
        2,
        "{:?}",
        kinds(&d, "p.s.a")
    );
    assert_eq!(d.semver.bump, Bump::Major);
    // Two methods that take the same share one struct: its setters said once.
    let mut two = newer.clone();
    two.methods.push(method("delete", Verb::Delete, &[]));
    two.methods[1].optional_params = vec!["nextToken".into()];
    let mut none = two.clone();
    for m in &mut none.methods {
        m.optional_params.clear();
    }
    let d = diff(std::slice::from_ref(&none), std::slice::from_ref(&two));
    assert_eq!(only(&d, "p.s.a", &["nested_property_added"]).len(), 1);
    let mut older = newer.clone();
    older.methods[0].description = String::new();
    newer.methods[0].description = "Lists.".into();
    let d = diff(&[older], &[newer]);
    assert_eq!(kinds(&d, "p.s.a"), vec![docs(DocItem::Method, "list")]);
    assert!(
        md.contains("- `p.s.a`: descriptions of the resource, field `x`, method `list`\n"),
        "{md}"
    );
    assert_eq!(serde_json::to_value(&d).unwrap()["semver"]["bump"], "patch");
}

#[test]
fn patch_properties_and_typed_updates_are_compared() {
    let patched = |shape: Shape| {
        let mut r = with_manifest(&[("Name", shape)]);
        r.methods = vec![method(
            "update_resource",
            Verb::Update,
            &["data__Identifier", "data__PatchDocument", "region"],
        )];
        r
    };
    let d = diff(
        &[patched(scalar())],
        &[patched(obj(&[("First", scalar())]))],
    );
    let rust: Vec<String> = kinds(&d, "p.s.a")
        .into_iter()
        .filter_map(|(impact, k)| match k {
            ChangeKind::TypeChanged { rust, .. } => {
                assert_eq!(impact, Impact::Breaking);
                Some(rust)
            }
            _ => None,
        })
        .collect();
    // The typed update's argument type changed with the property.
    assert!(
        rust.iter().any(|r| r.ends_with("::PatchProperties::name")),
        "{rust:?}"
    );
    assert!(
        rust.iter().any(|r| r.ends_with("::CreateProperties::name")),
        "{rust:?}"
    );
    // Adding a property is reported once, at the page level.
    let d = diff(
        &[patched(scalar())],
        &[with_property(patched(scalar()), ("Extra", scalar()))],
    );
    assert!(
        only(&d, "p.s.a", &["nested_property_added"]).is_empty(),
        "{:?}",
        kinds(&d, "p.s.a")
    );
    assert!(!only(&d, "p.s.a", &["property_added"]).is_empty());
}

/// `r` with one more manifest property (optional).
fn with_property(mut r: Resource, (name, shape): (&str, Shape)) -> Resource {
    let insert = r.insert.as_mut().expect("an insert");
    insert.all.push(name.to_string());
    insert.properties.push(Property {
        name: name.to_string(),
        shape,
    });
    r
}

/// `p.s.a` whose `list` and `get` SELECTs return the resource's fields
/// (`Id`, `Name`), `list` returning `list` columns of its own when given.
fn with_method_rows(list: Option<&[&str]>) -> Resource {
    let mut r = res("s", "a");
    r.fields = vec![field("Id", "string"), field("Name", "string")];
    let mut l = method("list", Verb::Select, &["region"]);
    l.returns = list.map(|cols| cols.iter().map(|c| field(c, "string")).collect());
    r.methods = vec![l, method("get", Verb::Select, &["Id", "region"])];
    r
}

#[test]
fn a_method_row_type_is_a_return_type_and_its_columns_are_compared() {
    // `list` comes to return a page of its own: its function's return type changes.
    let d = diff(
        &[with_method_rows(None)],
        &[with_method_rows(Some(&["NextToken"]))],
    );
    assert_eq!(
        kinds(&d, "p.s.a"),
        vec![(
            Impact::Breaking,
            ChangeKind::SignatureChanged {
                method: "list".into(),
                rust: "p::s::a::list".into(),
                old: "(&str) -> Select<A>".into(),
                new: "(&str) -> Select<ListRow>".into()
            }
        )]
    );
    // Its columns change as a nested type's do: added is additive, removed breaking.
    let d = diff(
        &[with_method_rows(Some(&["NextToken", "Gone"]))],
        &[with_method_rows(Some(&["NextToken", "Items"]))],
    );
    assert_eq!(
        kinds(&d, "p.s.a"),
        vec![
            (
                Impact::Breaking,
                ChangeKind::NestedPropertyRemoved {
                    path: "list.Gone".into(),
                    rust: "p::s::a::ListRow::gone".into()
                }
            ),
            (
                Impact::Additive,
                ChangeKind::NestedPropertyAdded {
                    path: "list.Items".into(),
                    rust: "p::s::a::ListRow::items".into()
                }
            )
        ]
    );
    // Unchanged: nothing.
    let same = [with_method_rows(Some(&["NextToken"]))];
    assert!(diff(&same, &same).resources.is_empty());
}

#[test]
fn a_row_type_that_gains_its_first_field_is_another_type() {
    // No columns listed: the row is a JSON map; listed later: a struct.
    let mut old = res("s", "a");
    old.methods = vec![method("get", Verb::Select, &["id"])];
    let mut new = old.clone();
    new.fields = vec![field("name", "string")];
    let d = diff(&[old.clone()], &[new.clone()]);
    let changed = only(&d, "p.s.a", &["type_changed"]);
    assert_eq!(
        changed,
        vec![(
            Impact::Breaking,
            ChangeKind::TypeChanged {
                path: "A".into(),
                rust: "p::s::a::A".into(),
                old: "serde_json::Map<String, Value>".into(),
                new: "struct A".into()
            }
        )]
    );
    assert_eq!(d.semver.bump, Bump::Major);
    // And back.
    let d = diff(&[new], &[old]);
    assert_eq!(only(&d, "p.s.a", &["type_changed"]).len(), 1);
}
