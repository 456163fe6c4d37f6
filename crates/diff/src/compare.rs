//! From an alignment to variant rows: comparing what lies between aligned words.

use std::ops::Range;

use serde::Serialize;

use crate::align::{align, equal_runs};
use crate::classify::{
    classify, exact, punct_class, punct_detail, Class, Details, Ignore, Kind, PunctClass, Spelling,
    Tok,
};
use crate::moves::{self, Move};
use crate::prepare::{hash_str, Prepared};

/// One variant reading of a witness against the base: a row of `lectio diff`'s CSV.
///
/// Offsets are byte offsets into each text as given (the file on disk); `base_text` is
/// `base[base_start..base_end]` and `witness_text` is `witness[witness_start..witness_end]`.
/// An addition has `base_start == base_end` at the insertion point in the base (the end of
/// the token before it); an omission has `witness_start == witness_end` likewise. A
/// transposition is one row: the base span is where the passage left, the witness span is
/// where it landed, and `move` names it (variants inside a moved passage carry the same
/// `move`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variant {
    /// 1-based number of the row in its report.
    pub id: usize,
    /// The witness's name.
    pub witness: String,
    /// Substitution, omission, addition or transposition.
    pub kind: Kind,
    /// Substantive or accidental.
    pub class: Class,
    /// For accidental variants, which formal differences (empty for substantive ones).
    pub detail: Details,
    /// 1-based line of `base_start` in the base.
    pub base_line: usize,
    /// Byte offset where the base reading starts.
    pub base_start: usize,
    /// Byte offset where the base reading ends.
    pub base_end: usize,
    /// The base reading, as in the base.
    pub base_text: String,
    /// 1-based line of `witness_start` in the witness.
    pub witness_line: usize,
    /// Byte offset where the witness reading starts.
    pub witness_start: usize,
    /// Byte offset where the witness reading ends.
    pub witness_end: usize,
    /// The witness reading, as in the witness.
    pub witness_text: String,
    /// The move id (`m1`, `m2`, ...) of a transposition, and of variants inside it.
    #[serde(rename = "move")]
    pub move_id: Option<String>,
    /// For a transposition: the byte offset in the base where the passage landed.
    #[serde(skip)]
    pub landed_in_base: usize,
    /// For a transposition: the byte offset in the witness where the passage left.
    #[serde(skip)]
    pub left_in_witness: usize,
}

/// The column names of [`Variant`] in CSV order.
pub const COLUMNS: [&str; 14] = [
    "id",
    "witness",
    "kind",
    "class",
    "detail",
    "base_line",
    "base_start",
    "base_end",
    "base_text",
    "witness_line",
    "witness_start",
    "witness_end",
    "witness_text",
    "move",
];

/// Counts of a comparison.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Variants by kind: substitution, omission, addition, transposition.
    pub by_kind: [usize; 4],
    /// Substantive variants.
    pub substantive: usize,
    /// Accidental variants.
    pub accidental: usize,
    /// Words in the base.
    pub base_words: usize,
    /// Words in the witness.
    pub witness_words: usize,
    /// Word pairs aligned, in place or moved.
    pub aligned_words: usize,
    /// 2 × aligned / (base words + witness words): 1 for texts with the same words in
    /// the same order (formal differences aside).
    pub similarity: f64,
}

impl Summary {
    /// The number of variants.
    pub fn total(&self) -> usize {
        self.by_kind.iter().sum()
    }

    /// The count of one kind.
    pub fn kind(&self, k: Kind) -> usize {
        self.by_kind[k as usize]
    }

    /// Adds up two summaries; the similarity becomes the aligned-word ratio of both.
    pub fn add(&mut self, o: &Summary) {
        for k in 0..4 {
            self.by_kind[k] += o.by_kind[k];
        }
        self.substantive += o.substantive;
        self.accidental += o.accidental;
        self.base_words += o.base_words;
        self.witness_words += o.witness_words;
        self.aligned_words += o.aligned_words;
        self.similarity = ratio(self.aligned_words, self.base_words + self.witness_words);
    }
}

