//! Model → everything the emitter needs: Rust names, Rust types, argument
//! lists, the IAM operation of each method. No tokens are built here.

use crate::diagnostic::{Diagnostic, Kind, Severity};
use crate::ident::{self, Scope};
use crate::model::{self, Operation, Permissions, Property, Resource, Shape, Verb};
use crate::parse::sql;
use std::collections::BTreeMap;

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
        match dt.trim().to_ascii_lowercase().as_str() {
            "string" => Ty::String,
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

/// A struct.
#[derive(Debug, Clone)]
pub struct RStruct {
    /// Type name.
    pub name: String,
    /// Rustdoc.
    pub doc: String,
    /// Fields in order.
    pub fields: Vec<RField>,
}

/// A method argument.
#[derive(Debug, Clone)]
pub enum Arg {
    /// A plain param: `ident: &str`, sent as `wire`.
    Param {
        /// Rust name.
        ident: String,
        /// Wire name.
        wire: String,
    },
    /// `identifier: &Identifier`, sent as `data__Identifier`.
    Identifier,
    /// `patch: &[PatchOperation]` (AWS `data__PatchDocument`).
    Patch,
    /// `properties: &TypeName`.
    Properties(String),
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
    /// Arguments in page order.
    pub args: Vec<Arg>,
    /// WHERE predicate order (wire names), for SELECT/UPDATE/REPLACE/DELETE.
    pub predicates: Vec<String>,
    /// SELECT columns.
    pub columns: Vec<String>,
    /// IAM operations performed (empty where the page has no permissions).
    pub operations: Vec<Operation>,
    /// The handler actions those operations need (as listed; deduplicated later).
    pub actions: Vec<String>,
}

/// One resource with every name decided.
#[derive(Debug, Clone)]
pub struct RResource<'a> {
    /// The model.
    pub res: &'a Resource,
    /// Module name (escaped).
    pub module: String,
    /// Row type.
    pub row: RStruct,
    /// Create properties (required ones not optional).
    pub create: Option<RStruct>,
    /// Update/replace properties per verb.
    pub updates: Vec<(Verb, RStruct)>,
    /// Nested types.
    pub nested: Vec<RStruct>,
    /// Identifier fields: (ident, part).
    pub identifier: Vec<(String, String)>,
    /// Methods.
    pub methods: Vec<RMethod>,
    /// Permissions per operation (handler actions, as listed), including a view's inherited ones.
    pub permissions: BTreeMap<Operation, Vec<String>>,
    /// Whether the resource goes through AWS Cloud Control.
    pub cloud_control: bool,
    /// Insert layout: params before body columns.
    pub params_first: bool,
    /// Insert layout: body column prefix.
    pub body_prefix: String,
}

/// Names reserved in every resource module's type namespace.
const RESERVED_TYPES: &[&str] = &[
    "Identifier",
    "CreateProperties",
    "UpdateProperties",
    "ReplaceProperties",
];

/// Resolves every resource (in parallel; each resource's names depend only
/// on its own page, so the result is the same as in order). `all` lets views
/// find their base resource's permissions. Diagnostics are pushed for what
/// cannot be resolved, in resource order.
pub fn resolve<'a>(
    all: &'a [Resource],
    cloud_control_default: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<RResource<'a>> {
    use rayon::prelude::*;
    let by_id: BTreeMap<String, &Resource> = all.iter().map(|r| (r.id.to_string(), r)).collect();
    let resolved: Vec<(RResource, Vec<Diagnostic>)> = all
        .par_iter()
        .map(|r| {
            let mut d = Vec::new();
            (resolve_one(r, &by_id, cloud_control_default, &mut d), d)
        })
        .collect();
    resolved
        .into_iter()
        .map(|(r, d)| {
            diags.extend(d);
            r
        })
        .collect()
}

/// The SQL examples of a resource, each tokenized at most once.
struct SqlExamples<'a> {
    res: &'a Resource,
    tokens: Vec<std::cell::OnceCell<Option<Vec<sqlparser::tokenizer::Token>>>>,
}

impl<'a> SqlExamples<'a> {
    fn new(res: &'a Resource) -> Self {
        SqlExamples {
            res,
            tokens: res
                .examples
                .iter()
                .map(|_| std::cell::OnceCell::new())
                .collect(),
        }
    }

