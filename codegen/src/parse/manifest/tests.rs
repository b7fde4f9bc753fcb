//! The manifest reader's tests, and its oracle: [`yaml_rust2::YamlLoader`],
//! whose `Yaml` tree the [`Node`]s replace. The subset reader, the event
//! reader and the loader must give the same tree or the same error, and so
//! the same properties.

use super::*;
use yaml_rust2::YamlLoader;

/// The loader's first document (or error), as a [`Node`] tree.
fn loaded(yaml: &str) -> Result<Option<Node>, ScanError> {
    let docs = YamlLoader::load_from_str(yaml)?;
    Ok(docs.into_iter().next().map(node))
}

/// The [`Node`] of a loader's [`Yaml`] (the inverse of [`Node::to_yaml`]).
fn node(yaml: Yaml) -> Node {
    match yaml {
        Yaml::Array(items) => Node::Seq(items.into_iter().map(node).collect()),
        Yaml::Hash(entries) => Node::Map(
            entries
                .into_iter()
                .map(|(k, v)| (node(k), node(v)))
                .collect(),
        ),
        scalar => Node::Scalar(scalar),
    }
}

/// The properties as read from the loader's tree: the oracle.
fn loaded_properties(yaml: &str) -> Result<Vec<Property>, String> {
    of_document(loaded(yaml))
}

/// Asserts that the reader and its oracle agree on `yaml`: the first
/// document (as the loader's tree) or the error, the properties or the
/// error, strict and lenient.
fn agree(yaml: &str) {
    let oracle = YamlLoader::load_from_str(yaml).map(|docs| docs.into_iter().next());
    if let Some(doc) = plain::document(yaml) {
        let tree = Ok(Some(doc.to_yaml()));
        assert_eq!(
            tree, oracle,
            "{yaml:?}: the subset reader differs from the loader"
        );
    }
    for tree in [first_document(yaml), read_events(yaml)] {
        let tree = tree.map(|d| d.map(|n| n.to_yaml()));
        match (&tree, &oracle) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{yaml:?}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{yaml:?}"),
            _ => panic!("{yaml:?}: {tree:?} but the loader gives {oracle:?}"),
        }
    }
    assert_eq!(properties(yaml), loaded_properties(yaml), "{yaml:?}");
    assert_eq!(
        properties_lenient(yaml),
        lenient(yaml, loaded_properties),
        "{yaml:?}"
    );
}

#[test]
fn every_code_block_of_the_corpus_reads_as_the_loader_reads_it() {
    let (mut manifests, mut others, mut plain_manifests) = (0, 0, 0);
    let read = crate::parse::blocks::corpus_code_blocks(|c| {
        // Manifests are what the reader is given; the other blocks
        // (JSON, SQL, shell) are YAML or invalid YAML of other shapes.
        if c.lang == "yaml" || c.tab.as_deref() == Some("manifest") {
            manifests += 1;
            plain_manifests += usize::from(plain::document(&c.code).is_some());
        } else {
            others += 1;
        }
        agree(&c.code);
    });
    let Some(pages) = read else {
        return;
    };
    eprintln!(
        "{pages} pages: {manifests} manifests ({plain_manifests} in the plain subset), {others} other blocks"
    );
    assert!(manifests > 1000, "only {manifests} manifests in the corpus");
    // The subset is what makes manifests fast to read: nearly all are in it.
    assert!(
        plain_manifests * 10 > manifests * 9,
        "only {plain_manifests} of {manifests} manifests in the plain subset"
    );
}

/// Random lines of block YAML from pieces in and out of the plain subset:
/// whatever the subset reader accepts, it reads as the loader does.
#[test]
fn generated_block_yaml_reads_as_the_loader_reads_it() {
    let keys = [
        "name", "value", "props", "a", "b", "1", "01", "true", "null", "x_y", "K9", "0x1F",
    ];
    let scalars = [
        "string",
        "'{{ X }}'",
        "''",
        "'a # b: c'",
        "'  x '",
        "{}",
        "[]",
        "1",
        "-1",
        "1.5",
        ".inf",
        "true",
        "~",
        "null",
        "stack name",
        "a  b",
        "a: b",
        "a #c",
        "a#c",
        "'it''s'",
        "\"q\"",
        "x ",
        "&a x",
        "*a",
        "!!int 1",
        "[a]",
        "{a: 1}",
        "0x1F",
        "1e3",
        "a-b.c",
        "_",
        "|",
        ">",
        "-",
        "- x",
        "---",
        "...",
        "a:b",
        "'x",
        "x'",
        "TRUE",
        "1_000",
        "+1",
        "0o7",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    };
    let mut accepted = 0;
    for _ in 0..20_000 {
        let mut text = String::new();
        for _ in 0..1 + next(8) {
            let indent = next(4) * 2 + usize::from(next(12) == 0);
            text.push_str(&" ".repeat(indent));
            for _ in 0..[0, 0, 1, 1, 2][next(5)] {
                text.push_str("- ");
            }
            match next(3) {
                0 => {
                    text.push_str(keys[next(keys.len())]);
                    text.push(':');
                }
                1 => {
                    text.push_str(keys[next(keys.len())]);
                    text.push_str(": ");
                    text.push_str(scalars[next(scalars.len())]);
                }
                _ => text.push_str(scalars[next(scalars.len())]),
            }
            text.push('\n');
        }
        accepted += usize::from(plain::document(&text).is_some());
        agree(&text);
    }
    assert!(accepted > 1_000, "only {accepted} texts in the subset");
}

