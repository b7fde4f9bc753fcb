use super::methods::prose_verb;
use super::permissions::valid_action;
use super::*;

#[test]
fn singular_and_cloud_type() {
    assert_eq!(
        find_singular(
            "Creates, updates, deletes or gets an `integration_association` resource or lists `x`"
        )
        .as_deref(),
        Some("integration_association")
    );
    assert_eq!(
        find_cloud_type("Resource Type definition for AWS::Connect::IntegrationAssociation")
            .as_deref(),
        Some("AWS::Connect::IntegrationAssociation")
    );
}

#[test]
fn prose_methods_name_their_verb() {
    assert_eq!(
        prose_verb("Currently only `SELECT` is supported for this resource resource."),
        Some(Verb::Select)
    );
    assert_eq!(
        prose_verb("Currently only exec is supported"),
        Some(Verb::Exec)
    );
    assert_eq!(prose_verb("Currently only `SHOW` is supported"), None);
}

#[test]
fn action_grammar() {
    assert!(valid_action("s3:GetObject"));
    assert!(valid_action("app-integrations:Get*"));
    assert!(!valid_action("GetObject"));
    assert!(!valid_action("s3:Get Object"));
    assert!(valid_action("CloudTrail:AddTags"));
    assert!(!valid_action("S3 :x"));
    assert!(!valid_action(":x"));
}

#[test]
fn prose_in_the_name_column_is_no_field() {
    // An unescaped `|` ends a description early; pulldown-cmark reads the
    // lines after it as rows of their own.
    let page = "## Overview\n<table><tbody>\n<tr><td><b>Name</b></td><td><code>w</code></td></tr>\n<tr><td><b>Id</b></td><td><CopyableCode code=\"p.s.w\" /></td></tr>\n</tbody></table>\n\n## Fields\n| Name | Datatype | Description |\n|:--|:--|:--|\n| `name` | `string` | one of {read|write} |\nEg: Microsoft.Compute/read |\n| `origin` | `string` | who |\n";
    let parsed = crate::parse::parse_page("w.md", page);
    let r = parsed.resource.expect("a resource");
    let names: Vec<&str> = r.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["name", "origin"]);
    let said: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.kind == Kind::FieldNameProse)
        .collect();
    assert_eq!(said.len(), 1, "{:?}", parsed.diagnostics);
    assert_eq!(said[0].line, 11);
    assert!(
        said[0].message.contains("`Eg: Microsoft.Compute/read`"),
        "{}",
        said[0].message
    );
}

#[test]
fn a_field_listed_twice_is_kept_once_with_a_warning() {
    let page = "## Overview\n<table><tbody>\n<tr><td><b>Name</b></td><td><code>w</code></td></tr>\n<tr><td><b>Id</b></td><td><CopyableCode code=\"p.s.w\" /></td></tr>\n</tbody></table>\n\n## Fields\n| Name | Datatype | Description |\n|:--|:--|:--|\n| `a` | `string` | first |\n| `b` | `integer` | |\n| `a` | `object` | again |\n";
    let parsed = crate::parse::parse_page("w.md", page);
    let r = parsed.resource.expect("a resource");
    let fields: Vec<_> = r
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.datatype.as_str(), f.description.as_str()))
        .collect();
    assert_eq!(fields, [("a", "string", "first"), ("b", "integer", "")]);
    let dup: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.kind == Kind::DuplicateField)
        .collect();
    assert_eq!(dup.len(), 1, "{:?}", parsed.diagnostics);
    assert_eq!(dup[0].line, 12);
    assert_eq!(dup[0].severity, Severity::Warning);
    assert!(dup[0].message.contains("`a`") && dup[0].message.contains("line 10"));
}

