//! The hand-written runtime every generated module calls.
//!
//! - [`quote_literal`] and [`quote_ident`] are the only places that render
//!   SQL literals and identifiers: every value that reaches a statement goes
//!   through them.
//! - [`Select`], [`Insert`], [`Update`], [`Delete`] and [`Exec`] are the
//!   statement values the generated method bindings return. Each renders its
//!   StackQL SQL ([`Statement::to_sql`], also `Display`) and knows the method
//!   it calls, hence the IAM actions it needs
//!   ([`policy::RequiresActions::required_actions`]). A [`Select`] also knows
//!   its row type, so a client can deserialize rows into it.
//! - [`policy`] builds least-privilege IAM policy documents.
//!
//! This file is not generated: it is the source the generator embeds and
//! writes into crates it generates elsewhere.

pub mod policy;

use ::std::fmt;
use ::std::marker::PhantomData;

pub use policy::{Operation, PolicyBuilder, PolicyDocument, RequiresActions};

/// Renders `value` as a SQL string literal that can never end early.
///
/// Single quotes are doubled (`'` → `''`, standard SQL) and backslashes are
/// doubled (`\` → `\\`), so the literal stays closed whether the server reads
/// backslash escapes (MySQL-style parsers, as StackQL's) or not. A NUL
/// character is written as the escape `\0`.
///
/// ```
/// use stackql_bindings::runtime::quote_literal;
/// assert_eq!(quote_literal("it's"), "'it''s'");
/// assert_eq!(quote_literal("a\\' OR 1=1 --"), "'a\\\\'' OR 1=1 --'");
/// ```
pub fn quote_literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Renders a column or parameter name: as-is when it is a plain identifier
/// (`[A-Za-z_][A-Za-z0-9_]*`), otherwise in backticks with backticks doubled
/// (e.g. `` `X-Amz-Target` ``).
///
/// ```
/// use stackql_bindings::runtime::quote_ident;
/// assert_eq!(quote_ident("region"), "region");
/// assert_eq!(quote_ident("X-Amz-Target"), "`X-Amz-Target`");
/// ```
pub fn quote_ident(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

/// Renders a JSON value as a SQL literal: strings quoted, numbers and
/// booleans bare, `null` as `NULL`, arrays and objects as quoted JSON text.
pub fn json_literal(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => quote_literal(s),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Null => "NULL".to_string(),
        other => quote_literal(&other.to_string()),
    }
}

/// The SQL verb a method is accessible by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verb {
    /// `SELECT`
    Select,
    /// `INSERT`
    Insert,
    /// `UPDATE`
    Update,
    /// `REPLACE`
    Replace,
    /// `DELETE`
    Delete,
    /// `EXEC`
    Exec,
}

/// A documented method of a resource: what a statement calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    /// `provider.service.resource`.
    pub resource: &'static str,
    /// The method name (`create_resource`).
    pub name: &'static str,
    /// The verb.
    pub verb: Verb,
    /// The IAM operations it performs (empty where the page documents no
    /// permissions; a tags view lists and reads).
    pub operations: &'static [Operation],
    /// The resource handler's IAM actions for that operation, as documented.
    pub handler_actions: &'static [&'static str],
    /// Whether StackQL reaches the resource through the AWS Cloud Control
    /// API, whose own actions are then required too.
    pub cloud_control: bool,
}

impl Method {
    /// Every IAM action a call needs: the handler's actions plus, for Cloud
    /// Control resources, the Cloud Control API actions; deduplicated
    /// case-insensitively and sorted.
    pub fn required_actions(&self) -> Vec<&'static str> {
        let mut all: Vec<&'static str> = self.handler_actions.to_vec();
        if self.cloud_control {
            for op in self.operations {
                all.extend_from_slice(op.cloud_control_actions());
            }
        }
        let keep = policy::normalize_actions(all.iter().copied());
        all.sort_unstable();
        all.dedup();
        keep.iter()
            .filter_map(|k| all.iter().copied().find(|a| a == k))
            .collect()
    }
}

/// What every statement value offers.
pub trait Statement: fmt::Display {
    /// The StackQL SQL text.
    fn to_sql(&self) -> String {
        self.to_string()
    }
    /// The method the statement calls.
    fn method(&self) -> &'static Method;
}

macro_rules! statement_impls {
    ($($ty:ident $(<$g:ident>)?),*) => {$(
        impl $(<$g>)? Statement for $ty $(<$g>)? {
            fn method(&self) -> &'static Method {
                self.method
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
    )*};
}

fn where_clause(predicates: &[(&str, String)]) -> String {
    if predicates.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = predicates
        .iter()
        .map(|(col, lit)| format!("{} = {}", quote_ident(col), lit))
        .collect();
    format!(" WHERE {}", parts.join(" AND "))
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
            _row: PhantomData,
        }
    }
}

