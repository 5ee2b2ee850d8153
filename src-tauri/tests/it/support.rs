//! Drives the real command handlers through Tauri's mock runtime, the way the
//! webview does: JSON in, JSON (or an `IpcError`) out.

use std::path::{Path, PathBuf};

use canary::catalogue::Catalogue;
use canary_app::{configure, AppState, Launch};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

pub struct Harness {
    /// Owns the window; no test reads it yet.
    #[allow(dead_code)]
    pub app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
    pub dir: tempfile::TempDir,
    pub workbook: PathBuf,
}

impl Harness {
    /// An app launched on `<tmp>/test.canary` (created), with a private config dir.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let workbook = dir.path().join("test.canary");
        Self::launch(dir, workbook)
    }

    pub fn launch(dir: tempfile::TempDir, workbook: PathBuf) -> Self {
        let catalogue = Catalogue::embedded().expect("embedded catalogue loads");
        let mut state = AppState::new(catalogue, Some(dir.path().join("config")));
        state.open_externally = false;
        state.scratch_dir = dir.path().join("opened");
        state.home_dir = Some(dir.path().join("home"));
        let launch = Launch {
            workbook: Some(workbook.clone()),
            catalogue: None,
        };
        let app = configure(mock_builder(), state, launch.clone())
            .build(mock_context(noop_assets()))
            .expect("app builds");
        // The setup hook runs when the event loop starts, which tests never do:
        // open the launch workbook the same way it does.
        launch.open(app.handle(), &app.state::<AppState>());
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("main window");
        Self {
            app,
            window,
            dir,
            workbook,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Invokes `cmd` with `args`; `Err` holds the error value the webview would get.
    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request)
            .map(|b| b.deserialize::<Value>().expect("JSON response"))
    }

    /// Invokes and expects success.
    pub fn ok<T: DeserializeOwned>(&self, cmd: &str, args: Value) -> T {
        match self.invoke(cmd, args) {
            Ok(v) => serde_json::from_value(v.clone())
                .unwrap_or_else(|e| panic!("{cmd}: unexpected shape {v}: {e}")),
            Err(e) => panic!("{cmd} failed: {e}"),
        }
    }

    /// Invokes, expects an `IpcError`, and returns its code and message.
    pub fn err(&self, cmd: &str, args: Value) -> (String, String) {
        match self.invoke(cmd, args) {
            Ok(v) => panic!("{cmd} succeeded unexpectedly: {v}"),
            Err(e) => (
                e["code"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{cmd}: error without code: {e}"))
                    .to_owned(),
                e["message"].as_str().unwrap_or_default().to_owned(),
            ),
        }
    }

    /// Adds a product assessed against `frameworks` and returns its id.
    pub fn add_product(&self, name: &str, frameworks: &[&str]) -> i64 {
        let p: Value = self.ok(
            "add_product",
            json!({ "input": {
                "product": {
                    "name": name, "model": "M-1", "product_type": "smart plug", "batch": "",
                    "manufacturer": { "name": "Canary Devices Ltd", "address": "1 High Street" },
                    "support_end": "2031-01-31", "roles": [], "markets": ["UK"]
                },
                "frameworks": frameworks,
            }}),
        );
        p["id"].as_i64().expect("product id")
    }

    /// The latest assessment id of `product`.
    pub fn assessment(&self, product: i64) -> i64 {
        let page: Value = self.ok(
            "product_page",
            json!({ "product": product, "assessment": null }),
        );
        page["assessment"]["id"].as_i64().expect("assessment id")
    }
}

pub fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).expect("write test file");
}
