//! Opening, creating and migrating workbook files.
//!
//! A file is checked by reading its raw SQLite header before SQLite is allowed to
//! touch it, so a foreign, truncated or newer file is refused byte-for-byte
//! untouched (no WAL, no `-shm`, no header rewrite). Then, before any statement
//! that could fire a trigger or read a view, the schema must be exactly Canary's
//! for the file's version (`schema.rs`). Older workbooks are copied to
//! `<file>.bak-v<N>` (VACUUM INTO) before the numbered migrations run.
//!
//! Every connection is hardened first ([`harden`]): defensive mode, no trusted
//! schema, no views, size limits and a per-statement deadline. File names are made
//! absolute so SQLite never reads one as a `file:` URI.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::limits::Limit;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::deadline;
use super::error::{Result, WorkbookError};
use super::schema;
use crate::fsx::{self, Perms, TempFile};
use crate::safe_file;

/// `PRAGMA application_id` of Canary workbooks: ASCII `CNRY`.
pub const APPLICATION_ID: u32 = 0x434E_5259;

/// The numbered migrations; entry `i` takes the file from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_evidence_ids_never_reused.sql"),
    include_str!("migrations/0003_signoff_fixes_what_was_signed.sql"),
    include_str!("migrations/0004_received_documents.sql"),
    include_str!("migrations/0005_product_declaration_of_conformity.sql"),
    include_str!("migrations/0006_signed_acts.sql"),
    include_str!("migrations/0007_product_labels.sql"),
];

/// The workbook version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// How long a writer waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// The largest string or blob a workbook holds (SQLite's length limit): bounds
/// what one value read from a received file can cost, and is the largest
/// evidence file Canary stores.
pub const MAX_VALUE_BYTES: usize = 512 << 20;

/// The longest SQL text a connection accepts (Canary's own statements and
/// migrations are far shorter).
const MAX_SQL_BYTES: i32 = 1 << 20;

/// How a workbook is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads and writes; an older workbook is backed up and migrated.
    ReadWrite,
    /// Reads only: never changes a byte of the file nor leaves `-wal`/`-shm`
    /// beside it; an older workbook is refused rather than migrated.
    ReadOnly,
}

/// What the raw header says about a file.
struct Header {
    user_version: u32,
}

/// Reads and checks the first 100 bytes without SQLite.
fn check_header(path: &Path) -> Result<Header> {
    let not = |reason: &str| WorkbookError::NotAWorkbook {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    // The workbook's own name may be a symbolic link the person chose; what it
    // points to must be a regular file (a FIFO or device would block or never end).
    let (file, meta) =
        safe_file::open_regular(path, safe_file::Links::Follow).map_err(|e| match e {
            safe_file::OpenError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                WorkbookError::NotFound(path.to_owned())
            }
            safe_file::OpenError::Io(e) => WorkbookError::io(path, e),
            safe_file::OpenError::NotRegular(what) => not(&format!("it is {what}")),
        })?;
    let len = meta.len();
    let mut head = Vec::with_capacity(100);
    file.take(100)
        .read_to_end(&mut head)
        .map_err(|e| WorkbookError::io(path, e))?;
    if head.is_empty() {
        return Err(not("the file is empty"));
    }
    let magic_len = head.len().min(SQLITE_MAGIC.len());
    if head[..magic_len] != SQLITE_MAGIC[..magic_len] {
        return Err(not("it is not an SQLite database"));
    }
    if head.len() < 100 {
        return Err(WorkbookError::Truncated {
            path: path.to_owned(),
            actual: len,
            expected: 100,
        });
    }
    let be32 = |at: usize| u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    let app_id = be32(68);
    if app_id != APPLICATION_ID {
        return Err(not("its SQLite application id is not Canary's"));
    }
    let page_size = match u16::from_be_bytes([head[16], head[17]]) {
        1 => 65_536,
        n if n >= 512 && n.is_power_of_two() => u64::from(n),
        _ => return Err(not("its SQLite header is damaged (page size)")),
    };
    // The page count in the header is valid only if written by a build that keeps
    // it (change counter == version-valid-for), and the main file may lag behind a
    // WAL mid-checkpoint; check it only when there is no WAL to recover from.
    let pages = u64::from(be32(28));
    let count_valid = be32(24) == be32(92);
    let wal = wal_path(path);
    let wal_has_frames = std::fs::metadata(&wal)
        .map(|m| m.len() > 0)
        .unwrap_or(false);
    if count_valid && !wal_has_frames && len < pages * page_size {
        return Err(WorkbookError::Truncated {
            path: path.to_owned(),
            actual: len,
            expected: pages * page_size,
        });
    }
    if len % page_size != 0 {
        return Err(WorkbookError::Truncated {
            path: path.to_owned(),
            actual: len,
            expected: len.div_ceil(page_size) * page_size,
        });
    }
    Ok(Header {
        user_version: be32(60),
    })
}

fn wal_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push("-wal");
    PathBuf::from(s)
}

