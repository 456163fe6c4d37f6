use std::path::PathBuf;

/// Why a text could not be loaded. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be opened or read.
    // The io error is part of the message, not a separate source, so that the one-line
    // error a user sees does not repeat it.
    #[error("{}: {error}", path.display())]
    Io {
        /// The path as given.
        path: PathBuf,
        /// The underlying error.
        error: std::io::Error,
    },
    /// The path names a directory, not a file.
    #[error("{}: is a directory, not a text file", path.display())]
    IsDirectory {
        /// The path as given.
        path: PathBuf,
    },
    /// The bytes are not valid UTF-8 (and lossy loading was not asked for).
    #[error("{}: invalid UTF-8 at line {line}, byte offset {offset}", path.display())]
    InvalidUtf8 {
        /// The path as given.
        path: PathBuf,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// Byte offset of the first invalid byte in the file.
        offset: usize,
    },
    /// The file has NUL bytes: most likely not a text file.
    #[error("{}: looks like a binary file (NUL byte at byte offset {offset})", path.display())]
    Binary {
        /// The path as given.
        path: PathBuf,
        /// Byte offset of the first NUL byte.
        offset: usize,
    },
    /// A UTF-16 file (with a byte-order mark) has an unpaired surrogate or an odd length.
    #[error("{}: invalid {encoding} at byte offset {offset}", path.display())]
    InvalidUtf16 {
        /// The path as given.
        path: PathBuf,
        /// "UTF-16LE" or "UTF-16BE".
        encoding: &'static str,
        /// Byte offset in the file of the first bad code unit.
        offset: usize,
    },
}
