//! The TypeScript types of everything crossing IPC, written to `ui/src/lib/bindings/`,
//! and `Commands`: every command's name with its arguments and result, which types
//! the UI's `call` so a wrong name or argument fails `npm run check`.
//!
//! `cargo test -p canary-app --lib export_bindings` (part of `cargo test --workspace`)
//! regenerates them; `scripts/test.sh` then fails on any diff or untracked file there,
//! so the UI never compiles against stale types.

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use canary::catalogue::{Framework, MappingView, ReferenceSet};
    use canary::exchange::{AssessmentDiff, FileFormat};
    use canary::workbook::{
        Assessment, DashboardRow, Event, Evidence, Outstanding, Product, ProductInput, ProductPage,
        Profile, Response, ResponseInput, Review, SignInput, Transition, Verdict, VerifyReport,
    };
    use ts_rs::{Config, TS};

    use crate::commands::catalogue::{CatalogueData, MappingLink};
    use crate::commands::exchange::{ExportDone, FileExported, ImportDone};
    use crate::commands::products::NewProduct;
    use crate::commands::reports::{ReportDone, ReportKind, ReportProgress};
    use crate::commands::responses::{EvidenceContent, NewEvidence, OpenedEvidence, ShownIn};
    use crate::commands::session::Session;
    use crate::error::IpcError;

    /// Ids and sizes fit a JS number (see `canary::workbook::model`).
    fn config(dir: &Path) -> Config {
        Config::new().with_out_dir(dir).with_large_int("number")
    }

    /// Tauri names arguments in camelCase on the JS side.
    fn camel(name: &str) -> String {
        let mut out = String::new();
        let mut upper = false;
        for c in name.chars() {
            match c {
                '_' => upper = true,
                c if upper => {
                    out.extend(c.to_uppercase());
                    upper = false;
                }
                c => out.push(c),
            }
        }
        out
    }

    /// One `Commands` entry: `name: { args: { … }, result: … }`. Optional
    /// arguments may be left out, as Tauri reads a missing one as `None`.
    fn entry(name: &str, args: &[(&str, String, bool)], result: String) -> String {
        let args: Vec<String> = args
            .iter()
            .map(|(arg, ty, optional)| {
                format!("{}{}: {ty}", camel(arg), if *optional { "?" } else { "" })
            })
            .collect();
        format!(
            "  {name}: {{ args: {{ {} }}, result: {result} }},\n",
            args.join(", ")
        )
    }

    macro_rules! commands {
        ($cfg:expr; $($name:ident { $($arg:ident: $ty:ty),* } -> $res:ty;)+) => {
            vec![$((
                stringify!($name),
                entry(
                    stringify!($name),
                    &[$((stringify!($arg), <$ty as TS>::name($cfg), <$ty as TS>::IS_OPTION)),*],
                    <$res as TS>::name($cfg),
                ),
            )),+]
        };
    }

    /// `Commands.ts`: one entry per command registered in `lib.rs`.
    fn commands_ts(cfg: &Config, types: &[String]) -> (Vec<&'static str>, String) {
        let entries = commands! { cfg;
            catalogue {} -> CatalogueData;
            mappings_of { id: String } -> Vec<MappingLink>;
            open_document_link { document: String, url: String } -> ();
            session {} -> Session;
            open_workbook { path: String, create: bool } -> Session;
            set_profile { profile: Profile } -> Session;
            ui_ready { ui_ms: f64 } -> ();
            dashboard {} -> Vec<DashboardRow>;
            add_product { input: NewProduct } -> Product;
            update_product { id: i64, input: ProductInput } -> Product;
            product_page { product: i64, assessment: Option<i64> } -> ProductPage;
            transition { assessment: i64, transition: Transition } -> Assessment;
            approve { assessment: i64, despite: Option<String> } -> Assessment;
            outstanding { assessment: i64 } -> Vec<Outstanding>;
            change_frameworks { assessment: i64, add: Vec<String>, remove: Vec<String> } -> Assessment;
            clone_assessment { assessment: i64, label: String } -> Assessment;
            sign_assessment { assessment: i64, input: SignInput } -> Assessment;
            set_response { assessment: i64, requirement: String, input: ResponseInput } -> Response;
            add_evidence { assessment: i64, requirement: String, input: NewEvidence } -> Evidence;
            remove_evidence { evidence: i64 } -> ();
            restore_evidence { evidence: i64 } -> Evidence;
            open_evidence { assessment: i64, requirement: String, evidence: i64 } -> OpenedEvidence;
            set_review { assessment: i64, requirement: String, verdict: Verdict, comment: String } -> Review;
            import_product { path: String } -> ImportDone;
            import_example {} -> ImportDone;
            export_product { product: i64, path: String } -> ExportDone;
            export_file { format: FileFormat, product: Option<i64>, path: String, replace: bool } -> FileExported;
            compare_assessments { product: i64, from: Option<i64>, to: Option<i64> } -> AssessmentDiff;
            generate_report { kind: ReportKind, product: i64, path: String, replace: bool } -> ReportDone;
            open_produced { path: String } -> ();
            trail { before: Option<i64>, limit: Option<u32> } -> Vec<Event>;
            verify_workbook {} -> VerifyReport;
        };
        let body: String = entries.iter().map(|(_, e)| e.as_str()).collect();
        let words: BTreeSet<&str> = body
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .collect();
        let mut ts = String::from(
            "// Generated by src-tauri/src/bindings.rs (export_bindings). Do not edit this file manually.\n",
        );
        for ident in types {
            if words.contains(ident.as_str()) {
                ts.push_str(&format!("import type {{ {ident} }} from \"./{ident}\";\n"));
            }
        }
        ts.push_str("\n/** Every command: its arguments (camelCase, as `invoke` takes them) and result. */\n");
        ts.push_str("export type Commands = {\n");
        ts.push_str(&body);
        ts.push_str("};\n");
        (entries.iter().map(|(n, _)| *n).collect(), ts)
    }

    /// The command names `lib.rs` registers with `generate_handler!`.
    fn registered() -> BTreeSet<String> {
        let lib = include_str!("lib.rs");
        let start = lib
            .find("generate_handler![")
            .expect("generate_handler! in lib.rs");
        let end = start + lib[start..].find(']').expect("end of generate_handler!");
        lib[start..end]
            .split(',')
            .filter_map(|p| p.trim().rsplit("::").next())
            .map(str::trim)
            .filter(|n| !n.is_empty() && !n.contains('['))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn export_bindings() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings");
        std::fs::create_dir_all(&dir).unwrap();
        let cfg = config(&dir);
        let mut types: Vec<String> = Vec::new();
        macro_rules! export {
            ($($t:ty),+ $(,)?) => {
                $(
                    <$t as TS>::export_all(&cfg).unwrap_or_else(|e| panic!("{}: {e}", stringify!($t)));
                    types.push(<$t as TS>::ident(&cfg));
                )+
            };
        }
        export!(
            IpcError,
            CatalogueData,
            MappingLink,
            Framework,
            ReferenceSet,
            MappingView,
            Session,
            Profile,
            NewProduct,
            ProductInput,
            Product,
            DashboardRow,
            ProductPage,
            Assessment,
            Transition,
            Outstanding,
            Response,
            ResponseInput,
            Evidence,
            NewEvidence,
            EvidenceContent,
            OpenedEvidence,
            ShownIn,
            Review,
            Verdict,
            SignInput,
            ImportDone,
            ExportDone,
            FileFormat,
            FileExported,
            AssessmentDiff,
            ReportKind,
            ReportDone,
            Event,
            VerifyReport,
            ReportProgress,
        );
        let (names, ts) = commands_ts(&cfg, &types);
        std::fs::write(dir.join("Commands.ts"), ts).unwrap();

        let listed: BTreeSet<String> = names.iter().map(|n| (*n).to_owned()).collect();
        assert_eq!(
            listed,
            registered(),
            "Commands.ts and lib.rs's generate_handler! must list the same commands"
        );
    }
}
