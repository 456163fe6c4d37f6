//! Collocates: the words that occur near a node word, with association measures.
//!
//! Counting is window-based ("surface co-occurrence", Evert 2008): every word within L words
//! to the left or R words to the right of an occurrence of the node, in the same paragraph,
//! is one co-occurrence. Punctuation and footnote markers are not words and take no place
//! in the window; sentence ends do not stop it, paragraph breaks do.

use lectio_text::{key_into, Progress};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::chunk::{self, Chunk};
use crate::freq::DEFAULT_CHUNK_BYTES;
use crate::query::{Query, Term};
use crate::tally;

/// Why collocates could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CollocatesError {
    /// The window has no word on either side.
    #[error("the window must take at least one word on one side")]
    EmptyWindow,
    /// The window's two sides together (L + R) are more words than a `usize` can count.
    #[error("a window of {left} words before and {right} after is too large")]
    WindowTooLarge {
        /// Words to the left, as asked for.
        left: usize,
        /// Words to the right, as asked for.
        right: usize,
    },
    /// The node query is a phrase; collocates are computed for one word (or one pattern).
    #[error("the node must be a single word, glob or pattern, not a phrase of {0} words")]
    PhraseNode(usize),
}

/// The measure collocates are sorted by (descending; ties by collocate in code-point order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Log-likelihood G².
    #[default]
    Ll,
    /// Mutual information.
    Mi,
    /// t-score.
    T,
    /// logDice.
    LogDice,
    /// Co-occurrence count O11.
    O11,
}

/// How collocates are counted and listed.
#[derive(Debug, Clone)]
pub struct CollocateOptions {
    /// Words to the left of the node. A side longer than a paragraph takes the whole of it;
    /// the measures still use the span L + R as given (see [`scores`]), so a span that
    /// outnumbers the words makes them meaningless (lectio's command line takes at most
    /// 1,000 words a side).
    pub left: usize,
    /// Words to the right of the node.
    pub right: usize,
    /// Collocates co-occurring fewer than this many times (O11) are left out.
    pub min_freq: u64,
    /// Sort order of the rows.
    pub by: SortBy,
    /// Target size in bytes of the chunks a large text is cut into for parallel counting.
    /// Does not change the result.
    pub chunk_bytes: usize,
}

impl Default for CollocateOptions {
    fn default() -> Self {
        CollocateOptions {
            left: 5,
            right: 5,
            min_freq: 2,
            by: SortBy::Ll,
            chunk_bytes: DEFAULT_CHUNK_BYTES,
        }
    }
}

/// Association scores of a node and a collocate, from the window-based contingency table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scores {
    /// Expected co-occurrences E11 = f_node × f_collocate × (L + R) / N.
    pub e11: f64,
    /// MI = log2(O11 / E11) (Church and Hanks 1990).
    pub mi: f64,
    /// t = (O11 − E11) / √O11.
    pub t: f64,
    /// G² over the 2×2 table (Dunning 1993); see [`scores`].
    pub ll: f64,
    /// logDice = 14 + log2(2 O11 / (f_node + f_collocate)) (Rychlý 2008).
    pub logdice: f64,
}

/// The association scores of a pair.
///
/// `o11` co-occurrences in windows of `span` = L + R words around each of the `f_node`
/// occurrences of the node; the collocate occurs `f_collocate` times among `n` words. The
/// contingency table (Evert 2008, window-based co-occurrence) has row total R1 = f_node × span
/// (all window slots), column total C1 = f_collocate, and cells O11, O12 = R1 − O11,
/// O21 = C1 − O11, O22 = N − R1 − C1 + O11; E_ij = R_i × C_j / N and
/// G² = 2 Σ O_ij ln(O_ij / E_ij). A cell with O_ij ≤ 0 or E_ij ≤ 0 contributes 0 (0 ln 0 = 0;
/// negative cells can only arise when the windows of nearby node occurrences overlap or
/// outnumber the words, as in a tiny text). G² is not signed: MI and t are negative when
/// the pair co-occurs less often than expected.
pub fn scores(o11: u64, f_node: u64, f_collocate: u64, n: u64, span: u64) -> Scores {
    let (o, fn_, fc, nn) = (o11 as f64, f_node as f64, f_collocate as f64, n as f64);
    let r1 = fn_ * span as f64;
    let e11 = r1 * fc / nn;
    let (r2, c1, c2) = (nn - r1, fc, nn - fc);
    let cells = [
        (o, r1 * c1 / nn),
        (r1 - o, r1 * c2 / nn),
        (c1 - o, r2 * c1 / nn),
        (nn - r1 - c1 + o, r2 * c2 / nn),
    ];
    let ll = 2.0
        * cells
            .iter()
            .filter(|(o, e)| *o > 0.0 && *e > 0.0)
            .map(|(o, e)| o * (o / e).ln())
            .sum::<f64>();
    Scores {
        e11,
        mi: (o / e11).log2(),
        t: (o - e11) / o.sqrt(),
        ll,
        logdice: 14.0 + (2.0 * o / (fn_ + fc)).log2(),
    }
}

