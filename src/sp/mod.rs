//! The service provider under test: its profile (base URL + org slug -> entity ID, ACS, SLS),
//! the slug check, the URL near-miss engine, and the SP metadata to upload to the IdP.

pub mod chars;
pub mod metadata;
pub mod profile;
pub mod slug;
pub mod url;
pub mod url_match;

pub use metadata::{sp_metadata, SpMetadataError};
pub use profile::{ProfileError, SpProfile};
pub use slug::{validate as validate_slug, SlugError};
pub use url_match::{check_url, Hint, UrlField, UrlMismatch};
