//! A missing required param is a compile error (one case per verb of the
//! spec page). Kept in its own small crate so trybuild does not rebuild the
//! corpus-generated `stackql-tests` crate.

#[test]
fn missing_required_params_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
