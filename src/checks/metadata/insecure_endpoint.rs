//! `metadata/insecure-endpoint`: endpoints over plain HTTP.

use super::MetadataContext;
use crate::checks::catalog::METADATA_INSECURE_ENDPOINT;
use crate::checks::{Finding, Location};
use crate::saml::metadata::EntityDescriptor;

pub fn check(ctx: &MetadataContext<'_>, entity: &EntityDescriptor, findings: &mut Vec<Finding>) {
    for role in &entity.roles {
        for e in &role.endpoints {
            for (attr, value) in [
                ("Location", &e.location),
                ("ResponseLocation", &e.response_location),
            ] {
                let Some(url) = value else { continue };
                if url
                    .get(..7)
                    .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
                {
                    findings.push(
                        Finding::new(
                            &METADATA_INSECURE_ENDPOINT,
                            format!("{} {attr} is plain HTTP", e.kind),
                        )
                        .expected(format!("https://{}", &url[7..]))
                        .found(url.as_str())
                        .at(Location::of_attribute(ctx.doc, e.node, attr)),
                    );
                }
            }
        }
    }
}
