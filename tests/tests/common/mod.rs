//! Helpers shared by the integration tests.
#![allow(dead_code)]

use sqlparser::ast::{
    BinaryOperator, Expr, FromTable, FunctionArg, FunctionArgExpr, FunctionArguments, SelectItem,
    SetExpr, Statement, TableObject, Value,
};
use sqlparser::dialect::MySqlDialect;
use sqlparser::parser::Parser;
use std::path::{Path, PathBuf};

/// The resources of the resource pages under `dir` (a specs tree).
pub fn resources(dir: &Path) -> Vec<stackql_codegen::model::Resource> {
    stackql_codegen::Config::new()
        .specs(dir)
        .parse()
        .unwrap_or_else(|e| panic!("parsing {}: {e}", dir.display()))
        .into_iter()
        .filter_map(|p| p.resource)
        .collect()
}

/// Where the real corpus is expected: `../shared/corpus`, beside the
/// repository.
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// `../shared/corpus`, for tests that already checked it is there (see
/// [`require_corpus!`]).
pub fn corpus() -> PathBuf {
    let p = corpus_dir();
    assert!(p.is_dir(), "the corpus is expected at {}", p.display());
    p
}

/// The corpus, or `None` after telling the person running the tests that
/// `test` was skipped and why. Written straight to stderr, past the test
/// harness's capture, so that it shows in a passing run.
pub fn corpus_or_skip(test: &str) -> Option<PathBuf> {
    let p = corpus_dir();
    if p.join("README.md").is_file() {
        return Some(p);
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped {test}: the real provider pages are not at {} (a checkout of the shared \
         corpus beside the repository, `../shared/corpus`); `.ci/run` requires them",
        p.display()
    );
    None
}

/// The corpus path, or returns from the calling test after saying on stderr
/// that it was skipped and why (see [`corpus_or_skip`]).
#[macro_export]
macro_rules! require_corpus {
    () => {{
        fn here() {}
        let name = ::std::any::type_name_of_val(&here);
        match common::corpus_or_skip(name.strip_suffix("::here").unwrap_or(name)) {
            Some(dir) => dir,
            None => return,
        }
    }};
}

/// What a re-read statement contains, independent of how it was printed.
#[derive(Debug, Default, PartialEq)]
pub struct Parsed {
    pub kind: &'static str,
    pub table: String,
    pub columns: Vec<String>,
    pub values: Vec<String>,
    pub predicates: Vec<(String, String)>,
    /// Per UPDATE assignment, the function its literal is passed through
    /// (`string` in `SET data__PatchDocument = string('...')`), if any.
    pub wrappers: Vec<Option<String>>,
}

/// The literal of `value` or of `f('literal')`, with `f`'s name.
fn wrapped_literal(e: &Expr) -> (String, Option<String>) {
    let Expr::Function(f) = e else {
        return (literal(e), None);
    };
    let FunctionArguments::List(list) = &f.args else {
        panic!("expected `{}('literal')`, found {e}", f.name)
    };
    match list.args.as_slice() {
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))] => {
            (literal(arg), Some(f.name.to_string()))
        }
        _ => panic!("expected `{}('literal')`, found {e}", f.name),
    }
}

fn literal(e: &Expr) -> String {
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => s.clone(),
            other => other.to_string(),
        },
        other => panic!("expected a literal, found {other}"),
    }
}

fn predicates(e: &Expr, out: &mut Vec<(String, String)>) {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            predicates(left, out);
            predicates(right, out);
        }
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Eq,
            right,
        } => out.push((
            left.to_string().trim_matches('`').to_string(),
            literal(right),
        )),
        other => panic!("expected `col = 'value'` predicates, found {other}"),
    }
}

/// Parses exactly one statement with a MySQL-family dialect (StackQL's
/// parser reads backslash escapes, as MySQL does).
pub fn parse(sql: &str) -> Parsed {
    let mut stmts = Parser::parse_sql(&MySqlDialect {}, sql)
        .unwrap_or_else(|e| panic!("not valid SQL: {e}\n{sql}"));
    assert_eq!(stmts.len(), 1, "expected one statement: {sql}");
    let mut p = Parsed::default();
    match stmts.remove(0) {
        Statement::Query(q) => {
            let SetExpr::Select(s) = *q.body else {
                panic!("expected a plain SELECT: {sql}")
            };
            p.kind = "SELECT";
            p.table = s.from[0].relation.to_string();
            p.columns = s
                .projection
                .iter()
                .map(|i| match i {
                    SelectItem::UnnamedExpr(e) => e.to_string(),
                    other => other.to_string(),
                })
                .collect();
            if let Some(w) = &s.selection {
                predicates(w, &mut p.predicates);
            }
        }
        Statement::Insert(i) => {
            p.kind = "INSERT";
            let TableObject::TableName(name) = &i.table else {
                panic!("expected a table name: {sql}")
            };
            p.table = name.to_string();
            p.columns = i.columns.iter().map(|c| c.to_string()).collect();
            let source = i.source.expect("INSERT ... SELECT");
            let SetExpr::Select(s) = *source.body else {
                panic!("expected INSERT ... SELECT: {sql}")
            };
            p.values = s
                .projection
                .iter()
                .map(|i| match i {
                    SelectItem::UnnamedExpr(e) => literal(e),
                    other => panic!("expected a value, found {other}"),
                })
                .collect();
        }
        Statement::Delete(d) => {
            p.kind = "DELETE";
            let (FromTable::WithFromKeyword(t) | FromTable::WithoutKeyword(t)) = &d.from;
            p.table = t[0].relation.to_string();
            if let Some(w) = &d.selection {
                predicates(w, &mut p.predicates);
            }
        }
        Statement::Update(u) => {
            p.kind = "UPDATE";
            p.table = u.table.relation.to_string();
            for a in &u.assignments {
                p.columns.push(a.target.to_string());
                let (value, wrapper) = wrapped_literal(&a.value);
                p.values.push(value);
                p.wrappers.push(wrapper);
            }
            if let Some(w) = &u.selection {
                predicates(w, &mut p.predicates);
            }
        }
        other => panic!("unexpected statement {other}"),
    }
    p
}
