//! Crash safety and concurrency with real processes: writers killed with SIGKILL
//! at random points, and two writers on one file at once. Afterwards the workbook
//! must open, verify, and hold every change whose command reported success.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use canary::workbook::Workbook;

use crate::support::cli::Cli;

/// A workbook with a profile and product `DB-1`, on the fixture catalogue.
fn setup() -> Cli {
    let env = Cli::with_fixture_catalogue();
    env.ok(&["init"]);
    env.ok(&["profile", "set", "--name", "Ada"]);
    env.ok(&[
        "product",
        "add",
        "--name",
        "Doorbell",
        "--model",
        "DB-1",
        "--manufacturer",
        "Acme Ltd",
    ]);
    env
}

/// `canary ARGS` with no input and its output discarded.
fn quiet(env: &Cli, args: &[&str]) -> Command {
    let mut c = env.process(args);
    c.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// xorshift64*: a seeded, reproducible sequence.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

enum Write {
    Respond {
        requirement: String,
        statement: String,
    },
    Evidence {
        title: String,
    },
}

fn respond_args(requirement: &str, statement: &str) -> Vec<String> {
    [
        "respond",
        "--product",
        "DB-1",
        "--requirement",
        requirement,
        "--status",
        "met",
        "--statement",
        statement,
    ]
    .map(String::from)
    .to_vec()
}

fn evidence_args(title: &str, file: &Path) -> Vec<String> {
    vec![
        "evidence".into(),
        "add".into(),
        "--product".into(),
        "DB-1".into(),
        "--requirement".into(),
        "uk-cop-2018:1".into(),
        "--title".into(),
        title.into(),
        "--file".into(),
        file.to_string_lossy().into_owned(),
    ]
}

fn write_random_file(path: &Path, len: usize, rng: &mut Rng) {
    let bytes: Vec<u8> = (0..len / 8)
        .flat_map(|_| rng.next().to_le_bytes())
        .collect();
    std::fs::write(path, bytes).unwrap();
}

/// Every marker the workbook holds: statements in the trail, evidence titles.
fn recorded(path: &Path) -> (Vec<String>, Vec<String>) {
    let wb = Workbook::open(path).unwrap();
    let statements = wb
        .log(None)
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "response")
        .filter_map(|e| e.after)
        .collect();
    let a = wb.latest_assessment(1).unwrap();
    let titles = wb
        .responses(a.id)
        .unwrap()
        .iter()
        .flat_map(|r| wb.evidence(r.id).unwrap())
        .map(|e| e.title)
        .collect();
    (statements, titles)
}

#[test]
fn writers_killed_at_random_points_lose_nothing_acknowledged() {
    let env = setup();
    let mut rng = Rng(0x5eed_cafe_f00d_0001);

    // The kill window adapts to this machine's speed (and its load while tests run
    // in parallel): it shrinks after a writer finishes and grows after a kill, so
    // about half the writers die mid-way. At least 30 rounds, more until both
    // outcomes were seen often enough.
    let mut window: u64 = 20_000; // microseconds
    let (mut acknowledged, mut killed, mut rounds) = (Vec::new(), 0, 0);
    while rounds < 30 || ((killed < 10 || acknowledged.len() < 5) && rounds < 200) {
        let i = rounds;
        rounds += 1;
        let (args, write) = if rng.below(2) == 0 {
            let requirement = format!("uk-cop-2018:{}", 1 + rng.below(13));
            let statement = format!("statement-{i}");
            (
                respond_args(&requirement, &statement),
                Write::Respond {
                    requirement,
                    statement,
                },
            )
        } else {
            let file = env.dir().join(format!("evidence-{i}.bin"));
            write_random_file(&file, (1 + rng.below(3) as usize) << 20, &mut rng);
            let title = format!("evidence-{i}");
            (evidence_args(&title, &file), Write::Evidence { title })
        };
        let mut child = quiet(&env, &args.iter().map(String::as_str).collect::<Vec<_>>())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(window)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
            window = window * 5 / 4;
        } else {
            window = (window * 3 / 4).max(500);
        }
        // A process that finished before the kill landed still reports its status.
        if child.wait().unwrap().success() {
            acknowledged.push(write);
        }
    }
    eprintln!(
        "{rounds} writers: {killed} killed, {} acknowledged",
        acknowledged.len()
    );
    assert!(killed >= 10, "only {killed} writers were killed mid-way");
    assert!(
        acknowledged.len() >= 5,
        "only {} writers finished",
        acknowledged.len()
    );

    let report = Workbook::open(&env.workbook()).unwrap().verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.findings);
    let (statements, titles) = recorded(&env.workbook());
    for w in &acknowledged {
        match w {
            Write::Respond {
                requirement,
                statement,
            } => assert!(
                statements
                    .iter()
                    .any(|s| s.contains(statement) && s.contains(requirement)),
                "{statement} was acknowledged but is not in the trail"
            ),
            Write::Evidence { title } => {
                assert!(
                    titles.contains(title),
                    "{title} was acknowledged but is missing"
                )
            }
        }
    }
    // And the workbook still takes writes.
    assert!(quiet(
        &env,
        &[
            "respond",
            "--product",
            "DB-1",
            "--requirement",
            "uk-cop-2018:13",
            "--status",
            "met"
        ]
    )
    .status()
    .unwrap()
    .success());
}

#[test]
fn two_processes_writing_at_once_both_succeed() {
    let env = setup();
    let writer = |who: &'static str| {
        let env = &env;
        move || {
            for i in 0..15 {
                let statement = format!("{who}-{i}");
                let req = format!("uk-cop-2018:{}", 1 + i % 13);
                let args = respond_args(&req, &statement);
                let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
                args.extend(["--as", who]);
                let out = quiet(env, &args).stderr(Stdio::piped()).output().unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    };
    std::thread::scope(|s| {
        let a = s.spawn(writer("alice"));
        let b = s.spawn(writer("bob"));
        a.join().unwrap();
        b.join().unwrap();
    });
    let report = Workbook::open(&env.workbook()).unwrap().verify().unwrap();
    assert!(report.is_ok(), "{:?}", report.findings);
    let (statements, _) = recorded(&env.workbook());
    for who in ["alice", "bob"] {
        for i in 0..15 {
            let marker = format!("\"{who}-{i}\"");
            assert!(
                statements.iter().any(|s| s.contains(&marker)),
                "{marker} missing"
            );
        }
    }
}
