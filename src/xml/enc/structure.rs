//! Reading an `saml:EncryptedAssertion`: the EncryptedData, its algorithm and ciphertext, and
//! the EncryptedKeys that may carry its AES key. Only elements inside the EncryptedAssertion
//! are read, so a signature covering it covers every byte decryption depends on.

use super::algorithm::{
    mgf_from_uri, ContentAlgorithm, KeyTransport, RSA_1_5, RSA_OAEP, RSA_OAEP_MGF1P,
};
use super::base64;
use super::error::DecryptError;
use super::{TYPE_ELEMENT, TYPE_ENCRYPTED_KEY, XENC11_NS, XENC_NS};
use crate::xml::dsig::algorithm::DigestAlgorithm;
use crate::xml::dsig::keys::decode_cert_base64;
use crate::xml::dsig::verify::elements_with_id;
use crate::xml::dsig::{Hash, DSIG_NS};
use crate::xml::{Document, NodeId, NodeKind};

/// More EncryptedKeys than any multi-recipient message carries; bounds the work per message.
const MAX_KEYS: usize = 8;

/// An EncryptedAssertion, read.
#[derive(Debug, Clone)]
pub struct EncryptedParts {
    /// The `saml:EncryptedAssertion`.
    pub container: NodeId,
    /// Its `xenc:EncryptedData`.
    pub data: NodeId,
    pub content: ContentAlgorithm,
    /// The base64 text of the CipherValue, decoded only when decrypting (a bad one is a
    /// decryption failure like any other).
    pub cipher_text: String,
    /// Where the AES key may be, in the order to try.
    pub keys: Vec<KeyCandidate>,
}

/// One `xenc:EncryptedKey` that may hold the content key.
#[derive(Debug, Clone)]
pub struct KeyCandidate {
    pub node: NodeId,
    pub transport: KeyTransport,
    /// OAEPparams (the OAEP label), usually empty.
    pub label: Vec<u8>,
    pub cipher_text: String,
    /// The certificate the IdP says it encrypted for (KeyInfo/X509Data), as evidence only.
    pub certificate: Option<Vec<u8>>,
    pub recipient: Option<String>,
    /// "in the EncryptedData's KeyInfo" or "beside the EncryptedData".
    pub placement: &'static str,
}

fn malformed(what: impl Into<String>) -> DecryptError {
    DecryptError::Malformed(what.into())
}

fn unsupported(role: &'static str, uri: &str) -> DecryptError {
    DecryptError::Unsupported {
        role,
        uri: uri.to_string(),
    }
}

fn is_xenc(doc: &Document, node: NodeId, local: &str) -> bool {
    doc.element(node).is_some_and(|e| e.is(XENC_NS, local))
}

fn one_child(
    doc: &Document,
    parent: NodeId,
    ns: &str,
    local: &str,
) -> Result<NodeId, DecryptError> {
    let mut found = doc.children_named(parent, ns, local);
    let first = found
        .next()
        .ok_or_else(|| malformed(format!("{} has no {local}", doc.path(parent))))?;
    if found.next().is_some() {
        return Err(malformed(format!(
            "{} has more than one {local}",
            doc.path(parent)
        )));
    }
    Ok(first)
}

fn algorithm(doc: &Document, method: NodeId) -> Result<&str, DecryptError> {
    doc.element(method)
        .and_then(|e| e.attr("Algorithm"))
        .ok_or_else(|| malformed(format!("{} has no Algorithm", doc.path(method))))
}

/// The base64 text of `parent/CipherData/CipherValue`.
fn cipher_value(doc: &Document, parent: NodeId) -> Result<String, DecryptError> {
    let data = one_child(doc, parent, XENC_NS, "CipherData")?;
    if let Some(reference) = doc.child_named(data, XENC_NS, "CipherReference") {
        let uri = doc
            .element(reference)
            .and_then(|e| e.attr("URI"))
            .unwrap_or_default();
        // Following it would mean fetching or resolving data outside the message.
        return Err(unsupported(
            "CipherReference (ciphertext stored elsewhere)",
            uri,
        ));
    }
    let value = one_child(doc, data, XENC_NS, "CipherValue")?;
    Ok(doc.text(value))
}

