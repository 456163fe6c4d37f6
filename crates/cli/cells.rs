//! Flattening a serializable row into cells, knowing which cells are text.
//!
//! CSV, TSV and the aligned table all print the cells of a flat row (a struct of scalars).
//! Going through serde directly, rather than through an in-memory CSV writer and reader,
//! is cheap per row and tells text from numbers, so that only text is ever guarded
//! against spreadsheet formulas.

use std::borrow::Cow;
use std::fmt;
use std::io;

use serde::ser::{
    self, Impossible, Serialize, SerializeMap, SerializeStruct, SerializeTuple, Serializer,
};

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The cell as CSV shows it (floats as the csv crate writes them, via ryu).
    pub text: String,
    /// True when serde gave a string (or char or enum variant name): text, not a number.
    pub is_text: bool,
}

/// Why a row cannot be flattened: it has a nested sequence, map or struct.
#[derive(Debug)]
pub struct CellError(String);

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CellError {}

impl ser::Error for CellError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        CellError(msg.to_string())
    }
}

/// The cells of `row` (cleared first): one per field of a struct or element of a tuple.
pub fn cells_of<T: Serialize + ?Sized>(row: &T, out: &mut Vec<Cell>) -> Result<(), CellError> {
    out.clear();
    row.serialize(RowSer(out))
}

struct RowSer<'a>(&'a mut Vec<Cell>);
struct CellSer<'a>(&'a mut Vec<Cell>);

fn nested<T>() -> Result<T, CellError> {
    Err(CellError("a row cell cannot hold a nested value".into()))
}

impl CellSer<'_> {
    fn push(self, text: impl Into<String>, is_text: bool) -> Result<(), CellError> {
        self.0.push(Cell {
            text: text.into(),
            is_text,
        });
        Ok(())
    }
}

