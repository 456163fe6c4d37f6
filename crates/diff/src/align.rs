//! Two-level alignment of word keys: sentences first, then words inside changed blocks.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::hash::Hash;

use rayon::prelude::*;
use similar::algorithms::{patience, DiffHook};

use crate::prepare::{hash_words, Prepared};

/// Collects the equal runs of an edit script.
#[derive(Default)]
struct EqualRuns(Vec<(usize, usize, usize)>);

impl DiffHook for EqualRuns {
    type Error = Infallible;

    fn equal(&mut self, old: usize, new: usize, len: usize) -> Result<(), Infallible> {
        self.0.push((old, new, len));
        Ok(())
    }
}

/// The equal runs `(a_index, b_index, len)` between `a` and `b`, in order.
///
/// Patience diff over unique items, with exact (raw) Myers between the anchors: no
/// deadline and no heuristic that could give up and report a large replacement. Items
/// whose key does not occur on the other side at all are set aside first (they can never
/// be matched, and no key that occurs on both sides loses or gains occurrences), which
/// leaves the common subsequence's length and the unique anchors as they were and makes
/// Myers' work depend only on the differences among shared items.
pub(crate) fn equal_runs<T: Hash + Eq>(a: &[T], b: &[T]) -> Vec<(usize, usize, usize)> {
    if a.len() + b.len() < 64 {
        return raw_runs(a, b);
    }
    let in_a: HashSet<&T> = a.iter().collect();
    let in_b: HashSet<&T> = b.iter().collect();
    let ia: Vec<usize> = (0..a.len()).filter(|&i| in_b.contains(&a[i])).collect();
    let ib: Vec<usize> = (0..b.len()).filter(|&j| in_a.contains(&b[j])).collect();
    if ia.len() == a.len() && ib.len() == b.len() {
        return raw_runs(a, b);
    }
    let ra: Vec<&T> = ia.iter().map(|&i| &a[i]).collect();
    let rb: Vec<&T> = ib.iter().map(|&j| &b[j]).collect();
    let mut out: Vec<(usize, usize, usize)> = Vec::new();
    for (oa, ob, len) in raw_runs(&ra, &rb) {
        for k in 0..len {
            let (i, j) = (ia[oa + k], ib[ob + k]);
            match out.last_mut() {
                Some(r) if r.0 + r.2 == i && r.1 + r.2 == j => r.2 += 1,
                _ => out.push((i, j, 1)),
            }
        }
    }
    out
}

fn raw_runs<T: Hash + Eq>(a: &[T], b: &[T]) -> Vec<(usize, usize, usize)> {
    let mut hook = EqualRuns::default();
    let Ok(()) = patience::diff_deadline_raw(&mut hook, a, 0..a.len(), b, 0..b.len(), None);
    hook.0
}

