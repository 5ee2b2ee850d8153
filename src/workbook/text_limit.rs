//! The longest text Canary stores in one field. Every write records its new
//! values on the trail (`Batch::record`), so checking them there covers every
//! stored text field, whichever command or screen the value came from; the
//! transaction then rolls back and nothing is stored.

use serde_json::Value;

use super::error::{Result, WorkbookError};

/// The most UTF-8 bytes one text field holds: 64 KiB.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Refuses the change if the actor's name or any text in `after` (the change's
/// new values as JSON) is longer than [`MAX_TEXT_BYTES`], naming the field.
pub(crate) fn check(entity: &str, actor: &str, after: Option<&str>) -> Result<()> {
    let too_long = |field: String, len: usize| WorkbookError::TextTooLong {
        field,
        len,
        max: MAX_TEXT_BYTES,
    };
    if actor.len() > MAX_TEXT_BYTES {
        return Err(too_long("actor".into(), actor.len()));
    }
    let Some(value) = after.and_then(|a| serde_json::from_str::<Value>(a).ok()) else {
        return Ok(());
    };
    match longest(&value, entity.to_owned()) {
        Some((field, len)) if len > MAX_TEXT_BYTES => Err(too_long(field, len)),
        _ => Ok(()),
    }
}

/// The longest string in `v` and where it is (`product.name`, `assessment.frameworks[2]`).
fn longest(v: &Value, at: String) -> Option<(String, usize)> {
    match v {
        Value::String(s) => Some((at, s.len())),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, x)| longest(x, format!("{at}[{i}]")))
            .max_by_key(|(_, n)| *n),
        Value::Object(fields) => fields
            .iter()
            .filter_map(|(k, x)| longest(x, format!("{at}.{k}")))
            .max_by_key(|(_, n)| *n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_field_is_named() {
        let ok =
            serde_json::json!({"name": "x".repeat(MAX_TEXT_BYTES), "roles": ["a"]}).to_string();
        assert!(check("product", "Ada", Some(&ok)).is_ok());
        let long =
            serde_json::json!({"name": "n", "markets": ["UK", "x".repeat(MAX_TEXT_BYTES + 1)]})
                .to_string();
        let err = check("product", "Ada", Some(&long))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("product.markets[1]") && err.contains("65537"),
            "{err}"
        );
        let err = check("profile", &"a".repeat(MAX_TEXT_BYTES + 1), None).unwrap_err();
        assert!(err.to_string().starts_with("actor"), "{err}");
    }
}
