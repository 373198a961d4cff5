//! Time windows with a clock-skew allowance, and the findings they produce.

use crate::checks::catalog::{
    ASSERTION_BAD_TIME, ASSERTION_CLOCK_SKEW, ASSERTION_EXPIRED, ASSERTION_NOT_YET_VALID,
};
use crate::checks::{Finding, Location};
use crate::saml::time::{format_instant, human_seconds, parse_instant};
use crate::xml::{Document, NodeId};
use time::OffsetDateTime;

/// "Now" and how far clocks may disagree.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: OffsetDateTime,
    pub skew_seconds: i64,
}

impl Clock {
    /// Checks `value` (attribute `attr` of `node`) as a lower bound.
    pub fn not_before(
        &self,
        doc: &Document,
        node: NodeId,
        attr: &str,
        value: &str,
        out: &mut Vec<Finding>,
    ) {
        let Some(t) = self.parse(doc, node, attr, value, out) else {
            return;
        };
        let ahead = (t - self.now).whole_seconds();
        if ahead > self.skew_seconds {
            out.push(
                Finding::new(
                    &ASSERTION_NOT_YET_VALID,
                    format!(
                        "{attr} is {} in the future, beyond the {} s clock skew allowed",
                        human_seconds(ahead),
                        self.skew_seconds
                    ),
                )
                .expected(format!(
                    "{attr} <= {} (now + skew)",
                    format_instant(self.now + time::Duration::seconds(self.skew_seconds))
                ))
                .found(value)
                .at(Location::of_attribute(doc, node, attr))
                .note(format!(
                    "now is {}; the IdP's clock is probably {} ahead",
                    format_instant(self.now),
                    human_seconds(ahead)
                )),
            );
        } else if ahead > 0 {
            out.push(self.skew_note(doc, node, attr, value, ahead));
        }
    }

    /// Checks `value` as an exclusive upper bound.
    pub fn not_on_or_after(
        &self,
        doc: &Document,
        node: NodeId,
        attr: &str,
        value: &str,
        out: &mut Vec<Finding>,
    ) {
        let Some(t) = self.parse(doc, node, attr, value, out) else {
            return;
        };
        let late = (self.now - t).whole_seconds();
        if late >= self.skew_seconds {
            out.push(
                Finding::new(
                    &ASSERTION_EXPIRED,
                    format!(
                        "{attr} passed {} ago, beyond the {} s clock skew allowed",
                        human_seconds(late),
                        self.skew_seconds
                    ),
                )
                .expected(format!(
                    "{attr} > {} (now - skew)",
                    format_instant(self.now - time::Duration::seconds(self.skew_seconds))
                ))
                .found(value)
                .at(Location::of_attribute(doc, node, attr))
                .note(format!("now is {}", format_instant(self.now))),
            );
        } else if late >= 0 {
            out.push(self.skew_note(doc, node, attr, value, late + 1));
        }
    }

    fn skew_note(
        &self,
        doc: &Document,
        node: NodeId,
        attr: &str,
        value: &str,
        needed: i64,
    ) -> Finding {
        Finding::new(
            &ASSERTION_CLOCK_SKEW,
            format!(
                "{attr} was met only thanks to the clock skew: {} of the {} s allowed were needed",
                human_seconds(needed),
                self.skew_seconds
            ),
        )
        .found(value)
        .at(Location::of_attribute(doc, node, attr))
    }

    fn parse(
        &self,
        doc: &Document,
        node: NodeId,
        attr: &str,
        value: &str,
        out: &mut Vec<Finding>,
    ) -> Option<OffsetDateTime> {
        let parsed = parse_instant(value);
        if parsed.is_none() {
            out.push(
                Finding::new(&ASSERTION_BAD_TIME, format!("{attr} is not an xs:dateTime"))
                    .expected("a UTC instant such as 2026-01-15T10:00:00Z")
                    .found(value)
                    .at(Location::of_attribute(doc, node, attr)),
            );
        }
        parsed
    }
}
