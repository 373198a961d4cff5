//! Encrypting an assertion for an SP certificate, the way IdPs do: a fresh AES key encrypts the
//! assertion, RSA encrypts the AES key for the certificate. For the mock IdP and the fixtures.

use openssl::rand::rand_bytes;

use super::algorithm::{mgf_uri, ContentAlgorithm, KeyTransport};
use super::error::EncryptError;
use super::key::EncryptionCert;
use super::{base64, cipher, transport, ASSERTION_NS, TYPE_ELEMENT, XENC11_NS, XENC_NS};
use crate::xml::dsig::algorithm::DigestAlgorithm;
use crate::xml::dsig::DSIG_NS;
use crate::xml::{Document, Limits};

/// Where the EncryptedKey goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyPlacement {
    /// Inside the EncryptedData's `ds:KeyInfo`, as Okta, Entra ID, ADFS and most IdPs do.
    #[default]
    InKeyInfo,
    /// Beside the EncryptedData in the EncryptedAssertion, named by a `ds:RetrievalMethod` and
    /// naming the data in its ReferenceList, as Shibboleth can.
    Sibling,
}

/// How to encrypt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptOptions {
    pub key_transport: KeyTransport,
    pub content: ContentAlgorithm,
    /// Put the SP certificate in the EncryptedKey's KeyInfo (tells the SP which key to use).
    pub include_certificate: bool,
    pub key_placement: KeyPlacement,
}

impl Default for EncryptOptions {
    /// RSA-OAEP (`rsa-oaep-mgf1p`, SHA-1, the variant every SP understands) and AES-256-GCM.
    fn default() -> Self {
        EncryptOptions {
            key_transport: KeyTransport::OAEP_MGF1P_SHA1,
            content: ContentAlgorithm::Aes256Gcm,
            include_certificate: true,
            key_placement: KeyPlacement::InKeyInfo,
        }
    }
}

/// Replaces the Response's `saml:Assertion` (its first one, a child of the root) by a
/// `saml:EncryptedAssertion` for `recipient`; the rest of the document is left byte for byte.
/// A document whose root is an Assertion becomes the EncryptedAssertion alone.
pub fn encrypt_assertion(
    xml: &str,
    recipient: &EncryptionCert,
    options: &EncryptOptions,
) -> Result<String, EncryptError> {
    let doc = Document::parse(xml, Limits::MESSAGE)?;
    let root = doc.root();
    let is_assertion = |n| {
        doc.element(n)
            .is_some_and(|e| e.is(ASSERTION_NS, "Assertion"))
    };
    let node = if is_assertion(root) {
        root
    } else {
        doc.children_named(root, ASSERTION_NS, "Assertion")
            .next()
            .ok_or(EncryptError::NoAssertion)?
    };
    let element = doc.element(node).ok_or(EncryptError::BadAssertion)?;
    let prefix = element.prefix();
    // Declare the EncryptedAssertion's prefix only where the parent does not already bind it
    // to the assertion namespace: the assertion binds it so itself, so once decrypted in place
    // its namespaces in scope (and its canonical form) are exactly what they were.
    let bound = doc
        .parent(node)
        .map(|p| doc.in_scope_namespaces(p))
        .unwrap_or_default()
        .iter()
        .any(|d| d.prefix == prefix && d.uri == ASSERTION_NS);
    let source = doc.source();
    let span = doc.node(node);
    let plaintext = &source[span.offset..span.end];
    let encrypted = build(plaintext, prefix, !bound, recipient, options)?;
    let mut out = String::with_capacity(source.len() + encrypted.len());
    out.push_str(&source[..span.offset]);
    out.push_str(&encrypted);
    out.push_str(&source[span.end..]);
    Ok(out)
}

/// A `saml:EncryptedAssertion` (prefix `saml`, declared) holding `plaintext` encrypted for
/// `recipient`. `plaintext` is used as given: normally one serialized `saml:Assertion`.
pub fn encrypted_assertion_xml(
    plaintext: &str,
    recipient: &EncryptionCert,
    options: &EncryptOptions,
) -> Result<String, EncryptError> {
    build(plaintext, Some("saml"), true, recipient, options)
}

fn random_id(tag: &str) -> Result<String, EncryptError> {
    let mut bytes = [0u8; 10];
    rand_bytes(&mut bytes)?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("_{tag}-{hex}"))
}

