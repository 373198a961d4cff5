//! The SP's side of SP-initiated login: an AuthnRequest, and how it travels to the IdP. The
//! HTTP-Redirect binding (DEFLATE, base64, URL query, optionally signed over the query string)
//! is preferred, as Sentry's SAML library does; the HTTP-POST binding (base64 in an
//! auto-submitting form, optionally with an enveloped XML signature) serves IdPs that offer
//! only POST.

use std::io::Write;

use base64::Engine;
use openssl::hash::MessageDigest;
use openssl::pkey::{Id, PKey, Private};
use openssl::sign::Signer;
use time::OffsetDateTime;

use super::metadata::RoleDescriptor;
use super::ns;
use crate::sp::metadata::{BINDING_POST, BINDING_REDIRECT};
use crate::sp::SpProfile;
use crate::xml::dsig::sign::SignError;
use crate::xml::dsig::{sign_element, SignOptions, SigningKey};
use crate::xml::escape::markup as escape;

/// The `SigAlg` of a signed Redirect-binding request.
pub const SIG_ALG_RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

/// The NameID format the request asks for: whatever the IdP application is set up to send.
pub const NAME_ID_POLICY: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";

/// How a message travels to the IdP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Binding {
    Redirect,
    Post,
}

impl Binding {
    pub fn uri(self) -> &'static str {
        match self {
            Binding::Redirect => BINDING_REDIRECT,
            Binding::Post => BINDING_POST,
        }
    }
}

/// Where the IdP takes AuthnRequests, and by which binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoEndpoint {
    pub binding: Binding,
    pub url: String,
}

/// The IdP's SSO endpoint to use: HTTP-Redirect when offered, else HTTP-POST, else `None`.
pub fn choose_sso(idp: &RoleDescriptor) -> Option<SsoEndpoint> {
    let find = |binding: Binding| {
        idp.endpoints_of("SingleSignOnService")
            .find(|e| e.binding.as_deref() == Some(binding.uri()))
            .and_then(|e| e.location.as_deref())
            .map(|url| SsoEndpoint {
                binding,
                url: url.trim().to_string(),
            })
    };
    find(Binding::Redirect).or_else(|| find(Binding::Post))
}

/// Why a request could not be built or signed.
#[derive(Debug, thiserror::Error)]
pub enum AuthnRequestError {
    #[error("cannot read the SP private key: {0}")]
    Key(String),
    #[error("the SP key is not an RSA key; signed requests use RSA-SHA256")]
    NotRsa,
    #[error("cannot sign the AuthnRequest: {0}")]
    Sign(#[from] SignError),
    #[error("openssl failed: {0}")]
    Crypto(#[from] openssl::error::ErrorStack),
    #[error("cannot compress the AuthnRequest: {0}")]
    Deflate(#[from] std::io::Error),
}

/// The SP's signing key: one RSA key, used raw for the Redirect binding's query signature and
/// through the XML-DSig signer for the POST binding.
pub struct RequestSigner {
    key: PKey<Private>,
    xml: SigningKey,
}

impl std::fmt::Debug for RequestSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.write_str("RequestSigner { .. }")
    }
}

impl RequestSigner {
    /// A PEM private key (RSA) and, optionally, its PEM certificate (put in KeyInfo).
    pub fn from_pem(
        key_pem: &[u8],
        cert_pem: Option<&[u8]>,
    ) -> Result<RequestSigner, AuthnRequestError> {
        let key = PKey::private_key_from_pem(key_pem)
            .map_err(|e| AuthnRequestError::Key(e.to_string()))?;
        if key.id() != Id::RSA {
            return Err(AuthnRequestError::NotRsa);
        }
        let xml = SigningKey::from_pem(key_pem, cert_pem)?;
        Ok(RequestSigner { key, xml })
    }

    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, AuthnRequestError> {
        let mut signer = Signer::new(MessageDigest::sha256(), &self.key)?;
        signer.update(data)?;
        Ok(signer.sign_to_vec()?)
    }
}

/// A new AuthnRequest from the SP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthnRequest {
    /// Random, so the response's InResponseTo can be matched to it.
    pub id: String,
    pub issue_instant: OffsetDateTime,
    /// The IdP's SSO URL.
    pub destination: String,
    /// The SP entity ID.
    pub issuer: String,
    /// Where the IdP must post the response.
    pub acs: String,
}

/// A fresh request ID: `_` and 32 hex digits (an NCName, as xs:ID requires).
pub fn new_request_id() -> Result<String, AuthnRequestError> {
    let mut bytes = [0u8; 16];
    openssl::rand::rand_bytes(&mut bytes)?;
    let mut id = String::with_capacity(33);
    id.push('_');
    for b in bytes {
        id.push_str(&format!("{b:02x}"));
    }
    Ok(id)
}

