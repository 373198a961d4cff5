//! The service provider under test.

pub mod chars;
pub mod profile;
pub mod slug;
pub mod url;

pub use profile::{ProfileError, SpProfile};
pub use slug::{validate as validate_slug, SlugError};
