//! Frequency lists: word and n-gram counts with normalized frequency, range and Gries' DP.
//!
//! Counting is parallel (rayon) per text and per chunk of a large text (see `tally` for how
//! the threads share the counting); counts are summed per term and part and the rows
//! sorted by count and term, so the table is the same whatever the number of threads or
//! the chunk size.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

use lectio_text::{key_into, KeyOptions, Progress};
use rayon::prelude::*;
use serde::Serialize;

use crate::chunk::{self, Chunk};
use crate::tally::{self, Tally};

/// Default number of equal slices a single text is cut into for [`FreqRow::dp`].
pub const DEFAULT_PARTS: usize = 10;

/// The most parts [`FreqOptions::parts`] may ask for: [`FreqTable::part_words`] holds one
/// number per part, so the bound keeps that (and the work per term) within reason.
pub const MAX_PARTS: usize = 1_000_000;

/// Default chunk size for parallel counting of one large text, in bytes.
pub const DEFAULT_CHUNK_BYTES: usize = 1 << 20;

/// The English stop word list of the Snowball project (snowballstem.org,
/// `algorithms/english/stop.txt`, BSD licence), as keys (apostrophes straight).
pub const ENGLISH_STOPWORDS: &[&str] = &[
    "i",
    "me",
    "my",
    "myself",
    "we",
    "our",
    "ours",
    "ourselves",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "he",
    "him",
    "his",
    "himself",
    "she",
    "her",
    "hers",
    "herself",
    "it",
    "its",
    "itself",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
    "what",
    "which",
    "who",
    "whom",
    "this",
    "that",
    "these",
    "those",
    "am",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "having",
    "do",
    "does",
    "did",
    "doing",
    "would",
    "should",
    "could",
    "ought",
    "i'm",
    "you're",
    "he's",
    "she's",
    "it's",
    "we're",
    "they're",
    "i've",
    "you've",
    "we've",
    "they've",
    "i'd",
    "you'd",
    "he'd",
    "she'd",
    "we'd",
    "they'd",
    "i'll",
    "you'll",
    "he'll",
    "she'll",
    "we'll",
    "they'll",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "hasn't",
    "haven't",
    "hadn't",
    "doesn't",
    "don't",
    "didn't",
    "won't",
    "wouldn't",
    "shan't",
    "shouldn't",
    "can't",
    "cannot",
    "couldn't",
    "mustn't",
    "let's",
    "that's",
    "who's",
    "what's",
    "here's",
    "there's",
    "when's",
    "where's",
    "why's",
    "how's",
    "a",
    "an",
    "the",
    "and",
    "but",
    "if",
    "or",
    "because",
    "as",
    "until",
    "while",
    "of",
    "at",
    "by",
    "for",
    "with",
    "about",
    "against",
    "between",
    "into",
    "through",
    "during",
    "before",
    "after",
    "above",
    "below",
    "to",
    "from",
    "up",
    "down",
    "in",
    "out",
    "on",
    "off",
    "over",
    "under",
    "again",
    "further",
    "then",
    "once",
    "here",
    "there",
    "when",
    "where",
    "why",
    "how",
    "all",
    "any",
    "both",
    "each",
    "few",
    "more",
    "most",
    "other",
    "some",
    "such",
    "no",
    "nor",
    "not",
    "only",
    "own",
    "same",
    "so",
    "than",
    "too",
    "very",
];

/// Why a frequency list could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FreqError {
    /// An n-gram length of 0 was asked for.
    #[error("the n-gram length must be at least 1")]
    ZeroNgram,
    /// Zero parts were asked for.
    #[error("the number of parts must be at least 1")]
    ZeroParts,
    /// More than [`MAX_PARTS`] parts were asked for.
    #[error("the number of parts must be at most {max}, not {parts}")]
    TooManyParts {
        /// The number asked for.
        parts: usize,
        /// [`MAX_PARTS`].
        max: usize,
    },
}

/// What to count and how.
#[derive(Debug, Clone)]
pub struct FreqOptions {
    /// Length of the word n-grams counted: 1 for single words. Any length may be asked for:
    /// an n-gram longer than every sentence is never found.
    pub ngram: usize,
    /// How keys are made from words (case, diacritics).
    pub key: KeyOptions,
    /// Stop words, as case-folded keys (see [`stopword_set`]). A term with a stop word among
    /// its words is not counted; stop words match whatever `key.case_sensitive` says.
    pub stopwords: HashSet<String>,
    /// Do not count terms with a number among their words (a word without any letter:
    /// 1956, 1937-38, 3.5).
    pub no_numbers: bool,
    /// With exactly one text, the number of equal slices of its words that serve as parts for
    /// [`FreqRow::dp`]; ignored with several texts, whose parts are the texts. At most
    /// [`MAX_PARTS`]; slices beyond the number of words are empty.
    pub parts: usize,
    /// Target size in bytes of the chunks a large text is cut into for parallel counting.
    /// Does not change the result.
    pub chunk_bytes: usize,
}

impl Default for FreqOptions {
    fn default() -> Self {
        FreqOptions {
            ngram: 1,
            key: KeyOptions::default(),
            stopwords: HashSet::new(),
            no_numbers: false,
            parts: DEFAULT_PARTS,
            chunk_bytes: DEFAULT_CHUNK_BYTES,
        }
    }
}