/// One collocate of the node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CollocateRow {
    /// The collocate's key.
    pub collocate: String,
    /// O11: co-occurrences, i.e. occurrences of the collocate in the node's windows.
    pub o11: u64,
    /// The collocate's frequency in the corpus.
    pub f_collocate: u64,
    /// The node's frequency in the corpus (all keys the node matches).
    pub f_node: u64,
    /// The scores.
    pub scores: Scores,
    /// Co-occurrences to the left of the node.
    pub left: u64,
    /// Co-occurrences to the right of the node.
    pub right: u64,
}

/// The collocates of a node and what they were computed over.
#[derive(Debug, Clone, PartialEq)]
pub struct CollocateTable {
    /// Rows with O11 ≥ min_freq, sorted by the chosen measure.
    pub rows: Vec<CollocateRow>,
    /// N: every word token of the corpus.
    pub words: u64,
    /// The node's frequency.
    pub f_node: u64,
}

/// What one task has counted: per key (numbered in the order met), its frequency and its
/// co-occurrences left and right of the node, and the words and node occurrences.
#[derive(Default)]
struct Counts {
    /// Keys of up to 16 bytes (nearly every word), packed into two words: comparing them
    /// took a sixth of the time as strings.
    short: FxHashMap<(u64, u64), u32>,
    /// Longer keys.
    ids: FxHashMap<Box<str>, u32>,
    /// Per key number: (frequency, left co-occurrences, right ones).
    counts: Vec<(u64, u64, u64)>,
    /// Per key number: the key is the node's.
    is_node: Vec<bool>,
    words: u64,
    node: u64,
}

impl Counts {
    /// The sums of two tasks' counts.
    fn merge(a: Counts, b: Counts) -> Counts {
        let (mut into, from) = if a.ids.len() >= b.ids.len() {
            (a, b)
        } else {
            (b, a)
        };
        into.words += from.words;
        into.node += from.node;
        let add = |into: &mut Counts, at: u32, id: u32| {
            let at = at as usize;
            if at == into.counts.len() {
                into.counts.push((0, 0, 0));
                into.is_node.push(from.is_node[id as usize]);
            }
            let (f, l, r) = from.counts[id as usize];
            let e = &mut into.counts[at];
            e.0 += f;
            e.1 += l;
            e.2 += r;
        };
        for (&key, &id) in &from.short {
            let next = into.counts.len() as u32;
            let at = *into.short.entry(key).or_insert(next);
            add(&mut into, at, id);
        }
        for (key, &id) in &from.ids {
            let next = into.counts.len() as u32;
            let at = *into.ids.entry(key.clone()).or_insert(next);
            add(&mut into, at, id);
        }
        into
    }

    /// The number of `key`, made if new.
    fn id(&mut self, key: &str, term: &Term) -> u32 {
        let next = self.counts.len() as u32;
        let id = match tally::pack(key.as_bytes()) {
            Some(packed) => *self.short.entry(packed).or_insert(next),
            // Looked up before the key is copied, since nearly every lookup finds it.
            None => match self.ids.get(key) {
                Some(&id) => id,
                None => {
                    self.ids.insert(key.into(), next);
                    next
                }
            },
        };
        if id == next {
            self.counts.push((0, 0, 0));
            self.is_node.push(term.matches(key));
        }
        id
    }

