//! Counting terms, fast: the hot loop of `freq` and `keyness`.
//!
//! Profiling `lectio freq` on 50 MB of text with 287,000 word types showed the time going
//! to hash lookups that miss the cache: with a table per thread, each thread's table holds
//! nearly every type (tens of megabytes, twice), and merging the tables took a fifth of the
//! run. Here counting is radix-partitioned: a thread first sums frequent words in a small
//! cache (direct-mapped by hash, its entries fetched a batch of words ahead); a word that
//! misses it, or that it evicts, becomes a short record (the key packed into two words, the
//! part, the occurrences) appended to one of 256 buffers by the key's hash; when the
//! buffers are full the thread counts each buffer into the one table of its shard, shared
//! by all threads. A shard's table is small enough to stay in the cache
//! while a buffer is counted into it, every term lives in exactly one table, and no merge
//! is needed. Short keys (up to 16 bytes: nearly every word) live inside the table's slots
//! with the term's running count beside them; ASCII words are lower-cased eight bytes at a
//! time without being copied. Longer keys (n-grams, long words) go to an ordinary map.

use std::sync::Mutex;

use hashbrown::HashTable;
use lectio_text::{key_into, prefetch, KeyOptions};

/// No part yet.
const NO_PART: u32 = u32::MAX;

/// A slot of a short-key table: the key in two words, zero-padded (keys never contain a
/// NUL byte, so the padding is unambiguous and an empty slot has `k0 == 0`), the term's
/// number, and its current run: the part it is in and the occurrences counted there.
#[derive(Clone, Copy, Default)]
#[repr(C, align(32))]
struct Slot {
    k0: u64,
    k1: u64,
    id: u32,
    part: u32,
    n: u64,
}

/// An open-addressing table (linear probing, at most half full) of short keys.
struct Table {
    slots: Vec<Slot>,
    /// `slots.len() - 1`; the length is a power of two.
    mask: usize,
    used: usize,
}

/// `n` empty slots. A large table is asked to be backed by huge pages where the system
/// offers them on request (Linux with transparent huge pages in `madvise` mode): looking up
/// words scatters over the whole table, and with 4 KiB pages nearly every lookup of a rare
/// word misses the TLB (profiling showed the time on the slot prefetch).
fn empty_slots(n: usize) -> Vec<Slot> {
    let mut slots: Vec<Slot> = Vec::with_capacity(n);
    #[cfg(target_os = "linux")]
    {
        let bytes = n * std::mem::size_of::<Slot>();
        if bytes >= 4 << 20 {
            // SAFETY: the range is the vector's own allocation, not yet touched; the advice
            // only changes how the kernel backs it.
            let start = slots.as_mut_ptr() as usize;
            let aligned = start.next_multiple_of(4096);
            unsafe {
                libc::madvise(
                    aligned as *mut libc::c_void,
                    bytes - (aligned - start),
                    libc::MADV_HUGEPAGE,
                );
            }
        }
    }
    slots.resize(n, Slot::default());
    slots
}

impl Table {
    /// A table of `n` slots (a power of two).
    fn with_slots(n: usize) -> Table {
        let slots = empty_slots(n);
        Table {
            mask: slots.len() - 1,
            slots,
            used: 0,
        }
    }

    /// The index of the slot of key (k0, k1) with hash `h`, and whether it was just made
    /// (with `id` and no run).
    #[inline]
    fn slot(&mut self, k0: u64, k1: u64, h: u64, id: impl FnOnce() -> u32) -> (usize, bool) {
        let mut i = (h as usize) & self.mask;
        loop {
            let slot = &self.slots[i];
            if slot.k0 == k0 && slot.k1 == k1 {
                return (i, false);
            }
            if slot.k0 == 0 {
                break;
            }
            i = (i + 1) & self.mask;
        }
        self.slots[i] = Slot {
            k0,
            k1,
            id: id(),
            part: NO_PART,
            n: 0,
        };
        self.used += 1;
        if self.used * 2 > self.slots.len() {
            self.grow();
            return (self.find(k0, k1, h), true);
        }
        (i, true)
    }