/// Settings every workbook connection gets before its first statement.
pub(crate) fn harden(conn: &mut Connection) -> Result<()> {
    // No writable_schema, no journal_mode=OFF, no writes to shadow tables.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    // Functions with side effects never run from the schema.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    // Canary has no views; none can be read, whatever a file holds.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES as i32)?;
    conn.set_limit(Limit::SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_BYTES)?;
    deadline::install(conn, deadline::STATEMENT_DEADLINE)?;
    Ok(())
}

/// A hardened connection to `path` with triggers off until the schema is checked.
fn connect(path: &Path, access: Access) -> Result<Connection> {
    // An absolute name never starts with `file:`, so SQLite never reads it as a URI.
    let abs = std::path::absolute(path).map_err(|e| WorkbookError::io(path, e))?;
    let rw = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = match access {
        Access::ReadWrite => Connection::open_with_flags(&abs, rw)?,
        Access::ReadOnly => read_connection(&abs)?,
    };
    harden(&mut conn)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    if access == Access::ReadOnly {
        conn.pragma_update(None, "query_only", true)?;
    }
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// A connection that reads a WAL-mode workbook without changing a byte of it.
///
/// SQLite reads such a file through `-wal` and `-shm` beside it, and which kind
/// of connection leaves everything as it was depends on what is there:
/// - A `-wal` with frames holds committed changes (a writer at work, or one that
///   crashed; a `-journal` is a rollback-mode file's unfinished write): read through a read-only connection, which never copies
///   them into the file (no checkpoint on close either). `immutable` would ignore
///   them and show old data. It may add a `-shm` beside the `-wal`; in a
///   read-only folder without one, SQLite cannot read the file and says so.
/// - Otherwise, if this process may write the file and its folder: a read-write
///   connection under `query_only`. Its `-wal`/`-shm` live only while it is open
///   and are removed when it closes, and with no frames nothing is copied into
///   the file. A read-only connection would leave them behind.
/// - Otherwise nobody here can change the file (a read-only copy, folder or
///   disk): read it as `immutable`, which needs no lock and no `-shm`.
fn read_connection(abs: &Path) -> Result<Connection> {
    let rw = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let ro = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    // SQLite puts the sidecars beside the file a link points to.
    let real = std::fs::canonicalize(abs).map_err(|e| WorkbookError::io(abs, e))?;
    if pending_beside(&real) {
        let conn = Connection::open_with_flags(&real, ro)?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        // The first read opens the `-wal` and its `-shm`; where no `-shm` is
        // there nor can be made, SQLite cannot read the file at all.
        let probe: rusqlite::Result<u32> =
            conn.pragma_query_value(None, "user_version", |r| r.get(0));
        return match probe {
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) => {
                Err(WorkbookError::UnfinishedWal(abs.to_owned()))
            }
            _ => Ok(conn),
        };
    }
    if writable(&real) {
        let conn = Connection::open_with_flags(&real, rw)?;
        // A writer recovering or checkpointing holds the lock for a moment: wait,
        // as every connection does, rather than read around its changes.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // The first read makes the `-wal`; only in a folder that refuses new
        // files is the file read as immutable below. Any other failure is told.
        let probe: rusqlite::Result<u32> =
            conn.pragma_query_value(None, "user_version", |r| r.get(0));
        match probe {
            Ok(_) => return Ok(conn),
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
                ) => {}
            Err(e) => return Err(e.into()),
        }
    }
    // The URI is ours, escaped.
    Ok(Connection::open_with_flags(
        immutable_uri(&real),
        ro | OpenFlags::SQLITE_OPEN_URI,
    )?)
}

/// Whether this process may write `path` (opening for append changes nothing).
pub(crate) fn writable(path: &Path) -> bool {
    std::fs::OpenOptions::new().append(true).open(path).is_ok()
}

/// Whether a `-wal` (or, for a file in rollback mode, a `-journal`) beside
/// `path` holds anything a read must not ignore nor a read-write connection
/// write into the file.
fn pending_beside(path: &Path) -> bool {
    ["-wal", "-journal"].iter().any(|suffix| {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        std::fs::metadata(side).is_ok_and(|m| m.len() > 0)
    })
}

/// `file:<percent-escaped absolute path>?immutable=1`.
fn immutable_uri(abs: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut uri = String::from("file:");
    for &b in abs.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
}

fn configure(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", true)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(WorkbookError::Sqlite(rusqlite::Error::InvalidQuery));
    }
    // WAL with synchronous=NORMAL can lose the last commits on power loss but
    // never corrupts; FULL makes every acknowledged command durable.
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

