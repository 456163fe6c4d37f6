//! Parsing kwic queries and globs from arbitrary strings and searching a small text.
//!
//! Checks that parsing never panics (errors only for what the README allows), that every
//! hit slices the text to `matched` with a consistent line and column, and that
//! `kwic::search` (which skips lines that cannot hold the first word) finds exactly the
//! hits of a naive scan of every token through the public API. For one-word queries the
//! node frequency of `collocates` and the hits of `dispersion` must agree with it.
#![no_main]

use arbitrary::Arbitrary;
use lectio_concord::collocates::{collocates, CollocateOptions};
use lectio_concord::dispersion::dispersion;
use lectio_concord::kwic::{search, sort, Context, SortKey};
use lectio_concord::query::{Query, QueryError, QueryOptions};
use lectio_text::{key, KeyOptions, LineIndex, Token, TokenKind, Tokenized, Tokenizer};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    text: String,
    query: String,
    /// Take the query from the text (`text[a..b]`, widened to char boundaries) instead,
    /// so that hits are common.
    query_from_text: Option<(u16, u16)>,
    regex: bool,
    case_sensitive: bool,
    fold_diacritics: bool,
    chars: bool,
    k: u8,
    sort_keys: Vec<u8>,
    /// From 0xE0 up: put the text after about 1 MiB of blank lines, so that it straddles
    /// the boundary of the pieces a large text is searched in (in parallel). Only one input
    /// in eight, as these are slow.
    pad: u8,
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The size of the pieces `kwic::search` cuts a large text into.
const PIECE: usize = 1 << 20;

fuzz_target!(|input: Input| {
    let padded;
    let pad = input.pad >= 0xE0;
    let text = if pad {
        let k = (input.pad & 0x1F) as usize;
        padded = format!("{}{}", "\n".repeat(PIECE - k), input.text);
        padded.as_str()
    } else {
        input.text.as_str()
    };
    let query_text = match input.query_from_text {
        Some((a, b)) if !input.text.is_empty() => {
            let t = input.text.as_str();
            let a = floor_boundary(t, a as usize % (t.len() + 1));
            let b = floor_boundary(t, b as usize % (t.len() + 1));
            &t[a.min(b)..a.max(b)]
        }
        _ => input.query.as_str(),
    };
    let opts = QueryOptions {
        regex: input.regex,
        key: KeyOptions {
            case_sensitive: input.case_sensitive,
            fold_diacritics: input.fold_diacritics,
        },
    };
    let query = match Query::parse(query_text, opts) {
        Ok(q) => q,
        Err(QueryError::Empty(_)) => {
            // Only a query without any word (and without glob or regex parts) is empty.
            if input.regex {
                assert!(query_text.split_whitespace().next().is_none());
            } else {
                assert!(!query_text.contains(['*', '?']), "{query_text:?}");
                for part in query_text.split_whitespace() {
                    assert!(!Tokenizer::new(part).any(|t| t.is_word()), "{query_text:?}");
                }
            }
            return;
        }
        Err(QueryError::Pattern { .. }) => {
            // A glob can only fail through the regex engine's size limits.
            assert!(input.regex || query_text.contains(['*', '?']));
            return;
        }
    };
    assert!(!query.terms().is_empty());

    let context = if input.chars {
        Context::Chars(input.k as usize)
    } else {
        Context::Words(input.k as usize % 16)
    };
    let hits = search(3, text, &query, context);

    let lines = LineIndex::new(text);
    let mut last_start = None;
    for h in &hits {
        assert_eq!(h.doc, 3);
        assert!(last_start.is_none_or(|s| s < h.start), "hits out of order");
        last_start = Some(h.start);
        let slice = text.get(h.start..h.end).expect("hit on char boundaries");
        assert_eq!(slice, h.matched);
        assert_eq!((h.line, h.column), lines.line_col(text, h.start));
        let words: Vec<String> = Tokenizer::new(slice)
            .filter(Token::is_word)
            .map(|t| key(t.text(slice), opts.key))
            .collect();
        assert_eq!(words.len(), query.terms().len());
        assert_eq!(h.match_key, words.join(" "));
        for side in [&h.left, &h.right] {
            assert!(!side.contains("  "), "{side:?}");
            assert!(!side.contains(['\n', '\r', '\t']), "{side:?}");
        }
        match context {
            Context::Words(_) => {
                for side in [&h.left, &h.right] {
                    assert!(!side.starts_with(' ') && !side.ends_with(' '), "{side:?}");
                }
            }
            // Cut at N characters, a context may end in the space before a word.
            Context::Chars(k) => {
                assert!(h.left.chars().count() <= k && h.right.chars().count() <= k);
                assert!(!h.left.ends_with(' ') && !h.right.starts_with(' '));
            }
        }
        assert!(h.left_keys.len() <= 3 && h.right_keys.len() <= 3);
    }

    // The naive scan: every word token, every term, nothing skipped.
    let tokens: Vec<Token> = Tokenizer::new(text).collect();
    let n = query.terms().len();
    let mut expected = Vec::new();
    for (i, first) in tokens.iter().enumerate() {
        let Some(run) = tokens.get(i..i + n) else {
            break;
        };
        let whole = run.iter().zip(query.terms()).all(|(t, term)| {
            t.kind == TokenKind::Word
                && t.para == first.para
                && term.matches(&key(t.text(text), opts.key))
        });
        if whole {
            expected.push((first.start, run[n - 1].end));
        }
    }
    let found: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
    assert_eq!(found, expected, "search differs from a full scan");

    if pad {
        // The rest is slow on a padded text, and the same as without the padding.
        return;
    }

    // The same terms resolved against the text's vocabulary agree with them.
    let tz = Tokenized::new(text, opts.key);
    let compiled = query.compile(&tz.vocab);
    for (i, &sym) in tz.keys.iter().enumerate() {
        for (j, term) in query.terms().iter().enumerate() {
            assert_eq!(compiled.term_matches(j, sym), term.matches(tz.key(i)));
        }
    }
    if !compiled.can_match() {
        assert!(hits.is_empty());
    }

    // Dispersion finds the same hits, as word indices.
    let rows = dispersion(&[text], std::slice::from_ref(&query));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].hits.len(), hits.len());
    assert_eq!(
        rows[0].words as usize,
        tokens.iter().filter(|t| t.is_word()).count()
    );

    // A one-word node occurs exactly as often as kwic finds it.
    if n == 1 {
        let co = CollocateOptions {
            chunk_bytes: 1 + input.k as usize,
            ..CollocateOptions::default()
        };
        let table = collocates(&[text], &query, &co).expect("one-word node");
        assert_eq!(table.f_node as usize, hits.len());
        assert_eq!(table.words, rows[0].words);
    }

    // Sorting is a permutation that keeps document order among ties.
    let keys: Vec<SortKey> = input
        .sort_keys
        .iter()
        .take(3)
        .map(|b| match b % 8 {
            0 => SortKey::Left(1),
            1 => SortKey::Left(2),
            2 => SortKey::Left(3),
            3 => SortKey::Match,
            4 => SortKey::Right(1),
            5 => SortKey::Right(2),
            6 => SortKey::Right(3),
            _ => SortKey::Pos,
        })
        .collect();
    let mut sorted = hits.clone();
    sort(&mut sorted, &keys);
    let mut starts: Vec<usize> = sorted.iter().map(|h| h.start).collect();
    starts.sort_unstable();
    assert_eq!(starts, hits.iter().map(|h| h.start).collect::<Vec<_>>());
});