/// A page `p.s.w` whose Fields hold one pipe table per tab of `tabs`
/// (value, columns), with SELECT methods `list` and `get` (optional params
/// `next`, `max` on `list`).
fn tabbed_fields(tabs: &[(&str, &[&str])]) -> String {
    let mut page = String::from("## Overview\n<table><tbody>\n<tr><td><b>Name</b></td><td><code>w</code></td></tr>\n<tr><td><b>Id</b></td><td><CopyableCode code=\"p.s.w\" /></td></tr>\n</tbody></table>\n\n## Fields\n\n<Tabs values={[");
    for (v, _) in tabs {
        page.push_str(&format!("{{ label: '{v}', value: '{v}' }},"));
    }
    page.push_str("]}>\n");
    for (v, cols) in tabs {
        page.push_str(&format!(
            "<TabItem value=\"{v}\">\n\n| Name | Datatype |\n|:--|:--|\n"
        ));
        for c in *cols {
            page.push_str(&format!("| `{c}` | `string` |\n"));
        }
        page.push_str("\n</TabItem>\n");
    }
    page.push_str("</Tabs>\n\n## Methods\n| Name | Accessible by | Required Params | Optional Params | Description |\n|:--|:--|:--|:--|:--|\n| `list` | `select` | `region` | `next`, `max` | Lists. |\n| `get` | `select` | `id`, `region` | | Gets. |\n");
    page
}

#[test]
fn the_row_type_is_the_columns_most_select_methods_return() {
    // The get and the list of one schema beside a wider method of another
    // (Azure's `get_instance_view`): the shared columns are the resource's.
    let mut page = tabbed_fields(&[
        ("get", &["id", "name"]),
        ("get_view", &["statuses", "disks", "agent"]),
        ("list", &["id", "name"]),
    ]);
    page.push_str("| `get_view` | `select` | `id` | | Its state. |\n");
    let parsed = crate::parse::parse_page("w.md", &page);
    let r = parsed.resource.expect("a resource");
    let names = |fs: &[Field]| fs.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&r.fields), ["id", "name"]);
    let returns: Vec<(&str, Option<Vec<String>>)> = r
        .methods
        .iter()
        .map(|m| (m.name.as_str(), m.returns.as_deref().map(names)))
        .collect();
    assert_eq!(
        returns,
        [
            ("list", None),
            ("get", None),
            (
                "get_view",
                Some(vec!["statuses".into(), "disks".into(), "agent".into()])
            )
        ]
    );
    // Empty tabs share nothing: the one full tab is the resource's.
    let mut page = tabbed_fields(&[("get", &[]), ("get_view", &[]), ("list", &["id"])]);
    page.push_str("| `get_view` | `select` | `id` | | Its state. |\n");
    let r = crate::parse::parse_page("w.md", &page)
        .resource
        .expect("a resource");
    assert_eq!(names(&r.fields), ["id"]);
}

#[test]
fn fields_tabs_named_by_select_methods_are_what_each_method_returns() {
    // The widest tab is the resource's; a method whose columns differ returns its own.
    let parsed = crate::parse::parse_page(
        "w.md",
        &tabbed_fields(&[
            ("list", &["next", "items"]),
            ("get", &["id", "name", "arn"]),
        ]),
    );
    let r = parsed.resource.expect("a resource");
    let names = |fs: &[Field]| fs.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&r.fields), ["id", "name", "arn"]);
    assert!(r.views.is_empty());
    let list = &r.methods[0];
    assert_eq!(list.optional_params, ["next", "max"]);
    assert_eq!(
        list.returns.as_deref().map(names).unwrap(),
        ["next", "items"]
    );
    assert_eq!(r.methods[1].returns, None);
    assert!(r.methods[1].optional_params.is_empty());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);

    // The same columns in every tab: one row type, no view, nothing returned apart.
    let parsed = crate::parse::parse_page(
        "w.md",
        &tabbed_fields(&[("list", &["id", "name"]), ("get", &["id", "name"])]),
    );
    let r = parsed.resource.expect("a resource");
    assert_eq!(names(&r.fields), ["id", "name"]);
    assert!(r.views.is_empty() && r.methods.iter().all(|m| m.returns.is_none()));

    // Beside a view's tab, the resource's tab is still chosen the usual way
    // and a method's tab is never a view.
    let parsed = crate::parse::parse_page(
        "w.md",
        &tabbed_fields(&[
            ("resource", &["id", "name"]),
            ("vw_w", &["id", "flat"]),
            ("list", &["next"]),
        ]),
    );
    let r = parsed.resource.expect("a resource");
    assert_eq!(names(&r.fields), ["id", "name"]);
    assert_eq!(
        r.views.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
        ["vw_w"]
    );
    assert_eq!(
        r.methods[0].returns.as_deref().map(names).unwrap(),
        ["next"]
    );

    // Method tabs beside a view's only: the widest method tab is the resource's.
    let parsed = crate::parse::parse_page(
        "w.md",
        &tabbed_fields(&[("list", &["id", "name"]), ("vw_w", &["id", "flat"])]),
    );
    let r = parsed.resource.expect("a resource");
    assert_eq!(names(&r.fields), ["id", "name"]);
    assert_eq!(r.views.len(), 1);
    assert!(r.methods.iter().all(|m| m.returns.is_none()));
}