impl AuthnRequest {
    /// A request from `sp` to the IdP's SSO URL `destination`, issued at `now`.
    pub fn new(
        sp: &SpProfile,
        destination: &str,
        now: OffsetDateTime,
    ) -> Result<AuthnRequest, AuthnRequestError> {
        Ok(AuthnRequest {
            id: new_request_id()?,
            issue_instant: now,
            destination: destination.to_string(),
            issuer: sp.entity_id.clone(),
            acs: sp.acs.clone(),
        })
    }

    /// The request as XML text (no declaration), every value escaped.
    pub fn to_xml(&self) -> String {
        // Whole seconds: some IdPs refuse fractional instants.
        let instant = self
            .issue_instant
            .replace_nanosecond(0)
            .unwrap_or(self.issue_instant);
        format!(
            "<samlp:AuthnRequest xmlns:samlp=\"{}\" xmlns:saml=\"{}\" ID=\"{}\" Version=\"2.0\" IssueInstant=\"{}\" Destination=\"{}\" AssertionConsumerServiceURL=\"{}\" ProtocolBinding=\"{BINDING_POST}\"><saml:Issuer>{}</saml:Issuer><samlp:NameIDPolicy Format=\"{NAME_ID_POLICY}\" AllowCreate=\"true\"/></samlp:AuthnRequest>",
            ns::PROTOCOL,
            ns::ASSERTION,
            escape(&self.id),
            crate::saml::time::format_instant(instant),
            escape(&self.destination),
            escape(&self.acs),
            escape(&self.issuer),
        )
    }

    /// The request encoded for `binding`; signed when `signer` is given.
    pub fn encode(
        &self,
        binding: Binding,
        relay_state: Option<&str>,
        signer: Option<&RequestSigner>,
    ) -> Result<Outgoing, AuthnRequestError> {
        match binding {
            Binding::Redirect => Ok(Outgoing::Redirect(redirect_url(
                &self.to_xml(),
                &self.destination,
                relay_state,
                signer,
            )?)),
            Binding::Post => {
                let mut xml = self.to_xml();
                if let Some(signer) = signer {
                    xml = sign_element(&xml, &self.id, &signer.xml, &SignOptions::default())?;
                }
                let mut fields = vec![(
                    "SAMLRequest",
                    base64::engine::general_purpose::STANDARD.encode(xml.as_bytes()),
                )];
                if let Some(rs) = relay_state {
                    fields.push(("RelayState", rs.to_string()));
                }
                Ok(Outgoing::Post {
                    action: self.destination.clone(),
                    fields,
                })
            }
        }
    }
}

/// How the browser is sent to the IdP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// A URL to redirect to (HTTP-Redirect binding).
    Redirect(String),
    /// A form to post (HTTP-POST binding): the IdP's URL and the fields, unencoded.
    Post {
        action: String,
        fields: Vec<(&'static str, String)>,
    },
}

/// The HTTP-Redirect URL for a message: `SAMLRequest` (DEFLATE, base64, URL-encoded), then
/// `RelayState`, then, when signed, `SigAlg` and `Signature` over exactly those query bytes
/// (saml-bindings 3.4.4.1).
pub fn redirect_url(
    xml: &str,
    destination: &str,
    relay_state: Option<&str>,
    signer: Option<&RequestSigner>,
) -> Result<String, AuthnRequestError> {
    let mut deflater =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    deflater.write_all(xml.as_bytes())?;
    let deflated = deflater.finish()?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut query = format!("SAMLRequest={}", percent_encode(&b64.encode(deflated)));
    if let Some(rs) = relay_state {
        query.push_str(&format!("&RelayState={}", percent_encode(rs)));
    }
    if let Some(signer) = signer {
        query.push_str(&format!("&SigAlg={}", percent_encode(SIG_ALG_RSA_SHA256)));
        let signature = signer.sign(query.as_bytes())?;
        query.push_str(&format!(
            "&Signature={}",
            percent_encode(&b64.encode(signature))
        ));
    }
    // The IdP URL may carry its own query (Google's `?idpid=`).
    let joiner = if destination.contains('?') { '&' } else { '?' };
    Ok(format!("{destination}{joiner}{query}"))
}

