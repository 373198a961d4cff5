//! One test login through a fresh pair of mock servers: the mock IdP and the mock SP, each on a
//! free loopback port of the current tokio runtime, walked by the scripted browser from the
//! SP's login URL through the IdP to the SP's ACS, over real HTTP. `samlcheck demo` runs it
//! twice (clean, then with a fault); the end-to-end tests run it once per fault.
//!
//! ```no_run
//! # async fn demo() -> Result<(), samlcheck::server::pair::PairError> {
//! use samlcheck::server::idp::Fault;
//! use samlcheck::server::pair::{login, PairSettings};
//!
//! let mut settings = PairSettings::new("acme");
//! settings.fault = Some(Fault::Expired);
//! let done = login(&settings).await?;
//! assert!(!done.event.verdict.accepted);
//! assert!(done.event.login.reported("assertion/expired"));
//! # Ok(()) }
//! ```

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;

use super::accept::{self, ConnectionLimits};
use super::browser::{Browser, BrowserError, Step};
use super::clock::Clock;
use super::idp::{
    read_sp_metadata, router, Fault, IdpKey, IdpSettings, KeyError, MockIdp, SpMetadataReadError,
    SP_MAPPING,
};
use super::sp::{listen, LoginEvent, SettingsError, SpApp, SpKeys, SpSettings};
use crate::sp::mapping::{AttributeMapping, MappingError};
use crate::sp::{ProfileError, SpProfile};
use crate::xml::enc::EncryptionCert;

/// How the pair is set up for one login.
#[derive(Debug, Clone)]
pub struct PairSettings {
    pub org: String,
    /// Both servers' clock.
    pub clock: Clock,
    /// The user the IdP logs in directly (no login page).
    pub user: String,
    pub fault: Option<Fault>,
    /// The SP's key pair: it decrypts, and its certificate in the SP metadata makes the IdP
    /// encrypt for it.
    pub sp_keys: Option<SpKeys>,
    /// Have the IdP encrypt for this certificate instead of the SP metadata's.
    pub encrypt_for: Option<EncryptionCert>,
    /// Bound on each HTTP request of the walk.
    pub timeout: Duration,
}

impl PairSettings {
    /// A clean login for `org` as `jane.doe@{org}.example`, system clock, nothing encrypted.
    pub fn new(org: &str) -> PairSettings {
        PairSettings {
            org: org.to_string(),
            clock: Clock::System,
            user: format!("jane.doe@{org}.example"),
            fault: None,
            sp_keys: None,
            encrypt_for: None,
            timeout: Duration::from_secs(20),
        }
    }
}

/// A login that reached the ACS.
#[derive(Debug)]
pub struct PairLogin {
    /// The IdP's and the SP's base URLs (gone once this returns).
    pub idp_url: String,
    pub sp_url: String,
    /// The ACS and entity ID the IdP was told.
    pub sp: SpProfile,
    /// Every request of the walk, login URL first, ACS post last.
    pub steps: Vec<Step>,
    /// The ACS's answer: its status and the report page.
    pub status: u16,
    pub page: String,
    /// The checked login, as the SP recorded it (with source lines, for printing).
    pub event: Arc<LoginEvent>,
}

/// Why the login could not be run (a finding is never an error here: it is in the report).
#[derive(Debug, thiserror::Error)]
pub enum PairError {
    #[error("the org cannot be served: {0}")]
    Profile(#[from] ProfileError),
    #[error("cannot listen on loopback: {0}")]
    Listen(#[from] std::io::Error),
    #[error("the mock IdP's key: {0}")]
    IdpKey(#[from] KeyError),
    #[error("the mock SP: {0}")]
    Sp(#[from] SettingsError),
    #[error("the attribute mapping: {0}")]
    Mapping(#[from] MappingError),
    #[error("the SP metadata, as the IdP reads it: {0}")]
    SpMetadata(#[from] SpMetadataReadError),
    #[error("the browser: {0}")]
    Browser(#[from] BrowserError),
    #[error("the browser task stopped: {0}")]
    BrowserTask(String),
    #[error("the walk ended at {url} ({status}) without reaching the SP's ACS")]
    NoLogin {
        url: String,
        status: u16,
        steps: Vec<Step>,
    },
}

/// Starts the pair, walks one login through it, stops both servers and returns the login.
pub async fn login(settings: &PairSettings) -> Result<PairLogin, PairError> {
    let sp_listener = TcpListener::bind("127.0.0.1:0").await?;
    let idp_listener = TcpListener::bind("127.0.0.1:0").await?;
    let sp_url = format!("http://{}", sp_listener.local_addr()?);
    let idp_url = format!("http://{}", idp_listener.local_addr()?);
    let profile = SpProfile::for_valid_org(&sp_url, &settings.org)?;

    let mut idp_settings = IdpSettings::new(profile.clone(), IdpKey::bundled_test_key()?);
    idp_settings.user = Some(settings.user.clone());
    idp_settings.fault = settings.fault;
    idp_settings.clock = settings.clock;
    let idp = MockIdp::new(idp_settings, &idp_url);

    let mut sp_settings = SpSettings::new(profile.clone(), idp.metadata_xml().as_bytes(), None)?;
    sp_settings.clock = settings.clock;
    sp_settings.mapping = AttributeMapping::parse(SP_MAPPING)?;
    sp_settings.keys = settings.sp_keys.clone();
    let app = SpApp::new(sp_settings)?;
    // The IdP learns the certificate from the SP metadata, as `samlcheck idp --sp-metadata`.
    let encrypt_for = match &settings.encrypt_for {
        Some(cert) => Some(cert.clone()),
        None => read_sp_metadata(app.metadata_xml().as_bytes())?.encryption,
    };
    let idp = Arc::new(idp.encrypting_for(encrypt_for));

    let events = app.subscribe();
    let idp_server = accept::spawn(idp_listener, router(idp), ConnectionLimits::default())?;
    let sp_server = listen::spawn(sp_listener, app.clone())?;
    let start = app.url(&app.paths().login);
    let browser = Browser::new(settings.timeout);
    let walked = tokio::task::spawn_blocking(move || browser.walk(&start)).await;
    // The ACS records a login before it answers, so it is there once the walk is over.
    let event = events.borrow().clone();
    let stopped = (sp_server.stop().await, idp_server.stop().await);
    let walk = walked.map_err(|e| PairError::BrowserTask(e.to_string()))??;
    stopped.0?;
    stopped.1?;
    let Some(event) = event else {
        let last = walk.steps.last();
        return Err(PairError::NoLogin {
            url: last.map(|s| s.url.clone()).unwrap_or_default(),
            status: walk.status,
            steps: walk.steps,
        });
    };
    Ok(PairLogin {
        idp_url,
        sp_url,
        sp: profile,
        steps: walk.steps,
        status: walk.status,
        page: walk.page,
        event,
    })
}
