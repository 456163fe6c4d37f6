//! TEI P5 parallel segmentation of a [`Collation`], written with quick-xml.
//!
//! Shape:
//!
//! ```xml
//! <TEI xmlns="http://www.tei-c.org/ns/1.0">
//!   <teiHeader>... <listWit><witness xml:id="base">texts/base.txt</witness>...</listWit>
//!     <encodingDesc><variantEncoding method="parallel-segmentation" location="internal"/>
//!       <classDecl><taxonomy xml:id="lectio-details"><category xml:id="case">...</taxonomy>
//!   </teiHeader>
//!   <text><body><p>... text where all agree ...
//!     <app type="substantive"><lem wit="#base #w3">heel,</lem>
//!       <rdg wit="#w2" type="substantive">been</rdg></app> ...</p></body></text>
//! </TEI>
//! ```
//!
//! One `<app>` per varying segment; `<lem>` holds the base's reading and lists the base
//! and every witness that agrees with it; one `<rdg>` per distinct reading, listing the
//! witnesses that share it, with `@type` = class (`substantive`, `accidental`) and, for
//! accidentals, `@ana` pointing at the details' categories. An omission is an explicit
//! empty `<rdg/>`. A transposition has `@cause="transposition"` on both of its readings:
//! the empty one where the passage left (`xml:id="W-m1-from"`) and the one where it landed
//! (`xml:id="W-m1-to"`), each pointing at the other with `@corresp`. `@type` on `<app>` is
//! `substantive` when any reading is. Paragraphs of the base become `<p>`.
//!
//! The document is well-formed XML 1.0 or not written at all: a character XML 1.0 does not
//! allow (a C0 control other than tab, line feed and carriage return, or U+FFFE, U+FFFF)
//! in anything that would be written is a [`TeiError`] naming the witness, the character
//! and its byte offset, and nothing is written. Such a character cannot be written even as
//! a character reference (`&#1;` is not well-formed), and dropping or replacing it would
//! silently alter the witness.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use crate::classify::{Class, Detail, Kind};
use crate::collate::{collapse, Collation, Reading, Witness};

/// Why a TEI document could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TeiError {
    /// A witness's text to be written holds a character XML 1.0 does not allow.
    #[error("{name}: U+{:04X} at byte offset {offset} cannot be written in TEI: XML 1.0 does not allow the character", u32::from(*ch))]
    Char {
        /// Index of the witness (into [`Collation::witnesses`]).
        witness: usize,
        /// Its name.
        name: String,
        /// The character.
        ch: char,
        /// Its byte offset in the witness's text.
        offset: usize,
    },
    /// A witness name holds a character XML 1.0 does not allow.
    #[error("witness name {name:?}: U+{:04X} cannot be written in TEI: XML 1.0 does not allow the character", u32::from(*ch))]
    Name {
        /// Index of the witness.
        witness: usize,
        /// The name.
        name: String,
        /// The character.
        ch: char,
    },
    /// The title holds a character XML 1.0 does not allow.
    #[error("title {title:?}: U+{:04X} cannot be written in TEI: XML 1.0 does not allow the character", u32::from(*ch))]
    Title {
        /// The title.
        title: String,
        /// The character.
        ch: char,
    },
    /// Writing failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// True for the characters XML 1.0 does not allow anywhere in a document, not even as
/// character references: C0 controls other than tab, LF and CR, and U+FFFE, U+FFFF
/// (surrogates cannot occur in a Rust string).
pub fn xml_forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// The first character of `s` that XML 1.0 does not allow, with its byte offset in `s`;
/// with `placeholder`, U+001A is allowed (it is written as U+FFFD); with `collapsed`,
/// whitespace is (vertical tab and form feed are whitespace: collapsed, they are not
/// written).
fn first_forbidden(s: &str, placeholder: bool, collapsed: bool) -> Option<(usize, char)> {
    s.char_indices().find(|&(_, c)| {
        xml_forbidden(c) && !(placeholder && c == PLACEHOLDER) && !(collapsed && c.is_whitespace())
    })
}

