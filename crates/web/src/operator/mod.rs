//! The operator's desk (運営の確認): company verification, posting review, reports of
//! postings and barrier reports.
pub mod api;
pub mod pages;
