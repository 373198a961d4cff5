//! The mock SP of `samlcheck serve`: it stands on the org's own paths
//! (`{base}/saml/{login,acs,metadata,sls}/{org}/`), sends AuthnRequests to the IdP, and
//! answers every test login with a full diagnosis from the same pipeline as `verify`.
//!
//! In-process, for tests and for a demo with a mock IdP:
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
//! let server = tokio::spawn(listen::serve(listener, app.clone(), std::future::pending()));
//! // ... the IdP posts to {base}/saml/acs/acme/ ...
//! logins.changed().await?;
//! let event = logins.borrow().clone().expect("a login");
//! println!("accepted: {}", event.login.verdict.accepted);
//! server.abort();
//! # Ok(()) }
//! ```

pub mod app;
pub mod clock;
pub mod limits;
pub mod listen;
pub mod paths;
pub mod routes;
pub mod settings;
pub mod state;

pub use app::{LoginEvent, SpApp};
pub use clock::Clock;
pub use limits::ServerLimits;
pub use paths::Paths;
pub use settings::{SettingsError, SpSettings};
pub use state::Login;
