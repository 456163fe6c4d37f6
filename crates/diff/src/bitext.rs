//! Length-based alignment of a text with its translation: paragraphs first, then the
//! sentences inside each aligned paragraph group, by the dynamic programme of Gale and
//! Church (1993), "A program for aligning sentences in bilingual corpora",
//! Computational Linguistics 19(1), 75-102.

use std::fmt;

use lectio_text::{sentences, Progress, Sentence, Tokenizer};
use rayon::prelude::*;

/// The shapes of beads the aligner may use, with Gale and Church's prior probabilities
/// (as in NLTK's implementation): 1-1 0.89, 1-0 and 0-1 0.0099, 2-1 and 1-2 0.089, 2-2 0.011.
const BEADS: [(usize, usize, f64); 6] = [
    (1, 1, 0.89),
    (1, 0, 0.0099),
    (0, 1, 0.0099),
    (2, 1, 0.089),
    (1, 2, 0.089),
    (2, 2, 0.011),
];

/// Gale and Church's variance of the length difference per character, s² = 6.8.
pub const VARIANCE: f64 = 6.8;

/// What a bead with an empty side costs beyond its prior: the price of a length mismatch
/// of two standard deviations, -ln(2(1 - Φ(2))) = 3.09. Gale and Church price an omission by
/// the length of what is omitted, which makes dropping a long paragraph dearer than
/// merging it into a wrong neighbour; a fixed price keeps omissions and splits honest.
fn indel_penalty() -> f64 {
    // Computed once: the search prices two omissions at nearly every cell.
    static PENALTY: std::sync::LazyLock<f64> =
        std::sync::LazyLock::new(|| -libm::erfc(2.0 / std::f64::consts::SQRT_2).ln());
    *PENALTY
}

/// How many segments of each side a bead joins, like `2-1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BeadShape {
    /// Segments of the source.
    pub source: usize,
    /// Segments of the translation.
    pub target: usize,
}

impl fmt::Display for BeadShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.source, self.target)
    }
}

/// One step of an alignment over two sequences of segments.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bead {
    /// How many segments of each side it joins.
    pub shape: BeadShape,
    /// Index of its first source segment.
    pub source: usize,
    /// Index of its first target segment.
    pub target: usize,
    /// Its cost, -ln(prior × P(length difference)): 0 is a perfect match.
    pub cost: f64,
}

/// Cost of a bead joining `l1` source and `l2` target characters: Gale and Church's
/// δ = (l2 - c·l1) / √(s² · (l1 + l2/c) / 2) and -ln(prior · 2(1 - Φ(|δ|))).
pub fn bead_cost(l1: usize, l2: usize, ratio: f64, prior: f64) -> f64 {
    priced(l1, l2, ratio, -prior.ln())
}

/// [`bead_cost`] with −ln(prior) given.
fn priced(l1: usize, l2: usize, ratio: f64, prior_cost: f64) -> f64 {
    let (l1, l2) = (l1 as f64, l2 as f64);
    if l1 == 0.0 || l2 == 0.0 {
        return prior_cost + indel_penalty();
    }
    let mean = (l1 + l2 / ratio) / 2.0;
    let delta = (l2 - ratio * l1) / (VARIANCE * mean).sqrt();
    let p = libm::erfc(delta.abs() / std::f64::consts::SQRT_2).max(f64::MIN_POSITIVE);
    prior_cost - p.ln()
}

/// The beads in the order they are priced: the omissions first, whose cost is fixed, so
/// that the cell has a cost to beat before any bead needs erfc.
const EVALUATION_ORDER: [u8; 6] = [1, 2, 0, 3, 4, 5];

/// A floor under [`bead_cost`] without erfc: erfc(x) ≤ e^(−x²) for x ≥ 0, so
/// −ln P(δ) ≥ δ²/2 (held under 700, below the clamp at the smallest positive float), made
/// a millionth and 10⁻⁹ smaller so that rounding cannot lift it above the computed cost.
/// `prior_cost` is −ln(prior), computed once by the caller (the logarithm had taken a
/// fifth of the search).
#[inline]
fn bead_cost_floor(l1: usize, l2: usize, ratio: f64, prior_cost: f64) -> f64 {
    if l1 == 0 || l2 == 0 {
        return prior_cost + indel_penalty();
    }
    let (l1, l2) = (l1 as f64, l2 as f64);
    let mean = (l1 + l2 / ratio) / 2.0;
    let gap = l2 - ratio * l1;
    // δ² without the square root.
    let q = (gap * gap / (VARIANCE * mean) / 2.0).min(700.0);
    prior_cost + (q * (1.0 - 1e-6) - 1e-9).max(0.0)
}

