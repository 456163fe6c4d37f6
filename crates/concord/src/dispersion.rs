//! Dispersion: where in each text the hits of a query fall, for a "barcode" plot.

use lectio_text::Tokenizer;
use rayon::prelude::*;

use crate::kwic::{self, Context};
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
    texts
        .par_iter()
        .enumerate()
        .flat_map_iter(|(doc, text)| {
            let starts: Vec<usize> = Tokenizer::new(text)
                .filter(|t| t.is_word())
                .map(|t| t.start)
                .collect();
            queries
                .iter()
                .enumerate()
                .map(|(qi, q)| {
                    let hits = kwic::search(doc, text, q, Context::Words(0))
                        .iter()
                        .map(|h| starts.partition_point(|&s| s < h.start) as u64)
                        .collect();
                    DispersionRow {
                        doc,
                        query: qi,
                        words: starts.len() as u64,
                        hits,
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect()
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
}
