//! `lectio keyness`: terms unusually frequent or rare in target texts against reference texts.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use lectio_concord::freq::FreqOptions;
use lectio_concord::keyness::{self, KeynessError};
use serde::Serialize;

use crate::cmd::freq::{round, stopwords, MAX_NGRAM};
use crate::cmd::UsageError;
use crate::input::{self, KeyArgs, LoadArgs};
use crate::output::{self, OutputArgs};
use crate::progress;

const EXAMPLES: &str = "\
Examples:
  lectio keyness speech.txt --reference essay.txt
  lectio keyness a.txt b.txt --reference r1.txt r2.txt --min-count 5 --top 20
  lectio keyness new.txt --reference old.txt --ngram 2 --format csv -o key-bigrams.csv

CSV columns: term,target_count,reference_count,target_per_million,reference_per_million,
ll,log_ratio,percent_diff
(a, b = counts in target and reference; c, d = their sizes in words;
ll = 2 (a ln(a/E1) + b ln(b/E2)), E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d), negative when
the term is relatively rarer in the target; log_ratio = log2((a/c)/(b/d)), 0.5 for a zero
count; percent_diff = 100 (a/c - b/d) / (b/d), `inf` (JSON: null) when b = 0)";

/// Keyness: compares term frequencies in TARGET texts with those in reference texts
/// (log-likelihood, log ratio, %DIFF).
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Target texts; - reads stdin.
    #[arg(required = true, value_name = "TARGET")]
    targets: Vec<PathBuf>,
    /// Reference texts (one or more).
    #[arg(long, value_name = "REF", required = true, num_args = 1..)]
    reference: Vec<PathBuf>,
    /// Leave out terms whose combined count (target + reference) is below N.
    #[arg(long, value_name = "N", default_value_t = 1)]
    min_count: u64,
    /// Print only the first N rows (the number of terms is still reported).
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Compare word n-grams of N words (1 to 32; never across a sentence end or paragraph
    /// break).
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u64).range(1..=MAX_NGRAM))]
    ngram: u64,
    /// Leave out stop words: `english` (Snowball list) or a FILE, as in `lectio freq`.
    #[arg(long, value_name = "english|FILE")]
    stopwords: Option<PathBuf>,
    /// Leave out numbers (words without a letter) and n-grams containing one.
    #[arg(long)]
    no_numbers: bool,
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
    term: &'a str,
    target_count: u64,
    reference_count: u64,
    target_per_million: f64,
    reference_per_million: f64,
    ll: f64,
    log_ratio: f64,
    /// Infinite when the reference count is 0: `inf` in CSV/TSV, null in JSON.
    percent_diff: f64,
}

const HEADERS: [&str; 8] = [
    "term",
    "target_count",
    "reference_count",
    "target_per_million",
    "reference_per_million",
    "ll",
    "log_ratio",
    "percent_diff",
];

impl Args {
    /// The n of the n-grams counted (1: single words).
    pub(crate) fn ngram(&self) -> u64 {
        self.ngram
    }
}

/// Runs `lectio keyness`.
pub fn run(args: Args) -> Result<ExitCode> {
    let stdin_uses = args
        .targets
        .iter()
        .chain(&args.reference)
        .filter(|p| p.as_os_str() == "-")
        .count();
    if stdin_uses > 1 {
        return Err(UsageError("standard input (-) can be read only once".into()).into());
    }
    let key = args.keys.options();
    let opts = FreqOptions {
        ngram: args.ngram as usize,
        key,
        stopwords: stopwords(args.stopwords.as_ref(), key, args.load)?,
        no_numbers: args.no_numbers,
        ..FreqOptions::default()
    };
    // One list, target first, so that one progress bar (and the release of what has been
    // read) covers both corpora.
    let mut docs = input::load(&args.targets, args.load)?;
    let targets = docs.len();
    docs.extend(input::load(&args.reference, args.load)?);
    let (target, reference) = docs.split_at(targets);
    let t: Vec<&str> = target.iter().map(|d| d.as_str()).collect();
    let r: Vec<&str> = reference.iter().map(|d| d.as_str()).collect();
    let table = progress::track(&docs, |p| {
        keyness::keyness_with_progress(&t, &r, &opts, args.min_count, p)
    })
    .map_err(|e| match e {
        KeynessError::Freq(e) => anyhow::Error::from(UsageError(e.to_string())),
        other => other.into(),
    })?;
    let total = table.rows.len();
    let shown = &table.rows[..args.top.unwrap_or(total).min(total)];

    let (mut out, format) = args.output.open()?;
    let rows = shown.iter().map(|r| Row {
        term: &r.term,
        target_count: r.target_count,
        reference_count: r.reference_count,
        target_per_million: round(r.target_per_million),
        reference_per_million: round(r.reference_per_million),
        ll: round(r.ll),
        log_ratio: round(r.log_ratio),
        percent_diff: round(r.percent_diff),
    });
    output::write_rows(&mut out, format, &HEADERS, rows)?;
    out.finish()?;

    let mut summary = format!(
        "{}; target: {} in {}, reference: {} in {}",
        output::plural(total, "term", "terms"),
        output::plural(table.target_words as usize, "word", "words"),
        output::plural(target.len(), "file", "files"),
        output::plural(table.reference_words as usize, "word", "words"),
        output::plural(reference.len(), "file", "files"),
    );
    if shown.len() < total {
        summary.push_str(&format!(" (showing the first {}; --top)", shown.len()));
    }
    eprintln!("{summary}");
    Ok(ExitCode::SUCCESS)
}
