//! The metadata model: an `EntityDescriptor` and its roles, read from a parsed document.
//! Nodes are kept beside values so every rule can point at the exact element.

use crate::saml::ns;
use crate::saml::response::Located;
use crate::xml::dsig::DSIG_NS;
use crate::xml::{Document, NodeId};

pub const MDUI_NS: &str = "urn:oasis:names:tc:SAML:metadata:ui";
pub const MDRPI_NS: &str = "urn:oasis:names:tc:SAML:metadata:rpi";
pub const SHIBMD_NS: &str = "urn:mace:shibboleth:metadata:1.0";
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// WS-Federation metadata (`fed:ClaimTypesOffered` in Entra ID and AD FS role descriptors).
pub const WSFED_NS: &str = "http://docs.oasis-open.org/wsfed/federation/200706";
/// WS-Federation authorization (`auth:ClaimType`).
pub const WSFED_AUTH_NS: &str = "http://docs.oasis-open.org/wsfed/authorization/200706";

fn attr(doc: &Document, node: NodeId, name: &str) -> Option<String> {
    doc.element(node)
        .and_then(|e| e.attr(name))
        .map(str::to_string)
}

fn located_children(doc: &Document, parent: NodeId, ns: &str, local: &str) -> Vec<Located> {
    doc.children_named(parent, ns, local)
        .map(|n| Located {
            value: doc.text(n).trim().to_string(),
            node: n,
        })
        .collect()
}

/// What a KeyDescriptor's key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUse {
    Signing,
    Encryption,
    /// No `use` attribute: the key serves both.
    Both,
    Unknown,
}

/// `md:KeyDescriptor`.
#[derive(Debug, Clone)]
pub struct KeyDescriptor {
    pub node: NodeId,
    pub usage: KeyUse,
    /// `ds:X509Certificate` elements, in order.
    pub certificates: Vec<NodeId>,
}

impl KeyDescriptor {
    pub fn signs(&self) -> bool {
        matches!(self.usage, KeyUse::Signing | KeyUse::Both)
    }
}

/// An endpoint (`SingleSignOnService`, `AssertionConsumerService`...).
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub node: NodeId,
    /// The element's local name, e.g. `SingleSignOnService`.
    pub kind: String,
    pub binding: Option<String>,
    pub location: Option<String>,
    pub response_location: Option<String>,
    pub index: Option<String>,
    pub is_default: Option<String>,
}

/// `md:Attribute` advertised by an IdP or requested by an SP.
#[derive(Debug, Clone)]
pub struct AdvertisedAttribute {
    pub node: NodeId,
    pub name: String,
    pub friendly_name: Option<String>,
    pub required: bool,
}

/// `auth:ClaimType` in a WS-Federation role's `fed:ClaimTypesOffered`: a claim URI the IdP can
/// send (Entra ID publishes its claims only there, not as `saml:Attribute`).
#[derive(Debug, Clone)]
pub struct OfferedClaim {
    pub node: NodeId,
    pub uri: String,
    pub display_name: Option<String>,
}

/// The claims a WS-Federation role offers, in document order.
fn offered_claims(doc: &Document, role: NodeId) -> Vec<OfferedClaim> {
    doc.children_named(role, WSFED_NS, "ClaimTypesOffered")
        .flat_map(|offered| doc.children_named(offered, WSFED_AUTH_NS, "ClaimType"))
        .filter_map(|c| {
            Some(OfferedClaim {
                node: c,
                uri: attr(doc, c, "Uri")?.trim().to_string(),
                display_name: doc
                    .child_named(c, WSFED_AUTH_NS, "DisplayName")
                    .map(|d| doc.text(d).trim().to_string()),
            })
        })
        .collect()
}

/// Which kind of role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleKind {
    Idp,
    Sp,
    /// `AttributeAuthorityDescriptor`, `md:RoleDescriptor` (WS-Federation in Entra / ADFS) and others.
    Other,
}

