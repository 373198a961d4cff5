//! Certificate checks for metadata: each `ds:X509Certificate` on its own (readable, dates, key,
//! signature algorithm) and the signing certificates of a role as a set (missing, rollover).
//!
//! Rules: `cert/missing`, `cert/unparseable`, `cert/expired`, `cert/not-yet-valid`,
//! `cert/expiring-soon`, `cert/weak-key`, `cert/weak-signature-algorithm`, `cert/rollover`
//! (see `checks::catalog::cert`). x509-parser reads the fields; openssl judges the key.

pub mod decode;
pub mod key;
pub mod position;
pub mod roca;
pub mod set;
pub mod signature_algorithm;
pub mod validity;

use crate::checks::catalog::cert::CERT_UNPARSEABLE;
use crate::checks::{Finding, Location};
use crate::xml::dsig::keys::{cert_info, KeyFacts};
use crate::xml::{Document, NodeId};

pub use set::{all_certificate_nodes, signing_certificate_nodes};

/// What the certificate checks need to know beyond the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CertContext {
    /// The instant validity is judged at (`--now`, else the clock).
    pub now: time::OffsetDateTime,
    /// `cert/expiring-soon` fires when notAfter is at most this many days after `now`.
    pub expiry_warning_days: i64,
}

impl CertContext {
    /// The default of `--expiry-warning-days`.
    pub const DEFAULT_EXPIRY_WARNING_DAYS: i64 = 30;

    /// A context at `now` with the default warning window.
    pub fn new(now: time::OffsetDateTime) -> CertContext {
        CertContext {
            now,
            expiry_warning_days: Self::DEFAULT_EXPIRY_WARNING_DAYS,
        }
    }
}

/// Checks the text of one ds:X509Certificate element; returns the DER when it decodes, and the findings.
pub fn check_certificate(
    doc: &Document,
    node: NodeId,
    ctx: &CertContext,
) -> (Option<Vec<u8>>, Vec<Finding>) {
    let text = doc.text(node);
    let unparseable = |b: decode::Broken| {
        Finding::new(
            &CERT_UNPARSEABLE,
            format!(
                "The X509Certificate text is not a certificate: {}.",
                b.message
            ),
        )
        .expected("the base64 of one DER X.509 certificate")
        .found(b.found)
        .at(position::location_of_char(doc, node, b.char_index))
    };
    // Clean base64 of exactly one certificate is parsed once, here; anything else goes
    // through `decode`'s full diagnosis (parsing twice was 5% of linting an aggregate).
    let der = match decode::plain_base64(&text) {
        Some(der) => der,
        None => match decode::decode(&text) {
            Ok(der) => der,
            Err(b) => return (None, vec![unparseable(b)]),
        },
    };
    let cert = match x509_parser::parse_x509_certificate(&der) {
        Ok(([], cert)) => cert,
        _ => {
            return match decode::decode(&text) {
                Err(b) => (None, vec![unparseable(b)]),
                // `decode` only returns what x509-parser reads; keep the guard rather than panic.
                Ok(_) => (None, Vec::new()),
            };
        }
    };
    let key_facts = KeyFacts::of(cert.public_key());
    let nowhere = Location {
        file: None,
        line: 0,
        column: 0,
        path: String::new(),
        source_line: String::new(),
        source_line_start: 0,
    };
    let clean = !validity::triggers(&cert, ctx)
        && !signature_algorithm::triggers(&cert)
        && key::check(&key_facts, "", &nowhere).is_empty();
    if clean {
        return (Some(der), Vec::new());
    }
    let Ok(info) = cert_info(&der) else {
        return (None, Vec::new());
    };
    let location = Location::of_node(doc, node);
    let mut findings = Vec::new();
    let who = format!("subject {:?}, SHA-256 {}", info.subject, info.sha256);
    findings.extend(validity::check(&cert, &info, ctx, &location));
    findings.extend(key::check(&key_facts, &who, &location));
    findings.extend(signature_algorithm::check(&cert, &who, &location));
    (Some(der), findings)
}

/// Checks the signing certificates of one role descriptor (IDPSSODescriptor / SPSSODescriptor) as a set.
/// `signing` = (X509Certificate node, DER) in document order, for KeyDescriptors with use="signing" or no use.
///
/// `cert/missing` fires only when the role has no signing X509Certificate element at all (one
/// that is there but unreadable is `cert/unparseable`, reported by [`check_certificate`]), and
/// for an SPSSODescriptor only when it has AuthnRequestsSigned="true".
pub fn check_signing_set(
    doc: &Document,
    role_descriptor: NodeId,
    signing: &[(NodeId, Vec<u8>)],
) -> Vec<Finding> {
    set::check(doc, role_descriptor, signing)
}

/// Every certificate check for one role: each X509Certificate of its KeyDescriptors (any use)
/// through [`check_certificate`], then its signing certificates through [`check_signing_set`].
pub fn check_role_descriptor(doc: &Document, role: NodeId, ctx: &CertContext) -> Vec<Finding> {
    let signing_nodes = signing_certificate_nodes(doc, role);
    let mut findings = Vec::new();
    let mut signing = Vec::new();
    for node in all_certificate_nodes(doc, role) {
        let (der, f) = check_certificate(doc, node, ctx);
        findings.extend(f);
        if let Some(der) = der {
            if signing_nodes.contains(&node) {
                signing.push((node, der));
            }
        }
    }
    findings.extend(check_signing_set(doc, role, &signing));
    findings
}
