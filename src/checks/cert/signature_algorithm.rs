//! The algorithm the certificate itself is signed with. SAML never checks it; say so.

use x509_parser::certificate::X509Certificate;

use crate::checks::catalog::cert::CERT_WEAK_SIGNATURE_ALGORITHM;
use crate::checks::{Finding, Location};

/// Signature-algorithm OIDs with a broken hash, and their names.
const WEAK: &[(&str, &str)] = &[
    ("1.2.840.113549.1.1.2", "md2WithRSAEncryption (MD2)"),
    ("1.2.840.113549.1.1.3", "md4WithRSAEncryption (MD4)"),
    ("1.2.840.113549.1.1.4", "md5WithRSAEncryption (MD5)"),
    ("1.3.14.3.2.3", "md5WithRSA (MD5)"),
    ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption (SHA-1)"),
    ("1.3.14.3.2.29", "sha1WithRSASignature (SHA-1)"),
    ("1.2.840.10040.4.3", "dsa-with-sha1 (SHA-1)"),
    ("1.3.14.3.2.27", "dsaWithSHA1 (SHA-1)"),
    ("1.2.840.10045.4.1", "ecdsa-with-SHA1 (SHA-1)"),
];

/// Whether the certificate is signed with a weak digest (what [`check`] reports).
pub(super) fn triggers(cert: &X509Certificate<'_>) -> bool {
    let oid = cert.signature_algorithm.algorithm.to_id_string();
    WEAK.iter().any(|(o, _)| *o == oid)
}

pub(super) fn check(cert: &X509Certificate<'_>, who: &str, location: &Location) -> Option<Finding> {
    let oid = cert.signature_algorithm.algorithm.to_id_string();
    let (_, name) = WEAK.iter().find(|(o, _)| *o == oid)?;
    Some(
        Finding::new(
            &CERT_WEAK_SIGNATURE_ALGORITHM,
            format!(
                "The certificate is signed with {name} ({who}). SAML does not use the certificate's own signature or chain, so this does not matter for SAML."
            ),
        )
        .expected("sha256WithRSAEncryption or better (only outside SAML)")
        .found(format!("{name}, OID {oid}"))
        .at(location.clone())
        .note("SAML consumers take the public key from the metadata as it is; they never verify the certificate's signature or build a chain, so an MD5 or SHA-1 signature on it cannot be exploited through SAML."),
    )
}
