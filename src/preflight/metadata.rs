//! "metadata valid": the IdP metadata read, the IdP entity chosen, and that entity linted with
//! the same rules as `samlcheck lint` (entity rules, certificates, the document's signature).
//! The validity of the signing certificates is judged by the certificate item, so their
//! findings are handed over to it.

use super::{Input, PreflightError};
use crate::checks::catalog::cert::{CERT_EXPIRED, CERT_EXPIRING_SOON, CERT_NOT_YET_VALID};
use crate::checks::catalog::preflight::PREFLIGHT_VENDOR_UNKNOWN;
use crate::checks::catalog::{METADATA_NOT_METADATA, METADATA_NO_IDP};
use crate::checks::cert::{
    all_certificate_nodes, check_certificate, check_signing_set, signing_certificate_nodes,
    CertContext,
};
use crate::checks::metadata::{check_entity, valid_until, MetadataContext};
use crate::checks::{Finding, Location};
use crate::lint::signature::{check_tree, SignatureSummary};
use crate::saml::metadata::{EntityDescriptor, IdpMetadata, MetadataError, RoleKind};
use crate::saml::ns;
use crate::sp::vendor::{detect, Detection};
use crate::xml::{Document, Limits, NodeId};

/// The IdP side of the preflight.
#[derive(Debug)]
pub struct IdpSide {
    /// The metadata's name (path or URL), for locations.
    pub name: String,
    pub doc: Document,
    /// The entity checked: the IdP's, or the document's only entity when it has no IdP.
    pub entity: Option<EntityDescriptor>,
    /// The IdP as the verifier sees it; `None` when the metadata describes none.
    pub idp: Option<IdpMetadata>,
    pub detection: Option<Detection>,
}

/// The lint findings, split between the two items that report them.
#[derive(Debug, Default)]
pub struct Linted {
    pub metadata: Vec<Finding>,
    /// Validity of the IdP's signing certificates, and the signing set (missing, rollover).
    pub certificates: Vec<Finding>,
    pub signature: Option<SignatureSummary>,
}

/// Reads the metadata and picks the IdP entity (`entity_id` for an aggregate). Only input
/// that is not XML, or an IdP choice that cannot be made, is an error (exit code 2); metadata
/// without an IdP is a finding.
pub fn load(input: &Input, entity_id: Option<&str>) -> Result<IdpSide, PreflightError> {
    let doc = Document::parse_bytes(&input.bytes, Limits::METADATA).map_err(|source| {
        PreflightError::MetadataXml {
            name: input.name.clone(),
            source,
        }
    })?;
    let idp = match IdpMetadata::from_document(&doc, entity_id) {
        Ok(idp) => Some(idp),
        Err(MetadataError::NoIdp | MetadataError::NotMetadata(_) | MetadataError::NoEntityId) => {
            None
        }
        Err(source) => {
            return Err(PreflightError::MetadataChoice {
                name: input.name.clone(),
                source,
            })
        }
    };
    let entity = entity_node(&doc, idp.as_ref()).and_then(|n| EntityDescriptor::read(&doc, n));
    let detection = entity.as_ref().and_then(detect);
    Ok(IdpSide {
        name: input.name.clone(),
        doc,
        entity,
        idp,
        detection,
    })
}

/// The IdP's EntityDescriptor, else the root when it is an entity.
fn entity_node(doc: &Document, idp: Option<&IdpMetadata>) -> Option<NodeId> {
    if let Some(idp) = idp {
        let found = doc.elements().find(|&n| {
            doc.element(n).is_some_and(|e| {
                e.is(ns::METADATA, "EntityDescriptor")
                    && e.attr("entityID").map(str::trim) == Some(idp.entity_id.as_str())
            }) && doc
                .child_named(n, ns::METADATA, "IDPSSODescriptor")
                .is_some()
        });
        if found.is_some() {
            return found;
        }
    }
    let root = doc.root();
    doc.element(root)
        .is_some_and(|e| e.is(ns::METADATA, "EntityDescriptor"))
        .then_some(root)
}

