//! The progress bar: shown on stderr while work over the texts runs longer than about a
//! second, only when stderr is a terminal and `--quiet` was not given.
//!
//! The libraries never print: they tell a [`Tracker`] (their [`lectio_text::Progress`])
//! which bytes they have processed, from any thread, and which bytes they are done with;
//! the tracker counts bytes and files for the bar and lets memory-mapped files drop the
//! pages that were read, which keeps a pass over a file larger than memory within bounds.

use std::fmt;
use std::io::IsTerminal;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

use indicatif::{
    HumanBytes, HumanDuration, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle,
};
use lectio_text::Document;

/// Set by `--quiet`.
static QUIET: AtomicBool = AtomicBool::new(false);

/// No bar is shown for work that ends before this.
const DELAY: Duration = Duration::from_secs(1);
/// How often the bar is redrawn.
const TICK: Duration = Duration::from_millis(100);

/// `--quiet`: never show a progress bar.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Counts the bytes and files processed, and releases what was read.
pub struct Tracker<'a> {
    docs: &'a [Document],
    total: u64,
    bytes: AtomicU64,
    /// Bytes of each text not yet processed.
    left: Vec<AtomicU64>,
    files_done: AtomicU64,
    /// What the texts are called on the bar, one and several ("file", "files").
    noun: (&'static str, &'static str),
}

impl<'a> Tracker<'a> {
    /// A tracker of work that reads every byte of `docs` `passes` times.
    fn new(docs: &'a [Document], passes: u64) -> Self {
        let sizes = docs
            .iter()
            .map(|d| d.as_str().len() as u64 * passes)
            .collect();
        Tracker::of_sizes(docs, sizes, ("file", "files"))
    }

    fn of_sizes(docs: &'a [Document], sizes: Vec<u64>, noun: (&'static str, &'static str)) -> Self {
        Tracker {
            docs,
            total: sizes.iter().sum(),
            bytes: AtomicU64::new(0),
            left: sizes.into_iter().map(AtomicU64::new).collect(),
            files_done: AtomicU64::new(0),
            noun,
        }
    }
}

