#!/usr/bin/env bash
# Lints the IAM policies generated from the real AWS pages with parliament
# (PyPI `parliament`, an IAM policy linter) and compares its findings with
# the reviewed allow-list ci/parliament-allowed.tsv.
#
#   bash ci/parliament.sh            check (CI): any finding not allowed fails
#   bash ci/parliament.sh --update   rewrite the allow-list from this run
#
# Policies are generated (with the dev build CI already has: the generator
# crate is optimised at opt-level 2 in the dev profile) from ../shared/corpus/current/aws and
# ../shared/corpus/aws-2024-06 into target/parliament/, and parliament runs on
# both at once. Findings are compared as (folder, issue, action, count).
# Only facts of the pages may be allowed, and each finding is checked on
# every run against the page its policy file comes from (for a view, the page
# its Permissions section links to):
#   - RESOURCE_STAR, RESOURCE_MISMATCH: the pages list actions without
#     resource ARNs, so every statement is on Resource "*"; every action the
#     finding names must be one the page lists (or matches a wildcard it
#     lists); counted per folder under the action `*`;
#   - UNKNOWN_ACTION, UNKNOWN_PREFIX: the page lists the action;
#   - RESOURCE_POLICY_PRIVILEGE_ESCALATION: the action it allows is a handler
#     action the page lists, not a Cloud Control one.
# Anything else (malformed documents, findings on the Cloud Control actions
# the generator adds, new kinds of findings) fails, and --update refuses to
# allow it.
#
# Environment: STACKQL_CORPUS (default ../shared/corpus), CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

PARLIAMENT_VERSION=1.6.4
ALLOWED=ci/parliament-allowed.tsv
CORPUS=${STACKQL_CORPUS:-../shared/corpus}
FOLDERS=(current/aws aws-2024-06)
mode=check
case "${1:-}" in
  "") ;;
  --update) mode=update ;;
  *) echo "usage: bash ci/parliament.sh [--update]" >&2; exit 2 ;;
esac

for f in "${FOLDERS[@]}"; do
  test -d "$CORPUS/$f" || { echo "parliament.sh: $CORPUS/$f is missing (the shared corpus beside the repository)" >&2; exit 1; }
done

installed() {
  python3 -c "import sys, parliament; sys.exit(parliament.__version__ != '$PARLIAMENT_VERSION')" 2>/dev/null
}
if ! installed; then
  echo "parliament.sh: installing parliament $PARLIAMENT_VERSION with pip" >&2
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    "parliament==$PARLIAMENT_VERSION" >&2
  installed || { echo "parliament.sh: parliament $PARLIAMENT_VERSION is not importable after pip install" >&2; exit 1; }
fi

cargo build -q -p stackql-codegen
bin="${CARGO_TARGET_DIR:-target}/debug/stackql-codegen"
built=$SECONDS

# The crates are generated under target/ and kept: `generate` rewrites only
# what changed, and deleting thousands of files is slow on some disks.
work="${CARGO_TARGET_DIR:-target}/parliament"
mkdir -p "$work"