/// Aligns two sequences of segment lengths (in characters) with the least total cost.
///
/// `ratio` is the expected number of target characters per source character.
///
/// Up to [`EXACT_CELLS`] cells the whole table is searched, and the result is exactly the
/// cheapest sequence of beads (ties going to the earlier bead of [`BEADS`]): a byte a cell
/// is kept, and most cells are settled without erfc, by a floor under each bead's cost.
/// Larger inputs are first aligned coarsely, in blocks of [`BLOCK`] consecutive segments,
/// and then segment by segment in a band of [`BAND`] segments either side of both the
/// blocks the coarse path joins and the diagonal from (0, 0) to (n, m) widened by the
/// difference of the counts; the band is doubled while the cheapest path in it runs near
/// its edges. The coarse alignment is found the same way from a coarser one, down to one
/// whose table has at most [`COARSE_CELLS`] cells, searched whole. This is the
/// coarse-to-fine search of Vecalign (Thompson and Koehn 2019), with the diagonal band and
/// widening of Moore's aligner (2002). A heuristic: a path that leaves both by more than
/// the band, without nearing the band's edge, is not found.
pub fn gale_church(source: &[usize], target: &[usize], ratio: f64) -> Vec<Bead> {
    gale_church_in(source, target, ratio, LIMITS)
}

/// Tables up to this many cells (1 GiB at a byte a cell: 32,767 segments a side) are
/// searched whole.
pub const EXACT_CELLS: usize = 1 << 30;

/// The band's least half-width, in segments, either side of the coarse path's blocks.
pub const BAND: usize = 64;

/// Segments joined into one block of the next coarser alignment.
pub const BLOCK: usize = 8;

/// The most cells of a coarse alignment's table searched whole (2,047 blocks a side);
/// a larger one is itself guided by a coarser one.
pub const COARSE_CELLS: usize = 1 << 22;

/// The most cells a band may have (1 GiB): it is widened no further, and the best path in
/// it is taken.
pub const MOST_CELLS: usize = 1 << 30;

/// How far a search goes: the whole table up to `exact` cells, else a band `band` segments
/// either side of a coarse path, widened up to `most` cells; coarse tables of up to
/// `coarse` cells are searched whole.
#[derive(Debug, Clone, Copy)]
struct Limits {
    exact: usize,
    band: usize,
    most: usize,
    coarse: usize,
}

/// The limits of [`gale_church`].
const LIMITS: Limits = Limits {
    exact: EXACT_CELLS,
    band: BAND,
    most: MOST_CELLS,
    coarse: COARSE_CELLS,
};

/// [`gale_church`] within `limits`.
fn gale_church_in(source: &[usize], target: &[usize], ratio: f64, limits: Limits) -> Vec<Bead> {
    let (n, m) = (source.len(), target.len());
    let (ps, pt) = (prefix_sums(source), prefix_sums(target));
    let cells = (n + 1).saturating_mul(m + 1);
    if cells <= limits.exact || n == 0 || m == 0 {
        return search(&Band::whole(n, m), &ps, &pt, ratio).0;
    }
    let guide = coarse_guide(source, target, ratio, limits);
    widened(&guide, m, &ps, &pt, ratio, limits)
}

/// The cheapest path in a band `limits.band` segments either side of `guide` (the columns
/// of each row, see [`coarse_guide`]), doubled while the path runs near the band's edge
/// and the wider band keeps to `limits.most` cells (the first band is searched whatever
/// its size).
fn widened(
    guide: &[(usize, usize)],
    m: usize,
    ps: &[usize],
    pt: &[usize],
    ratio: f64,
    limits: Limits,
) -> Vec<Bead> {
    let n = guide.len() - 1;
    let mut half = limits.band;
    let mut found = search(&Band::around(guide, m, half), ps, pt, ratio);
    loop {
        let (beads, near_edge) = found;
        if !near_edge || half >= n.max(m) {
            return beads;
        }
        half = half.saturating_mul(2);
        let wider = Band::around(guide, m, half);
        if wider.start[n + 1] > limits.most {
            return beads;
        }
        found = search(&wider, ps, pt, ratio);
    }
}

/// The columns the coarse path covers in each row of the table: segments are joined into
/// blocks of [`BLOCK`], the blocks are aligned (the whole table up to `limits.coarse`
/// cells, else in a band guided by a coarser alignment still), and each coarse bead stands
/// for the rectangle of rows and columns of the blocks it joins. Consecutive rows' ranges
/// share a column (the beads' rectangles meet at their corners), so a band around them can
/// be walked from (0, 0) to (n, m).
fn coarse_guide(
    source: &[usize],
    target: &[usize],
    ratio: f64,
    limits: Limits,
) -> Vec<(usize, usize)> {
    let (n, m) = (source.len(), target.len());
    let k = BLOCK;
    let blocks = |v: &[usize]| -> Vec<usize> { v.chunks(k).map(|c| c.iter().sum()).collect() };
    let (cs, ct) = (blocks(source), blocks(target));
    let (ps, pt) = (prefix_sums(&cs), prefix_sums(&ct));
    let cells = (cs.len() + 1).saturating_mul(ct.len() + 1);
    // Blocks of one side that no longer shrink (a single one) end the recursion too.
    let whole = cells <= limits.coarse || cs.len() <= 1 || ct.len() <= 1;
    let coarse = if whole {
        search(&Band::whole(cs.len(), ct.len()), &ps, &pt, ratio).0
    } else {
        let guide = coarse_guide(&cs, &ct, ratio, limits);
        widened(&guide, ct.len(), &ps, &pt, ratio, limits)
    };
    let mut guide = vec![(m, 0); n + 1];
    for b in coarse {
        let rows = (b.source * k).min(n)..=((b.source + b.shape.source) * k).min(n);
        let (c0, c1) = (
            (b.target * k).min(m),
            ((b.target + b.shape.target) * k).min(m),
        );
        for g in &mut guide[rows] {
            *g = (g.0.min(c0), g.1.max(c1));
        }
    }
    // The diagonal band that was searched before there was a guide goes in too, as wide as
    // the difference of the counts: a guide drawn from blocks can spread a gap into a drift
    // that a band around it follows without nearing its edge (a review found paths up to
    // 7% costlier that way, where the diagonal band had the whole table's).
    let skew = n.abs_diff(m);
    for (i, g) in guide.iter_mut().enumerate() {
        let c = diagonal_column(i, n, m);
        *g = (g.0.min(c.saturating_sub(skew)), g.1.max((c + skew).min(m)));
    }
    guide
}

