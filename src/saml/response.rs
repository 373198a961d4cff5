//! The Response and Assertion model. An [`Assertion`] is read through a [`Verified`] handle
//! that covers it; reading one without that proof is possible only for diagnosis, and the
//! result says so (`verified == false`), so unsigned data never passes for signed data.

use super::ns;
use crate::xml::dsig::Verified;
use crate::xml::{Document, NodeId};

/// A value read from the document, with the node it came from (for locations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub value: String,
    pub node: NodeId,
}

fn attr_of(doc: &Document, node: NodeId, name: &str) -> Option<String> {
    doc.element(node)
        .and_then(|e| e.attr(name))
        .map(str::to_string)
}

/// The text content of `node` without surrounding whitespace, copied once (most values
/// have none to trim).
fn trimmed_text(doc: &Document, node: NodeId) -> String {
    let text = doc.text(node);
    let trimmed = text.trim();
    if trimmed.len() == text.len() {
        text
    } else {
        trimmed.to_string()
    }
}

fn child_text(doc: &Document, parent: NodeId, ns: &str, local: &str) -> Option<Located> {
    doc.child_named(parent, ns, local).map(|node| Located {
        value: trimmed_text(doc, node),
        node,
    })
}

/// The Status of a Response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Status {
    pub node: Option<NodeId>,
    pub code: Option<String>,
    pub subcode: Option<String>,
    pub message: Option<String>,
}

impl Status {
    /// The `samlp:Status` child of a response message (Response, LogoutResponse).
    pub fn read(doc: &Document, message: NodeId) -> Status {
        let mut status = Status::default();
        if let Some(s) = doc.child_named(message, ns::PROTOCOL, "Status") {
            status.node = Some(s);
            if let Some(code) = doc.child_named(s, ns::PROTOCOL, "StatusCode") {
                status.code = attr_of(doc, code, "Value");
                status.subcode = doc
                    .child_named(code, ns::PROTOCOL, "StatusCode")
                    .and_then(|sub| attr_of(doc, sub, "Value"));
            }
            status.message = child_text(doc, s, ns::PROTOCOL, "StatusMessage").map(|l| l.value);
        }
        status
    }
}

/// The outer Response, whose fields may or may not be signed.
#[derive(Debug, Clone)]
pub struct ResponseEnvelope {
    pub node: NodeId,
    pub id: Option<String>,
    pub version: Option<String>,
    pub issue_instant: Option<String>,
    pub destination: Option<String>,
    pub in_response_to: Option<String>,
    pub issuer: Option<Located>,
    pub status: Status,
    /// `saml:Assertion` children, in order.
    pub assertions: Vec<NodeId>,
    /// `saml:EncryptedAssertion` children, in order.
    pub encrypted_assertions: Vec<NodeId>,
}

impl ResponseEnvelope {
    /// Reads the root Response; `None` if the root is something else.
    pub fn read(doc: &Document) -> Option<ResponseEnvelope> {
        let node = doc.root();
        if !doc.element(node)?.is(ns::PROTOCOL, "Response") {
            return None;
        }
        let status = Status::read(doc, node);
        Some(ResponseEnvelope {
            node,
            id: attr_of(doc, node, "ID"),
            version: attr_of(doc, node, "Version"),
            issue_instant: attr_of(doc, node, "IssueInstant"),
            destination: attr_of(doc, node, "Destination"),
            in_response_to: attr_of(doc, node, "InResponseTo"),
            issuer: child_text(doc, node, ns::ASSERTION, "Issuer"),
            status,
            assertions: doc
                .children_named(node, ns::ASSERTION, "Assertion")
                .collect(),
            encrypted_assertions: doc
                .children_named(node, ns::ASSERTION, "EncryptedAssertion")
                .collect(),
        })
    }
}

/// `saml:NameID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameId {
    /// The full text content (comments inside do not cut it short).
    pub value: String,
    pub format: Option<String>,
    pub node: NodeId,
}

/// `saml:SubjectConfirmationData`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmationData {
    pub node: NodeId,
    pub recipient: Option<String>,
    pub not_on_or_after: Option<String>,
    pub not_before: Option<String>,
    pub in_response_to: Option<String>,
}

/// `saml:SubjectConfirmation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectConfirmation {
    pub node: NodeId,
    pub method: Option<String>,
    pub data: Option<ConfirmationData>,
}

/// `saml:Conditions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conditions {
    pub node: NodeId,
    pub not_before: Option<String>,
    pub not_on_or_after: Option<String>,
    /// One list of audiences per AudienceRestriction (each restriction must be met).
    pub audience_restrictions: Vec<Vec<Located>>,
}

