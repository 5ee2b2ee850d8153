//! Coverage projected through the mappings: which requirements of a target framework
//! a product's met responses cover, fully or partly, and why the rest are not.
//!
//! The rule (printed in the mapping report): a target requirement is
//! - **met** when its own response is met;
//! - **not applicable** when its own response says so (left out of the percentages);
//! - **covered fully** when a met requirement of another framework is `equal` to it or
//!   a `superset-of` it (read from the met requirement), since meeting the larger one
//!   meets it;
//! - **covered partly** when a met requirement is a `subset-of` it or `intersects-with` it;
//! - **not covered** otherwise. One mapping hop only: coverage is not chained.

use std::collections::BTreeMap;

use serde::Serialize;

use super::data::Status;
use crate::catalogue::{Catalogue, Relationship};

/// Something that knows the mapping rows touching a requirement.
pub trait Links {
    /// `(other end, relationship read from `id` towards it)` for every row touching `id`.
    fn links(&self, id: &str) -> Vec<(String, Relationship)>;

    /// The organisation that published `id` when it is a reference document
    /// (`doc:…`, e.g. the DCMS living list's), not a requirement anyone answers.
    fn document_organisation(&self, id: &str) -> Option<String>;
}

impl Links for Catalogue {
    fn links(&self, id: &str) -> Vec<(String, Relationship)> {
        self.mappings_of(id)
            .into_iter()
            .map(|m| (m.other, m.relationship))
            .collect()
    }