/// The character lossy loading puts for an invalid byte.
const PLACEHOLDER: char = lectio_text::LOSSY_PLACEHOLDER as char;

/// May `c` start an XML name (NameStartChar of XML 1.0, 5th edition, without `:`, so that
/// the id is an NCName)?
fn name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// May `c` continue an XML name (NameChar, without `:`)?
fn name_char(c: char) -> bool {
    name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// XML ids for witness names: the file name without `.txt`, each character an NCName may
/// not hold made `_`, `w` in front when it may not start one; unique.
pub fn sigla(names: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    names
        .iter()
        .map(|name| {
            let stem = std::path::Path::new(name)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| name.clone());
            let stem = stem.strip_suffix(".txt").unwrap_or(&stem);
            let mut id: String = stem
                .chars()
                .map(|c| if name_char(c) { c } else { '_' })
                .collect();
            if !id.starts_with(name_start) {
                id.insert(0, 'w');
            }
            let base = id.clone();
            let mut n = 2;
            while !seen.insert(id.clone()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            id
        })
        .collect()
}

struct Tei<W: Write> {
    xml: Writer<W>,
}

impl<W: Write> Tei<W> {
    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        let mut el = BytesStart::new(name);
        for &(k, v) in attrs {
            el.push_attribute((k, v));
        }
        self.xml.write_event(Event::Start(el))
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        let mut el = BytesStart::new(name);
        for &(k, v) in attrs {
            el.push_attribute((k, v));
        }
        self.xml.write_event(Event::Empty(el))
    }

    fn end(&mut self, name: &str) -> io::Result<()> {
        self.xml.write_event(Event::End(BytesEnd::new(name)))
    }

    fn text(&mut self, s: &str) -> io::Result<()> {
        if s.is_empty() {
            return Ok(());
        }
        if s.contains('\r') {
            // A raw CR would be read back as LF: write it as a character reference.
            let escaped = quick_xml::escape::escape(s).replace('\r', "&#13;");
            return self
                .xml
                .write_event(Event::Text(BytesText::from_escaped(escaped)));
        }
        self.xml.write_event(Event::Text(BytesText::new(s)))
    }

    fn element(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
        if text.is_empty() {
            return self.empty(name, attrs);
        }
        self.start(name, attrs)?;
        self.text(text)?;
        self.end(name)
    }

    /// A `<lem>` or `<rdg>` of a reading in pieces, a paragraph break between two pieces
    /// marked `<milestone unit="paragraph"/>` (a reading cannot hold a `<p>`).
    fn reading(&mut self, name: &str, attrs: &[(&str, &str)], pieces: &[String]) -> io::Result<()> {
        if let [one] = pieces {
            return self.element(name, attrs, one);
        }
        self.start(name, attrs)?;
        for (i, piece) in pieces.iter().enumerate() {
            if i > 0 {
                self.empty("milestone", &[("unit", "paragraph")])?;
            }
            self.text(piece)?;
        }
        self.end(name)
    }

    fn nl(&mut self) -> io::Result<()> {
        self.text("\n")
    }
}

