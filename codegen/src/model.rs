//! The intermediate representation: what a page states, as plain data.
//!
//! Nothing here knows about Rust syntax. Every value that a diagnostic may
//! need to point at keeps the 1-based `line` of the page it came from. The
//! model is `Serialize` so that it can be snapshotted, diffed and printed by
//! `stackql-codegen model`; the field names are part of that stable output.
//! It is `Deserialize` too, so that the cache of an output directory can keep
//! the model of each page and skip parsing pages that did not change.

use serde::{Deserialize, Serialize};
use std::fmt;

/// `provider.service.resource`, as written in the Overview's `Id` row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ResourceId {
    /// e.g. `aws`.
    pub provider: String,
    /// e.g. `connect`.
    pub service: String,
    /// e.g. `integration_associations`.
    pub resource: String,
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.provider, self.service, self.resource)
    }
}

/// One resource page, fully parsed.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct Resource {
    /// The resource's id.
    pub id: ResourceId,
    /// The page path relative to the specs root, with `/` separators.
    pub source: String,
    /// The Overview `Name` row.
    pub name: String,
    /// The Overview `Description` row, if any.
    pub description: Option<String>,
    /// The sentence before the Overview (e.g. "Creates, updates, deletes or gets ...").
    pub summary: Option<String>,
    /// The cloud type named in the description, e.g. `AWS::Connect::IntegrationAssociation`.
    pub cloud_type: Option<String>,
    /// The singular name the page uses for one item ("an `integration_association` resource").
    pub singular: Option<String>,
    /// Line of the Overview heading.
    pub line: usize,
    /// Every row of the Fields table, in page order (on a page whose Fields
    /// hold one table per tab, the resource's own tab).
    pub fields: Vec<Field>,
    /// The views the page documents beside the resource, one per tab of
    /// `## Fields` that is not the resource's own (left out of the JSON when
    /// there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<View>,
    /// Every row of the Methods table, in page order.
    pub methods: Vec<Method>,
    /// The rows of the `## Parameters` table (name, datatype, description),
    /// where the page has one (left out of the JSON when it has none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Field>,
    /// The SQL examples, in page order.
    pub examples: Vec<Example>,
    /// The parts of the composite identifier (`<A>|<B>`), if the page shows one.
    pub identifier: Option<Identifier>,
    /// What the INSERT example states.
    pub insert: Option<InsertSpec>,
    /// Permissions per operation.
    pub permissions: Permissions,
}

impl Resource {
    /// An empty resource `p.<service>.<name>` (no fields, methods or
    /// permissions), for tests to fill in.
    #[cfg(test)]
    pub(crate) fn empty(service: &str, name: &str) -> Resource {
        Resource {
            id: ResourceId {
                provider: "p".into(),
                service: service.into(),
                resource: name.into(),
            },
            source: String::new(),
            name: name.into(),
            description: None,
            summary: None,
            cloud_type: None,
            singular: None,
            line: 1,
            fields: vec![],
            views: vec![],
            methods: vec![],
            params: vec![],
            examples: vec![],
            identifier: None,
            insert: None,
            permissions: Permissions::None,
        }
    }

    /// The methods accessible by `verb`.
    pub fn methods_by<'a>(&'a self, verb: &'a Verb) -> impl Iterator<Item = &'a Method> + 'a {
        self.methods.iter().filter(move |m| &m.verb == verb)
    }
}

/// A row of the Fields table.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct Field {
    /// Column name as StackQL returns it.
    pub name: String,
    /// Datatype as written (`string`, `integer`, `object`, `undefined`, ...).
    pub datatype: String,
    /// Description, entities decoded; may be empty.
    pub description: String,
    /// Line of the row.
    pub line: usize,
}

/// Whether two tables list the same columns, of the same datatypes, in the
/// same order (descriptions may differ).
pub fn same_columns(a: &[Field], b: &[Field]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.name == y.name && x.datatype == y.datatype)
}

/// A view over the resource, documented on the resource's page in a tab of
/// its own (`vw_widgets` beside `widgets`): a table of its own that StackQL
/// selects from, with its own (flattened) columns.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct View {
    /// The view's table name (`vw_widgets`), in the resource's provider and
    /// service: the `FROM` of its tab's SELECT example, else the tab's label.
    pub name: String,
    /// The `<TabItem value>` it is documented under (`view`).
    pub tab: String,
    /// The resource it reads (the page's resource, `widgets`).
    pub reads: String,
    /// Its columns, in page order.
    pub fields: Vec<Field>,
    /// Line of its table.
    pub line: usize,
}

impl View {
    /// The view's id, in the provider and service of `of`.
    pub fn id(&self, of: &ResourceId) -> ResourceId {
        ResourceId {
            resource: self.name.clone(),
            ..of.clone()
        }
    }
}

pub use stackql_runtime::Verb;

/// A row of the Methods table.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct Method {
    /// Method name (`create_resource`, `list`, `attach_disk`).
    pub name: String,
    /// The verb it is accessible by.
    pub verb: Verb,
    /// Required params in page order.
    pub required_params: Vec<String>,
    /// Optional params in page order, where the table has an `Optional
    /// Params` column: params a statement may add to its `WHERE` (or `@`
    /// params), never required by the generated function.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub optional_params: Vec<String>,
    /// The columns this SELECT method returns, where the page's Fields
    /// hold one table per method (a tab named by the method) and this
    /// method's differs from the resource's own (a list that pages through
    /// results beside the get of one item); `None` when it returns the
    /// resource's fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<Vec<Field>>,
    /// The table the method reads, where the Methods table's `Resource`
    /// column names another than the page's (`analyzers_list_only` for the
    /// `list_resources` of `analyzers` on `awscc` pages); `None` otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// Description, if the table has that column.
    pub description: String,
    /// Line of the row.
    pub line: usize,
}

