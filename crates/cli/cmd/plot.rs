//! `lectio plot`: a dispersion ("barcode") plot of queries across texts, as SVG.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use lectio_concord::dispersion::{self, DispersionRow};

use crate::cmd::{parse_query, UsageError};
use crate::input::{self, KeyArgs, LoadArgs};
use crate::output::{self, Out};
use crate::progress;

const EXAMPLES: &str = "\
Examples:
  lectio plot Stalin Khrushchev -o names.svg        two rows for the embedded essay
  lectio plot 'single party' 'monolith*' a.txt b.txt -o plot.svg
  lectio plot party -- party.txt -o plot.svg         after --, every argument is a file

Arguments are queries up to the first one that is - or names an existing file (or has a
path separator in it); that one and the rest are files. After --, all are files.
The SVG has one row per file and query: a tick at each hit's relative position
(word index / number of words in the file), the file and query on the left and the
number of hits on the right.";

/// Dispersion plot: where each QUERY occurs in each text, drawn as a self-contained SVG.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Queries (as in kwic: words, phrases, globs, or regexes with --regex), then the texts
    /// to read [default: the embedded essay].
    #[arg(required = true, value_name = "QUERY|FILE")]
    args: Vec<String>,
    /// Texts, after --.
    #[arg(last = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Read each word of a query as a regular expression matched against whole keys.
    #[arg(long)]
    regex: bool,
    /// Write the SVG to FILE (atomically) instead of stdout (`-`: stdout).
    #[arg(short, long, value_name = "FILE.svg")]
    output: Option<PathBuf>,
    #[command(flatten)]
    keys: KeyArgs,
    #[command(flatten)]
    load: LoadArgs,
}

/// Splits the positional arguments into queries and files (see EXAMPLES).
fn split_args(args: &[String], after_dashes: &[PathBuf]) -> (Vec<String>, Vec<PathBuf>) {
    let is_file = |a: &String| {
        a == "-"
            || a.contains(std::path::MAIN_SEPARATOR)
            || a.contains('/')
            || Path::new(a).exists()
    };
    // The first argument is always a query.
    let cut = args
        .iter()
        .skip(1)
        .position(is_file)
        .map_or(args.len(), |i| i + 1);
    let queries = args[..cut].to_vec();
    let mut files: Vec<PathBuf> = args[cut..].iter().map(PathBuf::from).collect();
    files.extend(after_dashes.iter().cloned());
    (queries, files)
}

