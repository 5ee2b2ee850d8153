//! Evidence items and the files behind them.
//!
//! Files are stored once per content (SHA-256) in the `blob` table and streamed in
//! and out with SQLite's incremental BLOB I/O in fixed-size chunks, so a large file
//! never sits in memory. Storing reads the file twice: once to hash it (to find a
//! duplicate before writing anything), once to copy it into a `zeroblob` of the
//! right size while hashing again, so a file changed in between is refused.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Component, Path};

use rusqlite::blob::ZeroBlob;
use rusqlite::{params, Connection, OptionalExtension, Row};
use sha2::{Digest, Sha256};

use super::assessments::{
    bad_text, check_requirement, ensure_editable, ensure_response, load_assessment, load_response,
};
use super::clock::parse_opt_date;
use super::error::{Result, WorkbookError};
use super::model::{BlobRef, Evidence, EvidenceInput, EvidenceKind, EvidenceSource};
use super::open::MAX_VALUE_BYTES;
use super::url::check_url;
use super::{required, to_json, trail, Batch, Workbook};
use crate::catalogue::Catalogue;
use crate::digest::hex;
use crate::safe_file::{self, Links, OpenError};

const CHUNK: usize = 256 * 1024;

/// How much of a note's first line becomes its title when none is given.
pub const NOTE_TITLE_CHARS: usize = 60;

pub(crate) const EVIDENCE_COLUMNS: &str =
    "id, response_id, title, kind, blob_hash, file_name, size, \
     media_type, url, note, date, expires, added_at, added_by";

pub(crate) fn row_to_evidence(r: &Row<'_>) -> rusqlite::Result<Evidence> {
    let kind: String = r.get(3)?;
    Ok(Evidence {
        id: r.get(0)?,
        response_id: r.get(1)?,
        title: r.get(2)?,
        kind: EvidenceKind::parse(&kind).ok_or_else(|| bad_text(3, &kind))?,
        blob_hash: r.get(4)?,
        file_name: r.get(5)?,
        size: r.get::<_, Option<i64>>(6)?.map(|s| s as u64),
        media_type: r.get(7)?,
        url: r.get(8)?,
        note: r.get(9)?,
        date: r.get(10)?,
        expires: r.get(11)?,
        added_at: r.get(12)?,
        added_by: r.get(13)?,
    })
}

/// A media type guessed from a file name's extension.
pub fn media_type_of(file_name: &str) -> &'static str {
    let ext = Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "txt" | "log" => "text/plain",
        "md" => "text/markdown",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "json" => "application/json",
        "xml" => "application/xml",
        "yaml" | "yml" => "application/yaml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "zip" => "application/zip",
        "gz" | "tgz" => "application/gzip",
        "tar" => "application/x-tar",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "pcap" | "pcapng" => "application/vnd.tcpdump.pcap",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// The title of an item added without one: a file's name, a link's URL, a note's
/// first line (up to [`NOTE_TITLE_CHARS`] characters).
fn default_title(e: &Evidence) -> String {
    let first_line = |n: &str| -> String {
        let line = n.trim().lines().next().unwrap_or_default();
        line.chars()
            .take(NOTE_TITLE_CHARS)
            .collect::<String>()
            .trim()
            .to_owned()
    };
    match e.kind {
        EvidenceKind::File => e.file_name.clone().unwrap_or_default(),
        EvidenceKind::Link => e.url.clone().unwrap_or_default(),
        EvidenceKind::Note => e.note.as_deref().map(first_line).unwrap_or_default(),
    }
}

/// Files the app hands to the system's viewer: documents and pictures that
/// viewers only display. Anything else (HTML, SVG, archives, office files,
/// executables) could run code when opened, so it is only shown in its folder.
pub fn opens_in_viewer(file_name: &str) -> bool {
    matches!(
        media_type_of(file_name),
        "application/pdf"
            | "image/png"
            | "image/jpeg"
            | "image/gif"
            | "image/webp"
            | "text/plain"
            | "text/markdown"
            | "text/csv"
    )
}

/// What opening an evidence item means; decided here so no front end opens
/// anything the rules above refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opening {
    /// A web link, checked again: an older or received workbook may hold one
    /// stored before the rule.
    Link(String),
    /// A stored file to copy out read-only and show with the system's viewer.
    View { hash: String, file_name: String },
    /// A stored file of another type: copied out and shown in its folder, never run.
    Reveal { hash: String, file_name: String },
}

