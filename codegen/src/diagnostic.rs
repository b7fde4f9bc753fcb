//! Diagnostics: what the parser did not understand, with `file:line`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Informational: the page was understood, with a remark (e.g. a non-resource page skipped).
    Note,
    /// Something unusual was kept as-is; the page is still generated.
    Warning,
    /// The page cannot be generated; it is left out.
    Error,
}

/// Declares [`Kind`] with the stable kebab-case name of each variant, so
/// the name is written once, beside the variant.
macro_rules! kinds {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// What a diagnostic is about. Its [`Kind::as_str`] name
        /// (`bad-action`, ...) is printed (`warning[bad-action]`), serialized
        /// and used to group reports; names never change.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kind {
            $($(#[$doc])* $variant,)*
        }

        impl Kind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];

            /// The stable kebab-case name (`bad-action`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)*
                }
            }
        }
    };
}

kinds! {
    /// A permission entry is not a valid IAM action.
    BadAction = "bad-action",
    /// The Overview `Id` is not `provider.service.resource`.
    BadId = "bad-id",
    /// A second page gives an Id already taken.
    DuplicateId = "duplicate-id",
    /// The generator could not render a file (a generator bug). No run
    /// reports it since resource files are rendered as text (which cannot
    /// fail); the kind stays so that its name is never given to another.
    Emit = "emit",
    /// The page describes nothing to generate.
    EmptyResource = "empty-resource",
    /// An example's verb could not be read.
    ExampleVerb = "example-verb",
    /// A Fields row without a name.
    FieldWithoutName = "field-without-name",
    /// A Fields row whose name holds white space (prose from a broken
    /// row, not a column); the row is skipped.
    FieldNameProse = "field-name-prose",
    /// A Fields table lists the same name twice; the later row is skipped.
    DuplicateField = "duplicate-field",
    /// A Fields table without a name column.
    FieldsWithoutNameColumn = "fields-without-name-column",
    /// A Fields section without a table.
    FieldsWithoutTable = "fields-without-table",
    /// The INSERT example's columns could not be read.
    InsertColumns = "insert-columns",
    /// The parser panicked on the page (a generator bug).
    InternalError = "internal-error",
    /// The INSERT manifest could not be read.
    Manifest = "manifest",
    /// A Methods row without a name or verb.
    MethodIncomplete = "method-incomplete",
    /// A page that says its resource is a view but gives neither its
    /// definition nor its params: a `view` method selects its fields.
    ViewWithoutDefinition = "view-without-definition",
    /// Methods given as prose instead of a table.
    MethodsProse = "methods-prose",
    /// A view page whose fields and `view` method are read from its SQL
    /// definition (no Fields table, no Methods table).
    ViewDefinition = "view-definition",
    /// A Methods section without a table.
    MethodsWithoutTable = "methods-without-table",
    /// The Overview has no `Id` row.
    MissingId = "missing-id",
    /// The page has no Overview.
    MissingOverview = "missing-overview",
    /// A page that is not a resource page, skipped.
    NotAResource = "not-a-resource",
    /// Permissions dropped because some of their actions are invalid.
    PermissionsDropped = "permissions-dropped",
    /// A permissions heading lists no actions.
    PermissionsEmpty = "permissions-empty",
    /// A permissions link leads to no resource with listed permissions.
    PermissionsLink = "permissions-link",
    /// A permissions heading without an action list.
    PermissionsWithoutList = "permissions-without-list",
    /// The page says `SELECT` is not supported for the resource (no Fields table).
    SelectNotSupported = "select-not-supported",
    /// A SELECT example names a column its table's Fields do not list.
    SelectUnknownColumn = "select-unknown-column",
    /// A table (a resource's, or a SELECT method's own) whose page lists no
    /// columns: an empty Fields table or tab, read with `SELECT *`. Its rows
    /// are JSON maps of every column.
    UntypedRows = "untyped-rows",
    /// A SQL example that does not tokenize.
    SqlTokenize = "sql-tokenize",
    /// A symbolic link in the specs tree, not followed.
    SymlinkSkipped = "symlink-skipped",
    /// A permissions heading that names no known operation.
    UnknownOperation = "unknown-operation",
    /// A method whose verb StackQL does not have.
    UnknownVerb = "unknown-verb",
    /// A page that cannot be read.
    Unreadable = "unreadable",
    /// Id segments that cannot become paths.
    UnsafeId = "unsafe-id",
    /// A tab of `## Fields` names no table (no label, no SELECT example).
    TabWithoutName = "tab-without-name",
    /// A view's tab of `## Fields` holds no table.
    ViewWithoutTable = "view-without-table",
    /// A permission entry granting every action (`*`).
    WildcardAction = "wildcard-action",
}

impl Kind {
    /// Whether the kind is about a page's permissions (links, action lists,
    /// actions): what explains a missing or partial policy.
    pub fn concerns_permissions(self) -> bool {
        matches!(
            self,
            Kind::BadAction
                | Kind::PermissionsDropped
                | Kind::PermissionsEmpty
                | Kind::PermissionsLink
                | Kind::PermissionsWithoutList
                | Kind::UnknownOperation
                | Kind::WildcardAction
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Read back by name (the cache of an output directory keeps diagnostics).
impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown diagnostic kind `{name}`")))
    }
}

/// Kinds order by name, as the strings they replaced did.
impl Ord for Kind {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Kind {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::str::FromStr for Kind {
    type Err = String;

    /// The kind of a name as [`Kind::as_str`] gives it (for allow-lists).
    fn from_str(name: &str) -> Result<Kind, String> {
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                format!(
                    "expected a diagnostic kind ({}), found `{name}`",
                    names.join(", ")
                )
            })
    }
}

/// One finding on one page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Page path as given to the parser.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// Severity.
    pub severity: Severity,
    /// What it is about; its name groups reports.
    pub kind: Kind,
    /// What was expected and what was found.
    pub message: String,
}

impl Diagnostic {
    /// Builds a diagnostic.
    pub fn new(
        file: &str,
        line: usize,
        severity: Severity,
        kind: Kind,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.to_string(),
            line,
            severity,
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{}:{}: {sev}[{}]: {}",
            self.file, self.line, self.kind, self.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kebab_case_unique_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for k in Kind::ALL {
            let name = k.as_str();
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name}"
            );
            assert!(seen.insert(name), "{name} twice");
            assert_eq!(name.parse::<Kind>(), Ok(*k));
            assert_eq!(serde_json::to_value(k).unwrap(), name);
        }
        assert!("bad action"
            .parse::<Kind>()
            .unwrap_err()
            .contains("bad-action"));
    }

    #[test]
    fn printed_with_its_name() {
        let d = Diagnostic::new("p.md", 3, Severity::Warning, Kind::BadAction, "m");
        assert_eq!(d.to_string(), "p.md:3: warning[bad-action]: m");
    }
}
