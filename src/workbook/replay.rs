//! `verify`'s row check: replays the trail into the rows it describes and
//! compares them with the tables, so a row changed behind the trail's back (a
//! verdict, a signed statement, a deleted evidence item) is named by table, id
//! and field.
//!
//! Each event's after-image is the entity as the writer serialised it. The few
//! columns no image carries are derived the way the writers derive them:
//! - `response.framework`: the assessment's framework whose id prefixes the
//!   requirement id (`<framework>:<ref>`); an update keeps it.
//! - `review.response_id`, `profile.id`, `signoff.assessment_id`: the event's entity id.
//! - `signoff.trail_head` and `signoff.product` of sign events before workbook
//!   version 3: the sign event's `prev_hash` and the product as replayed then,
//!   as migration 3 filled them in.
//! - `assessment.override_*`: the image's `approval_override`.
//! - `product.cra_*`: the image's `cra`; product images written before workbook
//!   version 5 have none, and migration 5 gave those rows empty values.
//! - `product.labels`: product images written before workbook version 7 have
//!   none, and migration 7 gave those rows `[]`.
//! - rows a `clone` copies: the source's responses and evidence as replayed, under
//!   the ids SQLite gives them (responses: largest id + 1, as none is ever deleted;
//!   evidence: past every id ever used, or largest id + 1 for clones written before
//!   workbook version 2 reused ids — the table tells which when they differ).
//! - `received`: a `receive` event's image is the row; its files are named by
//!   the `store` events before it (or by earlier evidence holding the same file).
//!   A `delete` event removes the row it holds as its before-image.
//! - `blob`: every hash an evidence image or a `store` event names, with its size;
//!   `blob.id` is SQLite's own row id and is not compared (the content is, by hash).
//!
//! `person` events fill no table: a person's key lives in the trail, and every
//! `act_signature` row is explained by `acts.rs` (a signature of an event that holds).
//!
//! An event's before-image must also match the state the events before it left:
//! a difference means the row was changed behind the trail's back and the app then
//! wrote on top of it.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};

use super::error::Result;
use super::model::{Event, Finding, RowDifference};
use super::trail;

type Image = Map<String, Value>;
/// A row as columns and values.
type Columns = BTreeMap<String, Value>;

/// The tables the trail describes, in the order findings are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Table {
    Profile,
    Product,
    Assessment,
    Signoff,
    Response,
    Review,
    Evidence,
    Received,
    Blob,
}

impl Table {
    const ALL: [Table; 9] = [
        Table::Profile,
        Table::Product,
        Table::Assessment,
        Table::Signoff,
        Table::Response,
        Table::Review,
        Table::Evidence,
        Table::Received,
        Table::Blob,
    ];

    fn name(self) -> &'static str {
        match self {
            Table::Profile => "profile",
            Table::Product => "product",
            Table::Assessment => "assessment",
            Table::Signoff => "signoff",
            Table::Response => "response",
            Table::Review => "review",
            Table::Evidence => "evidence",
            Table::Received => "received",
            Table::Blob => "blob",
        }
    }

    /// Reads every row, keyed by its primary key. `blob.data` is checked by hash
    /// elsewhere and `blob.id` is SQLite's own, so only hash and size are read.
    fn select(self) -> String {
        match self {
            Table::Blob => "SELECT hash, size FROM blob".into(),
            Table::Signoff => "SELECT * FROM signoff".into(),
            Table::Review => "SELECT * FROM review".into(),
            t => format!("SELECT * FROM {}", t.name()),
        }
    }

    fn key_column(self) -> &'static str {
        match self {
            Table::Blob => "hash",
            Table::Signoff => "assessment_id",
            Table::Review => "response_id",
            _ => "id",
        }
    }
}

/// A row's primary key: an id, or a blob's hash.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Id(i64),
    Hash(String),
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Id(i) => write!(f, "{i}"),
            Key::Hash(h) => f.write_str(h),
        }
    }
}

