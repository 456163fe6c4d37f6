//! Loading the texts a command reads: files, standard input, or the embedded essay.

use std::path::PathBuf;

use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};
use lectio_text::{file_id, Document, KeyOptions, LoadError, LoadOptions, Opened};
use rayon::prelude::*;

/// A text of texts/ compiled into the binary: a short alias, its file name, its bytes.
pub struct Embedded {
    /// Short name: `@essay`, `@emended`, `@plain`, `@de`.
    pub alias: &'static str,
    /// The file name in texts/, used as the document's name in reports.
    pub name: &'static str,
    /// The file's bytes, exactly as in texts/.
    pub bytes: &'static [u8],
}

macro_rules! embedded {
    ($alias:literal, $name:literal) => {
        Embedded {
            alias: $alias,
            name: $name,
            bytes: include_bytes!(concat!("../../texts/", $name)),
        }
    };
}

/// Every text of texts/, so that the reports can be made from anywhere.
pub static EMBEDDED: [Embedded; 4] = [
    embedded!("essay", "deutscher-1956-khrushchev-on-stalin.txt"),
    embedded!("emended", "deutscher-1956-khrushchev-on-stalin.emended.txt"),
    embedded!("plain", "deutscher-1956-khrushchev-on-stalin.plain.txt"),
    embedded!("de", "deutscher-1956-khrushchev-on-stalin.de.txt"),
];

/// The embedded text an argument names: `@essay` or `@` and its file name.
pub fn embedded(arg: &std::path::Path) -> Option<&'static Embedded> {
    let name = arg.to_str()?.strip_prefix('@')?;
    EMBEDDED.iter().find(|e| e.alias == name || e.name == name)
}

/// Options for how texts are read, shared by every command.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct LoadArgs {
    /// Replace invalid UTF-8 bytes with U+FFFD (with a warning) instead of failing.
    #[arg(long)]
    pub lossy: bool,
    /// Read files that contain NUL bytes as text instead of refusing them as binary.
    #[arg(long)]
    pub binary: bool,
    /// Read every *.txt file under a directory argument, recursively, in sorted order.
    #[arg(short = 'r', long)]
    pub recursive: bool,
    /// With several files, report each file that cannot be read and go on with the rest
    /// (the run then exits with status 1).
    #[arg(long)]
    pub keep_going: bool,
}

/// Set when `--keep-going` skipped an unreadable file: the run must exit with status 1.
pub static SKIPPED_INPUT: AtomicBool = AtomicBool::new(false);

/// The files this run has read, by device and inode, so that a report never replaces one
/// of its own inputs (`lectio freq essay.txt -o essay.txt` would lose the text).
static INPUT_FILES: std::sync::Mutex<Vec<(u64, u64)>> = std::sync::Mutex::new(Vec::new());

/// Records `path` (a file just read; `-`: the file behind standard input, if it is one) as
/// an input of this run, which no report may replace.
fn note_input(path: &std::path::Path) {
    let path = if path.as_os_str() == "-" {
        std::path::Path::new("/dev/stdin")
    } else {
        path
    };
    if let Some(id) = std::fs::metadata(path).ok().as_ref().and_then(file_id) {
        note_id(id);
    }
}

/// Records `doc`, read from `path`, as an input of this run: by the identity its open file
/// gave (asking the path for it again was a second `statx` for every file), or else as
/// [`note_input`] does.
pub fn note_document(doc: &Document, path: &std::path::Path) {
    match doc.file_id() {
        Some(id) => note_id(id),
        None => note_input(path),
    }
}

fn note_id(id: (u64, u64)) {
    INPUT_FILES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(id);
}

/// Set once standard input has been read: a second `-` would read nothing.
static STDIN_CLAIMED: AtomicBool = AtomicBool::new(false);

/// Claims standard input for one reader, for the whole run (texts, `--stopwords`,
/// `--spelling`, `--parallel`); a second claim is a usage error.
pub fn claim_stdin() -> Result<()> {
    if STDIN_CLAIMED.swap(true, Ordering::Relaxed) {
        // The second would read an empty text: `diff - -` would report a total omission.
        return Err(
            crate::cmd::UsageError("standard input (-) can be read only once".into()).into(),
        );
    }
    Ok(())
}

