//! The statement values the generated method bindings return: each renders
//! its StackQL SQL and knows the method it calls.

use crate::policy::RequiresActions;
use crate::{json_literal, quote_ident, quote_literal, Method, PatchOperation, Verb};
use ::std::fmt;
use ::std::marker::PhantomData;

/// What every statement value offers.
pub trait Statement: fmt::Display {
    /// The StackQL SQL text.
    fn to_sql(&self) -> String {
        self.to_string()
    }
    /// The method the statement calls.
    fn method(&self) -> &'static Method;
    /// Why the statement cannot run as it was built, if it cannot: an
    /// `UPDATE` that sets no property (every field of its properties left
    /// unset) renders `SET` with nothing after it, and an `INSERT` of no
    /// column `()`, which StackQL rejects; an `UPDATE` whose JSON Patch is
    /// empty would ask the provider to change nothing. The client refuses
    /// such a statement before sending anything.
    ///
    /// ```
    /// use stackql_runtime::{Method, Statement, Update, Verb};
    /// static UPDATE: Method = Method {
    ///     resource: "github.repos.repos",
    ///     name: "update",
    ///     verb: Verb::Update,
    ///     operations: &[],
    ///     handler_actions: &[],
    ///     cloud_control: false,
    /// };
    /// #[derive(serde::Serialize, Default)]
    /// struct Props {
    ///     description: Option<String>,
    /// }
    /// let nothing = Update::new(&UPDATE, &Props::default(), &[("repo", "r")]);
    /// assert!(nothing.incomplete().is_some());
    /// let props = Props { description: Some("d".into()) };
    /// assert_eq!(Update::new(&UPDATE, &props, &[("repo", "r")]).incomplete(), None);
    /// ```
    fn incomplete(&self) -> Option<&'static str> {
        None
    }
}

/// What [`Statement::incomplete`] says of each statement type (complete
/// unless it says otherwise).
trait Complete {
    fn incomplete(&self) -> Option<&'static str> {
        None
    }
}

macro_rules! statement_impls {
    ($($ty:ident $(<$g:ident>)?),*) => {$(
        impl $(<$g>)? Statement for $ty $(<$g>)? {
            fn method(&self) -> &'static Method {
                self.method
            }
            fn incomplete(&self) -> Option<&'static str> {
                Complete::incomplete(self)
            }
        }
        impl $(<$g>)? RequiresActions for $ty $(<$g>)? {
            fn required_actions(&self) -> Vec<&'static str> {
                self.method.required_actions()
            }
        }
        impl $(<$g>)? fmt::Display for $ty $(<$g>)? {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.sql)
            }
        }
        impl $(<$g>)? $ty $(<$g>)? {
            /// Adds the optional params set in `options` (a generated
            /// `<Method>Options`), each as [`param`](Self::param) adds one.
            pub fn params<P: serde::Serialize + ?Sized>(mut self, options: &P) -> Self {
                for (name, value) in option_params(options) {
                    self = self.param(&name, &value);
                }
                self
            }
        }
    )*};
}

/// ` WHERE col = 'value' AND ...` (every value a quoted literal), or empty.
fn where_clause(predicates: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let mut has_where = false;
    for (col, v) in predicates {
        push_condition(&mut out, &mut has_where, col, v);
    }
    out
}

/// Appends ` WHERE name = 'value'`, or ` AND name = 'value'` if `has_where`:
/// every predicate of every statement is written here.
fn push_condition(out: &mut String, has_where: &mut bool, name: &str, value: &str) {
    out.push_str(if *has_where { " AND " } else { " WHERE " });
    out.push_str(&quote_ident(name));
    out.push_str(" = ");
    out.push_str(&quote_literal(value));
    *has_where = true;
}

/// Adds `name = 'value'` to the `WHERE` of `sql` (a statement whose `WHERE`,
/// if `has_where`, ends it before its `;`), opening one if it has none.
fn push_predicate(sql: &mut String, has_where: &mut bool, name: &str, value: &str) {
    let end = sql.strip_suffix(';').map_or(sql.len(), str::len);
    sql.truncate(end);
    push_condition(sql, has_where, name, value);
    sql.push(';');
}

/// The fields of a generated `<Method>Options` (any value that serializes
/// to a JSON object) that are set, as (param, value) pairs: a string as it
/// is, any other value as its JSON text (`10`, `true`); unset (`null`)
/// fields are left out.
fn option_params<P: serde::Serialize + ?Sized>(options: &P) -> Vec<(String, String)> {
    match serde_json::to_value(options) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => (k, s),
                other => (k, other.to_string()),
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn literal_params(params: &[(&str, &str)]) -> Vec<(String, String)> {
    params
        .iter()
        .map(|(k, v)| (k.to_string(), quote_literal(v)))
        .collect()
}

/// A `SELECT` returning rows of type `R`.
pub struct Select<R> {
    method: &'static Method,
    sql: String,
    has_where: bool,
    columns: Vec<String>,
    _row: PhantomData<fn() -> R>,
}

impl<R> fmt::Debug for Select<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Select").field("sql", &self.sql).finish()
    }
}