/// An awscc-form page: `head` Methods rows, then `tail` sections.
fn awscc_page(methods: &str, tail: &str) -> String {
    format!(
        "## Overview\n<table><tbody>\n<tr><td><b>Name</b></td><td><code>w</code></td></tr>\n<tr><td><b>Description</b></td><td>Reads an AWS::S::Other</td></tr>\n<tr><td><b>Id</b></td><td><CopyableCode code=\"awscc.s.w\" /></td></tr>\n</tbody></table>\n\n## Fields\n<SchemaTable fields={{[{{\"name\": \"a\", \"type\": \"string\"}}]}} />\n\nFor more information, see <a href=\"x\"><code>AWS::S::W</code></a>.\n\n## Methods\n| Name | Resource | Accessible by | Required Params |\n|:--|:--|:--|:--|\n{methods}\n{tail}"
    )
}

#[test]
fn an_identifier_column_holds_placeholders_only() {
    let methods = "| `get_resource` | `w` | `SELECT` | `Identifier, region` |";
    let read = |where_: &str| {
        let page = awscc_page(
            methods,
            &format!("## `SELECT` examples\n```sql\nSELECT a FROM awscc.s.w WHERE region = 'r' AND {where_};\n```\n"),
        );
        let r = crate::parse::parse_page("w.md", &page)
            .resource
            .expect("a resource");
        assert_eq!(r.cloud_type.as_deref(), Some("AWS::S::W"));
        r.identifier.map(|i| (i.parts, i.wire))
    };
    let parts = |p: &[&str]| {
        Some((
            p.iter().map(|s| s.to_string()).collect(),
            "Identifier".to_string(),
        ))
    };
    assert_eq!(
        read("Identifier = '{{ a }}|{{ b/c }}'"),
        parts(&["a", "b/c"])
    );
    assert_eq!(read("Identifier = '<A>'"), parts(&["A"]));
    // A value, not a template; a part that is no placeholder; an empty one.
    assert_eq!(read("Identifier = 'my-bucket'"), None);
    assert_eq!(read("Identifier = '{{ a }}|b'"), None);
    assert_eq!(read("Identifier = '{{  }}'"), None);
    assert_eq!(read("Identifier = '{{ a b }}'"), None);
    // Without a method that takes `Identifier`, the column is no identifier.
    let page = awscc_page(
        "| `get_resource` | `w` | `SELECT` | `Name, region` |",
        "## `SELECT` examples\n```sql\nSELECT a FROM awscc.s.w WHERE Identifier = '{{ a }}';\n```\n",
    );
    let r = crate::parse::parse_page("w.md", &page).resource.unwrap();
    assert_eq!(r.identifier, None);
}

#[test]
fn permissions_in_tabs_and_a_tab_that_is_no_operation() {
    let tail = "## Permissions\n<Tabs values={[{ label: 'Create', value: 'create' }]}>\n<TabItem value=\"create\">\n\n```json\ns:Put,\ns:Get\n```\n\n</TabItem>\n<TabItem value=\"watch\">\n\n```json\ns:Watch\n```\n\n</TabItem>\n<TabItem value=\"create\">\n\n```json\ns:Again\n```\n\n</TabItem>\n</Tabs>\n";
    let page = awscc_page("| `create_resource` | `w` | `INSERT` | `A, region` |", tail);
    let parsed = crate::parse::parse_page("w.md", &page);
    let r = parsed.resource.expect("a resource");
    let Permissions::Listed { operations } = &r.permissions else {
        panic!("listed: {:?}", r.permissions)
    };
    // Each list as the page gives it (as with headings); the unknown tab
    // said and skipped.
    let lists: Vec<(Operation, &[String])> = operations
        .iter()
        .map(|o| (o.operation, o.actions.as_slice()))
        .collect();
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        lists,
        [
            (Operation::Create, &strings(&["s:Put", "s:Get"])[..]),
            (Operation::Create, &strings(&["s:Again"])[..])
        ]
    );
    let said: Vec<_> = parsed
        .diagnostics
        .iter()
        .map(|d| (d.kind, d.line))
        .collect();
    // At the code block's fence, the line before its action.
    let fence = page.lines().position(|l| l == "s:Watch").unwrap();
    assert_eq!(said, [(Kind::UnknownOperation, fence)]);
}

