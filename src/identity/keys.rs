//! Ed25519 keys and detached signatures in the minisign format, so anyone can
//! check a signature with the stock `minisign` tool. The secret key is stored
//! encrypted with a passphrase (scrypt), the file readable by its owner alone.

use std::io::Cursor;
use std::path::Path;

use ct_codecs::{Base64, Decoder};
use minisign::{KeyPair, SecretKeyBox, SignatureBox};

use super::{Home, IdentityError, Person};

const SECRET: &str = "signing.key";
const PUBLIC: &str = "signing.pub";
/// Decoded sizes minisign's own parser assumes without checking (a shorter
/// global signature would make it panic): algorithm + key id + signature, and
/// the signature over signature and trusted comment.
const SIGNATURE_BYTES: usize = 2 + 8 + 64;
const GLOBAL_SIGNATURE_BYTES: usize = 64;

/// A minisign public key.
#[derive(Clone, Debug)]
pub struct PublicKey(minisign::PublicKey);

impl PublicKey {
    /// Reads a key as minisign shows it (`RW…`), or the text of a `.pub` file.
    pub fn parse(text: &str) -> Result<Self, IdentityError> {
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
            .unwrap_or("");
        minisign::PublicKey::from_base64(line)
            .map(Self)
            .map_err(|e| IdentityError::BadPublicKey(e.to_string()))
    }

    /// The key in minisign's one-line base64 form (`RW…`).
    pub fn base64(&self) -> String {
        self.0.to_base64()
    }

    /// The key id as minisign prints it: 16 hex digits.
    pub fn key_id(&self) -> String {
        key_id(self.0.keynum())
    }

    /// A standard minisign public key file.
    pub fn file_text(&self) -> String {
        format!(
            "untrusted comment: minisign public key {}\n{}\n",
            self.key_id(),
            self.base64()
        )
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.keynum() == other.0.keynum() && self.0 == other.0
    }
}

fn key_id(keynum: &[u8]) -> String {
    let mut n = [0u8; 8];
    n.copy_from_slice(&keynum[..8.min(keynum.len())]);
    format!("{:016X}", u64::from_le_bytes(n))
}

/// A secret key, unlocked with its passphrase.
pub struct SigningKey {
    secret: minisign::SecretKey,
    public: PublicKey,
}

impl SigningKey {
    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    /// A detached signature of `data` (the text of a `.minisig` file).
    /// `trusted_comment` must be one line; it is signed along with the data.
    pub fn sign(&self, data: &[u8], trusted_comment: &str) -> Result<String, IdentityError> {
        if trusted_comment.contains(['\n', '\r']) || trusted_comment.trim() != trusted_comment {
            return Err(IdentityError::Sign(
                "a trusted comment is one line without surrounding spaces".into(),
            ));
        }
        let untrusted = format!(
            "signature from Canary key {} {}",
            self.public.key_id(),
            self.public.base64()
        );
        minisign::sign(
            Some(&self.public.0),
            &self.secret,
            Cursor::new(data),
            Some(trusted_comment),
            Some(&untrusted),
        )
        .map(|b| b.into_string())
        .map_err(|e| IdentityError::Sign(e.to_string()))
    }
}

/// A person ready to sign: their unlocked key and who they are.
pub struct Signer {
    pub key: SigningKey,
    pub person: Person,
}

/// A detached signature read from a `.minisig` file (not yet checked).
#[derive(Clone)]
pub struct Signature {
    sig: SignatureBox,
    key_id: String,
    trusted_comment: String,
    untrusted_comment: String,
}

impl Signature {
    /// Reads the text of a `.minisig` file defensively: hostile input.
    pub fn parse(text: &str) -> Result<Self, IdentityError> {
        let bad = |m: &str| IdentityError::BadSignature(m.to_owned());
        let lines: Vec<&str> = text.lines().collect();
        if lines.len() < 4 {
            return Err(bad("fewer than four lines"));
        }
        let decoded = |line: &str| Base64::decode_to_vec(line.trim(), None).ok();
        if decoded(lines[1]).map(|b| b.len()) != Some(SIGNATURE_BYTES) {
            return Err(bad("the signature line is not a signature"));
        }
        if decoded(lines[3]).map(|b| b.len()) != Some(GLOBAL_SIGNATURE_BYTES) {
            return Err(bad("the signature of the trusted comment is damaged"));
        }
        let sig = SignatureBox::from_string(text).map_err(|e| bad(&e.to_string()))?;
        let trusted_comment = sig.trusted_comment().map_err(|e| bad(&e.to_string()))?;
        let untrusted_comment = sig.untrusted_comment().map_err(|e| bad(&e.to_string()))?;
        Ok(Self {
            key_id: key_id(sig.keynum()),
            sig,
            trusted_comment,
            untrusted_comment,
        })
    }