fn ratio(aligned: usize, total: usize) -> f64 {
    if total == 0 {
        1.0
    } else {
        2.0 * aligned as f64 / total as f64
    }
}

/// How to compare.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Equivalent spellings (the `spelling` detail).
    pub spelling: Spelling,
    /// Variants to leave out of the report.
    pub ignore: Ignore,
}

/// A base–witness difference in token ranges, for collation: everything outside pieces is
/// identical token for token, so positions map one for one between them.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub b: Range<u32>,
    pub w: Range<u32>,
    /// Indices into `Comparison::all` of the variants this piece holds.
    pub rows: Vec<u32>,
    /// Moves that leave from here (the base side holds the passage).
    pub left: Vec<u32>,
    /// Moves that land here (the witness side holds the passage).
    pub landed: Vec<u32>,
}

/// The result of comparing one witness with the base.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The base's name.
    pub base: String,
    /// The witness's name.
    pub witness: String,
    /// The variants, in base order, numbered from 1, without the ignored ones.
    pub variants: Vec<Variant>,
    /// Counts over `variants`, and the similarity.
    pub summary: Summary,
    /// Every variant, ignored ones included, with whether it is ignored.
    pub(crate) all: Vec<(Variant, bool)>,
    pub(crate) pieces: Vec<Piece>,
}

const FREE: u32 = u32::MAX;
const ANCHOR: u32 = u32::MAX - 1;

struct Builder<'p, 'a> {
    b: &'p Prepared<'a>,
    w: &'p Prepared<'a>,
    spelling: &'p Spelling,
    b_owner: Vec<u32>,
    w_owner: Vec<u32>,
    rows: Vec<Raw>,
    pieces: Vec<Piece>,
    /// Where each move landed in the base and left in the witness (byte offsets).
    landed: Vec<usize>,
    left: Vec<usize>,
}

/// A variant before numbering: token ranges and what it is.
struct Raw {
    kind: Kind,
    class: Class,
    details: Details,
    b: Range<usize>,
    w: Range<usize>,
    mv: Option<u32>,
}

