//! The app's integration tests, one binary: the command handlers through Tauri's
//! mock runtime on real workbook files. Each topic is a module; shared helpers
//! live in `support`.

mod args;
mod commands;
mod export;
mod received;
mod reports;
mod support;
mod writes;