/// 0 and the running totals of `v`: the length of segments a..b is `p[b] - p[a]`.
fn prefix_sums(v: &[usize]) -> Vec<usize> {
    std::iter::once(0)
        .chain(v.iter().scan(0, |s, &x| {
            *s += x;
            Some(*s)
        }))
        .collect()
}

/// The diagonal's column in row i of an (n + 1) × (m + 1) table, rounded (0 when n is 0).
fn diagonal_column(i: usize, n: usize, m: usize) -> usize {
    if n == 0 {
        0
    } else {
        ((i as u128 * m as u128 + n as u128 / 2) / n as u128) as usize
    }
}

/// The cells searched: in row i (source segments used), the columns `lo[i]..=hi[i]`.
struct Band {
    n: usize,
    m: usize,
    lo: Vec<usize>,
    hi: Vec<usize>,
    /// Where row i starts in the flattened table.
    start: Vec<usize>,
}

impl Band {
    /// Every cell of the table.
    fn whole(n: usize, m: usize) -> Band {
        Band::around(&vec![(0, m); n + 1], m, 0)
    }

    /// The columns `guide[i]` of each row i and `half` more either side.
    fn around(guide: &[(usize, usize)], m: usize, half: usize) -> Band {
        let n = guide.len() - 1;
        let lo: Vec<usize> = guide.iter().map(|g| g.0.saturating_sub(half)).collect();
        let hi: Vec<usize> = guide
            .iter()
            .map(|g| g.1.saturating_add(half).min(m))
            .collect();
        let mut start = Vec::with_capacity(n + 2);
        start.push(0);
        for i in 0..=n {
            start.push(start[i] + (hi[i] - lo[i] + 1));
        }
        Band {
            n,
            m,
            lo,
            hi,
            start,
        }
    }

    /// The index of cell (i, j), if it is in the band.
    #[inline]
    fn at(&self, i: usize, j: usize) -> Option<usize> {
        (self.lo[i] <= j && j <= self.hi[i]).then(|| self.start[i] + (j - self.lo[i]))
    }

    /// Cell (i, j) is within a sixteenth of the half-width (at least 4 segments) of an
    /// edge that is not the table's own.
    fn near_edge(&self, i: usize, j: usize) -> bool {
        let margin = ((self.hi[i] - self.lo[i]) / 32).max(4);
        (self.lo[i] > 0 && j < self.lo[i] + margin)
            || (self.hi[i] < self.m && j + margin > self.hi[i])
    }
}

/// The cheapest path through `band`, and whether it runs near the band's edge.
fn search(band: &Band, ps: &[usize], pt: &[usize], ratio: f64) -> (Vec<Bead>, bool) {
    let n = band.n;
    // Which bead reached each cell: one byte a cell is all the table keeps.
    let mut back = vec![u8::MAX; band.start[n + 1]];
    // The costs of rows i - 2, i - 1 and i: a bead joins at most two segments of a side, so
    // no other row is read.
    let mut rows: [Vec<f64>; 3] = Default::default();
    let prior_cost = BEADS.map(|(_, _, prior)| -prior.ln());
    for i in 0..=n {
        let (lo, hi) = (band.lo[i], band.hi[i]);
        rows.rotate_left(1);
        let mut row = std::mem::take(&mut rows[2]);
        row.clear();
        row.resize(hi - lo + 1, f64::INFINITY);
        if i == 0 {
            row[0] = 0.0;
        }
        for j in lo..=hi {
            let here = j - lo;
            // The cheapest bead into the cell; of equal costs, the one earlier in BEADS.
            let (mut best, mut best_b) = (row[here], u8::MAX);
            for b in EVALUATION_ORDER {
                let (a, c, _) = BEADS[b as usize];
                if a > i || c > j || (a == 0 && c == 0) {
                    continue;
                }
                let (pi, pj) = (i - a, j - c);
                if pj < band.lo[pi] || pj > band.hi[pi] {
                    continue;
                }
                let prev = match a {
                    0 => row[pj - lo],
                    _ => rows[2 - a][pj - band.lo[pi]],
                };
                if prev.is_infinite() {
                    continue;
                }
                let (l1, l2) = (ps[i] - ps[pi], pt[j] - pt[pj]);
                // Adding rounds monotonically, so a bead whose floor cannot even tie the
                // best needs no erfc: off the path, that is nearly every pairing.
                let floor = bead_cost_floor(l1, l2, ratio, prior_cost[b as usize]);
                if prev + floor > best {
                    continue;
                }
                // An omission's floor is its cost.
                let cost = match l1 == 0 || l2 == 0 {
                    true => floor,
                    false => priced(l1, l2, ratio, prior_cost[b as usize]),
                };
                let total = prev + cost;
                if total < best || (total == best && b < best_b) {
                    (best, best_b) = (total, b);
                }
            }
            if best_b != u8::MAX {
                row[here] = best;
                back[band.start[i] + here] = best_b;
            }
        }
        rows[2] = row;
    }
    let mut path = Vec::new();
    let mut near_edge = false;
    let (mut i, mut j) = (n, band.m);
    while i > 0 || j > 0 {
        near_edge |= band.near_edge(i, j);
        // Every cell of the band is reached (rows overlap), and only from cells of the band.
        let b = back[band.at(i, j).expect("the path stays in the band")];
        let (a, c, prior) = BEADS[b as usize];
        path.push((a, c, prior, i - a, j - c));
        i -= a;
        j -= c;
    }
    path.reverse();
    // The costs along the path, added up again in the order and with the operations of the
    // search, so that each bead's cost is exactly the difference of its cells' costs.
    let mut total = 0.0;
    let beads = path
        .into_iter()
        .map(|(a, c, prior, i, j)| {
            let next = total + bead_cost(ps[i + a] - ps[i], pt[j + c] - pt[j], ratio, prior);
            let cost = next - total;
            total = next;
            Bead {
                shape: BeadShape {
                    source: a,
                    target: c,
                },
                source: i,
                target: j,
                cost,
            }
        })
        .collect();
    (beads, near_edge)
}

