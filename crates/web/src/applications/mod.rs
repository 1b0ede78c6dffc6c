//! Applications and scouts: a seeker applies (open or closed disclosure), a verified
//! company searches masked profiles and sends scouts, the seeker accepts or declines.
pub mod api;
