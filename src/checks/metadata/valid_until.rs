//! `metadata/expired`, `metadata/expiring-soon`, `metadata/invalid-date`.

use super::MetadataContext;
use crate::checks::catalog::{METADATA_EXPIRED, METADATA_EXPIRING_SOON, METADATA_INVALID_DATE};
use crate::checks::{Finding, Location};
use crate::saml::metadata::EntityDescriptor;
use crate::saml::time::{format_instant, human_seconds, parse_instant};
use crate::xml::NodeId;

fn check_one(
    ctx: &MetadataContext<'_>,
    node: NodeId,
    value: &str,
    whose: &str,
    findings: &mut Vec<Finding>,
) {
    let at = Location::of_attribute(ctx.doc, node, "validUntil");
    let Some(t) = parse_instant(value) else {
        findings.push(
            Finding::new(
                &METADATA_INVALID_DATE,
                format!("{whose} validUntil is not an xs:dateTime"),
            )
            .expected("a UTC instant such as 2027-01-01T00:00:00Z")
            .found(value)
            .at(at),
        );
        return;
    };
    let left = (t - ctx.now).whole_seconds();
    if left <= 0 {
        findings.push(
            Finding::new(
                &METADATA_EXPIRED,
                format!("{whose} metadata expired {} ago", human_seconds(left)),
            )
            .expected(format!("validUntil after {}", format_instant(ctx.now)))
            .found(value)
            .at(at),
        );
    } else if left < ctx.expiry_warning_days * 86_400 {
        findings.push(
            Finding::new(
                &METADATA_EXPIRING_SOON,
                format!("{whose} metadata expires in {}", human_seconds(left)),
            )
            .expected(format!(
                "validUntil more than {} days ahead",
                ctx.expiry_warning_days
            ))
            .found(value)
            .at(at),
        );
    }
}

pub fn check(ctx: &MetadataContext<'_>, entity: &EntityDescriptor, findings: &mut Vec<Finding>) {
    if let Some(v) = &entity.valid_until {
        check_one(ctx, entity.node, v, "the entity's", findings);
    }
    for role in &entity.roles {
        if let Some(v) = &role.valid_until {
            check_one(ctx, role.node, v, &format!("the {}'s", role.name), findings);
        }
    }
}

/// Checks an aggregate's own validUntil (the enclosing EntitiesDescriptor).
pub fn check_aggregate(
    ctx: &MetadataContext<'_>,
    node: NodeId,
    value: &str,
    findings: &mut Vec<Finding>,
) {
    check_one(ctx, node, value, "the aggregate's", findings);
}