/// Builds a stop word set from words as written: each is keyed case-insensitively with
/// `key`'s diacritic folding, as [`FreqOptions::stopwords`] expects. Empty entries are
/// skipped.
pub fn stopword_set<'a>(
    words: impl IntoIterator<Item = &'a str>,
    key: KeyOptions,
) -> HashSet<String> {
    let opts = stop_key_options(key);
    words
        .into_iter()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(|w| lectio_text::key(w, opts))
        .collect()
}

fn stop_key_options(key: KeyOptions) -> KeyOptions {
    KeyOptions {
        case_sensitive: false,
        ..key
    }
}

/// True when a key counts as a number for [`FreqOptions::no_numbers`]: it has no letter.
pub fn is_number(key: &str) -> bool {
    !key.chars().any(char::is_alphabetic)
}

/// One row of a frequency list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FreqRow {
    /// The term: a word's key, or the keys of an n-gram's words joined by one space.
    pub term: String,
    /// Occurrences in the whole corpus.
    pub count: u64,
    /// `count / N × 1,000,000`, N = [`FreqTable::words`].
    pub per_million: f64,
    /// Number of texts that contain the term.
    pub range: u64,
    /// Gries' DP, normalized (DPnorm): 0 = spread over the parts exactly as the words are,
    /// 1 = all in one part. See [`dp_norm`].
    pub dp: f64,
}

/// A frequency list and what it was computed over.
#[derive(Debug, Clone, PartialEq)]
pub struct FreqTable {
    /// Rows sorted by count, descending, then by term in code-point order.
    pub rows: Vec<FreqRow>,
    /// N: every word token of the corpus, before stop word and number filtering (footnote
    /// markers and punctuation are not words).
    pub words: u64,
    /// Number of texts.
    pub texts: usize,
    /// Words in each part used for DP: the texts, or the slices of a single text.
    pub part_words: Vec<u64>,
}

/// Terms counted over the corpus, not yet merged: the shared tables of the shards (every
/// term is in one) and the words per text.
pub(crate) struct Counted<'o> {
    counter: tally::Counter,
    opts: &'o FreqOptions,
    /// Word tokens per text.
    pub doc_words: Vec<u64>,
}

impl Counted<'_> {
    pub(crate) fn total_words(&self) -> u64 {
        self.doc_words.iter().sum()
    }

    /// Calls `term` in parallel for each term kept (not a stop word or number) with its key,
    /// its count and its (part, count) pairs sorted by part; returns what it made, by shard.
    pub(crate) fn merge<T: Send>(
        self,
        term: impl Fn(String, u64, &[(u32, u64)]) -> T + Sync + Send,
    ) -> Vec<Vec<T>> {
        let opts = self.opts;
        tally::merge(self.counter, |shard| merge_shard(shard, opts, &term))
    }
}

/// The part of a chunk's `len` bytes told as done after the first pass over a single text
/// (which only counts its words, for DP's slices); the counting pass tells the rest. In
/// proportion to the time each takes (52 MB, one thread: 29 ms for the first pass against
/// 233 ms for counting words, and n-grams take ten times longer), so that the progress
/// bar's rate and time left hold across both; halves had shown 63% done after under a
/// third of the time.
fn first_share(len: u64, ngrams: bool) -> u64 {
    len / if ngrams { 64 } else { 8 }
}

/// How parts are assigned while counting.
#[derive(Clone, Copy)]
enum Parts {
    /// Part = text index.
    Texts,
    /// Part = slice of the single text's words: word `g` of `total` is in slice
    /// `g × parts / total`.
    Slices { parts: u64, total: u64 },
}

impl Parts {
    fn of(self, doc: usize, word: u64) -> u32 {
        match self {
            Parts::Texts => doc as u32,
            Parts::Slices { parts, total } => {
                ((word as u128 * parts as u128) / total.max(1) as u128) as u32
            }
        }
    }

    /// The first word index after `word` that is in another part (`u64::MAX` if none).
    fn next_change(self, word: u64) -> u64 {
        match self {
            Parts::Texts => u64::MAX,
            Parts::Slices { parts, total } => {
                let next = self.of(0, word) as u64 + 1;
                if next >= parts {
                    u64::MAX
                } else {
                    // First word of slice j is ceil(j × total / parts).
                    (next as u128 * total as u128).div_ceil(parts as u128) as u64
                }
            }
        }
    }
}

/// Number of words in each of `parts` slices of `total` words (slice of word g is
/// g × parts / total): sizes differ by at most one.
fn slice_sizes(total: u64, parts: u64) -> Vec<u64> {
    // First word of slice j is ceil(j × total / parts).
    let first = |j: u64| ((j as u128 * total as u128).div_ceil(parts as u128)) as u64;
    (0..parts).map(|j| first(j + 1) - first(j)).collect()
}

