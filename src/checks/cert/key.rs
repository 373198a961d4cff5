//! The strength of the certificate's public key: RSA size and exponent, ROCA, DSA, small curves.

use super::roca::has_roca_fingerprint;
use crate::checks::catalog::cert::CERT_WEAK_KEY;
use crate::checks::{Finding, Location, Severity};
use crate::xml::dsig::keys::KeyFacts;

/// Smallest acceptable RSA modulus, in bits.
pub const MIN_RSA_BITS: u32 = 2048;
/// Smallest acceptable elliptic-curve size, in bits.
pub const MIN_EC_BITS: u32 = 256;

pub(super) fn check(key: &KeyFacts, who: &str, location: &Location) -> Vec<Finding> {
    let mut out = Vec::new();
    let weak = |message: String, expected: &str, found: String| {
        Finding::new(&CERT_WEAK_KEY, message)
            .expected(expected.to_string())
            .found(found)
            .at(location.clone())
    };
    match key {
        KeyFacts::Rsa { bits, modulus, exponent } => {
            let bits = *bits as u32;
            if bits < MIN_RSA_BITS {
                out.push(weak(
                    format!("The certificate's RSA key has only {bits} bits ({who})."),
                    "RSA of at least 2048 bits",
                    format!("RSA {bits}"),
                ));
            }
            {
                // Exponents below 65537 fit in three bytes; anything longer is at least 2^24.
                let e = (exponent.len() <= 3).then(|| exponent.iter().fold(0u32, |acc, b| acc << 8 | u32::from(*b)));
                if let Some(e) = e.filter(|e| *e < 65537) {
                    let e_text = e.to_string();
                    out.push(
                        weak(
                            format!(
                                "The certificate's RSA public exponent is {e_text}, below 65537 ({who})."
                            ),
                            "public exponent 65537",
                            format!("e = {e_text}"),
                        )
                        .severity(Severity::Warning)
                        .note("A small exponent is not broken by itself with correct PKCS#1 padding, but it turns padding-check mistakes (Bleichenbacher-style signature forgery) into practical attacks; every mainstream key generator uses 65537."),
                    );
                }
                if has_roca_fingerprint(modulus) {
                    out.push(
                        weak(
                            format!(
                                "The certificate's RSA modulus has the ROCA fingerprint (CVE-2017-15361): its private key can be computed from the public key ({who})."
                            ),
                            "an RSA key from a sound generator",
                            format!("RSA {bits} with the ROCA fingerprint"),
                        )
                        .note("ROCA keys come from Infineon's RSALib (smart cards, TPMs, HSM tokens made before late 2017); anyone can forge this IdP's signatures. Replace the key now."),
                    );
                }
            }
        }
        KeyFacts::Dsa { bits } => out.push(
            weak(
                format!("The certificate has a DSA key ({bits} bits) ({who})."),
                "an RSA (2048+) or ECDSA (P-256+) key",
                format!("DSA {bits}"),
            )
            .note("XML-DSig signs with DSA only as dsa-sha1; SHA-1 signatures are refused by most SPs (samlcheck included), and FIPS 186-5 withdrew DSA for new signatures."),
        ),
        KeyFacts::Ec { bits, .. } if (*bits as u32) < MIN_EC_BITS => out.push(weak(
            format!("The certificate's elliptic-curve key has only {bits} bits ({who})."),
            "an elliptic curve of at least 256 bits (P-256)",
            format!("EC {bits}"),
        )),
        _ => {}
    }
    out
}
