//! Least-privilege IAM policy documents for StackQL operations.
//!
//! [`PolicyBuilder`] collects the IAM actions resource operations need and
//! renders them as policy documents, optionally split to fit [`PolicyKind::quota`].

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

/// The only policy language version accepted by IAM for modern policies.
const IAM_VERSION: &str = "2012-10-17";
/// Polled by StackQL until an asynchronous Cloud Control request completes.
const REQUEST_STATUS: &str = "cloudformation:GetResourceRequestStatus";

/// IAM operation kinds a StackQL method maps to.
///
/// ```
/// use stackql_runtime::policy::Operation;
/// assert_eq!(Operation::Read.as_str(), "Read");
/// assert_eq!(Operation::Read.cloud_control_actions(), ["cloudformation:GetResource"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Creating a resource (`INSERT`).
    Create,
    /// Reading one resource (`SELECT` by identifier).
    Read,
    /// Updating a resource (`UPDATE`).
    Update,
    /// Deleting a resource (`DELETE`).
    Delete,
    /// Listing resources (`SELECT` without identifier).
    List,
}

impl Operation {
    /// All operations, in declaration order.
    pub const ALL: [Self; 5] = [
        Self::Create,
        Self::Read,
        Self::Update,
        Self::Delete,
        Self::List,
    ];

    /// The operation name as used in the AWS resource docs (`"Create"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "Create",
            Operation::Read => "Read",
            Operation::Update => "Update",
            Operation::Delete => "Delete",
            Operation::List => "List",
        }
    }

    /// Reads an operation name as pages write it (`### Create`), ignoring
    /// case and surrounding spaces; `None` for any other word.
    pub fn parse(word: &str) -> Option<Self> {
        let word = word.trim();
        Self::ALL
            .into_iter()
            .find(|op| op.as_str().eq_ignore_ascii_case(word))
    }

    /// The AWS Cloud Control API actions StackQL itself calls for this operation.
    ///
    /// Mutating operations are asynchronous, so they also need
    /// `cloudformation:GetResourceRequestStatus` to poll for completion.
    pub fn cloud_control_actions(self) -> &'static [&'static str] {
        match self {
            Operation::Create => &["cloudformation:CreateResource", REQUEST_STATUS],
            Operation::Read => &["cloudformation:GetResource"],
            Operation::Update => &["cloudformation:UpdateResource", REQUEST_STATUS],
            Operation::Delete => &["cloudformation:DeleteResource", REQUEST_STATUS],
            Operation::List => &["cloudformation:ListResources"],
        }
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something that needs IAM actions, e.g. an operation on a given resource.
pub trait RequiresActions {
    /// The IAM actions required (duplicates and case variants are fine).
    fn required_actions(&self) -> Vec<&'static str>;
}

/// An [`Operation`] on its own requires its Cloud Control API actions.
impl RequiresActions for Operation {
    fn required_actions(&self) -> Vec<&'static str> {
        self.cloud_control_actions().to_vec()
    }
}

/// Deduplicates IAM actions case-insensitively (IAM action names are
/// case-insensitive) and sorts them.
///
/// Of several spellings of one action, the one whose name after the colon
/// starts upper-case wins; among equals, the lexicographically smallest
/// spelling. The output is sorted by lower-cased action. Empty strings are
/// dropped.
///
/// ```
/// use stackql_runtime::policy::normalize_actions;
/// let actions = normalize_actions(["s3:GetObject", "lambda:addPermission", "lambda:AddPermission", ""]);
/// assert_eq!(actions, ["lambda:AddPermission", "s3:GetObject"]);
/// ```
pub fn normalize_actions<'a, I: IntoIterator<Item = &'a str>>(actions: I) -> Vec<String> {
    let mut all: Vec<&'a str> = actions.into_iter().filter(|a| !a.is_empty()).collect();
    if !all.iter().all(|a| a.is_ascii()) {
        return normalize_by_lowercase(all);
    }
    // ASCII (every real IAM action): lower-casing is per byte, so sorting
    // by the lower-cased bytes and then by rank puts each action's best
    // spelling first among its spellings, in the order of the lower-cased
    // actions, without building them.
    all.sort_unstable_by(|a, b| {
        let lower = |s: &'a str| s.bytes().map(|c| c.to_ascii_lowercase());
        lower(a)
            .cmp(lower(b))
            .then_with(|| spelling_rank(a).cmp(&spelling_rank(b)))
    });
    all.dedup_by(|later, first| later.eq_ignore_ascii_case(first));
    all.into_iter().map(str::to_owned).collect()
}

