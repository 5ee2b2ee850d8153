//! Spreadsheets for people who live in them: the portfolio and each product's
//! requirements as XLSX, one product's table as CSV.

mod csv;
mod table;
mod xlsx;

pub use csv::product_csv;
pub use table::{
    portfolio, product_lines, Portfolio, PortfolioLine, RequirementLine, PRODUCT_HEADER,
};
pub use xlsx::{workbook_xlsx, ProductSheet};

use super::problem::ExchangeError;
use crate::catalogue::Catalogue;
use crate::workbook::Workbook;

/// The XLSX of `products` (every product when `None`): the Portfolio sheet
/// lists the same products, each then has its own sheet of its latest assessment.
pub fn export_xlsx(
    workbook: &Workbook,
    cat: &Catalogue,
    products: Option<&[i64]>,
) -> Result<Vec<u8>, ExchangeError> {
    let rows: Vec<_> = workbook
        .dashboard(cat)?
        .into_iter()
        .filter(|r| products.is_none_or(|ids| ids.contains(&r.id)))
        .collect();
    let table = portfolio(cat, &rows);
    let mut sheets = Vec::new();
    for r in rows.iter().filter(|r| r.assessment_id.is_some()) {
        let page = workbook.product_page(cat, r.id, None)?;
        let name = if r.model.trim().is_empty() {
            r.name.clone()
        } else {
            r.model.clone()
        };
        sheets.push((name, product_lines(&page)));
    }
    let sheets: Vec<ProductSheet<'_>> = sheets
        .iter()
        .map(|(name, lines)| ProductSheet { name, lines })
        .collect();
    workbook_xlsx(&table, &sheets)
        .map_err(|e| ExchangeError::Export(format!("writing the spreadsheet: {e}")))
}

/// One product's latest assessment as CSV text (UTF-8 with BOM).
pub fn export_csv(
    workbook: &Workbook,
    cat: &Catalogue,
    product: i64,
) -> Result<String, ExchangeError> {
    let page = workbook.product_page(cat, product, None)?;
    Ok(product_csv(&product_lines(&page)))
}