fn build(
    plaintext: &str,
    prefix: Option<&str>,
    declare: bool,
    recipient: &EncryptionCert,
    options: &EncryptOptions,
) -> Result<String, EncryptError> {
    let content_key = cipher::new_key(options.content)?;
    let data = cipher::encrypt(options.content, &content_key, plaintext.as_bytes())?;
    let wrapped = transport::wrap_key(recipient, options.key_transport, &content_key)?;

    let name = match prefix {
        Some(p) => format!("{p}:EncryptedAssertion"),
        None => "EncryptedAssertion".to_string(),
    };
    let declaration = match (declare, prefix) {
        (false, _) => String::new(),
        (true, Some(p)) => format!(" xmlns:{p}=\"{ASSERTION_NS}\""),
        (true, None) => format!(" xmlns=\"{ASSERTION_NS}\""),
    };
    let sibling = options.key_placement == KeyPlacement::Sibling;
    let (data_id, key_id) = if sibling {
        (Some(random_id("ed")?), Some(random_id("ek")?))
    } else {
        (None, None)
    };

    let mut out = format!("<{name}{declaration}>");
    out.push_str(&format!("<xenc:EncryptedData xmlns:xenc=\"{XENC_NS}\""));
    if let Some(id) = &data_id {
        out.push_str(&format!(" Id=\"{id}\""));
    }
    out.push_str(&format!(
        " Type=\"{TYPE_ELEMENT}\"><xenc:EncryptionMethod Algorithm=\"{}\"/><ds:KeyInfo xmlns:ds=\"{DSIG_NS}\">",
        options.content.uri()
    ));
    let key_xml = encrypted_key(
        &wrapped,
        recipient,
        options,
        key_id.as_deref(),
        data_id.as_deref(),
    );
    match &key_id {
        Some(id) => out.push_str(&format!(
            "<ds:RetrievalMethod Type=\"{}\" URI=\"#{id}\"/>",
            super::TYPE_ENCRYPTED_KEY
        )),
        None => out.push_str(&key_xml),
    }
    out.push_str(&format!(
        "</ds:KeyInfo><xenc:CipherData><xenc:CipherValue>{}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>",
        base64::encode_wrapped(&data)
    ));
    if sibling {
        out.push_str(&key_xml);
    }
    out.push_str(&format!("</{name}>"));
    Ok(out)
}

/// The `xenc:EncryptedKey`; a sibling one declares its own prefixes and names the data.
fn encrypted_key(
    wrapped: &[u8],
    recipient: &EncryptionCert,
    options: &EncryptOptions,
    key_id: Option<&str>,
    data_id: Option<&str>,
) -> String {
    let mut out = String::from("<xenc:EncryptedKey");
    if let Some(id) = key_id {
        out.push_str(&format!(
            " xmlns:xenc=\"{XENC_NS}\" xmlns:ds=\"{DSIG_NS}\" Id=\"{id}\""
        ));
    }
    let transport = options.key_transport;
    out.push_str(&format!(
        "><xenc:EncryptionMethod Algorithm=\"{}\"",
        transport.uri()
    ));
    match transport {
        KeyTransport::Rsa15 => out.push_str("/>"),
        KeyTransport::RsaOaepMgf1p { digest } => out.push_str(&format!(
            "><ds:DigestMethod Algorithm=\"{}\"/></xenc:EncryptionMethod>",
            DigestAlgorithm(digest).uri()
        )),
        KeyTransport::RsaOaep { digest, mgf } => out.push_str(&format!(
            "><ds:DigestMethod Algorithm=\"{}\"/><xenc11:MGF xmlns:xenc11=\"{XENC11_NS}\" Algorithm=\"{}\"/></xenc:EncryptionMethod>",
            DigestAlgorithm(digest).uri(),
            mgf_uri(mgf)
        )),
    }
    if options.include_certificate {
        out.push_str(&format!(
            "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>",
            base64::encode_wrapped(recipient.der())
        ));
    }
    out.push_str(&format!(
        "<xenc:CipherData><xenc:CipherValue>{}</xenc:CipherValue></xenc:CipherData>",
        base64::encode_wrapped(wrapped)
    ));
    if let Some(id) = data_id {
        out.push_str(&format!(
            "<xenc:ReferenceList><xenc:DataReference URI=\"#{id}\"/></xenc:ReferenceList>"
        ));
    }
    out.push_str("</xenc:EncryptedKey>");
    out
}
