//! The types of a resource module: row type, properties, nested types,
//! `PatchProperties` and the identifier, with their constructors and setters.

use super::{allow_many_arguments, docs};
use crate::ident::ident;
use crate::resolve::{RField, RStruct, Ty};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn ty_tokens(ty: &Ty) -> TokenStream {
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

/// A row type: its struct, or, for a table whose page lists no columns
/// (no fields), an alias of the JSON map of every column.
pub(super) fn row_type(s: &RStruct) -> TokenStream {
    if !s.fields.is_empty() {
        return strukt(s);
    }
    let name = ident(&s.name);
    let doc = docs(&s.doc);
    quote! {
        #doc
        pub type #name = ::serde_json::Map<::std::string::String, ::serde_json::Value>;
    }
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
pub(super) fn strukt(s: &RStruct) -> TokenStream {
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
pub(super) fn builder(s: &RStruct) -> TokenStream {
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
pub(super) fn patch_strukt(s: &RStruct) -> TokenStream {
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

pub(super) fn identifier(parts: &[(String, String)], wire: &str) -> TokenStream {
    if parts.is_empty() {
        return quote!();
    }
    let template = parts
        .iter()
        .map(|(_, p)| format!("<{p}>"))
        .collect::<Vec<_>>()
        .join("|");
    let doc = format!(" The identifier `{template}` (`{wire}`): its parts joined by `|`.");
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