type Rows = BTreeMap<Table, BTreeMap<Key, Columns>>;

/// Every row of the described tables as stored.
fn read_tables(conn: &Connection) -> Result<Rows> {
    let mut rows = Rows::new();
    for table in Table::ALL {
        let mut stmt = conn.prepare(&table.select())?;
        let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
        let key_at = names.iter().position(|n| n == table.key_column());
        let mut q = stmt.query([])?;
        let found = rows.entry(table).or_default();
        while let Some(r) = q.next()? {
            let mut columns = Columns::new();
            for (i, name) in names.iter().enumerate() {
                columns.insert(name.clone(), sql_value(r.get_ref(i)?));
            }
            let key = match key_at.map(|i| &columns[&names[i]]) {
                Some(Value::Number(n)) => n.as_i64().map(Key::Id),
                Some(Value::String(h)) => Some(Key::Hash(h.clone())),
                _ => None,
            };
            // STRICT tables keep keys typed; a keyless row cannot be named.
            if let Some(key) = key {
                found.insert(key, columns);
            }
        }
    }
    Ok(rows)
}

fn sql_value(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::String(format!("<{} bytes>", b.len())),
    }
}

/// The state the trail describes, built one event at a time.
#[derive(Default)]
struct Replay {
    /// Entity images by table (signoff rows come from assessment images).
    images: BTreeMap<Table, BTreeMap<i64, Image>>,
    /// `response.framework`, which no response image carries.
    frameworks: BTreeMap<i64, String>,
    /// Size of every stored file the trail names.
    blobs: BTreeMap<String, Value>,
    /// Removed evidence items as removed, for checking a restore's before-image.
    removed: BTreeMap<i64, Image>,
    /// The largest evidence id the trail ever used.
    evidence_ever: i64,
    findings: Vec<Finding>,
}

/// Replays the trail and compares the state it describes with the tables.
pub(crate) fn verify(conn: &Connection) -> Result<Vec<Finding>> {
    let tables = read_tables(conn)?;
    let mut replay = Replay::default();
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM event ORDER BY seq",
        trail::EVENT_COLUMNS
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        replay.apply(&trail::row_to_event(r)?, &tables);
    }
    let mut findings = std::mem::take(&mut replay.findings);
    let expected = replay.rows();
    for table in Table::ALL {
        compare_table(
            table,
            &expected[&table],
            tables.get(&table).unwrap_or(&BTreeMap::new()),
            &mut findings,
        );
    }
    // A lowered AUTOINCREMENT counter would give a used evidence id to a new item.
    // Workbooks before version 2 have no AUTOINCREMENT table, so no counter.
    let counted: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence')",
        [],
        |r| r.get(0),
    )?;
    let seq: Option<i64> = if counted {
        conn.query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'evidence'",
            [],
            |r| r.get(0),
        )
        .optional()?
    } else {
        None
    };
    if let Some(seq) = seq.filter(|s| *s < replay.evidence_ever) {
        findings.push(Finding {
            row: Some(RowDifference {
                table: "sqlite_sequence".into(),
                id: "evidence".into(),
                field: Some("seq".into()),
                in_trail: Some(format!("at least {}", replay.evidence_ever)),
                in_table: Some(seq.to_string()),
            }),
            ..Finding::new(
                "rows",
                "evidence id counter",
                format!(
                    "the next evidence id would follow {seq}, but the trail has used ids up to {}",
                    replay.evidence_ever
                ),
            )
        });
    }
    Ok(findings)
}

/// How an event changes its row.
#[derive(Clone, Copy, PartialEq)]
enum Step {
    /// A new row: it must not exist yet.
    Create,
    /// A change to an existing row; the before-image is what it held.
    Change,
}

impl Replay {
    fn finding(&mut self, e: &Event, message: String, row: Option<RowDifference>) {
        self.findings.push(Finding {
            row,
            ..Finding::new("trail_replay", format!("event {}", e.seq), message)
        });
    }