/// Reads the EncryptedAssertion at `container`.
pub fn read(doc: &Document, container: NodeId) -> Result<EncryptedParts, DecryptError> {
    let mut data = None;
    let mut siblings = Vec::new();
    for &child in doc.children(container) {
        match doc.kind(child) {
            NodeKind::Element(e) if e.is(XENC_NS, "EncryptedData") && data.is_some() => {
                return Err(malformed(
                    "the EncryptedAssertion holds more than one EncryptedData",
                ))
            }
            NodeKind::Element(e) if e.is(XENC_NS, "EncryptedData") => data = Some(child),
            NodeKind::Element(e) if e.is(XENC_NS, "EncryptedKey") => siblings.push(child),
            NodeKind::Element(e) => {
                return Err(malformed(format!(
                    "the EncryptedAssertion holds a {}; only xenc:EncryptedData and xenc:EncryptedKey belong there",
                    e.qname()
                )))
            }
            NodeKind::Text(t) if !t.trim().is_empty() => {
                return Err(malformed("the EncryptedAssertion holds text"))
            }
            _ => {}
        }
    }
    let data =
        data.ok_or_else(|| malformed("the EncryptedAssertion holds no xenc:EncryptedData"))?;
    let element = doc
        .element(data)
        .ok_or_else(|| malformed("no EncryptedData"))?;
    if let Some(kind) = element.attr("Type") {
        if kind != TYPE_ELEMENT {
            return Err(unsupported("EncryptedData Type", kind));
        }
    }
    let method = one_child(doc, data, XENC_NS, "EncryptionMethod")?;
    let uri = algorithm(doc, method)?;
    let content = ContentAlgorithm::from_uri(uri)
        .ok_or_else(|| unsupported("content encryption algorithm", uri))?;
    let cipher_text = cipher_value(doc, data)?;

    let mut nodes: Vec<(NodeId, &'static str)> = Vec::new();
    if let Some(key_info) = doc.child_named(data, DSIG_NS, "KeyInfo") {
        for child in doc.child_elements(key_info) {
            if is_xenc(doc, child, "EncryptedKey") {
                nodes.push((child, "in the EncryptedData's KeyInfo"));
            } else if doc
                .element(child)
                .is_some_and(|e| e.is(DSIG_NS, "RetrievalMethod"))
            {
                nodes.push((retrieve(doc, container, child)?, "beside the EncryptedData"));
            }
        }
    }
    let data_id = element.attr("Id");
    for &key in &siblings {
        if refers_to(doc, key, data_id) {
            nodes.push((key, "beside the EncryptedData"));
        }
    }
    let mut seen = Vec::new();
    nodes.retain(|(n, _)| {
        let fresh = !seen.contains(n);
        seen.push(*n);
        fresh
    });
    if nodes.is_empty() {
        return Err(malformed(
            "no xenc:EncryptedKey carries the AES key: the IdP must put one inside the EncryptedData's KeyInfo or beside it",
        ));
    }
    let mut keys = Vec::new();
    let mut first_error = None;
    for (node, placement) in nodes.into_iter().take(MAX_KEYS) {
        match read_key(doc, node, placement) {
            Ok(k) => keys.push(k),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if keys.is_empty() {
        return Err(first_error.unwrap_or_else(|| malformed("no usable EncryptedKey")));
    }
    Ok(EncryptedParts {
        container,
        data,
        content,
        cipher_text,
        keys,
    })
}

/// The EncryptedKey a `ds:RetrievalMethod` names: `URI="#id"` of one element inside the
/// EncryptedAssertion, never anything outside it or outside the message.
fn retrieve(doc: &Document, container: NodeId, method: NodeId) -> Result<NodeId, DecryptError> {
    let e = doc
        .element(method)
        .ok_or_else(|| malformed("bad RetrievalMethod"))?;
    if let Some(kind) = e.attr("Type") {
        if kind != TYPE_ENCRYPTED_KEY {
            return Err(unsupported("RetrievalMethod Type", kind));
        }
    }
    let uri = e.attr("URI").unwrap_or_default();
    let Some(id) = uri.strip_prefix('#').filter(|id| !id.is_empty()) else {
        return Err(unsupported(
            "RetrievalMethod URI (only #id in the message)",
            uri,
        ));
    };
    match elements_with_id(doc, id).as_slice() {
        [one] if is_xenc(doc, *one, "EncryptedKey") && doc.is_ancestor_or_self(container, *one) => {
            Ok(*one)
        }
        [one] if is_xenc(doc, *one, "EncryptedKey") => Err(malformed(format!(
            "the RetrievalMethod names EncryptedKey {id:?} outside the EncryptedAssertion"
        ))),
        [_] => Err(malformed(format!(
            "the RetrievalMethod names {id:?}, which is not an EncryptedKey"
        ))),
        [] => Err(malformed(format!(
            "the RetrievalMethod names {id:?}, which no element carries"
        ))),
        many => Err(malformed(format!(
            "the RetrievalMethod names {id:?}, which {} elements carry; IDs must be unique",
            many.len()
        ))),
    }
}

/// Whether a sibling EncryptedKey is for this EncryptedData: it says so in its ReferenceList,
/// or it has no ReferenceList at all.
fn refers_to(doc: &Document, key: NodeId, data_id: Option<&str>) -> bool {
    let Some(list) = doc.child_named(key, XENC_NS, "ReferenceList") else {
        return true;
    };
    let Some(data_id) = data_id else {
        return false;
    };
    doc.children_named(list, XENC_NS, "DataReference").any(|r| {
        doc.element(r)
            .and_then(|e| e.attr("URI"))
            .and_then(|u| u.strip_prefix('#'))
            == Some(data_id)
    })
}

fn read_key(
    doc: &Document,
    node: NodeId,
    placement: &'static str,
) -> Result<KeyCandidate, DecryptError> {
    let method = one_child(doc, node, XENC_NS, "EncryptionMethod")?;
    let uri = algorithm(doc, method)?;
    let digest = match doc.child_named(method, DSIG_NS, "DigestMethod") {
        Some(d) => {
            let uri = algorithm(doc, d)?;
            DigestAlgorithm::from_uri(uri)
                .ok_or_else(|| unsupported("OAEP digest", uri))?
                .0
        }
        None => Hash::Sha1,
    };
    let transport = match uri {
        RSA_1_5 => KeyTransport::Rsa15,
        RSA_OAEP_MGF1P => KeyTransport::RsaOaepMgf1p { digest },
        RSA_OAEP => {
            let mgf = match doc.child_named(method, XENC11_NS, "MGF") {
                Some(m) => {
                    let uri = algorithm(doc, m)?;
                    mgf_from_uri(uri)
                        .ok_or_else(|| unsupported("OAEP mask generation function", uri))?
                }
                None => Hash::Sha1,
            };
            KeyTransport::RsaOaep { digest, mgf }
        }
        other => return Err(unsupported("key transport algorithm", other)),
    };
    let label = match doc.child_named(method, XENC_NS, "OAEPparams") {
        Some(p) => {
            base64::decode(&doc.text(p)).ok_or_else(|| malformed("OAEPparams is not base64"))?
        }
        None => Vec::new(),
    };
    let certificate = doc
        .child_named(node, DSIG_NS, "KeyInfo")
        .and_then(|ki| doc.child_named(ki, DSIG_NS, "X509Data"))
        .and_then(|x| doc.child_named(x, DSIG_NS, "X509Certificate"))
        .and_then(|c| decode_cert_base64(&doc.text(c)).ok());
    Ok(KeyCandidate {
        node,
        transport,
        label,
        cipher_text: cipher_value(doc, node)?,
        certificate,
        recipient: doc
            .element(node)
            .and_then(|e| e.attr("Recipient"))
            .map(str::to_string),
        placement,
    })
}
