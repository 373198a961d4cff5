//! Checks the Response and the Assertion share: SAML version and issuer.

use super::near_miss;
use crate::checks::catalog::{Rule, RESPONSE_VERSION};
use crate::checks::{Finding, Location};
use crate::saml::response::Located;
use crate::xml::{Document, NodeId};

/// `response/version`: `Version="2.0"` on `node` (`what` is "Response" or "Assertion").
pub fn version(
    doc: &Document,
    node: NodeId,
    version: Option<&str>,
    what: &str,
    findings: &mut Vec<Finding>,
) {
    if version != Some("2.0") {
        findings.push(
            Finding::new(&RESPONSE_VERSION, format!("the {what} is not SAML 2.0"))
                .expected("Version=\"2.0\"")
                .found(version.unwrap_or("no Version attribute"))
                .at(Location::of_attribute(doc, node, "Version")),
        );
    }
}

/// An Issuer that is not the IdP's entity ID, with the near miss named when there is one.
pub fn issuer_mismatch(
    doc: &Document,
    rule: &'static Rule,
    issuer: &Located,
    idp_entity_id: &str,
    what: &str,
) -> Option<Finding> {
    if issuer.value == idp_entity_id {
        return None;
    }
    let mut f = Finding::new(
        rule,
        format!("the {what}'s Issuer is not the IdP's entity ID"),
    )
    .expected(idp_entity_id)
    .found(&issuer.value)
    .at(Location::of_node(doc, issuer.node));
    if let Some(why) = near_miss::explain(idp_entity_id, &issuer.value) {
        f = f.note(why);
    }
    Some(f)
}