    fn map(&mut self, t: Table) -> &mut BTreeMap<i64, Image> {
        self.images.entry(t).or_default()
    }

    fn image(&self, t: Table, id: i64) -> Option<&Image> {
        self.images.get(&t).and_then(|m| m.get(&id))
    }

    fn apply(&mut self, e: &Event, tables: &Rows) {
        let parse = |json: &Option<String>| -> std::result::Result<Option<Image>, String> {
            match json.as_deref().map(serde_json::from_str::<Value>) {
                None => Ok(None),
                Some(Ok(Value::Object(m))) => Ok(Some(m)),
                Some(Ok(_)) => Err("is not a JSON object".into()),
                Some(Err(err)) => Err(format!("is not JSON ({err})")),
            }
        };
        let (before, after) = match (parse(&e.before), parse(&e.after)) {
            (Ok(b), Ok(a)) => (b, a),
            (Err(why), _) => return self.finding(e, format!("its before-image {why}"), None),
            (_, Err(why)) => return self.finding(e, format!("its after-image {why}"), None),
        };
        // A person's key lives in the trail alone; `acts.rs` checks it.
        if e.entity == "person" && e.action == "key" {
            return;
        }
        if e.entity == "blob" {
            return match (e.action.as_str(), after) {
                ("store", Some(a)) => {
                    let size = a.get("size").cloned().unwrap_or(Value::Null);
                    self.blobs.insert(e.entity_id.clone(), size);
                }
                _ => self.unknown(e),
            };
        }
        let Ok(id) = e.entity_id.parse::<i64>() else {
            return self.finding(
                e,
                format!("names {} {:?}, which is not an id", e.entity, e.entity_id),
                None,
            );
        };
        match (e.entity.as_str(), e.action.as_str()) {
            ("product", _) => {
                let step = if e.action == "create" {
                    Step::Create
                } else {
                    Step::Change
                };
                let (before, after) = (before.map(product_v7), after.map(product_v7));
                if matches!(e.action.as_str(), "create" | "update") {
                    self.put(e, Table::Product, id, step, before, after)
                } else {
                    self.unknown(e)
                }
            }
            ("profile" | "response" | "review", "create") => {
                self.put(e, table_of(&e.entity), id, Step::Create, before, after)
            }
            ("profile" | "response" | "review", "update") => {
                self.put(e, table_of(&e.entity), id, Step::Change, before, after)
            }
            ("assessment", "create") => {
                self.put(e, Table::Assessment, id, Step::Create, None, after)
            }
            ("assessment", "sign") => {
                let after = after.map(|a| self.signed_before_version_3(e, a));
                self.put(e, Table::Assessment, id, Step::Change, before, after)
            }
            (
                "assessment",
                "submit" | "start_review" | "approve" | "request_changes" | "frameworks",
            ) => self.put(e, Table::Assessment, id, Step::Change, before, after),
            ("assessment", "clone") => self.clone_assessment(e, id, before, after, tables),
            ("evidence", "create") => self.put(e, Table::Evidence, id, Step::Create, None, after),
            ("received", "receive") => self.put(e, Table::Received, id, Step::Create, None, after),
            ("evidence", "restore") => {
                let old = before
                    .as_ref()
                    .and_then(|b| b.get("id"))
                    .and_then(Value::as_i64);
                if let (Some(old), Some(b)) = (old, &before) {
                    match self.removed.get(&old).cloned() {
                        Some(was) => self.check_before(e, Table::Evidence, old, &was, b),
                        None => self.finding(
                            e,
                            format!("restores evidence {old}, which the trail never removed"),
                            None,
                        ),
                    }
                }
                self.put(e, Table::Evidence, id, Step::Create, None, after)
            }
            ("received", "delete") => match self.map(Table::Received).remove(&id) {
                Some(was) => {
                    if let Some(b) = &before {
                        self.check_before(e, Table::Received, id, &was, b);
                    }
                }
                None => self.finding(
                    e,
                    format!("removes received document {id}, which the trail does not hold"),
                    None,
                ),
            },
            ("evidence", "delete") => {
                match self.map(Table::Evidence).remove(&id) {
                    Some(was) => {
                        if let Some(b) = &before {
                            self.check_before(e, Table::Evidence, id, &was, b);
                        }
                        self.removed.insert(id, was);
                    }
                    None => self.finding(
                        e,
                        format!("removes evidence {id}, which the trail does not hold"),
                        None,
                    ),
                }
                self.evidence_ever = self.evidence_ever.max(id);
            }
            _ => self.unknown(e),
        }
    }