/// Runs `lectio plot`.
pub fn run(args: Args) -> Result<ExitCode> {
    let to_stdout = args.output.as_deref().is_none_or(crate::output::is_stdout);
    if to_stdout && std::io::stdout().is_terminal() {
        return Err(UsageError(
            "plot writes SVG: give -o FILE.svg, or redirect standard output".into(),
        )
        .into());
    }
    let (query_args, files) = split_args(&args.args, &args.files);
    let queries = query_args
        .iter()
        .map(|q| parse_query(q, args.regex, args.keys))
        .collect::<Result<Vec<_>, _>>()?;
    let docs = input::load(&files, args.load)?;
    let texts: Vec<&str> = docs.iter().map(|d| d.as_str()).collect();
    // Each text is read once per query and once more to count its words.
    let rows = progress::track_passes(&docs, queries.len() as u64 + 1, |p| {
        dispersion::dispersion_with_progress(&texts, &queries, p)
    });
    let names: Vec<&str> = docs.iter().map(|d| d.name()).collect();
    let mut out = Out::create(args.output.as_deref())?;
    // Streamed, not made whole first: a word with millions of hits makes an SVG of
    // hundreds of megabytes (one tick each).
    let mut sink = Sink {
        out: &mut out,
        error: None,
    };
    render(&mut sink, &rows, &names, &query_args);
    if let Some(e) = sink.error {
        return Err(e.into());
    }
    out.finish()?;

    for (qi, q) in query_args.iter().enumerate() {
        let hits: usize = rows
            .iter()
            .filter(|r| r.query == qi)
            .map(|r| r.hits.len())
            .sum();
        let files_with = rows
            .iter()
            .filter(|r| r.query == qi && !r.hits.is_empty())
            .count();
        eprintln!(
            "{q:?}: {} in {}",
            output::plural(hits, "hit", "hits"),
            output::plural(files_with, "file", "files")
        );
        if hits == 0 && q.contains('.') && !q.contains(' ') {
            eprintln!(
                "lectio: warning: {q:?} was read as a query; if it is a file, it does not exist"
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Geometry of the plot, in SVG user units (px).
const ROW_H: f64 = 26.0;
const TICK_H: f64 = 18.0;
const PLOT_W: f64 = 640.0;
const MARGIN: f64 = 16.0;
const HEADER_H: f64 = 40.0;
const AXIS_H: f64 = 36.0;
const CHAR_W: f64 = 7.2;
const GAP: f64 = 14.0;

/// Rough width of `s` in the 12px sans-serif font used for labels.
fn text_width(s: &str) -> f64 {
    s.chars().count() as f64 * CHAR_W
}

/// Escapes text for XML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids (C0 controls other than tab/newline/CR, and the
            // lossy-load placeholder) are shown as U+FFFD.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Formats a coordinate with at most two decimals.
fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// Formatted text written to a report; the first write error is kept (and nothing more is
/// written), since `std::fmt::Write` can only say that one happened.
struct Sink<'a> {
    out: &'a mut Out,
    error: Option<std::io::Error>,
}

impl std::fmt::Write for Sink<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.error.is_some() {
            return Err(std::fmt::Error);
        }
        self.out.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

/// Draws the rows as a self-contained SVG document, written to `w`.
fn render(w: &mut impl std::fmt::Write, rows: &[DispersionRow], docs: &[&str], queries: &[String]) {
    let hits_label = |n: usize| output::plural(n, "hit", "hits");
    let file_w = docs.iter().map(|d| text_width(d)).fold(0.0, f64::max);
    let query_w = queries.iter().map(|q| text_width(q)).fold(0.0, f64::max);
    let count_w = rows
        .iter()
        .map(|r| text_width(&hits_label(r.hits.len())))
        .fold(text_width("0 hits"), f64::max);
    let query_x = MARGIN + file_w + GAP;
    let plot_x = query_x + query_w + GAP;
    let width = plot_x + PLOT_W + GAP + count_w + MARGIN;
    let height = HEADER_H + rows.len() as f64 * ROW_H + AXIS_H;
    let plot_bottom = HEADER_H + rows.len() as f64 * ROW_H;

    let _ = writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        w,
        r##"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{0}" height="{1}" viewBox="0 0 {0} {1}" font-family="Helvetica, Arial, sans-serif" font-size="12">"##,
        num(width),
        num(height)
    );
    let _ = writeln!(w, "<title>lectio dispersion plot</title>");
    let _ = writeln!(
        w,
        r##"<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##,
        num(width),
        num(height)
    );
    let _ = writeln!(
        w,
        r##"<text x="{}" y="24" font-size="14" font-weight="bold" fill="#222222">Dispersion: relative position of each hit (word index / words in the file)</text>"##,
        num(MARGIN)
    );
    for (i, row) in rows.iter().enumerate() {
        let top = HEADER_H + i as f64 * ROW_H;
        let mid = top + ROW_H / 2.0;
        let tick_top = mid - TICK_H / 2.0;
        let doc = docs[row.doc];
        let query = &queries[row.query];
        let _ = writeln!(
            w,
            r#"<g class="row" data-file="{}" data-query="{}" data-hits="{}" data-words="{}">"#,
            esc(doc),
            esc(query),
            row.hits.len(),
            row.words
        );
        let _ = writeln!(
            w,
            r##"<text class="file" x="{}" y="{}" dominant-baseline="middle" fill="#666666">{}</text>"##,
            num(MARGIN),
            num(mid),
            esc(doc)
        );
        let _ = writeln!(
            w,
            r##"<text class="query" x="{}" y="{}" dominant-baseline="middle" fill="#111111">{}</text>"##,
            num(query_x),
            num(mid),
            esc(query)
        );
        let _ = writeln!(
            w,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#f5f5f5" stroke="#999999" stroke-width="0.5"/>"##,
            num(plot_x),
            num(tick_top),
            num(PLOT_W),
            num(TICK_H)
        );
        for (&hit, pos) in row.hits.iter().zip(row.positions()) {
            let x = num(plot_x + pos * PLOT_W);
            let _ = writeln!(
                w,
                r##"<line class="hit" x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#1f4e79" stroke-width="1"><title>word {} of {} ({:.1}%)</title></line>"##,
                num(tick_top),
                num(tick_top + TICK_H),
                hit + 1,
                row.words,
                pos * 100.0
            );
        }
        let _ = writeln!(
            w,
            r##"<text class="count" x="{}" y="{}" dominant-baseline="middle" fill="#111111">{}</text>"##,
            num(plot_x + PLOT_W + GAP),
            num(mid),
            hits_label(row.hits.len())
        );
        let _ = writeln!(w, "</g>");
    }
    // The axis: 0 %, 25 %, ..., 100 % of each text.
    let _ = writeln!(w, r##"<g class="axis" fill="#444444" stroke="#444444">"##);
    for k in 0..=4 {
        let x = num(plot_x + PLOT_W * k as f64 / 4.0);
        let _ = writeln!(
            w,
            r#"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke-width="0.5"/>"#,
            num(plot_bottom),
            num(plot_bottom + 5.0)
        );
        let _ = writeln!(
            w,
            r#"<text x="{x}" y="{}" text-anchor="middle" stroke="none">{}%</text>"#,
            num(plot_bottom + 18.0),
            k * 25
        );
    }
    let _ = writeln!(w, "</g>");
    let _ = writeln!(w, "</svg>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_end_at_the_first_file_like_argument() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let (q, f) = split_args(&s(&["party", "Stalin"]), &[]);
        assert_eq!((q.len(), f.len()), (2, 0));
        let (q, f) = split_args(&s(&["party", "texts/x.txt", "y"]), &[]);
        assert_eq!(q, ["party"]);
        assert_eq!(f, [PathBuf::from("texts/x.txt"), PathBuf::from("y")]);
        let (q, f) = split_args(&s(&["-", "-"]), &[PathBuf::from("z")]);
        assert_eq!(q, ["-"]);
        assert_eq!(f, [PathBuf::from("-"), PathBuf::from("z")]);
    }

    #[test]
    fn escaping_and_numbers() {
        assert_eq!(
            esc("a<b & \"c\"\u{1A}"),
            "a&lt;b &amp; &quot;c&quot;\u{FFFD}"
        );
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.35");
        assert_eq!(num(0.5), "0.5");
    }
}