/// Counting one chunk on one thread.
impl Tally<'_> {
    /// Unigrams: the words of chunk `c`, the first of them word `offset` of its text.
    fn words(&mut self, c: &Chunk<'_>, src: &str, key: KeyOptions, parts: Parts, offset: u64) {
        let mut g = offset;
        let mut part = parts.of(c.doc, g);
        let mut change = parts.next_change(g);
        lectio_text::for_each_word(c.text, c.base, |start, end| {
            if g >= change {
                part = parts.of(c.doc, g);
                change = parts.next_change(g);
            }
            self.add_word(src, start, end, key, part);
            g += 1;
        });
        self.doc_words[c.doc] += g - offset;
    }

    /// N-grams (n ≥ 2) of chunk `c`, which ends at a paragraph break.
    fn ngrams(&mut self, c: &Chunk<'_>, src: &str, opts: &FreqOptions, parts: Parts, offset: u64) {
        let n = opts.ngram;
        let mut words = 0u64;
        let mut buf = String::new();
        let mut stop_buf = String::new();
        let stop_opts = stop_key_options(opts.key);
        // The last (up to n) words of the current sentence: key, excluded?, global word index.
        // It grows as a sentence does: n may be far longer than any sentence.
        let mut window: VecDeque<(String, bool, u64)> = VecDeque::with_capacity(n.min(16));
        let mut term = String::new();
        chunk::for_each_word(c, |ev| {
            let g = offset + words;
            words += 1;
            if ev.new_sentence {
                window.clear();
            }
            let text = ev.token.text(src);
            key_into(text, opts.key, &mut buf);
            let mut excluded = opts.no_numbers && is_number(&buf);
            if !excluded && !opts.stopwords.is_empty() {
                let stop_key = if opts.key.case_sensitive {
                    key_into(text, stop_opts, &mut stop_buf);
                    &stop_buf
                } else {
                    &buf
                };
                excluded = opts.stopwords.contains(stop_key.as_str());
            }
            let mut slot = if window.len() == n {
                window.pop_front().expect("window is full")
            } else {
                (String::new(), false, 0)
            };
            slot.0.clear();
            slot.0.push_str(&buf);
            slot.1 = excluded;
            slot.2 = g;
            window.push_back(slot);
            if window.len() < n || window.iter().any(|w| w.1) {
                return;
            }
            term.clear();
            for (i, w) in window.iter().enumerate() {
                if i > 0 {
                    term.push(' ');
                }
                term.push_str(&w.0);
            }
            let part = parts.of(c.doc, window[0].2);
            self.add(&term, part);
        });
        self.doc_words[c.doc] += words;
    }
}

/// Counts terms of `texts` as `opts` says; `slices` cuts a single text into that many parts.
///
/// Texts are cut into chunks counted in parallel: for single words anywhere between two
/// tokens (at a space or line break), for n-grams at paragraph breaks, which sentences and
/// n-grams never cross. With slices, a first pass counts the words of each chunk, so that
/// the second knows which slice each word falls in.
pub(crate) fn count<'o>(
    texts: &[&str],
    opts: &'o FreqOptions,
    slices: Option<u64>,
    progress: &dyn Progress,
) -> Counted<'o> {
    let ngrams = opts.ngram > 1;
    let size = opts.chunk_bytes.max(1);
    // N-gram chunks end at paragraph breaks, found up front; word chunks are found by the
    // worker that counts them (see `chunk::at_spaces`).
    let eager: Vec<Chunk<'_>> = match ngrams {
        true => texts
            .par_iter()
            .enumerate()
            .map(|(doc, text)| chunk::split(doc, text, size))
            .collect::<Vec<_>>()
            .into_iter()
            .flatten()
            .collect(),
        false => Vec::new(),
    };
    let lazy: Vec<(usize, usize)> = match ngrams {
        true => Vec::new(),
        false => texts
            .iter()
            .enumerate()
            .flat_map(|(doc, text)| (0..text.len().div_ceil(size)).map(move |k| (doc, k)))
            .collect(),
    };
    let n_chunks = if ngrams { eager.len() } else { lazy.len() };
    let chunk_at = |i: usize| -> Chunk<'_> {
        match ngrams {
            true => eager[i],
            false => chunk::at_spaces(lazy[i].0, texts[lazy[i].0], lazy[i].1, size),
        }
    };
    let done = |c: &Chunk<'_>, share: u64| {
        progress.release(c.doc, c.base..c.base + c.text.len());
        progress.advance(c.doc, share);
    };
    // Global index of each chunk's first word, needed to place words in slices.
    let (offsets, parts) = match slices {
        Some(parts) => {
            let counts: Vec<u64> = (0..n_chunks)
                .into_par_iter()
                .map(|i| {
                    let c = chunk_at(i);
                    let n = lectio_text::count_words(c.text);
                    done(&c, first_share(c.text.len() as u64, ngrams));
                    n
                })
                .collect();
            let mut offsets = Vec::with_capacity(counts.len());
            let mut total = 0;
            for n in counts {
                offsets.push(total);
                total += n;
            }
            (offsets, Parts::Slices { parts, total })
        }
        None => (vec![0; n_chunks], Parts::Texts),
    };
    let counter = tally::Counter::new();
    let tallies: Vec<Mutex<Tally>> = (0..rayon::current_num_threads().max(1))
        .map(|_| Mutex::new(Tally::new(&counter, texts.len())))
        .collect();
    (0..n_chunks).into_par_iter().for_each(|i| {
        let c = chunk_at(i);
        let me = rayon::current_thread_index().unwrap_or(0) % tallies.len();
        let mut tally = tallies[me].lock().unwrap_or_else(|e| e.into_inner());
        if ngrams {
            tally.ngrams(&c, texts[c.doc], opts, parts, offsets[i]);
        } else {
            tally.words(&c, texts[c.doc], opts.key, parts, offsets[i]);
        }
        drop(tally);
        let len = c.text.len() as u64;
        done(
            &c,
            match slices {
                Some(_) => len - first_share(len, ngrams),
                None => len,
            },
        );
    });
    let tallies: Vec<Tally> = tallies
        .into_iter()
        .map(|t| t.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect();
    let doc_words = tally::flush(tallies, texts.len());
    Counted {
        counter,
        opts,
        doc_words,
    }
}

