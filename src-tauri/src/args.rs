//! `Args<T>`: every command takes its arguments as one struct, read from the whole
//! invoke payload (`call("update_product", { id, input })` fills `UpdateProduct`).
//! The struct derives `TS`, so `Commands.ts` is generated from what the command
//! really reads (see `bindings.rs`): a changed argument fails `npm run check`.

use serde::de::DeserializeOwned;
use tauri::ipc::{CommandArg, CommandItem, InvokeBody, InvokeError};
use tauri::Runtime;

use crate::error::IpcError;

/// A command's arguments. Malformed ones, and any field the command does not
/// read (at any depth: a misspelt optional field would otherwise be dropped in
/// silence), are refused as an `invalid_input` [`IpcError`] naming the command,
/// before the command runs. `#[serde(flatten)]` hides unread fields from this
/// check, so argument structs do not use it.
#[derive(Debug)]
pub struct Args<T>(pub T);

impl<'de, R: Runtime, T: DeserializeOwned> CommandArg<'de, R> for Args<T> {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        let refused = |why: String| {
            InvokeError::from(IpcError::invalid(format!(
                "the arguments of `{}` do not fit: {why}",
                command.name
            )))
        };
        match command.message.payload() {
            InvokeBody::Json(v) => {
                let mut unknown = Vec::new();
                let args = serde_ignored::deserialize(v, |path| unknown.push(format!("`{path}`")))
                    .map_err(|e| refused(e.to_string()))?;
                if unknown.is_empty() {
                    Ok(Args(args))
                } else {
                    Err(refused(format!("unknown field {}", unknown.join(", "))))
                }
            }
            InvokeBody::Raw(_) => Err(refused("raw bytes instead of JSON".to_owned())),
        }
    }
}
