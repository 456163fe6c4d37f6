//! Writing reports: formats, colour, atomic files and quiet exits on a closed pipe.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::cells::{cells_of, write_record};
use unicode_width::UnicodeWidthStr;

/// The formats every tabular command offers.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Columns aligned for reading in a terminal (the default on a terminal).
    Table,
    /// RFC 4180 CSV with a header row (the default in a pipe or file).
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// A JSON array of objects, one per row.
    Json,
}

/// Where and how a command writes its report.
#[derive(clap::Args, Debug, Clone)]
pub struct OutputArgs {
    /// Output format [default: table on a terminal, csv otherwise].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to FILE (atomically: a temporary file renamed when complete) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write CSV/TSV cells exactly, without the `'` that guards cells starting with
    /// = + - @ TAB or CR against spreadsheet formula injection.
    #[arg(long)]
    pub raw_csv: bool,
}

impl OutputArgs {
    /// Opens the destination and settles the format.
    pub fn open(&self) -> Result<(Out, Format)> {
        let mut out = Out::create(self.output.as_deref())?;
        out.raw_csv = self.raw_csv;
        let format = self.format.unwrap_or(if out.is_terminal() {
            Format::Table
        } else {
            Format::Csv
        });
        Ok((out, format))
    }
}

/// The destination of a report: stdout, or a temporary file that becomes FILE on success.
pub struct Out {
    sink: Sink,
    terminal: bool,
    color: bool,
    pub(crate) raw_csv: bool,
}

/// Temporary files being written, removed by the Ctrl-C handler so that an interrupted
/// run leaves nothing behind.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes every temporary file still being written (called on Ctrl-C).
pub fn remove_pending() {
    let pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    for path in pending.iter() {
        let _ = std::fs::remove_file(path);
    }
}

/// Registers a temporary file with the Ctrl-C handler for as long as it lives.
struct Pending(PathBuf);

impl Pending {
    fn new(path: &Path) -> Pending {
        let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        pending.push(path.to_path_buf());
        Pending(path.to_path_buf())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|p| *p != self.0);
    }
}

enum Sink {
    Stdout(io::BufWriter<io::StdoutLock<'static>>),
    File {
        file: io::BufWriter<tempfile::NamedTempFile>,
        path: PathBuf,
        _pending: Pending,
    },
}

impl Out {
    /// Stdout when `path` is `None`, else a temporary file beside `path`.
    pub fn create(path: Option<&Path>) -> Result<Out> {
        match path {
            None => {
                let stdout = io::stdout();
                let terminal = stdout.is_terminal();
                let color = anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never;
                Ok(Out {
                    sink: Sink::Stdout(io::BufWriter::new(stdout.lock())),
                    terminal,
                    color,
                    raw_csv: false,
                })
            }
            Some(path) => {
                let dir = match path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                let mut builder = tempfile::Builder::new();
                builder.prefix(".lectio-").suffix(".tmp");
                // A report is an ordinary file (rw-r--r-- less the umask), not a private
                // temporary one.
                #[cfg(unix)]
                builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
                let tmp = builder
                    .tempfile_in(dir)
                    .with_context(|| format!("{}: cannot create output file", path.display()))?;
                let pending = Pending::new(tmp.path());
                Ok(Out {
                    sink: Sink::File {
                        file: io::BufWriter::new(tmp),
                        path: path.to_path_buf(),
                        _pending: pending,
                    },
                    terminal: false,
                    color: false,
                    raw_csv: false,
                })
            }
        }
    }

    /// True when writing to a terminal.
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// True when colour codes may be written (a terminal, and NO_COLOR unset).
    pub fn color(&self) -> bool {
        self.color
    }

    /// Flushes; for a file, renames the complete temporary file into place.
    pub fn finish(self) -> Result<()> {
        match self.sink {
            Sink::Stdout(mut w) => w.flush()?,
            Sink::File { file, path, .. } => {
                let tmp = file
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                tmp.persist(&path)
                    .with_context(|| format!("{}: cannot write", path.display()))?;
            }
        }
        Ok(())
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Stdout(w) => w.write(buf),
            Sink::File { file, .. } => file.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(w) => w.flush(),
            Sink::File { file, .. } => file.flush(),
        }
    }
}

/// Writes `rows` under `headers` in `format`. The header row is written even with no rows.
///
/// In CSV and TSV, a text cell starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading
/// `'` so that spreadsheets show it instead of running it as a formula (OWASP "CSV
/// Injection"); numbers are never touched; `--raw-csv` turns this off.
pub fn write_rows<T: Serialize>(
    out: &mut Out,
    format: Format,
    headers: &[&str],
    rows: impl IntoIterator<Item = T>,
) -> Result<()> {
    match format {
        Format::Csv | Format::Tsv => {
            let guard = !out.raw_csv;
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .delimiter(if format == Format::Tsv { b'\t' } else { b',' })
                .from_writer(&mut *out);
            w.write_record(headers)?;
            let mut cells = Vec::new();
            for row in rows {
                cells_of(&row, &mut cells)?;
                write_record(&mut w, &cells, guard)?;
            }
            w.flush()?;
        }
        Format::Json => {
            out.write_all(b"[")?;
            for (i, row) in rows.into_iter().enumerate() {
                out.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
                serde_json::to_writer(&mut *out, &row)?;
            }
            out.write_all(b"\n]\n")?;
        }
        Format::Table => {
            let mut cells = Vec::new();
            let mut table: Vec<Vec<String>> = vec![headers.iter().map(|h| h.to_string()).collect()];
            for row in rows {
                cells_of(&row, &mut cells)?;
                table.push(cells.drain(..).map(|c| c.text).collect());
            }
            write_aligned(out, &table)?;
        }
    }
    Ok(())
}

/// Prints cells in aligned columns; columns whose cells are all numbers align right.
fn write_aligned(out: &mut Out, cells: &[Vec<String>]) -> Result<()> {
    let ncols = cells.iter().map(Vec::len).max().unwrap_or(0);
    let mut width = vec![0; ncols];
    let mut numeric = vec![true; ncols];
    for (r, row) in cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            width[c] = width[c].max(cell.width());
            if r > 0 && !cell.is_empty() && cell.parse::<f64>().is_err() {
                numeric[c] = false;
            }
        }
    }
    for row in cells {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = " ".repeat(width[c] - cell.width());
            if c > 0 {
                line.push_str("  ");
            }
            if numeric[c] {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if c + 1 < row.len() {
                    line.push_str(&pad);
                }
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// True when the error comes from writing to a closed pipe (`lectio ... | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        if let Some(io) = e.downcast_ref::<io::Error>() {
            return io.kind() == io::ErrorKind::BrokenPipe;
        }
        if let Some(csv) = e.downcast_ref::<csv::Error>() {
            return matches!(csv.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe);
        }
        if let Some(json) = e.downcast_ref::<serde_json::Error>() {
            return json.io_error_kind() == Some(io::ErrorKind::BrokenPipe);
        }
        false
    })
}

/// "1 hit", "3 hits": a count with its noun in the right number.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
