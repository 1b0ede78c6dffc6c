//! Supporters' proposed changes to a section: offered only for sections the supporter
//! sees in full, prefilled from the door's view, applied only when the seeker approves.
use crate::accounts::Ctx;
use crate::audit::own_act as audit_setting;
use crate::disclosure::{
    Access, Disclosed, SeekerView, Want, recipient_name, seeker_relationship, view_seeker_tx,
    visible_items,
};
use crate::error::{Result, StoreError};
use crate::profiles::sections::{NotSaved, put_section, section_json, store_section};
use crate::schema::profile_drafts;
use crate::{Store, new_id};
use diesel::prelude::*;
use domain::disclosure::{self, ProfileRel};
use domain::profile::{Date, Profile, Section};

/// A supporter's draft of a profile section, waiting for the seeker.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Draft {
    pub id: String,
    pub section: String,
    pub author_id: String,
    pub author_name: String,
    pub proposed: serde_json::Value,
    pub created_at: i64,
}

impl Store {
    /// A linked supporter proposes a change to one section; the seeker decides.
    pub async fn draft_section(
        &self,
        author: String,
        seeker: String,
        p: Profile,
        s: Section,
        now: i64,
    ) -> Result<Option<String>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                // A section the supporter may not see (e.g. after the sensitive-data
                // consent was withdrawn) cannot be proposed either.
                let (rel, _, items) = visible_items(c, &author, &seeker)?;
                if rel != ProfileRel::Supporter || !disclosure::sees_section(&items, s) {
                    return Ok(None);
                }
                let Some(v) = section_json(&p, s)? else {
                    return Ok(None);
                };
                let id = new_id();
                let key = keys.subject_key(&seeker)?;
                diesel::insert_into(profile_drafts::table)
                    .values((
                        profile_drafts::id.eq(&id),
                        profile_drafts::seeker_id.eq(&seeker),
                        profile_drafts::author_id.eq(&author),
                        profile_drafts::section.eq(s.as_str()),
                        profile_drafts::data_enc.eq(key.seal(
                            "profile_drafts",
                            "data",
                            &id,
                            v.to_string().as_bytes(),
                        )?),
                        profile_drafts::created_at.eq(now),
                    ))
                    .execute(c)?;
                Ok(Some(id))
            })
            .await
    }

    pub async fn drafts_for(&self, seeker: String) -> Result<Vec<Draft>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                let rows: Vec<(String, String, String, Vec<u8>, i64)> = profile_drafts::table
                    .filter(profile_drafts::seeker_id.eq(&seeker))
                    .filter(profile_drafts::decided_at.is_null())
                    .order(profile_drafts::created_at.asc())
                    .select((
                        profile_drafts::id,
                        profile_drafts::section,
                        profile_drafts::author_id,
                        profile_drafts::data_enc,
                        profile_drafts::created_at,
                    ))
                    .load(c)?;
                let mut out = Vec::new();
                for (id, section, author_id, enc, created_at) in rows {
                    let plain = keys.open("profile_drafts", "data", &id, &enc)?;
                    let proposed = serde_json::from_slice(&plain)
                        .map_err(|_| StoreError::Crypto("draft decoding"))?;
                    let author_name =
                        recipient_name(c, &keys, &author_id)?.unwrap_or_else(|| "—".into());
                    out.push(Draft {
                        id,
                        section,
                        author_id,
                        author_name,
                        proposed,
                        created_at,
                    });
                }
                Ok(out)
            })
            .await
    }

    /// The seeker approves (the section is saved) or rejects a draft.
    pub async fn decide_draft(
        &self,
        seeker: String,
        id: String,
        approve: bool,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<std::result::Result<(), NotSaved>>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let row: Option<(String, Vec<u8>)> = profile_drafts::table
                    .filter(profile_drafts::id.eq(&id))
                    .filter(profile_drafts::seeker_id.eq(&seeker))
                    .filter(profile_drafts::decided_at.is_null())
                    .select((profile_drafts::section, profile_drafts::data_enc))
                    .first(c)
                    .optional()?;
                let Some((section, enc)) = row else {
                    return Ok(None);
                };
                let Some(s) = Section::parse(&section) else {
                    return Ok(None);
                };
                if approve {
                    let plain = keys.open("profile_drafts", "data", &id, &enc)?;
                    let v: serde_json::Value = serde_json::from_slice(&plain)
                        .map_err(|_| StoreError::Crypto("draft decoding"))?;
                    let mut p = Profile::default();
                    put_section(&mut p, s, v)?;
                    if let Err(e) = store_section(c, &keys, &seeker, &p, s, now)? {
                        return Ok(Some(Err(e)));
                    }
                }
                diesel::update(profile_drafts::table.filter(profile_drafts::id.eq(&id)))
                    .set((
                        profile_drafts::decided_at.eq(Some(now)),
                        profile_drafts::decision.eq(if approve { "approved" } else { "rejected" }),
                    ))
                    .execute(c)?;
                audit_setting(
                    c,
                    &seeker,
                    format!(
                        "profile.draft.{}",
                        if approve { "approve" } else { "reject" }
                    ),
                    &ctx,
                    now,
                )?;
                Ok(Some(Ok(())))
            })
            .await
    }
}

impl Store {
    /// What a supporter's proposal form for section `s` starts from: only for the linked
    /// facility's staff, only when the policy lets them see the whole section, and read
    /// through the door (logged and recorded; the items are the section's).
    pub async fn draft_base(
        &self,
        supporter: String,
        seeker: String,
        s: Section,
        ctx: Ctx,
        today: Date,
        now: i64,
    ) -> Result<Option<Disclosed<SeekerView>>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let (rel, _) = seeker_relationship(c, &supporter, &seeker)?;
                if rel != ProfileRel::Supporter {
                    return Ok(None);
                }
                let a = Access::new(&supporter, "supporter_draft", &ctx, now);
                let want = Want::Only(disclosure::section_items(s));
                Ok(view_seeker_tx(c, &keys, &a, &seeker, want, today)?
                    .filter(|d| d.view().sees_section(s)))
            })
            .await
    }
}
