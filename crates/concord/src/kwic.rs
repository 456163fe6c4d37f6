//! Keyword in context: every occurrence of a query with its original surroundings.

use std::cmp::Ordering;

use std::collections::VecDeque;

use lectio_text::{
    key, key_into, KeyOptions, Progress, Token, TokenKind, Tokenizer, Unchecked, ASCII_KEY_BRIDGES,
};
use memchr::{memchr2, memrchr2};

use crate::query::{Query, Term};

/// How much context to show on each side of a hit. Any size may be asked for: context
/// stops at the edges of the text, and nothing is set aside for more than the text holds
/// (lectio's command line takes at most 1,000 words or 10,000 characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Whole words: the N words before and after, with what stands between them.
    Words(usize),
    /// Characters of the original text (whitespace runs counted as one space).
    Chars(usize),
}

impl Default for Context {
    fn default() -> Self {
        Context::Words(8)
    }
}

/// A sort key for a concordance, as AntConc offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// The n-th word to the left of the hit (1 = nearest).
    Left(u8),
    /// The hit itself.
    Match,
    /// The n-th word to the right of the hit (1 = nearest).
    Right(u8),
    /// Document order: the file, then the position in it.
    Pos,
}

impl std::str::FromStr for SortKey {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_uppercase().as_str() {
            "L1" => Ok(SortKey::Left(1)),
            "L2" => Ok(SortKey::Left(2)),
            "L3" => Ok(SortKey::Left(3)),
            "R1" => Ok(SortKey::Right(1)),
            "R2" => Ok(SortKey::Right(2)),
            "R3" => Ok(SortKey::Right(3)),
            "MATCH" => Ok(SortKey::Match),
            "POS" => Ok(SortKey::Pos),
            _ => Err(format!(
                "unknown sort key {s:?} (expected L3, L2, L1, MATCH, R1, R2, R3 or POS)"
            )),
        }
    }
}

impl std::fmt::Display for SortKey {
    /// The key as [`FromStr`](std::str::FromStr) reads it: `L1`, `MATCH`, `POS`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SortKey::Left(n) => write!(f, "L{n}"),
            SortKey::Right(n) => write!(f, "R{n}"),
            SortKey::Match => f.write_str("MATCH"),
            SortKey::Pos => f.write_str("POS"),
        }
    }
}

/// Words kept on each side of a hit for sorting.
const SORT_SPAN: usize = 3;

/// One occurrence of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the document among those searched (for ordering across files).
    pub doc: usize,
    /// 1-based line of the hit's first byte.
    pub line: usize,
    /// 1-based character column of the hit's first byte.
    pub column: usize,
    /// Byte offset where the hit starts in the file.
    pub start: usize,
    /// Byte offset where the hit ends (exclusive).
    pub end: usize,
    /// Left context, original text with whitespace runs shown as one space.
    pub left: String,
    /// The hit, exactly `file[start..end]`.
    pub matched: String,
    /// Right context, original text with whitespace runs shown as one space.
    pub right: String,
    /// Keys of the words to the left, nearest first (up to three).
    pub left_keys: Vec<String>,
    /// Keys of the matched words joined by a space.
    pub match_key: String,
    /// Keys of the words to the right, nearest first (up to three).
    pub right_keys: Vec<String>,
}

fn nth(keys: &[String], n: u8) -> &str {
    keys.get(n as usize - 1).map_or("", String::as_str)
}

impl Hit {
    fn sort_field(&self, key: SortKey) -> &str {
        match key {
            SortKey::Left(n) => nth(&self.left_keys, n),
            SortKey::Right(n) => nth(&self.right_keys, n),
            SortKey::Match => &self.match_key,
            SortKey::Pos => "",
        }
    }
}

/// Finds every occurrence of `query` in `text` (document number `doc`).
///
/// Words of a phrase must follow each other with nothing but whitespace between them
/// (line breaks included) and within one paragraph. Hits come in document order.
///
/// A large text is searched in pieces (cut at line starts) in parallel. When the first
/// word of the query is an ASCII key, only the lines that can hold it are tokenized: those
/// containing the key (ignoring ASCII case unless case-sensitive) or one of the few
/// non-ASCII characters that can stand in a word with that key ([`ASCII_KEY_BRIDGES`]).
/// The result is the same as a full scan, only faster.
pub fn search(doc: usize, text: &str, query: &Query, context: Context) -> Vec<Hit> {
    search_with_progress(doc, text, query, context, &())
}

/// Bytes per piece of a text searched in parallel.
const PIECE: usize = 1 << 20;

/// [`search`], telling `progress` of the bytes searched (and that they can be released).
pub fn search_with_progress(
    doc: usize,
    text: &str,
    query: &Query,
    context: Context,
    progress: &dyn Progress,
) -> Vec<Hit> {
    search_in_pieces(doc, text, query, context, progress, PIECE, text.len())
}

/// The hits of [`search`] that start before byte `end`, found by searching only the pieces
/// of the text that begin before it: the first hits of a frequent word without making
/// every other hit's concordance line (`lectio kwic --limit`).
pub fn search_before(
    doc: usize,
    text: &str,
    query: &Query,
    context: Context,
    end: usize,
) -> Vec<Hit> {
    let mut hits = search_in_pieces(doc, text, query, context, &(), PIECE, end);
    hits.retain(|h| h.start < end);
    hits
}

/// Where the hits of a query can be in a text that was checked as UTF-8 in the same pass
/// ([`locate`]): each piece's bounds, the lines that can hold a hit, and what places the
/// pieces' lines and columns. [`search_located`] makes the hits.
#[derive(Debug)]
pub struct Located {
    /// Where the file's bytes are and how many: a `Located` goes with the document made of
    /// that same mapping.
    at: (usize, usize),
    pieces: Vec<Option<Spot>>,
}

/// One piece of [`Located`].
#[derive(Debug)]
struct Spot {
    start: usize,
    end: usize,
    regions: Vec<(usize, usize)>,
    /// The line breaks in the piece before each region ([`breaks_before`]).
    before: Vec<usize>,
    breaks: usize,
    tail: (bool, usize),
}

/// The first pass of [`search`] over a file not yet checked as UTF-8: each piece is checked
/// ([`Unchecked::check`]) as it is searched for the lines that can hold a hit, so that the
/// file is read from memory once instead of once to check it and again to search it (on a
/// 1 GB file, a sixth of the time with one thread or two). `None` when a piece is not valid
/// text: [`Unchecked::finish`] then tells why (or repairs it, with lossy loading), and the
/// document is searched as any other. `progress` is told of each piece's bytes (and
/// `text` releases them).
pub fn locate(
    doc: usize,
    text: &Unchecked,
    query: &Query,
    progress: &dyn Progress,
) -> Option<Located> {
    locate_in_pieces(doc, text, query, progress, PIECE)
}

