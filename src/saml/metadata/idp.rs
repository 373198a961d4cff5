//! IdP metadata, as far as verifying a response needs it: the entityID and the signing
//! certificates (the only trust anchors).

use crate::saml::ns;
use crate::xml::dsig::keys::{decode_cert_base64, CertError};
use crate::xml::dsig::{TrustedKey, DSIG_NS};
use crate::xml::{Document, Limits, LineCol, NodeId, XmlError};

/// A certificate in the metadata that could not be used, and where it is.
#[derive(Debug, Clone)]
pub struct BadCertificate {
    pub position: LineCol,
    pub path: String,
    pub error: CertError,
}

/// The IdP, as its metadata describes it.
#[derive(Debug, Clone)]
pub struct IdpMetadata {
    pub entity_id: String,
    /// Signing certificates in document order (the first is the one some SPs keep).
    pub signing_keys: Vec<TrustedKey>,
    pub bad_certificates: Vec<BadCertificate>,
}

/// Why metadata could not be used at all.
#[derive(Debug, Clone, thiserror::Error)]
pub enum MetadataError {
    #[error(transparent)]
    Xml(#[from] XmlError),
    #[error("the document is not SAML metadata: its root is {0}")]
    NotMetadata(String),
    #[error("no EntityDescriptor with an IDPSSODescriptor was found")]
    NoIdp,
    #[error("{0} EntityDescriptors describe an IdP; name one with its entityID")]
    AmbiguousIdp(usize),
    #[error("no IdP with entityID {0:?} is in the metadata")]
    UnknownEntity(String),
    #[error("the EntityDescriptor has no entityID")]
    NoEntityId,
}

impl IdpMetadata {
    /// Reads IdP metadata; `entity_id` picks one IdP out of an aggregate.
    pub fn parse(bytes: &[u8], entity_id: Option<&str>) -> Result<IdpMetadata, MetadataError> {
        let doc = Document::parse_bytes(bytes, Limits::METADATA)?;
        Self::from_document(&doc, entity_id)
    }

    pub fn from_document(
        doc: &Document,
        entity_id: Option<&str>,
    ) -> Result<IdpMetadata, MetadataError> {
        let root = doc.root();
        let root_el = doc.element(root).ok_or(MetadataError::NoIdp)?;
        let is_entity = root_el.is(ns::METADATA, "EntityDescriptor");
        if !is_entity && !root_el.is(ns::METADATA, "EntitiesDescriptor") {
            return Err(MetadataError::NotMetadata(root_el.qname()));
        }
        let idps: Vec<(NodeId, NodeId)> = doc
            .elements()
            .filter(|&n| {
                doc.element(n)
                    .is_some_and(|e| e.is(ns::METADATA, "EntityDescriptor"))
            })
            .filter_map(|e| {
                doc.child_named(e, ns::METADATA, "IDPSSODescriptor")
                    .map(|idp| (e, idp))
            })
            .collect();
        let entity_of = |n: NodeId| doc.element(n).and_then(|e| e.attr("entityID"));
        let (entity, idp) = match (entity_id, idps.as_slice()) {
            (_, []) => return Err(MetadataError::NoIdp),
            (None, [one]) => *one,
            (None, many) => return Err(MetadataError::AmbiguousIdp(many.len())),
            (Some(want), many) => *many
                .iter()
                .find(|(e, _)| entity_of(*e) == Some(want))
                .ok_or_else(|| MetadataError::UnknownEntity(want.to_string()))?,
        };
        let entity_id = entity_of(entity)
            .ok_or(MetadataError::NoEntityId)?
            .trim()
            .to_string();

        let mut signing_keys = Vec::new();
        let mut bad_certificates = Vec::new();
        for kd in doc.children_named(idp, ns::METADATA, "KeyDescriptor") {
            let usage = doc.element(kd).and_then(|e| e.attr("use"));
            if !matches!(usage, None | Some("signing")) {
                continue;
            }
            let Some(key_info) = doc.child_named(kd, DSIG_NS, "KeyInfo") else {
                continue;
            };
            for data in doc.children_named(key_info, DSIG_NS, "X509Data") {
                for cert in doc.children_named(data, DSIG_NS, "X509Certificate") {
                    let parsed = decode_cert_base64(&doc.text(cert)).and_then(TrustedKey::from_der);
                    match parsed {
                        Ok(key)
                            if !signing_keys
                                .iter()
                                .any(|k: &TrustedKey| k.der() == key.der()) =>
                        {
                            signing_keys.push(key)
                        }
                        Ok(_) => {}
                        Err(error) => bad_certificates.push(BadCertificate {
                            position: doc.position(cert),
                            path: doc.path(cert),
                            error,
                        }),
                    }
                }
            }
        }
        Ok(IdpMetadata {
            entity_id,
            signing_keys,
            bad_certificates,
        })
    }
}
