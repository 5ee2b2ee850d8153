//! The Canary desktop shell: each Tauri command translates its input, calls the
//! core library and returns a typed value or an [`IpcError`]. No business rules
//! live here: the store checks what is stored, how links and files are opened,
//! and writes files whole (`canary::fsx`).

mod args;
mod bindings;
mod commands;
mod error;
mod launch;
mod scratch;
mod state;

use tauri::{Manager, Runtime};

pub use commands::catalogue::{CatalogueData, EndKind, MappingLink};
pub use commands::products::NewProduct;
pub use commands::session::{Session, WorkbookInfo};
pub use error::IpcError;
pub use launch::Launch;
pub use state::AppState;

/// Registers plugins, state and every command on `builder`; `run` and the tests
/// (with Tauri's mock runtime) share it.
pub fn configure<R: Runtime>(
    builder: tauri::Builder<R>,
    state: AppState,
    launch: Launch,
) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state)
        .setup(move |app| {
            let state = app.state::<AppState>();
            launch.open(app.handle(), &state);
            // Off the launch path: copies of evidence opened in earlier sessions.
            let scratch = state.scratch_dir.clone();
            std::thread::spawn(move || scratch::sweep(&scratch, scratch::KEEP));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::catalogue::catalogue,
            commands::catalogue::mappings_of,
            commands::catalogue::open_document_link,
            commands::session::session,
            commands::session::open_workbook,
            commands::session::set_profile,
            commands::session::create_key,
            commands::session::ui_ready,
            commands::products::dashboard,
            commands::products::add_product,
            commands::products::update_product,
            commands::products::product_page,
            commands::products::transition,
            commands::products::approve,
            commands::products::outstanding,
            commands::products::change_frameworks,
            commands::products::clone_assessment,
            commands::products::sign_assessment,
            commands::responses::set_response,
            commands::responses::add_evidence,
            commands::responses::remove_evidence,
            commands::responses::restore_evidence,
            commands::responses::open_evidence,
            commands::responses::set_review,
            commands::exchange::import_product,
            commands::exchange::import_example,
            commands::exchange::export_product,
            commands::exchange::export_file,
            commands::exchange::compare_assessments,
            commands::reports::generate_report,
            commands::reports::open_produced,
            commands::received::receive_documents,
            commands::received::received_list,
            commands::received::received_detail,
            commands::received::trust_received_key,
            commands::received::remove_received,
            commands::history::trail,
            commands::history::verify_workbook,
        ])
}

/// WebKitGTK's GPU compositing buys forms and lists nothing and costs the web
/// process 120-145 MB RSS (Mesa's GL stack; llvmpipe where there is no GPU): the
/// release app under Xvfb holds 183 MiB with 1 product and 189 with 1,000 without
/// it, 307 and 334 with it (`scripts/measure-scale.sh`). Set before WebKit starts its
/// processes, which inherit it; a value already set wins
/// (`WEBKIT_DISABLE_COMPOSITING_MODE=0` turns compositing back on).
#[cfg(target_os = "linux")]
fn without_gpu_compositing() {
    const VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if std::env::var_os(VAR).is_none() {
        std::env::set_var(VAR, "1");
    }
}

pub fn run() {
    let started = std::time::Instant::now();
    // First, while the process has one thread.
    #[cfg(target_os = "linux")]
    without_gpu_compositing();
    let launch = Launch::from_env(std::env::args_os().skip(1));
    let mut state = match launch.state() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("canary-app: {}", e.message);
            std::process::exit(1);
        }
    };
    // Count the launch from before the catalogue was loaded.
    state.started = started;
    configure(tauri::Builder::default(), state, launch)
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("canary-app: {e}");
            std::process::exit(1);
        });
}
