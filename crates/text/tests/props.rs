//! Properties of the token model that must hold for every input.

use lectio_text::{key, KeyOptions, TokenKind, Tokenizer};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

/// Text built from the characters the tokenizer has rules for, plus arbitrary ones.
fn texty() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "Z",
        "é",
        "e\u{301}",
        "ß",
        "Σ",
        "5",
        " ",
        "\n",
        "\r\n",
        "\r",
        "\u{A0}",
        "\u{FEFF}",
        "'",
        "’",
        "”",
        "“",
        "-",
        "—",
        "–",
        ".",
        ",",
        "[",
        "]",
        "[1]",
        "\u{AD}",
        "\t",
        "?",
        "ǰ",
        "N.K.V.D.",
        "Stalin's",
        "İ",
        "가",
        "각",
        "É",
        "E\u{301}. ",
    ]);
    prop::collection::vec(
        prop_oneof![4 => pieces.prop_map(String::from), 1 => any::<char>().prop_map(String::from)],
        0..40,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn spans_slice_the_original_in_order(text in texty()) {
        let mut last_end = 0;
        for t in Tokenizer::new(&text) {
            prop_assert!(t.start < t.end);
            prop_assert!(t.start >= last_end);
            // Slicing panics if a span is not on character boundaries.
            let s = &text[t.start..t.end];
            prop_assert!(!s.starts_with(char::is_whitespace));
            prop_assert!(!s.ends_with(char::is_whitespace));
            last_end = t.end;
        }
        // Everything between tokens is whitespace (or a BOM / zero-width space).
        let mut covered = vec![false; text.len()];
        for t in Tokenizer::new(&text) {
            covered[t.start..t.end].iter_mut().for_each(|c| *c = true);
        }
        for (i, c) in text.char_indices() {
            if !covered[i] {
                prop_assert!(c.is_whitespace() || c == '\u{FEFF}' || c == '\u{200B}', "{c:?} dropped");
            }
        }
    }

    #[test]
    fn keys_do_not_depend_on_the_normalization_form(text in texty()) {
        let nfc: String = text.nfc().collect();
        let nfd: String = text.nfd().collect();
        for opts in [KeyOptions::default(), KeyOptions { case_sensitive: true, fold_diacritics: false }, KeyOptions { case_sensitive: false, fold_diacritics: true }] {
            let keys = |s: &str| -> Vec<(TokenKind, String)> {
                Tokenizer::new(s).map(|t| (t.kind, key(t.text(s), opts))).collect()
            };
            prop_assert_eq!(keys(&nfc), keys(&nfd));
        }
    }

    #[test]
    fn sentences_do_not_depend_on_the_normalization_form(text in texty()) {
        let nfc: String = text.nfc().collect();
        let nfd: String = text.nfd().collect();
        // Each sentence as the keys of its words.
        let sentences = |s: &str| -> Vec<Vec<String>> {
            lectio_text::sentences(s)
                .iter()
                .map(|x| {
                    Tokenizer::new(&s[x.start..x.end])
                        .filter(|t| t.is_word())
                        .map(|t| key(t.text(&s[x.start..x.end]), KeyOptions::default()))
                        .collect()
                })
                .collect()
        };
        prop_assert_eq!(sentences(&nfc), sentences(&nfd));
    }
}