/// Equal runs between two sentence-key sequences, weighing sentences by their words.
///
/// Sentences unique in both witnesses are anchors, chosen as the heaviest common
/// subsequence by word count (so that of two swapped sentences the longer stays in place
/// and the shorter is the one that moved); between anchors, the remaining sentences are
/// aligned with [`equal_runs`].
fn sentence_runs(sb: &[u64], sw: &[u64], weight: &[u32]) -> Vec<(usize, usize, usize)> {
    let mut seen: HashMap<u64, (u32, u32, usize, usize)> = HashMap::new();
    for (i, &k) in sb.iter().enumerate() {
        let e = seen.entry(k).or_insert((0, 0, i, 0));
        e.0 += 1;
    }
    for (j, &k) in sw.iter().enumerate() {
        if let Some(e) = seen.get_mut(&k) {
            e.1 += 1;
            e.3 = j;
        }
    }
    let mut cands: Vec<(usize, usize)> = seen
        .values()
        .filter(|e| e.0 == 1 && e.1 == 1)
        .map(|e| (e.2, e.3))
        .collect();
    cands.sort_unstable();
    // Heaviest increasing subsequence of witness positions, with a Fenwick tree of
    // (best weight, candidate) over witness positions.
    let n = sw.len();
    let mut tree: Vec<(u64, usize)> = vec![(0, usize::MAX); n + 1];
    let mut best = vec![0u64; cands.len()];
    let mut prev = vec![usize::MAX; cands.len()];
    for (k, &(i, j)) in cands.iter().enumerate() {
        let mut q = (0u64, usize::MAX);
        let mut x = j; // positions < j, 1-based prefix of length j
        while x > 0 {
            if tree[x].0 > q.0 {
                q = tree[x];
            }
            x &= x - 1;
        }
        best[k] = q.0 + weight[i] as u64;
        prev[k] = q.1;
        let mut x = j + 1;
        while x <= n {
            if best[k] > tree[x].0 {
                tree[x] = (best[k], k);
            }
            x += x & x.wrapping_neg();
        }
    }
    let mut anchors = Vec::new();
    let mut k = (0..cands.len()).fold(usize::MAX, |acc, k| {
        if acc == usize::MAX || best[k] > best[acc] {
            k
        } else {
            acc
        }
    });
    while k != usize::MAX {
        anchors.push(cands[k]);
        k = prev[k];
    }
    anchors.reverse();
    let mut runs = Vec::new();
    let (mut pb, mut pw) = (0, 0);
    for (i, j) in anchors
        .into_iter()
        .chain(std::iter::once((sb.len(), sw.len())))
    {
        if i > pb && j > pw {
            for (ob, ow, len) in equal_runs(&sb[pb..i], &sw[pw..j]) {
                runs.push((pb + ob, pw + ow, len));
            }
        }
        if i < sb.len() {
            runs.push((i, j, 1));
        }
        pb = i + 1;
        pw = j + 1;
    }
    runs
}

enum Task {
    /// Units with equal keys: words pair one for one.
    Same { b: usize, w: usize, len: usize },
    /// A changed block: word ranges to align at the next level down.
    Block {
        b: std::ops::Range<usize>,
        w: std::ops::Range<usize>,
    },
}

type Pairs = Vec<(u32, u32)>;

/// Aligns a word range of each witness cut into units (paragraphs or sentences): `ub` and
/// `uw` are the units' first words followed by the range's end. Equal units pair word for
/// word; each block between them goes to `inner`, in parallel.
fn by_units(
    b: &Prepared,
    w: &Prepared,
    ub: &[u32],
    uw: &[u32],
    inner: &(dyn Fn(std::ops::Range<usize>, std::ops::Range<usize>) -> Pairs + Sync),
) -> Pairs {
    let keys = |p: &Prepared, u: &[u32]| -> Vec<u64> {
        u.windows(2)
            .map(|x| hash_words(&p.wkey[x[0] as usize..x[1] as usize]))
            .collect()
    };
    let (kb, kw) = (keys(b, ub), keys(w, uw));
    let weights: Vec<u32> = ub.windows(2).map(|x| x[1] - x[0]).collect();
    let runs = sentence_runs(&kb, &kw, &weights);
    let mut tasks = Vec::with_capacity(runs.len() * 2 + 1);
    let (mut pb, mut pw) = (0usize, 0usize);
    for (ob, ow, len) in runs {
        if ob > pb || ow > pw {
            tasks.push(Task::Block {
                b: ub[pb] as usize..ub[ob] as usize,
                w: uw[pw] as usize..uw[ow] as usize,
            });
        }
        let (bw0, bw1) = (ub[ob] as usize, ub[ob + len] as usize);
        let (ww0, ww1) = (uw[ow] as usize, uw[ow + len] as usize);
        if bw1 - bw0 == ww1 - ww0 && b.wkey[bw0..bw1] == w.wkey[ww0..ww1] {
            tasks.push(Task::Same {
                b: bw0,
                w: ww0,
                len: bw1 - bw0,
            });
        } else {
            // A hash collision: align these words at the next level.
            tasks.push(Task::Block {
                b: bw0..bw1,
                w: ww0..ww1,
            });
        }
        pb = ob + len;
        pw = ow + len;
    }
    if pb < kb.len() || pw < kw.len() {
        tasks.push(Task::Block {
            b: ub[pb] as usize..ub[kb.len()] as usize,
            w: uw[pw] as usize..uw[kw.len()] as usize,
        });
    }
    let parts: Vec<Pairs> = tasks
        .par_iter()
        .with_min_len(8)
        .map(|t| match t {
            Task::Same { b, w, len } => (0..*len)
                .map(|k| ((b + k) as u32, (w + k) as u32))
                .collect(),
            Task::Block { b: br, w: wr } => {
                if br.is_empty() || wr.is_empty() {
                    Vec::new()
                } else {
                    inner(br.clone(), wr.clone())
                }
            }
        })
        .collect();
    parts.concat()
}

