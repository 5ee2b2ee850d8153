//! Changing some of a product's details: the one rule for what an edit keeps,
//! replaces and clears, for the CLI (`canary product edit`) and any other caller.

use super::model::{CraInfo, ProductInput, ProductLabel};

/// A change to a product's details. `None` keeps a field as it is; a given
/// text replaces it; a given list replaces the stored one, and an empty list
/// clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductEdit {
    pub name: Option<String>,
    pub model: Option<String>,
    pub product_type: Option<String>,
    pub batch: Option<String>,
    pub manufacturer: Option<String>,
    pub address: Option<String>,
    /// `YYYY-MM-DD`; a blank one removes the support end.
    pub support_end: Option<String>,
    pub roles: Option<Vec<String>>,
    pub markets: Option<Vec<String>>,
    pub labels: Option<Vec<ProductLabel>>,
    pub cra: CraEdit,
}

/// A change to what a product's EU declaration of conformity states, by the
/// same rule as [`ProductEdit`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CraEdit {
    pub standards: Option<Vec<String>>,
    pub notified_body: Option<String>,
    pub notified_body_number: Option<String>,
    pub procedure: Option<String>,
    pub certificate: Option<String>,
    pub declaration_url: Option<String>,
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

impl ProductEdit {
    /// `info` with this edit made.
    pub fn apply(self, mut info: ProductInput) -> ProductInput {
        set(&mut info.name, self.name);
        set(&mut info.model, self.model);
        set(&mut info.product_type, self.product_type);
        set(&mut info.batch, self.batch);
        set(&mut info.manufacturer.name, self.manufacturer);
        set(&mut info.manufacturer.address, self.address);
        if let Some(end) = self.support_end {
            info.support_end = (!end.trim().is_empty()).then_some(end);
        }
        set(&mut info.roles, self.roles);
        set(&mut info.markets, self.markets);
        set(&mut info.labels, self.labels);
        info.cra = self.cra.apply(info.cra);
        info
    }
}

impl CraEdit {
    /// `cra` with this edit made.
    pub fn apply(self, mut cra: CraInfo) -> CraInfo {
        set(&mut cra.standards, self.standards);
        set(&mut cra.notified_body, self.notified_body);
        set(&mut cra.notified_body_number, self.notified_body_number);
        set(&mut cra.procedure, self.procedure);
        set(&mut cra.certificate, self.certificate);
        set(&mut cra.declaration_url, self.declaration_url);
        cra
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> ProductInput {
        ProductInput {
            name: "Plug".into(),
            roles: vec!["DM".into()],
            markets: vec!["UK".into(), "EU".into()],
            support_end: Some("2030-01-31".into()),
            cra: CraInfo {
                standards: vec!["EN 18031-1".into()],
                procedure: "Module A".into(),
                ..CraInfo::default()
            },
            ..ProductInput::default()
        }
    }

    #[test]
    fn an_empty_edit_keeps_everything() {
        assert_eq!(ProductEdit::default().apply(stored()), stored());
    }

    #[test]
    fn given_lists_replace_and_empty_lists_clear() {
        let edit = ProductEdit {
            roles: Some(vec![]),
            markets: Some(vec!["JP".into()]),
            support_end: Some(" ".into()),
            cra: CraEdit {
                standards: Some(vec![]),
                ..CraEdit::default()
            },
            ..ProductEdit::default()
        };
        let info = edit.apply(stored());
        assert!(info.roles.is_empty());
        assert_eq!(info.markets, ["JP"]);
        assert_eq!(info.support_end, None);
        assert!(info.cra.standards.is_empty());
        assert_eq!(info.cra.procedure, "Module A", "not given: kept");
        assert_eq!(info.name, "Plug");
    }
}
