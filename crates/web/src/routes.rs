//! Every route and who may use it, in one table. The guard looks each request's route
//! up here and refuses (404) any route that has no rule, so a route cannot be added
//! without deciding who may use it.
use crate::AppState;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post, put};
use domain::UserKind::{self, Employer, Family, Seeker, Supporter};

const SEEKER: &[UserKind] = &[Seeker];
const EMPLOYER: &[UserKind] = &[Employer];
const SUPPORTER: &[UserKind] = &[Supporter];
use domain::StaffRole;
/// Verification, posting review, reports, suspensions.
const SUPPORT: &[StaffRole] = &[StaffRole::Support];
/// The recruiting agency's workspace.
const AGENCY: &[StaffRole] = &[StaffRole::Agency];
/// Any staff role: the console's home lists what each role may open.
const STAFF: &[StaffRole] = &StaffRole::ALL;
/// Rights requests, incidents, policy versions.
const PRIVACY: &[StaffRole] = &[StaffRole::PrivacyOfficer];
/// People's records in the console (each opened for a purpose of the viewer's role).
const RECORDS: &[StaffRole] = crate::operator::accounts::ROLES;
/// Anonymised statistics: building and publishing them.
const STATS: &[StaffRole] = &[StaffRole::Admin, StaffRole::PrivacyOfficer];
/// Plans, invoices and payments.
const BILLING: &[StaffRole] = &[StaffRole::Billing];
/// Invoices of a company or a facility (its admins only; the store checks the role).
const ORG_MEMBER: &[UserKind] = &[Employer, Supporter];
/// The audit log: its search, the reads worth a look, the chain's check.
const AUDIT: &[StaffRole] = &[StaffRole::Admin, StaffRole::PrivacyOfficer];
use crate::openapi::{Op, op};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", content = "kinds", rename_all = "snake_case")]
pub enum Rule {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// Signed-in users of these kinds only.
    Kinds(&'static [UserKind]),
    /// The operator's staff holding one of these roles (`domain::StaffRole`): each role
    /// opens its own screens only.
    Staff(&'static [StaffRole]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Page,
    Api,
}

/// One row of the table (without its handler), as tests and `tsunagu routes` see it.
#[derive(Debug, Clone, Serialize)]
pub struct RouteRule {
    pub method: &'static str,
    pub path: &'static str,
    #[serde(flatten)]
    pub rule: Rule,
    /// The route can return another person's data (declared with `p(…)` in the table):
    /// the sink test (`crates/tsunagu/tests/app/disclosure.rs`) calls every such route as every kind of
    /// viewer and checks the body against the disclosure policy and the provision
    /// records; the undeclared ones are checked to carry no one else's data at all.
    pub personal_data: bool,
    /// What the OpenAPI document says of an API route (`crate::openapi`); every route
    /// under `/api/` has one.
    #[serde(skip)]
    pub doc: Option<Op>,
}

/// Where a page session is sent when its account's address is not confirmed yet.
pub const VERIFY_EMAIL_FIRST: &str = "/account/email?m=verify-first";

/// The routes (any method) a session may use before its account's address is confirmed
/// (`store::email_checks`), besides public routes and [`BEFORE_SECOND_FACTOR`]: the
/// address page (a new link, a change of address), who am I, and 退会 (a person who
/// registered by mistake can leave). Every other route answers 403 `email_unverified`
/// (pages: a redirect to the address page), so nothing of anyone else is shown and
/// nothing reaches anyone else from an address that may not be the person's.
pub const BEFORE_EMAIL_CHECK: &[&str] = &[
    "/account/email",
    "/account/email/resend",
    "/account/close",
    "/api/v1/me",
    "/api/v1/me/email",
    "/api/v1/me/email/verification",
    "/api/v1/me/close",
];

/// The routes (any method) a session may use while a new version of a policy text
/// waits for the person's decision (`store::policies`), besides public routes and
/// [`BEFORE_SECOND_FACTOR`]: the decision itself, who am I, the download of their own
/// data and 退会 (someone who does not consent can take their data and leave). Every
/// other route answers 403 `policy_decision_required` (pages: a redirect to the
/// decision page).
pub const BEFORE_POLICY_DECISION: &[&str] = &[
    "/policy-update",
    "/account/data",
    "/account/close",
    "/api/v1/me",
    "/api/v1/me/policy-decisions",
    "/api/v1/me/export",
    "/api/v1/me/close",
];

/// Where a page session is sent when its account must have a second factor and it has
/// none yet.
pub const SET_UP_SECOND_FACTOR: &str = "/account/security?m=totp-required";

/// The routes (any method) a session signed in with the password alone may still use
/// when its account must sign in with a second factor (`UserKind::needs_second_factor`,
/// `Role::needs_second_factor`): setting an authenticator up, the display and language
/// settings, and signing out. Every other route that needs a session answers 403
/// `second_factor_required` (pages: a redirect to the set-up page) until it is done;
/// public routes stay open.
pub const BEFORE_SECOND_FACTOR: &[&str] = &[
    "/account/security",
    "/account/security/totp",
    "/account/security/totp/confirm",
    "/logout",
    "/settings/lang",
    "/settings/furigana",
    "/settings/display",
    "/api/v1/me/second-factor",
    "/api/v1/me/second-factor/totp",
    "/api/v1/me/second-factor/totp/confirm",
    "/api/v1/auth/logout",
];

const INVITERS: &[UserKind] = &[Seeker, Employer, Supporter];
/// The seeker's side of an application: the seeker, and the supporter taking part.
const SEEKER_SIDE: &[UserKind] = &[Seeker, Supporter];
/// Who writes in an application's ledger: the seeker's side and the company.
const PARTIES: &[UserKind] = &[Seeker, Supporter, Employer];
const FAMILY_SIDES: &[UserKind] = &[Seeker, Family];

pub(crate) fn table() -> Vec<(RouteRule, MethodRouter<AppState>)> {
    use Rule::*;
    // `r`: a route that returns no one else's personal data; `p`: one that can (every
    // read behind it goes through `store::disclosure`).
    let row = |method: &'static str,
               path: &'static str,
               rule: Rule,
               personal_data: bool,
               h: MethodRouter<AppState>| {
        (
            RouteRule {
                method,
                path,
                rule,
                personal_data,
                doc: None,
            },
            h,
        )
    };
    let api = |(mut rule, h): (RouteRule, MethodRouter<AppState>), op: Op| {
        rule.doc = Some(op);
        (rule, h)
    };
    let r = |method, path, rule, h| row(method, path, rule, false, h);
    let p = |method, path, rule, h| row(method, path, rule, true, h);
    vec![
        // Pages
        r("GET", "/", Public, get(crate::site::home)),
        r("GET", "/privacy", Public, get(crate::site::privacy)),
        r(
            "GET",
            "/register",
            Public,
            get(crate::accounts::pages::register_choose),
        ),
        r(
            "GET",
            "/register/{kind}",
            Public,
            get(crate::accounts::register::start),
        ),
        r(
            "GET",
            "/register/{kind}/check",
            Public,
            get(crate::accounts::register::check_form),
        ),
        r(
            "POST",
            "/register/{kind}/check",
            Public,
            post(crate::accounts::register::check_submit),
        ),
        r(
            "GET",
            "/register/{kind}/{step}",
            Public,
            get(crate::accounts::register::step_form),
        ),
        r(
            "POST",
            "/register/{kind}/{step}",
            Public,
            post(crate::accounts::register::step_submit),
        ),
        r(
            "GET",
            "/login",
            Public,
            get(crate::accounts::pages::login_form),
        ),
        r(
            "POST",
            "/login",
            Public,
            post(crate::accounts::pages::login_submit),
        ),
        // The second step of a sign-in with a second factor.
        r(
            "GET",
            "/login/code",
            Public,
            get(crate::accounts::pages::code_form),
        ),
        r(
            "POST",
            "/login/code",
            Public,
            post(crate::accounts::pages::code_submit),
        ),
        r(
            "POST",
            "/logout",
            SignedIn,
            post(crate::accounts::pages::logout),
        ),
        r(
            "GET",
            "/password-reset",
            Public,
            get(crate::accounts::pages::reset_form),
        ),
        r(
            "POST",
            "/password-reset",
            Public,
            post(crate::accounts::pages::reset_submit),
        ),
        r(
            "GET",
            "/password-reset/{token}",
            Public,
            get(crate::accounts::pages::reset_new_form),
        ),
        r(
            "POST",
            "/password-reset/{token}",
            Public,
            post(crate::accounts::pages::reset_new_submit),
        ),
        // A new version of a policy text: the person decides before going on; each
        // published version can be read by anyone.
        r(
            "GET",
            "/policy-update",
            SignedIn,
            get(crate::privacy::policy::decide_page),
        ),
        r(
            "POST",
            "/policy-update",
            SignedIn,
            post(crate::privacy::policy::decide_submit),
        ),
        r(
            "GET",
            "/privacy/versions/{kind}/{version}",
            Public,
            get(crate::privacy::policy::version_page),
        ),
        // A link mailed to confirm an address: the page asks for one press (a mail
        // program opening the link does not confirm it), the press confirms.
        r(
            "GET",
            "/verify-email/{token}",
            Public,
            get(crate::accounts::email::verify_form),
        ),
        r(
            "POST",
            "/verify-email/{token}",
            Public,
            post(crate::accounts::email::verify_submit),
        ),
        // What to do next: the person's own notices only.
        // The dashboard lists the alerts waiting, with whose they are.
        p(
            "GET",
            "/dashboard",
            SignedIn,
            get(crate::accounts::dashboard::dashboard),
        ),
        // The notification centre and the mail switches: the person's own notices only.
        r(
            "GET",
            "/notifications",
            SignedIn,
            get(crate::notifications::page),
        ),
        r(
            "POST",
            "/notifications/read",
            SignedIn,
            post(crate::notifications::read_all),
        ),
        r(
            "GET",
            "/notifications/settings",
            SignedIn,
            get(crate::notifications::settings_page),
        ),
        r(
            "POST",
            "/notifications/settings",
            SignedIn,
            post(crate::notifications::settings_submit),
        ),
        // The link in a notification mail: which mail it turns off, and the button.
        r(
            "GET",
            "/unsubscribe/{token}",
            Public,
            get(crate::notifications::unsubscribe_page),
        ),
        r(
            "POST",
            "/unsubscribe/{token}",
            Public,
            post(crate::notifications::unsubscribe_submit),
        ),
        // Message threads, through the door (`store::disclosure::thread`): the list,
        // one thread, writing (with files), the seeker's supporter switch, a file.
        // Open to anyone signed in: the door decides, and answers 404 to everyone who
        // is no participant (family members and operators included).
        p("GET", "/messages", SignedIn, get(crate::messages::pages::list)),
        p(
            "GET",
            "/messages/{id}",
            SignedIn,
            get(crate::messages::pages::page),
        ),
        r(
            "POST",
            "/messages/{id}",
            SignedIn,
            post(crate::messages::pages::send).layer(axum::extract::DefaultBodyLimit::max(
                crate::messages::MAX_REQUEST_BYTES,
            )),
        ),
        r(
            "POST",
            "/messages/{id}/report",
            SignedIn,
            post(crate::messages::reports::report_submit),
        ),
        // Reports of abusive messages: the list holds no content; one report, opened
        // with the stated purpose, holds the reported message only (logged).
        r(
            "GET",
            "/operator/message-reports",
            Staff(SUPPORT),
            get(crate::messages::reports::list_page),
        ),
        p(
            "GET",
            "/operator/message-reports/{id}",
            Staff(SUPPORT),
            get(crate::messages::reports::page),
        ),
        r(
            "POST",
            "/operator/message-reports/{id}/decide",
            Staff(SUPPORT),
            post(crate::messages::reports::decide_submit),
        ),
        r(
            "POST",
            "/messages/{id}/supporter",
            SignedIn,
            post(crate::messages::pages::supporter_submit),
        ),
        p(
            "GET",
            "/attachments/{id}",
            SignedIn,
            get(crate::messages::api::attachment),
        ),
        // The recruiting agency: the company's delegation, the seeker's own consent
        // screen per company, and the agency staff's door to the threads (the store
        // admits them only while delegation, role and the seeker's consent stand).
        r(
            "GET",
            "/company/agency",
            Kinds(EMPLOYER),
            get(crate::messages::agency::company_form),
        ),
        r(
            "POST",
            "/company/agency",
            Kinds(EMPLOYER),
            post(crate::messages::agency::company_submit),
        ),
        r(
            "POST",
            "/company/agency/end",
            Kinds(EMPLOYER),
            post(crate::messages::agency::company_end),
        ),
        r(
            "GET",
            "/privacy-settings/agency/{id}",
            Kinds(SEEKER),
            get(crate::messages::agency::consent_page),
        ),
        r(
            "POST",
            "/privacy-settings/agency/{id}",
            Kinds(SEEKER),
            post(crate::messages::agency::consent_give_submit),
        ),
        r(
            "POST",
            "/privacy-settings/agency/{id}/withdraw",
            Kinds(SEEKER),
            post(crate::messages::agency::consent_withdraw_submit),
        ),
        p(
            "GET",
            "/operator/agency",
            Staff(AGENCY),
            get(crate::messages::agency::threads_page),
        ),
        p(
            "GET",
            "/operator/agency/threads/{id}",
            Staff(AGENCY),
            get(crate::messages::agency::thread_page),
        ),
        // The agency's scouts in a delegating company's name (the door decides each
        // seeker as that company's scout search would, and records the provision).
        p(
            "GET",
            "/operator/agency/companies/{id}/scouts",
            Staff(AGENCY),
            get(crate::applications::agency::search),
        ),
        r(
            "POST",
            "/operator/agency/companies/{id}/scouts",
            Staff(AGENCY),
            post(crate::applications::agency::send),
        ),
        r(
            "POST",
            "/operator/agency/threads/{id}",
            Staff(AGENCY),
            post(crate::messages::agency::thread_submit).layer(
                axum::extract::DefaultBodyLimit::max(crate::messages::MAX_REQUEST_BYTES),
            ),
        ),
        // The account: own details, organisation members (through the door), consents,
        // sessions, family.
        p(
            "GET",
            "/account",
            SignedIn,
            get(crate::accounts::dashboard::account),
        ),
        // The account's address: whether it is confirmed, a new link, a change (the
        // password checked again; the new address confirmed by its own link).
        r(
            "GET",
            "/account/email",
            SignedIn,
            get(crate::accounts::email::email_page),
        ),
        r(
            "POST",
            "/account/email",
            SignedIn,
            post(crate::accounts::email::change_submit),
        ),
        r(
            "POST",
            "/account/email/resend",
            SignedIn,
            post(crate::accounts::email::resend_submit),
        ),
        // Second factors: the authenticator app and recovery codes (their owner's own).
        r(
            "GET",
            "/account/security",
            SignedIn,
            get(crate::accounts::security::security),
        ),
        r(
            "POST",
            "/account/security/totp",
            SignedIn,
            post(crate::accounts::security::totp_begin_form),
        ),
        r(
            "POST",
            "/account/security/totp/confirm",
            SignedIn,
            post(crate::accounts::security::totp_confirm_form),
        ),
        r(
            "POST",
            "/account/security/totp/remove",
            SignedIn,
            post(crate::accounts::security::totp_remove_form),
        ),
        r(
            "POST",
            "/account/security/recovery-codes",
            SignedIn,
            post(crate::accounts::security::recovery_form),
        ),
        // 退会: what happens and what is kept, the password checked again.
        r(
            "GET",
            "/account/close",
            SignedIn,
            get(crate::accounts::close::close_form),
        ),
        r(
            "POST",
            "/account/close",
            SignedIn,
            post(crate::accounts::close::close_submit),
        ),
        r("GET", "/closed", Public, get(crate::accounts::close::closed)),
        // Rights requests: the person files them and sees their state; the privacy
        // officer decides them.
        r(
            "GET",
            "/account/requests",
            SignedIn,
            get(crate::privacy::requests::requests_page),
        ),
        r(
            "POST",
            "/account/requests",
            SignedIn,
            post(crate::privacy::requests::requests_submit),
        ),
        r(
            "GET",
            "/operator/requests",
            Staff(PRIVACY),
            get(crate::operator::requests::queue_page),
        ),
        p(
            "GET",
            "/operator/requests/{id}",
            Staff(PRIVACY),
            get(crate::operator::requests::request_page),
        ),
        // A refused decision shows the request again: who asked, through the door.
        p(
            "POST",
            "/operator/requests/{id}/decide",
            Staff(PRIVACY),
            post(crate::operator::requests::decide_submit),
        ),
        // The incident register (the privacy officer's): no one's data is shown, the
        // people touched are counted and told by mail.
        // People's records: find an account, state the purpose (logged), read the
        // record through the door; support suspends and lifts.
        r(
            "GET",
            "/operator/accounts",
            Staff(RECORDS),
            get(crate::operator::accounts::find_page),
        ),
        r(
            "POST",
            "/operator/accounts",
            Staff(RECORDS),
            post(crate::operator::accounts::find_submit),
        ),
        p(
            "GET",
            "/operator/accounts/{id}",
            Staff(RECORDS),
            get(crate::operator::accounts::record_page),
        ),
        // A refused form shows the record again, through the door.
        p(
            "POST",
            "/operator/accounts/{id}/suspend",
            Staff(SUPPORT),
            post(crate::operator::accounts::suspend_submit),
        ),
        p(
            "POST",
            "/operator/accounts/{id}/lift",
            Staff(SUPPORT),
            post(crate::operator::accounts::lift_submit),
        ),
        // The audit log: search (logged, with its purpose), anomalies, the chain.
        r(
            "GET",
            "/operator/audit",
            Staff(AUDIT),
            get(crate::operator::audit::audit_page),
        ),
        r(
            "POST",
            "/operator/audit/verify",
            Staff(AUDIT),
            post(crate::operator::audit::verify_submit),
        ),
        // Anonymised statistics: built and published by the operator, read by anyone.
        r(
            "GET",
            "/operator/statistics",
            Staff(STATS),
            get(crate::statistics::operator_page),
        ),
        r(
            "POST",
            "/operator/statistics",
            Staff(STATS),
            post(crate::statistics::publish_submit),
        ),
        r("GET", "/statistics", Public, get(crate::statistics::list_page)),
        r(
            "GET",
            "/statistics/{id}",
            Public,
            get(crate::statistics::release_page),
        ),
        r(
            "GET",
            "/statistics/{id}/csv",
            Public,
            get(crate::statistics::release_csv),
        ),
        // Billing: the month's invoices (run, payments, CSV), plans and contracts.
        r(
            "GET",
            "/operator/billing",
            Staff(BILLING),
            get(crate::billing::operator::invoices),
        ),
        r(
            "POST",
            "/operator/billing/run",
            Staff(BILLING),
            post(crate::billing::operator::run_submit),
        ),
        r(
            "GET",
            "/operator/billing/invoices.csv",
            Staff(BILLING),
            get(crate::billing::operator::invoices_csv),
        ),
        r(
            "GET",
            "/operator/billing/invoices/{id}",
            Staff(BILLING),
            get(crate::billing::operator::invoice),
        ),
        r(
            "GET",
            "/operator/billing/invoices/{id}/pdf",
            Staff(BILLING),
            get(crate::billing::operator::invoice_pdf),
        ),
        r(
            "POST",
            "/operator/billing/invoices/{id}/paid",
            Staff(BILLING),
            post(crate::billing::operator::paid_submit),
        ),
        r(
            "GET",
            "/operator/billing/plans",
            Staff(BILLING),
            get(crate::billing::operator::plans),
        ),
        r(
            "POST",
            "/operator/billing/plans",
            Staff(BILLING),
            post(crate::billing::operator::plan_submit),
        ),
        r(
            "POST",
            "/operator/billing/subscriptions",
            Staff(BILLING),
            post(crate::billing::operator::set_submit),
        ),
        // An organisation's invoices, for its admins.
        r("GET", "/billing", Kinds(ORG_MEMBER), get(crate::billing::org::list)),
        r(
            "GET",
            "/billing/invoices/{id}",
            Kinds(ORG_MEMBER),
            get(crate::billing::org::invoice),
        ),
        r(
            "GET",
            "/billing/invoices/{id}/pdf",
            Kinds(ORG_MEMBER),
            get(crate::billing::org::invoice_pdf),
        ),
        // Policy versions: every version of each text, and publishing a new one.
        r(
            "GET",
            "/operator/policy",
            Staff(PRIVACY),
            get(crate::operator::policy::policy_page),
        ),
        r(
            "POST",
            "/operator/policy",
            Staff(PRIVACY),
            post(crate::operator::policy::publish_submit),
        ),
        r(
            "GET",
            "/operator/incidents",
            Staff(PRIVACY),
            get(crate::operator::incidents::list_page),
        ),
        r(
            "POST",
            "/operator/incidents",
            Staff(PRIVACY),
            post(crate::operator::incidents::create_submit),
        ),
        r(
            "GET",
            "/operator/incidents/{id}",
            Staff(PRIVACY),
            get(crate::operator::incidents::incident_page),
        ),
        r(
            "POST",
            "/operator/incidents/{id}/scope",
            Staff(PRIVACY),
            post(crate::operator::incidents::scope_submit),
        ),
        r(
            "POST",
            "/operator/incidents/{id}/report",
            Staff(PRIVACY),
            post(crate::operator::incidents::report_submit),
        ),
        r(
            "POST",
            "/operator/incidents/{id}/mark",
            Staff(PRIVACY),
            post(crate::operator::incidents::mark_submit),
        ),
        r(
            "POST",
            "/operator/incidents/{id}/notify",
            Staff(PRIVACY),
            post(crate::operator::incidents::notify_submit),
        ),
        // 開示: everything held about the person, the password checked again.
        r(
            "GET",
            "/account/data",
            SignedIn,
            get(crate::privacy::export::data_form),
        ),
        p(
            "POST",
            "/account/data",
            SignedIn,
            post(crate::privacy::export::data_submit),
        ),
        r(
            "POST",
            "/sessions/{id}/revoke",
            SignedIn,
            post(crate::accounts::dashboard::session_revoke),
        ),
        r(
            "POST",
            "/session/extend",
            SignedIn,
            post(crate::accounts::pages::session_extend),
        ),
        r(
            "POST",
            "/consents/{kind}/withdraw",
            SignedIn,
            post(crate::accounts::dashboard::consent_withdraw),
        ),
        r(
            "POST",
            "/consents/{kind}/give",
            SignedIn,
            post(crate::accounts::dashboard::consent_give),
        ),
        p(
            "GET",
            "/invitations",
            Kinds(INVITERS),
            get(crate::accounts::invitations::invitations),
        ),
        r(
            "POST",
            "/invitations",
            Kinds(INVITERS),
            post(crate::accounts::invitations::invitation_create),
        ),
        r(
            "POST",
            "/invitations/{id}/revoke",
            Kinds(INVITERS),
            post(crate::accounts::invitations::invitation_revoke),
        ),
        r(
            "GET",
            "/invite/{token}",
            Public,
            get(crate::accounts::invitations::accept_form),
        ),
        r(
            "POST",
            "/invite/{token}",
            Public,
            post(crate::accounts::invitations::accept_submit),
        ),
        r(
            "POST",
            "/family/{id}/end",
            Kinds(FAMILY_SIDES),
            post(crate::accounts::dashboard::family_end),
        ),
        r(
            "POST",
            "/settings/lang",
            Public,
            post(crate::accessibility::settings::set_lang),
        ),
        r(
            "POST",
            "/settings/furigana",
            Public,
            post(crate::accessibility::settings::set_furigana),
        ),
        r(
            "GET",
            "/settings/display",
            Public,
            get(crate::accessibility::settings::display),
        ),
        r(
            "POST",
            "/settings/display",
            Public,
            post(crate::accessibility::settings::save_display),
        ),
        r(
            "GET",
            "/static/{file}",
            Public,
            get(crate::site::static_file),
        ),
        r("GET", "/healthz", Public, get(crate::site::healthz)),
        r("GET", "/readyz", Public, get(crate::site::readyz)),
        r(
            "GET",
            "/profile",
            Kinds(SEEKER),
            get(crate::profiles::pages::profile),
        ),
        r(
            "GET",
            "/profile/{section}",
            Kinds(SEEKER),
            get(crate::profiles::pages::section_form),
        ),
        r(
            "GET",
            "/profile/{section}/check",
            Kinds(SEEKER),
            get(crate::profiles::pages::check_form),
        ),
        r(
            "POST",
            "/profile/{section}/check",
            Kinds(SEEKER),
            post(crate::profiles::pages::check_submit),
        ),
        r(
            "POST",
            "/profile/{section}",
            Kinds(SEEKER),
            post(crate::profiles::pages::section_submit),
        ),
        r(
            "POST",
            "/profile/drafts/{id}/approve",
            Kinds(SEEKER),
            post(crate::profiles::proposals::draft_approve),
        ),
        r(
            "POST",
            "/profile/drafts/{id}/reject",
            Kinds(SEEKER),
            post(crate::profiles::proposals::draft_reject),
        ),
        p(
            "GET",
            "/privacy-settings",
            Kinds(SEEKER),
            get(crate::privacy::pages::privacy),
        ),
        r(
            "POST",
            "/privacy-settings/scouts",
            Kinds(SEEKER),
            post(crate::privacy::pages::scouts),
        ),
        r(
            "POST",
            "/privacy-settings/follow-up",
            Kinds(SEEKER),
            post(crate::retention::pages::follow_up_submit),
        ),
        // Retention support: the worker's daily check-in and history; an employment's
        // check-ins for each other viewer through the door (404 for anyone not let in).
        r("GET", "/check-in", Kinds(SEEKER), get(crate::retention::pages::page)),
        r(
            "POST",
            "/check-in",
            Kinds(SEEKER),
            post(crate::retention::pages::submit),
        ),
        r(
            "POST",
            "/check-in/items",
            Kinds(SEEKER),
            post(crate::retention::pages::item_submit),
        ),
        r(
            "GET",
            "/check-in/history",
            Kinds(SEEKER),
            get(crate::retention::pages::history),
        ),
        p(
            "GET",
            "/employments/{id}/check-ins",
            SignedIn,
            get(crate::retention::team::page),
        ),
        r(
            "POST",
            "/employments/{id}/support-records",
            Kinds(SUPPORTER),
            post(crate::retention::team::record_submit),
        ),
        r(
            "POST",
            "/employments/{id}/comments",
            SignedIn,
            post(crate::retention::team::comment_submit),
        ),
        r(
            "POST",
            "/employments/{id}/alert-rules",
            Kinds(SUPPORTER),
            post(crate::retention::team::rules_submit),
        ),
        r(
            "POST",
            "/alerts/{id}/ack",
            SignedIn,
            post(crate::retention::team::ack_submit),
        ),
        p(
            "GET",
            "/employments/{id}/monthly",
            SignedIn,
            get(crate::retention::monthly::page),
        ),
        p(
            "GET",
            "/employments/{id}/monthly/pdf",
            SignedIn,
            get(crate::retention::monthly::pdf),
        ),
        p(
            "GET",
            "/employments/{id}/monthly/csv",
            SignedIn,
            get(crate::retention::monthly::csv),
        ),
        r(
            "POST",
            "/employments/{id}/monthly",
            Kinds(SUPPORTER),
            post(crate::retention::monthly::save_submit),
        ),
        r(
            "POST",
            "/employments/{id}/monthly/confirm",
            Kinds(SEEKER),
            post(crate::retention::monthly::confirm_submit),
        ),
        r(
            "POST",
            "/employments/{id}/end",
            Kinds(EMPLOYER),
            post(crate::retention::figures::end_submit),
        ),
        r(
            "GET",
            "/employer/retention",
            Kinds(EMPLOYER),
            get(crate::retention::figures::company_page),
        ),
        r(
            "GET",
            "/facility/retention",
            Kinds(SUPPORTER),
            get(crate::retention::figures::facility_page),
        ),
        p(
            "GET",
            "/check-in/support",
            Kinds(SEEKER),
            get(crate::retention::team::my_support),
        ),
        r(
            "POST",
            "/privacy-settings/blocks",
            Kinds(SEEKER),
            post(crate::privacy::pages::block),
        ),
        r(
            "POST",
            "/privacy-settings/blocks/{id}/remove",
            Kinds(SEEKER),
            post(crate::privacy::pages::unblock),
        ),
        r(
            "POST",
            "/privacy-settings/supporter",
            Kinds(SEEKER),
            post(crate::privacy::pages::link_facility),
        ),
        r(
            "POST",
            "/privacy-settings/supporter/end",
            Kinds(SEEKER),
            post(crate::privacy::pages::unlink_facility),
        ),
        r(
            "POST",
            "/privacy-settings/family/{id}",
            Kinds(SEEKER),
            post(crate::privacy::pages::family_shares),
        ),
        r(
            "POST",
            "/privacy-settings/partners/{id}/withdraw",
            Kinds(SEEKER),
            post(crate::privacy::pages::partner_withdraw),
        ),
        p(
            "GET",
            "/privacy-settings/records.csv",
            Kinds(SEEKER),
            get(crate::privacy::pages::records_csv_handler),
        ),
        p(
            "GET",
            "/privacy-settings/records.json",
            Kinds(SEEKER),
            get(crate::privacy::pages::records_json),
        ),
        p(
            "GET",
            "/seekers/{id}",
            SignedIn,
            get(crate::profiles::seeker::seeker),
        ),
        p(
            "GET",
            "/facility",
            Kinds(SUPPORTER),
            get(crate::facility::pages::facility),
        ),
        p(
            "GET",
            "/seekers/{id}/draft/{section}",
            Kinds(SUPPORTER),
            get(crate::profiles::proposals::draft_form),
        ),
        r(
            "POST",
            "/seekers/{id}/draft/{section}",
            Kinds(SUPPORTER),
            post(crate::profiles::proposals::draft_submit),
        ),
        // Applying, as pages (the seeker's own data only).
        r(
            "GET",
            "/jobs/{id}/apply",
            Kinds(SEEKER),
            get(crate::applications::pages::apply_form),
        ),
        r(
            "POST",
            "/jobs/{id}/apply/message",
            Kinds(SEEKER),
            post(crate::applications::pages::apply_message),
        ),
        r(
            "POST",
            "/jobs/{id}/apply/check",
            Kinds(SEEKER),
            post(crate::applications::pages::apply_check),
        ),
        r(
            "POST",
            "/jobs/{id}/apply",
            Kinds(SEEKER),
            post(crate::applications::pages::apply_submit),
        ),
        r(
            "GET",
            "/applications",
            Kinds(SEEKER),
            get(crate::applications::pages::my_list),
        ),
        r(
            "POST",
            "/applications/{id}/withdraw",
            Kinds(SEEKER),
            post(crate::applications::pages::withdraw),
        ),
        // Scouts: the seeker's scouts received; a verified company's search and send.
        r("GET", "/scouts", Kinds(SEEKER), get(crate::applications::scouts::received)),
        r(
            "POST",
            "/scouts/{id}/accept",
            Kinds(SEEKER),
            post(crate::applications::scouts::accept),
        ),
        r(
            "POST",
            "/scouts/{id}/decline",
            Kinds(SEEKER),
            post(crate::applications::scouts::decline),
        ),
        p(
            "GET",
            "/employer/scouts",
            Kinds(EMPLOYER),
            get(crate::applications::scouts::search),
        ),
        r(
            "POST",
            "/employer/scouts",
            Kinds(EMPLOYER),
            post(crate::applications::scouts::send),
        ),
        // One application as each party sees it, through the door: interviews, the
        // 合理的配慮 ledger, the employment rate (company), the employment record.
        p(
            "GET",
            "/applications/{id}",
            SignedIn,
            get(crate::applications::selection::page),
        ),
        r(
            "POST",
            "/applications/{id}/interviews",
            Kinds(EMPLOYER),
            post(crate::applications::selection::propose_submit),
        ),
        r(
            "POST",
            "/applications/{id}/interviews/{interview}/answer",
            Kinds(SEEKER_SIDE),
            post(crate::applications::selection::answer_submit),
        ),
        r(
            "POST",
            "/applications/{id}/interviews/{interview}/cancel",
            Kinds(EMPLOYER),
            post(crate::applications::selection::cancel_submit),
        ),
        p(
            "GET",
            "/interviews/{id}/ics",
            SignedIn,
            get(crate::applications::selection::ics),
        ),
        r(
            "POST",
            "/applications/{id}/ledger",
            Kinds(PARTIES),
            post(crate::applications::selection::ledger_submit),
        ),
        r(
            "POST",
            "/applications/{id}/ledger/{entry}/ack",
            Kinds(PARTIES),
            post(crate::applications::selection::ack_submit),
        ),
        r(
            "POST",
            "/employer/workforce",
            Kinds(EMPLOYER),
            post(crate::applications::selection::workforce_submit),
        ),
        // Jobs: search and job pages for everyone; companies and postings for employers;
        // review for the operator; recommendations and saved searches for seekers.
        r(
            "GET",
            "/accessibility",
            Public,
            get(crate::accessibility::statement::statement),
        ),
        r(
            "POST",
            "/accessibility",
            Public,
            post(crate::accessibility::statement::report),
        ),
        r(
            "POST",
            "/operator/barriers/{id}/resolve",
            Staff(SUPPORT),
            post(crate::accessibility::statement::resolve),
        ),
        r(
            "GET",
            "/jobs",
            Public,
            get(crate::jobs::search::search_page),
        ),
        r(
            "GET",
            "/jobs/{id}",
            Public,
            get(crate::jobs::page::job_page),
        ),
        r(
            "GET",
            "/jobs/{id}/report",
            Public,
            get(crate::jobs::reports::report_form),
        ),
        r(
            "POST",
            "/jobs/{id}/report",
            Public,
            post(crate::jobs::reports::report_submit),
        ),
        r(
            "GET",
            "/jobs/{id}/reported",
            Public,
            get(crate::jobs::reports::reported),
        ),
        r(
            "GET",
            "/companies/{id}",
            Public,
            get(crate::employer::company::company_page),
        ),
        r(
            "GET",
            "/company",
            Kinds(EMPLOYER),
            get(crate::employer::company::company_form),
        ),
        r(
            "POST",
            "/company",
            Kinds(EMPLOYER),
            post(crate::employer::company::company_submit),
        ),
        r(
            "GET",
            "/employer/postings",
            Kinds(EMPLOYER),
            get(crate::employer::postings::postings_list),
        ),
        r(
            "POST",
            "/employer/postings",
            Kinds(EMPLOYER),
            post(crate::employer::postings::posting_create),
        ),
        r(
            "GET",
            "/employer/postings/new",
            Kinds(EMPLOYER),
            get(crate::employer::postings::posting_new),
        ),
        r(
            "GET",
            "/employer/postings/{id}",
            Kinds(EMPLOYER),
            get(crate::employer::postings::posting_form),
        ),
        r(
            "POST",
            "/employer/postings/{id}",
            Kinds(EMPLOYER),
            post(crate::employer::postings::posting_save),
        ),
        r(
            "POST",
            "/employer/postings/{id}/submit",
            Kinds(EMPLOYER),
            post(crate::employer::postings::posting_submit),
        ),
        r(
            "POST",
            "/employer/postings/{id}/close",
            Kinds(EMPLOYER),
            post(crate::employer::postings::posting_close),
        ),
        r(
            "POST",
            "/employer/postings/{id}/confirm",
            Kinds(EMPLOYER),
            post(crate::employer::postings::posting_confirm),
        ),
        p(
            "GET",
            "/employer/postings/{id}/applications",
            Kinds(EMPLOYER),
            get(crate::employer::applications::board),
        ),
        r(
            "POST",
            "/employer/applications/{id}/stage",
            Kinds(EMPLOYER),
            post(crate::employer::applications::stage_submit),
        ),
        r(
            "POST",
            "/employer/applications/{id}/hire",
            Kinds(EMPLOYER),
            post(crate::employer::applications::hire_submit),
        ),
        p(
            "GET",
            "/employer/postings/{id}/candidates",
            Kinds(EMPLOYER),
            get(crate::employer::candidates::candidates),
        ),
        p(
            "GET",
            "/operator",
            Staff(STAFF),
            get(crate::operator::pages::operator_home),
        ),
        r(
            "GET",
            "/operator/postings/{id}",
            Staff(SUPPORT),
            get(crate::operator::pages::operator_posting),
        ),
        r(
            "POST",
            "/operator/postings/{id}/approve",
            Staff(SUPPORT),
            post(crate::operator::pages::operator_approve),
        ),
        r(
            "POST",
            "/operator/postings/{id}/return",
            Staff(SUPPORT),
            post(crate::operator::pages::operator_return),
        ),
        r(
            "POST",
            "/operator/companies/{id}/verify",
            Staff(SUPPORT),
            post(crate::operator::pages::operator_verify),
        ),
        r(
            "POST",
            "/operator/facilities/{id}/verify",
            Staff(SUPPORT),
            post(crate::operator::pages::operator_verify_facility),
        ),
        r(
            "POST",
            "/operator/reports/{id}/resolve",
            Staff(SUPPORT),
            post(crate::operator::pages::operator_resolve),
        ),
        r(
            "GET",
            "/recommendations",
            Kinds(SEEKER),
            get(crate::jobs::recommendations::recommendations),
        ),
        r(
            "GET",
            "/saved-searches",
            Kinds(SEEKER),
            get(crate::jobs::recommendations::saved_list),
        ),
        r(
            "POST",
            "/saved-searches",
            Kinds(SEEKER),
            post(crate::jobs::recommendations::saved_create),
        ),
        r(
            "POST",
            "/saved-searches/{id}/delete",
            Kinds(SEEKER),
            post(crate::jobs::recommendations::saved_delete),
        ),
        api(
            r("GET", "/api/openapi.json", Public, get(crate::api::openapi)),
            op("This document (OpenAPI 3.1)").ok::<crate::openapi::ApiDocument>(),
        ),
        // JSON API
        api(
            r(
                "POST",
                "/api/v1/auth/register",
                Public,
                post(crate::accounts::api::register),
            ),
            op("Register an account (seeker, employer or supporter)")
                .body::<crate::accounts::api::RegisterBody>()
                .created::<crate::accounts::api::UserCreated>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/auth/login",
                Public,
                post(crate::accounts::api::login),
            ),
            op("Sign in: a bearer token")
                .body::<crate::accounts::api::LoginBody>()
                .ok::<crate::accounts::api::LoginAnswer>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/auth/logout",
                SignedIn,
                post(crate::accounts::api::logout),
            ),
            op("Sign out: the token ends").no_content(),
        ),
        api(
            r(
                "POST",
                "/api/v1/auth/password-reset",
                Public,
                post(crate::accounts::api::reset_request),
            ),
            op("Ask for a password-reset mail (202 whether or not the address has an account)")
                .body::<crate::accounts::api::ResetBody>()
                .accepted(),
        ),
        api(
            r(
                "POST",
                "/api/v1/auth/password-reset/confirm",
                Public,
                post(crate::accounts::api::reset_confirm),
            ),
            op("Set a new password with the token from the mail")
                .body::<crate::accounts::api::ResetConfirmBody>()
                .no_content(),
        ),
        api(
            r("GET", "/api/v1/me", SignedIn, get(crate::accounts::api::me)),
            op("The signed-in account").ok::<crate::accounts::api::MeAnswer>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/policy-decisions",
                SignedIn,
                get(crate::privacy::policy::due_api),
            ),
            op("The new versions of policy texts waiting for the person's decision (while any waits, only deciding, the data download and closing the account are open)")
                .ok::<crate::privacy::policy::DueList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/policy-decisions",
                SignedIn,
                post(crate::privacy::policy::decide_api),
            ),
            op("Consent, or not, to the version waiting (a consent record with the version either way)")
                .body::<crate::privacy::policy::DecisionBody>()
                .ok::<crate::privacy::policy::DecisionAnswer>(),
        ),
        api(
            p(
                "POST",
                "/api/v1/operator/accounts/lookup",
                Staff(RECORDS),
                post(crate::operator::accounts::open_api),
            ),
            op("Find an account by its address (exactly) or id and state the purpose of one's own role with a note (logged; it stands for 30 minutes): the person's record")
                .body::<crate::operator::accounts::OpenBody>()
                .ok::<store::disclosure::console::PersonRecord>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/operator/accounts/{id}",
                Staff(RECORDS),
                get(crate::operator::accounts::record_api),
            ),
            op("A person's record while the caller's stated purpose stands (409 otherwise): name and address through the door, state, organisations, the operator's actions")
                .ok::<store::disclosure::console::PersonRecord>(),
        ),
        api(
            p(
                "POST",
                "/api/v1/operator/accounts/{id}/suspension",
                Staff(SUPPORT),
                post(crate::operator::accounts::suspend_api),
            ),
            op("Suspend the account (support, with a standing account_support purpose): no sign-in, every session ended, the person mailed the reason")
                .body::<crate::operator::accounts::SuspendBody>()
                .ok::<store::disclosure::console::PersonRecord>(),
        ),
        api(
            p(
                "POST",
                "/api/v1/operator/accounts/{id}/suspension/lift",
                Staff(SUPPORT),
                post(crate::operator::accounts::lift_api),
            ),
            op("Lift the account's suspension (support, with a standing account_support purpose); the person is mailed")
                .body::<crate::operator::accounts::LiftBody>()
                .ok::<store::disclosure::console::PersonRecord>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/operator/audit",
                Staff(AUDIT),
                get(crate::operator::audit::search_api),
            ),
            op("Search the audit log by account, subject, action and days (admin and privacy officer; the purpose is required and the search is logged): ids and item names, never values")
                .query::<crate::operator::audit::SearchQuery>()
                .ok::<crate::operator::audit::AuditSearchAnswer>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/operator/audit/status",
                Staff(AUDIT),
                get(crate::operator::audit::status_api),
            ),
            op("The audit chain checked now, and the reads worth a look (many people read by one account within an hour; operator reads outside working hours)")
                .ok::<crate::operator::audit::ChainAnswer>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/operator/statistics",
                Staff(STATS),
                get(crate::statistics::preview_api),
            ),
            op("The anonymised statistics as they would be published now (counts of fewer than k people hidden, with complementary cells; the build is logged)")
                .ok::<store::statistics::Preview>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/operator/statistics/releases",
                Staff(STATS),
                post(crate::statistics::publish_api),
            ),
            op("Publish the statistics as they stand now (a public release with its notice of items)")
                .created::<crate::statistics::StatisticsPublished>(),
        ),
        api(
            r("GET", "/api/v1/statistics", Public, get(crate::statistics::list_api)),
            op("Every published release of anonymised statistics")
                .ok::<crate::statistics::ReleaseList>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/statistics/{id}",
                Public,
                get(crate::statistics::release_api),
            ),
            op("One published release of anonymised statistics").ok::<store::statistics::Release>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/operator/billing/plans",
                Staff(BILLING),
                get(crate::billing::api::plans),
            ),
            op("Every plan (billing): monthly fee and success fee in yen before tax")
                .ok::<crate::billing::api::PlanList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/operator/billing/plans",
                Staff(BILLING),
                post(crate::billing::api::plan_create),
            ),
            op("Add a plan for companies or facilities (a success fee for companies only; seekers are never charged)")
                .body::<crate::billing::api::PlanBody>()
                .created::<crate::billing::api::PlanCreated>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/operator/billing/organizations",
                Staff(BILLING),
                get(crate::billing::api::organizations),
            ),
            op("Every company and facility with the plan it is on")
                .ok::<crate::billing::api::BilledList>(),
        ),
        api(
            r(
                "PUT",
                "/api/v1/operator/billing/organizations/{id}/plan",
                Staff(BILLING),
                put(crate::billing::api::set_plan),
            ),
            op("Put a company or facility on a plan of its kind from a month on")
                .body::<crate::billing::api::SetPlanBody>()
                .no_content(),
        ),
        api(
            r(
                "POST",
                "/api/v1/operator/billing/runs",
                Staff(BILLING),
                post(crate::billing::api::run),
            ),
            op("Issue a month's qualified invoices (one per organisation and month; a second run issues nothing twice)")
                .body::<crate::billing::api::RunBody>()
                .ok::<crate::billing::api::RunAnswer>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/operator/billing/invoices",
                Staff(BILLING),
                get(crate::billing::api::invoices),
            ),
            op("The invoices of a month")
                .query::<crate::billing::api::MonthQuery>()
                .ok::<crate::billing::api::InvoiceList>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/operator/billing/invoices/{id}",
                Staff(BILLING),
                get(crate::billing::api::invoice),
            ),
            op("One invoice: issuer and registration number, lines, sums and tax per rate, payment")
                .ok::<store::billing::Invoice>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/operator/billing/invoices/{id}/payment",
                Staff(BILLING),
                post(crate::billing::api::payment),
            ),
            op("Record the day an invoice was paid")
                .body::<crate::billing::api::PaymentBody>()
                .ok::<store::billing::Invoice>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/billing/invoices",
                Kinds(ORG_MEMBER),
                get(crate::billing::api::my_invoices),
            ),
            op("The invoices of the companies or facilities the caller is an admin of (empty for other members)")
                .ok::<crate::billing::api::InvoiceList>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/billing/invoices/{id}",
                Kinds(ORG_MEMBER),
                get(crate::billing::api::my_invoice),
            ),
            op("One invoice of an organisation the caller is an admin of")
                .ok::<store::billing::Invoice>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/operator/policy-versions",
                Staff(PRIVACY),
                get(crate::operator::policy::list_api),
            ),
            op("Every version of the privacy policy and of the sensitive-data consent text (privacy officer)")
                .ok::<crate::operator::policy::VersionList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/operator/policy-versions",
                Staff(PRIVACY),
                post(crate::operator::policy::publish_api),
            ),
            op("Publish a new version, in force at once: one that needs consent holds the people who consented to an earlier one until they decide; one that does not is told to them")
                .body::<crate::operator::policy::PublishBody>()
                .created::<store::policies::Published>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/email",
                SignedIn,
                get(crate::accounts::email::state_api),
            ),
            op("The account's address: whether it is confirmed, and a change waiting for its link")
                .ok::<store::email_checks::EmailState>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/email",
                SignedIn,
                post(crate::accounts::email::change_api),
            ),
            op("Change the account's address: the password (or a second-factor code) checked again; the new address is mailed a link and takes effect once it is opened")
                .body::<crate::accounts::email::ChangeBody>()
                .accepted(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/email/verification",
                SignedIn,
                post(crate::accounts::email::resend_api),
            ),
            op("Mail a new confirmation link (to a new address waiting, else to an unconfirmed own address)")
                .accepted(),
        ),
        api(
            r(
                "POST",
                "/api/v1/auth/verify-email",
                Public,
                post(crate::accounts::email::verify_api),
            ),
            op("Confirm an address with the token from the mailed link")
                .body::<crate::accounts::email::VerifyBody>()
                .ok::<crate::accounts::email::Verified>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/second-factor",
                SignedIn,
                get(crate::accounts::security::state_api),
            ),
            op("The account's second factors: whether an authenticator app is in force, and the recovery codes left")
                .ok::<store::factors::FactorState>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/second-factor/totp",
                SignedIn,
                post(crate::accounts::security::totp_begin_api),
            ),
            op("Start setting up an authenticator app (TOTP): its secret; in force once a code confirms it")
                .body::<crate::accounts::security::PasswordBody>()
                .created::<crate::accounts::security::TotpEnrolment>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/second-factor/totp/confirm",
                SignedIn,
                post(crate::accounts::security::totp_confirm_api),
            ),
            op("Confirm the authenticator app with its current code: in force; the recovery codes, shown once")
                .body::<crate::accounts::security::TotpCodeBody>()
                .ok::<crate::accounts::security::RecoveryCodes>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/second-factor/totp/remove",
                SignedIn,
                post(crate::accounts::security::totp_remove_api),
            ),
            op("Remove the authenticator app and the recovery codes (the password and a code)")
                .body::<crate::accounts::security::RemoveBody>()
                .no_content(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/second-factor/recovery-codes",
                SignedIn,
                post(crate::accounts::security::recovery_api),
            ),
            op("New recovery codes in place of the old ones, shown once")
                .body::<crate::accounts::security::PasswordBody>()
                .ok::<crate::accounts::security::RecoveryCodes>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/close",
                SignedIn,
                post(crate::accounts::close::close_api),
            ),
            op("Close the account (退会): every session ends at once; the data is kept for the configured period, then erased")
                .body::<crate::accounts::close::CloseBody>()
                .no_content(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/requests",
                SignedIn,
                get(crate::privacy::requests::list_api),
            ),
            op("The person's data-subject requests, with deadline, state and answer")
                .ok::<crate::privacy::requests::MyRequests>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/requests",
                SignedIn,
                post(crate::privacy::requests::file_api),
            ),
            op("File a request: correction, suspension of use, erasure or stop of third-party provision (the password is checked again)")
                .body::<crate::privacy::requests::RequestBody>()
                .created::<crate::privacy::requests::Filed>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/operator/requests",
                Staff(PRIVACY),
                get(crate::operator::requests::queue_api),
            ),
            op("The privacy officer's queue: open requests by deadline, then decided ones")
                .ok::<crate::operator::requests::QueueAnswer>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/operator/requests/{id}",
                Staff(PRIVACY),
                get(crate::operator::requests::request_api),
            ),
            op("One request as the privacy officer reads it (who asked, through the door; logged)")
                .ok::<store::disclosure::rights::OfficerView>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/operator/requests/{id}/decide",
                Staff(PRIVACY),
                post(crate::operator::requests::decide_api),
            ),
            op("Decide a request (a refusal says why); granted, its effect holds from the next request on")
                .body::<crate::operator::requests::DecideBody>()
                .no_content(),
        ),
        api(
            p(
                "POST",
                "/api/v1/me/export",
                SignedIn,
                post(crate::privacy::export::export_api),
            ),
            op("Everything held about the signed-in person (開示), as a JSON download; the password is checked again")
                .body::<crate::privacy::export::ExportBody>()
                .ok::<crate::privacy::export::ExportDocument>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/consents",
                SignedIn,
                get(crate::accounts::api::consents),
            ),
            op("The consents given and withdrawn").ok::<crate::accounts::api::ConsentList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/consents/{kind}/withdraw",
                SignedIn,
                post(crate::accounts::api::consent_withdraw),
            ),
            op("Withdraw a consent").ok::<crate::accounts::api::ConsentList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/consents/{kind}/give",
                SignedIn,
                post(crate::accounts::api::consent_give),
            ),
            op("Give a consent").ok::<crate::accounts::api::ConsentList>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/sessions",
                SignedIn,
                get(crate::accounts::api::sessions),
            ),
            op("Signed-in sessions").ok::<crate::accounts::api::SessionList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/sessions/{id}/revoke",
                SignedIn,
                post(crate::accounts::api::session_revoke),
            ),
            op("End a session").no_content(),
        ),
        api(
            p(
                "GET",
                "/api/v1/me/organizations",
                SignedIn,
                get(crate::accounts::api::organizations),
            ),
            op("The caller's organisations and their members")
                .ok::<crate::accounts::api::OrganizationList>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/me/family",
                Kinds(FAMILY_SIDES),
                get(crate::accounts::api::family),
            ),
            op("Family links").ok::<crate::accounts::api::FamilyList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/family/{id}/end",
                Kinds(FAMILY_SIDES),
                post(crate::accounts::api::family_end),
            ),
            op("End a family link").no_content(),
        ),
        api(
            p(
                "GET",
                "/api/v1/invitations",
                Kinds(INVITERS),
                get(crate::accounts::api::invitations),
            ),
            op("Invitations sent").ok::<crate::accounts::api::InvitationList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/invitations",
                Kinds(INVITERS),
                post(crate::accounts::api::invitation_create),
            ),
            op("Invite a family member or a colleague")
                .body::<crate::accounts::api::InviteBody>()
                .created::<crate::accounts::api::InvitationCreated>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/invitations/{id}/revoke",
                Kinds(INVITERS),
                post(crate::accounts::api::invitation_revoke),
            ),
            op("Revoke an invitation").no_content(),
        ),
        api(
            r(
                "POST",
                "/api/v1/invitations/accept",
                Public,
                post(crate::accounts::api::invitation_accept),
            ),
            op("Accept an invitation: a new account")
                .body::<crate::accounts::api::AcceptBody>()
                .created::<crate::accounts::api::UserCreated>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/profile",
                Kinds(SEEKER),
                get(crate::profiles::api::profile_get),
            ),
            op("The seeker's own profile").ok::<crate::profiles::api::OwnProfile>(),
        ),
        api(
            r(
                "PUT",
                "/api/v1/me/profile",
                Kinds(SEEKER),
                put(crate::profiles::api::profile_put),
            ),
            op("Save the sections named in the body (the others are kept)")
                .body::<domain::profile::Profile>()
                .ok::<crate::profiles::api::SavedProfile>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/seekers/{id}",
                SignedIn,
                get(crate::profiles::api::seeker_get),
            ),
            op("A seeker, as the caller may see them")
                .query::<crate::profiles::api::SeekerQuery>()
                .ok::<crate::openapi::SeekerViewSchema>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/me/provision-records",
                Kinds(SEEKER),
                get(crate::privacy::api::provision_records),
            ),
            op("Records of whom the seeker's data was given to (第三者提供記録)")
                .query::<crate::privacy::api::RecordsQuery>()
                .ok::<crate::privacy::api::ProvisionRecords>()
                .or_csv(),
        ),
        api(
            p(
                "GET",
                "/api/v1/me/privacy",
                Kinds(SEEKER),
                get(crate::privacy::api::privacy_get),
            ),
            op("Privacy settings").ok::<store::profiles::Privacy>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/daily-reports",
                Kinds(SEEKER),
                post(crate::retention::api::submit),
            ),
            op("Save today's check-in (201 new, 200 replacing the day's; an Idempotency-Key header makes a replay change nothing)")
                .body::<crate::retention::api::DailyReportBody>()
                .created::<store::retention::Saved>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/daily-reports",
                Kinds(SEEKER),
                get(crate::retention::api::mine),
            ),
            op("The worker's own check-ins, items and workplaces")
                .query::<crate::retention::api::RangeQuery>()
                .ok::<crate::retention::api::MyReports>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/employments/{id}/daily-reports",
                SignedIn,
                get(crate::retention::api::of_employment),
            ),
            op("An employment's check-ins as the viewer may see them (logged; a provision to third parties)")
                .query::<crate::retention::api::RangeQuery>()
                .ok::<store::disclosure::report::ReportViews>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/report-items",
                Kinds(SEEKER),
                post(crate::retention::api::item_add),
            ),
            op("Add an item of the worker's own to the check-in")
                .body::<crate::retention::api::ItemBody>()
                .created::<crate::retention::api::ItemCreated>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/report-items/{id}/retire",
                Kinds(SEEKER),
                post(crate::retention::api::item_retire),
            ),
            op("Retire one of the worker's items (past answers stay)").no_content(),
        ),
        api(
            r(
                "POST",
                "/api/v1/employments/{id}/report-items",
                Kinds(SUPPORTER),
                post(crate::retention::api::item_add_for),
            ),
            op("The linked supporter adds an item to the worker's check-in")
                .body::<crate::retention::api::ItemBody>()
                .created::<crate::retention::api::ItemCreated>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/employments/{id}/support-records",
                Kinds(SUPPORTER),
                post(crate::retention::support::record_add),
            ),
            op("The linked supporter writes a support record")
                .body::<crate::retention::support::RecordBody>()
                .created::<crate::retention::support::RecordCreated>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/employments/{id}/support-records/{record}/versions",
                Kinds(SUPPORTER),
                post(crate::retention::support::record_correct),
            ),
            op("A correction of a support record: a new version (the earlier ones stay readable)")
                .body::<crate::retention::support::RecordBody>()
                .created::<crate::retention::support::RecordCreated>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/employments/{id}/support-records",
                SignedIn,
                get(crate::retention::support::records),
            ),
            op("An employment's support records, every version, as the worker lets the viewer read them")
                .ok::<crate::retention::support::Records>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/employments/{id}/comments",
                SignedIn,
                post(crate::retention::support::comment_add),
            ),
            op("A comment on a day or a week of check-ins (supporter, follow-up person, family)")
                .body::<crate::retention::support::CommentBody>()
                .created::<crate::retention::support::CommentCreated>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/employments/{id}/comments",
                SignedIn,
                get(crate::retention::support::comments),
            ),
            op("The comments the viewer reads on an employment's check-ins")
                .ok::<crate::retention::support::Comments>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/employments/{id}/alert-rules",
                SignedIn,
                get(crate::retention::support::rules),
            ),
            op("The worker's early-warning rules").ok::<crate::retention::support::RulesAnswer>(),
        ),
        api(
            r(
                "PUT",
                "/api/v1/employments/{id}/alert-rules",
                Kinds(SUPPORTER),
                put(crate::retention::support::rules_set),
            ),
            op("The linked supporter tunes the worker's early-warning rules")
                .body::<crate::retention::support::RulesBody>()
                .ok::<crate::retention::support::RulesAnswer>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/employments/{id}/alerts",
                SignedIn,
                get(crate::retention::support::employment_alerts),
            ),
            op("An employment's alerts as the viewer reads them")
                .query::<crate::retention::support::AlertsQuery>()
                .ok::<crate::retention::support::Alerts>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/me/alerts",
                SignedIn,
                get(crate::retention::support::my_alerts),
            ),
            op("The alerts that reached the signed-in supporter or follow-up person (open ones unless all=true)")
                .query::<crate::retention::support::AlertsQuery>()
                .ok::<crate::retention::support::Alerts>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/alerts/{id}/ack",
                SignedIn,
                post(crate::retention::support::ack_api),
            ),
            op("Acknowledge an alert with a note (once)")
                .body::<crate::retention::support::AckBody>()
                .no_content(),
        ),
        api(
            p(
                "GET",
                "/api/v1/employments/{id}/monthly-report",
                SignedIn,
                get(crate::retention::monthly::get_api),
            ),
            op("A month's 支援レポート as the viewer may read it (the facility gets a draft until it saves one)")
                .query::<crate::retention::monthly::MonthQuery>()
                .ok::<store::disclosure::support::MonthlyView>(),
        ),
        api(
            r(
                "PUT",
                "/api/v1/employments/{id}/monthly-report",
                Kinds(SUPPORTER),
                put(crate::retention::monthly::put_api),
            ),
            op("The linked facility saves its edit of the month's report (the worker confirms it again)")
                .body::<crate::retention::monthly::MonthlyBodyIn>()
                .no_content(),
        ),
        api(
            r(
                "POST",
                "/api/v1/employments/{id}/monthly-report/confirm",
                Kinds(SEEKER),
                post(crate::retention::monthly::confirm_api),
            ),
            op("The worker confirms the month's report and chooses who else reads it")
                .body::<crate::retention::monthly::ConfirmBody>()
                .no_content(),
        ),
        api(
            r(
                "POST",
                "/api/v1/employer/employments/{id}/end",
                Kinds(EMPLOYER),
                post(crate::retention::figures::end_api),
            ),
            op("The company records that someone left: the last day worked and why")
                .body::<crate::retention::figures::EndBody>()
                .no_content(),
        ),
        api(
            r(
                "GET",
                "/api/v1/company/retention",
                Kinds(EMPLOYER),
                get(crate::retention::figures::company_api),
            ),
            op("The company's retention figures (定着率) at 6 months, 1 year and 3.5 years")
                .query::<crate::retention::figures::FiguresQuery>()
                .ok::<crate::retention::figures::Figures>()
                .or_csv(),
        ),
        api(
            r(
                "GET",
                "/api/v1/facility/retention",
                Kinds(SUPPORTER),
                get(crate::retention::figures::facility_api),
            ),
            op("The facility's retention figures of the people it supported into work")
                .query::<crate::retention::figures::FiguresQuery>()
                .ok::<crate::retention::figures::Figures>()
                .or_csv(),
        ),
        api(
            r(
                "PUT",
                "/api/v1/me/privacy/follow-up",
                Kinds(SEEKER),
                put(crate::retention::api::follow_up),
            ),
            op("What one workplace's follow-up person sees: whole check-ins, or the summary")
                .body::<crate::retention::api::FollowUpBody>()
                .ok::<crate::retention::api::FollowUpAnswer>(),
        ),
        api(
            r(
                "PUT",
                "/api/v1/me/privacy/scouts",
                Kinds(SEEKER),
                put(crate::privacy::api::privacy_scouts),
            ),
            op("Scout settings")
                .body::<crate::privacy::api::ScoutsBody>()
                .ok::<store::profiles::Privacy>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/blocks",
                Kinds(SEEKER),
                post(crate::privacy::api::block_add),
            ),
            op("Block a company")
                .body::<crate::privacy::api::OrgBody>()
                .ok::<store::profiles::Privacy>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/blocks/{id}/remove",
                Kinds(SEEKER),
                post(crate::privacy::api::block_remove),
            ),
            op("Unblock a company").ok::<store::profiles::Privacy>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/supporter-link",
                Kinds(SEEKER),
                post(crate::privacy::api::supporter_link),
            ),
            op("Link to a support facility by its code")
                .body::<crate::privacy::api::CodeBody>()
                .ok::<store::profiles::Privacy>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/supporter-link/end",
                Kinds(SEEKER),
                post(crate::privacy::api::supporter_unlink),
            ),
            op("End the facility link").ok::<store::profiles::Privacy>(),
        ),
        api(
            r(
                "PUT",
                "/api/v1/me/family/{id}/shares",
                Kinds(SEEKER),
                put(crate::privacy::api::family_shares),
            ),
            op("What a family member is shown")
                .body::<crate::privacy::api::SharesBody>()
                .ok::<store::profiles::Privacy>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/partners/{id}/withdraw",
                Kinds(SEEKER),
                post(crate::privacy::api::partner_withdraw),
            ),
            op("Withdraw sharing with a partner company").ok::<store::profiles::Privacy>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/companies",
                Kinds(SEEKER),
                get(crate::privacy::api::companies),
            ),
            op("Companies by name (to block one)")
                .query::<crate::privacy::api::CompaniesQuery>()
                .ok::<crate::privacy::api::CompanyList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/applications",
                Kinds(SEEKER),
                post(crate::applications::api::apply),
            ),
            op("Apply to a posting, open or closed")
                .body::<crate::applications::api::ApplyBody>()
                .created::<crate::applications::api::ApplicationCreated>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/applications",
                Kinds(SEEKER),
                get(crate::applications::api::my_applications),
            ),
            op("The seeker's applications, with the stage they see")
                .ok::<crate::applications::api::MyApplications>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/employer/applications",
                Kinds(EMPLOYER),
                get(crate::applications::api::applicants),
            ),
            op("Applications to the company, each applicant as the company may see them")
                .query::<crate::applications::api::ApplicantsQuery>()
                .ok::<crate::applications::api::Applicants>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/employer/applications/{id}/stage",
                Kinds(EMPLOYER),
                post(crate::applications::api::application_stage),
            ),
            op("Move an application (with the company's own sub-stage and note)")
                .body::<crate::applications::api::StageBody>()
                .ok::<crate::applications::api::StageAnswer>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/employer/applications/{id}/hire",
                Kinds(EMPLOYER),
                post(crate::applications::api::application_hire),
            ),
            op("Record the hire of an application at 内定: the employment record")
                .body::<crate::applications::api::HireBody>()
                .created::<crate::applications::api::EmploymentCreated>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/applications/{id}",
                SignedIn,
                get(crate::applications::selection::application),
            ),
            op("One application as the caller may see it (seeker, company, supporter taking part, family sharing status)")
                .ok::<store::disclosure::application::ApplicationView>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/employer/applications/{id}/interviews",
                Kinds(EMPLOYER),
                post(crate::applications::selection::propose),
            ),
            op("Propose an interview: times and accommodations")
                .body::<crate::applications::selection::ProposeBody>()
                .created::<crate::applications::selection::InterviewCreated>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/interviews/{id}/answer",
                Kinds(SEEKER_SIDE),
                post(crate::applications::selection::answer),
            ),
            op("Pick an interview time, or ask for others (the seeker, or the supporter taking part)")
                .body::<crate::applications::selection::AnswerBody>()
                .no_content(),
        ),
        api(
            r(
                "POST",
                "/api/v1/employer/interviews/{id}/cancel",
                Kinds(EMPLOYER),
                post(crate::applications::selection::cancel),
            ),
            op("Cancel an interview").no_content(),
        ),
        api(
            p(
                "GET",
                "/api/v1/interviews/{id}/ics",
                SignedIn,
                get(crate::applications::selection::ics),
            ),
            op("The interview as an iCalendar file (RFC 5545, Asia/Tokyo)").or_calendar(),
        ),
        api(
            p(
                "GET",
                "/api/v1/applications/{id}/accommodations",
                SignedIn,
                get(crate::applications::selection::ledger),
            ),
            op("The 合理的配慮 ledger of an application, every version")
                .ok::<crate::applications::selection::Ledger>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/applications/{id}/accommodations",
                Kinds(PARTIES),
                post(crate::applications::selection::ledger_post),
            ),
            op("A ledger request (seeker side) or decision (company): a new version")
                .body::<crate::applications::selection::LedgerBody>()
                .created::<crate::applications::selection::LedgerCreated>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/applications/{id}/accommodations/{entry}/ack",
                Kinds(PARTIES),
                post(crate::applications::selection::ledger_ack),
            ),
            op("Acknowledge the current version of a ledger item").no_content(),
        ),
        api(
            r(
                "GET",
                "/api/v1/employer/workforce",
                Kinds(EMPLOYER),
                get(crate::applications::selection::workforce_get),
            ),
            op("The company's workforce and its position against 法定雇用率")
                .ok::<crate::applications::selection::WorkforceAnswer>(),
        ),
        api(
            r(
                "PUT",
                "/api/v1/employer/workforce",
                Kinds(EMPLOYER),
                put(crate::applications::selection::workforce_put),
            ),
            op("State the company's workforce and persons counted")
                .body::<crate::applications::selection::WorkforceBody>()
                .ok::<crate::applications::selection::WorkforceAnswer>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/employments",
                SignedIn,
                get(crate::applications::api::my_employments),
            ),
            op("The caller's own employment records").ok::<crate::applications::api::Employments>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/applications/{id}/withdraw",
                Kinds(SEEKER),
                post(crate::applications::api::application_withdraw),
            ),
            op("Withdraw an application").no_content(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/scouts",
                Kinds(SEEKER),
                get(crate::applications::api::my_scouts),
            ),
            op("Scouts received").ok::<crate::applications::api::ScoutList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/scouts/{id}/accept",
                Kinds(SEEKER),
                post(crate::applications::api::scout_accept),
            ),
            op("Accept a scout: the company sees the profile as chosen, and an application opens")
                .body::<crate::applications::api::AcceptScoutBody>()
                .ok::<crate::applications::api::ScoutAccepted>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/scouts/{id}/decline",
                Kinds(SEEKER),
                post(crate::applications::api::scout_decline),
            ),
            op("Decline a scout").no_content(),
        ),
        api(
            p(
                "GET",
                "/api/v1/me/drafts",
                Kinds(SEEKER),
                get(crate::profiles::api::drafts),
            ),
            op("Supporters' proposals waiting").ok::<crate::profiles::api::DraftList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/drafts/{id}/approve",
                Kinds(SEEKER),
                post(crate::profiles::api::draft_approve),
            ),
            op("Approve a proposal: the section is saved").no_content(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/drafts/{id}/reject",
                Kinds(SEEKER),
                post(crate::profiles::api::draft_reject),
            ),
            op("Reject a proposal").no_content(),
        ),
        api(
            p(
                "GET",
                "/api/v1/scout-search",
                Kinds(EMPLOYER),
                get(crate::applications::api::scout_search),
            ),
            op("Seekers open to scouts, filtered on their masked profiles (verified companies)")
                .query::<crate::applications::api::ScoutSearchQuery>()
                .ok::<crate::applications::api::CandidateList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/scouts",
                Kinds(EMPLOYER),
                post(crate::applications::api::scout_send),
            ),
            op("Send a scout (verified companies)")
                .body::<crate::applications::api::ScoutBody>()
                .created::<crate::applications::api::ScoutCreated>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/facility",
                Kinds(SUPPORTER),
                get(crate::facility::api::facility),
            ),
            op("The facility: its code and linked seekers")
                .ok::<crate::facility::api::FacilityAnswer>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/seekers/{id}/drafts",
                Kinds(SUPPORTER),
                post(crate::profiles::api::draft_create),
            ),
            op("Propose a change to a section of a linked seeker")
                .body::<crate::profiles::api::DraftBody>()
                .created::<crate::profiles::api::DraftCreated>(),
        ),
        api(
            r("GET", "/api/v1/jobs", Public, get(crate::jobs::api::search)),
            op("Search public jobs")
                .query::<crate::openapi::JobSearchParams>()
                .ok::<crate::jobs::api::SearchAnswer>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/jobs/{id}",
                Public,
                get(crate::jobs::api::job),
            ),
            op("A job").ok::<crate::jobs::api::JobAnswer>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/jobs/{id}/report",
                Public,
                post(crate::jobs::api::report),
            ),
            op("Report a problem with a job")
                .body::<crate::jobs::api::ReportBody>()
                .accepted(),
        ),
        api(
            r(
                "GET",
                "/api/v1/companies/{id}",
                Public,
                get(crate::jobs::api::company),
            ),
            op("A company's public profile").ok::<crate::jobs::api::CompanyAnswer>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/company",
                Kinds(EMPLOYER),
                get(crate::employer::api::my_company),
            ),
            op("The employer's company").ok::<crate::jobs::api::CompanyAnswer>(),
        ),
        api(
            r(
                "PUT",
                "/api/v1/company",
                Kinds(EMPLOYER),
                put(crate::employer::api::company_put),
            ),
            op("Save the company profile")
                .body::<domain::jobs::CompanyProfile>()
                .ok::<crate::jobs::api::CompanyAnswer>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/employer/postings",
                Kinds(EMPLOYER),
                get(crate::employer::api::postings),
            ),
            op("The company's postings").ok::<crate::employer::api::PostingList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/employer/postings",
                Kinds(EMPLOYER),
                post(crate::employer::api::posting_create),
            ),
            op("Create a draft posting")
                .body::<crate::openapi::PostingDraft>()
                .created::<crate::employer::api::PostingAnswer>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/employer/postings/{id}",
                Kinds(EMPLOYER),
                get(crate::employer::api::posting_get),
            ),
            op("A posting of the company").ok::<crate::employer::api::PostingAnswer>(),
        ),
        api(
            r(
                "PUT",
                "/api/v1/employer/postings/{id}",
                Kinds(EMPLOYER),
                put(crate::employer::api::posting_put),
            ),
            op("Replace a posting's form")
                .body::<crate::openapi::PostingDraft>()
                .ok::<crate::employer::api::PostingAnswer>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/employer/postings/{id}/submit",
                Kinds(EMPLOYER),
                post(crate::employer::api::posting_submit),
            ),
            op("Submit for review").ok::<crate::operator::api::StatusAnswer>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/employer/postings/{id}/close",
                Kinds(EMPLOYER),
                post(crate::employer::api::posting_close),
            ),
            op("Close a posting").ok::<crate::operator::api::StatusAnswer>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/employer/postings/{id}/confirm",
                Kinds(EMPLOYER),
                post(crate::employer::api::posting_confirm),
            ),
            op("Confirm that a posting is still accurate")
                .ok::<crate::operator::api::StatusAnswer>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/employer/postings/{id}/candidates",
                Kinds(EMPLOYER),
                get(crate::employer::api::candidates),
            ),
            op("Recommended candidates (verified companies)")
                .ok::<crate::employer::api::Candidates>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/operator/queue",
                Staff(SUPPORT),
                get(crate::operator::api::operator_queue),
            ),
            op("What waits for the operator").ok::<crate::operator::api::Queue>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/operator/postings/{id}/approve",
                Staff(SUPPORT),
                post(crate::operator::api::operator_approve),
            ),
            op("Publish a posting").ok::<crate::operator::api::StatusAnswer>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/operator/postings/{id}/return",
                Staff(SUPPORT),
                post(crate::operator::api::operator_return),
            ),
            op("Return a posting with reasons")
                .body::<crate::operator::api::ReturnBody>()
                .ok::<crate::operator::api::StatusAnswer>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/operator/companies/{id}/verify",
                Staff(SUPPORT),
                post(crate::operator::api::operator_verify),
            ),
            op("Verify a company").no_content(),
        ),
        api(
            r(
                "GET",
                "/api/v1/operator/facilities",
                Staff(SUPPORT),
                get(crate::operator::api::operator_facilities),
            ),
            op("Facilities to verify").ok::<crate::operator::api::FacilityQueue>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/operator/facilities/{id}/verify",
                Staff(SUPPORT),
                post(crate::operator::api::operator_verify_facility),
            ),
            op("Verify a facility").no_content(),
        ),
        api(
            r(
                "POST",
                "/api/v1/operator/reports/{id}/resolve",
                Staff(SUPPORT),
                post(crate::operator::api::operator_resolve),
            ),
            op("Resolve a report").no_content(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/recommendations",
                Kinds(SEEKER),
                get(crate::jobs::api::recommendations),
            ),
            op("Jobs recommended to the seeker").ok::<crate::jobs::api::RecommendationList>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/saved-searches",
                Kinds(SEEKER),
                get(crate::jobs::api::saved),
            ),
            op("Saved searches").ok::<crate::jobs::api::SavedSearchList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/saved-searches",
                Kinds(SEEKER),
                post(crate::jobs::api::saved_create),
            ),
            op("Save a search (new jobs are notified)")
                .body::<crate::jobs::api::SavedBody>()
                .created::<crate::jobs::api::SavedSearchCreated>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/saved-searches/{id}/delete",
                Kinds(SEEKER),
                post(crate::jobs::api::saved_delete),
            ),
            op("Delete a saved search").no_content(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/notifications",
                SignedIn,
                get(crate::notifications::api_list),
            ),
            op("Every notification of the person, newest first, with read state")
                .ok::<crate::notifications::NotificationList>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/notification-settings",
                SignedIn,
                get(crate::notifications::api_settings),
            ),
            op("The mail switch of each kind of notification")
                .ok::<crate::notifications::SettingsAnswer>(),
        ),
        api(
            r(
                "PUT",
                "/api/v1/me/notification-settings",
                SignedIn,
                put(crate::notifications::api_settings_put),
            ),
            op("Switch mail of some kinds of notification on or off")
                .body::<crate::notifications::SettingsBody>()
                .ok::<crate::notifications::SettingsAnswer>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/unsubscribe/{token}",
                Public,
                post(crate::notifications::one_click),
            ),
            op("One-click unsubscribe (RFC 8058): turns that kind of mail off").no_content(),
        ),
        api(
            r(
                "POST",
                "/api/v1/messages/{id}/report",
                SignedIn,
                post(crate::messages::reports::report),
            ),
            op("Report a message one reads (harassment, discrimination, spam or fraud, other)")
                .body::<crate::messages::reports::MessageReportBody>()
                .created::<crate::messages::reports::MessageReportCreated>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/operator/message-reports",
                Staff(SUPPORT),
                get(crate::messages::reports::list),
            ),
            op("Reports of messages, open first (no content)")
                .ok::<crate::messages::reports::MessageReportList>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/operator/message-reports/{id}",
                Staff(SUPPORT),
                get(crate::messages::reports::open),
            ),
            op("One report with the reported message only (purpose abuse_report, logged)")
                .query::<crate::messages::reports::PurposeQuery>()
                .ok::<store::reports::ReportView>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/operator/message-reports/{id}/decide",
                Staff(SUPPORT),
                post(crate::messages::reports::decide),
            ),
            op("Warn or suspend the sender, or take no action")
                .body::<crate::messages::reports::ReportDecisionBody>()
                .no_content(),
        ),
        api(
            r(
                "POST",
                "/api/v1/company/agency",
                Kinds(EMPLOYER),
                post(crate::messages::agency::delegate),
            ),
            op("Delegate scouting and messaging to the operator for a period (company administrators)")
                .body::<crate::messages::agency::DelegationBody>()
                .created::<crate::messages::agency::DelegationAnswer>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/company/agency",
                Kinds(EMPLOYER),
                get(crate::messages::agency::delegation),
            ),
            op("The company's delegation to the operator")
                .ok::<crate::messages::agency::DelegationAnswer>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/company/agency/end",
                Kinds(EMPLOYER),
                post(crate::messages::agency::end),
            ),
            op("End the company's delegation now").no_content(),
        ),
        api(
            r(
                "GET",
                "/api/v1/me/agency",
                Kinds(SEEKER),
                get(crate::messages::agency::me_agency),
            ),
            op("Companies that delegated to the operator, the seeker's consent for each, and every read by the agency")
                .ok::<crate::messages::agency::AgencyAnswer>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/consents/agency_message_access/give",
                Kinds(SEEKER),
                post(crate::messages::agency::consent_give),
            ),
            op("Let the operator's agency staff read and answer the messages with one company")
                .body::<crate::messages::agency::RecipientBody>()
                .ok::<crate::messages::agency::AgencyAnswer>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/me/consents/agency_message_access/withdraw",
                Kinds(SEEKER),
                post(crate::messages::agency::consent_withdraw),
            ),
            op("Withdraw that consent: the agency's access ends on the next request")
                .body::<crate::messages::agency::RecipientBody>()
                .ok::<crate::messages::agency::AgencyAnswer>(),
        ),
        api(
            r(
                "GET",
                "/api/v1/operator/agency/companies",
                Staff(AGENCY),
                get(crate::applications::agency::clients),
            ),
            op("The companies whose delegation to the operator stands today, with their published postings (agency staff)")
                .ok::<crate::applications::agency::AgencyClients>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/operator/agency/companies/{id}/scout-search",
                Staff(AGENCY),
                get(crate::applications::agency::scout_search),
            ),
            op("Seekers the company may find by scout, as its scout search would show them (agency staff, recorded as a provision to the company)")
                .query::<crate::applications::api::ScoutSearchQuery>()
                .ok::<crate::applications::api::CandidateList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/operator/agency/companies/{id}/scouts",
                Staff(AGENCY),
                post(crate::applications::agency::scout_send),
            ),
            op("Send a scout in the company's name (agency staff; the seeker sees it was the agency)")
                .body::<crate::applications::api::ScoutBody>()
                .created::<crate::applications::api::ScoutCreated>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/operator/agency/threads",
                Staff(AGENCY),
                get(crate::messages::agency::threads),
            ),
            op("The threads the agency may open now").ok::<crate::messages::api::ThreadList>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/operator/agency/threads/{id}/messages",
                Staff(AGENCY),
                get(crate::messages::agency::messages),
            ),
            op("A thread's messages, while the seeker's consent stands (logged for the seeker)")
                .ok::<crate::messages::api::MessageList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/operator/agency/threads/{id}/messages",
                Staff(AGENCY),
                post(crate::messages::agency::send).layer(axum::extract::DefaultBodyLimit::max(
                    crate::messages::MAX_REQUEST_BYTES,
                )),
            ),
            op("Write in the company's name (marked as the agency's)")
                .body::<crate::messages::api::MessageBody>()
                .created::<crate::messages::api::MessageCreated>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/threads",
                SignedIn,
                get(crate::messages::api::threads),
            ),
            op("The threads the person takes part in, newest first")
                .ok::<crate::messages::api::ThreadList>(),
        ),
        api(
            p(
                "GET",
                "/api/v1/threads/{id}/messages",
                SignedIn,
                get(crate::messages::api::messages),
            ),
            op("A thread's messages the person may read (marks them read)")
                .ok::<crate::messages::api::MessageList>(),
        ),
        api(
            r(
                "POST",
                "/api/v1/threads/{id}/messages",
                SignedIn,
                post(crate::messages::api::send).layer(axum::extract::DefaultBodyLimit::max(
                    crate::messages::MAX_REQUEST_BYTES,
                )),
            ),
            op("Write a message, with up to three files")
                .body::<crate::messages::api::MessageBody>()
                .created::<crate::messages::api::MessageCreated>(),
        ),
        api(
            r(
                "PUT",
                "/api/v1/threads/{id}/supporter",
                SignedIn,
                put(crate::messages::api::supporter),
            ),
            op("Let the linked supporter into a job thread, or not")
                .body::<crate::messages::api::SupporterBody>()
                .no_content(),
        ),
        api(
            p(
                "GET",
                "/api/v1/attachments/{id}",
                SignedIn,
                get(crate::messages::api::attachment),
            ),
            op("Download a file of a message (participants who read it only)").or_file(),
        ),
    ]
}

