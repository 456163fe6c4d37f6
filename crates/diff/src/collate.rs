//! N-witness collation: every witness aligned to the base, merged into one table.

use std::ops::Range;

use lectio_text::Progress;
use rayon::prelude::*;

use crate::classify::{Class, Details, Kind};
use crate::compare::{compare_prepared, Comparison, Options, Piece};
use crate::prepare::Prepared;
use crate::DiffError;

/// A witness to collate: a name (file path or CollateX id) and its text.
#[derive(Debug, Clone, Copy)]
pub struct Witness<'a> {
    /// The name shown in reports.
    pub name: &'a str,
    /// The text, as on disk.
    pub text: &'a str,
}

/// One witness's reading in one segment of the alignment table.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Byte offset in the witness where the reading starts (the insertion point of a gap).
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// The reading with every run of whitespace shown as one space; empty for a gap. A
    /// view for reading: the reading exactly as in the witness is `text[start..end]` of the
    /// witness's text.
    pub text: String,
    /// True when the witness reads as the base here (ignored accidentals aside).
    pub agrees: bool,
    /// What the witness's variant here is, when it does not agree.
    pub kind: Option<Kind>,
    /// Substantive or accidental, when it does not agree.
    pub class: Option<Class>,
    /// Details of an accidental variant.
    pub detail: Details,
    /// The move id when the reading is a transposition (where the passage left, or landed).
    pub move_id: Option<String>,
    /// For a transposition: true where the passage landed, false where it left.
    pub move_landed: bool,
}

/// A row of the alignment table: one aligned segment, one cell per witness.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// True when some witness does not agree with the base here.
    pub varies: bool,
    /// Cells in witness order (the base's included).
    pub cells: Vec<Cell>,
    base_tokens: Range<u32>,
}

impl Segment {
    /// The base's token range of this segment (empty for readings the base lacks).
    pub fn base_tokens(&self) -> Range<u32> {
        self.base_tokens.clone()
    }
}

/// A group of witnesses with the same reading in one apparatus entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Indices of the witnesses (into [`Collation::witnesses`]), in witness order.
    pub witnesses: Vec<usize>,
    /// The reading (whitespace runs as one space; empty for an omission).
    pub text: String,
    /// The kind of variant, `None` for the lemma.
    pub kind: Option<Kind>,
    /// The class, `None` for the lemma.
    pub class: Option<Class>,
    /// Details of an accidental reading.
    pub detail: Details,
    /// The move id of a transposition.
    pub move_id: Option<String>,
    /// For a transposition: true where the passage landed, false where it left.
    pub move_landed: bool,
}

/// One apparatus entry: the base's reading (with the witnesses that agree with it) and the
/// variant readings, witnesses that agree grouped.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Index of the segment in [`Collation::segments`].
    pub segment: usize,
    /// The lemma: the base and every witness that agrees with it.
    pub lemma: Reading,
    /// The other readings, in the order of their first witness.
    pub readings: Vec<Reading>,
}

/// The collation of N witnesses against a base.
#[derive(Debug, Clone)]
pub struct Collation {
    /// Witness names in the order given.
    pub witnesses: Vec<String>,
    /// Index of the base in `witnesses`.
    pub base: usize,
    /// The alignment table, in base order.
    pub segments: Vec<Segment>,
    /// Each witness against the base (`None` at the base's index).
    pub comparisons: Vec<Option<Comparison>>,
}

/// Collapses whitespace runs to one space.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, part) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// Number of pieces wholly before base boundary `k`; with `after`, insertions at `k` too.
fn passed(pieces: &[Piece], k: u32, after: bool) -> usize {
    pieces.partition_point(|p| {
        if p.b.is_empty() {
            p.b.start < k || (after && p.b.start == k)
        } else {
            p.b.end <= k
        }
    })
}

/// The witness token boundary matching base boundary `k`.
fn map(pieces: &[Piece], k: u32, after: bool) -> u32 {
    match passed(pieces, k, after) {
        0 => k,
        n => {
            let p = &pieces[n - 1];
            p.w.end + (k - p.b.end)
        }
    }
}

/// Collates `witnesses` against `witnesses[base]`.
///
/// Each witness is compared with the base on its own (in parallel); the table's segments
/// are the unions of overlapping variant spans of all witnesses, with the stretches where
/// all agree in between. So the result does not depend on the order of the witnesses,
/// except for which is the base: reordering them only reorders columns and the witnesses
/// listed within a reading.
pub fn collate(witnesses: &[Witness], base: usize, opts: &Options) -> Result<Collation, DiffError> {
    collate_with_progress(witnesses, base, opts, &())
}

