//! Saving the seeker's own profile sections, sealed with the seeker's data key; sensitive
//! sections only while the 要配慮 consent stands.
use crate::accounts::Ctx;
use crate::audit::own_act as audit_setting;
use crate::consents::is_active;
use crate::error::{Result, StoreError};
use crate::schema::{certificate_reminders, profile_sections, users};
use crate::{DbConn, Keyring, Store};
use diesel::prelude::*;
use domain::profile::{Profile, Section};
use domain::{ConsentKind, UserKind};

pub(crate) fn section_json(p: &Profile, s: Section) -> Result<Option<serde_json::Value>> {
    let v = match s {
        Section::Basic => p.basic.as_ref().map(serde_json::to_value),
        Section::Disability => p.disability.as_ref().map(serde_json::to_value),
        Section::Accommodations => p.accommodations.as_ref().map(serde_json::to_value),
        Section::Traits => p.traits.as_ref().map(serde_json::to_value),
        Section::Career => p.career.as_ref().map(serde_json::to_value),
        Section::Desired => p.desired.as_ref().map(serde_json::to_value),
    };
    v.transpose()
        .map_err(|_| StoreError::Crypto("profile encoding"))
}

pub(crate) fn put_section(p: &mut Profile, s: Section, v: serde_json::Value) -> Result<()> {
    let bad = |_| StoreError::Crypto("profile decoding");
    match s {
        Section::Basic => p.basic = Some(serde_json::from_value(v).map_err(bad)?),
        Section::Disability => p.disability = Some(serde_json::from_value(v).map_err(bad)?),
        Section::Accommodations => p.accommodations = Some(serde_json::from_value(v).map_err(bad)?),
        Section::Traits => p.traits = Some(serde_json::from_value(v).map_err(bad)?),
        Section::Career => p.career = Some(serde_json::from_value(v).map_err(bad)?),
        Section::Desired => p.desired = Some(serde_json::from_value(v).map_err(bad)?),
    }
    Ok(())
}

/// Why a section could not be saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSaved {
    /// A sensitive section without the sensitive-data consent.
    NeedsSensitiveConsent,
    /// Not a seeker.
    NotASeeker,
}

/// Stores one validated section (inside a write transaction).
pub fn store_section(
    c: &mut DbConn,
    keys: &Keyring,
    seeker: &str,
    p: &Profile,
    s: Section,
    now: i64,
) -> Result<std::result::Result<(), NotSaved>> {
    let kind: Option<String> = users::table
        .filter(users::id.eq(seeker))
        .select(users::kind)
        .first(c)
        .optional()?;
    if kind.as_deref() != Some(UserKind::Seeker.as_str()) {
        return Ok(Err(NotSaved::NotASeeker));
    }
    if s.is_sensitive() && !is_active(c, seeker, ConsentKind::SensitiveData)? {
        return Ok(Err(NotSaved::NeedsSensitiveConsent));
    }
    let Some(v) = section_json(p, s)? else {
        return Ok(Ok(()));
    };
    let key = keys.subject_key(seeker)?;
    let sealed = key.seal(
        "profile_sections",
        s.as_str(),
        seeker,
        v.to_string().as_bytes(),
    )?;
    diesel::delete(
        profile_sections::table
            .filter(profile_sections::user_id.eq(seeker))
            .filter(profile_sections::section.eq(s.as_str())),
    )
    .execute(c)?;
    diesel::insert_into(profile_sections::table)
        .values((
            profile_sections::user_id.eq(seeker),
            profile_sections::section.eq(s.as_str()),
            profile_sections::data_enc.eq(sealed),
            profile_sections::updated_at.eq(now),
        ))
        .execute(c)?;
    if s == Section::Disability {
        diesel::delete(
            certificate_reminders::table.filter(certificate_reminders::user_id.eq(seeker)),
        )
        .execute(c)?;
        if let Some(on) = p.certificate_reminder() {
            diesel::insert_into(certificate_reminders::table)
                .values((
                    certificate_reminders::user_id.eq(seeker),
                    certificate_reminders::remind_on.eq(on.to_string()),
                ))
                .execute(c)?;
        }
    }
    Ok(Ok(()))
}

impl Store {
    /// Saves one section the seeker submitted (already validated).
    pub async fn save_section(
        &self,
        seeker: String,
        p: Profile,
        s: Section,
        ctx: Ctx,
        now: i64,
    ) -> Result<std::result::Result<(), NotSaved>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let r = store_section(c, &keys, &seeker, &p, s, now)?;
                if r.is_ok() {
                    audit_setting(
                        c,
                        &seeker,
                        format!("profile.update.{}", s.as_str()),
                        &ctx,
                        now,
                    )?;
                }
                Ok(r)
            })
            .await
    }
}
