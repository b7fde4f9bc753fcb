//! The text emitter against the quote-based emitter it replaced
//! (`reference`), over every resource of the shared corpus: each file the
//! text emitter writes is the same code, token for token apart from
//! formatting. The file is lexed by `proc_macro2` and compared tree by tree
//! with the reference's tokens; only what rustfmt itself changes is not
//! counted: a trailing comma before a closing delimiter, and how a string
//! literal is spelled (`/// x` lexes to `#[doc = " x"]`, a `///` line inside
//! `quote!` to `#[doc = r" x"]`: the same string).

use super::{normalize, reference, resource_file};
use crate::resolve::resources_under as resources;
use proc_macro2::{TokenStream, TokenTree};
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// The trees of a stream, without trailing commas: the one before the end
/// of the group, and those before the `>` closing generic arguments.
fn trees(stream: TokenStream) -> Vec<TokenTree> {
    let all: Vec<TokenTree> = stream.into_iter().collect();
    let is =
        |t: Option<&TokenTree>, c: char| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c);
    (0..all.len())
        .filter(|&i| !(is(all.get(i), ',') && (i + 1 == all.len() || is(all.get(i + 1), '>'))))
        .map(|i| all[i].clone())
        .collect()
}

/// The value of a string literal, or its text for any other literal.
fn literal_value(text: &str) -> String {
    syn::parse_str::<syn::LitStr>(text).map_or_else(|_| text.to_string(), |l| l.value())
}

/// Where two token streams first differ, or `None` when they are the same
/// (see the module docs for what is not counted).
fn first_difference(new: TokenStream, old: TokenStream) -> Option<String> {
    let (new, old) = (trees(new), trees(old));
    for (a, b) in new.iter().zip(&old) {
        let same = match (a, b) {
            (TokenTree::Group(x), TokenTree::Group(y)) => {
                if x.delimiter() != y.delimiter() {
                    false
                } else if let Some(d) = first_difference(x.stream(), y.stream()) {
                    return Some(d);
                } else {
                    true
                }
            }
            (TokenTree::Ident(x), TokenTree::Ident(y)) => x == y,
            (TokenTree::Punct(x), TokenTree::Punct(y)) => x.as_char() == y.as_char(),
            (TokenTree::Literal(x), TokenTree::Literal(y)) => {
                let (x, y) = (x.to_string(), y.to_string());
                x == y || literal_value(&x) == literal_value(&y)
            }
            _ => false,
        };
        if !same {
            return Some(format!("new `{a}` where the reference has `{b}`"));
        }
    }
    (new.len() != old.len()).then(|| {
        let rest = |t: &[TokenTree], n: usize| t.get(n..).map(|r| r.len()).unwrap_or(0);
        let n = new.len().min(old.len());
        format!(
            "{} more tokens in the new, {} in the reference, after `{}`",
            rest(&new, n),
            rest(&old, n),
            new.get(n.saturating_sub(1))
                .map(ToString::to_string)
                .unwrap_or_default()
        )
    })
}

/// Compares the two emitters on every resource under `dir`; returns how
/// many were compared.
fn compare(dir: &Path) -> usize {
    use rayon::prelude::*;
    let all = resources(dir);
    let krate = crate::resolve::resolve(&all, true, &mut Vec::new());
    let failures: Vec<String> = krate
        .resources
        .par_iter()
        .filter_map(|r| {
            let text = resource_file(r);
            let new: TokenStream = match text.parse() {
                Ok(t) => t,
                Err(e) => return Some(format!("{}: does not lex: {e}", r.res.source)),
            };
            let old = reference::tokens(r, &normalize);
            first_difference(new, old).map(|d| format!("{}: {d}", r.res.source))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} resources differ:\n{}",
        failures.len(),
        krate.resources.len(),
        failures[..failures.len().min(5)].join("\n")
    );
    krate.resources.len()
}

#[test]
fn the_text_emitter_writes_the_reference_tokens_for_the_whole_corpus() {
    let root = corpus();
    if !root.is_dir() {
        eprintln!("skipped: no corpus at {}", root.display());
        return;
    }
    let mut compared = 0;
    for folder in ["current", "aws-2024-06", "aws-2023-11"] {
        compared += compare(&root.join(folder));
    }
    // Every resource page of the three folders (5,272 + 1,013 + 388).
    assert!(compared > 6_000, "{compared}");
}

#[test]
fn the_specs_page_renders_the_reference_tokens_and_parses() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    assert_eq!(compare(&specs), 1);
    let all = resources(&specs);
    let krate = crate::resolve::resolve(&all, true, &mut Vec::new());
    let text = resource_file(&krate.resources[0]);
    syn::parse_file(&text).expect("valid Rust");
}

