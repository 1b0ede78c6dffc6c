//! The types of the trade. Everything here parses and validates itself, does no I/O,
//! and takes the current time as a parameter.
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

pub mod account;
pub mod attachment;
pub mod billing;
pub mod consent;
pub mod console;
pub mod disclosure;
pub mod hiring;
pub mod incidents;
pub mod interview;
pub mod jobs;
pub mod ledger;
pub mod matching;
pub mod notice;
pub mod profile;
pub mod retention;
pub mod rights;
pub mod statistics;
pub mod support;
pub mod taxonomy;
pub mod validate;

pub use account::{OrgKind, Relation, Role, StaffRole, UserKind};
pub use consent::{ConsentKind, PolicyDraft};
pub use validate::{FieldError, Fields};
