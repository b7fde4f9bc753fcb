//! The resolved model: what the emitter renders, every decision taken.

use crate::model::{self, Operation, Resource, Verb};
use std::collections::BTreeMap;
use std::ops::Range;

pub use stackql_runtime::InsertLayout;

/// A Rust type, as the emitter writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    /// `String`
    String,
    /// `i64`
    I64,
    /// `f64`
    F64,
    /// `bool`
    Bool,
    /// `serde_json::Value`
    Json,
    /// `Vec<T>`
    Vec(Box<Ty>),
    /// A nested struct of this module.
    Named(String),
}

impl Ty {
    /// The type for a datatype as written on a page.
    pub fn from_datatype(dt: &str) -> Ty {
        // A format in parentheses refines the type (`string (date-time)`,
        // `integer (int64)`): the type is the word before it.
        let dt = dt.trim();
        let dt = match dt.ends_with(')').then(|| dt.split_once(" (")).flatten() {
            Some((base, _)) => base,
            None => dt,
        };
        match dt.to_ascii_lowercase().as_str() {
            "string" | "text" | "varchar" => Ty::String,
            "integer" | "int" | "int32" | "int64" | "long" => Ty::I64,
            "number" | "float" | "double" => Ty::F64,
            "boolean" | "bool" => Ty::Bool,
            "array" => Ty::Vec(Box::new(Ty::Json)),
            _ => Ty::Json,
        }
    }
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct RField {
    /// Escaped Rust identifier.
    pub ident: String,
    /// Wire name (serde rename).
    pub wire: String,
    /// Type (without the `Option`).
    pub ty: Ty,
    /// Whether it is `Option<ty>`.
    pub optional: bool,
    /// Description for rustdoc.
    pub doc: String,
}

impl RField {
    /// The name of the setter of an optional field: `with_` and the field's
    /// name without its `r#` (`r#type` → `with_type`). Distinct fields have
    /// distinct setters: a scope never holds both `type` and `r#type`.
    pub fn setter(&self) -> String {
        // Hot (a few per field): joined without `format!`'s machinery.
        ["with_", crate::ident::unraw(&self.ident)].concat()
    }

    /// The name of the setter that removes the property in a typed patch
    /// update: `remove_` and the field's name without its `r#`. Distinct
    /// from every `with_` setter and from the other fields' (see
    /// [`RField::setter`]).
    pub fn remover(&self) -> String {
        ["remove_", crate::ident::unraw(&self.ident)].concat()
    }
}

/// A struct.
#[derive(Debug, Clone)]
pub struct RStruct {
    /// Type name.
    pub name: String,
    /// Rustdoc.
    pub doc: String,
    /// Fields in order.
    pub fields: Vec<RField>,
    /// Whether it derives `Default` (every field optional).
    pub default: bool,
}

/// A method argument, in signature order.
#[derive(Debug, Clone)]
pub enum Arg {
    /// A plain param: `ident: &str`, sent as `wire`.
    Param {
        /// Rust name.
        ident: String,
        /// Wire name.
        wire: String,
    },
    /// `ident: impl Into<serde_json::Value>`: a required param the page's
    /// EXEC example sends as a key of its JSON body (`@@json`), not as an
    /// `@` param.
    BodyField {
        /// Rust name.
        ident: String,
        /// The body's key.
        wire: String,
    },
    /// `identifier: &Identifier`, sent as `wire` (`data__Identifier`, or
    /// `Identifier` on `awscc` pages).
    Identifier {
        /// Wire name.
        wire: String,
    },
    /// `patch: &[PatchOperation]` (AWS `data__PatchDocument`).
    Patch,
    /// `properties: &TypeName`.
    Properties(String),
    /// `properties: &serde_json::Map<String, Value>`: the properties of an
    /// update whose page shows no columns to type.
    PropertiesMap,
}

/// The value a statement sends for a param.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// The `&str` argument of this Rust name.
    Arg(String),
    /// The `identifier` argument, rendered with `Display`.
    Identifier,
}

/// A param a statement sends (WHERE predicate, INSERT column or EXEC param).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Wire name.
    pub wire: String,
    /// Where its value comes from.
    pub value: ParamValue,
}

/// The runtime statement a method builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statement {
    /// `rt::Select<Row>` of these columns.
    Select {
        /// The columns, in the order the page's example selects them.
        columns: Vec<String>,
    },
    /// `rt::Insert` of the `properties` argument (or of no properties).
    Insert {
        /// Whether a `properties` argument is sent (else an empty map).
        properties: bool,
        /// Where the params go and how body columns are named.
        layout: InsertLayout,
    },
    /// `rt::Update` setting the `properties` argument.
    Update {
        /// Prefix of the body columns (`data__` where the page's `SET`
        /// writes `data__label`), else empty.
        body_prefix: &'static str,
        /// Required body properties also sent in the `WHERE` (`AND
        /// data__name = ...`), as the page's example does.
        required: Vec<String>,
    },
    /// `rt::Update` applying the `patch` argument.
    UpdatePatch,
    /// `rt::Update` applying the JSON Patch document of the `properties`
    /// argument (a `PatchProperties`): the typed variant of an
    /// [`Statement::UpdatePatch`] method.
    UpdatePatchProperties,
    /// `rt::Delete`.
    Delete,
    /// `rt::Exec`.
    Exec,
}