    fn unknown(&mut self, e: &Event) {
        self.finding(
            e,
            format!(
                "records {} {}, which this version cannot replay",
                e.action, e.entity
            ),
            None,
        )
    }

    /// Sign events before workbook version 3 did not record the head and product
    /// a sign-off now keeps; migration 3 filled both in from the trail (the sign
    /// event's `prev_hash`, the product's newest image before it), and so does this.
    fn signed_before_version_3(&self, e: &Event, mut after: Image) -> Image {
        let product = after
            .get("product_id")
            .and_then(Value::as_i64)
            .and_then(|p| self.image(Table::Product, p))
            .map_or(Value::Null, |p| {
                // Migration 3 copied the image as written then, before `cra` and
                // `labels` existed.
                let mut p = p.clone();
                p.remove("cra");
                p.remove("labels");
                Value::Object(p)
            });
        if let Some(Value::Object(signoff)) = after.get_mut("signoff") {
            if !signoff.contains_key("trail_head") {
                signoff.insert("trail_head".into(), e.prev_hash.clone().into());
            }
            if !signoff.contains_key("product") {
                signoff.insert("product".into(), product);
            }
        }
        after
    }

    /// Records `after` as row `id`, checking what the event says the row was.
    fn put(
        &mut self,
        e: &Event,
        table: Table,
        id: i64,
        step: Step,
        before: Option<Image>,
        after: Option<Image>,
    ) {
        let Some(after) = after else {
            return self.finding(e, "records no after-image".into(), None);
        };
        if let Some(own) = after.get("id").and_then(Value::as_i64) {
            if own != id {
                return self.finding(
                    e,
                    format!(
                        "names {} {id} but its after-image is {} {own}",
                        e.entity, e.entity
                    ),
                    None,
                );
            }
        }
        match (step, self.image(table, id).cloned()) {
            (Step::Create, Some(_)) => self.finding(
                e,
                format!("creates {} {id}, which the trail already holds", e.entity),
                None,
            ),
            (Step::Change, None) => self.finding(
                e,
                format!("changes {} {id}, which the trail never created", e.entity),
                None,
            ),
            (Step::Change, Some(was)) => {
                if let Some(b) = &before {
                    self.check_before(e, table, id, &was, b);
                }
            }
            (Step::Create, None) => {}
        }
        match table {
            Table::Response => {
                let framework = match self.frameworks.get(&id) {
                    Some(f) => f.clone(),
                    None => self.framework_of(&after),
                };
                self.frameworks.insert(id, framework);
            }
            Table::Evidence => {
                self.evidence_ever = self.evidence_ever.max(id);
                self.note_blob(&after);
            }
            _ => {}
        }
        self.map(table).insert(id, after);
    }

    /// A before-image must be what the events before it left.
    fn check_before(&mut self, e: &Event, table: Table, id: i64, was: &Image, before: &Image) {
        let fields: BTreeSet<&String> = was.keys().chain(before.keys()).collect();
        for f in fields {
            let (trail_v, table_v) = (was.get(f), before.get(f));
            if trail_v.unwrap_or(&Value::Null) != table_v.unwrap_or(&Value::Null) {
                let message = format!(
                    "{} {id} held {f} = {} when this event was written, but the events before it left {} \
                     (the row was changed behind the trail's back)",
                    table.name(),
                    show(table_v),
                    show(trail_v)
                );
                let row = RowDifference {
                    table: table.name().into(),
                    id: id.to_string(),
                    field: Some(f.clone()),
                    in_trail: text(trail_v),
                    in_table: text(table_v),
                };
                self.finding(e, message, Some(row));
            }
        }
    }