    fn document_organisation(&self, id: &str) -> Option<String> {
        id.starts_with("doc:").then(|| {
            self.document(id).map_or_else(
                || "unknown organisation".to_owned(),
                |d| d.organisation.clone(),
            )
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    Met,
    Full,
    Partial,
    None,
    NotApplicable,
}

/// A mapped requirement that was considered for a target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Via {
    pub requirement: String,
    /// Read from the covering requirement towards the target.
    pub relationship: Relationship,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetCoverage {
    pub requirement: String,
    pub coverage: Coverage,
    /// The met requirements that cover it (empty unless full or partial).
    pub via: Vec<Via>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkCoverage {
    pub framework: String,
    pub requirements: Vec<TargetCoverage>,
    pub met: usize,
    pub full: usize,
    pub partial: usize,
    pub none: usize,
    pub not_applicable: usize,
    /// Met or fully covered, as a share of the applicable requirements.
    pub full_percent: f64,
    pub partial_percent: f64,
}

/// Projects `status` (the product's responses) onto the requirements `targets` of
/// framework `framework`.
pub fn project(
    links: &dyn Links,
    framework: &str,
    targets: &[String],
    status: &dyn Fn(&str) -> Status,
) -> FrameworkCoverage {
    let prefix = format!("{framework}:");
    let requirements: Vec<TargetCoverage> = targets
        .iter()
        .map(|target| {
            let own = status(target);
            if own == Status::Met {
                return done(target, Coverage::Met, "met by its own response");
            }
            if own == Status::NotApplicable {
                return done(
                    target,
                    Coverage::NotApplicable,
                    "not applicable to this product",
                );
            }
            // Reference documents are nobody's answer: counted per organisation,
            // never listed as requirements nor called "not assessed".
            let mut documents: BTreeMap<String, usize> = BTreeMap::new();
            let mapped: Vec<Via> = links
                .links(target)
                .into_iter()
                .filter(|(other, _)| !other.starts_with(&prefix))
                .filter(|(other, _)| match links.document_organisation(other) {
                    Some(org) => {
                        *documents.entry(org).or_default() += 1;
                        false
                    }
                    None => true,
                })
                .map(|(other, rel)| Via {
                    status: status(&other),
                    relationship: rel.inverse(),
                    requirement: other,
                })
                .filter(|v| v.relationship != Relationship::NoRelationship)
                .collect();
            let full: Vec<Via> = mapped
                .iter()
                .filter(|v| v.status == Status::Met && is_full(v.relationship))
                .cloned()
                .collect();
            let partial: Vec<Via> = mapped
                .iter()
                .filter(|v| v.status == Status::Met && !is_full(v.relationship))
                .cloned()
                .collect();
            let (coverage, via) = if !full.is_empty() {
                (Coverage::Full, full)
            } else if !partial.is_empty() {
                (Coverage::Partial, partial)
            } else {
                (Coverage::None, Vec::new())
            };
            let mut reason = match coverage {
                Coverage::Full | Coverage::Partial => describe(&via),
                _ if mapped.is_empty() => match own {
                    Status::NotAssessed => {
                        "not assessed and no mapping to another framework in the catalogue"
                            .to_owned()
                    }
                    s => format!(
                        "own response {}; no mapping to another framework in the catalogue",
                        s.as_str()
                    ),
                },
                _ => format!(
                    "mapped to {} but none of them is met",
                    mapped
                        .iter()
                        .map(|v| format!("{} ({})", v.requirement, v.status.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            if !documents.is_empty() {
                reason.push_str(&format!("; {}", documents_line(&documents)));
            }
            TargetCoverage {
                requirement: target.clone(),
                coverage,
                via,
                reason,
            }
        })
        .collect();
    let count = |c: Coverage| requirements.iter().filter(|r| r.coverage == c).count();
    let (met, full, partial, none, not_applicable) = (
        count(Coverage::Met),
        count(Coverage::Full),
        count(Coverage::Partial),
        count(Coverage::None),
        count(Coverage::NotApplicable),
    );
    let applicable = requirements.len() - not_applicable;
    let percent = |n: usize| {
        if applicable == 0 {
            0.0
        } else {
            (n as f64 * 1000.0 / applicable as f64).round() / 10.0
        }
    };
    FrameworkCoverage {
        framework: framework.to_owned(),
        full_percent: percent(met + full),
        partial_percent: percent(partial),
        requirements,
        met,
        full,
        partial,
        none,
        not_applicable,
    }
}

/// Meeting the covering requirement meets all of the target.
/// "listed against 12 reference documents: ENISA 5, NIST 4, …", most first.
fn documents_line(documents: &BTreeMap<String, usize>) -> String {
    let total: usize = documents.values().sum();
    let mut orgs: Vec<(&String, &usize)> = documents.iter().collect();
    orgs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    format!(
        "listed against {total} reference document{}: {}",
        if total == 1 { "" } else { "s" },
        orgs.iter()
            .map(|(o, n)| format!("{o} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn is_full(rel: Relationship) -> bool {
    matches!(rel, Relationship::Equal | Relationship::SupersetOf)
}

fn done(target: &str, coverage: Coverage, reason: &str) -> TargetCoverage {
    TargetCoverage {
        requirement: target.to_owned(),
        coverage,
        via: Vec::new(),
        reason: reason.to_owned(),
    }
}

fn describe(via: &[Via]) -> String {
    via.iter()
        .map(|v| {
            format!(
                "{} is met ({} this)",
                v.requirement,
                v.relationship.as_str()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// Rows as (from, to, relationship), answered from either end like the catalogue does.
    struct Rows(Vec<(&'static str, &'static str, Relationship)>);

    impl Links for Rows {
        fn links(&self, id: &str) -> Vec<(String, Relationship)> {
            self.0
                .iter()
                .filter_map(|&(from, to, rel)| {
                    if from == id {
                        Some((to.to_owned(), rel))
                    } else if to == id {
                        Some((from.to_owned(), rel.inverse()))
                    } else {
                        None
                    }
                })
                .collect()
        }

        fn document_organisation(&self, id: &str) -> Option<String> {
            id.strip_prefix("doc:")
                .map(|d| d.split('/').next().unwrap_or(d).to_owned())
        }
    }

    fn statuses(pairs: &[(&str, Status)]) -> impl Fn(&str) -> Status {
        let map: HashMap<String, Status> = pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        move |id| map.get(id).copied().unwrap_or(Status::NotAssessed)
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn superset_and_equal_cover_fully_subset_and_intersect_partly() {
        use Relationship::*;
        let rows = Rows(vec![
            ("cop:1", "en:1", SupersetOf),     // meeting cop:1 meets en:1
            ("cop:2", "en:2", SubsetOf),       // cop:2 is only part of en:2
            ("en:3", "cop:3", Equal),          // written from the target's side
            ("cop:4", "en:4", IntersectsWith), // overlap
            ("cop:5", "en:5", SupersetOf),     // cop:5 not met
            ("cop:6", "en:6", NoRelationship),
        ]);
        let status = statuses(&[
            ("cop:1", Status::Met),
            ("cop:2", Status::Met),
            ("cop:3", Status::Met),
            ("cop:4", Status::Met),
            ("cop:5", Status::NotMet),
            ("cop:6", Status::Met),
            ("en:7", Status::Met),
            ("en:8", Status::NotApplicable),
        ]);
        let targets = ids(&[
            "en:1", "en:2", "en:3", "en:4", "en:5", "en:6", "en:7", "en:8", "en:9",
        ]);
        let cov = project(&rows, "en", &targets, &status);
        let got: Vec<Coverage> = cov.requirements.iter().map(|r| r.coverage).collect();
        use Coverage as C;
        assert_eq!(
            got,
            [
                C::Full,
                C::Partial,
                C::Full,
                C::Partial,
                C::None,
                C::None,
                C::Met,
                C::NotApplicable,
                C::None
            ]
        );
        assert_eq!(cov.requirements[0].via[0].relationship, SupersetOf);
        assert_eq!(cov.requirements[2].via[0].requirement, "cop:3");
        assert!(
            cov.requirements[4].reason.contains("cop:5 (not_met)"),
            "{}",
            cov.requirements[4].reason
        );
        assert!(cov.requirements[8].reason.contains("no mapping"));
        // 8 applicable; met + full = 3 → 37.5 %, partial 2 → 25 %.
        assert_eq!(
            (cov.met, cov.full, cov.partial, cov.none, cov.not_applicable),
            (1, 2, 2, 3, 1)
        );
        assert_eq!(cov.full_percent, 37.5);
        assert_eq!(cov.partial_percent, 25.0);
    }

    #[test]
    fn full_wins_over_partial_and_links_inside_the_framework_are_ignored() {
        use Relationship::*;
        let rows = Rows(vec![
            ("cop:1", "en:1", IntersectsWith),
            ("psti:1", "en:1", Equal),
            ("en:2", "en:1", SupersetOf),
        ]);
        let status = statuses(&[
            ("cop:1", Status::Met),
            ("psti:1", Status::Met),
            ("en:2", Status::Met),
        ]);
        let cov = project(&rows, "en", &ids(&["en:1"]), &status);
        assert_eq!(cov.requirements[0].coverage, Coverage::Full);
        assert_eq!(cov.requirements[0].via.len(), 1);
        assert_eq!(cov.requirements[0].via[0].requirement, "psti:1");
        assert_eq!(cov.full_percent, 100.0);
    }

    #[test]
    fn reference_documents_are_counted_per_organisation_never_not_assessed() {
        use Relationship::*;
        let rows = Rows(vec![
            ("cop:1", "doc:ENISA/a", IntersectsWith),
            ("cop:1", "doc:ENISA/b", IntersectsWith),
            ("cop:1", "doc:NIST/c", IntersectsWith),
            ("cop:2", "doc:NIST/c", IntersectsWith),
            ("cop:2", "en:2", SubsetOf),
        ]);
        let cov = project(&rows, "cop", &ids(&["cop:1", "cop:2"]), &|_| {
            Status::NotAssessed
        });
        let one = &cov.requirements[0].reason;
        assert!(
            !one.contains("doc:") && !one.contains("not_assessed ("),
            "{one}"
        );
        assert!(
            one.contains("listed against 3 reference documents: ENISA 2, NIST 1"),
            "{one}"
        );
        let two = &cov.requirements[1].reason;
        assert!(
            two.contains("en:2 (not_assessed)") && two.contains("1 reference document: NIST 1"),
            "{two}"
        );
    }

    #[test]
    fn empty_framework_has_zero_percent() {
        let cov = project(&Rows(vec![]), "en", &[], &|_| Status::Met);
        assert_eq!((cov.full_percent, cov.partial_percent), (0.0, 0.0));
    }
}