/// [`locate`] with pieces of about `size` bytes.
fn locate_in_pieces(
    doc: usize,
    text: &Unchecked,
    query: &Query,
    progress: &dyn Progress,
    size: usize,
) -> Option<Located> {
    use rayon::prelude::*;
    let bytes = text.bytes();
    let finder = query.prefilter();
    let size = size.max(1);
    let pieces = (0..bytes.len().div_ceil(size).max(1))
        .into_par_iter()
        .map(|k| {
            let Some((start, end)) = piece_bounds(bytes, k, size) else {
                return Some(None);
            };
            // Pieces begin at a line start or a space: between characters in valid text.
            let piece = text.check(start..end)?;
            let regions = regions(bytes, start, end, finder);
            let (breaks, before) = breaks_before(bytes, start, end, &regions);
            let spot = Spot {
                start,
                end,
                regions,
                before,
                breaks,
                tail: line_tail(piece, start == 0),
            };
            if spot.regions.is_empty() {
                text.discard(start..end);
            } else {
                text.release(start..end);
            }
            progress.advance(doc, (end - start) as u64);
            Some(Some(spot))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Located {
        at: (bytes.as_ptr() as usize, bytes.len()),
        pieces,
    })
}

/// The hits of [`search`] in `text`, the document made of the file that `located` was
/// found in ([`Unchecked::finish`]): only the lines that can hold a hit are read again.
/// `progress` is told of each piece's bytes again, and that the lines read can be
/// released. A `located` of another text is ignored: the whole text is searched.
pub fn search_located(
    doc: usize,
    text: &str,
    located: Located,
    query: &Query,
    context: Context,
    progress: &dyn Progress,
) -> Vec<Hit> {
    let found = each_spot(doc, text, located, progress, |spot| {
        let (mut hits, partial) = search_regions(
            doc,
            text,
            query,
            context,
            spot.start,
            spot.regions,
            &spot.before,
        );
        hits.shrink_to_fit();
        Found {
            hits,
            partial,
            breaks: spot.breaks,
            tail: spot.tail,
        }
    });
    match found {
        Some(found) => assemble(found),
        None => search_with_progress(doc, text, query, context, progress),
    }
}

/// Where the hits of [`search_located`] start: [`find_with_progress`] for a file
/// [`locate`]d in its check.
pub fn find_located(
    doc: usize,
    text: &str,
    located: Located,
    query: &Query,
    progress: &dyn Progress,
) -> Vec<usize> {
    let found = each_spot(doc, text, located, progress, |spot| {
        starts_in(doc, text, query, spot.start, spot.regions)
    });
    match found {
        Some(found) => found.concat(),
        None => find_with_progress(doc, text, query, progress),
    }
}

/// `f` of each piece of `located` that is not empty (`T::default()` for the others), in
/// parallel and in text order; `None` when `located` was not found in `text`. `progress`
/// is told of each piece's bytes, and that a piece whose lines were read can be released.
fn each_spot<T: Send + Default>(
    doc: usize,
    text: &str,
    located: Located,
    progress: &dyn Progress,
    f: impl Fn(Spot) -> T + Sync + Send,
) -> Option<Vec<T>> {
    use rayon::prelude::*;
    if located.at != (text.as_ptr() as usize, text.len()) {
        return None;
    }
    let found = located
        .pieces
        .into_par_iter()
        .map(|spot| {
            let Some(spot) = spot else {
                return T::default();
            };
            let range = spot.start..spot.end;
            let read = !spot.regions.is_empty();
            let out = f(spot);
            if read {
                progress.release(doc, range.clone());
            }
            progress.advance(doc, range.len() as u64);
            out
        })
        .collect();
    Some(found)
}

/// The hits in the pieces of about `piece` bytes that begin before byte `until`.
fn search_in_pieces(
    doc: usize,
    text: &str,
    query: &Query,
    context: Context,
    progress: &dyn Progress,
    piece: usize,
    until: usize,
) -> Vec<Hit> {
    let found: Vec<Found> = in_pieces(text, query, piece, until, |start, end, regions| {
        scan_piece(doc, text, query, context, progress, start, end, regions)
    });
    assemble(found)
}

/// The hits of every piece, in text order, with their lines and columns counted from the
/// start of the text.
fn assemble(found: Vec<Found>) -> Vec<Hit> {
    let places = placements(found.iter().map(|f| (f.breaks, f.tail)));
    let mut hits = Vec::with_capacity(found.iter().map(|f| f.hits.len()).sum());
    for (mut f, place) in found.into_iter().zip(places) {
        for &i in &f.partial {
            f.hits[i].column += place.carry;
        }
        hits.extend(f.hits.into_iter().map(|mut h| {
            h.line += place.lines;
            h
        }));
    }
    hits
}

/// Searches the piece `start..end` of `text` (its `regions` can hold hits) and tells
/// `progress` of its bytes.
#[allow(clippy::too_many_arguments)]
fn scan_piece(
    doc: usize,
    text: &str,
    query: &Query,
    context: Context,
    progress: &dyn Progress,
    start: usize,
    end: usize,
    regions: Vec<(usize, usize)>,
) -> Found {
    let (breaks, before) = breaks_before(text.as_bytes(), start, end, &regions);
    let (mut hits, partial) = search_regions(doc, text, query, context, start, regions, &before);
    let tail = line_tail(&text[start..end], start == 0);
    progress.release(doc, start..end);
    progress.advance(doc, (end - start) as u64);
    hits.shrink_to_fit();
    Found {
        hits,
        partial,
        breaks,
        tail,
    }
}

/// What comes before a piece: the line breaks of the pieces before it, and the characters
/// of its first line that lie in earlier pieces.
#[derive(Debug, Clone, Copy, Default)]
struct Placement {
    lines: usize,
    carry: usize,
}

/// The placement of each piece, from every piece's (line breaks, [`line_tail`]) in text
/// order. Line numbers are counted from the start of each piece, and the columns of hits
/// on a line that began in an earlier piece from the piece's start: this is what to add.
fn placements(pieces: impl Iterator<Item = (usize, (bool, usize))>) -> Vec<Placement> {
    let mut at = Placement::default();
    pieces
        .map(|(breaks, tail)| {
            let place = at;
            at.lines += breaks;
            at.carry = match tail {
                (true, chars) => chars,
                (false, chars) => at.carry + chars,
            };
            place
        })
        .collect()
}

/// The first `limit` hits of [`search`] in the order of [`sort`] by `keys`, and the number
/// of all the hits.
///
/// Every hit is found, but only `limit` of them are kept at any time: each piece's hits
/// are sorted and cut to `limit`, and the pieces' lists are merged, cut again, as they are
/// done. Sorting every hit of a frequent word first had held all their concordance lines
/// (`lectio kwic --sort R1 --limit 10` of a word with 4.3 million hits in 1 GB: 28 s and
/// 4 GB). The result is the same as sorting all hits and keeping the first `limit`: the
/// order is total (ties fall back to the position).
#[allow(clippy::too_many_arguments)]
pub fn search_sorted_with_progress(
    doc: usize,
    text: &str,
    query: &Query,
    context: Context,
    keys: &[SortKey],
    limit: usize,
    progress: &dyn Progress,
) -> (Vec<Hit>, usize) {
    sorted_in_pieces(doc, text, query, context, keys, limit, progress, PIECE)
}

/// [`search_sorted_with_progress`] with pieces of about `piece` bytes.
#[allow(clippy::too_many_arguments)]
fn sorted_in_pieces(
    doc: usize,
    text: &str,
    query: &Query,
    context: Context,
    keys: &[SortKey],
    limit: usize,
    progress: &dyn Progress,
    piece: usize,
) -> (Vec<Hit>, usize) {
    use rayon::prelude::*;
    /// The best hits so far, each with its piece and whether its column is partial; the
    /// number of hits seen; and the placement data of the pieces searched, by piece.
    type Best = (
        Vec<(Hit, usize, bool)>,
        usize,
        Vec<(usize, usize, (bool, usize))>,
    );
    let order = |a: &(Hit, usize, bool), b: &(Hit, usize, bool)| compare(&a.0, &b.0, keys);
    let (best, total, mut pieces): Best = pieces(text, query, piece, text.len())
        .map(|(k, piece)| {
            let Some((start, end, regions)) = piece else {
                return (Vec::new(), 0, vec![(k, 0, (false, 0))]);
            };
            let f = scan_piece(doc, text, query, context, progress, start, end, regions);
            let total = f.hits.len();
            let mut partial = vec![false; total];
            for &i in &f.partial {
                partial[i] = true;
            }
            let mut hits: Vec<_> = f
                .hits
                .into_iter()
                .zip(partial)
                .map(|(h, p)| (h, k, p))
                .collect();
            hits.sort_by(order);
            hits.truncate(limit);
            (hits, total, vec![(k, f.breaks, f.tail)])
        })
        .reduce(
            || (Vec::new(), 0, Vec::new()),
            |(a, n, mut pa), (b, m, pb)| {
                pa.extend(pb);
                (merge_sorted(a, b, order, limit), n + m, pa)
            },
        );
    pieces.sort_unstable_by_key(|p| p.0);
    let places = placements(pieces.into_iter().map(|(_, breaks, tail)| (breaks, tail)));
    let hits = best
        .into_iter()
        .map(|(mut h, k, partial)| {
            h.line += places[k].lines;
            if partial {
                h.column += places[k].carry;
            }
            h
        })
        .collect();
    (hits, total)
}

/// The first `limit` of two lists sorted by `order`, merged.
fn merge_sorted<T>(
    a: Vec<T>,
    b: Vec<T>,
    order: impl Fn(&T, &T) -> Ordering,
    limit: usize,
) -> Vec<T> {
    let mut out = Vec::with_capacity((a.len() + b.len()).min(limit));
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    while out.len() < limit {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if order(y, x) == Ordering::Less => b.next(),
            (Some(_), _) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some(x) => out.push(x),
            None => break,
        }
    }
    out
}

