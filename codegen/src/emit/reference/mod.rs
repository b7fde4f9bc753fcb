//! The emitter the text emitter of `resource` replaced, kept as the test
//! oracle: it builds each resource module as tokens with `quote!`, which
//! `syn` checks and prettyplease formats; the text emitter must produce the
//! same tokens (see `emit::tests`).

mod structs;

use super::doc;
use crate::ident::ident;
use crate::model::{Operation, Verb};
use crate::resolve::{
    Arg, Handler, InsertLayout, ParamValue, RMethod, RResource, RView, Statement,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use structs::{identifier, patch_strukt, row_type, strukt};

/// Clippy's `too_many_arguments` fires above this many parameters.
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// `#[allow(clippy::too_many_arguments)]` for a function of `n` parameters
/// where clippy would fire, else nothing.
fn allow_many_arguments(n: usize) -> Option<TokenStream> {
    (n > CLIPPY_MAX_ARGUMENTS).then(|| quote!(#[allow(clippy::too_many_arguments)]))
}

fn docs(text: &str) -> TokenStream {
    let text = doc::escape(text);
    if text.is_empty() {
        return quote!();
    }
    let text = format!(" {text}");
    quote!(#[doc = #text])
}

/// `#[allow(clippy::module_inception)]` where the resolver says a module is
/// named like the one holding it (`aws.lambda.permissions` has a
/// `permissions` submodule): allowed, the names are the API.
fn allow_inception(inception: bool) -> Option<TokenStream> {
    inception.then(|| quote!(#[allow(clippy::module_inception)]))
}

/// The runtime's `Operation` variant.
fn op_variant(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}", op.as_str())
}

/// The runtime's `Verb` variant (named as the text emitter names it).
fn verb_variant(verb: Verb) -> proc_macro2::Ident {
    format_ident!("{}", super::resource::verb_variant(verb))
}

fn permissions(r: &RResource, normalize: &dyn Fn(&[String]) -> Vec<String>) -> TokenStream {
    if r.permissions.is_empty() {
        return quote!();
    }
    let consts = r.permissions.iter().filter_map(|(op, actions)| {
        let name = format_ident!("{}", r.permission_consts.get(op)?);
        let actions = normalize(actions);
        let doc = format!(" IAM actions the resource handler needs for {op}.");
        Some(quote!(#[doc = #doc] pub const #name: &[&str] = &[#(#actions),*];))
    });
    let inception = allow_inception(r.inception.permissions);
    quote! {
        /// IAM actions per operation, as the page documents them (deduplicated
        /// case-insensitively, sorted).
        #inception
        pub mod permissions { #(#consts)* }
    }
}

fn method_static(m: &RMethod, normalize: &dyn Fn(&[String]) -> Vec<String>) -> TokenStream {
    let name = format_ident!("{}", m.static_name);
    let wire = &m.method.name;
    let verb = verb_variant(m.method.verb);
    let ops = m.operations.iter().map(op_variant);
    let handler = match &m.handler {
        Handler::None => quote!(&[]),
        Handler::Const(c) => {
            let c = format_ident!("{}", c);
            quote!(super::permissions::#c)
        }
        Handler::Inline => {
            let actions = normalize(&m.actions);
            quote!(&[#(#actions),*])
        }
    };
    let cc = m.cloud_control;
    let doc = format!(" `{wire}` ({}).", m.method.verb);
    quote! {
        #[doc = #doc]
        pub static #name: rt::Method = rt::Method {
            resource: super::ID,
            name: #wire,
            verb: rt::Verb::#verb,
            operations: &[#(rt::Operation::#ops),*],
            handler_actions: #handler,
            cloud_control: #cc,
        };
    }
}

/// Where a method function is rendered: in the resource's module, or in a
/// view's submodule (items of the resource module under `super::`, the
/// statement selecting `FROM` the view).
#[derive(Clone, Copy)]
struct Place<'a> {
    /// The row type of the table selected from.
    row: &'a str,
    /// The view, when rendered in its submodule.
    view: Option<&'a RView>,
}

impl Place<'_> {
    /// The path prefix of the resource module's items.
    fn up(&self) -> TokenStream {
        match self.view {
            Some(_) => quote!(super::),
            None => quote!(),
        }
    }
}

/// The method's rustdoc: the page's description, then what it does (the
/// text emitter's summary and note, `///` lines holding a leading space).
fn method_docs(r: &RResource, m: &RMethod, place: Place) -> Vec<TokenStream> {
    let mut lines = vec![];
    if !m.method.description.trim().is_empty() {
        lines.push(docs(&m.method.description));
        lines.push(quote!(#[doc = ""]));
    }
    let summary = format!(" {}", super::resource::method_summary(r, m, place.view));
    lines.push(quote!(#[doc = #summary]));
    let params = super::resource::param_docs(r, m);
    if !params.is_empty() {
        lines.push(quote!(#[doc = ""]));
        for p in params {
            let p = format!(" {p}");
            lines.push(quote!(#[doc = #p]));
        }
    }
    if let Some(note) = super::resource::method_note(r, m) {
        let note = format!(" {note}");
        lines.push(quote!(#[doc = ""] #[doc = #note]));
    }
    lines
}

fn arg(a: &Arg, up: &TokenStream) -> TokenStream {
    match a {
        Arg::Param { ident: i, .. } => {
            let n = ident(i);
            quote!(#n: &str)
        }
        Arg::BodyField { ident: i, .. } => {
            let n = ident(i);
            quote!(#n: impl ::std::convert::Into<::serde_json::Value>)
        }
        Arg::Identifier { .. } => quote!(identifier: &#up Identifier),
        Arg::Patch => quote!(patch: &[rt::PatchOperation]),
        Arg::Properties(t) => {
            let t = ident(t);
            quote!(properties: &#up #t)
        }
        Arg::PropertiesMap => {
            quote!(properties: &::serde_json::Map<::std::string::String, ::serde_json::Value>)
        }
    }
}

fn layout(l: &InsertLayout) -> TokenStream {
    if *l == InsertLayout::default() {
        return quote!(rt::InsertLayout::default());
    }
    let (pf, prefix) = (l.params_first, l.body_prefix);
    quote!(rt::InsertLayout { params_first: #pf, body_prefix: #prefix })
}

fn method_fn(r: &RResource, m: &RMethod, place: Place) -> TokenStream {
    let name = ident(&m.ident);
    let up = place.up();
    let stat = format_ident!("{}", m.static_name);
    let stat = quote!(#up methods::#stat);
    let doc_lines = method_docs(r, m, place);
    let sig = m.args.iter().map(|a| arg(a, &up));
    let params = m.params.iter().map(|p| {
        let wire = &p.wire;
        match &p.value {
            ParamValue::Arg(i) => {
                let n = ident(i);
                quote!((#wire, #n))
            }
            ParamValue::Identifier => quote!((#wire, &identifier.to_string())),
        }
    });
    let params = quote!(&[#(#params),*]);
    let (ret, body) = match &m.statement {
        Statement::Select { columns } => {
            let row = ident(m.row.as_deref().unwrap_or(place.row));
            let body = match place.view {
                Some(_) => quote!(rt::Select::from_view(&#stat, TABLE, &[#(#columns),*], #params)),
                None => quote!(rt::Select::new(&#stat, &[#(#columns),*], #params)),
            };
            (quote!(rt::Select<#row>), body)
        }
        Statement::Insert {
            properties,
            layout: l,
        } => {
            let props = if *properties {
                quote!(properties)
            } else {
                quote!(&::serde_json::Map::new())
            };
            let l = layout(l);
            (
                quote!(rt::Insert),
                quote!(rt::Insert::new(&#stat, #props, #params, #l)),
            )
        }
        Statement::UpdatePatch | Statement::UpdatePatchProperties => {
            let patch = if m.statement == Statement::UpdatePatch {
                quote!(patch)
            } else {
                quote!(&rt::PatchRecord::to_patch(properties))
            };
            let call = match m.patch_column() {
                None => quote!(rt::Update::patch(&#stat, #patch, #params)),
                Some(column) => quote!(rt::Update::patch_column(&#stat, #column, #patch, #params)),
            };
            (quote!(rt::Update), call)
        }
        Statement::Update {
            body_prefix: "", ..
        } => (
            quote!(rt::Update),
            quote!(rt::Update::new(&#stat, properties, #params)),
        ),
        Statement::Update {
            body_prefix,
            required,
        } => (
            quote!(rt::Update),
            quote!(rt::Update::with_body_prefix(&#stat, properties, #params, #body_prefix, &[#(#required),*])),
        ),
        Statement::Delete => (quote!(rt::Delete), quote!(rt::Delete::new(&#stat, #params))),
        Statement::Exec => {
            let fields: Vec<TokenStream> = m
                .body_fields()
                .map(|(i, wire)| {
                    let n = ident(i);
                    quote!((#wire, #n.into()))
                })
                .collect();
            let body = match fields.is_empty() {
                true => quote!(rt::Exec::new(&#stat, #params)),
                false => quote!(rt::Exec::with_body(&#stat, #params, &[#(#fields),*])),
            };
            (quote!(rt::Exec), body)
        }
    };
    let allow = allow_many_arguments(m.args.len());
    quote! {
        #(#doc_lines)*
        #allow
        pub fn #name(#(#sig),*) -> #ret { #body }
    }
}

/// The module's tokens.
pub fn tokens(r: &RResource, normalize: &dyn Fn(&[String]) -> Vec<String>) -> TokenStream {
    let id = r.res.id.to_string();
    let mut head = format!(" `{id}`");
    if let Some(d) = r.res.description.as_deref().filter(|d| !d.is_empty()) {
        head.push_str(": ");
        head.push_str(&doc::escape(d));
    }
    let mut mod_doc = vec![head];
    if let Some(s) = &r.res.summary {
        mod_doc.push(String::new());
        mod_doc.push(format!(" {}", doc::escape(s)));
    }
    mod_doc.push(String::new());
    mod_doc.push(format!(
        " Generated from {}.",
        doc::escape(&format!("`{}`", r.res.source))
    ));
    let row = r.row.as_ref().map(row_type);
    let method_rows = r.method_rows.iter().map(|(_, s)| row_type(s));
    let create = r.create.as_ref().map(strukt);
    let updates = r.updates.iter().map(|(_, s)| strukt(s));
    let patch = r.patch.as_ref().map(patch_strukt);
    let nested = r.nested.iter().map(strukt);
    let identifier = identifier(&r.identifier, r.identifier_wire());
    let perms = permissions(r, normalize);
    let statics = r.methods.iter().map(|m| method_static(m, normalize));
    let own = Place {
        row: r.row.as_ref().map_or("", |row| &row.name),
        view: None,
    };
    // Each typed update right after its raw form.
    let fns = r.own_functions().flat_map(|m| {
        let typed = r
            .typed_updates
            .iter()
            .filter(|t| t.static_name == m.static_name);
        std::iter::once(m)
            .chain(typed)
            .map(|m| method_fn(r, m, own))
    });
    let views = r.views.iter().map(|v| view(r, v));
    let inception = allow_inception(r.inception.methods);
    let methods_mod = (!r.methods.is_empty()).then(|| {
        quote! {
            /// What each method calls: verb, IAM operations and actions.
            #inception
            pub mod methods {
                use super::rt;
                #(#statics)*
            }
        }
    });
    let id_doc = format!(" The resource id, `{id}`.");
    let runtime = r
        .uses_runtime()
        .then(|| quote! { use ::stackql_runtime as rt; });
    quote! {
        #(#![doc = #mod_doc])*
        #runtime
        #[doc = #id_doc]
        pub const ID: &str = #id;
        #row
        #(#method_rows)*
        #create
        #(#updates)*
        #patch
        #(#nested)*
        #identifier
        #perms
        #methods_mod
        #(#fns)*
        #(#views)*
    }
}

/// A view's submodule: its table, row type and SELECT functions.
fn view(r: &RResource, v: &RView) -> TokenStream {
    let module = ident(&v.module);
    let doc = format!(
        " The view `{}` over `{}`: a table of its own, with its own columns.",
        v.table, r.res.id
    );
    let table = &v.table;
    let table_doc = format!(" The view's table, `{table}`.");
    let row = row_type(&v.row);
    let place = Place {
        row: &v.row.name,
        view: Some(v),
    };
    let fns = v.methods.iter().map(|m| method_fn(r, m, place));
    quote! {
        #[doc = #doc]
        pub mod #module {
            use super::rt;
            #[doc = #table_doc]
            pub const TABLE: &str = #table;
            #row
            #(#fns)*
        }
    }
}
