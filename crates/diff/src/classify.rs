//! Kinds, classes and details of variants, and the rules that assign them.

use std::collections::HashMap;
use std::fmt;

use lectio_text::{fold_diacritics, key_into, KeyOptions};
use serde::{Serialize, Serializer};
use unicode_normalization::UnicodeNormalization;

use crate::DiffError;

/// What happened to the text between base and witness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The witness reads something else where the base has a reading.
    Substitution,
    /// The witness lacks a reading of the base.
    Omission,
    /// The witness has a reading the base lacks.
    Addition,
    /// A word or passage stands elsewhere in the witness.
    Transposition,
}

impl Kind {
    /// All kinds, in the order summaries list them.
    pub const ALL: [Kind; 4] = [
        Kind::Substitution,
        Kind::Omission,
        Kind::Addition,
        Kind::Transposition,
    ];

    /// The lower-case name used in CSV and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Substitution => "substitution",
            Kind::Omission => "omission",
            Kind::Addition => "addition",
            Kind::Transposition => "transposition",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether a variant changes the words or only their form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// The words differ (or moved).
    Substantive,
    /// The readings differ only in form: see [`Details`].
    Accidental,
}

impl Class {
    /// The lower-case name used in CSV and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Class::Substantive => "substantive",
            Class::Accidental => "accidental",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One way in which two readings can differ only in form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Detail {
    /// Upper against lower case ("english" / "English").
    Case,
    /// Punctuation other than quotation marks and dashes is added, dropped or changed.
    Punctuation,
    /// Quotation marks or apostrophes differ (`”` / `“` / `"`, `’` / `'`).
    QuotationMarks,
    /// Dashes differ (`—` / `–` / `--`).
    Dashes,
    /// Diacritics differ ("régime" / "regime").
    Diacritics,
    /// Word division: hyphenation or spacing ("to-day" / "today", "down-to-earth" /
    /// "down to earth", a word broken at a line end).
    WordDivision,
    /// Equivalent spellings from a spelling list ("defence" / "defense").
    Spelling,
}

impl Detail {
    /// All details, in the order they are listed.
    pub const ALL: [Detail; 7] = [
        Detail::Case,
        Detail::Punctuation,
        Detail::QuotationMarks,
        Detail::Dashes,
        Detail::Diacritics,
        Detail::WordDivision,
        Detail::Spelling,
    ];

    /// The name used in the `detail` column.
    pub fn name(self) -> &'static str {
        match self {
            Detail::Case => "case",
            Detail::Punctuation => "punctuation",
            Detail::QuotationMarks => "quotation marks",
            Detail::Dashes => "dashes",
            Detail::Diacritics => "diacritics",
            Detail::WordDivision => "word division",
            Detail::Spelling => "spelling",
        }
    }

    /// The name as an XML token (TEI `@cause`): spaces become hyphens.
    pub fn token(self) -> &'static str {
        match self {
            Detail::QuotationMarks => "quotation-marks",
            Detail::WordDivision => "word-division",
            d => d.name(),
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// Parses a name as written on the command line (`quotation-marks`, `quotes`,
    /// `word-division`, `hyphenation`, ...).
    pub fn parse(s: &str) -> Option<Detail> {
        let s = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Some(match s.as_str() {
            "case" => Detail::Case,
            "punctuation" | "punct" => Detail::Punctuation,
            "quotation-marks" | "quotes" | "quotation" | "apostrophes" => Detail::QuotationMarks,
            "dashes" | "dash" => Detail::Dashes,
            "diacritics" | "accents" => Detail::Diacritics,
            "word-division" | "hyphenation" | "division" => Detail::WordDivision,
            "spelling" => Detail::Spelling,
            _ => return None,
        })
    }
}

/// A set of [`Detail`]s; shown as their names joined by `;` ("case;punctuation").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Details(u8);

impl Details {
    /// No detail (the `detail` of substantive variants).
    pub const NONE: Details = Details(0);

    /// True when the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Adds `d`.
    pub fn insert(&mut self, d: Detail) {
        self.0 |= d.bit();
    }

