//! The inline view: the base text with the witness's variants marked in place.
//!
//! `[-omitted-]{+added+}` as in wdiff; a transposition is shown as `[-passage-]>m1` where
//! it left and `{+passage+}<m1` where it landed.

use lectio_text::{LineIndex, Tokenizer};

use crate::collate::collapse;
use crate::{Comparison, Kind};

/// A piece of the inline view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    /// Base text that the witness shares (whitespace as in the base).
    Same(String),
    /// Base text the witness lacks or replaces.
    Omitted(String),
    /// Witness text the base lacks, or that replaces base text.
    Added(String),
    /// A passage that moved away from here; the move id.
    MovedFrom(String, String),
    /// A passage that moved to here; the move id.
    MovedTo(String, String),
}

/// A stretch of the view: the whole text, or one variant with its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    /// 1-based base line where the hunk starts.
    pub line: usize,
    /// Its spans in order.
    pub spans: Vec<Span>,
}

struct Event {
    start: usize,
    end: usize,
    spans: Vec<Span>,
}

/// Renders the variants of `c` over `base` (the text `c` was made from). With
/// `context: None`, one hunk holds the whole base; with `Some(n)`, each variant gets `n`
/// words of context on either side (overlapping hunks merge) and whitespace is collapsed.
pub fn render(base: &str, c: &Comparison, witness: &str, context: Option<usize>) -> Vec<Hunk> {
    // The whitespace an added passage had before it in the witness: a paragraph break, a
    // space, or nothing (punctuation attached to the word before it).
    let space_before = |at: usize| -> Option<&'static str> {
        let ws = &witness[witness[..at].trim_end().len()..at];
        if ws.is_empty() {
            None
        } else if ws.matches('\n').count() >= 2 {
            Some("\n\n")
        } else {
            Some(" ")
        }
    };
    let mut events: Vec<Event> = Vec::new();
    for v in &c.variants {
        match v.kind {
            Kind::Transposition => {
                let id = v.move_id.clone().unwrap_or_default();
                events.push(Event {
                    start: v.base_start,
                    end: v.base_end,
                    spans: vec![Span::MovedFrom(v.base_text.clone(), id.clone())],
                });
                let mut spans = Vec::new();
                if let Some(ws) = space_before(v.witness_start) {
                    spans.push(Span::Same(ws.into()));
                }
                spans.push(Span::MovedTo(v.witness_text.clone(), id));
                events.push(Event {
                    start: v.landed_in_base,
                    end: v.landed_in_base,
                    spans,
                });
            }
            // Variants inside a moved passage are shown by the passage itself.
            _ if v.move_id.is_some() => {}
            Kind::Addition => {
                let mut spans = Vec::new();
                if let Some(ws) = space_before(v.witness_start) {
                    spans.push(Span::Same(ws.into()));
                }
                spans.push(Span::Added(v.witness_text.clone()));
                events.push(Event {
                    start: v.base_start,
                    end: v.base_start,
                    spans,
                });
            }
            Kind::Omission => events.push(Event {
                start: v.base_start,
                end: v.base_end,
                spans: vec![Span::Omitted(v.base_text.clone())],
            }),
            Kind::Substitution => events.push(Event {
                start: v.base_start,
                end: v.base_end,
                spans: vec![
                    Span::Omitted(v.base_text.clone()),
                    Span::Added(v.witness_text.clone()),
                ],
            }),
        }
    }
    events.sort_by_key(|e| (e.start, e.end > e.start));

    let lines = LineIndex::new(base);
    let windows: Vec<(usize, usize)> = match context {
        None => vec![(0, base.len())],
        Some(n) => {
            let words: Vec<(usize, usize)> = Tokenizer::new(base)
                .filter(|t| t.is_word())
                .map(|t| (t.start, t.end))
                .collect();
            let mut out: Vec<(usize, usize)> = Vec::new();
            for e in &events {
                let before = words.partition_point(|w| w.1 <= e.start);
                let after = words.partition_point(|w| w.0 < e.end);
                // No context: the hunk is the variant itself, wherever it stands.
                let lo = if n == 0 {
                    e.start
                } else if before <= n {
                    0
                } else {
                    words[before - n].0.min(e.start)
                };
                let hi = if n == 0 {
                    e.end
                } else if after + n >= words.len() {
                    base.len()
                } else {
                    words[after + n - 1].1.max(e.end)
                };
                match out.last_mut() {
                    Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
                    _ => out.push((lo, hi)),
                }
            }
            out
        }
    };

    let tidy = |s: &str| {
        if context.is_some() {
            let lead = s.starts_with(char::is_whitespace);
            let trail = s.ends_with(char::is_whitespace) && !s.trim().is_empty();
            let mut c = collapse(s);
            if lead {
                c.insert(0, ' ');
            }
            if trail {
                c.push(' ');
            }
            c
        } else {
            s.to_string()
        }
    };
    let mut hunks = Vec::new();
    let mut ev = 0;
    for (lo, hi) in windows {
        let mut spans = Vec::new();
        let mut pos = lo;
        while ev < events.len() && events[ev].start <= hi {
            let e = &events[ev];
            ev += 1;
            if e.start < pos {
                // Inside a passage already shown (a landing within a departure).
                if e.start != e.end {
                    continue;
                }
            } else if e.start > pos {
                spans.push(Span::Same(tidy(&base[pos..e.start])));
                pos = e.start;
            }
            for s in &e.spans {
                spans.push(match s {
                    Span::Same(x) => Span::Same(x.clone()),
                    Span::Omitted(x) => Span::Omitted(tidy(x)),
                    Span::Added(x) => Span::Added(tidy(x)),
                    Span::MovedFrom(x, m) => Span::MovedFrom(tidy(x), m.clone()),
                    Span::MovedTo(x, m) => Span::MovedTo(tidy(x), m.clone()),
                });
            }
            pos = pos.max(e.end);
        }
        if pos < hi {
            spans.push(Span::Same(tidy(&base[pos..hi])));
        }
        hunks.push(Hunk {
            line: lines.line(lo),
            spans,
        });
    }
    hunks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{compare, Options};

    fn show(a: &str, b: &str, context: Option<usize>) -> Vec<String> {
        let c = compare("a", a, "b", b, &Options::default());
        render(a, &c, b, context)
            .into_iter()
            .map(|h| {
                h.spans
                    .iter()
                    .map(|s| match s {
                        Span::Same(x) => x.clone(),
                        Span::Omitted(x) => format!("[-{x}-]"),
                        Span::Added(x) => format!("{{+{x}+}}"),
                        Span::MovedFrom(x, m) => format!("[-{x}-]>{m}"),
                        Span::MovedTo(x, m) => format!("{{+{x}+}}<{m}"),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn whole_text_with_marks() {
        assert_eq!(
            show("a good and fine day", "a very good and nice day", None),
            ["a {+very+} good and [-fine-]{+nice+} day"]
        );
        assert_eq!(
            show(
                "they differ more from each other than",
                "they differ from each other more than",
                None
            ),
            ["they differ [-more-]>m1 from each other {+more+}<m1 than"]
        );
    }

    #[test]
    fn context_hunks() {
        let a = "one two three four five six seven eight nine ten eleven twelve";
        let b = "one two three FOUR five six seven eight nine ten eleven TWELVE";
        assert_eq!(
            show(a, b, Some(1)),
            ["three [-four-]{+FOUR+} five", "eleven [-twelve-]{+TWELVE+}"]
        );
    }

    #[test]
    fn no_context_shows_the_variant_alone_even_at_the_end() {
        // Found by fuzzing: with --context 0, a variant after the last word of the base
        // indexed past the end of the word list.
        assert_eq!(show("one two", "one two three", Some(0)), [" {+three+}"]);
        assert_eq!(show("A", "A\u{7f}", Some(0)).len(), 1);
        assert_eq!(
            show("one two three four", "one TWO three four", Some(0)),
            ["[-two-]{+TWO+}"]
        );
    }
}
