//! Facts read from the SQL examples, through sqlparser's tokenizer (so
//! comments such as `/*+ create */`, quoted strings holding `|` or `<`, and
//! StackQL template values never confuse the scan).

use sqlparser::dialect::GenericDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

/// The example's tokens without white space and comments, or the tokenizer's error.
pub fn tokens(sql: &str) -> Result<Vec<Token>, String> {
    let toks = Tokenizer::new(&GenericDialect {}, sql)
        .tokenize()
        .map_err(|e| e.to_string())?;
    Ok(toks
        .into_iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect())
}

fn word(t: &Token) -> Option<&str> {
    match t {
        Token::Word(w) => Some(&w.value),
        _ => None,
    }
}

fn is_word(t: &Token, w: &str) -> bool {
    word(t).is_some_and(|v| v.eq_ignore_ascii_case(w))
}

/// The first keyword of the statement (`SELECT`, `INSERT`, ...), upper-cased.
pub fn first_keyword(toks: &[Token]) -> Option<String> {
    toks.iter().find_map(word).map(str::to_ascii_uppercase)
}

/// The column list of `INSERT INTO table (a, b, c) ...`.
pub fn insert_columns(toks: &[Token]) -> Option<Vec<String>> {
    let into = toks.iter().position(|t| is_word(t, "into"))?;
    let open = into + toks[into..].iter().position(|t| *t == Token::LParen)?;
    let mut cols = Vec::new();
    let mut item = String::new();
    for t in &toks[open + 1..] {
        match t {
            Token::RParen | Token::Comma => {
                if !item.is_empty() {
                    cols.push(std::mem::take(&mut item));
                }
                if *t == Token::RParen {
                    return Some(cols);
                }
            }
            // `+datasetId` (a Google path param) is one column.
            Token::Plus => item.push('+'),
            other => item.push_str(word(other)?),
        }
    }
    None
}

/// The values compared to `column` in `column = '...'` predicates, in order.
pub fn predicate_values(toks: &[Token], column: &str) -> Vec<String> {
    toks.windows(3)
        .filter_map(|w| match (&w[0], &w[1], &w[2]) {
            (c, Token::Eq, Token::SingleQuotedString(v)) if is_word(c, column) => Some(v.clone()),
            _ => None,
        })
        .collect()
}

/// Columns compared with `=` after `WHERE`, in order, without repeats.
pub fn where_columns(toks: &[Token]) -> Vec<String> {
    let Some(start) = toks.iter().position(|t| is_word(t, "where")) else {
        return Vec::new();
    };
    let mut cols: Vec<String> = Vec::new();
    for w in toks[start..].windows(2) {
        if let (Some(c), Token::Eq) = (word(&w[0]), &w[1]) {
            if !cols.iter().any(|x| x == c) {
                cols.push(c.to_string());
            }
        }
    }
    cols
}

/// The column names of `SELECT a, b, c FROM ...` (the last word of each item).
pub fn select_columns(toks: &[Token]) -> Vec<String> {
    let Some(start) = toks.iter().position(|t| is_word(t, "select")) else {
        return Vec::new();
    };
    let mut cols = Vec::new();
    let mut last: Option<&str> = None;
    for t in &toks[start + 1..] {
        match t {
            Token::Comma => cols.extend(last.take().map(str::to_string)),
            t if is_word(t, "from") => {
                cols.extend(last.take().map(str::to_string));
                return cols;
            }
            t => last = word(t).or(last),
        }
    }
    Vec::new()
}

/// The table named after `FROM` (`provider.service.resource`, its parts
/// joined by `.`), if the statement has one.
pub fn from_table(toks: &[Token]) -> Option<String> {
    let from = toks.iter().position(|t| is_word(t, "from"))?;
    let mut name = String::new();
    for t in &toks[from + 1..] {
        match t {
            Token::Period => name.push('.'),
            Token::Word(w) if name.is_empty() || name.ends_with('.') => name.push_str(&w.value),
            _ => break,
        }
    }
    (!name.is_empty()).then_some(name)
}

/// Columns assigned after `SET` (UPDATE/REPLACE), in order.
pub fn set_columns(toks: &[Token]) -> Vec<String> {
    let Some(start) = toks.iter().position(|t| is_word(t, "set")) else {
        return Vec::new();
    };
    let end = toks
        .iter()
        .position(|t| is_word(t, "where"))
        .unwrap_or(toks.len())
        .max(start);
    toks[start..end]
        .windows(2)
        .filter_map(|w| match (word(&w[0]), &w[1]) {
            (Some(c), Token::Eq) => Some(c.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_columns_skip_hint_comment() {
        let t =
            tokens("/*+ create */\nINSERT INTO a.b.c (\n X,\n region\n)\nSELECT '{{ X }}', 'r';")
                .unwrap();
        assert_eq!(insert_columns(&t).unwrap(), ["X", "region"]);
        assert_eq!(first_keyword(&t).as_deref(), Some("INSERT"));
        let t = tokens("INSERT INTO a.b.c (+datasetId, p) SELECT 1, 2;").unwrap();
        assert_eq!(insert_columns(&t).unwrap(), ["+datasetId", "p"]);
        let t = tokens("SELECT\nregion,\nx\nFROM a.b.c WHERE region = 'r';").unwrap();
        assert_eq!(select_columns(&t), ["region", "x"]);
        assert_eq!(from_table(&t).as_deref(), Some("a.b.c"));
        let t = tokens("SELECT x FROM\n`a`.b.vw_c\nWHERE y = 1;").unwrap();
        assert_eq!(from_table(&t).as_deref(), Some("a.b.vw_c"));
        assert_eq!(from_table(&tokens("SELECT 1;").unwrap()), None);
    }

    #[test]
    fn identifier_predicates_keep_pipes_in_strings() {
        let t =
            tokens("SELECT a FROM x WHERE region = 'us-east-1' AND data__Identifier = '<A>|<B>';")
                .unwrap();
        assert_eq!(predicate_values(&t, "data__identifier"), ["<A>|<B>"]);
        assert_eq!(where_columns(&t), ["region", "data__Identifier"]);
    }

    #[test]
    fn set_columns_tolerate_true_or_false() {
        let t = tokens("UPDATE a.b.c SET x = '{{ x }}', y = true|false WHERE id = '1';").unwrap();
        assert_eq!(set_columns(&t), ["x", "y"]);
    }
}
