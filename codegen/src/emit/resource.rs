//! One resource module: row type, properties, identifier, permissions,
//! method metadata and one function per documented method.

use super::doc;
use crate::ident::ident;
use crate::model::{Operation, Verb};
use crate::resolve::{
    Arg, Handler, InsertLayout, ParamValue, RField, RMethod, RResource, RStruct, RView, Statement,
    Ty,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

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

fn ty_tokens(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(::std::string::String),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Bool => quote!(bool),
        Ty::Json => quote!(::serde_json::Value),
        Ty::Vec(inner) => {
            let inner = ty_tokens(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Named(n) => {
            let n = ident(n);
            quote!(#n)
        }
    }
}

fn field(f: &RField) -> TokenStream {
    let ty = ty_tokens(&f.ty);
    if f.optional {
        field_of(f, quote!(::std::option::Option<#ty>))
    } else {
        field_of(f, ty)
    }
}

/// The field `f` of type `ty`, documented from the page (else its wire name).
fn field_of(f: &RField, ty: TokenStream) -> TokenStream {
    let name = ident(&f.ident);
    let doc = if f.doc.trim().is_empty() {
        docs(&format!("`{}`", f.wire))
    } else {
        docs(&f.doc)
    };
    quote! { #doc pub #name: #ty, }
}

/// A setter's rustdoc: `what` it does to the field (given the field as
/// `` `name` ``, or `` `name` (`Wire`) `` where the names differ), then the
/// field's description.
fn setter_docs(f: &RField, what: impl Fn(&str) -> String) -> TokenStream {
    let name = crate::ident::unraw(&f.ident);
    let of = if name == f.wire {
        format!("`{name}`")
    } else {
        format!("`{name}` (`{}`)", f.wire)
    };
    let head = docs(&what(&of));
    let body = (!f.doc.trim().is_empty()).then(|| {
        let d = docs(&f.doc);
        quote!(#[doc = ""] #d)
    });
    quote!(#head #body)
}

/// The struct with its constructor and setters (see [`builder`]), its
/// `rt::Record` impl (a line per field, keyed by the wire name) and serde
/// impls delegating to the runtime: about a quarter of the `cargo check`
/// time of derived serde impls (aws/ec2: 5.7 s vs 21 s).
///
/// Every struct is `#[non_exhaustive]`: a page that adds a property adds a
/// field, and a user's struct literal would stop compiling; outside the
/// crate a value is built with `new` and the setters, so added fields are a
/// minor release (see `docs/semver.md`).
fn strukt(s: &RStruct) -> TokenStream {
    let name = ident(&s.name);
    let doc = docs(&s.doc);
    let fields = s.fields.iter().map(field);
    let default = s.default.then(|| quote!(Default,));
    let writes = s.fields.iter().map(|f| {
        let n = ident(&f.ident);
        let wire = &f.wire;
        if f.optional {
            quote!(out.opt(#wire, &self.#n);)
        } else {
            quote!(out.put(#wire, &self.#n);)
        }
    });
    let reads = s.fields.iter().map(|f| {
        let n = ident(&f.ident);
        let wire = &f.wire;
        quote!(#n: fields.take(#wire)?,)
    });
    let (out, fields_arg) = if s.fields.is_empty() {
        (quote!(_out), quote!(_fields))
    } else {
        (quote!(out), quote!(fields))
    };
    let builder = builder(s);
    quote! {
        #doc
        #[derive(Debug, Clone, #default PartialEq)]
        #[non_exhaustive]
        pub struct #name { #(#fields)* }
        #builder
        impl rt::Record for #name {
            fn write_fields(&self, #out: &mut rt::FieldWriter) { #(#writes)* }
            fn read_fields(#fields_arg: &mut rt::FieldReader) -> rt::ReadResult<Self> {
                rt::ReadResult::Ok(#name { #(#reads)* })
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> rt::SerResult<S> {
                rt::serialize_record(self, s)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> rt::DeResult<'de, D, Self> {
                rt::deserialize_record(d)
            }
        }
    }
}

/// `impl Into<T>`: what a constructor or setter takes for a `T`, so that
/// `"text"` is accepted for a `String`, an array for a `Vec` and a number
/// or string for a `serde_json::Value`.
fn into_ty(ty: &Ty) -> TokenStream {
    let t = ty_tokens(ty);
    quote!(impl ::std::convert::Into<#t>)
}

/// `new` taking the required values in field order (the compiler enforces
/// them; every optional field starts as `None`) and a `with_<field>` setter
/// per optional field, documented from the field.
fn builder(s: &RStruct) -> TokenStream {
    let name = ident(&s.name);
    let required: Vec<&RField> = s.fields.iter().filter(|f| !f.optional).collect();
    let allow = allow_many_arguments(required.len());
    let args = required.iter().map(|f| {
        let n = ident(&f.ident);
        let t = into_ty(&f.ty);
        quote!(#n: #t)
    });
    let inits = s.fields.iter().map(|f| {
        let n = ident(&f.ident);
        if f.optional {
            quote!(#n: ::std::option::Option::None,)
        } else {
            quote!(#n: #n.into(),)
        }
    });
    let new_doc = if required.is_empty() {
        format!(
            " An empty `{}`: every field `None`, as `Default::default()` makes it; set \
             fields with the `with_*` setters.",
            s.name
        )
    } else {
        format!(
            " Builds `{}` from its required values, in field order; the optional fields \
             start as `None` (set them with the `with_*` setters).",
            s.name
        )
    };
    let setters = s.fields.iter().filter(|f| f.optional).map(|f| {
        let setter = ident(&f.setter());
        let n = ident(&f.ident);
        let t = into_ty(&f.ty);
        let doc = setter_docs(f, |of| format!("Sets {of} to `Some(value)`."));
        quote! {
            #doc
            #[must_use]
            pub fn #setter(mut self, value: #t) -> Self {
                self.#n = ::std::option::Option::Some(value.into());
                self
            }
        }
    });
    quote! {
        impl #name {
            #[doc = #new_doc]
            #allow
            pub fn new(#(#args),*) -> Self {
                #name { #(#inits)* }
            }
            #(#setters)*
        }
    }
}

/// `PatchProperties`: an `Option<rt::Change<T>>` per updatable property
/// (`None`: unchanged), `new` (nothing changed), a `with_<field>` setter
/// (replace) and a `remove_<field>` setter per field, and the
/// `rt::PatchRecord` impl that turns the set fields into the JSON Patch
/// document, a line per field keyed by the wire name.
fn patch_strukt(s: &RStruct) -> TokenStream {
    let name = ident(&s.name);
    let doc = docs(&s.doc);
    let fields = s.fields.iter().map(|f| {
        let t = ty_tokens(&f.ty);
        field_of(f, quote!(::std::option::Option<rt::Change<#t>>))
    });
    let setters = s.fields.iter().map(|f| {
        let (with, remove) = (ident(&f.setter()), ident(&f.remover()));
        let n = ident(&f.ident);
        let t = into_ty(&f.ty);
        let wire = &f.wire;
        let with_doc = setter_docs(f, |of| {
            format!("Replaces {of} with `value`: a `replace` of `/{wire}` in the patch.")
        });
        let remove_doc = docs(&format!(
            "Removes `{}` from the resource: a `remove` of `/{wire}` in the patch.",
            crate::ident::unraw(&f.ident)
        ));
        quote! {
            #with_doc
            #[must_use]
            pub fn #with(mut self, value: #t) -> Self {
                self.#n = ::std::option::Option::Some(rt::Change::Replace(value.into()));
                self
            }
            #remove_doc
            #[must_use]
            pub fn #remove(mut self) -> Self {
                self.#n = ::std::option::Option::Some(rt::Change::Remove);
                self
            }
        }
    });
    let writes = s.fields.iter().map(|f| {
        let n = ident(&f.ident);
        let wire = &f.wire;
        quote!(out.field(#wire, &self.#n);)
    });
    let new_doc = format!(
        " An empty `{}`: nothing changed, as `Default::default()` makes it; choose \
         changes with the `with_*` and `remove_*` setters.",
        s.name
    );
    quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name { #(#fields)* }
        impl #name {
            #[doc = #new_doc]
            pub fn new() -> Self {
                ::std::default::Default::default()
            }
            #(#setters)*
        }
        impl rt::PatchRecord for #name {
            fn write_patch(&self, out: &mut rt::PatchWriter) { #(#writes)* }
        }
    }
}

fn identifier(parts: &[(String, String)]) -> TokenStream {
    if parts.is_empty() {
        return quote!();
    }
    let template = parts
        .iter()
        .map(|(_, p)| format!("<{p}>"))
        .collect::<Vec<_>>()
        .join("|");
    let doc =
        format!(" The identifier `{template}` (`data__Identifier`): its parts joined by `|`.");
    let names: Vec<_> = parts.iter().map(|(i, _)| ident(i)).collect();
    let fields = parts.iter().map(|(i, p)| {
        let n = ident(i);
        let d = format!(" The `{p}` part.");
        quote!(#[doc = #d] pub #n: ::std::string::String,)
    });
    let fmt = vec!["{}"; parts.len()].join("|");
    let allow = allow_many_arguments(parts.len());
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub struct Identifier { #(#fields)* }
        impl Identifier {
            /// Builds the identifier from its parts, in order.
            #allow
            pub fn new(#(#names: impl ::std::convert::Into<::std::string::String>),*) -> Self {
                Identifier { #(#names: #names.into()),* }
            }
        }
        impl ::std::fmt::Display for Identifier {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, #fmt, #(self.#names),*)
            }
        }
    }
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

/// The runtime's `Verb` variant.
fn verb_variant(verb: Verb) -> proc_macro2::Ident {
    format_ident!(
        "{}",
        match verb {
            Verb::Select => "Select",
            Verb::Insert => "Insert",
            Verb::Update => "Update",
            Verb::Replace => "Replace",
            Verb::Delete => "Delete",
            Verb::Exec => "Exec",
        }
    )
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

/// The method's rustdoc: the page's description, then what it does.
fn method_docs(r: &RResource, m: &RMethod, place: Place) -> Vec<TokenStream> {
    let mut lines = vec![];
    if !m.method.description.trim().is_empty() {
        lines.push(docs(&m.method.description));
        lines.push(quote!(#[doc = ""]));
    }
    let params = m
        .method
        .required_params
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let of = match place.view {
        Some(v) => format!("the view `{}` over `{}`", v.table, r.res.id),
        None => format!("`{}`", r.res.id),
    };
    let summary = format!(
        " `{}` of {of} (`{}`); required params: {}.",
        m.method.verb,
        m.method.name,
        if params.is_empty() {
            "none".into()
        } else {
            params
        }
    );
    lines.push(quote!(#[doc = #summary]));
    let typed = r
        .typed_updates
        .iter()
        .find(|t| t.static_name == m.static_name);
    let raw = r.methods.iter().find(|t| t.static_name == m.static_name);
    let note = match (&m.statement, typed, raw) {
        (Statement::UpdatePatch, Some(t), _) => Some(format!(
            " `patch` is the JSON Patch document as raw operations, whose paths the compiler \
             does not check: [`{}`] builds it from a typed `PatchProperties`.",
            crate::ident::unraw(&t.ident)
        )),
        (Statement::UpdatePatchProperties, _, Some(raw)) => Some(format!(
            " The typed form of [`{}`]: the fields set in `properties` become the JSON Patch \
             document (`data__PatchDocument`), in field order.",
            crate::ident::unraw(&raw.ident)
        )),
        _ => None,
    };
    if let Some(note) = note {
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
        Arg::Identifier => quote!(identifier: &#up Identifier),
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
            let row = ident(place.row);
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
        Statement::UpdatePatch => (
            quote!(rt::Update),
            quote!(rt::Update::patch(&#stat, patch, #params)),
        ),
        Statement::UpdatePatchProperties => (
            quote!(rt::Update),
            quote!(rt::Update::patch(&#stat, &rt::PatchRecord::to_patch(properties), #params)),
        ),
        Statement::Update => (
            quote!(rt::Update),
            quote!(rt::Update::new(&#stat, properties, #params)),
        ),
        Statement::Delete => (quote!(rt::Delete), quote!(rt::Delete::new(&#stat, #params))),
        Statement::Exec => (quote!(rt::Exec), quote!(rt::Exec::new(&#stat, #params))),
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
    let row = r.row.as_ref().map(strukt);
    let create = r.create.as_ref().map(strukt);
    let updates = r.updates.iter().map(|(_, s)| strukt(s));
    let patch = r.patch.as_ref().map(patch_strukt);
    let nested = r.nested.iter().map(strukt);
    let identifier = identifier(&r.identifier);
    let perms = permissions(r, normalize);
    let statics = r.methods.iter().map(|m| method_static(m, normalize));
    let own = Place {
        row: r.row.as_ref().map_or("", |row| &row.name),
        view: None,
    };
    // Each typed update right after its raw form.
    let fns = r.methods.iter().flat_map(|m| {
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
    quote! {
        #(#![doc = #mod_doc])*
        use ::stackql_runtime as rt;
        #[doc = #id_doc]
        pub const ID: &str = #id;
        #row
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
    let row = strukt(&v.row);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn field(ident: &str, wire: &str, ty: Ty, optional: bool, doc: &str) -> RField {
        RField {
            ident: ident.into(),
            wire: wire.into(),
            ty,
            optional,
            doc: doc.into(),
        }
    }

    /// An optional, undocumented `tags: Vec<Tag>` field.
    fn tags() -> RField {
        field(
            "tags",
            "Tags",
            Ty::Vec(Box::new(Ty::Named("Tag".into()))),
            true,
            "",
        )
    }

    /// The struct, parsed back: its attributes and its methods' signatures.
    fn rendered(s: &RStruct) -> (String, Vec<String>) {
        let (attrs, methods, _) = parsed(strukt(s));
        (attrs, methods)
    }

    /// A rendered struct, parsed back: its attributes, its methods'
    /// signatures and its fields' types (spaces removed).
    fn parsed(tokens: TokenStream) -> (String, Vec<String>, Vec<String>) {
        let file: syn::File = syn::parse2(tokens).expect("the struct parses");
        let mut attrs = String::new();
        let mut methods = Vec::new();
        let mut tys = Vec::new();
        for item in file.items {
            match item {
                syn::Item::Struct(st) => {
                    attrs = st.attrs.iter().map(|a| quote!(#a).to_string()).collect();
                    for f in &st.fields {
                        let t = &f.ty;
                        tys.push(quote!(#t).to_string().replace(' ', ""));
                    }
                }
                syn::Item::Impl(im) if im.trait_.is_none() => {
                    for i in im.items {
                        if let syn::ImplItem::Fn(f) = i {
                            let (vis, sig) = (&f.vis, &f.sig);
                            methods.push(quote!(#vis #sig).to_string().replace(' ', ""));
                        }
                    }
                }
                _ => {}
            }
        }
        (attrs, methods, tys)
    }

    #[test]
    fn structs_are_non_exhaustive_with_new_and_a_setter_per_optional_field() {
        let s = RStruct {
            name: "CreateProperties".into(),
            doc: "Properties.".into(),
            fields: vec![
                field("name", "Name", Ty::String, false, "The name."),
                field("r#type", "Type", Ty::String, true, "The type."),
                tags(),
                field("size", "Size", Ty::I64, false, ""),
            ],
            default: false,
        };
        let (attrs, methods) = rendered(&s);
        assert!(attrs.contains("non_exhaustive"), "{attrs}");
        assert!(!attrs.contains("Default"), "{attrs}");
        assert_eq!(
            methods,
            [
                "pubfnnew(name:impl::std::convert::Into<::std::string::String>,size:impl::std::convert::Into<i64>)->Self",
                "pubfnwith_type(mutself,value:impl::std::convert::Into<::std::string::String>)->Self",
                "pubfnwith_tags(mutself,value:impl::std::convert::Into<::std::vec::Vec<Tag>>)->Self",
            ]
        );
        let text = strukt(&s).to_string();
        assert!(
            text.contains("Sets `type` (`Type`) to `Some(value)`."),
            "{text}"
        );
        assert!(text.contains(" The type."), "{text}");
    }

    #[test]
    fn patch_structs_replace_or_remove_each_field_by_wire_name() {
        let s = RStruct {
            name: "PatchProperties".into(),
            doc: "Changes.".into(),
            fields: vec![
                field("r#type", "Type", Ty::String, true, "The type."),
                tags(),
            ],
            default: true,
        };
        let tokens = patch_strukt(&s);
        let (attrs, methods, tys) = parsed(tokens.clone());
        assert_eq!(
            tys,
            [
                "::std::option::Option<rt::Change<::std::string::String>>",
                "::std::option::Option<rt::Change<::std::vec::Vec<Tag>>>",
            ]
        );
        assert!(
            attrs.contains("non_exhaustive") && attrs.contains("Default"),
            "{attrs}"
        );
        assert_eq!(
            methods,
            [
                "pubfnnew()->Self",
                "pubfnwith_type(mutself,value:impl::std::convert::Into<::std::string::String>)->Self",
                "pubfnremove_type(mutself)->Self",
                "pubfnwith_tags(mutself,value:impl::std::convert::Into<::std::vec::Vec<Tag>>)->Self",
                "pubfnremove_tags(mutself)->Self",
            ]
        );
        let text = tokens.to_string().replace(' ', "");
        assert!(
            text.contains("out.field(\"Type\",&self.r#type);out.field(\"Tags\",&self.tags);"),
            "{text}"
        );
    }

    #[test]
    fn all_optional_structs_keep_default_and_take_nothing_in_new() {
        let s = RStruct {
            name: "Tag".into(),
            doc: String::new(),
            fields: vec![field("key", "Key", Ty::String, true, "")],
            default: true,
        };
        let (attrs, methods) = rendered(&s);
        assert!(
            attrs.contains("Default") && attrs.contains("non_exhaustive"),
            "{attrs}"
        );
        assert_eq!(methods[0], "pubfnnew()->Self");
        assert_eq!(methods.len(), 2);
    }
}
