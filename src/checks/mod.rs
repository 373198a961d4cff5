//! The rule catalog and the checks that produce findings.

pub mod catalog;
pub mod cert;
pub mod finding;
pub mod mapping;
pub mod metadata;
pub mod response;

pub use catalog::Rule;
pub use finding::{Finding, Location, Severity};