#[test]
fn additional_parameters_are_optional_params_of_mutating_methods() {
    let methods = "| `create_resource` | `w` | `INSERT` | `A, region` |\n| `delete_resource` | `w` | `DELETE` | `Identifier, region` |\n| `list_resources` | `w_list_only` | `SELECT` | `region` |";
    let tail = "## Additional Parameters\n| Parameter | Description |\n|--|--|\n| <CopyableCode code=\"ClientToken\" /> | <details><summary>Once.</summary>At most.</details> |\n| <CopyableCode code=\"A\" /> | required already |\n| <CopyableCode code=\"bad name\" /> | skipped |\n";
    let r = crate::parse::parse_page("w.md", &awscc_page(methods, tail))
        .resource
        .expect("a resource");
    let optional: Vec<(&str, Vec<&str>)> = r
        .methods
        .iter()
        .map(|m| {
            (
                m.name.as_str(),
                m.optional_params.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        optional,
        [
            ("create_resource", vec!["ClientToken"]),
            ("delete_resource", vec!["ClientToken", "A"]),
            ("list_resources", vec![]),
        ]
    );
    assert_eq!(r.methods[2].resource.as_deref(), Some("w_list_only"));
    assert_eq!(r.methods[0].resource, None);
    let params: Vec<(&str, &str)> = r
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.description.as_str()))
        .collect();
    assert_eq!(
        params,
        [("ClientToken", "Once. At most."), ("A", "required already")]
    );
}

#[test]
fn a_page_that_says_it_is_a_view_is_selected_by_a_view_method() {
    let page = |said: &str| {
        format!(
            "## Overview\n<table><tbody>\n<tr><td><b>Name</b></td><td><code>vw</code></td></tr>\n<tr><td><b>Id</b></td><td><CopyableCode code=\"p.s.vw\" /></td></tr>\n</tbody></table>\n\n## Fields\n> {said}\n\n| Name | Datatype |\n|:-----|:---------|\n| <CopyableCode code=\"a\" /> | `text` |\n| <CopyableCode code=\"b\" /> ||\n## Methods\nNo additional methods available for this resource\n"
        )
    };
    let parsed = crate::parse::parse_page(
        "vw.md",
        &page(
            "This resource is a view. For the view definition, please refer to the provider spec.",
        ),
    );
    let kinds: Vec<Kind> = parsed.diagnostics.iter().map(|d| d.kind).collect();
    assert_eq!(kinds, [Kind::ViewWithoutDefinition]);
    let r = parsed.resource.expect("a resource");
    assert_eq!(r.fields.len(), 2);
    let m = &r.methods[..];
    assert!(
        matches!(m, [v] if v.name == "view" && v.verb == Verb::Select && v.required_params.is_empty()),
        "{m:?}"
    );
    // Without the sentence, a page without methods has none.
    let parsed = crate::parse::parse_page("vw.md", &page("A table."));
    assert!(parsed.resource.expect("a resource").methods.is_empty());
}

