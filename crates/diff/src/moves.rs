//! Transpositions: words left unaligned on both sides that are the same words moved.
//!
//! Rules (README "Transpositions"):
//! - Candidates are runs of words that are unaligned in the base and unaligned in the
//!   witness with equal keys, found from shared word pairs (bigrams) and extended to their
//!   maximal length.
//! - A run is grown into a *near-equal* passage by joining further equal runs that follow
//!   (or precede) it within [`MAX_GAP`] words on each side; the words in between are
//!   variants inside the moved passage.
//! - A passage with an equal run of at least [`MIN_MOVE`] words (and at least as many
//!   equal words as unequal ones) is a move if it is whole sentences on both sides,
//!   wherever it went; otherwise only within [`MOVE_REACH`] × n² aligned words of its
//!   place (n = its equal words), so that a common phrase dropped in one place and added
//!   in another far away stays an omission and an addition.
//! - A shorter unit (one or two words) is a move only when it forms an adjacent swap: it
//!   jumps over at most [`MAX_SWAP`] aligned words that are contiguous in both witnesses
//!   and that it touches on both sides ("differ more from each other" / "differ from each
//!   other more"); or when it is a whole sentence in both witnesses.
//! - Longer candidates are taken first; ties go to the earlier base position, then the
//!   earlier witness position. Nothing depends on timing or thread count.

use std::collections::HashMap;

use crate::prepare::Prepared;

/// Fewest equal words for a move that is not an adjacent swap or a whole sentence.
pub const MIN_MOVE: usize = 3;
/// Most aligned words a one- or two-word unit may jump over and still count as a swap.
pub const MAX_SWAP: usize = 5;
/// A passage of n equal words that is not whole sentences moves at most
/// `MOVE_REACH * n * n` aligned words away (3 words: 90; 10 words: 1,000).
pub const MOVE_REACH: usize = 10;
/// Most unequal words on each side between the equal runs of one near-equal passage.
pub const MAX_GAP: usize = 4;
/// Most witness positions tried for one base word pair (bounds work on repetitive text).
const MAX_CANDIDATES: usize = 64;

/// A moved passage: word ranges on both sides and the equal words inside it.
#[derive(Debug, Clone)]
pub(crate) struct Move {
    pub b: std::ops::Range<u32>,
    pub w: std::ops::Range<u32>,
    pub pairs: Vec<(u32, u32)>,
}

struct Finder<'p, 'a> {
    b: &'p Prepared<'a>,
    w: &'p Prepared<'a>,
    pairs: Vec<(u32, u32)>,
    /// Word is free: not aligned and not yet in a move.
    b_free: Vec<bool>,
    w_free: Vec<bool>,
    /// Word is in a move already.
    b_moved: Vec<bool>,
    w_moved: Vec<bool>,
}

impl Finder<'_, '_> {
    fn rank_b(&self, i: u32) -> usize {
        self.pairs.partition_point(|p| p.0 < i)
    }

    fn rank_w(&self, j: u32) -> usize {
        self.pairs.partition_point(|p| p.1 < j)
    }

    fn eq(&self, i: usize, j: usize) -> bool {
        self.b.wkey[i] == self.w.wkey[j]
    }

    /// Length of the run of free, equal words starting at `(i, j)`.
    fn run_len(&self, i: usize, j: usize) -> usize {
        let mut l = 0;
        while i + l < self.b_free.len()
            && j + l < self.w_free.len()
            && self.b_free[i + l]
            && self.w_free[j + l]
            && self.eq(i + l, j + l)
        {
            l += 1;
        }
        l
    }