/// A SQL example block.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct Example {
    /// The verb of the section it sits under (or of its first keyword);
    /// `None` when that is no verb StackQL has.
    pub verb: Option<Verb>,
    /// The `<TabItem value>` it sits in, if any (`required`, `all`, `manifest`).
    pub tab: Option<String>,
    /// The fenced block's language (`sql`, `yaml`).
    pub lang: String,
    /// The text before the block in its section (e.g. "Gets all properties from ...").
    pub caption: Option<String>,
    /// The code, as written.
    pub code: String,
    /// Line of the opening fence.
    pub line: usize,
    /// Line of the code's first line, where it is not the line after
    /// [`Example::line`] (an MDX `<CodeBlock>`'s code starts on its own line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_line: Option<usize>,
}

impl Example {
    /// The page line of line `i` (0-based) of the code.
    pub fn line_of(&self, i: usize) -> usize {
        self.code_line.unwrap_or(self.line + 1) + i
    }
}

/// A composite identifier template such as `<InstanceId>|<IntegrationType>|<IntegrationArn>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identifier {
    /// The parts, in order.
    pub parts: Vec<String>,
    /// Line of the example it was read from.
    pub line: usize,
    /// The column that carries it: `data__Identifier` (left out of the
    /// JSON), or `Identifier` on pages of StackQL's `awscc` provider.
    #[serde(
        default = "data_identifier",
        skip_serializing_if = "is_data_identifier"
    )]
    pub wire: String,
}

/// The column AWS Cloud Control pages name the identifier with.
pub const DATA_IDENTIFIER: &str = "data__Identifier";

/// The column pages of StackQL's `awscc` provider name it with.
pub const PLAIN_IDENTIFIER: &str = "Identifier";

fn data_identifier() -> String {
    DATA_IDENTIFIER.to_string()
}

fn is_data_identifier(wire: &str) -> bool {
    wire == DATA_IDENTIFIER
}

/// The param `methods` take the identifier as: `Identifier` where a method
/// other than an INSERT (whose `Identifier` may be a property) requires
/// that and none `data__Identifier` (`awscc` pages); else `data__Identifier`.
pub fn identifier_param(methods: &[Method]) -> &'static str {
    let requires = |param: &str| {
        methods
            .iter()
            .filter(|m| m.verb != Verb::Insert)
            .any(|m| m.required_params.iter().any(|p| p == param))
    };
    if !requires(DATA_IDENTIFIER) && requires(PLAIN_IDENTIFIER) {
        PLAIN_IDENTIFIER
    } else {
        DATA_IDENTIFIER
    }
}

impl Resource {
    /// The param that carries the resource's identifier: its identifier's
    /// [`Identifier::wire`], else the one its methods take
    /// ([`identifier_param`]: `awscc` pages whose examples do not spell the
    /// parts out).
    pub fn identifier_wire(&self) -> &str {
        match &self.identifier {
            Some(i) => &i.wire,
            None => identifier_param(&self.methods),
        }
    }
}

/// What the INSERT example states about insertable properties.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize, Default)]
pub struct InsertSpec {
    /// Columns of the `required` tab (or empty when the page has none).
    pub required: Vec<String>,
    /// Columns of the `all` tab.
    pub all: Vec<String>,
    /// Property shapes from the manifest tab, in page order.
    pub properties: Vec<Property>,
    /// Line of the INSERT section.
    pub line: usize,
}

/// A named property and its shape, as a manifest shows it.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct Property {
    /// The wire name.
    pub name: String,
    /// Its shape.
    pub shape: Shape,
}

/// The shape of a value as far as the page shows it.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shape {
    /// A scalar of a named type (`string`, `integer`, `number`, `boolean`).
    Scalar {
        /// The type name as written, or `string` for AWS template values.
        datatype: String,
    },
    /// An object with known properties.
    Object {
        /// The properties, in page order.
        properties: Vec<Property>,
    },
    /// An array of items.
    Array {
        /// The shape of one item.
        items: Box<Shape>,
    },
    /// Anything (an object of unknown shape, `{}`).
    Any,
}

pub use stackql_runtime::Operation;

/// The IAM actions one operation needs.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct OperationPermissions {
    /// The operation.
    pub operation: Operation,
    /// Actions as listed on the page (not yet deduplicated).
    pub actions: Vec<String>,
    /// Line of the `###` heading.
    pub line: usize,
}

/// The Permissions section.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Permissions {
    /// The page has no Permissions section.
    #[default]
    None,
    /// Actions listed per operation.
    Listed {
        /// One entry per `###` heading, in page order.
        operations: Vec<OperationPermissions>,
    },
    /// The section links to another resource's permissions (views).
    SeeAlso {
        /// The link target as written.
        href: String,
        /// The resource name the link resolves to (same provider and service).
        resource: String,
        /// Line of the link.
        line: usize,
    },
}

/// What kind of page a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    /// A resource page (Overview with `Type: Resource`).
    Resource,
    /// A service's index of resources.
    ServiceIndex,
    /// A provider's index page.
    ProviderIndex,
    /// Anything else.
    Other,
}

impl PageKind {
    /// Stable lower-case name.
    pub fn as_str(&self) -> &'static str {
        match self {
            PageKind::Resource => "resource",
            PageKind::ServiceIndex => "service_index",
            PageKind::ProviderIndex => "provider_index",
            PageKind::Other => "other",
        }
    }
}
