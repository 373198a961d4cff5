//! The service provider under test.

pub mod profile;

pub use profile::SpProfile;