impl Builder<'_, '_> {
    fn tok_b(&self, r: Range<usize>) -> Vec<Tok<'_>> {
        r.map(|i| Tok {
            text: self.b.tok(i),
            word: self.b.is_word(i),
        })
        .collect()
    }

    fn tok_w(&self, r: Range<usize>) -> Vec<Tok<'_>> {
        r.map(|i| Tok {
            text: self.w.tok(i),
            word: self.w.is_word(i),
        })
        .collect()
    }

    fn same(&self, i: usize, j: usize) -> bool {
        let (x, y) = (self.b.tok(i), self.w.tok(j));
        x == y || (!(x.is_ascii() && y.is_ascii()) && exact(x) == exact(y))
    }

    /// Punctuation tokens that may stand for each other (quote for quote, dash for dash,
    /// anything else only for itself).
    fn loosely_same(&self, i: usize, j: usize) -> bool {
        if self.b.is_word(i) || self.w.is_word(j) {
            return false;
        }
        let (x, y) = (self.b.tok(i), self.w.tok(j));
        match (punct_class(x), punct_class(y)) {
            (PunctClass::Quote, PunctClass::Quote) | (PunctClass::Dash, PunctClass::Dash) => true,
            (PunctClass::Other, PunctClass::Other) => exact(x) == exact(y),
            _ => false,
        }
    }

    fn push(
        &mut self,
        b: Range<usize>,
        w: Range<usize>,
        class: Class,
        details: Details,
        mv: Option<u32>,
    ) {
        let kind = if b.is_empty() {
            Kind::Addition
        } else if w.is_empty() {
            Kind::Omission
        } else {
            Kind::Substitution
        };
        self.rows.push(Raw {
            kind,
            class,
            details,
            b,
            w,
            mv,
        });
    }

    /// A variant of free tokens `b` against `w`, classified.
    fn push_classified(&mut self, b: Range<usize>, w: Range<usize>, mv: Option<u32>) {
        let (class, details) = classify(
            &self.tok_b(b.clone()),
            &self.tok_w(w.clone()),
            self.spelling,
        );
        self.push(b, w, class, details, mv);
    }

    /// Two aligned words: a variant when their forms differ.
    fn anchor(&mut self, i: usize, j: usize, mv: Option<u32>) -> bool {
        if self.same(i, j) {
            return false;
        }
        self.push_classified(i..i + 1, j..j + 1, mv);
        true
    }

    /// Contiguous runs of tokens in `r` whose owner is `FREE` (or `owner`).
    fn runs(owners: &[u32], r: Range<usize>, owner: u32) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = None;
        for i in r.clone() {
            let free = owners[i] == owner;
            match (free, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    out.push(s..i);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            out.push(s..r.end);
        }
        out
    }

    /// Compares two contiguous runs of free tokens.
    fn pair(&mut self, mut b: Range<usize>, mut w: Range<usize>, mv: Option<u32>) {
        let has_words =
            b.clone().any(|i| self.b.is_word(i)) || w.clone().any(|j| self.w.is_word(j));
        if !has_words {
            self.punctuation(b, w, mv);
            return;
        }
        // Punctuation at either end that stands for the same mark: its own variant, if any.
        while !b.is_empty() && !w.is_empty() && self.loosely_same(b.start, w.start) {
            if !self.same(b.start, w.start) {
                self.push_classified(b.start..b.start + 1, w.start..w.start + 1, mv);
            }
            b.start += 1;
            w.start += 1;
        }
        let mut tail = Vec::new();
        while !b.is_empty() && !w.is_empty() && self.loosely_same(b.end - 1, w.end - 1) {
            if !self.same(b.end - 1, w.end - 1) {
                tail.push((b.end - 1, w.end - 1));
            }
            b.end -= 1;
            w.end -= 1;
        }
        if !b.is_empty() || !w.is_empty() {
            self.push_classified(b, w, mv);
        }
        for (i, j) in tail.into_iter().rev() {
            self.push_classified(i..i + 1, j..j + 1, mv);
        }
    }

    /// Compares punctuation only: aligned mark by mark (quotes with quotes, dashes with
    /// dashes), each change its own variant.
    fn punctuation(&mut self, b: Range<usize>, w: Range<usize>, mv: Option<u32>) {
        let key = |t: &str| match punct_class(t) {
            PunctClass::Quote => 1,
            PunctClass::Dash => 2,
            PunctClass::Other => hash_str(&exact(t)) | 4,
        };
        let kb: Vec<u64> = b.clone().map(|i| key(self.b.tok(i))).collect();
        let kw: Vec<u64> = w.clone().map(|j| key(self.w.tok(j))).collect();
        let (mut pb, mut pw) = (0, 0);
        let mut runs = equal_runs(&kb, &kw);
        runs.push((kb.len(), kw.len(), 0));
        for (ob, ow, len) in runs {
            if ob > pb || ow > pw {
                let (rb, rw) = (b.start + pb..b.start + ob, w.start + pw..w.start + ow);
                let mut details = Details::NONE;
                for i in rb.clone() {
                    details.insert(punct_detail(self.b.tok(i)));
                }
                for j in rw.clone() {
                    details.insert(punct_detail(self.w.tok(j)));
                }
                self.push(rb, rw, Class::Accidental, details, mv);
            }
            for k in 0..len {
                let (i, j) = (b.start + ob + k, w.start + ow + k);
                if !self.same(i, j) {
                    self.push_classified(i..i + 1, j..j + 1, mv);
                }
            }
            pb = ob + len;
            pw = ow + len;
        }
    }

    /// Everything between two aligned words (or a text edge), tokens `bg` and `wg`.
    fn gap(&mut self, bg: Range<usize>, wg: Range<usize>) {
        // The common case: the same punctuation on both sides.
        if bg.len() == wg.len()
            && bg
                .clone()
                .zip(wg.clone())
                .all(|(i, j)| self.b_owner[i] == FREE && self.w_owner[j] == FREE && self.same(i, j))
        {
            return;
        }
        let first_row = self.rows.len();
        // The piece: trim identical free tokens at both ends.
        let (mut pb, mut pw) = (bg.clone(), wg.clone());
        while !pb.is_empty()
            && !pw.is_empty()
            && self.b_owner[pb.start] == FREE
            && self.w_owner[pw.start] == FREE
            && self.same(pb.start, pw.start)
        {
            pb.start += 1;
            pw.start += 1;
        }
        while !pb.is_empty()
            && !pw.is_empty()
            && self.b_owner[pb.end - 1] == FREE
            && self.w_owner[pw.end - 1] == FREE
            && self.same(pb.end - 1, pw.end - 1)
        {
            pb.end -= 1;
            pw.end -= 1;
        }
        let rb = Self::runs(&self.b_owner, bg.clone(), FREE);
        let rw = Self::runs(&self.w_owner, wg.clone(), FREE);
        let n = rb.len().max(rw.len());
        for k in 0..n {
            let b = rb.get(k).cloned().unwrap_or_else(|| {
                let p = rb.last().map_or(bg.start, |r| r.end);
                p..p
            });
            let w = rw.get(k).cloned().unwrap_or_else(|| {
                let p = rw.last().map_or(wg.start, |r| r.end);
                p..p
            });
            self.pair(b, w, None);
        }
        // Moves that leave from or land in this gap, and where they meet the other side:
        // the k-th free run of one side was compared with the k-th of the other, so a move
        // that follows k runs on its side meets the other side after that side's k-th run
        // (at the gap's start when k = 0, at its end when that side has fewer runs).
        let meet =
            |here: &[Range<usize>], there: &[Range<usize>], at: usize, other: &Range<usize>| {
                match here.iter().filter(|r| r.end <= at).count() {
                    0 => other.start,
                    k => there.get(k - 1).map_or(other.end, |r| r.end),
                }
            };
        let (mut left, mut landed) = (Vec::new(), Vec::new());
        for i in bg.clone() {
            let o = self.b_owner[i];
            if o < ANCHOR && (i == bg.start || self.b_owner[i - 1] != o) {
                left.push(o);
                self.left[o as usize] = self.w.insertion_point(meet(&rb, &rw, i, &wg));
            }
        }
        for j in wg.clone() {
            let o = self.w_owner[j];
            if o < ANCHOR && (j == wg.start || self.w_owner[j - 1] != o) {
                landed.push(o);
                self.landed[o as usize] = self.b.insertion_point(meet(&rw, &rb, j, &bg));
            }
        }
        if !pb.is_empty() || !pw.is_empty() {
            self.pieces.push(Piece {
                b: pb.start as u32..pb.end as u32,
                w: pw.start as u32..pw.end as u32,
                rows: (first_row as u32..self.rows.len() as u32).collect(),
                left,
                landed,
            });
        }
    }
}