/// [`collate`], telling `progress` of the bytes of witness `i` (text `i`) when its
/// comparison with the base is done, and of the base's when it has been tokenized.
pub fn collate_with_progress(
    witnesses: &[Witness],
    base: usize,
    opts: &Options,
    progress: &dyn Progress,
) -> Result<Collation, DiffError> {
    if witnesses.len() < 2 {
        return Err(DiffError::TooFewWitnesses(witnesses.len()));
    }
    let prepared: Vec<Prepared> = witnesses
        .par_iter()
        .enumerate()
        .map(|(x, w)| {
            let p = Prepared::new(w.text, &opts.spelling);
            if x == base {
                progress.advance(x, w.text.len() as u64);
            }
            p
        })
        .collect();
    let bp = &prepared[base];
    let comparisons: Vec<Option<Comparison>> = (0..witnesses.len())
        .into_par_iter()
        .map(|x| {
            (x != base).then(|| {
                let c = compare_prepared(
                    witnesses[base].name,
                    bp,
                    witnesses[x].name,
                    &prepared[x],
                    opts,
                );
                progress.advance(x, witnesses[x].text.len() as u64);
                c
            })
        })
        .collect();

    // Variant segments: unions of overlapping piece spans.
    let mut spans: Vec<(u32, u32)> = comparisons
        .iter()
        .flatten()
        .flat_map(|c| c.pieces.iter().map(|p| (p.b.start, p.b.end)))
        .collect();
    spans.sort_unstable();
    spans.dedup();
    let mut merged: Vec<(u32, u32)> = Vec::new();
    for (s, e) in spans {
        if let Some(cur) = merged.last_mut() {
            // Overlapping spans merge; insertions at one point merge; an insertion just
            // before a varying span stays its own segment.
            let overlaps = if cur.0 == cur.1 {
                s == cur.0 && e == s
            } else {
                s < cur.1
            };
            if overlaps {
                cur.1 = cur.1.max(e);
                continue;
            }
        }
        merged.push((s, e));
    }
    let ntok = bp.tokens.len() as u32;
    let mut ranges: Vec<(Range<u32>, bool)> = Vec::new();
    let mut pos = 0;
    for (s, e) in merged {
        if s > pos {
            ranges.push((pos..s, false));
        }
        ranges.push((s..e, true));
        pos = pos.max(e);
    }
    if pos < ntok {
        ranges.push((pos..ntok, false));
    }

    let segments = ranges
        .into_par_iter()
        .map(|(r, variant)| {
            let cells = (0..witnesses.len())
                .map(|x| cell(&prepared[x], comparisons[x].as_ref(), &r, x == base))
                .collect::<Vec<_>>();
            Segment {
                varies: variant && cells.iter().any(|c| !c.agrees),
                cells,
                base_tokens: r,
            }
        })
        .collect();
    Ok(Collation {
        witnesses: witnesses.iter().map(|w| w.name.to_string()).collect(),
        base,
        segments,
        comparisons,
    })
}

fn cell(p: &Prepared, comparison: Option<&Comparison>, r: &Range<u32>, is_base: bool) -> Cell {
    let Some(c) = comparison else {
        let (start, end) = p.span(r.start as usize..r.end as usize);
        debug_assert!(is_base);
        return Cell {
            start,
            end,
            line: p.lines.line(start),
            text: collapse(&p.text[start..end]),
            agrees: true,
            kind: None,
            class: None,
            detail: Details::NONE,
            move_id: None,
            move_landed: false,
        };
    };
    let pieces = &c.pieces;
    let (w, idx) = if r.is_empty() {
        (
            map(pieces, r.start, false)..map(pieces, r.start, true),
            passed(pieces, r.start, false)..passed(pieces, r.start, true),
        )
    } else {
        (
            map(pieces, r.start, true)..map(pieces, r.end, false),
            passed(pieces, r.start, true)..passed(pieces, r.end, false),
        )
    };
    let (start, end) = p.span(w.start as usize..w.end as usize);
    let mut cell = Cell {
        start,
        end,
        line: p.lines.line(start),
        text: collapse(&p.text[start..end]),
        agrees: true,
        kind: None,
        class: None,
        detail: Details::NONE,
        move_id: None,
        move_landed: false,
    };
    for piece in &pieces[idx] {
        if !piece.landed.is_empty() {
            cell.move_landed = true;
        }
        for &row in &piece.rows {
            let (v, ignored) = &c.all[row as usize];
            if *ignored {
                continue;
            }
            cell.agrees = false;
            if v.kind == Kind::Transposition {
                cell.kind = Some(Kind::Transposition);
                cell.move_id = v.move_id.clone();
            }
            match v.class {
                Class::Substantive => cell.class = Some(Class::Substantive),
                Class::Accidental => {
                    if cell.class.is_none() {
                        cell.class = Some(Class::Accidental);
                    }
                    cell.detail = cell.detail.union(v.detail);
                }
            }
        }
    }
    if cell.class == Some(Class::Substantive) {
        cell.detail = Details::NONE;
    }
    if !cell.agrees && cell.kind.is_none() {
        cell.kind = Some(if r.is_empty() {
            Kind::Addition
        } else if w.is_empty() {
            Kind::Omission
        } else {
            Kind::Substitution
        });
    }
    cell
}

