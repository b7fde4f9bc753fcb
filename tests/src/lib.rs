//! Bindings generated at build time from slices of `../shared/corpus`
//! (`current`: aws/s3, google/compute, github/repos; `aws_2023_11`: connect),
//! exercised by the tests in `tests/tests/`.
#![allow(missing_docs)]

pub mod emulate;
pub mod postgres;
pub mod stackql_server;

/// `aws/s3`, `google/compute` and `github/repos` from `current/`.
pub mod current {
    include!(concat!(env!("OUT_DIR"), "/current/bindings.rs"));
}

/// `connect` from the 2023-11 generation (singular pages, prose methods).
pub mod aws_2023_11 {
    include!(concat!(env!("OUT_DIR"), "/aws_2023_11/bindings.rs"));
}
