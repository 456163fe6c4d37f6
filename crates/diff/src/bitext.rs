//! Length-based alignment of a text with its translation: paragraphs first, then the
//! sentences inside each aligned paragraph group, by the dynamic programme of Gale and
//! Church (1993), "A program for aligning sentences in bilingual corpora",
//! Computational Linguistics 19(1), 75-102.

use std::fmt;

use lectio_text::{sentences, Sentence, Tokenizer};
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
    -libm::erfc(2.0 / std::f64::consts::SQRT_2).ln()
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
    let (l1, l2) = (l1 as f64, l2 as f64);
    if l1 == 0.0 || l2 == 0.0 {
        return -prior.ln() + indel_penalty();
    }
    let mean = (l1 + l2 / ratio) / 2.0;
    let delta = (l2 - ratio * l1) / (VARIANCE * mean).sqrt();
    let p = libm::erfc(delta.abs() / std::f64::consts::SQRT_2).max(f64::MIN_POSITIVE);
    -prior.ln() - p.ln()
}

/// Aligns two sequences of segment lengths (in characters) with the least total cost.
///
/// `ratio` is the expected number of target characters per source character.
pub fn gale_church(source: &[usize], target: &[usize], ratio: f64) -> Vec<Bead> {
    let (n, m) = (source.len(), target.len());
    let prefix = |v: &[usize]| -> Vec<usize> {
        std::iter::once(0)
            .chain(v.iter().scan(0, |s, &x| {
                *s += x;
                Some(*s)
            }))
            .collect()
    };
    let (ps, pt) = (prefix(source), prefix(target));
    let width = m + 1;
    let mut cost = vec![f64::INFINITY; (n + 1) * width];
    let mut back = vec![usize::MAX; (n + 1) * width];
    cost[0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            if i == 0 && j == 0 {
                continue;
            }
            for (b, &(a, c, prior)) in BEADS.iter().enumerate() {
                if a > i || c > j {
                    continue;
                }
                let prev = cost[(i - a) * width + (j - c)];
                if prev.is_infinite() {
                    continue;
                }
                let total = prev + bead_cost(ps[i] - ps[i - a], pt[j] - pt[j - c], ratio, prior);
                // Strictly less: ties go to the earlier (more likely) bead shape.
                if total < cost[i * width + j] {
                    cost[i * width + j] = total;
                    back[i * width + j] = b;
                }
            }
        }
    }
    let mut beads = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (a, c, _) = BEADS[back[i * width + j]];
        let step = cost[i * width + j] - cost[(i - a) * width + (j - c)];
        beads.push(Bead {
            shape: BeadShape {
                source: a,
                target: c,
            },
            source: i - a,
            target: j - c,
            cost: step,
        });
        i -= a;
        j -= c;
    }
    beads.reverse();
    beads
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
        self.sentences
            .iter()
            .find(|l| l.source.0 <= offset && offset < l.source.1)
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
    let ids: Vec<u32> = paras[first..first + count].iter().map(|p| p.0).collect();
    sents
        .iter()
        .filter(|s| ids.contains(&s.para))
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
    let sentences: Vec<Link> = para_beads
        .par_iter()
        .zip(&para_links)
        .map(|(b, group)| {
            let ss = sentence_units(source, &s_sent, &sp, b.source, b.shape.source);
            let ts = sentence_units(target, &t_sent, &tp, b.target, b.shape.target);
            let beads = gale_church(&lengths(&ss), &lengths(&ts), ratio);
            // A side with no paragraph inserts at the paragraph group's own position.
            links(&beads, &ss, &ts, (group.source.0, group.target.0))
        })
        .flatten_iter()
        .collect();
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
        let a = align(&en, &de);
        let shapes: Vec<String> = a.sentences.iter().map(|l| l.shape.to_string()).collect();
        let mut expected = vec!["1-1"; 12];
        expected[1] = "1-0";
        assert_eq!(shapes, expected);
        // The omitted paragraph's translation side is empty, where the third one starts.
        let at = de.find("\n\n").unwrap() + 2;
        assert_eq!(a.sentences[1].target, (at, at));
    }
}
