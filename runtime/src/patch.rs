//! JSON Patch (RFC 6902) operations for AWS `update_resource` methods: raw
//! [`PatchOperation`]s, and the [`PatchRecord`] form of the generated
//! `PatchProperties` types, whose set fields become the operations.

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

/// A change to one property in a typed update: replace its value, or remove
/// it.
///
/// The generated `PatchProperties` of a resource holds an
/// `Option<Change<T>>` per updatable property: `None` leaves the property
/// as it is, and its `with_<field>` and `remove_<field>` setters make the
/// other two. [`PatchRecord::to_patch`] turns the set fields into the JSON
/// Patch document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Change<T> {
    /// `{"op":"replace","path":"/<Property>","value":...}`
    Replace(T),
    /// `{"op":"remove","path":"/<Property>"}`
    Remove,
}

/// A generated update-properties type whose set fields become a JSON Patch
/// document (RFC 6902), as AWS Cloud Control `update_resource` methods take.
///
/// The generated impl writes one line per field, keyed by the property's
/// wire name, in the page's order (see [`PatchWriter::field`]).
///
/// ```
/// use stackql_runtime::{Change, PatchRecord, PatchWriter};
/// struct Props {
///     status: Option<Change<String>>,
///     tags: Option<Change<Vec<String>>>,
/// }
/// impl PatchRecord for Props {
///     fn write_patch(&self, out: &mut PatchWriter) {
///         out.field("Status", &self.status);
///         out.field("Tags", &self.tags);
///     }
/// }
/// let p = Props { status: Some(Change::Replace("on".into())), tags: Some(Change::Remove) };
/// assert_eq!(
///     serde_json::to_string(&p.to_patch()).unwrap(),
///     r#"[{"op":"replace","path":"/Status","value":"on"},{"op":"remove","path":"/Tags"}]"#
/// );
/// ```
pub trait PatchRecord {
    /// Writes one operation per set field, in field order.
    fn write_patch(&self, out: &mut PatchWriter);

    /// The JSON Patch operations of the set fields, in field order; empty
    /// when no field is set.
    fn to_patch(&self) -> Vec<PatchOperation> {
        let mut out = PatchWriter::default();
        self.write_patch(&mut out);
        out.ops
    }
}

/// Collects the operations of a [`PatchRecord`].
#[derive(Debug, Default)]
pub struct PatchWriter {
    ops: Vec<PatchOperation>,
}

impl PatchWriter {
    /// Writes the change of the top-level property `property` (its wire
    /// name, e.g. `VersioningConfiguration`) when there is one: a `replace`
    /// with the value's serde form or a `remove`, at the JSON pointer of
    /// the property (`/VersioningConfiguration`; `~` and `/` in a name are
    /// escaped as RFC 6901 requires).
    pub fn field<T: serde::Serialize>(&mut self, property: &str, change: &Option<Change<T>>) {
        match change {
            None => {}
            Some(Change::Replace(value)) => self
                .ops
                .push(PatchOperation::replace(&pointer(property), value)),
            Some(Change::Remove) => self.ops.push(PatchOperation::remove(&pointer(property))),
        }
    }
}

/// The JSON pointer (RFC 6901) of a top-level property.
fn pointer(property: &str) -> String {
    format!("/{}", property.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Default)]
    struct Props {
        versioning: Option<Change<serde_json::Value>>,
        name: Option<Change<String>>,
        odd: Option<Change<i64>>,
        tags: Option<Change<Vec<String>>>,
    }

    impl PatchRecord for Props {
        fn write_patch(&self, out: &mut PatchWriter) {
            out.field("VersioningConfiguration", &self.versioning);
            out.field("Name", &self.name);
            out.field("a/b~c", &self.odd);
            out.field("Tags", &self.tags);
        }
    }

    #[test]
    fn only_set_fields_become_operations_in_field_order() {
        assert!(Props::default().to_patch().is_empty());
        let p = Props {
            tags: Some(Change::Remove),
            versioning: Some(Change::Replace(json!({"Status": "Enabled"}))),
            ..Props::default()
        };
        assert_eq!(
            serde_json::to_value(p.to_patch()).unwrap(),
            json!([
                {"op": "replace", "path": "/VersioningConfiguration", "value": {"Status": "Enabled"}},
                {"op": "remove", "path": "/Tags"}
            ])
        );
    }

    #[test]
    fn paths_are_escaped_json_pointers_and_values_kept_verbatim() {
        let p = Props {
            name: Some(Change::Replace("it's \"x\" \\ ~1".into())),
            odd: Some(Change::Replace(7)),
            ..Props::default()
        };
        let ops = p.to_patch();
        assert_eq!(ops[0].value, Some(json!("it's \"x\" \\ ~1")));
        assert_eq!(ops[0].path, "/Name");
        assert_eq!(ops[1].path, "/a~1b~0c");
        assert_eq!(
            (ops[1].op, ops[1].value.clone()),
            (PatchOp::Replace, Some(json!(7)))
        );
    }
}
