//! The crate's module files: `src/lib.rs`, one `mod.rs` per provider and
//! service, `bindings.rs` for build-script mode, and `Cargo.toml`.
//!
//! Each Rust file is a few fixed lines per module, so it is written as text,
//! exactly as prettyplease and rustfmt format it (a test parses and
//! re-formats every shape; `tests/tests/corpus_slices.rs` runs `rustfmt
//! --check` over whole providers): writing them cannot fail, and no file is
//! ever written empty.

use super::{header, EmitOptions, OutFile, RuntimeDependency, GENERATOR};
use crate::ident;
use crate::resolve::{RCrate, RProvider, RResource, RService};
use std::collections::BTreeMap;

/// A Rust string literal, as the token prints.
fn literal(s: &str) -> String {
    proc_macro2::Literal::string(s).to_string()
}

/// `github.repos.repos`: a resource module named like its service (or a
/// service module named like its provider, `linode.linode`).
const INCEPTION: &str = "#[allow(clippy::module_inception)]";

/// A `//!` line of `text`, which holds names from the specs: escaped by the
/// one rule for text reaching generated code.
fn doc_line(out: &mut String, text: &str) {
    out.push_str("//! ");
    out.push_str(&super::doc::escape(text));
    out.push('\n');
}

/// `pub mod <module>;` after its attributes, one per line.
fn module_item(out: &mut String, attrs: &[&str], module: &str) {
    for a in attrs {
        out.push_str(a);
        out.push('\n');
    }
    out.push_str("pub mod ");
    out.push_str(module);
    out.push_str(";\n");
}

/// The module files and Cargo.toml of `krate`, mounting every resource;
/// services and providers without any are left out, with their features.
///
/// Fails, naming the problem, when the feature table would not be one cargo
/// accepts (a generator bug: the naming policy decides unique, valid names).
pub(super) fn files(krate: &RCrate, opts: &EmitOptions) -> Result<Vec<OutFile>, String> {
    let mut files = Vec::new();
    let mut features: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut lib_modules = Vec::new();
    for p in &krate.providers {
        let mut mounted = Vec::new();
        for s in &p.services {
            let Some(resources) = krate.resources.get(s.resources.clone()) else {
                continue;
            };
            let resources: Vec<&RResource> = resources.iter().collect();
            if resources.is_empty() {
                continue;
            }
            files.push(service_file(p, s, &resources));
            features
                .entry(p.feature.clone())
                .or_default()
                .push(s.feature.clone());
            mounted.push(s);
        }
        if mounted.is_empty() {
            continue;
        }
        files.push(provider_file(p, &mounted, opts.service_features));
        lib_modules.push(p.module.as_str());
    }
    files.push(lib_file(&lib_modules));
    files.push(OutFile {
        path: "Cargo.toml".into(),
        contents: cargo_toml(&opts.crate_name, &opts.runtime, &features)?,
    });
    Ok(files)
}

/// Checks the module tree of a crate's files before anything is written:
/// no path twice (two modules on one file) and no module both as `x.rs`
/// and as a directory `x/` (rustc E0761). A violation is a generator bug.
pub(super) fn check_tree<'a>(files: impl Iterator<Item = &'a str>) -> Result<(), String> {
    let mut paths: Vec<&str> = files.collect();
    paths.sort();
    if let Some(twice) = paths.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("two generated files at `{}`", twice[0]));
    }
    for p in &paths {
        let Some(stem) = p.strip_suffix(".rs") else {
            continue;
        };
        let dir = format!("{stem}/");
        let at = paths.partition_point(|q| *q < dir.as_str());
        if let Some(inside) = paths.get(at).filter(|q| q.starts_with(&dir)) {
            return Err(format!(
                "module file `{p}` and directory `{dir}` (`{inside}`) both exist (rustc E0761)"
            ));
        }
    }
    Ok(())
}

