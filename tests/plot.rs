//! `lectio plot` end to end: the SVG is well-formed XML with one tick per hit.

mod common;

use std::collections::BTreeMap;

use common::*;
use quick_xml::events::Event;
use quick_xml::Reader;

/// One row of the plot as read back from the SVG.
#[derive(Debug, Default)]
struct PlotRow {
    file: String,
    query: String,
    hits_attr: usize,
    ticks: Vec<String>,
    count_label: String,
}

/// Parses the whole SVG (failing on any XML error) and collects its rows.
fn parse_svg(svg: &str) -> Vec<PlotRow> {
    let mut reader = Reader::from_str(svg);
    let mut rows: Vec<PlotRow> = Vec::new();
    let mut in_count = false;
    let mut in_tick = false;
    let mut depth = 0i32;
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &str| {
        e.try_get_attribute(name)
            .unwrap()
            .map(|a| a.unescape_value().unwrap().into_owned())
    };
    loop {
        match reader.read_event().expect("the SVG is well-formed XML") {
            Event::Start(e) => {
                depth += 1;
                match e.name().as_ref() {
                    b"svg" => {
                        assert_eq!(depth, 1);
                        assert_eq!(attr(&e, "xmlns").unwrap(), "http://www.w3.org/2000/svg");
                    }
                    b"g" if attr(&e, "class").as_deref() == Some("row") => rows.push(PlotRow {
                        file: attr(&e, "data-file").unwrap(),
                        query: attr(&e, "data-query").unwrap(),
                        hits_attr: attr(&e, "data-hits").unwrap().parse().unwrap(),
                        ..PlotRow::default()
                    }),
                    b"line" if attr(&e, "class").as_deref() == Some("hit") => in_tick = true,
                    b"text" if attr(&e, "class").as_deref() == Some("count") => in_count = true,
                    _ => {}
                }
            }
            Event::Empty(e) => {
                assert_ne!(
                    attr(&e, "class").as_deref(),
                    Some("hit"),
                    "ticks carry a title"
                );
            }
            Event::Text(t) => {
                let text = t.decode().unwrap().into_owned();
                let row = rows.last_mut();
                if in_tick {
                    row.unwrap().ticks.push(text);
                } else if in_count {
                    row.unwrap().count_label = text;
                }
            }
            Event::End(_) => {
                depth -= 1;
                in_tick = false;
                in_count = false;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    rows
}

/// Number of kwic hits for `query` on the embedded essay.
fn kwic_hits(query: &str) -> usize {
    let run = lectio(&["kwic", query, "--format", "csv"]);
    csv_rows(&run.stdout).len() - 1
}

#[test]
fn one_tick_per_hit_and_the_svg_parses() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plot.svg");
    let queries = ["Stalin", "Khrushchev", "single party", "monolith*"];
    let mut args = vec!["plot"];
    args.extend(queries);
    args.extend(["-o", out.to_str().unwrap()]);
    let run = lectio(&args);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "\"Stalin\": 68 hits in 1 file\n\"Khrushchev\": 54 hits in 1 file\n\
         \"single party\": 5 hits in 1 file\n\"monolith*\": 3 hits in 1 file\n"
    );
    let svg = std::fs::read_to_string(&out).unwrap();
    let rows = parse_svg(&svg);
    assert_eq!(rows.len(), queries.len());
    for (row, q) in rows.iter().zip(queries) {
        assert_eq!(row.file, "deutscher-1956-khrushchev-on-stalin.txt");
        assert_eq!(row.query, q);
        let hits = kwic_hits(q);
        assert_eq!(row.ticks.len(), hits, "{q}");
        assert_eq!(row.hits_attr, hits);
        assert_eq!(row.count_label, format!("{hits} hits"));
    }
    assert_eq!(
        rows.iter().map(|r| r.ticks.len()).sum::<usize>(),
        68 + 54 + 5 + 3
    );
}

#[test]
fn ticks_sit_at_word_index_over_word_count() {
    // "monolithic" by the tokenizer alone: its word indices among the essay's words.
    let text = essay_text();
    let words: Vec<String> = lectio_text::Tokenizer::new(&text)
        .filter(|t| t.is_word())
        .map(|t| t.text(&text).to_lowercase())
        .collect();
    let want: Vec<String> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| *w == "monolithic")
        .map(|(i, _)| {
            let pct = i as f64 / words.len() as f64 * 100.0;
            format!("word {} of {} ({pct:.1}%)", i + 1, words.len())
        })
        .collect();
    assert_eq!(want.len(), 3);
    let run = lectio(&["plot", "monolithic"]);
    assert_eq!(run.code, 0, "{run:?}");
    let rows = parse_svg(&run.stdout);
    assert_eq!(rows[0].ticks, want);
}

#[test]
fn files_follow_the_queries_and_rows_are_file_by_query() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a & b.txt", b"party <one> party");
    let b = write(dir.path(), "b.txt", b"no match here");
    let run = lectio(&["plot", "party", "one", &a, &b]);
    assert_eq!(run.code, 0, "{run:?}");
    let rows = parse_svg(&run.stdout);
    let got: BTreeMap<(String, String), usize> = rows
        .iter()
        .map(|r| ((r.file.clone(), r.query.clone()), r.ticks.len()))
        .collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(got[&(a.clone(), "party".into())], 2);
    assert_eq!(got[&(a.clone(), "one".into())], 1);
    assert_eq!(got[&(b.clone(), "party".into())], 0);
    // After --, every argument is a file, even one that looks like a query.
    let run = lectio(&["plot", "party", "--", &b]);
    assert_eq!(run.code, 0);
    assert_eq!(parse_svg(&run.stdout).len(), 1);
}

#[test]
fn bad_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.svg");
    let o = out.to_str().unwrap();
    let run = lectio(&["plot", "party", "no/such/file.txt", "-o", o]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "lectio: error: no/such/file.txt: No such file or directory (os error 2)\n"
        )
    );
    assert!(!out.exists());
    let run = lectio(&["plot", "—", "-o", o]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "lectio: error: the query \"—\" contains no word to search for\n"
        )
    );
    let run = lectio(&["plot", "--regex", "(", "-o", o]);
    assert_eq!(run.code, 2);
    assert_eq!(lectio(&["plot"]).code, 2);
    let bad = write(dir.path(), "bad.txt", b"party \xff party");
    assert_eq!(lectio(&["plot", "party", &bad, "-o", o]).code, 1);
    let run = lectio(&["plot", "party", &bad, "--lossy", "-o", o]);
    assert_eq!(run.code, 0);
    let rows = parse_svg(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(rows[0].ticks.len(), 2);
}