/// True when the file `meta` describes was read as an input of this run.
pub fn is_input(meta: &std::fs::Metadata) -> bool {
    file_id(meta).is_some_and(|id| {
        INPUT_FILES
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&id)
    })
}

/// Options for how keys are made, shared by every command that matches words.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct KeyArgs {
    /// Distinguish upper and lower case (by default keys are case-folded).
    #[arg(long)]
    pub case_sensitive: bool,
    /// Ignore diacritics: "élite" matches "elite".
    #[arg(long)]
    pub fold_diacritics: bool,
}

impl KeyArgs {
    /// The key options these flags ask for.
    pub fn options(self) -> KeyOptions {
        KeyOptions {
            case_sensitive: self.case_sensitive,
            fold_diacritics: self.fold_diacritics,
        }
    }
}

/// The embedded essay as a document.
pub fn essay() -> Document {
    open_embedded(&EMBEDDED[0])
}

fn open_embedded(e: &Embedded) -> Document {
    Document::from_static(e.name, e.bytes, LoadOptions::default())
        .expect("the embedded texts are valid UTF-8")
}

/// Loads `paths` in parallel, in the order given; the embedded essay when there are none.
///
/// Errors name the file; an invalid UTF-8 or binary-file error says how to load the file
/// anyway. With `--keep-going`, unreadable files are reported and skipped.
pub fn load(paths: &[PathBuf], args: LoadArgs) -> Result<Vec<Document>> {
    let (opened, total) = open(paths, args, false)?;
    let docs = finish(opened.into_iter().map(|o| (o, ())).collect(), total, args)?;
    Ok(docs.into_iter().map(|(doc, ())| doc).collect())
}

/// Opens `paths` as [`load`] does, each file with its error if it cannot be opened, but
/// with `unchecked`, a file that would be memory-mapped is left for the command's own pass
/// to check as it reads it ([`Document::open_unchecked`]); [`finish`] makes the documents
/// and reports the errors. Also returns the number of files named (after `-r`).
///
/// Without `--keep-going`, a file that cannot be opened is an error at once: the first in
/// the order given, as a load of every file would find it, so the unchecked files before
/// it are checked first.
pub fn open(
    paths: &[PathBuf],
    args: LoadArgs,
    unchecked: bool,
) -> Result<(Vec<Result<Opened>>, usize)> {
    if paths.is_empty() {
        return Ok((vec![Ok(Opened::Ready(essay()))], 1));
    }
    for _ in paths.iter().filter(|p| p.as_os_str() == "-") {
        claim_stdin()?;
    }
    let paths = expand(paths, args.recursive)?;
    let opts = LoadOptions {
        lossy: args.lossy,
        binary: args.binary,
    };
    let mut results: Vec<Result<Opened>> = paths
        .par_iter()
        .map(|p| match embedded(p) {
            Some(e) => Ok(Opened::Ready(open_embedded(e))),
            None => {
                let opened = match unchecked {
                    true => Document::open_unchecked(p, opts),
                    false => Document::open(p, opts).map(Opened::Ready),
                };
                let opened = opened.map_err(explain)?;
                // An unchecked file is an input once it has passed its check.
                if let Opened::Ready(doc) = &opened {
                    note_document(doc, p);
                }
                Ok(opened)
            }
        })
        .collect();
    if !args.keep_going {
        if let Some(first) = results.iter().position(Result::is_err) {
            for earlier in results.drain(..first) {
                if let Ok(Opened::Unchecked(text)) = earlier {
                    text.finish().map_err(explain)?;
                }
            }
            // The file at `first` is the error.
            results.remove(0)?;
        }
    }
    Ok((results, paths.len()))
}

