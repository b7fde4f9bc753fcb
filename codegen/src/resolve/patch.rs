//! Typed JSON Patch updates (AWS Cloud Control `update_resource`, whose
//! `data__PatchDocument` is a JSON Patch document): the `PatchProperties`
//! struct and the typed variant of each patch method.

use super::{structs, Arg, Page, RMethod, RStruct, Statement, Verb};
use crate::ident::Scope;
use crate::parse::sql::Token;

/// The param that carries a JSON Patch document.
pub(crate) const PATCH_PARAM: &str = "data__PatchDocument";

/// Whether a required param carries a JSON Patch document: [`PATCH_PARAM`],
/// or `PatchDocument` as the `awscc` provider's pages write it.
pub(crate) fn is_patch_param(param: &str) -> bool {
    param == PATCH_PARAM || param == "PatchDocument"
}

/// The name of the typed update struct, reserved in every resource module.
pub(super) const PATCH_PROPERTIES: &str = "PatchProperties";

/// Whether some method of the page takes a JSON Patch document.
fn has_patch_method(page: &Page) -> bool {
    page.res
        .methods
        .iter()
        .any(|m| m.required_params.iter().any(|p| is_patch_param(p)))
}

/// `PatchProperties`, for a page with a patch method: one optional field per
/// updatable property, in the page's order. The updatable properties are
/// those the page's `UPDATE` example puts in its patch document
/// (`SET PatchDocument = string('{{ { "Tags": tags, ... } | generate_patch_document }}')`),
/// else every property of `create`. Field types are the create types, so
/// nested structs are shared with `CreateProperties`.
pub(super) fn properties<'a>(
    page: &Page<'a>,
    create: Option<&RStruct>,
    types: &mut structs::Types<'a>,
) -> Option<RStruct> {
    if !has_patch_method(page) {
        return None;
    }
    let listed = page.examples(&Verb::Update).find_map(patch_keys);
    let fields = match (listed, create) {
        (Some(keys), _) => structs::property_fields(page, types, keys.iter(), |_| true),
        (None, Some(c)) => c
            .fields
            .iter()
            .map(|f| super::RField {
                optional: true,
                ..f.clone()
            })
            .collect(),
        (None, None) => return None,
    };
    if fields.is_empty() {
        return None;
    }
    Some(RStruct {
        name: PATCH_PROPERTIES.into(),
        doc: format!(
            "The properties an `UPDATE` of `{}` changes: each field set with `with_<field>` \
             becomes a `replace` of the property in the JSON Patch document, each set with \
             `remove_<field>` a `remove`, in field order; fields left `None` are not changed.",
            page.res.id
        ),
        fields,
        default: true,
    })
}

/// The property names of an `UPDATE` example's patch document: the keys of
/// the object in the string assigned to `PatchDocument` (or
/// `data__PatchDocument`), those at the depth of the first key, in order,
/// without repeats. `None` when the example has no such keys.
fn patch_keys(toks: &[Token]) -> Option<Vec<String>> {
    let at = toks.windows(2).position(|w| {
        matches!(&w[0], Token::Word(c) if c == "PatchDocument" || c == PATCH_PARAM)
            && w[1] == Token::Eq
    })?;
    let text = toks[at..].iter().find_map(|t| match t {
        Token::Str(s) => Some(s.as_ref()),
        _ => None,
    })?;
    let keys = object_keys(text);
    (!keys.is_empty()).then_some(keys)
}

/// The `"name":` keys of `text` at the nesting depth (of `{` and `[`) of
/// the first one, in order, without repeats.
fn object_keys(text: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut key_depth = None;
    let mut depth = 0usize;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            '"' => {
                let Some(end) = rest.find('"') else { break };
                let (name, after) = (&rest[..end], &rest[end + 1..]);
                rest = after;
                let is_key = after.trim_start().starts_with(':');
                let new_key = is_key && !name.is_empty() && !keys.iter().any(|k| k == name);
                if new_key && *key_depth.get_or_insert(depth) == depth {
                    keys.push(name.to_string());
                }
            }
            _ => {}
        }
    }
    keys
}

