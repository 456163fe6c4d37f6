//! `lectio kwic`: keyword-in-context listings.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anstyle::{AnsiColor, Style};
use anyhow::Result;
use clap::builder::RangedU64ValueParser;
use lectio_concord::kwic::{self, Context, Hit, SortKey};
use lectio_diff::bitext;
use lectio_text::{Document, Opened, Progress};
use rayon::prelude::*;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::cmd::{parse_query, UsageError};
use crate::input::{self, KeyArgs, LoadArgs};
use crate::output::{self, Format, Out, OutputArgs};
use crate::progress;

const EXAMPLES: &str = "\
Examples:
  lectio kwic monolithic                   the three hits in the embedded essay
  lectio kwic 'single party' --words 5     a phrase, five words of context
  lectio kwic 'Stalin*' --sort R1,R2       a glob, sorted on the words after the hit
  lectio kwic --regex 'stalin(ism|ist)' a.txt b.txt --format csv -o hits.csv

  lectio kwic monolithic texts/deutscher-1956-khrushchev-on-stalin.txt \
      --parallel texts/deutscher-1956-khrushchev-on-stalin.de.txt

CSV columns: doc,line,column,start,end,left,match,right
(start/end: byte offsets of the hit in the file; file[start..end] is exactly `match`)
with --parallel, also: parallel_start,parallel_end,parallel_text (the aligned sentence
of the translation, byte offsets into the translation file)";

/// The most words of context `--words` takes on each side: pages of text, far more than
/// a concordance line shows (WordSmith keeps 1,000 characters of each line), and a bound
/// on what each hit holds in memory (about 12 KB). A larger number used to reach the
/// library unchecked: `usize::MAX` overflowed a capacity.
const MAX_WORDS: u64 = 1000;

/// The most characters of context `--chars` takes on each side (about as much text as
/// [`MAX_WORDS`] words).
const MAX_CHARS: u64 = 10_000;

/// Keyword in context: every occurrence of QUERY, with its surroundings.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// A word, a phrase ("single party"), a glob (monolith*, wom?n) or, with --regex,
    /// regular expressions over keys, one per word.
    query: String,
    /// Texts to search; - reads stdin [default: the embedded essay].
    files: Vec<PathBuf>,
    /// Read each word of QUERY as a regular expression matched against whole keys.
    #[arg(long)]
    regex: bool,
    /// Words of context on each side (0 to 1000).
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = RangedU64ValueParser::<usize>::new().range(0..=MAX_WORDS))]
    words: usize,
    /// Characters of context on each side, instead of words (0 to 10000).
    #[arg(long, value_name = "N", conflicts_with = "words",
          value_parser = RangedU64ValueParser::<usize>::new().range(0..=MAX_CHARS))]
    chars: Option<usize>,
    /// Sort by up to three keys from L3, L2, L1, MATCH, R1, R2, R3, POS, comma-separated,
    /// each once [default: POS].
    // One value a flag (clap's num_args counts values before the commas are split, and
    // 1..=3 took the FILE after `--sort R1` for a key); the keys are counted in `run`.
    #[arg(long, value_name = "KEYS", value_delimiter = ',')]
    sort: Vec<SortKey>,
    /// Show under each hit the aligned sentence of this translation of FILE (one FILE only).
    #[arg(long, value_name = "TRANSLATION")]
    parallel: Option<PathBuf>,
    /// Print at most N hits (the total is still reported).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
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
    doc: &'a str,
    line: usize,
    column: usize,
    start: usize,
    end: usize,
    left: &'a str,
    #[serde(rename = "match")]
    matched: &'a str,
    right: &'a str,
}

impl<'a> Row<'a> {
    fn new(h: &'a Hit, doc: &'a str) -> Self {
        Row {
            doc,
            line: h.line,
            column: h.column,
            start: h.start,
            end: h.end,
            left: &h.left,
            matched: &h.matched,
            right: &h.right,
        }
    }
}

const HEADERS: [&str; 8] = [
    "doc", "line", "column", "start", "end", "left", "match", "right",
];

/// A row with the aligned sentence of the translation after the kwic columns.
#[derive(Serialize)]
struct ParallelRow<'a> {
    #[serde(flatten)]
    hit: Row<'a>,
    parallel_start: usize,
    parallel_end: usize,
    parallel_text: &'a str,
}

const PARALLEL_HEADERS: [&str; 11] = [
    "doc",
    "line",
    "column",
    "start",
    "end",
    "left",
    "match",
    "right",
    "parallel_start",
    "parallel_end",
    "parallel_text",
];

