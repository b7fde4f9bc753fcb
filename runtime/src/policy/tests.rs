use super::*;

fn norm(actions: &str) -> String {
    normalize_actions(actions.split_whitespace()).join(" ")
}

fn builder<'a>(actions: impl IntoIterator<Item = &'a str>) -> PolicyBuilder {
    let mut b = PolicyBuilder::new();
    b.allow(actions);
    b
}

fn sids(docs: &[PolicyDocument]) -> Vec<&str> {
    docs.iter()
        .flat_map(|d| &d.statement)
        .map(|s| s.sid.as_str())
        .collect()
}

#[test]
fn dedupe_prefers_upper_case_name() {
    let want = "lambda:AddPermission";
    assert_eq!(norm("lambda:addPermission lambda:AddPermission"), want);
    assert_eq!(norm("lambda:AddPermission lambda:addPermission"), want);
    assert_eq!(
        norm("s3:GetObject S3:GetObject s3:getobject"),
        "S3:GetObject"
    );
    assert!(normalize_actions(["", ""]).is_empty());
}

#[test]
fn sorted_case_insensitively() {
    let got = norm("s3:PutObject iam:PassRole S3:getObject ec2:Describe");
    assert_eq!(got, "ec2:Describe iam:PassRole S3:getObject s3:PutObject");
}

#[test]
fn groups_per_prefix_with_pascal_sids() {
    let mut b = builder("ec2:Run app-integrations:CreateApp EC2:Describe *".split(' '));
    let doc = b.require(&Operation::List).build();
    let want = ["AllActions", "AppIntegrations", "Cloudformation", "Ec2"];
    assert_eq!(sids(std::slice::from_ref(&doc)), want);
    assert_eq!(doc.statement[3].action, ["EC2:Describe", "ec2:Run"]);
    assert_eq!(doc.statement[2].action, ["cloudformation:ListResources"]);
    assert_eq!(doc.validate(), Ok(()));
}

#[test]
fn cloud_control_actions() {
    use Operation::*;
    let want = [
        (Create, "CreateResource GetResourceRequestStatus"),
        (Read, "GetResource"),
        (Update, "UpdateResource GetResourceRequestStatus"),
        (Delete, "DeleteResource GetResourceRequestStatus"),
        (List, "ListResources"),
    ];
    for (op, want) in want {
        let got = op.cloud_control_actions().join(" ");
        assert_eq!(got.replace("cloudformation:", ""), want);
    }
    assert_eq!(Delete.required_actions(), Delete.cloud_control_actions());
    let names: Vec<_> = Operation::ALL.iter().map(|op| op.as_str()).collect();
    assert_eq!(names, ["Create", "Read", "Update", "Delete", "List"]);
}

#[test]
fn json_shape() {
    let doc = builder(["s3:ListBucket", "s3:GetObject"]).build();
    let want = r#"{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}"#;
    assert_eq!(serde_json::to_string(&doc).unwrap(), want);
    assert_eq!(doc.size(), want.len());
    let pretty = doc.to_json_pretty();
    assert!(pretty.ends_with("}\n") && pretty.contains("\n  \"Statement\": [\n    {"));
    let back: PolicyDocument = serde_json::from_str(&pretty).unwrap();
    assert_eq!(back, doc);
}

#[test]
fn split_respects_quota_and_keeps_all_actions() {
    let prefixes = ["ec2", "ec2", "ec2", "s3", "lambda", "app-integrations"];
    let input: Vec<String> = (0..3000)
        .map(|i| format!("{}:DescribeSomething{i:04}", prefixes[i % prefixes.len()]))
        .collect();
    let want: BTreeSet<&str> = input.iter().map(String::as_str).collect();
    for kind in [PolicyKind::Managed, PolicyKind::InlineRole] {
        let docs = builder(want.iter().copied()).build_split(kind);
        assert!(docs.len() > 1);
        for doc in &docs {
            assert!(doc.size() <= kind.quota(), "size {}", doc.size());
            assert_eq!(doc.validate(), Ok(()));
        }
        let got: Vec<&str> = docs.iter().flat_map(|d| d.actions()).collect();
        assert_eq!(got.len(), input.len());
        assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), want);
        let all = sids(&docs);
        assert!(all.contains(&"Ec2Part2") && all.contains(&"Ec2Part3"));
    }
}

#[test]
fn split_keeps_statements_whole_when_they_fit() {
    let input: Vec<String> = (0..600)
        .map(|i| format!("svc{}:Action{i:04}", i % 3))
        .collect();
    let b = builder(input.iter().map(String::as_str));
    let docs = b.build_split(PolicyKind::Managed);
    assert_eq!(sids(&docs), ["Svc0", "Svc1", "Svc2"]);
    assert!(docs.iter().all(|d| d.actions().len() == 200));
    assert_eq!(b.build_split(PolicyKind::InlineRole).len(), 2);
    let small = builder(input[..3].iter().map(String::as_str));
    assert_eq!(small.build_split(PolicyKind::Managed), vec![small.build()]);
    let empty = PolicyBuilder::new().build_split(PolicyKind::Managed);
    assert!(empty.is_empty());
}