/// What the search of one piece found.
#[derive(Default)]
struct Found {
    hits: Vec<Hit>,
    /// Indices of the hits whose column lacks the characters of their line before the piece.
    partial: Vec<usize>,
    /// Line breaks in the piece.
    breaks: usize,
    /// Whether the piece has a line break, and the characters after its last one (all of
    /// the piece's characters when it has none; a leading BOM does not count).
    tail: (bool, usize),
}

/// Whether `piece` has a line break, and how many characters follow the last one (or all
/// of its characters, less a BOM when the piece begins the text: `at_start`).
fn line_tail(piece: &str, at_start: bool) -> (bool, usize) {
    match memrchr2(b'\n', b'\r', piece.as_bytes()) {
        Some(i) => (true, piece[i + 1..].chars().count()),
        None => {
            let bom = at_start && piece.starts_with('\u{FEFF}');
            (false, piece.chars().count() - usize::from(bom))
        }
    }
}

/// Where piece `k` of `text` starts, for pieces of about `size` bytes: 0 for the first,
/// else the first line start at or after `k × size`, or (in a line longer than `size`) the
/// first space or tab; never inside a token or a CRLF. Each piece's worker finds its own
/// bounds: touching one byte of each piece up front would map a folio of the page cache
/// around it, and so much of a large file, before any of it could be released.
fn piece_start(bytes: &[u8], k: usize, size: usize) -> usize {
    let at = k.saturating_mul(size);
    if k == 0 || at >= bytes.len() {
        return at.min(bytes.len());
    }
    let window = &bytes[at..(at + size).min(bytes.len())];
    if let Some(i) = memchr2(b'\n', b'\r', window) {
        let mut cut = at + i + 1;
        if bytes[at + i] == b'\r' && bytes.get(cut) == Some(&b'\n') {
            cut += 1;
        }
        return cut;
    }
    let space = memchr2(b' ', b'\t', window).or_else(|| {
        bytes[at..]
            .iter()
            .position(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C))
    });
    space.map_or(bytes.len(), |i| at + i)
}

/// The line breaks in `bytes[start..end]` ([`line_breaks`]), and how many of them come
/// before each of `regions` (in order, within the piece). The same count as one
/// [`line_breaks`] of the piece: the cuts are at line starts, never inside a CRLF (and a
/// CR is told from a CRLF by the byte after it even across a cut).
fn breaks_before(
    bytes: &[u8],
    start: usize,
    end: usize,
    regions: &[(usize, usize)],
) -> (usize, Vec<usize>) {
    let (mut at, mut breaks) = (start, 0);
    let before = regions
        .iter()
        .map(|&(s, _)| {
            breaks += line_breaks(bytes, at, s);
            at = s;
            breaks
        })
        .collect();
    (breaks + line_breaks(bytes, at, end), before)
}

/// Line breaks in `text[start..end]`, counted as [`lectio_text::LineIndex`] counts them: LF, CRLF (as
/// one) and a lone CR.
fn line_breaks(bytes: &[u8], start: usize, end: usize) -> usize {
    let piece = &bytes[start..end];
    // bytecount's SIMD count: 60 GB/s on a piece in the cache, against 17 for the u8 lanes
    // of a fold the compiler vectorized (and 10 for one that also looked for CRs).
    let mut breaks = bytecount::count(piece, b'\n');
    if memchr::memchr(b'\r', piece).is_some() {
        // A CR is a break of its own unless a LF follows it.
        breaks += memchr::memchr_iter(b'\r', piece)
            .filter(|&i| bytes.get(start + i + 1) != Some(&b'\n'))
            .count();
    }
    breaks
}

