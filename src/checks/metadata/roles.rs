//! `metadata/no-idp-descriptor`, `metadata/no-saml2-protocol`, `metadata/ignored-role-descriptor`.

use super::MetadataContext;
use crate::checks::catalog::{METADATA_IGNORED_ROLE, METADATA_NO_IDP, METADATA_NO_SAML2};
use crate::checks::{Finding, Location};
use crate::saml::metadata::{EntityDescriptor, RoleKind};
use crate::saml::ns;

pub fn check(ctx: &MetadataContext<'_>, entity: &EntityDescriptor, findings: &mut Vec<Finding>) {
    // An SP's own metadata is fine to lint (a repository may hold both kinds), unless the
    // caller expects an IdP: then it is the classic upload of the wrong file.
    let missing_idp = entity.idp().is_none() && (ctx.require_idp || entity.sp().is_none());
    if ctx.single_entity && missing_idp {
        let present: Vec<&str> = entity.roles.iter().map(|r| r.name.as_str()).collect();
        findings.push(
            Finding::new(
                &METADATA_NO_IDP,
                "the entity describes no identity provider",
            )
            .expected("an md:IDPSSODescriptor")
            .found(if present.is_empty() {
                "no role descriptor".to_string()
            } else {
                present.join(", ")
            })
            .at(Location::of_node(ctx.doc, entity.node)),
        );
    }
    for role in &entity.roles {
        match role.kind {
            RoleKind::Idp | RoleKind::Sp => {
                if !role.protocols.iter().any(|p| p == ns::PROTOCOL) {
                    findings.push(
                        Finding::new(
                            &METADATA_NO_SAML2,
                            format!("{} does not support SAML 2.0", role.name),
                        )
                        .expected(ns::PROTOCOL)
                        .found(if role.protocols.is_empty() {
                            "no protocolSupportEnumeration".to_string()
                        } else {
                            role.protocols.join(" ")
                        })
                        .at(Location::of_attribute(
                            ctx.doc,
                            role.node,
                            "protocolSupportEnumeration",
                        )),
                    );
                }
            }
            RoleKind::Other => {
                let what = match &role.xsi_type {
                    Some(t) => format!("{} ({t})", role.name),
                    None => role.name.clone(),
                };
                findings.push(
                    Finding::new(
                        &METADATA_IGNORED_ROLE,
                        format!("{what} is not used by SAML 2.0 SSO and is ignored"),
                    )
                    .found(what)
                    .at(Location::of_node(ctx.doc, role.node)),
                );
            }
        }
    }
}
