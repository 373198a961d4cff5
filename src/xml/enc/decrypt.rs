//! Decrypting an EncryptedAssertion with the SP key, without becoming an oracle.
//!
//! Every cryptographic failure ends in [`DecryptError::Undecryptable`], whose message is fixed
//! and whose notes ([`Diagnosis`]) are written before any cryptography runs. RSA failures do
//! not stop anything: a stand-in key takes the place of the real one (see `transport::unwrap_key`)
//! and the content decryption fails as for any wrong key.
//!
//! What the plaintext may reveal depends on whether anyone could have changed it. AES-CBC has no
//! integrity: an attacker who alters the ciphertext of an unsigned message steers the plaintext,
//! and distinguishing "bad padding" from "bad XML" from "DOCTYPE refused" is exactly the oracle
//! that decrypts it (Jager and Somorovsky, 2011). So plaintext problems are named (as XML
//! rules) only when the plaintext is authenticated: by AES-GCM's tag, or by a verified
//! signature over the EncryptedAssertion. Otherwise they are `Undecryptable` too.

use super::decrypted::{Decrypted, SpliceInput};
use super::error::{DecryptError, Diagnosis};
use super::key::DecryptionKey;
use super::structure::{self, EncryptedParts};
use super::{base64, cipher, transport, KeyTransport};
use crate::xml::dsig::keys::cert_info;
use crate::xml::dsig::Verified;
use crate::xml::{Document, Limits, NodeId};

/// Decrypts the `saml:EncryptedAssertion` at `encrypted_assertion` and parses the assertion in
/// its place. `covered_by` is a verified signature of `doc` covering the EncryptedAssertion,
/// if there is one (the Response's): it authenticates the plaintext.
pub fn decrypt_assertion<'o>(
    doc: &'o Document,
    encrypted_assertion: NodeId,
    key: &DecryptionKey,
    covered_by: Option<&Verified<'o>>,
    limits: Limits,
) -> Result<Decrypted<'o>, DecryptError> {
    let parts = structure::read(doc, encrypted_assertion)?;
    let signed = covered_by
        .is_some_and(|v| std::ptr::eq(v.document(), doc) && v.covers(encrypted_assertion));
    let diagnosis = diagnose(&parts, key);
    let undecryptable = || DecryptError::Undecryptable(diagnosis.clone());
    let (plaintext, transport) = decrypt_parts(&parts, key).ok_or_else(undecryptable)?;
    // Random bytes from a wrong key are almost never UTF-8 text starting with a tag: such
    // plaintext is a failed decryption, whatever vouches for it.
    let plaintext = String::from_utf8(plaintext).map_err(|_| undecryptable())?;
    if !plaintext.trim_start().starts_with('<') {
        return Err(undecryptable());
    }
    let authenticated = signed || parts.content.is_authenticated();
    let input = SpliceInput {
        plaintext: &plaintext,
        content: parts.content,
        transport,
        signed,
    };
    Decrypted::splice(doc, encrypted_assertion, input, limits).map_err(|e| {
        if authenticated {
            e
        } else {
            undecryptable()
        }
    })
}

/// The plaintext bytes of the EncryptedAssertion at `encrypted_assertion`, unparsed.
pub fn decrypt_bytes(
    doc: &Document,
    encrypted_assertion: NodeId,
    key: &DecryptionKey,
) -> Result<Vec<u8>, DecryptError> {
    let parts = structure::read(doc, encrypted_assertion)?;
    decrypt_parts(&parts, key)
        .map(|(plaintext, _)| plaintext)
        .ok_or_else(|| DecryptError::Undecryptable(diagnose(&parts, key)))
}

/// Tries each EncryptedKey in turn; the first whose key decrypts the content wins.
fn decrypt_parts(parts: &EncryptedParts, key: &DecryptionKey) -> Option<(Vec<u8>, KeyTransport)> {
    let data = base64::decode(&parts.cipher_text)?;
    let key_len = parts.content.key_len();
    parts.keys.iter().find_map(|candidate| {
        // Undecodable base64 is just a ciphertext that fails, like any other.
        let wrapped = base64::decode(&candidate.cipher_text).unwrap_or_default();
        let content_key = transport::unwrap_key(
            key,
            candidate.transport,
            &candidate.label,
            &wrapped,
            key_len,
        );
        cipher::decrypt(parts.content, &content_key, &data).map(|p| (p, candidate.transport))
    })
}

/// What can be said without the secret: algorithms, and which certificate the IdP encrypted
/// for compared with the SP key in hand. Depends only on the message and the key, never on a
/// decryption result.
fn diagnose(parts: &EncryptedParts, key: &DecryptionKey) -> Diagnosis {
    let mut notes = Vec::new();
    for candidate in &parts.keys {
        notes.push(format!(
            "content encryption {}, key transport {}, EncryptedKey {}",
            parts.content, candidate.transport, candidate.placement
        ));
        if let Some(recipient) = &candidate.recipient {
            notes.push(format!("the EncryptedKey is for Recipient {recipient:?}"));
        }
        match candidate.certificate.as_deref() {
            Some(der) => {
                let named = match cert_info(der) {
                    Ok(info) => format!("certificate {:?} (SHA-256 {})", info.subject, info.sha256),
                    Err(_) => "an unreadable certificate".to_string(),
                };
                if key.matches_certificate(der) {
                    notes.push(format!("the IdP encrypted the key for {named}, which matches the SP key"));
                } else {
                    notes.push(format!(
                        "the IdP encrypted the key for {named}, but the SP key given is another key ({}): the IdP holds a different SP encryption certificate",
                        key.describe()
                    ));
                }
            }
            None => notes.push(format!(
                "the EncryptedKey does not name the certificate it was encrypted for; the SP key given is {}",
                key.describe()
            )),
        }
    }
    Diagnosis { notes }
}
