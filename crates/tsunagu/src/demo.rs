//! Demo data: one account of each kind, idempotent. The credentials are in the README.
use domain::validate::{Email, OrgName, PersonName};
use domain::{ConsentKind, Relation, Role, UserKind};
use store::Store;
use store::accounts::{self, Ctx, NewAccount};

pub const PASSWORD: &str = "tsunagu-demo-2026";

struct Person {
    email: &'static str,
    name: &'static str,
    kind: UserKind,
    org: Option<&'static str>,
}

const PEOPLE: &[Person] = &[
    Person {
        email: "seeker@demo.tsunagu.example",
        name: "山田 花子",
        kind: UserKind::Seeker,
        org: None,
    },
    Person {
        email: "employer@demo.tsunagu.example",
        name: "佐藤 一郎",
        kind: UserKind::Employer,
        org: Some("デモ株式会社"),
    },
    Person {
        email: "recruiter@demo.tsunagu.example",
        name: "鈴木 次郎",
        kind: UserKind::Employer,
        org: None,
    },
    Person {
        email: "supporter@demo.tsunagu.example",
        name: "高橋 美咲",
        kind: UserKind::Supporter,
        org: Some("デモ就労支援センター"),
    },
    Person {
        email: "family@demo.tsunagu.example",
        name: "山田 洋子",
        kind: UserKind::Family,
        org: None,
    },
    Person {
        email: "operator@demo.tsunagu.example",
        name: "運営 担当",
        kind: UserKind::Operator,
        org: None,
    },
];

pub fn load(store: &Store) -> Result<Vec<String>, String> {
    let hash = store::passwords::hash(PASSWORD).map_err(|e| e.to_string())?;
    let now = web::now();
    let keys = store.keys.clone();
    let mut lines = Vec::new();
    let ids = store
        .db
        .write_blocking(|c| {
            let mut ids = Vec::new();
            for p in PEOPLE {
                let bidx = keys.blind_index(accounts::EMAIL_PURPOSE, p.email)?;
                if let Some(existing) = accounts::user_by_email_bidx(c, &bidx)? {
                    ids.push((existing, false));
                    continue;
                }
                let account = NewAccount {
                    kind: p.kind,
                    email: Email::parse(p.email).map_err(|_| store::StoreError::NotFound)?,
                    password_hash: hash.clone(),
                    name: PersonName::parse(p.name).map_err(|_| store::StoreError::NotFound)?,
                    lang: "ja".into(),
                    org_name: p
                        .org
                        .map(OrgName::parse)
                        .transpose()
                        .map_err(|_| store::StoreError::NotFound)?,
                    consents: vec![ConsentKind::PrivacyPolicy, ConsentKind::SensitiveData],
                    partners: Vec::new(),
                    method: "demo",
                };
                let id = accounts::create_account(c, &keys, &account, now, &Ctx::default())?;
                ids.push((id, true));
            }
            // The recruiter joins the employer's company; the family member is linked to the seeker.
            if ids.get(2).is_some_and(|(_, new)| *new) {
                let org = accounts::orgs_of(c, &ids[1].0)?;
                if let Some(org) = org.first() {
                    accounts::add_membership(c, org, &ids[2].0, Role::Recruiter, now)?;
                }
            }
            if ids.get(4).is_some_and(|(_, new)| *new) {
                accounts::add_family_link(c, &ids[0].0, &ids[4].0, Relation::Mother, now)?;
            }
            Ok(ids)
        })
        .map_err(|e| e.to_string())?;
    for (p, (_, created)) in PEOPLE.iter().zip(ids) {
        lines.push(format!(
            "{:<9} {:<34} {}",
            p.kind.as_str(),
            p.email,
            if created {
                "created"
            } else {
                "already present"
            }
        ));
    }
    lines.push(format!("password for every demo account: {PASSWORD}"));
    Ok(lines)
}