/// `saml:AuthnStatement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthnStatement {
    pub node: NodeId,
    pub authn_instant: Option<String>,
    pub session_index: Option<String>,
    pub session_not_on_or_after: Option<String>,
}

/// `saml:Attribute` with its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub node: NodeId,
    pub name: String,
    pub friendly_name: Option<String>,
    pub name_format: Option<String>,
    pub values: Vec<String>,
}

/// An Assertion's content.
#[derive(Debug, Clone)]
pub struct Assertion {
    pub node: NodeId,
    /// Whether a verified signature covers this assertion.
    pub verified: bool,
    pub id: Option<String>,
    pub version: Option<String>,
    pub issue_instant: Option<String>,
    pub issuer: Option<Located>,
    pub subject: Option<NodeId>,
    pub name_id: Option<NameId>,
    pub confirmations: Vec<SubjectConfirmation>,
    pub conditions: Option<Conditions>,
    pub authn_statements: Vec<AuthnStatement>,
    pub attributes: Vec<Attribute>,
}

impl Assertion {
    /// Reads the assertion at `node` through `proof`; `None` unless `proof` covers it.
    pub fn read_verified(proof: &Verified<'_>, node: NodeId) -> Option<Assertion> {
        if !proof.covers(node) {
            return None;
        }
        Some(Self::read(proof.document(), node, true))
    }

    /// Reads an assertion no signature covers, to explain what else is wrong with it.
    /// Never use the result to accept a login.
    pub fn read_unverified_for_diagnosis(doc: &Document, node: NodeId) -> Assertion {
        Self::read(doc, node, false)
    }

    fn read(doc: &Document, node: NodeId, verified: bool) -> Assertion {
        let subject = doc.child_named(node, ns::ASSERTION, "Subject");
        let name_id = subject
            .and_then(|s| doc.child_named(s, ns::ASSERTION, "NameID"))
            .map(|n| NameId {
                value: trimmed_text(doc, n),
                format: attr_of(doc, n, "Format"),
                node: n,
            });
        let confirmations = subject
            .map(|s| {
                doc.children_named(s, ns::ASSERTION, "SubjectConfirmation")
                    .map(|c| SubjectConfirmation {
                        node: c,
                        method: attr_of(doc, c, "Method"),
                        data: doc
                            .child_named(c, ns::ASSERTION, "SubjectConfirmationData")
                            .map(|d| ConfirmationData {
                                node: d,
                                recipient: attr_of(doc, d, "Recipient"),
                                not_on_or_after: attr_of(doc, d, "NotOnOrAfter"),
                                not_before: attr_of(doc, d, "NotBefore"),
                                in_response_to: attr_of(doc, d, "InResponseTo"),
                            }),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let conditions = doc
            .child_named(node, ns::ASSERTION, "Conditions")
            .map(|c| Conditions {
                node: c,
                not_before: attr_of(doc, c, "NotBefore"),
                not_on_or_after: attr_of(doc, c, "NotOnOrAfter"),
                audience_restrictions: doc
                    .children_named(c, ns::ASSERTION, "AudienceRestriction")
                    .map(|r| {
                        doc.children_named(r, ns::ASSERTION, "Audience")
                            .map(|a| Located {
                                value: trimmed_text(doc, a),
                                node: a,
                            })
                            .collect()
                    })
                    .collect(),
            });
        let authn_statements = doc
            .children_named(node, ns::ASSERTION, "AuthnStatement")
            .map(|s| AuthnStatement {
                node: s,
                authn_instant: attr_of(doc, s, "AuthnInstant"),
                session_index: attr_of(doc, s, "SessionIndex"),
                session_not_on_or_after: attr_of(doc, s, "SessionNotOnOrAfter"),
            })
            .collect();
        let attributes = doc
            .children_named(node, ns::ASSERTION, "AttributeStatement")
            .flat_map(|st| doc.children_named(st, ns::ASSERTION, "Attribute"))
            .map(|a| Attribute {
                node: a,
                name: attr_of(doc, a, "Name").unwrap_or_default(),
                friendly_name: attr_of(doc, a, "FriendlyName"),
                name_format: attr_of(doc, a, "NameFormat"),
                values: doc
                    .children_named(a, ns::ASSERTION, "AttributeValue")
                    .map(|v| trimmed_text(doc, v))
                    .collect(),
            })
            .collect();
        Assertion {
            node,
            verified,
            id: attr_of(doc, node, "ID"),
            version: attr_of(doc, node, "Version"),
            issue_instant: attr_of(doc, node, "IssueInstant"),
            issuer: child_text(doc, node, ns::ASSERTION, "Issuer"),
            subject,
            name_id,
            confirmations,
            conditions,
            authn_statements,
            attributes,
        }
    }
}
