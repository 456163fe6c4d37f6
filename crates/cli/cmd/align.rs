//! `lectio align`: a text and its translation, paragraph by paragraph, sentence by sentence.

use std::borrow::Cow;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use lectio_diff::bitext::{self, Link};
use serde::Serialize;

use crate::input::{self, LoadArgs};
use crate::output::{self, OutputArgs};
use crate::progress;

const EXAMPLES: &str = "\
Examples:
  lectio align texts/deutscher-1956-khrushchev-on-stalin.txt texts/deutscher-1956-khrushchev-on-stalin.de.txt
  lectio align en.txt de.txt --level paragraph --format table

CSV columns: source_start,source_end,target_start,target_end,source_text,target_text,bead,cost
(byte offsets into each file; one row per bead; an empty side has start == end at the
insertion point; cost = -ln(prior x P(length difference)), Gale and Church 1993)

The cheapest alignment is found exactly up to 32,767 paragraphs (or sentences of one
paragraph group) a side; beyond, the text is first aligned in blocks of 8 paragraphs (and
those in blocks, as needed), and only pairings near that coarse path or near the diagonal
are searched, in a band widened while the best path runs near its edge (a heuristic; see
README).";

/// Align a text with its translation (Gale-Church, by length): paragraphs, then sentences.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The original text.
    source: PathBuf,
    /// Its translation.
    translation: PathBuf,
    /// Report sentence beads or paragraph beads.
    #[arg(long, value_enum, default_value = "sentence")]
    level: Level,
    #[command(flatten)]
    load: LoadArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// Which beads to report.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Level {
    Sentence,
    Paragraph,
}

/// One CSV/TSV/JSON row; the column order is part of lectio's interface.
#[derive(Serialize)]
struct Row<'a> {
    source_start: usize,
    source_end: usize,
    target_start: usize,
    target_end: usize,
    source_text: Cow<'a, str>,
    target_text: Cow<'a, str>,
    bead: String,
    cost: f64,
}

const HEADERS: [&str; 8] = [
    "source_start",
    "source_end",
    "target_start",
    "target_end",
    "source_text",
    "target_text",
    "bead",
    "cost",
];

/// Runs `lectio align`.
pub fn run(args: Args) -> Result<ExitCode> {
    let docs = input::load(&[args.source, args.translation], args.load)?;
    let (src, tgt) = (docs[0].as_str(), docs[1].as_str());
    let alignment = progress::track(&docs, |p| bitext::align_with_progress(src, tgt, p));
    let links: &[Link] = match args.level {
        Level::Sentence => &alignment.sentences,
        Level::Paragraph => &alignment.paragraphs,
    };
    let (mut out, format) = args.output.open()?;
    let rows = links.iter().map(|l| Row {
        source_start: l.source.0,
        source_end: l.source.1,
        target_start: l.target.0,
        target_end: l.target.1,
        // As in the file; lossy loading's placeholders shown as U+FFFD, as everywhere.
        source_text: docs[0].display(l.source.0, l.source.1),
        target_text: docs[1].display(l.target.0, l.target.1),
        bead: l.shape.to_string(),
        cost: round4(l.cost),
    });
    output::write_rows(&mut out, format, &HEADERS, rows)?;
    out.finish()?;
    let one_to_one = links
        .iter()
        .filter(|l| l.shape.source == 1 && l.shape.target == 1)
        .count();
    eprintln!(
        "{} ({one_to_one} 1-1)",
        output::plural(links.len(), "bead", "beads")
    );
    Ok(ExitCode::SUCCESS)
}

/// Costs to four decimals: enough to compare beads, short enough to read in a sheet.
pub fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}
