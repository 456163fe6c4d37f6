//! A plain word counter in Rust, the baseline compare.sh times beside `lectio freq`: what
//! the Python peer does (`Counter(re.findall(r"\w+", text.lower()))`, written out as
//! `word,count` lines by count), done the way a careful programmer would write it in an
//! afternoon: the whole text lower-cased once, words borrowed from it (no allocation per
//! word), one hash map per thread (FxHash), the maps summed, the rows sorted and
//! written through a buffer. No dispersion and no checks of the input beyond UTF-8. Its
//! words are Python's on text without combining marks (see [`is_word_char`]).
//! It tells how much of lectio's speed is Rust's and how much is lectio's own.
//!
//! ```text
//! plaincount FILE OUT [THREADS]     THREADS defaults to the number of cores
//! ```
//!
//! The example `plaincount` (`cargo build --release --example plaincount`), built as
//! compare.sh builds lectio.

use rustc_hash::FxHashMap;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

/// FxHash (rustc-hash), the hasher of rustc's own tables: std's default (SipHash, which
/// resists flooding) would make the baseline slower than a careful program is.
type Counts<'a> = FxHashMap<&'a str, u64>;

/// Python's `\w` on the benchmark corpus: a letter, digit or underscore. Not Python's
/// everywhere: Rust's `is_alphabetic` also takes combining vowel signs, Hebrew and Arabic
/// points and circled letters, which Python's `\w` leaves out; the corpus (Latin letters,
/// precomposed diacritics) has none, and compare.sh checks that the two agree on it.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn count(text: &str) -> Counts<'_> {
    let mut counts = Counts::default();
    for word in text.split(|c: char| !is_word_char(c)) {
        if !word.is_empty() {
            *counts.entry(word).or_insert(0) += 1;
        }
    }
    counts
}

/// `text` cut into `n` pieces at ASCII whitespace (never inside a word or a character).
fn pieces(text: &str, n: usize) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut cuts = vec![0];
    for k in 1..n {
        let mut at = (bytes.len() * k / n).max(*cuts.last().expect("a cut"));
        while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        cuts.push(at);
    }
    cuts.push(bytes.len());
    cuts.windows(2).map(|w| &text[w[0]..w[1]]).collect()
}

fn run(args: &[String]) -> Result<(), String> {
    let [file, out, rest @ ..] = args else {
        return Err("usage: plaincount FILE OUT [THREADS]".into());
    };
    let threads = match rest.first() {
        Some(n) => n.parse().map_err(|_| format!("not a number: {n}"))?,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    let lower = text.to_lowercase();
    drop(text);
    let maps: Vec<Counts<'_>> = std::thread::scope(|s| {
        let handles: Vec<_> = pieces(&lower, threads.max(1))
            .into_iter()
            .map(|p| s.spawn(move || count(p)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a counting thread"))
            .collect()
    });
    let mut maps = maps.into_iter();
    let mut all = maps.next().unwrap_or_default();
    for m in maps {
        for (word, n) in m {
            *all.entry(word).or_insert(0) += n;
        }
    }
    let mut rows: Vec<(&str, u64)> = all.into_iter().collect();
    rows.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let file = std::fs::File::create(out).map_err(|e| format!("{out}: {e}"))?;
    let mut w = BufWriter::new(file);
    for (word, n) in rows {
        writeln!(w, "{word},{n}").map_err(|e| format!("{out}: {e}"))?;
    }
    w.flush().map_err(|e| format!("{out}: {e}"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("plaincount: {e}");
            ExitCode::FAILURE
        }
    }
}