    fn find(&self, k0: u64, k1: u64, h: u64) -> usize {
        let mut i = (h as usize) & self.mask;
        while self.slots[i].k0 != k0 || self.slots[i].k1 != k1 {
            i = (i + 1) & self.mask;
        }
        i
    }

    fn grow(&mut self) {
        let bigger = empty_slots(self.slots.len() * 2);
        let old = std::mem::replace(&mut self.slots, bigger);
        self.mask = self.slots.len() - 1;
        for s in old.into_iter().filter(|s| s.k0 != 0) {
            let mut i = (hash(s.k0, s.k1) as usize) & self.mask;
            while self.slots[i].k0 != 0 {
                i = (i + 1) & self.mask;
            }
            self.slots[i] = s;
        }
    }
}

/// Shards, by the top bits of a key's hash.
const SHARD_BITS: u32 = 8;
const SHARDS: usize = 1 << SHARD_BITS;

/// Records a thread buffers before counting them (about 24 MB).
const BUFFERED: usize = 1 << 20;

/// (term, part, count).
type Run = (u32, u32, u64);

/// Finished runs a shard keeps before it first sums them.
const COMPACT_MIN: usize = 1 << 12;

/// The counts of the terms of one shard, with terms numbered in the order they were met.
/// Counts are summed at the end, so the result does not depend on which thread counted what
/// or when. Aligned to two cache lines like [`Tally`]: two threads often count into
/// neighbouring shards (a thread skips a busy shard for the next one).
#[repr(align(128))]
struct ShardCounts {
    /// Short keys, each with its term's number.
    table: Table,
    /// Terms numbered so far (short and long).
    terms: u32,
    /// Keys that do not fit a slot, as indexes into `long_keys` and `long_runs`. Each key is
    /// stored once, in `long_keys` (a map from the key had kept every n-gram twice).
    long: HashTable<u32>,
    long_keys: Vec<Box<str>>,
    /// (term, part, count) of the current run of each long key.
    long_runs: Vec<Run>,
    /// Finished runs, compacted when they reach `compact_at` (see [`spill`]).
    spill: Vec<Run>,
    compact_at: usize,
}

impl ShardCounts {
    fn new() -> Self {
        ShardCounts {
            table: Table::with_slots(64),
            terms: 0,
            long: HashTable::new(),
            long_keys: Vec::new(),
            long_runs: Vec::new(),
            spill: Vec::new(),
            compact_at: COMPACT_MIN,
        }
    }

    #[inline]
    fn count_short(&mut self, k0: u64, k1: u64, part: u32, n: u64) {
        let next_id = self.terms;
        let (i, new) = self.table.slot(k0, k1, hash(k0, k1), || next_id);
        if new {
            self.terms += 1;
        }
        let slot = &mut self.table.slots[i];
        if slot.part == part {
            slot.n += n;
        } else {
            if slot.part != NO_PART {
                spill(
                    &mut self.spill,
                    &mut self.compact_at,
                    (slot.id, slot.part, slot.n),
                );
            }
            slot.part = part;
            slot.n = n;
        }
    }

    fn count_long(&mut self, key: &str, part: u32) {
        let h = in_shard(long_hash(key));
        let keys = &self.long_keys;
        let i = match self.long.find(h, |&i| &*keys[i as usize] == key) {
            Some(&i) => i as usize,
            None => {
                let i = self.long_keys.len();
                self.long_keys.push(key.into());
                self.long_runs.push((self.terms, NO_PART, 0));
                self.terms += 1;
                let keys = &self.long_keys;
                self.long
                    .insert_unique(h, i as u32, |&j| in_shard(long_hash(&keys[j as usize])));
                i
            }
        };
        let run = &mut self.long_runs[i];
        if run.1 == part {
            run.2 += 1;
        } else {
            if run.1 != NO_PART {
                spill(&mut self.spill, &mut self.compact_at, *run);
            }
            *run = (run.0, part, 1);
        }
    }