/// `term(key, count, runs)` of each term of the shard kept by `opts`, with its (part, count)
/// pairs sorted by part.
fn merge_shard<T>(
    shard: tally::Shard,
    opts: &FreqOptions,
    term: impl Fn(String, u64, &[(u32, u64)]) -> T,
) -> Vec<T> {
    let tally::Shard {
        keys: terms,
        runs: records,
    } = shard;
    // Group the records by term (a counting sort), then sum them by part.
    let v = terms.len();
    let mut start = vec![0usize; v + 1];
    for r in &records {
        start[r.0 as usize + 1] += 1;
    }
    for i in 0..v {
        start[i + 1] += start[i];
    }
    let mut grouped = vec![(0u32, 0u64); records.len()];
    let mut next = start.clone();
    for &(sym, part, n) in &records {
        grouped[next[sym as usize]] = (part, n);
        next[sym as usize] += 1;
    }
    drop(records);
    drop(next);
    // Single words are filtered here, once per term; n-grams were filtered while counting.
    let stop_opts = stop_key_options(opts.key);
    let mut stop_buf = String::new();
    let mut excluded = |key: &str| {
        if opts.ngram > 1 {
            return false;
        }
        if opts.no_numbers && is_number(key) {
            return true;
        }
        if opts.stopwords.is_empty() {
            return false;
        }
        if opts.key.case_sensitive {
            key_into(key, stop_opts, &mut stop_buf);
            opts.stopwords.contains(stop_buf.as_str())
        } else {
            opts.stopwords.contains(key)
        }
    };
    let mut out = Vec::with_capacity(v);
    for (sym, key) in terms.into_iter().enumerate() {
        if excluded(&key) {
            continue;
        }
        let runs = &mut grouped[start[sym]..start[sym + 1]];
        runs.sort_unstable_by_key(|r| r.0);
        // Sum the runs of each part in place.
        let mut total = 0;
        let mut parts = 0;
        for i in 0..runs.len() {
            let (part, n) = runs[i];
            total += n;
            if parts > 0 && runs[parts - 1].0 == part {
                runs[parts - 1].1 += n;
            } else {
                runs[parts] = (part, n);
                parts += 1;
            }
        }
        out.push(term(key, total, &runs[..parts]));
    }
    out
}

/// Gries' DP normalized by Lijffijt and Gries (2012).
///
/// `part_words[i]` is the size of part i in words and `occurrences` the term's count in each
/// part where it occurs, as (part index, count) sorted by part. With s_i = `part_words[i]` / W
/// (W = all words) and v_i = the term's count in part i / its total count,
/// DP = ½ Σ |v_i − s_i| (Gries 2008) and DPnorm = DP / (1 − min s_i). With a single part
/// the term is trivially spread as the words are: 0. Returns 0 for a term that never occurs.
pub fn dp_norm(part_words: &[u64], occurrences: &[(u32, u64)]) -> f64 {
    PartSizes::new(part_words).dp_norm(occurrences)
}

/// The parts' sizes with what DP needs of them all, computed once rather than per term
/// (with 64 files, summing the sizes for each of 287,000 terms was 5% of `freq`).
struct PartSizes<'a> {
    words: &'a [u64],
    total: u64,
    min: u64,
}

impl<'a> PartSizes<'a> {
    fn new(words: &'a [u64]) -> Self {
        PartSizes {
            words,
            total: words.iter().sum(),
            min: words.iter().copied().min().unwrap_or(0),
        }
    }

    /// [`dp_norm`] of a term with these parts.
    fn dp_norm(&self, occurrences: &[(u32, u64)]) -> f64 {
        let (part_words, total) = (self.words, self.total);
        let f: u64 = occurrences.iter().map(|o| o.1).sum();
        if part_words.len() < 2 || total == 0 || f == 0 {
            return 0.0;
        }
        let w = total as f64;
        let mut sum = 0.0;
        let mut present_words = 0u64;
        for &(p, n) in occurrences {
            let s = part_words[p as usize] as f64 / w;
            sum += (n as f64 / f as f64 - s).abs();
            present_words += part_words[p as usize];
        }
        // Parts where the term does not occur contribute |0 − s_i| = s_i each.
        sum += (total - present_words) as f64 / w;
        let dp = sum / 2.0;
        let min_s = self.min as f64 / w;
        dp / (1.0 - min_s)
    }
}

