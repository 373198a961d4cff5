//! The SAML messages of a capture, in order: every `SAMLRequest` / `SAMLResponse` in a query
//! (HTTP-Redirect binding) or a form post (HTTP-POST binding), with its `RelayState`, `SigAlg`
//! and `Signature`, decoded far enough to place it in the flow (kind, ID, InResponseTo,
//! IssueInstant, Destination, AssertionConsumerServiceURL, Issuer). Nothing here is verified;
//! the full per-message analysis is the decode core's.

use time::OffsetDateTime;

use super::exchange::{Capture, Exchange, Pair};
use crate::saml::binding::{decode_message, DecodeError, Decoded};
use crate::saml::ns;
use crate::saml::time::parse_instant;
use crate::xml::{Document, Limits};

/// How the message traveled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Binding {
    /// In the URL's query (DEFLATE + base64), signature in `SigAlg` / `Signature`.
    Redirect,
    /// In a form post (base64), signature inside the XML.
    Post,
}

/// Which SAML protocol message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MessageKind {
    AuthnRequest,
    Response,
    LogoutRequest,
    LogoutResponse,
    /// Another root element (ArtifactResolve, a SAML 1.1 token...), by its local name.
    Other(String),
}

impl MessageKind {
    pub fn name(&self) -> &str {
        match self {
            MessageKind::AuthnRequest => "AuthnRequest",
            MessageKind::Response => "Response",
            MessageKind::LogoutRequest => "LogoutRequest",
            MessageKind::LogoutResponse => "LogoutResponse",
            MessageKind::Other(name) => name,
        }
    }

    /// Requests expect an answer whose InResponseTo is their ID.
    pub fn is_request(&self) -> bool {
        matches!(self, MessageKind::AuthnRequest | MessageKind::LogoutRequest)
    }

    /// The kind that answers this one.
    pub fn answer(&self) -> Option<MessageKind> {
        match self {
            MessageKind::AuthnRequest => Some(MessageKind::Response),
            MessageKind::LogoutRequest => Some(MessageKind::LogoutResponse),
            _ => None,
        }
    }
}

/// What the flow needs to know about a message, read without any verification.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub kind: MessageKind,
    pub id: Option<String>,
    pub in_response_to: Option<String>,
    pub issue_instant: Option<String>,
    pub destination: Option<String>,
    /// AuthnRequest: the AssertionConsumerServiceURL asked for.
    pub acs_url: Option<String>,
    /// AuthnRequest: the ProtocolBinding asked for.
    pub protocol_binding: Option<String>,
    pub issuer: Option<String>,
    /// Response / LogoutResponse: the top-level StatusCode.
    pub status: Option<String>,
}

impl Summary {
    /// Reads the root element of a decoded message.
    pub fn read(doc: &Document) -> Option<Summary> {
        let root = doc.root();
        let el = doc.element(root)?;
        let kind = if el.namespace() == Some(ns::PROTOCOL) {
            match el.local() {
                "AuthnRequest" => MessageKind::AuthnRequest,
                "Response" => MessageKind::Response,
                "LogoutRequest" => MessageKind::LogoutRequest,
                "LogoutResponse" => MessageKind::LogoutResponse,
                other => MessageKind::Other(other.to_string()),
            }
        } else {
            MessageKind::Other(el.local().to_string())
        };
        let attr = |name: &str| el.attr(name).map(str::to_string);
        let status = doc
            .child_named(root, ns::PROTOCOL, "Status")
            .and_then(|s| doc.child_named(s, ns::PROTOCOL, "StatusCode"))
            .and_then(|c| doc.element(c))
            .and_then(|c| c.attr("Value"))
            .map(str::to_string);
        Some(Summary {
            kind,
            id: attr("ID"),
            in_response_to: attr("InResponseTo"),
            issue_instant: attr("IssueInstant"),
            destination: attr("Destination"),
            acs_url: attr("AssertionConsumerServiceURL"),
            protocol_binding: attr("ProtocolBinding"),
            issuer: doc
                .child_named(root, ns::ASSERTION, "Issuer")
                .map(|n| doc.text(n).trim().to_string()),
            status,
        })
    }

    /// IssueInstant, parsed.
    pub fn issued(&self) -> Option<OffsetDateTime> {
        self.issue_instant.as_deref().and_then(parse_instant)
    }
}

