//! CSV and TSV writing: arbitrary rows of text and numbers through the CLI's `cells_of` and
//! `write_record`, read back with the csv crate.
//!
//! Every field must come back as written, except that a text cell a spreadsheet would run
//! as a formula comes back with a leading `'`; numbers are never altered and read back
//! as the same value.
#![no_main]

#[path = "../../crates/cli/cells.rs"]
#[allow(dead_code)]
mod cells;

use arbitrary::Arbitrary;
use cells::{cells_of, write_record, Cell};
use libfuzzer_sys::fuzz_target;
use serde::ser::{SerializeTuple, Serializer};
use serde::Serialize;

#[derive(Debug, Arbitrary, Serialize)]
#[serde(untagged)]
enum Value {
    Text(String),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    MaybeFloat(Option<f64>),
    MaybeText(Option<String>),
    Char(char),
    Bool(bool),
}

/// A row of any length, serialized as a tuple as the commands' tuple rows are.
#[derive(Debug, Arbitrary)]
struct Row(Vec<Value>);

impl Serialize for Row {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut t = s.serialize_tuple(self.0.len())?;
        for v in &self.0 {
            t.serialize_element(v)?;
        }
        t.end()
    }
}

/// A row as a struct, as most commands' rows are.
#[derive(Debug, Arbitrary, Serialize)]
struct Fixed {
    doc: String,
    line: u64,
    ll: f64,
    ratio: Option<f64>,
    matched: String,
}

/// A struct with another flattened into it (serde writes it as a map), as the reports
/// that add columns to a command's rows do.
#[derive(Debug, Arbitrary, Serialize)]
struct Wider {
    id: u64,
    #[serde(flatten)]
    fixed: Fixed,
    note: String,
}

#[derive(Debug, Arbitrary)]
struct Input {
    rows: Vec<Row>,
    fixed: Vec<Fixed>,
    wider: Vec<Wider>,
    tsv: bool,
    raw: bool,
}

/// What a guarded text cell must read back as.
fn expected_text(cell: &str, guard: bool) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !matches!(cell, "-" | "+");
    let number = cell.parse::<f64>().is_ok()
        && cell
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    if guard && risky && !number {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn check_number(v: &Value, cell: &Cell) {
    assert!(!cell.is_text, "{v:?} as text");
    match v {
        Value::Unsigned(n) => assert_eq!(cell.text.parse::<u64>().unwrap(), *n),
        Value::Signed(n) => assert_eq!(cell.text.parse::<i64>().unwrap(), *n),
        Value::Float(x) | Value::MaybeFloat(Some(x)) => {
            let back: f64 = cell.text.parse().unwrap();
            assert!(
                back == *x || (back.is_nan() && x.is_nan()),
                "{x} -> {}",
                cell.text
            );
        }
        Value::Bool(b) => assert_eq!(cell.text, b.to_string()),
        _ => unreachable!(),
    }
}

fuzz_target!(|input: Input| {
    let guard = !input.raw;
    let delimiter = if input.tsv { b'\t' } else { b',' };
    let mut written: Vec<Vec<String>> = Vec::new();
    let mut buf = Vec::new();
    {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            // Rows of different lengths here; each command's rows have one length.
            .flexible(true)
            .delimiter(delimiter)
            .from_writer(&mut buf);
        // As `write_rows` does, a header row first (so a cell never starts the file, where
        // a reader would take a leading U+FEFF for a byte-order mark).
        w.write_record(["header"]).unwrap();
        written.push(vec!["header".to_string()]);
        let mut cells = Vec::new();
        for row in input.rows.iter().filter(|r| !r.0.is_empty()) {
            cells_of(row, &mut cells).unwrap();
            assert_eq!(cells.len(), row.0.len());
            for (v, cell) in row.0.iter().zip(&cells) {
                match v {
                    Value::Text(s) | Value::MaybeText(Some(s)) => {
                        assert!(cell.is_text);
                        assert_eq!(&cell.text, s);
                    }
                    Value::Char(c) => {
                        assert!(cell.is_text);
                        assert_eq!(cell.text, c.to_string());
                    }
                    Value::MaybeFloat(None) | Value::MaybeText(None) => {
                        assert_eq!((cell.text.as_str(), cell.is_text), ("", true));
                    }
                    _ => check_number(v, cell),
                }
            }
            write_record(&mut w, &cells, guard).unwrap();
            written.push(
                cells
                    .iter()
                    .map(|c| match c.is_text {
                        true => expected_text(&c.text, guard),
                        false => c.text.clone(),
                    })
                    .collect(),
            );
        }
        for row in &input.fixed {
            cells_of(row, &mut cells).unwrap();
            assert_eq!(cells.len(), 5);
            assert!(cells[0].is_text && cells[4].is_text);
            assert!(!cells[1].is_text && !cells[2].is_text);
            assert_eq!(cells[1].text, row.line.to_string());
            write_record(&mut w, &cells, guard).unwrap();
            written.push(
                cells
                    .iter()
                    .map(|c| match c.is_text {
                        true => expected_text(&c.text, guard),
                        false => c.text.clone(),
                    })
                    .collect(),
            );
        }
        for row in &input.wider {
            cells_of(row, &mut cells).unwrap();
            assert_eq!(cells.len(), 7);
            assert_eq!(cells[0].text, row.id.to_string());
            assert_eq!(cells[1].text, row.fixed.doc);
            assert_eq!(cells[6].text, row.note);
            write_record(&mut w, &cells, guard).unwrap();
            written.push(
                cells
                    .iter()
                    .map(|c| match c.is_text {
                        true => expected_text(&c.text, guard),
                        false => c.text.clone(),
                    })
                    .collect(),
            );
        }
        w.flush().unwrap();
    }

    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(buf.as_slice());
    let read: Vec<Vec<String>> = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(read, written, "{:?}", String::from_utf8_lossy(&buf));
});
