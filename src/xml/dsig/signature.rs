//! Reading a `ds:Signature` element into its parts, refusing anything off the allowlist.

use super::algorithm::{describe_refused, DigestAlgorithm, SignatureAlgorithm, ENVELOPED};
use super::failure::{AlgorithmRole, SignatureFailure};
use super::keys::decode_cert_base64;
use super::DSIG_NS;
use crate::xml::c14n::Method;
use crate::xml::tree::{Document, NodeId};
use base64::Engine;

/// The namespace of `ec:InclusiveNamespaces`.
pub const EXC_C14N_NS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";

/// The single Reference of a SAML signature.
#[derive(Debug, Clone)]
pub struct Reference {
    /// The ID named by `URI="#ID"`.
    pub id: String,
    pub enveloped: bool,
    /// The canonicalization transform, if one was listed.
    pub c14n: Option<Method>,
    pub digest: DigestAlgorithm,
    pub digest_value: Vec<u8>,
    pub node: NodeId,
}

/// A parsed, allowlisted `ds:Signature`.
#[derive(Debug, Clone)]
pub struct ParsedSignature {
    pub signed_info: NodeId,
    pub c14n: Method,
    pub algorithm: SignatureAlgorithm,
    pub reference: Reference,
    /// The raw SignatureValue bytes (for ECDSA, r || s as XML-DSig writes it).
    pub value: Vec<u8>,
    /// The base64 text of `KeyInfo/X509Data/X509Certificate`, in order (evidence only; decoded
    /// on demand by [`ParsedSignature::embedded_certs`], since a verification that succeeds
    /// with the only trusted key never needs it).
    pub embedded_cert_texts: Vec<String>,
}

fn malformed(what: impl Into<String>) -> SignatureFailure {
    SignatureFailure::Malformed(what.into())
}

fn disallowed(role: AlgorithmRole, uri: &str) -> SignatureFailure {
    SignatureFailure::DisallowedAlgorithm {
        role,
        uri: uri.to_string(),
        why: describe_refused(uri),
    }
}

fn only_child(doc: &Document, parent: NodeId, local: &str) -> Result<NodeId, SignatureFailure> {
    let mut found = doc.children_named(parent, DSIG_NS, local);
    let first = found
        .next()
        .ok_or_else(|| malformed(format!("ds:{local} is missing")))?;
    if found.next().is_some() {
        return Err(malformed(format!("ds:{local} appears more than once")));
    }
    Ok(first)
}

fn algorithm_of(doc: &Document, node: NodeId) -> Result<&str, SignatureFailure> {
    doc.element(node)
        .and_then(|e| e.attr("Algorithm"))
        .ok_or_else(|| malformed(format!("{} has no Algorithm", doc.path(node))))
}

/// The c14n method named by `node`'s Algorithm, with any InclusiveNamespaces child applied.
fn c14n_of(
    doc: &Document,
    node: NodeId,
    uri: &str,
    role: AlgorithmRole,
) -> Result<Method, SignatureFailure> {
    let method = Method::from_uri(uri).ok_or_else(|| disallowed(role, uri))?;
    Ok(
        match doc.child_named(node, EXC_C14N_NS, "InclusiveNamespaces") {
            Some(inc) => method.with_prefix_list(
                doc.element(inc)
                    .and_then(|e| e.attr("PrefixList"))
                    .unwrap_or(""),
            ),
            None => method,
        },
    )
}

fn decode_base64(text: &str, what: &str) -> Result<Vec<u8>, SignatureFailure> {
    let compact: Vec<u8> = if text.bytes().any(|b| b.is_ascii_whitespace()) {
        text.bytes().filter(|b| !b.is_ascii_whitespace()).collect()
    } else {
        text.as_bytes().to_vec()
    };
    base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .map_err(|e| malformed(format!("{what} is not valid base64 ({e})")))
}

