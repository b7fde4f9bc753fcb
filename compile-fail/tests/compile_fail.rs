//! What the generated API must refuse to compile: a missing required param
//! (one case per verb of the spec page) and a struct literal of a generated
//! type outside the crate (`#[non_exhaustive]`, so that added fields are a
//! minor release). Kept in its own small crate so trybuild does not rebuild
//! the corpus-generated `stackql-tests` crate.

#[test]
fn misuses_of_the_generated_api_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
