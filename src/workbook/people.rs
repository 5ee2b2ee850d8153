//! Who acts: the person in their own config directory ([`Home`]), never the
//! workbook. Workbooks before version 6 kept a per-workbook profile; a person
//! whose home holds nobody yet becomes that profile, once. Someone who is nobody
//! yet (a retailer receiving documents on a fresh install) acts as their computer
//! login, in the CLI and the app alike.

use super::error::{Result, WorkbookError};
use super::Workbook;
use crate::identity::{Home, Person};

/// How the acts of the next write will be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActSigning {
    /// With the actor's unlocked key.
    Signed,
    /// Unsigned: the home holds no key.
    NoKey,
    /// Unsigned: the actor is not the home's person (`--as` someone else).
    OtherActor,
}

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

/// The computer login, recorded as the actor until a person is set up. Falls
/// back to the home directory's name where no login variable is set (services,
/// containers).
pub fn login_name() -> Option<String> {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|n| !n.trim().is_empty()))
        .or_else(|| {
            std::env::var_os("HOME")
                .map(std::path::PathBuf::from)
                .and_then(|h| h.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
}

impl Workbook {
    /// Records the next changes as the person `home` holds (see [`Workbook::person_in`]),
    /// else as the computer login ([`login_name`]). Returns the person, if any.
    pub fn act_as_person(&mut self, home: Option<&Home>) -> Result<Option<Acting>> {
        let acting = match home {
            Some(h) => self.person_in(h)?,
            None => None,
        };
        self.set_actor(
            acting
                .as_ref()
                .map(|a| a.person.name.clone())
                .or_else(login_name),
        );
        Ok(acting)
    }
}

impl Workbook {
    /// Readies the next acts from `home`: when its person is the actor and has a
    /// key, unlocks it with `passphrase` (kept unlocked, in memory only, until
    /// another signer is set); without a passphrase then, refuses with
    /// [`WorkbookError::PassphraseRequired`] so the caller can ask for one.
    pub fn prepare_acts(&mut self, home: &Home, passphrase: Option<&str>) -> Result<ActSigning> {
        let actor = self.actor()?;
        let Some(key) = home.public_key()? else {
            return Ok(ActSigning::NoKey);
        };
        if home.person()?.is_none_or(|p| p.name.trim() != actor) {
            return Ok(ActSigning::OtherActor);
        }
        let unlocked = self
            .signer
            .as_ref()
            .is_some_and(|s| s.key.public() == &key && s.person.name.trim() == actor);
        if unlocked {
            return Ok(ActSigning::Signed);
        }
        let Some(passphrase) = passphrase else {
            return Err(WorkbookError::PassphraseRequired {
                key_id: key.key_id(),
            });
        };
        self.set_signer(home.signer(passphrase)?);
        Ok(ActSigning::Signed)
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

    #[test]
    fn nobody_acts_as_the_login_a_person_as_themselves() {
        let tmp = tempfile::tempdir().unwrap();
        let mut wb = Workbook::create(&tmp.path().join("w.canary")).unwrap();
        let home = Home::at(tmp.path().join("home"));
        assert_eq!(wb.act_as_person(Some(&home)).unwrap(), None);
        assert_eq!(wb.actor().ok(), login_name());
        assert_eq!(wb.act_as_person(None).unwrap(), None);
        assert_eq!(wb.actor().ok(), login_name());
        let rita = Person {
            name: "Rita Retail".into(),
            organisation: "Shop".into(),
            role: String::new(),
        };
        home.set_person(&rita).unwrap();
        let acting = wb.act_as_person(Some(&home)).unwrap().unwrap();
        assert_eq!(acting.person, rita);
        assert_eq!(wb.actor().unwrap(), "Rita Retail");
    }

    #[test]
    fn acts_need_the_passphrase_of_the_actors_own_key() {
        let tmp = tempfile::tempdir().unwrap();
        let mut wb = Workbook::create(&tmp.path().join("w.canary")).unwrap();
        let home = Home::at(tmp.path().join("home"));
        let ada = Person {
            name: "Ada".into(),
            organisation: String::new(),
            role: String::new(),
        };
        home.set_person(&ada).unwrap();
        wb.set_actor(Some("Ada".into()));
        assert_eq!(wb.prepare_acts(&home, None).unwrap(), ActSigning::NoKey);
        home.create_key(&ada, "pw").unwrap();
        let err = wb.prepare_acts(&home, None).unwrap_err();
        assert_eq!(err.code(), "passphrase_required", "{err}");
        let err = wb.prepare_acts(&home, Some("nope")).unwrap_err();
        assert_eq!(err.code(), "wrong_passphrase", "{err}");
        assert_eq!(
            wb.prepare_acts(&home, Some("pw")).unwrap(),
            ActSigning::Signed
        );
        assert!(wb.signs_acts());
        // Unlocked once, for this open workbook.
        assert_eq!(wb.prepare_acts(&home, None).unwrap(), ActSigning::Signed);
        wb.set_actor(Some("Bob".into()));
        assert_eq!(
            wb.prepare_acts(&home, None).unwrap(),
            ActSigning::OtherActor
        );
        assert!(!wb.signs_acts());
    }
}