/// [`normalize_actions`] for any text: keyed by `str::to_lowercase`.
fn normalize_by_lowercase(actions: Vec<&str>) -> Vec<String> {
    let mut best: BTreeMap<String, &str> = BTreeMap::new();
    for action in actions {
        best.entry(action.to_lowercase())
            .and_modify(|cur| {
                if spelling_rank(action) < spelling_rank(cur) {
                    *cur = action;
                }
            })
            .or_insert(action);
    }
    best.into_values().map(str::to_owned).collect()
}

/// Sort key for competing spellings of one action: upper-case names first.
fn spelling_rank(action: &str) -> (bool, &str) {
    let name = action.split_once(':').map_or(action, |(_, name)| name);
    (!name.starts_with(char::is_uppercase), action)
}

/// One IAM policy statement (built ones always allow on resource `"*"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyStatement {
    /// Statement identifier (`Sid`), unique within a document, ASCII alphanumeric.
    pub sid: String,
    /// `"Allow"` (or `"Deny"` in hand-written documents).
    pub effect: String,
    /// The IAM actions, e.g. `"lambda:CreateFunction"`.
    pub action: Vec<String>,
    /// The resource ARN pattern; `"*"` for built statements.
    pub resource: String,
}

impl PolicyStatement {
    /// An `Allow` statement on all resources.
    ///
    /// `sid` is reduced to its ASCII alphanumerics (`"Statement"` if nothing
    /// remains); `actions` go through [`normalize_actions`].
    pub fn allow(sid: &str, actions: impl IntoIterator<Item = impl AsRef<str>>) -> Self {
        let owned: Vec<_> = actions.into_iter().collect();
        let mut sid: String = sid.chars().filter(char::is_ascii_alphanumeric).collect();
        if sid.is_empty() {
            sid.push_str("Statement");
        }
        PolicyStatement {
            sid,
            effect: "Allow".to_owned(),
            action: normalize_actions(owned.iter().map(|a| a.as_ref())),
            resource: "*".to_owned(),
        }
    }
}

/// An IAM policy document: `{"Version":"2012-10-17","Statement":[...]}`.
///
/// ```
/// use stackql_runtime::policy::{PolicyDocument, PolicyStatement};
/// let stmt = PolicyStatement::allow("s3-read", ["s3:getObject", "s3:GetObject"]);
/// assert_eq!((stmt.sid.as_str(), stmt.action.len()), ("s3read", 1));
/// let doc = PolicyDocument::new(vec![stmt]);
/// assert!(doc.validate().is_ok());
/// assert_eq!(doc.actions(), ["s3:GetObject"]);
/// assert!(doc.to_json_pretty().starts_with("{\n  \"Version\": \"2012-10-17\""));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument {
    /// Policy language version, `"2012-10-17"`.
    pub version: String,
    /// The statements.
    pub statement: Vec<PolicyStatement>,
}

impl Default for PolicyDocument {
    /// An empty document with version `"2012-10-17"` (not valid until it has statements).
    fn default() -> Self {
        PolicyDocument::new(Vec::new())
    }
}

impl PolicyDocument {
    /// A version `"2012-10-17"` document holding `statements`.
    pub fn new(statements: Vec<PolicyStatement>) -> Self {
        PolicyDocument {
            version: IAM_VERSION.to_owned(),
            statement: statements,
        }
    }