/// Word-level alignment of two word ranges.
fn by_words(
    b: &Prepared,
    w: &Prepared,
    br: std::ops::Range<usize>,
    wr: std::ops::Range<usize>,
) -> Pairs {
    let mut out = Vec::new();
    for (ob, ow, len) in equal_runs(&b.wkey[br.clone()], &w.wkey[wr.clone()]) {
        for k in 0..len {
            out.push(((br.start + ob + k) as u32, (wr.start + ow + k) as u32));
        }
    }
    out
}

/// The unit starts of `units` (a boundary list ending with the word count) that lie in
/// `r`, followed by `r.end`.
fn units_in(units: &[u32], r: &std::ops::Range<usize>) -> Vec<u32> {
    let lo = units.partition_point(|&s| (s as usize) < r.start);
    let hi = units.partition_point(|&s| (s as usize) < r.end);
    let mut out = units[lo..hi].to_vec();
    if out.first() != Some(&(r.start as u32)) {
        out.insert(0, r.start as u32);
    }
    out.push(r.end as u32);
    out
}

/// Aligns the words of two witnesses; returns pairs of word indices, increasing in both.
///
/// Three levels: paragraphs, then the sentences inside each changed block of paragraphs,
/// then the words inside each changed block of sentences. At each level, units unique in
/// both witnesses anchor by the heaviest common subsequence (weighted by words), and the
/// units between anchors are aligned by patience diff with exact Myers between anchors
/// (`similar`, no deadline). Blocks are independent and run in parallel; the result is the
/// same whatever the thread count.
pub(crate) fn align(b: &Prepared, w: &Prepared) -> Vec<(u32, u32)> {
    let sentences = |br: std::ops::Range<usize>, wr: std::ops::Range<usize>| -> Pairs {
        let (ub, uw) = (units_in(&b.sentences, &br), units_in(&w.sentences, &wr));
        by_units(b, w, &ub, &uw, &|br, wr| by_words(b, w, br, wr))
    };
    by_units(b, w, &b.paras, &w.paras, &sentences)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Spelling;

    fn pairs(a: &str, b: &str) -> Vec<(u32, u32)> {
        let sp = Spelling::default();
        align(&Prepared::new(a, &sp), &Prepared::new(b, &sp))
    }

    #[test]
    fn equal_sentences_anchor_and_changed_ones_align_by_word() {
        let p = pairs(
            "One two three. Four five six. Seven eight.",
            "One two three. Four 5 six. Seven eight.",
        );
        assert_eq!(p, [(0, 0), (1, 1), (2, 2), (3, 3), (5, 5), (6, 6), (7, 7)]);
    }

    #[test]
    fn case_diacritics_and_hyphens_do_not_break_alignment() {
        let p = pairs("The régime, to-day.", "the regime today");
        assert_eq!(p, [(0, 0), (1, 1), (2, 2)]);
    }
}
