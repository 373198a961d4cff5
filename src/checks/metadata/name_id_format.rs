//! `metadata/transient-nameid-only`.

use super::MetadataContext;
use crate::checks::catalog::METADATA_TRANSIENT_ONLY;
use crate::checks::{Finding, Location};
use crate::saml::metadata::EntityDescriptor;

const TRANSIENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";

pub fn check(ctx: &MetadataContext<'_>, entity: &EntityDescriptor, findings: &mut Vec<Finding>) {
    let Some(idp) = entity.idp() else { return };
    let formats = &idp.name_id_formats;
    if !formats.is_empty() && formats.iter().all(|f| f.value == TRANSIENT) {
        findings.push(
            Finding::new(&METADATA_TRANSIENT_ONLY, "the IdP offers only transient NameIDs: the user's ID changes at every login")
                .expected("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent or urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")
                .found(TRANSIENT)
                .at(Location::of_node(ctx.doc, formats[0].node)),
        );
    }
}
