//! The public keys a person trusts, each with a name and, when given, pinned to an
//! organisation: a document from that organisation signed by any other key is
//! flagged.

use serde::{Deserialize, Serialize};

use super::{Home, IdentityError, PublicKey};

const TRUST: &str = "trusted-keys.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedKey {
    /// minisign's `RW…` form.
    pub key: String,
    pub key_id: String,
    pub name: String,
    #[serde(default)]
    pub organisation: Option<String>,
}

/// What the trusted keys say of the key that signed a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "trust", rename_all = "snake_case")]
pub enum TrustVerdict {
    /// The person's own key.
    Own,
    Trusted {
        name: String,
        organisation: Option<String>,
    },
    /// Not among the trusted keys, and no organisation it claims is pinned.
    Untrusted,
    /// The document comes from `organisation`, pinned to other keys.
    OtherKeyPinned {
        organisation: String,
        pinned: Vec<TrustedKey>,
    },
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TrustStore {
    keys: Vec<TrustedKey>,
}

fn same_organisation(a: &str, b: &str) -> bool {
    // Case, runs of white space and characters drawn as nothing (a zero-width
    // space, joiner, soft hyphen or direction mark) do not count: an invisible
    // character in the name a document carries must not slip it past the key
    // pinned for the name it shows.
    let norm = |s: &str| {
        s.chars()
            .filter(|&c| !invisible(c))
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let a = norm(a);
    !a.is_empty() && a == norm(b)
}

/// Unicode's default-ignorable code points: characters a screen shows as nothing.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
        | '\u{ffa0}' | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0000}'..='\u{e0fff}')
}

/// The organisations a signed document speaks for, the `organisations` that
/// [`TrustStore::judge`] checks pinned keys against: the one its signer names,
/// then its manufacturer.
pub fn named_organisations<'a>(
    signer_organisation: Option<&'a str>,
    manufacturer: Option<&'a str>,
) -> Vec<&'a str> {
    signer_organisation
        .into_iter()
        .chain(manufacturer)
        .collect()
}

impl TrustStore {
    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    /// Judges `key`, the signer of a document that names `organisations` (the
    /// signer's and the manufacturer's). `own` is the person's own key.
    pub fn judge(
        &self,
        key: &PublicKey,
        own: Option<&PublicKey>,
        organisations: &[&str],
    ) -> TrustVerdict {
        let id = key.key_id();
        if own == Some(key) {
            return TrustVerdict::Own;
        }
        // A key id is chosen by whoever makes the key: another key under a
        // trusted key's id is flagged as loudly as one under a pinned name.
        let impostor: Vec<TrustedKey> = self
            .keys
            .iter()
            .filter(|k| k.key_id == id && k.key != key.base64())
            .cloned()
            .collect();
        if let Some(first) = impostor.first() {
            return TrustVerdict::OtherKeyPinned {
                organisation: first
                    .organisation
                    .clone()
                    .unwrap_or_else(|| first.name.clone()),
                pinned: impostor,
            };
        }
        for org in organisations {
            let pinned: Vec<TrustedKey> = self
                .keys
                .iter()
                .filter(|k| {
                    k.organisation
                        .as_deref()
                        .is_some_and(|o| same_organisation(o, org))
                })
                .cloned()
                .collect();
            if !pinned.is_empty()
                && !pinned
                    .iter()
                    .any(|k| k.key_id == id && k.key == key.base64())
            {
                return TrustVerdict::OtherKeyPinned {
                    organisation: (*org).to_owned(),
                    pinned,
                };
            }
        }
        match self
            .keys
            .iter()
            .find(|k| k.key_id == id && k.key == key.base64())
        {
            Some(k) => TrustVerdict::Trusted {
                name: k.name.clone(),
                organisation: k.organisation.clone(),
            },
            None => TrustVerdict::Untrusted,
        }
    }
}

impl Home {
    pub fn trust_store(&self) -> Result<TrustStore, IdentityError> {
        match self.read(TRUST)? {
            None => Ok(TrustStore::default()),
            Some(text) => serde_json::from_str(&text).map_err(|e| IdentityError::BadFile {
                path: self.file(TRUST),
                reason: e.to_string(),
            }),
        }
    }

    fn save_trust(&self, store: &TrustStore) -> Result<(), IdentityError> {
        let text = serde_json::to_string_pretty(store).expect("trusted keys always serialise");
        self.write(TRUST, &text)
    }

