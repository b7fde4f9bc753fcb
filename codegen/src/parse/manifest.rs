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
//!
//! The text is read into `Node`s, the tree yaml_rust2's `YamlLoader` builds with mappings kept as
//! entry lists: by `plain` when it is in the plain block subset manifests are generated in, else
//! from yaml_rust2's parser events. Both give what the loader gives, errors included (the tests
//! keep the reader over the loader as their oracle).

mod plain;

use crate::model::{Property, Shape};
use std::collections::{HashMap, HashSet};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};
use yaml_rust2::Yaml;

#[derive(Clone, Copy)]
enum Style {
    Example,
    Typed,
}

/// Reads the properties a manifest shows, or says why it could not.
pub fn properties(yaml: &str) -> Result<Vec<Property>, String> {
    of_document(first_document(yaml))
}

/// The properties of a manifest's first document (`None`: the manifest has
/// none), or why there are none.
fn of_document(doc: Result<Option<Node>, ScanError>) -> Result<Vec<Property>, String> {
    let doc = doc.map_err(|e| format!("invalid YAML: {e}"))?;
    let Some(doc) = doc else {
        return Ok(Vec::new());
    };
    let (resources, style) = match &doc {
        Node::Map(_) => (doc.get("resources"), Style::Example),
        Node::Seq(_) => (&doc, Style::Typed),
        Node::Scalar(_) => return Err("expected a mapping or a sequence at the top level".into()),
    };
    let Node::Seq(resources) = resources else {
        return Err("expected a `resources` sequence".into());
    };
    let mut out = Vec::new();
    for r in resources {
        match r.get("props") {
            Node::Seq(props) => out.extend(props.iter().filter_map(|p| named(p, style))),
            Node::Scalar(Yaml::BadValue | Yaml::Null) => {}
            _ => return Err("expected `props` to be a sequence of {name, value}".into()),
        }
    }
    Ok(out)
}

/// What [`properties_lenient`] mended to read a manifest, by 0-based line
/// of the manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mended {
    /// Lines whose value holds an unquoted `: `, read quoted.
    pub quoted: Vec<usize>,
    /// Lines that repeat the line above them word for word (a `description:`
    /// written twice), skipped: YAML rejects a key given twice.
    pub repeated: Vec<usize>,
    /// Lines of a block scalar's text (`description: >`) written less
    /// indented than its key, read indented under it: newer docs
    /// generators indent a multi-line description's first line only.
    pub reindented: Vec<usize>,
}

/// The key's indentation if `body` is `key: >` or `key: |` (chomping and
/// indentation indicators allowed), a block scalar's first line.
fn block_scalar_key(body: &str) -> Option<usize> {
    let indent = body.len() - body.trim_start().len();
    let rest = body[indent..].strip_prefix("- ").unwrap_or(&body[indent..]);
    let (_, value) = rest.split_once(':')?;
    let v = value.trim();
    let mut chars = v.chars();
    let style = matches!(chars.next(), Some('>' | '|'));
    (style && chars.all(|c| matches!(c, '+' | '-' | '1'..='9'))).then_some(indent)
}

/// Whether `text` (a line without its indentation) can only be YAML
/// structure, not prose: a comment, `key:` (a plain key, then a space or
/// the line's end) or a sequence item holding one, or a lone `-`.
fn structural(text: &str) -> bool {
    let plain_key = |t: &str| {
        t.split_once(':').is_some_and(|(key, after)| {
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '$'))
                && (after.is_empty() || after.starts_with(' '))
        })
    };
    text.starts_with('#') || text == "-" || plain_key(text.strip_prefix("- ").unwrap_or(text))
}

/// Reads the properties a manifest shows, as [`properties`] does; a manifest
/// that is not valid YAML because values hold an unquoted `: ` (`description:
/// The disk's size: in GB`) is read with those values quoted, and one that
/// repeats a `key: value` line word for word without the repeat; what was
/// mended is returned with the properties.
pub fn properties_lenient(yaml: &str) -> Result<(Vec<Property>, Mended), String> {
    lenient(yaml, properties)
}

