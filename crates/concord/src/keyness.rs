//! Keyness: terms unusually frequent (or rare) in a target corpus against a reference corpus.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use lectio_text::Progress;
use serde::Serialize;

use crate::freq::{self, per_million, FreqError, FreqOptions};

/// Why a keyness table could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeynessError {
    /// The target corpus has no word.
    #[error("the target texts contain no word")]
    EmptyTarget,
    /// The reference corpus has no word.
    #[error("the reference texts contain no word")]
    EmptyReference,
    /// The counting options are invalid.
    #[error(transparent)]
    Freq(#[from] FreqError),
}

/// Log-likelihood keyness (Rayson and Garside 2000), signed.
///
/// `a`, `b`: the term's counts in target and reference; `c`, `d`: their sizes in words.
/// E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d), LL = 2(a ln(a/E1) + b ln(b/E2)), a zero count
/// contributing 0. The sign is made negative when the term is relatively rarer in the target
/// (a/c < b/d). `c` and `d` must not be 0.
pub fn log_likelihood(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let (af, bf, cf, df) = (a as f64, b as f64, c as f64, d as f64);
    let e1 = cf * (af + bf) / (cf + df);
    let e2 = df * (af + bf) / (cf + df);
    let part = |o: f64, e: f64| if o > 0.0 { o * (o / e).ln() } else { 0.0 };
    let ll = 2.0 * (part(af, e1) + part(bf, e2));
    if (a as u128) * (d as u128) < (b as u128) * (c as u128) {
        -ll
    } else {
        ll
    }
}

/// Log ratio (Hardie 2014): log2((a/c) / (b/d)), with 0.5 in place of a zero count `a` or
/// `b`. Each unit is a doubling of the relative frequency. `c` and `d` must not be 0.
pub fn log_ratio(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let half = |x: u64| if x == 0 { 0.5 } else { x as f64 };
    ((half(a) / c as f64) / (half(b) / d as f64)).log2()
}

/// %DIFF (Gabrielatos and Marchi 2012): 100 × (nf_target − nf_reference) / nf_reference,
/// nf = frequency per million words. Infinite (`f64::INFINITY`) when `b` is 0.
pub fn percent_diff(a: u64, b: u64, c: u64, d: u64) -> f64 {
    if b == 0 {
        return f64::INFINITY;
    }
    let (nt, nr) = (per_million(a, c), per_million(b, d));
    100.0 * (nt - nr) / nr
}

/// One term of a keyness table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeynessRow {
    /// The term (a key, or an n-gram's keys joined by one space).
    pub term: String,
    /// a: occurrences in the target.
    pub target_count: u64,
    /// b: occurrences in the reference.
    pub reference_count: u64,
    /// a / c × 10⁶.
    pub target_per_million: f64,
    /// b / d × 10⁶.
    pub reference_per_million: f64,
    /// Signed log-likelihood, see [`log_likelihood`].
    pub ll: f64,
    /// See [`log_ratio`].
    pub log_ratio: f64,
    /// See [`percent_diff`]; infinite when the reference count is 0.
    pub percent_diff: f64,
}

/// A keyness table and the corpus sizes it was computed with.
#[derive(Debug, Clone, PartialEq)]
pub struct KeynessTable {
    /// Rows sorted by LL descending, ties by term in code-point order.
    pub rows: Vec<KeynessRow>,
    /// c: word tokens of the target, before any filtering.
    pub target_words: u64,
    /// d: word tokens of the reference, before any filtering.
    pub reference_words: u64,
}

/// The reference's side of a progress shared with the target: its texts are numbered
/// after the target's.
struct After<'p> {
    progress: &'p dyn Progress,
    first: usize,
}

impl Progress for After<'_> {
    fn release(&self, doc: usize, range: std::ops::Range<usize>) {
        self.progress.release(self.first + doc, range);
    }

    fn advance(&self, doc: usize, bytes: u64) {
        self.progress.advance(self.first + doc, bytes);
    }
}

/// Compares the term frequencies of `target` texts with those of `reference` texts.
///
/// Terms are counted as [`freq::freq`] counts them with `opts` (n-grams, stop words,
/// numbers, keys); the corpus sizes c and d are all word tokens, before filtering. Terms
/// whose combined count a + b is below `min_count` are left out.
pub fn keyness(
    target: &[&str],
    reference: &[&str],
    opts: &FreqOptions,
    min_count: u64,
) -> Result<KeynessTable, KeynessError> {
    keyness_with_progress(target, reference, opts, min_count, &())
}

