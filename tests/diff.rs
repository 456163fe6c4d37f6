//! `lectio diff` and `lectio collate` on the essay's witnesses and on small texts written
//! here. These tests need nothing outside the repository.

mod common;

use common::*;

const EMENDED: &str = "deutscher-1956-khrushchev-on-stalin.emended.txt";
const PLAIN: &str = "deutscher-1956-khrushchev-on-stalin.plain.txt";

const COLUMNS: [&str; 14] = [
    "id",
    "witness",
    "kind",
    "class",
    "detail",
    "base_line",
    "base_start",
    "base_end",
    "base_text",
    "witness_line",
    "witness_start",
    "witness_end",
    "witness_text",
    "move",
];

/// One CSV row of `lectio diff`, by column name.
#[derive(Debug, Clone)]
struct Row(Vec<String>);

impl Row {
    fn get(&self, col: &str) -> &str {
        &self.0[COLUMNS.iter().position(|c| *c == col).unwrap()]
    }
    fn num(&self, col: &str) -> usize {
        self.get(col).parse().unwrap()
    }
}

fn diff_rows(args: &[&str]) -> Vec<Row> {
    let mut all = vec!["diff", "--format", "csv", "--raw-csv"];
    all.extend_from_slice(args);
    let run = lectio(&all);
    assert_eq!(run.code, 0, "{run:?}");
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows[0], COLUMNS);
    rows[1..].iter().cloned().map(Row).collect()
}

fn p(path: &std::path::Path) -> &str {
    path.to_str().unwrap()
}

/// The emendations listed in texts/README.md: (line, transcription, emended).
fn listed_emendations() -> Vec<(usize, String, String)> {
    let readme = std::fs::read_to_string(text("README.md")).unwrap();
    let section = readme
        .split("### Emendations (complete list)")
        .nth(1)
        .expect("README lists the emendations");
    let mut out = Vec::new();
    for line in section.lines().skip_while(|l| !l.starts_with('|')) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let Ok(n) = cells[0].parse::<usize>() else {
            continue;
        };
        let unquote = |s: &str| s.trim_matches('`').to_string();
        out.push((n, unquote(cells[1]), unquote(cells[2])));
    }
    assert!(!out.is_empty());
    out
}

#[test]
fn essay_against_emended_gives_exactly_the_listed_emendations_and_the_quote_marks() {
    let rows = diff_rows(&[p(&essay()), p(&text(EMENDED))]);
    let (quotes, words): (Vec<&Row>, Vec<&Row>) = rows
        .iter()
        .partition(|r| r.get("detail") == "quotation marks");
    // Every opening mark ” became “: accidental, one row each.
    assert_eq!(quotes.len(), 59);
    for r in &quotes {
        assert_eq!(
            (
                r.get("kind"),
                r.get("class"),
                r.get("base_text"),
                r.get("witness_text")
            ),
            ("substitution", "accidental", "”", "“"),
            "{r:?}"
        );
        assert_eq!(r.num("base_end") - r.num("base_start"), 3);
    }
    // The other rows are the emendations of texts/README.md, no more and no fewer.
    let found: Vec<(usize, String, String)> = words
        .iter()
        .map(|r| {
            (
                r.num("base_line"),
                r.get("base_text").into(),
                r.get("witness_text").into(),
            )
        })
        .collect();
    assert_eq!(found, listed_emendations());
    let classes: Vec<(&str, &str, &str)> = words
        .iter()
        .map(|r| (r.get("kind"), r.get("class"), r.get("detail")))
        .collect();
    assert_eq!(
        classes,
        [
            ("substitution", "substantive", ""),
            ("substitution", "substantive", ""),
            // english -> English changes only the case: the same word.
            ("substitution", "accidental", "case"),
        ]
    );
    // Offsets are into each file as on disk.
    let base = essay_text();
    let emended = std::fs::read_to_string(text(EMENDED)).unwrap();
    for r in &rows {
        assert_eq!(
            &base[r.num("base_start")..r.num("base_end")],
            r.get("base_text")
        );
        assert_eq!(
            &emended[r.num("witness_start")..r.num("witness_end")],
            r.get("witness_text")
        );
    }
    let heel = words
        .iter()
        .find(|r| r.get("base_text") == "heel,")
        .unwrap();
    assert_eq!(
        (heel.num("base_start"), heel.num("base_end")),
        (32691, 32696)
    );
    assert_eq!(
        (heel.num("witness_start"), heel.num("witness_end")),
        (32691, 32695)
    );
}

