//! `lectio collate`: N witnesses aligned into one table, and the apparatus.

use std::borrow::Cow;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anstyle::{AnsiColor, Style};
use anyhow::Result;
use lectio_diff::{Class, Collation, Details, Entry, Kind};
use serde::Serialize;

use crate::cmd::diff::{self, CompareArgs, DiffFormat, DiffOutputArgs};
use crate::input::LoadArgs;
use crate::output::{self, Out};

const EXAMPLES: &str = "\
Examples:
  lectio collate base.txt a.txt b.txt                       the apparatus inline, on a terminal
  lectio collate base.txt a.txt b.txt --format csv          the alignment table
  lectio collate darwin.json --base 1859 --apparatus --format csv
  lectio collate base.txt a.txt b.txt --format tei -o collation.xml

Alignment table (csv, tsv): one column per witness, headed by its name; one row per
aligned segment; an empty cell is a gap. --variants-only keeps the rows where some
witness differs from the base.
Apparatus (--apparatus; csv, tsv): id,base_line,base_start,base_end,base_text,agree,
witnesses,kind,class,detail,reading,move
(one row per distinct variant reading; base_text is base[base_start..base_end] exactly, as
in the file; `agree` lists the witnesses that read as the base, `witnesses` those that share
the reading, whose text has whitespace runs shown as one space)";

/// Collate N witnesses: every witness aligned to the base, merged into one alignment
/// table, and an apparatus with the witnesses that agree grouped.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Witness files (at least two); a CollateX JSON file (*.json) stands for all the
    /// witnesses in it.
    #[arg(required = true, value_name = "WITNESS")]
    files: Vec<PathBuf>,
    /// The witness to align the others to (a path as given, or a CollateX id)
    /// [default: the first]. Only this choice, not the order of the others, affects the
    /// result.
    #[arg(long, value_name = "NAME")]
    base: Option<String>,
    /// Write the apparatus (one row per variant reading) instead of the alignment table.
    #[arg(long)]
    apparatus: bool,
    /// In the alignment table, only the segments where some witness varies.
    #[arg(long)]
    variants_only: bool,
    #[command(flatten)]
    compare: CompareArgs,
    #[command(flatten)]
    out: DiffOutputArgs,
    #[command(flatten)]
    load: LoadArgs,
}

/// One apparatus row.
#[derive(Serialize)]
struct AppRow<'a> {
    id: usize,
    base_line: usize,
    base_start: usize,
    base_end: usize,
    /// Exactly `base[base_start..base_end]`, line breaks and all.
    base_text: Cow<'a, str>,
    agree: String,
    witnesses: String,
    kind: Option<Kind>,
    class: Option<Class>,
    detail: Details,
    /// The reading with whitespace runs as one space (witnesses whose readings differ only
    /// in whitespace share it).
    reading: &'a str,
    #[serde(rename = "move")]
    move_id: Option<&'a str>,
}

const APP_HEADERS: [&str; 12] = [
    "id",
    "base_line",
    "base_start",
    "base_end",
    "base_text",
    "agree",
    "witnesses",
    "kind",
    "class",
    "detail",
    "reading",
    "move",
];

/// A row of the alignment table: one cell per witness (serialized as a tuple, a flat row).
struct TableRow<'a>(Vec<&'a str>);

impl Serialize for TableRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let mut t = s.serialize_tuple(self.0.len())?;
        for cell in &self.0 {
            t.serialize_element(cell)?;
        }
        t.end()
    }
}

/// The JSON report: witnesses, table and apparatus together.
#[derive(Serialize)]
struct JsonReport<'a> {
    base: &'a str,
    witnesses: &'a [String],
    table: Vec<Vec<&'a str>>,
    apparatus: Vec<AppRow<'a>>,
}