    /// The framework a response belongs to: the one of its assessment's whose id
    /// prefixes the requirement (as the catalogue names requirements).
    fn framework_of(&self, response: &Image) -> String {
        let requirement = response
            .get("requirement")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let chosen: Vec<String> = response
            .get("assessment_id")
            .and_then(Value::as_i64)
            .and_then(|a| self.image(Table::Assessment, a))
            .and_then(|a| a.get("frameworks"))
            .and_then(|f| serde_json::from_value(f.clone()).ok())
            .unwrap_or_default();
        chosen
            .into_iter()
            .filter(|f| {
                requirement
                    .strip_prefix(f.as_str())
                    .is_some_and(|rest| rest.starts_with(':'))
            })
            .max_by_key(String::len)
            .unwrap_or_else(|| {
                requirement
                    .split_once(':')
                    .map_or(requirement, |(f, _)| f)
                    .to_owned()
            })
    }

    fn note_blob(&mut self, evidence: &Image) {
        if let Some(hash) = evidence.get("blob_hash").and_then(Value::as_str) {
            let size = evidence.get("size").cloned().unwrap_or(Value::Null);
            self.blobs.entry(hash.to_owned()).or_insert(size);
        }
    }

    /// A clone: the new assessment plus copies of the source's responses and
    /// evidence, as `clone_assessment` inserts them.
    fn clone_assessment(
        &mut self,
        e: &Event,
        id: i64,
        before: Option<Image>,
        after: Option<Image>,
        tables: &Rows,
    ) {
        let from = before
            .as_ref()
            .and_then(|b| b.get("id"))
            .and_then(Value::as_i64);
        let Some(from) = from else {
            return self.finding(e, "records no source assessment".into(), None);
        };
        match (self.image(Table::Assessment, from).cloned(), &before) {
            (Some(was), Some(b)) => self.check_before(e, Table::Assessment, from, &was, b),
            _ => {
                return self.finding(
                    e,
                    format!("clones assessment {from}, which the trail does not hold"),
                    None,
                )
            }
        }
        self.put(e, Table::Assessment, id, Step::Create, None, after);

        let at = Value::String(e.at.clone());
        let sources: Vec<(i64, Image)> = self
            .map(Table::Response)
            .iter()
            .filter(|(_, r)| r.get("assessment_id").and_then(Value::as_i64) == Some(from))
            .map(|(k, r)| (*k, r.clone()))
            .collect();
        let first_id = last_id(self.map(Table::Response)) + 1;
        let mut copied = BTreeMap::new();
        for (next, (old, mut r)) in (first_id..).zip(sources) {
            r.insert("id".into(), next.into());
            r.insert("assessment_id".into(), id.into());
            r.insert("created_at".into(), at.clone());
            r.insert("updated_at".into(), at.clone());
            let framework = self.frameworks.get(&old).cloned().unwrap_or_default();
            self.frameworks.insert(next, framework);
            self.map(Table::Response).insert(next, r);
            copied.insert(old, next);
        }

        let items: Vec<Image> = self
            .map(Table::Evidence)
            .values()
            .filter(|ev| {
                ev.get("response_id")
                    .and_then(Value::as_i64)
                    .is_some_and(|r| copied.contains_key(&r))
            })
            .cloned()
            .collect();
        let Some(first) = items.first() else { return };
        let largest = last_id(self.map(Table::Evidence));
        // Version 2 never reuses an id; version 1 gave the largest id + 1.
        let never_reused = largest.max(self.evidence_ever) + 1;
        let reused = largest + 1;
        let copy = |ev: &Image, at_id: i64| -> Image {
            let mut c = ev.clone();
            c.insert("id".into(), at_id.into());
            let old = ev.get("response_id").and_then(Value::as_i64).unwrap_or(0);
            c.insert(
                "response_id".into(),
                copied.get(&old).copied().unwrap_or(0).into(),
            );
            c
        };
        // Which one the table shows: the row nearer the first copy (a missing
        // row is farthest); a tie goes to version 2.
        let distance = |at_id: i64| -> usize {
            let wanted: Columns = copy(first, at_id).into_iter().collect();
            tables
                .get(&Table::Evidence)
                .and_then(|t| t.get(&Key::Id(at_id)))
                .map_or(usize::MAX, |row| differing_fields(&wanted, row).len())
        };
        let first_id = if reused != never_reused && distance(reused) < distance(never_reused) {
            reused
        } else {
            never_reused
        };
        for (next, ev) in (first_id..).zip(&items) {
            let c = copy(ev, next);
            self.note_blob(&c);
            self.map(Table::Evidence).insert(next, c);
            self.evidence_ever = self.evidence_ever.max(next);
        }
    }

