//! The certificate's validity window against "now": expired, not yet valid, expiring soon.
//! Each finding says which SAML consumers break on it.

use x509_parser::certificate::X509Certificate;

use super::CertContext;
use crate::checks::catalog::cert::{CERT_EXPIRED, CERT_EXPIRING_SOON, CERT_NOT_YET_VALID};
use crate::checks::{Finding, Location};
use crate::xml::dsig::CertInfo;

const DAY: i64 = 86_400;

/// Who ignores certificate dates.
pub const IGNORES_DATES: &str = "python3-saml, and so Sentry (which uses it), ignores certificate dates: it keeps accepting responses signed with this key.";
/// Who enforces them.
pub const ENFORCES_DATES: &str = "crewjam/saml (Go) rejects responses signed with a certificate outside its validity window: goxmldsig fails with \"Cert is not valid at this time\".";

fn days(seconds: i64) -> String {
    let d = seconds / DAY;
    match d {
        0 => format!("{} hours", seconds / 3600),
        1 => "1 day".to_string(),
        d => format!("{d} days"),
    }
}

/// Whether [`check`] would report anything, decided without formatting (the fast path for
/// large aggregates, where almost every certificate is fine).
pub(super) fn triggers(cert: &X509Certificate<'_>, ctx: &CertContext) -> bool {
    let now = ctx.now.unix_timestamp();
    let not_before = cert.validity().not_before.timestamp();
    let not_after = cert.validity().not_after.timestamp();
    now > not_after
        || now < not_before
        || not_after - now <= ctx.expiry_warning_days.saturating_mul(DAY)
}

pub(super) fn check(
    cert: &X509Certificate<'_>,
    info: &CertInfo,
    ctx: &CertContext,
    location: &Location,
) -> Option<Finding> {
    let now = ctx.now.unix_timestamp();
    let not_before = cert.validity().not_before.timestamp();
    let not_after = cert.validity().not_after.timestamp();
    let window = format!("valid {} to {}", info.not_before, info.not_after);
    let who = format!("subject {:?}, SHA-256 {}", info.subject, info.sha256);
    if now > not_after {
        return Some(
            Finding::new(
                &CERT_EXPIRED,
                format!(
                    "The certificate expired on {}, {} ago ({who}).",
                    info.not_after,
                    days(now - not_after)
                ),
            )
            .expected(format!("notAfter after {}", rfc3339(ctx)))
            .found(window)
            .at(location.clone())
            .note(ENFORCES_DATES)
            .note(IGNORES_DATES),
        );
    }
    if now < not_before {
        return Some(
            Finding::new(
                &CERT_NOT_YET_VALID,
                format!(
                    "The certificate is not valid until {}, in {} ({who}).",
                    info.not_before,
                    days(not_before - now)
                ),
            )
            .expected(format!("notBefore before {}", rfc3339(ctx)))
            .found(window)
            .at(location.clone())
            .note(ENFORCES_DATES)
            .note(IGNORES_DATES),
        );
    }
    if not_after - now <= ctx.expiry_warning_days.saturating_mul(DAY) {
        return Some(
            Finding::new(
                &CERT_EXPIRING_SOON,
                format!(
                    "The certificate expires on {}, in {} ({who}).",
                    info.not_after,
                    days(not_after - now)
                ),
            )
            .expected(format!(
                "valid for more than {} days after {}",
                ctx.expiry_warning_days,
                rfc3339(ctx)
            ))
            .found(window)
            .at(location.clone())
            .note(format!("After {}: {ENFORCES_DATES}", info.not_after))
            .note(IGNORES_DATES),
        );
    }
    None
}

fn rfc3339(ctx: &CertContext) -> String {
    ctx.now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| ctx.now.to_string())
}
