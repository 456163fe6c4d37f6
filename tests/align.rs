//! `lectio align` and `lectio kwic --parallel` on the essay and its German translation.

mod common;

use common::*;

const DE: &str = "deutscher-1956-khrushchev-on-stalin.de.txt";

fn align(args: &[&str]) -> Vec<Vec<String>> {
    let mut all = vec!["align"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "csv"]);
    let run = lectio(&all);
    assert_eq!(run.code, 0, "{run:?}");
    let rows = csv_rows(&run.stdout);
    assert_eq!(
        rows[0],
        [
            "source_start",
            "source_end",
            "target_start",
            "target_end",
            "source_text",
            "target_text",
            "bead",
            "cost"
        ]
    );
    rows[1..].to_vec()
}

fn beads(rows: &[Vec<String>]) -> Vec<&str> {
    rows.iter().map(|r| r[6].as_str()).collect()
}

#[test]
fn essay_and_german_paragraphs_are_all_one_to_one() {
    let (en, de) = (essay(), text(DE));
    let rows = align(&[
        en.to_str().unwrap(),
        de.to_str().unwrap(),
        "--level",
        "paragraph",
    ]);
    assert_eq!(rows.len(), 60);
    assert!(beads(&rows).iter().all(|b| *b == "1-1"));
    // Offsets slice both files to exactly the texts shown.
    let (en_text, de_text) = (essay_text(), std::fs::read_to_string(de).unwrap());
    for r in &rows {
        let (a, b): (usize, usize) = (r[0].parse().unwrap(), r[1].parse().unwrap());
        let (c, d): (usize, usize) = (r[2].parse().unwrap(), r[3].parse().unwrap());
        assert_eq!(
            (&en_text[a..b], &de_text[c..d]),
            (r[4].as_str(), r[5].as_str())
        );
    }
}

#[test]
fn sentences_of_the_monolithic_paragraph_line_up_with_the_german() {
    let (en, de) = (essay(), text(DE));
    let rows = align(&[en.to_str().unwrap(), de.to_str().unwrap()]);
    assert_eq!(rows.len(), 248);
    let i = rows
        .iter()
        .position(|r| r[4].starts_with("These were not just bygones."))
        .unwrap();
    let pairs: Vec<(&str, &str, &str)> = rows[i..i + 5]
        .iter()
        .map(|r| (r[4].as_str(), r[5].as_str(), r[6].as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("These were not just bygones.", "Dies waren nicht bloß vergangene Dinge.", "1-1"),
            (
                "Nor was Khrushchev merely crying over spilled blood.",
                "Auch weinte Chruschtschow nicht bloß über vergossenes Blut.",
                "1-1"
            ),
            (
                "Willy-nilly, he has exploded the idea of the monolithic party and of the monolithic state in which all must think alike.",
                "Wohl oder übel hat er die Idee der monolithischen Partei und des monolithischen Staates, in dem alle gleich denken müssen, gesprengt.",
                "1-1"
            ),
            (
                "In terms of a historical revision he has proclaimed a new principle legalizing a plurality of views, differences of opinion, and controversy.",
                "In Form einer historischen Revision hat er ein neues Prinzip verkündet, das eine Vielfalt von Ansichten, Meinungsverschiedenheiten und Kontroversen legalisiert.",
                "1-1"
            ),
            (
                "He further justified and enhanced this new attitude by rejecting emphatically Stalin's theory which had served as the moral excuse for government by terror, the theory that as Russia advances along the road to socialism class conflicts grow sharper and ”class enemies” become more dangerous.",
                "Er rechtfertigte und bekräftigte diese neue Haltung ferner, indem er nachdrücklich Stalins Theorie verwarf, die als moralische Entschuldigung für die Herrschaft durch Terror gedient hatte, die Theorie, dass sich die Klassenkonflikte verschärfen und die „Klassenfeinde“ gefährlicher werden, je weiter Russland auf dem Weg zum Sozialismus vorankommt.",
                "1-1"
            ),
        ]
    );
}

/// The beads that are not 1-1, with the start of their source text.
fn not_one_to_one(rows: &[Vec<String>]) -> Vec<(&str, &str)> {
    rows.iter()
        .filter(|r| r[6] != "1-1")
        .map(|r| (r[6].as_str(), &r[4][..30]))
        .collect()
}

/// The index of the paragraph of the third chapter in the German text.
fn third_chapter(paras: &[String]) -> usize {
    paras
        .iter()
        .position(|s| s.starts_with("Im dritten und letzten Kapitel"))
        .unwrap()
}

/// The German text with its paragraphs (separated by blank lines) edited by `f`.
fn edited_german(f: impl FnOnce(&mut Vec<String>)) -> String {
    let de = std::fs::read_to_string(text(DE)).unwrap();
    let mut paras: Vec<String> = de.split("\n\n").map(String::from).collect();
    f(&mut paras);
    paras.join("\n\n")
}

