//! Model → everything the emitter needs: the crate's module tree (module
//! names, files, features), Rust names, Rust types, argument lists, the
//! statement each method builds with its params in order, and the IAM
//! operations it performs. The emitter renders this and decides nothing;
//! every name comes from [`crate::ident`]. No tokens are built here.

mod method;
mod patch;
mod permissions;
mod structs;
mod tree;
mod types;
mod views;

pub(crate) use patch::{is_patch_param, PATCH_PARAM};
pub use types::*;

use crate::diagnostic::{Diagnostic, Kind, Severity};
use crate::ident;
use crate::model::{self, Property, Resource, Verb};
use crate::parse::sql;
use std::collections::{BTreeMap, HashMap};

/// Resolves every resource (in parallel; each resource's names depend only
/// on its own page, so the result is the same as in order), then the
/// crate's module tree over all of them, in id order. `all` lets views find
/// their base resource's permissions. Diagnostics are pushed for what cannot
/// be resolved, in id order.
pub fn resolve<'a>(
    all: &'a [Resource],
    cloud_control_default: bool,
    diags: &mut Vec<Diagnostic>,
) -> RCrate<'a> {
    let all: Vec<&Resource> = all.iter().collect();
    let (krate, per_resource, _) = resolve_reusing(
        &all,
        cloud_control_default,
        &|_| None::<(Vec<Diagnostic>, ())>,
        &|r| r,
    );
    diags.extend(per_resource.into_iter().flatten());
    krate
}

/// What [`resolve_reusing`] asks whether a resource's output can be reused:
/// its diagnostics and `T` when it can.
pub type Reuser<'r, T> = dyn Fn(&RResource) -> Option<(Vec<Diagnostic>, T)> + Sync + 'r;

/// [`resolve`], skipping the resources whose output can be reused.
///
/// First the crate's module tree is decided, giving each resource a
/// *skeleton*: its model, module, file, inception and policy file, nothing
/// else but a view's [`RResource::base`] (the only input one page takes
/// from another is the permissions a view inherits). `reuse` sees each
/// skeleton;
/// when it answers `Some((diagnostics, t))` (the output of a previous run
/// made from the same inputs), the resource stays a skeleton and those
/// diagnostics stand for its own; otherwise it is resolved in full,
/// permissions included. Returns the crate, each resource's diagnostics (in
/// [`RCrate::resources`] order) and what `reuse` gave for each.
///
/// A skeleton must not be rendered: only module files (which need just
/// names) may read it. So `all` may hold resources of which only the
/// [`crate::cache::head`] is known; `complete` gives the whole resource of
/// one (the same resource, with everything its page says) before it, or a
/// view inheriting its permissions, is resolved in full.
pub fn resolve_reusing<'a, T: Send>(
    all: &[&'a Resource],
    cloud_control_default: bool,
    reuse: &Reuser<'_, T>,
    complete: &(dyn Fn(&'a Resource) -> &'a Resource + Sync),
) -> (RCrate<'a>, Vec<Vec<Diagnostic>>, Vec<Option<T>>) {
    use rayon::prelude::*;
    let mut all = all.to_vec();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    let mut resources: Vec<RResource> = all
        .par_iter()
        .map(|r| {
            let base = permissions::base_name(r).and_then(|name| {
                let at = all
                    .binary_search_by(|b| {
                        (&b.id.provider, &b.id.service, b.id.resource.as_str()).cmp(&(
                            &r.id.provider,
                            &r.id.service,
                            name,
                        ))
                    })
                    .ok()?;
                Some(all[at])
            });
            skeleton(r, base)
        })
        .collect();
    let providers = tree::modules(&mut resources);
    let (diags, reused): (Vec<Vec<Diagnostic>>, Vec<Option<T>>) = resources
        .par_iter_mut()
        .map(|r| match reuse(r) {
            Some((cached, t)) => (cached, Some(t)),
            None => {
                let mut d = Vec::new();
                r.res = complete(r.res);
                r.base = r.base.map(complete);
                resolve_rest(r, cloud_control_default, &mut d);
                (d, None)
            }
        })
        .unzip();
    (
        RCrate {
            resources,
            providers,
        },
        diags,
        reused,
    )
}

/// `res` resolved in full under names a previous run's module tree gave it
/// (`module`, `file`, `inception`), with `base`, for a view, the resource it
/// inherits its permissions from: what [`resolve_reusing`] makes of it in a
/// crate of the same shape (see [`crate::cache::Shape`]). Returns it and its
/// diagnostics.
pub fn resolve_named<'a>(
    res: &'a Resource,
    base: Option<&'a Resource>,
    (module, file, inception): (String, String, Inception),
    cloud_control_default: bool,
) -> (RResource<'a>, Vec<Diagnostic>) {
    let mut r = skeleton(res, base);
    (r.module, r.file, r.inception) = (module, file, inception);
    let mut diags = Vec::new();
    resolve_rest(&mut r, cloud_control_default, &mut diags);
    (r, diags)
}