    /// True when `d` is in the set.
    pub fn contains(self, d: Detail) -> bool {
        self.0 & d.bit() != 0
    }

    /// The union of two sets.
    pub fn union(self, other: Details) -> Details {
        Details(self.0 | other.0)
    }

    /// True when every detail of `self` is in `other`.
    pub fn is_subset(self, other: Details) -> bool {
        self.0 & !other.0 == 0
    }

    /// The details in the set, in [`Detail::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Detail> {
        Detail::ALL.into_iter().filter(move |d| self.contains(*d))
    }

    fn single(d: Detail) -> Details {
        Details(d.bit())
    }
}

impl FromIterator<Detail> for Details {
    fn from_iter<I: IntoIterator<Item = Detail>>(iter: I) -> Self {
        let mut set = Details::NONE;
        for d in iter {
            set.insert(d);
        }
        set
    }
}

impl fmt::Display for Details {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(";")?;
            }
            f.write_str(d.name())?;
        }
        Ok(())
    }
}

impl Serialize for Details {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Which variants to leave out of a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ignore {
    /// Drop every accidental variant.
    pub accidentals: bool,
    /// Drop accidental variants all of whose details are in this set.
    pub details: Details,
}

impl Ignore {
    /// Parses `accidentals`, or a comma-separated list of details
    /// (`case,punctuation,quotation-marks,dashes,diacritics,word-division,spelling`).
    pub fn parse(spec: &str) -> Result<Ignore, DiffError> {
        let mut ignore = Ignore::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let lower = part.to_ascii_lowercase();
            if lower == "accidentals" || lower == "accidental" {
                ignore.accidentals = true;
            } else if let Some(d) = Detail::parse(part) {
                ignore.details.insert(d);
            } else {
                return Err(DiffError::Ignore(part.to_string()));
            }
        }
        Ok(ignore)
    }

    /// Merges two sets of things to ignore.
    pub fn union(self, other: Ignore) -> Ignore {
        Ignore {
            accidentals: self.accidentals || other.accidentals,
            details: self.details.union(other.details),
        }
    }

    /// True when a variant of this class and detail is to be dropped.
    pub fn drops(self, class: Class, details: Details) -> bool {
        class == Class::Accidental
            && (self.accidentals || (!details.is_empty() && details.is_subset(self.details)))
    }
}

/// Equivalent spellings: words that count as the same word, differing only in spelling.
///
/// Read from a list with one set of equivalent spellings per line, separated by commas
/// (`defence,defense`; `connexion,connection`); blank lines and lines starting with `#`
/// are skipped. Matching ignores case and diacritics.
#[derive(Debug, Clone, Default)]
pub struct Spelling {
    canon: HashMap<String, String>,
}

impl Spelling {
    /// Parses a spelling list.
    pub fn parse(text: &str) -> Result<Spelling, DiffError> {
        let mut spelling = Spelling::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<&str> = line
                .split(',')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .collect();
            if words.len() < 2 {
                return Err(DiffError::Spelling {
                    line: i + 1,
                    message: format!(
                        "expected two or more spellings separated by commas, got {line:?}"
                    ),
                });
            }
            if let Some(w) = words.iter().find(|w| w.split_whitespace().count() > 1) {
                return Err(DiffError::Spelling {
                    line: i + 1,
                    message: format!("{w:?} is not one word"),
                });
            }
            spelling.add(&words);
        }
        Ok(spelling)
    }

    /// Adds one set of equivalent spellings.
    pub fn add(&mut self, words: &[&str]) {
        let keys: Vec<String> = words.iter().map(|w| spelling_key(w)).collect();
        // Union: every member of the new set and of any set it touches gets one canonical
        // form, the least key, so the result does not depend on line order.
        let mut members: Vec<String> = keys.clone();
        for k in &keys {
            if let Some(c) = self.canon.get(k).cloned() {
                members.extend(
                    self.canon
                        .iter()
                        .filter(|(_, v)| **v == c)
                        .map(|(k, _)| k.clone()),
                );
            }
        }
        members.sort();
        members.dedup();
        let canon = members[0].clone();
        for m in members {
            self.canon.insert(m, canon.clone());
        }
    }

    /// True when no spellings were given.
    pub fn is_empty(&self) -> bool {
        self.canon.is_empty()
    }

    /// The canonical form of a word's spelling key (`key` as made by the aligner), if
    /// the word is in the list.
    pub(crate) fn canonical(&self, key: &str) -> Option<&str> {
        self.canon.get(key).map(String::as_str)
    }
}

