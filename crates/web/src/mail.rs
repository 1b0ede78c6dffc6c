//! The text of the mails we send, in the recipient's language.
use crate::i18n::{Lang, Tr};
use store::outbox::Mail;

fn tr(lang: &str) -> Tr {
    Tr::new(Lang::parse(lang).unwrap_or(Lang::Ja))
}

fn mail(to: &str, subject: String, text: String) -> Mail {
    Mail {
        to: to.to_owned(),
        subject,
        text,
        unsubscribe: None,
    }
}

/// The end of every notification mail: where its kind of mail is switched off.
fn settings_footer(t: &Tr, base: &str) -> String {
    format!(
        "\n\n--\n{}\n{base}/notifications/settings",
        t.t("mail-settings-footer")
    )
}

pub fn password_reset(base: &str, to: &str, token: &str, lang: &str) -> Mail {
    let t = tr(lang);
    mail(
        to,
        t.t("mail-reset-subject"),
        t.t1(
            "mail-reset-body",
            "link",
            &format!("{base}/password-reset/{token}"),
        ),
    )
}

/// One of the person's recovery codes was used: how many are left, and what to do if it
/// was not them.
pub fn recovery_used(base: &str, lang: &str, left: i64) -> Mail {
    let t = tr(lang);
    mail(
        "",
        t.t("mail-recovery-used-subject"),
        t.tn(
            "mail-recovery-used-body",
            &[
                ("count", &left.to_string()),
                ("link", &format!("{base}/account/security")),
            ],
        ),
    )
}

/// 退会 received: what ended now, until when the data is kept, how to ask about it.
pub fn account_closed(base: &str, lang: &str, erase_at: i64) -> Mail {
    let t = tr(lang);
    mail(
        "",
        t.t("mail-closed-subject"),
        t.tn(
            "mail-closed-body",
            &[
                (
                    "date",
                    &crate::jst::date_text(erase_at, Lang::parse(lang).unwrap_or(Lang::Ja)),
                ),
                ("link", &format!("{base}/privacy")),
            ],
        ),
    )
}

/// A data-subject request was decided: the answer is on the requests page.
pub fn rights_decided(
    base: &str,
    lang: &str,
    kind: domain::rights::RequestKind,
    granted: bool,
) -> Mail {
    let t = tr(lang);
    let key = if granted {
        "mail-rights-granted"
    } else {
        "mail-rights-refused"
    };
    mail(
        "",
        t.t("mail-rights-subject"),
        t.tn(
            key,
            &[
                ("kind", &t.t(&format!("rights-kind-{}", kind.as_str()))),
                ("link", &format!("{base}/account/requests")),
            ],
        ),
    )
}

/// The notice to a person touched by a leak (施行規則10条: what happened, which of their
/// data, the cause, any secondary damage, what to do and whom to ask), in their language.
/// Written from the incident's record; the officer reads this draft before sending.
pub fn incident_notice(base: &str, desk: &str, lang: &str, i: &store::incidents::Incident) -> Mail {
    let t = tr(lang);
    let kinds: Vec<String> = i
        .kinds
        .iter()
        .map(|k| t.t(&format!("incident-kind-{}", k.as_str())))
        .collect();
    let none = t.t("mail-incident-none");
    let or_none = |s: &str| {
        if s.trim().is_empty() {
            none.clone()
        } else {
            s.to_owned()
        }
    };
    let desk = desk_or_privacy(base, desk);
    mail(
        "",
        t.t("mail-incident-subject"),
        t.tn(
            "mail-incident-body",
            &[
                ("summary", &i.summary),
                ("kinds", &kinds.join("、")),
                (
                    "cause",
                    &t.t(&format!("incident-cause-{}", i.cause.as_str())),
                ),
                ("detail", &or_none(&i.cause_detail)),
                ("damage", &or_none(&i.report.secondary_damage)),
                ("response", &or_none(&i.report.response_to_people)),
                ("desk", &desk),
            ],
        ),
    )
}

/// A privacy officer's reminder of an incident's deadline (no one's data: the link).
pub fn incident_reminder(
    base: &str,
    lang: &str,
    id: &str,
    r: store::incidents::Reminder,
    due: i64,
) -> Mail {
    let t = tr(lang);
    let lang = crate::i18n::Lang::parse(lang).unwrap_or(crate::i18n::Lang::Ja);
    mail(
        "",
        t.t(&format!("mail-incident-reminder-{}", r.as_str())),
        t.tn(
            "mail-incident-reminder-body",
            &[
                ("due", &crate::jst::format_time(due, lang)),
                ("link", &format!("{base}/operator/incidents/{id}")),
            ],
        ),
    )
}

/// The link that confirms an address is the person's (at registration, or for a new
/// address). The recipient is set by the store.
pub fn email_check(base: &str, token: &str, lang: &str) -> Mail {
    let t = tr(lang);
    mail(
        "",
        t.t("mail-email-check-subject"),
        t.t1(
            "mail-email-check-body",
            "link",
            &format!("{base}/verify-email/{token}"),
        ),
    )
}

/// Where the operator's desk is reached: its configured contact, else the privacy page
/// (which lists the particulars).
fn desk_or_privacy(base: &str, desk: &str) -> String {
    if desk.trim().is_empty() {
        format!("{base}/privacy")
    } else {
        desk.to_owned()
    }
}

/// To the old address, after the account moved to a new one: whom to contact if it was
/// not the person (a password reset no longer reaches this address).
pub fn email_changed(base: &str, desk: &str, lang: &str) -> Mail {
    let t = tr(lang);
    mail(
        "",
        t.t("mail-email-changed-subject"),
        t.t1(
            "mail-email-changed-body",
            "desk",
            &desk_or_privacy(base, desk),
        ),
    )
}

