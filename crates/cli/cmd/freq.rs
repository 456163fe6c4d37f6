//! `lectio freq`: word and n-gram frequency lists.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use lectio_concord::freq::{self, FreqOptions, ENGLISH_STOPWORDS};
use lectio_text::KeyOptions;
use serde::Serialize;

use crate::cells::guard_formula;
use crate::cmd::UsageError;
use crate::input::{self, KeyArgs, LoadArgs};
use crate::output::{self, Format, Out, OutputArgs};
use crate::progress;

const EXAMPLES: &str = "\
Examples:
  lectio freq --top 10                          the ten commonest words of the embedded essay
  lectio freq --ngram 2 --stopwords english     bigrams without stop words
  lectio freq a.txt b.txt c.txt --format csv -o words.csv

CSV columns: rank,term,count,per_million,range,dp
(per_million = count / N x 1,000,000, N = every word token of the texts, before stop word
and number filtering; range = files containing the term; dp = Gries' DP, normalized:
0 = spread evenly over the parts, 1 = all in one part; the parts are the files, or the
--parts slices of a single file)";

/// The longest n-gram `--ngram` (of freq and keyness) counts: longer than the lexical
/// bundles (2 to 6 words) and the n-grams of text-reuse studies that scholars count.
pub(crate) const MAX_NGRAM: u64 = 32;

/// Frequency list: every word (or n-gram) of the texts with its count, normalized
/// frequency, range and dispersion.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Texts to count; - reads stdin [default: the embedded essay].
    files: Vec<PathBuf>,
    /// Count word n-grams of N words (1 to 32); n-grams never cross a sentence end or a
    /// paragraph break.
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u64).range(1..=MAX_NGRAM))]
    ngram: u64,
    /// Leave out terms counted fewer than N times.
    #[arg(long, value_name = "N", default_value_t = 1)]
    min_count: u64,
    /// Print only the first N rows (the number of terms is still reported).
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Leave out stop words (and n-grams containing one): `english` for the Snowball
    /// English list, or a FILE of words separated by whitespace (# starts a comment).
    #[arg(long, value_name = "english|FILE")]
    stopwords: Option<PathBuf>,
    /// Leave out numbers (words without a letter: 1956, 1937-38) and n-grams containing one.
    #[arg(long)]
    no_numbers: bool,
    /// With a single text, cut it into N equal slices of its words for dp (1 to 1000000)
    /// [default: 10].
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=freq::MAX_PARTS as u64))]
    parts: Option<u64>,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(flatten)]
    load: LoadArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// One CSV/TSV/JSON row; the column order is part of lectio's interface.
#[derive(Serialize)]
struct Row<'a> {
    rank: usize,
    term: &'a str,
    count: u64,
    per_million: f64,
    range: u64,
    dp: f64,
}

const HEADERS: [&str; 6] = ["rank", "term", "count", "per_million", "range", "dp"];

impl Args {
    /// The n of the n-grams counted (1: single words).
    pub(crate) fn ngram(&self) -> u64 {
        self.ngram
    }
}

/// Runs `lectio freq`.
pub fn run(args: Args) -> Result<ExitCode> {
    if args.parts.is_some() && args.files.len() > 1 {
        return Err(UsageError(
            "--parts applies to a single text; with several files each file is a part".into(),
        )
        .into());
    }
    let key = args.keys.options();
    let stopwords = stopwords(args.stopwords.as_ref(), key, args.load)?;
    let docs = input::load(&args.files, args.load)?;
    let texts: Vec<&str> = docs.iter().map(|d| d.as_str()).collect();
    let opts = FreqOptions {
        ngram: args.ngram as usize,
        key,
        stopwords,
        no_numbers: args.no_numbers,
        parts: args.parts.map_or(freq::DEFAULT_PARTS, |p| p as usize),
        ..FreqOptions::default()
    };
    let table = progress::track(&docs, |p| freq::freq_with_progress(&texts, &opts, p))
        .map_err(|e| UsageError(e.to_string()))?;
    let kept: Vec<&freq::FreqRow> = table
        .rows
        .iter()
        .filter(|r| r.count >= args.min_count)
        .collect();
    let total = kept.len();
    let shown = &kept[..args.top.unwrap_or(total).min(total)];

    let (mut out, format) = args.output.open()?;
    match format {
        Format::Csv | Format::Tsv => {
            write_delimited(&mut out, format, !args.output.raw_csv, shown)?
        }
        _ => output::write_rows(&mut out, format, &HEADERS, rows_of(shown))?,
    }
    out.finish()?;

    let mut summary = format!(
        "{}; N = {} in {}",
        output::plural(total, "term", "terms"),
        output::plural(table.words as usize, "word", "words"),
        output::plural(docs.len(), "file", "files")
    );
    if shown.len() < total {
        summary.push_str(&format!(" (showing the first {}; --top)", shown.len()));
    }
    eprintln!("{summary}");
    // Freeing a few hundred thousand rows one by one took 3% of the run; the process ends
    // here and the system takes the memory back at once.
    std::mem::forget(kept);
    std::mem::forget(table);
    Ok(ExitCode::SUCCESS)
}

