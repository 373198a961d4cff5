//! The HTTP front doors: the mock IdP (`samlcheck idp`) and the mock SP (`samlcheck serve`),
//! thin axum layers over the library.

pub mod accept;
pub mod clock;
pub mod idp;
pub mod sp;

pub use clock::Clock;
