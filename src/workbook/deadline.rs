//! A bound on the work of every SQL statement, so no file can hang Canary.
//!
//! The schema check at opening refuses views and foreign triggers, so none of
//! Canary's own statements should ever run long; this is the backstop behind it.
//! SQLite calls the progress handler every few thousand VM steps. The meter adds
//! up the time between consecutive calls, each gap capped, so it counts the work
//! SQLite does inside a statement and not the caller's pauses between rows. A new
//! top-level statement (trace event; trigger programs start with `--`) resets it.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::Connection;

/// How long one statement may work before it is stopped.
pub const STATEMENT_DEADLINE: Duration = Duration::from_secs(30);

/// VM steps between two looks at the clock.
const STEPS_PER_CHECK: i32 = 1_000;

/// Longer gaps between two calls are the caller's time (or the scheduler's), not SQLite's.
const MAX_GAP: Duration = Duration::from_millis(2);

#[derive(Default)]
struct Meter {
    spent: Duration,
    last: Option<Instant>,
}

/// Stops any statement on `conn` that works longer than `limit`; it then fails
/// with SQLite's "interrupted" (mapped to [`super::WorkbookError::TooSlow`]).
pub(crate) fn install(conn: &mut Connection, limit: Duration) -> rusqlite::Result<()> {
    let meter = Arc::new(Mutex::new(Meter::default()));
    let on_start = Arc::clone(&meter);
    conn.trace_v2(
        TraceEventCodes::SQLITE_TRACE_STMT,
        Some(move |event: TraceEvent<'_>| {
            if let TraceEvent::Stmt(_, sql) = event {
                if !sql.starts_with("--") {
                    *on_start.lock().unwrap_or_else(PoisonError::into_inner) = Meter::default();
                }
            }
        }),
    )?;
    conn.progress_handler(
        STEPS_PER_CHECK,
        Some(move || {
            let mut m = meter.lock().unwrap_or_else(PoisonError::into_inner);
            let now = Instant::now();
            if let Some(last) = m.last {
                m.spent += now.saturating_duration_since(last).min(MAX_GAP);
            }
            m.last = Some(now);
            m.spent > limit
        }),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENDLESS: &str = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) \
                           SELECT count(*) FROM c";

    #[test]
    fn an_endless_statement_is_stopped_and_the_next_one_runs() {
        let mut conn = Connection::open_in_memory().unwrap();
        install(&mut conn, Duration::from_millis(200)).unwrap();
        let err = conn
            .query_row(ENDLESS, [], |r| r.get::<_, i64>(0))
            .unwrap_err();
        assert_eq!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::OperationInterrupted),
            "{err}"
        );
        // The meter starts again for the next statement.
        let n: i64 = conn
            .query_row(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000) \
                 SELECT count(*) FROM c",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1000);
    }

    #[test]
    fn pauses_between_rows_do_not_count() {
        let mut conn = Connection::open_in_memory().unwrap();
        install(&mut conn, Duration::from_millis(100)).unwrap();
        // Each row takes thousands of steps, so the handler runs after every pause.
        let mut stmt = conn
            .prepare(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 8) \
                 SELECT x, (WITH RECURSIVE d(y) AS (SELECT 1 UNION ALL SELECT y + 1 FROM d \
                 WHERE y < 5000 + x) SELECT count(*) FROM d) FROM c",
            )
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        let mut seen = 0;
        while let Some(_row) = rows.next().unwrap() {
            std::thread::sleep(Duration::from_millis(30));
            seen += 1;
        }
        assert_eq!(seen, 8);
    }
}