#[test]
fn essay_against_plain_has_no_substantive_row() {
    let rows = diff_rows(&[p(&essay()), p(&text(PLAIN))]);
    assert!(!rows.is_empty());
    for r in &rows {
        assert_eq!(r.get("class"), "accidental", "{r:?}");
        assert!(
            ["quotation marks", "dashes", "diacritics"].contains(&r.get("detail")),
            "{r:?}"
        );
    }
    let count = |d: &str| rows.iter().filter(|r| r.get("detail") == d).count();
    // 118 ” and the one ’ of Victors’; 18 em dashes; 5 words with diacritics.
    assert_eq!(
        (
            count("quotation marks"),
            count("dashes"),
            count("diacritics")
        ),
        (119, 18, 5)
    );
    let run = lectio(&[
        "diff",
        p(&essay()),
        p(&text(PLAIN)),
        "--ignore",
        "accidentals",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0);
    assert_eq!(
        csv_rows(&run.stdout).len(),
        1,
        "only the header: {}",
        run.stdout
    );
    assert!(run.stderr.contains("0 variants"), "{}", run.stderr);
}

/// The essay with each line re-wrapped at `width` columns (blank lines kept).
fn rewrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut col = 0;
        for (k, word) in line.split(' ').enumerate() {
            if k > 0 {
                if col + 1 + word.chars().count() > width {
                    out.push('\n');
                    col = 0;
                } else {
                    out.push(' ');
                    col += 1;
                }
            }
            out.push_str(word);
            col += word.chars().count();
        }
    }
    out
}

#[test]
fn rewrapped_crlf_and_nfd_copies_give_no_rows() {
    let dir = tempfile::tempdir().unwrap();
    let base = essay_text();
    let nfd = base.replace('é', "e\u{301}").replace('â', "a\u{302}");
    assert_ne!(nfd, base);
    let copies = [
        ("rewrapped.txt", rewrap(&base, 40)),
        ("crlf.txt", base.replace('\n', "\r\n")),
        ("nfd.txt", nfd),
    ];
    for (name, body) in copies {
        let path = write(dir.path(), name, body.as_bytes());
        let run = lectio(&["diff", p(&essay()), &path, "--format", "csv"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(csv_rows(&run.stdout).len(), 1, "{name}: {}", run.stdout);
        assert!(run.stderr.contains("0 variants"), "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains("similarity 1.0000"),
            "{name}: {}",
            run.stderr
        );
    }
}

const SWAP_BASE: &str = "They differ more from each other than do wild ones. The night was cold. \
A new day dawned on the hills. Then it rained.";
const SWAP_WIT: &str = "They differ from each other more than do wild ones. A new day dawned on \
the hills. The night was cold. Then it rained.";

#[test]
fn an_adjacent_swap_and_a_moved_sentence_are_one_transposition_row_each() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", SWAP_BASE.as_bytes());
    let b = write(dir.path(), "b.txt", SWAP_WIT.as_bytes());
    let rows = diff_rows(&[&a, &b]);
    type Moved<'a> = (
        &'a str,
        usize,
        usize,
        &'a str,
        usize,
        usize,
        &'a str,
        &'a str,
    );
    let got: Vec<Moved> = rows
        .iter()
        .map(|r| {
            (
                r.get("kind"),
                r.num("base_start"),
                r.num("base_end"),
                r.get("base_text"),
                r.num("witness_start"),
                r.num("witness_end"),
                r.get("witness_text"),
                r.get("move"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("transposition", 12, 16, "more", 28, 32, "more", "m1"),
            (
                "transposition",
                52,
                71,
                "The night was cold.",
                83,
                102,
                "The night was cold.",
                "m2"
            ),
        ]
    );
    assert!(rows.iter().all(|r| r.get("class") == "substantive"));
}

#[test]
fn substitution_omission_and_addition_rows_with_offsets_and_classes() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.txt",
        "He has, after all, heel, unable really to see the english coast.\n\nIt was to-day."
            .as_bytes(),
    );
    let b = write(
        dir.path(),
        "b.txt",
        "He has, after all, been unable to see the English coast clearly.\n\nIt was today;"
            .as_bytes(),
    );
    let rows = diff_rows(&[&a, &b]);
    let got: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| {
            [
                "kind",
                "class",
                "detail",
                "base_line",
                "base_start",
                "base_end",
                "base_text",
                "witness_line",
                "witness_start",
                "witness_end",
                "witness_text",
            ]
            .iter()
            .map(|c| r.get(c))
            .collect()
        })
        .collect();
    assert_eq!(
        got,
        [
            vec![
                "substitution",
                "substantive",
                "",
                "1",
                "19",
                "24",
                "heel,",
                "1",
                "19",
                "23",
                "been"
            ],
            vec![
                "omission",
                "substantive",
                "",
                "1",
                "32",
                "38",
                "really",
                "1",
                "30",
                "30",
                ""
            ],
            vec![
                "substitution",
                "accidental",
                "case",
                "1",
                "50",
                "57",
                "english",
                "1",
                "42",
                "49",
                "English"
            ],
            vec![
                "addition",
                "substantive",
                "",
                "1",
                "63",
                "63",
                "",
                "1",
                "56",
                "63",
                "clearly"
            ],
            vec![
                "substitution",
                "accidental",
                "word division",
                "3",
                "73",
                "79",
                "to-day",
                "3",
                "73",
                "78",
                "today"
            ],
            vec![
                "substitution",
                "accidental",
                "punctuation",
                "3",
                "79",
                "80",
                ".",
                "3",
                "78",
                "79",
                ";"
            ],
        ]
    );
}

