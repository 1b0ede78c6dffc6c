//! Employment-support facilities: the facility's invitation code and its linked
//! seekers (names through the store's one door).
pub mod api;
pub mod pages;
