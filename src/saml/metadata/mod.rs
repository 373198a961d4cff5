//! SAML 2.0 metadata: the model of entities and their roles ([`model`]), and the IdP view a
//! verifier needs ([`IdpMetadata`]: entityID and signing certificates, the only trust anchors).

pub mod idp;
pub mod model;

pub use idp::{BadCertificate, IdpMetadata, MetadataError};
pub use model::{
    AdvertisedAttribute, EntityDescriptor, KeyDescriptor, KeyUse, OfferedClaim, RoleDescriptor,
    RoleKind,
};