/// Checks a feature table before it is written: every name valid and
/// unique, every feature a list names defined (or the runtime's).
fn check_features(table: &[(String, Vec<String>)]) -> Result<(), String> {
    let mut keys = std::collections::BTreeSet::new();
    for (k, _) in table {
        if !ident::is_feature(k) {
            return Err(format!("invalid cargo feature name {k:?}"));
        }
        if !keys.insert(k.as_str()) {
            return Err(format!("cargo feature `{k}` defined twice"));
        }
    }
    for (k, list) in table {
        for v in list {
            let runtime = v
                .strip_prefix("stackql-runtime/")
                .is_some_and(ident::is_feature);
            if !runtime && !keys.contains(v.as_str()) {
                return Err(format!(
                    "cargo feature `{k}` enables `{v}`, which is not defined"
                ));
            }
        }
    }
    Ok(())
}

fn service_file(p: &RProvider, s: &RService, resources: &[&RResource]) -> OutFile {
    let mut text = header(&format!("specs of {}.{}", p.name, s.name));
    doc_line(
        &mut text,
        &format!(
            "The `{}.{}` service (feature `{}`).",
            p.name, s.name, s.feature
        ),
    );
    for r in resources {
        let attrs: &[&str] = if r.inception.in_service {
            &[INCEPTION]
        } else {
            &[]
        };
        module_item(&mut text, attrs, &r.module);
    }
    OutFile {
        path: s.file.clone(),
        contents: text,
    }
}

fn provider_file(p: &RProvider, services: &[&RService], gated: bool) -> OutFile {
    let mut text = header(&format!("specs of {}", p.name));
    doc_line(
        &mut text,
        &format!(
            "The `{}` provider (feature `{}` enables all its services).",
            p.name, p.feature
        ),
    );
    for s in services {
        let gate = format!("#[cfg(feature = {})]", literal(&s.feature));
        let mut attrs: Vec<&str> = Vec::new();
        if gated {
            attrs.push(&gate);
        }
        // `linode.linode.instances`: a service named like its provider.
        if s.module == p.module {
            attrs.push(INCEPTION);
        }
        module_item(&mut text, &attrs, &s.module);
    }
    OutFile {
        path: p.file.clone(),
        contents: text,
    }
}

fn lib_file(providers: &[&str]) -> OutFile {
    let mut text = header("specs");
    text.push_str(
        "//! Typed StackQL bindings generated from provider resource docs.\n\
         //!\n\
         //! One module per provider, service and resource; each service is\n\
         //! behind a cargo feature (`aws-connect`), each provider feature\n\
         //! (`aws`) enables all its services. See [`runtime`] for statements\n\
         //! and IAM policies.\n\
         #![deny(missing_docs)]\n\
         #![forbid(unsafe_code)]\n\
         pub use ::stackql_runtime as runtime;\n",
    );
    for p in providers {
        module_item(&mut text, &[], p);
    }
    OutFile {
        path: "src/lib.rs".into(),
        contents: text,
    }
}

/// See [`super::include_file`].
pub(super) fn include_file(out: &std::path::Path, files: &[OutFile]) -> OutFile {
    let mut text = header("specs (build-script mode)");
    text.push_str("pub use ::stackql_runtime as runtime;\n");
    let providers = files
        .iter()
        .filter_map(|f| f.path.strip_prefix("src/")?.strip_suffix("/mod.rs"))
        .filter(|p| !p.contains('/'));
    for m in providers {
        let path = out.join("src").join(m).join("mod.rs");
        let attr = format!("#[path = {}]", literal(&path.to_string_lossy()));
        module_item(&mut text, &[&attr], &ident::escape(m));
    }
    OutFile {
        path: "bindings.rs".into(),
        contents: text,
    }
}

