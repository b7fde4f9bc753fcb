//! The `## Methods` section: a table, or prose naming one verb.

use super::{columns, safe_segment, section_tables, Ctx};
use crate::diagnostic::{Kind, Severity};
use crate::model::*;
use crate::parse::blocks::{Block, Section};
use crate::parse::{plain, sql};

/// The Methods table's rows (else one method the section's prose names).
/// A `Resource` column (`awscc` pages) names the table each method reads;
/// kept where it is not `own`, the page's resource.
pub(super) fn methods(
    cx: &mut Ctx,
    sections: &[Section],
    examples: &[Example],
    own: &str,
) -> Vec<Method> {
    let Some((s, tables)) = section_tables(sections, "methods") else {
        return Vec::new();
    };
    let Some(table) = tables.first() else {
        let prose = s.blocks.iter().find_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        });
        match prose {
            Some(p) if p.text.to_ascii_lowercase().starts_with("currently only") => {
                // "Currently only `SELECT` is supported": one method of that
                // verb whose required params are the example's WHERE columns.
                let Some(verb) = prose_verb(&p.text) else {
                    cx.say(
                        p.line,
                        Severity::Warning,
                        Kind::UnknownVerb,
                        format!(
                            "expected `Currently only <verb> is supported` to name SELECT, INSERT, UPDATE, REPLACE, DELETE or EXEC, found `{}`; no method assumed",
                            p.text.trim()
                        ),
                    );
                    return Vec::new();
                };
                let params = examples
                    .iter()
                    .filter(|e| e.verb == Some(verb) && e.lang == "sql")
                    .find_map(|e| sql::tokens(&e.code).ok())
                    .map(|t| sql::where_columns(&t))
                    .unwrap_or_default();
                cx.say(
                    p.line,
                    Severity::Note,
                    Kind::MethodsProse,
                    format!(
                        "Methods given as prose; one `{verb}` method `{}` assumed, required params taken from the example",
                        verb.as_str().to_ascii_lowercase()
                    ),
                );
                return vec![Method {
                    name: verb.as_str().to_ascii_lowercase(),
                    verb,
                    required_params: params,
                    optional_params: Vec::new(),
                    returns: None,
                    resource: None,
                    description: p.text.clone(),
                    line: p.line,
                }];
            }
            Some(p) if p.text.to_ascii_lowercase().starts_with("no additional methods") => {}
            _ => cx.say(
                s.line,
                Severity::Warning,
                Kind::MethodsWithoutTable,
                "expected a table (Name, Accessible by, Required Params) under `## Methods`, found none",
            ),
        }
        return Vec::new();
    };
    let cols = columns(
        table,
        &[
            &["name"],
            &["accessible by"],
            &["required params"],
            &["description"],
            &["optional params"],
            &["resource"],
        ],
    );
    // A table without a header names no optional params: its fourth
    // column is the description.
    let optional = cols[4].filter(|_| table.rows.iter().any(|r| r.header));
    let mut out = Vec::new();
    for row in table.rows.iter().filter(|r| !r.header) {
        let name = plain(row.text(cols[0]));
        let verb_text = plain(row.text(cols[1]));
        if name.is_empty() || verb_text.is_empty() {
            cx.say(
                row.line,
                Severity::Warning,
                Kind::MethodIncomplete,
                format!("expected a method name and a verb, found `{name}` / `{verb_text}`; row skipped"),
            );
            continue;
        }
        let Some(verb) = Verb::parse(&verb_text) else {
            cx.say(
                row.line,
                Severity::Warning,
                Kind::UnknownVerb,
                format!(
                    "expected SELECT, INSERT, UPDATE, REPLACE, DELETE or EXEC for `{name}`, found `{}`; row skipped",
                    verb_text.trim()
                ),
            );
            continue;
        };
        out.push(Method {
            name,
            verb,
            required_params: param_list(&plain(row.text(cols[2]))),
            optional_params: optional
                .map_or_else(Vec::new, |i| param_list(&plain(row.text(Some(i))))),
            returns: None,
            resource: Some(plain(row.text(cols[5])))
                .filter(|r| !r.is_empty() && r != own && safe_segment(r)),
            description: row.cell(cols[3]),
            line: row.line,
        });
    }
    out
}

/// The params of a comma-separated cell (`region, app_id`), in order.
fn param_list(cell: &str) -> Vec<String> {
    cell.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// The first word of `text` that is a verb (`Currently only SELECT is
/// supported`, in backticks or not).
pub(super) fn prose_verb(text: &str) -> Option<Verb> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .find_map(Verb::parse)
}
