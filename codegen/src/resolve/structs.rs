//! The types of a resource module: row, create and update properties,
//! nested shapes and the identifier.

use super::{InsertLayout, Page, RField, RStruct, Table, Ty};
use crate::ident::{self, Scope};
use crate::model::{same_columns, Example, Field, InsertSpec, Method, Resource, Shape, Verb, View};
use crate::parse::sql;
use foldhash::HashMap;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// A resource module's type namespace and the nested structs registered in
/// it, over the shapes of a page that lives for `'a`.
pub(super) struct Types<'a> {
    scope: Scope,
    nested: Vec<RStruct>,
    /// Property name → (shape, type name): identical shapes under the same
    /// property name share one struct. Shapes compare structurally (not
    /// through a formatted key: formatting every nested shape was most of
    /// naming a resource's types).
    by_shape: HashMap<String, Vec<(&'a Shape, String)>>,
}

impl<'a> Types<'a> {
    /// A namespace where `reserved` type names are taken.
    pub(super) fn new(reserved: &[&str]) -> Self {
        Types {
            scope: Scope::with_reserved(reserved),
            nested: Vec::new(),
            by_shape: HashMap::default(),
        }
    }

    /// Holds the names of the page's nested types that need no conversion
    /// (`VersioningConfiguration`) for their own shapes, so that a type
    /// named from a converted property name cannot take them first (see
    /// [`Scope`]). Called after the row type is named: the resource's own
    /// type keeps its name.
    pub(super) fn hold_exact_nested(&mut self, page: &Page) {
        fn walk<'s>(name: Cow<'s, str>, shape: &'s Shape, out: &mut Vec<Cow<'s, str>>) {
            match shape {
                Shape::Array { items } => walk(singularize(&name).into(), items, out),
                Shape::Object { properties } if !properties.is_empty() => {
                    for p in properties {
                        walk(p.name.as_str().into(), &p.shape, out);
                    }
                    out.push(name);
                }
                _ => {}
            }
        }
        let mut names = Vec::new();
        for p in page.manifest.values() {
            walk(p.name.as_str().into(), &p.shape, &mut names);
        }
        self.scope.hold_exact_types(names.iter().map(|n| &**n));
    }

    /// The nested structs, in the order they were registered.
    pub(super) fn into_nested(self) -> Vec<RStruct> {
        self.nested
    }

    /// The type of a shape, registering nested structs.
    fn of_shape(&mut self, name: &str, shape: &'a Shape) -> Ty {
        match shape {
            Shape::Scalar { datatype } => Ty::from_datatype(datatype),
            Shape::Any => Ty::Json,
            // One item of `Tags` is a `Tag`.
            Shape::Array { items } => Ty::Vec(Box::new(self.of_shape(&singularize(name), items))),
            Shape::Object { properties } if properties.is_empty() => Ty::Json,
            Shape::Object { properties } => {
                let same = self.by_shape.get(name).and_then(|seen| {
                    // The same shape is often met again (the row, then the
                    // create properties): no need to walk it.
                    seen.iter()
                        .find(|(s, _)| std::ptr::eq(*s, shape) || *s == shape)
                        .map(|(_, n)| n)
                });
                if let Some(n) = same {
                    return Ty::Named(n.clone());
                }
                let type_name = self.scope.pascal(name);
                self.by_shape
                    .entry(name.to_string())
                    .or_default()
                    .push((shape, type_name.clone()));
                let mut scope = Scope::exact_first(properties.iter().map(|p| p.name.as_str()));
                let fields = properties
                    .iter()
                    .map(|p| RField {
                        ident: scope.snake(&p.name),
                        wire: p.name.clone(),
                        ty: self.of_shape(&p.name, &p.shape),
                        optional: true,
                        doc: String::new(),
                    })
                    .collect();
                self.nested.push(RStruct {
                    name: type_name.clone(),
                    doc: format!("The `{name}` property."),
                    fields,
                    default: true,
                });
                Ty::Named(type_name)
            }
        }
    }

    /// The type of a settable property `c` (whose field is `field`, see
    /// [`Page::field`]): its manifest shape, refined by the Fields table's
    /// datatype for scalars; a string when neither says.
    fn of_property(&mut self, page: &Page<'a>, c: &str, field: Option<&Field>) -> Ty {
        let field_ty = field.map(|f| Ty::from_datatype(&f.datatype));
        match page.manifest.get(c) {
            Some(p) => match (&p.shape, field_ty) {
                (Shape::Scalar { .. }, Some(t)) => t,
                (shape, _) => self.of_shape(c, shape),
            },
            None => field_ty.unwrap_or(Ty::String),
        }
    }
}

