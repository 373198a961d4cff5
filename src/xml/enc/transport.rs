//! RSA key transport: the AES content key, encrypted for the SP's RSA key.

use openssl::encrypt::{Decrypter, Encrypter};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::rsa::Padding;
use openssl::sign::Signer;

use super::algorithm::KeyTransport;
use super::key::{DecryptionKey, EncryptionCert};

/// Decrypts a content key of `key_len` bytes. Never fails: when RSA decryption fails, or yields
/// a key of the wrong length, the result is a stand-in derived from the SP key and the
/// ciphertext (implicit rejection, as in RFC 8017's guidance against Bleichenbacher). The
/// content decryption that follows then fails like any other, so neither the result nor the
/// steps taken tell whether the RSA padding was valid.
pub(crate) fn unwrap_key(
    key: &DecryptionKey,
    transport: KeyTransport,
    label: &[u8],
    encrypted: &[u8],
    key_len: usize,
) -> Vec<u8> {
    // Computed every time, before the RSA result is known.
    let stand_in = stand_in_key(key, transport, encrypted, key_len);
    let mut out = vec![0u8; key.pkey().size().max(key_len)];
    let decrypted = rsa_decrypt(key, transport, label, encrypted, &mut out);
    let ok = matches!(decrypted, Some(n) if n == key_len);
    // Select without a branch on `ok` per byte.
    let mask = 0u8.wrapping_sub(u8::from(ok));
    out.iter()
        .zip(stand_in.iter())
        .take(key_len)
        .map(|(real, fake)| (real & mask) | (fake & !mask))
        .collect()
}

fn rsa_decrypt(
    key: &DecryptionKey,
    transport: KeyTransport,
    label: &[u8],
    encrypted: &[u8],
    out: &mut [u8],
) -> Option<usize> {
    let mut d = Decrypter::new(key.pkey()).ok()?;
    match transport.oaep_hashes() {
        None => d.set_rsa_padding(Padding::PKCS1).ok()?,
        Some((digest, mgf)) => {
            d.set_rsa_padding(Padding::PKCS1_OAEP).ok()?;
            d.set_rsa_oaep_md(digest.message_digest()).ok()?;
            d.set_rsa_mgf1_md(mgf.message_digest()).ok()?;
            if !label.is_empty() {
                d.set_rsa_oaep_label(label).ok()?;
            }
        }
    }
    d.decrypt(encrypted, out).ok()
}

/// HMAC-SHA-256 of the ciphertext under the key's rejection secret: fixed for one ciphertext
/// (a retry shows nothing new), unpredictable to anyone without the SP key.
fn stand_in_key(
    key: &DecryptionKey,
    transport: KeyTransport,
    encrypted: &[u8],
    key_len: usize,
) -> Vec<u8> {
    let mac = || -> Result<Vec<u8>, ErrorStack> {
        let secret = PKey::hmac(key.rejection_secret())?;
        let mut signer = Signer::new(MessageDigest::sha256(), &secret)?;
        signer.update(transport.uri().as_bytes())?;
        signer.update(&[key_len as u8])?;
        signer.update(encrypted)?;
        signer.sign_to_vec()
    };
    let mut out = mac().unwrap_or_default();
    // 32 bytes cover every AES key; a failed HMAC still gives a key that decrypts nothing.
    out.resize(key_len, 0);
    out
}

/// Encrypts `content_key` for the certificate's RSA key.
pub(crate) fn wrap_key(
    cert: &EncryptionCert,
    transport: KeyTransport,
    content_key: &[u8],
) -> Result<Vec<u8>, ErrorStack> {
    let mut e = Encrypter::new(cert.pkey())?;
    match transport.oaep_hashes() {
        None => e.set_rsa_padding(Padding::PKCS1)?,
        Some((digest, mgf)) => {
            e.set_rsa_padding(Padding::PKCS1_OAEP)?;
            e.set_rsa_oaep_md(digest.message_digest())?;
            e.set_rsa_mgf1_md(mgf.message_digest())?;
        }
    }
    let mut out = vec![0u8; e.encrypt_len(content_key)?];
    let n = e.encrypt(content_key, &mut out)?;
    out.truncate(n);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::dsig::Hash;

    pub(crate) fn key_pair() -> (DecryptionKey, EncryptionCert) {
        let root = env!("CARGO_MANIFEST_DIR");
        let key = std::fs::read(format!("{root}/fixtures/keys/sp-rsa.key")).unwrap();
        let cert = std::fs::read(format!("{root}/fixtures/keys/sp-rsa.crt")).unwrap();
        (
            DecryptionKey::from_pem(&key).unwrap(),
            EncryptionCert::from_pem(&cert).unwrap(),
        )
    }

    const TRANSPORTS: [KeyTransport; 4] = [
        KeyTransport::Rsa15,
        KeyTransport::OAEP_MGF1P_SHA1,
        KeyTransport::RsaOaepMgf1p {
            digest: Hash::Sha256,
        },
        KeyTransport::RsaOaep {
            digest: Hash::Sha512,
            mgf: Hash::Sha256,
        },
    ];

    #[test]
    fn wraps_and_unwraps() {
        let (key, cert) = key_pair();
        for t in TRANSPORTS {
            let content = [0x5au8; 32];
            let wrapped = wrap_key(&cert, t, &content).unwrap();
            assert_eq!(unwrap_key(&key, t, &[], &wrapped, 32), content, "{t}");
        }
    }

    #[test]
    fn failures_give_a_fixed_stand_in_of_the_right_length() {
        let (key, cert) = key_pair();
        for t in TRANSPORTS {
            let content = [0x5au8; 16];
            let wrapped = wrap_key(&cert, t, &content).unwrap();
            // A 16-byte key where 32 are expected: rejected, like a bad padding.
            let a = unwrap_key(&key, t, &[], &wrapped, 32);
            let b = unwrap_key(&key, t, &[], &wrapped, 32);
            assert_eq!(a.len(), 32);
            assert_eq!(a, b, "the stand-in must not vary between attempts");
            assert_ne!(&a[..16], &content[..]);
            let mut corrupt = wrapped.clone();
            corrupt[10] ^= 0x40;
            let c = unwrap_key(&key, t, &[], &corrupt, 16);
            assert_eq!(c.len(), 16);
            assert_ne!(c, content);
            assert_eq!(unwrap_key(&key, t, &[], &[], 16).len(), 16);
        }
    }
}
