//! Sentence boundaries for English and German prose, as byte spans.

use crate::{Token, TokenKind, Tokenizer};

/// One sentence: its byte span in the text and its paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Byte offset of the sentence's first token.
    pub start: usize,
    /// Byte offset after its last token (closing quotes and footnote markers included).
    pub end: usize,
    /// 0-based paragraph number, as in [`Token::para`].
    pub para: u32,
}

/// Abbreviations whose dot never ends a sentence: titles and the like, always followed
/// by a name or a number (English and German; compared case-insensitively).
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "mt", "gen", "col", "capt", "lt", "rev", "hon",
    "messrs", "no", "nos", "nr", "vol", "vols", "pp", "p", "ch", "cf", "fig", "art", "abs", "vgl",
    "hrsg", "bd", "jh", "jhd", "s", "ca", "ff",
];

/// German month names: "am 25. Februar" is an ordinal date, not a sentence end.
const MONTHS: &[&str] = &[
    "januar",
    "jänner",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
];

/// Splits `text` into sentences.
///
/// A sentence ends at `.`, `!`, `?`, `…` or a run of dots, together with the closing
/// quotation marks, brackets and footnote markers that follow it without a space, unless:
/// the next word starts in lower case (an abbreviation or a quotation going on); the dot
/// follows a one-letter word (`N. S. Khrushchev`, `d. h.`) or a title (`Dr.`, `pp.`); it follows
/// an abbreviation such as `per cent.` and the next word is not capitalized; or it is the
/// dot of a German ordinal before a month (`am 25. Februar`). Initialisms (`N.K.V.D.`,
/// `i.e.`) are single words and so never split. A paragraph break always ends a sentence.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let tokens: Vec<Token> = Tokenizer::new(text).collect();
    let mut out = Vec::new();
    let mut first = 0;
    let mut i = 0;
    // The index of the first word after the current token (or `tokens.len()`). It only
    // moves forward, so a long run of marks without words costs linear time.
    let mut next_word = 0;
    while i < tokens.len() {
        let tok = tokens[i];
        let next_para = tokens.get(i + 1).is_none_or(|n| n.para != tok.para);
        let mut last = i;
        let mut ends = next_para;
        if !ends && is_terminal(tok.text(text)) {
            next_word = next_word.max(i + 1);
            while tokens
                .get(next_word)
                .is_some_and(|t| t.kind != TokenKind::Word)
            {
                next_word += 1;
            }
            ends = ends_here(text, &tokens, i, tokens.get(next_word));
        }
        if ends && !next_para {
            // Take closing quotes, brackets and notes that stick to the terminal mark.
            while let Some(n) = tokens.get(last + 1) {
                let touching = n.start == tokens[last].end && n.para == tok.para;
                if touching && (n.kind == TokenKind::Note || is_closer(n.text(text))) {
                    last += 1;
                } else {
                    break;
                }
            }
        }
        if ends {
            out.push(Sentence {
                start: tokens[first].start,
                end: tokens[last].end,
                para: tok.para,
            });
            first = last + 1;
            i = last + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn is_terminal(s: &str) -> bool {
    matches!(s, "!" | "?" | "…" | "‽") || (!s.is_empty() && s.bytes().all(|b| b == b'.'))
}

fn is_closer(s: &str) -> bool {
    matches!(
        s,
        "”" | "“" | "’" | "'" | "\"" | ")" | "]" | "»" | "«" | "›" | "‹" | "}"
    ) || s.bytes().all(|b| b == b'.')
        || matches!(s, "!" | "?" | "…")
}

/// Does the terminal mark at `i` end a sentence? `next_word` is the first word after it
/// (closing quotes, notes and other marks skipped), if any.
fn ends_here(text: &str, tokens: &[Token], i: usize, next_word: Option<&Token>) -> bool {
    let mark = tokens[i].text(text);
    let next_word = next_word.filter(|t| t.para == tokens[i].para);
    let Some(next_word) = next_word else {
        return true;
    };
    let next = next_word.text(text);
    let next_lower = next.chars().next().is_some_and(char::is_lowercase);
    if next_lower {
        return false;
    }
    if mark != "." {
        return true;
    }
    // A dot attached to the word before it: abbreviation, initial or ordinal?
    let Some(prev) = i.checked_sub(1).map(|p| tokens[p]) else {
        return true;
    };
    if prev.kind != TokenKind::Word || prev.end != tokens[i].start {
        return true;
    }
    let word = prev.text(text);
    let lower = word.to_lowercase();
    // One letter and a dot: an initial (N. S.) or part of a spaced abbreviation (d. h.).
    // Counted as letters, not characters, so that NFD's `É` (E and a combining accent)
    // is one letter as NFC's is.
    let single_letter = word.chars().next().is_some_and(char::is_alphabetic)
        && word
            .chars()
            .filter(|&c| crate::token::starts_letter(c))
            .count()
            == 1;
    if single_letter || TITLES.contains(&lower.as_str()) {
        return false;
    }
    let next_lc = next.to_lowercase();
    if word.bytes().all(|b| b.is_ascii_digit()) && MONTHS.contains(&next_lc.as_str()) {
        return false;
    }
    // Other abbreviations ("per cent.", "etc.") were kept inside above when a lower-case
    // word follows; before a capital they end the sentence, as they usually do.
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn initials_and_initialisms_stay_inside() {
        assert_eq!(
            split("No one who has heard N. S. Khrushchev will doubt it. The N.K.V.D. men came."),
            [
                "No one who has heard N. S. Khrushchev will doubt it.",
                "The N.K.V.D. men came."
            ]
        );
    }

    #[test]
    fn an_initial_is_one_letter_in_any_normalization_form() {
        // Found by the property test: NFD's É is two characters, and was taken for a word
        // that ends a sentence.
        for e in ["\u{C9}", "E\u{301}"] {
            let text = format!("{e}. Zola wrote it. So did he.");
            assert_eq!(
                split(&text),
                [format!("{e}. Zola wrote it."), "So did he.".into()]
            );
        }
        // A Hangul syllable, precomposed or in conjoining jamo, is one letter too.
        for ga in ["\u{AC00}", "\u{1100}\u{1161}"] {
            let text = format!("Then {ga}. Kim came.");
            assert_eq!(split(&text), [text.as_str()]);
        }
    }

    #[test]
    fn abbreviations_before_lower_case_words_and_numbers() {
        assert_eq!(
            split(
                "about 60 per cent. were, i.e. 70 per cent., gone. See Dr. Smith, pp. 453-9. Yes."
            ),
            [
                "about 60 per cent. were, i.e. 70 per cent., gone.",
                "See Dr. Smith, pp. 453-9.",
                "Yes."
            ]
        );
    }

    #[test]
    fn quotations_ellipses_and_notes() {
        assert_eq!(
            split("He asked: ”Why?” Then he left. It was ”real”. Repression ... against all. A despot.... In this lies it.[3] Done"),
            [
                "He asked: ”Why?”",
                "Then he left.",
                "It was ”real”.",
                "Repression ... against all.",
                "A despot....",
                "In this lies it.[3]",
                "Done"
            ]
        );
    }

    #[test]
    fn german_ordinal_dates_and_quotes() {
        assert_eq!(
            split("Er sprach am 25. Februar. „Warum?“ fragte er. Im Jahr 1950. Doch d. h. 70 Prozent (Anm. d. Red.) nein."),
            [
                "Er sprach am 25. Februar.",
                "„Warum?“ fragte er.",
                "Im Jahr 1950.",
                "Doch d. h. 70 Prozent (Anm. d. Red.) nein."
            ]
        );
    }

    #[test]
    fn marks_without_words_cost_linear_time() {
        // Found while writing the fuzz targets: every dot looked ahead through all the marks
        // after it for the next word (quadratic), so `freq --ngram 2` on 200 KB of ". " took
        // six seconds.
        let text = ". ".repeat(200_000);
        let s = sentences(&text);
        assert_eq!(s.len(), 200_000);
        assert_eq!((s[1].start, s[1].end), (2, 3));
        let text = format!("{}and so. Yes", "! ? ".repeat(100_000));
        // Before a lower-case word no mark ends a sentence: two sentences.
        let s: Vec<&str> = sentences(&text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(s.len(), 2);
        assert!(s[0].starts_with("! ? ! ") && s[0].ends_with("? and so."));
        assert_eq!(s[1], "Yes");
    }

    #[test]
    fn paragraph_breaks_always_end_a_sentence() {
        let text = "A heading\n\nFirst line\nsame sentence. Next";
        assert_eq!(
            split(text),
            ["A heading", "First line\nsame sentence.", "Next"]
        );
        assert_eq!(sentences(text)[1].para, 1);
    }
}