/// [`properties_lenient`], with `properties` the reading to retry.
fn lenient(
    yaml: &str,
    properties: impl Fn(&str) -> Result<Vec<Property>, String>,
) -> Result<(Vec<Property>, Mended), String> {
    let err = match properties(yaml) {
        Ok(p) => return Ok((p, Mended::default())),
        Err(e) => e,
    };
    let (fixed, mended) = mend(yaml);
    if mended == Mended::default() {
        return Err(err);
    }
    properties(&fixed).map(|p| (p, mended)).map_err(|_| err)
}

/// The manifest with `key: a: b` lines (plain scalars holding `: `)
/// single-quoted, and `key: value` lines that repeat the line above left out.
fn mend(yaml: &str) -> (String, Mended) {
    let mut out = String::with_capacity(yaml.len() + 16);
    let mut mended = Mended::default();
    let mut previous = "";
    // In a block scalar: its key's indentation and its text's.
    let mut block: Option<(usize, Option<usize>)> = None;
    for (i, line) in yaml.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        if let Some((key, text)) = &mut block {
            let trimmed = body.trim_start();
            let indent = body.len() - trimmed.len();
            if trimmed.is_empty() || indent > *key {
                if !trimmed.is_empty() && text.is_none() {
                    *text = Some(indent);
                }
                previous = body;
                out.push_str(line);
                continue;
            }
            if !structural(trimmed) {
                let at = text.unwrap_or(*key + 2);
                out.push_str(&" ".repeat(at));
                out.push_str(trimmed);
                out.push_str(&line[body.len()..]);
                mended.reindented.push(i);
                previous = body;
                continue;
            }
            block = None;
        }
        if let Some(key) = block_scalar_key(body) {
            block = Some((key, None));
        }
        let repeat = std::mem::replace(&mut previous, body) == body;
        // A mapping's `key: value`, not a sequence item (two equal items are two).
        let key_line = !body.trim_start().starts_with('-') && body.contains(": ");
        if repeat && key_line {
            mended.repeated.push(i);
            continue;
        }
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
                mended.quoted.push(i);
            }
            None => out.push_str(line),
        }
    }
    (out, mended)
}

fn named(p: &Node, style: Style) -> Option<Property> {
    let name = p.get("name").as_str()?.to_string();
    Some(Property {
        name,
        shape: shape(p.get("value"), style),
    })
}

fn scalar(datatype: &str) -> Shape {
    Shape::Scalar {
        datatype: datatype.to_string(),
    }
}

/// Whether a typed-style sequence lists an object's properties as
/// `{name, value}` pairs: every item a mapping of `name` (a property's name,
/// no `{{ }}` template), `value` and at most `description` and `default`.
/// Any other list of mappings is an array of objects, even when its items
/// have a `name` (`functions: [{code: '{{ code }}', name: '{{ name }}'}]`).
fn is_pair_list(items: &[Node]) -> bool {
    items.iter().all(|i| {
        let Node::Map(entries) = i else {
            return false;
        };
        i.get("name").as_str().is_some_and(|n| !n.contains("{{"))
            && !matches!(i.get("value"), Node::Scalar(Yaml::BadValue))
            && entries.iter().all(|(k, _)| {
                matches!(
                    k.as_str(),
                    Some("name" | "value" | "description" | "default")
                )
            })
    })
}