/// `<Method>Options`, for each method with optional params (the first of a
/// name): one optional field per param, typed by the `## Parameters` table's
/// datatype (a string where it gives none) and documented from it. Sent
/// with `.params(&options)` on the method's statement, each field set as
/// the param of its name. Methods with the same optional params share the
/// first one's (as methods returning the same columns share a row type:
/// `awscc`'s create, update and delete take the same three). Returns
/// (method name, struct name) pairs.
pub(super) fn options(page: &Page, types: &mut Types) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut made: Vec<(&[String], String)> = Vec::new();
    for m in &page.res.methods {
        if m.optional_params.is_empty() || out.iter().any(|(n, _)| *n == m.name) {
            continue;
        }
        if let Some((_, name)) = made
            .iter()
            .find(|(ps, _)| *ps == m.optional_params.as_slice())
        {
            out.push((m.name.clone(), name.clone()));
            continue;
        }
        let name = types.scope.pascal(&format!("{}_options", m.name));
        let mut scope = Scope::exact_first(m.optional_params.iter().map(String::as_str));
        let fields = m
            .optional_params
            .iter()
            .map(|p| {
                // A name listed twice (Azure's `If-Match`) is described for
                // its optional use by the later row, in the optional group.
                let described = page.res.params.iter().rfind(|d| d.name == *p);
                let ty = described
                    .map(|d| d.datatype.trim())
                    .filter(|dt| !dt.is_empty())
                    .map_or(Ty::String, Ty::from_datatype);
                RField {
                    ident: scope.snake(p),
                    wire: p.clone(),
                    ty,
                    optional: true,
                    doc: described.map(|d| d.description.clone()).unwrap_or_default(),
                }
            })
            .collect();
        types.nested.push(RStruct {
            name: name.clone(),
            doc: format!(
                "The optional params of `{}`'s `{}` (and of its other methods that take the same): \
                 give them with `.params(&options)` on the statement; a field left `None` is not \
                 sent.",
                page.res.id, m.name
            ),
            fields,
            default: true,
        });
        made.push((&m.optional_params, name.clone()));
        out.push((m.name.clone(), name));
    }
    out
}

/// The row type: one optional field per column (a column listed twice, as
/// some pages list `region`, is one field), typed by the manifest's shape
/// where it shows an object or array.
pub(super) fn row<'a>(page: &Page<'a>, types: &mut Types<'a>) -> RStruct {
    let name = types.scope.pascal(&singular(page.res));
    types.hold_exact_nested(page);
    let fields = row_fields(page.fields.iter().map(|(f, snake)| {
        let shaped = page
            .manifest_by_snake
            .get(snake)
            .filter(|_| page.manifest_wire_names)
            .filter(|p| matches!(p.shape, Shape::Object { .. } | Shape::Array { .. }));
        let ty = match shaped {
            Some(p) => types.of_shape(&p.name, &p.shape),
            None => Ty::from_datatype(&f.datatype),
        };
        (*f, snake.clone(), ty)
    }));
    RStruct {
        name,
        doc: format!("A row of `{}`.", page.res.id),
        fields,
        default: true,
    }
}

/// A view's row type, in the view's own module: one optional field per
/// column, typed by its datatype.
pub(super) fn view_row(res: &Resource, view: &View) -> RStruct {
    let fields = row_fields(
        view.fields
            .iter()
            .map(|f| (f, ident::snake(&f.name), Ty::from_datatype(&f.datatype))),
    );
    RStruct {
        name: Scope::default().pascal(&singularize(&view.name)),
        doc: format!(
            "A row of the view `{}` over `{}`.",
            view.id(&res.id),
            res.id
        ),
        fields,
        default: true,
    }
}

/// The row types of the SELECT methods whose page documents columns of
/// their own ([`Method::returns`](crate::model::Method::returns)), in page
/// order: (method name, row type, named `<Method>Row` in the module's type
/// namespace), one optional field per column, typed by its datatype.
/// Methods returning the same columns (a list per parent: projects,
/// folders, organizations) share the first one's.
pub(super) fn method_rows(page: &Page, types: &mut Types) -> MethodRows {
    let mut rows: Vec<(String, RStruct)> = Vec::new();
    let mut of: Vec<(String, String)> = Vec::new();
    let mut seen: Vec<(&[Field], String)> = Vec::new();
    for m in &page.res.methods {
        let Some(returns) = m.returns.as_deref() else {
            continue;
        };
        if let Some((_, name)) = seen.iter().find(|(s, _)| same_columns(s, returns)) {
            of.push((m.name.clone(), name.clone()));
            continue;
        }
        let fields = row_fields(
            returns
                .iter()
                .map(|f| (f, ident::snake(&f.name), Ty::from_datatype(&f.datatype))),
        );
        let name = types.scope.pascal(&format!("{}_row", m.name));
        rows.push((
            m.name.clone(),
            RStruct {
                name: name.clone(),
                doc: format!("A row of `{}` as `{}` returns it.", page.res.id, m.name),
                fields,
                default: true,
            },
        ));
        of.push((m.name.clone(), name.clone()));
        seen.push((returns, name));
    }
    MethodRows { rows, of }
}

