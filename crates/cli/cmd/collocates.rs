//! `lectio collocates`: the words found near a node word, with association measures.

use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

use anyhow::Result;
use lectio_concord::collocates::{self, CollocateOptions, SortBy};
use serde::Serialize;

use crate::cmd::freq::round;
use crate::cmd::{parse_query, UsageError};
use crate::input::{self, KeyArgs, LoadArgs};
use crate::output::{self, OutputArgs};
use crate::progress;

const EXAMPLES: &str = "\
Examples:
  lectio collocates party                       collocates of \"party\" in the embedded essay
  lectio collocates party --window 0,3 --by logdice
  lectio collocates 'Stalin*' a.txt b.txt --min-freq 5 --format csv -o stalin.csv

CSV columns: collocate,o11,f_collocate,f_node,mi,t,ll,logdice,e11,left,right
(o11 = co-occurrences in the windows; e11 = f_node x f_collocate x (L+R) / N;
mi = log2(o11/e11); t = (o11 - e11) / sqrt(o11); ll = G2 over the 2x2 table;
logdice = 14 + log2(2 o11 / (f_node + f_collocate)); left/right = co-occurrences on
each side; N = every word token of the texts)";

/// Collocates: the words within a window around NODE, with MI, t-score, log-likelihood
/// and logDice.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The node: one word, a glob (monolith*, wom?n) or, with --regex, a regular expression
    /// over keys.
    node: String,
    /// Texts to read; - reads stdin [default: the embedded essay].
    files: Vec<PathBuf>,
    /// Read NODE as a regular expression matched against whole keys.
    #[arg(long)]
    regex: bool,
    /// Words counted to the left and to the right of the node (`L,R`, or `N` for N,N;
    /// 0 to 1000 a side); windows never cross a paragraph break.
    #[arg(long, value_name = "L,R", default_value = "5,5")]
    window: Window,
    /// Leave out collocates co-occurring fewer than N times (o11).
    #[arg(long, value_name = "N", default_value_t = 2)]
    min_freq: u64,
    /// Sort by this measure, descending (ties by collocate).
    #[arg(long, value_enum, default_value_t = By::Ll)]
    by: By,
    /// Print only the first N rows (the number of collocates is still reported).
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(flatten)]
    load: LoadArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// The most words `--window` takes on each side. Collocation windows are a few words
/// (WordSmith allows up to 25 a side); a thousand reaches across whole paragraphs, which
/// windows never cross anyway, and keeps the measures' span L + R far below the corpus
/// sizes they are meant for (no E11 or t-score so large that it needs an exponent).
const MAX_WINDOW: usize = 1000;

/// `--window L,R`.
#[derive(Debug, Clone, Copy)]
struct Window {
    left: usize,
    right: usize,
}

impl FromStr for Window {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let num = |p: &str| {
            let p = p.trim();
            match p.parse::<usize>() {
                Ok(n) if n <= MAX_WINDOW => Ok(n),
                // Digits, too many of them (a number past usize::MAX included).
                _ if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Err(format!(
                    "a side of the window takes at most {MAX_WINDOW} words"
                )),
                _ => Err(format!(
                    "invalid window {s:?} (expected L,R such as 5,5, or N)"
                )),
            }
        };
        let (left, right) = match s.split_once(',') {
            Some((l, r)) => (num(l)?, num(r)?),
            None => (num(s)?, num(s)?),
        };
        Ok(Window { left, right })
    }
}

/// `--by`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum By {
    /// Log-likelihood (G2).
    Ll,
    /// Mutual information.
    Mi,
    /// t-score.
    T,
    /// logDice.
    Logdice,
    /// Co-occurrence count.
    O11,
}

impl From<By> for SortBy {
    fn from(b: By) -> SortBy {
        match b {
            By::Ll => SortBy::Ll,
            By::Mi => SortBy::Mi,
            By::T => SortBy::T,
            By::Logdice => SortBy::LogDice,
            By::O11 => SortBy::O11,
        }
    }
}

/// One CSV/TSV/JSON row; the column order is part of lectio's interface.
#[derive(Serialize)]
struct Row<'a> {
    collocate: &'a str,
    o11: u64,
    f_collocate: u64,
    f_node: u64,
    mi: f64,
    t: f64,
    ll: f64,
    logdice: f64,
    e11: f64,
    left: u64,
    right: u64,
}

const HEADERS: [&str; 11] = [
    "collocate",
    "o11",
    "f_collocate",
    "f_node",
    "mi",
    "t",
    "ll",
    "logdice",
    "e11",
    "left",
    "right",
];

/// Runs `lectio collocates`.
pub fn run(args: Args) -> Result<ExitCode> {
    let node = parse_query(&args.node, args.regex, args.keys)?;
    if node.terms().len() > 1 {
        return Err(UsageError(format!(
            "the node {:?} is a phrase; collocates takes a single word, glob or pattern",
            args.node
        ))
        .into());
    }
    if args.window.left + args.window.right == 0 {
        return Err(UsageError("--window 0,0 has no room for a collocate".into()).into());
    }
    let opts = CollocateOptions {
        left: args.window.left,
        right: args.window.right,
        min_freq: args.min_freq,
        by: args.by.into(),
        ..CollocateOptions::default()
    };
    let docs = input::load(&args.files, args.load)?;
    let texts: Vec<&str> = docs.iter().map(|d| d.as_str()).collect();
    let table = progress::track(&docs, |p| {
        collocates::collocates_with_progress(&texts, &node, &opts, p)
    })
    .map_err(|e| UsageError(e.to_string()))?;
    let total = table.rows.len();
    let shown = &table.rows[..args.top.unwrap_or(total).min(total)];
    // R1 = f_node × (L + R) window slots against N words: with R1 ≥ N the 2×2 table has no
    // room left outside the windows, and the scores computed from it mean nothing.
    let slots = table.f_node as u128 * (args.window.left as u128 + args.window.right as u128);
    if table.f_node > 0 && slots >= table.words as u128 {
        eprintln!(
            "lectio: warning: the node's windows hold {slots} word slots (f_node × (L + R)) but \
             the texts have {} words: the 2×2 table behind ll, mi and t does not hold, and \
             those scores mean nothing here (use a smaller --window or more text)",
            table.words
        );
    }

    let (mut out, format) = args.output.open()?;
    let rows = shown.iter().map(|r| Row {
        collocate: &r.collocate,
        o11: r.o11,
        f_collocate: r.f_collocate,
        f_node: r.f_node,
        mi: round(r.scores.mi),
        t: round(r.scores.t),
        ll: round(r.scores.ll),
        logdice: round(r.scores.logdice),
        e11: round(r.scores.e11),
        left: r.left,
        right: r.right,
    });
    output::write_rows(&mut out, format, &HEADERS, rows)?;
    out.finish()?;

    let mut summary = format!(
        "{} of {:?} ({}); N = {} in {}",
        output::plural(total, "collocate", "collocates"),
        args.node,
        output::plural(table.f_node as usize, "occurrence", "occurrences"),
        output::plural(table.words as usize, "word", "words"),
        output::plural(docs.len(), "file", "files")
    );
    if shown.len() < total {
        summary.push_str(&format!(" (showing the first {}; --top)", shown.len()));
    }
    eprintln!("{summary}");
    Ok(ExitCode::SUCCESS)
}
