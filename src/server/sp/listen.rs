//! Running the mock SP on a socket with the shared hardened accept loop
//! ([`crate::server::accept`]): header deadline, bounded head, connection cap, graceful
//! shutdown; `--once` and the background handle for tests and `demo` on top.

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::app::{LoginEvent, SpApp};
use crate::server::accept;
pub use crate::server::accept::Running;

/// Serves `app` on `listener` until `shutdown` completes, then stops accepting, lets open
/// connections finish their current request (within the shutdown grace) and returns.
pub async fn serve(
    listener: TcpListener,
    app: SpApp,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let limits = app.settings().limits.connections();
    accept::serve(listener, app.router(), limits, shutdown).await
}

/// Serves `app` until the first post to the ACS has been answered (or `interrupted`
/// completes), and returns that login; `None` when interrupted first. `--once` is this.
pub async fn serve_until_login(
    listener: TcpListener,
    app: SpApp,
    interrupted: impl Future<Output = ()> + Send,
) -> std::io::Result<Option<Arc<LoginEvent>>> {
    let mut events = app.subscribe();
    events.mark_unchanged();
    let (found, first) = oneshot::channel();
    let shutdown = async move {
        tokio::select! {
            _ = interrupted => {}
            changed = events.changed() => {
                if changed.is_ok() {
                    let event = events.borrow_and_update().clone();
                    let _ = found.send(event);
                }
            }
        }
    };
    serve(listener, app, shutdown).await?;
    Ok(first.await.ok().flatten())
}

/// Starts serving `app` on `listener` in the background.
pub fn spawn(listener: TcpListener, app: SpApp) -> std::io::Result<Running> {
    let limits = app.settings().limits.connections();
    accept::spawn(listener, app.router(), limits)
}