/// Lints the chosen entity as `samlcheck lint` would, and says when the vendor is unknown.
pub fn lint(side: &IdpSide, now: time::OffsetDateTime, expiry_warning_days: i64) -> Linted {
    let doc = &side.doc;
    let root = doc.root();
    let mut out = Linted::default();
    let root_el = doc.element(root);
    let is_metadata = root_el.as_ref().is_some_and(|e| {
        e.is(ns::METADATA, "EntityDescriptor") || e.is(ns::METADATA, "EntitiesDescriptor")
    });
    if !is_metadata {
        let qname = root_el.map(|e| e.qname()).unwrap_or_default();
        out.metadata.push(
            Finding::new(
                &METADATA_NOT_METADATA,
                format!("the root element is {qname}, not SAML metadata"),
            )
            .expected("md:EntityDescriptor or md:EntitiesDescriptor")
            .found(qname)
            .at(Location::of_node(doc, root)),
        );
        return finish(side, out);
    }
    let ctx = MetadataContext {
        doc,
        now,
        expiry_warning_days,
        inherited_valid_until: None,
        single_entity: side.entity.as_ref().is_some_and(|e| e.node == root),
        require_idp: true,
    };
    if root != side.entity.as_ref().map_or(root, |e| e.node) {
        if let Some(v) = doc.element(root).and_then(|e| e.attr("validUntil")) {
            valid_until::check_aggregate(&ctx, root, v, &mut out.metadata);
        }
    }
    match &side.entity {
        Some(entity) => {
            check_entity(&ctx, entity, &mut out.metadata);
            certificates(doc, entity, now, expiry_warning_days, &mut out);
        }
        None => out.metadata.push(
            Finding::new(
                &METADATA_NO_IDP,
                "no entity in the metadata describes an identity provider",
            )
            .expected("an md:EntityDescriptor with an md:IDPSSODescriptor")
            .found("none")
            .at(Location::of_node(doc, root)),
        ),
    }
    out.signature = check_tree(doc, root, None, &mut out.metadata);
    if side.entity.is_some() && side.detection.is_none() {
        out.metadata.push(
            Finding::new(
                &PREFLIGHT_VENDOR_UNKNOWN,
                "the IdP's entityID and endpoints match no known product; fixes use generic SAML names",
            )
            .found(side.idp.as_ref().map_or("", |i| i.entity_id.as_str())),
        );
    }
    finish(side, out)
}

/// Each certificate of the entity's roles, then each IdP role's signing set, as `lint` does.
fn certificates(
    doc: &Document,
    entity: &EntityDescriptor,
    now: time::OffsetDateTime,
    expiry_warning_days: i64,
    out: &mut Linted,
) {
    let ctx = CertContext {
        now,
        expiry_warning_days,
    };
    let validity = [
        CERT_EXPIRED.id,
        CERT_EXPIRING_SOON.id,
        CERT_NOT_YET_VALID.id,
    ];
    for role in entity.roles.iter().filter(|r| r.kind != RoleKind::Other) {
        let is_idp = role.kind == RoleKind::Idp;
        let signing_nodes = signing_certificate_nodes(doc, role.node);
        let mut signing = Vec::new();
        for node in all_certificate_nodes(doc, role.node) {
            let (der, found) = check_certificate(doc, node, &ctx);
            let signs = signing_nodes.contains(&node);
            for f in found {
                if is_idp && signs && validity.contains(&f.rule) {
                    out.certificates.push(f);
                } else {
                    out.metadata.push(f);
                }
            }
            if let (Some(der), true) = (der, signs) {
                signing.push((node, der));
            }
        }
        if is_idp {
            out.certificates
                .extend(check_signing_set(doc, role.node, &signing));
        }
    }
}

fn finish(side: &IdpSide, mut out: Linted) -> Linted {
    for f in out.metadata.iter_mut().chain(out.certificates.iter_mut()) {
        if let Some(loc) = &mut f.location {
            loc.file = Some(side.name.clone());
        }
    }
    out
}
