//! The algorithm allowlist: what may sign, digest, transform and canonicalize.

use openssl::hash::MessageDigest;

pub const RSA_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
pub const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
pub const RSA_SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
pub const RSA_SHA512: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
pub const ECDSA_SHA1: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1";
pub const ECDSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
pub const ECDSA_SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
pub const ECDSA_SHA512: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";

pub const SHA1: &str = "http://www.w3.org/2000/09/xmldsig#sha1";
pub const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
pub const SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#sha384";
pub const SHA512: &str = "http://www.w3.org/2001/04/xmlenc#sha512";

pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// A hash function allowed somewhere in a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub fn message_digest(self) -> MessageDigest {
        match self {
            Hash::Sha1 => MessageDigest::sha1(),
            Hash::Sha256 => MessageDigest::sha256(),
            Hash::Sha384 => MessageDigest::sha384(),
            Hash::Sha512 => MessageDigest::sha512(),
        }
    }

    /// SHA-1 still verifies, but collisions are practical; it earns a warning.
    pub fn is_weak(self) -> bool {
        self == Hash::Sha1
    }

    pub fn name(self) -> &'static str {
        match self {
            Hash::Sha1 => "SHA-1",
            Hash::Sha256 => "SHA-256",
            Hash::Sha384 => "SHA-384",
            Hash::Sha512 => "SHA-512",
        }
    }
}

/// A digest algorithm of a Reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestAlgorithm(pub Hash);

impl DigestAlgorithm {
    pub fn from_uri(uri: &str) -> Option<DigestAlgorithm> {
        Some(DigestAlgorithm(match uri {
            SHA1 => Hash::Sha1,
            SHA256 => Hash::Sha256,
            SHA384 => Hash::Sha384,
            SHA512 => Hash::Sha512,
            _ => return None,
        }))
    }

    pub fn uri(self) -> &'static str {
        match self.0 {
            Hash::Sha1 => SHA1,
            Hash::Sha256 => SHA256,
            Hash::Sha384 => SHA384,
            Hash::Sha512 => SHA512,
        }
    }
}

/// Public-key family of a signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum KeyKind {
    Rsa,
    Ecdsa,
}

/// A SignatureMethod on the allowlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignatureAlgorithm {
    pub key: KeyKind,
    pub hash: Hash,
}

impl SignatureAlgorithm {
    pub const RSA_SHA256: SignatureAlgorithm = SignatureAlgorithm {
        key: KeyKind::Rsa,
        hash: Hash::Sha256,
    };
    pub const ECDSA_SHA256: SignatureAlgorithm = SignatureAlgorithm {
        key: KeyKind::Ecdsa,
        hash: Hash::Sha256,
    };

    pub fn from_uri(uri: &str) -> Option<SignatureAlgorithm> {
        let (key, hash) = match uri {
            RSA_SHA1 => (KeyKind::Rsa, Hash::Sha1),
            RSA_SHA256 => (KeyKind::Rsa, Hash::Sha256),
            RSA_SHA384 => (KeyKind::Rsa, Hash::Sha384),
            RSA_SHA512 => (KeyKind::Rsa, Hash::Sha512),
            ECDSA_SHA1 => (KeyKind::Ecdsa, Hash::Sha1),
            ECDSA_SHA256 => (KeyKind::Ecdsa, Hash::Sha256),
            ECDSA_SHA384 => (KeyKind::Ecdsa, Hash::Sha384),
            ECDSA_SHA512 => (KeyKind::Ecdsa, Hash::Sha512),
            _ => return None,
        };
        Some(SignatureAlgorithm { key, hash })
    }

    pub fn uri(self) -> &'static str {
        match (self.key, self.hash) {
            (KeyKind::Rsa, Hash::Sha1) => RSA_SHA1,
            (KeyKind::Rsa, Hash::Sha256) => RSA_SHA256,
            (KeyKind::Rsa, Hash::Sha384) => RSA_SHA384,
            (KeyKind::Rsa, Hash::Sha512) => RSA_SHA512,
            (KeyKind::Ecdsa, Hash::Sha1) => ECDSA_SHA1,
            (KeyKind::Ecdsa, Hash::Sha256) => ECDSA_SHA256,
            (KeyKind::Ecdsa, Hash::Sha384) => ECDSA_SHA384,
            (KeyKind::Ecdsa, Hash::Sha512) => ECDSA_SHA512,
        }
    }

    pub fn name(self) -> String {
        let key = match self.key {
            KeyKind::Rsa => "RSA",
            KeyKind::Ecdsa => "ECDSA",
        };
        format!("{key}-{}", self.hash.name())
    }
}

/// Says what a refused algorithm URI is, for the explanation.
pub fn describe_refused(uri: &str) -> &'static str {
    match uri {
        "http://www.w3.org/2000/09/xmldsig#hmac-sha1"
        | "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256"
        | "http://www.w3.org/2001/04/xmldsig-more#hmac-sha384"
        | "http://www.w3.org/2001/04/xmldsig-more#hmac-sha512" => {
            "an HMAC (shared-secret) method: anyone who knows the key material, including a certificate's public key used as an HMAC secret, can forge it"
        }
        "http://www.w3.org/2000/09/xmldsig#dsa-sha1" | "http://www.w3.org/2009/xmldsig11#dsa-sha256" => {
            "DSA, which SAML IdPs do not use and which is deprecated"
        }
        "http://www.w3.org/TR/1999/REC-xslt-19991116" => {
            "an XSLT transform: it runs a program chosen by the sender"
        }
        "http://www.w3.org/TR/1999/REC-xpath-19991116" | "http://www.w3.org/2002/06/xmldsig-filter2" => {
            "an XPath transform: it lets the signature cover a different node-set than the one that is read"
        }
        "http://www.w3.org/2000/09/xmldsig#base64" => "a base64 transform, never used by SAML",
        "http://www.w3.org/2001/04/xmldsig-more#md5" | "http://www.w3.org/2001/04/xmldsig-more#rsa-md5" => "MD5, which is broken",
        _ => "not on the allowlist (RSA or ECDSA with SHA-256/384/512, SHA-1 with a warning)",
    }
}