/// The row types of SELECT methods that return columns of their own.
pub(super) struct MethodRows {
    /// (the first such method's name, row type), in page order.
    pub rows: Vec<(String, RStruct)>,
    /// Each such method and the name of its row type in `rows`.
    pub of: Vec<(String, String)>,
}

/// Optional row fields from `(field, snake_case name, type)`, in order; a
/// column listed twice is one field (the parser already warns and keeps the
/// first row; this holds for models built another way too).
fn row_fields<'f>(columns: impl Iterator<Item = (&'f Field, String, Ty)>) -> Vec<RField> {
    let columns: Vec<_> = columns.collect();
    let mut scope = Scope::exact_first(columns.iter().map(|(f, _, _)| f.name.as_str()));
    let mut seen = BTreeSet::new();
    columns
        .into_iter()
        .filter(|(f, _, _)| seen.insert(f.name.as_str()))
        .map(|(f, snake, ty)| RField {
            ident: scope.snake_of(&f.name, &snake),
            wire: f.name.clone(),
            ty,
            optional: true,
            doc: f.description.clone(),
        })
        .collect()
}

/// The INSERT layout: `data__` prefixed body columns, and params before the
/// body when the `all` tab lists them first.
pub(super) fn insert_layout(page: &Page) -> InsertLayout {
    let Some(ins) = &page.res.insert else {
        return InsertLayout::default();
    };
    let body_prefix = if ins.all.iter().any(|c| c.starts_with("data__")) {
        "data__"
    } else {
        ""
    };
    // A required `data__title` is a body column, not a param.
    let params = page.params_of(&Verb::Insert);
    let is_param =
        |c: &String| params.contains(&c) && (body_prefix.is_empty() || !c.starts_with(body_prefix));
    let first_param = ins.all.iter().position(is_param);
    let params_first =
        first_param == Some(0) && ins.all.len() > 1 && ins.all.last().is_some_and(|l| !is_param(l));
    InsertLayout {
        params_first,
        body_prefix,
    }
}

/// `CreateProperties`: the INSERT example's body columns (else the
/// manifest's properties); required ones are not optional.
pub(super) fn create<'a>(
    page: &Page<'a>,
    layout: InsertLayout,
    types: &mut Types<'a>,
) -> Option<RStruct> {
    let ins = page.res.insert.as_ref()?;
    let insert_params: Vec<String> = page.params_of(&Verb::Insert).into_iter().cloned().collect();
    let mut body = body_columns(
        page,
        layout,
        ins.all.iter().chain(&ins.required),
        &insert_params,
        ins,
    );
    add_required_body(&mut body, &insert_params, layout);
    if body.is_empty() {
        body = page.manifest.keys().map(|k| k.to_string()).collect();
    }
    if body.is_empty() {
        return None;
    }
    // The Methods table's required params are the authority: a page whose
    // resource has no required property lists every property in its
    // "Required" tab. That tab counts only without a Methods table.
    let shown_required = match insert_params.is_empty() {
        true => &ins.required,
        false => &insert_params,
    };
    let required = required_properties(page, ins, layout, shown_required, &body, None);
    let fields = property_fields(page, types, body.iter(), |c| !required.contains(c));
    Some(RStruct {
        name: "CreateProperties".into(),
        doc: format!("Properties for creating a `{}` (INSERT).", page.res.id),
        default: fields.iter().all(|f| f.optional),
        fields,
    })
}

/// The property a body column names: where body columns carry a prefix
/// (`data__name`), the prefix alone tells the body, and an unprefixed
/// column (`From`, `cluster_id`, `region`) is a param, though the manifest
/// may list it beside the properties.
fn body_name<'c>(c: &'c str, prefix: &str) -> Option<&'c str> {
    match prefix {
        "" => Some(c),
        prefix => c.strip_prefix(prefix),
    }
}