fn too_new(path: &Path, found: u32) -> Result<()> {
    if found > SCHEMA_VERSION {
        return Err(WorkbookError::TooNew {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Opens an existing workbook. Read-write, an older one is migrated after a backup.
pub(crate) fn open_existing(path: &Path, access: Access) -> Result<Connection> {
    let header = check_header(path)?;
    too_new(path, header.user_version)?;
    let mut conn = connect(path, access)?;
    // The header can lag behind a committed WAL; ask SQLite before anything else.
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let app_id: u32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        return Err(WorkbookError::NotAWorkbook {
            path: path.to_owned(),
            reason: "its SQLite application id is not Canary's".into(),
        });
    }
    too_new(path, version)?;
    // Before any trigger can fire, any view be read or the journal mode change.
    schema::check(&conn, version, path)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true)?;
    match access {
        Access::ReadOnly if version < SCHEMA_VERSION => Err(WorkbookError::NeedsMigration {
            path: path.to_owned(),
            found: version,
            supported: SCHEMA_VERSION,
        }),
        Access::ReadOnly => {
            conn.pragma_update(None, "foreign_keys", true)?;
            Ok(conn)
        }
        Access::ReadWrite => {
            configure(&conn)?;
            if version < SCHEMA_VERSION {
                migrate(&mut conn, path)?;
            }
            Ok(conn)
        }
    }
}

/// Reopens a workbook opened read-only for its first write. A file this account
/// cannot write (or whose folder refuses the `-wal`) says so instead of failing
/// with SQLite's "unable to open".
pub(crate) fn reopen_for_writing(path: &Path) -> Result<Connection> {
    let not_writable = || WorkbookError::NotWritable(path.to_owned());
    if !writable(path) {
        return Err(not_writable());
    }
    open_existing(path, Access::ReadWrite).map_err(|e| match e {
        WorkbookError::Sqlite(ref s)
            if matches!(
                s.sqlite_error_code(),
                Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
            ) =>
        {
            not_writable()
        }
        other => other,
    })
}

/// Creates a new workbook at `path` (which must not exist): built under a temporary
/// name and renamed into place, so a crash never leaves a half-made workbook.
pub(crate) fn create_new(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| WorkbookError::io(dir, e))?;
    }
    let abs = std::path::absolute(path).map_err(|e| WorkbookError::io(path, e))?;
    // An unguessable name, made by us: a file planted beside `path` (or its
    // journal, which SQLite would replay) is never opened.
    let (tmp, file) =
        TempFile::beside(&abs, Perms::Default).map_err(|e| WorkbookError::io(path, e))?;
    // Closed before SQLite opens it: closing any descriptor of a file drops the
    // process's POSIX locks on it, SQLite's included.
    drop(file);
    let built = (|| -> Result<()> {
        let mut conn = Connection::open_with_flags(
            tmp.path(),
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NOFOLLOW
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        harden(&mut conn)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        // Building in rollback-journal mode leaves a single self-contained file to rename.
        conn.pragma_update(None, "foreign_keys", true)?;
        migrate_from(&mut conn, 0)?;
        conn.close().map_err(|(_, e)| e)?;
        Ok(())
    })();
    let mut journal = tmp.path().as_os_str().to_owned();
    journal.push("-journal");
    let _ = std::fs::remove_file(journal);
    built?;
    fsx::link_new(tmp, &abs).map_err(|e| WorkbookError::io(path, e))?;
    open_existing(path, Access::ReadWrite)
}

/// Copies the file aside, then runs the missing migrations.
fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another process may have migrated while we waited for the lock.
    let version: u32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    tx.commit()?;
    if version >= SCHEMA_VERSION {
        return Ok(());
    }
    let abs = std::path::absolute(path).map_err(|e| WorkbookError::io(path, e))?;
    let backup = backup_path(&abs, version);
    conn.execute("VACUUM INTO ?1", [backup.to_string_lossy()])?;
    migrate_from(conn, version)
}

/// The first free `<file>.bak-v<N>[.k]`.
fn backup_path(path: &Path, version: u32) -> PathBuf {
    let base = format!("{}.bak-v{version}", path.display());
    let mut candidate = PathBuf::from(&base);
    let mut k = 1;
    while candidate.exists() {
        candidate = PathBuf::from(format!("{base}.{k}"));
        k += 1;
    }
    candidate
}

/// Each migration and its version bump commit together, so a crash leaves the file
/// at a whole version.
fn migrate_from(conn: &mut Connection, mut version: u32) -> Result<()> {
    while (version as usize) < MIGRATIONS.len() {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: u32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if current != version {
            // Someone else migrated meanwhile; continue from where they left it.
            version = current;
            continue;
        }
        tx.execute_batch(MIGRATIONS[version as usize])?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
        version += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The branch for files nobody may write (root may write anything, so the
    /// suite cannot reach it through `connect` when run as root).
    #[test]
    fn an_immutable_read_leaves_nothing_beside_a_wal_mode_file() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a ?#%b");
        std::fs::create_dir(&sub).unwrap();
        let path = sub.join("w.canary");
        drop(create_new(&path).unwrap());
        let before = std::fs::read(&path).unwrap();
        assert_eq!(before[18], 2, "a WAL-mode file");
        let mut conn = Connection::open_with_flags(
            immutable_uri(&path),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
        )
        .unwrap();
        harden(&mut conn).unwrap();
        schema::check(&conn, SCHEMA_VERSION, &path).unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM product", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
        drop(conn);
        assert_eq!(std::fs::read(&path).unwrap(), before);
        let names: Vec<_> = std::fs::read_dir(&sub)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["w.canary"]);
    }
}