impl<R> Select<R> {
    /// `SELECT columns FROM resource WHERE p1 = 'v1' AND ...;`
    pub fn new(method: &'static Method, columns: &[&str], predicates: &[(&str, &str)]) -> Self {
        let cols: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
        let preds: Vec<(&str, String)> = predicates
            .iter()
            .map(|(k, v)| (*k, quote_literal(v)))
            .collect();
        let select = if cols.is_empty() {
            "*".to_string()
        } else {
            cols.join(", ")
        };
        Select {
            method,
            sql: format!(
                "SELECT {select} FROM {}{};",
                method.resource,
                where_clause(&preds)
            ),
            _row: PhantomData,
        }
    }
}

/// An `INSERT` creating a resource.
#[derive(Debug, Clone)]
pub struct Insert {
    method: &'static Method,
    sql: String,
}

/// Where an INSERT's params go relative to its body properties, and how body
/// columns are named; a fact of each provider's docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
        let cols: Vec<String> = all.iter().map(|(c, _)| quote_ident(c)).collect();
        let vals: Vec<&str> = all.iter().map(|(_, v)| v.as_str()).collect();
        Insert {
            method,
            sql: format!(
                "INSERT INTO {} ({}) SELECT {};",
                method.resource,
                cols.join(", "),
                vals.join(", ")
            ),
        }
    }
}

/// An `UPDATE` or `REPLACE` of a resource.
#[derive(Debug, Clone)]
pub struct Update {
    method: &'static Method,
    sql: String,
}

impl Update {
    /// `UPDATE resource SET col = value, ... WHERE ...;` (or `REPLACE`) with
    /// the set properties' serde form (unset ones left out).
    pub fn new(
        method: &'static Method,
        properties: &impl serde::Serialize,
        predicates: &[(&str, &str)],
    ) -> Self {
        Self::from_columns(method, body_columns(properties, ""), predicates)
    }

    /// AWS Cloud Control style: `SET data__PatchDocument = '<JSON patch>'`.
    pub fn patch(
        method: &'static Method,
        patch: &[PatchOperation],
        predicates: &[(&str, &str)],
    ) -> Self {
        let doc = serde_json::to_string(patch).unwrap_or_else(|_| "[]".to_string());
        Self::from_columns(
            method,
            vec![("data__PatchDocument".to_string(), quote_literal(&doc))],
            predicates,
        )
    }

    fn from_columns(
        method: &'static Method,
        set: Vec<(String, String)>,
        predicates: &[(&str, &str)],
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
        let preds: Vec<(&str, String)> = predicates
            .iter()
            .map(|(k, v)| (*k, quote_literal(v)))
            .collect();
        Update {
            method,
            sql: format!(
                "{verb} {} SET {}{};",
                method.resource,
                sets.join(", "),
                where_clause(&preds)
            ),
        }
    }
}

/// A `DELETE` of a resource.
#[derive(Debug, Clone)]
pub struct Delete {
    method: &'static Method,
    sql: String,
}

impl Delete {
    /// `DELETE FROM resource WHERE ...;`
    pub fn new(method: &'static Method, predicates: &[(&str, &str)]) -> Self {
        let preds: Vec<(&str, String)> = predicates
            .iter()
            .map(|(k, v)| (*k, quote_literal(v)))
            .collect();
        Delete {
            method,
            sql: format!("DELETE FROM {}{};", method.resource, where_clause(&preds)),
        }
    }
}

/// An `EXEC` of a resource method.
#[derive(Debug, Clone)]
pub struct Exec {
    method: &'static Method,
    params: Vec<(String, String)>,
    body: Option<String>,
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