/// The first `limit` hits in text order, the number of all hits and the number of files
/// with hits, from where every hit starts (`starts`, by file). Concordance lines are made
/// only for the first ones (searching only the part of each text that holds them): for a
/// frequent word in a large corpus the lines are nearly all the time and memory (4.3
/// million hits in 1 GB: 15.7 s and 4 GB with every line made).
fn first_hits(
    docs: &[lectio_text::Document],
    starts: &[Vec<usize>],
    query: &lectio_concord::query::Query,
    context: Context,
    limit: usize,
) -> (Vec<Hit>, usize, usize) {
    let total = starts.iter().map(Vec::len).sum();
    let files = starts.iter().filter(|s| !s.is_empty()).count();
    let mut hits = Vec::new();
    for (i, starts) in starts.iter().enumerate() {
        let wanted = (limit - hits.len()).min(starts.len());
        if wanted == 0 {
            continue;
        }
        let end = starts[wanted - 1] + 1;
        hits.extend(kwic::search_before(
            i,
            docs[i].as_str(),
            query,
            context,
            end,
        ));
        if hits.len() == limit {
            break;
        }
    }
    (hits, total, files)
}

/// The first `limit` hits in the order of `keys`, the number of all hits and the number of
/// files with hits: each file keeps only its first `limit` hits as it is searched
/// ([`kwic::search_sorted_with_progress`]), and the files' lists are merged. Sorting every
/// line first had held them all (a word with 4.3 million hits in 1 GB: 28 s and 4 GB).
fn first_sorted_hits(
    docs: &[lectio_text::Document],
    query: &lectio_concord::query::Query,
    context: Context,
    keys: &[SortKey],
    limit: usize,
) -> (Vec<Hit>, usize, usize) {
    let per_doc: Vec<(Vec<Hit>, usize)> = progress::track(docs, |p| {
        docs.par_iter()
            .enumerate()
            .map(|(i, doc)| {
                kwic::search_sorted_with_progress(i, doc.as_str(), query, context, keys, limit, p)
            })
            .collect()
    });
    let total = per_doc.iter().map(|d| d.1).sum();
    let files = per_doc.iter().filter(|d| d.1 > 0).count();
    let mut hits: Vec<Hit> = per_doc.into_iter().flat_map(|d| d.0).collect();
    kwic::sort(&mut hits, keys);
    hits.truncate(limit);
    (hits, total, files)
}

/// `per_doc` of every file, and the documents. A file that is memory-mapped is checked as
/// UTF-8 in the search's own pass ([`kwic::locate`]), so that it is read from memory once;
/// `per_doc` then reads only the lines that can hold a hit, given the file's
/// [`kwic::Located`] (`None` for a file that was read and checked whole).
fn located_pass<T: Send>(
    (opened, total): (Vec<Result<Opened>>, usize),
    load: LoadArgs,
    query: &lectio_concord::query::Query,
    per_doc: impl Fn(usize, &Document, Option<kwic::Located>, &dyn Progress) -> T + Sync,
) -> Result<(Vec<Document>, Vec<T>)> {
    // A checked file is searched once, an unchecked one in two passes.
    let sizes = opened
        .iter()
        .map(|o| match o {
            Ok(Opened::Ready(doc)) => doc.as_str().len() as u64,
            Ok(Opened::Unchecked(text)) => 2 * text.bytes().len() as u64,
            Err(_) => 0,
        })
        .collect();
    progress::track_sizes(sizes, ("file", "files"), |p| {
        let located: Vec<Option<kwic::Located>> = opened
            .par_iter()
            .enumerate()
            .map(|(i, o)| match o {
                Ok(Opened::Unchecked(text)) => {
                    let located = kwic::locate(i, text, query, p);
                    if located.is_none() {
                        // Searched again in one pass, as a checked file.
                        p.advance(i, text.bytes().len() as u64);
                    }
                    located
                }
                _ => None,
            })
            .collect();
        let opened = opened.into_iter().zip(located.into_iter().enumerate());
        let kept = input::finish(opened.collect(), total, load)?;
        let (docs, placed): (Vec<Document>, Vec<_>) = kept.into_iter().unzip();
        let (was, located): (Vec<usize>, Vec<_>) = placed.into_iter().unzip();
        let p = Renumbered {
            docs: &docs,
            was: &was,
            progress: p,
        };
        let found = docs
            .par_iter()
            .zip(located)
            .enumerate()
            .map(|(i, (doc, located))| per_doc(i, doc, located, &p))
            .collect();
        Ok((docs, found))
    })
}

