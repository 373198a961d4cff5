//! The service provider under test.

pub mod profile;
pub mod vendor;

pub use profile::SpProfile;