/// Percent-encoding of everything but RFC 3986's unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saml::binding::{decode_message, percent_decode, Layer};
    use crate::xml::{Document, Limits};

    fn request() -> AuthnRequest {
        let sp = SpProfile::for_org("https://sentry.io", "acme");
        let now = crate::saml::time::parse_instant("2026-01-15T10:01:00.5Z").unwrap();
        AuthnRequest::new(&sp, "https://idp.example/sso?idpid=C0&x=1", now).unwrap()
    }

    fn query_param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
        url.split_once('?')?
            .1
            .split('&')
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
    }

    #[test]
    fn ids_are_fresh_ncnames() {
        let a = new_request_id().unwrap();
        assert_eq!(a.len(), 33);
        assert!(a.starts_with('_'));
        assert_ne!(a, new_request_id().unwrap());
    }

    #[test]
    fn redirect_url_decodes_back_to_the_request() {
        let req = request();
        let Outgoing::Redirect(url) = req
            .encode(Binding::Redirect, Some("/after login?a=b"), None)
            .unwrap()
        else {
            panic!("not a redirect")
        };
        assert!(url.starts_with("https://idp.example/sso?idpid=C0&x=1&SAMLRequest="));
        let value = query_param(&url, "SAMLRequest").unwrap();
        let decoded = decode_message(value.as_bytes()).unwrap();
        assert_eq!(
            decoded.layers,
            vec![Layer::UrlDecoding, Layer::Base64, Layer::Deflate]
        );
        let doc = Document::parse_bytes(&decoded.xml, Limits::MESSAGE).unwrap();
        let root = doc.element(doc.root()).unwrap();
        assert!(root.is(ns::PROTOCOL, "AuthnRequest"));
        assert_eq!(root.attr("ID"), Some(req.id.as_str()));
        assert_eq!(root.attr("IssueInstant"), Some("2026-01-15T10:01:00Z"));
        assert_eq!(
            root.attr("AssertionConsumerServiceURL"),
            Some("https://sentry.io/saml/acs/acme/")
        );
        assert_eq!(
            root.attr("Destination"),
            Some("https://idp.example/sso?idpid=C0&x=1")
        );
        let issuer = doc
            .child_named(doc.root(), ns::ASSERTION, "Issuer")
            .unwrap();
        assert_eq!(doc.text(issuer), "https://sentry.io/saml/metadata/acme/");
        let rs = percent_decode(query_param(&url, "RelayState").unwrap()).unwrap();
        assert_eq!(rs, b"/after login?a=b");
        assert!(query_param(&url, "Signature").is_none());
    }

    #[test]
    fn signed_redirect_verifies_over_the_query() {
        let root = env!("CARGO_MANIFEST_DIR");
        let key = std::fs::read(format!("{root}/fixtures/keys/idp-rsa.key")).unwrap();
        let cert = std::fs::read(format!("{root}/fixtures/keys/idp-rsa.crt")).unwrap();
        let signer = RequestSigner::from_pem(&key, Some(&cert)).unwrap();
        let Outgoing::Redirect(url) = request()
            .encode(Binding::Redirect, Some("rs"), Some(&signer))
            .unwrap()
        else {
            panic!("not a redirect")
        };
        let query = url.split_once("SAMLRequest=").unwrap().1;
        let (signed, signature) = query.split_once("&Signature=").unwrap();
        let signed = format!("SAMLRequest={signed}");
        assert!(signed.ends_with(&format!("&SigAlg={}", percent_encode(SIG_ALG_RSA_SHA256))));
        let signature = base64::engine::general_purpose::STANDARD
            .decode(percent_decode(signature).unwrap())
            .unwrap();
        let public = openssl::x509::X509::from_pem(&cert)
            .unwrap()
            .public_key()
            .unwrap();
        let mut verifier = openssl::sign::Verifier::new(MessageDigest::sha256(), &public).unwrap();
        verifier.update(signed.as_bytes()).unwrap();
        assert!(verifier.verify(&signature).unwrap());
    }

    #[test]
    fn post_binding_is_base64_and_signed_inside() {
        let root = env!("CARGO_MANIFEST_DIR");
        let key = std::fs::read(format!("{root}/fixtures/keys/idp-rsa.key")).unwrap();
        let signer = RequestSigner::from_pem(&key, None).unwrap();
        let req = request();
        let Outgoing::Post { action, fields } = req
            .encode(Binding::Post, Some("rs"), Some(&signer))
            .unwrap()
        else {
            panic!("not a form")
        };
        assert_eq!(action, req.destination);
        assert_eq!(fields[1], ("RelayState", "rs".to_string()));
        let xml = base64::engine::general_purpose::STANDARD
            .decode(&fields[0].1)
            .unwrap();
        let doc = Document::parse_bytes(&xml, Limits::MESSAGE).unwrap();
        let issuer = doc.child_elements(doc.root()).next().unwrap();
        let signature = doc.child_elements(doc.root()).nth(1).unwrap();
        assert_eq!(doc.element(issuer).unwrap().local(), "Issuer");
        assert_eq!(doc.element(signature).unwrap().local(), "Signature");
    }

    #[test]
    fn ec_keys_are_refused() {
        let root = env!("CARGO_MANIFEST_DIR");
        let key = std::fs::read(format!("{root}/fixtures/keys/idp-ec.key")).unwrap();
        assert!(matches!(
            RequestSigner::from_pem(&key, None),
            Err(AuthnRequestError::NotRsa)
        ));
        assert!(matches!(
            RequestSigner::from_pem(b"not a key", None),
            Err(AuthnRequestError::Key(_))
        ));
    }

    #[test]
    fn percent_encoding_keeps_only_unreserved() {
        assert_eq!(percent_encode("a+b/c=d e~"), "a%2Bb%2Fc%3Dd%20e~");
    }
}
