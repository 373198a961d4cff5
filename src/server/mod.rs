//! The HTTP front doors: the mock IdP (and the mock SP), thin axum layers over the library.

pub mod idp;