#[test]
fn spelling_list_makes_equivalent_spellings_accidental() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", b"The defence of the colour.");
    let b = write(dir.path(), "b.txt", b"The defense of the color.");
    let sp = write(
        dir.path(),
        "spelling.txt",
        b"# British,American\ndefence,defense\ncolour,color\n",
    );
    let rows = diff_rows(&[&a, &b, "--spelling", &sp]);
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .all(|r| r.get("class") == "accidental" && r.get("detail") == "spelling"));
    let rows = diff_rows(&[&a, &b, "--spelling", &sp, "--ignore", "spelling"]);
    assert!(rows.is_empty());
    let run = lectio(&["diff", &a, &b, "--ignore", "nonsense"]);
    assert_eq!(run.code, 2, "{run:?}");
    // A byte-order mark is not part of the first spelling.
    let bom = write(dir.path(), "bom.txt", b"\xef\xbb\xbfdefence,defense\n");
    let rows = diff_rows(&[&a, &b, "--spelling", &bom]);
    assert_eq!(rows[0].get("detail"), "spelling");
    // Invalid UTF-8 is reported with its line and byte offset.
    let bad = write(dir.path(), "bad.txt", b"defence,defense\n\xff\n");
    let run = lectio(&["diff", &a, &b, "--spelling", &bad]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "lectio: error: {bad}: invalid UTF-8 at line 2, byte offset 16 (the --spelling list)\n"
        )
    );
}

#[test]
fn inline_view_marks_variants_in_the_base() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", SWAP_BASE.as_bytes());
    let b = write(dir.path(), "b.txt", SWAP_WIT.as_bytes());
    let run = lectio(&["diff", &a, &b, "--format", "inline"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "They differ [-more-]>m1 from each other {+more+}<m1 than do wild ones. \
[-The night was cold.-]>m2 A new day dawned on the hills. {+The night was cold.+}<m2 Then it rained.\n"
    );
    let run = lectio(&[
        "diff",
        p(&essay()),
        p(&text(EMENDED)),
        "--ignore",
        "quotation-marks",
        "--context",
        "2",
    ]);
    assert_eq!(
        run.stdout,
        "@@ line 100 @@\ncan immediately [-he-]{+be+} available. To\n\n\
@@ line 102 @@\nafter all, [-heel,-]{+been+} unable to\n\n\
@@ line 117 @@\nFor an [-english-]{+English+} translation of\n"
    );
}

