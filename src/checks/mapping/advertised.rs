//! The attributes an IdP says it can send, from its metadata: `saml:Attribute` in its roles
//! and, for Entra ID and AD FS, the `fed:ClaimTypesOffered` of their WS-Federation roles.

use crate::checks::Location;
use crate::saml::metadata::{EntityDescriptor, RoleKind};
use crate::sp::vendor::{self, Vendor};
use crate::xml::Document;

/// Where an advertised name came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdvertisedSource {
    /// `saml:Attribute` in an IdP (or attribute authority) role.
    SamlAttribute,
    /// `auth:ClaimType` in a WS-Federation role's `fed:ClaimTypesOffered`.
    ClaimType,
}

/// One attribute name the IdP advertises.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Advertised {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
    pub source: AdvertisedSource,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// What the IdP's metadata says about attributes, and which product it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct IdpAttributes {
    /// Chooses the console wording of fixes; `None` for an unknown product.
    pub vendor: Option<Vendor>,
    /// Names in document order, each once. Empty when the metadata advertises none, which
    /// says nothing about what the IdP sends.
    pub attributes: Vec<Advertised>,
}

impl IdpAttributes {
    /// Reads the advertised attributes of `entity` and detects its vendor.
    pub fn from_entity(doc: &Document, entity: &EntityDescriptor) -> IdpAttributes {
        let mut attributes: Vec<Advertised> = Vec::new();
        // An SP role's RequestedAttributes are what that SP wants, not what the IdP sends.
        for role in entity.roles.iter().filter(|r| r.kind != RoleKind::Sp) {
            let saml = role.attributes.iter().map(|a| Advertised {
                name: a.name.trim().to_string(),
                friendly_name: a.friendly_name.clone(),
                source: AdvertisedSource::SamlAttribute,
                location: Some(Location::of_node(doc, a.node)),
            });
            let claims = role.claim_types.iter().map(|c| Advertised {
                name: c.uri.clone(),
                friendly_name: c.display_name.clone(),
                source: AdvertisedSource::ClaimType,
                location: Some(Location::of_node(doc, c.node)),
            });
            for a in saml.chain(claims) {
                if !a.name.is_empty() && !attributes.iter().any(|b| b.name == a.name) {
                    attributes.push(a);
                }
            }
        }
        IdpAttributes {
            vendor: vendor::detect(entity).map(|d| d.vendor),
            attributes,
        }
    }

    /// No metadata knowledge, only the product (from `--preset`, say).
    pub fn for_vendor(vendor: Option<Vendor>) -> IdpAttributes {
        IdpAttributes {
            vendor,
            attributes: Vec::new(),
        }
    }

    pub fn advertises(&self, name: &str) -> bool {
        self.attributes.iter().any(|a| a.name == name)
    }

    /// The advertised names as suggestion candidates (no values: metadata has none).
    pub(crate) fn candidates(&self) -> Vec<super::suggest::Candidate<'_>> {
        self.attributes
            .iter()
            .map(|a| super::suggest::Candidate {
                name: &a.name,
                // A claim type's display name is console text, not a SAML FriendlyName.
                friendly_name: a
                    .friendly_name
                    .as_deref()
                    .filter(|_| a.source == AdvertisedSource::SamlAttribute),
                value: None,
            })
            .collect()
    }
}
