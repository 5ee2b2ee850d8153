//! The command lists most CLI tests share: a product added, every requirement
//! of a framework answered, an assessment taken through review to a signature,
//! and commands run as a person with a home (keys) of their own.

use std::path::Path;

use assert_cmd::Command;
use canary::catalogue::{requirement_id, Catalogue};

use super::cli::Cli;

/// Every requirement id of framework `fw` in the shipped catalogue.
pub fn requirements(fw: &str) -> Vec<String> {
    let cat = Catalogue::embedded().unwrap();
    let fw = cat.framework(fw).unwrap();
    fw.requirements
        .iter()
        .map(|r| requirement_id(fw, r))
        .collect()
}

/// Every requirement id of each of `frameworks`, in order.
fn all_requirements<'a>(frameworks: &'a [&str]) -> impl Iterator<Item = String> + 'a {
    frameworks.iter().flat_map(|fw| requirements(fw))
}

/// `canary product add --name NAME --model MODEL`, assessed against
/// `frameworks`, with the other `options` (e.g. `--manufacturer`, `--as`).
pub fn add_product(cli: &Cli, name: &str, model: &str, frameworks: &[&str], options: &[&str]) {
    let mut args = vec!["product", "add", "--name", name, "--model", model];
    for f in frameworks {
        args.extend(["--framework", f]);
    }
    args.extend_from_slice(options);
    cli.ok(&args);
}

/// Answers every requirement of each of `frameworks` for `model` with `status`
/// and the statement "Met for ID.", as `who`.
pub fn answer_all(cli: &Cli, model: &str, frameworks: &[&str], status: &str, who: &str) {
    for id in all_requirements(frameworks) {
        let statement = format!("Met for {id}.");
        cli.ok(&[
            "respond",
            "--product",
            model,
            "--requirement",
            &id,
            "--status",
            status,
            "--statement",
            &statement,
            "--as",
            who,
        ]);
    }
}

/// Who signs an assessment, and where and when.
pub struct Signing<'a> {
    pub team: &'a str,
    pub auditor: &'a str,
    pub place: &'a str,
    pub date: &'a str,
}

/// Takes `model`'s assessment from draft to signed: `team` submits, `auditor`
/// accepts every requirement of `frameworks` and approves, and Grace Hopper
/// (CTO) signs for `team`.
pub fn sign_off(cli: &Cli, model: &str, frameworks: &[&str], s: &Signing<'_>) {
    cli.ok(&["submit", "--product", model, "--as", s.team]);
    for id in all_requirements(frameworks) {
        cli.ok(&[
            "review",
            "--product",
            model,
            "--requirement",
            &id,
            "--verdict",
            "accepted",
            "--as",
            s.auditor,
        ]);
    }
    cli.ok(&["approve", "--product", model, "--as", s.auditor]);
    cli.ok(&[
        "sign",
        "--product",
        model,
        "--signatory",
        "Grace Hopper",
        "--function",
        "CTO",
        "--place",
        s.place,
        "--date",
        s.date,
        "--as",
        s.team,
    ]);
}

/// `canary ARGS` on `cli`'s workbook as the person whose home (keys, trusted
/// keys) is `home`, with `passphrase` for their key.
pub fn as_person(cli: &Cli, home: &Path, passphrase: &str, args: &[&str]) -> Command {
    let mut c = cli.cmd(args);
    c.env("CANARY_HOME", home)
        .env("CANARY_PASSPHRASE", passphrase);
    c
}

/// `key create` for `name` of `organisation` (and `--role` etc. in `options`)
/// in `home`; returns the command's JSON.
pub fn create_key(
    cli: &Cli,
    home: &Path,
    passphrase: &str,
    name: &str,
    organisation: &str,
    options: &[&str],
) -> serde_json::Value {
    let mut args = vec![
        "--json",
        "key",
        "create",
        "--name",
        name,
        "--organisation",
        organisation,
    ];
    args.extend_from_slice(options);
    let out = as_person(cli, home, passphrase, &args).assert().success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}
