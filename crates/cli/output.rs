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
    /// Write to FILE (atomically: a temporary file renamed when complete) instead of stdout
    /// (`-`: stdout).
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

/// Whether `-o PATH` names standard output: `-`.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
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
    /// A device or a pipe named by `-o` (`/dev/null`, a FIFO): written in place, since
    /// replacing it would put a regular file where the device was.
    Direct {
        file: io::BufWriter<std::fs::File>,
        path: PathBuf,
    },
    /// A temporary file beside the report, renamed over it when complete.
    File {
        file: io::BufWriter<Report>,
        tmp: tempfile::TempPath,
        /// The report as `-o` named it, for messages.
        path: PathBuf,
        /// The file renamed over: `path` with its links followed.
        target: PathBuf,
        _pending: Pending,
    },
}

/// The temporary file of a report, whose data the kernel is asked to start writing to disk
/// every [`WRITE_BACK`] bytes. A rename that replaces a report makes ext4 (`auto_da_alloc`)
/// start writing the new file's data before it returns, so that a crash cannot leave an
/// empty report; started as the report is written, that writing overlaps the rest of the
/// run instead of following it (freq's 10.5 MB report: the rename 8.1–8.8 → 3.2–4.0 ms).
/// Only whole pages already written are asked for: the page still being filled would be
/// written twice, and a device that keeps pages stable during writeback would make the next
/// write wait for it. Where `sync_file_range` is not available (it is used only with glibc,
/// as `libc` is) the counts are kept and not used.
#[cfg_attr(not(all(target_os = "linux", target_env = "gnu")), allow(dead_code))]
struct Report {
    file: std::fs::File,
    written: u64,
    started: u64,
}

/// Bytes of a report between requests to write its data to disk.
const WRITE_BACK: u64 = 1 << 20;

/// The unit the requests are rounded down to: a page (4 KiB, or a part of a larger one).
const PAGE: u64 = 4096;

impl Report {
    fn new(file: std::fs::File) -> Report {
        Report {
            file,
            written: 0,
            started: 0,
        }
    }
}

impl Write for Report {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        if self.written - self.started >= WRITE_BACK + PAGE {
            use std::os::fd::AsRawFd;
            let end = self.written / PAGE * PAGE;
            // Only a request to start writing back: a failure changes nothing written, and
            // the rename still makes the data safe, so it is not an error.
            // SAFETY: the descriptor is valid (`self.file` owns it for the whole call), the
            // call reads and writes no memory of the process, and both numbers are
            // non-negative offsets within the file written so far.
            unsafe {
                libc::sync_file_range(
                    self.file.as_raw_fd(),
                    self.started as libc::off64_t,
                    (end - self.started) as libc::off64_t,
                    libc::SYNC_FILE_RANGE_WRITE,
                );
            }
            self.started = end;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Where `-o` leads.
enum Target {
    /// A file (that may not exist yet), every symbolic link on the way followed, so that
    /// the report replaces the file a link points to rather than the link.
    File(PathBuf),
    /// One of the process's open files (`/dev/stdout`, `/dev/fd/N`, a shell's `>(...)`):
    /// the kernel's links under /proc name it, and it is written into, never replaced.
    Descriptor,
}

/// True when `p` is in a directory under /proc (`/proc/self/fd/1`; `/dev/fd` is a link to
/// `/proc/self/fd`): its links are the kernel's, not a file system's.
fn under_proc(p: &Path) -> bool {
    p.parent()
        .and_then(|d| {
            std::fs::canonicalize(if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            })
            .ok()
        })
        .is_some_and(|d| d.starts_with("/proc"))
}

fn follow_links(path: &Path) -> io::Result<Target> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        if cfg!(target_os = "linux") && under_proc(&p) {
            return Ok(Target::Descriptor);
        }
        match std::fs::symlink_metadata(&p) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&p)?;
                // A relative target is relative to the link's directory; `join` keeps an
                // absolute one as it is.
                p = p.parent().unwrap_or(Path::new("")).join(target);
            }
            _ => return Ok(Target::File(p)),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// `err` with what was being written in front of its message (its kind kept, so that a
/// closed pipe is still recognized).
fn naming(err: io::Error, what: &dyn std::fmt::Display) -> io::Error {
    io::Error::new(err.kind(), format!("{what}: {err}"))
}

