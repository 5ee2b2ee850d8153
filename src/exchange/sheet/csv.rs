//! One product's table as CSV: UTF-8 with a byte-order mark (so Excel reads the
//! encoding right), RFC 4180 quoting, CRLF line ends.

use super::table::{RequirementLine, PRODUCT_HEADER};

const BOM: &str = "\u{feff}";

pub fn product_csv(lines: &[RequirementLine]) -> String {
    let mut out = String::from(BOM);
    push_row(&mut out, PRODUCT_HEADER.iter().map(|s| s.to_string()));
    for line in lines {
        push_row(&mut out, line.cells().into_iter());
    }
    out
}

fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quote(&cell));
    }
    out.push_str("\r\n");
}

/// A field as RFC 4180 wants it; a leading `=`, `+`, `-` or `@` is prefixed
/// with `'` so a spreadsheet never runs text from the workbook as a formula.
fn quote(cell: &str) -> String {
    let cell = if cell.starts_with(['=', '+', '-', '@']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    };
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\"\nbye"), "\"say \"\"hi\"\"\nbye\"");
        assert_eq!(quote("=1+1"), "'=1+1");
    }
}