    /// Sets the request body (`@@json = '...'`).
    pub fn body(mut self, body: &impl serde::Serialize) -> Self {
        self.body = serde_json::to_string(body).ok().map(|j| quote_literal(&j));
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
            args.push(format!("@@json = {b}"));
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

statement_impls!(Select<R>, Insert, Update, Delete, Exec);

/// Field-by-field serde support of the generated structs.
///
/// Each generated struct implements [`Record`] (one line per field, naming
/// its wire name) and `Serialize`/`Deserialize` impls that delegate to
/// [`serialize_record`] and [`deserialize_record`]. One generic body here replaces a derived impl per
/// struct, which keeps the generated crate cheap to compile. The wire form is
/// what `#[derive]` with `skip_serializing_if = "Option::is_none"` and
/// `default` would give: a JSON object of the set fields in declaration
/// order; unknown fields are ignored when reading; a missing optional field
/// reads as `None`.
pub trait Record: Sized {
    /// Writes the fields that are set, under their wire names, in order.
    fn write_fields(&self, out: &mut FieldWriter);
    /// Builds the value from the fields of a JSON object.
    fn read_fields(fields: &mut FieldReader) -> ReadResult<Self>;
}

/// What [`Record::read_fields`] returns.
pub type ReadResult<T> = Result<T, FieldError>;

/// A field that could not be read or written, with its wire name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's wire name.
    pub field: &'static str,
    /// What was wrong with it.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "field `{}`: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

/// Collects the fields of a [`Record`] as a JSON object.
#[derive(Debug, Default)]
pub struct FieldWriter {
    map: serde_json::Map<String, serde_json::Value>,
    error: Option<FieldError>,
}

impl FieldWriter {
    /// Writes a field that is always present.
    pub fn put<V: serde::Serialize + ?Sized>(&mut self, field: &'static str, value: &V) {
        match serde_json::to_value(value) {
            Ok(v) => {
                self.map.insert(field.to_string(), v);
            }
            Err(e) => {
                self.error.get_or_insert(FieldError {
                    field,
                    message: e.to_string(),
                });
            }
        }
    }

    /// Writes an optional field when it is set.
    pub fn opt<V: serde::Serialize>(&mut self, field: &'static str, value: &Option<V>) {
        if let Some(v) = value {
            self.put(field, v);
        }
    }
}

/// The fields of a JSON object, taken one by one by [`Record::read_fields`].
#[derive(Debug, Default)]
pub struct FieldReader {
    map: serde_json::Map<String, serde_json::Value>,
}

impl FieldReader {
    /// Takes the field `field` as a `T`. A missing field reads as JSON
    /// `null`, so an `Option` is `None` and anything else is an error.
    pub fn take<T: serde::de::DeserializeOwned>(&mut self, field: &'static str) -> ReadResult<T> {
        let err = |message: String| FieldError { field, message };
        match self.map.remove(field) {
            Some(v) => serde_json::from_value(v).map_err(|e| err(e.to_string())),
            None => serde_json::from_value(serde_json::Value::Null)
                .map_err(|_| err("missing field".to_string())),
        }
    }
}

/// What `Serialize::serialize` returns (keeps the generated impls short).
pub type SerResult<S> = Result<<S as serde::Serializer>::Ok, <S as serde::Serializer>::Error>;

/// What `Deserialize::deserialize` returns (keeps the generated impls short).
pub type DeResult<'de, D, T> = Result<T, <D as serde::Deserializer<'de>>::Error>;

/// `Serialize` of a [`Record`]: the JSON object of its set fields.
pub fn serialize_record<T: Record, S: serde::Serializer>(value: &T, s: S) -> SerResult<S> {
    let mut out = FieldWriter::default();
    value.write_fields(&mut out);
    match out.error {
        Some(e) => Err(serde::ser::Error::custom(e)),
        None => serde::Serialize::serialize(&out.map, s),
    }
}

/// `Deserialize` of a [`Record`] from a JSON object.
pub fn deserialize_record<'de, T: Record, D: serde::Deserializer<'de>>(
    d: D,
) -> DeResult<'de, D, T> {
    let map: serde_json::Map<String, serde_json::Value> = serde::Deserialize::deserialize(d)?;
    T::read_fields(&mut FieldReader { map }).map_err(serde::de::Error::custom)
}

/// One JSON Patch (RFC 6902) operation, for AWS `update_resource` methods.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PatchOperation {
    /// `add`, `remove`, `replace`, `move`, `copy` or `test`.
    pub op: PatchOp,
    /// JSON pointer of the property, e.g. `/Tags`.
    pub path: String,
    /// The new value (`add`, `replace`, `test`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// The source pointer (`move`, `copy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

/// A JSON Patch operation kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PatchOp {
    /// Adds a value.
    Add,
    /// Removes a value.
    Remove,
    /// Replaces a value.
    Replace,
    /// Moves a value.
    Move,
    /// Copies a value.
    Copy,
    /// Tests a value.
    Test,
}

