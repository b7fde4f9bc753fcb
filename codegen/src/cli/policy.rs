//! `stackql-codegen policy`: the merged least-privilege IAM policy for a set
//! of operations, e.g. everything one program does.
//!
//! Each `OP` names a resource and what is done to it:
//! `provider.service.resource:operation`, where the operation is one of
//! `create`, `read`, `update`, `delete`, `list` (any case) or the name of one
//! of the resource's methods (`aws.s3.buckets:list_resources`), which stands
//! for the operations that method performs, as in the generated bindings
//! (a tags view's `SELECT` lists and reads). Operation names win over method
//! names.
//!
//! The actions are the ones the resource page lists for each operation (a
//! view's come from the resource its Permissions section links to) plus, for
//! resources reached through AWS Cloud Control, the Cloud Control API actions
//! StackQL calls (unless `--no-cloud-control`). They are merged with
//! [`PolicyBuilder`] (one statement per service prefix) and printed as one
//! policy document; when that exceeds the quota of `--kind`, as a JSON array
//! of documents each within it, which stderr says.
//!
//! Every problem (an unknown resource or operation, a resource without
//! documented permissions, nothing to allow) is an error naming what exists
//! instead, and the command exits non-zero without printing a policy.

use stackql_codegen::diagnostic::{Diagnostic, Severity};
use stackql_codegen::model::{Operation, PageKind, Resource, ResourceId};
use stackql_codegen::parse::Page;
use stackql_codegen::resolve::{self, RResource};
use stackql_codegen::Config;
use stackql_runtime::policy::{PolicyBuilder, PolicyDocument, PolicyKind};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `policy`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// The specs directory (`<provider>/<service>/<resource>/index.md`, or a
    /// provider's `<service>/<resource>/index.md`).
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
    /// Where the policy will be attached, which decides its size quota:
    /// `managed` (a customer managed policy, 6,144 characters excluding
    /// whitespace) or `inline` (a role's inline policies, 10,240 characters
    /// for all of them together).
    #[arg(long, value_enum, default_value_t = Kind::Managed)]
    kind: Kind,
    /// Leave the AWS Cloud Control API actions out (only the handler actions
    /// the pages list).
    #[arg(long)]
    no_cloud_control: bool,
    /// `provider.service.resource:operation`, the operation being create,
    /// read, update, delete or list (any case) or one of the resource's
    /// method names (e.g. `aws.s3.buckets:list_resources`).
    #[arg(value_name = "OP", required = true)]
    ops: Vec<String>,
}

/// `--kind`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A customer managed policy.
    Managed,
    /// An inline policy of an IAM role.
    Inline,
}

impl Kind {
    fn policy_kind(self) -> PolicyKind {
        match self {
            Kind::Managed => PolicyKind::Managed,
            Kind::Inline => PolicyKind::InlineRole,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::Managed => "managed-policy",
            Kind::Inline => "role inline-policy",
        }
    }
}

/// The policy and what to say about it on stderr.
#[derive(Debug)]
struct Outcome {
    /// The documents: one, or several when one would exceed the quota.
    docs: Vec<PolicyDocument>,
    /// The size of the merged document (characters excluding whitespace).
    size: usize,
    /// Warnings and notes for stderr.
    notes: Vec<String>,
}