/// Token span of a move: its words and the punctuation between them, grown by marks
/// attached (no space between) to its first or last word when both sides have them.
fn move_span(
    b: &Prepared,
    w: &Prepared,
    m: &Move,
    b_owner: &[u32],
    w_owner: &[u32],
) -> (Range<usize>, Range<usize>) {
    let mut rb = b.words[m.b.start as usize] as usize..b.words[m.b.end as usize - 1] as usize + 1;
    let mut rw = w.words[m.w.start as usize] as usize..w.words[m.w.end as usize - 1] as usize + 1;
    let attached_after = |p: &Prepared, t: usize| {
        t < p.tokens.len() && !p.is_word(t) && p.tokens[t].start == p.tokens[t - 1].end
    };
    while attached_after(b, rb.end)
        && attached_after(w, rw.end)
        && b_owner[rb.end] == FREE
        && w_owner[rw.end] == FREE
        && exact(b.tok(rb.end)) == exact(w.tok(rw.end))
    {
        rb.end += 1;
        rw.end += 1;
    }
    let attached_before = |p: &Prepared, t: usize| {
        t > 0 && !p.is_word(t - 1) && p.tokens[t - 1].end == p.tokens[t].start
    };
    while attached_before(b, rb.start)
        && attached_before(w, rw.start)
        && b_owner[rb.start - 1] == FREE
        && w_owner[rw.start - 1] == FREE
        && exact(b.tok(rb.start - 1)) == exact(w.tok(rw.start - 1))
    {
        rb.start -= 1;
        rw.start -= 1;
    }
    (rb, rw)
}

