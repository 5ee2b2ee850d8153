//! The folder a person's identity, key and trusted keys live in.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::IdentityError;

/// The variable that moves a person's home (tests, scripts, several people on
/// one machine); without it the platform config directory is used.
pub const HOME_ENV: &str = "CANARY_HOME";

/// Files here are small; anything larger is not ours.
const MAX_FILE: u64 = 1 << 20;

/// Who a person is, as they sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub role: String,
}

impl Person {
    /// A person as they typed themselves in, surrounding blanks dropped.
    pub fn new(name: &str, organisation: &str, role: &str) -> Self {
        Self {
            name: name.trim().to_owned(),
            organisation: organisation.trim().to_owned(),
            role: role.trim().to_owned(),
        }
    }
}

/// One person's config directory.
#[derive(Debug, Clone)]
pub struct Home {
    dir: PathBuf,
}

impl Home {
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The platform config directory, e.g. `~/.config/canary`.
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("org", "Canary", "Canary").map(|d| d.config_dir().into())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Creates the folder if needed, readable by its owner alone. A folder that
    /// already exists keeps its permissions: `CANARY_HOME` may name one the person
    /// chose, and it is theirs to lock.
    pub(crate) fn ensure(&self) -> Result<(), IdentityError> {
        if self.dir.is_dir() {
            return Ok(());
        }
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder
            .create(&self.dir)
            .map_err(|e| IdentityError::io(&self.dir, e))
    }

    /// The text of `name` here, `None` when it does not exist.
    pub(crate) fn read(&self, name: &str) -> Result<Option<String>, IdentityError> {
        let path = self.file(name);
        let file = match fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(IdentityError::io(&path, e)),
        };
        let mut text = String::new();
        file.take(MAX_FILE + 1)
            .read_to_string(&mut text)
            .map_err(|e| IdentityError::io(&path, e))?;
        if text.len() as u64 > MAX_FILE {
            return Err(IdentityError::BadFile {
                path,
                reason: "larger than 1 MiB".into(),
            });
        }
        Ok(Some(text))
    }

    pub(crate) fn write(&self, name: &str, text: &str) -> Result<(), IdentityError> {
        self.ensure()?;
        let path = self.file(name);
        crate::fsx::write_atomically(&path, text.as_bytes())
            .map_err(|e| IdentityError::io(&path, e))
    }

    /// The person this home belongs to, once they created a key.
    pub fn person(&self) -> Result<Option<Person>, IdentityError> {
        match self.read(PERSON)? {
            None => Ok(None),
            Some(text) => {
                serde_json::from_str(&text)
                    .map(Some)
                    .map_err(|e| IdentityError::BadFile {
                        path: self.file(PERSON),
                        reason: e.to_string(),
                    })
            }
        }
    }

    /// Who a new key is for: the person recorded here, each field given replacing
    /// theirs, so making a key never forgets an organisation or role set before.
    pub fn person_for_key(
        &self,
        name: Option<&str>,
        organisation: Option<&str>,
        role: Option<&str>,
    ) -> Result<Person, IdentityError> {
        let mut known = self.person()?.unwrap_or_else(|| Person::new("", "", ""));
        // Another name is another person: they do not inherit this one's details.
        if name.is_some_and(|n| n.trim() != known.name) {
            known = Person::new("", "", "");
        }
        let person = Person::new(
            name.unwrap_or(&known.name),
            organisation.unwrap_or(&known.organisation),
            role.unwrap_or(&known.role),
        );
        if person.name.is_empty() {
            return Err(IdentityError::NoName);
        }
        Ok(person)
    }

    /// Records who this person is (name, organisation, role).
    pub fn set_person(&self, person: &Person) -> Result<(), IdentityError> {
        if person.name.trim().is_empty() {
            return Err(IdentityError::NoName);
        }
        let text = serde_json::to_string_pretty(person).expect("a person always serialises");
        self.write(PERSON, &text)
    }
}

pub(super) const PERSON: &str = "person.json";