/// A minimal well-formedness check: tags balance and attributes are quoted.
fn balanced(xml: &str) -> bool {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect();
        if tag.starts_with('/') {
            if stack.pop().as_deref() != Some(name.as_str()) {
                return false;
            }
        } else if !tag.ends_with('/') {
            stack.push(name);
        }
    }
    stack.is_empty()
}

#[test]
fn tei_is_parallel_segmentation_with_a_witness_list() {
    let run = lectio(&["diff", p(&essay()), p(&text(EMENDED)), "--format", "tei"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let xml = &run.stdout;
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(balanced(xml));
    assert!(
        xml.contains("<variantEncoding method=\"parallel-segmentation\" location=\"internal\"/>")
    );
    assert!(xml.contains("<witness xml:id=\"deutscher-1956-khrushchev-on-stalin\">"));
    assert!(xml.contains(
        "<app type=\"substantive\"><lem wit=\"#deutscher-1956-khrushchev-on-stalin\">heel,</lem>\
<rdg wit=\"#deutscher-1956-khrushchev-on-stalin.emended\" type=\"substantive\">been</rdg></app>"
    ));
    assert!(xml.contains("type=\"accidental\" ana=\"#quotation-marks\">“</rdg>"));
    assert_eq!(xml.matches("<app ").count(), 62);

    // An omission is an explicit empty reading; a move links where it left and landed.
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", SWAP_BASE.as_bytes());
    let b = write(dir.path(), "b.txt", b"They differ from each other more than do wild ones. The night was. A new day dawned on the hills. Then rained.");
    let run = lectio(&["diff", &a, &b, "--format", "tei"]);
    assert!(balanced(&run.stdout));
    assert!(
        run.stdout
            .contains("<rdg wit=\"#b\" type=\"substantive\"/>"),
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains("cause=\"transposition\" xml:id=\"b-m1-from\" corresp=\"#b-m1-to\"/>"));
    assert!(run
        .stdout
        .contains("cause=\"transposition\" xml:id=\"b-m1-to\" corresp=\"#b-m1-from\">more</rdg>"));
}

#[test]
fn collatex_json_is_accepted_and_collate_does_not_depend_on_witness_order() {
    let dir = tempfile::tempdir().unwrap();
    let json = r#"{"witnesses": [
        {"id": "A", "content": "the black cat sat on the mat"},
        {"id": "B", "content": "the white cat sat on a mat"},
        {"id": "C", "content": "the black and white cat sat on the mat"},
        {"id": "D", "content": "the black cat sat upon the mat"}]}"#;
    let path = write(dir.path(), "cats.json", json.as_bytes());
    let table = |order: &[&str]| -> Vec<Vec<String>> {
        let mut files = Vec::new();
        for id in order {
            let content = match *id {
                "A" => "the black cat sat on the mat",
                "B" => "the white cat sat on a mat",
                "C" => "the black and white cat sat on the mat",
                _ => "the black cat sat upon the mat",
            };
            files.push(write(dir.path(), id, content.as_bytes()));
        }
        let mut args = vec!["collate", "--format", "csv"];
        args.extend(files.iter().map(String::as_str));
        let run = lectio(&args);
        assert_eq!(run.code, 0, "{run:?}");
        let rows = csv_rows(&run.stdout);
        // Columns back in A B C D order.
        let idx: Vec<usize> = ["A", "B", "C", "D"]
            .iter()
            .map(|id| rows[0].iter().position(|h| h.ends_with(id)).unwrap())
            .collect();
        rows[1..]
            .iter()
            .map(|r| idx.iter().map(|&i| r[i].clone()).collect())
            .collect()
    };
    let abcd = table(&["A", "B", "C", "D"]);
    assert_eq!(abcd, table(&["A", "D", "C", "B"]));
    assert_eq!(abcd, table(&["A", "C", "B", "D"]));
    assert_eq!(
        abcd,
        [
            vec!["the", "the", "the", "the"],
            vec!["black", "white", "black", "black"],
            vec!["", "", "and white", ""],
            vec!["cat sat", "cat sat", "cat sat", "cat sat"],
            vec!["on", "on", "on", "upon"],
            vec!["the", "a", "the", "the"],
            vec!["mat", "mat", "mat", "mat"],
        ]
    );
    // The same witnesses from CollateX JSON: the same table.
    let run = lectio(&["collate", &path, "--format", "csv"]);
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows[0], ["A", "B", "C", "D"]);
    assert_eq!(rows[1..].to_vec(), abcd);
    // The apparatus groups the witnesses that agree.
    let run = lectio(&["collate", &path, "--apparatus", "--format", "csv"]);
    let app = csv_rows(&run.stdout);
    assert_eq!(
        app[1],
        [
            "1",
            "1",
            "4",
            "9",
            "black",
            "A C D",
            "B",
            "substitution",
            "substantive",
            "",
            "white",
            ""
        ]
    );
    // diff takes the JSON's witnesses too, the first as the base unless --base says.
    let rows = diff_rows(&[&path, "--base", "B"]);
    assert_eq!(rows[0].get("witness"), "A");
    assert_eq!(
        (rows[0].get("base_text"), rows[0].get("witness_text")),
        ("white", "black")
    );
}

