//! The seeker's privacy settings: consents per category and recipient, scouts on or
//! off and their sections, blocked companies, the supporter link, family shares,
//! partner companies, and the third-party provision records with their downloads;
//! `export`: the download of everything held about the person (開示).
pub mod api;
pub mod export;
pub mod pages;
pub mod policy;
pub mod requests;
