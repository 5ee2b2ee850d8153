//! Opening, creating and migrating workbook files.
//!
//! A file is checked by reading its raw SQLite header before SQLite is allowed to
//! touch it, so a foreign, truncated or newer file is refused byte-for-byte
//! untouched (no WAL, no `-shm`, no header rewrite). Older workbooks are copied
//! to `<file>.bak-v<N>` (VACUUM INTO) before the numbered migrations run.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::error::{Result, WorkbookError};

/// `PRAGMA application_id` of Canary workbooks: ASCII `CNRY`.
pub const APPLICATION_ID: u32 = 0x434E_5259;

/// The numbered migrations; entry `i` takes the file from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_evidence_ids_never_reused.sql"),
    include_str!("migrations/0003_signoff_fixes_what_was_signed.sql"),
];

/// The workbook version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// How long a writer waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

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
    let meta = std::fs::symlink_metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => WorkbookError::NotFound(path.to_owned()),
        _ => WorkbookError::io(path, e),
    })?;
    if meta.is_dir() {
        return Err(not("it is a directory"));
    }
    let len = std::fs::metadata(path)
        .map_err(|e| WorkbookError::io(path, e))?
        .len();
    let mut head = Vec::with_capacity(100);
    File::open(path)
        .and_then(|f| f.take(100).read_to_end(&mut head))
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

/// The name SQLite is given for `path`. The bundled SQLite is built to read names
/// starting with `file:` as URIs whatever the open flags say, so a relative path gets
/// `./` in front: `file:x.canary` names a file, never a URI with options.
fn sqlite_name(path: &Path) -> PathBuf {
    if path.is_relative() {
        Path::new(".").join(path)
    } else {
        path.to_owned()
    }
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
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

/// Opens an existing workbook, migrating it (after a backup) if it is older.
pub(crate) fn open_existing(path: &Path) -> Result<Connection> {
    let header = check_header(path)?;
    if header.user_version > SCHEMA_VERSION {
        return Err(WorkbookError::TooNew {
            path: path.to_owned(),
            found: header.user_version,
            supported: SCHEMA_VERSION,
        });
    }
    let mut conn = Connection::open_with_flags(
        sqlite_name(path),
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // The header can lag behind a committed WAL; ask SQLite before writing anything.
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let app_id: u32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        return Err(WorkbookError::NotAWorkbook {
            path: path.to_owned(),
            reason: "its SQLite application id is not Canary's".into(),
        });
    }
    if version > SCHEMA_VERSION {
        return Err(WorkbookError::TooNew {
            path: path.to_owned(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    configure(&conn)?;
    if version < SCHEMA_VERSION {
        migrate(&mut conn, path)?;
    }
    Ok(conn)
}

/// Creates a new workbook at `path` (which must not exist): built under a temporary
/// name and renamed into place, so a crash never leaves a half-made workbook.
pub(crate) fn create_new(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| WorkbookError::io(dir, e))?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".init-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let built = (|| -> Result<()> {
        let mut conn = Connection::open_with_flags(
            sqlite_name(&tmp),
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        // Building in rollback-journal mode leaves a single self-contained file to rename.
        conn.pragma_update(None, "foreign_keys", true)?;
        migrate_from(&mut conn, 0)?;
        conn.close().map_err(|(_, e)| e)?;
        Ok(())
    })();
    let placed = built.and_then(|()| {
        // hard_link fails if `path` appeared meanwhile, unlike rename; filesystems
        // without hard links get a rename after a last existence check.
        match std::fs::hard_link(&tmp, path) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists && !path.exists() => {
                std::fs::rename(&tmp, path).map_err(|e| WorkbookError::io(path, e))
            }
            other => other.map_err(|e| WorkbookError::io(path, e)),
        }
    });
    let _ = std::fs::remove_file(&tmp);
    let mut journal = tmp.into_os_string();
    journal.push("-journal");
    let _ = std::fs::remove_file(journal);
    placed?;
    open_existing(path)
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
    let backup = backup_path(path, version);
    conn.execute("VACUUM INTO ?1", [sqlite_name(&backup).to_string_lossy()])?;
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
