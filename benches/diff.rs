//! `lectio-diff` on book-length witnesses: the essay 50 times (about 308,000 words) and
//! 1000 times (6.2 million words) against a copy with about 1% of its words changed
//! (substituted, deleted or inserted), generated deterministically; and the essay against
//! its emended reading text.
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

#[path = "corpus.rs"]
mod corpus;

/// The base (the essay `copies` times, copies separated by a blank line) and the witness
/// made from it by `corpus::witness` (about 1% of the words changed), as compare.sh makes
/// them.
fn witnesses(copies: usize) -> &'static (String, String) {
    static X50: OnceLock<(String, String)> = OnceLock::new();
    static X1000: OnceLock<(String, String)> = OnceLock::new();
    let make = || {
        let base = vec![ESSAY; copies].join("\n\n");
        let witness = corpus::witness(ESSAY, &base);
        (base, witness)
    };
    match copies {
        50 => X50.get_or_init(make),
        _ => X1000.get_or_init(make),
    }
}

fn main() {
    let (base, witness) = witnesses(COPIES);
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
    let (base, witness) = witnesses(COPIES);
    bencher.bench(|| compare("base", base, "witness", witness, &Options::default()));
}

/// The same at 1000x: 6.2 million words a side (about 6 s a run here).
#[divan::bench(sample_count = 2, sample_size = 1)]
fn diff_6m_words(bencher: divan::Bencher) {
    let (base, witness) = witnesses(1000);
    bencher.bench(|| compare("base", base, "witness", witness, &Options::default()));
}

/// The essay against its emended reading text (62 variants).
#[divan::bench(sample_count = 50)]
fn diff_essay_emended(bencher: divan::Bencher) {
    let emended = include_str!("../texts/deutscher-1956-khrushchev-on-stalin.emended.txt");
    bencher.bench(|| compare("base", ESSAY, "emended", emended, &Options::default()));
}