fn wit_list(sigla: &[String], witnesses: &[usize]) -> String {
    witnesses
        .iter()
        .map(|&x| format!("#{}", sigla[x]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The witnesses' texts, for the exact readings to write.
struct Texts<'a> {
    witnesses: &'a [Witness<'a>],
    placeholders: &'a [bool],
}

impl<'a> Texts<'a> {
    /// Witness `x`'s text `start..end` as it is written, refused if XML cannot hold it; lossy
    /// loading's placeholders shown as U+FFFD.
    fn token(&self, x: usize, start: usize, end: usize) -> Result<Cow<'a, str>, TeiError> {
        self.checked(x, start, end, false)
    }

    /// Witness `x`'s reading `start..end`, one piece per paragraph it touches (a reading
    /// can span a paragraph break), each with whitespace collapsed; refused if XML cannot
    /// hold it; lossy loading's placeholders shown as U+FFFD.
    fn reading(&self, x: usize, start: usize, end: usize) -> Result<Vec<String>, TeiError> {
        let s = self.checked(x, start, end, true)?;
        let mut pieces: Vec<String> = Vec::new();
        let mut para: Option<(u32, usize, usize)> = None;
        for tok in lectio_text::Tokenizer::new(&s) {
            para = match para {
                Some((p, from, _)) if p == tok.para => Some((p, from, tok.end)),
                Some((_, from, to)) => {
                    pieces.push(collapse(&s[from..to]));
                    Some((tok.para, tok.start, tok.end))
                }
                None => Some((tok.para, tok.start, tok.end)),
            };
        }
        match para {
            Some((_, from, to)) => pieces.push(collapse(&s[from..to])),
            None => pieces.push(collapse(&s)),
        }
        Ok(pieces)
    }

    fn checked(
        &self,
        x: usize,
        start: usize,
        end: usize,
        collapsed: bool,
    ) -> Result<Cow<'a, str>, TeiError> {
        let w = &self.witnesses[x];
        let s = &w.text[start..end];
        let placeholder = self.placeholders.get(x).copied().unwrap_or(false);
        if let Some((i, ch)) = first_forbidden(s, placeholder, collapsed) {
            return Err(TeiError::Char {
                witness: x,
                name: w.name.to_string(),
                ch,
                offset: start + i,
            });
        }
        Ok(if placeholder && s.contains(PLACEHOLDER) {
            Cow::Owned(s.replace(PLACEHOLDER, "\u{FFFD}"))
        } else {
            Cow::Borrowed(s)
        })
    }
}

/// Writes `collation` of `witnesses` (the texts it was made from, in the same order) as a
/// TEI P5 document; `title` goes into the header. `placeholders[x]` is true when the
/// U+001A characters of witness `x` are the placeholders lossy loading put for invalid
/// bytes: they are written as U+FFFD (missing entries count as false).
///
/// A character XML 1.0 does not allow in a witness name, the title or a text to be written
/// is an error ([`TeiError`]) and then nothing is written to `out`: the document is built
/// in memory first.
pub fn write<W: Write>(
    mut out: W,
    collation: &Collation,
    witnesses: &[Witness],
    title: &str,
    placeholders: &[bool],
) -> Result<(), TeiError> {
    debug_assert_eq!(witnesses.len(), collation.witnesses.len());
    for (x, name) in collation.witnesses.iter().enumerate() {
        if let Some((_, ch)) = first_forbidden(name, false, false) {
            return Err(TeiError::Name {
                witness: x,
                name: name.clone(),
                ch,
            });
        }
    }
    if let Some((_, ch)) = first_forbidden(title, false, false) {
        return Err(TeiError::Title {
            title: title.to_string(),
            ch,
        });
    }
    let texts = Texts {
        witnesses,
        placeholders,
    };
    let mut buf = Vec::new();
    write_document(&mut buf, collation, &texts, title)?;
    out.write_all(&buf)?;
    Ok(())
}