/// An `md:*Descriptor` role of an entity.
#[derive(Debug, Clone)]
pub struct RoleDescriptor {
    pub node: NodeId,
    pub kind: RoleKind,
    /// The element name as written, plus `xsi:type` when present (for WS-Federation roles).
    pub name: String,
    pub xsi_type: Option<String>,
    pub protocols: Vec<String>,
    pub keys: Vec<KeyDescriptor>,
    pub endpoints: Vec<Endpoint>,
    pub name_id_formats: Vec<Located>,
    pub attributes: Vec<AdvertisedAttribute>,
    /// WS-Federation `fed:ClaimTypesOffered` (only on `md:RoleDescriptor` roles).
    pub claim_types: Vec<OfferedClaim>,
    pub want_authn_requests_signed: Option<String>,
    pub authn_requests_signed: Option<String>,
    pub want_assertions_signed: Option<String>,
    pub valid_until: Option<String>,
    pub display_names: Vec<Located>,
    pub scopes: Vec<Located>,
}

impl RoleDescriptor {
    /// Endpoints of one kind (`SingleSignOnService`...).
    pub fn endpoints_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Endpoint> + 'a {
        self.endpoints.iter().filter(move |e| e.kind == kind)
    }

    pub fn read(doc: &Document, node: NodeId) -> Option<RoleDescriptor> {
        let el = doc.element(node)?;
        if el.namespace() != Some(ns::METADATA) || !el.local().ends_with("Descriptor") {
            return None;
        }
        let kind = match el.local() {
            "IDPSSODescriptor" => RoleKind::Idp,
            "SPSSODescriptor" => RoleKind::Sp,
            "EntityDescriptor" | "EntitiesDescriptor" | "KeyDescriptor" => return None,
            _ => RoleKind::Other,
        };
        let xsi_type = el
            .attributes()
            .find(|a| a.namespace == Some(XSI_NS) && a.local == "type")
            .map(|a| a.value.to_string());
        let keys = doc
            .children_named(node, ns::METADATA, "KeyDescriptor")
            .map(|kd| {
                let usage = match attr(doc, kd, "use").as_deref() {
                    None => KeyUse::Both,
                    Some("signing") => KeyUse::Signing,
                    Some("encryption") => KeyUse::Encryption,
                    Some(_) => KeyUse::Unknown,
                };
                let certificates = doc
                    .child_named(kd, DSIG_NS, "KeyInfo")
                    .map(|ki| {
                        doc.children_named(ki, DSIG_NS, "X509Data")
                            .flat_map(|d| {
                                doc.children_named(d, DSIG_NS, "X509Certificate")
                                    .collect::<Vec<_>>()
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                KeyDescriptor {
                    node: kd,
                    usage,
                    certificates,
                }
            })
            .collect();
        let endpoints = doc
            .child_elements(node)
            .filter(|&c| {
                doc.element(c).is_some_and(|e| {
                    e.namespace() == Some(ns::METADATA)
                        && (e.local().ends_with("Service")
                            || e.local() == "AssertionConsumerService")
                })
            })
            .map(|c| Endpoint {
                node: c,
                kind: doc
                    .element(c)
                    .map(|e| e.local().to_string())
                    .unwrap_or_default(),
                binding: attr(doc, c, "Binding"),
                location: attr(doc, c, "Location"),
                response_location: attr(doc, c, "ResponseLocation"),
                index: attr(doc, c, "index"),
                is_default: attr(doc, c, "isDefault"),
            })
            .collect();
        let mut attributes: Vec<AdvertisedAttribute> = doc
            .children_named(node, ns::ASSERTION, "Attribute")
            .map(|a| AdvertisedAttribute {
                node: a,
                name: attr(doc, a, "Name").unwrap_or_default(),
                friendly_name: attr(doc, a, "FriendlyName"),
                required: false,
            })
            .collect();
        for acs in doc.children_named(node, ns::METADATA, "AttributeConsumingService") {
            for r in doc.children_named(acs, ns::METADATA, "RequestedAttribute") {
                attributes.push(AdvertisedAttribute {
                    node: r,
                    name: attr(doc, r, "Name").unwrap_or_default(),
                    friendly_name: attr(doc, r, "FriendlyName"),
                    required: attr(doc, r, "isRequired").as_deref() == Some("true"),
                });
            }
        }
        let extensions = doc.child_named(node, ns::METADATA, "Extensions");
        let ui = extensions.and_then(|x| doc.child_named(x, MDUI_NS, "UIInfo"));
        Some(RoleDescriptor {
            node,
            kind,
            name: el.qname(),
            xsi_type,
            protocols: attr(doc, node, "protocolSupportEnumeration")
                .map(|p| p.split_ascii_whitespace().map(str::to_string).collect())
                .unwrap_or_default(),
            keys,
            endpoints,
            name_id_formats: located_children(doc, node, ns::METADATA, "NameIDFormat"),
            attributes,
            claim_types: offered_claims(doc, node),
            want_authn_requests_signed: attr(doc, node, "WantAuthnRequestsSigned"),
            authn_requests_signed: attr(doc, node, "AuthnRequestsSigned"),
            want_assertions_signed: attr(doc, node, "WantAssertionsSigned"),
            valid_until: attr(doc, node, "validUntil"),
            display_names: ui
                .map(|u| located_children(doc, u, MDUI_NS, "DisplayName"))
                .unwrap_or_default(),
            scopes: extensions
                .map(|x| located_children(doc, x, SHIBMD_NS, "Scope"))
                .unwrap_or_default(),
        })
    }
}

/// `md:ContactPerson`.
#[derive(Debug, Clone)]
pub struct Contact {
    pub node: NodeId,
    pub contact_type: Option<String>,
    pub emails: Vec<Located>,
}

/// `md:EntityDescriptor`.
#[derive(Debug, Clone)]
pub struct EntityDescriptor {
    pub node: NodeId,
    pub entity_id: Option<String>,
    pub id: Option<String>,
    pub valid_until: Option<String>,
    pub cache_duration: Option<String>,
    pub roles: Vec<RoleDescriptor>,
    pub organization_names: Vec<Located>,
    pub contacts: Vec<Contact>,
    /// `mdrpi:RegistrationInfo/@registrationAuthority`.
    pub registration_authority: Option<String>,
    pub signature: Option<NodeId>,
}

impl EntityDescriptor {
    pub fn read(doc: &Document, node: NodeId) -> Option<EntityDescriptor> {
        if !doc.element(node)?.is(ns::METADATA, "EntityDescriptor") {
            return None;
        }
        let roles = doc
            .child_elements(node)
            .filter_map(|c| RoleDescriptor::read(doc, c))
            .collect();
        let organization_names = doc
            .child_named(node, ns::METADATA, "Organization")
            .map(|o| located_children(doc, o, ns::METADATA, "OrganizationName"))
            .unwrap_or_default();
        let contacts = doc
            .children_named(node, ns::METADATA, "ContactPerson")
            .map(|c| Contact {
                node: c,
                contact_type: attr(doc, c, "contactType"),
                emails: located_children(doc, c, ns::METADATA, "EmailAddress"),
            })
            .collect();
        let registration_authority = doc
            .child_named(node, ns::METADATA, "Extensions")
            .and_then(|x| doc.child_named(x, MDRPI_NS, "RegistrationInfo"))
            .and_then(|r| attr(doc, r, "registrationAuthority"));
        Some(EntityDescriptor {
            node,
            entity_id: attr(doc, node, "entityID"),
            id: attr(doc, node, "ID"),
            valid_until: attr(doc, node, "validUntil"),
            cache_duration: attr(doc, node, "cacheDuration"),
            roles,
            organization_names,
            contacts,
            registration_authority,
            signature: doc.child_named(node, DSIG_NS, "Signature"),
        })
    }

    pub fn idp(&self) -> Option<&RoleDescriptor> {
        self.roles.iter().find(|r| r.kind == RoleKind::Idp)
    }

    pub fn sp(&self) -> Option<&RoleDescriptor> {
        self.roles.iter().find(|r| r.kind == RoleKind::Sp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::Limits;

    fn entity(file: &str) -> (Document, NodeId) {
        let path = format!(
            "{}/fixtures/metadata/vendors/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        let doc = Document::parse_bytes(&std::fs::read(path).unwrap(), Limits::METADATA).unwrap();
        let root = doc.root();
        (doc, root)
    }

    #[test]
    fn reads_ws_federation_claim_types() {
        let (doc, root) = entity("entra.xml");
        let e = EntityDescriptor::read(&doc, root).unwrap();
        let sts = &e.roles[0];
        assert_eq!(
            sts.xsi_type.as_deref(),
            Some("fed:SecurityTokenServiceType")
        );
        assert!(sts.claim_types.iter().any(|c| c.uri
            == "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
            && c.display_name.as_deref() == Some("Email")));
        assert!(e.idp().unwrap().claim_types.is_empty());

        let (doc, root) = entity("adfs.xml");
        let e = EntityDescriptor::read(&doc, root).unwrap();
        let offered: usize = e.roles.iter().map(|r| r.claim_types.len()).sum();
        assert_eq!(offered, 17);
    }
}
