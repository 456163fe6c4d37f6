//! Deterministic test corpora for the benchmarks and `benches/compare.sh`; no downloads.
//!
//! - [`Generator`]: a synthetic corpus with a realistic vocabulary: `TYPES` pronounceable
//!   pseudo-words (a few with an apostrophe, a hyphen or a diacritic, some numbers) drawn
//!   from a Zipf-Mandelbrot distribution (frequent words short, as in real text), in
//!   sentences of 4 to 30 words with commas, in paragraphs of 2 to 8 sentences separated by
//!   blank lines, wrapped at 72 columns as in Project Gutenberg texts.
//! - [`repeat_essay`] and [`witness`]: the essay N times, and a copy with about 1% of its
//!   words changed, for diff (the same pair as `benches/diff.rs` makes).
//!
//! This file has no dependencies: the benches include it with `#[path]`, and compare.sh
//! compiles `benches/gencorpus.rs` (which includes it too) with plain `rustc`.

#![allow(dead_code)]

use std::collections::HashSet;

/// Number of word types in the generated vocabulary.
pub const TYPES: usize = 300_000;

/// xorshift64*: a tiny, fixed PRNG, so that every machine makes the same corpus.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() >> 32) * n) >> 32
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const ONSETS: &[&str] = &[
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br",
    "ch", "cr", "dr", "fl", "gr", "kl", "pl", "pr", "sh", "sk", "sl", "st", "str", "th", "tr",
];
const VOWELS: &[&str] = &[
    "a", "e", "i", "o", "u", "a", "e", "i", "o", "ea", "ou", "ai", "y", "ie",
];
const CODAS: &[&str] = &[
    "", "", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "rk", "ng", "x",
];

/// The generated vocabulary, most frequent word first.
pub fn vocabulary(seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed ^ 0x0C0F_FEE0);
    let mut seen = HashSet::with_capacity(TYPES);
    let mut words = Vec::with_capacity(TYPES);
    while words.len() < TYPES {
        let rank = words.len();
        let mut w = String::new();
        if rank > 50 && rng.below(200) == 0 {
            // Numbers: years, counts, ranges.
            match rng.below(3) {
                0 => w = (1500 + rng.below(525)).to_string(),
                1 => w = rng.below(100_000).to_string(),
                _ => w = format!("{}-{}", 1900 + rng.below(100), 10 + rng.below(90)),
            }
        } else {
            // Frequent words are short: 1 syllable at the top, up to 5 in the tail.
            let max_syll = match rank {
                0..=99 => 1,
                100..=1_999 => 2,
                2_000..=29_999 => 3,
                30_000..=149_999 => 4,
                _ => 5,
            };
            let syllables = 1 + rng.below(max_syll) as usize;
            for _ in 0..syllables {
                if rng.below(4) != 0 || w.is_empty() {
                    w.push_str(ONSETS[rng.below(ONSETS.len() as u64) as usize]);
                }
                let v = VOWELS[rng.below(VOWELS.len() as u64) as usize];
                if rank > 1_000 && rng.below(150) == 0 {
                    // A diacritic now and then: the non-ASCII paths of the tokenizer.
                    w.push_str(match v.as_bytes()[0] {
                        b'a' => "à",
                        b'e' => "é",
                        b'i' => "ï",
                        b'o' => "ô",
                        _ => "ü",
                    });
                } else {
                    w.push_str(v);
                }
                w.push_str(CODAS[rng.below(CODAS.len() as u64) as usize]);
            }
            if rank > 500 {
                match rng.below(300) {
                    0 => w.push_str("'s"),
                    1 => {
                        w.push('-');
                        w.push_str(ONSETS[rng.below(ONSETS.len() as u64) as usize]);
                        w.push_str(VOWELS[rng.below(VOWELS.len() as u64) as usize]);
                    }
                    _ => {}
                }
            }
        }
        if seen.insert(w.clone()) {
            words.push(w);
        }
    }
    words
}

/// Samples ranks from a Zipf-Mandelbrot distribution, p(r) ∝ 1 / (r + 2.7).
pub struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    pub fn new(n: usize) -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|r| {
                total += 1.0 / (r as f64 + 2.7);
                total
            })
            .collect::<Vec<_>>();
        let cumulative = cumulative.iter().map(|c| c / total).collect();
        Zipf { cumulative }
    }

    pub fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        self.cumulative
            .partition_point(|&c| c < u)
            .min(self.cumulative.len() - 1)
    }
}

