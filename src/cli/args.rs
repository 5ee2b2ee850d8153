//! Arguments several command groups share.
//!
//! Commands act on a product's latest assessment unless `--assessment ID` is given.
//! Changes are recorded as `--as NAME` (or `CANARY_AS`), else as the stored
//! profile's name; with neither, a write fails and says how to set one.

use anyhow::bail;
use clap::Args;

use canary::workbook::{Assessment, Product, Workbook};

/// Which assessment a command acts on.
#[derive(Args)]
pub struct Target {
    /// Product id, model or name.
    #[arg(long)]
    pub product: String,
    /// Assessment id (default: the product's latest).
    #[arg(long)]
    pub assessment: Option<i64>,
}

/// Who a change is recorded as.
#[derive(Args)]
pub struct Who {
    /// Record the change as NAME instead of the profile's name.
    #[arg(long = "as", value_name = "NAME", env = "CANARY_AS")]
    pub actor: Option<String>,
}

impl Target {
    /// The product and the assessment this target names.
    pub fn resolve(&self, wb: &Workbook) -> anyhow::Result<(Product, Assessment)> {
        let product = wb.find_product(&self.product)?;
        let a = match self.assessment {
            Some(id) => {
                let a = wb.assessment(id)?;
                if a.product_id != product.id {
                    bail!("assessment {id} belongs to another product");
                }
                a
            }
            None => wb.latest_assessment(product.id)?,
        };
        Ok((product, a))
    }
}

/// `expected one of a, b, c` for a value parser.
pub fn one_of<T: std::fmt::Display>(all: &[T]) -> String {
    let names: Vec<String> = all.iter().map(T::to_string).collect();
    format!("expected one of {}", names.join(", "))
}
