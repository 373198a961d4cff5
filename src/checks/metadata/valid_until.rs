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

/// Whether `text` is an xs:duration such as `PT6H`, `P1D` or `-P1Y2M3DT4H5M6.7S`.
pub fn is_xs_duration(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    let Some(body) = body.strip_prefix('P') else {
        return false;
    };
    let (date, time) = match body.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return false,
        None => (body, None),
    };
    // Each part: numbers followed by designators in order; seconds may have a fraction.
    fn parts(text: &str, designators: &[char], fraction_on: Option<char>) -> Option<usize> {
        let mut rest = text;
        let mut next = 0;
        let mut count = 0;
        while !rest.is_empty() {
            let digits = rest
                .find(|c: char| !c.is_ascii_digit() && c != '.')
                .unwrap_or(rest.len());
            let number = &rest[..digits];
            let designator = rest[digits..].chars().next()?;
            let index = designators[next..].iter().position(|&d| d == designator)? + next;
            let fraction_ok = number.matches('.').count() == 0
                || (Some(designator) == fraction_on
                    && number.matches('.').count() == 1
                    && !number.ends_with('.')
                    && !number.starts_with('.'));
            if number.is_empty() || !fraction_ok {
                return None;
            }
            next = index + 1;
            count += 1;
            rest = &rest[digits + designator.len_utf8()..];
        }
        Some(count)
    }
    let date_parts = parts(date, &['Y', 'M', 'D'], None);
    let time_parts = time.map(|t| parts(t, &['H', 'M', 'S'], Some('S')));
    match (date_parts, time_parts) {
        (Some(d), None) => d > 0,
        (Some(_), Some(Some(t))) => t > 0,
        _ => false,
    }
}

pub fn check(ctx: &MetadataContext<'_>, entity: &EntityDescriptor, findings: &mut Vec<Finding>) {
    if let Some(d) = &entity.cache_duration {
        if !is_xs_duration(d) {
            findings.push(
                Finding::new(
                    &METADATA_INVALID_DATE,
                    "the entity's cacheDuration is not an xs:duration",
                )
                .expected("a duration such as PT6H or P1D")
                .found(d.as_str())
                .at(Location::of_attribute(
                    ctx.doc,
                    entity.node,
                    "cacheDuration",
                )),
            );
        }
    }
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

#[cfg(test)]
mod tests {
    use super::is_xs_duration;

    #[test]
    fn reads_xs_durations() {
        for ok in ["PT6H", "P1D", "P1Y2M3DT4H5M6.7S", "-PT30M", "PT0S", "P0D"] {
            assert!(is_xs_duration(ok), "{ok}");
        }
        for bad in [
            "", "P", "PT", "6H", "PT6", "P1H", "PT1D", "P1M1Y", "PT1.5H", "P1DT", "PT.5S", "pt6h",
        ] {
            assert!(!is_xs_duration(bad), "{bad}");
        }
    }
}
