//! Jobs for everyone: search, job pages with JSON-LD, reports of inaccurate postings,
//! and for seekers recommendations and saved searches (their alerts are swept by the
//! worker crate). Postings are
//! public business information.
pub mod api;
pub mod page;
pub mod recommendations;
pub mod reports;
pub mod search;
pub mod words;
