//! Products: add, edit, list and find by id, model or name.

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::clock::{parse_date, parse_opt_date};
use super::error::{Result, WorkbookError};
use super::model::{Assessment, CraInfo, Manufacturer, Product, ProductInput, ProductLabel};
use super::natural::natural_cmp;
use super::product_edit::ProductEdit;
use super::{to_json, trail, Batch, Workbook};
use crate::catalogue::Catalogue;

pub(crate) const PRODUCT_COLUMNS: &str =
    "id, name, model, product_type, batch, manufacturer_name, \
     manufacturer_address, support_end, roles, markets, created_at, updated_at, \
     cra_standards, cra_notified_body, cra_notified_body_number, cra_procedure, \
     cra_certificate, cra_declaration_url, labels";

pub(crate) fn row_to_product(r: &Row<'_>) -> rusqlite::Result<Product> {
    let list = |i: usize| -> rusqlite::Result<Vec<String>> {
        let text: String = r.get(i)?;
        serde_json::from_str(&text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
    };
    Ok(Product {
        id: r.get(0)?,
        info: ProductInput {
            name: r.get(1)?,
            model: r.get(2)?,
            product_type: r.get(3)?,
            batch: r.get(4)?,
            manufacturer: Manufacturer {
                name: r.get(5)?,
                address: r.get(6)?,
            },
            support_end: r.get(7)?,
            roles: list(8)?,
            markets: list(9)?,
            cra: CraInfo {
                standards: list(12)?,
                notified_body: r.get(13)?,
                notified_body_number: r.get(14)?,
                procedure: r.get(15)?,
                certificate: r.get(16)?,
                declaration_url: r.get(17)?,
            },
            labels: {
                let text: String = r.get(18)?;
                serde_json::from_str(&text).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        18,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })?
            },
        },
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

/// One thing wrong with a product's details: the field (as named in
/// [`ProductInput`], e.g. `manufacturer.name`, `roles[1]`) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductProblem {
    pub field: String,
    pub message: String,
}

/// What every product must satisfy, wherever it comes from (the app, the CLI, a
/// product file): a name, a model and a manufacturer (a retailer matches stock on
/// model and manufacturer, and import matches products on them, so a product
/// without them could not come back from its own export), a real support-period
/// date, no blank or repeated roles, markets and standards, a notified body named
/// with its number (a certificate needs one), a declaration address that is a
/// web link, and labels of a scheme the catalogue lists, at one of its levels,
/// with an id and a real expiry date. Values are taken as given (callers trim first).
pub fn product_problems(cat: &Catalogue, p: &ProductInput) -> Vec<ProductProblem> {
    let mut out = Vec::new();
    let mut problem = |field: String, message: String| out.push(ProductProblem { field, message });
    for (field, value) in [
        ("name", &p.name),
        ("model", &p.model),
        ("manufacturer.name", &p.manufacturer.name),
    ] {
        if value.trim().is_empty() {
            problem(field.to_owned(), "must not be empty".to_owned());
        }
    }
    if let Some(d) = &p.support_end {
        if parse_opt_date("support_end", Some(d)).is_err() {
            problem(
                "support_end".to_owned(),
                format!("`{d}` is not a date in the form YYYY-MM-DD"),
            );
        }
    }
    for (list, values) in [
        ("roles", &p.roles),
        ("markets", &p.markets),
        ("cra.standards", &p.cra.standards),
    ] {
        let mut seen = std::collections::HashSet::new();
        for (i, v) in values.iter().enumerate() {
            let field = format!("{list}[{i}]");
            if v.trim().is_empty() {
                problem(field, "must not be empty".to_owned());
            } else if !seen.insert(v.trim()) {
                problem(field, format!("`{v}` is listed twice"));
            }
        }
    }
    let cra = &p.cra;
    let body = !cra.notified_body.trim().is_empty();
    let number = cra.notified_body_number.trim();
    if body && number.is_empty() {
        problem(
            "cra.notified_body_number".to_owned(),
            "a notified body is named, so give its number too".to_owned(),
        );
    } else if !number.chars().all(|c| c.is_ascii_digit()) {
        // Annex V point 7 asks for "the name and number of the notified body":
        // the number alone, in digits; its name has a field of its own.
        problem(
            "cra.notified_body_number".to_owned(),
            format!("`{number}` is not a number: give the notified body's number in digits only, e.g. 0123"),
        );
    }
    for (field, value) in [
        ("cra.notified_body_number", &cra.notified_body_number),
        ("cra.certificate", &cra.certificate),
    ] {
        if !body && !value.trim().is_empty() {
            problem(
                field.to_owned(),
                "needs the notified body's name (cra.notified_body)".to_owned(),
            );
        }
    }
    if !cra.declaration_url.is_empty() {
        if let Err(why) = super::url::check_url(&cra.declaration_url) {
            problem(
                "cra.declaration_url".to_owned(),
                format!("`{}` {why}", cra.declaration_url),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (i, l) in p.labels.iter().enumerate() {
        let at = |f: &str| format!("labels[{i}].{f}");
        match cat.labelling_scheme(&l.scheme) {
            None => {
                let known: Vec<&str> = cat.labelling_schemes().map(|s| s.id.as_str()).collect();
                problem(
                    at("scheme"),
                    format!(
                        "`{}` is not a labelling scheme of the catalogue (known: {})",
                        l.scheme,
                        known.join(", ")
                    ),
                );
            }
            Some(s) if !s.levels.contains(&l.level) => problem(
                at("level"),
                format!(
                    "`{}` is not a level of {} (levels: {})",
                    l.level,
                    s.short_name,
                    s.levels.join(", ")
                ),
            ),
            Some(_) => {}
        }
        if l.label_id.trim().is_empty() {
            problem(at("label_id"), "must not be empty".to_owned());
        } else if !seen.insert((l.scheme.as_str(), l.label_id.as_str())) {
            problem(
                at("label_id"),
                format!("`{}` is listed twice for {}", l.label_id, l.scheme),
            );
        }
        if parse_date("expiry", &l.expiry).is_err() {
            problem(
                at("expiry"),
                format!("`{}` is not a date in the form YYYY-MM-DD", l.expiry),
            );
        }
    }
    out
}

/// A label trimmed, with its level spelt as the catalogue spells it when it
/// matches but for case (`star-1` is `STAR-1`).
fn normalise_label(cat: &Catalogue, l: &ProductLabel) -> ProductLabel {
    let scheme = l.scheme.trim().to_owned();
    let level = l.level.trim();
    let level = cat
        .labelling_scheme(&scheme)
        .and_then(|s| s.levels.iter().find(|x| x.eq_ignore_ascii_case(level)))
        .map_or_else(|| level.to_owned(), Clone::clone);
    ProductLabel {
        scheme,
        level,
        label_id: l.label_id.trim().to_owned(),
        expiry: l.expiry.trim().to_owned(),
    }
}

/// Trims every field and drops blank list entries, then applies
/// [`product_problems`]; the first problem is the error.
fn normalise(cat: &Catalogue, input: &ProductInput) -> Result<ProductInput> {
    let list = |v: &[String]| -> Vec<String> {
        v.iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let p = ProductInput {
        name: input.name.trim().to_owned(),
        model: input.model.trim().to_owned(),
        product_type: input.product_type.trim().to_owned(),
        batch: input.batch.trim().to_owned(),
        manufacturer: Manufacturer {
            name: input.manufacturer.name.trim().to_owned(),
            address: input.manufacturer.address.trim().to_owned(),
        },
        support_end: parse_opt_date("support_end", input.support_end.as_deref())?,
        roles: list(&input.roles),
        markets: list(&input.markets),
        cra: CraInfo {
            standards: list(&input.cra.standards),
            notified_body: input.cra.notified_body.trim().to_owned(),
            notified_body_number: input.cra.notified_body_number.trim().to_owned(),
            procedure: input.cra.procedure.trim().to_owned(),
            certificate: input.cra.certificate.trim().to_owned(),
            declaration_url: input.cra.declaration_url.trim().to_owned(),
        },
        labels: input
            .labels
            .iter()
            .map(|l| normalise_label(cat, l))
            .collect(),
    };
    match product_problems(cat, &p).into_iter().next() {
        None => Ok(p),
        Some(ProductProblem { field, message }) => {
            Err(WorkbookError::InvalidProduct { field, message })
        }
    }
}

pub(crate) fn load_product(conn: &Connection, id: i64) -> Result<Product> {
    conn.query_row(
        &format!("SELECT {PRODUCT_COLUMNS} FROM product WHERE id = ?1"),
        [id],
        row_to_product,
    )
    .optional()?
    .ok_or_else(|| WorkbookError::ProductNotFound(id.to_string()))
}

impl Batch<'_> {
    /// Adds a product (no assessment yet: see [`Batch::create_assessment`]).
    pub fn add_product(&self, cat: &Catalogue, input: &ProductInput) -> Result<Product> {
        let p = normalise(cat, input)?;
        self.tx.execute(
            "INSERT INTO product (name, model, product_type, batch, manufacturer_name,
               manufacturer_address, support_end, roles, markets, created_at, updated_at,
               cra_standards, cra_notified_body, cra_notified_body_number, cra_procedure,
               cra_certificate, cra_declaration_url, labels)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            params![
                p.name,
                p.model,
                p.product_type,
                p.batch,
                p.manufacturer.name,
                p.manufacturer.address,
                p.support_end,
                to_json(&p.roles),
                to_json(&p.markets),
                self.now,
                to_json(&p.cra.standards),
                p.cra.notified_body,
                p.cra.notified_body_number,
                p.cra.procedure,
                p.cra.certificate,
                p.cra.declaration_url,
                to_json(&p.labels),
            ],
        )?;
        let product = Product {
            id: self.tx.last_insert_rowid(),
            info: p,
            created_at: self.now.clone(),
            updated_at: self.now.clone(),
        };
        self.record(trail::Change {
            entity: "product",
            entity_id: product.id.to_string(),
            action: "create",
            before: None,
            after: Some(to_json(&product)),
        })?;
        Ok(product)
    }

    /// Replaces a product's details.
    pub fn update_product(
        &self,
        cat: &Catalogue,
        id: i64,
        input: &ProductInput,
    ) -> Result<Product> {
        let p = normalise(cat, input)?;
        let before = load_product(&self.tx, id)?;
        self.tx.execute(
            "UPDATE product SET name = ?2, model = ?3, product_type = ?4, batch = ?5,
               manufacturer_name = ?6, manufacturer_address = ?7, support_end = ?8,
               roles = ?9, markets = ?10, updated_at = ?11, cra_standards = ?12,
               cra_notified_body = ?13, cra_notified_body_number = ?14, cra_procedure = ?15,
               cra_certificate = ?16, cra_declaration_url = ?17, labels = ?18 WHERE id = ?1",
            params![
                id,
                p.name,
                p.model,
                p.product_type,
                p.batch,
                p.manufacturer.name,
                p.manufacturer.address,
                p.support_end,
                to_json(&p.roles),
                to_json(&p.markets),
                self.now,
                to_json(&p.cra.standards),
                p.cra.notified_body,
                p.cra.notified_body_number,
                p.cra.procedure,
                p.cra.certificate,
                p.cra.declaration_url,
                to_json(&p.labels),
            ],
        )?;
        let after = Product {
            id,
            info: p,
            created_at: before.created_at.clone(),
            updated_at: self.now.clone(),
        };
        self.record(trail::Change {
            entity: "product",
            entity_id: id.to_string(),
            action: "update",
            before: Some(to_json(&before)),
            after: Some(to_json(&after)),
        })?;
        Ok(after)
    }
}

impl Workbook {
    /// See [`Batch::add_product`].
    pub fn add_product(&mut self, cat: &Catalogue, input: &ProductInput) -> Result<Product> {
        self.batch(|b| b.add_product(cat, input))
    }

    /// Adds a product and its first assessment (labelled `label`, against
    /// `frameworks`) in one transaction: if either is refused, neither is stored.
    pub fn add_product_with_assessment(
        &mut self,
        cat: &Catalogue,
        input: &ProductInput,
        label: &str,
        frameworks: &[String],
    ) -> Result<(Product, Assessment)> {
        self.batch(|b| {
            let p = b.add_product(cat, input)?;
            let a = b.create_assessment(cat, p.id, label, frameworks)?;
            Ok((p, a))
        })
    }

    /// Makes `edit` to product `id`'s details, read and written in one
    /// transaction.
    pub fn edit_product(&mut self, cat: &Catalogue, id: i64, edit: ProductEdit) -> Result<Product> {
        self.batch(|b| {
            let info = load_product(&b.tx, id)?.info;
            b.update_product(cat, id, &edit.apply(info))
        })
    }

    /// See [`Batch::update_product`].
    pub fn update_product(
        &mut self,
        cat: &Catalogue,
        id: i64,
        input: &ProductInput,
    ) -> Result<Product> {
        self.batch(|b| b.update_product(cat, id, input))
    }

    pub fn product(&self, id: i64) -> Result<Product> {
        load_product(&self.conn, id)
    }

    /// Every product, by name (numbers by value: "Plug 2" before "Plug 10").
    pub fn products(&self) -> Result<Vec<Product>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {PRODUCT_COLUMNS} FROM product ORDER BY id"
        ))?;
        let mut rows: Vec<Product> = stmt
            .query_map([], row_to_product)?
            .collect::<rusqlite::Result<_>>()?;
        rows.sort_by(|x, y| natural_cmp(&x.info.name, &y.info.name).then(x.id.cmp(&y.id)));
        Ok(rows)
    }

    /// Finds a product by id, then exact model, then name (case-insensitive).
    /// Several matches at the first level that has any is an error listing them.
    pub fn find_product(&self, query: &str) -> Result<Product> {
        let q = query.trim();
        if let Ok(id) = q.parse::<i64>() {
            if let Ok(p) = self.product(id) {
                return Ok(p);
            }
        }
        for clause in ["model = ?1 AND model <> ''", "name = ?1 COLLATE NOCASE"] {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {PRODUCT_COLUMNS} FROM product WHERE {clause} ORDER BY id"
            ))?;
            let mut found: Vec<Product> = stmt
                .query_map([q], row_to_product)?
                .collect::<rusqlite::Result<_>>()?;
            match found.len() {
                0 => continue,
                1 => return Ok(found.remove(0)),
                _ => {
                    return Err(WorkbookError::AmbiguousProduct {
                        query: q.to_owned(),
                        matches: found
                            .iter()
                            .map(|p| {
                                format!("{} (id {}, model {})", p.info.name, p.id, p.info.model)
                            })
                            .collect(),
                    })
                }
            }
        }
        Err(WorkbookError::ProductNotFound(q.to_owned()))
    }
}