    /// Every key with its (frequency, left, right).
    fn into_rows(self) -> impl Iterator<Item = (String, (u64, u64, u64))> {
        let counts = self.counts;
        let short = self
            .short
            .into_iter()
            .map(|((k0, k1), id)| (tally::unpack(k0, k1), id));
        let long = self.ids.into_iter().map(|(k, id)| (k.into_string(), id));
        short
            .chain(long)
            .map(move |(key, id)| (key, counts[id as usize]))
    }
}

/// Counts chunk `c` (which ends at a paragraph break) into `out`.
fn count_chunk(
    c: &Chunk<'_>,
    src: &str,
    node: &Query,
    left: usize,
    right: usize,
    out: &mut Counts,
) {
    let key_opts = node.options().key;
    let term = &node.terms()[0];
    let mut para: Vec<u32> = Vec::new();
    let mut buf = String::new();
    let flush = |para: &mut Vec<u32>, out: &mut Counts| {
        for (i, &sym) in para.iter().enumerate() {
            if !out.is_node[sym as usize] {
                continue;
            }
            out.node += 1;
            for &s in &para[i.saturating_sub(left)..i] {
                out.counts[s as usize].1 += 1;
            }
            // Saturating: a right side of usize::MAX words takes the rest of the paragraph.
            for &s in &para[i + 1..(i + 1).saturating_add(right).min(para.len())] {
                out.counts[s as usize].2 += 1;
            }
        }
        para.clear();
    };
    chunk::for_each_paragraph_word(c, |ev| {
        if ev.new_para {
            flush(&mut para, out);
        }
        out.words += 1;
        key_into(ev.token.text(src), key_opts, &mut buf);
        let sym = out.id(&buf, term);
        out.counts[sym as usize].0 += 1;
        para.push(sym);
    });
    flush(&mut para, out);
}

/// The collocates of `node` in `texts`.
///
/// The node must be one word, glob or regular expression (a [`Query`] of one term); texts
/// are keyed with the node's key options. O11 counts, for each occurrence of the node,
/// every word up to `left` words before and `right` words after it in the same paragraph
/// (overlapping windows count a word once per window). f_node and f_collocate are corpus
/// frequencies, N is every word token of the corpus; see [`scores`] for the measures.
/// Rows come sorted by `opts.by`, descending, ties by collocate in code-point order.
pub fn collocates(
    texts: &[&str],
    node: &Query,
    opts: &CollocateOptions,
) -> Result<CollocateTable, CollocatesError> {
    collocates_with_progress(texts, node, opts, &())
}

/// [`collocates`], telling `progress` of the bytes counted (and that they can be released).
pub fn collocates_with_progress(
    texts: &[&str],
    node: &Query,
    opts: &CollocateOptions,
    progress: &dyn Progress,
) -> Result<CollocateTable, CollocatesError> {
    // Checked: a wrapped sum would silently count with a small window (or none).
    let span = opts
        .left
        .checked_add(opts.right)
        .and_then(|span| u64::try_from(span).ok())
        .ok_or(CollocatesError::WindowTooLarge {
            left: opts.left,
            right: opts.right,
        })?;
    if span == 0 {
        return Err(CollocatesError::EmptyWindow);
    }
    if node.terms().len() != 1 {
        return Err(CollocatesError::PhraseNode(node.terms().len()));
    }
    // Chunks end at paragraph breaks (windows never cross one), each found by the task
    // that counts it; each task adds its chunks into counts of its own, summed at the end,
    // so that memory holds a few vocabularies, not one per chunk (with a table per chunk
    // kept to the end, a frequent node in 1 GB had taken 31 s and 3.7 GB).
    let size = opts.chunk_bytes.max(1);
    let chunks: Vec<(usize, usize)> = texts
        .iter()
        .enumerate()
        .flat_map(|(doc, text)| (0..text.len().div_ceil(size)).map(move |k| (doc, k)))
        .collect();
    let counted = chunks
        .par_iter()
        .fold(Counts::default, |mut counts, &(doc, k)| {
            let c = chunk::at_paragraphs(doc, texts[doc], k, size);
            count_chunk(&c, texts[doc], node, opts.left, opts.right, &mut counts);
            progress.release(doc, c.base..c.base + c.text.len());
            progress.advance(doc, c.text.len() as u64);
            counts
        })
        .reduce(Counts::default, Counts::merge);
    let (words, f_node) = (counted.words, counted.node);
    let merged = counted.into_rows();
    let mut rows: Vec<CollocateRow> = merged
        .into_iter()
        .filter(|(_, (_, l, r))| l + r > 0 && l + r >= opts.min_freq)
        .map(|(key, (f, l, r))| CollocateRow {
            scores: scores(l + r, f_node, f, words, span),
            collocate: key,
            o11: l + r,
            f_collocate: f,
            f_node,
            left: l,
            right: r,
        })
        .collect();
    sort(&mut rows, opts.by);
    Ok(CollocateTable {
        rows,
        words,
        f_node,
    })
}

