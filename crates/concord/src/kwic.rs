//! Keyword in context: every occurrence of a query with its original surroundings.

use std::cmp::Ordering;

use std::collections::VecDeque;

use aho_corasick::AhoCorasick;
use lectio_text::{
    key, key_into, KeyOptions, LineIndex, Token, TokenKind, Tokenizer, ASCII_KEY_BRIDGES,
};
use memchr::{memchr2, memrchr2};

use crate::query::{Query, Term};

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
///
/// When the first word of the query is an ASCII key, only the lines that can hold it are
/// tokenized: those containing the key (ignoring ASCII case unless case-sensitive) or one
/// of the few non-ASCII characters that can stand in a word with an ASCII key
/// ([`ASCII_KEY_BRIDGES`]). The result is the same as a full scan, only faster.
pub fn search(doc: usize, text: &str, query: &Query, context: Context) -> Vec<Hit> {
    let regions = match prefilter(query) {
        Some(finder) => candidate_lines(text, &finder),
        None => vec![(0, text.len())],
    };
    search_regions(doc, text, query, context, regions)
}

fn search_regions(
    doc: usize,
    text: &str,
    query: &Query,
    context: Context,
    regions: Vec<(usize, usize)>,
) -> Vec<Hit> {
    let lines = LineIndex::new(text);
    let mut scan = Scan {
        text,
        doc,
        context,
        matcher: Matcher::new(query),
        lines: &lines,
        hits: Vec::new(),
    };
    for (start, end) in regions {
        scan.region(start, end);
    }
    scan.hits
}

/// An Aho-Corasick automaton for the first query word and the bridge characters, when
/// the query allows skipping text.
fn prefilter(query: &Query) -> Option<AhoCorasick> {
    let opts = query.options();
    let Term::Exact(first) = &query.terms()[0] else {
        return None;
    };
    if opts.regex || opts.key.fold_diacritics || !first.is_ascii() || first.is_empty() {
        return None;
    }
    let mut patterns = vec![first.clone()];
    patterns.extend(ASCII_KEY_BRIDGES.iter().map(|c| c.to_string()));
    AhoCorasick::builder()
        .ascii_case_insensitive(!opts.key.case_sensitive)
        .build(patterns)
        .ok()
}

/// The lines (as merged byte ranges) that contain a match of `finder`.
fn candidate_lines(text: &str, finder: &AhoCorasick) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for m in finder.find_iter(text) {
        if out.last().is_some_and(|&(_, end)| m.start() < end) {
            continue;
        }
        let start = memrchr2(b'\n', b'\r', &bytes[..m.start()]).map_or(0, |i| i + 1);
        let end = memchr2(b'\n', b'\r', &bytes[m.end()..]).map_or(bytes.len(), |i| m.end() + i);
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => out.push((start, end)),
        }
    }
    out
}

/// Compares the words of a text with the query's terms without building every key.
struct Matcher<'q> {
    terms: &'q [Term],
    opts: KeyOptions,
    buf: String,
}

impl<'q> Matcher<'q> {
    fn new(query: &'q Query) -> Self {
        Matcher {
            terms: query.terms(),
            opts: query.options().key,
            buf: String::new(),
        }
    }

    fn len(&self) -> usize {
        self.terms.len()
    }

    /// Does `word` (original text) satisfy term `i`?
    fn matches(&mut self, i: usize, word: &str) -> bool {
        match &self.terms[i] {
            // An ASCII word's key is the word, ASCII-lowercased unless case-sensitive.
            Term::Exact(k) if word.is_ascii() => {
                k.is_ascii()
                    && if self.opts.case_sensitive {
                        word == k
                    } else {
                        word.eq_ignore_ascii_case(k)
                    }
            }
            term => {
                key_into(word, self.opts, &mut self.buf);
                term.matches(&self.buf)
            }
        }
    }
}

/// The state of one search: the text, the query and the hits found so far.
struct Scan<'a, 'q> {
    text: &'a str,
    doc: usize,
    context: Context,
    matcher: Matcher<'q>,
    lines: &'a LineIndex,
    hits: Vec<Hit>,
}

impl Scan<'_, '_> {
    /// Words of context needed on each side (for display and for sorting).
    fn span(&self) -> usize {
        match self.context {
            Context::Words(k) => k.max(SORT_SPAN),
            Context::Chars(_) => SORT_SPAN,
        }
    }

