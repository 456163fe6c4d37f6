//! Keyword in context: every occurrence of a query with its original surroundings.

use std::cmp::Ordering;

use lectio_text::{LineIndex, TokenKind, Tokenized};

use crate::query::Query;

/// How much context to show on each side of a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Whole words: the N words before and after, with what stands between them.
    Words(usize),
    /// Characters of the original text (whitespace runs counted as one space).
    Chars(usize),
}

impl Default for Context {
    fn default() -> Self {
        Context::Words(8)
    }
}

/// A sort key for a concordance, as AntConc offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// The n-th word to the left of the hit (1 = nearest).
    Left(u8),
    /// The hit itself.
    Match,
    /// The n-th word to the right of the hit (1 = nearest).
    Right(u8),
    /// Document order: the file, then the position in it.
    Pos,
}

impl std::str::FromStr for SortKey {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_uppercase().as_str() {
            "L1" => Ok(SortKey::Left(1)),
            "L2" => Ok(SortKey::Left(2)),
            "L3" => Ok(SortKey::Left(3)),
            "R1" => Ok(SortKey::Right(1)),
            "R2" => Ok(SortKey::Right(2)),
            "R3" => Ok(SortKey::Right(3)),
            "MATCH" => Ok(SortKey::Match),
            "POS" => Ok(SortKey::Pos),
            _ => Err(format!(
                "unknown sort key {s:?} (expected L3, L2, L1, MATCH, R1, R2, R3 or POS)"
            )),
        }
    }
}

/// Words kept on each side of a hit for sorting.
const SORT_SPAN: usize = 3;

/// One occurrence of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the document among those searched (for ordering across files).
    pub doc: usize,
    /// 1-based line of the hit's first byte.
    pub line: usize,
    /// 1-based character column of the hit's first byte.
    pub column: usize,
    /// Byte offset where the hit starts in the file.
    pub start: usize,
    /// Byte offset where the hit ends (exclusive).
    pub end: usize,
    /// Left context, original text with whitespace runs shown as one space.
    pub left: String,
    /// The hit, exactly `file[start..end]`.
    pub matched: String,
    /// Right context, original text with whitespace runs shown as one space.
    pub right: String,
    /// Keys of the words to the left, nearest first (up to three).
    pub left_keys: Vec<String>,
    /// Keys of the matched words joined by a space.
    pub match_key: String,
    /// Keys of the words to the right, nearest first (up to three).
    pub right_keys: Vec<String>,
}

fn nth(keys: &[String], n: u8) -> &str {
    keys.get(n as usize - 1).map_or("", String::as_str)
}

impl Hit {
    fn sort_field(&self, key: SortKey) -> &str {
        match key {
            SortKey::Left(n) => nth(&self.left_keys, n),
            SortKey::Right(n) => nth(&self.right_keys, n),
            SortKey::Match => &self.match_key,
            SortKey::Pos => "",
        }
    }
}

/// Finds every occurrence of `query` in `text` (document number `doc`).
///
/// Words of a phrase must follow each other with nothing but whitespace between them
/// (line breaks included) and within one paragraph. Hits come in document order.
pub fn search(doc: usize, text: &str, query: &Query, context: Context) -> Vec<Hit> {
    let toks = Tokenized::new(text, query.options().key);
    let compiled = query.compile(&toks.vocab);
    if !compiled.can_match() {
        return Vec::new();
    }
    let words: Vec<usize> = (0..toks.tokens.len())
        .filter(|&i| toks.tokens[i].kind == TokenKind::Word)
        .collect();
    let n = compiled.len();
    let lines = LineIndex::new(text);
    let mut hits = Vec::new();
    for (w, &first) in words.iter().enumerate() {
        let para = toks.tokens[first].para;
        let matched = (0..n).all(|t| {
            toks.tokens.get(first + t).is_some_and(|tok| {
                tok.kind == TokenKind::Word
                    && tok.para == para
                    && compiled.term_matches(t, toks.keys[first + t])
            })
        });
        if !matched {
            continue;
        }
        let last_w = w + n - 1;
        let start = toks.tokens[first].start;
        let end = toks.tokens[first + n - 1].end;
        let (left, right) = match context {
            Context::Words(k) => {
                let from = words[w.saturating_sub(k)];
                let left = if w == 0 || k == 0 {
                    String::new()
                } else {
                    collapse(&text[toks.tokens[from].start..start])
                };
                let right = match (k, words.get(last_w + 1)) {
                    (0, _) | (_, None) => String::new(),
                    _ => {
                        let to = words[(last_w + k).min(words.len() - 1)];
                        collapse(&text[end..toks.tokens[to].end])
                    }
                };
                (left, right)
            }
            Context::Chars(k) => (
                chars_before(&text[..start], k),
                chars_after(&text[end..], k),
            ),
        };
        let (line, column) = lines.line_col(text, start);
        let key_of = |i: usize| toks.key(words[i]).to_string();
        hits.push(Hit {
            doc,
            line,
            column,
            start,
            end,
            left,
            matched: text[start..end].to_string(),
            right,
            left_keys: (w.saturating_sub(SORT_SPAN)..w).rev().map(key_of).collect(),
            match_key: (w..=last_w).map(key_of).collect::<Vec<_>>().join(" "),
            right_keys: (last_w + 1..(last_w + 1 + SORT_SPAN).min(words.len()))
                .map(key_of)
                .collect(),
        });
    }
    hits
}

