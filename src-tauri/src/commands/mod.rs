//! One module per screen area; every function here is a `#[tauri::command]`.

pub mod catalogue;
pub mod exchange;
pub mod history;
pub mod products;
pub mod received;
pub mod reports;
pub mod responses;
pub mod session;
