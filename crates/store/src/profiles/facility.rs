//! The facility's side of the supporter link: its invitation code and its linked seekers
//! (names read through the door, so each listing is logged and recorded).
use crate::Store;
use crate::accounts::Ctx;
use crate::disclosure::{Access, Want, view_seeker_tx};
use crate::error::Result;
use crate::orgs::org_of_kind;
use crate::schema::organizations;
use diesel::prelude::*;
use domain::disclosure::PItem;
use domain::profile::Date;
use domain::{ConsentKind, OrgKind};

/// An 8-character facility invitation code without look-alike characters.
pub(crate) fn new_code() -> String {
    use rand_core::RngCore;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 8];
    rand_core::OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect()
}

impl Store {
    /// The invitation code of a facility the supporter belongs to (made on first use).
    pub async fn facility_code(&self, supporter: String) -> Result<Option<(String, String)>> {
        self.db
            .write(move |c| {
                let Some(org) = org_of_kind(c, &supporter, OrgKind::Facility)?
                    .into_iter()
                    .next()
                else {
                    return Ok(None);
                };
                let code: Option<String> = organizations::table
                    .filter(organizations::id.eq(&org))
                    .select(organizations::invite_code)
                    .first(c)?;
                let code = match code {
                    Some(code) => code,
                    None => {
                        let code = new_code();
                        diesel::update(organizations::table.filter(organizations::id.eq(&org)))
                            .set(organizations::invite_code.eq(&code))
                            .execute(c)?;
                        code
                    }
                };
                Ok(Some((org, code)))
            })
            .await
    }

    /// Seekers linked to the supporter's facility: (seeker id, name), each name read
    /// through the door (logged and recorded as a provision to the facility).
    pub async fn facility_seekers(
        &self,
        supporter: String,
        ctx: Ctx,
        today: Date,
        now: i64,
    ) -> Result<Vec<(String, String)>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let a = Access::new(&supporter, "facility_list", &ctx, now);
                let mut out = Vec::new();
                for org in org_of_kind(c, &supporter, OrgKind::Facility)? {
                    let seekers: Vec<String> = crate::schema::consents::table
                        .filter(
                            crate::schema::consents::kind.eq(ConsentKind::SupporterLink.as_str()),
                        )
                        .filter(crate::schema::consents::recipient_id.eq(&org))
                        .filter(crate::schema::consents::withdrawn_at.is_null())
                        .select(crate::schema::consents::user_id)
                        .load(c)?;
                    for s in seekers {
                        let want = Want::Only(&[PItem::Name]);
                        if let Some(d) = view_seeker_tx(c, &keys, &a, &s, want, today)? {
                            // The view's name: the profile's, else the account's (a seeker who
                            // has not filled the basic section yet still has a name).
                            let name = d
                                .view()
                                .fields
                                .get("name")
                                .and_then(|v| v.as_str())
                                .map(str::to_owned);
                            out.push((s, name.unwrap_or_default()));
                        }
                    }
                }
                Ok(out)
            })
            .await
    }
}