/// The hits in `regions` of the piece of `text` that starts at `piece_start`, with their
/// lines counted from the piece's start, and which of them have a partial column (see
/// [`Found`]). `before`: the line breaks in the piece before each region, when known
/// ([`breaks_before`]); else (empty) they are counted here.
fn search_regions(
    doc: usize,
    text: &str,
    query: &Query,
    context: Context,
    piece_start: usize,
    regions: Vec<(usize, usize)>,
    before: &[usize],
) -> (Vec<Hit>, Vec<usize>) {
    let mut scan = Scan::new(doc, text, query, context, piece_start, None);
    scan.regions(regions, before);
    (scan.hits, scan.partial)
}

/// The byte offsets where the hits of `query` in text `doc` start, in order: the hits
/// [`search`] finds, without the lines, columns and contexts that [`Hit`] holds (for a
/// frequent word, most of the time and nearly all the memory: the barcode plot of a word
/// with 4.3 million hits in 1 GB had taken 22 s and 4.7 GB). Pieces are searched in
/// parallel; `progress` is told of the bytes searched (and that they can be released).
pub fn find_with_progress(
    doc: usize,
    text: &str,
    query: &Query,
    progress: &dyn Progress,
) -> Vec<usize> {
    let found: Vec<Vec<usize>> =
        in_pieces(text, query, PIECE, text.len(), |start, end, regions| {
            let starts = starts_in(doc, text, query, start, regions);
            progress.release(doc, start..end);
            progress.advance(doc, (end - start) as u64);
            starts
        });
    found.concat()
}

/// Where the hits in `regions` of the piece that starts at `piece_start` start.
fn starts_in(
    doc: usize,
    text: &str,
    query: &Query,
    piece_start: usize,
    regions: Vec<(usize, usize)>,
) -> Vec<usize> {
    let context = Context::Words(0);
    let mut scan = Scan::new(doc, text, query, context, piece_start, Some(Vec::new()));
    scan.regions(regions, &[]);
    scan.starts.unwrap_or_default()
}

/// `f(start, end, regions)` for each piece `start..end` of about `size` bytes of `text`
/// that begins before byte `until` (a piece begins at or after its multiple of `size`), in
/// parallel, with the results in text order; `regions` are the lines of the piece that can
/// hold a hit of `query` (all of it when no prefilter applies). Empty pieces give
/// `T::default()`.
fn in_pieces<T: Send + Default>(
    text: &str,
    query: &Query,
    size: usize,
    until: usize,
    f: impl Fn(usize, usize, Vec<(usize, usize)>) -> T + Sync + Send,
) -> Vec<T> {
    use rayon::prelude::*;
    pieces(text, query, size, until)
        .map(|(_, piece)| match piece {
            Some((start, end, regions)) => f(start, end, regions),
            None => T::default(),
        })
        .collect()
}

/// A piece's bounds and the regions in it that can hold a hit; `None` for an empty piece.
type Piece = Option<(usize, usize, Vec<(usize, usize)>)>;

/// Each piece of [`in_pieces`] with its number, in parallel.
fn pieces<'t>(
    text: &'t str,
    query: &'t Query,
    size: usize,
    until: usize,
) -> impl rayon::iter::IndexedParallelIterator<Item = (usize, Piece)> + 't {
    use rayon::prelude::*;
    let finder = query.prefilter();
    let size = size.max(1);
    (0..until.min(text.len()).div_ceil(size).max(1))
        .into_par_iter()
        .map(move |k| {
            let bytes = text.as_bytes();
            let piece = piece_bounds(bytes, k, size)
                .map(|(start, end)| (start, end, regions(bytes, start, end, finder)));
            (k, piece)
        })
}

/// The bounds of piece `k` of `bytes` for pieces of about `size` bytes ([`piece_start`]);
/// `None` for an empty piece.
fn piece_bounds(bytes: &[u8], k: usize, size: usize) -> Option<(usize, usize)> {
    let (start, end) = (piece_start(bytes, k, size), piece_start(bytes, k + 1, size));
    (start < end).then_some((start, end))
}

/// The regions of `bytes[start..end]` that can hold a hit: its candidate lines, or all of
/// it when no prefilter applies.
fn regions(
    bytes: &[u8],
    start: usize,
    end: usize,
    finder: Option<&Prefilter>,
) -> Vec<(usize, usize)> {
    match finder {
        Some(finder) => candidate_lines(bytes, start, end, finder),
        None => vec![(start, end)],
    }
}

/// Searches for the places that can hold a word with the query's first key: the key
/// itself (in any ASCII case unless case-sensitive), and the non-ASCII characters that can
/// stand in such a word. Two searches, because one regex for both is ten times slower (its
/// literal prefilter gives up on the case variants together with the other literals).
#[derive(Debug, Clone)]
pub(crate) struct Prefilter {
    word: regex::bytes::Regex,
    bridges: Option<regex::bytes::Regex>,
}

/// The prefilter, when the query allows skipping text. Built once per query
/// ([`Query::prefilter`]).
pub(crate) fn prefilter(query: &Query) -> Option<Prefilter> {
    let opts = query.options();
    let Term::Exact(first) = &query.terms()[0] else {
        return None;
    };
    if opts.regex || opts.key.fold_diacritics || !first.is_ascii() || first.is_empty() {
        return None;
    }
    let flags = if opts.key.case_sensitive { "-u" } else { "i-u" };
    let word = regex::bytes::Regex::new(&format!("(?{flags}:{})", regex::escape(first))).ok()?;
    // A bridge matters when its key is part of the query's: a soft hyphen (empty key)
    // always, `’` (') only in a key with an apostrophe, `ß` (ss) in one with "ss", etc.
    let bridges: Vec<String> = ASCII_KEY_BRIDGES
        .iter()
        .filter(|c| {
            let k = key(c.encode_utf8(&mut [0; 4]), opts.key);
            k.is_ascii() && first.contains(k.as_str())
        })
        .map(|c| regex::escape(&c.to_string()))
        .collect();
    let bridges = match bridges.is_empty() {
        true => None,
        false => Some(regex::bytes::Regex::new(&bridges.join("|")).ok()?),
    };
    Some(Prefilter { word, bridges })
}

