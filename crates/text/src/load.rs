use std::borrow::Cow;
use std::fs::File;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crate::{LineIndex, LoadError};

/// Files at least this large are memory-mapped instead of read into memory when they fit
/// in the resident budget (64 MiB of input in all): copying a file into fresh memory cost
/// more in page faults than mapping it (kwic over 64 files of 0.8 MB took 90 ms read, 53 ms
/// mapped).
pub const MMAP_THRESHOLD: u64 = 1 << 16;

/// Files at least this large are always memory-mapped: past the budget they are streamed,
/// their pages released as they are read.
const STREAM_THRESHOLD: u64 = 1 << 20;

/// Bytes of mapped files that may stay in memory at once, for the whole process. A mapped
/// file that fits is read in whole while it is validated (see [`populate`]) and stays in
/// memory for the passes after; the others are streamed, so that memory stays bounded
/// whatever the size and number of the files. Without the bound, eight files of 60 MiB
/// kept 565 MB resident; and mapping many small files would run into the system's limit
/// on the number of maps (65,530 by default on Linux): only 1,024 files of 64 KiB fit.
const RESIDENT_BUDGET: u64 = 64 << 20;

/// Bytes that may be held at once, and the bytes held.
struct Budget {
    limit: u64,
    used: AtomicU64,
}

impl Budget {
    const fn new(limit: u64) -> Self {
        Budget {
            limit,
            used: AtomicU64::new(0),
        }
    }

    /// Takes `len` bytes if they are left.
    fn reserve(&self, len: u64) -> bool {
        self.used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                used.checked_add(len).filter(|&u| u <= self.limit)
            })
            .is_ok()
    }

    /// Gives back `len` bytes taken by [`Budget::reserve`].
    fn give_back(&self, len: u64) {
        self.used.fetch_sub(len, Ordering::Relaxed);
    }
}

/// The share of [`RESIDENT_BUDGET`] that mapped files hold.
static RESIDENT: Budget = Budget::new(RESIDENT_BUDGET);

/// A memory-mapped file; `resident` when it holds its share of [`RESIDENT_BUDGET`] (given
/// back when it is dropped).
struct Mapped {
    map: memmap2::Mmap,
    resident: bool,
}

impl Drop for Mapped {
    fn drop(&mut self) {
        if self.resident {
            RESIDENT.give_back(self.map.len() as u64);
        }
    }
}

/// The byte lossy loading puts in place of each invalid byte: one byte for one byte, so that
/// every offset stays an offset into the file on disk. It is shown as U+FFFD.
pub const LOSSY_PLACEHOLDER: u8 = 0x1A;

/// How to load a text.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Replace invalid UTF-8 instead of failing. Each invalid byte becomes one placeholder
    /// byte, shown as U+FFFD, so offsets still point into the original file.
    pub lossy: bool,
    /// Read files with NUL bytes as text instead of refusing them as binary.
    pub binary: bool,
}

enum Data {
    Static(&'static [u8]),
    Owned(Vec<u8>),
    Mapped(Mapped),
}

/// One text: its name and its bytes exactly as on disk, known to be UTF-8.
pub struct Document {
    name: String,
    data: Data,
    replaced: usize,
    decoded_from: Option<&'static str>,
    file_id: Option<(u64, u64)>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("name", &self.name)
            .field("len", &self.as_str().len())
            .field("replaced", &self.replaced)
            .field("decoded_from", &self.decoded_from)
            .finish()
    }
}

impl Document {
    /// Loads a file; `-` reads standard input. Large files are memory-mapped.
    pub fn open(path: &Path, opts: LoadOptions) -> Result<Self, LoadError> {
        match Self::open_unchecked(path, opts)? {
            Opened::Ready(doc) => Ok(doc),
            Opened::Unchecked(text) => text.finish(),
        }
    }

