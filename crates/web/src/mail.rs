//! The text of the mails we send, in the recipient's language.
use crate::i18n::{Lang, Tr};
use store::outbox::Mail;

fn tr(lang: &str) -> Tr {
    Tr::new(Lang::parse(lang).unwrap_or(Lang::Ja))
}

pub fn password_reset(base: &str, to: &str, token: &str, lang: &str) -> Mail {
    let t = tr(lang);
    Mail {
        to: to.to_owned(),
        subject: t.t("mail-reset-subject"),
        text: t.t1(
            "mail-reset-body",
            "link",
            &format!("{base}/password-reset/{token}"),
        ),
    }
}

pub fn registration_taken(base: &str, to: &str, lang: &str) -> Mail {
    let t = tr(lang);
    Mail {
        to: to.to_owned(),
        subject: t.t("mail-taken-subject"),
        text: t.t1("mail-taken-body", "link", &format!("{base}/password-reset")),
    }
}

pub fn invitation(base: &str, to: &str, token: &str, org_name: Option<&str>, lang: &str) -> Mail {
    let t = tr(lang);
    let link = format!("{base}/invite/{token}");
    let text = match org_name {
        Some(org) => t.tn("mail-invite-member-body", &[("org", org), ("link", &link)]),
        None => t.t1("mail-invite-family-body", "link", &link),
    };
    Mail {
        to: to.to_owned(),
        subject: t.t("mail-invite-subject"),
        text,
    }
}

pub fn certificate_reminder(base: &str, to: &str, lang: &str) -> Mail {
    let t = tr(lang);
    Mail {
        to: to.to_owned(),
        subject: t.t("mail-cert-subject"),
        text: format!("{}\n\n{base}/profile/disability", t.t("mail-cert-body")),
    }
}
