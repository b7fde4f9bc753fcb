//! The example sections: SQL examples, the identifier they use and the
//! INSERT column lists.

use super::Ctx;
use crate::diagnostic::{Kind, Severity};
use crate::model::*;
use crate::parse::blocks::{Block, CodeBlock, Section};
use crate::parse::{manifest, norm, sql};

/// `Some(None)` for a plain `## Examples` heading (or `## Lifecycle
/// Methods`, StackQL's newer docs' heading of EXEC examples), whose
/// examples' verbs are their first keywords, `Some(Some(verb))` for `##
/// SELECT examples` (`None` inside when the word is no verb), `None` for any
/// other heading.
fn example_verb(title: &str) -> Option<Option<Option<Verb>>> {
    let t = norm(title);
    if t == "lifecycle methods" {
        return Some(None);
    }
    let rest = t
        .strip_suffix("examples")
        .or_else(|| t.strip_suffix("example"))?
        .trim();
    Some(if rest.is_empty() {
        None
    } else {
        Some(Verb::parse(rest))
    })
}

pub(super) fn examples(cx: &mut Ctx, sections: &[Section]) -> Vec<Example> {
    let mut out = Vec::new();
    for s in sections {
        let Some(heading_verb) = example_verb(&s.title) else {
            continue;
        };
        let mut caption: Option<String> = None;
        for b in &s.blocks {
            match b {
                Block::Paragraph(p) if !p.text.starts_with('<') && !p.text.is_empty() => {
                    caption = Some(p.text.clone())
                }
                // Indented blocks are stray indentation in MDX, never examples.
                Block::Code(c) if c.fenced => {
                    out.push(example(cx, &heading_verb, caption.take(), c))
                }
                _ => {}
            }
        }
    }
    out
}

fn example(
    cx: &mut Ctx,
    heading: &Option<Option<Verb>>,
    caption: Option<String>,
    c: &CodeBlock,
) -> Example {
    let verb = match heading {
        Some(v) => *v,
        None => match sql::tokens(&c.code)
            .ok()
            .and_then(|t| sql::first_keyword(&t))
        {
            Some(k) => Verb::parse(&k),
            None => {
                cx.say(
                    c.line,
                    Severity::Warning,
                    Kind::ExampleVerb,
                    "expected a SQL statement in an example section, could not read its first keyword",
                );
                None
            }
        },
    };
    Example {
        verb,
        tab: c.tab.clone(),
        lang: c.lang.clone(),
        caption,
        code: c.code.clone(),
        line: c.line,
        code_line: c.code_line,
    }
}

