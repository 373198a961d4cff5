//! The mock SP of `samlcheck serve`: it stands on the org's own paths
//! (`{base}/saml/{login,acs,metadata,sls}/{org}/`), sends AuthnRequests to the IdP, and
//! answers every test login with a full diagnosis from the same pipeline as `verify`.
//!
//! [`SpApp::router`] is the axum router, for in-process tests with tower's `oneshot`;
//! [`listen::serve`] runs it on a socket with the limits, and [`listen::spawn`] in the
//! background, as an end-to-end test or a demo with a mock IdP does:
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use samlcheck::server::sp::{listen, SpApp, SpSettings};
//! use samlcheck::sp::SpProfile;
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let base = format!("http://{}", listener.local_addr()?);
//! let metadata = std::fs::read("fixtures/metadata/okta.xml")?;
//! let settings = SpSettings::new(SpProfile::for_org(&base, "acme"), &metadata, None)?;
//! let app = SpApp::new(settings)?;
//! let mut logins = app.subscribe();
//! let server = listen::spawn(listener, app.clone())?;
//! // ... the browser, driven by a mock IdP, posts to {base}/saml/acs/acme/ ...
//! logins.changed().await?;
//! let event = logins.borrow_and_update().clone().expect("a login");
//! println!("accepted: {}", event.login.verdict.accepted);
//! server.stop().await?;
//! # Ok(()) }
//! ```

pub mod app;
pub mod keys;
pub mod limits;
pub mod listen;
pub mod paths;
pub mod routes;
pub mod settings;
pub mod state;

pub use crate::server::clock::Clock;
pub use app::{LoginEvent, SpApp};
pub use keys::{SpKeyError, SpKeySource, SpKeys};
pub use limits::ServerLimits;
pub use paths::Paths;
pub use settings::{SettingsError, SpSettings};
pub use state::Login;
