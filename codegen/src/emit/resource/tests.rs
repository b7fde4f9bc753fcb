use super::*;
use crate::resolve::{RField, RStruct, Ty};

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

/// The text of one struct written by `write`.
fn text<'a>(write: impl Fn(&mut Out<'a>)) -> String {
    let mut out = Out::new(String::new(), 0);
    write(&mut out);
    out.text
}

/// The struct, parsed back: its attributes and its methods' signatures.
fn rendered(s: &RStruct) -> (String, Vec<String>) {
    let (attrs, methods, _) = parsed(&text(|o| strukt(o, s)));
    (attrs, methods)
}

/// A rendered struct, parsed back: its attributes, its methods'
/// signatures and its fields' types (spaces removed).
fn parsed(text: &str) -> (String, Vec<String>, Vec<String>) {
    use quote::{quote, ToTokens};
    let file = syn::parse_file(text).expect("the struct parses");
    let mut attrs = String::new();
    let mut methods = Vec::new();
    let mut tys = Vec::new();
    for item in file.items {
        match item {
            syn::Item::Struct(st) => {
                attrs = st
                    .attrs
                    .iter()
                    .map(|a| a.to_token_stream().to_string())
                    .collect();
                for f in &st.fields {
                    tys.push(f.ty.to_token_stream().to_string().replace(' ', ""));
                }
            }
            syn::Item::Impl(im) if im.trait_.is_none() => {
                for i in im.items {
                    if let syn::ImplItem::Fn(f) = i {
                        let (vis, sig) = (&f.vis, &f.sig);
                        let sig = quote!(#vis #sig).to_string().replace(' ', "");
                        methods.push(sig.replace(",)", ")"));
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
    let text = text(|o| strukt(o, &s));
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
    let written = text(|o| patch_strukt(o, &s));
    let (attrs, methods, tys) = parsed(&written);
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
    assert!(
        written.contains(
            "        out.field(\"Type\", &self.r#type);\n        out.field(\"Tags\", &self.tags);\n"
        ),
        "{written}"
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

#[test]
fn names_from_the_page_cannot_end_a_comment_line() {
    let hostile = "X\ncompile_error!(\"boom\");\r\u{2028}fn f() {}";
    let written = text(|o| {
        o.comment(0, "//!", hostile);
        o.comment(0, "///", hostile);
        identifier(o, &[("a".into(), hostile.into())], hostile);
    });
    let file = syn::parse_file(&written).expect("still valid Rust");
    // The struct, its `new` and its `Display`: the hostile text added nothing.
    assert_eq!(file.items.len(), 3, "{written}");
    assert!(
        file.items
            .iter()
            .all(|i| !matches!(i, syn::Item::Macro(_) | syn::Item::Fn(_))),
        "{written}"
    );
    assert!(written.contains("/// The `X compile_error!(\"boom\");  fn f() {}` part."));
}

#[test]
fn string_literals_are_escaped_as_proc_macro2_escapes_them() {
    for s in [
        "",
        "Plain ASCII: ids, names and actions ~!@#$%^&*()_+{}|:<>?`-=[];',./",
        "quote \" and backslash \\",
        "tab\tnewline\ncr\rnul\0 then a digit \u{0}7 del\u{7f}",
        "é漢\u{2028}\u{85}\u{200b}\u{feff}",
        "*/ /* {} {{}} '\\''",
    ] {
        assert_eq!(lit(s), proc_macro2::Literal::string(s).to_string(), "{s:?}");
    }
}

#[test]
fn record_lines_written_directly_are_the_laid_out_ones() {
    use super::structs::{write_field_laid_out, write_field_line};
    let mut direct = 0;
    for base in [0, 4] {
        for method in ["put", "opt", "field"] {
            for n in 1..70 {
                let ident = "i".repeat(n);
                for wire in [
                    lit(&"W".repeat(n / 2 + 1)),
                    lit("é\"漢"),
                    lit(&"w".repeat(90)),
                ] {
                    let mut fast = Out::new(String::new(), base);
                    let mut laid_out = Out::new(String::new(), base);
                    write_field_laid_out(&mut laid_out, method, &wire, &ident);
                    if write_field_line(&mut fast, method, &wire, &ident) {
                        direct += 1;
                        assert_eq!(fast.text, laid_out.text);
                    } else {
                        // Not one line: the rules break it.
                        assert!(fast.text.is_empty());
                        assert!(laid_out.text.trim_end().contains('\n'), "{}", laid_out.text);
                    }
                }
            }
        }
    }
    assert!(direct > 100, "{direct}");
}

#[test]
fn fields_and_setters_written_directly_are_the_laid_out_ones() {
    // In test builds `strukt` and `patch_strukt` check every field line,
    // setter signature and assignment they write directly against the
    // layout rules; these structs drive both ways, names of every length
    // around the line's end, at several indents.
    let tys = [
        Ty::String,
        Ty::Json,
        Ty::Vec(Box::new(Ty::Vec(Box::new(Ty::Named("Tag".into()))))),
        Ty::Named("Ré漢".repeat(8)),
        Ty::Named("T".repeat(80)),
    ];
    let (mut one_line, mut broken) = (0, 0);
    for base in [0, 4, 8] {
        for n in 1..100 {
            for (i, t) in tys.iter().enumerate() {
                let ident = if i == 1 {
                    format!("r#{}", "t".repeat(n))
                } else {
                    "i".repeat(n)
                };
                // Wire names of every length too (the `read_fields` lines).
                let wire = "w".repeat(n);
                let s = RStruct {
                    // Names of every length (the `read_fields` literal
                    // overflows its call or not).
                    name: "S".repeat(n),
                    doc: String::new(),
                    fields: vec![
                        field(&ident, "W", t.clone(), true, ""),
                        field("x", "X", t.clone(), false, "The x."),
                        field("y", &wire, t.clone(), false, ""),
                    ],
                    default: false,
                };
                let mut out = Out::new(String::new(), base);
                strukt(&mut out, &s);
                patch_strukt(&mut out, &s);
                let setter = format!("pub fn with_{}(mut self, value:", &ident.replace("r#", ""));
                if out.text.contains(&setter) {
                    one_line += 1;
                } else {
                    broken += 1;
                }
            }
        }
    }
    assert!(one_line > 20 && broken > 100, "{one_line} {broken}");
}

#[test]
fn permission_arrays_written_directly_are_the_laid_out_ones() {
    // Items of every width around the limits (short items, `array_width`,
    // the line's end), one to four of them, at two indents: where the
    // direct writer writes, it writes what the layout rules give.
    let (mut direct, mut laid_out) = (0, 0);
    let names = (60..80).flat_map(|l| [(0, "C".repeat(l)), (4, "C".repeat(l))]);
    for (base, name) in names.chain([(0, "CREATE".to_string())]) {
        let prefix = format!("pub const {name}:");
        for n in 1..5 {
            for w in 1..100 {
                let actions: Vec<String> = (0..n)
                    .map(|i| format!("{}:{}", "s".repeat(1 + i), "A".repeat(w)))
                    .collect();
                let items: Vec<String> = actions.iter().map(|a| lit(a)).collect();
                let mut out = Out::new(String::new(), base);
                if const_array_lines(&mut out, &prefix, &items) {
                    direct += 1;
                    let mut expected = Out::new(String::new(), base);
                    item_assign(&mut expected, 4, &prefix, "&[&str]", &str_array(&actions));
                    assert_eq!(out.text, expected.text, "{actions:?} at {base}");
                } else {
                    laid_out += 1;
                }
            }
        }
    }
    assert!(direct > 100 && laid_out > 100, "{direct} {laid_out}");
}

#[test]
fn method_statics_written_directly_are_the_laid_out_ones() {
    // Static names and method names of every length around the line's end,
    // no to three operations, each handler: where the direct writer
    // writes, it writes what the layout rules give (`method_static`
    // checks that in test builds); both ways are taken.
    use crate::model::{Method, Operation, Verb};
    use crate::resolve::{Handler, RMethod, Statement};
    let ops = [Operation::Create, Operation::Read, Operation::Update];
    let handlers = [
        Handler::None,
        Handler::Const("CREATE".into()),
        Handler::Const("C".repeat(60)),
        Handler::Inline,
    ];
    let (mut direct, mut laid_out) = (0, 0);
    for base in [0, 4] {
        for n in 1..100 {
            for (k, handler) in handlers.iter().enumerate() {
                let m = RMethod {
                    ident: "m".into(),
                    static_name: "S".repeat(n),
                    method: Method {
                        name: "m".repeat(100 - n),
                        verb: Verb::Select,
                        required_params: vec![],
                        optional_params: vec![],
                        returns: None,
                        resource: None,
                        description: String::new(),
                        line: 1,
                    },
                    args: vec![],
                    params: vec![],
                    statement: Statement::Select { columns: vec![] },
                    operations: ops[..k].to_vec(),
                    actions: vec!["s3:GetObject".into(), "s3:PutObject".into()],
                    handler: handler.clone(),
                    cloud_control: k % 2 == 0,
                    row: None,
                    body: false,
                };
                let mut out = Out::new(String::new(), base);
                method_static(&mut out, &m, &|a| a.to_vec());
                if out.text.contains(": rt::Method = rt::Method {\n") {
                    direct += 1;
                } else {
                    laid_out += 1;
                }
            }
        }
    }
    assert!(direct > 100 && laid_out > 100, "{direct} {laid_out}");
}

#[test]
fn page_docs_written_again_are_what_doc_writes() {
    let texts = [
        "The name of the bucket.",
        "",
        "   ",
        "A [link](https://example.com) and <b>tags</b> & http://x.io",
        "Ends the comment */ and\nstarts a line\r\nfn x() {}",
        "`code  span` and  two spaces\u{2028}é",
        "The name of the bucket.",
    ];
    for base in [0, 4] {
        let mut memo = Out::new(String::new(), base);
        let mut each = Out::new(String::new(), base);
        for round in 0..3 {
            for (i, t) in texts.iter().enumerate() {
                let indent = (i + round) % 3 * 4;
                memo.page_doc(indent, t);
                each.doc(indent, t);
            }
        }
        assert_eq!(memo.text, each.text, "at {base}");
    }
}

#[test]
fn a_param_listed_twice_is_described_by_the_row_of_its_use() {
    // Azure's `If-Match`: required by `update` (first row), optional for
    // `create` (the later row, in the optional group).
    let page = "## Overview\n<table><tbody>\n<tr><td><b>Name</b></td><td><code>w</code></td></tr>\n<tr><td><b>Id</b></td><td><CopyableCode code=\"p.s.w\" /></td></tr>\n</tbody></table>\n\n## Methods\n| Name | Accessible by | Required Params | Optional Params | Description |\n|:--|:--|:--|:--|:--|\n| `update` | `exec` | `id`, `If-Match` | | Updates. |\n| `create` | `exec` | `id` | `If-Match` | Creates. |\n\n## Parameters\n| Name | Datatype | Description |\n|:--|:--|:--|\n| `id` | `string` | The id. |\n| `If-Match` | `string` | Must match the current ETag. |\n| `If-Match` | `string` | Not needed to create. |\n";
    let res = crate::parse::parse_page("w.md", page)
        .resource
        .expect("a resource");
    let all = [res];
    let krate = crate::resolve::resolve(&all, false, &mut Vec::new());
    let r = &krate.resources[0];
    let docs = |name: &str| {
        let m = r.methods.iter().find(|m| m.method.name == name).unwrap();
        param_docs(r, m)
    };
    assert_eq!(
        docs("update"),
        [
            "- `id`: The id.",
            "- `If-Match`: Must match the current ETag."
        ]
    );
    assert_eq!(
        docs("create"),
        [
            "- `id`: The id.",
            "- `If-Match` (optional): Not needed to create."
        ]
    );
    let options = r.nested.iter().find(|s| s.name == "CreateOptions").unwrap();
    assert_eq!(options.fields[0].doc, "Not needed to create.");
}
