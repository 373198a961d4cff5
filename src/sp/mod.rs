//! The service provider under test.

pub mod mapping;
pub mod presets;
pub mod profile;
pub mod vendor;

pub use profile::SpProfile;
