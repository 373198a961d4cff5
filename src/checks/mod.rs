//! The rule catalog and the checks that produce findings.

pub mod catalog;
pub mod finding;
pub mod response;

pub use catalog::Rule;
pub use finding::{Finding, Location, Severity};
