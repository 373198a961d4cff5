//! Everything the mock SP is run with: the SP profile, the IdP it trusts (from its metadata),
//! how logins are checked (clock, skew, rule settings, attribute mapping) and its limits.

use crate::config::Config;
use crate::saml::authn_request::{choose_sso, RequestSigner, SsoEndpoint};
use crate::saml::metadata::{EntityDescriptor, IdpMetadata, MetadataError};
use crate::saml::ns;
use crate::server::clock::Clock;
use crate::server::sp::keys::SpKeys;
use crate::server::sp::limits::ServerLimits;
use crate::sp::mapping::AttributeMapping;
use crate::sp::vendor::{self, Vendor};
use crate::sp::SpProfile;
use crate::xml::{Document, Limits};

/// Why the server cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("the IdP metadata cannot be used: {0}")]
    Metadata(#[from] MetadataError),
    #[error("the SP cannot be served: {0}")]
    Profile(String),
}

#[derive(Debug)]
pub struct SpSettings {
    pub profile: SpProfile,
    pub idp: IdpMetadata,
    /// Where the login route sends the browser; `None` when the metadata offers neither
    /// HTTP-Redirect nor HTTP-POST.
    pub idp_sso: Option<SsoEndpoint>,
    /// The IdP's `WantAuthnRequestsSigned`.
    pub idp_wants_signed_requests: bool,
    pub vendor: Option<Vendor>,
    /// Starts as the detected vendor's preset; the CLI applies `--preset`, `[map]`, `--map`.
    pub mapping: AttributeMapping,
    pub clock: Clock,
    /// Allowed clock difference, in seconds.
    pub clock_skew: i64,
    pub deny_warnings: bool,
    /// Rule severities from `samlcheck.toml`.
    pub config: Config,
    /// Signs AuthnRequests when the IdP wants them signed.
    pub signer: Option<RequestSigner>,
    /// Decrypts EncryptedAssertions; its certificate is published in the SP metadata (for
    /// encryption, and for signing while `signer` signs, so `signer` should hold this key).
    pub keys: Option<SpKeys>,
    pub limits: ServerLimits,
}

impl SpSettings {
    /// Settings for `profile` trusting the IdP described by `metadata` (XML), with the
    /// defaults: system clock, 300 s skew, no rule settings, the detected vendor's preset.
    pub fn new(
        profile: SpProfile,
        metadata: &[u8],
        idp_entity_id: Option<&str>,
    ) -> Result<SpSettings, SettingsError> {
        let doc = Document::parse_bytes(metadata, Limits::METADATA).map_err(MetadataError::from)?;
        let idp = IdpMetadata::from_document(&doc, idp_entity_id)?;
        let entity = doc
            .elements()
            .filter(|&n| {
                doc.element(n).is_some_and(|e| {
                    e.is(ns::METADATA, "EntityDescriptor")
                        && e.attr("entityID").map(str::trim) == Some(idp.entity_id.as_str())
                })
            })
            .filter_map(|n| EntityDescriptor::read(&doc, n))
            .find(|e| e.idp().is_some());
        let role = entity.as_ref().and_then(|e| e.idp());
        let vendor = entity.as_ref().and_then(vendor::detect).map(|d| d.vendor);
        let mapping = vendor
            .and_then(crate::sp::presets::for_vendor)
            .map(|p| p.mapping())
            .unwrap_or_default();
        Ok(SpSettings {
            profile,
            idp_sso: role.and_then(choose_sso),
            idp_wants_signed_requests: role
                .and_then(|r| r.want_authn_requests_signed.as_deref())
                .is_some_and(|v| matches!(v.trim(), "true" | "1")),
            idp,
            vendor,
            mapping,
            clock: Clock::System,
            clock_skew: 300,
            deny_warnings: false,
            config: Config::default(),
            signer: None,
            keys: None,
            limits: ServerLimits::default(),
        })
    }

    /// The signer to use for a request now: only when the IdP asks for signed requests.
    pub fn request_signer(&self) -> Option<&RequestSigner> {
        self.signer
            .as_ref()
            .filter(|_| self.idp_wants_signed_requests)
    }
}