/// [`keyness`], telling `progress` of the bytes counted (and that they can be released);
/// the texts are numbered target first, then reference (the reference's first text is
/// text `target.len()`).
pub fn keyness_with_progress(
    target: &[&str],
    reference: &[&str],
    opts: &FreqOptions,
    min_count: u64,
    progress: &dyn Progress,
) -> Result<KeynessTable, KeynessError> {
    if opts.ngram == 0 {
        return Err(FreqError::ZeroNgram.into());
    }
    let after = After {
        progress,
        first: target.len(),
    };
    let (t, r) = rayon::join(
        || freq::count(target, opts, None, progress),
        || freq::count(reference, opts, None, &after),
    );
    let (c, d) = (t.total_words(), r.total_words());
    if c == 0 {
        return Err(KeynessError::EmptyTarget);
    }
    if d == 0 {
        return Err(KeynessError::EmptyReference);
    }
    let (t, r) = rayon::join(
        || t.merge(|term, n, _| (term, n)),
        || r.merge(|term, n, _| (term, n)),
    );
    // A term is in the same shard of both counts (see `tally::merge`), so the two are
    // joined shard by shard, in parallel: one map of all terms of both, on one thread, had
    // taken most of `keyness --ngram 2` on 52 MB against 52 MB (16 s).
    let mut rows: Vec<KeynessRow> = t
        .into_par_iter()
        .zip(r)
        .flat_map_iter(|(t, r)| {
            let mut both: FxHashMap<String, (u64, u64)> = FxHashMap::default();
            both.reserve(t.len() + r.len() / 4);
            for (term, a) in t {
                both.insert(term, (a, 0));
            }
            for (term, b) in r {
                match both.get_mut(term.as_str()) {
                    Some(counts) => counts.1 = b,
                    None => {
                        both.insert(term, (0, b));
                    }
                }
            }
            both.into_iter()
                .filter(|(_, (a, b))| a + b >= min_count)
                .map(|(term, (a, b))| KeynessRow {
                    term,
                    target_count: a,
                    reference_count: b,
                    target_per_million: per_million(a, c),
                    reference_per_million: per_million(b, d),
                    ll: log_likelihood(a, b, c, d),
                    log_ratio: log_ratio(a, b, c, d),
                    percent_diff: percent_diff(a, b, c, d),
                })
        })
        .collect();
    // Terms are distinct, so the order is total and the same whatever the threads.
    rows.par_sort_unstable_by(|x, y| y.ll.total_cmp(&x.ll).then_with(|| x.term.cmp(&y.term)));
    Ok(KeynessTable {
        rows,
        target_words: c,
        reference_words: d,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_term_once_with_its_counts_on_each_side() {
        // The two counts are joined shard by shard: each term of either side must come out
        // once, with the counts freq gives each side (bigrams of the essay against its
        // emended edition: most shared, some on one side only).
        let target = include_str!("../../../texts/deutscher-1956-khrushchev-on-stalin.txt");
        let reference =
            include_str!("../../../texts/deutscher-1956-khrushchev-on-stalin.emended.txt");
        let opts = FreqOptions {
            ngram: 2,
            chunk_bytes: 512,
            ..FreqOptions::default()
        };
        let counts = |text: &str| -> std::collections::BTreeMap<String, u64> {
            let table = freq::freq(&[text], &opts).unwrap();
            table.rows.into_iter().map(|r| (r.term, r.count)).collect()
        };
        let (a, b) = (counts(target), counts(reference));
        let table = keyness(&[target], &[reference], &opts, 1).unwrap();
        let mut seen = std::collections::BTreeMap::new();
        for row in &table.rows {
            let before = seen.insert(row.term.clone(), (row.target_count, row.reference_count));
            assert_eq!(before, None, "{} twice", row.term);
        }
        let mut expected = std::collections::BTreeMap::new();
        for term in a.keys().chain(b.keys()) {
            let pair = (
                a.get(term).copied().unwrap_or(0),
                b.get(term).copied().unwrap_or(0),
            );
            expected.insert(term.clone(), pair);
        }
        assert_eq!(seen, expected);
        let one_side = expected
            .values()
            .filter(|(x, y)| *x == 0 || *y == 0)
            .count();
        assert!(one_side > 0 && one_side < expected.len() / 2, "{one_side}");
    }

    #[test]
    fn progress_numbers_the_reference_after_the_target() {
        let target = ["the party and the party", "of the party"];
        let reference = ["a state and a people of a land in party"];
        let opts = FreqOptions {
            chunk_bytes: 8,
            ..FreqOptions::default()
        };
        let record = lectio_text::ProgressLog::default();
        let with = keyness_with_progress(&target, &reference, &opts, 1, &record).unwrap();
        assert_eq!(with, keyness(&target, &reference, &opts, 1).unwrap());
        let sizes = std::collections::BTreeMap::from([(0, 23), (1, 12), (2, 39)]);
        assert_eq!(record.advanced(), sizes);
        assert_eq!(record.released(), sizes);
    }

    #[test]
    fn two_tiny_texts_by_hand() {
        // Target: 8 words, "party" 3 times; reference: 10 words, "party" once.
        let target = "the party and the party of the party";
        let reference = "a state and a people of a land in party";
        let t = keyness(&[target], &[reference], &FreqOptions::default(), 1).unwrap();
        assert_eq!((t.target_words, t.reference_words), (8, 10));
        let party = t.rows.iter().find(|r| r.term == "party").unwrap();
        assert_eq!((party.target_count, party.reference_count), (3, 1));
        // E1 = 8 × 4 / 18 = 16/9, E2 = 10 × 4 / 18 = 20/9.
        // LL = 2 (3 ln(3 / (16/9)) + 1 ln(1 / (20/9))) = 2 (3 ln(27/16) + ln(9/20))
        let ll = 2.0 * (3.0 * (27.0f64 / 16.0).ln() + (9.0f64 / 20.0).ln());
        assert!((party.ll - ll).abs() < 1e-12);
        assert!((party.ll - 1.5425).abs() < 1e-4, "{}", party.ll);
        // Log ratio = log2((3/8) / (1/10)) = log2(3.75).
        assert!((party.log_ratio - 3.75f64.log2()).abs() < 1e-12);
        // %DIFF = 100 (375000 − 100000) / 100000 = 275.
        assert!((party.percent_diff - 275.0).abs() < 1e-9);
        assert_eq!(party.target_per_million, 375_000.0);

        // "a": 0 in the target, 3 of 10 in the reference: negative LL, 0.5 for the zero.
        let a = t.rows.iter().find(|r| r.term == "a").unwrap();
        // E2 = 10 × 3 / 18 = 5/3; LL = 2 × 3 ln(3 / (5/3)) = 6 ln(9/5), negated.
        assert!((a.ll + 6.0 * (9.0f64 / 5.0).ln()).abs() < 1e-12);
        assert!((a.log_ratio - ((0.5 / 8.0) / (3.0 / 10.0f64)).log2()).abs() < 1e-12);
        assert!((a.percent_diff + 100.0).abs() < 1e-12);

        // "the": 3 in the target, none in the reference: %DIFF is infinite.
        let the = t.rows.iter().find(|r| r.term == "the").unwrap();
        assert_eq!(the.percent_diff, f64::INFINITY);
        assert!((the.log_ratio - ((3.0 / 8.0) / (0.5 / 10.0f64)).log2()).abs() < 1e-12);

        // Sorted by LL descending, ties by term.
        assert!(t
            .rows
            .windows(2)
            .all(|w| w[0].ll > w[1].ll || (w[0].ll == w[1].ll && w[0].term < w[1].term)));
        let terms: Vec<&str> = t.rows.iter().map(|r| r.term.as_str()).collect();
        assert_eq!(terms[..2], ["the", "party"]);
        assert_eq!(terms.last(), Some(&"a"));
    }

    #[test]
    fn min_count_is_on_the_combined_count_and_empty_corpora_are_errors() {
        let t = keyness(&["x x y"], &["x z"], &FreqOptions::default(), 2).unwrap();
        let terms: Vec<&str> = t.rows.iter().map(|r| r.term.as_str()).collect();
        assert_eq!(terms, ["x"]);
        assert_eq!(
            keyness(&["— ”"], &["x"], &FreqOptions::default(), 1),
            Err(KeynessError::EmptyTarget)
        );
        assert_eq!(
            keyness(&["x"], &[""], &FreqOptions::default(), 1),
            Err(KeynessError::EmptyReference)
        );
    }

    #[test]
    fn equal_relative_frequency_gives_zero() {
        assert_eq!(log_likelihood(2, 4, 10, 20), 0.0);
        assert_eq!(log_ratio(2, 4, 10, 20), 0.0);
        assert_eq!(percent_diff(2, 4, 10, 20), 0.0);
    }
}