    /// Size as IAM counts it: characters of the JSON, excluding whitespace.
    pub fn size(&self) -> usize {
        // {"Version":…,"Statement":[…]}
        let statements: usize = self.statement.iter().map(statement_len).sum();
        27 + str_len(&self.version) + statements + self.statement.len().saturating_sub(1)
    }

    /// Pretty JSON (2-space indent) with a trailing newline: what
    /// `serde_json::to_string_pretty` writes, written directly (a generation
    /// writes thousands of documents).
    pub fn to_json_pretty(&self) -> String {
        // Room for the text: its strings, indentation and punctuation.
        let room: usize = self
            .statement
            .iter()
            .map(|s| 128 + s.sid.len() + s.action.iter().map(|a| a.len() + 12).sum::<usize>())
            .sum();
        let mut out = String::with_capacity(64 + room);
        out.push_str("{\n  \"Version\": ");
        push_json_str(&mut out, &self.version);
        out.push_str(",\n  \"Statement\": [");
        for (i, s) in self.statement.iter().enumerate() {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            out.push_str("    {\n      \"Sid\": ");
            push_json_str(&mut out, &s.sid);
            out.push_str(",\n      \"Effect\": ");
            push_json_str(&mut out, &s.effect);
            out.push_str(",\n      \"Action\": [");
            for (j, a) in s.action.iter().enumerate() {
                out.push_str(if j == 0 { "\n" } else { ",\n" });
                out.push_str("        ");
                push_json_str(&mut out, a);
            }
            if !s.action.is_empty() {
                out.push_str("\n      ");
            }
            out.push_str("],\n      \"Resource\": ");
            push_json_str(&mut out, &s.resource);
            out.push_str("\n    }");
        }
        if !self.statement.is_empty() {
            out.push_str("\n  ");
        }
        out.push_str("]\n}\n");
        out
    }

    /// All actions across statements, in statement order.
    pub fn actions(&self) -> Vec<&str> {
        self.statement
            .iter()
            .flat_map(|s| s.action.iter().map(String::as_str))
            .collect()
    }

    /// Checks the IAM grammar and returns a description of the first problem.
    ///
    /// Requires version `"2012-10-17"`, a non-empty statement list, unique
    /// non-empty ASCII alphanumeric Sids, effect `Allow`/`Deny`, non-empty
    /// action lists whose entries are `"*"` or `prefix:Name` (prefix
    /// `[A-Za-z0-9-]+`, name `[A-Za-z0-9*_-]+`) and a non-empty resource.
    pub fn validate(&self) -> Result<(), String> {
        if self.version != IAM_VERSION {
            return Err(format!("Version {:?} is not {IAM_VERSION:?}", self.version));
        }
        if self.statement.is_empty() {
            return Err("Statement list is empty".to_owned());
        }
        let mut sids = HashSet::new();
        for (i, s) in self.statement.iter().enumerate() {
            let problem = if !is_word(&s.sid, &[]) {
                format!("Sid {:?} is not non-empty ASCII alphanumeric", s.sid)
            } else if !sids.insert(s.sid.as_str()) {
                format!("duplicate Sid {:?}", s.sid)
            } else if s.effect != "Allow" && s.effect != "Deny" {
                format!("invalid Effect {:?}", s.effect)
            } else if s.action.is_empty() {
                "Action list is empty".to_owned()
            } else if let Some(a) = s.action.iter().find(|a| !is_valid_action(a)) {
                format!("invalid action {a:?}")
            } else if s.resource.is_empty() {
                "Resource is empty".to_owned()
            } else {
                continue;
            };
            return Err(format!("Statement[{i}]: {problem}"));
        }
        Ok(())
    }

    /// Whether the document is within the size quota of `kind`.
    pub fn fits(&self, kind: PolicyKind) -> bool {
        self.size() <= kind.quota()
    }