    /// Trusts `key` under `name`, pinned to `organisation` when given; trusting a
    /// key again replaces its name and organisation.
    pub fn trust(
        &self,
        key: &PublicKey,
        name: &str,
        organisation: Option<&str>,
    ) -> Result<TrustedKey, IdentityError> {
        if name.trim().is_empty() {
            return Err(IdentityError::NoName);
        }
        let mut store = self.trust_store()?;
        let entry = TrustedKey {
            key: key.base64(),
            key_id: key.key_id(),
            name: name.trim().to_owned(),
            organisation: organisation
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned),
        };
        if let Some(other) = store
            .keys
            .iter()
            .find(|k| k.key_id == entry.key_id && k.key != entry.key)
        {
            return Err(IdentityError::KeyIdTaken {
                key_id: entry.key_id,
                name: other.name.clone(),
            });
        }
        store.keys.retain(|k| k.key != entry.key);
        store.keys.push(entry.clone());
        self.save_trust(&store)?;
        Ok(entry)
    }

    /// Stops trusting the key with this id (or `RW…` form).
    pub fn distrust(&self, key: &str) -> Result<TrustedKey, IdentityError> {
        let mut store = self.trust_store()?;
        let wanted = key.trim();
        let at = store
            .keys
            .iter()
            .position(|k| k.key_id.eq_ignore_ascii_case(wanted) || k.key == wanted)
            .ok_or_else(|| IdentityError::NotTrusted(wanted.to_owned()))?;
        let removed = store.keys.remove(at);
        self.save_trust(&store)?;
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Person;

    fn key(home: &Home, name: &str) -> PublicKey {
        let p = Person {
            name: name.into(),
            organisation: String::new(),
            role: String::new(),
        };
        home.create_key(&p, "pw").unwrap()
    }

    #[test]
    fn pinned_organisations_flag_any_other_key() {
        let tmp = tempfile::tempdir().unwrap();
        let me = Home::at(tmp.path().join("me"));
        let team = key(&Home::at(tmp.path().join("team")), "Team");
        let forger = key(&Home::at(tmp.path().join("forger")), "Forger");
        let mine = key(&me, "Me");

        let store = me.trust_store().unwrap();
        assert_eq!(
            store.judge(&team, Some(&mine), &["Acme"]),
            TrustVerdict::Untrusted
        );
        assert_eq!(
            store.judge(&mine, Some(&mine), &["Acme"]),
            TrustVerdict::Own
        );

        me.trust(&team, "Acme team", Some("Acme Ltd")).unwrap();
        let store = me.trust_store().unwrap();
        assert!(matches!(
            store.judge(&team, Some(&mine), &["acme  ltd"]),
            TrustVerdict::Trusted { .. }
        ));
        assert!(matches!(
            store.judge(&forger, Some(&mine), &["", "Acme Ltd"]),
            TrustVerdict::OtherKeyPinned { ref organisation, .. } if organisation == "Acme Ltd"
        ));
        assert_eq!(
            store.judge(&forger, None, &["Other"]),
            TrustVerdict::Untrusted
        );

        let removed = me.distrust(&team.key_id().to_lowercase()).unwrap();
        assert_eq!(removed.name, "Acme team");
        assert!(me.trust_store().unwrap().keys().is_empty());
        assert!(matches!(
            me.distrust("nope"),
            Err(IdentityError::NotTrusted(_))
        ));
    }

    #[test]
    fn a_second_key_under_a_trusted_key_id_is_an_impostor() {
        use ct_codecs::{Base64, Decoder, Encoder};
        let tmp = tempfile::tempdir().unwrap();
        let me = Home::at(tmp.path().join("me"));
        let alice = key(&Home::at(tmp.path().join("alice")), "Alice");
        let mallory = key(&Home::at(tmp.path().join("mallory")), "Mallory");
        // minisign's key id is the key's chosen `keynum`, not a digest: Mallory
        // gives her key Alice's id.
        let raw = |k: &PublicKey| Base64::decode_to_vec(k.base64(), None).unwrap();
        let mut forged = raw(&mallory);
        forged[2..10].copy_from_slice(&raw(&alice)[2..10]);
        let forged = PublicKey::parse(&Base64::encode_to_string(&forged).unwrap()).unwrap();
        assert_eq!(forged.key_id(), alice.key_id());

        me.trust(&alice, "Alice", None).unwrap();
        let store = me.trust_store().unwrap();
        assert!(matches!(
            store.judge(&forged, None, &["Somewhere else"]),
            TrustVerdict::OtherKeyPinned { ref organisation, ref pinned }
                if organisation == "Alice" && pinned[0].key == alice.base64()
        ));
        assert!(matches!(
            me.trust(&forged, "Not Alice", None),
            Err(IdentityError::KeyIdTaken { ref name, .. }) if name == "Alice"
        ));
        assert_eq!(me.trust_store().unwrap().keys().len(), 1, "nothing added");
    }
}