#[test]
fn json_rows_and_exit_status() {
    let run = lectio(&[
        "diff",
        p(&essay()),
        p(&text(EMENDED)),
        "--format",
        "json",
        "--ignore",
        "quotation-marks",
    ]);
    assert_eq!(run.code, 0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1]["base_text"], "heel,");
    assert_eq!(rows[1]["kind"], "substitution");
    assert_eq!(rows[1]["move"], serde_json::Value::Null);
    // Identical texts: no variant, still exit 0.
    let run = lectio(&["diff", p(&essay()), p(&essay()), "--format", "csv"]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("0 variants"));
    // One witness only is a usage error.
    let run = lectio(&["diff", p(&essay())]);
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn collate_apparatus_base_text_is_the_exact_slice_of_the_base_file() {
    // A paragraph break, CRLF line endings, a line break and a double space inside lemmas.
    let dir = tempfile::tempdir().unwrap();
    let base_bytes =
        b"One two below.\r\n\r\nHis three four.\r\nThe cat  sat on\r\nthe mat, and slept.\r\n";
    let base = write(dir.path(), "b.txt", base_bytes);
    let w1 = write(
        dir.path(),
        "w1.txt",
        b"One two three four.\r\nThe dog sat upon a mat and slept soundly.\r\n",
    );
    let w2 = write(
        dir.path(),
        "w2.txt",
        b"One two below.\n\nHis three four.\nThe kitten lay\non the old mat, and slept.\n",
    );
    let args = |format: &str| -> Run {
        let run = lectio(&[
            "collate",
            &base,
            &w1,
            &w2,
            "--apparatus",
            "--format",
            format,
        ]);
        assert_eq!(run.code, 0, "{run:?}");
        run
    };
    // (base_line, base_start, base_end, base_text, witnesses, reading) of every row.
    let expected: Vec<(usize, usize, usize, &str, &str, &str)> = vec![
        (1, 8, 21, "below.\r\n\r\nHis", "w1.txt", ""),
        (4, 39, 47, "cat  sat", "w1.txt", "dog sat"),
        (4, 39, 47, "cat  sat", "w2.txt", "kitten lay"),
        (4, 48, 55, "on\r\nthe", "w1.txt", "upon a"),
        (5, 55, 55, "", "w2.txt", "old"),
        (5, 59, 60, ",", "w1.txt", ""),
        (5, 70, 70, "", "w1.txt", "soundly"),
    ];
    let check = |rows: Vec<(usize, usize, usize, String, String, String)>| {
        for (line, start, end, text, _, _) in &rows {
            assert_eq!(
                &base_bytes[*start..*end],
                text.as_bytes(),
                "line {line}: base[{start}..{end}] is not base_text"
            );
        }
        let got: Vec<(usize, usize, usize, &str, &str, &str)> = rows
            .iter()
            .map(|(l, s, e, t, w, r)| {
                (
                    *l,
                    *s,
                    *e,
                    t.as_str(),
                    w.rsplit('/').next().unwrap(),
                    r.as_str(),
                )
            })
            .collect();
        assert_eq!(got, expected);
    };
    for format in ["csv", "tsv"] {
        let run = args(format);
        let delimiter = if format == "tsv" { b'\t' } else { b',' };
        let records: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .delimiter(delimiter)
            .from_reader(run.stdout.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(
            records[0],
            [
                "id",
                "base_line",
                "base_start",
                "base_end",
                "base_text",
                "agree",
                "witnesses",
                "kind",
                "class",
                "detail",
                "reading",
                "move"
            ]
        );
        check(
            records[1..]
                .iter()
                .map(|r| {
                    (
                        r[1].parse().unwrap(),
                        r[2].parse().unwrap(),
                        r[3].parse().unwrap(),
                        r[4].clone(),
                        r[6].clone(),
                        r[10].clone(),
                    )
                })
                .collect(),
        );
    }
    let run = args("json");
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let num = |x: &serde_json::Value| x.as_u64().unwrap() as usize;
    let s = |x: &serde_json::Value| x.as_str().unwrap().to_string();
    check(
        v["apparatus"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    num(&r["base_line"]),
                    num(&r["base_start"]),
                    num(&r["base_end"]),
                    s(&r["base_text"]),
                    s(&r["witnesses"]),
                    s(&r["reading"]),
                )
            })
            .collect(),
    );
    // The alignment table stays a reading view, whitespace collapsed.
    assert_eq!(v["table"][1][0], "below. His");
    assert_eq!(v["table"][3][0], "cat sat");
}

