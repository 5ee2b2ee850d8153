//! The workbook: one SQLite file (`.canary`) holding products, assessments,
//! responses, evidence files, review, sign-off and a hash-chained trail.
//!
//! - Opening checks the raw header first and leaves foreign, truncated or newer
//!   files untouched; then the schema must be exactly Canary's for the file's
//!   version, so a received file's triggers or views never run (`schema.rs`);
//!   older workbooks are backed up to `<file>.bak-v<N>` and migrated (see
//!   `open.rs`, migrations in `migrations/NNNN_*.sql`). [`Workbook::open_read_only`]
//!   never changes a byte; [`Workbook::open_until_write`] (the app) reads that way
//!   until its first write. No statement can run longer than [`STATEMENT_DEADLINE`].
//! - Every write is one `BEGIN IMMEDIATE` transaction that also appends to the
//!   trail, so a killed process leaves either the whole change or none of it, and
//!   two processes on one file queue behind SQLite's lock (`busy_timeout`).
//! - Writes need an actor: the one set with [`Workbook::set_actor`] (the CLI's
//!   `--as NAME`) or else the stored profile's name; with neither, writes fail with
//!   [`WorkbookError::NoActor`] rather than record an anonymous change.
//! - Time comes from a [`Clock`] ([`SystemClock`] by default, [`FixedClock`] in tests).
//! - Read models ([`Workbook::dashboard`], [`Workbook::product_page`]) take the
//!   [`Catalogue`] for requirement order, titles, totals and the canaries.

pub(crate) mod acts;
mod assessments;
mod clock;
mod deadline;
mod error;
mod evidence;
mod model;
mod natural;
mod open;
mod people;
mod product_edit;
mod products;
mod received;
mod replay;
mod schema;
mod support;
mod text_limit;
mod trail;
mod url;
mod verify;
mod views;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use crate::identity::Signer;

pub(crate) use assessments::ensure_editable;
pub(crate) use clock::civil_from_days;
pub use clock::{date_of, parse_date, timestamp, Clock, FixedClock, SystemClock};
pub use deadline::STATEMENT_DEADLINE;
pub use error::{Result, WorkbookError};
pub use evidence::{media_type_of, opens_in_viewer, Opening, NOTE_TITLE_CHARS};
pub use model::*;
pub use open::{Access, APPLICATION_ID, MAX_VALUE_BYTES, SCHEMA_VERSION};
pub use people::{ActSigning, Acting};
pub use product_edit::{CraEdit, ProductEdit};
pub use products::{product_problems, ProductProblem};
pub use received::{KeyTrust, ReceivedDocument, SignatureStatus, Stored};
pub use support::support_until;
pub use text_limit::MAX_TEXT_BYTES;
pub use trail::GENESIS;
pub use url::check_url;

#[cfg(doc)]
use crate::catalogue::Catalogue;

/// File extension of workbooks.
pub const EXTENSION: &str = "canary";

/// `<platform data dir>/workbook.canary`, e.g. `~/.local/share/canary/workbook.canary`.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Canary", "Canary")
        .map(|d| d.data_dir().join(format!("workbook.{EXTENSION}")))
}

/// An open workbook. Not `Sync`: share it behind a `Mutex`.
pub struct Workbook {
    conn: Connection,
    path: PathBuf,
    clock: Box<dyn Clock>,
    actor: Option<String>,
    /// Signs the actor's acts when it is the actor (see `acts.rs`).
    signer: Option<Signer>,
    access: Access,
    /// Opened by [`Workbook::open_until_write`]: the first write reopens it read-write.
    write_on_demand: bool,
}

/// Several changes in one transaction: all of them are stored or none (an import,
/// a bulk edit). Every method of [`Workbook`] that changes something is also here.
/// Get one from [`Workbook::batch`].
pub struct Batch<'c> {
    pub(crate) tx: rusqlite::Transaction<'c>,
    pub(crate) actor: String,
    pub(crate) now: String,
    pub(crate) today: String,
    /// The actor's key, when they have one unlocked.
    pub(crate) signer: Option<&'c Signer>,
}

