//! The assertion's issuer, subject, bearer confirmation and authentication statement.

use super::clock::Clock;
use super::{identity, near_miss};
use crate::checks::catalog::{
    ASSERTION_IN_RESPONSE_TO, ASSERTION_ISSUER_MISMATCH, ASSERTION_NO_AUTHN_STATEMENT,
    ASSERTION_NO_BEARER, ASSERTION_NO_NAME_ID, ASSERTION_RECIPIENT_MISMATCH,
};
use crate::checks::{Finding, Location};
use crate::saml::ns;
use crate::saml::response::Assertion;
use crate::sp::url_match::UrlField;
use crate::sp::SpProfile;
use crate::xml::Document;

pub fn check(
    doc: &Document,
    a: &Assertion,
    idp_entity_id: &str,
    sp: &SpProfile,
    request_id: Option<&str>,
    clock: &Clock,
    findings: &mut Vec<Finding>,
) {
    identity::version(doc, a.node, a.version.as_deref(), "Assertion", findings);
    match &a.issuer {
        Some(issuer) => findings.extend(identity::issuer_mismatch(
            doc,
            &ASSERTION_ISSUER_MISMATCH,
            issuer,
            idp_entity_id,
            "Assertion",
        )),
        None => findings.push(
            Finding::new(&ASSERTION_ISSUER_MISMATCH, "the Assertion has no Issuer")
                .expected(idp_entity_id)
                .found("no saml:Issuer")
                .at(Location::of_node(doc, a.node)),
        ),
    }

    match &a.name_id {
        Some(n) if !n.value.is_empty() => {}
        Some(n) => findings.push(
            Finding::new(&ASSERTION_NO_NAME_ID, "the NameID is empty")
                .expected("the user's IdP identifier")
                .found("an empty NameID")
                .at(Location::of_node(doc, n.node)),
        ),
        None => findings.push(
            Finding::new(&ASSERTION_NO_NAME_ID, "the Subject has no NameID")
                .expected("saml:Subject/saml:NameID")
                .found(if a.subject.is_some() {
                    "a Subject without NameID"
                } else {
                    "no Subject"
                })
                .at(Location::of_node(doc, a.subject.unwrap_or(a.node))),
        ),
    }

    check_bearer(doc, a, sp, request_id, clock, findings);

    if a.authn_statements.is_empty() {
        findings.push(
            Finding::new(
                &ASSERTION_NO_AUTHN_STATEMENT,
                "the assertion says nothing about how the user authenticated",
            )
            .expected("a saml:AuthnStatement")
            .found("none")
            .at(Location::of_node(doc, a.node)),
        );
    }
    for s in &a.authn_statements {
        if let Some(v) = &s.session_not_on_or_after {
            clock.not_on_or_after(doc, s.node, "SessionNotOnOrAfter", v, findings);
        }
    }
}

fn check_bearer(
    doc: &Document,
    a: &Assertion,
    sp: &SpProfile,
    request_id: Option<&str>,
    clock: &Clock,
    findings: &mut Vec<Finding>,
) {
    let bearers: Vec<_> = a
        .confirmations
        .iter()
        .filter(|c| c.method.as_deref() == Some(ns::CM_BEARER))
        .collect();
    let at = Location::of_node(doc, a.subject.unwrap_or(a.node));
    let Some(bearer) = bearers
        .iter()
        .find(|c| {
            c.data
                .as_ref()
                .is_some_and(|d| d.recipient.as_deref() == Some(&sp.acs))
        })
        .or(bearers.first())
    else {
        let methods: Vec<String> = a
            .confirmations
            .iter()
            .map(|c| c.method.clone().unwrap_or_else(|| "(no Method)".into()))
            .collect();
        findings.push(
            Finding::new(
                &ASSERTION_NO_BEARER,
                "the Subject has no bearer SubjectConfirmation",
            )
            .expected(format!("SubjectConfirmation Method=\"{}\"", ns::CM_BEARER))
            .found(if methods.is_empty() {
                "no SubjectConfirmation".to_string()
            } else {
                methods.join(", ")
            })
            .at(at),
        );
        return;
    };
    let Some(data) = &bearer.data else {
        findings.push(
            Finding::new(
                &ASSERTION_NO_BEARER,
                "the bearer SubjectConfirmation has no SubjectConfirmationData",
            )
            .expected("SubjectConfirmationData with Recipient and NotOnOrAfter")
            .found("none")
            .at(Location::of_node(doc, bearer.node)),
        );
        return;
    };
    match &data.recipient {
        Some(r) if *r == sp.acs => {}
        Some(r) => {
            let f = Finding::new(
                &ASSERTION_RECIPIENT_MISMATCH,
                "the assertion may only be delivered to another URL",
            )
            .expected(&sp.acs)
            .found(r)
            .at(Location::of_attribute(doc, data.node, "Recipient"));
            findings.push(near_miss::annotate(f, sp, UrlField::Acs, r, false));
        }
        None => findings.push(
            Finding::new(
                &ASSERTION_RECIPIENT_MISMATCH,
                "the bearer SubjectConfirmationData has no Recipient",
            )
            .expected(&sp.acs)
            .found("no Recipient attribute")
            .at(Location::of_node(doc, data.node)),
        ),
    }
    match &data.not_on_or_after {
        Some(v) => clock.not_on_or_after(doc, data.node, "NotOnOrAfter", v, findings),
        None => findings.push(
            Finding::new(
                &ASSERTION_NO_BEARER,
                "the bearer SubjectConfirmationData has no NotOnOrAfter",
            )
            .expected("NotOnOrAfter on SubjectConfirmationData")
            .found("none")
            .at(Location::of_node(doc, data.node)),
        ),
    }
    if let Some(v) = &data.not_before {
        clock.not_before(doc, data.node, "NotBefore", v, findings);
    }
    if let Some(want) = request_id {
        match data.in_response_to.as_deref() {
            Some(got) if got == want => {}
            Some(got) => findings.push(
                Finding::new(
                    &ASSERTION_IN_RESPONSE_TO,
                    "the bearer confirmation answers another request than the one the SP sent",
                )
                .expected(want)
                .found(got)
                .at(Location::of_attribute(doc, data.node, "InResponseTo")),
            ),
            None => findings.push(
                Finding::new(
                    &ASSERTION_IN_RESPONSE_TO,
                    "the response is unsolicited (IdP-initiated) but the SP sent a request",
                )
                .expected(want)
                .found("no InResponseTo")
                .at(Location::of_node(doc, data.node)),
            ),
        }
    }
}
