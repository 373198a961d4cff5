//! The SP the mock IdP answers: from `--org SLUG` (the built-in profile), from the SP's metadata
//! (`--sp-metadata FILE|URL`), or named directly; and, per login, the AuthnRequest's own
//! ACS URL and Issuer, which win over the configured ones.

use super::request::{is_http_url, AuthnRequest};
use crate::saml::metadata::EntityDescriptor;
use crate::sp::metadata::BINDING_POST;
use crate::sp::SpProfile;
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
}

/// The SP of an SP metadata document: its entityID and its HTTP-POST ACS (the one marked
/// `isDefault="true"`, else the lowest index, else the first).
pub fn sp_from_metadata(xml: &[u8]) -> Result<SpProfile, SpMetadataReadError> {
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
    Ok(SpProfile::explicit(&entity_id, &acs, sls.as_deref()))
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
