//! The views a page documents beside its resource (`vw_disks` beside
//! `disks`): each a table of its own, with its own row type and, per SELECT
//! method of the resource, a function whose column list and `FROM` both come
//! from the view's tab. A statement never names one table's columns `FROM`
//! another.

use super::{method, structs, Page, RMethod, RResource, RView, Statement, Table};
use crate::diagnostic::Diagnostic;
use crate::ident::Scope;
use crate::model::Verb;

/// Module names a view may not take: the resource module's own submodules
/// and its runtime import.
const RESERVED_MODULES: &[&str] = &["methods", "permissions", "rt"];

/// The views of `r` (which has its methods), in page order.
pub(super) fn resolve<'a>(
    page: &Page<'a>,
    r: &RResource<'a>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<RView> {
    let mut modules = Scope::with_reserved(RESERVED_MODULES);
    page.res
        .views
        .iter()
        .map(|v| {
            let table = v.id(&page.res.id).to_string();
            // The methods the Methods table says read the view, if it
            // says so of any; else every SELECT of the resource.
            let named = r.methods.iter().any(|m| r.reads_view(m, &v.name));
            let methods = r
                .methods
                .iter()
                .filter(|m| m.method.verb == Verb::Select)
                .filter(|m| !named || r.reads_view(m, &v.name))
                .map(|m| {
                    let example = method::matching_example(page, &m.method, Table::View(v));
                    let columns = method::select_columns(
                        page,
                        &m.method,
                        example,
                        (&table, &v.fields),
                        diags,
                    );
                    RMethod {
                        statement: Statement::Select { columns },
                        // The view's row type, whatever the resource's method returns.
                        row: None,
                        ..m.clone()
                    }
                })
                .collect();
            RView {
                module: modules.snake(&v.name),
                table,
                row: structs::view_row(page.res, v),
                methods,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{resolve as resolve_crate, Param, ParamValue, RMethod, Statement};
    use sqlparser::ast::{SelectItem, SetExpr, Statement as Sql};
    use sqlparser::dialect::MySqlDialect;
    use sqlparser::parser::Parser;
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use super::super::resources_under as resources;

    /// The statement the generated function of `m` renders, through the
    /// runtime, selecting from `table` (a value per param).
    fn render(m: &RMethod, table: &str) -> String {
        let Statement::Select { columns } = &m.statement else {
            panic!("not a SELECT")
        };
        let method: &'static stackql_runtime::Method =
            Box::leak(Box::new(stackql_runtime::Method {
                resource: "unused.by.views",
                name: "m",
                verb: stackql_runtime::Verb::Select,
                operations: &[],
                handler_actions: &[],
                cloud_control: false,
            }));
        let cols: Vec<&str> = columns.iter().map(String::as_str).collect();
        let params: Vec<(&str, &str)> = m
            .params
            .iter()
            .map(|Param { wire, value }| {
                let v = match value {
                    ParamValue::Arg(_) => "v'1",
                    ParamValue::Identifier => "a|b",
                };
                (wire.as_str(), v)
            })
            .collect();
        use stackql_runtime::Statement as _;
        stackql_runtime::Select::<()>::from_view(method, table, &cols, &params).to_sql()
    }

    /// Re-reads a SELECT with a SQL parser: its table and its columns.
    /// `None` when the parser rejects it because a column is a keyword of
    /// its dialect that StackQL's grammar takes as a name, so the runtime
    /// renders it bare (`quote_ident` backticks StackQL's own keywords);
    /// any other rejection fails the test.
    fn reread(sql: &str, columns: &[String]) -> Option<(String, Vec<String>)> {
        let mut stmts = match Parser::parse_sql(&MySqlDialect {}, sql) {
            Ok(s) => s,
            Err(e) => {
                let keyword = columns.iter().any(|c| {
                    sqlparser::keywords::ALL_KEYWORDS.contains(&c.to_ascii_uppercase().as_str())
                        && Parser::parse_sql(&MySqlDialect {}, &format!("SELECT {c} FROM t"))
                            .is_err()
                });
                assert!(keyword, "not valid SQL: {e}\n{sql}");
                return None;
            }
        };
        let Some(Sql::Query(q)) = stmts.pop() else {
            panic!("expected a SELECT: {sql}")
        };
        let SetExpr::Select(s) = *q.body else {
            panic!("expected a plain SELECT: {sql}")
        };
        let columns = s
            .projection
            .iter()
            .map(|i| match i {
                SelectItem::UnnamedExpr(e) => e.to_string().trim_matches('`').replace("``", "`"),
                other => other.to_string(),
            })
            .collect();
        Some((s.from[0].relation.to_string(), columns))
    }

    /// Every SELECT of every resource and view under `dir` names only
    /// columns of the table its FROM names (of the method, where the page
    /// gives the method columns of its own); returns how many were checked
    /// (resource and view statements).
    fn check_selects(dir: &Path) -> (usize, usize) {
        let all = resources(dir);
        let krate = resolve_crate(&all, false, &mut Vec::new());
        let mut tables: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for r in &all {
            tables.insert(
                r.id.to_string(),
                r.fields.iter().map(|f| f.name.as_str()).collect(),
            );
            for v in &r.views {
                tables.insert(
                    v.id(&r.id).to_string(),
                    v.fields.iter().map(|f| f.name.as_str()).collect(),
                );
            }
        }
        let mut bad = Vec::new();
        let (mut own, mut views) = (0, 0);
        let check = |m: &RMethod, table: &str, bad: &mut Vec<String>| {
            let Statement::Select { columns } = &m.statement else {
                return;
            };
            let Some((from, columns)) = reread(&render(m, table), columns) else {
                return;
            };
            // A method documented with columns of its own selects those.
            let returns: Option<Vec<&str>> = m
                .method
                .returns
                .as_ref()
                .map(|fs| fs.iter().map(|f| f.name.as_str()).collect());
            let known = returns.as_ref().unwrap_or(&tables[&from]);
            let unknown: Vec<&String> = columns
                .iter()
                .filter(|c| *c != "*" && !known.contains(&c.as_str()))
                .collect();
            if !unknown.is_empty() {
                bad.push(format!("{from} {}: {unknown:?}", m.method.name));
            }
        };
        for r in &krate.resources {
            let table = r.res.id.to_string();
            for m in r
                .own_functions()
                .filter(|m| matches!(m.statement, Statement::Select { .. }))
            {
                check(m, &table, &mut bad);
                own += 1;
            }
            for v in &r.views {
                for m in &v.methods {
                    check(m, &v.table, &mut bad);
                    views += 1;
                }
            }
        }
        assert!(
            bad.is_empty(),
            "{} SELECTs name columns their table does not have:\n{}",
            bad.len(),
            bad.join("\n")
        );
        (own, views)
    }

    #[test]
    fn fixture_selects_name_only_columns_of_their_table() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let (own, views) = check_selects(&fixtures.join("current"));
        assert!(own > 10, "{own} resource SELECTs checked");
        // azure.compute.disks: two SELECT methods, one view.
        // azure.network.public_ip_addresses: one SELECT method, one view.
        // awscc.logs.subscription_filters: of two SELECT methods, the one
        // its Methods table says reads the `_list_only` view.
        assert_eq!(views, 4);
    }

    #[test]
    fn corpus_selects_name_only_columns_of_their_table() {
        let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
        if !corpus.join("README.md").is_file() {
            eprintln!("skipped: the corpus is not at {}", corpus.display());
            return;
        }
        for generation in ["current", "aws-2024-06", "aws-2023-11"] {
            let (own, _) = check_selects(&corpus.join(generation));
            assert!(own > 300, "{generation}: {own} SELECTs checked");
        }
    }
}
