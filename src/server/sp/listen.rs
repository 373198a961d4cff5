//! Running the router on a socket, with the limits axum's own `serve` has no knobs for: a
//! deadline for request headers (slow clients cannot hold a connection open by trickling
//! bytes, and idle keep-alive connections are closed), a bounded header buffer, a cap on open
//! connections, and a graceful shutdown that lets in-flight requests finish.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch, Semaphore};
use tokio::task::JoinHandle;
use tower::ServiceExt;

use super::app::{LoginEvent, SpApp};

/// Largest request head (request line and headers), in bytes.
const MAX_HEAD: usize = 64 * 1024;

/// Serves `app` on `listener` until `shutdown` completes, then stops accepting, lets open
/// connections finish their current request (within the shutdown grace) and returns.
pub async fn serve(
    listener: TcpListener,
    app: SpApp,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let limits = app.settings().limits.clone();
    let router = app.router();
    let max = limits.max_connections.clamp(1, Semaphore::MAX_PERMITS);
    let permits = Arc::new(Semaphore::new(max));
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::pin!(shutdown);

    loop {
        let permit = tokio::select! {
            _ = &mut shutdown => break,
            p = permits.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait instead of spinning.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(
            router
                .clone()
                .map_request(|r: Request<Incoming>| r.map(Body::new)),
        );
        let mut stop = stop_rx.clone();
        let header_timeout = limits.header_timeout;
        let grace = limits.shutdown_grace;
        tokio::spawn(async move {
            let _permit = permit;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .max_buf_size(MAX_HEAD);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                // The guard `wait_for` returns is not Send; only the event matters.
                _ = async { stop.wait_for(|stopped| *stopped).await.is_ok() } => {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(grace, conn).await;
                }
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every connection holds a permit; all of them back means all connections are done.
    let _ = tokio::time::timeout(
        limits.shutdown_grace + Duration::from_millis(100),
        permits.acquire_many(max as u32),
    )
    .await;
    Ok(())
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

/// A mock SP serving on a task of the current runtime (for tests and `demo`).
#[derive(Debug)]
pub struct Running {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

/// Starts serving `app` on `listener` in the background.
pub fn spawn(listener: TcpListener, app: SpApp) -> std::io::Result<Running> {
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, app, async {
        let _ = stopped.await;
    }));
    Ok(Running {
        addr,
        stop: Some(stop),
        task,
    })
}

impl Running {
    /// Stops accepting, lets open requests finish, and waits for the server to end.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match (&mut self.task).await {
            Ok(result) => result,
            Err(e) => Err(std::io::Error::other(e)),
        }
    }
}
