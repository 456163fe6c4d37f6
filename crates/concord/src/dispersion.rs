//! Dispersion: where in each text the hits of a query fall, for a "barcode" plot.

use lectio_text::Progress;
use rayon::prelude::*;

use crate::chunk;
use crate::kwic;
use crate::query::Query;

/// The hits of one query in one text.
#[derive(Debug, Clone, PartialEq)]
pub struct DispersionRow {
    /// Index of the text.
    pub doc: usize,
    /// Index of the query.
    pub query: usize,
    /// Word tokens in the text.
    pub words: u64,
    /// 0-based word index of each hit's first word, in text order.
    pub hits: Vec<u64>,
}

impl DispersionRow {
    /// Each hit's relative position in the text: word index / word count, in [0, 1).
    pub fn positions(&self) -> impl Iterator<Item = f64> + '_ {
        let words = self.words.max(1) as f64;
        self.hits.iter().map(move |&h| h as f64 / words)
    }
}

/// The hits of every query in every text: one row per text and query, texts in order and,
/// within a text, queries in order. Hits are found exactly as [`kwic::search`] finds them.
pub fn dispersion(texts: &[&str], queries: &[Query]) -> Vec<DispersionRow> {
    dispersion_with_progress(texts, queries, &())
}

/// Bytes of a text whose words are counted by one task.
const CHUNK: usize = 1 << 20;

/// [`dispersion`], telling `progress` of the bytes read (and that they can be released).
/// Each text is read `queries.len() + 1` times: once per query to find its hits, once more
/// to count the words before each hit (in parallel chunks, without keeping the words), so
/// memory holds the hits, not the words.
pub fn dispersion_with_progress(
    texts: &[&str],
    queries: &[Query],
    progress: &dyn Progress,
) -> Vec<DispersionRow> {
    texts
        .par_iter()
        .enumerate()
        .flat_map_iter(|(doc, text)| {
            let hits: Vec<Vec<usize>> = queries
                .iter()
                .map(|q| kwic::find_with_progress(doc, text, q, progress))
                .collect();
            let mut starts: Vec<usize> = hits.concat();
            starts.sort_unstable();
            starts.dedup();
            let (words, indexes) = word_indexes(doc, text, &starts, progress);
            hits.into_iter()
                .enumerate()
                .map(|(query, hits)| DispersionRow {
                    doc,
                    query,
                    words,
                    hits: hits
                        .iter()
                        .map(|h| indexes[starts.partition_point(|s| s < h)])
                        .collect(),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The words of `text`, and for each of `starts` (sorted byte offsets) the number of words
/// that start before it.
fn word_indexes(
    doc: usize,
    text: &str,
    starts: &[usize],
    progress: &dyn Progress,
) -> (u64, Vec<u64>) {
    let chunks: Vec<(u64, Vec<u64>)> = (0..text.len().div_ceil(CHUNK).max(1))
        .into_par_iter()
        .map(|k| {
            let c = chunk::at_spaces(doc, text, k, CHUNK);
            let end = c.base + c.text.len();
            let mine = &starts[starts.partition_point(|&s| s < c.base)..];
            let mine = &mine[..mine.partition_point(|&s| s < end)];
            let (mut words, mut at) = (0u64, Vec::with_capacity(mine.len()));
            lectio_text::for_each_word(c.text, c.base, |start, _| {
                while at.len() < mine.len() && mine[at.len()] <= start {
                    at.push(words);
                }
                words += 1;
            });
            at.resize(mine.len(), words);
            progress.release(doc, c.base..end);
            progress.advance(doc, c.text.len() as u64);
            (words, at)
        })
        .collect();
    let mut before = 0;
    let mut indexes = Vec::with_capacity(starts.len());
    for (words, at) in chunks {
        indexes.extend(at.into_iter().map(|i| before + i));
        before += words;
    }
    (before, indexes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::QueryOptions;

    fn q(s: &str) -> Query {
        Query::parse(s, QueryOptions::default()).unwrap()
    }

    #[test]
    fn relative_positions_per_text_and_query() {
        let texts = ["a b. c, a b d", "x y z w"];
        let rows = dispersion(&texts, &[q("a b"), q("d")]);
        assert_eq!(rows.len(), 4);
        assert_eq!((rows[0].doc, rows[0].query, rows[0].words), (0, 0, 6));
        assert_eq!(rows[0].hits, [0, 3]);
        assert_eq!(rows[0].positions().collect::<Vec<_>>(), [0.0, 0.5]);
        assert_eq!(rows[1].hits, [5]);
        assert_eq!((rows[2].doc, rows[2].query, rows[2].words), (1, 0, 4));
        assert!(rows[2].hits.is_empty() && rows[3].hits.is_empty());
    }

    #[test]
    fn many_chunks_give_the_word_indexes_of_the_tokens_before_each_hit() {
        // The essay 40 times (1.5 MB): two chunks of words and two pieces of search.
        let essay = include_str!("../../../texts/deutscher-1956-khrushchev-on-stalin.txt");
        let big = vec![essay; 40].join("\n\n");
        assert!(big.len() > CHUNK);
        let texts = [big.as_str(), essay];
        let queries = [q("party"), q("single party"), q("the"), q("monolithic")];
        let record = lectio_text::ProgressLog::default();
        let rows = dispersion_with_progress(&texts, &queries, &record);
        // What the hits' word indexes are by definition: the word tokens before them.
        let mut expected = Vec::new();
        for (doc, text) in texts.iter().enumerate() {
            let starts: Vec<usize> = lectio_text::Tokenizer::new(text)
                .filter(|t| t.is_word())
                .map(|t| t.start)
                .collect();
            for (query, qr) in queries.iter().enumerate() {
                let hits = kwic::search(doc, text, qr, kwic::Context::Words(0))
                    .iter()
                    .map(|h| starts.partition_point(|&s| s < h.start) as u64)
                    .collect();
                expected.push(DispersionRow {
                    doc,
                    query,
                    words: starts.len() as u64,
                    hits,
                });
            }
        }
        assert_eq!(rows, expected);
        let counts: Vec<usize> = rows.iter().map(|r| r.hits.len()).collect();
        assert_eq!(counts, [1400, 200, 20240, 120, 35, 5, 506, 3]);
        assert_eq!((rows[0].words, rows[4].words), (40 * 6153, 6153));
        // Each text is read five times: once per query, once to count its words.
        let read = std::collections::BTreeMap::from([
            (0, 5 * big.len() as u64),
            (1, 5 * essay.len() as u64),
        ]);
        assert_eq!(record.advanced(), read);
        assert_eq!(record.released(), read);
    }
}