/// The key under which a spelling is looked up: case-folded, diacritics and hyphens gone.
pub(crate) fn spelling_key(word: &str) -> String {
    let mut out = String::new();
    loose_key_into(word, &mut out);
    out
}

/// The alignment key of a word: case folded, diacritics folded, hyphens and soft hyphens
/// dropped, `’` read as `'`.
pub(crate) fn loose_key_into(word: &str, out: &mut String) {
    key_into(
        word,
        KeyOptions {
            case_sensitive: false,
            fold_diacritics: true,
        },
        out,
    );
    if out.contains(is_hyphen) {
        out.retain(|c| !is_hyphen(c));
    }
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{AD}')
}

/// True for quotation marks and apostrophes.
pub(crate) fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '\u{2018}'..='\u{201F}'
            | '\u{AB}'
            | '\u{BB}'
            | '\u{2039}'
            | '\u{203A}'
            | '`'
            | '\u{B4}'
            | '\u{301D}'..='\u{301F}'
            | '\u{FF02}'
    )
}

/// True for dashes (a single `-` used as a dash counts too).
pub(crate) fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2012}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
    )
}

/// The class of a punctuation token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PunctClass {
    Quote,
    Dash,
    Other,
}

pub(crate) fn punct_class(tok: &str) -> PunctClass {
    let mut chars = tok
        .chars()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c));
    match chars.next() {
        Some(c) if is_quote(c) => PunctClass::Quote,
        Some(c) if is_dash(c) && chars.all(is_dash) => PunctClass::Dash,
        _ => PunctClass::Other,
    }
}

/// The detail a difference in this punctuation token falls under.
pub(crate) fn punct_detail(tok: &str) -> Detail {
    match punct_class(tok) {
        PunctClass::Quote => Detail::QuotationMarks,
        PunctClass::Dash => Detail::Dashes,
        PunctClass::Other => Detail::Punctuation,
    }
}

/// The form under which two tokens count as identical: NFC, soft hyphens and joiners
/// dropped. Anything else (case, quotes, diacritics) is a difference.
pub(crate) fn exact(tok: &str) -> std::borrow::Cow<'_, str> {
    if tok.is_ascii() {
        return tok.into();
    }
    tok.chars()
        .filter(|c| !matches!(c, '\u{AD}' | '\u{200C}' | '\u{200D}'))
        .nfc()
        .collect::<String>()
        .into()
}

/// A token of a reading, as the classifier sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok<'a> {
    pub text: &'a str,
    pub word: bool,
}

/// Normalizations a classifier may apply to words.
#[derive(Clone, Copy)]
struct Norms {
    case: bool,
    diacritics: bool,
    quotes: bool,
    division: bool,
    spelling: bool,
}

const WORD_DETAILS: [Detail; 5] = [
    Detail::Case,
    Detail::Diacritics,
    Detail::QuotationMarks,
    Detail::WordDivision,
    Detail::Spelling,
];

impl Norms {
    fn all() -> Norms {
        Norms {
            case: true,
            diacritics: true,
            quotes: true,
            division: true,
            spelling: true,
        }
    }

    fn without(mut self, d: Detail) -> Norms {
        match d {
            Detail::Case => self.case = false,
            Detail::Diacritics => self.diacritics = false,
            Detail::QuotationMarks => self.quotes = false,
            Detail::WordDivision => self.division = false,
            Detail::Spelling => self.spelling = false,
            Detail::Punctuation | Detail::Dashes => {}
        }
        self
    }