/// A span of text used as an alignment unit: byte offsets and its length in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character.
    pub end: usize,
    /// Non-whitespace characters: the length the aligner compares (so that line wrapping
    /// does not count).
    pub len: usize,
}

impl Unit {
    fn new(text: &str, start: usize, end: usize) -> Unit {
        let len = text[start..end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .count();
        Unit { start, end, len }
    }
}

/// One row of an alignment: spans of source and translation that correspond.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Byte span in the source; empty (start == end) at the insertion point for `0-n`.
    pub source: (usize, usize),
    /// Byte span in the translation; empty at the insertion point for `n-0`.
    pub target: (usize, usize),
    /// The bead's shape.
    pub shape: BeadShape,
    /// The bead's cost.
    pub cost: f64,
}

/// The alignment of a text with its translation at both levels.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    /// Paragraph beads, in order.
    pub paragraphs: Vec<Link>,
    /// Sentence beads, in order, inside the paragraph beads.
    pub sentences: Vec<Link>,
}

impl Alignment {
    /// The sentence link whose source span contains byte `offset` of the source.
    pub fn sentence_for_source(&self, offset: usize) -> Option<&Link> {
        // Links follow the source in order, so their ends never decrease: the first link
        // ending after `offset` is the only one that can contain it.
        let i = self.sentences.partition_point(|l| l.source.1 <= offset);
        self.sentences
            .get(i)
            .filter(|l| l.source.0 <= offset && offset < l.source.1)
    }
}

/// Paragraphs of `text` (separated by blank lines) as units, with their numbers.
fn paragraphs(text: &str) -> Vec<(u32, Unit)> {
    let mut out: Vec<(u32, usize, usize)> = Vec::new();
    for t in Tokenizer::new(text) {
        match out.last_mut() {
            Some(last) if last.0 == t.para => last.2 = t.end,
            _ => out.push((t.para, t.start, t.end)),
        }
    }
    out.into_iter()
        .map(|(p, s, e)| (p, Unit::new(text, s, e)))
        .collect()
}

/// The sentences of the paragraphs `paras[first..first + count]`, as units.
fn sentence_units(
    text: &str,
    sents: &[Sentence],
    paras: &[(u32, Unit)],
    first: usize,
    count: usize,
) -> Vec<Unit> {
    if count == 0 {
        return Vec::new();
    }
    // Sentences come in text order, and every sentence's paragraph has words, so is one of
    // `paras`: the group's sentences are those numbered from its first paragraph to its last.
    // Found by binary search, not by a scan of all sentences for each group (which made a
    // book of 12,000 paragraphs take a minute).
    let (from, to) = (paras[first].0, paras[first + count - 1].0);
    let begin = sents.partition_point(|s| s.para < from);
    let end = sents.partition_point(|s| s.para <= to);
    sents[begin..end]
        .iter()
        .map(|s| Unit::new(text, s.start, s.end))
        .collect()
}

/// Turns beads over units into links over byte spans. An empty side gets the insertion
/// point: where its next unit starts, or the end of the last one, or `fallback`.
fn links(beads: &[Bead], src: &[Unit], tgt: &[Unit], fallback: (usize, usize)) -> Vec<Link> {
    let span = |units: &[Unit], first: usize, count: usize, fallback: usize| {
        if count > 0 {
            return (units[first].start, units[first + count - 1].end);
        }
        let at = units
            .get(first)
            .map(|u| u.start)
            .or_else(|| units.last().map(|u| u.end))
            .unwrap_or(fallback);
        (at, at)
    };
    beads
        .iter()
        .map(|b| Link {
            source: span(src, b.source, b.shape.source, fallback.0),
            target: span(tgt, b.target, b.shape.target, fallback.1),
            shape: b.shape,
            cost: b.cost,
        })
        .collect()
}

