//! The mock SP as one value: settings, routes and state, cheap to clone into every request.
//! [`SpApp::router`] is the axum router (drive it in-process with tower's `oneshot`);
//! [`crate::server::sp::listen::serve`] runs it on a socket.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::routing::get;
use axum::Router;
use time::OffsetDateTime;
use tokio::sync::watch;

use super::paths::Paths;
use super::routes;
use super::settings::{SettingsError, SpSettings};
use super::state::{IssuedRequests, Login, RecentLogins, ReplayCache, Seen};
use crate::checks::response::Verdict;
use crate::sp::metadata::{CertificateUse, SpCertificate};
use crate::sp::url::UrlParts;

/// A checked post to the ACS as it happened: the stored login, and the verdict with its full
/// source lines (the stored one keeps none, to bound memory) for printing it once.
#[derive(Debug)]
pub struct LoginEvent {
    pub login: Arc<Login>,
    pub verdict: Verdict,
}

#[derive(Clone)]
pub struct SpApp {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for SpApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpApp")
            .field("paths", &self.inner.paths)
            .finish_non_exhaustive()
    }
}

struct Inner {
    settings: SpSettings,
    paths: Paths,
    /// `scheme://host[:port]` of the SP's URLs, for absolute links.
    origin: String,
    metadata_xml: String,
    requests: Mutex<IssuedRequests>,
    replay: Mutex<ReplayCache>,
    logins: Mutex<RecentLogins>,
    next_login: AtomicU64,
    events: watch::Sender<Option<Arc<LoginEvent>>>,
}

/// The SP certificate for IdPs to encrypt for, and to check signed AuthnRequests with when
/// this server signs them.
fn published_certificates(settings: &SpSettings) -> Vec<SpCertificate> {
    let Some(keys) = &settings.keys else {
        return Vec::new();
    };
    let der = keys.certificate_der().to_vec();
    let mut certs = vec![SpCertificate {
        usage: CertificateUse::Encryption,
        der: der.clone(),
    }];
    if settings.request_signer().is_some() {
        certs.push(SpCertificate {
            usage: CertificateUse::Signing,
            der,
        });
    }
    certs
}

/// A poisoned lock only means another request panicked mid-update; the data is still usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl SpApp {
    pub fn new(settings: SpSettings) -> Result<SpApp, SettingsError> {
        let paths = Paths::for_profile(&settings.profile).map_err(SettingsError::Profile)?;
        let metadata_xml = crate::sp::metadata::sp_metadata_with_certificates(
            &settings.profile,
            &published_certificates(&settings),
        )
        .map_err(|e| SettingsError::Profile(e.to_string()))?;
        let origin = UrlParts::split(&settings.profile.acs)
            .map(|u| match u.port {
                Some(port) => format!("{}://{}:{port}", u.scheme, u.host),
                None => format!("{}://{}", u.scheme, u.host),
            })
            .unwrap_or_default();
        let limits = &settings.limits;
        Ok(SpApp {
            inner: Arc::new(Inner {
                requests: Mutex::new(IssuedRequests::new(limits)),
                replay: Mutex::new(ReplayCache::new(limits)),
                logins: Mutex::new(RecentLogins::new(limits.max_logins)),
                next_login: AtomicU64::new(1),
                events: watch::Sender::new(None),
                settings,
                paths,
                origin,
                metadata_xml,
            }),
        })
    }

    /// Every route of the mock SP, with the security headers and the explaining 404/405 pages.
    pub fn router(&self) -> Router {
        let p = &self.inner.paths;
        let mut router = Router::new()
            .route(&p.index, get(routes::index::page))
            .route(&p.login, get(routes::login::start))
            .route(
                &p.acs,
                axum::routing::post(routes::acs::post).get(routes::acs::get),
            )
            .route(&p.metadata, get(routes::metadata::get))
            .route(&p.api_logins, get(routes::api::logins))
            .route(
                &format!("{}{{number}}", p.reports),
                get(routes::index::report),
            );
        if let Some(sls) = &p.sls {
            router = router.route(sls, get(routes::sls::get).post(routes::sls::post));
        }
        router
            .fallback(routes::errors::not_found)
            .method_not_allowed_fallback(routes::errors::method_not_allowed)
            .layer(axum::middleware::map_response(routes::security_headers))
            .with_state(self.clone())
    }

    pub fn settings(&self) -> &SpSettings {
        &self.inner.settings
    }

    pub fn paths(&self) -> &Paths {
        &self.inner.paths
    }

    /// The absolute URL of a path on this SP, as the IdP and the browser see it.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.inner.origin)
    }

    /// The SP metadata XML served at the metadata path.
    pub fn metadata_xml(&self) -> &str {
        &self.inner.metadata_xml
    }

    /// Remembers an AuthnRequest ID as sent by this server (the login route does this; tests
    /// use it to post a fixture that answers a known request).
    pub fn remember_request(&self, id: &str) {
        let now = self.settings().clock.now();
        lock(&self.inner.requests).issue(id, now);
    }

    pub fn was_issued(&self, id: &str, now: OffsetDateTime) -> bool {
        lock(&self.inner.requests).was_issued(id, now)
    }

    /// Remembers an assertion ID; when it was already seen, says when.
    pub fn replay_check(
        &self,
        assertion_id: &str,
        login: u64,
        now: OffsetDateTime,
    ) -> Option<Seen> {
        lock(&self.inner.replay).check(assertion_id, login, now)
    }

    /// Checks a body posted to the ACS (a form with SAMLResponse, or any form `verify` reads),
    /// records it as a test login and returns it.
    pub fn receive_response(&self, body: &[u8]) -> Arc<Login> {
        routes::acs::check(self, body)
    }

    pub(crate) fn next_login_number(&self) -> u64 {
        self.inner.next_login.fetch_add(1, Ordering::Relaxed)
    }

    pub(crate) fn record(&self, event: LoginEvent) -> Arc<Login> {
        let login = event.login.clone();
        lock(&self.inner.logins).push(login.clone());
        self.inner.events.send_replace(Some(Arc::new(event)));
        login
    }

    /// Recent logins, newest first.
    pub fn logins(&self) -> Vec<Arc<Login>> {
        lock(&self.inner.logins).newest_first()
    }

    pub fn login(&self, number: u64) -> Option<Arc<Login>> {
        lock(&self.inner.logins).get(number)
    }

    /// Notified on every checked ACS post (the latest only); `--once` waits on it.
    pub fn subscribe(&self) -> watch::Receiver<Option<Arc<LoginEvent>>> {
        self.inner.events.subscribe()
    }

    /// Links shown at the top of every page.
    pub(crate) fn nav(&self) -> Vec<(&'static str, String)> {
        let p = self.paths();
        vec![
            ("Recent test logins", p.index.clone()),
            ("Start a test login", p.login.clone()),
            ("SP metadata", p.metadata.clone()),
        ]
    }
}
