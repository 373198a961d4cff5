//! The HTTP front doors: the mock IdP (`samlcheck idp`) and the mock SP (`samlcheck serve`),
//! thin axum layers over the library; and, for `samlcheck demo` and end-to-end tests, the two
//! together on loopback with a scripted browser walking a login through them.

pub mod accept;
pub mod browser;
pub mod clock;
pub mod demo;
pub mod idp;
pub mod pair;
pub mod sp;

pub use clock::Clock;