/// Sorts rows by `by`, descending, ties by collocate in code-point order.
pub fn sort(rows: &mut [CollocateRow], by: SortBy) {
    let value = |r: &CollocateRow| match by {
        SortBy::Ll => r.scores.ll,
        SortBy::Mi => r.scores.mi,
        SortBy::T => r.scores.t,
        SortBy::LogDice => r.scores.logdice,
        SortBy::O11 => r.o11 as f64,
    };
    rows.sort_by(|a, b| {
        value(b)
            .total_cmp(&value(a))
            .then_with(|| a.collocate.cmp(&b.collocate))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::QueryOptions;

    fn q(s: &str) -> Query {
        Query::parse(s, QueryOptions::default()).unwrap()
    }

    fn row<'a>(t: &'a CollocateTable, w: &str) -> &'a CollocateRow {
        t.rows.iter().find(|r| r.collocate == w).unwrap()
    }

    #[test]
    fn windows_count_each_side_and_stop_at_paragraphs() {
        let text = "a x b c, node d. x e\n\nx node";
        let opts = CollocateOptions {
            left: 2,
            right: 2,
            min_freq: 1,
            ..CollocateOptions::default()
        };
        let t = collocates(&[text], &q("node"), &opts).unwrap();
        assert_eq!((t.words, t.f_node), (10, 2));
        let got: Vec<(&str, u64, u64, u64)> = {
            let mut v: Vec<_> = t
                .rows
                .iter()
                .map(|r| (r.collocate.as_str(), r.o11, r.left, r.right))
                .collect();
            v.sort();
            v
        };
        // First node: b c | d x (the sentence end does not stop the window); second: x |.
        assert_eq!(
            got,
            [
                ("b", 1, 1, 0),
                ("c", 1, 1, 0),
                ("d", 1, 0, 1),
                ("x", 2, 1, 1)
            ]
        );
        assert_eq!(row(&t, "x").f_collocate, 3);
        let err = collocates(
            &[text],
            &q("node"),
            &CollocateOptions {
                left: 0,
                right: 0,
                ..opts.clone()
            },
        );
        assert_eq!(err, Err(CollocatesError::EmptyWindow));
        assert!(matches!(
            collocates(&[text], &q("a node"), &opts),
            Err(CollocatesError::PhraseNode(_))
        ));
        // A glob node matches several keys; f_node sums them.
        let t = collocates(&["nodes a node b"], &q("node*"), &opts).unwrap();
        assert_eq!(t.f_node, 2);
    }

    #[test]
    fn huge_windows_take_whole_paragraphs_and_never_wrap() {
        let text = "a b node c d\n\ne node f";
        let opts = |left, right| CollocateOptions {
            left,
            right,
            min_freq: 1,
            ..CollocateOptions::default()
        };
        let keys = |t: &CollocateTable| {
            let mut v: Vec<(String, u64, u64)> = t
                .rows
                .iter()
                .map(|r| (r.collocate.clone(), r.left, r.right))
                .collect();
            v.sort();
            v
        };
        // Either side as large as usize allows: the rest of each paragraph, no panic.
        for (left, right) in [
            (0, usize::MAX),
            (usize::MAX, 0),
            (usize::MAX / 2, usize::MAX / 2),
        ] {
            let t = collocates(&[text], &q("node"), &opts(left, right)).unwrap();
            let want = |w: &str, l: u64, r: u64| (w.to_string(), l, r);
            let mut expected = Vec::new();
            if left > 0 {
                expected.extend([want("a", 1, 0), want("b", 1, 0), want("e", 1, 0)]);
            }
            if right > 0 {
                expected.extend([want("c", 0, 1), want("d", 0, 1), want("f", 0, 1)]);
            }
            expected.sort();
            assert_eq!(keys(&t), expected, "{left},{right}");
        }
        // A span L + R that does not fit is an error, not a wrapped (and small) window.
        for (left, right) in [
            (usize::MAX, 1),
            (1, usize::MAX),
            (usize::MAX, usize::MAX),
            (usize::MAX / 2 + 1, usize::MAX / 2 + 1),
        ] {
            assert_eq!(
                collocates(&[text], &q("node"), &opts(left, right)),
                Err(CollocatesError::WindowTooLarge { left, right })
            );
        }
    }

    #[test]
    fn scores_match_the_formulas() {
        // O11 = 4, f_node = 10, f_collocate = 20, N = 1000, span 10.
        let s = scores(4, 10, 20, 1000, 10);
        let e11 = 10.0 * 20.0 * 10.0 / 1000.0; // 2
        assert_eq!(s.e11, e11);
        assert!((s.mi - 1.0).abs() < 1e-12);
        assert!((s.t - (4.0 - 2.0) / 2.0).abs() < 1e-12);
        assert!((s.logdice - (14.0 + (8.0f64 / 30.0).log2())).abs() < 1e-12);
        // Table: O11 4, O12 96, O21 16, O22 884; R1 100, R2 900, C1 20, C2 980.
        let g = |o: f64, e: f64| o * (o / e).ln();
        let ll = 2.0
            * (g(4.0, 100.0 * 20.0 / 1000.0)
                + g(96.0, 100.0 * 980.0 / 1000.0)
                + g(16.0, 900.0 * 20.0 / 1000.0)
                + g(884.0, 900.0 * 980.0 / 1000.0));
        assert!((s.ll - ll).abs() < 1e-9, "{} vs {ll}", s.ll);
    }

    #[test]
    fn sorted_by_measure_then_collocate_and_min_freq_applies_to_o11() {
        let text = "p a b p a b p c c c c c c c c";
        let opts = CollocateOptions {
            left: 1,
            right: 1,
            min_freq: 2,
            by: SortBy::O11,
            ..CollocateOptions::default()
        };
        let t = collocates(&[text], &q("p"), &opts).unwrap();
        let got: Vec<(&str, u64)> = t
            .rows
            .iter()
            .map(|r| (r.collocate.as_str(), r.o11))
            .collect();
        // a: 2 (right of p), b: 2 (left of p), c: 1 (dropped).
        assert_eq!(got, [("a", 2), ("b", 2)]);
    }

    #[test]
    fn progress_tells_of_every_byte_once() {
        let essay = include_str!("../../../texts/deutscher-1956-khrushchev-on-stalin.txt");
        let texts = [essay, "the party\n\nof the party", ""];
        let opts = CollocateOptions {
            chunk_bytes: 700,
            ..CollocateOptions::default()
        };
        let log = lectio_text::ProgressLog::default();
        let with = collocates_with_progress(&texts, &q("party"), &opts, &log).unwrap();
        assert_eq!(with, collocates(&texts, &q("party"), &opts).unwrap());
        let sizes = std::collections::BTreeMap::from([(0, essay.len() as u64), (1, 23)]);
        assert_eq!(log.advanced(), sizes);
        assert_eq!(log.released(), sizes);
    }

    #[test]
    fn same_result_whatever_threads_and_chunks() {
        let essay = include_str!("../../../texts/deutscher-1956-khrushchev-on-stalin.txt");
        let opts = CollocateOptions::default();
        let reference = collocates(&[essay], &q("party"), &opts).unwrap();
        assert!(reference.rows.iter().any(|r| r.collocate == "single"));
        for (threads, chunk_bytes) in [(1, 1), (3, 700), (2, 5000)] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let o = CollocateOptions {
                chunk_bytes,
                ..opts.clone()
            };
            let got = pool.install(|| collocates(&[essay], &q("party"), &o).unwrap());
            assert_eq!(got, reference);
        }
    }
}
