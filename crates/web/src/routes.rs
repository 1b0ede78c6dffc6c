//! Every route and who may use it, in one table. The guard looks each request's route
//! up here and refuses (404) any route that has no rule, so a route cannot be added
//! without deciding who may use it.
use crate::{AppState, api, guard, pages, profile_pages as pp};
use axum::Router;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post, put};
use domain::UserKind::{self, Employer, Family, Seeker, Supporter};

const SEEKER: &[UserKind] = &[Seeker];
const EMPLOYER: &[UserKind] = &[Employer];
const SUPPORTER: &[UserKind] = &[Supporter];
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
}

const INVITERS: &[UserKind] = &[Seeker, Employer, Supporter];
const FAMILY_SIDES: &[UserKind] = &[Seeker, Family];

fn table() -> Vec<(RouteRule, MethodRouter<AppState>)> {
    use Rule::*;
    let r = |method: &'static str, path: &'static str, rule: Rule, h: MethodRouter<AppState>| {
        (RouteRule { method, path, rule }, h)
    };
    vec![
        // Pages
        r("GET", "/", Public, get(pages::home)),
        r("GET", "/privacy", Public, get(pages::privacy)),
        r("GET", "/register", Public, get(pages::register_choose)),
        r("GET", "/register/{kind}", Public, get(pages::register_form)),
        r(
            "POST",
            "/register/{kind}",
            Public,
            post(pages::register_submit),
        ),
        r("GET", "/login", Public, get(pages::login_form)),
        r("POST", "/login", Public, post(pages::login_submit)),
        r("POST", "/logout", SignedIn, post(pages::logout)),
        r("GET", "/password-reset", Public, get(pages::reset_form)),
        r("POST", "/password-reset", Public, post(pages::reset_submit)),
        r(
            "GET",
            "/password-reset/{token}",
            Public,
            get(pages::reset_new_form),
        ),
        r(
            "POST",
            "/password-reset/{token}",
            Public,
            post(pages::reset_new_submit),
        ),
        r("GET", "/dashboard", SignedIn, get(pages::dashboard)),
        r(
            "POST",
            "/sessions/{id}/revoke",
            SignedIn,
            post(pages::session_revoke),
        ),
        r(
            "POST",
            "/session/extend",
            SignedIn,
            post(pages::session_extend),
        ),
        r(
            "POST",
            "/consents/{kind}/withdraw",
            SignedIn,
            post(pages::consent_withdraw),
        ),
        r(
            "POST",
            "/consents/{kind}/give",
            SignedIn,
            post(pages::consent_give),
        ),
        r(
            "GET",
            "/invitations",
            Kinds(INVITERS),
            get(pages::invitations),
        ),
        r(
            "POST",
            "/invitations",
            Kinds(INVITERS),
            post(pages::invitation_create),
        ),
        r(
            "POST",
            "/invitations/{id}/revoke",
            Kinds(INVITERS),
            post(pages::invitation_revoke),
        ),
        r("GET", "/invite/{token}", Public, get(pages::accept_form)),
        r(
            "POST",
            "/invite/{token}",
            Public,
            post(pages::accept_submit),
        ),
        r(
            "POST",
            "/family/{id}/end",
            Kinds(FAMILY_SIDES),
            post(pages::family_end),
        ),
        r("POST", "/settings/lang", Public, post(pages::set_lang)),
        r("GET", "/static/{file}", Public, get(pages::static_file)),
        r("GET", "/healthz", Public, get(pages::healthz)),
        r("GET", "/readyz", Public, get(pages::readyz)),
        r("GET", "/profile", Kinds(SEEKER), get(pp::profile)),
        r(
            "GET",
            "/profile/{section}",
            Kinds(SEEKER),
            get(pp::section_form),
        ),
        r(
            "POST",
            "/profile/{section}",
            Kinds(SEEKER),
            post(pp::section_submit),
        ),
        r(
            "POST",
            "/profile/drafts/{id}/approve",
            Kinds(SEEKER),
            post(pp::draft_approve),
        ),
        r(
            "POST",
            "/profile/drafts/{id}/reject",
            Kinds(SEEKER),
            post(pp::draft_reject),
        ),
        r("GET", "/privacy-settings", Kinds(SEEKER), get(pp::privacy)),
        r(
            "POST",
            "/privacy-settings/scouts",
            Kinds(SEEKER),
            post(pp::scouts),
        ),
        r(
            "POST",
            "/privacy-settings/blocks",
            Kinds(SEEKER),
            post(pp::block),
        ),
        r(
            "POST",
            "/privacy-settings/blocks/{id}/remove",
            Kinds(SEEKER),
            post(pp::unblock),
        ),
        r(
            "POST",
            "/privacy-settings/supporter",
            Kinds(SEEKER),
            post(pp::link_facility),
        ),
        r(
            "POST",
            "/privacy-settings/supporter/end",
            Kinds(SEEKER),
            post(pp::unlink_facility),
        ),
        r(
            "POST",
            "/privacy-settings/family/{id}",
            Kinds(SEEKER),
            post(pp::family_shares),
        ),
        r(
            "POST",
            "/privacy-settings/partners/{id}/withdraw",
            Kinds(SEEKER),
            post(pp::partner_withdraw),
        ),
        r(
            "GET",
            "/privacy-settings/records.csv",
            Kinds(SEEKER),
            get(pp::records_csv_handler),
        ),
        r(
            "GET",
            "/privacy-settings/records.json",
            Kinds(SEEKER),
            get(pp::records_json),
        ),
        r("GET", "/seekers/{id}", SignedIn, get(pp::seeker)),
        r("GET", "/facility", Kinds(SUPPORTER), get(pp::facility)),
        r(
            "GET",
            "/seekers/{id}/draft/{section}",
            Kinds(SUPPORTER),
            get(pp::draft_form),
        ),
        r(
            "POST",
            "/seekers/{id}/draft/{section}",
            Kinds(SUPPORTER),
            post(pp::draft_submit),
        ),
        r("GET", "/api/openapi.json", Public, get(api::openapi)),
        // JSON API
        r("POST", "/api/v1/auth/register", Public, post(api::register)),
        r("POST", "/api/v1/auth/login", Public, post(api::login)),
        r("POST", "/api/v1/auth/logout", SignedIn, post(api::logout)),
        r(
            "POST",
            "/api/v1/auth/password-reset",
            Public,
            post(api::reset_request),
        ),
        r(
            "POST",
            "/api/v1/auth/password-reset/confirm",
            Public,
            post(api::reset_confirm),
        ),
        r("GET", "/api/v1/me", SignedIn, get(api::me)),
        r("GET", "/api/v1/me/consents", SignedIn, get(api::consents)),
        r(
            "POST",
            "/api/v1/me/consents/{kind}/withdraw",
            SignedIn,
            post(api::consent_withdraw),
        ),
        r(
            "POST",
            "/api/v1/me/consents/{kind}/give",
            SignedIn,
            post(api::consent_give),
        ),
        r("GET", "/api/v1/me/sessions", SignedIn, get(api::sessions)),
        r(
            "POST",
            "/api/v1/me/sessions/{id}/revoke",
            SignedIn,
            post(api::session_revoke),
        ),
        r(
            "GET",
            "/api/v1/me/organizations",
            SignedIn,
            get(api::organizations),
        ),
        r(
            "GET",
            "/api/v1/me/family",
            Kinds(FAMILY_SIDES),
            get(api::family),
        ),
        r(
            "POST",
            "/api/v1/me/family/{id}/end",
            Kinds(FAMILY_SIDES),
            post(api::family_end),
        ),
        r(
            "GET",
            "/api/v1/invitations",
            Kinds(INVITERS),
            get(api::invitations),
        ),
        r(
            "POST",
            "/api/v1/invitations",
            Kinds(INVITERS),
            post(api::invitation_create),
        ),
        r(
            "POST",
            "/api/v1/invitations/{id}/revoke",
            Kinds(INVITERS),
            post(api::invitation_revoke),
        ),
        r(
            "POST",
            "/api/v1/invitations/accept",
            Public,
            post(api::invitation_accept),
        ),
        r(
            "GET",
            "/api/v1/me/profile",
            Kinds(SEEKER),
            get(api::profile_get),
        ),
        r(
            "PUT",
            "/api/v1/me/profile",
            Kinds(SEEKER),
            put(api::profile_put),
        ),
        r(
            "GET",
            "/api/v1/seekers/{id}",
            SignedIn,
            get(api::seeker_get),
        ),
        r(
            "GET",
            "/api/v1/me/provision-records",
            Kinds(SEEKER),
            get(api::provision_records),
        ),
        r(
            "GET",
            "/api/v1/me/privacy",
            Kinds(SEEKER),
            get(api::privacy_get),
        ),
        r(
            "PUT",
            "/api/v1/me/privacy/scouts",
            Kinds(SEEKER),
            put(api::privacy_scouts),
        ),
        r(
            "POST",
            "/api/v1/me/blocks",
            Kinds(SEEKER),
            post(api::block_add),
        ),
        r(
            "POST",
            "/api/v1/me/blocks/{id}/remove",
            Kinds(SEEKER),
            post(api::block_remove),
        ),
        r(
            "POST",
            "/api/v1/me/supporter-link",
            Kinds(SEEKER),
            post(api::supporter_link),
        ),
        r(
            "POST",
            "/api/v1/me/supporter-link/end",
            Kinds(SEEKER),
            post(api::supporter_unlink),
        ),
        r(
            "PUT",
            "/api/v1/me/family/{id}/shares",
            Kinds(SEEKER),
            put(api::family_shares),
        ),
        r(
            "POST",
            "/api/v1/me/partners/{id}/withdraw",
            Kinds(SEEKER),
            post(api::partner_withdraw),
        ),
        r(
            "GET",
            "/api/v1/companies",
            Kinds(SEEKER),
            get(api::companies),
        ),
        r(
            "POST",
            "/api/v1/me/applications",
            Kinds(SEEKER),
            post(api::apply),
        ),
        r(
            "POST",
            "/api/v1/me/applications/{id}/withdraw",
            Kinds(SEEKER),
            post(api::application_withdraw),
        ),
        r(
            "GET",
            "/api/v1/me/scouts",
            Kinds(SEEKER),
            get(api::my_scouts),
        ),
        r(
            "POST",
            "/api/v1/me/scouts/{id}/accept",
            Kinds(SEEKER),
            post(api::scout_accept),
        ),
        r(
            "POST",
            "/api/v1/me/scouts/{id}/decline",
            Kinds(SEEKER),
            post(api::scout_decline),
        ),
        r("GET", "/api/v1/me/drafts", Kinds(SEEKER), get(api::drafts)),
        r(
            "POST",
            "/api/v1/me/drafts/{id}/approve",
            Kinds(SEEKER),
            post(api::draft_approve),
        ),
        r(
            "POST",
            "/api/v1/me/drafts/{id}/reject",
            Kinds(SEEKER),
            post(api::draft_reject),
        ),
        r(
            "GET",
            "/api/v1/scout-search",
            Kinds(EMPLOYER),
            get(api::scout_search),
        ),
        r(
            "POST",
            "/api/v1/scouts",
            Kinds(EMPLOYER),
            post(api::scout_send),
        ),
        r(
            "GET",
            "/api/v1/facility",
            Kinds(SUPPORTER),
            get(api::facility),
        ),
        r(
            "POST",
            "/api/v1/seekers/{id}/drafts",
            Kinds(SUPPORTER),
            post(api::draft_create),
        ),
    ]
}

/// The rules of all routes.
pub fn rules() -> &'static [RouteRule] {
    static RULES: OnceLock<Vec<RouteRule>> = OnceLock::new();
    RULES.get_or_init(|| table().into_iter().map(|(r, _)| r).collect())
}

fn rule_map() -> &'static HashMap<(&'static str, &'static str), Rule> {
    static MAP: OnceLock<HashMap<(&'static str, &'static str), Rule>> = OnceLock::new();
    MAP.get_or_init(|| {
        rules()
            .iter()
            .map(|r| ((r.method, r.path), r.rule))
            .collect()
    })
}

/// The rule of a matched route; `None` means the route has no rule and is refused.
pub fn rule_for(method: &Method, matched_path: &str) -> Option<Rule> {
    rule_map().get(&(method.as_str(), matched_path)).copied()
}

/// The application. `extra` lets tests mount routes that are not in the table, to
/// prove that the guard refuses them.
pub fn router_with(state: AppState, extra: Router<AppState>) -> Router {
    let mut router: Router<AppState> = Router::new();
    for (rule, handler) in table() {
        router = router.route(rule.path, handler);
    }
    router
        .merge(extra)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        .with_state(state)
}

pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
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
                "/api/v1/invitations/accept"
            ]
        );
    }
}