/// Implements the scalar methods of `Serializer` for a type with a `cell()` that returns
/// the `CellSer` to write into.
macro_rules! scalars {
    () => {
        fn serialize_bool(self, v: bool) -> Result<(), CellError> {
            self.cell().push(if v { "true" } else { "false" }, false)
        }
        fn serialize_i8(self, v: i8) -> Result<(), CellError> {
            self.cell().push(v.to_string(), false)
        }
        fn serialize_i16(self, v: i16) -> Result<(), CellError> {
            self.cell().push(v.to_string(), false)
        }
        fn serialize_i32(self, v: i32) -> Result<(), CellError> {
            self.cell().push(v.to_string(), false)
        }
        fn serialize_i64(self, v: i64) -> Result<(), CellError> {
            self.cell().push(v.to_string(), false)
        }
        fn serialize_u8(self, v: u8) -> Result<(), CellError> {
            self.cell().push(v.to_string(), false)
        }
        fn serialize_u16(self, v: u16) -> Result<(), CellError> {
            self.cell().push(v.to_string(), false)
        }
        fn serialize_u32(self, v: u32) -> Result<(), CellError> {
            self.cell().push(v.to_string(), false)
        }
        fn serialize_u64(self, v: u64) -> Result<(), CellError> {
            self.cell().push(v.to_string(), false)
        }
        fn serialize_f32(self, v: f32) -> Result<(), CellError> {
            self.cell().push(ryu::Buffer::new().format(v), false)
        }
        fn serialize_f64(self, v: f64) -> Result<(), CellError> {
            self.cell().push(ryu::Buffer::new().format(v), false)
        }
        fn serialize_char(self, v: char) -> Result<(), CellError> {
            self.cell().push(v.to_string(), true)
        }
        fn serialize_str(self, v: &str) -> Result<(), CellError> {
            self.cell().push(v, true)
        }
        fn serialize_bytes(self, v: &[u8]) -> Result<(), CellError> {
            self.cell().push(String::from_utf8_lossy(v), true)
        }
        fn serialize_none(self) -> Result<(), CellError> {
            self.cell().push("", true)
        }
        fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), CellError> {
            v.serialize(self.cell())
        }
        fn serialize_unit(self) -> Result<(), CellError> {
            self.cell().push("", true)
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<(), CellError> {
            self.cell().push("", true)
        }
        fn serialize_unit_variant(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
        ) -> Result<(), CellError> {
            self.cell().push(variant, true)
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            v: &T,
        ) -> Result<(), CellError> {
            v.serialize(self.cell())
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            v: &T,
        ) -> Result<(), CellError> {
            v.serialize(self.cell())
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, CellError> {
            nested()
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, CellError> {
            nested()
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, CellError> {
            nested()
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, CellError> {
            nested()
        }
    };
}

impl<'a> CellSer<'a> {
    fn cell(self) -> CellSer<'a> {
        self
    }
}

impl<'a> RowSer<'a> {
    fn cell(self) -> CellSer<'a> {
        CellSer(self.0)
    }
}

impl<'a> Serializer for CellSer<'a> {
    type Ok = ();
    type Error = CellError;
    type SerializeSeq = Impossible<(), CellError>;
    type SerializeTuple = Impossible<(), CellError>;
    type SerializeTupleStruct = Impossible<(), CellError>;
    type SerializeTupleVariant = Impossible<(), CellError>;
    type SerializeMap = Impossible<(), CellError>;
    type SerializeStruct = Impossible<(), CellError>;
    type SerializeStructVariant = Impossible<(), CellError>;

    scalars!();

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, CellError> {
        nested()
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, CellError> {
        nested()
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, CellError> {
        nested()
    }
}

impl<'a> Serializer for RowSer<'a> {
    type Ok = ();
    type Error = CellError;
    type SerializeSeq = Impossible<(), CellError>;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Impossible<(), CellError>;
    type SerializeTupleVariant = Impossible<(), CellError>;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), CellError>;

    scalars!();

    fn serialize_tuple(self, _: usize) -> Result<Self, CellError> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, CellError> {
        Ok(self)
    }
    // `#[serde(flatten)]` serializes a struct as a map: its values are the cells.
    fn serialize_map(self, _: Option<usize>) -> Result<Self, CellError> {
        Ok(self)
    }
}

impl SerializeMap for RowSer<'_> {
    type Ok = ();
    type Error = CellError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, _: &T) -> Result<(), CellError> {
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CellError> {
        value.serialize(CellSer(self.0))
    }

    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

impl SerializeStruct for RowSer<'_> {
    type Ok = ();
    type Error = CellError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _: &'static str,
        value: &T,
    ) -> Result<(), CellError> {
        value.serialize(CellSer(self.0))
    }

    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

impl SerializeTuple for RowSer<'_> {
    type Ok = ();
    type Error = CellError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CellError> {
        value.serialize(CellSer(self.0))
    }

    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

/// Writes `cells` as one CSV or TSV record. With `guard`, text cells that a spreadsheet
/// would run as a formula get a leading `'` (see [`guard_formula`]); numbers never do.
pub fn write_record<W: io::Write>(
    w: &mut csv::Writer<W>,
    cells: &[Cell],
    guard: bool,
) -> csv::Result<()> {
    w.write_record(cells.iter().map(|c| match guard && c.is_text {
        true => guard_formula(&c.text),
        false => Cow::Borrowed(c.text.as_bytes()),
    }))
}

/// The cell, with a leading `'` if a spreadsheet would read it as a formula: it starts
/// with `=`, `+`, `-`, `@`, TAB or CR, and is neither a lone sign (the doc name "-" for
/// stdin) nor a plain decimal number (`-12.5`, `+3`, `-1e5`; but `-inf` and `-NaN`, which
/// Rust parses and spreadsheets do not, are guarded).
pub fn guard_formula(cell: &str) -> Cow<'_, [u8]> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !matches!(cell, "-" | "+");
    let number = cell
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && cell.parse::<f64>().is_ok();
    if risky && !number {
        Cow::Owned(format!("'{cell}").into_bytes())
    } else {
        Cow::Borrowed(cell.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_guarded_and_numbers_are_not() {
        let g = |s: &str| String::from_utf8(guard_formula(s).into_owned()).unwrap();
        assert_eq!(g("=1+1"), "'=1+1");
        assert_eq!(g("+cmd"), "'+cmd");
        assert_eq!(g("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(g("\tx"), "'\tx");
        assert_eq!(g("\rx"), "'\rx");
        assert_eq!(g("-2+3"), "'-2+3");
        assert_eq!(g("-12.5"), "-12.5");
        assert_eq!(g("+3"), "+3");
        assert_eq!(g("-1e5"), "-1e5");
        assert_eq!(g("party"), "party");
        assert_eq!(g("-"), "-");
        assert_eq!(g("="), "'=");
        assert_eq!(g(""), "");
        // Rust reads these as numbers; a spreadsheet reads them as formulas (=-inf).
        assert_eq!(g("-inf"), "'-inf");
        assert_eq!(g("+NaN"), "'+NaN");
        assert_eq!(g("-infinity"), "'-infinity");
    }

    #[derive(serde::Serialize)]
    struct Wider<'a> {
        #[serde(flatten)]
        row: Row<'a>,
        extra: &'a str,
    }

    #[test]
    fn flattened_structs_give_their_fields_in_order() {
        let mut cells = Vec::new();
        let row = Row {
            term: "a",
            count: 1,
            ll: 0.5,
            missing: None,
            ratio: None,
        };
        cells_of(&Wider { row, extra: "=x" }, &mut cells).unwrap();
        let got: Vec<(&str, bool)> = cells.iter().map(|c| (c.text.as_str(), c.is_text)).collect();
        assert_eq!(
            got,
            [
                ("a", true),
                ("1", false),
                ("0.5", false),
                ("", true),
                ("", true),
                ("=x", true)
            ]
        );
    }

    #[derive(serde::Serialize)]
    struct Row<'a> {
        term: &'a str,
        count: u64,
        ll: f64,
        missing: Option<f64>,
        ratio: Option<f64>,
    }

    #[test]
    fn fields_become_cells_and_text_is_marked() {
        let mut cells = Vec::new();
        let row = Row {
            term: "-x",
            count: 3,
            ll: -2.5,
            missing: None,
            ratio: Some(f64::INFINITY),
        };
        cells_of(&row, &mut cells).unwrap();
        let got: Vec<(&str, bool)> = cells.iter().map(|c| (c.text.as_str(), c.is_text)).collect();
        assert_eq!(
            got,
            [
                ("-x", true),
                ("3", false),
                ("-2.5", false),
                ("", true),
                ("inf", false)
            ]
        );
        // As the csv crate writes them: ryu's shortest form.
        cells_of(&(0.1165_f64, 1e21_f64, 3.0_f64), &mut cells).unwrap();
        let got: Vec<&str> = cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(got, ["0.1165", "1e21", "3.0"]);
    }
}
