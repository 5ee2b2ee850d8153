//! The sign-off signature a report's manifest carries: the signer's minisign
//! signature of the sign event's hash, whose trusted comment names the trail head
//! the sign-off was given at. With the signers' public keys beside it, the PDF
//! alone shows who signed; the hash itself is checked against the trail by
//! `canary verify` on the workbook.

use serde::Serialize;
use serde_json::Value;

use crate::identity::{PublicKey, TrustStore, TrustVerdict};
use crate::workbook::acts::{act_comment, check_signature};
use crate::workbook::SignedAct;

/// The state of the sign-off signature embedded in a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SignoffState {
    /// Not signed off, or signed off without a key.
    None,
    Invalid {
        reason: String,
    },
    Valid {
        signer: String,
        organisation: String,
        role: String,
        key_id: String,
        /// minisign's `RW…` form.
        key: String,
        /// The trail head the sign-off was given at.
        trail_head: String,
        #[serde(flatten)]
        trust: TrustVerdict,
    },
}

/// Checks the sign-off signature in `manifest`.
pub(crate) fn check(
    manifest: &Value,
    trusted: &TrustStore,
    own: Option<&PublicKey>,
) -> SignoffState {
    let Some(raw) = manifest
        .get("signoff")
        .and_then(|s| s.get("signature"))
        .filter(|s| !s.is_null())
    else {
        return SignoffState::None;
    };
    let invalid = |reason: String| SignoffState::Invalid { reason };
    let act: SignedAct = match serde_json::from_value(raw.clone()) {
        Ok(a) => a,
        Err(e) => return invalid(format!("it cannot be read ({e})")),
    };
    let key = match PublicKey::parse(&act.signer.key) {
        Ok(k) if k.key_id() == act.signer.key_id => k,
        Ok(k) => {
            return invalid(format!(
                "it names key {} but holds key {}",
                act.signer.key_id,
                k.key_id()
            ))
        }
        Err(e) => return invalid(e.to_string()),
    };
    if let Err(why) = check_signature(&act.signature, &key, &act.event_hash) {
        return invalid(format!("key {} did not sign it: {why}", act.signer.key_id));
    }
    let said = act_comment(&act.signature);
    let head = manifest.get("trail_head").and_then(Value::as_str);
    if said.get("action").map(String::as_str) != Some("sign")
        || said.get("prev").map(String::as_str) != Some(act.prev_hash.as_str())
        || head != Some(act.prev_hash.as_str())
    {
        return invalid(format!(
            "it signs another act than this sign-off at trail head {}",
            head.unwrap_or("-")
        ));
    }
    let signer = act.signer;
    let trust = trusted.judge(&key, own, &[signer.organisation.as_str()]);
    SignoffState::Valid {
        key: key.base64(),
        key_id: signer.key_id,
        signer: signer.name,
        organisation: signer.organisation,
        role: signer.role,
        trail_head: act.prev_hash,
        trust,
    }
}