fn shape(v: &Node, style: Style) -> Shape {
    match (v, style) {
        (Node::Scalar(Yaml::String(s)), Style::Typed) => match s.as_str() {
            "object" | "any" => Shape::Any,
            t if !t.contains("{{") && !t.contains(' ') && !t.is_empty() => scalar(t),
            _ => scalar("string"),
        },
        (Node::Scalar(Yaml::String(_)), Style::Example) => scalar("string"),
        (Node::Scalar(Yaml::Integer(_)), _) => scalar("integer"),
        (Node::Scalar(Yaml::Real(_)), _) => scalar("number"),
        (Node::Scalar(Yaml::Boolean(_)), _) => scalar("boolean"),
        (Node::Map(entries), _) if entries.is_empty() => Shape::Any,
        // An unquoted `{{ name }}` placeholder (a value that is no string:
        // a boolean, a number) reads as a map keyed by a map: a scalar whose
        // type the page does not say.
        (Node::Map(entries), _) if is_placeholder(entries) => scalar("undefined"),
        (Node::Map(entries), _) => Shape::Object {
            properties: entries
                .iter()
                .filter_map(|(k, v)| {
                    Some(Property {
                        name: k.as_str()?.to_string(),
                        shape: shape(v, style),
                    })
                })
                .collect(),
        },
        (Node::Seq(items), Style::Typed) if !items.is_empty() && is_pair_list(items) => {
            Shape::Object {
                properties: items.iter().filter_map(|p| named(p, style)).collect(),
            }
        }
        (Node::Seq(items), _) => match items.first() {
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

/// Whether a mapping is an unquoted `{{ name }}`: one entry, null-valued,
/// whose key is a mapping of one null-valued plain key.
fn is_placeholder(entries: &[(Node, Node)]) -> bool {
    let null = |n: &Node| matches!(n, Node::Scalar(Yaml::Null));
    match entries {
        [(Node::Map(inner), v)] if null(v) => {
            matches!(inner.as_slice(), [(Node::Scalar(Yaml::String(_)), v)] if null(v))
        }
        _ => false,
    }
}

/// A YAML node as [`yaml_rust2::YamlLoader`] builds it, with a mapping kept
/// as its entries in order: the reader looks up a few keys in small
/// mappings, which a scan does faster than the loader's hash map costs to
/// build. Equality (of keys) is the loader's: scalars compare as [`Yaml`]
/// does, mappings entry by entry in order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Node {
    /// A scalar, resolved as the loader resolves it (never an array, hash
    /// or alias); [`Yaml::BadValue`] where the loader has it.
    Scalar(Yaml),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping: its entries in order, keys distinct.
    Map(Vec<(Node, Node)>),
}

/// What a lookup of a missing key gives, as indexing a [`Yaml`] does.
static BAD_VALUE: Node = Node::Scalar(Yaml::BadValue);

impl Node {
    /// The value of the string key `key` if this is a mapping holding it,
    /// else a [`Yaml::BadValue`] scalar (as `yaml[key]` is).
    fn get(&self, key: &str) -> &Node {
        let Node::Map(entries) = self else {
            return &BAD_VALUE;
        };
        entries
            .iter()
            .find(|(k, _)| matches!(k, Node::Scalar(Yaml::String(s)) if s == key))
            .map_or(&BAD_VALUE, |(_, v)| v)
    }

    /// The string of a string scalar.
    fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar(Yaml::String(s)) => Some(s),
            _ => None,
        }
    }

    /// The [`Yaml`] the loader builds for this node (for its messages).
    fn to_yaml(&self) -> Yaml {
        match self {
            Node::Scalar(y) => y.clone(),
            Node::Seq(items) => Yaml::Array(items.iter().map(Node::to_yaml).collect()),
            Node::Map(entries) => Yaml::Hash(
                entries
                    .iter()
                    .map(|(k, v)| (k.to_yaml(), v.to_yaml()))
                    .collect(),
            ),
        }
    }
}

/// The first document of `yaml`, read as [`yaml_rust2::YamlLoader::load_from_str`]
/// reads it (`None` for a stream without documents), or the error the loader
/// gives: the parser's first error anywhere in the stream, else the first
/// duplicated key.
fn first_document(yaml: &str) -> Result<Option<Node>, ScanError> {
    match plain::document(yaml) {
        Some(doc) => Ok(Some(doc)),
        None => read_events(yaml),
    }
}

/// [`first_document`] by yaml_rust2's parser, for any text. The parser's
/// events are pulled one by one rather than through its `load`, which
/// recurses once per level of nesting (a page nesting a few thousand levels
/// overflowed a worker thread's stack and aborted the whole run); the
/// [`Loader`] refuses nesting deeper than [`MAX_DEPTH`] and aliases that
/// expand past [`MAX_ALIASED`] nodes, errors that end the reading at once
/// (another error of the loader's, a duplicated key, gives way to any
/// error of the parser's later in the stream, as in the loader).
fn read_events(yaml: &str) -> Result<Option<Node>, ScanError> {
    let mut parser = Parser::new_from_str(yaml);
    let mut loader = Loader::default();
    loop {
        let (ev, mark) = parser.next_token()?;
        let end = ev == Event::StreamEnd;
        loader.on_event(ev, mark);
        if end || loader.stop.is_some() {
            break;
        }
    }
    if let Some(e) = loader.stop {
        return Err(e);
    }
    match loader.error {
        Some(e) => Err(e),
        None => Ok(loader.first),
    }
}