    fn apply(self, words: &[&str], spelling: &Spelling) -> String {
        let mut out = String::new();
        let mut buf = String::new();
        for (i, w) in words.iter().enumerate() {
            let mut s = exact(w).into_owned();
            if self.quotes {
                s = s
                    .chars()
                    .map(|c| if is_quote(c) { '\'' } else { c })
                    .collect();
            }
            if self.spelling && !spelling.is_empty() {
                loose_key_into(&s, &mut buf);
                if let Some(c) = spelling.canonical(&buf) {
                    s = with_case_of(c, &s);
                }
            }
            if self.diacritics {
                s = fold_diacritics(&s);
            }
            if self.case {
                s = caseless_fold(&s);
            }
            if self.division {
                s.retain(|c| !is_hyphen(c));
            } else if i > 0 {
                out.push(' ');
            }
            out.push_str(&s);
        }
        out
    }
}

/// `canon` (lower case) in the case pattern of `word`: all capitals, capitalized, or lower.
fn with_case_of(canon: &str, word: &str) -> String {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let first_upper = letters.next().is_some_and(char::is_uppercase);
    let rest_upper = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .skip(1)
        .all(char::is_uppercase);
    if first_upper && rest_upper && word.chars().filter(|c| c.is_alphabetic()).count() > 1 {
        canon.to_uppercase()
    } else if first_upper {
        let mut cs = canon.chars();
        cs.next()
            .map(|c| c.to_uppercase().chain(cs).collect())
            .unwrap_or_default()
    } else {
        canon.to_string()
    }
}

fn caseless_fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    caseless::default_case_fold_str(s).nfc().collect()
}