    /// The same statements and actions in as few documents as needed so that
    /// each one's [`size`](Self::size) is at most `kind.quota()`; each part is
    /// a complete document (same version) that can be attached on its own.
    ///
    /// Statements are packed greedily in order. A statement is only split
    /// when it cannot fit in a document of its own; its later parts get Sids
    /// suffixed `"Part2"`, `"Part3"`, ... (the first part keeps its Sid).
    /// The only document that can exceed the quota is one holding a single
    /// action too large to fit on its own, which is still emitted alone
    /// (impossible with real IAM action names). Statements without actions
    /// are dropped. A valid document within the quota comes back unchanged,
    /// as the only part; one without actions gives an empty `Vec`.
    ///
    /// ```
    /// use stackql_runtime::policy::{PolicyDocument, PolicyKind, PolicyStatement};
    /// let actions: Vec<String> = (0..400).map(|i| format!("ec2:DescribeThing{i:03}")).collect();
    /// let doc = PolicyDocument::new(vec![PolicyStatement::allow("Create", &actions)]);
    /// assert!(!doc.fits(PolicyKind::Managed));
    /// let parts = doc.split(PolicyKind::Managed);
    /// assert_eq!(parts.len(), 2);
    /// assert_eq!((parts[0].statement[0].sid.as_str(), parts[1].statement[0].sid.as_str()), ("Create", "CreatePart2"));
    /// assert!(parts.iter().all(|p| p.fits(PolicyKind::Managed) && p.validate().is_ok()));
    /// ```
    pub fn split(&self, kind: PolicyKind) -> Vec<PolicyDocument> {
        if self.split_is_itself(kind) {
            return vec![self.clone()];
        }
        self.pack(kind)
    }

    /// [`split`](Self::split), taking the document: one that fits is
    /// returned as it is, without a copy.
    ///
    /// ```
    /// use stackql_runtime::policy::{PolicyDocument, PolicyKind, PolicyStatement};
    /// let doc = PolicyDocument::new(vec![PolicyStatement::allow("Read", ["s3:GetObject"])]);
    /// assert_eq!(doc.clone().into_split(PolicyKind::Managed), doc.split(PolicyKind::Managed));
    /// ```
    pub fn into_split(self, kind: PolicyKind) -> Vec<PolicyDocument> {
        if self.split_is_itself(kind) {
            return vec![self];
        }
        self.pack(kind)
    }

    /// Whether [`split`](Self::split) gives the document itself: packing a
    /// document that fits changes nothing (the packed size of each
    /// statement is its own size), so no action is measured.
    fn split_is_itself(&self, kind: PolicyKind) -> bool {
        let all_have_actions = self.statement.iter().all(|s| !s.action.is_empty());
        !self.statement.is_empty() && all_have_actions && self.fits(kind)
    }

    /// The greedy packing [`split`](Self::split) describes, for any document.
    fn pack(&self, kind: PolicyKind) -> Vec<PolicyDocument> {
        let quota = kind.quota();
        let empty = PolicyDocument {
            version: self.version.clone(),
            statement: Vec::new(),
        };
        let empty_size = empty.size();
        let mut used: BTreeSet<String> = self.statement.iter().map(|s| s.sid.clone()).collect();
        let mut docs = Vec::new();
        let mut cur = empty.clone();
        let mut cur_size = empty_size;
        for stmt in &self.statement {
            let whole = statement_len(stmt);
            if !cur.statement.is_empty()
                && cur_size + 1 + whole > quota
                && empty_size + whole <= quota
            {
                docs.push(std::mem::replace(&mut cur, empty.clone()));
                cur_size = empty_size;
            }
            let mut actions = stmt.action.iter().cloned().peekable();
            let mut part = 1;
            while let Some(first) = actions.next() {
                let sid = match part {
                    1 => stmt.sid.clone(),
                    n => unique_sid(format!("{}Part{n}", stmt.sid), &mut used),
                };
                let mut piece = PolicyStatement {
                    sid,
                    effect: stmt.effect.clone(),
                    action: vec![first],
                    resource: stmt.resource.clone(),
                };
                let mut size = statement_len(&piece);
                if !cur.statement.is_empty() && cur_size + 1 + size > quota {
                    docs.push(std::mem::replace(&mut cur, empty.clone()));
                    cur_size = empty_size;
                }
                let sep = usize::from(!cur.statement.is_empty());
                while let Some(next) =
                    actions.next_if(|a| cur_size + sep + size + 1 + str_len(a) <= quota)
                {
                    size += 1 + str_len(&next);
                    piece.action.push(next);
                }
                cur_size += sep + size;
                cur.statement.push(piece);
                part += 1;
            }
        }
        if !cur.statement.is_empty() {
            docs.push(cur);
        }
        docs
    }
}

