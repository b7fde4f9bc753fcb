//! The `## Fields` section: the resource's fields and the views beside it.

use super::{columns, safe_segment, section_tables, Ctx};
use crate::diagnostic::{Kind, Severity};
use crate::model::*;
use crate::parse::blocks::{Block, Section, Table};
use crate::parse::{plain, sql};

/// What a page's `## Fields` section documents.
#[derive(Default)]
pub(super) struct Fields {
    /// The resource's own fields.
    pub fields: Vec<Field>,
    /// The views beside it.
    pub views: Vec<View>,
    /// The columns of SELECT methods whose own tab differs from the
    /// resource's fields: (method name, its fields).
    pub returns: Vec<(String, Vec<Field>)>,
}

/// The resource's fields and the views documented beside it. A Fields
/// section whose tables sit in tabs (`<TabItem value="view">`) holds one
/// table per tab: the resource's own (the tab whose table is the page's
/// resource, else the tab `resource`, else the first unnamed one) and one
/// per view, each named by the `FROM` of its tab's SELECT example or by the
/// tab's label. A tab named by a SELECT method of the page
/// (`<TabItem value="list_webhooks">`) holds the columns that method
/// returns: never a view; when every tab is a method's, the resource's own
/// fields are those most method tabs list, the widest of those (the get of
/// one item beside a list that pages), and each method whose columns
/// differ returns its own.
pub(super) fn fields(
    cx: &mut Ctx,
    sections: &[Section],
    id: &ResourceId,
    examples: &[Example],
    select_methods: &[&str],
) -> Fields {
    let Some((s, tables)) = section_tables(sections, "fields") else {
        return Fields::default();
    };
    let Some(first) = tables.first() else {
        let not_supported = s.blocks.iter().find_map(|b| match b {
            Block::Paragraph(p) if p.text.to_ascii_lowercase().contains("not supported") => Some(p),
            _ => None,
        });
        match not_supported {
            // A fact of the page, not a problem with it.
            Some(p) => cx.say(
                p.line,
                Severity::Note,
                Kind::SelectNotSupported,
                "the page says `SELECT` is not supported for this resource; no row type is generated",
            ),
            None => cx.say(
                s.line,
                Severity::Warning,
                Kind::FieldsWithoutTable,
                "expected a table under `## Fields`, found none",
            ),
        }
        return Fields::default();
    };
    if tables.iter().all(|t| t.tab.is_none()) {
        return Fields {
            fields: table_fields(cx, first),
            ..Fields::default()
        };
    }
    // The first table of each tab, in page order.
    let mut tabs: Vec<(&str, &Table)> = Vec::new();
    for t in &tables {
        let tab = t.tab.as_deref().unwrap_or("");
        if !tabs.iter().any(|(v, _)| *v == tab) {
            tabs.push((tab, t));
        }
    }
    let is_method = |tab: &str| select_methods.contains(&tab);
    let names: Vec<Option<String>> = tabs
        .iter()
        .map(|(tab, _)| tab_table_name(s, tab, examples))
        .collect();
    // The method tab whose columns most method tabs list (the get and the
    // list of one schema beside a method that returns another: Azure's
    // `get_instance_view`, Google's firestore `listen`), the widest of
    // those, the first of those as wide.
    let shared_method = || {
        let method_tabs: Vec<usize> = (0..tabs.len()).filter(|i| is_method(tabs[*i].0)).collect();
        let columns: Vec<Vec<String>> = method_tabs
            .iter()
            .map(|&i| column_names(tabs[i].1))
            .collect();
        let shared = |c: &Vec<String>| match c.is_empty() {
            true => 0,
            false => columns.iter().filter(|o| *o == c).count(),
        };
        let best = (0..method_tabs.len())
            .max_by_key(|&j| (shared(&columns[j]), columns[j].len(), std::cmp::Reverse(j)))?;
        Some(method_tabs[best])
    };
    // A tab that is no method's, by the usual rules; else (every tab a
    // method's, or the others views) the method tab most others share.
    let other = |i: &usize| !is_method(tabs[*i].0);
    let own = (0..tabs.len())
        .filter(other)
        .find(|&i| names[i].as_deref() == Some(id.resource.as_str()))
        .or_else(|| {
            (0..tabs.len())
                .filter(other)
                .find(|&i| tabs[i].0 == "resource")
        })
        .or_else(|| (0..tabs.len()).filter(other).find(|&i| names[i].is_none()))
        .or_else(shared_method);
    let mut out = Fields::default();
    if let Some(i) = own {
        out.fields = table_fields(cx, tabs[i].1);
    }
    for (i, ((tab, table), name)) in tabs.iter().zip(names).enumerate() {
        if Some(i) == own {
            continue;
        }
        if is_method(tab) {
            let fields = table_fields(cx, table);
            if !same_columns(&fields, &out.fields) {
                out.returns.push((tab.to_string(), fields));
            }
            continue;
        }
        let Some(name) = name else {
            cx.say(
                table.line,
                Severity::Warning,
                Kind::TabWithoutName,
                format!(
                    "expected the tab `{tab}` of `## Fields` to name its table (a label, or a SELECT example in the same tab), found neither; its table is skipped"
                ),
            );
            continue;
        };
        out.views.push(View {
            fields: table_fields(cx, table),
            name,
            tab: tab.to_string(),
            reads: id.resource.clone(),
            line: table.line,
        });
    }
    // Tabs the tab set declares that hold no table: a fact of the page (a
    // method's tab without one returns the resource's fields).
    for (value, label) in &s.tab_labels {
        let is_own = own.is_some_and(|i| tabs[i].0 == value.as_str());
        if !is_own && !is_method(value) && !tabs.iter().any(|(v, _)| *v == value.as_str()) {
            cx.say(
                s.line,
                Severity::Note,
                Kind::ViewWithoutTable,
                format!("the tab `{label}` of `## Fields` holds no table; no row type or SELECT functions for it"),
            );
        }
    }
    out
}

