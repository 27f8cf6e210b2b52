//! Rows as CSV (RFC 4180) and as JSON Lines.
//!
//! CSV goes through the `csv` crate (the importer's), which quotes a field only when it holds
//! a comma, a quote or a line break, doubles the quotes inside, and ends each record with
//! CRLF as RFC 4180 says. JSON Lines writes the keys in the columns' order, which a JSON map
//! would not keep.

use super::cell::{Cell, Column};

/// Appends these records to `out` as CSV, through one writer.
fn csv_records(
    out: &mut Vec<u8>,
    records: impl IntoIterator<Item = Vec<String>>,
) -> Result<(), csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    for record in records {
        writer.write_record(&record)?;
    }
    writer.flush()?;
    Ok(())
}

/// Appends the CSV header of `columns`.
pub fn csv_header(out: &mut Vec<u8>, columns: &[Column]) -> Result<(), csv::Error> {
    csv_records(
        out,
        [columns
            .iter()
            .map(|column| column.name.to_owned())
            .collect()],
    )
}

/// Appends rows as CSV records.
pub fn csv_rows<'a>(
    out: &mut Vec<u8>,
    rows: impl IntoIterator<Item = &'a [Cell]>,
) -> Result<(), csv::Error> {
    csv_records(
        out,
        rows.into_iter()
            .map(|row| row.iter().map(Cell::csv_text).collect()),
    )
}

/// Appends a row as one JSON object on a line of its own, keyed by the columns' names.
pub fn jsonl_row(out: &mut Vec<u8>, columns: &[Column], row: &[Cell]) {
    out.push(b'{');
    for (index, (column, cell)) in columns.iter().zip(row).enumerate() {
        if index > 0 {
            out.push(b',');
        }
        json_into(out, &serde_json::Value::from(column.name));
        out.push(b':');
        json_into(out, &cell.json());
    }
    out.extend_from_slice(b"}\n");
}

/// Appends a JSON value, compact.
pub fn json_into(out: &mut Vec<u8>, value: &serde_json::Value) {
    // Writing a `Value` into a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *out, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[Column] = &[
        Column {
            name: "name",
            about: "",
        },
        Column {
            name: "subdivisions",
            about: "",
        },
        Column {
            name: "population",
            about: "",
        },
    ];

    #[test]
    fn csv_quotes_only_what_needs_it_and_ends_records_with_crlf() {
        let mut out = Vec::new();
        csv_header(&mut out, COLUMNS).unwrap();
        let row = [
            Cell::Text("Saint-Denis, \"la ville\"".to_owned()),
            Cell::List(vec!["FR-IDF".to_owned(), "FR-93".to_owned()]),
            Cell::Null,
        ];
        csv_rows(&mut out, [&row[..]]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "name,subdivisions,population\r\n\"Saint-Denis, \"\"la ville\"\"\",FR-IDF FR-93,\r\n"
        );
    }

    #[test]
    fn a_json_line_keeps_the_columns_order_and_types() {
        let mut out = Vec::new();
        jsonl_row(
            &mut out,
            COLUMNS,
            &[
                Cell::Text("Zürich".to_owned()),
                Cell::List(vec!["CH-ZH".to_owned()]),
                Cell::Int(421_878),
            ],
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"name\":\"Zürich\",\"subdivisions\":[\"CH-ZH\"],\"population\":421878}\n"
        );
    }
}