/// Compares a witness with the base.
pub fn compare(
    base_name: &str,
    base: &str,
    witness_name: &str,
    witness: &str,
    opts: &Options,
) -> Comparison {
    let (b, w) = rayon::join(
        || Prepared::new(base, &opts.spelling),
        || Prepared::new(witness, &opts.spelling),
    );
    compare_prepared(base_name, &b, witness_name, &w, opts)
}

pub(crate) fn compare_prepared(
    base_name: &str,
    b: &Prepared,
    witness_name: &str,
    w: &Prepared,
    opts: &Options,
) -> Comparison {
    let mut pairs = align(b, w);
    let moves = moves::find(b, w, &mut pairs);

    let mut bld = Builder {
        b,
        w,
        spelling: &opts.spelling,
        b_owner: vec![FREE; b.tokens.len()],
        w_owner: vec![FREE; w.tokens.len()],
        rows: Vec::new(),
        pieces: Vec::new(),
        landed: vec![0; moves.len()],
        left: vec![0; moves.len()],
    };
    for &(i, j) in &pairs {
        bld.b_owner[b.words[i as usize] as usize] = ANCHOR;
        bld.w_owner[w.words[j as usize] as usize] = ANCHOR;
    }
    let mut spans = Vec::with_capacity(moves.len());
    for (k, m) in moves.iter().enumerate() {
        let (rb, rw) = move_span(b, w, m, &bld.b_owner, &bld.w_owner);
        bld.b_owner[rb.clone()].fill(k as u32);
        bld.w_owner[rw.clone()].fill(k as u32);
        spans.push((rb, rw));
    }

    // The main alignment: gaps and aligned words in order.
    let mut prev = (0usize, 0usize);
    for &(i, j) in &pairs {
        let (ti, tj) = (b.words[i as usize] as usize, w.words[j as usize] as usize);
        bld.gap(prev.0..ti, prev.1..tj);
        let first = bld.rows.len() as u32;
        if bld.anchor(ti, tj, None) {
            bld.pieces.push(Piece {
                b: ti as u32..ti as u32 + 1,
                w: tj as u32..tj as u32 + 1,
                rows: vec![first],
                left: Vec::new(),
                landed: Vec::new(),
            });
        }
        prev = (ti + 1, tj + 1);
    }
    bld.gap(prev.0..b.tokens.len(), prev.1..w.tokens.len());

    // Each move: one transposition row, then the variants inside the moved passage.
    let mut move_rows: Vec<Vec<u32>> = vec![Vec::new(); moves.len()];
    for (k, (m, (rb, rw))) in moves.iter().zip(&spans).enumerate() {
        let mv = Some(k as u32);
        let first = bld.rows.len() as u32;
        bld.rows.push(Raw {
            kind: Kind::Transposition,
            class: Class::Substantive,
            details: Details::NONE,
            b: rb.clone(),
            w: rw.clone(),
            mv,
        });
        let mut prev = (rb.start, rw.start);
        let own = k as u32;
        for &(i, j) in &m.pairs {
            let (ti, tj) = (b.words[i as usize] as usize, w.words[j as usize] as usize);
            inner_gap(&mut bld, prev.0..ti, prev.1..tj, own);
            bld.anchor(ti, tj, mv);
            prev = (ti + 1, tj + 1);
        }
        inner_gap(&mut bld, prev.0..rb.end, prev.1..rw.end, own);
        move_rows[k] = (first..bld.rows.len() as u32).collect();
    }
    for piece in &mut bld.pieces {
        for &m in &piece.left {
            // Where it left: the transposition row only.
            piece.rows.push(move_rows[m as usize][0]);
        }
        for &m in &piece.landed {
            piece.rows.extend(&move_rows[m as usize]);
        }
    }

    finish(
        base_name,
        witness_name,
        bld,
        pairs.len() + moves.iter().map(|m| m.pairs.len()).sum::<usize>(),
        opts,
    )
}