    /// The rows the replayed state describes, as columns.
    fn rows(&self) -> BTreeMap<Table, BTreeMap<Key, Columns>> {
        let mut out: BTreeMap<Table, BTreeMap<Key, Columns>> =
            Table::ALL.iter().map(|t| (*t, BTreeMap::new())).collect();
        for (table, images) in &self.images {
            for (id, image) in images {
                let mut columns = Columns::new();
                for (k, v) in image {
                    match (*table, k.as_str(), v) {
                        // The product image nests the manufacturer and the CRA details.
                        (Table::Product, group @ ("manufacturer" | "cra"), Value::Object(m)) => {
                            for (sk, sv) in m {
                                columns.insert(format!("{group}_{sk}"), sv.clone());
                            }
                        }
                        (Table::Assessment, "signoff", Value::Object(s)) => {
                            let mut signoff: Columns =
                                s.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                            signoff.insert("assessment_id".into(), (*id).into());
                            out.entry(Table::Signoff)
                                .or_default()
                                .insert(Key::Id(*id), signoff);
                        }
                        (Table::Assessment, "signoff" | "approval_override", Value::Null) => {}
                        // An approval despite outstanding answers: three columns.
                        (Table::Assessment, "approval_override", Value::Object(o)) => {
                            for (ok, ov) in o {
                                columns.insert(format!("override_{ok}"), ov.clone());
                            }
                        }
                        _ => {
                            columns.insert(k.clone(), v.clone());
                        }
                    }
                }
                match table {
                    Table::Profile | Table::Review => {
                        columns.insert(table.key_column().into(), (*id).into());
                    }
                    Table::Response => {
                        let f = self.frameworks.get(id).cloned().unwrap_or_default();
                        columns.insert("framework".into(), f.into());
                    }
                    _ => {}
                }
                out.entry(*table).or_default().insert(Key::Id(*id), columns);
            }
        }
        let blobs = out.entry(Table::Blob).or_default();
        for (hash, size) in &self.blobs {
            let columns = Columns::from([
                ("hash".to_owned(), Value::String(hash.clone())),
                ("size".to_owned(), size.clone()),
            ]);
            blobs.insert(Key::Hash(hash.clone()), columns);
        }
        out
    }
}

/// A product image as version 7 writes it: images written before carry no
/// `cra` (migration 5 gave their rows the empty values) or no `labels`
/// (migration 7 gave them `[]`).
fn product_v7(mut image: Image) -> Image {
    if !image.contains_key("cra") {
        let empty = serde_json::to_value(super::model::CraInfo::default()).unwrap_or_default();
        image.insert("cra".into(), empty);
    }
    if !image.contains_key("labels") {
        image.insert("labels".into(), Value::Array(Vec::new()));
    }
    image
}

