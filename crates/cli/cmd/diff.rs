//! `lectio diff`: the variant readings of each witness against a base.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anstyle::{AnsiColor, Style};
use anyhow::{Context, Result};
use lectio_diff::inline::{self, Span};
use lectio_diff::tei::TeiError;
use lectio_diff::{
    collatex, Collation, Comparison, Ignore, Kind, Options, Spelling, Summary, Variant, Witness,
};
use lectio_text::{Document, Progress as _};
use rayon::prelude::*;

use crate::cmd::UsageError;
use crate::input::{self, LoadArgs};
use crate::output::{self, Format, Out, OutputArgs};
use crate::progress;

const EXAMPLES: &str = "\
Examples:
  lectio diff texts/deutscher-1956-khrushchev-on-stalin.txt texts/deutscher-1956-khrushchev-on-stalin.emended.txt
  lectio diff base.txt a.txt b.txt --format csv -o variants.csv
  lectio diff base.txt plain.txt --ignore accidentals          substantive variants only
  lectio diff base.txt plain.txt --ignore quotation-marks,dashes --context 5
  lectio diff darwin.json --base 1866 --format tei -o darwin.xml   CollateX JSON witnesses

CSV columns: id,witness,kind,class,detail,base_line,base_start,base_end,base_text,
witness_line,witness_start,witness_end,witness_text,move
(byte offsets into each file as on disk; an addition has base_start == base_end at the
insertion point, an omission witness_start == witness_end; a transposition is one row,
base span where the passage left, witness span where it landed, `move` its id)";

/// Output formats of `lectio diff` and `lectio collate`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    /// The base text with [-omitted-]{+added+} marks (the default on a terminal).
    Inline,
    /// RFC 4180 CSV with a header row (the default in a pipe or file).
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// A JSON array of objects, one per row.
    Json,
    /// TEI P5 XML, parallel segmentation.
    Tei,
}

/// Variant readings of each WITNESS against BASE, as an editor lists them.
#[derive(clap::Args, Debug)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// BASE, then one or more WITNESS files. A CollateX JSON file (*.json,
    /// {"witnesses": [{"id", "content"}]}) stands for all the witnesses in it.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Use the witness with this name (a path as given, or a CollateX id) as the base
    /// [default: the first].
    #[arg(long, value_name = "NAME")]
    base: Option<String>,
    #[command(flatten)]
    compare: CompareArgs,
    /// Words of context around each variant in the inline view [default: the whole text].
    #[arg(long, value_name = "N")]
    context: Option<usize>,
    #[command(flatten)]
    out: DiffOutputArgs,
    #[command(flatten)]
    load: LoadArgs,
}

/// What counts as a variant; shared with `lectio collate`.
#[derive(clap::Args, Debug, Clone)]
pub struct CompareArgs {
    /// Leave out variants: `accidentals`, or a comma-separated list of details (case,
    /// punctuation, quotation-marks, dashes, diacritics, word-division, spelling); an
    /// accidental row goes when all its details are listed.
    #[arg(long, value_name = "WHAT")]
    ignore: Vec<String>,
    /// Equivalent spellings, one set per line ("defence,defense"): variants between them
    /// are accidental, detail "spelling".
    #[arg(long, value_name = "FILE")]
    spelling: Option<PathBuf>,
}

impl CompareArgs {
    /// The comparison options these flags ask for.
    pub fn options(&self) -> Result<Options> {
        let mut ignore = Ignore::default();
        for spec in &self.ignore {
            ignore = ignore.union(Ignore::parse(spec).map_err(|e| UsageError(e.to_string()))?);
        }
        let spelling = match &self.spelling {
            Some(path) => {
                // Loaded as a text is: invalid UTF-8 is reported with its line and byte
                // offset, and a byte-order mark is not part of the first spelling.
                if path.as_os_str() == "-" {
                    crate::input::claim_stdin()?;
                }
                let doc = lectio_text::Document::open(path, lectio_text::LoadOptions::default())
                    .map_err(|e| anyhow::anyhow!("{e} (the --spelling list)"))?;
                crate::input::note_document(&doc, path);
                let text = doc.as_str();
                Spelling::parse(text.strip_prefix('\u{FEFF}').unwrap_or(text))
                    .with_context(|| path.display().to_string())?
            }
            None => Spelling::default(),
        };
        Ok(Options { spelling, ignore })
    }
}

/// Where and how the report is written; shared with `lectio collate`.
#[derive(clap::Args, Debug, Clone)]
pub struct DiffOutputArgs {
    /// Output format [default: inline on a terminal, csv otherwise].
    #[arg(long, value_enum)]
    pub format: Option<DiffFormat>,
    /// Write to FILE (atomically: a temporary file renamed when complete) instead of stdout
    /// (`-`: stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write CSV/TSV cells exactly, without the `'` that guards cells starting with
    /// = + - @ TAB or CR against spreadsheet formula injection.
    #[arg(long)]
    pub raw_csv: bool,
}

