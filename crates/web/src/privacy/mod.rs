//! The seeker's privacy settings: consents per category and recipient, scouts on or
//! off and their sections, blocked companies, the supporter link, family shares,
//! partner companies, and the third-party provision records with their downloads.
pub mod api;
pub mod pages;