    /// Looks for hits whose first word starts in `start..end`; `start` is a line start, so
    /// tokenizing from there gives the same tokens as tokenizing the whole text.
    fn region(&mut self, start: usize, end: usize) {
        let text = self.text;
        let span = self.span();
        let mut tokens = Tokenizer::with_base(&text[start..], start, 0);
        // The words just before the current one, nearest last.
        let mut recent: VecDeque<Token> = VecDeque::with_capacity(span + 1);
        while let Some(tok) = tokens.next() {
            if tok.start >= end {
                break;
            }
            if tok.kind != TokenKind::Word {
                continue;
            }
            if self.matcher.matches(0, tok.text(text)) {
                let mut ahead = tokens.clone();
                let mut last = tok;
                let mut whole = true;
                for i in 1..self.matcher.len() {
                    match ahead.next() {
                        Some(t)
                            if t.kind == TokenKind::Word
                                && t.para == tok.para
                                && self.matcher.matches(i, t.text(text)) =>
                        {
                            last = t
                        }
                        _ => {
                            whole = false;
                            break;
                        }
                    }
                }
                if whole {
                    let after: Vec<Token> = ahead.filter(Token::is_word).take(span).collect();
                    let before = if recent.len() < span && start > 0 {
                        words_before(text, tok.start, span)
                    } else {
                        recent.iter().copied().collect()
                    };
                    self.push(&before, tok, last, &after);
                }
            }
            if recent.len() == span {
                recent.pop_front();
            }
            if span > 0 {
                recent.push_back(tok);
            }
        }
    }

    /// Records a hit from `first` to `last` with the words around it.
    fn push(&mut self, before: &[Token], first: Token, last: Token, after: &[Token]) {
        let text = self.text;
        let (start, end) = (first.start, last.end);
        let (left, right) = match self.context {
            Context::Words(k) => {
                let left = match before.len().checked_sub(k.min(before.len())) {
                    Some(i) if k > 0 && i < before.len() => collapse(&text[before[i].start..start]),
                    _ => String::new(),
                };
                let right = match after.get(k.min(after.len()).wrapping_sub(1)) {
                    Some(t) if k > 0 => collapse(&text[end..t.end]),
                    _ => String::new(),
                };
                (left, right)
            }
            Context::Chars(k) => (
                chars_before(&text[..start], k),
                chars_after(&text[end..], k),
            ),
        };
        let opts = self.matcher.opts;
        let key_of = |t: &Token| key(t.text(text), opts);
        let matched_words = Tokenizer::with_base(&text[start..end], start, 0)
            .filter(Token::is_word)
            .map(|t| key_of(&t))
            .collect::<Vec<_>>();
        let (line, column) = self.lines.line_col(text, start);
        self.hits.push(Hit {
            doc: self.doc,
            line,
            column,
            start,
            end,
            left,
            matched: text[start..end].to_string(),
            right,
            left_keys: before.iter().rev().take(SORT_SPAN).map(key_of).collect(),
            match_key: matched_words.join(" "),
            right_keys: after.iter().take(SORT_SPAN).map(key_of).collect(),
        });
    }
}

/// Up to `n` words before byte `at` (nearest last), tokenizing back from line starts.
fn words_before(text: &str, at: usize, n: usize) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut from = at;
    loop {
        // Back up one more line: a line start is always a safe place to start tokenizing.
        from = memrchr2(b'\n', b'\r', &bytes[..from.saturating_sub(1)]).map_or(0, |i| i + 1);
        let words: Vec<Token> = Tokenizer::with_base(&text[from..at], from, 0)
            .filter(Token::is_word)
            .collect();
        if words.len() >= n || from == 0 {
            return words[words.len().saturating_sub(n)..].to_vec();
        }
    }
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
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn skipping_lines_finds_what_a_full_scan_finds(
            words in prop::collection::vec(prop::sample::select(vec![
                "party", "Party", "PARTY", "par\u{AD}ty", "part’y", "single", "Single", "the",
                "Straße", "STRASSE", "strasse", "ﬁsh", "fish", "\u{212A}ey", "key", "—", "”",
                ",", ".", "\n", "\n\n", "\r\n", " ", "é", "e\u{301}",
            ]), 0..60),
            query in prop::sample::select(vec![
                "party", "single party", "strasse", "fish", "key", "the party", "Party",
            ]),
            case_sensitive in any::<bool>(),
            k in 0usize..5,
        ) {
            let text = words.join(" ");
            let opts = QueryOptions { regex: false, key: KeyOptions { case_sensitive, fold_diacritics: false } };
            let q = Query::parse(query, opts).unwrap();
            for context in [Context::Words(k), Context::Chars(k * 3)] {
                let full = search_regions(0, &text, &q, context, vec![(0, text.len())]);
                prop_assert_eq!(search(0, &text, &q, context), full);
            }
        }
    }

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