fn write_document(
    buf: &mut Vec<u8>,
    collation: &Collation,
    texts: &Texts,
    title: &str,
) -> Result<(), TeiError> {
    let base = collation.base;
    let base_text = texts.witnesses[base].text;
    let sig = sigla(&collation.witnesses);
    let mut t = Tei {
        xml: Writer::new(buf),
    };
    t.xml
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    t.nl()?;
    t.start("TEI", &[("xmlns", "http://www.tei-c.org/ns/1.0")])?;
    t.nl()?;
    t.start("teiHeader", &[])?;
    t.start("fileDesc", &[])?;
    t.start("titleStmt", &[])?;
    t.element("title", &[], title)?;
    t.end("titleStmt")?;
    t.start("publicationStmt", &[])?;
    t.element("p", &[], "Generated by lectio diff/collate.")?;
    t.end("publicationStmt")?;
    t.nl()?;
    t.start("sourceDesc", &[])?;
    t.nl()?;
    t.start("listWit", &[])?;
    t.nl()?;
    for (x, name) in collation.witnesses.iter().enumerate() {
        t.element("witness", &[("xml:id", &sig[x])], name)?;
        t.nl()?;
    }
    t.end("listWit")?;
    t.nl()?;
    t.end("sourceDesc")?;
    t.end("fileDesc")?;
    t.nl()?;
    t.start("encodingDesc", &[])?;
    t.empty(
        "variantEncoding",
        &[
            ("method", "parallel-segmentation"),
            ("location", "internal"),
        ],
    )?;
    t.nl()?;
    t.start("classDecl", &[])?;
    t.start("taxonomy", &[("xml:id", "lectio-details")])?;
    t.nl()?;
    for d in Detail::ALL {
        t.start("category", &[("xml:id", d.token())])?;
        t.element("catDesc", &[], &format!("accidental: {}", d.name()))?;
        t.end("category")?;
        t.nl()?;
    }
    t.end("taxonomy")?;
    t.end("classDecl")?;
    t.end("encodingDesc")?;
    t.nl()?;
    t.end("teiHeader")?;
    t.nl()?;
    t.start("text", &[])?;
    t.start("body", &[])?;
    t.nl()?;
    t.start("p", &[])?;

    let entries = collation.apparatus();
    let mut next_entry = entries.iter().peekable();
    let base_cells: Vec<_> = collation
        .segments
        .iter()
        .map(|s| &s.cells[collation.base])
        .collect();
    // The base's tokens again, for paragraph breaks and spacing between segments.
    let toks: Vec<lectio_text::Token> = lectio_text::Tokenizer::new(base_text).collect();
    let mut last_end: Option<usize> = None;
    let mut opened_with_addition = false;
    let mut para = toks.first().map_or(0, |t| t.para);
    for (s, seg) in collation.segments.iter().enumerate() {
        let r = seg.base_tokens();
        let is_app = next_entry.peek().is_some_and(|e| e.segment == s);
        if !is_app {
            for &tok in &toks[r.start as usize..r.end as usize] {
                if tok.para != para {
                    t.end("p")?;
                    t.nl()?;
                    t.start("p", &[])?;
                    para = tok.para;
                } else if let Some(e) = last_end {
                    if e < tok.start && base_text[e..tok.start].chars().any(char::is_whitespace) {
                        t.text(" ")?;
                    }
                } else if opened_with_addition
                    && base_text[tok.start..].starts_with(char::is_alphanumeric)
                {
                    // The text opens with an addition: keep its last word apart from ours.
                    t.text(" ")?;
                }
                t.text(&texts.token(base, tok.start, tok.end)?)?;
                last_end = Some(tok.end);
            }
            continue;
        }
        let entry = next_entry.next().expect("peeked");
        // Space before the app: as in the base before its first token; for an addition, as
        // in the first witness that has it.
        if let (Some(e), false) = (last_end, r.is_empty()) {
            let first = toks[r.start as usize];
            if first.para != para {
                t.end("p")?;
                t.nl()?;
                t.start("p", &[])?;
                para = first.para;
            } else if base_text[e..first.start].chars().any(char::is_whitespace) {
                t.text(" ")?;
            }
        } else if r.is_empty() && last_end.is_some() {
            // Spaced off when the first witness that has it has whitespace before it.
            let spaced = entry.readings.first().is_some_and(|rd| {
                let x = rd.witnesses[0];
                let w = texts.witnesses[x].text;
                w[..seg.cells[x].start]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_whitespace)
            });
            if spaced {
                t.text(" ")?;
            }
        }
        let app_type = if entry
            .readings
            .iter()
            .any(|rd| rd.class == Some(Class::Substantive))
        {
            "substantive"
        } else {
            "accidental"
        };
        t.start("app", &[("type", app_type)])?;
        let lem_wits = wit_list(&sig, &entry.lemma.witnesses);
        let lem = &base_cells[s];
        t.reading(
            "lem",
            &[("wit", &lem_wits)],
            &texts.reading(base, lem.start, lem.end)?,
        )?;
        for rd in &entry.readings {
            // The reading as its first witness has it (the others differ at most in
            // whitespace).
            let x = rd.witnesses[0];
            let cell = &seg.cells[x];
            let text = texts.reading(x, cell.start, cell.end)?;
            write_rdg(&mut t, &sig, rd, &text)?;
        }
        t.end("app")?;
        if !r.is_empty() {
            last_end = Some(toks[r.end as usize - 1].end);
        } else if last_end.is_none() {
            opened_with_addition = true;
        }
    }
    t.end("p")?;
    t.nl()?;
    t.end("body")?;
    t.end("text")?;
    t.nl()?;
    t.end("TEI")?;
    t.nl()?;
    Ok(())
}