#[test]
fn hostile_yaml_reads_as_the_loader_reads_it() {
    let wide: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
    let wide_dup = format!("{wide}k7: again\n");
    let wide_late_dup = format!("{wide}k39: again\n");
    let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
    let deep_map = (0..150).fold(String::from("x"), |inner, _| format!("{{a: {inner}}}"));
    let cases = [
        // Empty and scalar streams.
        "", " ", "\n", "# only a comment\n", "~", "null", "42", "'text'", "---", "---\n...\n",
        "[]", "{}", "- ", "-", ":", "? ", "\u{feff}resources: []\n", "resources:\r\n  - name: r\r\n    props: []\r\n",
        // Shapes the reader rejects or skips.
        "resources:", "resources: x", "resources: {}", "resources: [1, x, [a]]",
        "- props: x", "- props: ~", "- props: 1", "- props: {}", "- props: []", "- x\n- props: []",
        "- props:\n  - 1\n  - name: x\n  - {name: 2, value: y}\n  - name: z\n    value: !!int x\n",
        "resources:\n  - props:\n      - name: a\n      - value: b\n      - name: c\n        value: [[], {}, [{}], [[1]]]\n",
        // Typed style: type names, pair lists, lists of one list.
        "- name: r\n  props:\n    - name: a\n      value: integer\n    - name: b\n      value: 'two words'\n    - name: c\n      value: '{{ c }}'\n    - name: d\n      value: ''\n    - name: e\n      value: any\n    - name: f\n      value: [string]\n    - name: g\n      value: [[{name: x, value: boolean}]]\n    - name: h\n      value: [{name: x}, {value: y}]\n    - name: i\n      value: 1.5\n    - name: j\n      value: true\n    - name: k\n      value: .inf\n    - name: l\n      value: 0x1F\n",
        // Duplicate keys: anywhere, in any document, the first one is the error.
        "a: 1\na: 2\n", "resources: []\nresources: []\n", "{a: 1, 'a': 2}", "{\"a\": 1, a: 2}",
        "1: x\n01: y\n", "1: x\n'1': y\n", "1.0: x\n1.00: y\n", "true: x\nTrue: y\n", "~: x\nnull: y\n",
        "- name: r\n  props:\n    - name: a\n      value: {b: 1, c: 2, b: 3}\n",
        "resources: []\n---\na: 1\na: 2\n", "a: 1\na: 2\n---\nb: [\n", "a: 1\na: 2\nb: 1\nb: 2\n",
        "? [a, b]\n: 1\n? [a, b]\n: 2\n", "? {x: 1}\n: 1\n? {x: 1}\n: 2\n", "? {x: 1, y: 2}\n: 1\n? {y: 2, x: 1}\n: 2\n",
        &wide, &wide_dup, &wide_late_dup,
        // Anchors and aliases.
        "- &p {name: a, value: string}\n- *p\n",
        "resources:\n  - name: r\n    props: &ps\n      - name: a\n        value: integer\n  - name: s\n    props: *ps\n",
        "a: *nothing\n", "*nothing : 1\nb: 2\n", "&k a: 1\n*k : 2\n", "a: &x 1\nb: &x 2\nc: *x\n",
        "&a [*a]", "- &a {x: *a}\n", "a: &x [1]\n---\nb: *x\n", "- &x\n- *x\n", "{&k a: 1, *k : 2}",
        // Tags, in the core schema and not.
        "- !!int 12\n- !!int x\n- !!float 1\n- !!float +1\n- !!float .inf\n- !!float inf\n- !!float 1e3\n- !!bool yes\n- !!bool True\n- !!null ~\n- !!null x\n- !!str 12\n- !custom 12\n- !!binary aGk=\n- !<tag:yaml.org,2002:int> 7\n",
        "!!int x : 1\nb: 2\n", "!!map {a: 1}", "- !!seq [1]\n- !!map {}\n", "%TAG !e! tag:example.com,2000:\n---\n- !e!x 1\n",
        "%TAG !! tag:example.com,2000:\n---\n- !!int 1\n", "- '!!int 12'\n- \"!!int\"\n",
        // Flow and block styles, quoting, block scalars.
        "resources: [{name: r, props: [{name: p, value: {A: '{{ A }}', B: [{C: 1}]}}]}]",
        "{resources: [{props: [{name: a, value: b}]}]}",
        "resources:\n- name: r\n  props:\n  - name: a\n    value: |\n      text\n  - name: b\n    value: >-\n      folded\n  - \"name\": c\n    'value': \"x\\ty\"\n",
        "- name: r\n  props:\n    - {name: a, value: [{name: b, value: \"c\"}]}\n",
        // Non-string keys.
        "1: a\ntrue: b\nnull: c\n~: d\n[a]: e\n{a: b}: f\n1.5: g\n", "- name: 1\n  props: [{name: 2, value: 3}]\n",
        "resources:\n  - props:\n      - name: a\n        value: {1: x, true: y, ~: z, k: w}\n",
        // Multiple documents.
        "--- 1\n--- 2\n", "---\n- props: []\n---\n[\n", "---\n---\n", "a: 1\n...\n---\nb: 2\n...\n",
        "- name: r\n  props: [{name: a, value: integer}]\n---\n- name: s\n  props: [{name: b, value: string}]\n",
        // Invalid YAML.
        "a: [", "a: b: c", "\ta: 1", "key: 'unterminated", "- a\nb: c", "{a: 1", "a: 1\n b: 2\nc", "*", "&", "!", "[a, ]]", "@a",
        "- name: disk\n  props:\n    - name: sizeGb\n      value: integer\n      description: The size: in GB\n",
        "- name: d\n  props:\n    - name: a\n      value: b: c\n      note: x: 'y'\n",
        "- name: d\n  props:\n    - name: a\n      value: b: c\n  - broken: [\n",
        // Deep nesting.
        &deep, &deep_map,
    ];
    for yaml in cases {
        agree(yaml);
    }
}

