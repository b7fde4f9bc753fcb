//! JSON Patch (RFC 6902) operations for AWS `update_resource` methods.

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