#[test]
fn split_document_keeps_statement_sids_and_order() {
    let ops = [("Create", 300), ("Read", 10), ("Delete", 200), ("List", 5)];
    let statements = ops
        .iter()
        .map(|(op, n)| {
            let actions = (0..*n).map(|i| format!("svc:{op}Something{i:04}"));
            PolicyStatement::allow(op, actions)
        })
        .collect();
    let doc = PolicyDocument::new(statements);
    assert!(!doc.fits(PolicyKind::Managed));
    let parts = doc.split(PolicyKind::Managed);
    assert_eq!(
        sids(&parts),
        ["Create", "CreatePart2", "Read", "Delete", "List"]
    );
    assert_eq!(parts.len(), 3);
    for part in &parts {
        assert!(part.fits(PolicyKind::Managed), "size {}", part.size());
        assert_eq!(part.validate(), Ok(()));
    }
    let got: Vec<&str> = parts.iter().flat_map(|d| d.actions()).collect();
    assert_eq!(got, doc.actions());
    assert_eq!(doc.split(PolicyKind::InlineRole).len(), 2);
    let small = PolicyDocument::new(doc.statement[1..2].to_vec());
    assert_eq!(small.split(PolicyKind::Managed), vec![small.clone()]);
    assert!(PolicyDocument::default()
        .split(PolicyKind::Managed)
        .is_empty());
}

#[test]
fn oversized_single_action_is_emitted_alone() {
    let huge = format!("svc:{}", "A".repeat(7000));
    let docs = builder([&huge, "svc:Small", "s3:Get"]).build_split(PolicyKind::Managed);
    assert_eq!(sids(&docs), ["S3", "Svc", "SvcPart2"]);
    assert_eq!(docs[1].actions(), [huge.as_str()]);
    assert!(docs[1].size() > PolicyKind::Managed.quota() && docs[1].validate().is_ok());
    assert_eq!(docs[2].actions(), ["svc:Small"]);
}

#[test]
fn validate_rejects_bad_documents() {
    let stmt = PolicyStatement::allow("A", ["s3:Get*", "*", "a-b:C_d-2"]);
    let ok = PolicyDocument::new(vec![stmt]);
    assert_eq!(ok.validate(), Ok(()));
    let with = |f: &dyn Fn(&mut PolicyDocument)| {
        let mut doc = ok.clone();
        f(&mut doc);
        doc.validate()
    };
    assert!(with(&|d| d.statement[0].sid = "bad-sid".into()).is_err());
    assert!(with(&|d| d.statement[0].sid = String::new()).is_err());
    assert!(with(&|d| d.statement.push(d.statement[0].clone())).is_err());
    assert!(with(&|d| d.statement[0].effect = "Permit".into()).is_err());
    assert!(with(&|d| d.statement[0].resource = String::new()).is_err());
    assert!(with(&|d| d.statement[0].action.clear()).is_err());
    assert!(with(&|d| d.version = "2008-10-17".into()).is_err());
    assert!(with(&|d| d.statement.clear()).is_err());
    for bad in "lambda|lambda:|:Get|a:B C|s3:Get:Obj|s_3:Get|s3:Get?".split('|') {
        let res = with(&|d| d.statement[0].action = vec![bad.into()]);
        assert!(res.is_err(), "{bad}");
    }
    let fallback = PolicyStatement::allow("!!", ["s3:GetObject"]);
    assert_eq!(fallback.sid, "Statement");
}

#[test]
fn split_of_a_fitting_document_is_what_packing_gives() {
    // Documents from a few bytes to past both quotas, with statements of
    // growing sizes, non-ASCII actions and an empty statement: `split`'s
    // shortcut must return what the greedy packing does for every one.
    for kind in [PolicyKind::Managed, PolicyKind::InlineRole] {
        for n in (0..700).step_by(29) {
            for (tail, empty) in [("", false), ("é\u{a0}", false), ("", true)] {
                let mut statements: Vec<PolicyStatement> = (0..4)
                    .map(|k| {
                        let actions =
                            (0..n * (k + 1) / 4).map(|i| format!("svc:Do{k}Thing{i:04}{tail}"));
                        PolicyStatement::allow(&format!("Op{k}"), actions)
                    })
                    .collect();
                if empty {
                    statements[1].action.clear();
                }
                let doc = PolicyDocument::new(statements);
                assert_eq!(
                    doc.split(kind),
                    doc.pack(kind),
                    "{n} actions, tail {tail:?}, empty {empty}"
                );
                assert_eq!(doc.clone().into_split(kind), doc.pack(kind));
            }
        }
    }
}