#[test]
fn a_duplicated_key_is_an_error_naming_it() {
    let err = properties("resources: []\nresources: []\n").unwrap_err();
    assert!(
        err.contains("String(\"resources\"): duplicated key"),
        "{err}"
    );
}

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
fn typed_style_items_with_a_name_are_objects_of_an_array_unless_name_value_pairs() {
    // Newer generators show an array of objects by example, and its items
    // may well have a `name` (tools, containers, env vars).
    let y = "- name: r\n  props:\n    - name: functions\n      value:\n        - code: \"{{ code }}\"\n          name: \"{{ name }}\"\n    - name: env\n      value:\n        - name: \"{{ name }}\"\n          value: \"{{ value }}\"\n    - name: limits\n      value:\n        - name: maxReadIops\n          value: string\n          description: The most.\n";
    let p = properties(y).unwrap();
    let names = |s: &Shape| -> Vec<String> {
        match s {
            Shape::Object { properties } => properties.iter().map(|p| p.name.clone()).collect(),
            other => panic!("expected an object, found {other:?}"),
        }
    };
    for (prop, keys) in [(&p[0], ["code", "name"]), (&p[1], ["name", "value"])] {
        let Shape::Array { items } = &prop.shape else {
            panic!("{}: expected an array, found {:?}", prop.name, prop.shape)
        };
        assert_eq!(names(items), keys, "{}", prop.name);
    }
    assert_eq!(names(&p[2].shape), ["maxReadIops"]);
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
    let (props, mended) = properties_lenient(yaml).unwrap();
    let names: Vec<&str> = props.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["sizeGb", "label"]);
    assert_eq!(props[0].shape, scalar("integer"));
    assert_eq!(
        mended,
        Mended {
            quoted: vec![4],
            ..Mended::default()
        }
    );
    // Other invalid YAML stays an error.
    assert!(properties_lenient("- name: [unclosed\n").is_err());
}

#[test]
fn a_key_line_written_twice_is_read_once() {
    // As a generator writes a long description twice, with a `: ` in it.
    let yaml = "- name: topic\n  props:\n    - name: Attributes\n      value: \"{{ A }}\"\n      description: A map: of attributes\n      description: A map: of attributes\n    - name: Tags\n      value: \"{{ T }}\"\n";
    assert!(properties(yaml).is_err());
    let (props, mended) = properties_lenient(yaml).unwrap();
    let names: Vec<&str> = props.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Attributes", "Tags"]);
    assert_eq!(
        mended,
        Mended {
            quoted: vec![4],
            repeated: vec![5],
            ..Mended::default()
        }
    );
    // Two equal sequence items stay two; a key given twice with other
    // values stays an error.
    let items = "- name: t\n  props:\n    - name: A\n    - name: A\n";
    assert_eq!(properties_lenient(items).unwrap().0.len(), 2);
    let twice = "- name: t\n  props:\n    - name: A\n      value: x\n      value: y\n";
    assert!(properties_lenient(twice).is_err());
}