    /// The tokens of every SQL example of `verb` that tokenizes, in page order.
    fn of<'s>(
        &'s self,
        verb: &'s Verb,
    ) -> impl Iterator<Item = &'s [sqlparser::tokenizer::Token]> + 's {
        self.res
            .examples
            .iter()
            .zip(&self.tokens)
            .filter(move |(e, _)| e.verb == Some(*verb) && e.lang == "sql")
            .filter_map(|(e, t)| t.get_or_init(|| sql::tokens(&e.code).ok()).as_deref())
    }
}

/// The fields of a resource with their snake_case names, computed once.
struct Fields<'a> {
    fields: Vec<(&'a model::Field, String)>,
}

impl<'a> Fields<'a> {
    fn new(res: &'a Resource) -> Self {
        Fields {
            fields: res
                .fields
                .iter()
                .map(|f| (f, ident::snake(&f.name)))
                .collect(),
        }
    }

    /// The first field named `name`, or whose snake_case name is `name`'s.
    fn find(&self, name: &str) -> Option<&'a model::Field> {
        let snake = ident::snake(name);
        self.fields
            .iter()
            .find(|(f, s)| f.name == name || *s == snake)
            .map(|(f, _)| *f)
    }
}

fn resolve_one<'a>(
    res: &'a Resource,
    by_id: &BTreeMap<String, &Resource>,
    cloud_control_default: bool,
    diags: &mut Vec<Diagnostic>,
) -> RResource<'a> {
    let mut types = Scope::with_reserved(RESERVED_TYPES);
    let row_name = types.pascal(&singular(res));
    let manifest: BTreeMap<String, &Property> = res
        .insert
        .iter()
        .flat_map(|i| &i.properties)
        .map(|p| (p.name.clone(), p))
        .collect();
    // The first manifest property (in name order) per snake_case name.
    let mut manifest_by_snake: std::collections::HashMap<String, &Property> =
        std::collections::HashMap::new();
    for p in manifest.values() {
        manifest_by_snake.entry(ident::snake(&p.name)).or_insert(p);
    }
    let fields = Fields::new(res);
    let examples = SqlExamples::new(res);
    let mut nested = Nested::default();

    // Row type: every field optional.
    let mut scope = Scope::default();
    // A column listed twice (some pages list `region` twice) is one field.
    let mut seen = std::collections::BTreeSet::new();
    let row_fields = fields
        .fields
        .iter()
        .filter(|(f, _)| seen.insert(f.name.as_str()))
        .map(|(f, snake)| {
            let shaped = manifest_by_snake
                .get(snake)
                .filter(|p| matches!(p.shape, Shape::Object { .. } | Shape::Array { .. }));
            let ty = match shaped {
                Some(p) => nested.ty(&p.name, &p.shape, &mut types),
                None => Ty::from_datatype(&f.datatype),
            };
            RField {
                ident: scope.snake_of(snake),
                wire: f.name.clone(),
                ty,
                optional: true,
                doc: f.description.clone(),
            }
        })
        .collect();
    let row = RStruct {
        name: row_name,
        doc: format!("A row of `{}`.", res.id),
        fields: row_fields,
    };

    // Params that are not body properties, per method.
    let field_ty = |name: &str| fields.find(name).map(|f| Ty::from_datatype(&f.datatype));
    let doc_of = |name: &str| {
        fields
            .find(name)
            .map(|f| f.description.clone())
            .unwrap_or_default()
    };
    let insert_params: Vec<String> = res
        .methods_by(&Verb::Insert)
        .flat_map(|m| m.required_params.iter().cloned())
        .collect();
    let (body_prefix, params_first) = insert_layout(res);
    let create = res.insert.as_ref().and_then(|ins| {
        let body: Vec<String> = ins
            .all
            .iter()
            .chain(&ins.required)
            .map(|c| c.strip_prefix(&body_prefix).unwrap_or(c).to_string())
            .filter(|c| is_body(c, &manifest, &insert_params, ins))
            .fold(Vec::new(), |mut v, c| {
                if !v.contains(&c) {
                    v.push(c)
                }
                v
            });
        let body = if body.is_empty() {
            manifest.keys().cloned().collect()
        } else {
            body
        };
        if body.is_empty() {
            return None;
        }
        // The Methods table's required params are the authority: a page
        // whose resource has no required property lists every property in
        // its "Required" tab. That tab counts only without a Methods table.
        let required: Vec<&String> = if insert_params.is_empty() {
            ins.required.iter().filter(|c| body.contains(c)).collect()
        } else {
            insert_params.iter().filter(|c| body.contains(c)).collect()
        };
        let mut scope = Scope::default();
        let fields = body
            .iter()
            .map(|c| {
                let ty = match manifest.get(c) {
                    Some(p) => match (&p.shape, field_ty(c)) {
                        (Shape::Scalar { .. }, Some(t)) => t,
                        (shape, _) => nested.ty(c, shape, &mut types),
                    },
                    None => field_ty(c).unwrap_or(Ty::String),
                };
                RField {
                    ident: scope.snake(c),
                    wire: c.clone(),
                    ty,
                    optional: !required.contains(&c),
                    doc: doc_of(c),
                }
            })
            .collect();
        Some(RStruct {
            name: "CreateProperties".into(),
            doc: format!("Properties for creating a `{}` (INSERT).", res.id),
            fields,
        })
    });

    let mut updates = Vec::new();
    for verb in [Verb::Update, Verb::Replace] {
        let params: Vec<&String> = res
            .methods_by(&verb)
            .flat_map(|m| &m.required_params)
            .collect();
        let Some(set) = examples.of(&verb).next().map(sql::set_columns) else {
            continue;
        };
        let mut scope = Scope::default();
        let fields: Vec<RField> = set
            .iter()
            .filter(|c| !params.contains(c) && !c.starts_with("data__"))
            .map(|c| {
                let ty = match manifest.get(c.as_str()) {
                    Some(p) => match (&p.shape, field_ty(c)) {
                        (Shape::Scalar { .. }, Some(t)) => t,
                        (shape, _) => nested.ty(c, shape, &mut types),
                    },
                    None => field_ty(c).unwrap_or(Ty::String),
                };
                RField {
                    ident: scope.snake(c),
                    wire: c.clone(),
                    ty,
                    optional: true,
                    doc: doc_of(c),
                }
            })
            .collect();
        if !fields.is_empty() {
            let name = if verb == Verb::Update {
                "UpdateProperties"
            } else {
                "ReplaceProperties"
            };
            updates.push((
                verb,
                RStruct {
                    name: name.into(),
                    doc: format!("Properties set by a `{verb}` of `{}`.", res.id),
                    fields,
                },
            ));
        }
    }

    let mut id_scope = Scope::default();
    let identifier: Vec<(String, String)> = res
        .identifier
        .iter()
        .flat_map(|i| &i.parts)
        .map(|p| (id_scope.snake(p), p.clone()))
        .collect();

    let (permissions, cloud_control) = permissions(res, by_id, cloud_control_default, diags);
    let mut fn_scope = Scope::with_reserved(&["ID"]);
    let methods = res
        .methods
        .iter()
        .map(|m| {
            resolve_method(
                res,
                m,
                &examples,
                &mut fn_scope,
                &create,
                &updates,
                &identifier,
                &permissions,
            )
        })
        .collect();

    RResource {
        res,
        module: ident::escape(&ident::snake(&res.id.resource)),
        row,
        create,
        updates,
        nested: nested.structs,
        identifier,
        methods,
        permissions,
        cloud_control,
        params_first,
        body_prefix,
    }
}