    /// The shard's terms and all their runs.
    fn finish(self) -> Shard {
        let slots = self
            .table
            .slots
            .iter()
            .filter(|s| s.k0 != 0 && s.part != NO_PART)
            .map(|s| (s.id, s.part, s.n));
        let long = self.long_runs.iter().copied().filter(|r| r.1 != NO_PART);
        let mut runs = self.spill;
        runs.extend(slots.chain(long));
        // The terms by number, from where each is kept: short ones in their slots.
        let mut keys = vec![String::new(); self.terms as usize];
        for s in self.table.slots.iter().filter(|s| s.k0 != 0) {
            keys[s.id as usize] = unpack(s.k0, s.k1);
        }
        for (key, run) in self.long_keys.into_iter().zip(&self.long_runs) {
            keys[run.0 as usize] = key.into_string();
        }
        Shard { keys, runs }
    }
}

/// Keeps a finished run. With several threads counting different parts at once, a
/// term's slot changes part at nearly every buffer counted into it, so the finished
/// runs grow with the text (on 1 GB, to more memory than the tables); summing the runs
/// of each term and part whenever they have doubled keeps them bounded by the
/// vocabulary times the parts. When a compaction sums less than an eighth of them (each
/// text counted by one thread, as over many files, where every run is a new term and
/// part), the next waits for eight times as many: over 10,000 files, compactions that
/// summed nothing had sorted the runs again and again (freq 0.81 → 0.70 s).
fn spill(runs: &mut Vec<Run>, compact_at: &mut usize, run: Run) {
    runs.push(run);
    if runs.len() >= *compact_at {
        let before = runs.len();
        runs.sort_unstable_by_key(|r| (r.0, r.1));
        runs.dedup_by(|later, kept| {
            let same = (later.0, later.1) == (kept.0, kept.1);
            if same {
                kept.2 += later.2;
            }
            same
        });
        let summed = before - runs.len();
        let growth = if summed * 8 < before { 8 } else { 2 };
        *compact_at = (runs.len() * growth).max(COMPACT_MIN);
    }
}

/// The shared tables of one count: every term is in the table of its shard.
pub(crate) struct Counter {
    shards: Vec<Mutex<ShardCounts>>,
}

impl Counter {
    pub fn new() -> Self {
        Counter {
            shards: (0..SHARDS)
                .map(|_| Mutex::new(ShardCounts::new()))
                .collect(),
        }
    }
}

/// The words one thread has read and not yet counted, by shard.
struct Buffer {
    /// Short keys: (k0, k1, part, occurrences).
    short: Vec<(u64, u64, u32, u32)>,
    /// Long keys: their text one after another, and (end in `text`, part).
    text: String,
    long: Vec<(u32, u32)>,
}

/// Entries of a thread's cache of recent terms (768 KiB: past a Zen 2 core's 512 KiB of
/// L2, within its L3). 32,768 rather than 16,384 entries: on the 287,000-type corpus the
/// records fell from 2.5 to 2.1 million of the 6.7 million words and freq got 2–3% faster
/// (1 GB: 3.7 → 3.6 s), and on a Zen 2 machine 16,384 (384 KiB, within its L2) was still
/// slower; a two-way cache of the same size made fewer records (1.9 million) but no faster.
const CACHE: usize = 1 << 15;

/// Words whose cache entries are fetched together.
const BATCH: usize = 16;

/// A recently seen short key, its part and its occurrences there not yet buffered.
#[derive(Clone, Copy, Default)]
struct Cached {
    k0: u64,
    k1: u64,
    part: u32,
    n: u32,
}

/// One thread's side of a count: it buffers records by shard and counts them into the
/// [`Counter`]'s shared tables when the buffers are full and at the end ([`flush`]).
/// Frequent words are first summed in a small cache (32,768 entries, direct-mapped
/// by hash), so that most of a text's words never become records.
///
/// Aligned to two cache lines (the unit the processor's adjacent-line prefetcher moves):
/// the tallies of the threads sit side by side in a vector, and the fields written for
/// every word (the pending batch) shared a line with the next thread's fields, which
/// doubled the cost of the hot loop with 2 threads (false sharing; fixing it took freq on
/// 52 MB with two threads from 440 to 331 ms).
#[repr(align(128))]
pub(crate) struct Tally<'c> {
    counter: &'c Counter,
    cache: Vec<Cached>,
    buffers: Vec<Buffer>,
    buffered: usize,
    /// Words per text.
    pub doc_words: Vec<u64>,
    buf: String,
    /// Words waiting for their cache entry: packed key, hash, part.
    pending: [(u64, u64, u64, u32); BATCH],
    pending_len: usize,
}