/// A stream of generated paragraphs over one vocabulary.
pub struct Generator {
    vocab: Vec<String>,
    zipf: Zipf,
    rng: Rng,
    para: String,
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        let vocab = vocabulary(seed);
        let zipf = Zipf::new(vocab.len());
        Generator {
            vocab,
            zipf,
            rng: Rng::new(seed),
            para: String::with_capacity(4096),
        }
    }

    /// The word of frequency rank `rank` (0 = the most frequent).
    pub fn word(&self, rank: usize) -> &str {
        &self.vocab[rank]
    }

    /// Appends the next paragraph (with its blank line) to `self.para`.
    fn paragraph(&mut self) {
        let rng = &mut self.rng;
        let para = &mut self.para;
        let mut line_len = 0;
        let sentences = 2 + rng.below(7);
        for _ in 0..sentences {
            let words = 4 + rng.below(27);
            for i in 0..words {
                let w = &self.vocab[self.zipf.sample(rng)];
                let comma = i + 1 < words && rng.below(12) == 0;
                let end = i + 1 == words;
                let piece_len = w.chars().count() + usize::from(comma || end);
                if line_len > 0 {
                    if line_len + 1 + piece_len > 72 {
                        para.push('\n');
                        line_len = 0;
                    } else {
                        para.push(' ');
                        line_len += 1;
                    }
                }
                if i == 0 {
                    let mut cs = w.chars();
                    let first = cs.next().expect("words are not empty");
                    para.extend(first.to_uppercase());
                    para.push_str(cs.as_str());
                } else {
                    para.push_str(w);
                }
                if comma {
                    para.push(',');
                }
                if end {
                    para.push(match rng.below(20) {
                        0 => '?',
                        1 => '!',
                        _ => '.',
                    });
                }
                line_len += piece_len;
            }
        }
        para.push_str("\n\n");
    }

    /// Writes whole paragraphs to `out` until at least `bytes` bytes are written; returns
    /// the number written.
    pub fn write(&mut self, bytes: usize, out: &mut impl std::io::Write) -> std::io::Result<usize> {
        let mut written = 0;
        while written < bytes {
            self.para.clear();
            self.paragraph();
            out.write_all(self.para.as_bytes())?;
            written += self.para.len();
        }
        Ok(written)
    }

    /// At least `bytes` bytes of text, whole paragraphs.
    pub fn text(&mut self, bytes: usize) -> String {
        let mut out = Vec::with_capacity(bytes + 4096);
        self.write(bytes, &mut out).expect("writing to memory");
        String::from_utf8(out).expect("generated text is UTF-8")
    }
}

/// The essay `copies` times, copies separated by a blank line.
pub fn repeat_essay(essay: &str, copies: usize) -> String {
    vec![essay; copies].join("\n\n")
}

/// A fixed linear congruential generator (as in `benches/diff.rs`).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// A witness of `base` (made from `essay`): each word, with probability 1/100, is replaced
/// by another word of the essay (70%), deleted (20%) or preceded by an inserted word (10%).
/// `benches/diff.rs` and compare.sh both use it on the essay 50 times.
pub fn witness(essay: &str, base: &str) -> String {
    let mut vocab: Vec<&str> = essay
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() > 1)
        .collect();
    vocab.sort_unstable();
    vocab.dedup();
    let mut rng = Lcg(0x5eed_1956);
    let mut witness = String::with_capacity(base.len() + base.len() / 50);
    for piece in base.split_inclusive(char::is_whitespace) {
        let word_len = piece
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(piece.len());
        if word_len == 0 || !rng.next().is_multiple_of(100) {
            witness.push_str(piece);
            continue;
        }
        let other = vocab[(rng.next() % vocab.len() as u64) as usize];
        match rng.next() % 10 {
            0..=6 => {
                witness.push_str(other);
                witness.push_str(&piece[word_len..]);
            }
            7 | 8 => {}
            _ => {
                witness.push_str(other);
                witness.push(' ');
                witness.push_str(piece);
            }
        }
    }
    witness
}
