//! Applications and scouts: a seeker applies to a posting (open or closed disclosure) and
//! follows its stage; the company moves it and records the hire; a verified company
//! searches masked profiles and sends scouts, the seeker accepts or declines.
pub mod agency;
pub mod api;
pub mod pages;
pub mod scouts;
pub mod selection;