/// The body properties of INSERT columns, in order, without repeats.
fn body_columns<'c>(
    page: &Page,
    layout: InsertLayout,
    columns: impl Iterator<Item = &'c String>,
    insert_params: &[String],
    ins: &InsertSpec,
) -> Vec<String> {
    let mut body: Vec<String> = Vec::new();
    for c in columns {
        let c = match body_name(c, layout.body_prefix) {
            Some(c) => c,
            None if listed_property(c, page, insert_params) => c.as_str(),
            None => continue,
        };
        let is_body = !layout.body_prefix.is_empty() || is_body(c, page, insert_params, ins);
        if is_body && !body.iter().any(|b| b == c) {
            body.push(c.to_string());
        }
    }
    body
}

/// Whether an unprefixed INSERT column beside prefixed ones is a property
/// all the same: one the manifest lists that no INSERT method takes as a
/// param, required or optional (StackQL's older Azure docs insert
/// `data__location, sku, properties, tags`; `From`, a header, is a param).
fn listed_property(c: &str, page: &Page, insert_params: &[String]) -> bool {
    let optional = page
        .res
        .methods
        .iter()
        .filter(|m| m.verb == Verb::Insert)
        .flat_map(|m| &m.optional_params);
    c != "region"
        && page.manifest.contains_key(c)
        && !insert_params.iter().chain(optional).any(|p| p == c)
}

/// Where body columns carry a prefix, a required `data__location` that the
/// example leaves out (some Azure pages) is still a property of the body,
/// after the example's.
fn add_required_body(body: &mut Vec<String>, required: &[String], layout: InsertLayout) {
    if layout.body_prefix.is_empty() {
        return;
    }
    for p in required {
        if let Some(k) = p.strip_prefix(layout.body_prefix) {
            if !body.iter().any(|b| b == k) {
                body.push(k.to_string());
            }
        }
    }
}

/// What the examples of `verb` mark required with a comment (see
/// [`sql::marked_required`]): those of `method`'s own tab where it has
/// one, else of every example of the verb. The Methods table may leave
/// these out (Snowflake's required body properties: `'{{ name }}'
/// --required,` in an INSERT, `AND data__name = ... --required` in a
/// REPLACE).
pub(super) fn marked(page: &Page, verb: Verb, method: Option<&str>) -> sql::Marked {
    let of_verb = |e: &&Example| e.verb == Some(verb) && e.lang == "sql";
    let examples = page.res.examples.iter().filter(of_verb);
    let own: Vec<&Example> = examples
        .clone()
        .filter(|e| method.is_some() && e.tab.as_deref() == method)
        .collect();
    let chosen: Vec<&Example> = match own.is_empty() {
        true => examples.collect(),
        false => own,
    };
    let mut out = sql::Marked::default();
    for e in chosen {
        let m = sql::marked_required(&e.code);
        out.columns.extend(m.columns);
        out.values.extend(m.values);
    }
    out
}

/// The INSERT properties that are required: those of `body` among the
/// `required` params (a required `data__name` param is the property
/// `name`), then those the manifest marks required in place of a value
/// (`- name: name` / `value: required`, StackQL's Databricks docs), then
/// those the INSERT example of `method` (see [`marked`]) marks required;
/// the Methods table may leave the last two out.
fn required_properties(
    page: &Page,
    ins: &InsertSpec,
    layout: InsertLayout,
    required: &[String],
    body: &[String],
    method: Option<&str>,
) -> Vec<String> {
    let by_params = required
        .iter()
        .filter_map(|c| body_name(c, layout.body_prefix))
        .filter(|c| body.iter().any(|b| b == c))
        .map(str::to_string);
    let by_manifest = ins.properties.iter().filter_map(|p| match &p.shape {
        Shape::Scalar { datatype } if datatype == "required" => Some(p.name.clone()),
        _ => None,
    });
    by_params
        .chain(by_manifest)
        .chain(marked(page, Verb::Insert, method).values)
        .collect()
}

/// Where two or more INSERT methods are each shown by an example in a tab
/// named by the method (StackQL's newer docs: `create_using_template`
/// beside `create_in_org`) and they insert different body columns, a
/// struct per method of its example's body columns, required as the
/// method's required params say, named `<Method>Properties`; methods
/// inserting the same columns share the first one's. `CreateProperties`
/// stays for the INSERT methods no tab shows.
pub(super) fn per_method_creates<'a>(
    page: &Page<'a>,
    layout: InsertLayout,
    types: &mut Types<'a>,
) -> Updates {
    let mut out = Updates::default();
    let Some(ins) = page.res.insert.as_ref() else {
        return out;
    };
    let insert_params: Vec<String> = page.params_of(&Verb::Insert).into_iter().cloned().collect();
    let shown: Vec<Shown> = page
        .res
        .methods
        .iter()
        .filter(|m| m.verb == Verb::Insert)
        .filter_map(|m| {
            let own_tab = |e: &Example| e.tab.as_deref() == Some(m.name.as_str());
            let toks = page
                .table_examples(&Verb::Insert, Table::Own, own_tab)
                .next()?;
            let columns = sql::insert_columns(toks)?;
            let mut body = body_columns(page, layout, columns.iter(), &insert_params, ins);
            add_required_body(&mut body, &m.required_params, layout);
            let required =
                required_properties(page, ins, layout, &m.required_params, &body, Some(&m.name));
            Some((m, body, required))
        })
        .collect();
    per_method_structs(page, types, Verb::Insert, None, "inserted", shown, &mut out);
    out
}