impl Evidence {
    /// How to open this item; a note has nothing to open.
    pub fn opening(&self) -> Result<Opening> {
        match (self.kind, &self.url, &self.blob_hash) {
            (EvidenceKind::Link, Some(url), _) => {
                check_url(url).map_err(|reason| WorkbookError::InvalidUrl {
                    url: url.clone(),
                    reason,
                })?;
                Ok(Opening::Link(url.clone()))
            }
            (EvidenceKind::File, _, Some(hash)) => {
                // Only the last component of the stored name: a received workbook
                // could hold `../../somewhere`.
                let file_name = self
                    .file_name
                    .as_deref()
                    .map(Path::new)
                    .and_then(Path::file_name)
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| hash.clone());
                let (hash, file_name) = (hash.clone(), file_name);
                Ok(if opens_in_viewer(&file_name) {
                    Opening::View { hash, file_name }
                } else {
                    Opening::Reveal { hash, file_name }
                })
            }
            _ => Err(WorkbookError::NothingToOpen(self.id)),
        }
    }
}

/// Refuses what must not be read as evidence: `..` components, symlinks,
/// directories, FIFOs, sockets, devices, missing files, files over
/// [`MAX_VALUE_BYTES`]. The check is made on the opened descriptor, so the file
/// read is the file checked. Returns the opened file and its size.
fn open_evidence_file(path: &Path) -> Result<(File, u64)> {
    let refuse = |reason| WorkbookError::EvidencePath {
        path: path.to_owned(),
        reason,
    };
    if path.components().any(|c| c == Component::ParentDir) {
        return Err(refuse("paths with `..` are refused"));
    }
    let (file, meta) = safe_file::open_regular(path, Links::Refuse).map_err(|e| match e {
        OpenError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => refuse("no such file"),
        OpenError::Io(e) => WorkbookError::io(path, e),
        OpenError::NotRegular("a symbolic link") => {
            refuse("symbolic links are refused; give the file itself")
        }
        OpenError::NotRegular("a directory") => refuse("it is a directory"),
        OpenError::NotRegular("a named pipe (FIFO)") => {
            refuse("it is a named pipe (FIFO), not a regular file")
        }
        OpenError::NotRegular("a device") => refuse("it is a device, not a regular file"),
        OpenError::NotRegular(_) => refuse("it is not a regular file"),
    })?;
    if meta.len() > MAX_VALUE_BYTES as u64 {
        return Err(refuse(
            "it is larger than 512 MiB, the most a workbook stores in one file",
        ));
    }
    Ok((file, meta.len()))
}

/// Hashes a reader in chunks; returns (hex digest, bytes read).
fn hash_stream(mut r: impl Read, path: &Path) -> Result<(String, u64)> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut total = 0u64;
    loop {
        let n = r.read(&mut buf).map_err(|e| WorkbookError::io(path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        total += n as u64;
    }
    Ok((hex(&h.finalize()), total))
}

fn blob_size(conn: &Connection, hash: &str) -> Result<Option<u64>> {
    Ok(conn
        .query_row("SELECT size FROM blob WHERE hash = ?1", [hash], |r| {
            r.get::<_, i64>(0)
        })
        .optional()?
        .map(|s| s as u64))
}

/// Stores a file's content inside the caller's transaction.
fn put_blob(conn: &Connection, path: &Path) -> Result<BlobRef> {
    let (file, size) = open_evidence_file(path)?;
    let (hash, read) = hash_stream(file, path)?;
    if read != size {
        return Err(WorkbookError::FileChanged(path.to_owned()));
    }
    if let Some(size) = blob_size(conn, &hash)? {
        return Ok(BlobRef {
            hash,
            size,
            new: false,
        });
    }
    conn.execute(
        "INSERT INTO blob (hash, size, data) VALUES (?1, ?2, ?3)",
        params![hash, size as i64, ZeroBlob(size)],
    )?;
    let rowid = conn.last_insert_rowid();
    let mut blob = conn.blob_open("main", "blob", "data", rowid, false)?;
    let (mut file, _) = open_evidence_file(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut offset = 0usize;
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| WorkbookError::io(path, e))?;
        if n == 0 {
            break;
        }
        if offset as u64 + n as u64 > size {
            return Err(WorkbookError::FileChanged(path.to_owned()));
        }
        blob.write_at(&buf[..n], offset)?;
        h.update(&buf[..n]);
        offset += n;
    }
    blob.close()?;
    if offset as u64 != size || hex(&h.finalize()) != hash {
        return Err(WorkbookError::FileChanged(path.to_owned()));
    }
    Ok(BlobRef {
        hash,
        size,
        new: true,
    })
}

