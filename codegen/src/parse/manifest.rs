//! The INSERT example's manifest tab, read with a YAML parser.
//!
//! Two generations are met:
//! - AWS (`stack-deploy`): a mapping with `resources: [{name, props: [{name, value}]}]`, where a
//!   value shows its shape by example: a template string `'{{ X }}'` is a scalar, a mapping is an
//!   object whose keys are property names, a sequence is an array of its first item, `{}` is an
//!   object of unknown shape.
//! - Google and newer providers: a sequence `[{name, props: [{name, value}]}]`, where a value is a
//!   type name (`string`, `integer`, `object`, ...), a list of `{name, value}` pairs (an object), a
//!   list holding one such list (an array of objects) or a list holding one type name (an array of
//!   scalars).

use crate::model::{Property, Shape};
use yaml_rust2::{Yaml, YamlLoader};

#[derive(Clone, Copy)]
enum Style {
    Example,
    Typed,
}

/// Reads the properties a manifest shows, or says why it could not.
pub fn properties(yaml: &str) -> Result<Vec<Property>, String> {
    let docs = YamlLoader::load_from_str(yaml).map_err(|e| format!("invalid YAML: {e}"))?;
    let Some(doc) = docs.into_iter().next() else {
        return Ok(Vec::new());
    };
    let (resources, style) = match &doc {
        Yaml::Hash(_) => (&doc["resources"], Style::Example),
        Yaml::Array(_) => (&doc, Style::Typed),
        _ => return Err("expected a mapping or a sequence at the top level".into()),
    };
    let Yaml::Array(resources) = resources else {
        return Err("expected a `resources` sequence".into());
    };
    let mut out = Vec::new();
    for r in resources {
        match &r["props"] {
            Yaml::Array(props) => out.extend(props.iter().filter_map(|p| named(p, style))),
            Yaml::BadValue | Yaml::Null => {}
            _ => return Err("expected `props` to be a sequence of {name, value}".into()),
        }
    }
    Ok(out)
}

/// Reads the properties a manifest shows, as [`properties`] does; a manifest
/// that is not valid YAML because values hold an unquoted `: ` (`description:
/// The disk's size: in GB`) is read with those values quoted, and the
/// 0-based lines quoted are returned with the properties.
pub fn properties_lenient(yaml: &str) -> Result<(Vec<Property>, Vec<usize>), String> {
    let err = match properties(yaml) {
        Ok(p) => return Ok((p, Vec::new())),
        Err(e) => e,
    };
    let (fixed, lines) = quote_colon_values(yaml);
    if lines.is_empty() {
        return Err(err);
    }
    properties(&fixed).map(|p| (p, lines)).map_err(|_| err)
}

/// `key: a: b` lines (plain scalars holding `: `) with the value single-quoted.
fn quote_colon_values(yaml: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(yaml.len() + 16);
    let mut lines = Vec::new();
    for (i, line) in yaml.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start().len();
        let item = body[indent..].strip_prefix("- ").map_or(0, |_| 2);
        let rest = &body[indent + item..];
        let quoted = rest.split_once(": ").and_then(|(key, value)| {
            let plain_key = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            let v = value.trim();
            let plain_value = !v.starts_with(['\'', '"', '[', '{', '|', '>', '&', '*', '!', '#'])
                && v.contains(": ");
            (plain_key && plain_value).then(|| {
                format!(
                    "{}{key}: '{}'",
                    &body[..indent + item],
                    v.replace('\'', "''")
                )
            })
        });
        match quoted {
            Some(q) => {
                out.push_str(&q);
                out.push_str(&line[body.len()..]);
                lines.push(i);
            }
            None => out.push_str(line),
        }
    }
    (out, lines)
}

fn named(p: &Yaml, style: Style) -> Option<Property> {
    let name = p["name"].as_str()?.to_string();
    Some(Property {
        name,
        shape: shape(&p["value"], style),
    })
}

fn scalar(datatype: &str) -> Shape {
    Shape::Scalar {
        datatype: datatype.to_string(),
    }
}

