//! The diff's verdict against what the compiler sees, on real regenerations
//! (`aws-2024-06` → `current/aws`): code written against the old generated
//! crate still builds against the new one when the diff calls the change
//! minor (see `docs/semver.md`).

mod common;

use common::resources;
use stackql_codegen::diff::{diff, ChangeKind, Impact};
use stackql_codegen::Config;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Copies the pages `<service>/<resource>` of one corpus generation into
/// `to` (a specs tree holding only them); a page the generation does not
/// have (a resource added or removed) is left out.
fn slice(generation: &Path, pages: &[&str], to: &Path) {
    for page in pages {
        let from = generation.join(page).join("index.md");
        if !from.is_file() {
            continue;
        }
        let dir = to.join(page);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(&from, dir.join("index.md"))
            .unwrap_or_else(|e| panic!("{page} in {}: {e}", generation.display()));
    }
}

/// The slice `pages` of both generations (`aws-2024-06`, `current/aws`)
/// as specs trees and generated crates (`bindings`, versions 1.0.0 and
/// 1.0.1) under `dir`: `[(old specs, old crate), (new specs, new crate)]`.
fn generate_pair(corpus: &Path, pages: &[&str], dir: &Path) -> [(PathBuf, PathBuf); 2] {
    [
        ("old", "aws-2024-06", "1.0.0"),
        ("new", "current/aws", "1.0.1"),
    ]
    .map(|(side, generation, version)| {
        let specs = dir.join(format!("{side}-specs"));
        slice(&corpus.join(generation), pages, &specs);
        let out = dir.join(side);
        Config::new()
            .specs(&specs)
            .crate_name("bindings")
            .generate_to(&out)
            .unwrap();
        let manifest = out.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        let text = text.replacen(
            "version = \"0.1.0\"",
            &format!("version = \"{version}\""),
            1,
        );
        assert!(
            text.contains(version),
            "no package version to set in\n{text}"
        );
        std::fs::write(&manifest, text).unwrap();
        (specs, out)
    })
}