#[test]
fn a_missing_paragraph_is_one_omission_and_the_rest_stays_aligned() {
    let dir = tempfile::tempdir().unwrap();
    let mut removed = String::new();
    let de = edited_german(|p| {
        let i = third_chapter(p);
        removed = p.remove(i);
    });
    assert!(removed.ends_with("Das Machtmonopol erreichte seinen Höhepunkt."));
    let path = write(dir.path(), "de-missing.txt", de.as_bytes());
    let en = essay();
    let rows = align(&[en.to_str().unwrap(), &path, "--level", "paragraph"]);
    let not_one = not_one_to_one(&rows);
    assert_eq!(not_one, [("1-0", "In the third and final chapter")]);
    assert_eq!(rows.len(), 60);
    // Sentence level: the paragraph's sentences have no counterpart; all others 1-1.
    let rows = align(&[en.to_str().unwrap(), &path]);
    let counts = |b: &str| rows.iter().filter(|r| r[6] == b).count();
    assert_eq!((counts("1-0"), counts("1-1"), rows.len()), (2, 246, 248));
}

#[test]
fn a_split_paragraph_is_one_to_two() {
    let dir = tempfile::tempdir().unwrap();
    let de = edited_german(|p| {
        let i = third_chapter(p);
        let cut = p[i].find(" Das Machtmonopol").unwrap();
        let (a, b) = p[i].split_at(cut);
        let (a, b) = (a.to_string(), b.trim_start().to_string());
        p[i] = a;
        p.insert(i + 1, b);
    });
    let path = write(dir.path(), "de-split.txt", de.as_bytes());
    let en = essay();
    let rows = align(&[en.to_str().unwrap(), &path, "--level", "paragraph"]);
    let not_one = not_one_to_one(&rows);
    assert_eq!(not_one, [("1-2", "In the third and final chapter")]);
    let rows = align(&[en.to_str().unwrap(), &path]);
    assert!(
        beads(&rows).iter().all(|b| *b == "1-1"),
        "{:?}",
        beads(&rows)
    );
}

#[test]
fn parallel_kwic_shows_the_aligned_sentence_both_ways() {
    let (en, de) = (essay(), text(DE));
    let (en, de) = (en.to_str().unwrap(), de.to_str().unwrap());
    let run = lectio(&[
        "kwic",
        "monolithic",
        en,
        "--parallel",
        de,
        "--words",
        "2",
        "--format",
        "csv",
        "--limit",
        "1",
    ]);
    assert_eq!(
        run.stdout,
        format!(
            "doc,line,column,start,end,left,match,right,parallel_start,parallel_end,parallel_text\n\
             {en},50,153,13383,13393,of the ”,monolithic,” party was,15176,15237,\
             Das Prinzip der „monolithischen“ Partei wurde verkündet.\n"
        )
    );
    let run = lectio(&[
        "kwic",
        "monolithisch*",
        de,
        "--parallel",
        en,
        "--words",
        "0",
        "--format",
        "csv",
    ]);
    let rows = csv_rows(&run.stdout);
    let back: Vec<(&str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[6].as_str(), r[10].as_str()))
        .collect();
    let willy = "Willy-nilly, he has exploded the idea of the monolithic party and of the monolithic state in which all must think alike.";
    assert_eq!(
        back,
        [
            (
                "monolithischen",
                "The principle of the ”monolithic” party was proclaimed."
            ),
            ("monolithischen", willy),
            ("monolithischen", willy),
        ]
    );
    let run = lectio(&["kwic", "x", en, de, "--parallel", de]);
    assert_eq!(run.code, 2);
}

#[test]
fn lossy_placeholders_show_as_replacement_characters_in_the_file_that_had_them() {
    // The source's invalid byte is read with --lossy and shown as U+FFFD; the
    // translation's own U+001A stays what it is.
    let dir = tempfile::tempdir().unwrap();
    let src = write(
        dir.path(),
        "a.txt",
        b"One sentence here. Another \xff one.\n",
    );
    let tgt = write(dir.path(), "b.txt", b"Ein Satz hier. Noch \x1a einer.\n");
    let rows = align(&[&src, &tgt, "--lossy"]);
    assert_eq!(
        rows,
        [
            [
                "0",
                "18",
                "0",
                "14",
                "One sentence here.",
                "Ein Satz hier.",
                "1-1",
                "0.21"
            ],
            [
                "19",
                "33",
                "15",
                "28",
                "Another \u{FFFD} one.",
                "Noch \u{1A} einer.",
                "1-1",
                "0.2196"
            ],
        ]
    );
}