/// A frequency list of `texts` (each a whole text as loaded).
///
/// N ([`FreqTable::words`]) counts every word token, before stop word and number filtering;
/// `per_million` = count / N × 10⁶ for n-grams too. N-grams never span a sentence end (the
/// sentences of [`lectio_text::sentences`]: `.`, `!`, `?`, `…` or a run of dots, but not
/// before a lower-case word nor after a one-letter word as in "N. S. Khrushchev" or a title
/// such as "Dr.") or a paragraph break; footnote markers are skipped. An n-gram belongs to
/// the part of its first word. Rows are sorted by count descending, then by term in
/// code-point order.
pub fn freq(texts: &[&str], opts: &FreqOptions) -> Result<FreqTable, FreqError> {
    freq_with_progress(texts, opts, &())
}

/// [`freq`], telling `progress` of the bytes counted (and that they can be released).
pub fn freq_with_progress(
    texts: &[&str],
    opts: &FreqOptions,
    progress: &dyn Progress,
) -> Result<FreqTable, FreqError> {
    if opts.ngram == 0 {
        return Err(FreqError::ZeroNgram);
    }
    if opts.parts == 0 {
        return Err(FreqError::ZeroParts);
    }
    if opts.parts > MAX_PARTS {
        return Err(FreqError::TooManyParts {
            parts: opts.parts,
            max: MAX_PARTS,
        });
    }
    let slices = (texts.len() == 1).then_some(opts.parts as u64);
    let counted = count(texts, opts, slices, progress);
    let words = counted.total_words();
    let part_words = match slices {
        Some(parts) => slice_sizes(words, parts),
        None => counted.doc_words.clone(),
    };
    let sizes = PartSizes::new(&part_words);
    let shards = counted.merge(|term, count, runs| FreqRow {
        per_million: per_million(count, words),
        dp: sizes.dp_norm(runs),
        count,
        // A single text is all the parts: a term in it is in one text.
        range: if slices.is_some() {
            1
        } else {
            runs.len() as u64
        },
        term,
    });
    let rows = sort_rows(shards);
    Ok(FreqTable {
        rows,
        words,
        texts: texts.len(),
        part_words,
    })
}

/// The rows of all shards, sorted by count, descending, then by term in code-point order
/// (byte order of UTF-8).
///
/// Sorting the rows themselves spent its time comparing strings (most terms share their
/// count with many others); this sorts small keys (count, the term's first eight bytes,
/// with the row's place) and compares whole terms only when count and first bytes are
/// equal, then moves the rows into their places in parallel.
fn sort_rows(shards: Vec<Vec<FreqRow>>) -> Vec<FreqRow> {
    sort_rows_with(shards, LEAN_ROWS)
}

/// Tables of at least this many rows are sorted in place ([`sort_rows_in_place`]).
const LEAN_ROWS: usize = 1 << 20;

/// A sort key of a term: its first eight bytes, big-endian, so that comparing the numbers
/// compares the bytes (a shorter term first).
fn prefix(term: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = term.len().min(8);
    b[..n].copy_from_slice(&term.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// Rows ahead of the one being moved whose place in memory is asked for.
const AHEAD: usize = 8;

/// [`sort_rows`], sorting in place from `lean` rows on.
fn sort_rows_with(mut shards: Vec<Vec<FreqRow>>, lean: usize) -> Vec<FreqRow> {
    if shards.iter().map(Vec::len).sum::<usize>() >= lean {
        return sort_rows_in_place(shards);
    }
    // (u64::MAX - count, prefix, shard, index in the shard).
    let mut order: Vec<(u64, u64, u32, u32)> = shards
        .par_iter()
        .enumerate()
        .flat_map_iter(|(s, rows)| {
            // The placement below relies on (shard, index) pairs being distinct: never cut.
            let fits = |n: usize| u32::try_from(n).expect("fewer than 2³² rows in a shard");
            rows.iter().enumerate().map(move |(i, r)| {
                // A shard's terms were made in the order of its table's slots, not of its
                // rows: ask for one a few rows ahead.
                if let Some(ahead) = rows.get(i + AHEAD) {
                    lectio_text::prefetch(ahead.term.as_ptr());
                }
                (u64::MAX - r.count, prefix(&r.term), fits(s), fits(i))
            })
        })
        .collect();
    let term = |o: &(u64, u64, u32, u32)| shards[o.2 as usize][o.3 as usize].term.as_str();
    order.par_sort_unstable_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| term(a).cmp(term(b)))
    });
    /// Where each shard's rows are, shared by the threads that move them out.
    struct Rows<T>(Vec<*const T>);
    // SAFETY: the pointers are only read through, each row once (below), which moves the
    // row to the reading thread: sound for rows that may be sent between threads.
    unsafe impl<T: Send> Sync for Rows<T> {}
    impl<T> Rows<T> {
        /// Moves out row `i` of shard `s`.
        ///
        /// # Safety
        /// The row exists, is still in its shard's allocation and is read only once.
        unsafe fn take(&self, s: u32, i: u32) -> T {
            unsafe { std::ptr::read(self.0[s as usize].add(i as usize)) }
        }

        /// Asks for row `i` of shard `s` from memory (a hint: no row is read).
        fn ahead(&self, s: u32, i: u32) {
            lectio_text::prefetch(self.0[s as usize].wrapping_add(i as usize));
        }
    }
    let from = Rows(shards.iter().map(|rows| rows.as_ptr()).collect());
    // The rows are moved out below by reading them; the vectors forget them first, so that
    // none is dropped twice (should anything panic, they leak instead).
    for rows in &mut shards {
        // SAFETY: a length of 0 is always valid; the elements stay where they are.
        unsafe { rows.set_len(0) };
    }
    let sorted = order
        .par_iter()
        .enumerate()
        .map(|(j, &(_, _, s, i))| {
            // The rows are read in sorted order, scattered over the shards: ask for one
            // a few places ahead (the profile showed the reads waiting on memory).
            if let Some(&(_, _, s, i)) = order.get(j + AHEAD) {
                from.ahead(s, i);
            }
            // SAFETY: `order` holds each (shard, index) of a row exactly once (it was made
            // from every row and only sorted since), so each row is read once, inside its
            // shard's allocation, which lives until `shards` is dropped after this.
            unsafe { from.take(s, i) }
        })
        .collect();
    drop(shards);
    sorted
}

