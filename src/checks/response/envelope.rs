//! The outer Response: version, status, issuer, destination, InResponseTo.

use super::{identity, near_miss};
use crate::checks::catalog::{
    ASSERTION_IN_RESPONSE_TO, ASSERTION_IN_RESPONSE_TO_UNCHECKED, RESPONSE_DESTINATION_MISMATCH,
    RESPONSE_ISSUER_MISMATCH, RESPONSE_STATUS,
};
use crate::checks::{Finding, Location};
use crate::saml::ns;
use crate::saml::response::ResponseEnvelope;
use crate::sp::url_match::UrlField;
use crate::sp::SpProfile;
use crate::xml::Document;

/// Explains the well-known second-level status codes.
fn explain_status(code: &str) -> &'static str {
    match code.rsplit(':').next().unwrap_or("") {
        "Requester" => "the IdP blames the request (the SP's AuthnRequest or its settings)",
        "Responder" => "the IdP failed on its side (often: user not assigned to the application, or a policy denied access)",
        "VersionMismatch" => "the IdP does not speak this SAML version",
        "AuthnFailed" => "the user could not be authenticated",
        "InvalidNameIDPolicy" => "the IdP cannot issue the NameID format the SP asked for",
        "NoPassive" => "passive login was requested but the user must interact",
        "RequestDenied" => "the IdP refused to answer this SP",
        "UnknownPrincipal" => "the IdP does not know the user",
        "NoAuthnContext" => "the requested authentication context cannot be satisfied",
        "RequestUnsupported" => "the IdP does not support the request",
        _ => "see the StatusMessage",
    }
}

pub fn check(
    doc: &Document,
    r: &ResponseEnvelope,
    idp_entity_id: &str,
    sp: &SpProfile,
    request_id: Option<&str>,
    signed: bool,
    findings: &mut Vec<Finding>,
) {
    identity::version(doc, r.node, r.version.as_deref(), "Response", findings);

    let code = r.status.code.as_deref();
    if code != Some(ns::STATUS_SUCCESS) {
        let at = r.status.node.map_or_else(
            || Location::of_node(doc, r.node),
            |s| Location::of_node(doc, s),
        );
        let mut f = Finding::new(
            &RESPONSE_STATUS,
            match code {
                Some(c) => format!("the IdP answered {c}"),
                None => "the Response has no Status/StatusCode".to_string(),
            },
        )
        .expected(ns::STATUS_SUCCESS)
        .found(code.unwrap_or("nothing"))
        .at(at);
        if let Some(sub) = &r.status.subcode {
            f = f.note(format!(
                "second-level status {sub}: {}",
                explain_status(sub)
            ));
        } else if let Some(c) = code {
            f = f.note(explain_status(c));
        }
        if let Some(m) = &r.status.message {
            f = f.note(format!("StatusMessage: {m}"));
        }
        findings.push(f);
    }

    if let Some(issuer) = &r.issuer {
        findings.extend(identity::issuer_mismatch(
            doc,
            &RESPONSE_ISSUER_MISMATCH,
            issuer,
            idp_entity_id,
            "Response",
        ));
    }

    match &r.destination {
        Some(d) if *d != sp.acs => {
            let f = Finding::new(&RESPONSE_DESTINATION_MISMATCH, "the Response is addressed to another URL than this SP's ACS")
                .expected(&sp.acs)
                .found(d)
                .at(Location::of_attribute(doc, r.node, "Destination"));
            findings.push(near_miss::annotate(f, sp, UrlField::Acs, d, false));
        }
        None if signed => findings.push(
            Finding::new(&RESPONSE_DESTINATION_MISMATCH, "the Response is signed but has no Destination (SAML bindings 3.5.5.2 requires one)")
                .expected(&sp.acs)
                .found("no Destination attribute")
                .at(Location::of_node(doc, r.node)),
        ),
        _ => {}
    }

    if let (Some(want), Some(got)) = (request_id, r.in_response_to.as_deref()) {
        if want != got {
            findings.push(
                Finding::new(
                    &ASSERTION_IN_RESPONSE_TO,
                    "the Response answers another request than the one the SP sent",
                )
                .expected(want)
                .found(got)
                .at(Location::of_attribute(doc, r.node, "InResponseTo")),
            );
        }
    }
    if request_id.is_none() && r.in_response_to.is_some() {
        findings.push(
            Finding::new(
                &ASSERTION_IN_RESPONSE_TO_UNCHECKED,
                "InResponseTo was not checked: no --request-id was given",
            )
            .found(r.in_response_to.clone().unwrap_or_default())
            .at(Location::of_attribute(doc, r.node, "InResponseTo")),
        );
    }
}