impl lectio_text::Progress for Tracker<'_> {
    fn release(&self, doc: usize, range: Range<usize>) {
        if let Some(d) = self.docs.get(doc) {
            d.release(range);
        }
    }

    fn advance(&self, doc: usize, bytes: u64) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        let Some(left) = self.left.get(doc) else {
            return;
        };
        let before = left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| {
                Some(l.saturating_sub(bytes))
            })
            .unwrap_or(0);
        if before > 0 && before <= bytes {
            self.files_done.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Runs `work` over `docs` with a tracker, showing the bar while it runs if it takes
/// longer than [`DELAY`] (on a terminal, without `--quiet`).
pub fn track<T>(docs: &[Document], work: impl FnOnce(&Tracker<'_>) -> T) -> T {
    track_passes(docs, 1, work)
}

/// [`track`] for work that reads every byte of `docs` `passes` times (and tells of each
/// pass's bytes): the bar runs from 0 to `passes` times their size.
pub fn track_passes<T>(docs: &[Document], passes: u64, work: impl FnOnce(&Tracker<'_>) -> T) -> T {
    run(Tracker::new(docs, passes), work)
}

/// [`track`] for work over texts of these sizes that are not [`Document`]s, such as
/// witnesses of a CollateX file (nothing is released), numbered in the order given.
/// The bar counts them as `noun` (one and several: "witness", "witnesses").
pub fn track_sizes<T>(
    sizes: Vec<u64>,
    noun: (&'static str, &'static str),
    work: impl FnOnce(&Tracker<'_>) -> T,
) -> T {
    run(Tracker::of_sizes(&[], sizes, noun), work)
}

fn run<T>(tracker: Tracker<'_>, work: impl FnOnce(&Tracker<'_>) -> T) -> T {
    if QUIET.load(Ordering::Relaxed) || !std::io::stderr().is_terminal() {
        return work(&tracker);
    }
    std::thread::scope(|s| {
        let (done, wait) = channel::<()>();
        let t = &tracker;
        s.spawn(move || show(t, wait));
        let out = work(&tracker);
        drop(done);
        out
    })
}

/// Draws the bar from [`DELAY`] on until the work is done (the sender is dropped).
fn show(t: &Tracker<'_>, done: Receiver<()>) {
    if done.recv_timeout(DELAY) != Err(RecvTimeoutError::Timeout) {
        return;
    }
    // The work started DELAY ago: the elapsed time shown, and the rate, count from then.
    // Hidden until its position and message are set: each setter may draw it.
    let bar = ProgressBar::with_draw_target(Some(t.total), ProgressDrawTarget::hidden())
        .with_elapsed(DELAY);
    // The spinner and the elapsed time move even while the bytes do not (a comparison of
    // two witnesses counts its bytes when it is done). The rate and the time left are
    // the average since the start, not indicatif's own estimate, which starts when the bar
    // does: the bytes done in the first second came in as one step, and its smoothing (15
    // seconds) kept the rate shown far too high for the whole run (26 TiB/s falling to
    // 1.7 GiB/s over freq on 1 GB, which ran at 0.3 GB/s; "0s" left throughout).
    let style = ProgressStyle::with_template(
        "{spinner} {elapsed} {wide_bar} {bytes}/{total_bytes} {rate} {msg} {left}",
    )
    .expect("a valid template")
    .with_key("rate", |s: &ProgressState, w: &mut dyn fmt::Write| {
        let _ = write!(w, "{}/s", HumanBytes(rate(s.pos(), s.elapsed()) as u64));
    })
    .with_key("left", |s: &ProgressState, w: &mut dyn fmt::Write| {
        if let Some(left) = time_left(s.pos(), s.len().unwrap_or(0), s.elapsed()) {
            let _ = write!(w, "{:#}", HumanDuration(left));
        }
    });
    bar.set_style(style);
    let files = t.left.len();
    let noun = if files == 1 { t.noun.0 } else { t.noun.1 };
    loop {
        bar.set_position(t.bytes.load(Ordering::Relaxed).min(t.total));
        let n = t.files_done.load(Ordering::Relaxed);
        bar.set_message(format!("{n}/{files} {noun}"));
        if bar.is_hidden() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        bar.tick();
        if done.recv_timeout(TICK) != Err(RecvTimeoutError::Timeout) {
            break;
        }
    }
    bar.finish_and_clear();
}

/// Bytes a second, on average, for `done` bytes in `elapsed` (0 before any time has passed).
fn rate(done: u64, elapsed: Duration) -> f64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 {
        done as f64 / secs
    } else {
        0.0
    }
}

/// The time left for `total` bytes at the average rate so far; `None` while nothing is
/// done (no rate to go by).
fn time_left(done: u64, total: u64, elapsed: Duration) -> Option<Duration> {
    let rate = rate(done, elapsed);
    (rate > 0.0).then(|| Duration::from_secs_f64(total.saturating_sub(done) as f64 / rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_and_time_left_are_averages_since_the_start() {
        // freq on 1 GB as the bar first showed it: 649.5 MiB after 1.2 s.
        let (done, total) = (649 * 1024 * 1024 + 512 * 1024, 1 << 30);
        let elapsed = Duration::from_millis(1200);
        assert_eq!(rate(done, elapsed), done as f64 / 1.2);
        assert_eq!(
            format!("{}/s", HumanBytes(rate(done, elapsed) as u64)),
            "541.25 MiB/s"
        );
        // (1,073,741,824 − 681,050,112) B at 567,541,760 B/s.
        let left = time_left(done, total, elapsed).unwrap();
        assert_eq!(left.as_millis(), 691);
        assert_eq!(format!("{:#}", HumanDuration(left)), "1s");
        assert_eq!(
            format!(
                "{:#}",
                HumanDuration(time_left(1, 100, Duration::from_secs(1)).unwrap())
            ),
            "2m"
        );
        // Nothing done, or no time yet: no rate, nothing to say of the time left.
        assert_eq!(rate(0, elapsed), 0.0);
        assert_eq!(rate(5, Duration::ZERO), 0.0);
        assert_eq!(time_left(0, total, elapsed), None);
        // All done: nothing left.
        assert_eq!(time_left(total, total, elapsed), Some(Duration::ZERO));
    }
}