/// How deeply collections may nest in a manifest (real ones nest a few
/// levels; each level is a frame of every recursive walk of the tree).
const MAX_DEPTH: usize = 256;

/// How many nodes anchors and aliases may copy in all: each anchor's node
/// is kept as a copy and each alias is one, so a few lines of aliases of
/// aliases (or of anchors nested in anchors) would otherwise expand to
/// billions of nodes.
const MAX_ALIASED: usize = 100_000;

/// A mapping with more entries than this checks its keys for duplicates
/// with a hash set instead of a scan.
const SCAN_KEYS: usize = 16;

/// A sequence or mapping being read, with its anchor id (0: none) and the
/// number of nodes in it so far (itself included).
enum Frame {
    Seq(Vec<Node>, usize, usize),
    Map {
        entries: Vec<(Node, Node)>,
        /// The key read whose value is awaited.
        key: Option<Node>,
        /// The keys, once there are more than [`SCAN_KEYS`].
        keys: Option<HashSet<Node>>,
        anchor: usize,
        size: usize,
    },
}

impl Frame {
    fn size(&mut self) -> &mut usize {
        match self {
            Frame::Seq(_, _, size) | Frame::Map { size, .. } => size,
        }
    }
}

/// [`yaml_rust2::YamlLoader`]'s event receiver, building [`Node`]s and
/// keeping only the first document.
#[derive(Default)]
struct Loader {
    first: Option<Node>,
    /// Whether a document ended (later ones are read for their errors only).
    ended: bool,
    /// The current document's root, once complete.
    root: Option<Node>,
    stack: Vec<Frame>,
    /// Anchored nodes, with their number of nodes.
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes copied by anchors and aliases so far.
    copied: usize,
    error: Option<ScanError>,
    /// The anchors the current document has named so far.
    named: HashSet<usize>,
    /// An error that ends the reading at once and comes before `error`:
    /// a limit's ([`MAX_DEPTH`], [`MAX_ALIASED`]), or an alias to an
    /// anchor of another document.
    stop: Option<ScanError>,
}

impl MarkedEventReceiver for Loader {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.stop.is_some() {
            return;
        }
        // The parser's `load` forgets the anchors of a document when the
        // next starts: an alias to one of them is its error, which ends
        // the reading.
        match ev {
            Event::DocumentStart => self.named.clear(),
            Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _)
            | Event::Scalar(_, _, anchor, _)
                if anchor > 0 =>
            {
                self.named.insert(anchor);
            }
            Event::Alias(id) if !self.named.contains(&id) => {
                self.stop = Some(ScanError::new(
                    mark,
                    "while parsing node, found unknown anchor",
                ));
                return;
            }
            _ => {}
        }
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.event(ev, mark) {
            self.error = Some(e);
        }
    }
}

