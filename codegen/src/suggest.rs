//! "Did you mean" suggestions: the one edit distance of the crate, used by
//! the policy requests (unknown resources and operations) and by `diff`
//! (renamed methods).

use std::collections::BTreeSet;

/// Levenshtein distance between `a` and `b`, in characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The names to suggest for `wanted`: all of them when there are at most
/// twelve, else the twelve closest (names containing `wanted` or contained
/// in it first, then by edit distance) and how many there are in all.
pub fn closest(wanted: &str, names: &BTreeSet<&str>) -> String {
    const MAX: usize = 12;
    if names.len() <= MAX {
        return names.iter().copied().collect::<Vec<_>>().join(", ");
    }
    let mut ranked: Vec<&str> = names.iter().copied().collect();
    ranked.sort_by_key(|n| {
        let related = n.contains(wanted) || wanted.contains(n);
        (!related, levenshtein(wanted, n), *n)
    });
    format!("{}, ... ({} in all)", ranked[..MAX].join(", "), names.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance() {
        assert_eq!(levenshtein("bucket", "buckets"), 1);
        assert_eq!(levenshtein("list_resource", "list_resources"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("abc", ""), 3);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("ünï", "uni"), 2);
    }

    #[test]
    fn suggestions() {
        let names: BTreeSet<&str> = ["a", "b"].into();
        assert_eq!(closest("x", &names), "a, b");
        let many: Vec<String> = (0..20).map(|i| format!("name{i:02}")).collect();
        let names: BTreeSet<&str> = many.iter().map(String::as_str).collect();
        let s = closest("name1", &names);
        assert!(s.starts_with("name10, name11"), "{s}");
        assert!(s.ends_with("(20 in all)"), "{s}");
    }
}
