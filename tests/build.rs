//! Build-script mode: generates bindings from corpus slices into OUT_DIR,
//! as a downstream crate would (see `stackql_codegen::Config::generate_module`).

use std::path::{Path, PathBuf};

fn main() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"));
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=../codegen/src");
    println!("cargo:rerun-if-changed=../runtime/src");
    for (name, specs, only) in [
        (
            "current",
            corpus.join("current"),
            vec!["aws/s3/", "google/compute/", "github/repos/"],
        ),
        ("aws_2023_11", corpus.join("aws-2023-11"), vec!["connect/"]),
    ] {
        println!("cargo:rerun-if-changed={}", specs.display());
        stackql_codegen::Config::new()
            .specs(&specs)
            .only(only)
            .service_features(false)
            .generate_module(&out.join(name))
            .unwrap_or_else(|e| panic!("generating from {}: {e}", specs.display()));
    }
}