/// Stores bytes already in memory (a received document, bounded by its reader)
/// inside the caller's transaction.
fn put_bytes(conn: &Connection, bytes: &[u8]) -> Result<BlobRef> {
    let hash = hex(&Sha256::digest(bytes));
    let size = bytes.len() as u64;
    if blob_size(conn, &hash)?.is_some() {
        return Ok(BlobRef {
            hash,
            size,
            new: false,
        });
    }
    conn.execute(
        "INSERT INTO blob (hash, size, data) VALUES (?1, ?2, ?3)",
        params![hash, size as i64, bytes],
    )?;
    Ok(BlobRef {
        hash,
        size,
        new: true,
    })
}

/// Refuses a change to a response's evidence unless its assessment takes changes.
fn ensure_response_editable(conn: &Connection, response: i64) -> Result<()> {
    let assessment: i64 = conn.query_row(
        "SELECT assessment_id FROM response WHERE id = ?1",
        [response],
        |r| r.get(0),
    )?;
    ensure_editable(&load_assessment(conn, assessment)?)
}

fn insert_evidence(tx: &Batch<'_>, response: i64, e: &Evidence) -> Result<Evidence> {
    insert_recorded(tx, response, e, "create", None)
}

/// Inserts `e` under a new id and records it as `action`, with `before` (the
/// removed item a restore brings back).
fn insert_recorded(
    tx: &Batch<'_>,
    response: i64,
    e: &Evidence,
    action: &'static str,
    before: Option<String>,
) -> Result<Evidence> {
    tx.tx.execute(
        "INSERT INTO evidence (response_id, title, kind, blob_hash, file_name, size, media_type,
           url, note, date, expires, added_at, added_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            response,
            e.title,
            e.kind.as_str(),
            e.blob_hash,
            e.file_name,
            e.size.map(|s| s as i64),
            e.media_type,
            e.url,
            e.note,
            e.date,
            e.expires,
            e.added_at,
            e.added_by
        ],
    )?;
    let stored = Evidence {
        id: tx.tx.last_insert_rowid(),
        response_id: response,
        ..e.clone()
    };
    tx.record(trail::Change {
        entity: "evidence",
        entity_id: stored.id.to_string(),
        action,
        before,
        after: Some(to_json(&stored)),
    })?;
    Ok(stored)
}

