//! The service provider under test.

pub mod chars;
pub mod profile;
pub mod slug;

pub use profile::SpProfile;
pub use slug::{validate as validate_slug, SlugError};
