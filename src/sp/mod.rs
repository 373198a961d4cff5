//! The service provider under test: its profile (base URL + org slug -> entity ID, ACS, SLS,
//! login, by URL templates; `sentry` is built in), the slug check, the URL near-miss engine, the SP metadata to upload to the IdP, the
//! attribute mapping with per-vendor presets, and IdP vendor detection.

pub mod chars;
pub mod mapping;
pub mod metadata;
pub mod presets;
pub mod preview;
pub mod profile;
pub mod shape;
pub mod slug;
pub mod template;
pub mod url;
pub mod url_match;
pub mod vendor;

pub use metadata::{sp_metadata, SpMetadataError};
pub use profile::{ProfileError, SpProfile};
pub use slug::{validate as validate_slug, SlugError};
pub use template::{Template, TemplateError, TemplatesError, UrlKind, UrlTemplates};
pub use url_match::{check_url, Hint, UrlField, UrlMismatch};