/// Classifies a substitution, omission or addition whose readings are `base` and `wit`
/// (tokens in reading order). Word changes make it substantive; otherwise the details say
/// which formal differences there are.
pub(crate) fn classify(base: &[Tok], wit: &[Tok], spelling: &Spelling) -> (Class, Details) {
    let bw: Vec<&str> = base.iter().filter(|t| t.word).map(|t| t.text).collect();
    let ww: Vec<&str> = wit.iter().filter(|t| t.word).map(|t| t.text).collect();
    let mut details = Details::NONE;
    if !bw.is_empty() || !ww.is_empty() {
        let all = Norms::all();
        if all.apply(&bw, spelling) != all.apply(&ww, spelling) {
            return (Class::Substantive, Details::NONE);
        }
        for d in WORD_DETAILS {
            let n = all.without(d);
            if n.apply(&bw, spelling) != n.apply(&ww, spelling) {
                details.insert(d);
            }
        }
        if details.is_empty() {
            // The difference is covered by more than one normalization; name the first
            // that explains it alone.
            let none = Norms {
                case: false,
                diacritics: false,
                quotes: false,
                division: false,
                spelling: false,
            };
            for d in WORD_DETAILS {
                let only = match d {
                    Detail::Case => Norms { case: true, ..none },
                    Detail::Diacritics => Norms {
                        diacritics: true,
                        ..none
                    },
                    Detail::QuotationMarks => Norms {
                        quotes: true,
                        ..none
                    },
                    Detail::WordDivision => Norms {
                        division: true,
                        ..none
                    },
                    _ => Norms {
                        spelling: true,
                        ..none
                    },
                };
                if only.apply(&bw, spelling) == only.apply(&ww, spelling) {
                    details.insert(d);
                    break;
                }
            }
            if details.is_empty() {
                details.insert(Detail::Spelling);
            }
        }
    }
    // Punctuation: what is in one reading and not in the other (as multisets).
    let mut bp: Vec<String> = base
        .iter()
        .filter(|t| !t.word)
        .map(|t| exact(t.text).into_owned())
        .collect();
    let mut wp: Vec<String> = wit
        .iter()
        .filter(|t| !t.word)
        .map(|t| exact(t.text).into_owned())
        .collect();
    if details.contains(Detail::WordDivision) {
        // A hyphen at a line break is part of the word division.
        let hyphen = |p: &String| p == "-" || p == "\u{2010}";
        bp.retain(|p| !hyphen(p));
        wp.retain(|p| !hyphen(p));
    }
    bp.sort();
    wp.sort();
    if bp != wp {
        let (mut i, mut j) = (0, 0);
        while i < bp.len() || j < wp.len() {
            match (bp.get(i), wp.get(j)) {
                (Some(a), Some(b)) if a == b => {
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a < b => {
                    details.insert(punct_detail(a));
                    i += 1;
                }
                (Some(a), None) => {
                    details.insert(punct_detail(a));
                    i += 1;
                }
                (_, Some(b)) => {
                    details.insert(punct_detail(b));
                    j += 1;
                }
                (None, None) => break,
            }
        }
    }
    if details.is_empty() {
        // Readings identical in every respect we know of: call it what it most likely is.
        details = Details::single(Detail::Punctuation);
    }
    (Class::Accidental, details)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok<'_>> {
        lectio_text::Tokenizer::new(s)
            .map(|t| Tok {
                text: t.text(s),
                word: t.kind != lectio_text::TokenKind::Punct,
            })
            .collect()
    }

    fn class(a: &str, b: &str) -> (Class, String) {
        class_with(a, b, &Spelling::default())
    }

    fn class_with(a: &str, b: &str, sp: &Spelling) -> (Class, String) {
        let (c, d) = classify(&toks(a), &toks(b), sp);
        (c, d.to_string())
    }

    #[test]
    fn formal_differences_are_accidental_with_their_detail() {
        assert_eq!(
            class("english", "English"),
            (Class::Accidental, "case".into())
        );
        assert_eq!(
            class("régime", "regime"),
            (Class::Accidental, "diacritics".into())
        );
        assert_eq!(
            class("to-day", "today"),
            (Class::Accidental, "word division".into())
        );
        assert_eq!(
            class("down-to-earth", "down to earth"),
            (Class::Accidental, "word division".into())
        );
        assert_eq!(
            class("hyphen-\nation", "hyphenation"),
            (Class::Accidental, "word division".into())
        );
        assert_eq!(
            class("”", "“"),
            (Class::Accidental, "quotation marks".into())
        );
        assert_eq!(
            class("Russia’s", "Russia's"),
            (Class::Accidental, "quotation marks".into())
        );
        assert_eq!(class("—", "--"), (Class::Accidental, "dashes".into()));
        assert_eq!(class(";", ","), (Class::Accidental, "punctuation".into()));
        assert_eq!(
            class("To-day,", "today"),
            (Class::Accidental, "case;punctuation;word division".into())
        );
    }

    #[test]
    fn word_changes_are_substantive() {
        assert_eq!(class("heel,", "been"), (Class::Substantive, String::new()));
        assert_eq!(class("he", ""), (Class::Substantive, String::new()));
        assert_eq!(
            class("defence", "defense"),
            (Class::Substantive, String::new())
        );
    }

    #[test]
    fn spelling_pairs_come_from_the_list() {
        let sp =
            Spelling::parse("# British, American\ndefence,defense\n\ncolour, color\n").unwrap();
        assert_eq!(
            class_with("defence", "defense", &sp),
            (Class::Accidental, "spelling".into())
        );
        assert_eq!(
            class_with("Colour", "color", &sp),
            (Class::Accidental, "case;spelling".into())
        );
        assert!(matches!(
            Spelling::parse("ok,fine\nlonely\n"),
            Err(DiffError::Spelling { line: 2, .. })
        ));
    }

    #[test]
    fn ignore_parses_names_and_drops_only_covered_accidentals() {
        let ig = Ignore::parse("case,quotation-marks").unwrap();
        assert!(ig.drops(Class::Accidental, Details::single(Detail::Case)));
        let mixed: Details = [Detail::Case, Detail::Punctuation].into_iter().collect();
        assert!(!ig.drops(Class::Accidental, mixed));
        assert!(!ig.drops(Class::Substantive, Details::NONE));
        assert!(Ignore::parse("accidentals")
            .unwrap()
            .drops(Class::Accidental, mixed));
        assert!(Ignore::parse("nonsense").is_err());
    }
}