    /// Loads a file as [`Document::open`] does, except that a file it would memory-map
    /// (and that has no UTF-16 byte-order mark) comes back [`Unchecked`]: the pass that
    /// reads it checks it piece by piece as it goes ([`Unchecked::check`]), and
    /// [`Unchecked::finish`] makes the document. The file is then read from memory once,
    /// not once to check it and again to use it.
    pub fn open_unchecked(path: &Path, opts: LoadOptions) -> Result<Opened, LoadError> {
        let io = |error| LoadError::Io {
            path: path.to_path_buf(),
            error,
        };
        if path.as_os_str() == "-" {
            let buf = read_stream(std::io::stdin().lock(), path, opts)?;
            return Self::from_bytes("-", buf, opts).map(Opened::Ready);
        }
        let is_dir = || LoadError::IsDirectory {
            path: path.to_path_buf(),
        };
        // Opened first and asked about through the open file: over 10,000 small files,
        // looking the path up again for its metadata (and std's `read_to_end` asking for
        // the size once more) was a third of the loading.
        let file = match File::open(path) {
            Ok(file) => file,
            // A directory that cannot be opened (no permission to list it, or a system
            // where directories never open) is still named as one.
            Err(e) => match std::fs::metadata(path) {
                Ok(meta) if meta.is_dir() => return Err(is_dir()),
                _ => return Err(io(e)),
            },
        };
        let meta = file.metadata().map_err(io)?;
        if meta.is_dir() {
            return Err(is_dir());
        }
        let name = path.to_string_lossy().into_owned();
        if !meta.is_file() {
            // A pipe or a device (`/dev/zero`): its length is unknown, maybe endless.
            let buf = read_stream(file, path, opts)?;
            return Self::from_bytes(name, buf, opts).map(Opened::Ready);
        }
        let file_id = file_id(&meta);
        let len = meta.len();
        let resident = len >= MMAP_THRESHOLD && RESIDENT.reserve(len);
        if resident || len >= STREAM_THRESHOLD {
            // SAFETY: the map is read-only. As in every mmap-based text tool, a file
            // truncated by another process while we read it is outside our guarantees.
            let map = match unsafe { memmap2::Mmap::map(&file) } {
                Ok(map) => Mapped { map, resident },
                Err(e) => {
                    if resident {
                        RESIDENT.give_back(len);
                    }
                    return Err(io(e));
                }
            };
            if utf16_bom(&map.map).is_some() {
                let bytes = map.map.to_vec();
                drop(map);
                return Self::from_bytes(name, bytes, opts)
                    .map(|d| Opened::Ready(d.with_file_id(file_id)));
            }
            return Ok(Opened::Unchecked(Unchecked {
                path: path.to_path_buf(),
                map,
                opts,
                file_id,
                checked: Mutex::new(Vec::new()),
            }));
        }
        // The size is known: read through `Read::take`, whose `read_to_end` does not ask the
        // file for it again (a file that grew meanwhile is still read to its end).
        let mut buf = Vec::with_capacity(len as usize + 1);
        file.take(u64::MAX).read_to_end(&mut buf).map_err(io)?;
        Self::from_bytes(name, buf, opts).map(|d| Opened::Ready(d.with_file_id(file_id)))
    }

    fn with_file_id(self, file_id: Option<(u64, u64)>) -> Self {
        Document { file_id, ..self }
    }

    /// The device and inode numbers of the regular file the document was read from, as
    /// the open file reported them (Unix only; `None` for standard input, a pipe or
    /// device, bytes given in memory, and on other systems). A caller that must not
    /// overwrite its inputs can compare them with a path's without asking the file system
    /// again for every document.
    pub fn file_id(&self) -> Option<(u64, u64)> {
        self.file_id
    }

    /// A document over bytes compiled into the program (the embedded essay).
    pub fn from_static(
        name: impl Into<String>,
        bytes: &'static [u8],
        opts: LoadOptions,
    ) -> Result<Self, LoadError> {
        let name = name.into();
        if memchr::memchr(0, bytes).is_none() && is_utf8(bytes) {
            return Ok(Document {
                name,
                data: Data::Static(bytes),
                replaced: 0,
                decoded_from: None,
                file_id: None,
            });
        }
        Self::from_bytes(name, bytes.to_vec(), opts)
    }

