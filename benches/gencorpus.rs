//! Writes the benchmark corpora (see `benches/corpus.rs`). No dependencies: compare.sh
//! builds it with `rustc -O benches/gencorpus.rs`; it is also the example `gencorpus`.
//!
//! ```text
//! gencorpus corpus SIZE OUT            SIZE bytes (or more: whole paragraphs) to OUT
//! gencorpus files SIZE COUNT DIR       the same stream cut into COUNT files in DIR
//! gencorpus word RANK                  the word of frequency rank RANK (0 = commonest)
//! gencorpus essay COPIES OUT           the essay COPIES times
//! gencorpus witness COPIES OUT         a copy of the essay COPIES times, ~1% words changed
//! ```
//!
//! SIZE takes a K, M or G suffix (powers of 1024). The seed is fixed: the same files on
//! every machine.

#[path = "corpus.rs"]
mod corpus;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

const ESSAY: &str = include_str!("../texts/deutscher-1956-khrushchev-on-stalin.txt");
const SEED: u64 = 1956;

fn size(s: &str) -> Result<usize, String> {
    let (num, mult) = match s.char_indices().last() {
        Some((i, 'K' | 'k')) => (&s[..i], 1 << 10),
        Some((i, 'M' | 'm')) => (&s[..i], 1 << 20),
        Some((i, 'G' | 'g')) => (&s[..i], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<usize>()
        .map(|n| n * mult)
        .map_err(|_| format!("not a size: {s}"))
}

fn number(s: &str) -> Result<usize, String> {
    s.parse().map_err(|_| format!("not a number: {s}"))
}

fn create(path: &str) -> Result<BufWriter<File>, String> {
    File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|e| format!("{path}: {e}"))
}

fn run(args: &[String]) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["corpus", bytes, out] => {
            let mut w = create(out)?;
            corpus::Generator::new(SEED)
                .write(size(bytes)?, &mut w)
                .map_err(io)?;
            w.flush().map_err(io)
        }
        ["files", bytes, count, dir] => {
            let (bytes, count) = (size(bytes)?, number(count)?.max(1));
            std::fs::create_dir_all(dir).map_err(io)?;
            let mut gen = corpus::Generator::new(SEED);
            for i in 0..count {
                let path = Path::new(dir).join(format!("part-{i:04}.txt"));
                let mut w = create(&path.to_string_lossy())?;
                gen.write(bytes / count, &mut w).map_err(io)?;
                w.flush().map_err(io)?;
            }
            Ok(())
        }
        ["word", rank] => {
            let gen = corpus::Generator::new(SEED);
            println!("{}", gen.word(number(rank)?.min(corpus::TYPES - 1)));
            Ok(())
        }
        ["essay", copies, out] => {
            let mut w = create(out)?;
            w.write_all(corpus::repeat_essay(ESSAY, number(copies)?).as_bytes())
                .map_err(io)?;
            w.flush().map_err(io)
        }
        ["witness", copies, out] => {
            let base = corpus::repeat_essay(ESSAY, number(copies)?);
            let mut w = create(out)?;
            w.write_all(corpus::witness(ESSAY, &base).as_bytes())
                .map_err(io)?;
            w.flush().map_err(io)
        }
        _ => Err(
            "usage: gencorpus corpus SIZE OUT | files SIZE COUNT DIR | word RANK \
                  | essay COPIES OUT | witness COPIES OUT"
                .into(),
        ),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gencorpus: {e}");
            ExitCode::FAILURE
        }
    }
}
