//! Verifying one enveloped signature and handing back a [`Verified`] handle to what it covers.

use base64::Engine;
use openssl::bn::BigNum;
use openssl::ecdsa::EcdsaSig;
use openssl::pkey::{Id, PKey, Public};
use openssl::sign::Verifier;

use super::algorithm::{Hash, KeyKind, SignatureAlgorithm};
use super::failure::{DigestHint, SignatureFailure};
use super::keys::{cert_info, embedded_public_key, TrustedKey};
use super::signature::{parse_signature, ParsedSignature};
use crate::xml::c14n::{self, Canonicalizer, Method, Sink};
use crate::xml::tree::{Document, NodeId, NodeKind};

/// Proof that the subtree at [`Verified::element`] was signed by a trusted key and has not
/// changed since. Only verification creates one; SAML fields are read through it.
#[derive(Debug, Clone, Copy)]
pub struct Verified<'d> {
    doc: &'d Document,
    element: NodeId,
    signature: NodeId,
    key_index: usize,
    algorithm: SignatureAlgorithm,
    digest: Hash,
}

impl<'d> Verified<'d> {
    pub fn document(&self) -> &'d Document {
        self.doc
    }

    /// The signed element.
    pub fn element(&self) -> NodeId {
        self.element
    }

    /// The `ds:Signature` that was verified.
    pub fn signature(&self) -> NodeId {
        self.signature
    }

    /// Index into the trusted keys of the key that verified.
    pub fn key_index(&self) -> usize {
        self.key_index
    }

    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    pub fn digest(&self) -> Hash {
        self.digest
    }

    /// This proof moved onto `doc`, a copy of the signed document in which only the content of
    /// an EncryptedAssertion was replaced by its decryption, where `element` and `signature` are
    /// the same elements. Only [`crate::xml::enc::Decrypted::carry`] calls it, after checking
    /// that the replaced content lies wholly inside or wholly outside the signed subtree.
    pub(crate) fn carried_to<'e>(
        &self,
        doc: &'e Document,
        element: NodeId,
        signature: NodeId,
    ) -> Verified<'e> {
        Verified {
            doc,
            element,
            signature,
            key_index: self.key_index,
            algorithm: self.algorithm,
            digest: self.digest,
        }
    }

    /// Whether `node` lies inside the signed subtree (and outside the signature itself).
    pub fn covers(&self, node: NodeId) -> bool {
        self.doc.is_ancestor_or_self(self.element, node)
            && !self.doc.is_ancestor_or_self(self.signature, node)
    }
}

/// The outcome of checking one `ds:Signature`.
#[derive(Debug, Clone)]
pub struct SignatureCheck<'d> {
    pub signature: NodeId,
    /// The element the Reference resolved to, when it resolved to exactly one.
    pub referenced: Option<NodeId>,
    pub algorithm: Option<SignatureAlgorithm>,
    pub digest: Option<Hash>,
    pub result: Result<Verified<'d>, SignatureFailure>,
}

impl SignatureCheck<'_> {
    /// Weak hashes this signature relies on (SHA-1), for a warning even when it verifies.
    pub fn weak_hashes(&self) -> Vec<Hash> {
        let mut weak: Vec<Hash> = [self.algorithm.map(|a| a.hash), self.digest]
            .into_iter()
            .flatten()
            .filter(|h| h.is_weak())
            .collect();
        weak.dedup();
        weak
    }
}

/// openssl's direct hash functions: no provider lookup per digest (which OpenSSL 3's EVP
/// interface does, under a lock, every time a hasher is made).
enum DirectHash {
    Sha1(openssl::sha::Sha1),
    Sha256(openssl::sha::Sha256),
    Sha384(openssl::sha::Sha384),
    Sha512(openssl::sha::Sha512),
}

/// Small writes are gathered into chunks of this size for the hash: per-call overhead
/// dominates small writes, and a chunk this size stays in the L1 cache until it is hashed.
const CHUNK: usize = 4 * 1024;

/// Feeds canonical bytes to a hash in chunks.
pub struct DigestSink {
    hasher: DirectHash,
    buffer: Vec<u8>,
}

impl DigestSink {
    pub fn new(hash: Hash) -> DigestSink {
        let hasher = match hash {
            Hash::Sha1 => DirectHash::Sha1(openssl::sha::Sha1::new()),
            Hash::Sha256 => DirectHash::Sha256(openssl::sha::Sha256::new()),
            Hash::Sha384 => DirectHash::Sha384(openssl::sha::Sha384::new()),
            Hash::Sha512 => DirectHash::Sha512(openssl::sha::Sha512::new()),
        };
        DigestSink {
            hasher,
            buffer: Vec::with_capacity(CHUNK),
        }
    }