fn is_body(
    c: &str,
    manifest: &BTreeMap<String, &Property>,
    insert_params: &[String],
    ins: &model::InsertSpec,
) -> bool {
    if c == "region" {
        return false;
    }
    if manifest.is_empty() {
        return !insert_params.iter().any(|p| p == c) || ins.required.iter().any(|r| r == c);
    }
    manifest.contains_key(c)
}

/// `data__` prefixed body columns, and params before or after the body.
fn insert_layout(res: &Resource) -> (String, bool) {
    let Some(ins) = &res.insert else {
        return (String::new(), false);
    };
    let prefix = if ins.all.iter().any(|c| c.starts_with("data__")) {
        "data__"
    } else {
        ""
    };
    let params: Vec<&String> = res
        .methods_by(&Verb::Insert)
        .flat_map(|m| &m.required_params)
        .collect();
    let first_param = ins.all.iter().position(|c| params.contains(&c));
    let params_first = first_param == Some(0)
        && ins.all.len() > 1
        && ins.all.last().is_some_and(|l| !params.contains(&l));
    (prefix.to_string(), params_first)
}

/// The singular row type name: the page's own singular, else a derived one.
fn singular(res: &Resource) -> String {
    if let Some(s) = &res.singular {
        return s.clone();
    }
    let name = &res.id.resource;
    if let Some(base) = name.strip_suffix("_tags") {
        format!("{}_tag", singularize(base))
    } else if let Some(base) = name.strip_suffix("_list_only") {
        format!("{}_list_only", singularize(base))
    } else {
        singularize(name)
    }
}

