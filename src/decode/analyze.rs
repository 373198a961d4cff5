//! One message, start to finish: decode, parse, summarize, then every check the context
//! allows (Redirect signature, IdP error status, the `verify` pipeline, the SP's URLs and the
//! attribute mapping).

use super::context::DecodeContext;
use super::message::RawMessage;
use super::report::{MessageKind, MessageReport, VerifyOutcome};
use super::{redirect, status, summary};
use crate::checks::catalog::{BINDING_DECODE_FAILED, BINDING_NOT_A_MESSAGE, RESPONSE_STATUS};
use crate::checks::mapping::advertised::IdpAttributes;
use crate::checks::mapping::{check_mapping, ObservedAssertion};
use crate::checks::response::{read_message, verify_document, VerifyOptions};
use crate::checks::{Finding, Location};
use crate::saml::binding::decode_message;
use crate::saml::response::{Assertion, ResponseEnvelope};
use crate::sp::url_match::{check_url, UrlField};
use crate::xml::{Document, Limits};

/// Decodes, summarizes, verifies and explains one message. Never fails: what went wrong is
/// in the findings (`decoded == false` when nothing could be read).
pub fn analyze(message: &RawMessage, ctx: &DecodeContext<'_>) -> MessageReport {
    let mut report = MessageReport {
        binding: message.binding,
        param: message.param,
        url: message.url.clone(),
        relay_state: message.relay_state.clone(),
        ..MessageReport::default()
    };
    let what = message.param.map_or("the value", |p| p.name());
    let decoded = match decode_message(message.value.as_bytes()) {
        Ok(d) => d,
        Err(e) => {
            report.findings.push(
                Finding::new(&BINDING_DECODE_FAILED, format!("{what}: {e}"))
                    .found(format!("{} characters", message.value.len())),
            );
            return report;
        }
    };
    report.layers = decoded.layers;
    if report.relay_state.is_none() {
        report.relay_state = decoded.relay_state;
    }
    // Raw XML passes through the decoder unchanged, so this only parses (with its findings).
    let parsed = match read_message(&decoded.xml, Limits::MESSAGE) {
        Ok(m) => m,
        Err(verdict) => {
            report.decoded = verdict.readable;
            report.xml = Some(String::from_utf8_lossy(&decoded.xml).into_owned());
            report.findings.extend(verdict.findings);
            return report;
        }
    };
    let doc = parsed.doc;
    report.decoded = true;
    report.kind = summary::kind(&doc);
    report.summary = summary::summarize(&doc, report.kind);
    report.xml = Some(doc.source().to_string());

    report.redirect_signature = redirect::check(message, report.kind, ctx, &mut report.findings);
    if let Some(f) = report.summary.status.as_ref().and_then(status::explain) {
        report.findings.push(f);
    }
    match report.kind {
        MessageKind::Response => response(&doc, ctx, &mut report),
        MessageKind::AuthnRequest => authn_request(ctx, &mut report),
        MessageKind::LogoutRequest | MessageKind::LogoutResponse => logout(ctx, &mut report),
        MessageKind::Unknown => report.findings.push(not_a_message(&doc)),
    }
    report
}

/// The finding for XML whose root is no SAML 2.0 protocol message.
fn not_a_message(doc: &Document) -> Finding {
    let root = doc.root();
    let (qname, namespace) = doc.element(root).map_or((String::new(), None), |e| {
        (e.qname(), e.namespace().map(str::to_string))
    });
    let found = match namespace {
        Some(ns) => format!("{qname} ({ns})"),
        None => format!("{qname} (no namespace)"),
    };
    Finding::new(
        &BINDING_NOT_A_MESSAGE,
        format!("the root element is {qname}, not a SAML 2.0 protocol message"),
    )
    .expected("samlp:AuthnRequest, samlp:Response, samlp:LogoutRequest or samlp:LogoutResponse")
    .found(found)
    .at(Location::of_node(doc, root))
}

fn response(doc: &Document, ctx: &DecodeContext<'_>, report: &mut MessageReport) {
    let idp_error = report.has(status::RULE);
    if let (Some(idp), Some(sp)) = (ctx.idp, ctx.sp) {
        let mut options = VerifyOptions::at(ctx.now);
        options.clock_skew = ctx.clock_skew;
        options.request_id = ctx.request_id.map(str::to_string);
        options.deny_warnings = ctx.deny_warnings;
        options.sp_key = ctx.sp_key.cloned();
        let verdict = verify_document(doc, idp, sp, &options);
        report.verify = Some(VerifyOutcome {
            accepted: verdict.accepted,
            signatures: verdict.signatures,
        });
        // `response/idp-error` already says it, with the vendor's explanation.
        report.findings.extend(
            verdict
                .findings
                .into_iter()
                .filter(|f| !(idp_error && f.rule == RESPONSE_STATUS.id)),
        );
    } else if let Some(sp) = ctx.sp {
        // Without the IdP's certificates, the SP's URLs can still be compared.
        if let Some(d) = &report.summary.destination {
            if let Some(m) = check_url(sp, UrlField::Acs, d) {
                report.findings.push(
                    m.finding()
                        .note("from the Response's Destination (the signature was not checked: no --idp-metadata)"),
                );
            }
        }
    }
    if let Some(mapping) = ctx.mapping {
        let Some(envelope) = ResponseEnvelope::read(doc) else {
            return;
        };
        let Some(&node) = envelope.assertions.first() else {
            return;
        };
        let assertion = Assertion::read_unverified_for_diagnosis(doc, node);
        let verified = report.verify.as_ref().is_some_and(|v| v.accepted);
        let none = IdpAttributes {
            vendor: None,
            attributes: Vec::new(),
        };
        for mut f in check_mapping(
            mapping,
            &none,
            Some(ObservedAssertion::new(doc, &assertion)),
        ) {
            if !verified {
                f.notes.push(
                    "read from a response that was not verified; shown for diagnosis only".into(),
                );
            }
            report.findings.push(f);
        }
    }
}

fn authn_request(ctx: &DecodeContext<'_>, report: &mut MessageReport) {
    let Some(sp) = ctx.sp else {
        return;
    };
    let s = &report.summary;
    let checks = [
        (
            UrlField::Acs,
            s.assertion_consumer_service_url.clone(),
            "AssertionConsumerServiceURL",
        ),
        (UrlField::Audience, s.issuer.clone(), "Issuer"),
    ];
    for (field, found, attr) in checks {
        let Some(found) = found else { continue };
        if let Some(m) = check_url(sp, field, &found) {
            // The SP wrote this request: the fix is on the SP's side, not the IdP's.
            report.findings.push(
                m.finding()
                    .note(format!("from the AuthnRequest's {attr}"))
                    .fix(format!(
                        "The SP sends {found} as its {}; the org's value is {}. Check the SP's base URL and org slug (or --org / --base-url given to samlcheck).",
                        field.label(),
                        m.expected
                    )),
            );
        }
    }
}

fn logout(ctx: &DecodeContext<'_>, report: &mut MessageReport) {
    let Some(sp) = ctx.sp else {
        return;
    };
    // Only a message addressed to the SP (from the IdP) must name the SP's SLS.
    let from_idp = match (ctx.idp, &report.summary.issuer) {
        (Some(idp), Some(issuer)) => *issuer == idp.entity_id,
        _ => false,
    };
    if let (true, Some(d)) = (from_idp, report.summary.destination.clone()) {
        if let Some(m) = check_url(sp, UrlField::Sls, &d) {
            report
                .findings
                .push(m.finding().note("from the logout message's Destination"));
        }
    }
}