/// `cargo check` of the crate at `manifest`, in a target dir shared by the
/// tests that build outside crates (dependencies build once). The error
/// output on failure.
fn cargo_check(manifest: &Path) -> Result<(), String> {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/standalone");
    let out = Command::new(env!("CARGO"))
        .args(["check", "-q", "--manifest-path"])
        .arg(manifest)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// A program using the old API the ways users do: values built with `new`
/// and the `with_*` setters, fields read, assigned and destructured with
/// `..`, statements built from them. It does not call
/// `hours_of_operations::list_resource`, the one item the new pages rename.
const OLD_API_USER: &str = r#"
use bindings::aws::connect::{hours_of_operations as hoo, rules};
use bindings::runtime::Statement;

fn main() {
    let config = hoo::Config::new()
        .with_day("MONDAY")
        .with_start_time(hoo::StartTime::new().with_hours("9").with_minutes("0"))
        .with_end_time(serde_json::json!({"Hours": 17, "Minutes": 0}));
    let mut props = hoo::CreateProperties::new("arn:instance", "office", "Europe/Berlin", [config])
        .with_description("weekdays")
        .with_tags([hoo::Tag::new().with_key("team").with_value("ops")]);
    props.time_zone = "Europe/Paris".into();
    let mut sql = vec![hoo::create_resource(&props, "eu-west-3").to_sql()];
    let id = hoo::Identifier::new("arn:hours");
    sql.push(hoo::get_resource(&id, "eu-west-3").to_sql());
    let row = hoo::HoursOfOperation::default().with_name("office");
    let hoo::HoursOfOperation { name, config, .. } = &row;
    assert_eq!((name.as_deref(), config), (Some("office"), &None));

    let actions = rules::Actions::new().with_task_actions([rules::TaskAction::new()
        .with_name("follow up")
        .with_contact_flow_arn("arn:flow")]);
    let rule = rules::CreateProperties::new(
        "escalate",
        "arn:instance",
        rules::TriggerEventSource::new().with_event_source_name("OnPostCallAnalysisAvailable"),
        "{}",
        actions,
        "DRAFT",
    );
    let rules::Actions { task_actions, .. } = &rule.actions;
    assert_eq!(task_actions.as_ref().map(Vec::len), Some(1));
    sql.push(rules::create_resource(&rule, "eu-west-3").to_sql());
    sql.push(rules::get_resource(&rules::Identifier::new("arn:rule"), "eu-west-3").to_sql());
    println!("{}", sql.join("\n"));
}
"#;

/// `connect/rules` gains a nested property (`Actions.SubmitAutoEvaluationActions`)
/// and `connect/hours_of_operations` a field and an optional property
/// (`HoursOfOperationOverrides`): the diff calls them minor, and a program
/// written against the old crate builds against the new one unchanged.
#[test]
fn code_written_against_the_old_crate_builds_against_new_fields() {
    let corpus = require_corpus!();
    let pages = ["connect/rules", "connect/hours_of_operations"];
    let dir = tempfile::tempdir().unwrap();
    let crates = generate_pair(&corpus, &pages, dir.path());

    // What the diff says: the new fields are additions, and the only
    // breaking change is the renamed function the program does not call.
    let d = diff(&resources(&crates[0].0), &resources(&crates[1].0));
    let changes = |id: &str| -> Vec<(Impact, &ChangeKind)> {
        d.resources[id]
            .changes
            .iter()
            .map(|c| (c.impact, &c.kind))
            .collect()
    };
    let rules = changes("aws.connect.rules");
    assert!(
        rules.iter().all(|(i, _)| *i != Impact::Breaking),
        "{rules:?}"
    );
    assert!(rules.iter().any(|(i, k)| *i == Impact::Additive
        && matches!(k, ChangeKind::NestedPropertyAdded { path, .. }
            if path == "Actions.SubmitAutoEvaluationActions")));
    let hours = changes("aws.connect.hours_of_operations");
    let breaking: Vec<_> = hours
        .iter()
        .filter(|(i, _)| *i == Impact::Breaking)
        .collect();
    assert!(
        matches!(breaking[..], [(_, ChangeKind::MethodRenamed { old, .. })] if old == "list_resource"),
        "{breaking:?}"
    );
    for added in [
        ChangeKind::FieldAdded {
            field: "hours_of_operation_overrides".into(),
            datatype: "array".into(),
        },
        ChangeKind::PropertyAdded {
            property: "HoursOfOperationOverrides".into(),
            required: false,
        },
    ] {
        assert!(hours.contains(&(Impact::Additive, &added)), "{hours:?}");
    }

    // What the compiler says: the same program builds against both.
    let app = dir.path().join("app");
    std::fs::create_dir_all(app.join("src")).unwrap();
    std::fs::write(app.join("src/main.rs"), OLD_API_USER).unwrap();
    for side in ["old", "new"] {
        std::fs::write(
            app.join("Cargo.toml"),
            format!(
                "[package]\nname = \"app\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
                 [dependencies]\n\
                 bindings = {{ path = \"../{side}\", features = [\"aws-connect\"] }}\n\
                 serde_json = \"1\"\n"
            ),
        )
        .unwrap();
        if let Err(e) = cargo_check(&app.join("Cargo.toml")) {
            panic!("the program written against the old crate does not build against the {side} one:\n{e}");
        }
    }
    // The check sees breaks: the renamed function, which the diff calls
    // breaking, does not build against the new crate.
    let renamed = OLD_API_USER.replace(
        "println!",
        "let _ = hoo::list_resource(\"eu-west-3\");\n    println!",
    );
    std::fs::write(app.join("src/main.rs"), renamed).unwrap();
    let err = cargo_check(&app.join("Cargo.toml")).expect_err("list_resource is gone");
    assert!(err.contains("list_resource"), "{err}");
}

/// Where `cargo-semver-checks` is, if on PATH.
fn semver_checks() -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("cargo-semver-checks"))
            .find(|p| p.is_file())
    })
}

/// Breaking change kinds that change the compiled API in ways
/// cargo-semver-checks has no lint for (it compares items and their
/// presence, not the types of fields or arguments): the diff is right to
/// call them breaking, and the agreement allows them on resources
/// cargo-semver-checks passes. `docs/semver.md` has an example of each.
const BLIND_SPOTS: &[&str] = &[
    // A row field's `Option<String>` becomes `Option<serde_json::Value>`.
    "field_type_changed",
    // A nested field's or a property's Rust type changes.
    "type_changed",
    // `&str` arguments in another order: compiles, means something else.
    "required_params_reordered",
    // Argument types change, their number does not.
    "signature_changed",
];