/// The resources of every page under `dir`, one per id (the first, as
/// `generate` selects them), for tests over the corpus.
#[cfg(test)]
pub(crate) fn resources_under(dir: &std::path::Path) -> Vec<Resource> {
    let mut by_id = BTreeMap::new();
    for p in crate::Config::new().specs(dir).parse().expect("readable") {
        if let Some(r) = p.resource {
            by_id.entry(r.id.to_string()).or_insert(r);
        }
    }
    by_id.into_values().collect()
}

/// Resources with nothing in them, one per `provider.service.name` id, for tests.
#[cfg(test)]
pub(crate) fn empty_resources(ids: &str) -> Vec<Resource> {
    ids.split_whitespace()
        .map(|id| {
            let mut parts = id.splitn(3, '.');
            let (p, s, n) = (parts.next(), parts.next(), parts.next());
            let mut r = Resource::empty(s.unwrap_or_default(), n.unwrap_or_default());
            r.id.provider = p.unwrap_or_default().into();
            r
        })
        .collect()
}

/// What one page offers to resolve its names and types from, each piece
/// computed once.
struct Page<'a> {
    res: &'a Resource,
    /// The fields with their snake_case names.
    fields: Vec<(&'a model::Field, String)>,
    /// The manifest's properties by name (the last of a name).
    manifest: BTreeMap<&'a str, &'a Property>,
    /// The first manifest property (in name order) per snake_case name.
    manifest_by_snake: HashMap<String, &'a Property>,
    /// Whether the manifest names properties as they are sent, so that its
    /// nested objects give the wire names of nested types: not where it
    /// names the INSERT's columns in snake_case (`InstanceId` as
    /// `instance_id`: the `awscc` docs generator snake-cases every key of
    /// the manifest, nested ones included, which loses their case), where
    /// objects are typed as JSON values instead.
    manifest_wire_names: bool,
    /// The tokens of each SQL example, tokenized on first use.
    tokens: Vec<std::cell::OnceCell<Option<Vec<sql::Token<'a>>>>>,
}

/// Which table's examples to read: a statement never mixes tables.
#[derive(Clone, Copy)]
enum Table<'a> {
    /// The resource's own: examples whose `FROM` names it, or without a
    /// `FROM` outside the views' tabs.
    Own,
    /// A view's: examples whose `FROM` names it, or without a `FROM` in its tab.
    View(&'a model::View),
}