#[test]
fn split_at_the_quota_boundary_is_what_packing_gives() {
    let kind = PolicyKind::Managed;
    let base: Vec<String> = (0..250).map(|i| format!("svc:Act{i:04}")).collect();
    let size = PolicyDocument::new(vec![PolicyStatement::allow("S", &base)]).size();
    assert!(size < kind.quota());
    // The last action grows until the document is one char under, at and
    // one char over the quota.
    for extra in [
        kind.quota() - size - 1,
        kind.quota() - size,
        kind.quota() - size + 1,
    ] {
        let mut actions = base.clone();
        actions.push(format!("svc:Z{}", "z".repeat(extra - "svc:Z".len() - 3)));
        let doc = PolicyDocument::new(vec![PolicyStatement::allow("S", &actions)]);
        assert_eq!(doc.split(kind), doc.pack(kind), "size {}", doc.size());
        assert_eq!(doc.clone().into_split(kind), doc.pack(kind));
        assert_eq!(doc.split(kind).len(), if doc.fits(kind) { 1 } else { 2 });
    }
}

#[test]
fn size_counts_chars_that_are_not_white_space() {
    for action in [
        "svc:Get",
        "svc:G\u{e9}t",
        "svc:G et",
        "svc:G\u{2003}et\u{a0}",
        "svc:\u{b}x",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain((0..=127u8).map(|b| format!("svc:{}x", char::from(b))))
    {
        let doc = PolicyDocument::new(vec![PolicyStatement::allow("S", [&action])]);
        let json = serde_json::to_string(&doc).unwrap();
        assert_eq!(
            doc.size(),
            json.chars().filter(|c| !c.is_whitespace()).count(),
            "{action:?}"
        );
    }
}

#[test]
fn ascii_actions_normalize_as_lower_casing_them_does() {
    // Every list of up to four of these spellings (ASCII): the sorted,
    // deduplicated result is what keying by `to_lowercase` gives.
    const SPELLINGS: [&str; 8] = [
        "s3:GetObject",
        "s3:getObject",
        "s3:getobject",
        "S3:GetObject",
        "s3:Get",
        "s3:Get_",
        "s3:Get-",
        "ec2:Describe*",
    ];
    let mut lists: Vec<Vec<&str>> = vec![Vec::new()];
    for _ in 0..4 {
        let longer: Vec<Vec<&str>> = lists
            .iter()
            .flat_map(|l| {
                SPELLINGS.iter().map(move |s| {
                    let mut l = l.clone();
                    l.push(s);
                    l
                })
            })
            .collect();
        lists.extend(longer);
    }
    for list in lists {
        assert_eq!(
            normalize_actions(list.iter().copied()),
            normalize_by_lowercase(list.clone()),
            "{list:?}"
        );
    }
}

/// Strings a document can hold: actions, Sids and versions as built, and
/// hostile ones (quotes, backslashes, control characters, non-ASCII
/// whitespace and letters, spaces at the ends).
const STRINGS: [&str; 18] = [
    "",
    "s3:GetObject",
    "*",
    "2012-10-17",
    "a b",
    " lead",
    "trail ",
    "quote\"d",
    "back\\slash",
    "tab\tnl\ncr\r",
    "\u{7f}del",
    "\u{0b}\u{0c}\u{1}",
    "\u{a0}nbsp",
    "\u{3000}ideographic",
    "\u{85}next line",
    "é",
    "crab 🦀",
    "</script>",
];

/// Documents of 0-3 statements of 0-3 actions, every string in every place.
fn hostile_documents() -> Vec<PolicyDocument> {
    let pick = |i: usize| STRINGS[i % STRINGS.len()].to_owned();
    (0..STRINGS.len() * 4)
        .map(|i| PolicyDocument {
            version: pick(i),
            statement: (0..i % 4)
                .map(|k| PolicyStatement {
                    sid: pick(i + k + 1),
                    effect: pick(i + 2 * k + 3),
                    action: (0..(i + k) % 4).map(|a| pick(i * 3 + a + k)).collect(),
                    resource: pick(i + k + 5),
                })
                .collect(),
        })
        .collect()
}

#[test]
fn pretty_json_is_what_serde_json_writes() {
    let mut docs = hostile_documents();
    docs.push(builder(["s3:ListBucket", "s3:GetObject"]).build());
    docs.push(PolicyDocument::default());
    for doc in &docs {
        let want = serde_json::to_string_pretty(doc).unwrap() + "\n";
        assert_eq!(doc.to_json_pretty(), want, "{doc:?}");
    }
}

#[test]
fn sizes_are_those_of_the_compact_json() {
    for doc in hostile_documents() {
        assert_eq!(doc.size(), json_len(&doc), "{doc:?}");
        for s in &doc.statement {
            assert_eq!(statement_len(s), json_len(s), "{s:?}");
        }
    }
    for s in STRINGS {
        assert_eq!(str_len(s), json_len(s), "{s:?}");
        if plain(s) {
            assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{s}\""));
        }
    }
    let plain_ones = STRINGS.iter().filter(|s| plain(s)).count();
    assert!((7..STRINGS.len()).contains(&plain_ones), "{plain_ones}");
}