#[test]
fn an_unquoted_placeholder_is_a_scalar_of_no_stated_type() {
    // `value: {{ flag }}` is YAML for a map keyed by a map: the page's way
    // of writing a value that is no string.
    let yaml = "- name: g\n  props:\n    - name: flag\n      value: {{ flag }}\n    - name: conf\n      value: {{ a: 1 }}\n    - name: obj\n      value:\n        k: {{ k }}\n";
    let props = properties(yaml).unwrap();
    assert_eq!(props[0].shape, scalar("undefined"));
    // Not a placeholder: a map with a value beside its map key.
    assert_ne!(props[1].shape, scalar("undefined"));
    // Inside an object, too.
    let Shape::Object { properties } = &props[2].shape else {
        panic!("an object: {:?}", props[2].shape)
    };
    assert_eq!(properties[0].shape, scalar("undefined"));
    assert_eq!(properties_lenient(yaml).unwrap().0, props);
}

#[test]
fn block_scalar_text_written_less_indented_is_read_under_its_key() {
    // As newer docs generators write a multi-line description: its first
    // line indented, the others not (prose, list-like lines, a blank line).
    let yaml = "- name: groups\n  props:\n    - name: profile\n      value: object\n      description: >\n        Profile of a group. Specifies the standard\nand custom properties.\n\nThe `objectClass` is `okta:user_group`.\n- user-userId \n- allUsers Examples: \n        \n    - name: entity\n      value: string\n      description: |-\n        One line.\n";
    assert!(properties(yaml).is_err());
    let (props, mended) = properties_lenient(yaml).unwrap();
    let names: Vec<&str> = props.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["profile", "entity"]);
    assert_eq!(props[1].shape, scalar("string"));
    assert_eq!(
        mended,
        Mended {
            reindented: vec![6, 8, 9, 10],
            ..Mended::default()
        }
    );
    // A less indented `key:` or `- key:` line ends the text, as in YAML:
    // what follows is read as structure (here, invalid).
    let next_key = "- name: g\n  props:\n    - name: a\n      description: >\n        text\nvalue: x\n  oops\n";
    assert!(properties_lenient(next_key).is_err());
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    // Thousands of levels, block and flow: read on a thread with a small
    // stack, which the loader's recursion (one frame per level) overflowed.
    let block: String = (0..3_000)
        .map(|i| format!("{}- a:\n", " ".repeat(i * 2)))
        .collect();
    let flow = format!("x: {}1{}\n", "[".repeat(20_000), "]".repeat(20_000));
    let results = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            [&block, &flow].map(|yaml| properties(yaml).map(|_| ()).map_err(|e| e.to_string()))
        })
        .unwrap()
        .join()
        .unwrap();
    // The block one meets this reader's limit; the flow one the scanner's.
    let [block, flow] = results;
    let e = block.unwrap_err();
    assert!(e.contains("nested more than 256 levels"), "{e}");
    let e = flow.unwrap_err();
    assert!(e.contains("recursion limit exceeded"), "{e}");
    // Up to the limit (each level is a sequence and a mapping), read as the
    // loader reads it.
    let deep: String = (0..127)
        .map(|i| format!("{}- a:\n", " ".repeat(i * 2)))
        .collect();
    assert!(first_document(&deep).unwrap().is_some());
    agree(&deep);
}

#[test]
fn aliases_that_expand_without_bound_are_an_error() {
    // Nine levels of ten aliases each: 10^9 nodes if expanded.
    let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        yaml.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let e = first_document(&yaml).unwrap_err().to_string();
    assert!(
        e.contains("aliases expand to more than 100000 nodes"),
        "{e}"
    );
    // Anchors nested 250 deep around 400 items, and no alias at all: each
    // is kept whole, 250 copies of 400 nodes or more.
    let nested = format!(
        "x: {}[{}]{}\n",
        (0..250).map(|i| format!("&a{i} [")).collect::<String>(),
        vec!["1"; 400].join(", "),
        "]".repeat(250)
    );
    let e = first_document(&nested).unwrap_err().to_string();
    assert!(
        e.contains("aliases expand to more than 100000 nodes"),
        "{e}"
    );
    // A few aliases are read as the loader reads them.
    agree("a: &x [1, 2]\nb: *x\nc: [*x, *x]\n");
}