/// Variants between two aligned words inside a moved passage.
fn inner_gap(bld: &mut Builder, bg: Range<usize>, wg: Range<usize>, own: u32) {
    if bg.len() == wg.len() && bg.clone().zip(wg.clone()).all(|(i, j)| bld.same(i, j)) {
        return;
    }
    let rb = Builder::runs(&bld.b_owner, bg.clone(), own);
    let rw = Builder::runs(&bld.w_owner, wg.clone(), own);
    let b = rb.first().cloned().unwrap_or(bg.start..bg.start);
    let w = rw.first().cloned().unwrap_or(wg.start..wg.start);
    bld.pair(b, w, Some(own));
}

fn finish(
    base_name: &str,
    witness_name: &str,
    bld: Builder,
    aligned: usize,
    opts: &Options,
) -> Comparison {
    let (b, w) = (bld.b, bld.w);
    let mut order: Vec<usize> = (0..bld.rows.len()).collect();
    let key = |r: &Raw| {
        let (bs, be) = b.span(r.b.clone());
        let (ws, _) = w.span(r.w.clone());
        (bs, be, ws, r.kind != Kind::Transposition)
    };
    order.sort_by_key(|&k| key(&bld.rows[k]));
    // Number moves in the order their transposition rows appear.
    let mut move_name = vec![String::new(); bld.landed.len()];
    let mut next = 1;
    for &k in &order {
        let r = &bld.rows[k];
        if r.kind == Kind::Transposition {
            move_name[r.mv.unwrap() as usize] = format!("m{next}");
            next += 1;
        }
    }
    let mut all: Vec<(Variant, bool)> = bld
        .rows
        .iter()
        .map(|r| {
            let (bs, be) = b.span(r.b.clone());
            let (ws, we) = w.span(r.w.clone());
            let mv = r.mv.map(|m| m as usize);
            let v = Variant {
                id: 0,
                witness: witness_name.to_string(),
                kind: r.kind,
                class: r.class,
                detail: r.details,
                base_line: b.lines.line(bs),
                base_start: bs,
                base_end: be,
                base_text: b.text[bs..be].to_string(),
                witness_line: w.lines.line(ws),
                witness_start: ws,
                witness_end: we,
                witness_text: w.text[ws..we].to_string(),
                move_id: mv.map(|m| move_name[m].clone()),
                landed_in_base: if r.kind == Kind::Transposition {
                    bld.landed[mv.unwrap()]
                } else {
                    0
                },
                left_in_witness: if r.kind == Kind::Transposition {
                    bld.left[mv.unwrap()]
                } else {
                    0
                },
            };
            let ignored = opts.ignore.drops(v.class, v.detail);
            (v, ignored)
        })
        .collect();
    let mut variants = Vec::new();
    let mut summary = Summary {
        base_words: b.words.len(),
        witness_words: w.words.len(),
        aligned_words: aligned,
        similarity: ratio(aligned, b.words.len() + w.words.len()),
        ..Summary::default()
    };
    for &k in &order {
        let (v, ignored) = &all[k];
        if *ignored {
            continue;
        }
        let mut v = v.clone();
        v.id = variants.len() + 1;
        summary.by_kind[v.kind as usize] += 1;
        match v.class {
            Class::Substantive => summary.substantive += 1,
            Class::Accidental => summary.accidental += 1,
        }
        variants.push(v);
    }
    for (k, (v, _)) in all.iter_mut().enumerate() {
        v.id = k + 1;
    }
    Comparison {
        base: base_name.to_string(),
        witness: witness_name.to_string(),
        variants,
        summary,
        all,
        pieces: bld.pieces,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Row = (
        Kind,
        Class,
        String,
        usize,
        usize,
        String,
        usize,
        usize,
        String,
    );

    fn rows(a: &str, b: &str) -> Vec<Row> {
        compare("a", a, "b", b, &Options::default())
            .variants
            .into_iter()
            .map(|v| {
                (
                    v.kind,
                    v.class,
                    v.detail.to_string(),
                    v.base_start,
                    v.base_end,
                    v.base_text,
                    v.witness_start,
                    v.witness_end,
                    v.witness_text,
                )
            })
            .collect()
    }

    const TEXT: &str = "The régime, said he to-day, is an ”élite” affair — and\nthat is all.\n\nA second paragraph follows here.";

    #[test]
    fn rewrapping_crlf_and_nfd_give_no_rows() {
        let rewrapped = "The régime, said\nhe to-day, is an ”élite”\naffair — and that is\nall.\n\n\nA second\nparagraph follows here.";
        let crlf = TEXT.replace('\n', "\r\n");
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd(TEXT).collect();
        assert_ne!(nfd, TEXT);
        for w in [rewrapped, crlf.as_str(), nfd.as_str()] {
            let c = compare("a", TEXT, "b", w, &Options::default());
            assert!(c.variants.is_empty(), "{w:?}: {:?}", c.variants);
            assert_eq!(c.summary.similarity, 1.0);
        }
    }

    #[test]
    fn substitution_omission_addition_with_offsets_and_classes() {
        let r = rows(
            "He has, after all, heel, unable really to see the english coast.",
            "He has, after all, been unable to see the English coast clearly.",
        );
        use Class::*;
        use Kind::*;
        assert_eq!(
            r,
            [
                (
                    Substitution,
                    Substantive,
                    "".into(),
                    19,
                    24,
                    "heel,".into(),
                    19,
                    23,
                    "been".into()
                ),
                (
                    Omission,
                    Substantive,
                    "".into(),
                    32,
                    38,
                    "really".into(),
                    30,
                    30,
                    "".into()
                ),
                (
                    Substitution,
                    Accidental,
                    "case".into(),
                    50,
                    57,
                    "english".into(),
                    42,
                    49,
                    "English".into()
                ),
                (
                    Addition,
                    Substantive,
                    "".into(),
                    63,
                    63,
                    "".into(),
                    56,
                    63,
                    "clearly".into()
                ),
            ]
        );
    }

    #[test]
    fn adjacent_swap_is_one_transposition_row() {
        let c = compare(
            "a",
            "They differ more from each other than do wild ones.",
            "b",
            "They differ from each other more than do wild ones.",
            &Options::default(),
        );
        assert_eq!(c.variants.len(), 1, "{:?}", c.variants);
        let v = &c.variants[0];
        assert_eq!(v.kind, Kind::Transposition);
        assert_eq!(
            (v.base_start, v.base_end, v.base_text.as_str()),
            (12, 16, "more")
        );
        assert_eq!(
            (v.witness_start, v.witness_end, v.witness_text.as_str()),
            (28, 32, "more")
        );
        assert_eq!(v.move_id.as_deref(), Some("m1"));
        assert_eq!(c.summary.similarity, 1.0);
    }

    #[test]
    fn moved_sentence_is_one_transposition_row() {
        let c = compare(
            "a",
            "A first sentence here. It moves away. A third sentence ends here.",
            "b",
            "A first sentence here. A third sentence ends here. It moves away.",
            &Options::default(),
        );
        assert_eq!(c.variants.len(), 1, "{:?}", c.variants);
        let v = &c.variants[0];
        assert_eq!(v.kind, Kind::Transposition);
        assert_eq!((v.base_start, v.base_end), (23, 37));
        assert_eq!(v.base_text, "It moves away.");
        assert_eq!((v.witness_start, v.witness_end), (51, 65));
        assert_eq!(v.witness_text, "It moves away.");
        // Where it landed in the base: after "here." at the end.
        assert_eq!(v.landed_in_base, 65);
    }

    #[test]
    fn ignore_drops_rows_but_not_the_similarity() {
        let opts = Options {
            ignore: Ignore::parse("case,quotation-marks").unwrap(),
            ..Options::default()
        };
        let c = compare("a", "”The english”", "b", "“The English”", &opts);
        assert!(c.variants.is_empty());
        assert_eq!(c.all.len(), 2);
        assert_eq!(c.summary.similarity, 1.0);
    }
}