impl DiffOutputArgs {
    /// Opens the destination and settles the format.
    pub fn open(&self) -> Result<(Out, DiffFormat)> {
        let (out, _) = OutputArgs {
            format: None,
            output: self.output.clone(),
            raw_csv: self.raw_csv,
        }
        .open()?;
        let format = self.format.unwrap_or(if out.is_terminal() {
            DiffFormat::Inline
        } else {
            DiffFormat::Csv
        });
        Ok((out, format))
    }
}

/// The table format for CSV, TSV and JSON.
pub fn table_format(f: DiffFormat) -> Format {
    match f {
        DiffFormat::Tsv => Format::Tsv,
        DiffFormat::Json => Format::Json,
        _ => Format::Csv,
    }
}

/// The witnesses of a run: files as loaded, CollateX JSON expanded.
pub struct Witnesses {
    /// Names: paths as given, or CollateX ids.
    pub names: Vec<String>,
    texts: Vec<Text>,
}

enum Text {
    /// A text file: the index of its document.
    Doc(usize),
    /// A witness of a CollateX JSON file: the index of the file's document, the content.
    Owned(usize, String),
}

/// Loaded witnesses and the documents they come from.
pub struct Loaded {
    docs: Vec<Document>,
    /// The witnesses.
    pub witnesses: Witnesses,
}

impl Loaded {
    /// The text of witness `i`.
    pub fn text(&self, i: usize) -> &str {
        match &self.witnesses.texts[i] {
            Text::Doc(d) => self.docs[*d].as_str(),
            Text::Owned(_, s) => s,
        }
    }

    /// The witnesses for the library.
    pub fn list(&self) -> Vec<Witness<'_>> {
        (0..self.witnesses.names.len())
            .map(|i| Witness {
                name: &self.witnesses.names[i],
                text: self.text(i),
            })
            .collect()
    }

    /// The index of the witness named `name` (the first one when `None`).
    pub fn find(&self, name: Option<&str>) -> Result<usize> {
        let Some(name) = name else { return Ok(0) };
        self.witnesses
            .names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| {
                UsageError(format!(
                    "--base {name:?}: no such witness (witnesses: {})",
                    self.witnesses.names.join(", ")
                ))
                .into()
            })
    }

    /// The document witness `x` comes from, and whether it is a CollateX JSON witness.
    fn source(&self, x: usize) -> (&Document, bool) {
        match &self.witnesses.texts[x] {
            Text::Doc(d) => (&self.docs[*d], false),
            Text::Owned(d, _) => (&self.docs[*d], true),
        }
    }

    /// For each witness, true when lossy loading replaced bytes of its file (its U+001A
    /// characters are then placeholders, shown as U+FFFD).
    pub(crate) fn placeholders(&self) -> Vec<bool> {
        (0..self.witnesses.names.len())
            .map(|x| self.source(x).0.replaced_bytes() > 0)
            .collect()
    }

    /// A TEI error as one line naming the file (and the witness, for CollateX JSON).
    fn tei_error(&self, err: TeiError) -> anyhow::Error {
        const HINT: &str = "(remove it, or use --format csv or json)";
        match &err {
            TeiError::Char {
                witness,
                name,
                ch,
                offset,
            } => match self.source(*witness) {
                (doc, true) => anyhow::anyhow!(
                    "{}: witness {name:?}: U+{:04X} at byte offset {offset} of its content cannot be written in TEI: XML 1.0 does not allow the character {HINT}",
                    doc.name(),
                    u32::from(*ch)
                ),
                (_, false) => anyhow::anyhow!("{err} {HINT}"),
            },
            TeiError::Name { witness, .. } => match self.source(*witness) {
                (doc, true) => anyhow::anyhow!("{}: {err} {HINT}", doc.name()),
                (_, false) => anyhow::anyhow!("{err} {HINT}"),
            },
            TeiError::Title { .. } => anyhow::anyhow!("{err}"),
            TeiError::Io(_) => anyhow::Error::new(err),
        }
    }
}