/// Some of the terms, numbered from 0, and the runs of their occurrences.
pub(crate) struct Shard {
    /// Term → key.
    pub keys: Vec<String>,
    /// (term, part, count): sum the counts of a term and part to get its occurrences.
    pub runs: Vec<Run>,
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// High bit of each byte of `x` set when the byte is ASCII and `m < byte < n`.
#[inline]
fn between(x: u64, m: u8, n: u8) -> u64 {
    let low = x & (LO * 127);
    (LO * (127 + n as u64)).wrapping_sub(low) & !x & (low + LO * (127 - m as u64)) & HI
}

/// ASCII upper-case letters of `x` made lower-case, eight bytes at once.
#[inline]
fn ascii_lower(x: u64) -> u64 {
    x | (between(x, b'A' - 1, b'Z' + 1) >> 2)
}

/// The first `len` (at most 8) bytes of `bytes`, little-endian, zero-padded.
#[inline]
fn load(bytes: &[u8], len: usize) -> u64 {
    let mut b = [0u8; 8];
    b[..len].copy_from_slice(&bytes[..len]);
    u64::from_le_bytes(b)
}

/// A key of at most 16 bytes as two words; `None` for a longer one.
#[inline]
pub(crate) fn pack(key: &[u8]) -> Option<(u64, u64)> {
    match key.len() {
        0 => None,
        n @ 1..=8 => Some((load(key, n), 0)),
        n @ 9..=16 => Some((load(key, 8), load(&key[8..], n - 8))),
        _ => None,
    }
}

/// The key packed by [`pack`].
pub(crate) fn unpack(k0: u64, k1: u64) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&k0.to_le_bytes());
    bytes[8..].copy_from_slice(&k1.to_le_bytes());
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(16);
    String::from_utf8(bytes[..len].to_vec()).expect("a packed key is a whole key")
}

#[inline]
fn hash(k0: u64, k1: u64) -> u64 {
    (k0.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ k1)
        .wrapping_mul(0xD6E8_FEB8_6659_FD93)
        .rotate_left(32)
}

/// The shard of a hash: its top bits (the table inside the shard uses the low bits).
#[inline]
fn shard_of(h: u64) -> usize {
    (h >> (64 - SHARD_BITS)) as usize
}

/// The hash of a key too long to pack.
fn long_hash(key: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(key)
}

