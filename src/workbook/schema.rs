//! The exact schema Canary's migrations produce for each workbook version, and
//! the check that a file has exactly that before anything stored in it can run.
//!
//! A received workbook is data, never code: a trigger, view or altered table
//! definition planted by the sender would otherwise run on the recipient's
//! machine (a trigger can rewrite a verdict the trail records differently). Only
//! `sqlite_master` is read for the check, which runs no trigger and no view.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use rusqlite::Connection;

use super::error::{Result, WorkbookError};
use super::open::{harden, MIGRATIONS};

/// `(type, name)` → `(tbl_name, sql)` of every schema object.
type Schema = BTreeMap<(String, String), (String, Option<String>)>;

fn read(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM main.sqlite_master")?;
    let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?))))?;
    rows.collect()
}

/// The schema after each number of migrations (index = workbook version), built
/// once by running the embedded migrations on an in-memory database configured
/// like a workbook connection.
fn expected() -> &'static [Schema] {
    static EXPECTED: OnceLock<Vec<Schema>> = OnceLock::new();
    EXPECTED.get_or_init(|| {
        let build = || -> Result<Vec<Schema>> {
            let mut conn = Connection::open_in_memory()?;
            harden(&mut conn)?;
            let mut out = vec![read(&conn)?];
            for sql in MIGRATIONS {
                conn.execute_batch(sql)?;
                out.push(read(&conn)?);
            }
            Ok(out)
        };
        // The migrations are part of this build; one that fails here fails every test.
        build().unwrap_or_else(|e| panic!("embedded migrations do not apply: {e}"))
    })
}

/// Refuses `conn` unless its schema is exactly version `version`'s, naming the
/// first object that is extra, missing or different.
pub(crate) fn check(conn: &Connection, version: u32, path: &Path) -> Result<()> {
    let refuse = |problem: String| WorkbookError::UnexpectedSchema {
        path: path.to_owned(),
        version,
        problem,
    };
    let actual = read(conn).map_err(|e| WorkbookError::NotAWorkbook {
        path: path.to_owned(),
        reason: format!("its schema cannot be read ({e})"),
    })?;
    let expected = expected()
        .get(version as usize)
        .ok_or_else(|| refuse("this build knows no such version".into()))?;
    let mut problems = Vec::new();
    for ((kind, name), found) in &actual {
        match expected.get(&(kind.clone(), name.clone())) {
            None => problems.push(format!("it has an extra {kind} `{name}` on `{}`", found.0)),
            Some(want) if want != found => problems.push(format!(
                "its {kind} `{name}` differs from Canary's definition"
            )),
            Some(_) => {}
        }
    }
    for (kind, name) in expected.keys() {
        if !actual.contains_key(&(kind.clone(), name.clone())) {
            problems.push(format!("its {kind} `{name}` is missing"));
        }
    }
    match problems.len() {
        0 => Ok(()),
        1 => Err(refuse(problems.remove(0))),
        n => Err(refuse(format!(
            "{} (and {} more difference{})",
            problems[0],
            n - 1,
            if n == 2 { "" } else { "s" }
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_has_its_own_schema() {
        let all = expected();
        assert_eq!(all.len(), MIGRATIONS.len() + 1);
        assert!(all[0].is_empty());
        let names =
            |v: usize| -> Vec<String> { all[v].keys().map(|(k, n)| format!("{k} {n}")).collect() };
        assert!(
            names(1).contains(&"trigger event_no_update".to_owned()),
            "{:?}",
            names(1)
        );
        assert!(names(1).contains(&"table evidence".to_owned()));
        // Version 2 rebuilt `evidence` with AUTOINCREMENT, which adds sqlite_sequence.
        assert!(!names(1).contains(&"table sqlite_sequence".to_owned()));
        assert!(names(2).contains(&"table sqlite_sequence".to_owned()));
        assert_ne!(all[1], all[2]);
    }

    #[test]
    fn a_fresh_build_matches_and_any_change_is_named() {
        let path = Path::new("test.canary");
        let conn = Connection::open_in_memory().unwrap();
        for sql in MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
        let v = MIGRATIONS.len() as u32;
        check(&conn, v, path).unwrap();
        let err = check(&conn, v - 1, path).unwrap_err();
        assert_eq!(err.code(), "unexpected_schema", "{err}");

        conn.execute_batch("CREATE VIEW v AS SELECT 1").unwrap();
        let err = check(&conn, v, path).unwrap_err().to_string();
        assert!(err.contains("extra view `v`"), "{err}");
        conn.execute_batch(
            "DROP VIEW v; DROP TRIGGER event_no_delete;
             CREATE TRIGGER event_no_delete BEFORE DELETE ON event BEGIN SELECT 1; END;",
        )
        .unwrap();
        let err = check(&conn, v, path).unwrap_err().to_string();
        assert!(err.contains("trigger `event_no_delete` differs"), "{err}");
        conn.execute_batch("DROP TRIGGER event_no_delete").unwrap();
        let err = check(&conn, v, path).unwrap_err().to_string();
        assert!(
            err.contains("trigger `event_no_delete` is missing"),
            "{err}"
        );
    }
}
