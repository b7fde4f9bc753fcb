//! Bindings generated at build time from the fixture pages in
//! `tests/fixtures/` (one module per page generation), exercised by the
//! tests in `tests/tests/`.
#![allow(missing_docs)]

pub mod emulate;
pub mod postgres;
pub mod stackql_server;

/// The current generation: `aws` (s3, sqs), `google` (compute, iam),
/// `github` (repos, activity) and `digitalocean` (volumes).
pub mod current {
    include!(concat!(env!("OUT_DIR"), "/current/bindings.rs"));
}

/// The 2023-11 generation (singular pages, prose methods): `aws` (connect, ec2).
pub mod aws_2023_11 {
    include!(concat!(env!("OUT_DIR"), "/aws_2023_11/bindings.rs"));
}

/// The 2024-06 native-API form: `aws` (transfer).
pub mod aws_2024_06 {
    include!(concat!(env!("OUT_DIR"), "/aws_2024_06/bindings.rs"));
}