    /// A document over bytes already in memory, validated (or repaired with `opts.lossy`).
    ///
    /// UTF-16 with a byte-order mark is decoded to UTF-8 (offsets are then offsets into
    /// the UTF-8 form); a NUL byte marks a binary file, refused unless `opts.binary`.
    pub fn from_bytes(
        name: impl Into<String>,
        mut bytes: Vec<u8>,
        opts: LoadOptions,
    ) -> Result<Self, LoadError> {
        let name = name.into();
        let mut replaced = 0;
        let mut decoded_from = None;
        if let Some((encoding, big_endian)) = utf16_bom(&bytes) {
            let (utf8, bad) = decode_utf16(&bytes, big_endian);
            if let Some(offset) = bad.filter(|_| !opts.lossy) {
                return Err(LoadError::InvalidUtf16 {
                    path: PathBuf::from(name),
                    encoding,
                    offset,
                });
            }
            replaced = utf8.matches('\u{FFFD}').count();
            bytes = utf8.into_bytes();
            decoded_from = Some(encoding);
        }
        if !opts.binary {
            if let Some(offset) = memchr::memchr(0, &bytes) {
                return Err(LoadError::Binary {
                    path: PathBuf::from(name),
                    offset,
                });
            }
        }
        // The fast check first; the standard library's finds where the error is.
        let invalid = match is_utf8(&bytes) {
            true => None,
            false => std::str::from_utf8(&bytes).err(),
        };
        if let Some(e) = invalid {
            if !opts.lossy {
                let offset = e.valid_up_to();
                // Only the valid prefix is needed to count lines.
                let prefix = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
                return Err(LoadError::InvalidUtf8 {
                    path: PathBuf::from(name),
                    line: LineIndex::new(prefix).len(),
                    offset,
                });
            }
            replaced = repair(&mut bytes);
        }
        Ok(Document {
            name,
            data: Data::Owned(bytes),
            replaced,
            decoded_from,
            file_id: None,
        })
    }

    /// The encoding the file was decoded from, when it was not UTF-8 ("UTF-16LE" or
    /// "UTF-16BE"); offsets then refer to the decoded UTF-8 text.
    pub fn decoded_from(&self) -> Option<&'static str> {
        self.decoded_from
    }

    /// The name: the path as given, `-` for standard input, or the embedded file's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text, byte for byte as in the file (with any leading BOM).
    pub fn as_str(&self) -> &str {
        let bytes: &[u8] = match &self.data {
            Data::Static(b) => b,
            Data::Owned(v) => v,
            Data::Mapped(m) => &m.map,
        };
        // SAFETY: every constructor validated (or repaired) these bytes as UTF-8; owned and
        // static bytes never change. A mapped file changed on disk by another process while
        // it is read is outside our guarantees, as `Document::open` says (and validating
        // again here would read the whole file on every call: profiling showed a second
        // full pass, and a mapped file made resident whole, from this line alone).
        debug_assert!(std::str::from_utf8(bytes).is_ok());
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }

    /// Lets the operating system drop bytes `range` of a streamed memory-mapped file from
    /// memory (they are read again from the file if touched later); does nothing for a text
    /// read into memory or a file kept in memory within the resident budget. Pages that
    /// `range` covers only in part are kept. Touched pages of a mapped file count in the
    /// resident memory of the process: releasing what has been read keeps a pass over a
    /// file larger than memory within bounds.
    pub fn release(&self, range: std::ops::Range<usize>) {
        if let Data::Mapped(map) = &self.data {
            release_pages(map, range);
        }
    }

    /// How many invalid bytes lossy loading replaced (0 for a valid file).
    pub fn replaced_bytes(&self) -> usize {
        self.replaced
    }

    /// The original text of `start..end` for display: placeholders of lossy loading are
    /// shown as U+FFFD.
    pub fn display(&self, start: usize, end: usize) -> Cow<'_, str> {
        let s = &self.as_str()[start..end];
        if self.replaced > 0 && s.as_bytes().contains(&LOSSY_PLACEHOLDER) {
            Cow::Owned(s.replace(LOSSY_PLACEHOLDER as char, "\u{FFFD}"))
        } else {
            Cow::Borrowed(s)
        }
    }
}

/// A file opened by [`Document::open_unchecked`].
pub enum Opened {
    /// Checked (or repaired, or decoded) and ready.
    Ready(Document),
    /// Memory-mapped and not yet checked as UTF-8.
    Unchecked(Unchecked),
}

/// A memory-mapped file whose bytes have not all been checked as UTF-8 yet. Its text is
/// handed out only in ranges that [`Unchecked::check`] found valid, and
/// [`Unchecked::finish`] makes the [`Document`] once the rest is checked too.
pub struct Unchecked {
    /// The path as given; the document's name is this path as text.
    path: PathBuf,
    map: Mapped,
    opts: LoadOptions,
    file_id: Option<(u64, u64)>,
    /// The ranges found valid (and without NUL bytes, unless `opts.binary`), in no order.
    checked: Mutex<Vec<Range<usize>>>,
}