/// Runs `lectio collate`.
pub fn run(args: Args) -> Result<ExitCode> {
    let opts = args.compare.options()?;
    let loaded = diff::load_witnesses(&args.files, args.load, 2)?;
    let base = loaded.find(args.base.as_deref())?;
    let list = loaded.list();
    let mut collation = diff::collate_tracked(&list, base, &opts)?;
    // Only the U+001A of files that had bytes replaced are lossy loading's placeholders
    // (shown as U+FFFD); another file's U+001A is its own character.
    let marks = loaded.placeholders();
    if marks.contains(&true) {
        for seg in &mut collation.segments {
            for (cell, _) in seg.cells.iter_mut().zip(&marks).filter(|(_, &m)| m) {
                diff::show_replacements(&mut cell.text);
            }
        }
    }
    let entries = collation.apparatus();
    let (mut out, format) = args.out.open()?;
    let names = &collation.witnesses;
    let join = |ws: &[usize]| {
        ws.iter()
            .map(|&x| names[x].as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    // The lemma as it stands in the base file, so that base[base_start..base_end] is exactly
    // base_text (the cells' text has its whitespace collapsed, for the table).
    let base_text = list[base].text;
    let lemma = |start: usize, end: usize| -> Cow<'_, str> {
        let s = &base_text[start..end];
        if marks[base] && s.contains('\u{1A}') {
            let mut s = s.to_string();
            diff::show_replacements(&mut s);
            Cow::Owned(s)
        } else {
            Cow::Borrowed(s)
        }
    };
    let app_rows = || -> Vec<AppRow<'_>> {
        let mut rows = Vec::new();
        for e in &entries {
            let b = &collation.segments[e.segment].cells[base];
            for r in &e.readings {
                rows.push(AppRow {
                    id: rows.len() + 1,
                    base_line: b.line,
                    base_start: b.start,
                    base_end: b.end,
                    base_text: lemma(b.start, b.end),
                    agree: join(&e.lemma.witnesses),
                    witnesses: join(&r.witnesses),
                    kind: r.kind,
                    class: r.class,
                    detail: r.detail,
                    reading: &r.text,
                    move_id: r.move_id.as_deref(),
                });
            }
        }
        rows
    };
    let table = || -> Vec<Vec<&str>> {
        collation
            .segments
            .iter()
            .filter(|s| s.varies || !args.variants_only)
            .map(|s| s.cells.iter().map(|c| c.text.as_str()).collect())
            .collect()
    };
    match format {
        DiffFormat::Tei => diff::write_tei(&mut out, &collation, &loaded, base)?,
        DiffFormat::Inline => write_inline(&mut out, &collation, &entries)?,
        DiffFormat::Json => {
            let report = JsonReport {
                base: &names[base],
                witnesses: names,
                table: table(),
                apparatus: app_rows(),
            };
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        DiffFormat::Csv | DiffFormat::Tsv if args.apparatus => {
            output::write_rows(
                &mut out,
                diff::table_format(format),
                &APP_HEADERS,
                app_rows(),
            )?;
        }
        DiffFormat::Csv | DiffFormat::Tsv => {
            let headers: Vec<&str> = names.iter().map(String::as_str).collect();
            let rows = table().into_iter().map(TableRow);
            output::write_rows(&mut out, diff::table_format(format), &headers, rows)?;
        }
    }
    out.finish()?;
    let varying = collation.segments.iter().filter(|s| s.varies).count();
    eprintln!(
        "{} against {}: {} segments, {} with variants",
        output::plural(names.len(), "witness", "witnesses"),
        names[base],
        collation.segments.len(),
        varying
    );
    for c in collation.comparisons.iter().flatten() {
        eprintln!("  {}: {}", c.witness, diff::summary_line(&c.summary));
    }
    Ok(ExitCode::SUCCESS)
}

/// The base text with each varying segment shown as `[lemma | W2: reading | W3: -]`.
fn write_inline(out: &mut Out, c: &Collation, entries: &[Entry]) -> Result<()> {
    let (lem, rdg) = if out.color() {
        (
            Style::new().bold(),
            Style::new().fg_color(Some(AnsiColor::Magenta.into())),
        )
    } else {
        (Style::new(), Style::new())
    };
    // The texts' own control characters are shown, not sent to the terminal.
    let v = output::visible_text;
    let mut next = entries.iter().peekable();
    let mut text = String::new();
    for (s, seg) in c.segments.iter().enumerate() {
        let cell = &seg.cells[c.base];
        if !text.is_empty() && !seg.base_tokens().is_empty() {
            text.push(' ');
        }
        match next.peek() {
            Some(e) if e.segment == s => {
                let e = next.next().expect("peeked");
                let lemma = if cell.text.is_empty() {
                    "-"
                } else {
                    &cell.text
                };
                text.push_str(&format!("{lem}[{}{lem:#}", v(lemma)));
                for r in &e.readings {
                    let wits = r
                        .witnesses
                        .iter()
                        .map(|&x| c.witnesses[x].as_str())
                        .collect::<Vec<_>>()
                        .join(", ");
                    let reading = if r.text.is_empty() { "-" } else { &r.text };
                    let moved = match (&r.move_id, r.move_landed) {
                        (Some(m), true) => format!(" <{m}"),
                        (Some(m), false) => format!(" >{m}"),
                        _ => String::new(),
                    };
                    text.push_str(&format!(
                        " | {rdg}{}: {}{moved}{rdg:#}",
                        v(&wits),
                        v(reading)
                    ));
                }
                text.push(']');
            }
            _ => text.push_str(&v(&cell.text)),
        }
    }
    writeln!(out, "{text}")?;
    Ok(())
}
