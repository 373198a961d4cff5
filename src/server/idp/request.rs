//! Reading an incoming AuthnRequest (HTTP-Redirect: base64 of DEFLATE in the query; HTTP-POST:
//! base64 in a form field): its ID (for InResponseTo), where to send the answer and who asks.

use crate::saml::binding::{decode_message, DecodeError};
use crate::saml::ns;
use crate::xml::{Document, Limits, XmlError};

/// What the IdP needs from an AuthnRequest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthnRequest {
    pub id: String,
    /// `AssertionConsumerServiceURL`, when the SP names it.
    pub acs: Option<String>,
    /// The SP entity ID (`saml:Issuer`).
    pub issuer: Option<String>,
    pub destination: Option<String>,
    pub protocol_binding: Option<String>,
}

/// Why a SAMLRequest cannot be answered.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("the SAMLRequest could not be decoded: {0}")]
    Decode(#[from] DecodeError),
    #[error("the SAMLRequest is not acceptable XML: {0}")]
    Xml(#[from] XmlError),
    #[error("the SAMLRequest is a {0}, not a samlp:AuthnRequest")]
    NotAnAuthnRequest(String),
    #[error("the AuthnRequest has no ID, so the response could not name it in InResponseTo")]
    MissingId,
    #[error("the AuthnRequest's AssertionConsumerServiceURL {0:?} is not an http(s) URL")]
    BadAcs(String),
}

impl AuthnRequest {
    /// Decodes a SAMLRequest value (base64, with or without DEFLATE; URL-encoded or not).
    pub fn decode(value: &[u8]) -> Result<AuthnRequest, RequestError> {
        let decoded = decode_message(value)?;
        AuthnRequest::from_xml(&decoded.xml)
    }

    /// Reads an AuthnRequest document.
    pub fn from_xml(xml: &[u8]) -> Result<AuthnRequest, RequestError> {
        let doc = Document::parse_bytes(xml, Limits::MESSAGE)?;
        let root = doc
            .element(doc.root())
            .ok_or_else(|| RequestError::NotAnAuthnRequest("document without element".into()))?;
        if !root.is(ns::PROTOCOL, "AuthnRequest") {
            return Err(RequestError::NotAnAuthnRequest(root.qname()));
        }
        let id = root
            .attr("ID")
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .ok_or(RequestError::MissingId)?
            .to_string();
        let acs = root.attr("AssertionConsumerServiceURL").map(str::to_string);
        if let Some(url) = &acs {
            if !is_http_url(url) {
                return Err(RequestError::BadAcs(url.clone()));
            }
        }
        let issuer = doc
            .child_named(doc.root(), ns::ASSERTION, "Issuer")
            .map(|n| doc.text(n).trim().to_string())
            .filter(|s| !s.is_empty());
        Ok(AuthnRequest {
            id,
            acs,
            issuer,
            destination: root.attr("Destination").map(str::to_string),
            protocol_binding: root.attr("ProtocolBinding").map(str::to_string),
        })
    }
}

/// An absolute http(s) URL: the only kind a browser form may be sent to from here (never
/// `javascript:` or `data:`).
pub fn is_http_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    !rest.is_empty() && !rest.starts_with('/') && !url.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use std::io::Write;

    const REQUEST: &str = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_abc" Version="2.0" IssueInstant="2026-01-15T10:00:00Z" Destination="http://127.0.0.1:8081/sso" AssertionConsumerServiceURL="http://127.0.0.1:8080/saml/acs/acme/" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"><saml:Issuer>http://127.0.0.1:8080/saml/metadata/acme/</saml:Issuer></samlp:AuthnRequest>"#;

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn reads_redirect_and_post_encodings() {
        let mut enc =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(REQUEST.as_bytes()).unwrap();
        let redirect = b64(&enc.finish().unwrap());
        for value in [redirect, b64(REQUEST.as_bytes())] {
            let r = AuthnRequest::decode(value.as_bytes()).unwrap();
            assert_eq!(r.id, "_abc");
            assert_eq!(
                r.acs.as_deref(),
                Some("http://127.0.0.1:8080/saml/acs/acme/")
            );
            assert_eq!(
                r.issuer.as_deref(),
                Some("http://127.0.0.1:8080/saml/metadata/acme/")
            );
        }
    }

    #[test]
    fn refuses_what_cannot_be_answered() {
        let err = |xml: &str| AuthnRequest::decode(b64(xml.as_bytes()).as_bytes()).unwrap_err();
        assert!(matches!(
            err("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>"),
            RequestError::NotAnAuthnRequest(_)
        ));
        assert!(matches!(
            err(&REQUEST.replace("ID=\"_abc\"", "")),
            RequestError::MissingId
        ));
        assert!(matches!(
            err(&REQUEST.replace(
                "http://127.0.0.1:8080/saml/acs/acme/",
                "javascript:alert(1)"
            )),
            RequestError::BadAcs(_)
        ));
        assert!(matches!(
            AuthnRequest::decode(b"%%%"),
            Err(RequestError::Decode(_))
        ));
        assert!(!is_http_url("http:///x"));
        assert!(is_http_url("HTTPS://sentry.io/saml/acs/acme/"));
    }
}
