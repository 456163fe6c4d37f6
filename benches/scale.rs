//! lectio at corpus scale: tokenizing, freq, kwic, collocates and align on the essay 1, 50
//! and 1000 times (37 MB) and on a generated 50 MB corpus with a Zipf vocabulary of
//! 300,000 types (`benches/corpus.rs`). Nothing is downloaded.
//!
//! Run: `cargo bench --bench scale` (a few minutes; filter with e.g.
//! `cargo bench --bench scale -- freq`). Threads: rayon's default, all cores; set
//! `RAYON_NUM_THREADS=1` to measure one core. The side-by-side comparison with ripgrep,
//! Python and coreutils is `benches/compare.sh`.

#[path = "corpus.rs"]
mod corpus;

use std::sync::OnceLock;

use divan::counter::BytesCount;
use divan::Bencher;
use lectio_concord::collocates::{collocates, CollocateOptions};
use lectio_concord::freq::{freq, FreqOptions};
use lectio_concord::kwic::{search, Context};
use lectio_concord::query::{Query, QueryOptions};
use lectio_text::Tokenizer;

const ESSAY: &str = include_str!("../texts/deutscher-1956-khrushchev-on-stalin.txt");
const GERMAN: &str = include_str!("../texts/deutscher-1956-khrushchev-on-stalin.de.txt");

/// The texts benchmarked: the essay 1, 50 and 1000 times, and the generated corpus.
const TEXTS: &[&str] = &["essay x1", "essay x50", "essay x1000", "generated 50MB"];

/// Bytes of the generated corpus.
const GENERATED_BYTES: usize = 50 << 20;

fn text(name: &str) -> &'static str {
    static X50: OnceLock<String> = OnceLock::new();
    static X1000: OnceLock<String> = OnceLock::new();
    static GENERATED: OnceLock<String> = OnceLock::new();
    match name {
        "essay x1" => ESSAY,
        "essay x50" => X50.get_or_init(|| corpus::repeat_essay(ESSAY, 50)),
        "essay x1000" => X1000.get_or_init(|| corpus::repeat_essay(ESSAY, 1000)),
        _ => GENERATED.get_or_init(|| corpus::Generator::new(1956).text(GENERATED_BYTES)),
    }
}

/// A word of the text with a handful of occurrences: what a user looks up in a concordance.
fn rare_word(name: &str) -> String {
    if name.starts_with("essay") {
        "monolithic".into()
    } else {
        corpus::Generator::new(1956).word(100_000).to_string()
    }
}

/// A frequent content word, as a collocation node.
fn node_word(name: &str) -> String {
    if name.starts_with("essay") {
        "party".into()
    } else {
        corpus::Generator::new(1956).word(500).to_string()
    }
}

fn main() {
    divan::main();
}

#[divan::bench(args = TEXTS, sample_count = 3, sample_size = 1)]
fn tokenize(bencher: Bencher, name: &str) {
    let text = text(name);
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| Tokenizer::new(divan::black_box(text)).count());
}

/// The word spans alone, 64 bytes at a time (`freq`'s word pass).
#[divan::bench(args = TEXTS, sample_count = 3, sample_size = 1)]
fn count_words(bencher: Bencher, name: &str) {
    let text = text(name);
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| lectio_text::count_words(divan::black_box(text)));
}

#[divan::bench(args = TEXTS, sample_count = 3, sample_size = 1)]
fn freq_words(bencher: Bencher, name: &str) {
    let text = text(name);
    let opts = FreqOptions::default();
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| freq(&[divan::black_box(text)], &opts).unwrap().rows.len());
}

#[divan::bench(args = TEXTS, sample_count = 3, sample_size = 1)]
fn freq_bigrams(bencher: Bencher, name: &str) {
    let text = text(name);
    let opts = FreqOptions {
        ngram: 2,
        ..FreqOptions::default()
    };
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| freq(&[divan::black_box(text)], &opts).unwrap().rows.len());
}

#[divan::bench(args = TEXTS, sample_count = 3, sample_size = 1)]
fn kwic_rare_word(bencher: Bencher, name: &str) {
    let text = text(name);
    let query = Query::parse(&rare_word(name), QueryOptions::default()).unwrap();
    bencher
        .counter(BytesCount::of_str(text))
        .bench(|| search(0, divan::black_box(text), &query, Context::Words(8)).len());
}

#[divan::bench(args = TEXTS, sample_count = 3, sample_size = 1)]
fn collocates_node(bencher: Bencher, name: &str) {
    let text = text(name);
    let node = Query::parse(&node_word(name), QueryOptions::default()).unwrap();
    let opts = CollocateOptions::default();
    bencher.counter(BytesCount::of_str(text)).bench(|| {
        collocates(&[divan::black_box(text)], &node, &opts)
            .unwrap()
            .rows
            .len()
    });
}

/// Gale-Church alignment of the essay with its German translation, both repeated: at 1000x
/// 60,000 paragraphs a side, searched in a band around the diagonal (the whole table would
/// have 3.6 billion cells).
#[divan::bench(args = [1, 50, 1000], sample_count = 3, sample_size = 1)]
fn align(bencher: Bencher, copies: usize) {
    let source = corpus::repeat_essay(ESSAY, copies);
    let target = corpus::repeat_essay(GERMAN, copies);
    bencher
        .counter(BytesCount::new(source.len() + target.len()))
        .bench(|| lectio_diff::bitext::align(&source, &target).sentences.len());
}
