//! The algorithms an EncryptedAssertion may name: AES content encryption and RSA key transport.

use openssl::symm::Cipher;

use crate::xml::dsig::Hash;

pub const AES128_CBC: &str = "http://www.w3.org/2001/04/xmlenc#aes128-cbc";
pub const AES192_CBC: &str = "http://www.w3.org/2001/04/xmlenc#aes192-cbc";
pub const AES256_CBC: &str = "http://www.w3.org/2001/04/xmlenc#aes256-cbc";
pub const AES128_GCM: &str = "http://www.w3.org/2009/xmlenc11#aes128-gcm";
pub const AES192_GCM: &str = "http://www.w3.org/2009/xmlenc11#aes192-gcm";
pub const AES256_GCM: &str = "http://www.w3.org/2009/xmlenc11#aes256-gcm";

pub const RSA_1_5: &str = "http://www.w3.org/2001/04/xmlenc#rsa-1_5";
pub const RSA_OAEP_MGF1P: &str = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
pub const RSA_OAEP: &str = "http://www.w3.org/2009/xmlenc11#rsa-oaep";

pub const MGF1_SHA1: &str = "http://www.w3.org/2009/xmlenc11#mgf1sha1";
pub const MGF1_SHA256: &str = "http://www.w3.org/2009/xmlenc11#mgf1sha256";
pub const MGF1_SHA384: &str = "http://www.w3.org/2009/xmlenc11#mgf1sha384";
pub const MGF1_SHA512: &str = "http://www.w3.org/2009/xmlenc11#mgf1sha512";

/// How the assertion itself is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ContentAlgorithm {
    Aes128Cbc,
    Aes192Cbc,
    Aes256Cbc,
    Aes128Gcm,
    Aes192Gcm,
    Aes256Gcm,
}

impl ContentAlgorithm {
    pub fn from_uri(uri: &str) -> Option<ContentAlgorithm> {
        Some(match uri {
            AES128_CBC => ContentAlgorithm::Aes128Cbc,
            AES192_CBC => ContentAlgorithm::Aes192Cbc,
            AES256_CBC => ContentAlgorithm::Aes256Cbc,
            AES128_GCM => ContentAlgorithm::Aes128Gcm,
            AES192_GCM => ContentAlgorithm::Aes192Gcm,
            AES256_GCM => ContentAlgorithm::Aes256Gcm,
            _ => return None,
        })
    }

    pub fn uri(self) -> &'static str {
        match self {
            ContentAlgorithm::Aes128Cbc => AES128_CBC,
            ContentAlgorithm::Aes192Cbc => AES192_CBC,
            ContentAlgorithm::Aes256Cbc => AES256_CBC,
            ContentAlgorithm::Aes128Gcm => AES128_GCM,
            ContentAlgorithm::Aes192Gcm => AES192_GCM,
            ContentAlgorithm::Aes256Gcm => AES256_GCM,
        }
    }

    /// The short name (the URI's fragment).
    pub fn name(self) -> &'static str {
        self.uri().rsplit('#').next().unwrap_or_default()
    }

    /// Key length in bytes.
    pub fn key_len(self) -> usize {
        match self {
            ContentAlgorithm::Aes128Cbc | ContentAlgorithm::Aes128Gcm => 16,
            ContentAlgorithm::Aes192Cbc | ContentAlgorithm::Aes192Gcm => 24,
            ContentAlgorithm::Aes256Cbc | ContentAlgorithm::Aes256Gcm => 32,
        }
    }

    /// Whether the ciphertext carries its own integrity (GCM's tag); CBC does not, so a
    /// changed CBC ciphertext decrypts to changed plaintext without any error.
    pub fn is_authenticated(self) -> bool {
        matches!(
            self,
            ContentAlgorithm::Aes128Gcm | ContentAlgorithm::Aes192Gcm | ContentAlgorithm::Aes256Gcm
        )
    }

    pub(crate) fn cipher(self) -> Cipher {
        match self {
            ContentAlgorithm::Aes128Cbc => Cipher::aes_128_cbc(),
            ContentAlgorithm::Aes192Cbc => Cipher::aes_192_cbc(),
            ContentAlgorithm::Aes256Cbc => Cipher::aes_256_cbc(),
            ContentAlgorithm::Aes128Gcm => Cipher::aes_128_gcm(),
            ContentAlgorithm::Aes192Gcm => Cipher::aes_192_gcm(),
            ContentAlgorithm::Aes256Gcm => Cipher::aes_256_gcm(),
        }
    }
}