/// The rules of all routes.
pub fn rules() -> &'static [RouteRule] {
    static RULES: OnceLock<Vec<RouteRule>> = OnceLock::new();
    RULES.get_or_init(|| table().into_iter().map(|(r, _)| r).collect())
}

type RouteMap = HashMap<(&'static str, &'static str), &'static RouteRule>;

fn rule_map() -> &'static RouteMap {
    static MAP: OnceLock<RouteMap> = OnceLock::new();
    MAP.get_or_init(|| rules().iter().map(|r| ((r.method, r.path), r)).collect())
}

/// The rule of a matched route; `None` means the route has no rule and is refused.
pub fn rule_for(method: &Method, matched_path: &str) -> Option<Rule> {
    rule_map()
        .get(&(method.as_str(), matched_path))
        .map(|r| r.rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_unique_and_api_routes_never_public_by_accident() {
        let mut seen = std::collections::HashSet::new();
        for r in rules() {
            assert!(
                seen.insert((r.method, r.path)),
                "duplicate {} {}",
                r.method,
                r.path
            );
        }
        let public_api: Vec<_> = rules()
            .iter()
            .filter(|r| r.path.starts_with("/api/v1/") && r.rule == Rule::Public)
            .map(|r| r.path)
            .collect();
        assert_eq!(
            public_api,
            [
                "/api/v1/auth/register",
                "/api/v1/auth/login",
                "/api/v1/auth/password-reset",
                "/api/v1/auth/password-reset/confirm",
                "/api/v1/statistics",
                "/api/v1/statistics/{id}",
                "/api/v1/auth/verify-email",
                "/api/v1/invitations/accept",
                "/api/v1/jobs",
                "/api/v1/jobs/{id}",
                "/api/v1/jobs/{id}/report",
                "/api/v1/companies/{id}",
                // RFC 8058: the mail program posts here without signing in.
                "/api/v1/unsubscribe/{token}",
            ]
        );
    }
}