/// The lines of `text[start..end]` (as merged byte ranges) that contain a match of the
/// prefilter; `start` is a line start.
fn candidate_lines(
    bytes: &[u8],
    start: usize,
    end: usize,
    finder: &Prefilter,
) -> Vec<(usize, usize)> {
    let mut lines: Vec<(usize, usize)> = Vec::new();
    for re in std::iter::once(&finder.word).chain(&finder.bridges) {
        let mut from = start;
        while let Some(m) = re.find_at(&bytes[..end], from) {
            let line_start =
                memrchr2(b'\n', b'\r', &bytes[start..m.start()]).map_or(start, |i| start + i + 1);
            let line_end = memchr2(b'\n', b'\r', &bytes[m.end()..end]).map_or(end, |i| m.end() + i);
            lines.push((line_start, line_end));
            from = line_end.max(m.end());
            if from >= end {
                break;
            }
        }
    }
    lines.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(lines.len());
    for (s, e) in lines {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Compares the words of a text with the query's terms without building every key.
struct Matcher<'q> {
    terms: &'q [Term],
    opts: KeyOptions,
    buf: String,
}

impl<'q> Matcher<'q> {
    fn new(query: &'q Query) -> Self {
        Matcher {
            terms: query.terms(),
            opts: query.options().key,
            buf: String::new(),
        }
    }

    fn len(&self) -> usize {
        self.terms.len()
    }

    /// Does `word` (original text) satisfy term `i`?
    fn matches(&mut self, i: usize, word: &str) -> bool {
        match &self.terms[i] {
            // An ASCII word's key is the word, ASCII-lowercased unless case-sensitive.
            Term::Exact(k) if word.is_ascii() => {
                k.is_ascii()
                    && if self.opts.case_sensitive {
                        word == k
                    } else {
                        word.eq_ignore_ascii_case(k)
                    }
            }
            term => {
                key_into(word, self.opts, &mut self.buf);
                term.matches(&self.buf)
            }
        }
    }
}

/// The state of one search: the text, the query and the hits found so far.
struct Scan<'a, 'q> {
    text: &'a str,
    doc: usize,
    context: Context,
    matcher: Matcher<'q>,
    /// A position, and the line breaks between the piece's start and it: line numbers
    /// are counted from there (and made absolute by [`assemble`]).
    counted: (usize, usize),
    /// Where the piece being searched starts: lines and columns are not looked for
    /// before it (a file without line breaks would make that quadratic).
    piece: usize,
    /// The previous hit's byte offset and column, and whether its line began before the
    /// piece (then its column still lacks the characters of that line before the piece).
    column: Option<(usize, usize, bool)>,
    hits: Vec<Hit>,
    /// The hits whose column is counted from the piece's start, not from their line's.
    partial: Vec<usize>,
    /// Where only the hits' starts are wanted ([`find_with_progress`]): they go here, and
    /// no line, column or context is made.
    starts: Option<Vec<usize>>,
}

impl<'a, 'q> Scan<'a, 'q> {
    /// A search of the piece of `text` that starts at `piece_start`; with `starts`, it
    /// collects only where the hits start.
    fn new(
        doc: usize,
        text: &'a str,
        query: &'q Query,
        context: Context,
        piece_start: usize,
        starts: Option<Vec<usize>>,
    ) -> Self {
        Scan {
            text,
            doc,
            context,
            matcher: Matcher::new(query),
            counted: (piece_start, 0),
            piece: piece_start,
            column: None,
            hits: Vec::new(),
            partial: Vec::new(),
            starts,
        }
    }

    /// Scans `regions` of the piece for hits. `before` as for [`search_regions`].
    fn regions(&mut self, regions: Vec<(usize, usize)>, before: &[usize]) {
        for (i, (start, end)) in regions.into_iter().enumerate() {
            // Line numbers count on from the region's start, not from the last hit (or the
            // piece's start): the breaks before it were counted while the piece was in the
            // cache, and on a rare word counting them again here read most of the piece
            // again.
            if let Some(&breaks) = before.get(i) {
                if start >= self.counted.0 {
                    self.counted = (start, breaks);
                }
            }
            self.region(start, end);
        }
    }

    /// The 1-based line (counted from the piece's start) and column of byte `at`, which
    /// is not before the previous hit; and whether the column is counted from the piece's
    /// start because the line began before it.
    fn line_col(&mut self, at: usize) -> (usize, usize, bool) {
        let text = self.text;
        let bytes = text.as_bytes();
        // On the previous hit's line, count on from it: on a long line (a file without line
        // breaks) looking back to the line start and counting its characters for every hit
        // would take quadratic time.
        if let Some((prev, col, partial)) = self.column {
            if prev <= at && memchr2(b'\n', b'\r', &bytes[prev..at]).is_none() {
                let col = col + text[prev..at].chars().count();
                self.column = Some((at, col, partial));
                return (self.counted.1 + 1, col, partial);
            }
        }
        let piece = self.piece;
        let (line_start, partial) = match memrchr2(b'\n', b'\r', &bytes[piece..at]) {
            Some(i) => (piece + i + 1, false),
            // The first line: a BOM is not a column.
            None if piece == 0 && text.starts_with('\u{FEFF}') => (3.min(at), false),
            None => (piece, piece > 0),
        };
        let (from, breaks) = self.counted;
        let breaks = breaks + line_breaks(text.as_bytes(), from, line_start.max(from));
        self.counted = (line_start.max(from), breaks);
        let col = text[line_start..at].chars().count() + 1;
        self.column = Some((at, col, partial));
        (breaks + 1, col, partial)
    }

    /// Words of context needed on each side (for display and for sorting).
    fn span(&self) -> usize {
        if self.starts.is_some() {
            return 0;
        }
        match self.context {
            Context::Words(k) => k.max(SORT_SPAN),
            Context::Chars(_) => SORT_SPAN,
        }
    }

    /// Looks for hits whose first word starts in `start..end`; `start` is a line start, so
    /// tokenizing from there gives the same tokens as tokenizing the whole text.
    fn region(&mut self, start: usize, end: usize) {
        let text = self.text;
        let span = self.span();
        let mut tokens = Tokenizer::with_base(&text[start..], start, 0);
        // The words just before the current one, nearest last.
        // It grows as needed: span may be far more words than the text has.
        let mut recent: VecDeque<Token> = VecDeque::with_capacity(span.min(64) + 1);
        while let Some(tok) = tokens.next() {
            if tok.start >= end {
                break;
            }
            if tok.kind != TokenKind::Word {
                continue;
            }
            if self.matcher.matches(0, tok.text(text)) {
                let mut ahead = tokens.clone();
                let mut last = tok;
                let mut whole = true;
                for i in 1..self.matcher.len() {
                    match ahead.next() {
                        Some(t)
                            if t.kind == TokenKind::Word
                                && t.para == tok.para
                                && self.matcher.matches(i, t.text(text)) =>
                        {
                            last = t
                        }
                        _ => {
                            whole = false;
                            break;
                        }
                    }
                }
                if let (true, Some(starts)) = (whole, &mut self.starts) {
                    starts.push(tok.start);
                } else if whole {
                    let after: Vec<Token> = ahead.filter(Token::is_word).take(span).collect();
                    let before = if recent.len() < span && start > 0 {
                        words_before(text, tok.start, span)
                    } else {
                        recent.iter().copied().collect()
                    };
                    self.push(&before, tok, last, &after);
                }
            }
            if recent.len() == span {
                recent.pop_front();
            }
            if span > 0 {
                recent.push_back(tok);
            }
        }
    }

    /// Records a hit from `first` to `last` with the words around it.
    fn push(&mut self, before: &[Token], first: Token, last: Token, after: &[Token]) {
        let text = self.text;
        let (start, end) = (first.start, last.end);
        let (left, right) = match self.context {
            Context::Words(k) => {
                let left = match before.len().checked_sub(k.min(before.len())) {
                    Some(i) if k > 0 && i < before.len() => collapse(&text[before[i].start..start]),
                    _ => String::new(),
                };
                let last = k.min(after.len()).checked_sub(1);
                let right = match last.and_then(|i| after.get(i)) {
                    Some(t) => collapse(&text[end..t.end]),
                    None => String::new(),
                };
                (left, right)
            }
            Context::Chars(k) => (
                chars_before(&text[..start], k),
                chars_after(&text[end..], k),
            ),
        };
        let opts = self.matcher.opts;
        let key_of = |t: &Token| key(t.text(text), opts);
        let matched_words = Tokenizer::with_base(&text[start..end], start, 0)
            .filter(Token::is_word)
            .map(|t| key_of(&t))
            .collect::<Vec<_>>();
        let (line, column, partial) = self.line_col(start);
        if partial {
            self.partial.push(self.hits.len());
        }
        self.hits.push(Hit {
            doc: self.doc,
            line,
            column,
            start,
            end,
            left,
            matched: text[start..end].to_string(),
            right,
            left_keys: before.iter().rev().take(SORT_SPAN).map(key_of).collect(),
            match_key: matched_words.join(" "),
            right_keys: after.iter().take(SORT_SPAN).map(key_of).collect(),
        });
    }
}

/// Up to `n` words before byte `at` (nearest last), tokenizing back from line starts.
fn words_before(text: &str, at: usize, n: usize) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut from = at;
    // How far to back up at least; it doubles each time, so that many lines without words
    // (blank, or only punctuation) cost linear time, not quadratic.
    let mut step = 64;
    loop {
        // Back up to just after an earlier space, tab or line break: no token spans one,
        // so tokenizing from there gives the text's own tokens (a line start would do too,
        // but a file without line breaks has none).
        let target = from.saturating_sub(step);
        from = bytes[..target]
            .iter()
            .rposition(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .map_or(0, |i| i + 1);
        step = step.saturating_mul(2);
        let words: Vec<Token> = Tokenizer::with_base(&text[from..at], from, 0)
            .filter(Token::is_word)
            .collect();
        if words.len() >= n || from == 0 {
            return words[words.len().saturating_sub(n)..].to_vec();
        }
    }
}

/// Sorts hits by up to three keys; ties (and `Pos`) fall back to document order.
///
/// Keys compare by code point. A left key names one word counted outward from the hit,
/// so `L1` sorts on the word just before it, as AntConc does.
pub fn sort(hits: &mut [Hit], keys: &[SortKey]) {
    hits.sort_by(|a, b| compare(a, b, keys));
}

/// The order of [`sort`]: by `keys`, then by document and position (a total order).
fn compare(a: &Hit, b: &Hit, keys: &[SortKey]) -> Ordering {
    keys.iter()
        .map(|&k| a.sort_field(k).cmp(b.sort_field(k)))
        .find(|o| *o != Ordering::Equal)
        .unwrap_or(Ordering::Equal)
        .then((a.doc, a.start).cmp(&(b.doc, b.start)))
}

/// The text with every run of whitespace shown as one space, trimmed.
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for part in text.split(is_space).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}'
}

