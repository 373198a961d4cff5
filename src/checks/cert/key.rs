//! The strength of the certificate's public key: RSA size and exponent, ROCA, DSA, small curves.

use std::cmp::Ordering;

use openssl::bn::BigNum;
use openssl::pkey::{Id, PKey, Public};

use super::roca::has_roca_fingerprint;
use crate::checks::catalog::cert::CERT_WEAK_KEY;
use crate::checks::{Finding, Location, Severity};

/// Smallest acceptable RSA modulus, in bits.
pub const MIN_RSA_BITS: u32 = 2048;
/// Smallest acceptable elliptic-curve size, in bits.
pub const MIN_EC_BITS: u32 = 256;

pub(super) fn check(pkey: &PKey<Public>, who: &str, location: &Location) -> Vec<Finding> {
    let mut out = Vec::new();
    let weak = |message: String, expected: &str, found: String| {
        Finding::new(&CERT_WEAK_KEY, message)
            .expected(expected.to_string())
            .found(found)
            .at(location.clone())
    };
    match pkey.id() {
        Id::RSA => {
            let bits = pkey.bits();
            if bits < MIN_RSA_BITS {
                out.push(weak(
                    format!("The certificate's RSA key has only {bits} bits ({who})."),
                    "RSA of at least 2048 bits",
                    format!("RSA {bits}"),
                ));
            }
            if let Ok(rsa) = pkey.rsa() {
                let e = rsa.e();
                let f4 = BigNum::from_u32(65537).ok();
                if f4.is_some_and(|f4| e.ucmp(&f4) == Ordering::Less) {
                    let e_text = e.to_dec_str().map(|s| s.to_string()).unwrap_or_default();
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
                if has_roca_fingerprint(rsa.n()) {
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
        Id::DSA => out.push(
            weak(
                format!("The certificate has a DSA key ({} bits) ({who}).", pkey.bits()),
                "an RSA (2048+) or ECDSA (P-256+) key",
                format!("DSA {}", pkey.bits()),
            )
            .note("XML-DSig signs with DSA only as dsa-sha1; SHA-1 signatures are refused by most SPs (samlcheck included), and FIPS 186-5 withdrew DSA for new signatures."),
        ),
        Id::EC if pkey.bits() < MIN_EC_BITS => out.push(weak(
            format!("The certificate's elliptic-curve key has only {} bits ({who}).", pkey.bits()),
            "an elliptic curve of at least 256 bits (P-256)",
            format!("EC {}", pkey.bits()),
        )),
        _ => {}
    }
    out
}
