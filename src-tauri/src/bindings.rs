//! The TypeScript types of everything crossing IPC, written to `ui/src/lib/bindings/`,
//! and `Commands`: every command's name with its arguments and result, which types
//! the UI's `call` so a wrong name or argument fails `npm run check`. Both are read
//! off each command function (its `Args<T>` struct and its `IpcResult`), so a
//! changed argument in Rust changes `Commands.ts`.
//!
//! `cargo test -p canary-app --lib export_bindings` (part of `cargo test --workspace`)
//! regenerates them; `scripts/test.sh` then fails on any diff or untracked file there,
//! so the UI never compiles against stale types.

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::future::Future;
    use std::path::Path;

    use canary::catalogue::{Framework, MappingView, ReferenceSet};
    use canary::exchange::{AssessmentDiff, FileFormat};
    use canary::received::{Receipt, ReceivedDetail, RegisterRow};
    use canary::workbook::{
        Assessment, DashboardRow, Event, Evidence, Outstanding, Product, ProductInput, ProductPage,
        Profile, Response, ResponseInput, Review, SignInput, Transition, Verdict, VerifyReport,
    };
    use tauri::{AppHandle, Runtime, State, Wry};
    use ts_rs::{Config, TS};

    use crate::args::Args;
    use crate::commands;

    use crate::commands::catalogue::{CatalogueData, MappingLink};
    use crate::commands::exchange::{ExportDone, FileExported, ImportDone};
    use crate::commands::products::NewProduct;
    use crate::commands::reports::{ReportDone, ReportKind, ReportProgress};
    use crate::commands::responses::{EvidenceContent, NewEvidence, OpenedEvidence, ShownIn};
    use crate::commands::session::Session;
    use crate::error::{IpcError, IpcResult};

    /// Ids and sizes fit a JS number (see `canary::workbook::model`).
    fn config(dir: &Path) -> Config {
        Config::new().with_out_dir(dir).with_large_int("number")
    }

    /// A command's arguments and result, read off the function itself: Tauri fills
    /// in the [`Injected`] parameters, the UI sends the one `Args<T>` (none for a
    /// command without arguments) and gets back the `Ok` of its `IpcResult`.
    /// `M` only tells the impls apart (one per arity, sync or async). A command that
    /// fits none (an argument outside `Args`, a result not in `IpcResult`) fails to
    /// compile here.
    trait Signature<M> {
        fn args(cfg: &Config) -> String;
        fn result(cfg: &Config) -> String;
    }

    /// Parameters Tauri supplies rather than the UI.
    trait Injected {}
    impl<T: Send + Sync + 'static> Injected for State<'_, T> {}
    impl<R: Runtime> Injected for AppHandle<R> {}

    /// The arguments of a command that takes none.
    fn no_args(_: &Config) -> String {
        "Record<string, never>".to_owned()
    }

    macro_rules! signatures {
        ($($x:ident),*) => {
            impl<F, $($x: Injected,)* A: TS, R: TS> Signature<(fn($($x,)* Args<A>) -> R,)> for F
            where
                F: Fn($($x,)* Args<A>) -> IpcResult<R>,
            {
                fn args(cfg: &Config) -> String { A::inline(cfg) }
                fn result(cfg: &Config) -> String { R::name(cfg) }
            }
            impl<F, $($x: Injected,)* R: TS> Signature<(fn($($x),*) -> R,)> for F
            where
                F: Fn($($x),*) -> IpcResult<R>,
            {
                fn args(cfg: &Config) -> String { no_args(cfg) }
                fn result(cfg: &Config) -> String { R::name(cfg) }
            }
            impl<F, Fut, $($x: Injected,)* A: TS, R: TS> Signature<(fn($($x,)* Args<A>) -> R, Fut)> for F
            where
                F: Fn($($x,)* Args<A>) -> Fut,
                Fut: Future<Output = IpcResult<R>>,
            {
                fn args(cfg: &Config) -> String { A::inline(cfg) }
                fn result(cfg: &Config) -> String { R::name(cfg) }
            }
            impl<F, Fut, $($x: Injected,)* R: TS> Signature<(fn($($x),*) -> R, Fut)> for F
            where
                F: Fn($($x),*) -> Fut,
                Fut: Future<Output = IpcResult<R>>,
            {
                fn args(cfg: &Config) -> String { no_args(cfg) }
                fn result(cfg: &Config) -> String { R::name(cfg) }
            }
        };
    }
    signatures!(X1);
    signatures!(X1, X2);

    /// One `Commands` entry: `name: { args: { … }, result: … }`, from `command`'s signature.
    fn entry<M, F: Signature<M>>(cfg: &Config, name: &str, _command: F) -> String {
        format!(
            "  {name}: {{ args: {}, result: {} }},\n",
            F::args(cfg),
            F::result(cfg)
        )
    }

    macro_rules! commands {
        ($cfg:expr; $($module:ident::$name:ident $(::<$rt:ty>)?),+ $(,)?) => {
            vec![$((
                stringify!($name),
                entry($cfg, stringify!($name), commands::$module::$name $(::<$rt>)?),
            )),+]
        };
    }

    /// `Commands.ts`: one entry per command registered in `lib.rs`.
    fn commands_ts(cfg: &Config, types: &[String]) -> (Vec<&'static str>, String) {
        let entries = commands! { cfg;
            catalogue::catalogue,
            catalogue::mappings_of,
            catalogue::open_document_link::<Wry>,
            session::session,
            session::open_workbook::<Wry>,
            session::set_profile,
            session::create_key,
            session::ui_ready,
            products::dashboard,
            products::add_product,
            products::update_product,
            products::product_page,
            products::transition,
            products::approve,
            products::outstanding,
            products::change_frameworks,
            products::clone_assessment,
            products::sign_assessment,
            responses::set_response,
            responses::add_evidence,
            responses::remove_evidence,
            responses::restore_evidence,
            responses::open_evidence::<Wry>,
            responses::set_review,
            exchange::import_product,
            exchange::import_example,
            exchange::export_product,
            exchange::export_file::<Wry>,
            exchange::compare_assessments,
            reports::generate_report::<Wry>,
            reports::open_produced::<Wry>,
            received::receive_documents,
            received::received_list,
            received::received_detail,
            received::trust_received_key,
            received::remove_received,
            history::trail,
            history::verify_workbook::<Wry>,
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
            Receipt,
            RegisterRow,
            ReceivedDetail,
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