    /// The id of the key that made it, as the signature says.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub fn trusted_comment(&self) -> &str {
        &self.trusted_comment
    }

    /// The public key the signer put in the untrusted comment, if any: enough to
    /// check the file was not altered since, never to say who signed it.
    pub fn claimed_key(&self) -> Option<PublicKey> {
        self.untrusted_comment
            .split_whitespace()
            .find(|w| w.starts_with("RW"))
            .and_then(|w| PublicKey::parse(w).ok())
            .filter(|k| k.key_id() == self.key_id)
    }

    /// Whether `key` made this signature over `data` and its trusted comment.
    pub fn verify(&self, key: &PublicKey, data: &[u8]) -> Result<(), IdentityError> {
        minisign::verify(&key.0, &self.sig, Cursor::new(data), true, false, false)
            .map_err(|e| IdentityError::SignatureFails(e.to_string()))
    }
}

impl Home {
    /// Creates this person's key pair (refusing to replace one) and records who they are.
    pub fn create_key(
        &self,
        person: &Person,
        passphrase: &str,
    ) -> Result<PublicKey, IdentityError> {
        if passphrase.is_empty() {
            return Err(IdentityError::EmptyPassphrase);
        }
        if person.name.trim().is_empty() {
            return Err(IdentityError::NoName);
        }
        self.refuse_existing_key()?;
        let secret_path = self.file(SECRET);
        let pair = KeyPair::generate_encrypted_keypair(Some(passphrase.to_owned()))
            .map_err(|e| IdentityError::Sign(e.to_string()))?;
        let secret = pair
            .sk
            .to_box(Some("Canary secret key (minisign, encrypted)"))
            .map_err(|e| IdentityError::Sign(e.to_string()))?;
        self.ensure()?;
        write_new_private(&secret_path, secret.into_string().as_bytes())?;
        let public = PublicKey(pair.pk);
        self.write(PUBLIC, &public.file_text())?;
        self.set_person(person)?;
        Ok(public)
    }

    /// Fails when this person already has a key: it is never replaced.
    pub fn refuse_existing_key(&self) -> Result<(), IdentityError> {
        let secret = self.file(SECRET);
        if secret.exists() || self.file(PUBLIC).exists() {
            return Err(IdentityError::KeyExists(secret));
        }
        Ok(())
    }

    /// This person's public key, `None` before they created one.
    pub fn public_key(&self) -> Result<Option<PublicKey>, IdentityError> {
        match self.read(PUBLIC)? {
            None => Ok(None),
            Some(text) => PublicKey::parse(&text)
                .map(Some)
                .map_err(|e| IdentityError::BadFile {
                    path: self.file(PUBLIC),
                    reason: e.to_string(),
                }),
        }
    }

    /// The secret key, opened with `passphrase`.
    pub fn unlock(&self, passphrase: &str) -> Result<SigningKey, IdentityError> {
        let path = self.file(SECRET);
        let text = self
            .read(SECRET)?
            .ok_or_else(|| IdentityError::NoKey(self.dir().to_owned()))?;
        let public = self
            .public_key()?
            .ok_or_else(|| IdentityError::NoKey(self.dir().to_owned()))?;
        let secret = minisign::SecretKey::from_box(
            SecretKeyBox::from_string(&text).map_err(|e| bad_file(&path, e))?,
            Some(passphrase.to_owned()),
        )
        .map_err(|e| {
            if e.to_string().contains("Wrong password") {
                IdentityError::WrongPassphrase(path.clone())
            } else {
                bad_file(&path, e)
            }
        })?;
        if secret.keynum() != public.0.keynum() {
            return Err(bad_file(&path, "it does not belong to signing.pub"));
        }
        Ok(SigningKey { secret, public })
    }
}

impl Home {
    /// This person's key unlocked with `passphrase`, with who they are; `None`
    /// when they have no key.
    pub fn signer(&self, passphrase: &str) -> Result<Option<Signer>, IdentityError> {
        if self.public_key()?.is_none() {
            return Ok(None);
        }
        let key = self.unlock(passphrase)?;
        let person = self
            .person()?
            .ok_or_else(|| bad_file(&self.file(super::home::PERSON), "missing beside the key"))?;
        Ok(Some(Signer { key, person }))
    }
}

