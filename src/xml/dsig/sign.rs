//! Signing: the verifier's machinery run backwards, for the mock IdP and the fixtures.

use base64::Engine;
use openssl::ecdsa::EcdsaSig;
use openssl::pkey::{Id, PKey, Private};
use openssl::sign::Signer;
use openssl::x509::X509;

use super::algorithm::{DigestAlgorithm, Hash, KeyKind, SignatureAlgorithm, ENVELOPED};
use super::verify::{elements_with_id, DigestSink};
use super::DSIG_NS;
use crate::xml::c14n::{self, Method};
use crate::xml::tree::{Document, NodeId};
use crate::xml::{Limits, XmlError};

/// A private key, with the certificate to put in KeyInfo.
pub struct SigningKey {
    key: PKey<Private>,
    cert_der: Option<Vec<u8>>,
}

/// Why signing failed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("cannot read the private key: {0}")]
    Key(String),
    #[error("cannot read the certificate: {0}")]
    Certificate(String),
    #[error("the document is not acceptable XML: {0}")]
    Xml(#[from] XmlError),
    #[error("no single element has ID {0:?}")]
    NoSuchId(String),
    #[error("the key cannot make this signature: {0}")]
    KeyMismatch(String),
    #[error("openssl failed: {0}")]
    Crypto(#[from] openssl::error::ErrorStack),
}

impl SigningKey {
    /// A PEM private key and an optional PEM certificate.
    pub fn from_pem(key_pem: &[u8], cert_pem: Option<&[u8]>) -> Result<SigningKey, SignError> {
        let key = PKey::private_key_from_pem(key_pem).map_err(|e| SignError::Key(e.to_string()))?;
        let cert_der = match cert_pem {
            Some(pem) => Some(
                X509::from_pem(pem)
                    .and_then(|c| c.to_der())
                    .map_err(|e| SignError::Certificate(e.to_string()))?,
            ),
            None => None,
        };
        Ok(SigningKey { key, cert_der })
    }

    pub fn key_kind(&self) -> Option<KeyKind> {
        match self.key.id() {
            Id::RSA => Some(KeyKind::Rsa),
            Id::EC => Some(KeyKind::Ecdsa),
            _ => None,
        }
    }
}

/// How to sign.
#[derive(Debug, Clone)]
pub struct SignOptions {
    pub algorithm: SignatureAlgorithm,
    pub digest: Hash,
    /// For SignedInfo and the Reference transform.
    pub c14n: Method,
    pub include_certificate: bool,
}

impl Default for SignOptions {
    fn default() -> Self {
        SignOptions {
            algorithm: SignatureAlgorithm::RSA_SHA256,
            digest: Hash::Sha256,
            c14n: Method::Exclusive {
                comments: false,
                prefixes: Vec::new(),
            },
            include_certificate: true,
        }
    }
}

/// Where the Signature goes: after a leading `Issuer` child (as SAML's schema orders it), else first.
fn insertion_offset(doc: &Document, element: NodeId) -> usize {
    let first = doc.child_elements(element).next();
    if let Some(first) = first {
        if doc.element(first).is_some_and(|e| e.local() == "Issuer") {
            return doc.node(first).end;
        }
    }
    let start = doc.node(element).offset;
    let source = doc.source();
    // Just past the start tag; attribute values cannot hold a raw '>'-free quote mismatch here
    // because the document parsed.
    let mut quote = None;
    for (i, c) in source[start..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return start + i + 1,
            _ => {}
        }
    }
    source.len()
}

fn raw_ecdsa(der: &[u8], key: &PKey<Private>) -> Result<Vec<u8>, SignError> {
    let sig = EcdsaSig::from_der(der)?;
    let bits = key.ec_key()?.group().degree() as i32;
    let len = (bits + 7) / 8;
    let mut out = sig.r().to_vec_padded(len)?;
    out.extend(sig.s().to_vec_padded(len)?);
    Ok(out)
}

