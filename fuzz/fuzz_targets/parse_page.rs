//! Any bytes, read as a page (lossy UTF-8): `parse_page` and the manifest
//! reader must return (a `Page` with diagnostics / an error), never panic,
//! overflow the stack or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = stackql_codegen::parse::parse_page("fuzz.md", &text);
    let _ = stackql_codegen::parse::manifest::properties(&text);
});