impl<'a> Page<'a> {
    fn new(res: &'a Resource) -> Self {
        let manifest: BTreeMap<&str, &Property> = res
            .insert
            .iter()
            .flat_map(|i| &i.properties)
            .map(|p| (p.name.as_str(), p))
            .collect();
        let mut manifest_by_snake = HashMap::new();
        for p in manifest.values() {
            manifest_by_snake.entry(ident::snake(&p.name)).or_insert(*p);
        }
        let snake_cased = res.insert.iter().any(|ins| {
            ins.all.iter().chain(&ins.required).any(|c| {
                !manifest.contains_key(c.as_str()) && {
                    let snake = ident::snake(c);
                    snake != *c && manifest.contains_key(snake.as_str())
                }
            })
        });
        Page {
            res,
            manifest_wire_names: !snake_cased,
            fields: res
                .fields
                .iter()
                .map(|f| (f, ident::snake(&f.name)))
                .collect(),
            manifest,
            manifest_by_snake,
            tokens: res
                .examples
                .iter()
                .map(|_| std::cell::OnceCell::new())
                .collect(),
        }
    }

    /// The first field named `name`, or whose snake_case name is `name`'s.
    fn field(&self, name: &str) -> Option<&'a model::Field> {
        // Converted only if the first field is not named `name`.
        let mut snake = None;
        self.fields
            .iter()
            .find(|(f, s)| f.name == name || *s == *snake.get_or_insert_with(|| ident::snake(name)))
            .map(|(f, _)| *f)
    }

    /// The tokens of every SQL example of `verb` on the resource's own
    /// table that tokenizes, in page order.
    fn examples<'s>(&'s self, verb: &'s Verb) -> impl Iterator<Item = &'s [sql::Token<'a>]> + 's {
        self.table_examples(verb, Table::Own, |_| true)
    }

    /// The tokens of every SQL example of `verb` on `table` that tokenizes,
    /// in page order, leaving out (without tokenizing them: tokenizing is
    /// most of resolving a page) the examples whose text `keep` rejects.
    fn table_examples<'s>(
        &'s self,
        verb: &'s Verb,
        table: Table<'s>,
        keep: impl Fn(&model::Example) -> bool + 's,
    ) -> impl Iterator<Item = &'s [sql::Token<'a>]> + 's {
        self.res
            .examples
            .iter()
            .zip(&self.tokens)
            .filter(move |(e, _)| e.verb == Some(*verb) && e.lang == "sql" && keep(e))
            .filter_map(move |(e, t)| {
                let toks = t.get_or_init(|| sql::tokens(&e.code).ok()).as_deref()?;
                self.of_table(e, toks, table).then_some(toks)
            })
    }

    /// Whether the example `e` (of tokens `toks`) is a statement on `table`.
    fn of_table(&self, e: &model::Example, toks: &[sql::Token], table: Table) -> bool {
        let from = sql::from_table(toks);
        let name = from.as_deref().map(|f| f.rsplit('.').next().unwrap_or(f));
        match (table, name) {
            (Table::Own, Some(n)) => n == self.res.id.resource,
            (Table::View(v), Some(n)) => n == v.name,
            (Table::Own, None) => !self
                .res
                .views
                .iter()
                .any(|v| e.tab.as_deref() == Some(v.tab.as_str())),
            (Table::View(v), None) => e.tab.as_deref() == Some(v.tab.as_str()),
        }
    }

    /// The required params of the methods accessible by `verb`, in page order.
    fn params_of(&self, verb: &Verb) -> Vec<&'a String> {
        self.res
            .methods
            .iter()
            .filter(|m| m.verb == *verb)
            .flat_map(|m| &m.required_params)
            .collect()
    }
}

/// Names reserved in every resource module's type namespace.
const RESERVED_TYPES: &[&str] = &[
    "Identifier",
    "CreateProperties",
    "UpdateProperties",
    "ReplaceProperties",
    patch::PATCH_PROPERTIES,
];