    /// True when the unit `[i, i+len)` / `[j, j+len)` is an adjacent swap.
    fn is_swap(&self, i: u32, j: u32, len: u32) -> bool {
        let (rb, rw) = (self.rank_b(i), self.rank_w(j));
        let p = &self.pairs;
        let (lo, hi) = if rb < rw { (rb, rw) } else { (rw, rb) };
        let n = hi - lo;
        if n == 0 || n > MAX_SWAP {
            return false;
        }
        let contiguous = p[lo..hi]
            .windows(2)
            .all(|x| x[1].0 == x[0].0 + 1 && x[1].1 == x[0].1 + 1);
        if !contiguous {
            return false;
        }
        // Between the unit and the words it jumps over there may only be words that moved
        // themselves (the other half of a double swap).
        let moved_b = |r: std::ops::Range<u32>| r.into_iter().all(|x| self.b_moved[x as usize]);
        let moved_w = |r: std::ops::Range<u32>| r.into_iter().all(|y| self.w_moved[y as usize]);
        if rb < rw {
            // Moved forward: the unit stood right before the jumped words and now stands
            // right after them.
            p[lo].0 >= i + len
                && moved_b(i + len..p[lo].0)
                && p[hi - 1].1 < j
                && moved_w(p[hi - 1].1 + 1..j)
        } else {
            p[hi - 1].0 < i
                && moved_b(p[hi - 1].0 + 1..i)
                && p[lo].1 >= j + len
                && moved_w(j + len..p[lo].1)
        }
    }

    fn claim(&mut self, m: &Move) {
        for i in m.b.clone() {
            self.b_free[i as usize] = false;
            self.b_moved[i as usize] = true;
        }
        for j in m.w.clone() {
            self.w_free[j as usize] = false;
            self.w_moved[j as usize] = true;
        }
    }

    /// Grows the equal run `(i, j, len)` into a near-equal passage.
    fn chain(&self, i: usize, j: usize, len: usize) -> Move {
        let mut pairs: Vec<(u32, u32)> =
            (0..len).map(|k| ((i + k) as u32, (j + k) as u32)).collect();
        // Forward: of the equal runs that start within MAX_GAP words on each side, take the
        // longest, then the nearest.
        let (mut eb, mut ew) = (i + len, j + len);
        loop {
            let mut best: Option<(usize, usize, usize, usize)> = None; // (len, total, x, y)
            for gb in 0..=MAX_GAP {
                let x = eb + gb;
                if x >= self.b_free.len() || !self.b_free[x] {
                    break;
                }
                for gw in 0..=MAX_GAP {
                    let y = ew + gw;
                    if y >= self.w_free.len() || !self.w_free[y] {
                        break;
                    }
                    if self.eq(x, y) {
                        let l = self.run_len(x, y);
                        let better = match best {
                            None => true,
                            Some((bl, bt, bx, _)) => l > bl || (l == bl && (gb + gw, x) < (bt, bx)),
                        };
                        if better {
                            best = Some((l, gb + gw, x, y));
                        }
                    }
                }
            }
            let Some((l, _, x, y)) = best else { break };
            pairs.extend((0..l).map(|k| ((x + k) as u32, (y + k) as u32)));
            eb = x + l;
            ew = y + l;
        }
        // Backward, likewise.
        let (mut sb, mut sw) = (i, j);
        let mut front: Vec<(u32, u32)> = Vec::new();
        loop {
            let mut best: Option<(usize, usize, usize, usize)> = None; // (len, total, x, y)
            for gb in 0..=MAX_GAP {
                if sb < gb + 1 {
                    break;
                }
                let x = sb - gb - 1;
                if !self.b_free[x] {
                    break;
                }
                for gw in 0..=MAX_GAP {
                    if sw < gw + 1 {
                        break;
                    }
                    let y = sw - gw - 1;
                    if !self.w_free[y] {
                        break;
                    }
                    if self.eq(x, y) {
                        let mut l = 1;
                        while l <= x.min(y)
                            && self.b_free[x - l]
                            && self.w_free[y - l]
                            && self.eq(x - l, y - l)
                        {
                            l += 1;
                        }
                        let better = match best {
                            None => true,
                            Some((bl, bt, bx, _)) => {
                                l > bl
                                    || (l == bl
                                        && (gb + gw, usize::MAX - x) < (bt, usize::MAX - bx))
                            }
                        };
                        if better {
                            best = Some((l, gb + gw, x, y));
                        }
                    }
                }
            }
            let Some((l, _, x, y)) = best else { break };
            for k in 0..l {
                front.push(((x - k) as u32, (y - k) as u32));
            }
            sb = x + 1 - l;
            sw = y + 1 - l;
        }
        front.sort_unstable();
        front.extend(pairs);
        Move {
            b: sb as u32..eb as u32,
            w: sw as u32..ew as u32,
            pairs: front,
        }
    }