/// The progress of the documents that remain after `--keep-going` skipped some: document
/// `i` was number `was[i]` for the progress bar; its pages are released from `docs[i]`.
struct Renumbered<'a> {
    docs: &'a [Document],
    was: &'a [usize],
    progress: &'a dyn Progress,
}

impl Progress for Renumbered<'_> {
    fn release(&self, doc: usize, range: std::ops::Range<usize>) {
        self.docs[doc].release(range);
    }

    fn advance(&self, doc: usize, bytes: u64) {
        self.progress.advance(self.was[doc], bytes);
    }
}

/// Runs `lectio kwic`.
pub fn run(args: Args) -> Result<ExitCode> {
    check_sort(&args.sort)?;
    let query = parse_query(&args.query, args.regex, args.keys)?;
    let context = match args.chars {
        Some(n) => Context::Chars(n),
        None => Context::Words(args.words),
    };
    if args.parallel.is_some() && args.files.len() > 1 {
        return Err(
            UsageError("--parallel takes exactly one FILE and its translation".into()).into(),
        );
    }
    // The translation is loaded after the texts are opened and before they are searched,
    // so that an error in either is reported before the search.
    let load_translation = || -> Result<Option<Document>> {
        Ok(match &args.parallel {
            Some(path) => Some(input::load(std::slice::from_ref(path), args.load)?.remove(0)),
            None => None,
        })
    };
    let translation;
    let (docs, (mut hits, total, files_with_hits)) = match (args.limit, args.sort.is_empty()) {
        (None, _) => {
            let opened = input::open(&args.files, args.load, true)?;
            translation = load_translation()?;
            let (docs, per_doc) = located_pass(opened, args.load, &query, |i, doc, located, p| {
                let text = doc.as_str();
                match located {
                    Some(l) => kwic::search_located(i, text, l, &query, context, p),
                    None => kwic::search_with_progress(i, text, &query, context, p),
                }
            })?;
            let files_with_hits = per_doc.iter().filter(|h| !h.is_empty()).count();
            let mut hits: Vec<Hit> = per_doc.into_iter().flatten().collect();
            if !args.sort.is_empty() {
                kwic::sort(&mut hits, &args.sort);
            }
            let total = hits.len();
            (docs, (hits, total, files_with_hits))
        }
        (Some(limit), true) => {
            let opened = input::open(&args.files, args.load, true)?;
            translation = load_translation()?;
            let (docs, starts) = located_pass(opened, args.load, &query, |i, doc, located, p| {
                let text = doc.as_str();
                match located {
                    Some(l) => kwic::find_located(i, text, l, &query, p),
                    None => kwic::find_with_progress(i, text, &query, p),
                }
            })?;
            let found = first_hits(&docs, &starts, &query, context, limit);
            (docs, found)
        }
        (Some(limit), false) => {
            let docs = input::load(&args.files, args.load)?;
            translation = load_translation()?;
            let found = first_sorted_hits(&docs, &query, context, &args.sort, limit);
            (docs, found)
        }
    };
    for h in hits.iter_mut() {
        if docs[h.doc].replaced_bytes() > 0 {
            show_replacements(h);
        }
    }
    let shown = &hits[..args.limit.unwrap_or(total).min(total)];

    // The aligned sentence of the translation for each shown hit.
    let parallel: Option<Vec<(usize, usize)>> = translation.as_ref().map(|t| {
        let pair = [docs[0].as_str(), t.as_str()];
        let alignment = progress::track_sizes(
            pair.iter().map(|s| s.len() as u64).collect(),
            ("file", "files"),
            |p| bitext::align_with_progress(pair[0], pair[1], p),
        );
        shown
            .iter()
            .map(|h| {
                alignment
                    .sentence_for_source(h.start)
                    .map_or((0, 0), |l| l.target)
            })
            .collect()
    });

    let (mut out, format) = args.output.open()?;
    let row = |h| Row::new(h, docs[h.doc].name());
    match (format, &parallel, &translation) {
        (Format::Table, _, _) => {
            let par_text = |i: usize| -> Option<String> {
                let (p, t) = (parallel.as_ref()?, translation.as_ref()?);
                Some(kwic::collapse(&t.display(p[i].0, p[i].1)))
            };
            write_view(&mut out, shown, |h| docs[h.doc].name(), par_text)?
        }
        (_, Some(spans), Some(t)) => {
            let texts: Vec<_> = spans.iter().map(|&(a, b)| t.display(a, b)).collect();
            let rows = shown
                .iter()
                .zip(spans)
                .zip(&texts)
                .map(|((h, &(a, b)), text)| ParallelRow {
                    hit: row(h),
                    parallel_start: a,
                    parallel_end: b,
                    parallel_text: text,
                });
            output::write_rows(&mut out, format, &PARALLEL_HEADERS, rows)?
        }
        _ => output::write_rows(&mut out, format, &HEADERS, shown.iter().map(row))?,
    }
    out.finish()?;

    let mut summary = format!(
        "{} in {}",
        output::plural(total, "hit", "hits"),
        output::plural(files_with_hits, "file", "files")
    );
    if shown.len() < total {
        summary.push_str(&format!(" (showing the first {}; --limit)", shown.len()));
    }
    eprintln!("{summary}");
    // The process ends here, and the system takes the memory back at once: unmapping the
    // texts one by one took 0.25 ms of kwic's 13.9 over 64 files, and freeing the hits
    // one by one 22 ms of a frequent word's 567 (README, "Performance"). Under `lectio
    // report` the texts are the embedded ones, which are not mapped.
    std::mem::forget(docs);
    std::mem::forget(hits);
    Ok(ExitCode::SUCCESS)
}