fn decode_basic_entities(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The column SELECT and DELETE examples name the identifier with.
const IDENTIFIER: &str = crate::model::DATA_IDENTIFIER;

/// Whether `code` holds [`IDENTIFIER`], in any case. Its `__` (which has
/// no case) is searched for with the standard library's substring search,
/// and only where one is found are the bytes around it compared. The
/// search finds every `__` the word can hold: matches do not overlap, and
/// the byte before the word's `__` is an `a`, so no match ends there.
fn names_identifier(code: &str) -> bool {
    const SPLIT: usize = 4; // `data`
    debug_assert_eq!(&IDENTIFIER[SPLIT..SPLIT + 2], "__");
    code.match_indices("__").any(|(at, _)| {
        at.checked_sub(SPLIT)
            .and_then(|start| code.as_bytes().get(start..start + IDENTIFIER.len()))
            .is_some_and(|w| w.eq_ignore_ascii_case(IDENTIFIER.as_bytes()))
    })
}

/// The identifier's parts from a `Identifier = '{{ a }}|{{ b }}'` predicate
/// (the `awscc` provider's pages): only when every part is a placeholder,
/// `{{ name }}` or `<Name>`.
fn placeholder_parts(values: &[String]) -> Option<Vec<String>> {
    let value = values.first()?;
    value
        .split('|')
        .map(|p| {
            let p = p.trim();
            let inner = p
                .strip_prefix("{{")
                .and_then(|p| p.strip_suffix("}}"))
                .or_else(|| p.strip_prefix('<').and_then(|p| p.strip_suffix('>')))?
                .trim();
            // A property path (`schedule/schedule_id`) names a nested part.
            let word = !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/' | '.'));
            word.then(|| inner.to_string())
        })
        .collect()
}

/// The resource's identifier: the parts of the first SELECT (else DELETE)
/// example's `data__Identifier = '<A>|<B>'`; else, when a method takes an
/// `Identifier` param (`plain`), of its `Identifier = '{{ a }}|{{ b }}'`.
pub(super) fn identifier(examples: &[Example], plain: bool) -> Option<Identifier> {
    identifier_data(examples).or_else(|| plain.then(|| identifier_plain(examples)).flatten())
}

/// The SQL examples an identifier is read from: the SELECTs, then the
/// DELETEs, in page order.
fn select_then_delete(examples: &[Example]) -> impl Iterator<Item = &Example> {
    let of = |verb: Verb| examples.iter().filter(move |e| e.verb == Some(verb));
    of(Verb::Select)
        .chain(of(Verb::Delete))
        .filter(|e| e.lang == "sql")
}

/// The identifier of an `awscc` page: `WHERE Identifier = '{{ arn }}'`.
fn identifier_plain(examples: &[Example]) -> Option<Identifier> {
    const WIRE: &str = crate::model::PLAIN_IDENTIFIER;
    for e in select_then_delete(examples).filter(|e| e.code.contains(WIRE)) {
        let Ok(toks) = sql::tokens(&e.code) else {
            continue;
        };
        if let Some(parts) = placeholder_parts(&sql::predicate_values(&toks, WIRE)) {
            return Some(Identifier {
                parts,
                line: e.line,
                wire: WIRE.to_string(),
            });
        }
    }
    None
}

fn identifier_data(examples: &[Example]) -> Option<Identifier> {
    // A word `data__Identifier` (quoted or not) is spelled out in the
    // code: examples without it have no parts and are not tokenized.
    for e in select_then_delete(examples).filter(|e| names_identifier(&e.code)) {
        let Ok(toks) = sql::tokens(&e.code) else {
            continue;
        };
        let values = sql::predicate_values(&toks, IDENTIFIER);
        let parts: Vec<String> = values
            .iter()
            .flat_map(|v| {
                decode_basic_entities(v)
                    .split('|')
                    .map(|p| {
                        p.trim()
                            .trim_matches(|c| c == '<' || c == '>')
                            .trim()
                            .to_string()
                    })
                    .collect::<Vec<_>>()
            })
            .filter(|p| !p.is_empty())
            .collect();
        if !parts.is_empty() {
            return Some(Identifier {
                parts,
                line: e.line,
                wire: IDENTIFIER.to_string(),
            });
        }
    }
    None
}

pub(super) fn insert_spec(
    cx: &mut Ctx,
    sections: &[Section],
    examples: &[Example],
) -> Option<InsertSpec> {
    let line = sections
        .iter()
        .find(|s| example_verb(&s.title) == Some(Some(Some(Verb::Insert))))?
        .line;
    let mut spec = InsertSpec {
        line,
        ..InsertSpec::default()
    };
    for e in examples.iter().filter(|e| e.verb == Some(Verb::Insert)) {
        if e.lang == "yaml" || e.tab.as_deref() == Some("manifest") {
            match manifest::properties_lenient(&e.code) {
                Ok((p, mended)) => {
                    spec.properties = p;
                    for l in mended.quoted {
                        cx.say(
                            e.line_of(l),
                            Severity::Warning,
                            Kind::Manifest,
                            "expected valid YAML in the manifest, found a value holding an unquoted `: `; read as text",
                        );
                    }
                    for l in mended.repeated {
                        cx.say(
                            e.line_of(l),
                            Severity::Warning,
                            Kind::Manifest,
                            "expected each key of the manifest once, found this line repeating the line above; the repeat is skipped",
                        );
                    }
                    for l in mended.reindented {
                        cx.say(
                            e.line_of(l),
                            Severity::Warning,
                            Kind::Manifest,
                            "expected the text of a block scalar indented under its key, found this line less indented; read as part of the text",
                        );
                    }
                }
                Err(msg) => cx.say(
                    e.line,
                    Severity::Warning,
                    Kind::Manifest,
                    format!("expected a stack manifest with resource props: {msg}"),
                ),
            }
            continue;
        }
        let cols = match sql::tokens(&e.code) {
            Ok(t) => sql::insert_columns(&t),
            Err(err) => {
                cx.say(
                    e.line,
                    Severity::Warning,
                    Kind::SqlTokenize,
                    format!("expected a SQL statement, the tokenizer says: {err}"),
                );
                continue;
            }
        };
        let Some(cols) = cols else {
            cx.say(
                e.line,
                Severity::Warning,
                Kind::InsertColumns,
                "expected `INSERT INTO table (columns...)`, found no column list",
            );
            continue;
        };
        match e.tab.as_deref() {
            Some("required") => spec.required = cols,
            _ => spec.all = cols,
        }
    }
    Some(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identifier_is_found_in_any_case_and_only_whole() {
        for code in [
            "",
            "data__Identifier",
            "WHERE DATA__IDENTIFIER = 'x'",
            "x data__identifier",
            "__data__Identifier",
            "data___Identifier",
            "data_Identifier",
            "data__Identifie",
            "ata__Identifier",
            "é data__Identifier é",
            "a__b__data__identifier__",
        ] {
            let windows = code
                .as_bytes()
                .windows(IDENTIFIER.len())
                .any(|w| w.eq_ignore_ascii_case(IDENTIFIER.as_bytes()));
            assert_eq!(names_identifier(code), windows, "{code:?}");
        }
    }
}