/// Signs the element with `ID="id"` in `xml` with an enveloped signature and returns the new
/// document text. Everything else in the text is kept byte for byte.
pub fn sign_element(
    xml: &str,
    id: &str,
    key: &SigningKey,
    options: &SignOptions,
) -> Result<String, SignError> {
    if key.key_kind() != Some(options.algorithm.key) {
        return Err(SignError::KeyMismatch(options.algorithm.name()));
    }
    let limits = Limits::METADATA;
    let doc = Document::parse(xml, limits)?;
    let target = match elements_with_id(&doc, id).as_slice() {
        [one] => *one,
        _ => return Err(SignError::NoSuchId(id.to_string())),
    };
    let mut sink = DigestSink::new(options.digest);
    let reference_c14n = match &options.c14n {
        Method::Inclusive { .. } => Method::Inclusive { comments: false },
        Method::Exclusive { prefixes, .. } => Method::Exclusive {
            comments: false,
            prefixes: prefixes.clone(),
        },
    };
    c14n::canonicalize_subtree(&doc, target, None, &reference_c14n, &mut sink);
    let digest = sink
        .finish()
        .ok_or(SignError::Crypto(openssl::error::ErrorStack::get()))?;
    let b64 = base64::engine::general_purpose::STANDARD;

    let prefix_list = match &options.c14n {
        Method::Exclusive { prefixes, .. } if !prefixes.is_empty() => {
            let list: Vec<&str> = prefixes
                .iter()
                .map(|p| p.as_deref().unwrap_or("#default"))
                .collect();
            format!(
                "<ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/2001/10/xml-exc-c14n#\" PrefixList=\"{}\"/>",
                list.join(" ")
            )
        }
        _ => String::new(),
    };
    let c14n_uri = options.c14n.uri();
    let transform_uri = reference_c14n.uri();
    let key_info = match (&key.cert_der, options.include_certificate) {
        (Some(der), true) => format!(
            "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>",
            b64.encode(der)
        ),
        _ => String::new(),
    };
    let signature = format!(
        "<ds:Signature xmlns:ds=\"{DSIG_NS}\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"{c14n_uri}\">{prefix_list}</ds:CanonicalizationMethod><ds:SignatureMethod Algorithm=\"{}\"/><ds:Reference URI=\"#{id}\"><ds:Transforms><ds:Transform Algorithm=\"{ENVELOPED}\"/><ds:Transform Algorithm=\"{transform_uri}\">{prefix_list}</ds:Transform></ds:Transforms><ds:DigestMethod Algorithm=\"{}\"/><ds:DigestValue>{}</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue>{key_info}</ds:Signature>",
        options.algorithm.uri(),
        DigestAlgorithm(options.digest).uri(),
        b64.encode(&digest),
    );
    let at = insertion_offset(&doc, target);
    let mut out = String::with_capacity(xml.len() + signature.len() + 512);
    out.push_str(&xml[..at]);
    out.push_str(&signature);
    out.push_str(&xml[at..]);

    // Canonicalize SignedInfo in its final context, then fill in the value.
    let placed = Document::parse(&out, limits)?;
    let sig_node = placed
        .elements()
        .find(|&n| placed.node(n).offset == at)
        .ok_or_else(|| SignError::NoSuchId(id.to_string()))?;
    let signed_info = placed
        .child_named(sig_node, DSIG_NS, "SignedInfo")
        .ok_or_else(|| SignError::NoSuchId(id.to_string()))?;
    let mut canonical = Vec::new();
    c14n::canonicalize_subtree(&placed, signed_info, None, &options.c14n, &mut canonical);
    let mut signer = Signer::new(options.algorithm.hash.message_digest(), &key.key)?;
    signer.update(&canonical)?;
    let mut value = signer.sign_to_vec()?;
    if options.algorithm.key == KeyKind::Ecdsa {
        value = raw_ecdsa(&value, &key.key)?;
    }
    let slot = at + signature.find("</ds:SignatureValue>").unwrap_or(0);
    out.insert_str(slot, &b64.encode(&value));
    Ok(out)
}
