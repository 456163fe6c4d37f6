//! Properties of frequency lists and concordances that must hold for every text.

use std::collections::HashSet;

use lectio_concord::freq::{freq, is_number, FreqOptions};
use lectio_concord::kwic::{search, Context};
use lectio_concord::query::{Query, QueryOptions};
use lectio_text::{key, sentences, KeyOptions, Token, TokenKind, Tokenizer};
use proptest::prelude::*;

/// Text made of the things tokenizing, sentences and paragraphs have rules for, plus
/// arbitrary characters.
fn texty() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "the",
        "The",
        "party",
        "Party",
        "single",
        "é",
        "e\u{301}",
        "Straße",
        "1956",
        "3.5",
        "1937-38",
        "N.K.V.D.",
        "Stalin's",
        "Russia’s",
        "a",
        "I",
        " ",
        " ",
        " ",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "\u{A0}",
        "\u{FEFF}",
        ". ",
        "! ",
        "? ",
        "… ",
        "...",
        "Dr. ",
        "N. ",
        ",",
        "”",
        "“",
        "—",
        "-",
        "[1]",
        "[",
        "]",
        "\u{AD}",
        "\u{2029}",
        "am 25. Februar",
    ]);
    prop::collection::vec(
        prop_oneof![6 => pieces.prop_map(String::from), 1 => any::<char>().prop_map(String::from)],
        0..60,
    )
    .prop_map(|v| v.concat())
}

fn word_tokens(text: &str) -> Vec<Token> {
    Tokenizer::new(text)
        .filter(|t| t.kind == TokenKind::Word)
        .collect()
}

/// The n-grams the README allows: n consecutive words of one sentence (sentences end at
/// paragraph breaks too; footnote markers and punctuation are skipped), none excluded.
fn ngram_positions(text: &str, n: usize, excluded: impl Fn(&str) -> bool) -> u64 {
    let words = word_tokens(text);
    let mut total = 0;
    for s in sentences(text) {
        let inside: Vec<bool> = words
            .iter()
            .filter(|w| w.start >= s.start && w.end <= s.end)
            .map(|w| excluded(w.text(text)))
            .collect();
        total += inside.windows(n).filter(|w| !w.contains(&true)).count() as u64;
    }
    total
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn freq_counts_sum_to_n(texts in prop::collection::vec(texty(), 1..4), chunk in 1usize..64) {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let opts = FreqOptions { chunk_bytes: chunk, ..FreqOptions::default() };
        let table = freq(&refs, &opts).unwrap();
        let n: usize = refs.iter().map(|t| word_tokens(t).len()).sum();
        prop_assert_eq!(table.words, n as u64);
        prop_assert_eq!(table.rows.iter().map(|r| r.count).sum::<u64>(), n as u64);
        prop_assert_eq!(table.part_words.iter().sum::<u64>(), n as u64);
        for r in &table.rows {
            prop_assert!((0.0..=1.0 + 1e-9).contains(&r.dp), "{:?}", r);
            prop_assert!(r.range >= 1 && r.range as usize <= refs.len());
        }
        // The chunk size never changes the table.
        let whole = freq(&refs, &FreqOptions::default()).unwrap();
        prop_assert_eq!(table, whole);
    }

    #[test]
    fn ngram_counts_are_the_positions_the_definition_allows(
        text in texty(),
        n in 1usize..5,
        stop_the in any::<bool>(),
        no_numbers in any::<bool>(),
        chunk in 1usize..64,
    ) {
        let stopwords: HashSet<String> =
            if stop_the { ["the".to_string()].into() } else { HashSet::new() };
        let opts = FreqOptions {
            ngram: n,
            stopwords: stopwords.clone(),
            no_numbers,
            chunk_bytes: chunk,
            ..FreqOptions::default()
        };
        let table = freq(&[&text], &opts).unwrap();
        let excluded = |w: &str| {
            let k = key(w, KeyOptions::default());
            stopwords.contains(&k) || (no_numbers && is_number(&k))
        };
        let expected = ngram_positions(&text, n, excluded);
        prop_assert_eq!(table.rows.iter().map(|r| r.count).sum::<u64>(), expected);
        // N is counted before filtering, for n-grams too.
        prop_assert_eq!(table.words, word_tokens(&text).len() as u64);
        for r in &table.rows {
            prop_assert_eq!(r.term.split(' ').count(), n, "{:?}", r.term);
        }
    }

    #[test]
    fn kwic_hits_slice_the_text_and_match_a_full_scan(
        text in texty(),
        // Queries from the text's own words, globs, and arbitrary strings.
        pick in prop::collection::vec(any::<prop::sample::Index>(), 1..3),
        glob in any::<bool>(),
        raw in "\\PC{0,6}",
        use_raw in any::<bool>(),
        case_sensitive in any::<bool>(),
        fold_diacritics in any::<bool>(),
        k in 0usize..10,
        chars in any::<bool>(),
    ) {
        let words = word_tokens(&text);
        let query = if use_raw || words.is_empty() {
            raw
        } else {
            let start = pick[0].index(words.len());
            let mut q: Vec<String> = words[start..].iter().take(pick.len()).map(|w| w.text(&text).to_string()).collect();
            if glob {
                let w = &mut q[0];
                let cut = w.char_indices().nth(1).map_or(w.len(), |(i, _)| i);
                w.truncate(cut);
                w.push('*');
            }
            q.join(" ")
        };
        let opts = QueryOptions { regex: false, key: KeyOptions { case_sensitive, fold_diacritics } };
        let Ok(q) = Query::parse(&query, opts) else { return Ok(()); };
        let context = if chars { Context::Chars(k) } else { Context::Words(k) };
        let hits = search(0, &text, &q, context);
        for h in &hits {
            prop_assert_eq!(&text[h.start..h.end], h.matched.as_str());
        }
        // The same hits as matching every run of consecutive words of one paragraph.
        let tokens: Vec<Token> = Tokenizer::new(&text).collect();
        let n = q.terms().len();
        let expected: Vec<(usize, usize)> = (0..tokens.len().saturating_sub(n - 1))
            .filter(|&i| {
                tokens[i..i + n].iter().zip(q.terms()).all(|(t, term)| {
                    t.kind == TokenKind::Word
                        && t.para == tokens[i].para
                        && term.matches(&key(t.text(&text), opts.key))
                })
            })
            .map(|i| (tokens[i].start, tokens[i + n - 1].end))
            .collect();
        let found: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
        prop_assert_eq!(found, expected);
    }
}
