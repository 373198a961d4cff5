//! "signing certificate valid for at least N more days": the IdP's signing certificates,
//! judged against `--expiry-warning-days`, and the one that signed the test login.
//!
//! `lint` only warns about a certificate inside the window; here the window is the condition
//! itself (a rollover after "Require SSO" is turned on locks members out), so the warning is
//! raised to an error. `[rules] "cert/expiring-soon" = "warning"` brings it back down.

use super::checklist::{Item, State};
use crate::checks::catalog::cert::{CERT_EXPIRING_SOON, CERT_MISSING};
use crate::checks::catalog::preflight::PREFLIGHT_SIGNER_NOT_FIRST;
use crate::checks::{Finding, Severity};
use crate::saml::metadata::IdpMetadata;
use crate::xml::dsig::{CertInfo, TrustedKey};

const DAY: i64 = 86_400;

/// Whole days from `now` until the certificate's notAfter (negative once expired).
fn days_left(key: &TrustedKey, now: time::OffsetDateTime) -> Option<i64> {
    let (_, cert) = x509_parser::parse_x509_certificate(key.der()).ok()?;
    Some((cert.validity().not_after.timestamp() - now.unix_timestamp()).div_euclid(DAY))
}

/// Fills the item from the certificate findings of the lint and the test login's signer.
pub fn check(
    item: &mut Item,
    idp: Option<&IdpMetadata>,
    lint_findings: Vec<Finding>,
    signer: Option<&CertInfo>,
    now: time::OffsetDateTime,
    expiry_warning_days: i64,
) {
    item.findings = lint_findings
        .into_iter()
        .map(|f| {
            if f.rule == CERT_EXPIRING_SOON.id && f.severity < Severity::Error {
                f.severity(Severity::Error).note(format!(
                    "samlcheck check requires {expiry_warning_days} more days of validity (--expiry-warning-days); set [rules] \"cert/expiring-soon\" = \"warning\" in samlcheck.toml to accept less"
                ))
            } else {
                f
            }
        })
        .collect();
    let Some(idp) = idp else {
        item.set(
            State::NotChecked,
            "the metadata describes no IdP, so it has no signing certificate to check",
        );
        return;
    };
    let keys = &idp.signing_keys;
    let Some(first) = keys.first() else {
        // A certificate that is there but unreadable is reported by the metadata item; this
        // item still fails, since nothing can be verified.
        if !item.findings.iter().any(|f| f.rule == CERT_MISSING.id) {
            item.findings.push(Finding::new(
                &CERT_MISSING,
                "the IdP metadata has no usable signing certificate: nothing can be verified",
            ));
        }
        item.set(
            State::Fail,
            "the IdP metadata has no usable signing certificate",
        );
        return;
    };
    let signer_index = signer.and_then(|s| keys.iter().position(|k| k.info().sha256 == s.sha256));
    if let (Some(i), Some(s)) = (signer_index, signer) {
        if i > 0 {
            item.findings.push(
                Finding::new(
                    &PREFLIGHT_SIGNER_NOT_FIRST,
                    format!(
                        "the test login was signed with signing certificate {} of {} in the metadata, not the first",
                        i + 1,
                        keys.len()
                    ),
                )
                .expected(format!("{} (SHA-256 {})", first.info().subject, first.info().sha256))
                .found(format!("{} (SHA-256 {})", s.subject, s.sha256)),
            );
        }
    }
    let shown = keys.get(signer_index.unwrap_or(0)).unwrap_or(first);
    let info = shown.info();
    let left = match days_left(shown, now) {
        Some(d) if d < 0 => format!("expired {} days ago", -d),
        Some(d) => format!("{d} days left"),
        None => "validity unknown".to_string(),
    };
    let role = match (signer_index, keys.len()) {
        (Some(_), _) => "signed the test login".to_string(),
        (None, 1) => "the only signing certificate".to_string(),
        (None, n) => format!("the first of {n} signing certificates"),
    };
    item.set(
        State::Ok,
        format!(
            "{}, valid until {}: {left} ({role})",
            info.subject, info.not_after
        ),
    );
}