    #[cold]
    fn flush(&mut self) {
        hash_into(&mut self.hasher, &self.buffer);
        self.buffer.clear();
    }

    /// The digest. (`Option` is kept for callers: a direct hash cannot fail.)
    pub fn finish(mut self) -> Option<Vec<u8>> {
        self.flush();
        Some(match self.hasher {
            DirectHash::Sha1(h) => h.finish().to_vec(),
            DirectHash::Sha256(h) => h.finish().to_vec(),
            DirectHash::Sha384(h) => h.finish().to_vec(),
            DirectHash::Sha512(h) => h.finish().to_vec(),
        })
    }
}

fn hash_into(hasher: &mut DirectHash, bytes: &[u8]) {
    match hasher {
        DirectHash::Sha1(h) => h.update(bytes),
        DirectHash::Sha256(h) => h.update(bytes),
        DirectHash::Sha384(h) => h.update(bytes),
        DirectHash::Sha512(h) => h.update(bytes),
    }
}

impl Sink for DigestSink {
    // Called for every tag, name and quote of the canonical form: worth inlining.
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        if self.buffer.len() + bytes.len() > CHUNK {
            self.flush();
            if bytes.len() >= CHUNK {
                hash_into(&mut self.hasher, bytes);
                return;
            }
        }
        self.buffer.extend_from_slice(bytes);
    }

    /// Hashed in place: lint splices every entity of an aggregate, and copying each into
    /// the buffer first cost nearly as much as hashing it.
    fn put_block(&mut self, bytes: &[u8]) {
        if !self.buffer.is_empty() {
            self.flush();
        }
        hash_into(&mut self.hasher, bytes);
    }
}

/// Elements carrying `value` as an ID (`ID`, `Id` or `id`, as various processors resolve them).
pub fn elements_with_id(doc: &Document, value: &str) -> Vec<NodeId> {
    let mut holders: Vec<NodeId> = doc
        .id_attributes()
        .filter(|&(_, v)| v == value)
        .map(|(node, _)| node)
        .collect();
    // An element with `ID` and `id` both set to `value` is one holder.
    holders.dedup();
    holders
}

/// The canonicalization applied to the referenced element. A same-document `#ID` reference
/// selects the element without comments, whatever the transform says (XML-DSig 4.3.3.3).
pub(crate) fn reference_method(parsed: &ParsedSignature) -> Method {
    match &parsed.reference.c14n {
        Some(Method::Inclusive { .. }) => Method::Inclusive { comments: false },
        Some(Method::Exclusive { prefixes, .. }) => Method::Exclusive {
            comments: false,
            prefixes: prefixes.clone(),
        },
        None => Method::Inclusive { comments: false },
    }
}

fn digest_of(
    doc: &Document,
    target: NodeId,
    exclude: Option<NodeId>,
    method: &Method,
    hash: Hash,
) -> Option<Vec<u8>> {
    let mut sink = DigestSink::new(hash);
    c14n::canonicalize_subtree(doc, target, exclude, method, &mut sink);
    sink.finish()
}

/// Digest of the subtree with whitespace-only text between elements dropped.
fn digest_without_indentation(
    doc: &Document,
    target: NodeId,
    exclude: Option<NodeId>,
    method: &Method,
    hash: Hash,
) -> Option<Vec<u8>> {
    // Whitespace-only text beside child elements is indentation.
    let indentation = |n: NodeId| {
        matches!(doc.kind(n), NodeKind::Text(t) if t.trim().is_empty())
            && doc
                .parent(n)
                .is_some_and(|p| doc.child_elements(p).next().is_some())
    };
    let keep = |n: NodeId| Some(n) != exclude && !indentation(n);
    let mut sink = DigestSink::new(hash);
    {
        let mut c = Canonicalizer::for_subtree(method.clone(), &mut sink, doc, target);
        c14n::write_subtree_where(doc, target, &keep, &mut c);
    }
    sink.finish()
}

fn digest_hint(
    doc: &Document,
    target: NodeId,
    exclude: Option<NodeId>,
    parsed: &ParsedSignature,
) -> Option<DigestHint> {
    let hash = parsed.reference.digest.0;
    let expected = &parsed.reference.digest_value;
    let method = reference_method(parsed);
    if digest_without_indentation(doc, target, exclude, &method, hash).as_ref() == Some(expected) {
        return Some(DigestHint::Reformatted);
    }
    let other = match method {
        Method::Inclusive { .. } => Method::Exclusive {
            comments: false,
            prefixes: Vec::new(),
        },
        Method::Exclusive { .. } => Method::Inclusive { comments: false },
    };
    if digest_of(doc, target, exclude, &other, hash).as_ref() == Some(expected) {
        return Some(DigestHint::OtherCanonicalization(other.uri()));
    }
    None
}