/// A resource with its model, policy file and a view's base decided (the
/// module tree decides its module and file): see [`resolve_reusing`].
fn skeleton<'a>(res: &'a Resource, base: Option<&'a Resource>) -> RResource<'a> {
    RResource {
        res,
        base,
        // The crate's module tree decides the final name.
        module: String::new(),
        file: String::new(),
        inception: Inception::default(),
        policy_file: format!(
            "policies/{}/{}/{}",
            res.id.provider, res.id.service, res.id.resource
        ),
        row: None,
        create: None,
        updates: Vec::new(),
        update_structs: Vec::new(),
        patch: None,
        options: Vec::new(),
        method_rows: Vec::new(),
        method_row_of: Vec::new(),
        nested: Vec::new(),
        identifier: Vec::new(),
        methods: Vec::new(),
        typed_updates: Vec::new(),
        views: Vec::new(),
        // Decided when the resource is resolved in full (`resolve_rest`).
        permission_consts: BTreeMap::new(),
        permissions: BTreeMap::new(),
        cloud_control: false,
    }
}

/// Resolves what a [`skeleton`] leaves out: everything else comes from the
/// resource's own page.
/// A view's [`RResource::base`] must be whole.
fn resolve_rest(r: &mut RResource, cloud_control_default: bool, diags: &mut Vec<Diagnostic>) {
    let res = r.res;
    (r.permissions, r.cloud_control) =
        permissions::resolve(res, r.base, cloud_control_default, diags);
    r.permission_consts = permissions::constants(&r.permissions);
    let page = Page::new(res);
    let mut types = structs::Types::new(RESERVED_TYPES);
    let selectable = !res.fields.is_empty() || res.methods.iter().any(|m| m.verb == Verb::Select);
    // The row type is named first; it holds the exact nested type names.
    r.row = selectable.then(|| structs::row(&page, &mut types));
    if r.row.is_none() {
        types.hold_exact_nested(&page);
    }
    let rows = structs::method_rows(&page, &mut types);
    (r.method_rows, r.method_row_of) = (rows.rows, rows.of);
    let layout = structs::insert_layout(&page);
    r.create = structs::create(&page, layout, &mut types);
    let updates = structs::updates(&page, &mut types);
    (r.updates, r.update_structs) = (updates.structs, updates.by_method);
    let creates = structs::per_method_creates(&page, layout, &mut types);
    // `CreateProperties` (the last example's columns) is left out where
    // every INSERT method has a struct of its own.
    let mut inserts = res.methods.iter().filter(|m| m.verb == Verb::Insert);
    let own = |name: &str| creates.by_method.iter().any(|(_, n, _)| n == name);
    if !creates.by_method.is_empty() && inserts.all(|m| own(&m.name)) {
        r.create = None;
    }
    r.updates.extend(creates.structs);
    r.update_structs.extend(creates.by_method);
    r.patch = patch::properties(&page, r.create.as_ref(), &mut types);
    r.options = structs::options(&page, &mut types);
    r.nested = types.into_nested();
    r.identifier = structs::identifier(res);
    (r.methods, r.typed_updates) = method::resolve_all(&page, r, layout, diags);
    r.views = views::resolve(&page, r, diags);
    untyped_rows(r, diags);
}

/// Row types of no field (a table whose page lists no columns: an empty
/// Fields table or tab, read with `SELECT *`) are JSON maps of every column
/// (see the emitter's `row_type`): their rustdoc and an `untyped-rows`
/// warning say so.
fn untyped_rows(r: &mut RResource, diags: &mut Vec<Diagnostic>) {
    let res = r.res;
    let all_rows = r
        .row
        .iter_mut()
        .chain(r.method_rows.iter_mut().map(|(_, s)| s))
        .chain(r.views.iter_mut().map(|v| &mut v.row));
    for row in all_rows.filter(|row| row.fields.is_empty()) {
        row.doc.push_str(
            " The page lists no columns for it: a row is every column the statement returns, \
             by name, as JSON.",
        );
        diags.push(Diagnostic::new(
            &res.source,
            res.line,
            Severity::Warning,
            Kind::UntypedRows,
            format!(
                "expected the Fields table to list the columns of `{}`, found none: its rows are \
                 JSON maps of every column",
                row.name
            ),
        ));
    }
}
