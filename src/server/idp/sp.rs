//! The SP the mock IdP answers: from `--org SLUG` (the built-in profile), from the SP's metadata
//! (`--sp-metadata FILE|URL`, which may also give the certificate to encrypt for), or named
//! directly; and, per login, the AuthnRequest's own ACS URL and Issuer, which win over the
//! configured ones.

use base64::Engine;

use super::request::{is_http_url, AuthnRequest};
use crate::saml::metadata::{EntityDescriptor, KeyUse};
use crate::sp::metadata::BINDING_POST;
use crate::sp::SpProfile;
use crate::xml::enc::{EncryptionCert, KeyError};
use crate::xml::{Document, Limits, XmlError};

/// Why SP metadata gives no usable SP.
#[derive(Debug, thiserror::Error)]
pub enum SpMetadataReadError {
    #[error("the SP metadata is not acceptable XML: {0}")]
    Xml(#[from] XmlError),
    #[error("the SP metadata has no EntityDescriptor with an SPSSODescriptor (aggregates are not supported here)")]
    NoSpRole,
    #[error("the SP metadata has no entityID")]
    NoEntityId,
    #[error("the SP metadata has no HTTP-POST AssertionConsumerService with an http(s) Location")]
    NoPostAcs,
    #[error("the SP metadata's encryption certificate cannot be used: {0}")]
    EncryptionCert(KeyError),
}

/// What the mock IdP takes from SP metadata.
#[derive(Debug, Clone)]
pub struct SpFromMetadata {
    pub profile: SpProfile,
    /// The first certificate of a KeyDescriptor for encryption (or without `use`, which
    /// serves both); assertions are encrypted for it.
    pub encryption: Option<EncryptionCert>,
}

/// The SP of an SP metadata document: its entityID and its HTTP-POST ACS (the one marked
/// `isDefault="true"`, else the lowest index, else the first).
pub fn sp_from_metadata(xml: &[u8]) -> Result<SpProfile, SpMetadataReadError> {
    read_sp_metadata(xml).map(|sp| sp.profile)
}

/// The SP of an SP metadata document (see [`sp_from_metadata`]) and the certificate it wants
/// assertions encrypted for.
pub fn read_sp_metadata(xml: &[u8]) -> Result<SpFromMetadata, SpMetadataReadError> {
    let doc = Document::parse_bytes(xml, Limits::METADATA)?;
    let entity = EntityDescriptor::read(&doc, doc.root()).ok_or(SpMetadataReadError::NoSpRole)?;
    let role = entity.sp().ok_or(SpMetadataReadError::NoSpRole)?;
    let entity_id = entity
        .entity_id
        .clone()
        .filter(|e| !e.trim().is_empty())
        .ok_or(SpMetadataReadError::NoEntityId)?;
    let mut post: Vec<_> = role
        .endpoints_of("AssertionConsumerService")
        .filter(|e| e.binding.as_deref() == Some(BINDING_POST))
        .filter(|e| e.location.as_deref().is_some_and(is_http_url))
        .collect();
    // Stable sort: default first, then by index; unparseable indexes keep document order last.
    post.sort_by_key(|e| {
        let default = e.is_default.as_deref().map(str::trim) == Some("true");
        let index = e
            .index
            .as_deref()
            .and_then(|i| i.trim().parse::<u32>().ok())
            .unwrap_or(u32::MAX);
        (!default, index)
    });
    let acs = post
        .first()
        .and_then(|e| e.location.clone())
        .ok_or(SpMetadataReadError::NoPostAcs)?;
    let sls = role
        .endpoints_of("SingleLogoutService")
        .find_map(|e| e.location.clone());
    // An explicit encryption key wins over one that serves both uses.
    let mut keys: Vec<_> = role
        .keys
        .iter()
        .filter(|k| matches!(k.usage, KeyUse::Encryption | KeyUse::Both))
        .filter_map(|k| k.certificates.first())
        .collect();
    keys.sort_by_key(|&&node| {
        role.keys
            .iter()
            .find(|k| k.certificates.first() == Some(&node))
            .map(|k| k.usage != KeyUse::Encryption)
    });
    let encryption = keys
        .first()
        .map(|&&node| {
            let text: String = doc
                .text(node)
                .chars()
                .filter(|c| !c.is_ascii_whitespace())
                .collect();
            let der = base64::engine::general_purpose::STANDARD
                .decode(text.as_bytes())
                .map_err(|e| KeyError::Certificate(e.to_string()))?;
            EncryptionCert::from_der(&der)
        })
        .transpose()
        .map_err(SpMetadataReadError::EncryptionCert)?;
    Ok(SpFromMetadata {
        profile: SpProfile::explicit(&entity_id, &acs, sls.as_deref()),
        encryption,
    })
}

/// The SP to answer for one login: the request's ACS URL and Issuer where it gives them,
/// the configured SP otherwise. (A mock is lenient on purpose: a real IdP would refuse an ACS
/// URL its configuration does not list.)
pub fn target_for(configured: &SpProfile, request: Option<&AuthnRequest>) -> SpProfile {
    let mut sp = configured.clone();
    if let Some(r) = request {
        if let Some(acs) = &r.acs {
            sp.acs = acs.clone();
        }
        if let Some(issuer) = &r.issuer {
            sp.entity_id = issuer.clone();
        }
    }
    sp
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sp::sp_metadata;

    #[test]
    fn reads_the_projects_own_sp_metadata() {
        let sp = SpProfile::for_org("http://127.0.0.1:8080", "acme");
        let xml = sp_metadata(&sp).unwrap();
        let read = sp_from_metadata(xml.as_bytes()).unwrap();
        assert_eq!(read.entity_id, sp.entity_id);
        assert_eq!(read.acs, sp.acs);
        assert_eq!(read.sls, sp.sls);
    }

    #[test]
    fn takes_the_encryption_certificate() {
        use crate::sp::metadata::{sp_metadata_with_certificates, CertificateUse, SpCertificate};
        let sp = SpProfile::for_org("http://127.0.0.1:8080", "acme");
        assert!(read_sp_metadata(sp_metadata(&sp).unwrap().as_bytes())
            .unwrap()
            .encryption
            .is_none());
        let der = |path: &str| {
            openssl::x509::X509::from_pem(&std::fs::read(path).unwrap())
                .unwrap()
                .to_der()
                .unwrap()
        };
        let xml = sp_metadata_with_certificates(
            &sp,
            &[
                SpCertificate {
                    usage: CertificateUse::Signing,
                    der: der("fixtures/keys/idp-rsa.crt"),
                },
                SpCertificate {
                    usage: CertificateUse::Encryption,
                    der: der("fixtures/keys/sp-rsa.crt"),
                },
            ],
        )
        .unwrap();
        let read = read_sp_metadata(xml.as_bytes()).unwrap();
        assert_eq!(
            read.encryption.unwrap().der(),
            der("fixtures/keys/sp-rsa.crt")
        );
        let broken = xml.replace("<ds:X509Certificate>MII", "<ds:X509Certificate>!!");
        assert!(matches!(
            read_sp_metadata(broken.as_bytes()),
            Err(SpMetadataReadError::EncryptionCert(_))
        ));
    }

    #[test]
    fn picks_the_default_post_acs_and_refuses_idp_metadata() {
        let xml = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example/">
<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="https://sp.example/art" index="0"/>
<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/two" index="2"/>
<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/one" index="1"/>
</md:SPSSODescriptor></md:EntityDescriptor>"#;
        assert_eq!(
            sp_from_metadata(xml.as_bytes()).unwrap().acs,
            "https://sp.example/one"
        );
        let idp = std::fs::read("fixtures/metadata/okta.xml").unwrap();
        assert!(matches!(
            sp_from_metadata(&idp),
            Err(SpMetadataReadError::NoSpRole)
        ));
        assert!(sp_from_metadata(b"<x").is_err());
    }
}
