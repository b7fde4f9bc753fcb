//! `stackql-codegen policy`: the merged least-privilege IAM policy for a set
//! of operations (see [`stackql_codegen::query`]), printed as one policy
//! document; when that exceeds the quota of `--kind`, as a JSON array of
//! documents each within it, which stderr says. Every problem is an error
//! naming what exists instead, and the command exits non-zero without
//! printing a policy.

use super::Failure;
use stackql_codegen::query::{PolicyKind, PolicyQuery};
use std::path::PathBuf;

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

/// Runs the subcommand.
pub fn run(args: Args) -> super::Result {
    let policy = PolicyQuery::new(&args.specs)
        .kind(args.kind.policy_kind())
        .cloud_control(!args.no_cloud_control)
        .policy(&args.ops)
        .map_err(|e| Failure(e.0.iter().map(ToString::to_string).collect()))?;
    for w in &policy.warnings {
        eprintln!("warning: {w}");
    }
    let text = if let [doc] = policy.docs.as_slice() {
        doc.to_json_pretty()
    } else {
        let quota = args.kind.policy_kind().quota();
        eprintln!(
            "note: the merged policy has {} characters (excluding whitespace), over the {} quota of {quota}; \
             printed as a JSON array of {} policy documents, each within the quota: attach each as a policy of its own",
            policy.size,
            args.kind.describe(),
            policy.docs.len()
        );
        if args.kind == Kind::Inline {
            eprintln!(
                "note: the inline quota counts all inline policies of a role together: attach the parts to \
                 different roles, or use managed policies (`--kind managed`)"
            );
        }
        serde_json::to_string_pretty(&policy.docs)? + "\n"
    };
    super::print(&text, "the policy")
}