/// To an address another account asked to move to, when it already has an account of
/// its own (the asker is answered as for any address). The recipient is set by the store.
pub fn email_taken(base: &str, lang: &str) -> Mail {
    let t = tr(lang);
    mail(
        "",
        t.t("mail-email-taken-subject"),
        t.t1(
            "mail-email-taken-body",
            "link",
            &format!("{base}/password-reset"),
        ),
    )
}

pub fn registration_taken(base: &str, to: &str, lang: &str) -> Mail {
    let t = tr(lang);
    mail(
        to,
        t.t("mail-taken-subject"),
        t.t1("mail-taken-body", "link", &format!("{base}/password-reset")),
    )
}

pub fn invitation(base: &str, to: &str, token: &str, org_name: Option<&str>, lang: &str) -> Mail {
    let t = tr(lang);
    let link = format!("{base}/invite/{token}");
    let text = match org_name {
        Some(org) => t.tn("mail-invite-member-body", &[("org", org), ("link", &link)]),
        None => t.t1("mail-invite-family-body", "link", &link),
    };
    mail(to, t.t("mail-invite-subject"), text)
}

pub fn certificate_reminder(base: &str, to: &str, lang: &str) -> Mail {
    let t = tr(lang);
    mail(
        to,
        t.t("mail-cert-subject"),
        format!(
            "{}\n\n{base}/profile/disability{}",
            t.t("mail-cert-body"),
            settings_footer(&t, base)
        ),
    )
}

pub fn posting_stale(base: &str, to: &str, lang: &str, id: &str, title: &str) -> Mail {
    let t = tr(lang);
    mail(
        to,
        t.t("mail-stale-subject"),
        format!(
            "{}\n\n{title}\n{base}/employer/postings/{id}\n{base}/employer/postings{}",
            t.t("mail-stale-body"),
            settings_footer(&t, base)
        ),
    )
}

/// A posting returned from review or taken down after publication: why, and where to
/// put it right.
pub fn posting_returned(
    base: &str,
    to: &str,
    lang: &str,
    id: &str,
    title: &str,
    reasons: &[String],
) -> Mail {
    let t = tr(lang);
    let why: Vec<String> = reasons
        .iter()
        .map(|r| format!("- {}", t.t(&format!("return-reason-{r}"))))
        .collect();
    mail(
        to,
        t.t("mail-returned-subject"),
        format!(
            "{}\n\n{title}\n{}\n\n{}\n{base}/employer/postings/{id}",
            t.t("mail-returned-body"),
            why.join("\n"),
            t.t("mail-returned-next"),
        ),
    )
}

/// [`posting_returned`] for the store to call with each recipient.
pub fn returned_writer(
    base: String,
) -> impl Fn(&str, &str, &str, &str, &[String]) -> Mail + Send + 'static {
    move |to, lang, id, title, reasons| posting_returned(&base, to, lang, id, title, reasons)
}

pub fn saved_search(base: &str, to: &str, lang: &str, n: usize) -> Mail {
    let t = tr(lang);
    mail(
        to,
        t.t("mail-saved-search-subject"),
        format!(
            "{}\n\n{base}/saved-searches{}",
            t.t1("mail-saved-search-body", "count", &n.to_string()),
            settings_footer(&t, base)
        ),
    )
}

/// The mail of a notice (a message, an application, a scout, an interview, a ledger
/// item): that something happened, and the link. Never the message, the company's name
/// or any health data.
pub fn notice(base: &str, to: &str, lang: &str, kind: &str, path: &str) -> Mail {
    let t = tr(lang);
    let key = match kind {
        "message_new"
        | "scout_new"
        | "scout_answered"
        | "application_new"
        | "application_withdrawn"
        | "application_stage"
        | "interview_proposed"
        | "interview_chosen"
        | "interview_others_asked"
        | "interview_cancelled"
        | "interview_reminder"
        | "ledger_version"
        | "support_alert" => kind,
        _ => "application_stage",
    };
    let subject = t.t(&format!("mail-notice-{key}"));
    let text = format!(
        "{subject}\n\n{}\n\n{base}{path}{}",
        t.t("mail-notice-body"),
        settings_footer(&t, base)
    );
    mail(to, subject, text)
}

/// The notice writer for a site at `base` (the server's, the worker's, the demo's).
pub fn notice_writer(base: String) -> store::selection::Notice {
    store::selection::Notice(std::sync::Arc::new(move |to, lang, kind, path| {
        notice(&base, to, lang, kind, path)
    }))
}

impl crate::AppState {
    /// The notice writer the store calls for each person told of a change.
    pub fn notice(&self) -> store::selection::Notice {
        notice_writer(self.cfg.public_url.clone())
    }
}

/// To a person whose account the operator suspended: the reason (never the staff
/// member's note) and whom to ask. The recipient is set by the store.
pub fn account_suspended(
    base: &str,
    desk: &str,
    lang: &str,
    reason: domain::console::SuspendReason,
) -> Mail {
    let t = tr(lang);
    mail(
        "",
        t.t("mail-account-suspended-subject"),
        t.tn(
            "mail-account-suspended-body",
            &[
                (
                    "reason",
                    &t.t(&format!("mail-suspend-reason-{}", reason.as_str())),
                ),
                ("desk", &desk_or_privacy(base, desk)),
            ],
        ),
    )
}

/// To a person whose suspension was lifted: they may sign in again.
pub fn account_restored(base: &str, lang: &str) -> Mail {
    let t = tr(lang);
    mail(
        "",
        t.t("mail-account-restored-subject"),
        t.t1(
            "mail-account-restored-body",
            "link",
            &format!("{base}/login"),
        ),
    )
}
