#!/usr/bin/env bash
# Checks that `stackql-codegen diff` and cargo-semver-checks agree on a real
# regeneration, resource by resource (see docs/semver.md).
#
#   bash ci/semver-agreement.sh                    connect, s3, lambda, iam
#   bash ci/semver-agreement.sh connect lambda     other services
#
# For the named services it copies the pages of ../shared/corpus/aws-2024-06
# and ../shared/corpus/current/aws into two specs trees, generates a crate
# from each (`bindings`, baseline 1.0.0 and candidate 1.0.1), runs
# `cargo semver-checks check-release --all-features` on them and compares its
# failures, by the resource whose module holds each item, with the diff of
# the same pages. It fails when cargo-semver-checks reports a break in a
# resource the diff calls not breaking, or when the diff calls a resource
# breaking for a change that compiles and is not a documented blind spot of
# cargo-semver-checks (BLIND_SPOTS in tests/tests/semver.rs). The comparison
# is the test `cargo_semver_checks_agrees_with_the_diff` of
# tests/tests/semver.rs (CI runs it on two pages when cargo-semver-checks is
# on PATH), here on whole services; it prints the counts and every failure.
#
# Needs cargo-semver-checks: `cargo install cargo-semver-checks --locked`
# (several hundred crates: about an hour on two busy cores).
# Environment: CARGO_TARGET_DIR (the tests' build), the corpus beside the
# repository.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-semver-checks >/dev/null; then
    echo "cargo-semver-checks is not on PATH: cargo install cargo-semver-checks --locked" >&2
    exit 2
fi
if [ ! -f ../shared/corpus/README.md ]; then
    echo "the corpus is not at ../shared/corpus (a checkout of the shared corpus beside the repository)" >&2
    exit 2
fi
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(connect s3 lambda iam)
STACKQL_SEMVER_SERVICES="$(IFS=,; echo "${services[*]}")" \
    cargo test -p stackql-tests --test semver cargo_semver_checks_agrees_with_the_diff \
    -- --exact --nocapture