impl<R> Clone for Select<R> {
    fn clone(&self) -> Self {
        Select {
            method: self.method,
            sql: self.sql.clone(),
            has_where: self.has_where,
            columns: self.columns.clone(),
            _row: PhantomData,
        }
    }
}

impl<R> Select<R> {
    /// `SELECT columns FROM resource WHERE p1 = 'v1' AND ...;`
    pub fn new(method: &'static Method, columns: &[&str], predicates: &[(&str, &str)]) -> Self {
        Self::from_view(method, method.resource, columns, predicates)
    }

    /// `SELECT columns FROM view WHERE p1 = 'v1' AND ...;`: a select of a view
    /// (`provider.service.vw_widgets`) documented beside the resource whose
    /// `method` it reads through (the method gives the IAM actions).
    ///
    /// ```
    /// use stackql_runtime::{Method, Operation, Select, Statement, Verb};
    /// static LIST: Method = Method {
    ///     resource: "azure.compute.disks",
    ///     name: "list",
    ///     verb: Verb::Select,
    ///     operations: &[Operation::List],
    ///     handler_actions: &[],
    ///     cloud_control: false,
    /// };
    /// let s: Select<()> = Select::from_view(&LIST, "azure.compute.vw_disks", &["id"], &[("subscriptionId", "s")]);
    /// assert_eq!(s.to_sql(), "SELECT id FROM azure.compute.vw_disks WHERE subscriptionId = 's';");
    /// ```
    pub fn from_view(
        method: &'static Method,
        view: &str,
        columns: &[&str],
        predicates: &[(&str, &str)],
    ) -> Self {
        let cols: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
        let select = if cols.is_empty() {
            "*".to_string()
        } else {
            cols.join(", ")
        };
        Select {
            method,
            sql: format!("SELECT {select} FROM {view}{};", where_clause(predicates)),
            has_where: !predicates.is_empty(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            _row: PhantomData,
        }
    }

    /// Adds an optional param of the method (`AND name = 'value'`; the
    /// function's rustdoc lists them, e.g. a page token), quoted as every
    /// value is.
    ///
    /// ```
    /// use stackql_runtime::{Method, Select, Statement, Verb};
    /// static LIST: Method = Method {
    ///     resource: "aws.amplify.webhooks",
    ///     name: "list_webhooks",
    ///     verb: Verb::Select,
    ///     operations: &[],
    ///     handler_actions: &[],
    ///     cloud_control: false,
    /// };
    /// let s: Select<()> = Select::new(&LIST, &["webhooks"], &[("region", "us-east-1")])
    ///     .param("nextToken", "t'2");
    /// assert_eq!(
    ///     s.to_sql(),
    ///     "SELECT webhooks FROM aws.amplify.webhooks WHERE region = 'us-east-1' AND nextToken = 't''2';"
    /// );
    /// ```
    pub fn param(mut self, name: &str, value: &str) -> Self {
        push_predicate(&mut self.sql, &mut self.has_where, name, value);
        self
    }

    /// The columns the statement selects, as named in the statement (empty
    /// for `SELECT *`). A client matches the server's columns to the row
    /// type's fields by these names.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }
}

/// An `INSERT` creating a resource.
#[derive(Debug, Clone)]
pub struct Insert {
    method: &'static Method,
    sql: String,
    /// The columns (quoted) and their values (literals), in order.
    columns: Vec<(String, String)>,
    /// Why it cannot run, when it inserts no column at all.
    incomplete: Option<&'static str>,
}

/// Where an INSERT's params go relative to its body properties, and how body
/// columns are named; a fact of each provider's docs. The default, most
/// pages' layout, is body columns first, then params, without a prefix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InsertLayout {
    /// Params (`region`, `project`, ...) before the body columns.
    pub params_first: bool,
    /// Prefix of body columns (`data__` for some providers).
    pub body_prefix: &'static str,
}

fn body_columns(body: &impl serde::Serialize, prefix: &str) -> Vec<(String, String)> {
    match serde_json::to_value(body) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (format!("{prefix}{k}"), json_literal(&v)))
            .collect(),
        _ => Vec::new(),
    }
}

