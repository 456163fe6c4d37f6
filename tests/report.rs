//! `lectio report`: the committed reports/ folder is exactly what the binary writes, and
//! the reading view marks exactly the variants and hits of the CSVs.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;

fn files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect()
}

#[test]
fn reports_folder_is_regenerated_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    // Run from elsewhere: the texts are embedded.
    let run = lectio(&["report", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("reports");
    let names = files(&committed);
    assert_eq!(
        names.iter().map(String::as_str).collect::<Vec<_>>(),
        [
            "README.md",
            "alignment-de.csv",
            "collation.tei.xml",
            "collocates-party.csv",
            "dispersion.svg",
            "freq-bigrams.csv",
            "freq-words.csv",
            "index.html",
            "kwic-monolithic.csv",
            "variants-emended.csv",
            "variants-plain.csv"
        ]
    );
    let mut made = files(dir.path());
    made.insert("README.md".into());
    assert_eq!(made, names);
    for name in names.iter().filter(|n| *n != "README.md") {
        let want = std::fs::read(committed.join(name)).unwrap();
        let got = std::fs::read(dir.path().join(name)).unwrap();
        assert!(
            want == got,
            "reports/{name} is stale: run `cargo run --release -- report` and commit"
        );
    }
}

/// Counts the elements `<tag ` in `html` whose `data-v` belongs to witness `alias`.
fn marks(html: &str, alias: &str, tag: &str) -> usize {
    html.matches(&format!("<{tag} id=\"v-{alias}-")).count()
}

#[test]
fn the_reading_view_marks_every_variant_and_hit() {
    let reports = Path::new(env!("CARGO_MANIFEST_DIR")).join("reports");
    let html = std::fs::read_to_string(reports.join("index.html")).unwrap();
    for alias in ["emended", "plain"] {
        let csv = std::fs::read_to_string(reports.join(format!("variants-{alias}.csv"))).unwrap();
        let rows = csv_rows(&csv);
        let n = |col: usize, end: usize| {
            rows[1..]
                .iter()
                .filter(|r| r[col].parse::<usize>().unwrap() < r[end].parse::<usize>().unwrap())
                .count()
        };
        assert_eq!(marks(&html, alias, "del"), n(6, 7), "{alias}: <del>");
        assert_eq!(marks(&html, alias, "ins"), n(10, 11), "{alias}: <ins>");
    }
    // The essay against the emended text: 62 variants, all replacing something.
    assert_eq!(marks(&html, "emended", "del"), 62);
    let kwic = std::fs::read_to_string(reports.join("kwic-monolithic.csv")).unwrap();
    assert_eq!(html.matches("<mark>").count(), csv_rows(&kwic).len() - 1);
    assert_eq!(html.matches("<mark>").count(), 3);
}
