use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// How keys are made from original text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct KeyOptions {
    /// Keep case distinctions (no case folding).
    pub case_sensitive: bool,
    /// Drop diacritics: NFD, remove combining marks, NFC ("élite" matches "elite").
    pub fold_diacritics: bool,
}

/// Writes the key of `text` into `out` (cleared first).
///
/// Key = NFC, then Unicode full case folding (not `to_lowercase`: "Straße" and "STRASSE"
/// share a key), then `’` becomes `'`; the soft hyphen U+00AD is dropped. A text in NFD
/// and in NFC gives the same key. ASCII text takes a fast path with the same result.
pub fn key_into(text: &str, opts: KeyOptions, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        out.push_str(text);
        if !opts.case_sensitive {
            out.make_ascii_lowercase();
        }
        return;
    }
    if !opts.fold_diacritics && text.chars().all(latin1_simple) {
        // Every character is its own NFC and folds to one character: the key is made in one
        // pass (`freq` on text with accented words spent 4% of its time in the general path).
        out.extend(text.chars().filter(|&c| c != '\u{AD}').map(|c| match c {
            '’' => '\'',
            'A'..='Z' | 'À'..='Þ' if !opts.case_sensitive => {
                char::from_u32(c as u32 + 0x20).expect("a Latin-1 letter")
            }
            c => c,
        }));
        return;
    }
    key_slow(text, opts, out);
}

/// A character whose key [`key_into`] can make on its own: ASCII, a Latin-1 letter whose
/// full case folding is one letter (not `ß`, which folds to "ss"), `’` and the soft hyphen.
/// None of them composes with another in NFC.
fn latin1_simple(c: char) -> bool {
    c.is_ascii() || matches!(c, 'À'..='Ö' | 'Ø'..='Þ' | 'à'..='ö' | 'ø'..='ÿ' | '’' | '\u{AD}')
}

/// [`key_into`] by the general rules, for any text.
fn key_slow(text: &str, opts: KeyOptions, out: &mut String) {
    let nfc = text.chars().filter(|&c| c != '\u{AD}').nfc();
    let base: String = if opts.fold_diacritics {
        nfc.nfd().filter(|&c| !is_combining_mark(c)).collect()
    } else {
        nfc.collect()
    };
    let folded = if opts.case_sensitive {
        base
    } else {
        caseless::default_case_fold_str(&base)
    };
    // Case folding can leave a sequence that is not NFC (e.g. U+01F0); recompose.
    out.extend(folded.nfc().map(|c| if c == '’' { '\'' } else { c }));
}

/// The non-ASCII characters whose key, with or without case folding, is ASCII or empty:
/// the only ones that can occur in a word whose key is pure ASCII ("Russia’s", "Straße",
/// the soft hyphen, the Kelvin sign, ligatures). Searches use this to skip text safely.
pub const ASCII_KEY_BRIDGES: [char; 15] = [
    '\u{AD}', 'ß', 'ſ', '\u{37E}', 'ẞ', '\u{1FEF}', '’', '\u{212A}', 'ﬀ', 'ﬁ', 'ﬂ', 'ﬃ', 'ﬄ', 'ﬅ',
    'ﬆ',
];

/// The key of `text` as a new string; see [`key_into`].
pub fn key(text: &str, opts: KeyOptions) -> String {
    let mut out = String::new();
    key_into(text, opts, &mut out);
    out
}

/// `text` without diacritics (NFD, combining marks removed, NFC), case kept.
pub fn fold_diacritics(text: &str) -> String {
    text.nfd()
        .filter(|&c| !is_combining_mark(c))
        .nfc()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: KeyOptions = KeyOptions {
        case_sensitive: false,
        fold_diacritics: false,
    };

    #[test]
    fn curly_apostrophe_becomes_straight_in_the_key() {
        assert_eq!(key("Russia’s", DEFAULT), "russia's");
        assert_eq!(key("Russia’s", DEFAULT), key("Russia's", DEFAULT));
    }

    #[test]
    fn unicode_case_folding_not_lowercase() {
        assert_eq!(key("STRASSE", DEFAULT), key("Straße", DEFAULT));
        assert_eq!(key("ΣΊΣΥΦΟΣ", DEFAULT), key("σίσυφος", DEFAULT));
    }

    #[test]
    fn soft_hyphen_is_dropped_from_the_key() {
        assert_eq!(key("mono\u{AD}lithic", DEFAULT), "monolithic");
    }

    #[test]
    fn nfd_and_nfc_give_the_same_key() {
        assert_eq!(
            key("de\u{301}nouement", DEFAULT),
            key("d\u{E9}nouement", DEFAULT)
        );
        assert_eq!(key("re\u{301}gime", DEFAULT), "r\u{E9}gime");
    }

    #[test]
    fn latin1_keys_are_the_general_keys() {
        let chars: Vec<char> = ('\u{C0}'..='\u{FF}')
            .chain([
                '’', '\u{AD}', 'a', 'Z', '\'', '-', '5', 'ß', 'µ', '\u{301}', 'Σ',
            ])
            .collect();
        for opts in [
            DEFAULT,
            KeyOptions {
                case_sensitive: true,
                ..DEFAULT
            },
        ] {
            for &a in &chars {
                for &b in &chars {
                    let text: String = ['x', a, b, 'É'].iter().collect();
                    let (mut fast, mut slow) = (String::new(), String::new());
                    key_into(&text, opts, &mut fast);
                    key_slow(&text, opts, &mut slow);
                    assert_eq!(fast, slow, "{text:?} {opts:?}");
                }
            }
        }
        assert_eq!(key("ÄRGER über Öl", DEFAULT), "ärger über öl");
    }

    #[test]
    fn ascii_key_bridges_are_exactly_the_non_ascii_characters_with_ascii_keys() {
        let sensitive = KeyOptions {
            case_sensitive: true,
            ..DEFAULT
        };
        let found: Vec<char> = (0x80u32..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| {
                let s = c.to_string();
                key(&s, DEFAULT).is_ascii() || key(&s, sensitive).is_ascii()
            })
            .collect();
        assert_eq!(found, ASCII_KEY_BRIDGES);
    }

    #[test]
    fn options_keep_case_and_fold_diacritics() {
        let cs = KeyOptions {
            case_sensitive: true,
            ..DEFAULT
        };
        assert_eq!(key("Stalin", cs), "Stalin");
        let fd = KeyOptions {
            fold_diacritics: true,
            ..DEFAULT
        };
        assert_eq!(key("Élite", fd), "elite");
        assert_eq!(key("de\u{301}nouement", fd), "denouement");
        assert_eq!(fold_diacritics("Dénouement"), "Denouement");
    }
}