fn write_rdg<W: Write>(
    t: &mut Tei<W>,
    sig: &[String],
    rd: &Reading,
    text: &[String],
) -> io::Result<()> {
    let wits = wit_list(sig, &rd.witnesses);
    let class = rd.class.map_or("substantive", Class::name);
    let mut attrs: Vec<(&str, String)> = vec![("wit", wits), ("type", class.to_string())];
    if rd.class == Some(Class::Accidental) && !rd.detail.is_empty() {
        let ana = rd
            .detail
            .iter()
            .map(|d| format!("#{}", d.token()))
            .collect::<Vec<_>>()
            .join(" ");
        attrs.push(("ana", ana));
    }
    if rd.kind == Some(Kind::Transposition) {
        if let Some(m) = &rd.move_id {
            let w = &sig[rd.witnesses[0]];
            let (me, other) = if rd.move_landed {
                ("to", "from")
            } else {
                ("from", "to")
            };
            attrs.push(("cause", "transposition".to_string()));
            attrs.push(("xml:id", format!("{w}-{m}-{me}")));
            attrs.push(("corresp", format!("#{w}-{m}-{other}")));
        }
    }
    let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    t.reading("rdg", &attrs, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{collate, Options};

    #[test]
    fn the_characters_xml_forbids() {
        let forbidden: Vec<u32> = (0..0x11_0000)
            .filter_map(char::from_u32)
            .filter(|&c| xml_forbidden(c))
            .map(u32::from)
            .collect();
        let mut expected: Vec<u32> = (0..0x20).filter(|c| ![9, 10, 13].contains(c)).collect();
        expected.extend([0xFFFE, 0xFFFF]);
        assert_eq!(forbidden, expected);
    }

    #[test]
    fn sigla_are_ncnames() {
        let names: Vec<String> = [
            "texts/1859.txt",
            "ª².txt",
            "café au lait.txt",
            "a:b.txt",
            "x.txt",
            "dir/x.txt",
            "·x",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            sigla(&names),
            ["w1859", "__", "café_au_lait", "a_b", "x", "x-2", "w·x"]
        );
    }

    #[test]
    fn an_addition_is_spaced_as_its_witness_has_it() {
        let spaced = tei(&["The cat sat.", "The cat sat “here”."], &[]).unwrap();
        assert!(spaced.contains("sat <app type=\"substantive\"><lem wit=\"#a\"/><rdg wit=\"#b\" type=\"substantive\">“here”</rdg></app>.</p>"), "{spaced}");
        let glued = tei(&["The cat sat.", "The cat sat,here."], &[]).unwrap();
        assert!(glued.contains("sat<app"), "{glued}");
    }

    #[test]
    fn a_paragraph_break_inside_a_reading_is_a_milestone() {
        let xml = tei(
            &["One two below.\n\nHis three four.", "One two three four."],
            &[],
        )
        .unwrap();
        assert!(
            xml.contains(
                "<p>One two <app type=\"substantive\"><lem wit=\"#a\">below.<milestone \
                 unit=\"paragraph\"/>His</lem><rdg wit=\"#b\" type=\"substantive\"/></app></p>\n\
                 <p>three four.</p>"
            ),
            "{xml}"
        );
        // In a reading too, and a CRLF blank line is a break as well.
        let xml = tei(&["A b c d.", "A b x.\r\n\r\ny c d."], &[]).unwrap();
        assert!(
            xml.contains("x.<milestone unit=\"paragraph\"/>y</rdg>"),
            "{xml}"
        );
    }

    fn tei(texts: &[&str], placeholders: &[bool]) -> Result<String, TeiError> {
        let names = ["a", "b"];
        let ws: Vec<Witness> = texts
            .iter()
            .zip(names)
            .map(|(t, n)| Witness { name: n, text: t })
            .collect();
        let c = collate(&ws, 0, &Options::default()).unwrap();
        let mut out = Vec::new();
        let written = write(&mut out, &c, &ws, "t", placeholders);
        match written {
            Ok(()) => Ok(String::from_utf8(out).unwrap()),
            Err(e) => {
                assert!(out.is_empty(), "nothing is written on an error");
                Err(e)
            }
        }
    }

    fn body(xml: &str) -> &str {
        let start = xml.find("<body>").unwrap();
        &xml[start..xml.find("</body>").unwrap() + 7]
    }

    #[test]
    fn forbidden_characters_are_refused_with_witness_and_offset() {
        // In the base's own text, in a lemma, in a reading.
        let err = tei(&["The cat\u{1} sat.", "The cat\u{1} sat."], &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a: U+0001 at byte offset 7 cannot be written in TEI: XML 1.0 does not allow the character"
        );
        let err = tei(&["The cat\u{1} sat.", "The dog sat."], &[]).unwrap_err();
        assert!(matches!(
            err,
            TeiError::Char {
                witness: 0,
                offset: 7,
                ch: '\u{1}',
                ..
            }
        ));
        let err = tei(&["The cat sat.", "The dog\u{FFFF} sat."], &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "b: U+FFFF at byte offset 7 cannot be written in TEI: XML 1.0 does not allow the character"
        );
        // Vertical tab and form feed are whitespace: collapsed, not written, no error.
        let xml = tei(
            &["The cat\u{b} sat.\u{c}On", "The dog\u{c}\u{c}sat. On"],
            &[],
        )
        .unwrap();
        assert_eq!(
            body(&xml),
            "<body>\n<p>The <app type=\"substantive\"><lem wit=\"#a\">cat</lem>\
<rdg wit=\"#b\" type=\"substantive\">dog</rdg></app> sat. On</p>\n</body>"
        );
        // Lossy loading's placeholder is U+FFFD, only in the witnesses that have them.
        let xml = tei(&["The \u{1A}cat sat.", "The dog\u{1A} sat."], &[true, true]).unwrap();
        assert_eq!(
            body(&xml),
            "<body>\n<p>The <app type=\"substantive\"><lem wit=\"#a\">\u{FFFD}cat</lem>\
<rdg wit=\"#b\" type=\"substantive\">dog\u{FFFD}</rdg></app> sat.</p>\n</body>"
        );
        let err = tei(&["The \u{1A}cat sat.", "The dog\u{1A} sat."], &[true]).unwrap_err();
        assert!(matches!(
            err,
            TeiError::Char {
                witness: 1,
                offset: 7,
                ch: '\u{1A}',
                ..
            }
        ));
    }
}
