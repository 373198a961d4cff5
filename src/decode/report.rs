//! What `decode` says about one message: its kind, a summary of what it asks or answers, the
//! findings, and the decoded XML. Serializable for `--format json`.

use std::collections::BTreeMap;

use super::message::{Binding, Param};
use crate::checks::response::SignatureSummary;
use crate::checks::{Finding, Severity};
use crate::saml::binding::Layer;
use crate::xml::dsig::CertInfo;

/// Which SAML message it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub enum MessageKind {
    AuthnRequest,
    Response,
    LogoutRequest,
    LogoutResponse,
    /// Decoded to XML, but not a SAML 2.0 protocol message samlcheck knows (or not decoded).
    #[default]
    Unknown,
}

impl std::fmt::Display for MessageKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MessageKind::AuthnRequest => "AuthnRequest",
            MessageKind::Response => "Response",
            MessageKind::LogoutRequest => "LogoutRequest",
            MessageKind::LogoutResponse => "LogoutResponse",
            MessageKind::Unknown => "unknown message",
        })
    }
}

/// `samlp:NameIDPolicy` of an AuthnRequest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NameIdPolicy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_create: Option<String>,
}

/// `samlp:Status` of a Response or LogoutResponse.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatusSummary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subcode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The subject's NameID.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubjectSummary {
    pub name_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

/// When an assertion (or logout request) is valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Validity {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_on_or_after: Option<String>,
}

/// What the message says, read from the XML as is (unverified: the findings say what was
/// verified). Fields a kind of message lacks stay empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue_instant: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// AuthnRequest: where the SP asks the response to be posted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assertion_consumer_service_url: Option<String>,
    /// AuthnRequest: the binding the SP asks the response to come by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol_binding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_id_policy: Option<NameIdPolicy>,
    /// AuthnRequest: `ForceAuthn` / `IsPassive` as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force_authn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_passive: Option<String>,
    /// AuthnRequest: the requested AuthnContextClassRefs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requested_authn_context: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_response_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<SubjectSummary>,
    /// Attribute name -> values, in document order of first appearance by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validity: Option<Validity>,
    /// LogoutRequest: the sessions to end.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub session_indexes: Vec<String>,
    /// Whether the XML carries an enveloped `ds:Signature` (at the root or in an assertion).
    pub xml_signed: bool,
}

/// Where the signed bytes of a Redirect signature came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignedBytes {
    /// The query exactly as sent.
    AsSent,
    /// Rebuilt from decoded values (no raw query was captured): a mismatch may be ours.
    Rebuilt,
}

/// The HTTP-Redirect binding's query signature.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RedirectSignature {
    pub sig_alg: String,
    pub verified: bool,
    pub signed_bytes: SignedBytes,
    /// The certificate that verified it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertInfo>,
}

/// The outcome of the `verify` pipeline, when it ran (a Response with IdP and SP known).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VerifyOutcome {
    pub accepted: bool,
    pub signatures: Vec<SignatureSummary>,
}

/// Everything `decode` says about one message.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct MessageReport {
    pub kind: MessageKind,
    pub binding: Binding,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub param: Option<Param>,
    /// Where it was sent, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<String>,
    /// The decoding layers peeled off (URL-decoding, base64, inflate...).
    pub layers: Vec<Layer>,
    /// False when the value could not be decoded to XML and parsed (exit code 2).
    pub decoded: bool,
    pub summary: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_signature: Option<RedirectSignature>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify: Option<VerifyOutcome>,
    pub findings: Vec<Finding>,
    /// The decoded XML text, as decoded (the CLI prints it, pretty-printed, with `--xml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xml: Option<String>,
}

impl MessageReport {
    /// Whether a finding of `rule` was reported.
    pub fn has(&self, rule: &str) -> bool {
        self.findings.iter().any(|f| f.rule == rule)
    }

    /// Whether any finding blocks (errors, and warnings under `--deny warnings`).
    pub fn has_errors(&self, deny_warnings: bool) -> bool {
        self.findings.iter().any(|f| {
            f.severity == Severity::Error || (deny_warnings && f.severity == Severity::Warning)
        })
    }
}