#[test]
fn a_witness_id_given_twice_is_an_input_error_naming_the_file_and_the_id() {
    let dir = tempfile::tempdir().unwrap();
    let dup = write(
        dir.path(),
        "dup.json",
        br#"{"witnesses":[{"id":"A","content":"the cat"},{"id":"A","content":"the dog"}]}"#,
    );
    let report = dir.path().join("v.csv");
    for cmd in ["diff", "collate"] {
        let run = lectio(&[cmd, &dup, "-o", report.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(
            run.stderr,
            format!(
                "lectio: error: {dup}: CollateX JSON: duplicate witness id \"A\" (witnesses 1 and 2)\n"
            )
        );
        assert_eq!(run.stdout, "");
        assert!(!report.exists());
    }
    // In a list of units, an id once per unit is one witness; twice in a unit is an error.
    let units = write(
        dir.path(),
        "units.json",
        br#"[{"witnesses":[{"id":"A","content":"one"},{"id":"B","content":"uno"}]},
             {"witnesses":[{"id":"B","content":"dos"},{"id":"A","content":"two"},{"id":"B","content":"tres"}]}]"#,
    );
    let run = lectio(&["collate", &units]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stderr,
        format!(
            "lectio: error: {units}: CollateX JSON: duplicate witness id \"B\" (unit 2, witnesses 1 and 3)\n"
        )
    );
    // The same id from two files could not be told apart in the report either.
    let ab = br#"{"witnesses":[{"id":"A","content":"the cat"},{"id":"B","content":"the dog"}]}"#;
    let first = write(dir.path(), "first.json", ab);
    let second = write(dir.path(), "second.json", ab);
    let run = lectio(&["diff", &first, &second]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stderr,
        format!(
            "lectio: error: {second}: witness name \"A\" is already taken by a witness of {first} (witness names must be unique)\n"
        )
    );
    // The same file given twice is still allowed.
    let run = lectio(&["diff", &first, &first, "--format", "csv"]);
    assert_eq!(run.code, 0, "{run:?}");
}

/// True when `xml` holds no character XML 1.0 forbids (C0 controls but tab, LF and CR;
/// U+FFFE, U+FFFF).
fn xml_chars(xml: &str) -> bool {
    !xml.chars().any(|c| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    })
}

