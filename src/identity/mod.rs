//! People and their keys. Who a person is (name, organisation, role), their
//! minisign signing key and the keys they trust live in the person's own config
//! directory — their [`Home`] — never in a workbook: whoever opens a workbook acts
//! as themselves, and a team is still the team when the file comes back.

mod error;
mod home;
mod keys;
mod trust;

pub use error::IdentityError;
pub use home::{Home, Person, HOME_ENV};
pub use keys::{PublicKey, Signature, Signer, SigningKey};
pub use trust::{named_organisations, TrustStore, TrustVerdict, TrustedKey};