/// Whether `action` is a well-formed IAM action: `*`, or
/// `service-prefix:ActionName` where the prefix is ASCII alphanumerics and
/// `-`, and the name ASCII alphanumerics, `*`, `_` and `-`. The one action
/// grammar: the generator checks page actions with it too.
///
/// ```
/// use stackql_runtime::policy::is_valid_action;
/// assert!(is_valid_action("app-integrations:Get*"));
/// assert!(!is_valid_action("s3:Get Object"));
/// ```
pub fn is_valid_action(action: &str) -> bool {
    action == "*"
        || (action.split_once(':')).is_some_and(|(prefix, name)| {
            is_word(prefix, &['-']) && is_word(name, &['*', '_', '-'])
        })
}

/// Non-empty and made of ASCII alphanumerics and `extra` characters only.
fn is_word(s: &str, extra: &[char]) -> bool {
    let allowed = |c: char| c.is_ascii_alphanumeric() || extra.contains(&c);
    !s.is_empty() && s.chars().all(allowed)
}

/// Non-whitespace characters of the compact JSON of `value`.
fn json_len<T: Serialize + ?Sized>(value: &T) -> usize {
    serde_json::to_string(value).map_or(0, |s| non_whitespace(&s))
}

/// Whether `s` is its own JSON string body: printable ASCII without `"` or
/// `\` (IAM actions, Sids, versions), which serde_json writes as it is.
fn plain(s: &str) -> bool {
    // A fold without an early exit: the compiler vectorises it.
    s.bytes().fold(true, |ok, b| {
        ok & matches!(b, b' '..=b'~') & (b != b'"') & (b != b'\\')
    })
}

/// [`json_len`] of the string `s`, counted without writing it when it is
/// [`plain`]: its two quotes and its characters but spaces.
fn str_len(s: &str) -> usize {
    if plain(s) {
        2 + s.len() - s.bytes().filter(|&b| b == b' ').count()
    } else {
        json_len(s)
    }
}

/// [`json_len`] of a statement, from its strings' (the compact JSON of a
/// statement is its strings between fixed ASCII punctuation and keys).
fn statement_len(s: &PolicyStatement) -> usize {
    // {"Sid":…,"Effect":…,"Action":[…],"Resource":…}
    let actions: usize = s.action.iter().map(|a| str_len(a)).sum();
    42 + str_len(&s.sid)
        + str_len(&s.effect)
        + str_len(&s.resource)
        + actions
        + s.action.len().saturating_sub(1)
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it.
fn push_json_str(out: &mut String, s: &str) {
    if plain(s) {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        // Serialising a string cannot fail.
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
}

/// Characters of `s` that are not whitespace (`char::is_whitespace`); ASCII
/// text (IAM actions, Sids: nearly every document) is counted by bytes.
fn non_whitespace(s: &str) -> usize {
    if s.is_ascii() {
        // The ASCII whitespace of `char::is_whitespace`: `\t`..`\r` and space.
        s.bytes()
            .filter(|&b| !matches!(b, b'\t'..=b'\r' | b' '))
            .count()
    } else {
        s.chars().filter(|c| !c.is_whitespace()).count()
    }
}

/// Where a policy is attached: decides the size quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// A customer managed policy.
    Managed,
    /// An inline policy on an IAM role (aggregate quota per role).
    InlineRole,
}

impl PolicyKind {
    /// Maximum policy size in characters, excluding whitespace.
    pub fn quota(self) -> usize {
        match self {
            PolicyKind::Managed => 6144,
            PolicyKind::InlineRole => 10240,
        }
    }
}

/// Accumulates actions and builds the least-privilege policy.
///
/// ```
/// use stackql_runtime::policy::{Operation, PolicyBuilder, PolicyKind};
/// let mut builder = PolicyBuilder::new();
/// builder.require(&Operation::Read).allow(["lambda:GetFunction", "lambda:getFunction"]);
/// let doc = builder.build();
/// assert!(doc.validate().is_ok());
/// assert_eq!(doc.statement[0].sid, "Cloudformation");
/// assert_eq!(doc.statement[1].action, ["lambda:GetFunction"]);
/// assert_eq!(builder.build_split(PolicyKind::Managed), vec![doc]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct PolicyBuilder {
    actions: BTreeSet<String>,
}