impl Loader {
    fn event(&mut self, ev: Event, mark: Marker) -> Result<(), ScanError> {
        match ev {
            Event::DocumentStart | Event::Nothing | Event::StreamStart | Event::StreamEnd => {}
            Event::DocumentEnd => {
                // The loader's document without a node is a bad value.
                let doc = self.root.take().unwrap_or(Node::Scalar(Yaml::BadValue));
                if !self.ended {
                    self.first = Some(doc);
                    self.ended = true;
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if self.stack.len() == MAX_DEPTH => {
                self.stop = Some(ScanError::new_string(
                    mark,
                    format!("collections nested more than {MAX_DEPTH} levels deep"),
                ));
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Frame::Seq(Vec::new(), anchor, 1)),
            Event::MappingStart(anchor, _) => self.stack.push(Frame::Map {
                entries: Vec::new(),
                key: None,
                keys: None,
                anchor,
                size: 1,
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Frame::Seq(items, anchor, size)) => (Node::Seq(items), anchor, size),
                    Some(Frame::Map {
                        entries,
                        anchor,
                        size,
                        ..
                    }) => (Node::Map(entries), anchor, size),
                    None => return Ok(()),
                };
                self.insert(node, mark)?;
            }
            Event::Scalar(v, style, anchor, tag) => {
                self.insert((Node::Scalar(resolve(v, style, tag)), anchor, 1), mark)?
            }
            Event::Alias(id) => {
                let size = self.anchors.get(&id).map_or(1, |(_, size)| *size);
                if !self.copies(size, mark) {
                    return Ok(());
                }
                let node = self
                    .anchors
                    .get(&id)
                    .map_or_else(|| BAD_VALUE.clone(), |(node, _)| node.clone());
                self.insert((node, 0, size), mark)?;
            }
        }
        Ok(())
    }

    /// Counts `size` more nodes copied (by an anchor or an alias) against
    /// [`MAX_ALIASED`]; past it, the reading stops (`false`).
    fn copies(&mut self, size: usize, mark: Marker) -> bool {
        if self.copied + size > MAX_ALIASED {
            self.stop = Some(ScanError::new_string(
                mark,
                format!("aliases expand to more than {MAX_ALIASED} nodes"),
            ));
            return false;
        }
        self.copied += size;
        true
    }

    /// Places a complete node in its parent, as the loader's
    /// `insert_new_node` does.
    fn insert(
        &mut self,
        (node, anchor, size): (Node, usize, usize),
        mark: Marker,
    ) -> Result<(), ScanError> {
        if anchor > 0 {
            // The anchor's copy counts as an alias's would: anchors nested
            // in anchors, each copied whole, grew as depth times size.
            if !self.copies(size, mark) {
                return Ok(());
            }
            self.anchors.insert(anchor, (node.clone(), size));
        }
        if let Some(parent) = self.stack.last_mut() {
            *parent.size() += size;
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq(items, ..)) => items.push(node),
            Some(Frame::Map {
                entries, key, keys, ..
            }) => match key.take() {
                // A bad value read as a key leaves the key awaited (as in
                // the loader, whose "no key yet" is a bad value).
                None => *key = (node != BAD_VALUE).then_some(node),
                Some(k) => {
                    let duplicate = match keys {
                        Some(keys) => !keys.insert(k.clone()),
                        None => entries.iter().any(|(e, _)| *e == k),
                    };
                    if duplicate {
                        return Err(ScanError::new_string(
                            mark,
                            format!("{:?}: duplicated key in mapping", k.to_yaml()),
                        ));
                    }
                    entries.push((k, node));
                    if keys.is_none() && entries.len() > SCAN_KEYS {
                        *keys = Some(entries.iter().map(|(k, _)| k.clone()).collect());
                    }
                }
            },
        }
        Ok(())
    }
}

/// Whether `v` is a float of the core schema as yaml_rust2 reads one (its
/// private `parse_f64`): an infinity or NaN, or text holding a digit that
/// Rust parses as an `f64`.
fn is_float(v: &str) -> bool {
    match v {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => true,
        "-.inf" | "-.Inf" | "-.INF" => true,
        ".nan" | ".NaN" | ".NAN" => true,
        _ => v.bytes().any(|b| b.is_ascii_digit()) && v.parse::<f64>().is_ok(),
    }
}

/// A scalar as the loader resolves it: a quoted or block scalar is a string,
/// a plain one with a core schema tag (`!!int`) is read as that type (a bad
/// value when it is not one), any other tag makes a string, and an untagged
/// plain scalar is what [`Yaml::from_str`] reads.
fn resolve(v: String, style: TScalarStyle, tag: Option<Tag>) -> Yaml {
    if style != TScalarStyle::Plain {
        return Yaml::String(v);
    }
    let Some(tag) = tag else {
        return Yaml::from_str(&v);
    };
    if tag.handle != "tag:yaml.org,2002:" {
        return Yaml::String(v);
    }
    match tag.suffix.as_str() {
        "bool" => match v.as_str() {
            "true" | "True" | "TRUE" => Yaml::Boolean(true),
            "false" | "False" | "FALSE" => Yaml::Boolean(false),
            _ => Yaml::BadValue,
        },
        "int" => v.parse::<i64>().map_or(Yaml::BadValue, Yaml::Integer),
        "float" if is_float(&v) => Yaml::Real(v),
        "float" => Yaml::BadValue,
        "null" => match v.as_str() {
            "~" | "null" => Yaml::Null,
            _ => Yaml::BadValue,
        },
        _ => Yaml::String(v),
    }
}

#[cfg(test)]
mod tests;
