//! Who acts: the person in their own config directory ([`Home`]), never the
//! workbook. Workbooks before version 6 kept a per-workbook profile; a person
//! whose home holds nobody yet becomes that profile, once.

use super::error::Result;
use super::Workbook;
use crate::identity::{Home, Person};

/// The person acting from a home, and whether they were just taken from the
/// workbook's old profile (tell them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acting {
    pub person: Person,
    pub adopted: bool,
}

impl Workbook {
    /// The person `home` holds; a home without one takes this workbook's profile
    /// (saved into the home). `None` when neither knows anybody.
    pub fn person_in(&self, home: &Home) -> Result<Option<Acting>> {
        if let Some(person) = home.person()? {
            return Ok(Some(Acting {
                person,
                adopted: false,
            }));
        }
        let Some(p) = self.profile()? else {
            return Ok(None);
        };
        let person = Person {
            name: p.name,
            organisation: p.organisation,
            role: p.role,
        };
        home.set_person(&person)?;
        Ok(Some(Acting {
            person,
            adopted: true,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::Profile;

    #[test]
    fn the_old_profile_becomes_the_first_person_once() {
        let tmp = tempfile::tempdir().unwrap();
        let mut wb = Workbook::create(&tmp.path().join("w.canary")).unwrap();
        let home = Home::at(tmp.path().join("home"));
        assert_eq!(wb.person_in(&home).unwrap(), None);
        wb.set_profile(&Profile {
            name: "Ada".into(),
            organisation: "Acme".into(),
            role: "Lead".into(),
        })
        .unwrap();
        let first = wb.person_in(&home).unwrap().unwrap();
        assert!(first.adopted);
        assert_eq!(first.person.name, "Ada");
        assert_eq!(home.person().unwrap(), Some(first.person.clone()));
        let again = wb.person_in(&home).unwrap().unwrap();
        assert!(!again.adopted);

        // A home that knows its person keeps it, whatever the workbook says.
        let other = Home::at(tmp.path().join("other"));
        let bob = Person {
            name: "Bob".into(),
            organisation: "Audit Co".into(),
            role: "Auditor".into(),
        };
        other.set_person(&bob).unwrap();
        assert_eq!(wb.person_in(&other).unwrap().unwrap().person, bob);
    }
}