/// Up to `n` characters of collapsed text ending where `before` ends.
fn chars_before(before: &str, n: usize) -> String {
    let mut out: Vec<char> = Vec::with_capacity(n.min(before.len()));
    let mut chars = before.chars().rev().skip_while(|&c| is_space(c)).peekable();
    while out.len() < n {
        let Some(c) = chars.next() else { break };
        if is_space(c) {
            while chars.next_if(|&c| is_space(c)).is_some() {}
            if chars.peek().is_none() {
                break;
            }
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out.iter().rev().collect()
}

/// Up to `n` characters of collapsed text starting where `after` starts.
fn chars_after(after: &str, n: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut chars = after.chars().skip_while(|&c| is_space(c)).peekable();
    while count < n {
        let Some(c) = chars.next() else { break };
        if is_space(c) {
            while chars.next_if(|&c| is_space(c)).is_some() {}
            if chars.peek().is_none() {
                break;
            }
            out.push(' ');
        } else {
            out.push(c);
        }
        count += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::QueryOptions;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn skipping_lines_finds_what_a_full_scan_finds(
            words in prop::collection::vec(prop::sample::select(vec![
                "party", "Party", "PARTY", "par\u{AD}ty", "part’y", "single", "Single", "the",
                "Straße", "STRASSE", "strasse", "ﬁsh", "fish", "\u{212A}ey", "key", "—", "”",
                ",", ".", "\n", "\n\n", "\r\n", "\r", " ", "é", "e\u{301}", "\u{FEFF}", "it’s",
                "it's",
            ]), 0..60),
            query in prop::sample::select(vec![
                "party", "single party", "strasse", "fish", "key", "the party", "Party", "it's",
            ]),
            case_sensitive in any::<bool>(),
            k in 0usize..5,
        ) {
            let text = words.join(" ");
            let opts = QueryOptions { regex: false, key: KeyOptions { case_sensitive, fold_diacritics: false } };
            let q = Query::parse(query, opts).unwrap();
            for context in [Context::Words(k), Context::Chars(k * 3)] {
                let (full, _) = search_regions(0, &text, &q, context, 0, vec![(0, text.len())], &[]);
                prop_assert_eq!(search(0, &text, &q, context), full.clone());
                // Cut into pieces of a few bytes: the same hits, the same line numbers.
                for piece in [1, 5, 17] {
                    let pieced = search_in_pieces(0, &text, &q, context, &(), piece, text.len());
                    prop_assert_eq!(&pieced, &full);
                    // Only the pieces before a point: every hit before it, as a full scan
                    // has it (line numbers included).
                    for until in [1, text.len() / 3, text.len() / 2 + 1] {
                        let mut before = search_in_pieces(0, &text, &q, context, &(), piece, until);
                        before.retain(|h| h.start < until);
                        let expected: Vec<&Hit> = full.iter().filter(|h| h.start < until).collect();
                        prop_assert_eq!(before.iter().collect::<Vec<_>>(), expected);
                    }
                }
                // The starts alone are the hits' starts.
                let starts: Vec<usize> = full.iter().map(|h| h.start).collect();
                prop_assert_eq!(find_with_progress(0, &text, &q, &()), starts);
                let lines = lectio_text::LineIndex::new(&text);
                for h in &full {
                    prop_assert_eq!((h.line, h.column), lines.line_col(&text, h.start));
                }
            }
        }
    }

    /// A file of about 70,000 bytes (memory-mapped, so opened unchecked) of words that
    /// make hits, bridges, line breaks of every kind and a BOM; and its text.
    fn mapped_text(seed: u64) -> (tempfile::TempDir, std::path::PathBuf, String) {
        let vocab = [
            "party",
            "Party",
            "PARTY",
            "par\u{AD}ty",
            "part’y",
            "single",
            "Straße",
            "STRASSE",
            "the",
            "—",
            ",",
            ".",
            "\n",
            "\n\n",
            "\r\n",
            "\r",
            "é",
            "e\u{301}",
            "it’s",
            "it's",
        ];
        let mut x = seed;
        let mut words = vec!["\u{FEFF}party"];
        let mut len = 0;
        while len < 70_000 {
            // xorshift: a fixed, well-spread sequence of words.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Mostly a word that is no hit, so that the test runs quickly unoptimized.
            let i = (x % (2 * vocab.len()) as u64) as usize;
            let word = vocab.get(i).copied().unwrap_or("lorem");
            len += word.len() + 1;
            words.push(word);
        }
        let text = words.join(" ");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, &text).unwrap();
        (dir, path, text)
    }

    fn unchecked(path: &std::path::Path) -> Unchecked {
        match lectio_text::Document::open_unchecked(path, Default::default()).unwrap() {
            lectio_text::Opened::Unchecked(text) => text,
            lectio_text::Opened::Ready(_) => panic!("a file of 64 KiB or more is mapped"),
        }
    }

    #[test]
    fn a_file_checked_while_located_gives_the_hits_of_a_search() {
        let cases = [
            (1, "party", false, Context::Words(3)),
            (1, "Party", true, Context::Chars(20)),
            (1, "it's single", false, Context::Words(1)),
            (0x2545_F491_4F6C_DD1D, "strasse", false, Context::Words(3)),
            (0x2545_F491_4F6C_DD1D, "party", false, Context::Chars(7)),
        ];
        for (seed, query, case_sensitive, context) in cases {
            let (_dir, path, text) = mapped_text(seed);
            let opts = QueryOptions {
                regex: false,
                key: KeyOptions {
                    case_sensitive,
                    fold_diacritics: false,
                },
            };
            let q = Query::parse(query, opts).unwrap();
            let expected = search(0, &text, &q, context);
            assert!(expected.len() > 10, "{query}: {} hits", expected.len());
            // The whole text as one region: lines counted hit by hit, not ahead.
            let whole = search_regions(0, &text, &q, context, 0, vec![(0, text.len())], &[]);
            assert_eq!(expected, whole.0, "{query}: one region");
            for size in [13, 300, 4096, 1 << 20] {
                let file = unchecked(&path);
                let log = lectio_text::ProgressLog::default();
                let located = locate_in_pieces(0, &file, &q, &log, size).unwrap();
                let doc = file.finish().unwrap();
                let hits = search_located(0, doc.as_str(), located, &q, context, &log);
                assert_eq!(hits, expected, "{query}, pieces of {size}");
                // Each byte is told of twice: once located, once searched.
                assert_eq!(log.advanced()[&0], 2 * text.len() as u64);
                // Where they start, found again from the same pass.
                let file = unchecked(&path);
                let located = locate_in_pieces(0, &file, &q, &(), size).unwrap();
                let doc = file.finish().unwrap();
                let starts: Vec<usize> = expected.iter().map(|h| h.start).collect();
                assert_eq!(find_located(0, doc.as_str(), located, &q, &()), starts);
            }
        }
    }

    #[test]
    fn a_file_that_is_not_utf8_is_not_located() {
        let (_dir, path, text) = mapped_text(7);
        let at = (text.len() / 2..)
            .find(|&i| text.as_bytes()[i].is_ascii())
            .unwrap();
        let line = lectio_text::LineIndex::new(&text[..at]).len();
        let mut bytes = text.into_bytes();
        bytes[at] = 0xFF;
        std::fs::write(&path, &bytes).unwrap();
        let file = unchecked(&path);
        assert!(locate(0, &file, &q("party"), &()).is_none());
        let err = file.finish().unwrap_err().to_string();
        let name = path.display();
        assert_eq!(
            err,
            format!("{name}: invalid UTF-8 at line {line}, byte offset {at}")
        );
    }

    #[test]
    fn hits_located_in_another_text_are_searched_again() {
        let (_dir, path, text) = mapped_text(3);
        let file = unchecked(&path);
        let located = locate(0, &file, &q("party"), &()).unwrap();
        // As long, but with its hits elsewhere.
        let other = text.replace("party", "xarty").replace("Straße", "party, ");
        assert_eq!(other.len(), text.len());
        let expected = search(0, &other, &q("party"), Context::Words(2));
        assert!(expected.iter().any(|h| h.matched == "party"));
        let hits = search_located(0, &other, located, &q("party"), Context::Words(2), &());
        assert_eq!(hits, expected);
    }

    fn q(s: &str) -> Query {
        Query::parse(s, QueryOptions::default()).unwrap()
    }

    #[test]
    fn columns_on_a_line_that_spans_many_pieces() {
        // One line (after a BOM) cut into pieces of 7 bytes: each hit's column counts the
        // characters of its line in the pieces before its own, the BOM excepted.
        let text = format!("\u{FEFF}{}", "a é party ".repeat(200));
        let lines = lectio_text::LineIndex::new(&text);
        let hits = search_in_pieces(0, &text, &q("party"), Context::Words(1), &(), 7, text.len());
        assert_eq!(hits.len(), 200);
        for h in &hits {
            assert_eq!((h.line, h.column), lines.line_col(&text, h.start));
        }
        assert_eq!((hits[199].line, hits[199].column), (1, 199 * 10 + 5));
        // The same for the first hits in sorted order, which are kept piece by piece.
        let text = format!("\u{FEFF}{}", "a é party x ".repeat(200));
        let lines = lectio_text::LineIndex::new(&text);
        let keys = [SortKey::Left(1), SortKey::Right(1)];
        let (hits, total) =
            sorted_in_pieces(0, &text, &q("party"), Context::Words(1), &keys, 3, &(), 7);
        assert_eq!((hits.len(), total), (3, 200));
        for h in &hits {
            assert_eq!((h.line, h.column), lines.line_col(&text, h.start));
        }
    }

    proptest! {
        #[test]
        fn sorted_first_hits_are_the_first_of_all_hits_sorted(
            words in prop::collection::vec(prop::sample::select(vec![
                "party", "Party", "single", "the", "a", "b", "é", ",", ".", "\n", "\n\n", " ",
                "\u{FEFF}",
            ]), 0..80),
            query in prop::sample::select(vec!["party", "single party", "the", "a"]),
            keys in prop::sample::select(vec![
                vec![SortKey::Right(1)],
                vec![SortKey::Left(1), SortKey::Right(2)],
                vec![SortKey::Match, SortKey::Left(3)],
                vec![SortKey::Pos],
            ]),
            limit in 0usize..6,
            piece in prop::sample::select(vec![1usize, 5, 17, 1 << 20]),
        ) {
            let text = words.join(" ");
            let q = q(query);
            let mut all = search(0, &text, &q, Context::Words(2));
            sort(&mut all, &keys);
            let total = all.len();
            all.truncate(limit);
            let got = sorted_in_pieces(0, &text, &q, Context::Words(2), &keys, limit, &(), piece);
            prop_assert_eq!(got, (all, total));
        }
    }

    const TEXT: &str = "He has exploded the idea of the monolithic party and of the\nmonolithic  state in which all must think alike.\n\nThe single\nparty; single, party.";

    #[test]
    fn word_context_is_original_text_with_whitespace_collapsed() {
        let hits = search(0, TEXT, &q("monolithic"), Context::Words(3));
        assert_eq!(hits.len(), 2);
        let h = &hits[1];
        assert_eq!((h.line, h.column, h.start, h.end), (2, 1, 60, 70));
        assert_eq!(h.left, "and of the");
        assert_eq!(h.matched, "monolithic");
        assert_eq!(h.right, "state in which");
        assert_eq!(h.left_keys, ["the", "of", "and"]);
        assert_eq!(h.right_keys, ["state", "in", "which"]);
    }

    #[test]
    fn phrases_cross_line_breaks_but_not_punctuation() {
        let hits = search(0, TEXT, &q("single party"), Context::Words(1));
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].matched, "single\nparty");
        assert_eq!(hits[0].match_key, "single party");
        assert_eq!(
            (hits[0].left.as_str(), hits[0].right.as_str()),
            ("The", "; single")
        );
    }

    #[test]
    fn char_context_counts_collapsed_characters() {
        let hits = search(0, TEXT, &q("state"), Context::Chars(12));
        // Character context may cut a word: that is what it is for.
        assert_eq!(hits[0].left, "e monolithic");
        assert_eq!(hits[0].right, "in which all");
        let hits = search(0, "a  b  c", &q("c"), Context::Chars(3));
        assert_eq!(hits[0].left, "a b");
    }

    #[test]
    fn lines_without_words_before_a_hit_cost_linear_time() {
        // Found while writing the kwic fuzz target: the left context was looked for one line
        // further back at a time, tokenizing all of it again each time, so 100,000 lines of
        // "--" before the only hit took a minute.
        let text = format!("{}the party\n", "--\n".repeat(100_000));
        let hits = search(0, &text, &q("party"), Context::Words(3));
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].left.as_str(), hits[0].start), ("the", 300_004));
        assert_eq!(hits[0].left_keys, ["the"]);
        let text = format!("a b\n{}the party", "\n".repeat(100_000));
        let hits = search(0, &text, &q("party"), Context::Words(3));
        assert_eq!(hits[0].left, "a b the");
    }

    #[test]
    fn many_hits_on_one_long_line_cost_linear_time() {
        // Each hit's column was counted from the start of its line: quadratic on a file
        // without line breaks (15 s for 200,000 hits on one line of 1.2 MB).
        let text = format!("\u{FEFF}{}", "party ".repeat(50_000));
        let hits = search(0, &text, &q("party"), Context::Words(1));
        assert_eq!(hits.len(), 50_000);
        for (i, h) in hits.iter().enumerate() {
            assert_eq!((h.line, h.column, h.start), (1, 6 * i + 1, 3 + 6 * i));
        }
        let text = "party é party\nparty\r\n  é party";
        let at: Vec<_> = search(0, text, &q("party"), Context::Words(1))
            .iter()
            .map(|h| (h.line, h.column))
            .collect();
        assert_eq!(at, [(1, 1), (1, 9), (2, 1), (3, 5)]);
    }

    #[test]
    fn context_stops_at_the_text_edges() {
        let hits = search(0, TEXT, &q("he"), Context::Words(8));
        assert_eq!((hits[0].left.as_str(), hits[0].start), ("", 0));
        let hits = search(0, TEXT, &q("party"), Context::Words(8));
        assert_eq!(hits.last().unwrap().right, "");
    }

    #[test]
    fn huge_contexts_stop_at_the_text_edges() {
        // usize::MAX words or characters: the whole text on each side, and no capacity
        // overflow or allocation of the size asked for.
        for n in [
            usize::MAX,
            usize::MAX / 2,
            u32::MAX as usize + 1,
            100_000_000_000,
        ] {
            let hits = search(0, TEXT, &q("which"), Context::Words(n));
            assert_eq!(hits.len(), 1);
            let h = &hits[0];
            // Word context ends with the last word, before the final full stop.
            assert_eq!(h.left, collapse(&TEXT[..h.start]), "{n}");
            assert_eq!(h.right, collapse(&TEXT[h.end..TEXT.len() - 1]), "{n}");
            let chars = &search(0, TEXT, &q("which"), Context::Chars(n))[0];
            assert_eq!(chars.left, h.left, "{n}");
            assert_eq!(chars.right, collapse(&TEXT[h.end..]), "{n}");
            // In pieces (the prefilter's regions start mid-text), the same.
            let pieced =
                search_in_pieces(0, TEXT, &q("which"), Context::Words(n), &(), 16, TEXT.len());
            assert_eq!(pieced, hits);
        }
    }

    #[test]
    fn sorting_on_left_words_compares_nearest_word_first() {
        let text = "b x HIT. a y HIT. c x HIT.";
        let mut hits = search(0, text, &q("hit"), Context::Words(2));
        sort(&mut hits, &[SortKey::Left(1), SortKey::Left(2)]);
        let order: Vec<usize> = hits.iter().map(|h| h.start).collect();
        // L1: x, y, x -> the two x hits first, ordered by L2 (b before c).
        assert_eq!(order, [4, 22, 13]);
        sort(&mut hits, &[SortKey::Pos]);
        let order: Vec<usize> = hits.iter().map(|h| h.start).collect();
        assert_eq!(order, [4, 13, 22]);
    }
}