/// Writes the collation as TEI. A character XML 1.0 does not allow is an error naming the
/// file, the character and its byte offset, and nothing is written.
pub fn write_tei(out: &mut Out, collation: &Collation, loaded: &Loaded, base: usize) -> Result<()> {
    let list = loaded.list();
    let title = format!("Collation against {}", list[base].name);
    lectio_diff::tei::write(&mut *out, collation, &list, &title, &loaded.placeholders())
        .map_err(|e| loaded.tei_error(e))
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Loads witness files; each CollateX JSON file becomes its witnesses. At least `min`.
pub fn load_witnesses(files: &[PathBuf], load: LoadArgs, min: usize) -> Result<Loaded> {
    let docs = input::load(files, load)?;
    let mut names: Vec<String> = Vec::new();
    let mut texts = Vec::new();
    // A name may come twice only as the same file given twice (`a.json` and `./a.json`
    // too): two witnesses of different sources with one name could not be told apart in
    // the report (nor chosen by --base).
    let same_file = |a: &str, b: &str| {
        a == b
            || matches!(
                (std::fs::canonicalize(a), std::fs::canonicalize(b)),
                (Ok(x), Ok(y)) if x == y
            )
    };
    let mut add = |name: String, text: Text, d: usize| -> Result<()> {
        if let Some(other) = names.iter().zip(&texts).find_map(|(n, t)| {
            let o = match t {
                Text::Doc(o) | Text::Owned(o, _) => *o,
            };
            (*n == name && !same_file(docs[o].name(), docs[d].name())).then_some(o)
        }) {
            let by = if is_json(Path::new(docs[other].name())) {
                "a witness of"
            } else {
                "the file"
            };
            anyhow::bail!(
                "{}: witness name {name:?} is already taken by {by} {} (witness names must be unique)",
                docs[d].name(),
                docs[other].name()
            );
        }
        names.push(name);
        texts.push(text);
        Ok(())
    };
    for (d, doc) in docs.iter().enumerate() {
        if is_json(Path::new(doc.name())) {
            let list = collatex::parse(doc.as_str()).with_context(|| doc.name().to_string())?;
            for w in list {
                add(w.id, Text::Owned(d, w.content), d)?;
            }
        } else {
            add(doc.name().to_string(), Text::Doc(d), d)?;
        }
    }
    if names.len() < min {
        return Err(UsageError(format!(
            "need at least {min} witnesses (a base and a witness), got {}",
            names.len()
        ))
        .into());
    }
    Ok(Loaded {
        docs,
        witnesses: Witnesses { names, texts },
    })
}

/// Lossy loading marks invalid bytes with a placeholder byte; show it as U+FFFD.
pub fn show_replacements(s: &mut String) {
    if s.contains('\u{1A}') {
        *s = s.replace('\u{1A}', "\u{FFFD}");
    }
}

/// The one-line summary of a comparison, for stderr.
pub fn summary_line(s: &Summary) -> String {
    format!(
        "{} ({} substitution{}, {} omission{}, {} addition{}, {} transposition{}; {} substantive, {} accidental), similarity {:.4}",
        output::plural(s.total(), "variant", "variants"),
        s.kind(Kind::Substitution),
        if s.kind(Kind::Substitution) == 1 { "" } else { "s" },
        s.kind(Kind::Omission),
        if s.kind(Kind::Omission) == 1 { "" } else { "s" },
        s.kind(Kind::Addition),
        if s.kind(Kind::Addition) == 1 { "" } else { "s" },
        s.kind(Kind::Transposition),
        if s.kind(Kind::Transposition) == 1 { "" } else { "s" },
        s.substantive,
        s.accidental,
        s.similarity
    )
}

/// What the progress bar of a comparison counts.
pub(crate) const WITNESSES: (&str, &str) = ("witness", "witnesses");

/// [`lectio_diff::collate`] with a progress bar over the witnesses (on a terminal, for work
/// of more than a second).
pub(crate) fn collate_tracked(
    list: &[lectio_diff::Witness],
    base: usize,
    opts: &lectio_diff::Options,
) -> Result<lectio_diff::Collation, lectio_diff::DiffError> {
    let sizes = list.iter().map(|w| w.text.len() as u64).collect();
    progress::track_sizes(sizes, WITNESSES, |p| {
        lectio_diff::collate_with_progress(list, base, opts, p)
    })
}

/// Runs `lectio diff`.
pub fn run(args: Args) -> Result<ExitCode> {
    let opts = args.compare.options()?;
    let loaded = load_witnesses(&args.files, args.load, 2)?;
    let base = loaded.find(args.base.as_deref())?;
    let list = loaded.list();
    let (mut out, mut format) = args.out.open()?;
    if args.context.is_some() && args.out.format.is_none() {
        format = DiffFormat::Inline;
    }

    if format == DiffFormat::Tei {
        let collation = collate_tracked(&list, base, &opts)?;
        write_tei(&mut out, &collation, &loaded, base)?;
        out.finish()?;
        for c in collation.comparisons.iter().flatten() {
            eprintln!("{}: {}", c.witness, summary_line(&c.summary));
        }
        return Ok(ExitCode::SUCCESS);
    }

    let others: Vec<usize> = (0..list.len()).filter(|&i| i != base).collect();
    // The bar counts the witnesses compared with the base, and their bytes.
    let sizes = others.iter().map(|&i| list[i].text.len() as u64).collect();
    let comparisons: Vec<Comparison> = progress::track_sizes(sizes, WITNESSES, |p| {
        others
            .par_iter()
            .enumerate()
            .map(|(k, &i)| {
                let c = lectio_diff::compare(
                    list[base].name,
                    list[base].text,
                    list[i].name,
                    list[i].text,
                    &opts,
                );
                p.advance(k, list[i].text.len() as u64);
                c
            })
            .collect()
    });

    // Which witnesses' U+001A are lossy loading's placeholders (shown as U+FFFD): only those
    // of files that had bytes replaced; another file's U+001A is its own character.
    let marks = loaded.placeholders();
    match format {
        DiffFormat::Inline => {
            for (c, &i) in comparisons.iter().zip(&others) {
                if comparisons.len() > 1 {
                    writeln!(out, "=== {} → {}", c.base, c.witness)?;
                }
                write_inline(
                    &mut out,
                    list[base].text,
                    c,
                    list[i].text,
                    args.context,
                    (marks[base], marks[i]),
                )?;
            }
        }
        _ => {
            let lossy: Vec<(bool, bool)> =
                others.iter().map(|&i| (marks[base], marks[i])).collect();
            let rows = numbered(&comparisons, &lossy);
            output::write_rows(&mut out, table_format(format), &lectio_diff::COLUMNS, &rows)?;
        }
    }
    out.finish()?;
    for c in &comparisons {
        eprintln!("{}: {}", c.witness, summary_line(&c.summary));
    }
    Ok(ExitCode::SUCCESS)
}

/// All rows of all comparisons, numbered from 1 across witnesses, move ids likewise;
/// `lossy` says for each comparison whether the base's and the witness's U+001A are lossy
/// loading's placeholders, shown as U+FFFD.
fn numbered(comparisons: &[Comparison], lossy: &[(bool, bool)]) -> Vec<Variant> {
    let mut rows = Vec::new();
    let mut moves = 0;
    for (c, &(base_lossy, witness_lossy)) in comparisons.iter().zip(lossy) {
        let before = moves;
        for v in &c.variants {
            let mut v = v.clone();
            v.id = rows.len() + 1;
            if let Some(m) = &v.move_id {
                let n: usize = m.trim_start_matches('m').parse().unwrap_or(0);
                moves = moves.max(before + n);
                v.move_id = Some(format!("m{}", before + n));
            }
            if base_lossy {
                show_replacements(&mut v.base_text);
            }
            if witness_lossy {
                show_replacements(&mut v.witness_text);
            }
            rows.push(v);
        }
    }
    rows
}

fn write_inline(
    out: &mut Out,
    base: &str,
    c: &Comparison,
    witness: &str,
    context: Option<usize>,
    (base_lossy, witness_lossy): (bool, bool),
) -> Result<()> {
    let (del, add, mv) = if out.color() {
        (
            Style::new()
                .fg_color(Some(AnsiColor::Red.into()))
                .strikethrough(),
            Style::new().fg_color(Some(AnsiColor::Green.into())).bold(),
            Style::new()
                .fg_color(Some(AnsiColor::Magenta.into()))
                .bold(),
        )
    } else {
        (Style::new(), Style::new(), Style::new())
    };
    // The text's own control characters are shown, not sent to the terminal (after the
    // lossy placeholders, themselves a control character, become U+FFFD).
    // Same, Omitted and MovedFrom are the base's text; Added and MovedTo the witness's.
    let text_of = |s: &str, lossy: bool| {
        let mut s = s.to_string();
        if lossy {
            show_replacements(&mut s);
        }
        output::visible_text(&s).into_owned()
    };
    let v = |s: &str| text_of(s, base_lossy);
    let w = |s: &str| text_of(s, witness_lossy);
    let hunks = inline::render(base, c, witness, context);
    for (h, hunk) in hunks.iter().enumerate() {
        if context.is_some() {
            if h > 0 {
                writeln!(out)?;
            }
            writeln!(out, "@@ line {} @@", hunk.line)?;
        }
        let mut text = String::new();
        for span in &hunk.spans {
            let piece = match span {
                Span::Same(s) => v(s),
                Span::Omitted(s) => format!("{del}[-{}-]{del:#}", v(s)),
                Span::Added(s) => format!("{add}{{+{}+}}{add:#}", w(s)),
                Span::MovedFrom(s, m) => format!("{mv}[-{}-]>{m}{mv:#}", v(s)),
                Span::MovedTo(s, m) => format!("{mv}{{+{}+}}<{m}{mv:#}", w(s)),
            };
            text.push_str(&piece);
        }
        if context.is_some() {
            text.truncate(text.trim_end().len());
        }
        out.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            writeln!(out)?;
        }
    }
    Ok(())
}
