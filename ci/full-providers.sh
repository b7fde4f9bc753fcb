#!/usr/bin/env bash
# The whole-provider check (issue #5), too long for CI (~15 min on 2 cores):
# generates every resource page of current/aws, current/google and
# current/github into one crate and runs, with every feature enabled,
# `cargo check`, `cargo clippy -D warnings` and `cargo doc` with rustdoc
# warnings denied. Prints the lines generated and each step's wall time and
# peak memory. CI checks slices of the same providers (the `tests` crate).
#
#   bash ci/full-providers.sh [CORPUS_DIR]     # default ../shared/corpus
#
# Work directory: $STACKQL_FULL_DIR (default $TMPDIR/stackql-full); its
# target/ is reused by the next run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(cd "${1:-$root/../shared/corpus}" && pwd)
work=${STACKQL_FULL_DIR:-${TMPDIR:-/tmp}/stackql-full}
mkdir -p "$work"

cargo build --quiet --release -p stackql-codegen --manifest-path "$root/Cargo.toml"
"$root/target/release/stackql-codegen" generate --specs "$corpus/current" \
    --only aws/ --only google/ --only github/ --out "$work/crate" 2>"$work/warnings.txt"
echo "generated: $(grep -c . "$work/warnings.txt" || true) page warnings (in $work/warnings.txt)"
for p in aws google github; do
    echo "lines: $p $(find "$work/crate/src/$p" -name '*.rs' -print0 | xargs -0 cat | wc -l)"
done
echo "lines: total $(find "$work/crate/src" -name '*.rs' -print0 | xargs -0 cat | wc -l)"

export CARGO_TARGET_DIR="$work/target"
cd "$work/crate"
cargo fetch --quiet
timed() {
    local name=$1
    shift
    local start end
    start=$(date +%s)
    if command -v /usr/bin/time >/dev/null; then
        /usr/bin/time -f "%M" -o "$work/rss" "$@"
    else
        echo 0 >"$work/rss"
        "$@"
    fi
    end=$(date +%s)
    echo "$name: $((end - start)) s wall, rustc peak $(($(tail -1 "$work/rss") / 1024)) MB"
}
# Each step starts from a clean crate build (dependencies stay built).
cargo clean --quiet -p stackql-bindings
timed "cargo check --all-features" cargo check --quiet --all-features
cargo clean --quiet -p stackql-bindings
timed "cargo clippy --all-features -D warnings" cargo clippy --quiet --all-features -- -D warnings
timed "cargo doc --all-features (rustdoc -D warnings)" \
    env RUSTDOCFLAGS="-D warnings" cargo doc --quiet --all-features --no-deps
echo "full providers: check, clippy and docs clean"