/// Sorts hits by up to three keys; ties (and `Pos`) fall back to document order.
///
/// Keys compare by code point. A left key names one word counted outward from the hit,
/// so `L1` sorts on the word just before it, as AntConc does.
pub fn sort(hits: &mut [Hit], keys: &[SortKey]) {
    hits.sort_by(|a, b| {
        keys.iter()
            .map(|&k| a.sort_field(k).cmp(b.sort_field(k)))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
            .then((a.doc, a.start).cmp(&(b.doc, b.start)))
    });
}

/// The text with every run of whitespace shown as one space, trimmed.
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for part in text.split(is_space).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}'
}

/// Up to `n` characters of collapsed text ending where `before` ends.
fn chars_before(before: &str, n: usize) -> String {
    let mut out: Vec<char> = Vec::with_capacity(n);
    let mut chars = before.chars().rev().skip_while(|&c| is_space(c)).peekable();
    while out.len() < n {
        let Some(c) = chars.next() else { break };
        if is_space(c) {
            while chars.next_if(|&c| is_space(c)).is_some() {}
            if chars.peek().is_none() {
                break;
            }
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out.iter().rev().collect()
}

/// Up to `n` characters of collapsed text starting where `after` starts.
fn chars_after(after: &str, n: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut chars = after.chars().skip_while(|&c| is_space(c)).peekable();
    while count < n {
        let Some(c) = chars.next() else { break };
        if is_space(c) {
            while chars.next_if(|&c| is_space(c)).is_some() {}
            if chars.peek().is_none() {
                break;
            }
            out.push(' ');
        } else {
            out.push(c);
        }
        count += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::QueryOptions;

    fn q(s: &str) -> Query {
        Query::parse(s, QueryOptions::default()).unwrap()
    }

    const TEXT: &str = "He has exploded the idea of the monolithic party and of the\nmonolithic  state in which all must think alike.\n\nThe single\nparty; single, party.";

    #[test]
    fn word_context_is_original_text_with_whitespace_collapsed() {
        let hits = search(0, TEXT, &q("monolithic"), Context::Words(3));
        assert_eq!(hits.len(), 2);
        let h = &hits[1];
        assert_eq!((h.line, h.column, h.start, h.end), (2, 1, 60, 70));
        assert_eq!(h.left, "and of the");
        assert_eq!(h.matched, "monolithic");
        assert_eq!(h.right, "state in which");
        assert_eq!(h.left_keys, ["the", "of", "and"]);
        assert_eq!(h.right_keys, ["state", "in", "which"]);
    }

    #[test]
    fn phrases_cross_line_breaks_but_not_punctuation() {
        let hits = search(0, TEXT, &q("single party"), Context::Words(1));
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].matched, "single\nparty");
        assert_eq!(hits[0].match_key, "single party");
        assert_eq!(
            (hits[0].left.as_str(), hits[0].right.as_str()),
            ("The", "; single")
        );
    }

    #[test]
    fn char_context_counts_collapsed_characters() {
        let hits = search(0, TEXT, &q("state"), Context::Chars(12));
        // Character context may cut a word: that is what it is for.
        assert_eq!(hits[0].left, "e monolithic");
        assert_eq!(hits[0].right, "in which all");
        let hits = search(0, "a  b  c", &q("c"), Context::Chars(3));
        assert_eq!(hits[0].left, "a b");
    }

    #[test]
    fn context_stops_at_the_text_edges() {
        let hits = search(0, TEXT, &q("he"), Context::Words(8));
        assert_eq!((hits[0].left.as_str(), hits[0].start), ("", 0));
        let hits = search(0, TEXT, &q("party"), Context::Words(8));
        assert_eq!(hits.last().unwrap().right, "");
    }

    #[test]
    fn sorting_on_left_words_compares_nearest_word_first() {
        let text = "b x HIT. a y HIT. c x HIT.";
        let mut hits = search(0, text, &q("hit"), Context::Words(2));
        sort(&mut hits, &[SortKey::Left(1), SortKey::Left(2)]);
        let order: Vec<usize> = hits.iter().map(|h| h.start).collect();
        // L1: x, y, x -> the two x hits first, ordered by L2 (b before c).
        assert_eq!(order, [4, 22, 13]);
        sort(&mut hits, &[SortKey::Pos]);
        let order: Vec<usize> = hits.iter().map(|h| h.start).collect();
        assert_eq!(order, [4, 13, 22]);
    }
}
