//! Metadata rules, one module per rule (or per closely tied pair), applied entity by entity.

pub mod binding;
pub mod endpoint_index;
pub mod entity_id;
pub mod insecure_endpoint;
pub mod name_id_format;
pub mod roles;
pub mod signed_requests;
pub mod sso_service;
pub mod valid_until;

use crate::checks::Finding;
use crate::saml::metadata::EntityDescriptor;
use crate::xml::{Document, NodeId};

/// What every metadata rule may need besides the entity.
pub struct MetadataContext<'a> {
    pub doc: &'a Document,
    pub now: time::OffsetDateTime,
    pub expiry_warning_days: i64,
    /// The nearest enclosing `validUntil` of an aggregate, which bounds the entity's own.
    pub inherited_valid_until: Option<(NodeId, String)>,
    /// The file holds this one entity (not an aggregate): it must then be an IdP, or an SP
    /// unless `require_idp`.
    pub single_entity: bool,
    /// An SP's metadata is an error too (where IdP metadata is expected: `check`, `lint --require-idp`).
    pub require_idp: bool,
}

/// Applies every metadata rule to one entity.
pub fn check_entity(
    ctx: &MetadataContext<'_>,
    entity: &EntityDescriptor,
    findings: &mut Vec<Finding>,
) {
    entity_id::check(ctx, entity, findings);
    roles::check(ctx, entity, findings);
    sso_service::check(ctx, entity, findings);
    binding::check(ctx, entity, findings);
    insecure_endpoint::check(ctx, entity, findings);
    endpoint_index::check(ctx, entity, findings);
    valid_until::check(ctx, entity, findings);
    name_id_format::check(ctx, entity, findings);
    signed_requests::check(ctx, entity, findings);
}
