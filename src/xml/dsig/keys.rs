//! Certificates as trust anchors (from metadata) and as evidence (from a message's KeyInfo).

use base64::Engine;
use openssl::hash::{hash, MessageDigest};
use openssl::pkey::{PKey, Public};
use openssl::x509::X509;

/// What a person needs to tell two certificates apart.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    /// SHA-256 of the DER, as colon-separated upper-case hex.
    pub sha256: String,
    pub not_before: String,
    pub not_after: String,
    /// e.g. "RSA 2048" or "EC P-256".
    pub key: String,
}

impl std::fmt::Display for CertInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "subject {:?}, SHA-256 {}, valid {} to {}, {}",
            self.subject, self.sha256, self.not_before, self.not_after, self.key
        )
    }
}

/// Why a certificate could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertError {
    #[error("the certificate is not valid base64: {0}")]
    Base64(String),
    #[error("the certificate is not a valid X.509 DER structure: {0}")]
    Der(String),
    #[error("the certificate's public key cannot be used: {0}")]
    Key(String),
    #[error("not a PEM certificate (no -----BEGIN CERTIFICATE----- line) and not DER")]
    NotPemOrDer,
}

/// Colon-separated upper-case hex of SHA-256.
pub fn sha256_fingerprint(der: &[u8]) -> String {
    let digest = hash(MessageDigest::sha256(), der)
        .map(|d| d.to_vec())
        .unwrap_or_default();
    digest
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Decodes base64 certificate text as found in XML (line breaks and spaces allowed).
pub fn decode_cert_base64(text: &str) -> Result<Vec<u8>, CertError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| CertError::Base64(e.to_string()))
}

/// Fields of a DER certificate, for explanations.
pub fn cert_info(der: &[u8]) -> Result<CertInfo, CertError> {
    let (_, cert) =
        x509_parser::parse_x509_certificate(der).map_err(|e| CertError::Der(e.to_string()))?;
    let validity = cert.validity();
    let key = KeyFacts::of(cert.public_key()).to_string();
    Ok(CertInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        sha256: sha256_fingerprint(der),
        not_before: asn1_to_rfc3339(validity.not_before.timestamp()),
        not_after: asn1_to_rfc3339(validity.not_after.timestamp()),
        key,
    })
}

fn asn1_to_rfc3339(ts: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| ts.to_string())
}

/// A public key's family and size, read with x509-parser (no openssl decoding, which is slow
/// and takes global locks in OpenSSL 3: it dominated linting large aggregates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyFacts {
    Rsa {
        bits: usize,
        /// Big-endian, without leading zero bytes.
        modulus: Vec<u8>,
        exponent: Vec<u8>,
    },
    Ec {
        bits: usize,
        curve: String,
    },
    Dsa {
        bits: usize,
    },
    Other(String),
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

fn bit_length(big_endian: &[u8]) -> usize {
    match strip_zeros(big_endian) {
        [] => 0,
        [first, rest @ ..] => rest.len() * 8 + (8 - first.leading_zeros() as usize),
    }
}

impl KeyFacts {
    pub fn of(spki: &x509_parser::x509::SubjectPublicKeyInfo<'_>) -> KeyFacts {
        use x509_parser::public_key::PublicKey;
        match spki.parsed() {
            Ok(PublicKey::RSA(rsa)) => KeyFacts::Rsa {
                bits: bit_length(rsa.modulus),
                modulus: strip_zeros(rsa.modulus).to_vec(),
                exponent: strip_zeros(rsa.exponent).to_vec(),
            },
            Ok(PublicKey::EC(point)) => {
                let curve = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|p| p.as_oid().ok())
                    .map(|oid| match oid.to_id_string().as_str() {
                        "1.2.840.10045.3.1.7" => "P-256".to_string(),
                        "1.3.132.0.34" => "P-384".to_string(),
                        "1.3.132.0.35" => "P-521".to_string(),
                        "1.3.132.0.10" => "secp256k1".to_string(),
                        other => other.to_string(),
                    })
                    .unwrap_or_else(|| "unknown curve".into());
                KeyFacts::Ec {
                    bits: point.key_size(),
                    curve,
                }
            }
            Ok(PublicKey::DSA(y)) => KeyFacts::Dsa {
                bits: bit_length(y).div_ceil(8) * 8,
            },
            Ok(_) | Err(_) => KeyFacts::Other(spki.algorithm.algorithm.to_id_string()),
        }
    }
}

impl std::fmt::Display for KeyFacts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyFacts::Rsa { bits, .. } => write!(f, "RSA {bits}"),
            KeyFacts::Ec { curve, .. } => write!(f, "EC {curve}"),
            KeyFacts::Dsa { bits } => write!(f, "DSA {bits}"),
            KeyFacts::Other(oid) => write!(f, "key type {oid}"),
        }
    }
}

/// A signing certificate the SP trusts (from IdP metadata), ready to verify with.
#[derive(Clone)]
pub struct TrustedKey {
    der: Vec<u8>,
    pkey: PKey<Public>,
    /// The RSA key extracted once, for the direct PKCS#1 check (no per-call provider lookup).
    rsa: Option<openssl::rsa::Rsa<Public>>,
    info: CertInfo,
}

impl std::fmt::Debug for TrustedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustedKey")
            .field("info", &self.info)
            .finish()
    }
}

impl TrustedKey {
    pub fn from_der(der: Vec<u8>) -> Result<TrustedKey, CertError> {
        let info = cert_info(&der)?;
        let x509 = X509::from_der(&der).map_err(|e| CertError::Der(e.to_string()))?;
        let pkey = x509
            .public_key()
            .map_err(|e| CertError::Key(e.to_string()))?;
        let rsa = pkey.rsa().ok();
        Ok(TrustedKey {
            der,
            pkey,
            rsa,
            info,
        })
    }

    pub fn from_pem(pem: &[u8]) -> Result<TrustedKey, CertError> {
        let x509 = X509::from_pem(pem).map_err(|e| CertError::Der(e.to_string()))?;
        let der = x509.to_der().map_err(|e| CertError::Der(e.to_string()))?;
        TrustedKey::from_der(der)
    }

    /// A certificate file as people have them: PEM (with a `-----BEGIN CERTIFICATE-----`
    /// line) or DER. A file that is neither (a README, a private key alone) is
    /// [`CertError::NotPemOrDer`], not an OpenSSL message about a missing start line.
    pub fn from_file_bytes(bytes: &[u8]) -> Result<TrustedKey, CertError> {
        const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
        if bytes.windows(BEGIN.len()).any(|w| w == BEGIN) {
            return TrustedKey::from_pem(bytes);
        }
        // DER starts with a SEQUENCE; anything else is not worth a parser's error.
        if bytes.first() != Some(&0x30) {
            return Err(CertError::NotPemOrDer);
        }
        TrustedKey::from_der(bytes.to_vec()).map_err(|e| match e {
            CertError::Key(_) => e,
            _ => CertError::NotPemOrDer,
        })
    }

    pub fn der(&self) -> &[u8] {
        &self.der
    }

    pub fn rsa(&self) -> Option<&openssl::rsa::Rsa<Public>> {
        self.rsa.as_ref()
    }

    pub fn public_key(&self) -> &PKey<Public> {
        &self.pkey
    }

    pub fn info(&self) -> &CertInfo {
        &self.info
    }
}

/// Public key of a DER certificate taken from a message (evidence only, never trusted).
pub fn embedded_public_key(der: &[u8]) -> Option<PKey<Public>> {
    X509::from_der(der).ok()?.public_key().ok()
}