fn bad_file(path: &Path, e: impl std::fmt::Display) -> IdentityError {
    IdentityError::BadFile {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

/// Writes a file nobody else may read, never replacing one.
fn write_new_private(path: &Path, bytes: &[u8]) -> Result<(), IdentityError> {
    crate::fsx::write_new_private(path, bytes).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists if path.exists() => {
            IdentityError::KeyExists(path.to_owned())
        }
        _ => IdentityError::io(path, e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn person() -> Person {
        Person {
            name: "Ada".into(),
            organisation: "Acme".into(),
            role: "Security lead".into(),
        }
    }

    fn key(dir: &Path) -> SigningKey {
        let home = Home::at(dir);
        home.create_key(&person(), "pass").unwrap();
        home.unlock("pass").unwrap()
    }

    #[test]
    fn a_signature_verifies_only_the_signed_bytes_with_the_signing_key() {
        let tmp = tempfile::tempdir().unwrap();
        let k = key(&tmp.path().join("a"));
        let data = b"%PDF-1.7 some document".to_vec();
        let text = k.sign(&data, "kind=test").unwrap();
        let sig = Signature::parse(&text).unwrap();
        assert_eq!(sig.key_id(), k.public().key_id());
        assert_eq!(sig.trusted_comment(), "kind=test");
        assert_eq!(sig.claimed_key().as_ref(), Some(k.public()));
        sig.verify(k.public(), &data).unwrap();

        let mut altered = data.clone();
        altered[3] ^= 1;
        // Said as a signature that fails, not as something that is no signature.
        let err = sig.verify(k.public(), &altered).unwrap_err();
        assert!(
            matches!(err, IdentityError::SignatureFails(_)),
            "altered byte: {err}"
        );
        assert!(
            !err.to_string().contains("not a minisign signature"),
            "{err}"
        );

        let other = key(&tmp.path().join("b"));
        assert!(sig.verify(other.public(), &data).is_err(), "wrong key");
    }

    #[test]
    fn an_edited_trusted_comment_fails() {
        let tmp = tempfile::tempdir().unwrap();
        let k = key(tmp.path());
        let text = k.sign(b"data", "kind=attestation").unwrap();
        let forged = text.replace("kind=attestation", "kind=psti-statement");
        let sig = Signature::parse(&forged).unwrap();
        assert!(sig.verify(k.public(), b"data").is_err());
    }

    #[test]
    fn truncated_or_damaged_signatures_are_refused_without_panicking() {
        let tmp = tempfile::tempdir().unwrap();
        let k = key(tmp.path());
        let text = k.sign(b"data", "c").unwrap();
        for cut in 0..text.len() {
            if let Ok(sig) = Signature::parse(&text[..cut]) {
                // Only a cut through the final newline keeps a whole signature.
                sig.verify(k.public(), b"data").unwrap();
            }
        }
        let lines: Vec<&str> = text.lines().collect();
        let short_global = format!("{}\n{}\n{}\nAAAA\n", lines[0], lines[1], lines[2]);
        assert!(Signature::parse(&short_global).is_err());
        assert!(Signature::parse("").is_err());
        assert!(Signature::parse("not\na\nsignature\nat all").is_err());
    }

    #[test]
    fn the_key_is_private_refuses_replacing_and_needs_its_passphrase() {
        let tmp = tempfile::tempdir().unwrap();
        let home = Home::at(tmp.path().join("home"));
        let public = home.create_key(&person(), "pass").unwrap();
        assert!(matches!(
            home.create_key(&person(), "other"),
            Err(IdentityError::KeyExists(_))
        ));
        assert_eq!(home.public_key().unwrap(), Some(public.clone()));
        assert!(matches!(
            home.unlock("wrong"),
            Err(IdentityError::WrongPassphrase(_))
        ));
        assert_eq!(home.unlock("pass").unwrap().public(), &public);
        assert_eq!(home.person().unwrap(), Some(person()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&home.file(SECRET)), 0o600);
            assert_eq!(mode(home.dir()), 0o700);
        }
        let names: Vec<_> = fs::read_dir(home.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.contains(".part-")), "{names:?}");
    }

    #[test]
    fn public_keys_read_in_both_forms() {
        let tmp = tempfile::tempdir().unwrap();
        let k = key(tmp.path());
        let p = k.public();
        assert!(p.base64().starts_with("RW"));
        assert_eq!(p.key_id().len(), 16);
        assert_eq!(&PublicKey::parse(&p.base64()).unwrap(), p);
        assert_eq!(&PublicKey::parse(&p.file_text()).unwrap(), p);
        assert!(PublicKey::parse("RWnotakey").is_err());
        assert!(PublicKey::parse("").is_err());
    }

    #[test]
    fn unsigned_means_no_key() {
        let tmp = tempfile::tempdir().unwrap();
        let home = Home::at(tmp.path());
        assert_eq!(home.public_key().unwrap(), None);
        assert!(matches!(home.unlock("x"), Err(IdentityError::NoKey(_))));
    }
}