impl PatchOperation {
    /// `replace` the property at `path` with `value`.
    pub fn replace(path: &str, value: impl serde::Serialize) -> Self {
        Self::with(PatchOp::Replace, path, value)
    }
    /// `add` `value` at `path`.
    pub fn add(path: &str, value: impl serde::Serialize) -> Self {
        Self::with(PatchOp::Add, path, value)
    }
    /// `remove` the property at `path`.
    pub fn remove(path: &str) -> Self {
        PatchOperation {
            op: PatchOp::Remove,
            path: path.to_string(),
            value: None,
            from: None,
        }
    }
    fn with(op: PatchOp, path: &str, value: impl serde::Serialize) -> Self {
        PatchOperation {
            op,
            path: path.to_string(),
            value: Some(serde_json::to_value(value).unwrap_or(serde_json::Value::Null)),
            from: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static M: Method = Method {
        resource: "p.s.r",
        name: "go",
        verb: Verb::Exec,
        operations: &[],
        handler_actions: &[],
        cloud_control: false,
    };

    #[test]
    fn hostile_literals_stay_closed() {
        for hostile in [
            "'",
            "''",
            "\\",
            "\\'",
            "'; DROP TABLE x; --",
            "a\0b",
            "\u{2019}",
        ] {
            let q = quote_literal(hostile);
            let inner = &q[1..q.len() - 1];
            // No lone quote inside: every quote is doubled.
            assert!(!inner.replace("''", "").contains('\''), "{q}");
            assert!(q.starts_with('\'') && q.ends_with('\''));
        }
    }

    #[derive(Debug, Clone, Default, PartialEq)]
    struct Inner {
        key: Option<String>,
    }
    impl Record for Inner {
        fn write_fields(&self, out: &mut FieldWriter) {
            out.opt("Key", &self.key);
        }
        fn read_fields(fields: &mut FieldReader) -> ReadResult<Self> {
            Ok(Inner {
                key: fields.take("Key")?,
            })
        }
    }
    #[derive(Debug, Clone, Default, PartialEq)]
    struct Outer {
        name: String,
        size: Option<i64>,
        tags: Option<Vec<Inner>>,
    }
    impl Record for Outer {
        fn write_fields(&self, out: &mut FieldWriter) {
            out.put("Name", &self.name);
            out.opt("Size", &self.size);
            out.opt("Tags", &self.tags);
        }
        fn read_fields(fields: &mut FieldReader) -> ReadResult<Self> {
            Ok(Outer {
                name: fields.take("Name")?,
                size: fields.take("Size")?,
                tags: fields.take("Tags")?,
            })
        }
    }
    macro_rules! impl_serde {
        ($($t:ident),*) => {$(
            impl serde::Serialize for $t {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    serialize_record(self, s)
                }
            }
            impl<'de> serde::Deserialize<'de> for $t {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    deserialize_record(d)
                }
            }
        )*};
    }
    impl_serde!(Inner, Outer);

    #[test]
    fn records_round_trip_in_field_order_without_unset_fields() {
        let v = Outer {
            name: "n".into(),
            size: None,
            tags: Some(vec![
                Inner {
                    key: Some("k".into()),
                },
                Inner::default(),
            ]),
        };
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, r#"{"Name":"n","Tags":[{"Key":"k"},{}]}"#);
        assert_eq!(serde_json::from_str::<Outer>(&json).unwrap(), v);
        // Unknown fields are ignored, null reads as None.
        let back: Outer =
            serde_json::from_str(r#"{"Size":3,"Name":"m","Extra":[1],"Tags":null}"#).unwrap();
        assert_eq!(
            (back.name.as_str(), back.size, back.tags),
            ("m", Some(3), None)
        );
    }

    #[test]
    fn record_errors_name_the_field() {
        let missing = serde_json::from_str::<Outer>(r#"{"Size":3}"#).unwrap_err();
        assert!(
            missing.to_string().contains("field `Name`: missing field"),
            "{missing}"
        );
        let wrong = serde_json::from_str::<Outer>(r#"{"Name":"n","Size":"big"}"#).unwrap_err();
        assert!(
            wrong.to_string().contains("field `Size`: invalid type"),
            "{wrong}"
        );
        let nested =
            serde_json::from_str::<Outer>(r#"{"Name":"n","Tags":[{"Key":1}]}"#).unwrap_err();
        assert!(nested.to_string().contains("field `Key`"), "{nested}");
        assert!(serde_json::from_str::<Outer>("[1]").is_err());
    }

    #[test]
    fn exec_renders_params_and_body() {
        let e = Exec::new(&M, &[("zone", "a'b")]).body(&serde_json::json!({"k": 1}));
        assert_eq!(
            e.to_sql(),
            "EXEC p.s.r.go @zone = 'a''b', @@json = '{\"k\":1}';"
        );
    }
}