#[test]
fn a_sql_definition_is_read_only_where_the_page_has_no_methods() {
    let page = |fields: &str, methods: &str, sql: &str| {
        format!(
            "## Overview\n<table><tbody>\n<tr><td><b>Name</b></td><td><code>vw</code></td></tr>\n<tr><td><b>Id</b></td><td><CopyableCode code=\"p.s.vw\" /></td></tr>\n</tbody></table>\n\n## Fields\n{fields}\n{methods}\n## SQL Definition\n\n```sql\n{sql}\n```\n"
        )
    };
    let read = |text: &str| {
        let parsed = crate::parse::parse_page("vw.md", text);
        let kinds: Vec<Kind> = parsed.diagnostics.iter().map(|d| d.kind).collect();
        let r = parsed.resource.expect("a resource");
        let fields: Vec<String> = r.fields.iter().map(|f| f.name.clone()).collect();
        let methods: Vec<(String, Vec<String>)> = r
            .methods
            .iter()
            .map(|m| (m.name.clone(), m.required_params.clone()))
            .collect();
        (fields, methods, kinds)
    };
    let select = "SELECT a, f(b, c) AS d FROM p.s.t WHERE x = 'replace-me';";
    let (fields, methods, kinds) = read(&page("See the definition.", "", select));
    assert_eq!(fields, ["a", "d"]);
    assert_eq!(methods, [("view".to_string(), vec!["x".to_string()])]);
    assert_eq!(kinds, [Kind::ViewDefinition]);
    // No SELECT: the page's own (lack of) tables are said, as without one.
    let (fields, methods, kinds) = read(&page("None here.", "", "CREATE VIEW v;"));
    assert!(fields.is_empty() && methods.is_empty());
    assert_eq!(kinds, [Kind::FieldsWithoutTable, Kind::EmptyResource]);
    // A page with its own Methods table keeps it; the definition is not read.
    let methods_table = "## Methods\n| Name | Accessible by | Required Params |\n|:--|:--|:--|\n| `list` | `SELECT` | `y` |\n";
    let (_, methods, kinds) = read(&page("See the definition.", methods_table, select));
    assert_eq!(methods, [("list".to_string(), vec!["y".to_string()])]);
    assert!(!kinds.contains(&Kind::ViewDefinition));
    // A Fields table of its own types the view's columns; the definition
    // still gives the SELECT (newer providers' `Type: View` pages).
    let typed = "| Name | Datatype | Description |\n|:--|:--|:--|\n| `a` | `integer` | An a. |\n| `d` | `string` | A d. |\n";
    let parsed = crate::parse::parse_page("vw.md", &page(typed, "", select));
    let r = parsed.resource.expect("a resource");
    let fields: Vec<(&str, &str)> = r
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.datatype.as_str()))
        .collect();
    assert_eq!(fields, [("a", "integer"), ("d", "string")]);
    assert_eq!(r.methods.len(), 1);
    assert_eq!(r.methods[0].name, "view");
    // Columns sit at the line naming them; columns of a definition that
    // names few of them on lines of their own, past what is looked at,
    // sit at the block (its fence is line 12; `z AS last` is line 15).
    let lines = |n: usize| {
        let cols: Vec<String> = (0..n).map(|i| format!("f(c{i}) AS x{i}")).collect();
        format!("SELECT\n{},\nz AS last\nFROM p.s.t;", cols.join(", "))
    };
    let at = |sql: &str| {
        let parsed = crate::parse::parse_page("vw.md", &page("See it.", "", sql));
        let r = parsed.resource.expect("a resource");
        let last = r.fields.last().expect("fields");
        (r.fields.len(), last.name.clone(), last.line)
    };
    assert_eq!(at(&lines(3)), (4, "last".to_string(), 15));
    // 1,500 columns on one line, each looked for on the four lines after:
    // more than 4,096 looks.
    assert_eq!(at(&lines(1500)), (1501, "last".to_string(), 12));
}

#[test]
fn the_summary_is_no_admonition() {
    let summary = |head: &str| {
        let page = format!(
            "{head}\n\n{}",
            awscc_page("| `get` | `w` | `SELECT` | `a` |", "")
        );
        crate::parse::parse_page("w.md", &page)
            .resource
            .expect("a resource")
            .summary
    };
    let want = Some("Gets a `w`.".to_string());
    for head in [
        ":::info[Analytics resource]\n\nQueries need `since`.\n\n- a list\n\n:::\n\nGets a `w`.",
        ":::note\nAll in one paragraph.\n:::\n\nGets a `w`.",
        ":::tip\n\nText, then the close on its own line\n:::\n\nGets a `w`.",
        "import X from 'y';\n\nGets a `w`.",
    ] {
        assert_eq!(summary(head), want, "{head}");
    }
}