/// [`sort_rows`] for a large table (n-grams: 4.5 million bigrams in 52 MB), holding its
/// rows once: moved into sorted order as above, they were held twice for a moment (the
/// run's peak). The shards are gathered into one vector, each freed as it is added; the
/// small keys are sorted as above; then the rows are put into that order by swaps, in
/// place (the permutation of `slice::sort_by_cached_key`), on one thread.
fn sort_rows_in_place(shards: Vec<Vec<FreqRow>>) -> Vec<FreqRow> {
    let mut rows = Vec::with_capacity(shards.iter().map(Vec::len).sum());
    for shard in shards {
        rows.extend(shard);
    }
    // (u64::MAX - count, prefix, index).
    let mut order: Vec<(u64, u64, usize)> = rows
        .par_iter()
        .enumerate()
        .map(|(i, r)| (u64::MAX - r.count, prefix(&r.term), i))
        .collect();
    order.par_sort_unstable_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| rows[a.2].term.cmp(&rows[b.2].term))
    });
    // Row `order[i].2` goes to place i. The rows before i are in place; a row whose index
    // is below i has been swapped away, to the place its index now names: follow it.
    for i in 0..order.len() {
        let mut from = order[i].2;
        while from < i {
            from = order[from].2;
        }
        order[i].2 = from;
        rows.swap(i, from);
    }
    rows
}