/// XML-DSig ECDSA values are r || s; openssl wants DER.
fn ecdsa_raw_to_der(raw: &[u8]) -> Option<Vec<u8>> {
    if raw.is_empty() || !raw.len().is_multiple_of(2) {
        return None;
    }
    let (r, s) = raw.split_at(raw.len() / 2);
    let sig =
        EcdsaSig::from_private_components(BigNum::from_slice(r).ok()?, BigNum::from_slice(s).ok()?)
            .ok()?;
    sig.to_der().ok()
}

fn key_fits(algorithm: SignatureAlgorithm, key: &PKey<Public>) -> bool {
    matches!(
        (algorithm.key, key.id()),
        (KeyKind::Rsa, Id::RSA) | (KeyKind::Ecdsa, Id::EC)
    )
}

fn signature_verifies(
    algorithm: SignatureAlgorithm,
    key: &PKey<Public>,
    data: &[u8],
    value: &[u8],
) -> bool {
    if !key_fits(algorithm, key) {
        return false;
    }
    let converted;
    let value = match algorithm.key {
        KeyKind::Rsa => value,
        KeyKind::Ecdsa => match ecdsa_raw_to_der(value) {
            Some(der) => {
                converted = der;
                &converted
            }
            None => return false,
        },
    };
    let Ok(mut verifier) = Verifier::new(algorithm.hash.message_digest(), key) else {
        return false;
    };
    verifier.update(data).is_ok() && verifier.verify(value).unwrap_or(false)
}

/// The DER DigestInfo header that precedes the hash in a PKCS#1 v1.5 signature (RFC 8017 9.2).
fn digest_info_prefix(hash: Hash) -> &'static [u8] {
    match hash {
        Hash::Sha1 => &[
            0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
            0x14,
        ],
        Hash::Sha256 => &[
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x01, 0x05, 0x00, 0x04, 0x20,
        ],
        Hash::Sha384 => &[
            0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x02, 0x05, 0x00, 0x04, 0x30,
        ],
        Hash::Sha512 => &[
            0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x03, 0x05, 0x00, 0x04, 0x40,
        ],
    }
}

/// RSA PKCS#1 v1.5 by re-encoding and comparing: openssl checks the padding, we compare the
/// whole recovered DigestInfo with the one we build, byte for byte. This skips the EVP
/// verifier, whose set-up (a provider lookup under a lock) cost as much as a third of the RSA
/// operation itself.
fn rsa_pkcs1_verifies(
    rsa: &openssl::rsa::Rsa<openssl::pkey::Public>,
    hash: Hash,
    data: &[u8],
    value: &[u8],
) -> bool {
    let size = rsa.size() as usize;
    if value.len() != size {
        return false;
    }
    let mut sink = DigestSink::new(hash);
    sink.put(data);
    let Some(digest) = sink.finish() else {
        return false;
    };
    let mut expected = digest_info_prefix(hash).to_vec();
    expected.extend_from_slice(&digest);
    let mut recovered = vec![0u8; size];
    match rsa.public_decrypt(value, &mut recovered, openssl::rsa::Padding::PKCS1) {
        Ok(n) => recovered[..n] == expected[..],
        Err(_) => false,
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Verifies the enveloped signature at `signature` against `keys` (the IdP metadata's
/// signing certificates: the only trust anchors).
pub fn verify_signature<'d>(
    doc: &'d Document,
    signature: NodeId,
    keys: &[TrustedKey],
) -> SignatureCheck<'d> {
    let mut check = SignatureCheck {
        signature,
        referenced: None,
        algorithm: None,
        digest: None,
        result: Err(SignatureFailure::Malformed(String::new())),
    };
    check.result = verify_into(doc, signature, keys, &mut check);
    check
}

fn verify_into<'d>(
    doc: &'d Document,
    signature: NodeId,
    keys: &[TrustedKey],
    check: &mut SignatureCheck<'d>,
) -> Result<Verified<'d>, SignatureFailure> {
    let parsed = parse_signature(doc, signature)?;
    check.algorithm = Some(parsed.algorithm);
    check.digest = Some(parsed.reference.digest.0);

    let id = &parsed.reference.id;
    let holders = elements_with_id(doc, id);
    let target = match holders.as_slice() {
        [] => return Err(SignatureFailure::ReferenceNotFound(id.clone())),
        [one] => *one,
        many => {
            return Err(SignatureFailure::DuplicateId {
                id: id.clone(),
                count: many.len(),
            })
        }
    };
    check.referenced = Some(target);
    let enclosing = doc.parent(signature);
    if enclosing != Some(target) {
        return Err(SignatureFailure::NotEnveloped {
            referenced: doc.path(target),
            enclosing: enclosing.map_or_else(|| "(none)".into(), |p| doc.path(p)),
        });
    }

    let exclude = parsed.reference.enveloped.then_some(signature);
    let method = reference_method(&parsed);
    let hash = parsed.reference.digest.0;
    let computed = digest_of(doc, target, exclude, &method, hash).unwrap_or_default();
    if computed != parsed.reference.digest_value {
        return Err(SignatureFailure::DigestMismatch {
            element: doc.path(target),
            algorithm: hash.name(),
            expected: b64(&parsed.reference.digest_value),
            computed: b64(&computed),
            hint: digest_hint(doc, target, exclude, &parsed),
        });
    }

    let mut signed_info = Vec::with_capacity(1024);
    c14n::canonicalize_subtree(
        doc,
        parsed.signed_info,
        None,
        &parsed.c14n,
        &mut signed_info,
    );

    let index = check_signature_value(&parsed, &signed_info, keys)?;
    Ok(Verified {
        doc,
        element: target,
        signature,
        key_index: index,
        algorithm: parsed.algorithm,
        digest: hash,
    })
}