/// The hash a long key has in its shard's table. The shard was chosen by the top bits of
/// [`long_hash`], which the table reads too (its tag of each entry), so within a shard they
/// would all be alike and every entry of a probed group would be compared; mixed again,
/// they differ.
fn in_shard(h: u64) -> u64 {
    h.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn long_shard(key: &str) -> usize {
    shard_of(long_hash(key))
}

impl<'c> Tally<'c> {
    /// A thread's tally of `texts` texts, counting into `counter`.
    pub fn new(counter: &'c Counter, texts: usize) -> Self {
        Tally {
            counter,
            cache: vec![Cached::default(); CACHE],
            buffers: (0..SHARDS)
                .map(|_| Buffer {
                    // Room for a full buffer's share and some: growing these while counting
                    // showed up as page faults and unmapping in the profile.
                    short: Vec::with_capacity(BUFFERED / SHARDS * 5 / 4),
                    text: String::new(),
                    long: Vec::new(),
                })
                .collect(),
            buffered: 0,
            doc_words: vec![0; texts],
            buf: String::new(),
            pending: [(0, 0, 0, 0); BATCH],
            pending_len: 0,
        }
    }

    /// Counts one occurrence in `part` of the word `src[start..end]`: its key is made with
    /// `opts`. Counting may be deferred until [`flush`].
    #[inline]
    pub fn add_word(&mut self, src: &str, start: usize, end: usize, opts: KeyOptions, part: u32) {
        let packed = match src.as_bytes().get(start..start + 16) {
            // Read 16 bytes of the text at once and keep the word's.
            Some(b) if end - start <= 16 => {
                let len = end - start;
                let k0 = u64::from_le_bytes(b[..8].try_into().expect("eight bytes"));
                let k1 = u64::from_le_bytes(b[8..].try_into().expect("eight bytes"));
                let keep = |n: usize| {
                    if n >= 8 {
                        u64::MAX
                    } else {
                        (1u64 << (8 * n)) - 1
                    }
                };
                Some((k0 & keep(len), k1 & keep(len.saturating_sub(8))))
            }
            _ => pack(&src.as_bytes()[start..end]),
        };
        if let Some((k0, k1)) = packed.filter(|(a, b)| (a | b) & HI == 0) {
            // An ASCII word's key is the word, lower-cased unless case-sensitive.
            let (k0, k1) = if opts.case_sensitive {
                (k0, k1)
            } else {
                (ascii_lower(k0), ascii_lower(k1))
            };
            self.push_short(k0, k1, part);
            return;
        }
        let mut buf = std::mem::take(&mut self.buf);
        key_into(&src[start..end], opts, &mut buf);
        self.add(&buf, part);
        self.buf = buf;
    }

    /// Defers the word to a batch: its cache entry is fetched now and looked at once the
    /// batch is full, so that the fetches of a batch overlap (the profile showed the cache
    /// lookup waiting on memory a fifth of the time).
    #[inline]
    fn push_short(&mut self, k0: u64, k1: u64, part: u32) {
        let h = hash(k0, k1);
        prefetch(&self.cache[(h as usize) & (CACHE - 1)]);
        self.pending[self.pending_len] = (k0, k1, h, part);
        self.pending_len += 1;
        if self.pending_len == BATCH {
            self.drain();
        }
    }

    /// Counts the deferred words in the cache.
    #[inline]
    fn drain(&mut self) {
        for i in 0..self.pending_len {
            let (k0, k1, h, part) = self.pending[i];
            let c = &mut self.cache[(h as usize) & (CACHE - 1)];
            if c.k0 == k0 && c.k1 == k1 && c.part == part && c.n < u32::MAX {
                c.n += 1;
                continue;
            }
            let old = std::mem::replace(c, Cached { k0, k1, part, n: 1 });
            if old.k0 != 0 {
                self.buffer(old);
            }
        }
        self.pending_len = 0;
    }

    /// Buffers what the cache held of a term.
    #[inline]
    fn buffer(&mut self, c: Cached) {
        self.buffers[shard_of(hash(c.k0, c.k1))]
            .short
            .push((c.k0, c.k1, c.part, c.n));
        self.buffered += 1;
        if self.buffered >= BUFFERED {
            self.count_buffers();
        }
    }

    /// Counts one occurrence of `key` in `part`.
    pub fn add(&mut self, key: &str, part: u32) {
        match pack(key.as_bytes()) {
            Some((k0, k1)) => self.push_short(k0, k1, part),
            None => {
                let s = long_shard(key);
                if key.len() > u32::MAX as usize / 2 {
                    // Too long for the buffer's offsets (a "word" of gigabytes): counted now.
                    let counter = self.counter;
                    let mut counts = counter.shards[s].lock().unwrap_or_else(|e| e.into_inner());
                    counts.count_long(key, part);
                    return;
                }
                let b = &mut self.buffers[s];
                b.text.push_str(key);
                b.long.push((b.text.len() as u32, part));
                self.buffered += 1;
                // The text of long keys is bounded too (a u32 offset).
                if self.buffered >= BUFFERED || b.text.len() > u32::MAX as usize / 2 {
                    self.count_buffers();
                }
            }
        }
    }

    /// Moves what the thread's cache holds into its buffers (counting them if they fill)
    /// and hands over the buffers, by shard, to be counted.
    fn into_buffers(mut self) -> Vec<Buffer> {
        self.drain();
        for i in 0..CACHE {
            let c = std::mem::take(&mut self.cache[i]);
            if c.k0 != 0 {
                self.buffer(c);
            }
        }
        self.buffers
    }

    /// Counts every buffered record into the shared tables. Shards another thread is
    /// counting into are left for later, so that threads rarely wait for each other.
    fn count_buffers(&mut self) {
        let mut busy = Vec::new();
        for s in 0..SHARDS {
            let b = &self.buffers[s];
            if b.short.is_empty() && b.long.is_empty() {
                continue;
            }
            match self.counter.shards[s].try_lock() {
                Ok(mut counts) => Self::count_into(&mut counts, &mut self.buffers[s]),
                Err(std::sync::TryLockError::Poisoned(e)) => {
                    Self::count_into(&mut e.into_inner(), &mut self.buffers[s])
                }
                Err(std::sync::TryLockError::WouldBlock) => busy.push(s),
            }
        }
        for s in busy {
            let mut counts = self.counter.shards[s]
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            Self::count_into(&mut counts, &mut self.buffers[s]);
        }
        self.buffered = 0;
    }

    fn count_into(counts: &mut ShardCounts, buffer: &mut Buffer) {
        for &(k0, k1, part, n) in &buffer.short {
            counts.count_short(k0, k1, part, n as u64);
        }
        let mut from = 0;
        for &(end, part) in &buffer.long {
            counts.count_long(&buffer.text[from..end as usize], part);
            from = end as usize;
        }
        buffer.short.clear();
        buffer.long.clear();
        buffer.text.clear();
    }
}

/// Counts what the tallies still hold into their counter, in parallel; returns the words
/// per text.
///
/// The last records are counted shard by shard, each shard taking every thread's buffer
/// for it: each thread counting its own had left one thread with most of the work (with
/// 64 files and two threads, 380,000 records against 60,000: 26 ms against 6).
pub(crate) fn flush(tallies: Vec<Tally<'_>>, texts: usize) -> Vec<u64> {
    use rayon::prelude::*;
    let mut doc_words = vec![0u64; texts];
    // Every tally of a count counts into the same counter.
    let Some(counter) = tallies.first().map(|t| t.counter) else {
        return doc_words;
    };
    for t in &tallies {
        for (d, n) in doc_words.iter_mut().zip(&t.doc_words) {
            *d += n;
        }
    }
    let buffers: Vec<Vec<Buffer>> = tallies.into_par_iter().map(Tally::into_buffers).collect();
    let mut by_shard: Vec<Vec<Buffer>> = (0..SHARDS).map(|_| Vec::new()).collect();
    for thread in buffers {
        for (s, b) in thread.into_iter().enumerate() {
            by_shard[s].push(b);
        }
    }
    by_shard
        .into_par_iter()
        .enumerate()
        .for_each(|(s, mut buffers)| {
            let mut counts = counter.shards[s].lock().unwrap_or_else(|e| e.into_inner());
            for b in &mut buffers {
                Tally::count_into(&mut counts, b);
            }
        });
    doc_words
}

/// The shards' terms and runs, once every tally is [`flush`]ed, each handed to `f` in
/// parallel (in shard order). A key's shard depends on the key alone (its hash has no
/// seed), so the same term is in the same shard of every count: two counts' shards can be
/// joined shard by shard (keyness does).
pub(crate) fn merge<T: Send>(counter: Counter, f: impl Fn(Shard) -> T + Sync + Send) -> Vec<T> {
    use rayon::prelude::*;
    counter
        .shards
        .into_par_iter()
        .map(|m| f(m.into_inner().unwrap_or_else(|e| e.into_inner()).finish()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_casing_eight_bytes_at_once_is_ascii_lower_casing() {
        for b in 0..=127u8 {
            let x = LO * b as u64;
            assert_eq!(ascii_lower(x), LO * b.to_ascii_lowercase() as u64, "{b}");
        }
    }

    #[test]
    fn keys_are_packed_zero_padded() {
        assert_eq!(pack(b"ab"), Some((0x6261, 0)));
        assert_eq!(
            pack(b"abcdefghi"),
            Some((u64::from_le_bytes(*b"abcdefgh"), 0x69))
        );
        assert_eq!(pack(b""), None);
        assert_eq!(pack(&[b'x'; 17]), None);
    }

    #[test]
    fn finished_runs_stay_bounded_and_keep_their_sums() {
        // Two terms whose slots alternate between three parts, as when threads count
        // different parts at once: 3 × 2 distinct (term, part) pairs, 300,000 runs.
        let (mut runs, mut at) = (Vec::new(), COMPACT_MIN);
        let mut longest = 0;
        for i in 0..300_000u64 {
            spill(
                &mut runs,
                &mut at,
                ((i % 2) as u32, (i % 3) as u32, i % 5 + 1),
            );
            longest = longest.max(runs.len());
        }
        assert!(longest <= COMPACT_MIN, "{longest} runs kept");
        let mut sums = std::collections::BTreeMap::new();
        for &(id, part, n) in &runs {
            *sums.entry((id, part)).or_insert(0) += n;
        }
        let mut expected = std::collections::BTreeMap::new();
        for i in 0..300_000u64 {
            *expected
                .entry(((i % 2) as u32, (i % 3) as u32))
                .or_insert(0) += i % 5 + 1;
        }
        assert_eq!(sums, expected);
    }

    #[test]
    fn runs_that_never_sum_are_compacted_rarely() {
        // 300,000 distinct (term, part) runs, as when each text is counted by one thread:
        // compactions at 4,096, 32,768 and 262,144 runs sum nothing, and each waits for
        // eight times as many as the last kept (doubling would have sorted at 4,096,
        // 8,192, …, 262,144: seven times).
        let (mut runs, mut at) = (Vec::new(), COMPACT_MIN);
        for i in 0..300_000u32 {
            spill(&mut runs, &mut at, (i / 7, i % 7, 1));
        }
        assert_eq!(at, 2_097_152);
        assert_eq!(runs.len(), 300_000);
        // The runs up to the last compaction are in (term, part) order, none lost.
        assert!(runs[..262_144]
            .windows(2)
            .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
        let mut all = runs.clone();
        all.sort_unstable();
        assert!(all
            .iter()
            .enumerate()
            .all(|(i, r)| *r == ((i / 7) as u32, (i % 7) as u32, 1)));
    }

    #[test]
    fn many_long_keys_keep_their_own_counts() {
        // 20,000 keys too long to pack, in every shard (and many in each), each counted
        // i % 7 + 1 times in part i % 3; the table of long keys grows many times meanwhile.
        let counter = Counter::new();
        let mut t = Tally::new(&counter, 1);
        let key = |i: u32| format!("a-key-too-long-to-pack-{i:05}");
        for round in 0..7 {
            for i in 0..20_000u32 {
                if round < i % 7 + 1 {
                    t.add(&key(i), i % 3);
                }
            }
        }
        flush(vec![t], 1);
        let mut seen = std::collections::BTreeMap::new();
        for shard in merge(counter, |s| s) {
            for &(id, part, n) in &shard.runs {
                *seen
                    .entry((shard.keys[id as usize].clone(), part))
                    .or_insert(0u64) += n;
            }
        }
        let expected: std::collections::BTreeMap<_, _> = (0..20_000u32)
            .map(|i| ((key(i), i % 3), (i % 7 + 1) as u64))
            .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn counts_add_up_whatever_the_path() {
        let counter = Counter::new();
        let mut t = Tally::new(&counter, 1);
        let words = [
            "The",
            "the",
            "THE",
            "Straße",
            "extraordinarily-long-word",
            "é",
            "x",
        ];
        for round in 0..3000u32 {
            for w in words {
                let text = format!("{w} and some more text after it");
                t.add_word(&text, 0, w.len(), KeyOptions::default(), round / 1000);
                t.add_word(w, 0, w.len(), KeyOptions::default(), round / 1000 + 10);
            }
        }
        t.add("the", 2);
        flush(vec![t], 1);
        let shards = merge(counter, |s| s);
        let mut totals = std::collections::BTreeMap::new();
        for shard in &shards {
            for &(id, part, n) in &shard.runs {
                *totals
                    .entry((shard.keys[id as usize].clone(), part))
                    .or_insert(0) += n;
            }
        }
        for part in 0..3 {
            assert_eq!(totals[&("é".to_string(), part + 10)], 1000);
            assert_eq!(totals[&("the".to_string(), part + 10)], 3000);
        }
        assert_eq!(totals[&("the".to_string(), 0)], 3000);
        assert_eq!(totals[&("the".to_string(), 2)], 3001);
        assert_eq!(totals[&("strasse".to_string(), 1)], 1000);
        assert_eq!(totals[&("extraordinarily-long-word".to_string(), 2)], 1000);
        assert_eq!(shards.iter().map(|s| s.keys.len()).sum::<usize>(), 5);
    }
}