# Generate and lint both folders in parallel.
pids=()
for f in "${FOLDERS[@]}"; do
  name=${f//\//-}
  (
    "$bin" generate --specs "$CORPUS/$f" --out "$work/$name" --allow-partial 2>"$work/$name.generate.log" ||
      { echo "parliament.sh: generating $f failed:" >&2; tail -20 "$work/$name.generate.log" >&2; exit 1; }
    # parliament exits 1 when it has findings; a crash also exits 1 but
    # prints a traceback, which is checked for below.
    rc=0
    python3 -m parliament.cli --directory "$work/$name/policies" --include_policy_extension .json \
      --json --minimum_severity INFO </dev/null >"$work/$name.findings" 2>"$work/$name.parliament.log" || rc=$?
    if [ "$rc" -gt 1 ] || grep -q Traceback "$work/$name.parliament.log"; then
      echo "parliament.sh: parliament failed on $f (exit $rc):" >&2
      tail -20 "$work/$name.parliament.log" >&2
      exit 1
    fi
  ) &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do
  wait "$pid" || failed=1
done
[ "$failed" = 0 ] || exit 1
echo "parliament.sh: build ${built}s, generating and linting $((SECONDS - built))s" >&2

args=()
for f in "${FOLDERS[@]}"; do
  name=${f//\//-}
  args+=("$f" "$CORPUS/$f" "$work/$name/policies" "$work/$name.findings")
done

python3 - "$mode" "$ALLOWED" "$PARLIAMENT_VERSION" "${args[@]}" <<'PY'
import collections, fnmatch, json, os, re, sys

mode, allowed_path, version, rest = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
runs = [rest[i:i + 4] for i in range(0, len(rest), 4)]
ACTION = re.compile(r"[A-Za-z0-9-]+:[A-Za-z0-9*_.-]+")

RESOURCE_STAR = {"RESOURCE_STAR", "RESOURCE_MISMATCH"}
UNKNOWN = {"UNKNOWN_ACTION", "UNKNOWN_PREFIX"}
ESCALATION = {"RESOURCE_POLICY_PRIVILEGE_ESCALATION"}
WHY = {
    "RESOURCE_STAR": "the pages list actions, not resource ARNs: every statement is on Resource *",
    "RESOURCE_MISMATCH": "the pages list actions, not resource ARNs: every statement is on Resource *",
    "UNKNOWN_ACTION": "listed on the page(s) but not in parliament's IAM definitions",
    "UNKNOWN_PREFIX": "listed on the page(s) but its service prefix is not in parliament's IAM definitions",
    "RESOURCE_POLICY_PRIVILEGE_ESCALATION": "a handler action the page lists for the operation",
}


def read_pages(folder):
    """`service/resource` -> (lower-cased entries of its Permissions code
    blocks, or the resource its Permissions section links to)."""
    out = {}
    for service in sorted(os.listdir(folder)):
        sdir = os.path.join(folder, service)
        if not os.path.isdir(sdir):
            continue
        for resource in sorted(os.listdir(sdir)):
            path = os.path.join(sdir, resource, "index.md")
            if not os.path.isfile(path):
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            start = text.find("\n## Permissions")
            if start < 0:
                continue
            section = text[start + 1:]
            end = re.search(r"\n#{1,2} ", section)
            section = section[: end.start()] if end else section
            entries = set()
            for block in re.findall(r"```[^\n]*\n(.*?)```", section, re.S):
                entries.update(e.strip().lower() for e in block.split(",") if e.strip())
            link = re.search(r"/([^/\"()]+)/?#permissions", section)
            out[f"{service}/{resource}"] = (entries, None if entries or not link else link.group(1))
    return out


class Listed:
    """The actions one page lists (lower-cased); wildcard entries such as
    `ec2:*` or `s3:Get*` cover every action they match, as parliament
    expands them."""

    def __init__(self, entries):
        self.exact = set(entries)
        patterns = [fnmatch.translate(e) for e in entries if "*" in e]
        self.wild = re.compile("|".join(patterns)) if patterns else None

    def __contains__(self, action):
        action = action.lower()
        return action in self.exact or bool(self.wild and self.wild.fullmatch(action))


class Pages:
    """The listed actions behind each policy file: its page's, or for a view
    the page its Permissions section links to."""

    def __init__(self, folder):
        self.pages = read_pages(folder)
        self.cache = {}

    def for_policy(self, relative):
        m = re.fullmatch(r"aws/([^/]+)/([^/.]+)(\.part\d+)?\.json", relative)
        if not m:
            return None
        key = f"{m.group(1)}/{m.group(2)}"
        if key not in self.cache:
            entries, base = self.pages.get(key, (set(), None))
            if base is not None:
                entries = self.pages.get(f"{m.group(1)}/{base}", (set(), None))[0]
            self.cache[key] = Listed(entries)
        return self.cache[key]


def short(items, n=5):
    return ", ".join(items[:n]) + (f" and {len(items) - n} more" if len(items) > n else "")


CLOUD_CONTROL = {
    "cloudformation:createresource", "cloudformation:getresource", "cloudformation:updateresource",
    "cloudformation:deleteresource", "cloudformation:listresources", "cloudformation:getresourcerequeststatus",
}


def key_of(finding, listed):
    """(action key, problem or None) for one finding; `listed` is what its
    policy's page lists."""
    issue, detail = finding["issue"], finding.get("detail")
    location = finding.get("location") or {}
    if listed is None:
        return str(detail), "the finding is not on a generated policy file"
    if issue in RESOURCE_STAR:
        named = ACTION.findall(json.dumps(detail))
        unlisted = [a for a in named if a not in listed]
        if unlisted:
            return "*", "names actions its page does not list: " + short(unlisted)
        return "*", None
    if issue in UNKNOWN:
        action = location.get("string") or ""
        if action not in listed:
            return action, f"`{action}` is not listed on its page"
        return action, None
    if issue in ESCALATION:
        m = re.search(r"does allow (\S+)", str(detail))
        action = m.group(1) if m else ""
        if action.lower() in CLOUD_CONTROL:
            return action, "caused by a Cloud Control action the generator adds"
        if not action or action not in listed:
            return action or "?", f"allows `{action}`, which its page does not list"
        return action, None
    return str(detail), f"{issue} is not a kind of finding that can be a fact of the pages"


found = collections.Counter()
examples = {}
problems = []
summary = []
for folder, corpus, policies, findings_path in runs:
    pages = Pages(corpus)
    files = sum(len([n for n in ns if n.endswith(".json")]) for _, _, ns in os.walk(policies))
    per_issue = collections.Counter()
    with open(findings_path) as f:
        for line in f:
            if not line.strip():
                continue
            try:
                finding = json.loads(line)
            except json.JSONDecodeError:
                problems.append(f"{folder}: parliament printed a line that is not JSON: {line.strip()[:200]}")
                continue
            path = (finding.get("location") or {}).get("filepath") or ""
            where = os.path.relpath(path, policies) if path else "?"
            action, problem = key_of(finding, pages.for_policy(where))
            key = (folder, finding["issue"], action)
            found[key] += 1
            per_issue[finding["issue"]] += 1
            examples.setdefault(key, where)
            if problem:
                problems.append(f"{folder} {finding['issue']} {action} ({where}): {problem}")
    if files == 0:
        problems.append(f"{folder}: no policy files were generated")
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(per_issue.items())) or "none"
    summary.append(f"{folder}: {files} policy files, {sum(per_issue.values())} findings ({kinds})")

print(f"parliament {version}:", file=sys.stderr)
for s in summary:
    print(f"  {s}", file=sys.stderr)

if problems:
    print(f"\nparliament.sh: {len(problems)} finding(s) that are not facts of the pages "
          "(a generator problem, or a new kind of finding to look at; not allowed):", file=sys.stderr)
    for p in sorted(set(problems)):
        print(f"  {p}", file=sys.stderr)
    sys.exit(1)

if mode == "update":
    with open(allowed_path, "w") as out:
        out.write(
            f"# parliament {version} findings on the policies generated from ../shared/corpus, allowed because\n"
            "# they are facts of the pages (see ci/parliament.sh); any other finding fails CI.\n"
            "# Regenerate with `bash ci/parliament.sh --update` and review the diff.\n"
            "# folder\tissue\taction\tcount\twhy\n"
        )
        for (folder, issue, action), n in sorted(found.items()):
            why = WHY[issue]
            if action != "*":
                why += f" (e.g. {examples[(folder, issue, action)]})"
            out.write(f"{folder}\t{issue}\t{action}\t{n}\t{why}\n")
    print(f"parliament.sh: wrote {allowed_path} ({len(found)} rows); review the diff", file=sys.stderr)
    sys.exit(0)

allowed = {}
with open(allowed_path) as f:
    for number, line in enumerate(f, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 4 or not cols[3].isdigit():
            print(f"parliament.sh: {allowed_path}:{number}: expected folder, issue, action, count, why", file=sys.stderr)
            sys.exit(1)
        allowed[(cols[0], cols[1], cols[2])] = int(cols[3])

new = [(k, n) for k, n in sorted(found.items()) if k not in allowed]
changed = [(k, allowed[k], n) for k, n in sorted(found.items()) if k in allowed and allowed[k] != n]
gone = [(k, n) for k, n in sorted(allowed.items()) if k not in found]
if new or changed or gone:
    print(f"\nparliament.sh: the findings differ from {allowed_path}:", file=sys.stderr)
    for (folder, issue, action), n in new:
        print(f"  not allowed: {folder} {issue} {action}: {n} finding(s), e.g. {examples[(folder, issue, action)]}",
              file=sys.stderr)
    for (folder, issue, action), want, n in changed:
        print(f"  count changed: {folder} {issue} {action}: {n} finding(s), the allow-list says {want}"
              f" (e.g. {examples[(folder, issue, action)]})", file=sys.stderr)
    for (folder, issue, action), n in gone:
        print(f"  no longer reported: {folder} {issue} {action} (allowed {n})", file=sys.stderr)
    print("Each finding above is a fact of the pages (checked); if the change is expected, run "
          "`bash ci/parliament.sh --update`, review and commit the allow-list.", file=sys.stderr)
    sys.exit(1)
print(f"parliament.sh: every finding is in {allowed_path} ({len(allowed)} rows)", file=sys.stderr)
PY