/// The documents of `opened` (each with what the command keeps beside it), the unchecked
/// ones checked now; the errors reported (or, with `--keep-going`, the files skipped) in
/// the order given, and a warning for each decoded or repaired document. `total`: the
/// number of files named, for the error when none is left.
pub fn finish<T: Send>(
    opened: Vec<(Result<Opened>, T)>,
    total: usize,
    args: LoadArgs,
) -> Result<Vec<(Document, T)>> {
    let results: Vec<Result<(Document, T)>> = opened
        .into_par_iter()
        .map(|(opened, extra)| match opened? {
            Opened::Ready(doc) => Ok((doc, extra)),
            Opened::Unchecked(text) => {
                let path = text.path().to_path_buf();
                let doc = text.finish().map_err(explain)?;
                note_document(&doc, &path);
                Ok((doc, extra))
            }
        })
        .collect();
    let docs = kept(results, total, args)?;
    for (doc, _) in &docs {
        if let Some(encoding) = doc.decoded_from() {
            eprintln!(
                "lectio: warning: {}: decoded from {encoding}; offsets refer to its UTF-8 form",
                doc.name()
            );
        }
        if doc.replaced_bytes() > 0 {
            eprintln!(
                "lectio: warning: {}: replaced {} invalid byte(s) with U+FFFD",
                doc.name(),
                doc.replaced_bytes()
            );
        }
    }
    Ok(docs)
}

/// What could be read: with `--keep-going`, each error is reported and skipped (the run
/// will exit with status 1); else the first error. An error too when nothing is left.
fn kept<T>(results: Vec<Result<T>>, total: usize, args: LoadArgs) -> Result<Vec<T>> {
    let mut out = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(x) => out.push(x),
            Err(err) if args.keep_going => {
                eprintln!("lectio: error: {err:#} (skipped)");
                SKIPPED_INPUT.store(true, Ordering::Relaxed);
            }
            Err(err) => return Err(err),
        }
    }
    if out.is_empty() {
        anyhow::bail!("none of the {total} input files could be read");
    }
    Ok(out)
}

/// With `recursive`, replaces each directory by the *.txt files under it, sorted by path.
fn expand(paths: &[PathBuf], recursive: bool) -> Result<Vec<PathBuf>> {
    if !recursive {
        return Ok(paths.to_vec());
    }
    let mut out = Vec::new();
    for path in paths {
        if embedded(path).is_some() || !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let before = out.len();
        // Sorted by name within each directory, as `sort_by_file_name` does, but comparing
        // the whole paths: siblings share their directory's path, so the order is the
        // same, without parsing each path for its last component at every comparison
        // (over 10,000 files, 5.7 ms of kwic's 69 ms, before any file was opened).
        let by_name = |a: &walkdir::DirEntry, b: &walkdir::DirEntry| {
            a.path().as_os_str().cmp(b.path().as_os_str())
        };
        for entry in walkdir::WalkDir::new(path).sort_by(by_name) {
            let entry = entry.with_context(|| format!("{}: cannot walk", path.display()))?;
            let is_txt = entry
                .path()
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
            if entry.file_type().is_file() && is_txt {
                out.push(entry.into_path());
            }
        }
        if out.len() == before {
            anyhow::bail!("{}: no .txt files in this directory", path.display());
        }
    }
    Ok(out)
}

fn explain(err: LoadError) -> anyhow::Error {
    match err {
        LoadError::InvalidUtf8 { .. } | LoadError::InvalidUtf16 { .. } => {
            anyhow::anyhow!("{err} (use --lossy to replace invalid bytes)")
        }
        LoadError::Binary { .. } => anyhow::anyhow!("{err} (use --binary to read it as text)"),
        LoadError::IsDirectory { .. } => anyhow::anyhow!("{err} (use -r to read its .txt files)"),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_is_walked_in_the_order_of_its_names() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let files = [
            "a.txt",
            "a-b.txt",
            "a/x.txt",
            "a/c/y.txt",
            "a/b.txt",
            "B.txt",
            "a0.txt",
            "ab/z.txt",
        ];
        for f in files {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "x").unwrap();
        }
        let got = expand(&[root.to_path_buf()], true).unwrap();
        // Depth first, each directory's entries by the bytes of their names: "a-b.txt"
        // comes after the directory "a" although "-" sorts before "/".
        let want: Vec<PathBuf> = [
            "B.txt",
            "a/b.txt",
            "a/c/y.txt",
            "a/x.txt",
            "a-b.txt",
            "a.txt",
            "a0.txt",
            "ab/z.txt",
        ]
        .iter()
        .map(|w| {
            w.split('/')
                .fold(root.to_path_buf(), |p, part| p.join(part))
        })
        .collect();
        assert_eq!(got, want);
        let walked: Vec<PathBuf> = walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
            .collect();
        assert_eq!(got, walked, "the order of walkdir's own sort by file name");
    }
}
