//! The operator's desk (運営の確認): company verification, posting review, reports of
//! postings and barrier reports; the privacy officer's desk of rights requests and the incident register.
pub mod accounts;
pub mod api;
pub mod audit;
pub mod incidents;
pub mod pages;
pub mod policy;
pub mod requests;