impl Batch<'_> {
    /// Adds an evidence item to the response to `requirement` (creating a
    /// `not_assessed` response if there is none yet). File content is streamed in.
    pub fn add_evidence(
        &self,
        cat: &Catalogue,
        assessment: i64,
        requirement: &str,
        input: &EvidenceInput,
    ) -> Result<Evidence> {
        let requirement = requirement.trim();
        let date = parse_opt_date("date", input.date.as_deref())?;
        let expires = parse_opt_date("expires", input.expires.as_deref())?;
        // ISO dates order as text.
        if let (Some(d), Some(x)) = (&date, &expires) {
            if x < d {
                return Err(WorkbookError::ExpiresBeforeDate {
                    date: d.clone(),
                    expires: x.clone(),
                });
            }
        }
        let a = load_assessment(&self.tx, assessment)?;
        ensure_editable(&a)?;
        let framework = check_requirement(cat, &a, requirement)?;
        let mut e = Evidence {
            id: 0,
            response_id: 0,
            title: String::new(),
            kind: EvidenceKind::Note,
            blob_hash: None,
            file_name: None,
            size: None,
            media_type: None,
            url: None,
            note: None,
            date,
            expires,
            added_at: self.now.clone(),
            added_by: self.actor.clone(),
        };
        match &input.source {
            EvidenceSource::File(path) => {
                let blob = put_blob(&self.tx, path)?;
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                e.kind = EvidenceKind::File;
                e.media_type = Some(media_type_of(&name).to_owned());
                e.file_name = Some(name);
                e.size = Some(blob.size);
                e.blob_hash = Some(blob.hash);
            }
            EvidenceSource::Blob { hash, file_name } => {
                let size = blob_size(&self.tx, hash)?
                    .ok_or_else(|| WorkbookError::BlobNotFound(hash.clone()))?;
                e.kind = EvidenceKind::File;
                e.media_type = Some(media_type_of(file_name).to_owned());
                e.file_name = Some(file_name.clone());
                e.size = Some(size);
                e.blob_hash = Some(hash.clone());
            }
            EvidenceSource::Link(url) => {
                let url = required("url", url)?;
                check_url(&url).map_err(|reason| WorkbookError::InvalidUrl {
                    url: url.clone(),
                    reason,
                })?;
                e.kind = EvidenceKind::Link;
                e.url = Some(url);
            }
            EvidenceSource::Note(text) => {
                e.kind = EvidenceKind::Note;
                e.note = Some(required("note", text)?);
            }
        }
        e.title = match input.title.trim() {
            "" => required("title", &default_title(&e))?,
            given => given.to_owned(),
        };
        let response = ensure_response(self, &a, requirement, &framework)?;
        insert_evidence(self, response.id, &e)
    }

    /// Removes an evidence item (its file stays stored for other items and the trail).
    pub fn remove_evidence(&self, evidence: i64) -> Result<()> {
        let e = self
            .tx
            .query_row(
                &format!("SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE id = ?1"),
                [evidence],
                row_to_evidence,
            )
            .optional()?
            .ok_or(WorkbookError::EvidenceNotFound(evidence))?;
        ensure_response_editable(&self.tx, e.response_id)?;
        self.tx
            .execute("DELETE FROM evidence WHERE id = ?1", [evidence])?;
        self.record(trail::Change {
            entity: "evidence",
            entity_id: evidence.to_string(),
            action: "delete",
            before: Some(to_json(&e)),
            after: None,
        })
    }

    /// Undoes [`Batch::remove_evidence`]: the item comes back, as the trail
    /// recorded it, under a new id (ids are never reused). Refused if it was not
    /// removed, was restored already, or its assessment no longer takes changes.
    pub fn restore_evidence(&self, removed: i64) -> Result<Evidence> {
        let nothing = |why: String| WorkbookError::NothingToRestore { id: removed, why };
        let deleted: Option<(i64, Option<String>)> = self
            .tx
            .query_row(
                "SELECT seq, before FROM event WHERE entity = 'evidence' AND entity_id = ?1
                   AND action = 'delete' ORDER BY seq DESC LIMIT 1",
                [removed.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (seq, json) = match deleted {
            Some((seq, Some(json))) => (seq, json),
            Some((seq, None)) => {
                return Err(WorkbookError::TrailRecord {
                    seq,
                    message: "the removal recorded no content".into(),
                })
            }
            None => return Err(nothing("it was never removed".into())),
        };
        let again: Option<String> = self
            .tx
            .query_row(
                "SELECT entity_id FROM event WHERE entity = 'evidence' AND action = 'restore'
                   AND json_extract(before, '$.id') = ?1 ORDER BY seq DESC LIMIT 1",
                [removed],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = again {
            return Err(nothing(format!(
                "it was restored already, as evidence {id}"
            )));
        }
        let e: Evidence =
            serde_json::from_str(&json).map_err(|err| WorkbookError::TrailRecord {
                seq,
                message: err.to_string(),
            })?;
        ensure_response_editable(&self.tx, e.response_id)?;
        if let Some(hash) = &e.blob_hash {
            blob_size(&self.tx, hash)?.ok_or_else(|| WorkbookError::BlobNotFound(hash.clone()))?;
        }
        insert_recorded(self, e.response_id, &e, "restore", Some(to_json(&e)))
    }

    /// Stores a file's content without attaching it (e.g. before importing
    /// evidence that refers to it by hash, see [`EvidenceSource::Blob`]).
    pub fn store_file(&self, path: &Path) -> Result<BlobRef> {
        let blob = put_blob(&self.tx, path)?;
        self.record_stored(blob)
    }

    /// Stores bytes already read and checked, e.g. a received document.
    pub(crate) fn store_bytes(&self, bytes: &[u8]) -> Result<BlobRef> {
        let blob = put_bytes(&self.tx, bytes)?;
        self.record_stored(blob)
    }

    /// Records a newly stored file on the trail (a file stored before is not).
    fn record_stored(&self, blob: BlobRef) -> Result<BlobRef> {
        if blob.new {
            self.record(trail::Change {
                entity: "blob",
                entity_id: blob.hash.clone(),
                action: "store",
                before: None,
                after: Some(to_json(&blob)),
            })?;
        }
        Ok(blob)
    }
}

impl Workbook {
    /// See [`Batch::add_evidence`].
    pub fn add_evidence(
        &mut self,
        cat: &Catalogue,
        assessment: i64,
        requirement: &str,
        input: &EvidenceInput,
    ) -> Result<Evidence> {
        self.batch(|b| b.add_evidence(cat, assessment, requirement, input))
    }

    /// See [`Batch::remove_evidence`].
    pub fn remove_evidence(&mut self, evidence: i64) -> Result<()> {
        self.batch(|b| b.remove_evidence(evidence))
    }

    /// See [`Batch::restore_evidence`].
    pub fn restore_evidence(&mut self, removed: i64) -> Result<Evidence> {
        self.batch(|b| b.restore_evidence(removed))
    }

    /// See [`Batch::store_file`].
    pub fn store_file(&mut self, path: &Path) -> Result<BlobRef> {
        self.batch(|b| b.store_file(path))
    }

    /// Size of a stored file, if present.
    pub fn blob_size(&self, hash: &str) -> Result<Option<u64>> {
        blob_size(&self.conn, hash)
    }

    /// Streams a stored file into `out`; returns the bytes written.
    pub fn read_blob(&self, hash: &str, out: &mut dyn Write) -> Result<u64> {
        let rowid: i64 = self
            .conn
            .query_row("SELECT id FROM blob WHERE hash = ?1", [hash], |r| r.get(0))
            .optional()?
            .ok_or_else(|| WorkbookError::BlobNotFound(hash.to_owned()))?;
        let blob = self.conn.blob_open("main", "blob", "data", rowid, true)?;
        let mut buf = vec![0u8; CHUNK];
        let mut offset = 0usize;
        let len = blob.len();
        while offset < len {
            let n = blob.read_at(&mut buf, offset)?;
            if n == 0 {
                break;
            }
            out.write_all(&buf[..n])
                .map_err(|e| WorkbookError::io(format!("<output of {hash}>"), e))?;
            offset += n;
        }
        Ok(offset as u64)
    }

    /// Writes a stored file to `path` (created; never overwrites).
    pub fn export_blob(&self, hash: &str, path: &Path) -> Result<u64> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| WorkbookError::io(path, e))?;
        let n = self.read_blob(hash, &mut f)?;
        f.sync_all().map_err(|e| WorkbookError::io(path, e))?;
        Ok(n)
    }

    /// The evidence on `requirement` in `assessment`, in the order it was added;
    /// refuses a requirement that is not in the assessment's frameworks.
    pub fn evidence_of(
        &self,
        cat: &Catalogue,
        assessment: i64,
        requirement: &str,
    ) -> Result<Vec<Evidence>> {
        let requirement = requirement.trim();
        let a = load_assessment(&self.conn, assessment)?;
        check_requirement(cat, &a, requirement)?;
        match load_response(&self.conn, a.id, requirement)? {
            Some(r) => self.evidence(r.id),
            None => Ok(Vec::new()),
        }
    }

    /// Evidence items of one response, in the order they were added.
    pub fn evidence(&self, response: i64) -> Result<Vec<Evidence>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE response_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([response], row_to_evidence)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Re-hashes every stored file by streaming it; returns (blobs, findings).
pub(crate) fn verify_blobs(conn: &Connection) -> Result<(u64, Vec<super::Finding>)> {
    let mut findings = Vec::new();
    let mut stmt = conn.prepare("SELECT id, hash, size FROM blob ORDER BY id")?;
    let blobs: Vec<(i64, String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut buf = vec![0u8; CHUNK];
    for (rowid, hash, size) in &blobs {
        let blob = conn.blob_open("main", "blob", "data", *rowid, true)?;
        let mut h = Sha256::new();
        let mut offset = 0usize;
        while offset < blob.len() {
            let n = blob.read_at(&mut buf, offset)?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
            offset += n;
        }
        if offset as i64 != *size {
            findings.push(super::Finding::new(
                "blob_size",
                hash.clone(),
                format!("stored file is {offset} bytes, recorded as {size}"),
            ));
        }
        let actual = hex(&h.finalize());
        if actual != *hash {
            findings.push(super::Finding::new(
                "blob_hash",
                hash.clone(),
                format!("stored file content hashes to {actual} (the content was changed)"),
            ));
        }
    }
    Ok((blobs.len() as u64, findings))
}