fn singularize(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["sses", "xes", "ches", "shes"]
        .iter()
        .any(|e| word.ends_with(e))
    {
        word[..word.len() - 2].to_string()
    } else if word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") {
        word[..word.len() - 1].to_string()
    } else {
        word.to_string()
    }
}

#[derive(Default)]
struct Nested {
    structs: Vec<RStruct>,
    by_shape: BTreeMap<(String, String), String>,
}

impl Nested {
    /// The type of a shape, registering nested structs (identical shapes under
    /// the same property name share one struct).
    fn ty(&mut self, name: &str, shape: &Shape, types: &mut Scope) -> Ty {
        match shape {
            Shape::Scalar { datatype } => Ty::from_datatype(datatype),
            Shape::Any => Ty::Json,
            // One item of `Tags` is a `Tag`.
            Shape::Array { items } => Ty::Vec(Box::new(self.ty(&singularize(name), items, types))),
            Shape::Object { properties } if properties.is_empty() => Ty::Json,
            Shape::Object { properties } => {
                let key = (name.to_string(), format!("{shape:?}"));
                if let Some(n) = self.by_shape.get(&key) {
                    return Ty::Named(n.clone());
                }
                let type_name = types.pascal(name);
                self.by_shape.insert(key, type_name.clone());
                let mut scope = Scope::default();
                let fields = properties
                    .iter()
                    .map(|p| RField {
                        ident: scope.snake(&p.name),
                        wire: p.name.clone(),
                        ty: self.ty(&p.name, &p.shape, types),
                        optional: true,
                        doc: String::new(),
                    })
                    .collect();
                self.structs.push(RStruct {
                    name: type_name.clone(),
                    doc: format!("The `{name}` property."),
                    fields,
                });
                Ty::Named(type_name)
            }
        }
    }
}

/// Permissions per operation; a view inherits its base resource's.
fn permissions(
    res: &Resource,
    by_id: &BTreeMap<String, &Resource>,
    cloud_control_default: bool,
    diags: &mut Vec<Diagnostic>,
) -> (BTreeMap<Operation, Vec<String>>, bool) {
    let listed = |ops: &[model::OperationPermissions]| -> BTreeMap<Operation, Vec<String>> {
        ops.iter()
            .map(|o| (o.operation, o.actions.clone()))
            .collect()
    };
    match &res.permissions {
        Permissions::None => (BTreeMap::new(), false),
        Permissions::Listed { operations } => (
            listed(operations),
            cloud_control_default && res.id.provider == "aws",
        ),
        Permissions::SeeAlso {
            href,
            resource,
            line,
        } => {
            let base_id = format!("{}.{}.{}", res.id.provider, res.id.service, resource);
            match by_id.get(&base_id).map(|b| &b.permissions) {
                Some(Permissions::Listed { operations }) => {
                    let base = listed(operations);
                    let wanted = view_operations(res);
                    let perms = base
                        .into_iter()
                        .filter(|(op, _)| wanted.contains(op))
                        .collect();
                    (perms, cloud_control_default && res.id.provider == "aws")
                }
                _ => {
                    diags.push(Diagnostic::new(
                        &res.source,
                        *line,
                        Severity::Warning,
                        Kind::PermissionsLink,
                        format!(
                            "expected the permissions link `{href}` to lead to a resource page with listed permissions (`{base_id}`), found none; the view gets no policy"
                        ),
                    ));
                    (BTreeMap::new(), false)
                }
            }
        }
    }
}

/// The operations a view's SELECT performs: a list-only view lists; a tags
/// view lists and reads each item (tags are not in list results).
fn view_operations(res: &Resource) -> Vec<Operation> {
    if res.id.resource.ends_with("_tags") {
        vec![Operation::List, Operation::Read]
    } else {
        vec![Operation::List]
    }
}