/// The largest id in use (0 for none): SQLite gives the next row this + 1.
fn last_id(rows: &BTreeMap<i64, Image>) -> i64 {
    rows.last_key_value().map_or(0, |(id, _)| *id)
}

fn table_of(entity: &str) -> Table {
    match entity {
        "profile" => Table::Profile,
        "response" => Table::Response,
        _ => Table::Review,
    }
}

/// Whether a stored column holds what the trail says. Lists and objects are
/// stored as JSON text, so they compare as JSON.
fn same_value(trail: &Value, table: &Value) -> bool {
    match (trail, table) {
        (Value::Array(_) | Value::Object(_), Value::String(text)) => {
            serde_json::from_str::<Value>(text).is_ok_and(|v| v == *trail)
        }
        _ => trail == table,
    }
}

fn differing_fields<'a>(trail: &'a Columns, table: &'a Columns) -> Vec<&'a String> {
    let names: BTreeSet<&String> = trail.keys().chain(table.keys()).collect();
    names
        .into_iter()
        .filter(|n| {
            !same_value(
                trail.get(*n).unwrap_or(&Value::Null),
                table.get(*n).unwrap_or(&Value::Null),
            )
        })
        .collect()
}

fn compare_table(
    table: Table,
    trail: &BTreeMap<Key, Columns>,
    stored: &BTreeMap<Key, Columns>,
    findings: &mut Vec<Finding>,
) {
    let keys: BTreeSet<&Key> = trail.keys().chain(stored.keys()).collect();
    for key in keys {
        let subject = format!("{} {key}", table.name());
        let row = |field: Option<&String>, in_trail, in_table| RowDifference {
            table: table.name().into(),
            id: key.to_string(),
            field: field.cloned(),
            in_trail,
            in_table,
        };
        match (trail.get(key), stored.get(key)) {
            (Some(t), Some(s)) => {
                for f in differing_fields(t, s) {
                    let (tv, sv) = (t.get(f), s.get(f));
                    findings.push(Finding {
                        row: Some(row(Some(f), text(tv), text(sv))),
                        ..Finding::new(
                            "rows",
                            subject.clone(),
                            format!(
                                "{f}: the trail says {}, the table holds {}",
                                show(tv),
                                show(sv)
                            ),
                        )
                    });
                }
            }
            (Some(t), None) => findings.push(Finding {
                row: Some(row(None, Some(row_text(t)), None)),
                ..Finding::new(
                    "rows",
                    subject,
                    "the trail records this row but the table does not hold it (it was deleted behind the trail's back)",
                )
            }),
            (None, Some(s)) => findings.push(Finding {
                row: Some(row(None, None, Some(row_text(s)))),
                ..Finding::new(
                    "rows",
                    subject,
                    "the table holds this row but the trail never recorded it (it was added behind the trail's back)",
                )
            }),
            (None, None) => {}
        }
    }
}

/// A value as the structured finding carries it: text as is, absent for null.
fn text(v: Option<&Value>) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    }
}

/// The most characters of one value a message quotes; a received file may hold
/// hundreds of megabytes in one field, and the structured finding has it all.
const SHOWN_CHARS: usize = 200;

/// A value for a message: text quoted and escaped, so control characters never
/// reach a terminal, and cut after [`SHOWN_CHARS`] characters.
fn show(v: Option<&Value>) -> String {
    let (text, quoted) = match v {
        None | Some(Value::Null) => return "nothing".into(),
        Some(Value::String(s)) => (s.clone(), true),
        Some(other) => (other.to_string(), false),
    };
    let (head, cut) = match text.char_indices().nth(SHOWN_CHARS) {
        None => (text.as_str(), false),
        Some((at, _)) => (&text[..at], true),
    };
    let head = if quoted {
        format!("{head:?}")
    } else {
        head.to_owned()
    };
    if cut {
        format!("{head}… ({} bytes in all)", text.len())
    } else {
        head
    }
}

fn row_text(columns: &Columns) -> String {
    serde_json::to_string(columns).unwrap_or_default()
}
