//! `metadata/no-sso-service`, `metadata/post-only-sso`, `metadata/redirect-only-sso`.

use super::MetadataContext;
use crate::checks::catalog::{METADATA_NO_SSO, METADATA_POST_ONLY, METADATA_REDIRECT_ONLY};
use crate::checks::{Finding, Location};
use crate::saml::metadata::EntityDescriptor;

pub const HTTP_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
pub const HTTP_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

pub fn check(ctx: &MetadataContext<'_>, entity: &EntityDescriptor, findings: &mut Vec<Finding>) {
    let Some(idp) = entity.idp() else { return };
    let sso: Vec<_> = idp.endpoints_of("SingleSignOnService").collect();
    if sso.is_empty() {
        findings.push(
            Finding::new(&METADATA_NO_SSO, "the IdP has no SingleSignOnService")
                .expected("md:SingleSignOnService with the HTTP-Redirect or HTTP-POST binding")
                .found("none")
                .at(Location::of_node(ctx.doc, idp.node)),
        );
        return;
    }
    let has = |b: &str| sso.iter().any(|e| e.binding.as_deref() == Some(b));
    let at = || Location::of_node(ctx.doc, sso[0].node);
    match (has(HTTP_REDIRECT), has(HTTP_POST)) {
        (false, true) => findings.push(
            Finding::new(&METADATA_POST_ONLY, "SingleSignOnService offers HTTP-POST only")
                .found(HTTP_POST)
                .at(at())
                .note("Sentry and most SPs send AuthnRequests by HTTP-Redirect: they must be able to POST instead"),
        ),
        (true, false) => findings.push(
            Finding::new(&METADATA_REDIRECT_ONLY, "SingleSignOnService offers HTTP-Redirect only")
                .found(HTTP_REDIRECT)
                .at(at()),
        ),
        (false, false) => findings.push(
            Finding::new(&METADATA_NO_SSO, "no SingleSignOnService uses the HTTP-Redirect or HTTP-POST binding")
                .expected(format!("{HTTP_REDIRECT} or {HTTP_POST}"))
                .found(sso.iter().filter_map(|e| e.binding.clone()).collect::<Vec<_>>().join(", "))
                .at(at()),
        ),
        (true, true) => {}
    }
}