impl std::fmt::Debug for Unchecked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Unchecked")
            .field("path", &self.path)
            .field("len", &self.map.map.len())
            .finish()
    }
}

impl Unchecked {
    /// The path as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's bytes, exactly as on disk, maybe not UTF-8.
    pub fn bytes(&self) -> &[u8] {
        &self.map.map
    }

    /// The text of bytes `range` when they are valid UTF-8 (and have no NUL byte, unless
    /// loading binary files): a range must hold whole characters. A valid range counts as
    /// checked for [`Unchecked::finish`]. `None` for an invalid range (or one past the
    /// end); the error itself is reported by `finish`.
    pub fn check(&self, range: Range<usize>) -> Option<&str> {
        let piece = self.map.map.get(range.clone())?;
        populate(&self.map, range.clone());
        if !valid_piece(piece, self.opts.binary) {
            return None;
        }
        // SAFETY: just checked.
        let text = unsafe { std::str::from_utf8_unchecked(piece) };
        self.checked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(range);
        Some(text)
    }

    /// Lets the operating system drop bytes `range` from memory, as [`Document::release`].
    pub fn release(&self, range: Range<usize>) {
        release_pages(&self.map, range);
    }

    /// Lets the operating system drop bytes `range` from memory even when the file is kept
    /// in memory for later passes: for bytes that no later pass will read.
    pub fn discard(&self, range: Range<usize>) {
        drop_pages(&self.map.map, range);
    }

    /// The document: the bytes that [`Unchecked::check`] did not see are checked now.
    /// Errors (and `--lossy` repairs) are those of [`Document::open`].
    pub fn finish(self) -> Result<Document, LoadError> {
        let name = self.path.to_string_lossy().into_owned();
        let mut checked = self.checked.into_inner().unwrap_or_else(|e| e.into_inner());
        checked.sort_unstable_by_key(|r| r.start);
        // The bytes between the checked ranges. The concatenation of valid UTF-8 texts
        // is valid, and so is the union of two overlapping ones (both end on character
        // boundaries), so the whole is valid exactly when every gap is.
        let mut gaps = Vec::new();
        let mut at = 0;
        for r in checked {
            if r.start > at {
                gaps.push(at..r.start);
            }
            at = at.max(r.end);
        }
        if at < self.map.map.len() {
            gaps.push(at..self.map.map.len());
        }
        if gaps
            .into_iter()
            .all(|gap| valid_text(&self.map, gap, self.opts.binary))
        {
            return Ok(Document {
                name,
                data: Data::Mapped(self.map),
                replaced: 0,
                decoded_from: None,
                file_id: self.file_id,
            });
        }
        let bytes = self.map.map.to_vec();
        drop(self.map);
        Document::from_bytes(name, bytes, self.opts).map(|d| d.with_file_id(self.file_id))
    }
}

/// Page size assumed for releasing: 4 KiB pages are the smallest in use, so rounding to
/// them never releases a page partly outside the range (larger pages are released when a
/// whole one is covered, or not at all).
const PAGE: usize = 4096;

/// Pieces of a mapped file validated in parallel.
const PIECE: usize = 1 << 20;

/// True when bytes `range` of `map` are valid UTF-8 (and, unless `binary`, have no NUL
/// byte). Checked in pieces of about a MiB in parallel, each released from memory once
/// checked; a piece ends before a character's continuation bytes, so every piece is valid
/// on its own exactly when the whole is. The error itself is found again by the slow path.
fn valid_text(map: &Mapped, range: Range<usize>, binary: bool) -> bool {
    use rayon::prelude::*;
    let bytes: &[u8] = &map.map[..range.end];
    // Where piece k starts: at k MiB, backed up to the first byte of a character (at most
    // 3 continuation bytes). Found by the piece's own worker, not all up front: touching
    // one byte of each MiB maps a whole folio of the page cache around it, which would
    // make most of a large file resident before any of it is released.
    let cut = |k: usize| -> usize {
        let at = range.start + k * PIECE;
        if at >= range.end {
            return range.end;
        }
        let mut cut = at;
        while cut > at.saturating_sub(3).max(range.start) && (bytes[cut] & 0xC0) == 0x80 {
            cut -= 1;
        }
        cut
    };
    (0..range.len().div_ceil(PIECE)).into_par_iter().all(|k| {
        let (start, end) = (cut(k), cut(k + 1));
        let piece = &bytes[start..end];
        populate(map, start..end);
        let ok = valid_piece(piece, binary);
        release_pages(map, start..end);
        ok
    })
}