fn cargo_toml(
    name: &str,
    runtime: &RuntimeDependency,
    features: &BTreeMap<String, Vec<String>>,
) -> Result<String, String> {
    let runtime = runtime.toml();
    let mut out = format!(
        "# @generated by {GENERATOR}. Do not edit: regenerate instead.\n\
         [package]\n\
         name = \"{name}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2021\"\n\
         description = \"Typed StackQL bindings and IAM policies generated from StackQL provider docs\"\n\
         license = \"Apache-2.0\"\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = {{ version = \"1\", features = [\"preserve_order\"] }}\n\
         {runtime}\n\
         \n\
         [features]\n"
    );
    let mut table: Vec<(String, Vec<String>)> = vec![("default".into(), Vec::new())];
    table.extend(
        ["client", "blocking", "tls"]
            .map(|f| (f.to_string(), vec![format!("stackql-runtime/{f}")])),
    );
    table.extend(features.iter().map(|(p, s)| (p.clone(), s.clone())));
    table.extend(features.values().flatten().map(|s| (s.clone(), Vec::new())));
    check_features(&table)?;
    for (key, list) in &table {
        if key == "client" {
            out.push_str(
                "# The runtime's client for StackQL servers: async (tokio), blocking, TLS.\n",
            );
        }
        let list: Vec<String> = list.iter().map(|s| format!("\"{s}\"")).collect();
        out.push_str(&format!("{key} = [{}]\n", list.join(", ")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::empty_resources;

    /// The Rust text after the `@generated` line, and that text as
    /// prettyplease formats it after syn parses it.
    fn reformatted(f: &OutFile) -> (String, String) {
        let (first, body) = f.contents.split_once('\n').unwrap();
        assert!(first.starts_with("// @generated by "), "{}", f.path);
        let file = syn::parse_file(body).unwrap_or_else(|e| panic!("{}: {e}", f.path));
        (body.to_string(), prettyplease::unparse(&file))
    }

    fn opts(service_features: bool) -> EmitOptions {
        EmitOptions {
            crate_name: "c".into(),
            runtime: RuntimeDependency::Version("1".into()),
            cloud_control: false,
            service_features,
        }
    }

    #[test]
    fn module_files_are_valid_rust_formatted_as_prettyplease_would() {
        let pages = empty_resources(
            "aws.connect.integration_associations aws.type.self github.repos.repos \
             github.git.ref my-cloud.x.mod runtime.x.y",
        );
        let krate = crate::resolve::resolve(&pages, false, &mut Vec::new());
        for gated in [true, false] {
            let files = files(&krate, &opts(gated)).unwrap();
            let rust: Vec<&OutFile> = files.iter().filter(|f| f.path.ends_with(".rs")).collect();
            // lib.rs and a mod.rs per provider and service.
            assert_eq!(rust.len(), 1 + 4 + 6);
            for f in rust {
                let (text, formatted) = reformatted(f);
                assert_eq!(text, formatted, "{}", f.path);
            }
            let lib = &files.iter().find(|f| f.path == "src/lib.rs").unwrap();
            assert!(lib.contents.contains("pub mod runtime_2;"));
        }
        let out = std::path::Path::new("/o \"q\"\\ü");
        let generated = files(&krate, &opts(true)).unwrap();
        let (text, formatted) = reformatted(&include_file(out, &generated));
        assert_eq!(text, formatted);
        assert!(text.contains("pub mod my_cloud;"), "{text}");
    }

    #[test]
    fn the_module_tree_check_finds_a_path_twice_and_a_module_beside_its_directory() {
        let ok = [
            "src/a.rs",
            "src/a.rs.bak/x.rs",
            "src/a_b/mod.rs",
            "src/b/c.rs",
            "src/lib.rs",
        ];
        assert_eq!(super::check_tree(ok.into_iter()), Ok(()));
        let twice = ["src/b.rs", "src/a.rs", "src/b.rs"];
        assert_eq!(
            super::check_tree(twice.into_iter()),
            Err("two generated files at `src/b.rs`".to_string())
        );
        let beside = ["src/x/y.rs", "src/a.rs", "src/x.rs"];
        assert!(super::check_tree(beside.into_iter())
            .unwrap_err()
            .contains("module file `src/x.rs` and directory `src/x/` (`src/x/y.rs`)"));
    }
}
