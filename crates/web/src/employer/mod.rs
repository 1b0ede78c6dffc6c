//! Employers: the company profile, job postings through review, and recommended
//! candidates (masked seekers, through the store's one door, verified companies only).
pub mod api;
pub mod applications;
pub mod candidates;
pub mod company;
pub mod postings;