/// The rows as [`output::write_rows`] takes them.
fn rows_of<'a>(shown: &'a [&'a freq::FreqRow]) -> impl Iterator<Item = Row<'a>> + 'a {
    shown.iter().enumerate().map(|(i, r)| Row {
        rank: i + 1,
        term: &r.term,
        count: r.count,
        per_million: round(r.per_million),
        range: r.range,
        dp: round(r.dp),
    })
}

/// Rows formatted by one parallel task; the blocks are written in order.
const BLOCK_ROWS: usize = 4096;

/// CSV or TSV written straight from the numbers: the same bytes as [`output::write_rows`]
/// (a test checks), without making six strings for each of a few hundred thousand rows
/// (profiling showed that taking more time than sorting them). Blocks of rows are formatted
/// in parallel, a bounded number at a time, and written in order.
fn write_delimited(
    out: &mut Out,
    format: Format,
    guard: bool,
    shown: &[&freq::FreqRow],
) -> Result<()> {
    write_blocks(out, format, guard, shown, BLOCK_ROWS)
}

fn write_blocks(
    out: &mut Out,
    format: Format,
    guard: bool,
    shown: &[&freq::FreqRow],
    block: usize,
) -> Result<()> {
    use rayon::prelude::*;
    use std::io::Write as _;
    let delimiter = if format == Format::Tsv { b'\t' } else { b',' };
    let writer = |capacity: usize| {
        csv::WriterBuilder::new()
            .has_headers(false)
            .delimiter(delimiter)
            .from_writer(Vec::with_capacity(capacity))
    };
    let mut w = writer(64);
    w.write_record(HEADERS)?;
    out.write_all(&w.into_inner().map_err(|e| e.into_error())?)?;
    // Enough blocks at a time to keep every thread busy, few enough to bound the memory.
    let batch = block * 4 * rayon::current_num_threads().max(1);
    for (b, rows) in shown.chunks(batch).enumerate() {
        let blocks: Vec<Result<Vec<u8>>> = rows
            .par_chunks(block)
            .enumerate()
            .map(|(k, rows)| {
                let mut bytes = Vec::with_capacity(rows.len() * 48);
                let (mut rank, mut count, mut range) = (
                    itoa::Buffer::new(),
                    itoa::Buffer::new(),
                    itoa::Buffer::new(),
                );
                let (mut per_million, mut dp) = (Decimal::new(), Decimal::new());
                let first = b * batch + k * block + 1;
                for (i, r) in rows.iter().enumerate() {
                    // The rows are in order of count, their terms' bytes scattered over the
                    // heap in the order they were counted: ask for one a few rows ahead.
                    if let Some(ahead) = rows.get(i + AHEAD) {
                        lectio_text::prefetch(ahead.term.as_ptr());
                    }
                    // Only a cell starting with one of these can need the guard.
                    let term = match guard && r.term.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                        true => guard_formula(&r.term),
                        false => Cow::Borrowed(r.term.as_bytes()),
                    };
                    let record = [
                        rank.format(first + i).as_bytes(),
                        &term,
                        count.format(r.count).as_bytes(),
                        decimal(&mut per_million, round(r.per_million)),
                        range.format(r.range).as_bytes(),
                        decimal(&mut dp, round(r.dp)),
                    ];
                    // Numbers never need quotes, and most terms do not: only those rows go
                    // through the csv writer (the profile showed it a third of the writing).
                    if term
                        .iter()
                        .any(|&c| matches!(c, b'"' | b'\n' | b'\r') || c == delimiter)
                    {
                        let mut w = writer(64);
                        w.write_record(record)?;
                        bytes.extend(w.into_inner().map_err(|e| e.into_error())?);
                        continue;
                    }
                    for (j, cell) in record.iter().enumerate() {
                        if j > 0 {
                            bytes.push(delimiter);
                        }
                        bytes.extend_from_slice(cell);
                    }
                    bytes.push(b'\n');
                }
                Ok(bytes)
            })
            .collect();
        for bytes in blocks {
            out.write_all(&bytes?)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Rows ahead whose term is asked for from memory while a row is written.
const AHEAD: usize = 8;

/// Room to write a number for [`decimal`].
struct Decimal {
    bytes: [u8; 32],
    ryu: ryu::Buffer,
}

impl Decimal {
    fn new() -> Self {
        Decimal {
            bytes: [0; 32],
            ryu: ryu::Buffer::new(),
        }
    }
}

/// `x`, a statistic rounded by [`round`], written as ryu (and so serde and the csv crate)
/// writes it, faster: a number K / 10⁴ below 10¹¹ is its own shortest round-trip decimal (no
/// other number with at most four decimals is as close to it), so it is the integer part, a
/// dot and the four decimals without their trailing zeros ("1.0", "0.0029"). Other values go
/// to ryu. A test checks both against ryu.
fn decimal(buf: &mut Decimal, x: f64) -> &[u8] {
    if !(0.0..1e11).contains(&x) {
        return buf.ryu.format(x).as_bytes();
    }
    let k = (x * 1e4).round() as u64;
    let mut int = itoa::Buffer::new();
    let int = int.format(k / 10_000).as_bytes();
    let mut frac = k % 10_000;
    let mut digits = 4;
    while digits > 1 && frac.is_multiple_of(10) {
        frac /= 10;
        digits -= 1;
    }
    let n = int.len();
    buf.bytes[..n].copy_from_slice(int);
    buf.bytes[n] = b'.';
    for d in (0..digits).rev() {
        buf.bytes[n + 1 + d] = b'0' + (frac % 10) as u8;
        frac /= 10;
    }
    &buf.bytes[..n + 1 + digits]
}

/// Rounds a reported statistic to 4 decimal places (and -0 to 0), so that every format
/// shows the same, readable value; infinities are kept.
pub(crate) fn round(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let r = (x * 1e4).round() / 1e4;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// The stop word set `--stopwords` asks for: the Snowball English list for `english`,
/// else the words of a file (whitespace-separated; `#` or `|` starts a comment).
///
/// The file is read as every input is (with `--lossy`, `--binary` and `-r`), but an error
/// stops the run even with `--keep-going`, and names the file as the stop word list. The
/// byte order mark (U+FEFF) separates words like whitespace: a file's leading BOM made
/// its first word "\u{FEFF}the", which no word of a text is.
pub(crate) fn stopwords(
    arg: Option<&PathBuf>,
    key: KeyOptions,
    load: LoadArgs,
) -> Result<HashSet<String>> {
    let Some(path) = arg else {
        return Ok(HashSet::new());
    };
    if path.as_os_str() == "english" {
        return Ok(freq::stopword_set(ENGLISH_STOPWORDS.iter().copied(), key));
    }
    let load = LoadArgs {
        keep_going: false,
        ..load
    };
    let docs = input::load(std::slice::from_ref(path), load).context("--stopwords")?;
    // With -r, a directory gives several files: all their words are stop words.
    let words = docs
        .iter()
        .flat_map(|d| d.as_str().lines())
        .flat_map(|line| {
            line.split(['#', '|'])
                .next()
                .unwrap_or("")
                .split(|c: char| c.is_whitespace() || c == '\u{FEFF}')
                .filter(|w| !w.is_empty())
        });
    Ok(freq::stopword_set(words, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_as_ryu_writes_them() {
        let mut buf = Decimal::new();
        let mut check = |x: f64| {
            let x = round(x);
            let want = ryu::Buffer::new().format(x).to_string();
            assert_eq!(
                std::str::from_utf8(decimal(&mut buf, x)).unwrap(),
                want,
                "{x}"
            );
        };
        for k in 0..200_000u64 {
            check(k as f64 / 1e4);
        }
        let mut z = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..200_000 {
            z ^= z << 13;
            z ^= z >> 7;
            z ^= z << 17;
            // Any magnitude from 1e-6 to 1e12, and whole numbers of four decimals.
            let x = (z >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi((z % 19) as i32 - 6);
            check(x);
            check((z % 100_000_000_000_000) as f64 / 1e4);
        }
        for x in [
            0.0,
            -0.0,
            1.0,
            0.5,
            1e6,
            99_999_999_999.999_9,
            1e11,
            1e21,
            -1.0,
        ] {
            check(x);
        }
        for x in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
            assert_eq!(
                decimal(&mut buf, x),
                ryu::Buffer::new().format(x).as_bytes()
            );
        }
    }

    #[test]
    fn delimited_rows_are_the_bytes_the_generic_writer_gives() {
        let row = |term: &str, count, per_million, dp| freq::FreqRow {
            term: term.into(),
            count,
            per_million,
            range: 2,
            dp,
        };
        let rows = [
            row("the", 506, 82236.30749227, 0.0528),
            row("1,000", 3, 487.5670, 1.0),
            row("=cmd", 2, 0.1, 0.0),
            row("quote\"d", 1, 1e21, -0.0),
            row("-5", 1, 3.0, 0.99999),
            row("line\nbreak", 1, 3.0, 0.5),
            row("tab\there", 1, 3.0, 0.5),
        ];
        let shown: Vec<&freq::FreqRow> = rows.iter().collect();
        let dir = tempfile::tempdir().unwrap();
        for format in [Format::Csv, Format::Tsv] {
            for guard in [true, false] {
                let (fast, slow) = (dir.path().join("fast"), dir.path().join("slow"));
                let mut out = Out::create(Some(&fast)).unwrap();
                // Blocks of two rows: several blocks, in several batches.
                write_blocks(&mut out, format, guard, &shown, 2).unwrap();
                out.finish().unwrap();
                let mut out = Out::create(Some(&slow)).unwrap();
                out.raw_csv = !guard;
                output::write_rows(&mut out, format, &HEADERS, rows_of(&shown)).unwrap();
                out.finish().unwrap();
                assert_eq!(
                    std::fs::read_to_string(fast).unwrap(),
                    std::fs::read_to_string(slow).unwrap(),
                    "{format:?}, guard {guard}"
                );
            }
        }
    }
}
