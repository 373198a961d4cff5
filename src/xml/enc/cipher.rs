//! AES content encryption in XML Encryption's layout: CBC is IV (16 bytes) || ciphertext with
//! the spec's padding; GCM is IV (12 bytes) || ciphertext || tag (16 bytes).

use openssl::error::ErrorStack;
use openssl::rand::rand_bytes;
use openssl::symm::{decrypt_aead, encrypt_aead, Crypter, Mode};

use super::algorithm::ContentAlgorithm;

const BLOCK: usize = 16;
const GCM_IV: usize = 12;
const GCM_TAG: usize = 16;

/// Decrypts `data`, or `None`: callers must not learn, and so cannot tell anyone, whether the
/// length, the padding or the tag was wrong.
pub(crate) fn decrypt(algorithm: ContentAlgorithm, key: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    if key.len() != algorithm.key_len() {
        return None;
    }
    if algorithm.is_authenticated() {
        if data.len() < GCM_IV + GCM_TAG {
            return None;
        }
        let (iv, rest) = data.split_at(GCM_IV);
        let (ciphertext, tag) = rest.split_at(rest.len() - GCM_TAG);
        decrypt_aead(algorithm.cipher(), key, Some(iv), &[], ciphertext, tag).ok()
    } else {
        if data.len() < 2 * BLOCK || !data.len().is_multiple_of(BLOCK) {
            return None;
        }
        let (iv, ciphertext) = data.split_at(BLOCK);
        let mut crypter = Crypter::new(algorithm.cipher(), Mode::Decrypt, key, Some(iv)).ok()?;
        crypter.pad(false);
        let mut out = vec![0u8; ciphertext.len() + BLOCK];
        let n = crypter.update(ciphertext, &mut out).ok()?;
        let m = crypter.finalize(&mut out[n..]).ok()?;
        out.truncate(n + m);
        // XML Encryption padding: the last byte counts the padding bytes (1 to 16), whose
        // other values are arbitrary, so only the count can be checked.
        let pad = usize::from(*out.last()?);
        let valid = (1..=BLOCK).contains(&pad) & (pad <= out.len());
        if !valid {
            return None;
        }
        out.truncate(out.len() - pad);
        Some(out)
    }
}

/// Encrypts `plaintext` under `key` with a fresh random IV.
pub(crate) fn encrypt(
    algorithm: ContentAlgorithm,
    key: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, ErrorStack> {
    if algorithm.is_authenticated() {
        let mut iv = [0u8; GCM_IV];
        rand_bytes(&mut iv)?;
        let mut tag = [0u8; GCM_TAG];
        let ciphertext =
            encrypt_aead(algorithm.cipher(), key, Some(&iv), &[], plaintext, &mut tag)?;
        let mut out = Vec::with_capacity(GCM_IV + ciphertext.len() + GCM_TAG);
        out.extend_from_slice(&iv);
        out.extend_from_slice(&ciphertext);
        out.extend_from_slice(&tag);
        Ok(out)
    } else {
        let mut iv = [0u8; BLOCK];
        rand_bytes(&mut iv)?;
        let pad = BLOCK - plaintext.len() % BLOCK;
        let mut padded = Vec::with_capacity(plaintext.len() + pad);
        padded.extend_from_slice(plaintext);
        let mut filler = [0u8; BLOCK];
        rand_bytes(&mut filler)?;
        padded.extend_from_slice(&filler[..pad - 1]);
        padded.push(pad as u8);
        let mut crypter = Crypter::new(algorithm.cipher(), Mode::Encrypt, key, Some(&iv))?;
        crypter.pad(false);
        let mut out = vec![0u8; padded.len() + BLOCK];
        let n = crypter.update(&padded, &mut out)?;
        let m = crypter.finalize(&mut out[n..])?;
        out.truncate(n + m);
        let mut data = iv.to_vec();
        data.extend_from_slice(&out);
        Ok(data)
    }
}

/// A fresh random key for `algorithm`.
pub(crate) fn new_key(algorithm: ContentAlgorithm) -> Result<Vec<u8>, ErrorStack> {
    let mut key = vec![0u8; algorithm.key_len()];
    rand_bytes(&mut key)?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [ContentAlgorithm; 6] = [
        ContentAlgorithm::Aes128Cbc,
        ContentAlgorithm::Aes192Cbc,
        ContentAlgorithm::Aes256Cbc,
        ContentAlgorithm::Aes128Gcm,
        ContentAlgorithm::Aes192Gcm,
        ContentAlgorithm::Aes256Gcm,
    ];

    #[test]
    fn round_trips_every_length_around_a_block() {
        for alg in ALL {
            let key = new_key(alg).unwrap();
            for len in [0, 1, 15, 16, 17, 31, 32, 100] {
                let plain = vec![b'x'; len];
                let data = encrypt(alg, &key, &plain).unwrap();
                assert_eq!(
                    decrypt(alg, &key, &data).as_deref(),
                    Some(&plain[..]),
                    "{alg} {len}"
                );
            }
        }
    }

    #[test]
    fn every_corruption_is_just_none() {
        for alg in ALL {
            let key = new_key(alg).unwrap();
            let data = encrypt(alg, &key, b"<saml:Assertion/>").unwrap();
            let other = new_key(alg).unwrap();
            assert_eq!(decrypt(alg, &key[..8], &data), None);
            assert_eq!(decrypt(alg, &key, &data[..data.len() - 1]), None);
            assert_eq!(decrypt(alg, &key, &data[..10]), None);
            assert_eq!(decrypt(alg, &key, &[]), None);
            let mut flipped = data.clone();
            *flipped.last_mut().unwrap() ^= 1;
            let wrong = decrypt(alg, &other, &data);
            if alg.is_authenticated() {
                assert_eq!(decrypt(alg, &key, &flipped), None);
                assert_eq!(wrong, None);
            } else {
                assert_ne!(wrong.as_deref(), Some(&b"<saml:Assertion/>"[..]));
            }
        }
    }

    #[test]
    fn cbc_padding_count_is_checked() {
        let alg = ContentAlgorithm::Aes128Cbc;
        let key = new_key(alg).unwrap();
        let iv = [7u8; 16];
        for (last, ok) in [
            (0u8, false),
            (1, true),
            (16, true),
            (17, false),
            (255, false),
        ] {
            let mut block = [b'a'; 16];
            block[15] = last;
            let mut c = Crypter::new(alg.cipher(), Mode::Encrypt, &key, Some(&iv)).unwrap();
            c.pad(false);
            let mut out = vec![0u8; 32];
            let n = c.update(&block, &mut out).unwrap();
            out.truncate(n);
            let mut data = iv.to_vec();
            data.extend_from_slice(&out);
            assert_eq!(decrypt(alg, &key, &data).is_some(), ok, "last byte {last}");
        }
    }
}
