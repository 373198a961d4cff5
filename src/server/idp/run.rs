//! Serving the mock IdP: on a listener until a shutdown signal, or in the background of a
//! test or demo ([`RunningIdp`]), with the base URL taken from the bound address when none
//! is given (so port 0 works). Connections go through the same hardened accept loop as the
//! mock SP's ([`crate::server::accept`]).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;

use super::{router, IdpSettings, MockIdp};
use crate::server::accept::{self, ConnectionLimits, Running};

/// Why the IdP cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the base URL {0:?} is not an http(s) URL such as http://127.0.0.1:8081")]
    BaseUrl(String),
}

/// Serves `idp` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    idp: Arc<MockIdp>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    accept::serve(listener, router(idp), ConnectionLimits::default(), shutdown).await
}

/// Binds `listen` and builds the IdP at `base_url` (default `http://` + the bound address).
pub async fn bind(
    settings: IdpSettings,
    listen: &str,
    base_url: Option<&str>,
) -> Result<(TcpListener, Arc<MockIdp>), ServeError> {
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|source| ServeError::Bind {
            addr: listen.to_string(),
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServeError::Bind {
        addr: listen.to_string(),
        source,
    })?;
    let base = match base_url {
        Some(b) if super::request::is_http_url(b.trim()) => b.to_string(),
        Some(b) => return Err(ServeError::BaseUrl(b.to_string())),
        None => format!("http://{addr}"),
    };
    Ok((listener, Arc::new(MockIdp::new(settings, &base))))
}

/// The IdP serving in the background of the current tokio runtime.
#[derive(Debug)]
pub struct RunningIdp {
    idp: Arc<MockIdp>,
    server: Running,
}

impl RunningIdp {
    /// Binds `listen` (`127.0.0.1:0` for a free port) and starts serving.
    pub async fn start(
        settings: IdpSettings,
        listen: &str,
        base_url: Option<&str>,
    ) -> Result<RunningIdp, ServeError> {
        let (listener, idp) = bind(settings, listen, base_url).await?;
        let server = accept::spawn(listener, router(idp.clone()), ConnectionLimits::default())
            .map_err(|source| ServeError::Bind {
                addr: listen.to_string(),
                source,
            })?;
        Ok(RunningIdp { idp, server })
    }

    pub fn idp(&self) -> &MockIdp {
        &self.idp
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.addr
    }

    pub fn base_url(&self) -> &str {
        self.idp.base_url()
    }

    /// Stops serving and waits for open connections to finish.
    pub async fn stop(self) -> std::io::Result<()> {
        self.server.stop().await
    }
}
