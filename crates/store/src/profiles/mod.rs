//! Seeker profiles: the sections (sealed with the seeker's data key), the seeker's
//! privacy settings and provision records, applications and scouts, supporters'
//! proposals, the facility's side and the certificate reminder.
//!
//! Nothing here reads another person's profile: every such read goes through
//! [`crate::disclosure`], the one door.
pub mod applications;
pub mod facility;
pub mod privacy;
pub mod proposals;
pub mod reminders;
pub mod sections;

pub use crate::disclosure::{Disclosed, SeekerView, Want};
pub use crate::orgs::OrgRef;
pub use applications::ScoutRow;
pub use privacy::{
    FAMILY_CATEGORIES, FamilyShare, Privacy, ProvisionRecord, Setting, SettingRefused,
};
pub use proposals::Draft;
pub use sections::NotSaved;