/// The most keys `--sort` takes.
const MAX_SORT_KEYS: usize = 3;

/// `--sort` takes up to three keys, each once, and none after POS (document order leaves
/// no ties for another key to break): anything else would be ignored silently.
fn check_sort(keys: &[SortKey]) -> Result<(), UsageError> {
    let names: Vec<String> = keys.iter().map(SortKey::to_string).collect();
    let given = names.join(",");
    if keys.len() > MAX_SORT_KEYS {
        return Err(UsageError(format!(
            "--sort {given}: at most {MAX_SORT_KEYS} keys, not {}",
            keys.len()
        )));
    }
    for (i, key) in keys.iter().enumerate() {
        if keys[..i].contains(key) {
            return Err(UsageError(format!(
                "--sort {given}: {} is given twice",
                names[i]
            )));
        }
        if i > 0 && keys[i - 1] == SortKey::Pos {
            return Err(UsageError(format!(
                "--sort {given}: {} after POS would never be used (POS leaves no ties)",
                names[i]
            )));
        }
    }
    Ok(())
}

/// Lossy loading marks invalid bytes with a placeholder byte; show it as U+FFFD.
fn show_replacements(hit: &mut Hit) {
    for s in [&mut hit.left, &mut hit.matched, &mut hit.right] {
        if s.contains('\u{1A}') {
            *s = s.replace('\u{1A}', "\u{FFFD}");
        }
    }
}

/// The terminal view: location, left context right-aligned, the hit, right context.
/// With a translation, its aligned sentence follows each hit on a line of its own.
fn write_view<'a>(
    out: &mut Out,
    hits: &[Hit],
    name: impl Fn(&Hit) -> &'a str,
    parallel: impl Fn(usize) -> Option<String>,
) -> Result<()> {
    // The texts' (and names') own control characters are shown, not sent to the terminal.
    let v = output::visible;
    let locs: Vec<String> = hits
        .iter()
        .map(|h| format!("{}:{}:{}", v(name(h)), h.line, h.column))
        .collect();
    let lefts: Vec<String> = hits.iter().map(|h| v(&h.left)).collect();
    let loc_w = locs.iter().map(|l| l.width()).max().unwrap_or(0);
    let left_w = lefts.iter().map(|l| l.width()).max().unwrap_or(0);
    let (loc_style, hit_style) = if out.color() {
        (
            Style::new().fg_color(Some(AnsiColor::Magenta.into())),
            Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
        )
    } else {
        (Style::new(), Style::new())
    };
    for (i, ((h, loc), left)) in hits.iter().zip(&locs).zip(&lefts).enumerate() {
        let matched = v(&kwic::collapse(&h.matched));
        let line = format!(
            "{loc_style}{loc}{loc_style:#}{}  {}{}  {hit_style}{matched}{hit_style:#}  {}",
            " ".repeat(loc_w - loc.width()),
            " ".repeat(left_w - left.width()),
            left,
            v(&h.right)
        );
        writeln!(out, "{}", line.trim_end())?;
        if let Some(text) = parallel(i) {
            writeln!(out, "{}  = {}", " ".repeat(loc_w), v(&text))?;
        }
    }
    Ok(())
}
