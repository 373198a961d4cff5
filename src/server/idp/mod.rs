//! `samlcheck idp`: a mock SAML IdP for demos, tests and users without an IdP at hand. It
//! serves its metadata, answers AuthnRequests (HTTP-Redirect and HTTP-POST) with a login page
//! or a configured user, and posts a signed Response to the SP's ACS, optionally with one
//! deliberate [`Fault`]. When the SP's metadata carries an encryption certificate (or one is
//! given), the assertion is encrypted for it.
//!
//! Running it in-process, e.g. for an end-to-end test against the mock SP:
//!
//! ```no_run
//! use samlcheck::server::idp::{IdpKey, IdpSettings, RunningIdp};
//! use samlcheck::sp::SpProfile;
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let sp = SpProfile::for_org("http://127.0.0.1:8080", "acme");
//! let mut settings = IdpSettings::new(sp, IdpKey::bundled_test_key()?);
//! settings.user = Some("jane.doe@acme.example".into());
//! let idp = RunningIdp::start(settings, "127.0.0.1:0", None).await?;
//! let metadata_xml = idp.idp().metadata_xml(); // give this to the SP
//! let sso = idp.idp().sso_url();               // send the AuthnRequest here
//! idp.stop().await?;
//! # Ok(()) }
//! ```

pub mod chars;
pub mod fault;
pub mod form;
pub mod html;
pub mod keys;
pub mod metadata;
pub mod request;
pub mod response;
pub mod routes;
pub mod run;
pub mod sp;

pub use crate::server::clock::Clock;
pub use fault::{CheckedBy, Fault, UnknownFault};
pub use keys::{IdpKey, KeyError, KeySource};
pub use metadata::idp_metadata;
pub use request::{AuthnRequest, RequestError};
pub use response::{
    encode_for_post, issue_response, Ids, IssueError, ResponseSpec, User, UserAttribute, SP_MAPPING,
};
pub use routes::router;
pub use run::{bind, serve, RunningIdp, ServeError};
pub use sp::{read_sp_metadata, sp_from_metadata, target_for, SpFromMetadata, SpMetadataReadError};

use crate::sp::SpProfile;
use crate::xml::enc::EncryptionCert;

/// How the mock IdP behaves.
#[derive(Debug)]
pub struct IdpSettings {
    /// The SP answered when a request names no ACS / Issuer, and for IdP-initiated login.
    pub sp: SpProfile,
    pub key: IdpKey,
    /// Log this user in without showing the login page.
    pub user: Option<String>,
    /// `NAME=VALUE` attribute overrides and additions (see [`User::with_overrides`]).
    pub attributes: Vec<(String, String)>,
    pub fault: Option<Fault>,
    pub clock: Clock,
    /// Sign the Response as well as the Assertion.
    pub sign_response: bool,
    /// Encrypt assertions for this SP certificate (from the SP metadata or `--encrypt-for`).
    pub encrypt_for: Option<EncryptionCert>,
}

impl IdpSettings {
    /// A well-behaved IdP for `sp`: login page, assertion signed, system clock.
    pub fn new(sp: SpProfile, key: IdpKey) -> IdpSettings {
        IdpSettings {
            sp,
            key,
            user: None,
            attributes: Vec::new(),
            fault: None,
            clock: Clock::System,
            sign_response: false,
            encrypt_for: None,
        }
    }
}

/// The IdP at its public base URL.
#[derive(Debug)]
pub struct MockIdp {
    settings: IdpSettings,
    base_url: String,
}

impl MockIdp {
    /// The IdP as seen at `base_url` (`http://127.0.0.1:8081`; a final `/` is dropped).
    pub fn new(settings: IdpSettings, base_url: &str) -> MockIdp {
        MockIdp {
            settings,
            base_url: base_url.trim().trim_end_matches('/').to_string(),
        }
    }

    pub fn settings(&self) -> &IdpSettings {
        &self.settings
    }

    /// This IdP, encrypting assertions for `cert`. For setups where the SP's metadata (which
    /// names the certificate) can only be made once the IdP's metadata exists.
    pub fn encrypting_for(mut self, cert: Option<EncryptionCert>) -> MockIdp {
        self.settings.encrypt_for = cert;
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The entity ID, which is also where the metadata is served.
    pub fn entity_id(&self) -> String {
        format!("{}/metadata", self.base_url)
    }

    pub fn sso_url(&self) -> String {
        format!("{}/sso", self.base_url)
    }

    pub fn idp_initiated_url(&self) -> String {
        format!("{}/sso/idp-initiated", self.base_url)
    }

    /// The user a login name stands for, with the configured attributes applied.
    pub fn user(&self, login: &str) -> User {
        User::from_login(login).with_overrides(&self.settings.attributes)
    }

    /// The metadata XML, advertising the attributes responses carry.
    pub fn metadata_xml(&self) -> String {
        let sample = self.user("user@example.com");
        let names: Vec<&str> = sample
            .attribute_names()
            .filter(|n| {
                !(self.settings.fault == Some(Fault::MissingEmail)
                    && n.eq_ignore_ascii_case("email"))
            })
            .collect();
        idp_metadata(
            &self.entity_id(),
            &self.sso_url(),
            &self.settings.key,
            &names,
        )
    }

    /// A signed Response (XML) logging `login` in to `sp`, with the configured fault.
    pub fn issue(
        &self,
        sp: &SpProfile,
        login: &str,
        in_response_to: Option<&str>,
    ) -> Result<String, IssueError> {
        let user = self.user(login);
        let entity_id = self.entity_id();
        issue_response(&ResponseSpec {
            in_response_to,
            sign_response: self.settings.sign_response,
            fault: self.settings.fault,
            encrypt_for: self.settings.encrypt_for.as_ref(),
            ..ResponseSpec::new(
                &entity_id,
                sp,
                &user,
                &self.settings.key.signing,
                self.settings.clock.now(),
                Ids::random()?,
            )
        })
    }

    fn banner(&self) -> html::Banner<'_> {
        html::Banner {
            test_key: self.settings.key.source == KeySource::BundledTestKey,
            fault: self.settings.fault.map(|f| (f.name(), f.description())),
        }
    }
}