/// `count / words × 1,000,000` (0 when there are no words).
pub fn per_million(count: u64, words: u64) -> f64 {
    if words == 0 {
        0.0
    } else {
        count as f64 / words as f64 * 1e6
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ESSAY: &str = include_str!("../../../texts/deutscher-1956-khrushchev-on-stalin.txt");

    fn table(texts: &[&str], opts: &FreqOptions) -> FreqTable {
        freq(texts, opts).unwrap()
    }

    fn count_of(t: &FreqTable, term: &str) -> Option<u64> {
        t.rows.iter().find(|r| r.term == term).map(|r| r.count)
    }

    #[test]
    fn essay_top_five_words() {
        let t = table(&[ESSAY], &FreqOptions::default());
        let top: Vec<(&str, u64)> = t.rows[..5]
            .iter()
            .map(|r| (r.term.as_str(), r.count))
            .collect();
        assert_eq!(
            top,
            [
                ("the", 506),
                ("of", 272),
                ("and", 232),
                ("to", 156),
                ("in", 131)
            ]
        );
        assert_eq!(t.rows[0].per_million, 506.0 / t.words as f64 * 1e6);
        assert_eq!(t.rows[0].range, 1);
    }

    #[test]
    fn rows_sort_by_count_then_by_whole_term() {
        let row = |term: &str, count| FreqRow {
            term: term.into(),
            count,
            per_million: 0.0,
            range: 1,
            dp: 0.0,
        };
        // Terms that share their first eight bytes, a prefix of another, and non-ASCII, in
        // shards of their own, shared and empty.
        let shards = vec![
            vec![row("abcdefghZ", 2), row("b", 2)],
            vec![],
            vec![row("abcdefgh", 2)],
            vec![row("élite", 2), row("abcdefghA", 2), row("z", 3)],
            vec![row("abcdefghAA", 1), row("a", 2)],
        ];
        // Both ways: rows moved into order, and sorted in place.
        let rows = sort_rows_with(shards.clone(), usize::MAX);
        assert_eq!(sort_rows_with(shards, 0), rows);
        let terms: Vec<&str> = rows.iter().map(|r| r.term.as_str()).collect();
        assert_eq!(
            terms,
            [
                "z",
                "a",
                "abcdefgh",
                "abcdefghA",
                "abcdefghZ",
                "b",
                "élite",
                "abcdefghAA"
            ]
        );
    }

    #[test]
    fn large_tables_sorted_in_place_come_out_as_moved() {
        // 20,000 rows over 7 shards, counts and terms from a fixed sequence, with many ties
        // of count and of first eight bytes.
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let shards: Vec<Vec<FreqRow>> = (0..7)
            .map(|s| {
                (0..s * 900 + 1000)
                    .map(|i| FreqRow {
                        term: format!("prefix{}{}-{s}-{i}", next() % 3, next() % 50),
                        count: next() % 20,
                        per_million: 0.0,
                        range: 1,
                        dp: 0.0,
                    })
                    .collect()
            })
            .collect();
        let moved = sort_rows_with(shards.clone(), usize::MAX);
        assert_eq!(moved.len(), 25_900);
        assert!(moved
            .windows(2)
            .all(|w| (u64::MAX - w[0].count, &w[0].term) < (u64::MAX - w[1].count, &w[1].term)));
        assert_eq!(sort_rows_with(shards, 0), moved);
    }

    #[test]
    fn essay_bigram_single_party() {
        let opts = FreqOptions {
            ngram: 2,
            ..FreqOptions::default()
        };
        let t = table(&[ESSAY], &opts);
        assert_eq!(count_of(&t, "single party"), Some(5));
        // Spaced initials do not end a sentence: "N. S. Khrushchev" gives "s khrushchev".
        assert_eq!(count_of(&t, "n s"), Some(1));
        assert!(count_of(&t, "s khrushchev").is_some());
    }

    #[test]
    fn ngrams_stop_at_sentence_ends_and_paragraph_breaks_not_at_notes() {
        let text = "Aa bb. Cc dd\n\nEe ff[1] gg! Hh… Ii? Jj… and so. Kk";
        let opts = FreqOptions {
            ngram: 2,
            ..FreqOptions::default()
        };
        let t = table(&[text], &opts);
        let terms: Vec<&str> = t.rows.iter().map(|r| r.term.as_str()).collect();
        // "J… and so" goes on: a lower-case word follows the ellipsis.
        assert_eq!(
            terms,
            ["aa bb", "and so", "cc dd", "ee ff", "ff gg", "jj and"]
        );
        assert_eq!(t.words, 13);
        let tri = FreqOptions { ngram: 3, ..opts };
        let t = table(&["The Party, the party. The party the"], &tri);
        let rows: Vec<(&str, u64)> = t.rows.iter().map(|r| (r.term.as_str(), r.count)).collect();
        assert_eq!(rows, [("the party the", 2), ("party the party", 1)]);
    }

    #[test]
    fn sorted_by_count_then_code_point() {
        let t = table(&["b a B é e z z"], &FreqOptions::default());
        let rows: Vec<(&str, u64)> = t.rows.iter().map(|r| (r.term.as_str(), r.count)).collect();
        assert_eq!(rows, [("b", 2), ("z", 2), ("a", 1), ("e", 1), ("é", 1)]);
        let cs = FreqOptions {
            key: KeyOptions {
                case_sensitive: true,
                fold_diacritics: true,
            },
            ..FreqOptions::default()
        };
        let t = table(&["b a B é e z z"], &cs);
        let rows: Vec<(&str, u64)> = t.rows.iter().map(|r| (r.term.as_str(), r.count)).collect();
        assert_eq!(rows, [("e", 2), ("z", 2), ("B", 1), ("a", 1), ("b", 1)]);
    }

    #[test]
    fn stopwords_and_numbers_are_filtered_but_still_count_in_n() {
        let opts = FreqOptions {
            stopwords: stopword_set(["The", "of"], KeyOptions::default()),
            no_numbers: true,
            key: KeyOptions {
                case_sensitive: true,
                fold_diacritics: false,
            },
            ..FreqOptions::default()
        };
        let t = table(
            &["The fate of 1956 and the 1937-38 purges, 3.5 of them, in 20th"],
            &opts,
        );
        let terms: Vec<&str> = t.rows.iter().map(|r| r.term.as_str()).collect();
        assert_eq!(terms, ["20th", "and", "fate", "in", "purges", "them"]);
        assert_eq!(t.words, 13);
        assert_eq!(t.rows[0].per_million, 1e6 / 13.0);
        // An n-gram with a stop word in it is dropped; no n-gram is made across the gap.
        let bi = FreqOptions { ngram: 2, ..opts };
        let t = table(&["fate of nations and fate"], &bi);
        let terms: Vec<&str> = t.rows.iter().map(|r| r.term.as_str()).collect();
        assert_eq!(terms, ["and fate", "nations and"]);
        assert!(ENGLISH_STOPWORDS.contains(&"the"));
    }

    #[test]
    fn dp_on_a_hand_made_example() {
        // Three texts of 2, 3 and 5 words: s = 0.2, 0.3, 0.5.
        let texts = ["x a", "x x b", "c d e f g"];
        let t = table(&texts, &FreqOptions::default());
        assert_eq!(t.part_words, [2, 3, 5]);
        let x = t.rows.iter().find(|r| r.term == "x").unwrap();
        assert_eq!((x.count, x.range), (3, 2));
        // v = 1/3, 2/3, 0: DP = ½(|1/3 − 0.2| + |2/3 − 0.3| + |0 − 0.5|) = ½(0.1333… + 0.3666… + 0.5)
        //   = 0.5; DPnorm = 0.5 / (1 − 0.2) = 0.625.
        assert!((x.dp - 0.625).abs() < 1e-12, "{}", x.dp);
        // "c" only in the last text: DP = ½(0.2 + 0.3 + 0.5) = 0.5, normalized 0.625.
        let c = t.rows.iter().find(|r| r.term == "c").unwrap();
        assert!((c.dp - 0.625).abs() < 1e-12);
        // A term spread exactly as the words are has DP 0.
        assert_eq!(dp_norm(&[2, 3, 5], &[(0, 2), (1, 3), (2, 5)]), 0.0);
        // The maximum: all in the smallest part gives DPnorm 1.
        assert!((dp_norm(&[2, 3, 5], &[(0, 4)]) - 1.0).abs() < 1e-12);
        assert_eq!(dp_norm(&[7], &[(0, 3)]), 0.0);
    }

    #[test]
    fn one_text_is_cut_into_equal_slices() {
        assert_eq!(slice_sizes(10, 4), [3, 2, 3, 2]);
        assert_eq!(slice_sizes(3, 5), [1, 1, 0, 1, 0]);
        assert_eq!(slice_sizes(10, 10), [1; 10]);
        let opts = FreqOptions {
            parts: 2,
            ..FreqOptions::default()
        };
        // Words 0-1 in part 0, 2-3 in part 1.
        let t = table(&["a a b b"], &opts);
        assert_eq!(t.part_words, [2, 2]);
        assert!(t.rows.iter().all(|r| (r.dp - 1.0).abs() < 1e-12));
        let t = table(&["a b a b"], &opts);
        assert!(t.rows.iter().all(|r| r.dp == 0.0));
        assert_eq!(
            freq(
                &["a"],
                &FreqOptions {
                    parts: 0,
                    ..opts.clone()
                }
            ),
            Err(FreqError::ZeroParts)
        );
        assert_eq!(
            freq(&["a"], &FreqOptions { ngram: 0, ..opts }),
            Err(FreqError::ZeroNgram)
        );
    }

    #[test]
    fn huge_parameters_are_errors_or_exact_never_a_panic() {
        for parts in [MAX_PARTS + 1, u32::MAX as usize + 1, usize::MAX] {
            let opts = FreqOptions {
                parts,
                ..FreqOptions::default()
            };
            assert_eq!(
                freq(&["a b"], &opts),
                Err(FreqError::TooManyParts {
                    parts,
                    max: MAX_PARTS
                })
            );
        }
        // The most parts allowed: slices past the words are empty.
        let opts = FreqOptions {
            parts: MAX_PARTS,
            ..FreqOptions::default()
        };
        let t = table(&["a b a"], &opts);
        assert_eq!(t.part_words.len(), MAX_PARTS);
        assert_eq!(t.part_words.iter().sum::<u64>(), 3);
        // An n-gram longer than every sentence is simply never found (and nothing is
        // allocated for its length).
        for ngram in [7, u32::MAX as usize + 1, usize::MAX] {
            let opts = FreqOptions {
                ngram,
                ..FreqOptions::default()
            };
            let t = table(&["a b c. d e f"], &opts);
            assert_eq!((t.rows.len(), t.words), (0, 6), "{ngram}");
        }
    }

    #[test]
    fn progress_tells_each_byte_once_over_both_passes() {
        use std::collections::BTreeMap;
        let half = ESSAY.len() / 2;
        let cut = ESSAY[half..].find(' ').unwrap() + half;
        for ngram in [1, 2] {
            let opts = FreqOptions {
                ngram,
                chunk_bytes: 1000,
                ..FreqOptions::default()
            };
            // One text: a first pass (its words, for DP's slices) and the counting pass,
            // each releasing what it read; the bytes told add up to the text once.
            let log = lectio_text::ProgressLog::default();
            freq_with_progress(&[ESSAY], &opts, &log).unwrap();
            let len = ESSAY.len() as u64;
            assert_eq!(log.advanced(), BTreeMap::from([(0, len)]), "{ngram}");
            assert_eq!(log.released(), BTreeMap::from([(0, 2 * len)]), "{ngram}");
            // Several texts: one pass.
            let log = lectio_text::ProgressLog::default();
            freq_with_progress(&[&ESSAY[..cut], &ESSAY[cut..]], &opts, &log).unwrap();
            let sizes = BTreeMap::from([(0, cut as u64), (1, len - cut as u64)]);
            assert_eq!(log.advanced(), sizes, "{ngram}");
            assert_eq!(log.released(), sizes, "{ngram}");
        }
        // The first pass's share is in proportion to its time.
        assert_eq!(first_share(80_000, false), 10_000);
        assert_eq!(first_share(80_000, true), 1_250);
    }

    #[test]
    fn same_table_whatever_threads_and_chunks() {
        let half = ESSAY.len() / 2;
        let cut = ESSAY[half..].find(' ').unwrap() + half;
        let texts = [ESSAY, &ESSAY[..cut], &ESSAY[cut..]];
        for ngram in [1, 3] {
            let base = FreqOptions {
                ngram,
                chunk_bytes: usize::MAX,
                ..FreqOptions::default()
            };
            let reference = (table(&texts, &base), table(&[ESSAY], &base));
            for (threads, chunk_bytes) in [(1, 1), (2, 500), (4, 4096), (3, 1 << 20)] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let opts = FreqOptions {
                    chunk_bytes,
                    ..base.clone()
                };
                let got = pool.install(|| (table(&texts, &opts), table(&[ESSAY], &opts)));
                assert_eq!(got, reference, "threads {threads}, chunks of {chunk_bytes}");
            }
        }
    }
}