fn lengths(units: &[Unit]) -> Vec<usize> {
    units.iter().map(|u| u.len).collect()
}

/// Aligns `source` with its translation `target`: paragraphs by order and length, then
/// sentences inside each aligned group of paragraphs (groups in parallel).
///
/// The expected length ratio c is the ratio of the two texts' total lengths.
pub fn align(source: &str, target: &str) -> Alignment {
    align_with_progress(source, target, &())
}

/// [`align`], telling `progress` of the bytes of the source (text 0) and of the translation
/// (text 1) as the sentences of each paragraph group are aligned; the paragraphs are aligned
/// before any is told of.
pub fn align_with_progress(source: &str, target: &str, progress: &dyn Progress) -> Alignment {
    let sp = paragraphs(source);
    let tp = paragraphs(target);
    let su: Vec<Unit> = sp.iter().map(|p| p.1).collect();
    let tu: Vec<Unit> = tp.iter().map(|p| p.1).collect();
    let ls: usize = su.iter().map(|u| u.len).sum();
    let lt: usize = tu.iter().map(|u| u.len).sum();
    let ratio = if ls > 0 && lt > 0 {
        lt as f64 / ls as f64
    } else {
        1.0
    };
    let para_beads = gale_church(&lengths(&su), &lengths(&tu), ratio);
    let para_links = links(&para_beads, &su, &tu, (0, 0));

    let s_sent = sentences(source);
    let t_sent = sentences(target);
    // Each group's share of each text, for progress: from the end of the group before it
    // to its own end (the last group's to the end of the text), so that the shares add up
    // to the texts' sizes. Ends never decrease (an empty side ends where it is inserted).
    let mut ends: Vec<(usize, usize)> = para_links
        .iter()
        .map(|l| (l.source.1, l.target.1))
        .collect();
    if let Some(last) = ends.last_mut() {
        *last = (source.len(), target.len());
    }
    let shares: Vec<(usize, usize)> = ends
        .iter()
        .scan((0, 0), |before, &end| {
            let share = (end.0 - before.0, end.1 - before.1);
            *before = end;
            Some(share)
        })
        .collect();
    let sentences: Vec<Link> = para_beads
        .par_iter()
        .zip(&para_links)
        .zip(&shares)
        .map(|((b, group), &(s_share, t_share))| {
            let ss = sentence_units(source, &s_sent, &sp, b.source, b.shape.source);
            let ts = sentence_units(target, &t_sent, &tp, b.target, b.shape.target);
            let beads = gale_church(&lengths(&ss), &lengths(&ts), ratio);
            progress.advance(0, s_share as u64);
            progress.advance(1, t_share as u64);
            // A side with no paragraph inserts at the paragraph group's own position.
            links(&beads, &ss, &ts, (group.source.0, group.target.0))
        })
        .flatten_iter()
        .collect();
    if shares.is_empty() {
        // No words on either side: nothing to align, every byte read.
        progress.advance(0, source.len() as u64);
        progress.advance(1, target.len() as u64);
    }
    Alignment {
        paragraphs: para_links,
        sentences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(beads: &[Bead]) -> Vec<String> {
        beads.iter().map(|b| b.shape.to_string()).collect()
    }

    #[test]
    fn cost_follows_gale_and_church() {
        // Equal lengths at ratio 1: δ = 0, P(δ) = 1, cost = -ln(0.89) = 0.116534.
        assert!((bead_cost(100, 100, 1.0, 0.89) - 0.116534).abs() < 1e-6);
        // l1 = 100, l2 = 130: δ = 30 / √(6.8 · 115) = 1.07280; 2(1 - Φ(δ)) = 0.283362;
        // cost = -ln 0.89 - ln 0.283362 = 1.377564.
        assert!((bead_cost(100, 130, 1.0, 0.89) - 1.377564).abs() < 1e-5);
    }

    #[test]
    fn merges_splits_and_omissions() {
        let gc = |a: &[usize], b: &[usize]| shapes(&gale_church(a, b, 1.0));
        assert_eq!(gc(&[100, 50, 200], &[100, 50, 200]), ["1-1", "1-1", "1-1"]);
        assert_eq!(gc(&[100, 200], &[100, 95, 105]), ["1-1", "1-2"]);
        assert_eq!(gc(&[100, 90, 110], &[100, 200]), ["1-1", "2-1"]);
        assert_eq!(gc(&[100, 300, 120], &[100, 120]), ["1-1", "1-0", "1-1"]);
        assert_eq!(gc(&[], &[40]), ["0-1"]);
    }

    #[test]
    fn aligns_sentences_inside_paragraphs() {
        let en = "The first sentence is here. A second one follows it.\n\nAnother paragraph.";
        let de = "Der erste Satz steht hier. Ein zweiter folgt ihm.\n\nEin weiterer Absatz.";
        let a = align(en, de);
        assert_eq!(a.paragraphs.len(), 2);
        let rows: Vec<(&str, &str, String)> = a
            .sentences
            .iter()
            .map(|l| {
                let (s, t) = (l.source, l.target);
                (&en[s.0..s.1], &de[t.0..t.1], l.shape.to_string())
            })
            .collect();
        let one = "1-1".to_string();
        assert_eq!(
            rows,
            [
                (
                    "The first sentence is here.",
                    "Der erste Satz steht hier.",
                    one.clone()
                ),
                (
                    "A second one follows it.",
                    "Ein zweiter folgt ihm.",
                    one.clone()
                ),
                ("Another paragraph.", "Ein weiterer Absatz.", one),
            ]
        );
    }

    /// A fixed pseudo-random sequence: each call gives a number below its argument.
    fn lcg(mut state: u64) -> impl FnMut(u64) -> u64 {
        move |below| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % below
        }
    }

    /// Segment lengths of a text and of a translation (1.1 times as long, to 1%) that lacks
    /// every `every`th of the text's segments in its first `span` and adds one of its own
    /// after every `every`th in its last `span`: the path drifts off the diagonal and back.
    /// Lengths spread from 20 to about 5,000 characters, so that pairing the wrong segments
    /// costs far more than an omission.
    fn drifting_pair(n: usize, span: usize, every: usize) -> (Vec<usize>, Vec<usize>) {
        let mut next = lcg(0x1956);
        let mut length = || {
            let l = 20 + next(20);
            (l << next(8)) as usize
        };
        let source: Vec<usize> = (0..n).map(|_| length()).collect();
        let mut target = Vec::new();
        for (i, &l) in source.iter().enumerate() {
            if i < span && i % every == 0 {
                continue;
            }
            target.push(l * (1095 + i % 11) / 1000);
            if i >= n - span && i % every == 0 {
                target.push(length());
            }
        }
        (source, target)
    }

    /// How far a path runs from the diagonal of a square table.
    fn off_diagonal(beads: &[Bead]) -> Option<usize> {
        beads.iter().map(|b| b.source.abs_diff(b.target)).max()
    }

    /// The whole table, whatever its size.
    const WHOLE: Limits = Limits {
        exact: usize::MAX,
        band: 0,
        most: usize::MAX,
        coarse: COARSE_CELLS,
    };

    /// A band `band` segments wide, of at most `most` cells, whatever the table's size.
    fn banded(band: usize, most: usize) -> Limits {
        Limits {
            exact: 0,
            band,
            most,
            coarse: COARSE_CELLS,
        }
    }

    /// The diagonal of an n × n table as a guide: one column a row.
    fn diagonal(n: usize) -> Vec<(usize, usize)> {
        (0..=n).map(|i| (i, i)).collect()
    }

    #[test]
    fn the_band_widens_until_the_path_keeps_off_its_edges() {
        let (source, target) = drifting_pair(1000, 400, 8);
        assert_eq!(source.len(), target.len());
        let ratio = 1.1;
        let whole = gale_church_in(&source, &target, ratio, WHOLE);
        // The 50 omissions come out as omissions or as merges with a neighbour (which
        // cost less), and so do the additions; either way the path runs 50 segments off.
        assert_eq!(off_diagonal(&whole), Some(50));
        // A band of 16 either side of the diagonal cannot hold that: its best path runs
        // along the edge, and the band is doubled until the path keeps away from the edges.
        let (ps, pt) = (prefix_sums(&source), prefix_sums(&target));
        let guide = diagonal(1000);
        let (first, near_edge) = search(&Band::around(&guide, 1000, 16), &ps, &pt, ratio);
        assert!(near_edge);
        assert_ne!(first, whole);
        assert_eq!(
            widened(&guide, 1000, &ps, &pt, ratio, banded(16, usize::MAX)),
            whole
        );
        // A band held to 10,000 cells is not widened past that: its best path is taken, a
        // worse one, but an alignment of every segment all the same.
        let held = widened(&guide, 1000, &ps, &pt, ratio, banded(4, 10_000));
        assert_ne!(held, whole);
        let covered = |b: &[Bead]| -> (usize, usize) {
            b.iter()
                .fold((0, 0), |(s, t), b| (s + b.shape.source, t + b.shape.target))
        };
        assert_eq!(covered(&held), (1000, 1000));
        assert!(held.windows(2).all(|w| (w[1].source, w[1].target)
            == (
                w[0].source + w[0].shape.source,
                w[0].target + w[0].shape.target
            )));
        // Guided by the coarse alignment, the band holds the path at once.
        let guide = coarse_guide(&source, &target, ratio, banded(BAND, usize::MAX));
        assert!(!search(&Band::around(&guide, 1000, BAND), &ps, &pt, ratio).1);
        assert_eq!(
            gale_church_in(&source, &target, ratio, banded(BAND, usize::MAX)),
            whole
        );
    }

    #[test]
    fn coarse_alignments_guide_each_other_down_to_a_whole_table() {
        // With coarse tables of at most 100 cells searched whole, the 1,000 segments are
        // guided by 125 blocks, those by 16 and those by 2 (a whole table of 9 cells): the
        // path found through three guided levels is the whole table's.
        let (source, target) = drifting_pair(1000, 400, 8);
        let ratio = 1.1;
        let whole = gale_church_in(&source, &target, ratio, WHOLE);
        let limits = Limits {
            coarse: 100,
            ..banded(BAND, usize::MAX)
        };
        assert_eq!(gale_church_in(&source, &target, ratio, limits), whole);
        // With no coarse table small enough, the levels end at a single block a side
        // (before that end, a side of one segment made blocks of one segment forever).
        let limits = Limits {
            coarse: 0,
            ..banded(BAND, usize::MAX)
        };
        assert_eq!(gale_church_in(&source, &target, ratio, limits), whole);
        let one = gale_church_in(&[300], &target[..40], ratio, limits);
        assert_eq!(one, gale_church_in(&[300], &target[..40], ratio, WHOLE));
    }

    #[test]
    fn a_block_missing_at_the_start_and_added_at_the_end_is_found_by_the_band() {
        // What a band around the diagonal missed (found in a review): 4,200 segments of
        // 300 to 400 characters, the translation lacking the first 100 and adding 100 at
        // the end. The path runs 100 segments off the diagonal all the way, and pairing
        // each segment with its neighbour costs so little that the diagonal band settles
        // for that, away from its edges. The coarse alignment finds the shift, and the band
        // around it the whole table's path.
        let mut next = lcg(0x1917);
        let mut length = || 300 + next(100);
        let source: Vec<usize> = (0..4200).map(|_| length() as usize).collect();
        let mut target: Vec<usize> = source[100..].iter().map(|&l| l * 11 / 10).collect();
        target.extend((0..100).map(|_| length() as usize));
        let ratio = 1.1;
        let whole = gale_church_in(&source, &target, ratio, WHOLE);
        assert_eq!(off_diagonal(&whole), Some(100));
        // Around the diagonal, the band keeps a worse path, away from its edges.
        let (ps, pt) = (prefix_sums(&source), prefix_sums(&target));
        let straight = widened(
            &diagonal(4200),
            4200,
            &ps,
            &pt,
            ratio,
            banded(BAND, MOST_CELLS),
        );
        let total = |b: &[Bead]| b.iter().map(|b| b.cost).sum::<f64>();
        assert!(total(&straight) > 1.5 * total(&whole));
        assert_eq!(
            gale_church_in(&source, &target, ratio, banded(BAND, MOST_CELLS)),
            whole
        );
    }

    #[test]
    fn a_gap_the_blocks_spread_is_still_found_through_the_diagonal_band() {
        // From a review: 2,300 segments of 300 to 400 characters, the translation lacking
        // the 154 after the 1,500th and adding 8 after its 1,900th. The blocks' alignment
        // spread the gap into a drift over hundreds of segments, and a band around it alone
        // kept a path 1.8% costlier than the whole table's, one the band around the
        // diagonal (as wide as the difference of the counts) finds. The band holds both.
        let mut next = lcg(3);
        let source: Vec<usize> = (0..2300).map(|_| 300 + next(100) as usize).collect();
        let mut target: Vec<usize> = source[..1500]
            .iter()
            .chain(&source[1654..])
            .map(|&l| l * 11 / 10)
            .collect();
        let extra: Vec<usize> = (0..8).map(|_| 300 + next(100) as usize).collect();
        target.splice(1900..1900, extra);
        let ratio = 1.1;
        let whole = gale_church_in(&source, &target, ratio, WHOLE);
        assert_eq!(
            gale_church_in(&source, &target, ratio, banded(BAND, MOST_CELLS)),
            whole
        );
    }

    /// Gale and Church's programme as written first: the whole table, 16 bytes a cell,
    /// every bead priced. The search must find exactly its beads and costs.
    fn reference(source: &[usize], target: &[usize], ratio: f64) -> Vec<Bead> {
        let (n, m) = (source.len(), target.len());
        let (ps, pt) = (prefix_sums(source), prefix_sums(target));
        let width = m + 1;
        let mut cost = vec![f64::INFINITY; (n + 1) * width];
        let mut back = vec![usize::MAX; (n + 1) * width];
        cost[0] = 0.0;
        for i in 0..=n {
            for j in 0..=m {
                for (b, &(a, c, prior)) in BEADS.iter().enumerate() {
                    if (i, j) == (0, 0) || a > i || c > j {
                        continue;
                    }
                    let prev = cost[(i - a) * width + (j - c)];
                    let total =
                        prev + bead_cost(ps[i] - ps[i - a], pt[j] - pt[j - c], ratio, prior);
                    if total < cost[i * width + j] {
                        cost[i * width + j] = total;
                        back[i * width + j] = b;
                    }
                }
            }
        }
        let (mut beads, mut i, mut j) = (Vec::new(), n, m);
        while i > 0 || j > 0 {
            let (a, c, _) = BEADS[back[i * width + j]];
            beads.push(Bead {
                shape: BeadShape {
                    source: a,
                    target: c,
                },
                source: i - a,
                target: j - c,
                cost: cost[i * width + j] - cost[(i - a) * width + (j - c)],
            });
            (i, j) = (i - a, j - c);
        }
        beads.reverse();
        beads
    }

    #[test]
    fn the_search_finds_the_whole_tables_beads_and_costs() {
        let mut next = lcg(7);
        for case in 0..600 {
            let (n, m) = (next(40) as usize, next(40) as usize);
            // Few distinct lengths, zeros among them: ties between beads are common; or
            // lengths so unequal that P(δ) underflows and the cost is clamped.
            let spread = [3, 50, 400, 100_000][case % 4];
            let source: Vec<usize> = (0..n).map(|_| next(spread) as usize).collect();
            let target: Vec<usize> = (0..m).map(|_| next(spread) as usize).collect();
            let ratio = [0.5, 1.0, 1.1, 3.0][case / 4 % 4];
            assert_eq!(
                gale_church(&source, &target, ratio),
                reference(&source, &target, ratio),
                "{source:?} {target:?} {ratio}"
            );
        }
        // The essay's paragraphs against the translation's, and against a copy lacking
        // some and splitting others.
        let para_lengths =
            |t: &str| lengths(&paragraphs(t).iter().map(|p| p.1).collect::<Vec<_>>());
        let en = para_lengths(include_str!(
            "../../../texts/deutscher-1956-khrushchev-on-stalin.txt"
        ));
        let de = para_lengths(include_str!(
            "../../../texts/deutscher-1956-khrushchev-on-stalin.de.txt"
        ));
        let mut cut = de.clone();
        cut.remove(30);
        cut.remove(10);
        let half = cut[5] / 2;
        cut.splice(5..6, [half, cut[5] - half]);
        for t in [&de, &cut] {
            assert_eq!(gale_church(&en, t, 1.12), reference(&en, t, 1.12));
        }
    }

    #[test]
    fn a_book_length_text_aligns() {
        // The essay and its translation 70 times over: 4,200 paragraphs a side (the search
        // before took minutes and gigabytes from about 10,000 paragraphs a side).
        let en = include_str!("../../../texts/deutscher-1956-khrushchev-on-stalin.txt");
        let de = include_str!("../../../texts/deutscher-1956-khrushchev-on-stalin.de.txt");
        let (en, de) = (vec![en; 70].join("\n\n"), vec![de; 70].join("\n\n"));
        assert_eq!(paragraphs(&en).len(), 70 * 60);
        let a = align(&en, &de);
        assert_eq!(a.paragraphs.len(), 4200);
        assert_eq!(a.sentences.len(), 70 * 248);
        assert!(a.sentences.iter().all(|l| l.shape.to_string() == "1-1"));
        // The last sentences of the last copy are paired with their translations.
        let text = |l: &Link| (&en[l.source.0..l.source.1], &de[l.target.0..l.target.1]);
        let n = a.sentences.len();
        assert_eq!(
            text(&a.sentences[n - 2]),
            (
                "[4] It has since been published in Kommunist and in Lenin's Works.",
                "[4] Es ist seitdem im Kommunist und in Lenins Werken veröffentlicht worden."
            )
        );
        assert_eq!(
            text(&a.sentences[n - 1]),
            ("Isaac Deutscher Archive", "Isaac-Deutscher-Archiv")
        );
        // Every source offset finds the sentence that holds it.
        for l in a.sentences.iter().step_by(997) {
            assert_eq!(a.sentence_for_source(l.source.1 - 1), Some(l));
            assert_eq!(a.sentence_for_source(l.source.0), Some(l));
        }
    }

    /// A paragraph of one sentence with `words` words.
    fn para(word: &str, words: usize) -> String {
        format!("{}.", vec![word; words].join(" "))
    }

    #[test]
    fn a_paragraph_missing_on_one_side_inserts_at_its_place() {
        // Length-based alignment needs paragraphs of realistic length to tell an omission
        // from a merge, and enough text that the omission hardly moves the length ratio
        // estimated from the totals: twelve paragraphs of 20 to 90 words, as varied as
        // real paragraphs are.
        let sizes = [30, 80, 20, 65, 40, 90, 25, 55, 70, 35, 60, 45];
        let en: Vec<String> = sizes.iter().map(|&n| para("word", n)).collect();
        let de: Vec<String> = sizes.iter().map(|&n| para("wort", n)).collect();
        let (en, de) = (en.join("\n\n"), [&de[..1], &de[2..]].concat().join("\n\n"));
        let log = lectio_text::ProgressLog::default();
        let a = align_with_progress(&en, &de, &log);
        assert_eq!(a, align(&en, &de));
        // Each byte of both texts is told of once, the omitted paragraph's group included.
        let sizes = std::collections::BTreeMap::from([(0, en.len() as u64), (1, de.len() as u64)]);
        assert_eq!(log.advanced(), sizes);
        // Texts without a word are read all the same.
        let log = lectio_text::ProgressLog::default();
        assert!(align_with_progress(" \r\n\r\n", "", &log)
            .sentences
            .is_empty());
        assert_eq!(
            log.advanced(),
            std::collections::BTreeMap::from([(0, 5), (1, 0)])
        );
        let shapes: Vec<String> = a.sentences.iter().map(|l| l.shape.to_string()).collect();
        let mut expected = vec!["1-1"; 12];
        expected[1] = "1-0";
        assert_eq!(shapes, expected);
        // The omitted paragraph's translation side is empty, where the third one starts.
        let at = de.find("\n\n").unwrap() + 2;
        assert_eq!(a.sentences[1].target, (at, at));
    }
}
