//! `metadata/want-authn-requests-signed`.

use super::MetadataContext;
use crate::checks::catalog::METADATA_WANT_SIGNED_REQUESTS;
use crate::checks::{Finding, Location};
use crate::saml::metadata::EntityDescriptor;

pub fn check(ctx: &MetadataContext<'_>, entity: &EntityDescriptor, findings: &mut Vec<Finding>) {
    let Some(idp) = entity.idp() else { return };
    if matches!(
        idp.want_authn_requests_signed.as_deref(),
        Some("true" | "1")
    ) {
        findings.push(
            Finding::new(
                &METADATA_WANT_SIGNED_REQUESTS,
                "the IdP requires signed AuthnRequests",
            )
            .found("WantAuthnRequestsSigned=\"true\"")
            .at(Location::of_attribute(
                ctx.doc,
                idp.node,
                "WantAuthnRequestsSigned",
            )),
        );
    }
}