/// Whether `piece` is text as loading takes it: valid UTF-8 and, unless `binary`, without
/// a NUL byte.
fn valid_piece(piece: &[u8], binary: bool) -> bool {
    (binary || memchr::memchr(0, piece).is_none()) && is_utf8(piece)
}

/// The identity of a regular file, (device, inode), from its metadata: what
/// [`Document::file_id`] holds. `None` for anything but a regular file, and on systems
/// other than Unix.
pub fn file_id(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.is_file().then(|| (meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// Whether `bytes` are valid UTF-8: simdutf8's check, about four times as fast as the
/// standard library's on a piece in the cache (50 against 12 GB/s here). It tells nothing
/// of where an error is; the standard library's check finds that, on the slow path.
fn is_utf8(bytes: &[u8]) -> bool {
    simdutf8::basic::from_utf8(bytes).is_ok()
}

/// Maps the pages of `range` of a file kept in memory in one system call instead of a page
/// fault every few pages; each validating thread does its own pieces, so that this work is
/// shared too. Errors (a kernel without `MADV_POPULATE_READ`) only mean that the pages are
/// mapped when first read.
fn populate(map: &Mapped, range: Range<usize>) {
    #[cfg(target_os = "linux")]
    if map.resident && !range.is_empty() {
        let _ = map
            .map
            .advise_range(memmap2::Advice::PopulateRead, range.start, range.len());
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (map, range);
}

fn release_pages(map: &Mapped, range: Range<usize>) {
    if map.resident {
        return;
    }
    drop_pages(&map.map, range);
}

/// Drops the pages that lie wholly in `range` of `map` from memory.
fn drop_pages(map: &memmap2::Mmap, range: Range<usize>) {
    let start = range.start.next_multiple_of(PAGE);
    // The end of the map ends its last page (the kernel rounds the length up).
    let end = if range.end >= map.len() {
        map.len()
    } else {
        range.end / PAGE * PAGE
    };
    #[cfg(unix)]
    if start < end {
        // SAFETY: the map is read-only and backed by the file: after MADV_DONTNEED its
        // pages read the file's contents again, so no data is lost and every &str over the
        // map stays valid. Errors (an unsupported advice) only mean the pages stay.
        let _ = unsafe {
            map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, start, end - start)
        };
    }
    #[cfg(not(unix))]
    let _ = (map, start, end);
}

/// Reads a stream of unknown length (standard input, a pipe, a device) to its end, refusing
/// it at its first NUL byte unless `opts.binary`, so that `/dev/zero` or `/dev/urandom` is
/// refused at once instead of being read until memory runs out. UTF-16 (with a byte-order
/// mark) has NUL bytes in its ASCII characters and is read whole.
fn read_stream(
    mut reader: impl Read,
    path: &Path,
    opts: LoadOptions,
) -> Result<Vec<u8>, LoadError> {
    const PIECE: usize = 1 << 16;
    let mut buf = Vec::new();
    loop {
        let start = buf.len();
        let read = (&mut reader)
            .take(PIECE as u64)
            .read_to_end(&mut buf)
            .map_err(|error| LoadError::Io {
                path: path.to_path_buf(),
                error,
            })?;
        if !opts.binary && utf16_bom(&buf).is_none() {
            if let Some(i) = memchr::memchr(0, &buf[start..]) {
                return Err(LoadError::Binary {
                    path: path.to_path_buf(),
                    offset: start + i,
                });
            }
        }
        if read == 0 {
            return Ok(buf);
        }
    }
}

/// The UTF-16 byte-order mark at the start of `bytes`: the encoding's name and whether it
/// is big-endian.
fn utf16_bom(bytes: &[u8]) -> Option<(&'static str, bool)> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(("UTF-16LE", false)),
        [0xFE, 0xFF, ..] => Some(("UTF-16BE", true)),
        _ => None,
    }
}

/// Decodes UTF-16 (BOM included, as U+FEFF) to UTF-8. Unpaired surrogates and an odd final
/// byte become U+FFFD; the byte offset of the first such problem is returned too.
fn decode_utf16(bytes: &[u8], big_endian: bool) -> (String, Option<usize>) {
    let units = bytes.chunks_exact(2).map(|p| {
        if big_endian {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    });
    let mut out = String::with_capacity(bytes.len());
    let mut first_bad = None;
    let mut at = 0;
    for r in char::decode_utf16(units) {
        match r {
            Ok(c) => {
                out.push(c);
                at += c.len_utf16() * 2;
            }
            Err(_) => {
                first_bad.get_or_insert(at);
                out.push('\u{FFFD}');
                at += 2;
            }
        }
    }
    if bytes.len() % 2 == 1 {
        first_bad.get_or_insert(bytes.len() - 1);
        out.push('\u{FFFD}');
    }
    (out, first_bad)
}

/// Replaces every byte of every invalid UTF-8 sequence with the placeholder, in place.
fn repair(bytes: &mut [u8]) -> usize {
    let mut invalid = Vec::new();
    let mut pos = 0;
    for chunk in bytes.utf8_chunks() {
        pos += chunk.valid().len();
        let bad = chunk.invalid().len();
        invalid.push(pos..pos + bad);
        pos += bad;
    }
    let mut count = 0;
    for r in invalid {
        count += r.len();
        bytes[r].fill(LOSSY_PLACEHOLDER);
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_resident_budget_is_never_exceeded_and_is_given_back() {
        let b = Budget::new(100);
        assert!(b.reserve(60));
        assert!(!b.reserve(50), "60 + 50 is over 100");
        assert!(b.reserve(40));
        assert!(!b.reserve(1));
        b.give_back(60);
        assert!(b.reserve(50));
        assert!(!b.reserve(u64::MAX), "no overflow");
        assert_eq!(b.used.load(Ordering::Relaxed), 90);
    }

    #[test]
    fn invalid_utf8_names_line_and_offset() {
        let err = Document::from_bytes(
            "x.txt",
            b"ok\nfine\nbad \xff here".to_vec(),
            LoadOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.txt: invalid UTF-8 at line 3, byte offset 12"
        );
    }

    #[test]
    fn lossy_keeps_offsets_and_shows_replacement_characters() {
        let doc = Document::from_bytes(
            "x.txt",
            b"caf\xc3 au \xff\xfe lait".to_vec(),
            LoadOptions {
                lossy: true,
                ..LoadOptions::default()
            },
        )
        .unwrap();
        assert_eq!(doc.replaced_bytes(), 3);
        assert_eq!(doc.as_str().len(), 15);
        assert_eq!(doc.display(0, 15), "caf\u{FFFD} au \u{FFFD}\u{FFFD} lait");
    }

    /// A file of `bytes` in a new temporary directory (kept alive by the handle).
    fn file(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, bytes).unwrap();
        (dir, path)
    }

    fn unchecked(path: &Path, opts: LoadOptions) -> Unchecked {
        match Document::open_unchecked(path, opts).unwrap() {
            Opened::Unchecked(text) => text,
            Opened::Ready(_) => panic!("a file of 64 KiB or more is mapped"),
        }
    }

    /// A line of 29 bytes mixing ASCII and two- and three-byte characters.
    const LINE: &str = "Sch\u{f6}n, caf\u{e9} \u{2014} party line\n";
    const L: usize = LINE.len();

    /// About 100,000 bytes of [`LINE`].
    fn big_text() -> Vec<u8> {
        LINE.repeat(100_000 / L + 1).into_bytes()
    }

    #[test]
    fn an_unchecked_file_checked_in_part_finishes_as_the_document_open_gives() {
        let bytes = big_text();
        let (_dir, path) = file(&bytes);
        let text = unchecked(&path, LoadOptions::default());
        assert_eq!(text.bytes(), &bytes[..]);
        // Pieces of whole lines, with gaps the finish checks.
        assert_eq!(L, 29);
        assert_eq!(text.check(0..10 * L).map(str::len), Some(10 * L));
        assert_eq!(text.check(20 * L..1000 * L).map(str::len), Some(980 * L));
        assert_eq!(text.check(1000 * L..1001 * L), Some(LINE));
        // "ö" is bytes 3..5: a range that splits it is not checked.
        assert_eq!(text.check(4..L), None);
        assert_eq!(text.check(0..bytes.len() + 1), None);
        let doc = text.finish().unwrap();
        assert_eq!(doc.as_str().as_bytes(), &bytes[..]);
        assert_eq!(doc.replaced_bytes(), 0);
        let opened = Document::open(&path, LoadOptions::default()).unwrap();
        assert_eq!(opened.as_str(), doc.as_str());
    }

    #[cfg(unix)]
    #[test]
    fn a_document_knows_the_file_it_was_read_from() {
        use std::os::unix::fs::MetadataExt;
        let id = |path: &Path| {
            let meta = std::fs::metadata(path).unwrap();
            Some((meta.dev(), meta.ino()))
        };
        let lossy = LoadOptions {
            lossy: true,
            ..LoadOptions::default()
        };
        // Read into memory (small), mapped and finished (big), mapped then copied to be
        // repaired (big, one bad byte), decoded from UTF-16 (read, and mapped then copied).
        let mut bad = big_text();
        bad[50_000] = 0xff;
        let utf16 = |text: &str| -> Vec<u8> {
            [0xff, 0xfe]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
                .collect()
        };
        let big_utf16 = utf16(&LINE.repeat(100_000 / L + 1));
        assert!(big_utf16.len() as u64 >= MMAP_THRESHOLD);
        for (bytes, opts) in [
            (b"a small text\n".to_vec(), LoadOptions::default()),
            (big_text(), LoadOptions::default()),
            (bad, lossy),
            (utf16("Sch\u{f6}n"), LoadOptions::default()),
            (big_utf16, LoadOptions::default()),
        ] {
            let (_dir, path) = file(&bytes);
            let doc = Document::open(&path, opts).unwrap();
            assert_eq!(doc.file_id(), id(&path), "{} bytes", bytes.len());
            // Another file has another identity.
            let (_other_dir, other) = file(&bytes);
            assert_ne!(doc.file_id(), id(&other));
        }
        let doc = Document::from_bytes("x.txt", b"text".to_vec(), LoadOptions::default());
        assert_eq!(doc.unwrap().file_id(), None);
    }

    #[test]
    fn bad_bytes_in_an_unchecked_file_are_the_errors_and_repairs_of_open() {
        let lossy = LoadOptions {
            lossy: true,
            ..LoadOptions::default()
        };
        let binary = LoadOptions {
            binary: true,
            ..LoadOptions::default()
        };
        for (at, bad) in [(0, 0xFF), (45_000, 0xE9), (99_990, 0x80), (50_001, 0)] {
            let mut bytes = big_text();
            bytes[at] = bad;
            let (_dir, path) = file(&bytes);
            let expected = Document::open(&path, LoadOptions::default())
                .unwrap_err()
                .to_string();
            let name = path.display();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let said = match bad {
                0 => format!("{name}: looks like a binary file (NUL byte at byte offset {at})"),
                _ => format!("{name}: invalid UTF-8 at line {line}, byte offset {at}"),
            };
            assert_eq!(expected, said);
            // The piece with the bad byte fails its check; the finish reports it.
            let text = unchecked(&path, LoadOptions::default());
            let piece = at / L * L..(at / L + 1) * L;
            assert_eq!(text.check(piece), None);
            assert_eq!(text.check(1000 * L..1001 * L), Some(LINE));
            assert_eq!(text.finish().unwrap_err().to_string(), expected);
            // Unchecked, it is found by the finish alone.
            let text = unchecked(&path, LoadOptions::default());
            assert_eq!(text.finish().unwrap_err().to_string(), expected);
            if bad == 0 {
                let doc = unchecked(&path, binary).finish().unwrap();
                assert_eq!(doc.as_str().as_bytes(), &bytes[..]);
            } else {
                let doc = unchecked(&path, lossy).finish().unwrap();
                let repaired = Document::open(&path, lossy).unwrap();
                assert!(doc.replaced_bytes() >= 1);
                assert_eq!(doc.replaced_bytes(), repaired.replaced_bytes());
                assert_eq!(doc.as_str(), repaired.as_str());
            }
        }
    }
}
