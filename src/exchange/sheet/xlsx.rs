//! The spreadsheet: a Portfolio sheet (one row per product) and a sheet per
//! product (one row per requirement), each with a frozen, filterable header,
//! widths that fit the content, statuses in colour and dates as real dates.

use std::collections::HashSet;

use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::table::{state_label, Portfolio, RequirementLine, PRODUCT_HEADER};
use crate::workbook::{CanaryState, Status};

/// A product's sheet: its title and rows.
pub struct ProductSheet<'a> {
    /// Model, else name; made a valid, unique sheet name when written.
    pub name: &'a str,
    pub lines: &'a [RequirementLine],
}

struct Formats {
    header: Format,
    text: Format,
    wrap: Format,
    date: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0x00DD_E4EE))
                .set_align(FormatAlign::Top),
            text: Format::new().set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            date: Format::new()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Top),
        }
    }
}

/// Green for met or pass, amber for partly met or claimed, red for not met or
/// fail, grey otherwise.
fn fill(color: u32) -> Format {
    Format::new()
        .set_background_color(Color::RGB(color))
        .set_align(FormatAlign::Top)
}

fn status_format(status: Status) -> Format {
    fill(match status {
        Status::Met => 0x00C6_EFCE,
        Status::PartiallyMet => 0x00FF_EB9C,
        Status::NotMet => 0x00FF_C7CE,
        Status::NotApplicable | Status::NotAssessed => 0x00EE_EEEE,
    })
}

fn canary_format(state: CanaryState) -> Format {
    fill(match state {
        CanaryState::Pass => 0x00C6_EFCE,
        CanaryState::Claimed => 0x00FF_EB9C,
        CanaryState::Fail => 0x00FF_C7CE,
        CanaryState::Unknown => 0x00EE_EEEE,
    })
}

/// The XLSX bytes of the portfolio and the product sheets.
pub fn workbook_xlsx(
    portfolio: &Portfolio,
    products: &[ProductSheet<'_>],
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut book = Workbook::new();
    let mut taken = HashSet::from(["portfolio".to_owned(), "history".to_owned()]);
    portfolio_sheet(book.add_worksheet(), portfolio, &f)?;
    for p in products {
        let name = sheet_name(p.name, &mut taken);
        product_sheet(book.add_worksheet().set_name(name)?, p.lines, &f)?;
    }
    book.save_to_buffer()
}

fn header(
    ws: &mut Worksheet,
    cells: &[String],
    widths: &[f64],
    f: &Formats,
) -> Result<(), XlsxError> {
    for (c, (h, w)) in cells.iter().zip(widths).enumerate() {
        ws.write_string_with_format(0, c as u16, h, &f.header)?;
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn date(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<&str>,
    f: &Formats,
) -> Result<(), XlsxError> {
    match value.map(ExcelDateTime::parse_from_str) {
        Some(Ok(d)) => ws.write_datetime_with_format(row, col, &d, &f.date)?,
        // A date the store holds but Excel cannot (before 1900) stays text.
        Some(Err(_)) => {
            ws.write_string_with_format(row, col, value.unwrap_or_default(), &f.text)?
        }
        None => ws.write_blank(row, col, &f.text)?,
    };
    Ok(())
}

fn portfolio_sheet(ws: &mut Worksheet, p: &Portfolio, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Portfolio")?;
    let head = p.header();
    let mut widths = vec![24.0, 14.0, 24.0, 18.0];
    widths.extend(
        p.canaries
            .iter()
            .map(|t| (t.chars().count() as f64).clamp(12.0, 30.0)),
    );
    widths.extend(std::iter::repeat_n(
        10.0,
        p.frameworks.len() * Status::ALL.len(),
    ));
    widths.push(14.0);
    header(ws, &head, &widths, f)?;
    for (i, line) in p.lines.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string_with_format(r, 0, &line.manufacturer, &f.text)?;
        ws.write_string_with_format(r, 1, &line.model, &f.text)?;
        ws.write_string_with_format(r, 2, &line.name, &f.text)?;
        ws.write_string_with_format(r, 3, state_label(line.state, line.signed), &f.text)?;
        let mut c = 4u16;
        for state in &line.canaries {
            ws.write_string_with_format(r, c, state.as_str(), &canary_format(*state))?;
            c += 1;
        }
        for counts in &line.counts {
            for i in 0..Status::ALL.len() {
                match counts {
                    Some(n) => ws.write_number_with_format(r, c, n[i], &f.text)?,
                    None => ws.write_blank(r, c, &f.text)?,
                };
                c += 1;
            }
        }
        date(ws, r, c, line.support_end.as_deref(), f)?;
    }
    let last_col = head.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, p.lines.len() as u32, last_col)?;
    Ok(())
}

fn product_sheet(
    ws: &mut Worksheet,
    lines: &[RequirementLine],
    f: &Formats,
) -> Result<(), XlsxError> {
    let head: Vec<String> = PRODUCT_HEADER.iter().map(|s| s.to_string()).collect();
    let widths = [16.0, 32.0, 15.0, 60.0, 40.0, 60.0, 11.0, 18.0, 40.0, 12.0];
    header(ws, &head, &widths, f)?;
    for (i, l) in lines.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string_with_format(r, 0, &l.requirement, &f.text)?;
        ws.write_string_with_format(r, 1, &l.title, &f.wrap)?;
        ws.write_string_with_format(r, 2, l.status.label(), &status_format(l.status))?;
        for (c, text) in [
            (3, &l.statement),
            (4, &l.justification),
            (5, &l.evidence),
            (6, &l.verdict),
            (7, &l.reviewer),
            (8, &l.comment),
        ] {
            ws.write_string_with_format(r, c, text, &f.wrap)?;
        }
        date(ws, r, 9, l.reviewed_on.as_deref(), f)?;
    }
    ws.autofilter(0, 0, lines.len() as u32, head.len() as u16 - 1)?;
    Ok(())
}

/// A valid sheet name (at most 31 characters, none of `[]:*?/\`, no quote at
/// either end), unique regardless of case among those already `taken`.
fn sheet_name(wanted: &str, taken: &mut HashSet<String>) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'');
    let base: String = if cleaned.is_empty() {
        "Product".into()
    } else {
        cleaned.chars().take(31).collect()
    };
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        let suffix = format!(" ({n})");
        let keep = 31 - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = HashSet::from(["portfolio".to_owned()]);
        assert_eq!(sheet_name("SP-200", &mut taken), "SP-200");
        assert_eq!(sheet_name("sp-200", &mut taken), "sp-200 (2)");
        assert_eq!(sheet_name("Portfolio", &mut taken), "Portfolio (2)");
        assert_eq!(sheet_name("a/b:c", &mut taken), "a_b_c");
        assert_eq!(sheet_name("", &mut taken), "Product");
        let long = sheet_name(&"x".repeat(40), &mut taken);
        assert_eq!(long.chars().count(), 31);
        let long2 = sheet_name(&"x".repeat(40), &mut taken);
        assert!(
            long2.ends_with(" (2)") && long2.chars().count() == 31,
            "{long2}"
        );
    }
}