    /// Lets each long move take the equal words just outside it, even where the in-place
    /// alignment had paired them elsewhere (two paragraphs that both begin "You can"), then
    /// aligns the words this frees again, gap by gap.
    fn take_edges(&mut self, moves: &mut [Move]) {
        const NONE: u32 = u32::MAX;
        let (nb, nw) = (self.b_free.len(), self.w_free.len());
        let mut partner_b = vec![NONE; nb];
        let mut partner_w = vec![NONE; nw];
        for &(i, j) in &self.pairs {
            partner_b[i as usize] = j;
            partner_w[j as usize] = i;
        }
        let mut b_moved = std::mem::take(&mut self.b_moved);
        let mut w_moved = std::mem::take(&mut self.w_moved);
        let mut changed = false;
        let (b, w) = (self.b, self.w);
        for m in moves.iter_mut().filter(|m| m.pairs.len() >= MIN_MOVE) {
            // Outwards from each end, one equal pair at a time: the nearest pair within
            // MAX_GAP words on each side, in the same sentences as the move's end words, with
            // only free words skipped.
            for forward in [false, true] {
                loop {
                    let (eb, ew) = if forward {
                        (m.b.end as usize - 1, m.w.end as usize - 1)
                    } else {
                        (m.b.start as usize, m.w.start as usize)
                    };
                    let (sb, sw) = (b.sentence_of(eb), w.sentence_of(ew));
                    let step_b = |g: usize| -> Option<usize> {
                        let x = if forward {
                            eb.checked_add(g + 1)?
                        } else {
                            eb.checked_sub(g + 1)?
                        };
                        (x < nb && !b_moved[x] && b.sentence_of(x) == sb).then_some(x)
                    };
                    let step_w = |g: usize| -> Option<usize> {
                        let y = if forward {
                            ew.checked_add(g + 1)?
                        } else {
                            ew.checked_sub(g + 1)?
                        };
                        (y < nw && !w_moved[y] && w.sentence_of(y) == sw).then_some(y)
                    };
                    let mut found = None;
                    'search: for total in 0..=2 * MAX_GAP {
                        for gb in total.saturating_sub(MAX_GAP)..=total.min(MAX_GAP) {
                            let gw = total - gb;
                            let (Some(x), Some(y)) = (step_b(gb), step_w(gw)) else {
                                continue;
                            };
                            let skipped_free = (0..gb)
                                .all(|g| step_b(g).is_some_and(|x| partner_b[x] == NONE))
                                && (0..gw).all(|g| step_w(g).is_some_and(|y| partner_w[y] == NONE));
                            if skipped_free && b.wkey[x] == w.wkey[y] && partner_b[x] != y as u32 {
                                let xs: Vec<usize> = (0..=gb).filter_map(step_b).collect();
                                let ys: Vec<usize> = (0..=gw).filter_map(step_w).collect();
                                found = Some((x, y, xs, ys));
                                break 'search;
                            }
                        }
                    }
                    let Some((x, y, xs, ys)) = found else { break };
                    if partner_b[x] != NONE {
                        partner_w[partner_b[x] as usize] = NONE;
                        partner_b[x] = NONE;
                    }
                    if partner_w[y] != NONE {
                        partner_b[partner_w[y] as usize] = NONE;
                        partner_w[y] = NONE;
                    }
                    for x in xs {
                        b_moved[x] = true;
                    }
                    for y in ys {
                        w_moved[y] = true;
                    }
                    if forward {
                        m.b.end = x as u32 + 1;
                        m.w.end = y as u32 + 1;
                        m.pairs.push((x as u32, y as u32));
                    } else {
                        m.b.start = x as u32;
                        m.w.start = y as u32;
                        m.pairs.insert(0, (x as u32, y as u32));
                    }
                    changed = true;
                }
            }
        }
        if !changed {
            self.b_moved = b_moved;
            self.w_moved = w_moved;
            return;
        }
        let kept: Vec<(u32, u32)> = (0..nb)
            .filter(|&i| partner_b[i] != NONE)
            .map(|i| (i as u32, partner_b[i]))
            .collect();
        // Align again the words left free between each two aligned words.
        let mut pairs = Vec::with_capacity(kept.len());
        let mut prev = (0usize, 0usize);
        for k in 0..=kept.len() {
            let next = kept
                .get(k)
                .map_or((nb, nw), |&(i, j)| (i as usize, j as usize));
            let bs: Vec<usize> = (prev.0..next.0)
                .filter(|&x| partner_b[x] == NONE && !b_moved[x])
                .collect();
            let ws: Vec<usize> = (prev.1..next.1)
                .filter(|&y| partner_w[y] == NONE && !w_moved[y])
                .collect();
            if !bs.is_empty() && !ws.is_empty() {
                let kb: Vec<u64> = bs.iter().map(|&x| self.b.wkey[x]).collect();
                let kw: Vec<u64> = ws.iter().map(|&y| self.w.wkey[y]).collect();
                for (ob, ow, len) in crate::align::equal_runs(&kb, &kw) {
                    for d in 0..len {
                        pairs.push((bs[ob + d] as u32, ws[ow + d] as u32));
                    }
                }
            }
            if let Some(&p) = kept.get(k) {
                pairs.push(p);
                prev = (p.0 as usize + 1, p.1 as usize + 1);
            }
        }
        self.b_free = b_moved.iter().map(|m| !m).collect();
        self.w_free = w_moved.iter().map(|m| !m).collect();
        for &(i, j) in &pairs {
            self.b_free[i as usize] = false;
            self.w_free[j as usize] = false;
        }
        self.pairs = pairs;
        self.b_moved = b_moved;
        self.w_moved = w_moved;
    }

    fn acceptable(&self, m: &Move) -> bool {
        let matched = m.pairs.len();
        let longest = m
            .pairs
            .chunk_by(|x, y| y.0 == x.0 + 1 && y.1 == x.1 + 1)
            .map(<[_]>::len)
            .max()
            .unwrap_or(0);
        if longest >= MIN_MOVE {
            let span = m.b.len().max(m.w.len());
            if matched * 2 < span {
                return false;
            }
            // Whole sentences may go anywhere; a shorter passage only as far as its length
            // allows, so that a common phrase dropped here and added there is no move.
            let whole = |p: &Prepared, r: &std::ops::Range<u32>| {
                p.sentences.binary_search(&r.start).is_ok()
                    && p.sentences.binary_search(&r.end).is_ok()
            };
            let distance = self.rank_b(m.b.start).abs_diff(self.rank_w(m.w.start));
            return (whole(self.b, &m.b) && whole(self.w, &m.w))
                || distance <= MOVE_REACH * matched * matched;
        }
        // One or two words, equal on both sides with nothing between.
        if m.b.len() != matched || m.w.len() != matched {
            return false;
        }
        let len = matched as u32;
        self.is_swap(m.b.start, m.w.start, len)
            || (self.b.is_sentence(m.b.start, len) && self.w.is_sentence(m.w.start, len))
    }
}