/// Where a method's handler actions come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handler {
    /// None (the method performs no documented operation).
    None,
    /// The `permissions` constant of this name (one operation).
    Const(String),
    /// The method's own `actions`, listed inline (several operations).
    Inline,
}

/// A method binding.
#[derive(Debug, Clone)]
pub struct RMethod {
    /// Function name (escaped).
    pub ident: String,
    /// Static name in `methods`.
    pub static_name: String,
    /// The page's method.
    pub method: model::Method,
    /// Arguments in signature order.
    pub args: Vec<Arg>,
    /// The params sent, in the order they are sent: the WHERE order of the
    /// page's matching example, then any the example does not show.
    pub params: Vec<Param>,
    /// The statement built.
    pub statement: Statement,
    /// IAM operations performed (empty where the page has no permissions).
    pub operations: Vec<Operation>,
    /// The handler actions those operations need (as listed; deduplicated later).
    pub actions: Vec<String>,
    /// How the method's static names those actions.
    pub handler: Handler,
    /// Whether the method goes through AWS Cloud Control.
    pub cloud_control: bool,
    /// A SELECT's row type where it is not the resource's: one of
    /// [`RResource::method_rows`].
    pub row: Option<String>,
    /// Whether the page's example of this EXEC sends a JSON body
    /// (`@@json = '...'`), which the caller gives with `rt::Exec::body`.
    pub body: bool,
}

/// A view documented on a resource's page: a table of its own, with its
/// own row type and one SELECT function per SELECT method of the resource,
/// in a submodule of the resource's module.
#[derive(Debug, Clone)]
pub struct RView {
    /// Module name (escaped), unique among the resource module's modules.
    pub module: String,
    /// The table the view's statements select from (`azure.compute.vw_disks`).
    pub table: String,
    /// Row type.
    pub row: RStruct,
    /// The resource's SELECT methods, selecting the view's columns.
    pub methods: Vec<RMethod>,
}

/// Which modules are named like the module holding them, so need
/// `#[allow(clippy::module_inception)]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Inception {
    /// The resource module, in its service module (`github.repos.repos`).
    pub in_service: bool,
    /// The `permissions` submodule (`aws.lambda.permissions`).
    pub permissions: bool,
    /// The `methods` submodule (`aws.apigateway.methods`).
    pub methods: bool,
}

/// One resource with every name decided.
#[derive(Debug, Clone)]
pub struct RResource<'a> {
    /// The model.
    pub res: &'a Resource,
    /// For a view, the resource whose permissions it inherits (its page's
    /// `Permissions` section links to it), as selected; `None` for any other
    /// resource, or a view whose base is missing.
    pub base: Option<&'a Resource>,
    /// Module name (escaped), unique in its service.
    pub module: String,
    /// The module's file, relative to the crate root (`src/aws/s3/buckets.rs`).
    pub file: String,
    /// Modules that need `#[allow(clippy::module_inception)]`.
    pub inception: Inception,
    /// The policy file's path without `.json`
    /// (`policies/aws/s3/buckets`); documents split for size add `.part2`, ...
    pub policy_file: String,
    /// Row type; `None` for a resource that cannot be selected (no Fields
    /// rows and no SELECT method: a table that does not exist).
    pub row: Option<RStruct>,
    /// Create properties (required ones not optional).
    pub create: Option<RStruct>,
    /// Update/replace properties per verb (or per method, see
    /// [`RResource::update_structs`]), and the INSERT methods' own
    /// properties where they insert different columns.
    pub updates: Vec<(Verb, RStruct)>,
    /// Where the page shows each UPDATE/REPLACE (or INSERT) method by an
    /// example of its own: (verb, method name, the name of its properties
    /// struct in `updates`, `None` when it sets no property); no entry of a
    /// verb whose one struct serves every method of it (`CreateProperties`
    /// for INSERT).
    pub update_structs: Vec<(Verb, String, Option<String>)>,
    /// `PatchProperties`: the properties a typed JSON Patch update changes
    /// (every field optional, each an `Option<rt::Change<T>>` in the
    /// generated code); `None` without a patch method.
    pub patch: Option<RStruct>,
    /// The typed optional params of each method that has some: (method
    /// name, name of its `<Method>Options` struct, one of
    /// [`RResource::nested`]), in page order.
    pub options: Vec<(String, String)>,
    /// The row types of SELECT methods that return columns of their own
    /// (the first such method's name, row type), in page order.
    pub method_rows: Vec<(String, RStruct)>,
    /// Each SELECT method returning columns of its own, and the name of its
    /// row type in `method_rows` (methods returning the same columns share
    /// one).
    pub method_row_of: Vec<(String, String)>,
    /// Nested types.
    pub nested: Vec<RStruct>,
    /// Identifier fields: (ident, part).
    pub identifier: Vec<(String, String)>,
    /// Methods.
    pub methods: Vec<RMethod>,
    /// The typed variants of the patch methods (`update_resource_typed`
    /// beside `update_resource`), in page order: same method, params and
    /// static, the `patch` argument replaced by `&PatchProperties`.
    pub typed_updates: Vec<RMethod>,
    /// Views documented beside the resource, in page order.
    pub views: Vec<RView>,
    /// Permissions per operation (handler actions, as listed), including a view's inherited ones.
    pub permissions: BTreeMap<Operation, Vec<String>>,
    /// The `permissions` module's constant per operation of `permissions`.
    pub permission_consts: BTreeMap<Operation, String>,
    /// Whether the resource goes through AWS Cloud Control.
    pub cloud_control: bool,
}

