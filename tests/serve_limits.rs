//! The mock SP on a real socket: slow clients are cut off, the connection cap holds without
//! starving later clients, and shutdown lets the server return.

mod serve_support;

use std::time::{Duration, Instant};

use samlcheck::saml::time::parse_instant;
use samlcheck::server::sp::{listen, Clock, SpApp, SpSettings};
use samlcheck::sp::SpProfile;
use serve_support::*;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use tokio::net::TcpListener;

/// Sends `request` on a plain blocking socket (tokio here has no io-util) and reads until the
/// server closes, at most 5 s.
async fn exchange(addr: SocketAddr, request: &'static [u8]) -> String {
    tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(request).unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off_and_shutdown_returns() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let sp = SpProfile::for_org(&format!("http://{addr}"), "acme");
    let mut settings = SpSettings::new(sp, fixture("metadata/okta.xml").as_bytes(), None).unwrap();
    settings.clock = Clock::Fixed(parse_instant(NOW).unwrap());
    settings.limits.header_timeout = Duration::from_millis(300);
    settings.limits.read_timeout = Duration::from_millis(300);
    settings.limits.max_connections = 1;
    let app = SpApp::new(settings).unwrap();
    let server = listen::spawn(listener, app.clone()).unwrap();
    assert_eq!(server.addr, addr);

    // Headers trickled and never finished: the connection is closed after the deadline.
    let started = Instant::now();
    let slow = tokio::spawn(exchange(addr, b"GET / HTTP/1.1\r\nHost: x\r\n"));
    tokio::time::sleep(Duration::from_millis(50)).await;
    // Meanwhile a second client waits for the only connection slot, and is then served.
    let waiting = tokio::spawn(exchange(
        addr,
        b"GET /api/logins HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ));
    let answer = slow.await.unwrap();
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    let served = waiting.await.unwrap();
    assert!(served.starts_with("HTTP/1.1 200"), "{served}");
    assert!(served.ends_with("[]"), "{served}");

    // A body that never arrives: 408 after the read timeout.
    let answer = exchange(
        addr,
        b"POST /saml/acs/acme/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nConnection: close\r\n\r\nSAML",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(app.logins().is_empty());

    let result = tokio::time::timeout(Duration::from_secs(10), server.stop())
        .await
        .expect("serve returns after shutdown");
    assert!(result.is_ok());
    assert!(TcpStream::connect(addr).is_err());
}