impl Insert {
    /// `INSERT INTO resource (columns) SELECT values;` from the properties'
    /// serde form (unset optional properties are left out) and the params.
    pub fn new(
        method: &'static Method,
        properties: &impl serde::Serialize,
        params: &[(&str, &str)],
        layout: InsertLayout,
    ) -> Self {
        let body = body_columns(properties, layout.body_prefix);
        let params = literal_params(params);
        let all: Vec<(String, String)> = if layout.params_first {
            params.into_iter().chain(body).collect()
        } else {
            body.into_iter().chain(params).collect()
        };
        let mut insert = Insert {
            method,
            incomplete: None,
            sql: String::new(),
            columns: all.into_iter().map(|(c, v)| (quote_ident(&c), v)).collect(),
        };
        insert.render();
        insert
    }

    /// Adds an optional param of the method as a column of its own
    /// (`(..., name) SELECT ..., 'value'`; the function's rustdoc lists
    /// them), quoted as every value is.
    pub fn param(mut self, name: &str, value: &str) -> Self {
        self.columns.push((quote_ident(name), quote_literal(value)));
        self.render();
        self
    }

    fn render(&mut self) {
        let cols: Vec<&str> = self.columns.iter().map(|(c, _)| c.as_str()).collect();
        let vals: Vec<&str> = self.columns.iter().map(|(_, v)| v.as_str()).collect();
        self.incomplete = cols.is_empty().then_some(
            "inserts no column: set the resource's required properties and parameters before running it",
        );
        self.sql = format!(
            "INSERT INTO {} ({}) SELECT {};",
            self.method.resource,
            cols.join(", "),
            vals.join(", ")
        );
    }
}

/// An `UPDATE` or `REPLACE` of a resource.
#[derive(Debug, Clone)]
pub struct Update {
    method: &'static Method,
    sql: String,
    has_where: bool,
    /// Why it cannot run, when it sets no property or its patch changes
    /// nothing.
    incomplete: Option<&'static str>,
}

impl Update {
    /// `UPDATE resource SET col = value, ... WHERE ...;` (or `REPLACE`) with
    /// the set properties' serde form (unset ones left out).
    pub fn new(
        method: &'static Method,
        properties: &impl serde::Serialize,
        predicates: &[(&str, &str)],
    ) -> Self {
        Self::with_body_prefix(method, properties, predicates, "", &[])
    }

    /// [`Update::new`] for a provider whose body columns carry a prefix
    /// (`SET data__label = ...`, as [`InsertLayout::body_prefix`] for an
    /// INSERT): each set property `name` is the column `{body_prefix}name`.
    /// The `required` properties, which the method also requires as params,
    /// are sent in the `WHERE` as well (`AND data__name = 'value'`: a string
    /// as it is, any other value as its JSON text), after `predicates`, in
    /// the order of `required`.
    pub fn with_body_prefix(
        method: &'static Method,
        properties: &impl serde::Serialize,
        predicates: &[(&str, &str)],
        body_prefix: &str,
        required: &[&str],
    ) -> Self {
        let set = body_columns(properties, body_prefix);
        let incomplete = set.is_empty().then_some(
            "sets no property: set at least one of its properties (its `with_...` setters) before running it",
        );
        let values = match required {
            [] => Vec::new(),
            _ => option_params(properties),
        };
        let in_where: Vec<(String, String)> = required
            .iter()
            .filter_map(|r| values.iter().find(|(k, _)| k == r))
            .map(|(k, v)| (format!("{body_prefix}{k}"), v.clone()))
            .collect();
        let mut all: Vec<(&str, &str)> = predicates.to_vec();
        all.extend(in_where.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        Self::from_columns(method, set, &all, incomplete)
    }

    /// AWS Cloud Control style: `SET data__PatchDocument = string('<JSON
    /// patch>')`, the document passed through StackQL's `string(...)` as the
    /// registry's update examples write it (Cloud Control takes the patch
    /// document as a string). An empty patch changes nothing: the statement
    /// is [`incomplete`](Statement::incomplete).
    pub fn patch(
        method: &'static Method,
        patch: &[PatchOperation],
        predicates: &[(&str, &str)],
    ) -> Self {
        Self::patch_column(method, "data__PatchDocument", patch, predicates)
    }

    /// [`Update::patch`] with the document set as `column` (quoted as every
    /// column is): `PatchDocument` for StackQL's `awscc` provider.
    pub fn patch_column(
        method: &'static Method,
        column: &str,
        patch: &[PatchOperation],
        predicates: &[(&str, &str)],
    ) -> Self {
        let doc = serde_json::to_string(patch).unwrap_or_else(|_| "[]".to_string());
        let incomplete = patch.is_empty().then_some(
            "changes no property: its patch is empty; set at least one change (the properties' \
             `with_...` or `remove_...` setters) before running it",
        );
        Self::from_columns(
            method,
            vec![(
                column.to_string(),
                format!("string({})", quote_literal(&doc)),
            )],
            predicates,
            incomplete,
        )
    }

    /// Adds an optional param of the method (`AND name = 'value'`; the
    /// function's rustdoc lists them), quoted as every value is.
    pub fn param(mut self, name: &str, value: &str) -> Self {
        push_predicate(&mut self.sql, &mut self.has_where, name, value);
        self
    }

    fn from_columns(
        method: &'static Method,
        set: Vec<(String, String)>,
        predicates: &[(&str, &str)],
        incomplete: Option<&'static str>,
    ) -> Self {
        let verb = if method.verb == Verb::Replace {
            "REPLACE"
        } else {
            "UPDATE"
        };
        let sets: Vec<String> = set
            .iter()
            .map(|(c, v)| format!("{} = {v}", quote_ident(c)))
            .collect();
        Update {
            method,
            incomplete,
            has_where: !predicates.is_empty(),
            sql: format!(
                "{verb} {} SET {}{};",
                method.resource,
                sets.join(", "),
                where_clause(predicates)
            ),
        }
    }
}

/// A `DELETE` of a resource.
#[derive(Debug, Clone)]
pub struct Delete {
    method: &'static Method,
    sql: String,
    has_where: bool,
}

impl Delete {
    /// `DELETE FROM resource WHERE ...;`
    pub fn new(method: &'static Method, predicates: &[(&str, &str)]) -> Self {
        Delete {
            method,
            sql: format!(
                "DELETE FROM {}{};",
                method.resource,
                where_clause(predicates)
            ),
            has_where: !predicates.is_empty(),
        }
    }