impl PolicyBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds actions (empty strings are ignored).
    pub fn allow<'a>(&mut self, actions: impl IntoIterator<Item = &'a str>) -> &mut Self {
        let actions = actions.into_iter().filter(|a| !a.is_empty());
        self.actions.extend(actions.map(str::to_owned));
        self
    }

    /// Adds the actions `stmt` requires.
    pub fn require(&mut self, stmt: &dyn RequiresActions) -> &mut Self {
        self.allow(stmt.required_actions())
    }

    /// Builds one document with one statement per IAM service prefix.
    ///
    /// The Sid is the prefix in PascalCase from its hyphen-separated words,
    /// alphanumeric only (`"app-integrations"` becomes `"AppIntegrations"`;
    /// actions without a prefix, such as `"*"`, go to `"AllActions"`).
    /// Statements are sorted by prefix, case-insensitively (prefixes
    /// differing only by case merge), and actions are normalized with
    /// [`normalize_actions`]. Grouping per prefix gives Sids that stay stable
    /// as actions are added, keeps the document compact and lets reviewers
    /// audit one service at a time.
    pub fn build(&self) -> PolicyDocument {
        let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for action in &self.actions {
            let prefix = action.split_once(':').map_or("", |(prefix, _)| prefix);
            let key = prefix.to_lowercase();
            groups.entry(key).or_default().push(action);
        }
        let mut used = BTreeSet::new();
        let statements = groups
            .iter()
            .map(|(prefix, actions)| {
                let mut stmt = PolicyStatement::allow(&prefix_sid(prefix), actions.iter().copied());
                stmt.sid = unique_sid(std::mem::take(&mut stmt.sid), &mut used);
                stmt
            })
            .collect();
        PolicyDocument::new(statements)
    }

    /// Same content as [`build`](Self::build), split into as few documents as
    /// needed so each one's [`size`](PolicyDocument::size) is at most
    /// `kind.quota()` (see [`PolicyDocument::split`]). Returns an empty `Vec`
    /// when there are no actions.
    pub fn build_split(&self, kind: PolicyKind) -> Vec<PolicyDocument> {
        self.build().split(kind)
    }
}

/// `"app-integrations"` -> `"AppIntegrations"` (ASCII alphanumerics only); `""` -> `"AllActions"`.
fn prefix_sid(prefix: &str) -> String {
    if prefix.is_empty() {
        return "AllActions".to_owned();
    }
    let mut sid = String::new();
    for word in prefix.split('-') {
        let mut chars = word.chars();
        sid.extend(chars.next().map(|c| c.to_ascii_uppercase()));
        sid.extend(chars);
    }
    sid.retain(|c| c.is_ascii_alphanumeric());
    sid
}

/// `base`, or `base` + `Dup2`, `Dup3`, ... if already used; records the result.
fn unique_sid(base: String, used: &mut BTreeSet<String>) -> String {
    let mut sid = base.clone();
    let mut n = 2;
    while !used.insert(sid.clone()) {
        sid = format!("{base}Dup{n}");
        n += 1;
    }
    sid
}

#[cfg(test)]
mod tests;