/// Reads and checks the structure of the Signature at `sig`.
pub fn parse_signature(doc: &Document, sig: NodeId) -> Result<ParsedSignature, SignatureFailure> {
    let signed_info = only_child(doc, sig, "SignedInfo")?;
    if doc.child_elements(sig).next() != Some(signed_info) {
        return Err(malformed(
            "ds:SignedInfo must be the first child of ds:Signature",
        ));
    }

    let c14n_node = only_child(doc, signed_info, "CanonicalizationMethod")?;
    let c14n_uri = algorithm_of(doc, c14n_node)?;
    let c14n = c14n_of(
        doc,
        c14n_node,
        c14n_uri,
        AlgorithmRole::CanonicalizationMethod,
    )?;

    let method_node = only_child(doc, signed_info, "SignatureMethod")?;
    let method_uri = algorithm_of(doc, method_node)?;
    let algorithm = SignatureAlgorithm::from_uri(method_uri)
        .ok_or_else(|| disallowed(AlgorithmRole::SignatureMethod, method_uri))?;

    let references: Vec<NodeId> = doc
        .children_named(signed_info, DSIG_NS, "Reference")
        .collect();
    if references.len() != 1 {
        return Err(SignatureFailure::ReferenceCount(references.len()));
    }
    let reference = parse_reference(doc, references[0])?;

    let value_node = only_child(doc, sig, "SignatureValue")?;
    let value = decode_base64(&doc.text(value_node), "ds:SignatureValue")?;

    let mut embedded_cert_texts = Vec::new();
    if let Some(key_info) = doc.child_named(sig, DSIG_NS, "KeyInfo") {
        for data in doc.children_named(key_info, DSIG_NS, "X509Data") {
            for cert in doc.children_named(data, DSIG_NS, "X509Certificate") {
                embedded_cert_texts.push(doc.text(cert));
            }
        }
    }

    Ok(ParsedSignature {
        signed_info,
        c14n,
        algorithm,
        reference,
        value,
        embedded_cert_texts,
    })
}

impl ParsedSignature {
    /// The KeyInfo certificates that decode, as DER, in order.
    pub fn embedded_certs(&self) -> Vec<Vec<u8>> {
        self.embedded_cert_texts
            .iter()
            .filter_map(|t| decode_cert_base64(t).ok())
            .collect()
    }
}

fn parse_reference(doc: &Document, node: NodeId) -> Result<Reference, SignatureFailure> {
    let mut enveloped = false;
    let mut c14n = None;
    if let Some(transforms) = doc.child_named(node, DSIG_NS, "Transforms") {
        for t in doc.children_named(transforms, DSIG_NS, "Transform") {
            let uri = algorithm_of(doc, t)?;
            if uri == ENVELOPED {
                if enveloped {
                    return Err(malformed(
                        "the enveloped-signature transform is listed twice",
                    ));
                }
                enveloped = true;
            } else {
                let method = c14n_of(doc, t, uri, AlgorithmRole::Transform)?;
                if c14n.is_some() {
                    return Err(malformed(
                        "more than one canonicalization transform is listed",
                    ));
                }
                c14n = Some(method);
            }
        }
    }
    let digest_node = only_child(doc, node, "DigestMethod")?;
    let digest_uri = algorithm_of(doc, digest_node)?;
    let digest = DigestAlgorithm::from_uri(digest_uri)
        .ok_or_else(|| disallowed(AlgorithmRole::DigestMethod, digest_uri))?;
    let digest_value = decode_base64(
        &doc.text(only_child(doc, node, "DigestValue")?),
        "ds:DigestValue",
    )?;

    let uri = doc.element(node).and_then(|e| e.attr("URI"));
    let id = match uri {
        Some(u) if u.len() > 1 && u.starts_with('#') && !u[1..].contains(['#', '(', ' ']) => {
            u[1..].to_string()
        }
        Some(u) => return Err(SignatureFailure::BadReferenceUri(u.to_string())),
        None => return Err(SignatureFailure::BadReferenceUri(String::new())),
    };
    Ok(Reference {
        id,
        enveloped,
        c14n,
        digest,
        digest_value,
        node,
    })
}
