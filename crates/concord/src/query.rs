//! Concordance queries: words, phrases, globs and regular expressions over keys.

use std::sync::OnceLock;

use lectio_text::{key_into, KeyOptions, Sym, TokenKind, Tokenizer, Vocab};
use regex::Regex;

/// How a query is read.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueryOptions {
    /// Each whitespace-separated part is a regular expression that must match a whole key.
    pub regex: bool,
    /// How keys are made, for the query and for the text alike.
    pub key: KeyOptions,
}

/// Why a query could not be used.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query has no word in it (empty, or only punctuation).
    #[error("the query {0:?} contains no word to search for")]
    Empty(String),
    /// A part of a `--regex` query (or a glob) is not a valid regular expression.
    #[error("invalid pattern {}: {error}", quoted(pattern))]
    Pattern {
        /// The part of the query as written.
        pattern: String,
        /// What is wrong with it, and where.
        error: PatternError,
    },
}

/// `pattern` in double quotes as written: unlike `{:?}`, backslashes are not doubled
/// (`"\p{Foo}"`, not `"\\p{Foo}"`); only quotes and control characters are escaped.
fn quoted(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 2);
    out.push('"');
    for c in pattern.chars() {
        match c {
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.extend(c.escape_debug()),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What the regex engine found wrong with a pattern, in one line ("unclosed group at
/// offset 0"), without its multi-line diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// What is wrong: the regex engine's description ("unclosed group").
    pub message: String,
    /// Where, when the engine says: characters (not bytes) of the pattern as written before
    /// the error.
    pub offset: Option<usize>,
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        match self.offset {
            Some(offset) => write!(f, " at offset {offset}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for PatternError {}

impl PatternError {
    /// The error `err` of compiling `pattern`. The regex crate gives a syntax error only as
    /// a multi-line diagram; the parser it is built on, regex-syntax, gives its kind and
    /// place, so a syntax error is found again there.
    fn new(pattern: &str, err: &regex::Error) -> PatternError {
        let located = |kind: String, span: &regex_syntax::ast::Span| PatternError {
            message: kind,
            // In characters: what a reader counts.
            offset: Some(pattern[..span.start.offset].chars().count()),
        };
        match regex_syntax::Parser::new().parse(pattern) {
            Err(regex_syntax::Error::Parse(e)) => located(e.kind().to_string(), e.span()),
            Err(regex_syntax::Error::Translate(e)) => located(e.kind().to_string(), e.span()),
            // Valid syntax: too big once compiled, say.
            _ => PatternError {
                message: match err {
                    regex::Error::CompiledTooBig(limit) => {
                        format!("the compiled pattern is larger than the limit of {limit} bytes")
                    }
                    other => other
                        .to_string()
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                },
                offset: None,
            },
        }
    }
}

/// One position of a query: a key to compare, or a pattern over keys.
#[derive(Debug, Clone)]
pub enum Term {
    /// The key of a word of the query.
    Exact(String),
    /// A glob or regular expression, anchored to the whole key.
    Pattern(Regex),
}

impl Term {
    /// True when `key` satisfies this term.
    pub fn matches(&self, key: &str) -> bool {
        match self {
            Term::Exact(k) => k == key,
            Term::Pattern(re) => re.is_match(key),
        }
    }
}

/// A parsed query: one term per word of a phrase.
#[derive(Debug, Clone)]
pub struct Query {
    terms: Vec<Term>,
    opts: QueryOptions,
    /// kwic's prefilter, built on first use: a search over many files asks for it once
    /// per file, and building its two regexes took 80 µs (over 10,000 files of 5 KB, 0.8 s
    /// of a 0.9 s run).
    prefilter: OnceLock<Option<crate::kwic::Prefilter>>,
}

impl Query {
    /// kwic's prefilter for this query (`None` when none applies), built once.
    pub(crate) fn prefilter(&self) -> Option<&crate::kwic::Prefilter> {
        self.prefilter
            .get_or_init(|| crate::kwic::prefilter(self))
            .as_ref()
    }

    /// Parses `query`.
    ///
    /// The query is split at whitespace. A part with `*` (any run of characters) or `?`
    /// (one character) is a glob over keys; otherwise a part is tokenized like the text,
    /// so `Stalin's` is one word and `Politbureau—and` two, and punctuation is dropped.
    /// With `opts.regex`, each part is a regular expression over whole keys.
    pub fn parse(query: &str, opts: QueryOptions) -> Result<Query, QueryError> {
        let mut terms = Vec::new();
        let mut buf = String::new();
        for part in query.split_whitespace() {
            if opts.regex {
                let flags = if opts.key.case_sensitive { "" } else { "(?i)" };
                // The part must be a regular expression by itself: wrapped, `a)|(b` would
                // pass and match every key starting with "a".
                if let Err(e) = Regex::new(part) {
                    return Err(QueryError::Pattern {
                        pattern: part.to_string(),
                        error: PatternError::new(part, &e),
                    });
                }
                terms.push(Term::Pattern(anchored(part, flags, part)?));
            } else if part.contains(['*', '?']) {
                let mut pattern = String::new();
                for (i, literal) in part.split(['*', '?']).enumerate() {
                    if i > 0 {
                        // The wildcard that preceded this literal.
                        let at = part_wildcard_at(part, i);
                        pattern.push_str(if at == '*' { ".*" } else { "." });
                    }
                    key_into(literal, opts.key, &mut buf);
                    pattern.push_str(&regex::escape(&buf));
                }
                terms.push(Term::Pattern(anchored(&pattern, "(?s)", part)?));
            } else {
                for tok in Tokenizer::new(part).filter(|t| t.kind == TokenKind::Word) {
                    key_into(tok.text(part), opts.key, &mut buf);
                    terms.push(Term::Exact(buf.clone()));
                }
            }
        }
        if terms.is_empty() {
            return Err(QueryError::Empty(query.to_string()));
        }
        Ok(Query {
            terms,
            opts,
            prefilter: OnceLock::new(),
        })
    }

    /// The terms, one per word of the phrase.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The options the query was parsed with.
    pub fn options(&self) -> QueryOptions {
        self.opts
    }

    /// Resolves the terms against a vocabulary: each distinct key is tested once.
    pub fn compile(&self, vocab: &Vocab) -> Compiled {
        let terms = self
            .terms
            .iter()
            .map(|t| match t {
                Term::Exact(k) => Matcher::One(vocab.get(k)),
                Term::Pattern(_) => Matcher::Set(vocab.keys().map(|k| t.matches(k)).collect()),
            })
            .collect();
        Compiled { terms }
    }
}

/// The `i`-th wildcard character of a glob.
fn part_wildcard_at(part: &str, i: usize) -> char {
    part.chars()
        .filter(|c| matches!(c, '*' | '?'))
        .nth(i - 1)
        .expect("split produced one literal per wildcard")
}

fn anchored(pattern: &str, flags: &str, shown: &str) -> Result<Regex, QueryError> {
    let generated = format!("{flags}^(?:{pattern})$");
    Regex::new(&generated).map_err(|e| QueryError::Pattern {
        pattern: shown.to_string(),
        // Offsets into the generated pattern mean nothing to the user.
        error: PatternError {
            offset: None,
            ..PatternError::new(&generated, &e)
        },
    })
}

/// A term resolved against one vocabulary.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// An exact key: its symbol, or none when the text lacks the word.
    One(Option<Sym>),
    /// For patterns: `set[sym]` says whether the key matches.
    Set(Vec<bool>),
}

/// A query resolved against one vocabulary, for fast matching by symbol.
#[derive(Debug, Clone)]
pub struct Compiled {
    terms: Vec<Matcher>,
}

impl Compiled {
    /// Does term `i` match symbol `sym`?
    pub fn term_matches(&self, i: usize, sym: Sym) -> bool {
        match &self.terms[i] {
            Matcher::One(s) => *s == Some(sym),
            Matcher::Set(set) => set[sym as usize],
        }
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Never true: a parsed query has at least one term.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// False when some term matches nothing in the vocabulary, so no hit is possible.
    pub fn can_match(&self) -> bool {
        self.terms.iter().all(|m| match m {
            Matcher::One(s) => s.is_some(),
            Matcher::Set(set) => set.contains(&true),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwic_prefilter_is_built_once_per_query() {
        let q = Query::parse("monolithic", QueryOptions::default()).unwrap();
        let first: *const crate::kwic::Prefilter = q.prefilter().unwrap();
        assert!(std::ptr::eq(first, q.prefilter().unwrap()));
        // A regular expression cannot be prefiltered by its text.
        let opts = QueryOptions {
            regex: true,
            ..QueryOptions::default()
        };
        assert!(Query::parse("monolith.*", opts)
            .unwrap()
            .prefilter()
            .is_none());
    }

    fn exact(q: &Query) -> Vec<&str> {
        q.terms()
            .iter()
            .map(|t| match t {
                Term::Exact(k) => k.as_str(),
                Term::Pattern(_) => "<pattern>",
            })
            .collect()
    }

    #[test]
    fn words_and_phrases_are_tokenized_like_the_text() {
        let q = Query::parse("Single  Party", QueryOptions::default()).unwrap();
        assert_eq!(exact(&q), ["single", "party"]);
        let q = Query::parse("Stalin’s", QueryOptions::default()).unwrap();
        assert_eq!(exact(&q), ["stalin's"]);
        let q = Query::parse("Politbureau—and", QueryOptions::default()).unwrap();
        assert_eq!(exact(&q), ["politbureau", "and"]);
    }

    #[test]
    fn globs_match_whole_keys() {
        let q = Query::parse("Monolith*", QueryOptions::default()).unwrap();
        let t = &q.terms()[0];
        assert!(t.matches("monolithic") && t.matches("monolith"));
        assert!(!t.matches("amonolithic"));
        let q = Query::parse("wom?n", QueryOptions::default()).unwrap();
        let t = &q.terms()[0];
        assert!(t.matches("woman") && t.matches("women") && !t.matches("wooman"));
    }

    #[test]
    fn glob_literals_are_not_regex() {
        let q = Query::parse("N.K.V.D*", QueryOptions::default()).unwrap();
        let t = &q.terms()[0];
        assert!(t.matches("n.k.v.d."));
        assert!(!t.matches("nxkxvxd"));
    }

    #[test]
    fn regex_queries_are_anchored_and_case_insensitive_by_default() {
        let opts = QueryOptions {
            regex: true,
            ..QueryOptions::default()
        };
        let q = Query::parse("Stalin(ism|ist)", opts).unwrap();
        let t = &q.terms()[0];
        assert!(t.matches("stalinism") && !t.matches("stalin") && !t.matches("anti-stalinism"));
        let err = Query::parse("(", opts).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid pattern \"(\": unclosed group at offset 0"
        );
    }

    #[test]
    fn pattern_errors_are_one_line_with_the_offset_in_the_pattern_as_written() {
        let opts = |case_sensitive| QueryOptions {
            regex: true,
            key: KeyOptions {
                case_sensitive,
                fold_diacritics: false,
            },
        };
        let error = |q: &str, case_sensitive| match Query::parse(q, opts(case_sensitive)) {
            Err(QueryError::Pattern { pattern, error }) => (pattern, error.to_string()),
            other => panic!("{q}: {other:?}"),
        };
        for cs in [false, true] {
            let cases = [
                ("(", "unclosed group at offset 0"),
                (r"\p{Foo}", "Unicode property not found at offset 0"),
                ("ab)", "unopened group at offset 2"),
                ("é(x", "unclosed group at offset 1"),
                (
                    "a{2,1}",
                    "invalid repetition count range, the start must be <= the end at offset 1",
                ),
                (
                    "(?P<n>a)(?P<n>b)",
                    "duplicate capture group name at offset 12",
                ),
                ("a|*", "repetition operator missing expression at offset 2"),
            ];
            for (q, want) in cases {
                assert_eq!(error(q, cs), (q.to_string(), want.to_string()), "{q}");
            }
        }
        // The pattern is shown as written: backslashes are not doubled.
        assert_eq!(
            Query::parse(r#"\p{Foo}"x"#, opts(false))
                .unwrap_err()
                .to_string(),
            r#"invalid pattern "\p{Foo}\"x": Unicode property not found at offset 0"#
        );
        // The part of a phrase that is wrong is the one named.
        assert_eq!(
            error("stalin (ism", false),
            ("(ism".to_string(), "unclosed group at offset 0".to_string())
        );
        // Unbalanced parts are refused, not spliced into the anchoring group.
        assert_eq!(
            error("a)|(b", false),
            (
                "a)|(b".to_string(),
                "unopened group at offset 1".to_string()
            )
        );
        let e = error(r"\w{1000}{1000}", false).1;
        assert!(
            e.starts_with("the compiled pattern is larger than the limit of ") && !e.contains('\n'),
            "{e}"
        );
    }

    #[test]
    fn punctuation_only_queries_are_errors() {
        let err = Query::parse(" — ” ", QueryOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the query \" — ” \" contains no word to search for"
        );
    }
}