impl std::fmt::Display for ContentAlgorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How the AES key is encrypted for the SP's RSA key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum KeyTransport {
    /// `xmlenc#rsa-1_5`: PKCS#1 v1.5, the padding Bleichenbacher's attack targets.
    Rsa15,
    /// `xmlenc#rsa-oaep-mgf1p`: OAEP with MGF1-SHA-1; the digest is SHA-1 unless a
    /// DigestMethod names another.
    RsaOaepMgf1p { digest: Hash },
    /// `xmlenc11#rsa-oaep`: OAEP with the digest and the MGF1 hash named separately.
    RsaOaep { digest: Hash, mgf: Hash },
}

impl KeyTransport {
    /// RSA-OAEP as most IdPs send it: `rsa-oaep-mgf1p` with SHA-1.
    pub const OAEP_MGF1P_SHA1: KeyTransport = KeyTransport::RsaOaepMgf1p { digest: Hash::Sha1 };

    pub fn uri(self) -> &'static str {
        match self {
            KeyTransport::Rsa15 => RSA_1_5,
            KeyTransport::RsaOaepMgf1p { .. } => RSA_OAEP_MGF1P,
            KeyTransport::RsaOaep { .. } => RSA_OAEP,
        }
    }

    /// PKCS#1 v1.5 key transport is open to Bleichenbacher-style attacks.
    pub fn is_weak(self) -> bool {
        self == KeyTransport::Rsa15
    }

    /// The OAEP digest and MGF1 hash, if OAEP.
    pub fn oaep_hashes(self) -> Option<(Hash, Hash)> {
        match self {
            KeyTransport::Rsa15 => None,
            KeyTransport::RsaOaepMgf1p { digest } => Some((digest, Hash::Sha1)),
            KeyTransport::RsaOaep { digest, mgf } => Some((digest, mgf)),
        }
    }
}

impl std::fmt::Display for KeyTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = self.uri().rsplit('#').next().unwrap_or_default();
        match self.oaep_hashes() {
            Some((digest, mgf)) => {
                write!(f, "{name} (digest {}, MGF1 {})", digest.name(), mgf.name())
            }
            None => f.write_str(name),
        }
    }
}

/// The hash of an `xenc11:MGF Algorithm`.
pub fn mgf_from_uri(uri: &str) -> Option<Hash> {
    Some(match uri {
        MGF1_SHA1 => Hash::Sha1,
        MGF1_SHA256 => Hash::Sha256,
        MGF1_SHA384 => Hash::Sha384,
        MGF1_SHA512 => Hash::Sha512,
        _ => return None,
    })
}

pub fn mgf_uri(hash: Hash) -> &'static str {
    match hash {
        Hash::Sha1 => MGF1_SHA1,
        Hash::Sha256 => MGF1_SHA256,
        Hash::Sha384 => MGF1_SHA384,
        Hash::Sha512 => MGF1_SHA512,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_uris_round_trip() {
        for a in [
            ContentAlgorithm::Aes128Cbc,
            ContentAlgorithm::Aes192Cbc,
            ContentAlgorithm::Aes256Cbc,
            ContentAlgorithm::Aes128Gcm,
            ContentAlgorithm::Aes192Gcm,
            ContentAlgorithm::Aes256Gcm,
        ] {
            assert_eq!(ContentAlgorithm::from_uri(a.uri()), Some(a));
            assert_eq!(a.cipher().key_len(), a.key_len());
        }
        assert_eq!(ContentAlgorithm::Aes256Gcm.name(), "aes256-gcm");
        assert!(
            ContentAlgorithm::from_uri("http://www.w3.org/2001/04/xmlenc#tripledes-cbc").is_none()
        );
    }

    #[test]
    fn transport_names_say_their_hashes() {
        assert_eq!(
            KeyTransport::OAEP_MGF1P_SHA1.to_string(),
            "rsa-oaep-mgf1p (digest SHA-1, MGF1 SHA-1)"
        );
        assert_eq!(KeyTransport::Rsa15.to_string(), "rsa-1_5");
        assert_eq!(mgf_from_uri(mgf_uri(Hash::Sha256)), Some(Hash::Sha256));
    }
}