/// One failure cargo-semver-checks reports: its lint and the resource
/// (`aws.connect.rules`) whose generated module holds the item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Failure {
    resource: String,
    lint: String,
    line: String,
}

/// The resource id a generated module file names in its first doc line
/// (``//! `aws.connect.rules`: ...``).
fn resource_of_file(path: &str) -> Option<String> {
    let path = path.rsplit_once(".rs").map(|(p, _)| format!("{p}.rs"))?;
    let text = std::fs::read_to_string(path).ok()?;
    let doc = text.lines().find(|l| l.starts_with("//! `"))?;
    Some(doc.split('`').nth(1)?.to_string())
}

/// Parses cargo-semver-checks' report: `--- failure <lint>: ... ---` then
/// `Failed in:` and one indented line per item, naming its file.
fn parse_report(report: &str) -> Vec<Failure> {
    let mut out = Vec::new();
    let mut lint = None;
    let mut in_items = false;
    for line in report.lines() {
        if let Some(rest) = line.strip_prefix("--- failure ") {
            lint = rest.split(':').next().map(str::to_string);
            in_items = false;
        } else if line.trim() == "Failed in:" {
            in_items = true;
        } else if in_items && line.starts_with("  ") && !line.trim().is_empty() {
            let resource = line
                .split_whitespace()
                .find(|w| w.contains(".rs:") || w.ends_with(".rs"))
                .and_then(resource_of_file)
                .unwrap_or_else(|| "(crate)".to_string());
            out.push(Failure {
                resource,
                lint: lint.clone().unwrap_or_default(),
                line: line.trim().to_string(),
            });
        } else if in_items && !line.starts_with("  ") {
            in_items = false;
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The agreement on one slice: cargo-semver-checks on the two crates
/// (baseline 1.0.0, candidate 1.0.1, all features) against the diff,
/// resource by resource. Returns the report; panics on a disagreement.
fn agreement(semver_checks: &Path, corpus: &Path, pages: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let [(old_specs, old), (new_specs, new)] = generate_pair(corpus, pages, dir.path());
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/semver-checks");
    let run = Command::new(semver_checks)
        .args([
            "semver-checks",
            "check-release",
            "--all-features",
            "--manifest-path",
        ])
        .arg(new.join("Cargo.toml"))
        .arg("--baseline-root")
        .arg(&old)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap();
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let failures = parse_report(&report);
    assert_eq!(
        run.status.success(),
        failures.is_empty(),
        "cargo-semver-checks' verdict and its parsed failures disagree:\n{report}"
    );

    let d = diff(&resources(&old_specs), &resources(&new_specs));
    let breaking: std::collections::BTreeMap<&str, Vec<&str>> = d
        .resources
        .iter()
        .map(|(id, r)| {
            let kinds = r
                .changes
                .iter()
                .filter(|c| c.impact == Impact::Breaking)
                .map(|c| c.kind.name())
                .collect::<Vec<_>>();
            (id.as_str(), kinds)
        })
        .filter(|(_, k)| !k.is_empty())
        .collect();
    let flagged: std::collections::BTreeSet<&str> =
        failures.iter().map(|f| f.resource.as_str()).collect();

    let mut text = String::new();
    let mut problems = Vec::new();
    for f in &failures {
        if !breaking.contains_key(f.resource.as_str()) {
            problems.push(format!(
                "{}: cargo-semver-checks reports {} ({}), the diff calls nothing breaking",
                f.resource, f.lint, f.line
            ));
        }
    }
    for (id, kinds) in &breaking {
        if flagged.contains(id) {
            continue;
        }
        let unexplained: Vec<&&str> = kinds.iter().filter(|k| !BLIND_SPOTS.contains(k)).collect();
        if unexplained.is_empty() {
            text.push_str(&format!(
                "{id}: breaking by the diff only ({kinds:?}: no lint for it)\n"
            ));
        } else {
            problems.push(format!(
                "{id}: the diff calls {unexplained:?} breaking, cargo-semver-checks reports nothing"
            ));
        }
    }
    let agree = breaking.keys().filter(|id| flagged.contains(*id)).count();
    text.insert_str(
        0,
        &format!(
            "resources: {} old, {} new, {} changed; breaking by both: {agree}, by the diff \
             only: {}, by cargo-semver-checks only: {}\n",
            d.old_resources,
            d.new_resources,
            d.resources.len(),
            breaking.len() - agree,
            flagged
                .iter()
                .filter(|id| !breaking.contains_key(*id))
                .count()
        ),
    );
    for f in &failures {
        text.push_str(&format!("  {} {}: {}\n", f.resource, f.lint, f.line));
    }
    assert!(
        problems.is_empty(),
        "{}\n{text}\n{report}",
        problems.join("\n")
    );
    text
}

/// cargo-semver-checks and the diff agree, resource by resource, on a small
/// slice (`STACKQL_SEMVER_PAGES`, `service/resource` separated by commas,
/// or whole services named by `STACKQL_SEMVER_SERVICES`, as
/// `ci/semver-agreement.sh` runs it). Skipped when `cargo-semver-checks` is
/// not on PATH: building it costs more than a CI run can spend.
#[test]
fn cargo_semver_checks_agrees_with_the_diff() {
    let corpus = require_corpus!();
    let Some(tool) = semver_checks() else {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped cargo_semver_checks_agrees_with_the_diff: cargo-semver-checks is not on \
             PATH (`cargo install cargo-semver-checks --locked`; see docs/semver.md)"
        );
        return;
    };
    let services = std::env::var("STACKQL_SEMVER_SERVICES").unwrap_or_default();
    let mut pages: Vec<String> = Vec::new();
    for service in services.split(',').filter(|s| !s.is_empty()) {
        // Pages on both sides: added and removed resources are the diff's
        // alone (cargo-semver-checks sees a missing module as a removal,
        // which the diff reports as resource_removed on the old side).
        for side in ["aws-2024-06", "current/aws"] {
            let dir = corpus.join(side).join(service);
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                if e.path().join("index.md").is_file() {
                    pages.push(format!("{service}/{}", e.file_name().to_string_lossy()));
                }
            }
        }
    }
    if pages.is_empty() {
        pages = std::env::var("STACKQL_SEMVER_PAGES")
            .unwrap_or_else(|_| "connect/rules,connect/hours_of_operations".into())
            .split(',')
            .map(str::to_string)
            .collect();
    }
    pages.sort();
    pages.dedup();
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    let report = agreement(&tool, &corpus, &pages);
    println!("{report}");
}

/// The report format the agreement reads (cargo-semver-checks' stdout: a
/// block per failed lint, one indented line per item with its file), on a
/// report shaped like the one the exhaustive structs got, so that a parse
/// that finds nothing cannot pass for agreement.
#[test]
fn failures_are_attributed_to_the_resource_of_their_module() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("queues.rs");
    std::fs::write(
        &module,
        "// @generated by stackql-codegen\n//! `aws.connect.queues`: Resource Type definition\n",
    )
    .unwrap();
    let m = module.display();
    let report = format!(
        "--- failure constructible_struct_adds_field: externally-constructible struct adds field ---\n\
         \n\
         Description:\n\
         A pub struct constructible with a struct literal has a new pub field.\n\
         \x20       ref: https://doc.rust-lang.org/reference/attributes/type_system.html\n\
         \n\
         Failed in:\n\
         \x20 field Queue.outbound_email_config in {m}:21\n\
         \x20 field CreateProperties.outbound_email_config in {m}:80\n\
         \n\
         --- failure feature_missing: package feature removed or renamed ---\n\
         \n\
         Failed in:\n\
         \x20 feature aws-nimblestudio in the package's Cargo.toml\n"
    );
    let failures = parse_report(&report);
    let got: Vec<(&str, &str)> = failures
        .iter()
        .map(|f| (f.resource.as_str(), f.lint.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("(crate)", "feature_missing"),
            ("aws.connect.queues", "constructible_struct_adds_field"),
            ("aws.connect.queues", "constructible_struct_adds_field"),
        ]
    );
}