/// A service module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RService {
    /// The service as the pages name it (`connect`).
    pub name: String,
    /// Module name (escaped), unique in its provider.
    pub module: String,
    /// The module's file (`src/aws/connect/mod.rs`).
    pub file: String,
    /// The cargo feature that enables it (`aws-connect`).
    pub feature: String,
    /// Its resources: a range of [`RCrate::resources`].
    pub resources: Range<usize>,
}

/// A provider module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RProvider {
    /// The provider as the pages name it (`aws`).
    pub name: String,
    /// Module name (escaped), unique in the crate.
    pub module: String,
    /// The cargo feature enabling all its services (`aws`), unique in the
    /// crate.
    pub feature: String,
    /// The module's file (`src/aws/mod.rs`).
    pub file: String,
    /// Its services, in name order.
    pub services: Vec<RService>,
}

/// The resolved crate: its module tree and every resource in it.
#[derive(Debug, Clone)]
pub struct RCrate<'a> {
    /// Every resource, in id order.
    pub resources: Vec<RResource<'a>>,
    /// Provider modules, in name order.
    pub providers: Vec<RProvider>,
}

impl RResource<'_> {
    /// Whether the resource's module names the runtime (`rt::`): a struct
    /// with fields (its `Record` impl), the patch struct, a method or a
    /// view does; the id, the identifier's doc, the permissions and an
    /// untyped row alone do not, and the module then leaves the runtime's
    /// `use` out (a page with neither fields nor methods made an unused
    /// import).
    pub fn uses_runtime(&self) -> bool {
        let typed = |s: &RStruct| !s.fields.is_empty();
        self.row.as_ref().is_some_and(typed)
            || self.method_rows.iter().any(|(_, s)| typed(s))
            || self.create.is_some()
            || !self.updates.is_empty()
            || self.patch.is_some()
            || !self.nested.is_empty()
            || !self.methods.is_empty()
            || !self.views.is_empty()
    }

    /// The column the identifier is sent as: `data__Identifier`, or the
    /// page's own (`Identifier` on `awscc` pages).
    pub fn identifier_wire(&self) -> &str {
        self.res.identifier_wire()
    }

    /// Whether the page's Methods table says `m` reads the view `view`
    /// (its `Resource` column).
    pub fn reads_view(&self, m: &RMethod, view: &str) -> bool {
        m.method.resource.as_deref() == Some(view)
    }

    /// The methods that are functions of the resource's module: all but
    /// those the Methods table says read one of its views (those are the
    /// view module's).
    pub fn own_functions(&self) -> impl Iterator<Item = &RMethod> {
        self.methods
            .iter()
            .filter(|m| !self.res.views.iter().any(|v| self.reads_view(m, &v.name)))
    }
}

impl RMethod {
    /// The arguments an EXEC sends in its JSON body: (Rust name, key).
    pub fn body_fields(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.args.iter().filter_map(|a| match a {
            Arg::BodyField { ident, wire } => Some((ident.as_str(), wire.as_str())),
            _ => None,
        })
    }

    /// The column a patch method sends its JSON Patch document as, where it
    /// is not `data__PatchDocument` (`PatchDocument` on `awscc` pages).
    pub fn patch_column(&self) -> Option<&str> {
        self.method
            .required_params
            .iter()
            .find(|p| super::is_patch_param(p))
            .map(String::as_str)
            .filter(|p| *p != super::PATCH_PARAM)
    }
}
