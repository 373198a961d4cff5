//! `metadata/duplicate-endpoint-index`: indexes unique per endpoint kind, one default at most.

use super::MetadataContext;
use crate::checks::catalog::METADATA_DUPLICATE_INDEX;
use crate::checks::{Finding, Location};
use crate::saml::metadata::EntityDescriptor;

const INDEXED: &[&str] = &[
    "AssertionConsumerService",
    "ArtifactResolutionService",
    "AttributeConsumingService",
    "DiscoveryResponse",
];

pub fn check(ctx: &MetadataContext<'_>, entity: &EntityDescriptor, findings: &mut Vec<Finding>) {
    for role in &entity.roles {
        for kind in INDEXED {
            let endpoints: Vec<_> = role.endpoints_of(kind).collect();
            let mut seen: Vec<&str> = Vec::new();
            for e in &endpoints {
                let Some(index) = e.index.as_deref() else {
                    continue;
                };
                if seen.contains(&index) {
                    findings.push(
                        Finding::new(
                            &METADATA_DUPLICATE_INDEX,
                            format!("two {kind} endpoints use index {index}"),
                        )
                        .expected("a unique index per endpoint")
                        .found(format!("index=\"{index}\" again"))
                        .at(Location::of_attribute(ctx.doc, e.node, "index")),
                    );
                } else {
                    seen.push(index);
                }
            }
            let defaults: Vec<_> = endpoints
                .iter()
                .filter(|e| matches!(e.is_default.as_deref(), Some("true" | "1")))
                .collect();
            if defaults.len() > 1 {
                findings.push(
                    Finding::new(
                        &METADATA_DUPLICATE_INDEX,
                        format!(
                            "{} {kind} endpoints claim isDefault=\"true\"",
                            defaults.len()
                        ),
                    )
                    .expected("at most one default")
                    .found(format!("{} defaults", defaults.len()))
                    .at(Location::of_attribute(
                        ctx.doc,
                        defaults[1].node,
                        "isDefault",
                    )),
                );
            }
        }
    }
}