#[test]
fn tei_refuses_characters_xml_forbids_naming_file_character_and_offset() {
    let dir = tempfile::tempdir().unwrap();
    let c1 = write(dir.path(), "c1.txt", b"The cat\x01 sat.\n");
    let c2 = write(dir.path(), "c2.txt", b"The dog sat.\n");
    let xml = dir.path().join("v.xml");
    let message = |file: &str, ch: &str, offset: usize| {
        format!(
            "lectio: error: {file}: {ch} at byte offset {offset} cannot be written in TEI: \
XML 1.0 does not allow the character (remove it, or use --format csv or json)\n"
        )
    };
    for cmd in ["diff", "collate"] {
        // To a file: no report; to stdout: nothing at all.
        let run = lectio(&[
            cmd,
            &c1,
            &c2,
            "--format",
            "tei",
            "-o",
            xml.to_str().unwrap(),
        ]);
        assert_eq!(
            (run.code, run.stderr.as_str()),
            (1, message(&c1, "U+0001", 7).as_str())
        );
        assert!(!xml.exists());
        let run = lectio(&[cmd, &c2, &c1, "--format", "tei"]);
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (1, "", message(&c1, "U+0001", 7).as_str())
        );
    }
    // A NUL read with --binary; U+FFFE and U+FFFF, valid UTF-8 that XML still forbids.
    let nul = write(dir.path(), "nul.txt", b"The cat sat\x00.\n");
    let run = lectio(&["diff", &nul, &c2, "--binary", "--format", "tei"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (1, message(&nul, "U+0000", 11).as_str())
    );
    let fffe = write(dir.path(), "fffe.txt", "The \u{FFFE}dog sat.\n".as_bytes());
    let run = lectio(&["collate", &c2, &fffe, "--format", "tei"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (1, message(&fffe, "U+FFFE", 4).as_str())
    );
    let ffff = write(dir.path(), "ffff.txt", "The dog sat.\u{FFFF}\n".as_bytes());
    let run = lectio(&["diff", &c2, &ffff, "--format", "tei"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (1, message(&ffff, "U+FFFF", 12).as_str())
    );
    // CollateX JSON: the file, the witness, the offset in its content.
    let json = write(
        dir.path(),
        "w.json",
        br#"{"witnesses":[{"id":"A","content":"the cat"},{"id":"B","content":"the \u0002dog"}]}"#,
    );
    let run = lectio(&["diff", &json, "--format", "tei"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            format!(
                "lectio: error: {json}: witness \"B\": U+0002 at byte offset 4 of its content \
cannot be written in TEI: XML 1.0 does not allow the character (remove it, or use --format csv or json)\n"
            )
            .as_str()
        )
    );
    // CSV and JSON carry the character as it is.
    let run = lectio(&["diff", &c1, &c2, "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v[0]["base_text"], "cat\u{1}");

    // Form feed and vertical tab are whitespace, never written: the TEI is written.
    let ff = write(
        dir.path(),
        "ff.txt",
        b"The cat sat.\x0cNew page.\x0b And\x0c\x0cmore.\n",
    );
    let ff2 = write(
        dir.path(),
        "ff2.txt",
        b"The dog sat.\x0cNew \x0c page. And more.\n",
    );
    let run = lectio(&["diff", &ff, &ff2, "--format", "tei"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(xml_chars(&run.stdout) && balanced(&run.stdout));
    assert!(run.stdout.contains(
        "<p>The <app type=\"substantive\"><lem wit=\"#ff\">cat</lem><rdg wit=\"#ff2\" \
type=\"substantive\">dog</rdg></app> sat. New page. And more.</p>"
    ));
    // --lossy: the placeholder of an invalid byte is written as U+FFFD, as everywhere.
    let bad = write(dir.path(), "bad.txt", b"The cat sat \xff here.\n");
    for cmd in ["diff", "collate"] {
        let run = lectio(&[cmd, &bad, &c2, "--lossy", "--format", "tei"]);
        assert_eq!(run.code, 0, "{run:?}");
        assert!(xml_chars(&run.stdout) && balanced(&run.stdout));
        assert!(
            run.stdout.contains(
                "<lem wit=\"#bad\">\u{FFFD} here</lem><rdg wit=\"#c2\" type=\"substantive\"/>"
            ),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn lossy_placeholders_are_shown_only_for_the_file_that_had_bytes_replaced() {
    // bad.txt has an invalid byte (read with --lossy, its placeholder is shown as U+FFFD);
    // sub.txt has a U+001A of its own, which must stay what it is, not become U+FFFD.
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.txt", b"The cat sat \xff here.\n");
    let sub = write(dir.path(), "sub.txt", b"The \x1a cat sat here.\n");
    let run = lectio(&["diff", &bad, &sub, "--lossy", "--format", "csv"]);
    assert_eq!(run.code, 0, "{run:?}");
    let rows = csv_rows(&run.stdout);
    assert_eq!(
        rows[1..],
        [
            [
                "1",
                sub.as_str(),
                "addition",
                "accidental",
                "punctuation",
                "1",
                "3",
                "3",
                "",
                "1",
                "4",
                "5",
                "\u{1A}",
                ""
            ],
            [
                "2",
                sub.as_str(),
                "omission",
                "accidental",
                "punctuation",
                "1",
                "12",
                "13",
                "\u{FFFD}",
                "1",
                "13",
                "13",
                "",
                ""
            ],
        ]
    );
    let run = lectio(&["diff", &bad, &sub, "--lossy", "--format", "inline"]);
    assert_eq!(run.stdout, "The {+\u{241A}+} cat sat [-\u{FFFD}-] here.\n");
    let run = lectio(&["collate", &bad, &sub, "--lossy", "--format", "csv"]);
    assert_eq!(
        csv_rows(&run.stdout),
        [
            [bad.as_str(), sub.as_str()],
            ["The", "The"],
            ["", "\u{1A}"],
            ["cat sat", "cat sat"],
            ["\u{FFFD}", ""],
            ["here.", "here."],
        ]
    );
}

#[test]
fn inline_views_show_control_characters_instead_of_sending_them() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.txt",
        b"The red \x1b[31m cat sat.\r\nOn the mat.\n",
    );
    let b = write(dir.path(), "b.txt", b"The red cat sat.\r\nOn a mat.\n");
    let run = lectio(&["diff", &a, &b, "--format", "inline"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "The red [-\u{241B}[31m-] cat sat.\nOn [-the-]{+a+} mat.\n"
    );
    let run = lectio(&["collate", &a, &b, "--format", "inline"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        format!("The red [\u{241B}[31m | {b}: -] cat sat. On [the | {b}: a] mat.\n")
    );
    // CSV keeps the text exactly.
    let run = lectio(&["diff", &a, &b, "--format", "csv"]);
    assert!(run.stdout.contains("\x1b[31m"), "{:?}", run.stdout);
}

#[test]
fn inline_views_break_lines_at_a_lone_cr_too() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "m1.txt", b"one two\rthree four\r\rfive six\r");
    let b = write(dir.path(), "m2.txt", b"one two\rthree FOUR\r\rfive six\r");
    let run = lectio(&["diff", &a, &b, "--format", "inline"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "one two\nthree [-four-]{+FOUR+}\n\nfive six\n");
}

#[test]
fn the_same_collatex_file_by_two_spellings_is_one_source() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "cx.json",
        br#"{"witnesses":[{"id":"A","content":"the cat sat"},{"id":"B","content":"the dog sat"}]}"#,
    );
    let plain = dir.path().join("cx.json");
    let dotted = dir.path().join(".").join("cx.json");
    let run = lectio(&[
        "collate",
        plain.to_str().unwrap(),
        dotted.to_str().unwrap(),
        "--apparatus",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}
