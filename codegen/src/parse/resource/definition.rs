//! The `## SQL Definition` of a view page (StackQL's Azure docs of 2025:
//! `vw_*` pages whose Fields say "See the SQL Definition (view DDL)" and
//! which have no Methods table): the view's columns are the definition's
//! `SELECT` output names, and selecting from it takes the params its
//! `WHERE` binds to placeholders (`subscriptionId = 'replace-me'`).

use super::Ctx;
use crate::diagnostic::{Kind, Severity};
use crate::model::*;
use crate::parse::blocks::{Block, Section};
use crate::parse::{norm, sql};

/// How many times, on average, [`view_definition`] may look at each line of
/// a definition to place its columns.
const LOOKS_PER_LINE: usize = 16;

/// The name of the one SELECT method a view defined by SQL is read with
/// (as StackQL's pages name the method of a view that has a Methods table).
const METHOD: &str = "view";

/// The fields and the method of a view page read from its SQL definition
/// (the first SQL code block under `## SQL Definition`, the SQLite one
/// where tabs give one per backend); `None` without one, or when it is no
/// `SELECT` naming columns.
pub(super) fn view_definition(cx: &mut Ctx, sections: &[Section]) -> Option<(Vec<Field>, Method)> {
    let s = sections
        .iter()
        .find(|s| s.level == 2 && norm(&s.title) == "sql definition")?;
    let code = s.blocks.iter().find_map(|b| match b {
        Block::Code(c) if c.lang == "sql" || c.lang.is_empty() => Some(c),
        _ => None,
    })?;
    let toks = sql::tokens(&code.code).ok()?;
    let columns = sql::select_output_names(&toks);
    if columns.is_empty() {
        return None;
    }
    let lines: Vec<&str> = code.code.lines().collect();
    let first = code.code_line.unwrap_or(code.line + 1);
    // Each column at the first line, from the previous one's on, that ends
    // with its name (`... as "tenant_id",`); else at the block's. A name
    // found on no line looks at all the lines after: the lines looked at
    // in all are bounded (a definition of thousands of lines naming its
    // columns otherwise took time quadratic in its length), and the
    // columns after that are placed at the block.
    let mut at = 0;
    let mut budget = lines.len().saturating_mul(LOOKS_PER_LINE).max(4096);
    let fields = columns
        .into_iter()
        .map(|name| {
            let rest = &lines[at.min(lines.len())..];
            let found = rest.iter().take(budget).position(|l| {
                l.trim_end()
                    .trim_end_matches(',')
                    .trim_end_matches('"')
                    .ends_with(name.as_str())
            });
            budget = budget.saturating_sub(found.map_or(rest.len(), |i| i + 1));
            let line = match found {
                Some(i) => {
                    at += i + 1;
                    first + at - 1
                }
                None => code.line,
            };
            Field {
                name,
                datatype: "undefined".to_string(),
                description: String::new(),
                line,
            }
        })
        .collect();
    let method = Method {
        name: METHOD.to_string(),
        verb: Verb::Select,
        required_params: sql::where_columns(&toks),
        optional_params: Vec::new(),
        returns: None,
        resource: None,
        description: String::new(),
        line: code.line,
    };
    cx.say(
        code.line,
        Severity::Note,
        Kind::ViewDefinition,
        format!(
            "a view defined by SQL: its columns and a `{METHOD}` method taking the params of its `WHERE` are read from this definition"
        ),
    );
    Some((fields, method))
}

/// The `view` method of a page whose Fields say "This resource is a view"
/// and point to the provider's registry spec for its definition (StackQL's
/// older docs: github's `repo_stargazers_with_timestamps`, homebrew's
/// `vw_*`), with no Methods table: a SELECT of its Fields whose params the
/// page does not give (the caller adds them with `.param`).
pub(super) fn said_view(cx: &mut Ctx, sections: &[Section]) -> Option<Method> {
    let s = sections
        .iter()
        .find(|s| s.level == 2 && norm(&s.title) == "fields")?;
    let said = s.blocks.iter().find_map(|b| match b {
        Block::Paragraph(p)
            if p.text
                .to_ascii_lowercase()
                .contains("this resource is a view") =>
        {
            Some(p.line)
        }
        _ => None,
    })?;
    cx.say(
        said,
        Severity::Note,
        Kind::ViewWithoutDefinition,
        format!(
            "a view whose definition and params the page does not give: a `{METHOD}` method selects its fields; its params are given with `.param(name, value)`"
        ),
    );
    Some(Method {
        name: METHOD.to_string(),
        verb: Verb::Select,
        required_params: Vec::new(),
        optional_params: Vec::new(),
        returns: None,
        resource: None,
        line: said,
        description: "Selects the view. The page gives neither its definition nor its params: \
                      add them with `.param(name, value)`."
            .to_string(),
    })
}