    /// Adds an optional param of the method (`AND name = 'value'`, e.g.
    /// `ifExists`; the function's rustdoc lists them), quoted as every
    /// value is.
    pub fn param(mut self, name: &str, value: &str) -> Self {
        push_predicate(&mut self.sql, &mut self.has_where, name, value);
        self
    }
}

/// An `EXEC` of a resource method.
#[derive(Debug, Clone)]
pub struct Exec {
    method: &'static Method,
    params: Vec<(String, String)>,
    body: Option<serde_json::Value>,
    sql: String,
}

impl Exec {
    /// `EXEC provider.service.resource.method @p1 = 'v1', ...;`
    pub fn new(method: &'static Method, params: &[(&str, &str)]) -> Self {
        let mut e = Exec {
            method,
            params: literal_params(params),
            body: None,
            sql: String::new(),
        };
        e.render();
        e
    }

    /// Adds an optional param (`@name = 'value'`).
    pub fn param(mut self, name: &str, value: &str) -> Self {
        self.params.extend(literal_params(&[(name, value)]));
        self.render();
        self
    }

    /// `EXEC provider.service.resource.method @p1 = 'v1', ... @@json = '{...}';`:
    /// an EXEC whose required `fields` go in the JSON body (`@@json`), not
    /// as `@` params, as the page's example sends them.
    pub fn with_body(
        method: &'static Method,
        params: &[(&str, &str)],
        fields: &[(&str, serde_json::Value)],
    ) -> Self {
        let fields = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        let mut e = Exec {
            method,
            params: literal_params(params),
            body: Some(serde_json::Value::Object(fields)),
            sql: String::new(),
        };
        e.render();
        e
    }

    /// Sets the request body (`@@json = '...'`). An object is merged into
    /// the body fields given before (its keys win); any other value
    /// replaces the body. A value that does not serialize leaves the body
    /// as it was.
    pub fn body(mut self, body: &impl serde::Serialize) -> Self {
        match (self.body.as_mut(), serde_json::to_value(body)) {
            (Some(serde_json::Value::Object(fields)), Ok(serde_json::Value::Object(more))) => {
                fields.extend(more);
            }
            (_, Ok(value)) => self.body = Some(value),
            (_, Err(_)) => {}
        }
        self.render();
        self
    }

    fn render(&mut self) {
        let mut args: Vec<String> = self
            .params
            .iter()
            .map(|(k, v)| format!("@{} = {v}", quote_ident(k)))
            .collect();
        if let Some(b) = &self.body {
            args.push(format!("@@json = {}", quote_literal(&b.to_string())));
        }
        let sep = if args.is_empty() { "" } else { " " };
        self.sql = format!(
            "EXEC {}.{}{sep}{};",
            self.method.resource,
            self.method.name,
            args.join(", ")
        );
    }
}

impl<R> Complete for Select<R> {}
impl Complete for Delete {}
impl Complete for Exec {}

impl Complete for Insert {
    fn incomplete(&self) -> Option<&'static str> {
        self.incomplete
    }
}

impl Complete for Update {
    fn incomplete(&self) -> Option<&'static str> {
        self.incomplete
    }
}

statement_impls!(Select<R>, Insert, Update, Delete, Exec);