impl Batch<'_> {
    /// Appends `change` to the trail.
    pub(crate) fn record(&self, change: trail::Change<'_>) -> Result<()> {
        text_limit::check(change.entity, &self.actor, change.after.as_deref())?;
        let act = acts::is_act(change.entity, change.action);
        if act {
            self.before_act()?;
        }
        let event = trail::append(&self.tx, &self.actor, &self.now, change)?;
        if let (true, Some(signer)) = (act, self.signer) {
            acts::sign(&self.tx, signer, &event)?;
        }
        Ok(())
    }

    /// The trail head as this transaction sees it; lets a caller that planned its
    /// writes before taking the lock check that nothing changed since.
    pub fn trail_head(&self) -> Result<String> {
        trail::head(&self.tx)
    }
}

impl Workbook {
    /// Opens an existing workbook (migrating an older one after a backup).
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, Access::ReadWrite)
    }

    /// Opens an existing workbook for reading only: no byte of the file changes
    /// and no `-wal`/`-shm` is left beside it, so it works on a read-only copy.
    /// Writes fail with [`WorkbookError::ReadOnly`]; an older workbook is refused
    /// with [`WorkbookError::NeedsMigration`].
    pub fn open_read_only(path: &Path) -> Result<Self> {
        Self::open_with(path, Access::ReadOnly)
    }

    pub fn open_with(path: &Path, access: Access) -> Result<Self> {
        Ok(Self::wrap(open::open_existing(path, access)?, path, access))
    }

    /// Opens an existing workbook read-only until the first write, which reopens
    /// it read-write (checking its schema again): a person who only looks at a
    /// workbook leaves it as it was. An older workbook cannot be read without
    /// migrating, so it is opened read-write (and migrated after a backup) at once.
    pub fn open_until_write(path: &Path) -> Result<Self> {
        match Self::open_read_only(path) {
            Ok(mut wb) => {
                wb.write_on_demand = true;
                Ok(wb)
            }
            // A file this account cannot write keeps the clearer error.
            Err(WorkbookError::NeedsMigration { .. }) if open::writable(path) => Self::open(path),
            Err(e) => Err(e),
        }
    }

    /// Creates a new, empty workbook; fails if `path` exists.
    pub fn create(path: &Path) -> Result<Self> {
        Ok(Self::wrap(open::create_new(path)?, path, Access::ReadWrite))
    }

    /// Opens `path` as [`Workbook::open_until_write`] does, creating a new
    /// workbook there if nothing exists yet.
    pub fn open_or_create(path: &Path) -> Result<Self> {
        match Self::open_until_write(path) {
            Err(WorkbookError::NotFound(_)) => match Self::create(path) {
                // Another process created it in the meantime.
                Err(WorkbookError::Io { error, .. })
                    if error.kind() == std::io::ErrorKind::AlreadyExists =>
                {
                    Self::open_until_write(path)
                }
                other => other,
            },
            other => other,
        }
    }

    fn wrap(conn: Connection, path: &Path, access: Access) -> Self {
        Self {
            conn,
            path: path.to_owned(),
            clock: Box::new(SystemClock),
            actor: None,
            signer: None,
            access,
            write_on_demand: false,
        }
    }

    /// How this workbook's file is open now.
    pub fn access(&self) -> Access {
        self.access
    }

    /// Uses `clock` for every timestamp from now on.
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Box::new(clock);
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Today's date by the workbook's clock, `YYYY-MM-DD`.
    pub fn today(&self) -> String {
        date_of(self.clock.now())
    }

    /// Records changes as `name` instead of the profile's name (`None` to go back).
    pub fn set_actor(&mut self, name: Option<String>) {
        self.actor = name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    }

    /// Signs acts (submit, verdicts, approve, request changes, sign, clone) with
    /// `signer`'s key whenever its person is the actor; `None` records them unsigned.
    pub fn set_signer(&mut self, signer: Option<Signer>) {
        self.signer = signer;
    }

    /// The unlocked key a document made now is signed with: the signer's, when
    /// its person is the actor (as for acts); `None` leaves it unsigned.
    pub fn document_signer(&self) -> Option<&Signer> {
        let actor = self.actor().ok()?;
        self.signer
            .as_ref()
            .filter(|s| s.person.name.trim() == actor)
    }

    /// Who the next change will be recorded as.
    pub fn actor(&self) -> Result<String> {
        if let Some(a) = &self.actor {
            return Ok(a.clone());
        }
        self.profile()?
            .map(|p| p.name)
            .ok_or(WorkbookError::NoActor)
    }

    /// Runs `f` in one write transaction (`BEGIN IMMEDIATE`): committed if it
    /// returns `Ok`, rolled back otherwise.
    pub fn batch<T>(&mut self, f: impl FnOnce(&Batch<'_>) -> Result<T>) -> Result<T> {
        let actor = self.actor()?;
        self.write_as(actor, f)
    }

    fn write_as<T>(&mut self, actor: String, f: impl FnOnce(&Batch<'_>) -> Result<T>) -> Result<T> {
        if self.access == Access::ReadOnly {
            if !self.write_on_demand {
                return Err(WorkbookError::ReadOnly);
            }
            // The file may have changed since it was opened; it is checked again.
            self.conn = open::reopen_for_writing(&self.path)?;
            self.access = Access::ReadWrite;
        }
        let now = self.clock.now();
        let signer = self
            .signer
            .as_ref()
            .filter(|s| s.person.name.trim() == actor);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let batch = Batch {
            tx,
            actor,
            now: timestamp(now),
            today: date_of(now),
            signer,
        };
        let out = f(&batch)?;
        batch.tx.commit()?;
        Ok(out)
    }

    /// The stored profile, if one was set.
    pub fn profile(&self) -> Result<Option<Profile>> {
        Ok(self
            .conn
            .query_row(
                "SELECT name, organisation, role FROM profile WHERE id = 1",
                [],
                |r| {
                    Ok(Profile {
                        name: r.get(0)?,
                        organisation: r.get(1)?,
                        role: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Stores the profile; the change is recorded as the new profile's name unless
    /// an actor was set.
    pub fn set_profile(&mut self, profile: &Profile) -> Result<Profile> {
        let p = Profile {
            name: profile.name.trim().to_owned(),
            organisation: profile.organisation.trim().to_owned(),
            role: profile.role.trim().to_owned(),
        };
        if p.name.is_empty() {
            return Err(WorkbookError::Required { field: "name" });
        }
        let before = self.profile()?;
        let actor = self.actor.clone().unwrap_or_else(|| p.name.clone());
        self.write_as(actor, |tx| {
            tx.tx.execute(
                "INSERT INTO profile (id, name, organisation, role) VALUES (1, ?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name,
                   organisation = excluded.organisation, role = excluded.role",
                rusqlite::params![p.name, p.organisation, p.role],
            )?;
            tx.record(trail::Change {
                entity: "profile",
                entity_id: "1".into(),
                action: if before.is_some() { "update" } else { "create" },
                before: before.as_ref().map(to_json),
                after: Some(to_json(&p)),
            })
        })?;
        Ok(p)
    }

    /// Hash of the newest trail event ([`GENESIS`] when empty); reports print it.
    pub fn trail_head(&self) -> Result<String> {
        trail::head(&self.conn)
    }

    /// Trail events in order; with `last`, only the newest `last` of them.
    pub fn log(&self, last: Option<usize>) -> Result<Vec<Event>> {
        let limit = last.map_or(-1, |n| n as i64);
        let mut stmt = self.conn.prepare(&format!(
            "SELECT * FROM (SELECT {} FROM event ORDER BY seq DESC LIMIT ?1) ORDER BY seq",
            trail::EVENT_COLUMNS
        ))?;
        let rows = stmt.query_map([limit], trail::row_to_event)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One page of the trail, newest first: up to `limit` events older than
    /// `before` (a `seq`; `None` starts at the newest). For screens that page
    /// back through a long history.
    pub fn log_page(&self, before: Option<i64>, limit: usize) -> Result<Vec<Event>> {
        if let Some(b) = before.filter(|b| *b < 1) {
            return Err(WorkbookError::InvalidValue {
                field: "before",
                value: b.to_string(),
                expected: "event numbers, from 1".into(),
            });
        }
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM event WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2",
            trail::EVENT_COLUMNS
        ))?;
        let rows = stmt.query_map(
            rusqlite::params![before.unwrap_or(i64::MAX), limit as i64],
            trail::row_to_event,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Trims and refuses blank values of required fields.
pub(crate) fn required(field: &'static str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        Err(WorkbookError::Required { field })
    } else {
        Ok(v.to_owned())
    }
}