/// The fields of a properties struct, one per column (wire name), named
/// exact names first, typed and documented from the page's manifest.
pub(super) fn property_fields<'a, 'c>(
    page: &Page<'a>,
    types: &mut Types<'a>,
    columns: impl Iterator<Item = &'c String> + Clone,
    optional: impl Fn(&String) -> bool,
) -> Vec<RField> {
    let mut scope = Scope::exact_first(columns.clone().map(String::as_str));
    columns
        .map(|c| {
            let field = page.field(c);
            RField {
                ident: scope.snake(c),
                wire: c.clone(),
                ty: types.of_property(page, c, field),
                optional: optional(c),
                // The field's description, or empty.
                doc: field.map(|f| f.description.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

/// Whether INSERT column `c` is a property of the body: one the manifest
/// names, as written or in snake_case (`awscc` manifests name `InstanceId`
/// `instance_id`), else (no manifest) any column that is no param.
fn is_body(c: &str, page: &Page, insert_params: &[String], ins: &InsertSpec) -> bool {
    if c == "region" {
        return false;
    }
    if page.manifest.is_empty() {
        return !insert_params.iter().any(|p| p == c) || ins.required.iter().any(|r| r == c);
    }
    page.manifest.contains_key(c) || page.manifest_by_snake.contains_key(&crate::ident::snake(c))
}

/// `UpdateProperties` and `ReplaceProperties`: the SET columns of the
/// verb's first example that are not params, all optional. The patch
/// document of a verb whose methods take one (`SET PatchDocument = ...`) is
/// no property: `PatchProperties` types it (see `patch`).
pub(super) fn updates<'a>(page: &Page<'a>, types: &mut Types<'a>) -> Updates {
    let mut out = Updates::default();
    for (verb, name) in [
        (Verb::Update, "UpdateProperties"),
        (Verb::Replace, "ReplaceProperties"),
    ] {
        if per_method_updates(page, types, verb, name, &mut out) {
            continue;
        }
        let params = page.params_of(&verb);
        let Some(set) = page.examples(&verb).next().map(sql::set_columns) else {
            continue;
        };
        let marked = marked(page, verb, None).columns;
        let (set, required) = settable(
            set,
            set_prefix(page, verb),
            |c| params.iter().any(|p| *p == c),
            &marked,
        );
        let fields = property_fields(page, types, set.iter(), |c| !required.contains(c));
        if !fields.is_empty() {
            out.structs.push((
                verb,
                RStruct {
                    name: name.into(),
                    doc: format!("Properties set by a `{verb}` of `{}`.", page.res.id),
                    fields,
                    default: required.is_empty(),
                },
            ));
        }
    }
    out
}

/// The columns of `set` (an UPDATE's or REPLACE's `SET` columns) that are
/// properties: not params of its method(s) (`is_param`), not `data__`
/// columns, and not the patch document where the method takes one (`SET
/// PatchDocument = ...`: `PatchProperties` types it, see `patch`); and
/// those of them that are required.
///
/// Where the verb's body columns carry a prefix (`SET data__label = ...`,
/// see [`set_prefix`]), they are the properties, without it, and those
/// that are also required params (`data__spec`) are required properties;
/// an unprefixed column must be a param (else nothing is typed). `marked`
/// columns (see [`marked`]) are required too, never params: they only say
/// which prefixed columns are required.
fn settable(
    set: Vec<String>,
    prefix: &str,
    is_param: impl Fn(&str) -> bool,
    marked: &[String],
) -> (Vec<String>, Vec<String>) {
    if !prefix.is_empty() {
        let columns = set.iter().filter(|c| !super::patch::is_patch_param(c));
        // An unprefixed column beside them that is no param is not typed
        // apart from them: none are, and the method takes a JSON map.
        if columns
            .clone()
            .any(|c| !c.starts_with(prefix) && !is_param(c))
        {
            return (Vec::new(), Vec::new());
        }
        // Required: a required param, or a column its example marks so.
        let required = |c: &str| is_param(c) || marked.iter().any(|m| m == c);
        let body = columns.filter_map(|c| c.strip_prefix(prefix).map(|k| (k, required(c))));
        let required = body.clone().filter(|(_, r)| *r).map(|(k, _)| k.to_string());
        return (
            body.map(|(k, _)| k.to_string()).collect(),
            required.collect(),
        );
    }
    let patched = is_param(super::patch::PATCH_PARAM);
    let columns = set
        .into_iter()
        .filter(|c| !is_param(c) && !c.starts_with("data__"))
        .filter(|c| !(patched && c == "PatchDocument"))
        .collect();
    (columns, Vec::new())
}

/// The prefix of the body columns of `verb`'s examples: `data__` where one
/// sets a `data__` column that is not a patch document (StackQL's newer
/// docs: `SET data__label = '{{ label }}'`), else none.
pub(super) fn set_prefix(page: &Page, verb: Verb) -> &'static str {
    const PREFIX: &str = "data__";
    let prefixed = |c: &String| c.starts_with(PREFIX) && !super::patch::is_patch_param(c);
    match page
        .examples(&verb)
        .any(|toks| sql::set_columns(toks).iter().any(prefixed))
    {
        true => PREFIX,
        false => "",
    }
}

/// The properties structs of a resource's UPDATE and REPLACE methods.
#[derive(Debug, Default)]
pub(super) struct Updates {
    /// The structs, in order: per verb, or per method (see `by_method`).
    pub structs: Vec<(Verb, RStruct)>,
    /// Where each method of a verb is shown by an example of its own:
    /// (verb, method name, its struct's name, `None` when it sets no
    /// property). No entry of a verb whose one struct serves every method.
    pub by_method: Vec<(Verb, String, Option<String>)>,
}

/// Where two or more methods of `verb` are each shown by an example in a
/// tab named by the method (StackQL's newer docs: `add_permission` beside
/// `update_function_code`) and they set different columns, a struct per
/// method of the columns its own example sets (less its required params),
/// named `<Method>Properties` (`name`, the verb's, for a method named after
/// the verb); methods setting the same columns share the first one's.
/// Returns whether it applied.
fn per_method_updates<'a>(
    page: &Page<'a>,
    types: &mut Types<'a>,
    verb: Verb,
    name: &str,
    out: &mut Updates,
) -> bool {
    // Each shown method's columns: those its example sets, less its params.
    let prefix = set_prefix(page, verb);
    let shown: Vec<Shown> = page
        .res
        .methods
        .iter()
        .filter(|m| m.verb == verb)
        .filter_map(|m| {
            let own_tab = |e: &Example| e.tab.as_deref() == Some(m.name.as_str());
            let toks = page.table_examples(&verb, Table::Own, own_tab).next()?;
            let marked = marked(page, verb, Some(&m.name)).columns;
            let (columns, required) = settable(
                sql::set_columns(toks),
                prefix,
                |c| m.required_params.iter().any(|p| p == c),
                &marked,
            );
            Some((m, columns, required))
        })
        .collect();
    per_method_structs(page, types, verb, Some(name), "set", shown, out)
}

/// A method shown by an example of its own: its body columns, and those of
/// them it requires.
type Shown<'m> = (&'m Method, Vec<String>, Vec<String>);

/// Where two or more methods of `verb` are `shown` with different columns,
/// a struct per method of its columns (the required ones not optional),
/// named `<Method>Properties` (`free_name`, the verb's own, for a method
/// named after the verb; another fixed name is told apart by the verb);
/// methods of the same columns share the first one's; a method of none
/// takes no struct. Returns whether it applied.
fn per_method_structs<'a>(
    page: &Page<'a>,
    types: &mut Types<'a>,
    verb: Verb,
    free_name: Option<&str>,
    done: &str,
    shown: Vec<Shown>,
    out: &mut Updates,
) -> bool {
    let one_set = shown.windows(2).all(|w| w[0].1 == w[1].1);
    if shown.len() < 2 || one_set {
        // One struct serves them all: the verb's.
        return false;
    }
    let mut made: Vec<(&Vec<String>, &Vec<String>, String)> = Vec::new();
    for (m, columns, required) in &shown {
        if columns.is_empty() {
            out.by_method.push((verb, m.name.clone(), None));
            continue;
        }
        if let Some((_, _, n)) = made
            .iter()
            .find(|(c, r, _)| *c == columns && *r == required)
        {
            out.by_method.push((verb, m.name.clone(), Some(n.clone())));
            continue;
        }
        let wanted = ident::pascal(&format!("{}_properties", m.name));
        let struct_name = if Some(wanted.as_str()) == free_name {
            wanted
        } else if super::RESERVED_TYPES.contains(&wanted.as_str()) {
            let verb_word = verb.as_str().to_ascii_lowercase();
            types
                .scope
                .pascal(&format!("{}_{verb_word}_properties", m.name))
        } else {
            types.scope.pascal(&wanted)
        };
        let fields = property_fields(page, types, columns.iter(), |c| !required.contains(c));
        out.structs.push((
            verb,
            RStruct {
                name: struct_name.clone(),
                doc: format!(
                    "Properties {done} by `{}` (`{verb}`) of `{}`.",
                    m.name, page.res.id
                ),
                default: fields.iter().all(|f| f.optional),
                fields,
            },
        ));
        out.by_method
            .push((verb, m.name.clone(), Some(struct_name.clone())));
        made.push((columns, required, struct_name));
    }
    true
}