/// The project's own fixture pages (formats the corpus lacks among them)
/// in any clone.
#[test]
fn the_fixture_pages_render_the_reference_tokens() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut compared = 0;
    for folder in ["current", "aws-2024-06", "aws-2023-11"] {
        compared += compare(&fixtures.join(folder));
    }
    assert!(compared >= 20, "{compared}");
}

/// The rustdoc of `function` in `text`: the `///` lines right above it.
fn docs_of(text: &str, function: &str) -> String {
    let at = text
        .find(&format!("pub fn {function}("))
        .unwrap_or_else(|| panic!("no function {function}"));
    let lines: Vec<&str> = text[..at].lines().collect();
    let docs: Vec<&str> = lines
        .iter()
        .rev()
        .take_while(|l| l.trim_start().starts_with("///"))
        .copied()
        .collect();
    docs.into_iter().rev().collect::<Vec<_>>().join("\n")
}

#[test]
fn rustdoc_names_optional_params_and_an_exec_body() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/current");
    let all = resources(&fixtures);
    let krate = crate::resolve::resolve(&all, true, &mut Vec::new());
    let file = |id: &str| {
        let r = krate
            .resources
            .iter()
            .find(|r| r.res.id.to_string() == id)
            .unwrap_or_else(|| panic!("no {id}"));
        resource_file(r)
    };
    let webhooks = file("aws.amplify.webhooks");
    assert!(docs_of(&webhooks, "list_webhooks").contains(
        "required params: `app_id`, `region`; optional params: `nextToken`, `maxResults` (typed: `ListWebhooksOptions`, given with `.params`)."
    ));
    assert!(!docs_of(&webhooks, "get_webhook").contains("optional"));
    // The `## Parameters` table describes each param the function takes,
    // then the optional ones.
    let list = docs_of(&webhooks, "list_webhooks");
    let described = [
        "/// - `app_id`: The app's id.",
        "/// - `region`: AWS region (default: us-east-1)",
        "/// - `nextToken` (optional): The page to start from, as the previous page gave it.",
        "/// - `maxResults` (optional): At most this many webhooks per page.",
    ];
    let at: Vec<Option<usize>> = described.iter().map(|d| list.find(d)).collect();
    assert!(at.iter().all(Option::is_some), "{list}");
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{list}");
    // A param folded into the properties struct is documented there.
    assert!(!docs_of(&webhooks, "create_webhook").contains("`branchName`:"));
    let logs = file("aws.logs.log_groups");
    let body = "sends a JSON body (`@@json`): give it with [`Exec::body`](rt::Exec::body).";
    assert!(docs_of(&logs, "delete_retention_policy").contains(body));
    assert!(!docs_of(&logs, "put_retention_policy").contains("@@json"));
}

#[test]
fn a_changed_token_is_a_difference_a_trailing_comma_is_not() {
    let lex = |s: &str| s.parse::<TokenStream>().unwrap();
    assert_eq!(first_difference(lex("f(a, b,)"), lex("f(a, b)")), None);
    assert_eq!(first_difference(lex("A<B<C,>,>"), lex("A<B<C>>")), None);
    assert_eq!(
        first_difference(lex("/// x\nstruct A;"), lex("#[doc = r\" x\"] struct A;")),
        None
    );
    assert!(first_difference(lex("f(a, c)"), lex("f(a, b)")).is_some());
    assert!(first_difference(lex("f(a)"), lex("f(a, b)")).is_some());
    assert!(first_difference(lex("f[a]"), lex("f(a)")).is_some());
    assert!(first_difference(lex("#[doc = \"x\"]"), lex("#[doc = \"y\"]")).is_some());
}

/// `linode.linode.instances`: a service module named like its provider is
/// declared with `module_inception` allowed, as a resource module named
/// like its service is, so the crate stays clippy-clean.
#[test]
fn a_service_named_like_its_provider_allows_module_inception() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/current");
    let page = std::fs::read_to_string(fixtures.join("github/repos/topics/index.md"))
        .unwrap()
        .replace("github.repos.topics", "repos.repos.topics");
    let specs = tempfile::tempdir().unwrap();
    let dir = specs.path().join("repos/repos/topics");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.md"), page).unwrap();
    let generation = crate::Config::new().specs(specs.path()).generate().unwrap();
    let file = |path: &str| {
        let f = generation.files.iter().find(|f| f.path == path);
        f.unwrap_or_else(|| panic!("no {path}")).contents.clone()
    };
    let provider = file("src/repos/mod.rs");
    assert!(
        provider.contains("#[allow(clippy::module_inception)]\npub mod repos;"),
        "{provider}"
    );
    let service = file("src/repos/repos/mod.rs");
    assert!(!service.contains("module_inception"), "{service}");
}
