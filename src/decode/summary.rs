//! What a decoded message is and says, read from the XML as written. Nothing here is
//! verified: the summary is for people; the checks decide from verified data only.

use std::collections::BTreeMap;

use super::report::{MessageKind, NameIdPolicy, StatusSummary, SubjectSummary, Summary, Validity};
use crate::saml::logout::{LogoutKind, LogoutMessage};
use crate::saml::ns;
use crate::saml::response::{Assertion, ResponseEnvelope, Status};
use crate::xml::dsig::DSIG_NS;
use crate::xml::{Document, NodeId};

/// The kind of the root element.
pub fn kind(doc: &Document) -> MessageKind {
    let Some(root) = doc.element(doc.root()) else {
        return MessageKind::Unknown;
    };
    if root.namespace() != Some(ns::PROTOCOL) {
        return MessageKind::Unknown;
    }
    match root.local() {
        "AuthnRequest" => MessageKind::AuthnRequest,
        "Response" => MessageKind::Response,
        "LogoutRequest" => MessageKind::LogoutRequest,
        "LogoutResponse" => MessageKind::LogoutResponse,
        _ => MessageKind::Unknown,
    }
}

fn attr(doc: &Document, node: NodeId, name: &str) -> Option<String> {
    doc.element(node)?.attr(name).map(str::to_string)
}

fn status(s: &Status) -> Option<StatusSummary> {
    s.node.map(|_| StatusSummary {
        code: s.code.clone(),
        subcode: s.subcode.clone(),
        message: s.message.clone(),
    })
}

fn has_signature(doc: &Document, node: NodeId) -> bool {
    doc.child_named(node, DSIG_NS, "Signature").is_some()
}

/// Reads the summary of a message of `kind`.
pub fn summarize(doc: &Document, kind: MessageKind) -> Summary {
    let root = doc.root();
    let mut s = Summary {
        id: attr(doc, root, "ID"),
        issue_instant: attr(doc, root, "IssueInstant"),
        destination: attr(doc, root, "Destination"),
        issuer: doc
            .child_named(root, ns::ASSERTION, "Issuer")
            .map(|n| doc.text(n).trim().to_string()),
        xml_signed: has_signature(doc, root),
        ..Summary::default()
    };
    match kind {
        MessageKind::AuthnRequest => authn_request(doc, root, &mut s),
        MessageKind::Response => response(doc, &mut s),
        MessageKind::LogoutRequest | MessageKind::LogoutResponse => {
            if let Some(m) = LogoutMessage::read(doc) {
                s.in_response_to = m.in_response_to;
                s.status = m.status.as_ref().and_then(status);
                s.session_indexes = m.session_indexes;
                if m.kind == LogoutKind::Request {
                    s.subject = m.name_id.map(|name_id| SubjectSummary {
                        name_id,
                        format: m.name_id_format,
                    });
                    s.validity = m.not_on_or_after.map(|t| Validity {
                        not_before: None,
                        not_on_or_after: Some(t),
                    });
                }
            }
        }
        MessageKind::Unknown => {}
    }
    s
}

fn authn_request(doc: &Document, root: NodeId, s: &mut Summary) {
    s.assertion_consumer_service_url = attr(doc, root, "AssertionConsumerServiceURL");
    s.protocol_binding = attr(doc, root, "ProtocolBinding");
    s.force_authn = attr(doc, root, "ForceAuthn");
    s.is_passive = attr(doc, root, "IsPassive");
    s.name_id_policy = doc
        .child_named(root, ns::PROTOCOL, "NameIDPolicy")
        .map(|p| NameIdPolicy {
            format: attr(doc, p, "Format"),
            allow_create: attr(doc, p, "AllowCreate"),
        });
    if let Some(rac) = doc.child_named(root, ns::PROTOCOL, "RequestedAuthnContext") {
        s.requested_authn_context = doc
            .children_named(rac, ns::ASSERTION, "AuthnContextClassRef")
            .map(|n| doc.text(n).trim().to_string())
            .collect();
    }
}

fn response(doc: &Document, s: &mut Summary) {
    let Some(envelope) = ResponseEnvelope::read(doc) else {
        return;
    };
    s.in_response_to = envelope.in_response_to.clone();
    s.status = status(&envelope.status);
    let Some(&node) = envelope.assertions.first() else {
        return;
    };
    // For the summary only: what the checks accept is read through a verified handle.
    let a = Assertion::read_unverified_for_diagnosis(doc, node);
    s.xml_signed |= has_signature(doc, node);
    s.subject = a.name_id.map(|n| SubjectSummary {
        name_id: n.value,
        format: n.format,
    });
    let mut attributes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for at in a.attributes {
        attributes.entry(at.name).or_default().extend(at.values);
    }
    s.attributes = attributes;
    if s.in_response_to.is_none() {
        s.in_response_to = a
            .confirmations
            .iter()
            .find_map(|c| c.data.as_ref()?.in_response_to.clone());
    }
    s.validity = a.conditions.map(|c| Validity {
        not_before: c.not_before,
        not_on_or_after: c.not_on_or_after,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::Limits;

    #[test]
    fn reads_an_authn_request() {
        let doc = Document::parse(r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-01-15T10:00:00Z" AssertionConsumerServiceURL="https://sentry.io/saml/acs/acme/" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"><saml:Issuer>https://sentry.io/saml/metadata/acme/</saml:Issuer><samlp:NameIDPolicy Format="urn:x" AllowCreate="true"/><samlp:RequestedAuthnContext><saml:AuthnContextClassRef>urn:pw</saml:AuthnContextClassRef></samlp:RequestedAuthnContext></samlp:AuthnRequest>"#, Limits::MESSAGE).unwrap();
        assert_eq!(kind(&doc), MessageKind::AuthnRequest);
        let s = summarize(&doc, MessageKind::AuthnRequest);
        assert_eq!(s.id.as_deref(), Some("_r1"));
        assert_eq!(
            s.issuer.as_deref(),
            Some("https://sentry.io/saml/metadata/acme/")
        );
        assert_eq!(s.name_id_policy.unwrap().format.as_deref(), Some("urn:x"));
        assert_eq!(s.requested_authn_context, vec!["urn:pw".to_string()]);
        assert!(!s.xml_signed);
    }
}