#[allow(clippy::too_many_arguments)]
fn resolve_method(
    res: &Resource,
    m: &model::Method,
    examples: &SqlExamples,
    fns: &mut Scope,
    create: &Option<RStruct>,
    updates: &[(Verb, RStruct)],
    identifier: &[(String, String)],
    permissions: &BTreeMap<Operation, Vec<String>>,
) -> RMethod {
    let ident = fns.snake(&m.name);
    let static_name = ident::screaming(ident.trim_start_matches("r#"));
    let mut scope = Scope::with_reserved(&["properties", "identifier", "patch"]);
    let mut args = Vec::new();
    let body: Vec<&str> = match (&m.verb, create) {
        (Verb::Insert, Some(c)) => c.fields.iter().map(|f| f.wire.as_str()).collect(),
        _ => Vec::new(),
    };
    let update_struct = updates.iter().find(|(v, _)| *v == m.verb).map(|(_, s)| s);
    for p in &m.required_params {
        let arg = if p == "data__Identifier" && !identifier.is_empty() {
            Arg::Identifier
        } else if p == "data__PatchDocument" {
            Arg::Patch
        } else if body.contains(&p.as_str())
            || body.contains(&p.strip_prefix("data__").unwrap_or(p))
        {
            Arg::Properties("CreateProperties".into())
        } else {
            Arg::Param {
                ident: scope.snake(p),
                wire: p.clone(),
            }
        };
        let dup = matches!(arg, Arg::Properties(_))
            && args.iter().any(|a| matches!(a, Arg::Properties(_)));
        if !dup {
            args.push(arg);
        }
    }
    if m.verb == Verb::Insert
        && create.is_some()
        && !args.iter().any(|a| matches!(a, Arg::Properties(_)))
    {
        args.insert(0, Arg::Properties("CreateProperties".into()));
    }
    if let Some(s) = update_struct {
        if !args.iter().any(|a| matches!(a, Arg::Patch)) {
            args.insert(0, Arg::Properties(s.name.clone()));
        }
    }

    // Predicate order and columns from the example whose WHERE matches.
    let wanted: Vec<&String> = m.required_params.iter().collect();
    let example = examples.of(&m.verb).find(|t| {
        let w = sql::where_columns(t);
        w.len() == wanted.len() && w.iter().all(|c| wanted.contains(&c))
    });
    let predicates = match &example {
        Some(t) => sql::where_columns(t),
        None => m.required_params.clone(),
    };
    let columns = match (&m.verb, &example) {
        (Verb::Select, Some(t)) => sql::select_columns(t),
        (Verb::Select, None) => res.fields.iter().map(|f| f.name.clone()).collect(),
        _ => Vec::new(),
    };

    let operations: Vec<Operation> = if permissions.is_empty() {
        Vec::new()
    } else {
        match m.verb {
            Verb::Insert => vec![Operation::Create],
            Verb::Update | Verb::Replace => vec![Operation::Update],
            Verb::Delete => vec![Operation::Delete],
            Verb::Select if m.required_params.iter().any(|p| p == "data__Identifier") => {
                vec![Operation::Read]
            }
            Verb::Select if res.id.resource.ends_with("_tags") => {
                vec![Operation::List, Operation::Read]
            }
            Verb::Select => vec![Operation::List],
            _ => Vec::new(),
        }
        .into_iter()
        .filter(|op| permissions.contains_key(op))
        .collect()
    };
    let actions = operations
        .iter()
        .flat_map(|op| permissions.get(op).cloned().unwrap_or_default())
        .collect();
    RMethod {
        ident,
        static_name,
        method: m.clone(),
        args,
        predicates,
        columns,
        operations,
        actions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(name: &str) -> Resource {
        Resource::empty("s", name)
    }

    #[test]
    fn derived_singulars() {
        assert_eq!(singular(&res("policies")), "policy");
        assert_eq!(singular(&res("buckets_list_only")), "bucket_list_only");
        assert_eq!(singular(&res("addresses")), "address");
        assert_eq!(singular(&res("status")), "status");
        assert_eq!(singular(&res("bucket_tags")), "bucket_tag");
    }
}
