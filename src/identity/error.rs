use std::path::PathBuf;

/// What can go wrong with a person's home, keys, signatures or trusted keys.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("no signing key in {0} (create one with `canary key create --name NAME`)")]
    NoKey(PathBuf),
    #[error("a signing key already exists at {0}; it was left untouched")]
    KeyExists(PathBuf),
    #[error("{path}: {cause}")]
    Io { path: PathBuf, cause: String },
    #[error("{path} is not a usable file: {reason}")]
    BadFile { path: PathBuf, reason: String },
    #[error("the passphrase does not open the signing key in {0}")]
    WrongPassphrase(PathBuf),
    #[error("a signing key needs a passphrase that is not empty")]
    EmptyPassphrase,
    #[error("a person needs a name (set one first: `canary profile set --name NAME`, or the app's Profile)")]
    NoName,
    #[error("not a minisign public key: {0}")]
    BadPublicKey(String),
    #[error("not a minisign signature: {0}")]
    BadSignature(String),
    /// A well-formed signature that does not hold for the data and key given.
    #[error("the signature does not hold ({0})")]
    SignatureFails(String),
    #[error("signing failed: {0}")]
    Sign(String),
    #[error("no trusted key {0}")]
    NotTrusted(String),
    /// minisign's key id is chosen, not derived from the key: a second key with
    /// a trusted key's id is an impostor until shown otherwise.
    #[error(
        "key id {key_id} already belongs to the key you trust as {name}; \
         this is a different key with the same id (remove the other first if it really changed)"
    )]
    KeyIdTaken { key_id: String, name: String },
}

impl IdentityError {
    pub(crate) fn io(path: &std::path::Path, e: impl std::fmt::Display) -> Self {
        Self::Io {
            path: path.to_owned(),
            cause: e.to_string(),
        }
    }
}