impl Collation {
    /// The apparatus: one entry per segment where some witness varies.
    pub fn apparatus(&self) -> Vec<Entry> {
        let mut entries = Vec::new();
        for (s, seg) in self.segments.iter().enumerate() {
            if !seg.varies {
                continue;
            }
            let base = &seg.cells[self.base];
            let mut lemma = Reading {
                witnesses: Vec::new(),
                text: base.text.clone(),
                kind: None,
                class: None,
                detail: Details::NONE,
                move_id: None,
                move_landed: false,
            };
            let mut readings: Vec<Reading> = Vec::new();
            for (x, c) in seg.cells.iter().enumerate() {
                if c.agrees {
                    lemma.witnesses.push(x);
                    continue;
                }
                let moved = c.kind == Some(Kind::Transposition);
                if !moved {
                    if let Some(r) = readings
                        .iter_mut()
                        .find(|r| r.text == c.text && r.kind == c.kind && r.move_id.is_none())
                    {
                        r.witnesses.push(x);
                        if c.class == Some(Class::Substantive) {
                            r.class = c.class;
                            r.detail = Details::NONE;
                        } else if r.class != Some(Class::Substantive) {
                            r.detail = r.detail.union(c.detail);
                        }
                        continue;
                    }
                }
                readings.push(Reading {
                    witnesses: vec![x],
                    text: c.text.clone(),
                    kind: c.kind,
                    class: c.class,
                    detail: c.detail,
                    move_id: c.move_id.clone(),
                    move_landed: c.move_landed,
                });
            }
            entries.push(Entry {
                segment: s,
                lemma,
                readings,
            });
        }
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(texts: &[&str], base: usize) -> Vec<Vec<String>> {
        let names: Vec<String> = (0..texts.len()).map(|i| format!("W{}", i + 1)).collect();
        let ws: Vec<Witness> = texts
            .iter()
            .zip(&names)
            .map(|(t, n)| Witness { name: n, text: t })
            .collect();
        let c = collate(&ws, base, &Options::default()).unwrap();
        c.segments
            .iter()
            .map(|s| s.cells.iter().map(|c| c.text.clone()).collect())
            .collect()
    }

    #[test]
    fn progress_tells_of_every_witness_once() {
        let texts = ["the black cat", "the white cat", "the black and white cat"];
        let ws: Vec<Witness> = texts
            .iter()
            .map(|t| Witness { name: "W", text: t })
            .collect();
        let log = lectio_text::ProgressLog::default();
        let with = collate_with_progress(&ws, 1, &Options::default(), &log).unwrap();
        let without = collate(&ws, 1, &Options::default()).unwrap();
        assert_eq!(format!("{with:?}"), format!("{without:?}"));
        let sizes = std::collections::BTreeMap::from([(0, 13), (1, 13), (2, 23)]);
        assert_eq!(log.advanced(), sizes);
    }

    #[test]
    fn black_cat_family() {
        let t = table(
            &["the black cat", "the white cat", "the black and white cat"],
            0,
        );
        assert_eq!(
            t,
            [
                vec!["the", "the", "the"],
                vec!["black", "white", "black"],
                vec!["", "", "and white"],
                vec!["cat", "cat", "cat"],
            ]
        );
    }

    #[test]
    fn witness_order_only_permutes_columns() {
        let a = [
            "the black cat",
            "the white cat",
            "the black and white cat",
            "a black cat",
        ];
        let b = [a[0], a[3], a[1], a[2]];
        let ta = table(&a, 0);
        let tb = table(&b, 0);
        let perm = [0, 3, 1, 2];
        let tb_back: Vec<Vec<String>> = tb
            .iter()
            .map(|row| {
                (0..4)
                    .map(|x| row[perm.iter().position(|&p| p == x).unwrap()].clone())
                    .collect()
            })
            .collect();
        assert_eq!(ta, tb_back);
    }
}