fn is_pair_list(items: &[Yaml]) -> bool {
    items
        .iter()
        .all(|i| matches!(i, Yaml::Hash(_)) && i["name"].as_str().is_some())
}

fn shape(v: &Yaml, style: Style) -> Shape {
    match (v, style) {
        (Yaml::String(s), Style::Typed) => match s.as_str() {
            "object" | "any" => Shape::Any,
            t if !t.contains("{{") && !t.contains(' ') && !t.is_empty() => scalar(t),
            _ => scalar("string"),
        },
        (Yaml::String(_), Style::Example) => scalar("string"),
        (Yaml::Integer(_), _) => scalar("integer"),
        (Yaml::Real(_), _) => scalar("number"),
        (Yaml::Boolean(_), _) => scalar("boolean"),
        (Yaml::Hash(h), _) if h.is_empty() => Shape::Any,
        (Yaml::Hash(h), _) => Shape::Object {
            properties: h
                .iter()
                .filter_map(|(k, v)| {
                    Some(Property {
                        name: k.as_str()?.to_string(),
                        shape: shape(v, style),
                    })
                })
                .collect(),
        },
        (Yaml::Array(items), Style::Typed) if !items.is_empty() && is_pair_list(items) => {
            Shape::Object {
                properties: items.iter().filter_map(|p| named(p, style)).collect(),
            }
        }
        (Yaml::Array(items), _) => match items.first() {
            Some(first) => Shape::Array {
                items: Box::new(shape(first, style)),
            },
            None => Shape::Array {
                items: Box::new(Shape::Any),
            },
        },
        _ => Shape::Any,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_example_style_nested_shapes() {
        let y = "resources:\n  - name: bucket\n    props:\n      - name: Enc\n        value:\n          Rules:\n            - On: '{{ On }}'\n              Key: {}\n      - name: Name\n        value: '{{ Name }}'\n";
        let p = properties(y).unwrap();
        assert_eq!(p.len(), 2);
        let Shape::Object { properties } = &p[0].shape else {
            panic!("{p:?}")
        };
        let Shape::Array { items } = &properties[0].shape else {
            panic!()
        };
        let Shape::Object { properties: inner } = items.as_ref() else {
            panic!()
        };
        assert_eq!(inner[0].shape, scalar("string"));
        assert_eq!(inner[1].shape, Shape::Any);
        assert_eq!(p[1].shape, scalar("string"));
    }

    #[test]
    fn typed_style_lists_of_pairs() {
        let y = "- name: r\n  props:\n    - name: tags\n      value:\n        - name: items\n          value:\n            - string\n    - name: disks\n      value:\n        - - name: boot\n            value: boolean\n    - name: labels\n      value: object\n";
        let p = properties(y).unwrap();
        let Shape::Object { properties: tags } = &p[0].shape else {
            panic!("{p:?}")
        };
        assert_eq!(
            tags[0].shape,
            Shape::Array {
                items: Box::new(scalar("string"))
            }
        );
        let Shape::Array { items } = &p[1].shape else {
            panic!()
        };
        assert!(
            matches!(items.as_ref(), Shape::Object { properties } if properties[0].shape == scalar("boolean"))
        );
        assert_eq!(p[2].shape, Shape::Any);
    }

    #[test]
    fn bad_yaml_is_an_error_not_a_panic() {
        assert!(properties("a: [").is_err());
        assert!(properties("42").is_err());
    }

    #[test]
    fn unquoted_colons_in_descriptions_are_read_as_text() {
        let yaml = "- name: disk\n  props:\n    - name: sizeGb\n      value: integer\n      description: The size: in GB, it's fixed\n    - name: label\n      value: string\n";
        assert!(properties(yaml).is_err());
        let (props, lines) = properties_lenient(yaml).unwrap();
        let names: Vec<&str> = props.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["sizeGb", "label"]);
        assert_eq!(props[0].shape, scalar("integer"));
        assert_eq!(lines, [4]);
        // Other invalid YAML stays an error.
        assert!(properties_lenient("- name: [unclosed\n").is_err());
    }
}