/// One SAML message found in a capture.
#[derive(Debug, Clone)]
pub struct CapturedMessage {
    /// Position in `Capture::exchanges`.
    pub exchange: usize,
    /// The entry's index in the file.
    pub entry: usize,
    /// `SAMLRequest` or `SAMLResponse`.
    pub param: String,
    pub binding: Binding,
    /// The parameter's value as sent (still URL-encoded).
    pub value: String,
    /// RelayState, decoded.
    pub relay_state: Option<String>,
    /// SigAlg, decoded (Redirect binding).
    pub sig_alg: Option<String>,
    /// Signature as sent (Redirect binding).
    pub signature: Option<String>,
    /// The query as sent (Redirect binding: the signed bytes come from it).
    pub raw_query: Option<String>,
    /// The URL the message was sent to.
    pub url: String,
    /// The decoding layers peeled, or which one broke.
    pub decoded: Result<Decoded, DecodeError>,
    /// `None` when the decoded bytes are not a readable XML message.
    pub summary: Option<Summary>,
    /// Why the XML could not be read, when it could not.
    pub xml_error: Option<String>,
}

impl CapturedMessage {
    /// Kind, for display: the summary's, or the parameter's name when undecodable.
    pub fn kind_name(&self) -> &str {
        match &self.summary {
            Some(s) => s.kind.name(),
            None => &self.param,
        }
    }
}

/// The names of the SAML message parameters.
pub const MESSAGE_PARAMS: [&str; 2] = ["SAMLRequest", "SAMLResponse"];

/// Every SAML message of the capture, in exchange order (a query's message before a form's
/// when one request carries both).
pub fn extract(capture: &Capture) -> Vec<CapturedMessage> {
    let mut out = Vec::new();
    for (pos, e) in capture.exchanges.iter().enumerate() {
        for param in MESSAGE_PARAMS {
            if let Some(p) = e.query_param(param) {
                out.push(captured(pos, e, p, Binding::Redirect, &e.query));
            }
            if let Some(p) = e.form_param(param) {
                out.push(captured(pos, e, p, Binding::Post, &e.form));
            }
        }
    }
    out
}

fn captured(
    pos: usize,
    e: &Exchange,
    p: &Pair,
    binding: Binding,
    params: &[Pair],
) -> CapturedMessage {
    let find = |name: &str| params.iter().find(|q| q.name == name);
    let decoded = decode_message(p.value.as_bytes());
    let (summary, xml_error) = match &decoded {
        Ok(d) => match Document::parse_bytes(&d.xml, Limits::MESSAGE) {
            Ok(doc) => (Summary::read(&doc), None),
            Err(err) => (None, Some(err.to_string())),
        },
        Err(_) => (None, None),
    };
    CapturedMessage {
        exchange: pos,
        entry: e.index,
        param: p.name.clone(),
        binding,
        value: p.value.clone(),
        relay_state: find("RelayState").map(Pair::decoded),
        sig_alg: find("SigAlg").map(Pair::decoded),
        signature: find("Signature").map(|s| s.value.clone()),
        raw_query: (binding == Binding::Redirect).then(|| e.raw_query.clone()),
        url: e.url.clone(),
        decoded,
        summary,
        xml_error,
    }
}

impl From<&CapturedMessage> for crate::decode::RawMessage {
    /// The decode core's view of a captured message: the Signature percent-decoded ('+' kept:
    /// base64 uses it), the URL without its query; the raw query kept for the Redirect
    /// signature's signed bytes.
    fn from(m: &CapturedMessage) -> Self {
        crate::decode::RawMessage {
            binding: match m.binding {
                Binding::Redirect => crate::decode::Binding::Redirect,
                Binding::Post => crate::decode::Binding::Post,
            },
            param: crate::decode::Param::from_name(&m.param),
            value: m.value.clone(),
            relay_state: m.relay_state.clone(),
            sig_alg: m.sig_alg.clone(),
            signature: m.signature.as_deref().and_then(|s| {
                crate::saml::binding::percent_decode(s)
                    .ok()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
            }),
            raw_query: m.raw_query.clone(),
            url: Some(m.url.split(['?', '#']).next().unwrap_or(&m.url).to_string()),
        }
    }
}
