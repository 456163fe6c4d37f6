//! `lectio-diff` on book-length witnesses: the essay 50 times (about 308,000 words)
//! against a copy with about 1% of its words changed (substituted, deleted or inserted),
//! generated deterministically.
//!
//! Run: `cargo bench --bench diff`. The run also writes both witnesses to
//! `target/lectio-bench/base.txt` and `target/lectio-bench/witness.txt`, so that the CLI
//! can be timed against wdiff on the same files:
//!
//! ```sh
//! hyperfine -N -w 1 \
//!   'target/release/lectio diff target/lectio-bench/base.txt target/lectio-bench/witness.txt --format csv -o /dev/null' \
//!   'wdiff -s target/lectio-bench/base.txt target/lectio-bench/witness.txt'
//! ```

use std::path::PathBuf;
use std::sync::OnceLock;

use lectio_diff::{compare, Options};

const ESSAY: &str = include_str!("../texts/deutscher-1956-khrushchev-on-stalin.txt");
const COPIES: usize = 50;

/// A fixed linear congruential generator: the same witnesses on every machine.
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

/// The base (the essay 50 times, copies separated by a blank line) and the witness: each
/// word of the base, with probability 1/100, is replaced by another word of the essay
/// (70%), deleted (20%) or preceded by an inserted word (10%).
fn witnesses() -> &'static (String, String) {
    static PAIR: OnceLock<(String, String)> = OnceLock::new();
    PAIR.get_or_init(|| {
        let base = vec![ESSAY; COPIES].join("\n\n");
        let mut vocab: Vec<&str> = ESSAY
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
            if word_len == 0 || rng.next() % 100 != 1 {
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
        (base, witness)
    })
}

fn main() {
    let (base, witness) = witnesses();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/lectio-bench");
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join("base.txt"), base);
        let _ = std::fs::write(dir.join("witness.txt"), witness);
    }
    divan::main();
}

/// The whole comparison: tokenizing, two-level alignment, moves and classification.
#[divan::bench(sample_count = 10)]
fn diff_300k_words(bencher: divan::Bencher) {
    let (base, witness) = witnesses();
    bencher.bench(|| compare("base", base, "witness", witness, &Options::default()));
}

/// The essay against its emended reading text (62 variants).
#[divan::bench(sample_count = 50)]
fn diff_essay_emended(bencher: divan::Bencher) {
    let emended = include_str!("../texts/deutscher-1956-khrushchev-on-stalin.emended.txt");
    bencher.bench(|| compare("base", ESSAY, "emended", emended, &Options::default()));
}
