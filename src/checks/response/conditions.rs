//! Conditions: the validity window and the audience.

use super::clock::Clock;
use super::near_miss;
use crate::checks::catalog::{ASSERTION_AUDIENCE_MISMATCH, ASSERTION_NO_AUDIENCE};
use crate::checks::{Finding, Location};
use crate::saml::response::Assertion;
use crate::sp::url_match::UrlField;
use crate::sp::SpProfile;
use crate::xml::Document;

pub fn check(
    doc: &Document,
    a: &Assertion,
    sp: &SpProfile,
    clock: &Clock,
    findings: &mut Vec<Finding>,
) {
    let Some(c) = &a.conditions else {
        findings.push(
            Finding::new(
                &ASSERTION_NO_AUDIENCE,
                "the assertion has no Conditions, so no audience restriction",
            )
            .expected(format!(
                "Conditions/AudienceRestriction/Audience = {}",
                sp.entity_id
            ))
            .found("no Conditions")
            .at(Location::of_node(doc, a.node)),
        );
        return;
    };
    if let Some(v) = &c.not_before {
        clock.not_before(doc, c.node, "NotBefore", v, findings);
    }
    if let Some(v) = &c.not_on_or_after {
        clock.not_on_or_after(doc, c.node, "NotOnOrAfter", v, findings);
    }
    if c.audience_restrictions.is_empty() {
        findings.push(
            Finding::new(
                &ASSERTION_NO_AUDIENCE,
                "the Conditions have no AudienceRestriction",
            )
            .expected(format!("AudienceRestriction/Audience = {}", sp.entity_id))
            .found("none")
            .at(Location::of_node(doc, c.node)),
        );
    }
    for restriction in &c.audience_restrictions {
        if restriction.iter().any(|aud| aud.value == sp.entity_id) {
            continue;
        }
        let found: Vec<&str> = restriction.iter().map(|x| x.value.as_str()).collect();
        let at = restriction.first().map_or_else(
            || Location::of_node(doc, c.node),
            |x| Location::of_node(doc, x.node),
        );
        let mut f = Finding::new(
            &ASSERTION_AUDIENCE_MISMATCH,
            "the assertion is meant for another SP",
        )
        .expected(&sp.entity_id)
        .found(if found.is_empty() {
            "an empty AudienceRestriction".to_string()
        } else {
            found.join(", ")
        })
        .at(at);
        for x in &found {
            f = near_miss::annotate(f, sp, UrlField::Audience, x, true);
        }
        findings.push(f);
    }
}
