//! The TypeScript types of everything crossing IPC, written to `ui/src/lib/bindings/`.
//!
//! `cargo test -p canary-app --lib export_bindings` (part of `cargo test --workspace`)
//! regenerates them; `scripts/test.sh` then fails on any diff or untracked file there,
//! so the UI never compiles against stale types.

#[cfg(test)]
mod tests {
    use std::path::Path;

    use canary::catalogue::{Framework, MappingView, ReferenceSet};
    use canary::workbook::{
        Assessment, DashboardRow, Event, Evidence, Outstanding, Product, ProductInput, ProductPage,
        Profile, Response, ResponseInput, Review, SignInput, Transition, Verdict, VerifyReport,
    };
    use ts_rs::{Config, TS};

    use crate::commands::catalogue::{CatalogueData, MappingLink};
    use crate::commands::exchange::{ExportDone, ImportDone};
    use crate::commands::products::NewProduct;
    use crate::commands::reports::{ReportDone, ReportKind, ReportProgress};
    use crate::commands::session::Session;
    use crate::error::IpcError;

    #[test]
    fn export_bindings() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings");
        std::fs::create_dir_all(&dir).unwrap();
        let cfg = Config::new().with_out_dir(&dir);
        macro_rules! export {
            ($($t:ty),+ $(,)?) => {
                $(<$t as TS>::export_all(&cfg).unwrap_or_else(|e| panic!("{}: {e}", stringify!($t)));)+
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
            Review,
            Verdict,
            SignInput,
            ImportDone,
            ExportDone,
            ReportKind,
            ReportDone,
            Event,
            VerifyReport,
            ReportProgress,
        );
    }
}