/// Runs the subcommand.
pub fn run(args: Args) -> ExitCode {
    let outcome = match policies(&args) {
        Ok(o) => o,
        Err(errors) => {
            for e in errors {
                eprintln!("error: {e}");
            }
            return ExitCode::FAILURE;
        }
    };
    for n in &outcome.notes {
        eprintln!("{n}");
    }
    let text = if let [doc] = outcome.docs.as_slice() {
        doc.to_json_pretty()
    } else {
        let quota = args.kind.policy_kind().quota();
        eprintln!(
            "note: the merged policy has {} characters (excluding whitespace), over the {} quota of {quota}; \
             printed as a JSON array of {} policy documents, each within the quota: attach each as a policy of its own",
            outcome.size,
            args.kind.describe(),
            outcome.docs.len()
        );
        if args.kind == Kind::Inline {
            eprintln!(
                "note: the inline quota counts all inline policies of a role together: attach the parts to \
                 different roles, or use managed policies (`--kind managed`)"
            );
        }
        match serde_json::to_string_pretty(&outcome.docs) {
            Ok(mut s) => {
                s.push('\n');
                s
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: writing the policy: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One parsed `OP` argument.
#[derive(Debug)]
struct Request<'a> {
    arg: &'a str,
    provider: &'a str,
    service: &'a str,
    resource: &'a str,
    what: &'a str,
}

impl Request<'_> {
    fn id(&self) -> String {
        format!("{}.{}.{}", self.provider, self.service, self.resource)
    }
}

fn parse_request(arg: &str) -> Result<Request<'_>, String> {
    let usage = || {
        format!(
            "`{arg}`: expected `provider.service.resource:operation`, e.g. `aws.s3.buckets:create` \
             (operation: create, read, update, delete, list or a method name)"
        )
    };
    let (id, what) = arg.split_once(':').ok_or_else(usage)?;
    let parts: Vec<&str> = id.split('.').map(str::trim).collect();
    let what = what.trim();
    match parts.as_slice() {
        [p, s, r] if !p.is_empty() && !s.is_empty() && !r.is_empty() && !what.is_empty() => {
            Ok(Request {
                arg,
                provider: p,
                service: s,
                resource: r,
                what,
            })
        }
        _ => Err(usage()),
    }
}

/// Parses the pages of `specs` whose path starts with one of `only` (all when empty).
fn parse_specs(specs: &PathBuf, only: Vec<String>) -> Result<Vec<Page>, String> {
    let mut cfg = Config::new();
    cfg.specs(specs).only(only);
    cfg.parse(&|_| {}).map_err(|e| e.to_string())
}

/// The pages of `specs`: only the requested services' folders first (fast),
/// all of them when that does not find every requested service.
fn read_pages(specs: &PathBuf, requests: &[Request]) -> Result<Vec<Page>, String> {
    let prefixes: BTreeSet<String> = requests
        .iter()
        .flat_map(|r| {
            [
                format!("{}/{}/", r.provider, r.service),
                format!("{}/", r.service),
            ]
        })
        .collect();
    let pages = parse_specs(specs, prefixes.into_iter().collect())?;
    let ids: Vec<&ResourceId> = pages
        .iter()
        .filter_map(|p| p.resource.as_ref())
        .map(|r| &r.id)
        .collect();
    // A resource missing from a service that was found is missing from the
    // specs too (its page is in that folder, or nowhere).
    let service_found = |q: &Request| {
        ids.iter()
            .any(|id| id.provider == q.provider && id.service == q.service)
    };
    if requests.iter().all(service_found) {
        return Ok(pages);
    }
    parse_specs(specs, Vec::new())
}

/// Computes the policy for `args`, or every error found.
fn policies(args: &Args) -> Result<Outcome, Vec<String>> {
    let mut errors = Vec::new();
    let requests: Vec<Request> = args
        .ops
        .iter()
        .filter_map(|a| parse_request(a).map_err(|e| errors.push(e)).ok())
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let pages = read_pages(&args.specs, &requests).map_err(|e| vec![e])?;
    let mut notes = Vec::new();

    // One resource per id, the first page winning (as `generate` does).
    let mut by_id: BTreeMap<String, &Resource> = BTreeMap::new();
    for r in pages.iter().filter_map(|p| p.resource.as_ref()) {
        let id = r.id.to_string();
        match by_id.get(&id) {
            Some(first) if requests.iter().any(|q| q.id() == id) => notes.push(format!(
                "warning: `{id}` is described by {} and {}; using the first",
                first.source, r.source
            )),
            Some(_) => {}
            None => {
                by_id.insert(id, r);
            }
        }
    }
    // Resolve the requested services only: a view's base is in its service.
    let services: BTreeSet<(&str, &str)> =
        requests.iter().map(|q| (q.provider, q.service)).collect();
    let resources: Vec<Resource> = by_id
        .values()
        .filter(|r| services.contains(&(r.id.provider.as_str(), r.id.service.as_str())))
        .map(|r| (*r).clone())
        .collect();
    let mut diags = Vec::new();
    let resolved = resolve::resolve(&resources, !args.no_cloud_control, &mut diags);
    // What the pages say about their permissions, to explain missing ones.
    diags.extend(
        pages
            .iter()
            .flat_map(|p| &p.diagnostics)
            .filter(|d| about_permissions(d))
            .cloned(),
    );
    let resolved: BTreeMap<String, &RResource> = resolved
        .resources
        .iter()
        .map(|r| (r.res.id.to_string(), r))
        .collect();

    let mut builder = PolicyBuilder::new();
    for q in &requests {
        let Some(r) = resolved.get(&q.id()) else {
            errors.push(unknown_resource(q, &pages, &args.specs));
            continue;
        };
        let ops = match operations(q, r, &diags) {
            Ok(ops) => ops,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for op in ops {
            let actions = &r.permissions[&op];
            if actions.is_empty() {
                notes.push(format!(
                    "warning: {} lists no actions for {op} ({})",
                    r.res.source, q.arg
                ));
            }
            if actions.iter().any(|a| a == "*") {
                notes.push(format!(
                    "warning: {} grants every action (`*`) for {op}; kept as written ({})",
                    r.res.source, q.arg
                ));
            }
            builder.allow(actions.iter().map(String::as_str));
            if r.cloud_control {
                builder.require(&op);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let merged = builder.build();
    if merged.statement.is_empty() {
        let cc = if args.no_cloud_control {
            " (Cloud Control actions are off: --no-cloud-control)"
        } else {
            ""
        };
        return Err(vec![format!(
            "no IAM actions for {}: the pages list none for these operations{cc}; not printing an empty policy",
            args.ops.join(" ")
        )]);
    }
    let docs = builder.build_split(args.kind.policy_kind());
    if let Some(bad) = docs.iter().find_map(|d| d.validate().err()) {
        return Err(vec![format!("the policy is not valid: {bad}")]);
    }
    Ok(Outcome {
        size: merged.size(),
        docs,
        notes,
    })
}

/// Whether a diagnostic is about a page's permissions (links, lists, actions).
fn about_permissions(d: &Diagnostic) -> bool {
    d.severity >= Severity::Warning && d.kind.concerns_permissions()
}

/// `Create, Read, List`: the operations a resource documents permissions for.
fn documented(r: &RResource) -> String {
    let ops: Vec<&str> = r.permissions.keys().map(|op| op.as_str()).collect();
    ops.join(", ")
}

/// The operations `q.what` stands for on `r`, each with documented permissions.
fn operations(q: &Request, r: &RResource, diags: &[Diagnostic]) -> Result<Vec<Operation>, String> {
    let id = q.id();
    let ops = if let Some(op) = Operation::parse(q.what) {
        vec![op]
    } else {
        let method = r
            .methods
            .iter()
            .find(|m| m.method.name == q.what)
            .or_else(|| {
                r.methods
                    .iter()
                    .find(|m| m.method.name.eq_ignore_ascii_case(q.what))
            });
        let Some(m) = method else {
            let names: Vec<&str> = r.methods.iter().map(|m| m.method.name.as_str()).collect();
            return Err(format!(
                "`{}`: `{}` is neither an operation (create, read, update, delete, list) nor a method of `{id}` \
                 (its methods: {})",
                q.arg,
                q.what,
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            ));
        };
        if m.operations.is_empty() && !r.permissions.is_empty() {
            return Err(format!(
                "`{}`: the method `{}` ({}) of `{id}` performs none of the operations the page documents \
                 permissions for ({})",
                q.arg,
                m.method.name,
                m.method.verb,
                documented(r)
            ));
        }
        m.operations.clone()
    };
    if r.permissions.is_empty() {
        let why: Vec<String> = diags
            .iter()
            .filter(|d| d.file == r.res.source && about_permissions(d))
            .map(|d| format!("\n  {d}"))
            .collect();
        return Err(format!(
            "`{}`: `{id}` ({}) documents no IAM permissions{}",
            q.arg,
            r.res.source,
            if why.is_empty() {
                " (its page has no Permissions section)".to_string()
            } else {
                format!(":{}", why.concat())
            }
        ));
    }
    match ops.iter().find(|op| !r.permissions.contains_key(op)) {
        Some(op) => Err(format!(
            "`{}`: `{id}` documents no permissions for {op}; it documents: {}",
            q.arg,
            documented(r)
        )),
        None => Ok(ops),
    }
}

/// An error naming what exists where `q` points.
fn unknown_resource(q: &Request, pages: &[Page], specs: &std::path::Path) -> String {
    let ids: BTreeSet<(&str, &str, &str)> = pages
        .iter()
        .filter_map(|p| p.resource.as_ref())
        .map(|r| {
            (
                r.id.provider.as_str(),
                r.id.service.as_str(),
                r.id.resource.as_str(),
            )
        })
        .collect();
    // A page for it that could not be read.
    let tail = format!("{}/{}/index.md", q.service, q.resource);
    if let Some(p) = pages.iter().find(|p| {
        p.kind == PageKind::Resource
            && p.resource.is_none()
            && (p.source == tail || p.source.ends_with(&format!("/{tail}")))
    }) {
        let first = p
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        return format!(
            "`{}`: the page {} describing `{}` could not be read{first}",
            q.arg,
            p.source,
            q.id()
        );
    }
    let (what, names): (String, BTreeSet<&str>) = if ids
        .iter()
        .any(|(p, s, _)| *p == q.provider && *s == q.service)
    {
        (
            format!("resources of `{}.{}`", q.provider, q.service),
            ids.iter()
                .filter(|(p, s, _)| *p == q.provider && *s == q.service)
                .map(|(_, _, r)| *r)
                .collect(),
        )
    } else if ids.iter().any(|(p, _, _)| *p == q.provider) {
        (
            format!("services of `{}`", q.provider),
            ids.iter()
                .filter(|(p, _, _)| *p == q.provider)
                .map(|(_, s, _)| *s)
                .collect(),
        )
    } else {
        (
            "providers".to_string(),
            ids.iter().map(|(p, _, _)| *p).collect(),
        )
    };
    let wanted = if what == "providers" {
        q.provider
    } else if what.starts_with("services") {
        q.service
    } else {
        q.resource
    };
    if names.is_empty() {
        return format!(
            "`{}`: no resource `{}`: {} has no resource pages",
            q.arg,
            q.id(),
            specs.display()
        );
    }
    format!(
        "`{}`: no resource `{}` in {}; {what}: {}",
        q.arg,
        q.id(),
        specs.display(),
        stackql_codegen::suggest::closest(wanted, &names)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn specs() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
    }

    fn corpus_aws() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/current/aws")
    }

    fn args(specs: PathBuf, ops: &[&str]) -> Args {
        Args {
            specs,
            kind: Kind::Managed,
            no_cloud_control: false,
            ops: ops.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn actions(o: &Outcome) -> Vec<String> {
        o.docs
            .iter()
            .flat_map(|d| d.actions())
            .map(str::to_string)
            .collect()
    }

    fn err(a: &Args) -> String {
        policies(a).expect_err("expected an error").join("\n")
    }

    const IA: &str = "aws.connect.integration_associations";

    #[test]
    fn operation_and_method_names_give_the_same_policy() {
        let by_op = policies(&args(specs(), &[&format!("{IA}:LIST")])).unwrap();
        let by_method = policies(&args(specs(), &[&format!("{IA}:list_resource")])).unwrap();
        assert_eq!(by_op.docs, by_method.docs);
        assert_eq!(
            actions(&by_op),
            [
                "cloudformation:ListResources",
                "connect:ListBots",
                "connect:ListIntegrationAssociations",
                "connect:ListLambdaFunctions",
            ]
        );
        let sids: Vec<&str> = by_op.docs[0]
            .statement
            .iter()
            .map(|s| s.sid.as_str())
            .collect();
        assert_eq!(sids, ["Cloudformation", "Connect"]);
    }

    #[test]
    fn merges_operations_without_duplicates() {
        let ops = [
            format!("{IA}:create"),
            format!("{IA}:delete"),
            format!("{IA}:read"),
        ];
        let ops: Vec<&str> = ops.iter().map(String::as_str).collect();
        let o = policies(&args(specs(), &ops)).unwrap();
        assert_eq!(o.docs.len(), 1);
        o.docs[0].validate().unwrap();
        let all = actions(&o);
        let lower: BTreeSet<String> = all.iter().map(|a| a.to_lowercase()).collect();
        assert_eq!(lower.len(), all.len());
        for a in [
            "cloudformation:CreateResource",
            "cloudformation:DeleteResource",
            "cloudformation:GetResource",
            "cloudformation:GetResourceRequestStatus",
            "lambda:AddPermission",
            "lambda:RemovePermission",
        ] {
            assert!(all.iter().any(|x| x == a), "{a} in {all:?}");
        }
        assert!(!all.iter().any(|x| x == "lambda:addPermission"));
        let mut no_cc = args(specs(), &ops);
        no_cc.no_cloud_control = true;
        let o = policies(&no_cc).unwrap();
        assert!(actions(&o)
            .iter()
            .all(|a| !a.starts_with("cloudformation:")));
    }

    #[test]
    fn unknown_names_are_errors_naming_what_exists() {
        let e = err(&args(specs(), &[&format!("{IA}:update")]));
        assert!(e.contains("documents no permissions for Update"), "{e}");
        assert!(e.contains("Create, Read, Delete, List"), "{e}");
        let e = err(&args(specs(), &[&format!("{IA}:frobnicate")]));
        assert!(e.contains("create_resource"), "{e}");
        assert!(e.contains("list_resource"), "{e}");
        let e = err(&args(
            specs(),
            &["aws.connect.integration_association:list"],
        ));
        assert!(
            e.contains("resources of `aws.connect`: integration_associations"),
            "{e}"
        );
        let e = err(&args(specs(), &["aws.s3.buckets:list"]));
        assert!(e.contains("services of `aws`: connect"), "{e}");
        let e = err(&args(specs(), &["gcp.s3.buckets:list"]));
        assert!(e.contains("providers: aws"), "{e}");
        for bad in ["aws.connect:list", "nocolon", "a.b.c:", ".b.c:list"] {
            let e = err(&args(specs(), &[bad]));
            assert!(
                e.contains("expected `provider.service.resource:operation`"),
                "{e}"
            );
        }
        // Every problem is reported, usage errors first.
        let e = policies(&args(specs(), &["x", &format!("{IA}:nope")])).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        let two = [
            format!("{IA}:nope"),
            format!("{IA}:update"),
            format!("{IA}:list"),
        ];
        let two: Vec<&str> = two.iter().map(String::as_str).collect();
        let e = policies(&args(specs(), &two)).unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
    }

    #[test]
    fn empty_policies_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let page =
            std::fs::read_to_string(specs().join("aws/connect/integration_associations/index.md"))
                .unwrap();
        // An empty Read list: with Cloud Control off nothing is left to allow.
        let start = page.find("### Read\n```json\n").unwrap() + "### Read\n```json\n".len();
        let end = start + page[start..].find("```").unwrap();
        let edited = format!("{}{}", &page[..start], &page[end..]);
        let target = dir.path().join("aws/connect/integration_associations");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("index.md"), edited).unwrap();
        let mut a = args(dir.path().to_path_buf(), &[&format!("{IA}:read")]);
        a.no_cloud_control = true;
        let e = err(&a);
        assert!(e.contains("not printing an empty policy"), "{e}");
        a.no_cloud_control = false;
        let o = policies(&a).unwrap();
        assert_eq!(actions(&o), ["cloudformation:GetResource"]);
        assert!(
            o.notes
                .iter()
                .any(|n| n.contains("lists no actions for Read")),
            "{:?}",
            o.notes
        );
    }

    #[test]
    fn views_get_their_base_resources_permissions() {
        let list = policies(&args(corpus_aws(), &["aws.s3.buckets:list"])).unwrap();
        let view = policies(&args(corpus_aws(), &["aws.s3.buckets_list_only:list"])).unwrap();
        assert_eq!(list.docs, view.docs);
        let by_method = policies(&args(
            corpus_aws(),
            &["aws.s3.buckets_list_only:list_resources"],
        ))
        .unwrap();
        assert_eq!(by_method.docs, view.docs);
        // A tags view's SELECT lists and reads.
        let tags = policies(&args(corpus_aws(), &["aws.s3.bucket_tags:list_resources"])).unwrap();
        let both = policies(&args(
            corpus_aws(),
            &["aws.s3.buckets:list", "aws.s3.buckets:read"],
        ))
        .unwrap();
        assert_eq!(tags.docs, both.docs);
        let e = err(&args(corpus_aws(), &["aws.s3.buckets_list_only:create"]));
        assert!(
            e.contains("documents no permissions for Create; it documents: List"),
            "{e}"
        );
    }

    #[test]
    fn broken_pages_and_links_are_explained() {
        // `s3:REST.PUT.OBJECT` is not an IAM action: the page has no policy.
        let e = err(&args(corpus_aws(), &["aws.logs.account_policies:list"]));
        assert!(e.contains("bad-action"), "{e}");
        let e = err(&args(
            corpus_aws(),
            &["aws.logs.account_policies_list_only:list"],
        ));
        assert!(
            e.contains("documents no IAM permissions") && e.contains("permissions-link"),
            "{e}"
        );
        let e = err(&args(corpus_aws(), &["aws.s3.bucketz:list"]));
        assert!(
            e.contains("resources of `aws.s3`") && e.contains("buckets"),
            "{e}"
        );
        let e = err(&args(corpus_aws(), &["aws.s4.buckets:list"]));
        assert!(e.contains("services of `aws`: s3,"), "{e}");
    }

    #[test]
    fn large_policies_are_split_within_the_quota() {
        let resources = [
            "ec2.verified_access_endpoints",
            "proton.service_templates",
            "proton.environment_templates",
            "ssmquicksetup.configuration_managers",
            "controltower.landing_zones",
            "ec2.instances",
            "iam.roles",
        ];
        let ops: Vec<String> = resources
            .iter()
            .flat_map(|r| {
                ["create", "read", "update", "delete", "list"]
                    .iter()
                    .map(move |op| format!("aws.{r}:{op}"))
            })
            .collect();
        let ops: Vec<&str> = ops.iter().map(String::as_str).collect();
        let managed = policies(&args(corpus_aws(), &ops)).unwrap();
        assert!(
            managed.size > PolicyKind::Managed.quota(),
            "{}",
            managed.size
        );
        assert!(managed.docs.len() > 1);
        for d in &managed.docs {
            assert!(d.size() <= PolicyKind::Managed.quota());
            d.validate().unwrap();
        }
        let mut inline = args(corpus_aws(), &ops);
        inline.kind = Kind::Inline;
        let inline = policies(&inline).unwrap();
        assert!(inline.size <= PolicyKind::InlineRole.quota());
        assert_eq!(inline.docs, [inline_doc_of(&managed)]);
        let mut all = actions(&managed);
        let mut all_inline = actions(&inline);
        all.sort();
        all_inline.sort();
        assert_eq!(all, all_inline);
    }

    /// The one document the parts of `o` come from.
    fn inline_doc_of(o: &Outcome) -> PolicyDocument {
        let mut b = PolicyBuilder::new();
        b.allow(o.docs.iter().flat_map(|d| d.actions()));
        b.build()
    }
}
