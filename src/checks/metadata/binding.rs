//! `metadata/unknown-binding`.

use super::MetadataContext;
use crate::checks::catalog::METADATA_UNKNOWN_BINDING;
use crate::checks::{Finding, Location};
use crate::saml::metadata::EntityDescriptor;

/// Binding and profile URIs that endpoints legitimately name.
const KNOWN: &[&str] = &[
    "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
    "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
    "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST-SimpleSign",
    "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact",
    "urn:oasis:names:tc:SAML:2.0:bindings:SOAP",
    "urn:oasis:names:tc:SAML:2.0:bindings:PAOS",
    "urn:oasis:names:tc:SAML:2.0:bindings:URI",
    "urn:oasis:names:tc:SAML:2.0:profiles:holder-of-key:SSO:browser",
    "urn:oasis:names:tc:SAML:1.0:profiles:browser-post",
    "urn:oasis:names:tc:SAML:1.0:profiles:artifact-01",
    "urn:oasis:names:tc:SAML:1.0:bindings:SOAP-binding",
    "urn:mace:shibboleth:1.0:profiles:AuthnRequest",
    "urn:mace:shibboleth:2.0:profiles:AuthnRequest",
    "urn:oasis:names:tc:SAML:profiles:SSO:idp-discovery-protocol",
    "urn:oasis:names:tc:SAML:profiles:SSO:request-init",
];

pub fn check(ctx: &MetadataContext<'_>, entity: &EntityDescriptor, findings: &mut Vec<Finding>) {
    for role in &entity.roles {
        for e in &role.endpoints {
            let Some(binding) = e.binding.as_deref() else {
                continue;
            };
            if KNOWN.contains(&binding) {
                continue;
            }
            let close = KNOWN.iter().find(|k| {
                k.eq_ignore_ascii_case(binding.trim())
                    || k.ends_with(binding.rsplit(':').next().unwrap_or("-"))
            });
            let mut f = Finding::new(
                &METADATA_UNKNOWN_BINDING,
                format!("{} names an unknown binding", e.kind),
            )
            .found(binding)
            .at(Location::of_attribute(ctx.doc, e.node, "Binding"));
            if let Some(k) = close {
                f = f.expected(*k).note(format!("did you mean {k}?"));
            }
            findings.push(f);
        }
    }
}