/// Finds the moves between two aligned witnesses. `pairs` (the in-place alignment) may
/// change: a long move takes over equal words at its edges that the first alignment had
/// paired elsewhere, and the words this frees are aligned again within their gaps.
pub(crate) fn find(b: &Prepared, w: &Prepared, pairs: &mut Vec<(u32, u32)>) -> Vec<Move> {
    let nb = b.words.len();
    let nw = w.words.len();
    if pairs.len() == nb || pairs.len() == nw {
        return Vec::new();
    }
    let mut b_free = vec![true; nb];
    let mut w_free = vec![true; nw];
    for &(i, j) in pairs.iter() {
        b_free[i as usize] = false;
        w_free[j as usize] = false;
    }
    let mut f = Finder {
        b,
        w,
        pairs: std::mem::take(pairs),
        b_free,
        w_free,
        b_moved: vec![false; nb],
        w_moved: vec![false; nw],
    };

    // Seeds: maximal equal runs of two or more free words, from shared bigrams.
    let mut bigrams: HashMap<(u64, u64), Vec<u32>> = HashMap::new();
    for j in 0..nw.saturating_sub(1) {
        if f.w_free[j] && f.w_free[j + 1] {
            bigrams
                .entry((w.wkey[j], w.wkey[j + 1]))
                .or_default()
                .push(j as u32);
        }
    }
    let mut seeds: Vec<(usize, usize, usize)> = Vec::new();
    if !bigrams.is_empty() {
        for i in 0..nb.saturating_sub(1) {
            if !(f.b_free[i] && f.b_free[i + 1]) {
                continue;
            }
            let Some(list) = bigrams.get(&(b.wkey[i], b.wkey[i + 1])) else {
                continue;
            };
            for &j in list.iter().take(MAX_CANDIDATES) {
                let j = j as usize;
                let left_maximal =
                    !(i > 0 && j > 0 && f.b_free[i - 1] && f.w_free[j - 1] && f.eq(i - 1, j - 1));
                if left_maximal {
                    seeds.push((i, j, f.run_len(i, j)));
                }
            }
        }
    }
    seeds.sort_by(|x, y| y.2.cmp(&x.2).then(x.0.cmp(&y.0)).then(x.1.cmp(&y.1)));

    let mut moves = Vec::new();
    for (i, j, len) in seeds {
        if !(i..i + len).all(|k| f.b_free[k]) || !(j..j + len).all(|k| f.w_free[k]) {
            continue;
        }
        let m = f.chain(i, j, len);
        if f.acceptable(&m) {
            f.claim(&m);
            moves.push(m);
        }
    }
    if !moves.is_empty() {
        f.take_edges(&mut moves);
    }

    // Single words: adjacent swaps near their place, whole one-word sentences anywhere.
    let mut one_word_sentences: HashMap<u64, Vec<u32>> = HashMap::new();
    for j in 0..nw {
        if f.w_free[j] && w.is_sentence(j as u32, 1) {
            one_word_sentences
                .entry(w.wkey[j])
                .or_default()
                .push(j as u32);
        }
    }
    for i in 0..nb {
        if !f.b_free[i] {
            continue;
        }
        let r = f.rank_b(i as u32);
        let pairs = &f.pairs;
        let lo = if r > MAX_SWAP {
            pairs[r - MAX_SWAP - 1].1 as usize + 1
        } else {
            0
        };
        let hi = if r + MAX_SWAP < pairs.len() {
            pairs[r + MAX_SWAP].1 as usize
        } else {
            nw
        };
        let mut found = None;
        for j in lo..hi {
            if f.w_free[j] && f.eq(i, j) && f.is_swap(i as u32, j as u32, 1) {
                found = Some(j);
                break;
            }
        }
        if found.is_none() && b.is_sentence(i as u32, 1) {
            if let Some(list) = one_word_sentences.get(&b.wkey[i]) {
                found = list.iter().map(|&j| j as usize).find(|&j| f.w_free[j]);
            }
        }
        if let Some(j) = found {
            let m = Move {
                b: i as u32..i as u32 + 1,
                w: j as u32..j as u32 + 1,
                pairs: vec![(i as u32, j as u32)],
            };
            f.claim(&m);
            moves.push(m);
        }
    }
    moves.sort_by_key(|m| (m.b.start, m.w.start));
    *pairs = f.pairs;
    moves
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::align;
    use crate::classify::Spelling;

    fn moves(a: &str, b: &str) -> Vec<(std::ops::Range<u32>, std::ops::Range<u32>)> {
        let sp = Spelling::default();
        let (pa, pb) = (Prepared::new(a, &sp), Prepared::new(b, &sp));
        let mut pairs = align(&pa, &pb);
        find(&pa, &pb, &mut pairs)
            .into_iter()
            .map(|m| (m.b, m.w))
            .collect()
    }

    #[test]
    fn adjacent_swap_of_one_word() {
        assert_eq!(
            moves(
                "they generally differ more from each other than do",
                "they generally differ from each other more than do"
            ),
            [(3..4, 6..7)]
        );
        assert_eq!(moves("a b", "b a").len(), 1);
    }

    #[test]
    fn a_common_word_far_away_is_not_a_move() {
        assert!(moves(
            "X a b c d e f g h i j k l m n o p",
            "a b c d e f g h i j k l m n o p X"
        )
        .is_empty());
    }

    #[test]
    fn moved_sentence_with_a_changed_word_is_one_move() {
        let m = moves(
            "First one here. The moved sentence says this much. Then two. Then three.",
            "First one here. Then two. The moved sentence says that much. Then three.",
        );
        assert_eq!(m, [(3..9, 5..11)]);
    }
}
