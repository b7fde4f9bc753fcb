//! Holds only the compile-fail tests in `tests/`.
