//! What StackQL does with a query's text and how it reports provider
//! failures, as the client must know it.
//!
//! From StackQL's source: `internal/stackql/driver/driver.go`
//! (`SplitCompoundQuery`, `HandleSimpleQuery`) and stackql/psql-wire
//! `command.go` (only the first non-empty part runs) and `writer.go`
//! (`noticesComplete`: the provider's messages in a notice's Detail).

use super::{Error, Notice, Result};
use crate::text::shorten;

/// The byte offsets of the `;` at which StackQL splits `sql`: every `;`
/// outside double quotes, where a `"` opens a quote and one not preceded by
/// `\` closes it; single quotes are not looked at.
fn split_points(sql: &str) -> Vec<usize> {
    let bytes = sql.as_bytes();
    let mut points = Vec::new();
    let mut in_double_quotes = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b';' && !in_double_quotes {
            points.push(i);
        } else if b == b'"' {
            if !in_double_quotes {
                in_double_quotes = true;
            } else if i > 0 && bytes[i - 1] != b'\\' {
                in_double_quotes = false;
            }
        }
    }
    points
}

/// The single-quoted literals of `sql` as the runtime renders them
/// (`''` for a quote, backslash escapes): their byte ranges, quotes
/// included, and their values.
fn literals(sql: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    let mut chars = sql.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut value = String::new();
        let mut end = sql.len();
        while let Some((i, c)) = chars.next() {
            match c {
                '\'' if chars.peek().map(|&(_, n)| n) == Some('\'') => {
                    chars.next();
                    value.push('\'');
                }
                '\'' => {
                    end = i + 1;
                    break;
                }
                '\\' => match chars.next() {
                    Some((_, '0')) => value.push('\0'),
                    Some((_, e)) => value.push(e),
                    None => {}
                },
                c => value.push(c),
            }
        }
        out.push((start..end, value));
    }
    out
}

/// Checks that StackQL receives `sql` as one statement, whole: no `;`
/// that StackQL splits at may stand before the statement's final `;`.
/// The error names the literal value holding the `;`.
pub(crate) fn check_one_statement(sql: &str) -> Result<()> {
    let body = sql.trim_end();
    let body = body.strip_suffix(';').unwrap_or(body);
    let Some(&cut) = split_points(body).first() else {
        return Ok(());
    };
    let value = literals(sql)
        .into_iter()
        .find(|(range, _)| range.contains(&cut))
        .map(|(_, value)| value)
        .unwrap_or_else(|| sql[cut.saturating_sub(30)..].to_string());
    Err(Error::UnsafeStatement {
        value: shorten(&value, 80),
        reason: "holds a `;`: StackQL splits a query at every `;` outside double quotes \
                 (single-quoted literals included) and would run only the text before it, \
                 so the value cannot reach it intact; remove the `;` from the value"
            .to_string(),
    })
}

/// The HTTP status in a provider message, read as StackQL's own error
/// classification does (`(?i)status code:?\s*(\d{3})`, in
/// `internal/stackql/mcpbackend/mcp_service_stackql.go`): it matches
/// `http response status code: 403`, `Status code 429.`.
pub(crate) fn provider_status(text: &str) -> Option<u16> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("status code") {
        let rest = &lower[from + at + "status code".len()..];
        let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
        let digits = rest.as_bytes().iter().take_while(|b| b.is_ascii_digit());
        if digits.count() >= 3 {
            return rest[..3].parse().ok();
        }
        from += at + 1;
    }
    None
}

/// The provider failure a notice reports, if it reports one: a status of
/// 400 or more in its detail (or message).
pub(crate) fn provider_failure(notice: &Notice) -> Option<(u16, String)> {
    let text = notice.detail.as_deref().unwrap_or(&notice.message);
    let status = provider_status(text)?;
    (status >= 400).then(|| (status, text.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quote_literal;

    fn select(value: &str) -> String {
        format!("SELECT a FROM p.s.r WHERE x = {};", quote_literal(value))
    }

    #[test]
    fn splits_like_stackql() {
        assert_eq!(split_points("a;b"), [1]);
        assert_eq!(split_points("\"a;b\";c"), [5]);
        assert_eq!(
            split_points("'a;b'"),
            [2],
            "single quotes are not respected"
        );
        assert_eq!(
            split_points("\"a\\\";b\";"),
            [7],
            "an escaped quote does not close"
        );
    }

    #[test]
    fn a_literal_with_a_split_point_is_refused_by_value() {
        for value in ["';--", "a;b", "x'; DROP TABLE t; --", "\\;"] {
            match check_one_statement(&select(value)) {
                Err(Error::UnsafeStatement { value: v, reason }) => {
                    assert_eq!(v, value);
                    assert!(reason.contains("splits"), "{reason}");
                }
                other => panic!("{value}: {other:?}"),
            }
        }
    }

    #[test]
    fn statements_stackql_receives_whole_pass() {
        for value in [
            "it's",
            "\\' OR 1=1 --",
            "\u{1F600}\u{2019}",
            "a\"b;c\"",
            "a\"b",
            "",
        ] {
            check_one_statement(&select(value)).unwrap();
        }
        check_one_statement("EXEC p.s.r.m @a = 'b'").unwrap();
    }

    #[test]
    fn literals_decode_the_rendered_escapes() {
        let sql = select("a'b\\c\0");
        assert_eq!(literals(&sql)[0].1, "a'b\\c\0");
    }

    #[test]
    fn provider_status_reads_stackql_messages() {
        assert_eq!(
            provider_status("http response status code: 403, response body: {}"),
            Some(403)
        );
        assert_eq!(
            provider_status("HTTP response error.  Status code 429."),
            Some(429)
        );
        assert_eq!(provider_status("status code: 12"), None);
        assert_eq!(provider_status("all good"), None);
        let notice = |detail: &str| Notice {
            severity: "NOTICE".into(),
            code: "01000".into(),
            message: "a notice level event has occurred".into(),
            detail: Some(detail.into()),
        };
        assert_eq!(
            provider_failure(&notice(
                " http response status code: 404, response body: nf\n"
            )),
            Some((
                404,
                "http response status code: 404, response body: nf".into()
            ))
        );
        assert_eq!(provider_failure(&notice("status code: 200")), None);
    }
}