/// The identifier's fields: (ident, part), in template order.
pub(super) fn identifier(res: &Resource) -> Vec<(String, String)> {
    let mut scope = Scope::exact_first(
        res.identifier
            .iter()
            .flat_map(|i| &i.parts)
            .map(String::as_str),
    );
    res.identifier
        .iter()
        .flat_map(|i| &i.parts)
        .map(|p| (scope.snake(p), p.clone()))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn res(name: &str) -> Resource {
        Resource::empty("s", name)
    }

    /// The Overview of a page `w.md` of `p.s.w`.
    const OVERVIEW: &str = "## Overview\n<table><tbody>\n<tr><td><b>Name</b></td><td><code>w</code></td></tr>\n<tr><td><b>Id</b></td><td><CopyableCode code=\"p.s.w\" /></td></tr>\n</tbody></table>\n\n";

    /// `f` of the resolved resource of the page [`OVERVIEW`] + `rest`, and
    /// of the diagnostics resolving it gave.
    fn resolved<T>(
        rest: &str,
        f: impl FnOnce(&super::super::RResource, &[crate::diagnostic::Diagnostic]) -> T,
    ) -> T {
        let page = format!("{OVERVIEW}{rest}");
        let res = crate::parse::parse_page("w.md", &page)
            .resource
            .expect("a resource");
        let all = [res];
        let mut diags = Vec::new();
        let krate = super::super::resolve(&all, false, &mut diags);
        f(&krate.resources[0], &diags)
    }

    #[test]
    fn derived_singulars() {
        assert_eq!(singular(&res("policies")), "policy");
        assert_eq!(singular(&res("buckets_list_only")), "bucket_list_only");
        assert_eq!(singular(&res("addresses")), "address");
        assert_eq!(singular(&res("status")), "status");
        assert_eq!(singular(&res("bucket_tags")), "bucket_tag");
    }

    #[test]
    fn methods_returning_the_same_columns_share_a_row_type() {
        let field = |n: &str| Field {
            name: n.into(),
            datatype: "string".into(),
            description: String::new(),
            line: 1,
        };
        let select = |name: &str, returns: Option<&[&str]>| Method {
            name: name.into(),
            verb: Verb::Select,
            required_params: vec!["parent".into()],
            optional_params: vec![],
            returns: returns.map(|cols| cols.iter().map(|c| field(c)).collect()),
            resource: None,
            description: String::new(),
            line: 1,
        };
        let mut r = res("requests");
        r.fields = vec![field("name"), field("state")];
        r.methods = vec![
            select("projects_get", None),
            select("projects_list", Some(&["requests", "nextPageToken"])),
            select("folders_list", Some(&["requests", "nextPageToken"])),
            select("folders_search", Some(&["requests"])),
        ];
        let all = [r];
        let krate = super::super::resolve(&all, false, &mut Vec::new());
        let r = &krate.resources[0];
        let names: Vec<&str> = r.method_rows.iter().map(|(_, s)| s.name.as_str()).collect();
        assert_eq!(names, ["ProjectsListRow", "FoldersSearchRow"]);
        let rows: Vec<Option<&str>> = r.methods.iter().map(|m| m.row.as_deref()).collect();
        assert_eq!(
            rows,
            [
                None,
                Some("ProjectsListRow"),
                Some("ProjectsListRow"),
                Some("FoldersSearchRow")
            ]
        );
    }

    #[test]
    fn per_method_updates_leave_the_other_verb_its_struct() {
        let page = "## Methods\n| Name | Accessible by | Required Params |\n|:--|:--|:--|\n| `rename` | `update` | `id` |\n| `resize` | `update` | `id` |\n| `put` | `replace` | `id` |\n\n## `UPDATE` examples\n\n<Tabs values={[{ label: 'rename', value: 'rename' }, { label: 'resize', value: 'resize' }]}>\n<TabItem value=\"rename\">\n\n```sql\nUPDATE p.s.w SET name = '{{ name }}' WHERE id = '{{ id }}';\n```\n</TabItem>\n<TabItem value=\"resize\">\n\n```sql\nUPDATE p.s.w SET size = {{ size }} WHERE id = '{{ id }}';\n```\n</TabItem>\n</Tabs>\n\n## `REPLACE` examples\n\n```sql\nREPLACE p.s.w SET label = '{{ label }}' WHERE id = '{{ id }}';\n```\n";
        let takes: Vec<(String, String)> = resolved(page, |r, _| {
            r.methods
                .iter()
                .map(|m| {
                    let props = m.args.iter().find_map(|a| match a {
                        super::super::Arg::Properties(t) => Some(t.clone()),
                        _ => None,
                    });
                    (m.method.name.clone(), props.unwrap_or_default())
                })
                .collect()
        });
        let names = |n: &str, t: &str| (n.to_string(), t.to_string());
        assert_eq!(
            takes,
            [
                names("rename", "RenameProperties"),
                names("resize", "ResizeProperties"),
                names("put", "ReplaceProperties")
            ]
        );
    }

    #[test]
    fn a_datatype_with_a_format_is_its_type() {
        assert_eq!(Ty::from_datatype("string (date-time)"), Ty::String);
        assert_eq!(Ty::from_datatype("integer (int32)"), Ty::I64);
        assert_eq!(Ty::from_datatype(" number (double) "), Ty::F64);
        assert_eq!(Ty::from_datatype("boolean"), Ty::Bool);
        // Not a format: kept whole, so unknown.
        assert_eq!(Ty::from_datatype("string (date-time"), Ty::Json);
        assert_eq!(Ty::from_datatype("map (string)"), Ty::Json);
    }

    #[test]
    fn a_prefixed_set_beside_an_unprefixed_column_is_not_typed() {
        let page = |set: &str| {
            format!("## Methods\n| Name | Accessible by | Required Params |\n|:--|:--|:--|\n| `patch` | `update` | `id` |\n\n## `UPDATE` examples\n\n```sql\nUPDATE p.s.w SET {set} WHERE id = '{{{{ id }}}}';\n```\n")
        };
        let takes = |set: &str| {
            resolved(&page(set), |r, _| {
                let m = &r.methods[0];
                (format!("{:?}", m.args[0]), m.statement.clone())
            })
        };
        let (arg, statement) = takes("data__status = '{{ status }}'");
        assert_eq!(arg, "Properties(\"UpdateProperties\")");
        assert_eq!(
            statement,
            super::super::Statement::Update {
                body_prefix: "data__",
                required: Vec::new()
            }
        );
        // `note` would be sent as `data__note`, or not at all: the caller
        // names the columns in a JSON map, as the page does.
        let (arg, statement) = takes("data__status = '{{ status }}', note = '{{ note }}'");
        assert_eq!(arg, "PropertiesMap");
        assert_eq!(
            statement,
            super::super::Statement::Update {
                body_prefix: "",
                required: Vec::new()
            }
        );
    }

    #[test]
    fn rows_of_no_listed_column_are_untyped_and_said_so() {
        let page = "## Fields\n## Methods\n| Name | Accessible by | Required Params |\n|:--|:--|:--|\n| `get` | `select` | `id` |\n";
        let (row, diags) = resolved(page, |r, diags| {
            (r.row.clone().expect("a row type"), diags.to_vec())
        });
        assert!(row.fields.is_empty());
        assert!(
            row.doc.contains("every column the statement returns"),
            "{}",
            row.doc
        );
        let said: Vec<String> = diags
            .iter()
            .filter(|d| d.kind == crate::diagnostic::Kind::UntypedRows)
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(said.len(), 1, "{diags:?}");
        assert!(said[0].contains("`W`"), "{said:?}");
    }

    #[test]
    fn a_marked_unprefixed_set_column_stays_a_property() {
        let page = "## Methods\n| Name | Accessible by | Required Params |\n|:--|:--|:--|\n| `put` | `replace` | `id` |\n\n## `REPLACE` examples\n\n```sql\nREPLACE p.s.w\nSET \nname = '{{ name }}',\ncomment = '{{ comment }}' --required\nWHERE \nid = '{{ id }}' --required;\n```\n";
        let fields: Vec<String> = resolved(page, |r, _| {
            let (_, s) = r.updates.first().expect("a ReplaceProperties");
            s.fields.iter().map(|f| f.wire.clone()).collect()
        });
        assert_eq!(fields, ["name", "comment"]);
    }
}
