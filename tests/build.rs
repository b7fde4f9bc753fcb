//! Build-script mode: generates bindings from the fixture pages in
//! `tests/fixtures/` into OUT_DIR, as a downstream crate would (see
//! `stackql_codegen::Config::generate_module`). The fixtures are the
//! project's own pages, so the crate builds in any clone; the real provider
//! slices are compiled by `tests/corpus_slices.rs` when the corpus is present.

use std::path::{Path, PathBuf};

fn main() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"));
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=../codegen/src");
    println!("cargo:rerun-if-changed=../runtime/src");
    for (module, generation) in [
        ("current", "current"),
        ("aws_2023_11", "aws-2023-11"),
        ("aws_2024_06", "aws-2024-06"),
    ] {
        let specs = fixtures.join(generation);
        println!("cargo:rerun-if-changed={}", specs.display());
        stackql_codegen::Config::new()
            .specs(&specs)
            .service_features(false)
            .generate_module(&out.join(module))
            .unwrap_or_else(|e| panic!("generating from {}: {e}", specs.display()));
    }
}