/// Checks the SignatureValue over the canonical SignedInfo with each trusted key; returns the
/// index of the key that verifies, or explains why none does.
pub(crate) fn check_signature_value(
    parsed: &ParsedSignature,
    signed_info: &[u8],
    keys: &[TrustedKey],
) -> Result<usize, SignatureFailure> {
    // With several trusted keys, try the one the message names first (its DER is then needed);
    // with one, nothing is decoded unless verification fails. Trust comes only from `keys`.
    let embedded: Option<Vec<u8>> = if keys.len() > 1 {
        parsed.embedded_certs().into_iter().next()
    } else {
        None
    };
    let named = embedded
        .as_ref()
        .and_then(|der| keys.iter().position(|k| k.der() == der.as_slice()));
    let order = named
        .into_iter()
        .chain((0..keys.len()).filter(|i| Some(*i) != named));
    for index in order {
        let verifies = match (parsed.algorithm.key, keys[index].rsa()) {
            (KeyKind::Rsa, Some(rsa)) => {
                rsa_pkcs1_verifies(rsa, parsed.algorithm.hash, signed_info, &parsed.value)
            }
            _ => signature_verifies(
                parsed.algorithm,
                keys[index].public_key(),
                signed_info,
                &parsed.value,
            ),
        };
        if verifies {
            return Ok(index);
        }
    }

    let embedded = embedded.or_else(|| parsed.embedded_certs().into_iter().next());
    let embedded = embedded.as_ref();
    let embedded_trusted =
        embedded.and_then(|der| keys.iter().position(|k| k.der() == der.as_slice()));
    if let (Some(der), None) = (embedded, embedded_trusted) {
        let verifies_with_embedded = embedded_public_key(der)
            .is_some_and(|k| signature_verifies(parsed.algorithm, &k, signed_info, &parsed.value));
        if verifies_with_embedded {
            if let Ok(info) = cert_info(der) {
                return Err(SignatureFailure::UntrustedKey {
                    embedded: Box::new(info),
                    trusted: keys.iter().map(|k| k.info().clone()).collect(),
                });
            }
        }
    }
    if keys.is_empty() {
        return Err(SignatureFailure::NoTrustedKeys);
    }
    Err(SignatureFailure::BadSignatureValue {
        trusted_count: keys.len(),
        embedded: embedded_trusted.map(|i| Box::new(keys[i].info().clone())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_small_pieces_hash_the_same_bytes() {
        let text: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut whole = DigestSink::new(Hash::Sha256);
        whole.put(&text);
        let mut mixed = DigestSink::new(Hash::Sha256);
        // Small pieces left in the buffer must be hashed before a block that follows them.
        mixed.put(&text[..10]);
        mixed.put_block(&text[10..70_000]);
        mixed.put(&text[70_000..70_003]);
        mixed.put(&text[70_003..150_000]);
        mixed.put_block(&text[150_000..]);
        let expected = openssl::sha::sha256(&text).to_vec();
        assert_eq!(whole.finish(), Some(expected.clone()));
        assert_eq!(mixed.finish(), Some(expected.clone()));
        // Pieces that fill a chunk exactly, overflow it by one, or exceed it.
        let mut pieces = DigestSink::new(Hash::Sha256);
        let mut at = 0;
        for size in [
            1,
            CHUNK - 1,
            CHUNK,
            1,
            CHUNK + 1,
            7,
            CHUNK - 8,
            2 * CHUNK,
            3,
        ]
        .into_iter()
        .cycle()
        {
            let end = (at + size).min(text.len());
            pieces.put(&text[at..end]);
            at = end;
            if at == text.len() {
                break;
            }
        }
        assert_eq!(pieces.finish(), Some(expected));
    }
}
