//! The service provider under test.

pub mod chars;
pub mod profile;
pub mod slug;
pub mod url;
pub mod url_match;

pub use profile::{ProfileError, SpProfile};
pub use slug::{validate as validate_slug, SlugError};
pub use url_match::{check_url, Hint, UrlField, UrlMismatch};
