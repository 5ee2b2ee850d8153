//! The one error shape the UI sees: a stable code to branch on and a message to show.

use serde::Serialize;
use ts_rs::TS;

/// An error returned by a command. `code` is stable (the UI and tests match on it);
/// `message` is for people and carries the context (file, id, field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{code}: {message}")]
pub struct IpcError {
    pub code: String,
    pub message: String,
}

impl IpcError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// Bad input from the UI: a missing field, a path that is not a file, an unknown id.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new("invalid_input", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new("not_found", message)
    }

    /// A command that needs an open workbook was called without one.
    pub fn no_workbook() -> Self {
        Self::new("no_workbook", "no workbook is open")
    }
}

pub type IpcResult<T> = Result<T, IpcError>;

impl From<canary::workbook::WorkbookError> for IpcError {
    fn from(e: canary::workbook::WorkbookError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

impl From<canary::fsx::PathError> for IpcError {
    fn from(e: canary::fsx::PathError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

impl From<canary::catalogue::LinkError> for IpcError {
    fn from(e: canary::catalogue::LinkError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

impl From<canary::identity::IdentityError> for IpcError {
    fn from(e: canary::identity::IdentityError) -> Self {
        use canary::identity::IdentityError as E;
        let code = match &e {
            E::NoName => "required",
            E::WrongPassphrase(_) => "wrong_passphrase",
            _ => "identity",
        };
        Self::new(code, e.to_string())
    }
}