/// The table a tab of `## Fields` documents: the last part of the `FROM`
/// of a SELECT example in the same tab, else the tab's label when it is a
/// name (`vw_widgets`, not `All Properties`).
fn tab_table_name(s: &Section, tab: &str, examples: &[Example]) -> Option<String> {
    let from = examples
        .iter()
        .filter(|e| {
            e.verb == Some(Verb::Select) && e.lang == "sql" && e.tab.as_deref() == Some(tab)
        })
        .find_map(|e| sql::tokens(&e.code).ok().and_then(|t| sql::from_table(&t)))
        .and_then(|t| t.rsplit('.').next().map(str::to_string))
        .filter(|n| safe_segment(n));
    from.or_else(|| {
        s.tab_labels
            .iter()
            .find(|(v, _)| v == tab)
            .map(|(_, l)| plain(l))
            .filter(|l| safe_segment(l))
    })
}

/// The Name, Datatype and Description columns of a table of fields or
/// params (`## Fields`, `## Parameters`).
pub(super) fn field_columns(table: &Table) -> Vec<Option<usize>> {
    columns(table, &[&["name"], &["datatype", "type"], &["description"]])
}

/// The names of a Fields table's rows, in order, without empty ones (none
/// without a `Name` column).
fn column_names(table: &Table) -> Vec<String> {
    let Some(ni) = field_columns(table)[0] else {
        return Vec::new();
    };
    table
        .rows
        .iter()
        .filter(|r| !r.header)
        .map(|r| plain(r.text(Some(ni))))
        .filter(|name| !name.is_empty())
        .collect()
}

/// The rows of a Fields table.
fn table_fields(cx: &mut Ctx, table: &Table) -> Vec<Field> {
    let cols = field_columns(table);
    let (Some(ni), dti, di) = (cols[0], cols[1], cols[2]) else {
        cx.say(
            table.line,
            Severity::Warning,
            Kind::FieldsWithoutNameColumn,
            "expected a `Name` column in the Fields table",
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut first_line = foldhash::HashMap::default();
    for row in table.rows.iter().filter(|r| !r.header) {
        let name = plain(row.text(Some(ni)));
        if name.is_empty() {
            cx.say(
                row.line,
                Severity::Warning,
                Kind::FieldWithoutName,
                "expected a field name in the first column, found an empty cell; row skipped",
            );
            continue;
        }
        // No column is named with white space: a line of prose (the rest of
        // a description that an unescaped `|` cut from its row) is no field.
        if name.contains(char::is_whitespace) {
            cx.say(
                row.line,
                Severity::Warning,
                Kind::FieldNameProse,
                format!(
                    "expected a field name in the first column, found text with spaces (`{}`), likely the rest of a broken row; row skipped",
                    name.chars().take(60).collect::<String>()
                ),
            );
            continue;
        }
        if let Some(first) = first_line.get(&name) {
            cx.say(
                row.line,
                Severity::Warning,
                Kind::DuplicateField,
                format!(
                    "expected each field once, found `{name}` again (first at line {first}); this row is skipped"
                ),
            );
            continue;
        }
        first_line.insert(name.clone(), row.line);
        let datatype = plain(row.text(dti));
        out.push(Field {
            name,
            datatype: if datatype.is_empty() {
                "undefined".to_string()
            } else {
                datatype
            },
            description: row.cell(di),
            line: row.line,
        });
    }
    out
}