impl Out {
    /// Stdout when `path` is `None`, else a temporary file beside `path`.
    pub fn create(path: Option<&Path>) -> Result<Out> {
        // `-o -` is standard output, as `-` is standard input (and as in xsv and curl).
        match path.filter(|p| !is_stdout(p)) {
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
            Some(named) => {
                let cannot = || format!("{}: cannot create output file", named.display());
                let (path, descriptor) = match follow_links(named).with_context(cannot)? {
                    Target::File(path) => (path, false),
                    Target::Descriptor => (named.to_path_buf(), true),
                };
                let existing = std::fs::metadata(&path).ok();
                if existing.as_ref().is_some_and(crate::input::is_input) {
                    return Err(crate::cmd::UsageError(format!(
                        "{}: is an input of this run; the report would replace it (choose another -o)",
                        named.display()
                    ))
                    .into());
                }
                if descriptor
                    || existing
                        .as_ref()
                        .is_some_and(|m| !m.is_file() && !m.is_dir())
                {
                    // Appending: `-o /dev/stdout >> log` must add to the log, not overwrite
                    // its start (reopening the descriptor's file starts at offset 0).
                    let file = std::fs::OpenOptions::new()
                        .append(true)
                        .open(&path)
                        .with_context(cannot)?;
                    return Ok(Out {
                        sink: Sink::Direct {
                            file: io::BufWriter::new(file),
                            path: named.to_path_buf(),
                        },
                        terminal: false,
                        color: false,
                        raw_csv: false,
                    });
                }
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
                let tmp = builder.tempfile_in(dir).with_context(cannot)?;
                // A report that replaces another keeps its permissions (a report kept
                // private stays private).
                if let Some(meta) = existing.filter(|m| m.is_file()) {
                    tmp.as_file()
                        .set_permissions(meta.permissions())
                        .with_context(cannot)?;
                }
                let pending = Pending::new(tmp.path());
                let (file, tmp) = tmp.into_parts();
                Ok(Out {
                    sink: Sink::File {
                        file: io::BufWriter::new(Report::new(file)),
                        tmp,
                        path: named.to_path_buf(),
                        target: path,
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
            Sink::Stdout(mut w) => w.flush().map_err(|e| naming(e, &"standard output"))?,
            Sink::Direct { mut file, path } => file
                .flush()
                .with_context(|| format!("{}: cannot write", path.display()))?,
            Sink::File {
                file,
                tmp,
                path,
                target,
                ..
            } => {
                let cannot = || format!("{}: cannot write", path.display());
                file.into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(cannot)?;
                tmp.persist(&target)
                    .map_err(|e| e.error)
                    .with_context(cannot)?;
            }
        }
        Ok(())
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Stdout(w) => w.write(buf).map_err(|e| naming(e, &"standard output")),
            Sink::Direct { file, path } => file.write(buf).map_err(|e| naming(e, &path.display())),
            Sink::File { file, path, .. } => {
                file.write(buf).map_err(|e| naming(e, &path.display()))
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(w) => w.flush().map_err(|e| naming(e, &"standard output")),
            Sink::Direct { file, path } => file.flush().map_err(|e| naming(e, &path.display())),
            Sink::File { file, path, .. } => file.flush().map_err(|e| naming(e, &path.display())),
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
                table.push(cells.drain(..).map(|c| visible(&c.text)).collect());
            }
            write_aligned(out, &table)?;
        }
    }
    Ok(())
}

/// `text` with control characters shown as their pictures (ESC as ␛, NUL as ␀, DEL as
/// ␡; C1 controls as U+FFFD), for the terminal: an escape sequence in a text must not
/// recolour or rewrite the reader's terminal, and a tab or line break would break the
/// columns.
pub(crate) fn visible(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars().map(picture).collect()
}

/// `c`, or its picture when it is a control character (see [`visible`]).
fn picture(c: char) -> char {
    match c {
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
        '\x7f' => '\u{2421}',
        c if c.is_control() => '\u{FFFD}',
        c => c,
    }
}

/// `text` for a view that keeps its lines (the inline views): line breaks and tabs stay,
/// each line break written as LF (CRLF and a lone CR, the old Mac line end, alike), any
/// other control character is shown as in [`visible`].
pub(crate) fn visible_text(text: &str) -> std::borrow::Cow<'_, str> {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => out.push('\n'),
            c => out.push(picture(c)),
        }
    }
    out.into()
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