/// The typed variant of each patch method of `methods`: named
/// `<method>_typed` in `fns` (the scope of the module's functions), taking
/// `&PatchProperties` where the raw one takes `&[PatchOperation]`.
pub(super) fn typed_methods(
    methods: &[RMethod],
    patch: Option<&RStruct>,
    fns: &mut Scope,
) -> Vec<RMethod> {
    let Some(patch) = patch else {
        return Vec::new();
    };
    methods
        .iter()
        .filter(|m| m.statement == Statement::UpdatePatch)
        .map(|m| RMethod {
            ident: fns.snake(&format!("{}_typed", m.method.name)),
            args: m
                .args
                .iter()
                .map(|a| match a {
                    Arg::Patch => Arg::Properties(patch.name.clone()),
                    other => other.clone(),
                })
                .collect(),
            statement: Statement::UpdatePatchProperties,
            ..m.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::sql;

    /// The fixture bucket page: a patch `update_resource`, no UPDATE example.
    const BUCKETS: &str = include_str!("../../../tests/fixtures/current/aws/s3/buckets/index.md");

    fn resolved(page: &str, check: impl Fn(&super::super::RResource)) {
        let parsed = crate::parse::parse_page("buckets.md", page);
        assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
        let res = parsed.resource.unwrap();
        let mut diags = Vec::new();
        let krate = super::super::resolve(std::slice::from_ref(&res), true, &mut diags);
        check(&krate.resources[0]);
    }

    fn wires(s: &RStruct) -> Vec<&str> {
        s.fields.iter().map(|f| f.wire.as_str()).collect()
    }

    #[test]
    fn without_an_update_example_every_create_property_is_updatable() {
        resolved(BUCKETS, |r| {
            let create = r.create.as_ref().unwrap();
            let patch = r.patch.as_ref().unwrap();
            assert_eq!(patch.name, PATCH_PROPERTIES);
            assert_eq!(wires(patch), wires(create));
            assert!(patch.default && patch.fields.iter().all(|f| f.optional));
            // The create types, nested structs included: none added.
            let ty =
                |s: &RStruct, w: &str| s.fields.iter().find(|f| f.wire == w).unwrap().ty.clone();
            assert_eq!(
                ty(patch, "VersioningConfiguration"),
                super::super::Ty::Named("VersioningConfiguration".into())
            );
            assert_eq!(ty(patch, "Tags"), ty(create, "Tags"));
            let nested: Vec<&str> = r.nested.iter().map(|n| n.name.as_str()).collect();
            assert!(!nested.contains(&PATCH_PROPERTIES), "{nested:?}");
            // The raw method stays; its typed variant follows it.
            let raw = r
                .methods
                .iter()
                .find(|m| m.ident == "update_resource")
                .unwrap();
            assert_eq!(raw.statement, Statement::UpdatePatch);
            let [typed] = r.typed_updates.as_slice() else {
                panic!("one typed update expected")
            };
            assert_eq!(typed.ident, "update_resource_typed");
            assert_eq!(typed.static_name, raw.static_name);
            assert_eq!(typed.statement, Statement::UpdatePatchProperties);
            assert!(
                matches!(&typed.args[..], [Arg::Identifier { .. }, Arg::Properties(p), Arg::Param { .. }] if p == PATCH_PROPERTIES)
            );
            assert_eq!(typed.params, raw.params);
        });
    }

    #[test]
    fn an_update_example_lists_the_updatable_properties_in_its_order() {
        let page = format!(
            "{BUCKETS}\n## `UPDATE` example\n\n```sql\n/*+ update */\nUPDATE aws.s3.buckets\n\
             SET PatchDocument = string('{{{{ {{\n\"VersioningConfiguration\": versioning_configuration,\n\
             \"Tags\": tags\n}} | generate_patch_document }}}}')\nWHERE\nregion = '{{{{ region }}}}' AND\n\
             Identifier = '{{{{ bucket_name }}}}';\n```\n"
        );
        resolved(&page, |r| {
            let patch = r.patch.as_ref().unwrap();
            assert_eq!(wires(patch), ["VersioningConfiguration", "Tags"]);
            assert_eq!(patch.fields[1].ident, "tags");
            // The patch document is no update property.
            assert!(r.updates.is_empty(), "{:?}", r.updates);
        });
    }

    #[test]
    fn no_patch_properties_without_a_patch_method() {
        let page = BUCKETS.replace("data__PatchDocument, ", "");
        resolved(&page, |r| {
            assert!(r.patch.is_none() && r.typed_updates.is_empty());
        });
    }

    #[test]
    fn keys_of_the_patch_document_template() {
        let toks = sql::tokens(
            "/*+ update */\nUPDATE awscc.s3.buckets\nSET PatchDocument = string('{{ {\n    \
             \"AccelerateConfiguration\": accelerate_configuration,\n    \"Tags\": tags,\n    \
             \"Tags\": tags,\n    \"VersioningConfiguration\": {\"Status\": status}\n} | \
             generate_patch_document }}')\nWHERE\nregion = '{{ region }}' AND\n\
             Identifier = '{{ bucket_name }}';",
        )
        .unwrap();
        assert_eq!(
            patch_keys(&toks).unwrap(),
            ["AccelerateConfiguration", "Tags", "VersioningConfiguration"]
        );
        let other = sql::tokens("UPDATE a.b.c SET Name = '{\"X\": 1}' WHERE id = '1';").unwrap();
        assert_eq!(patch_keys(&other), None);
        let empty = sql::tokens("UPDATE a.b.c SET PatchDocument = '[]' WHERE id = '1';").unwrap();
        assert_eq!(patch_keys(&empty), None);
    }
}
