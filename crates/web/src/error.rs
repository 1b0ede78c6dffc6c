//! One error type for the web layer. Handlers return it; the guard renders it as an
//! HTML page or a JSON body in the request's language. Internal details go to the log
//! only; users see a helpful message.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::Fields;
use store::StoreError;

#[derive(Debug, Clone)]
pub enum Failure {
    /// Invalid input, per field.
    Fields(Fields),
    /// One field of a JSON body named by its path (`basic.name`, `zz_unknown`): an
    /// unknown field, a missing one, or a value of the wrong type.
    Input {
        field: String,
        code: &'static str,
    },
    BadRequest,
    Unauthorized,
    Forbidden,
    /// The viewer's company is not verified by the operator yet.
    CompanyUnverified,
    /// The account must sign in with a second factor and this session did not: only
    /// setting one up is open (`routes::BEFORE_SECOND_FACTOR`).
    SecondFactorRequired,
    /// The account's address is not confirmed yet: no one else's data until it is.
    EmailUnverified,
    /// A new version of a policy text waits for the person's decision.
    PolicyDecisionRequired,
    NotFound,
    Csrf,
    /// A form sent without any of the site's cookies: the browser refused them (an
    /// `http://` address other than localhost, or cookies blocked).
    NoCookies,
    /// Too many attempts; the next is allowed in this many seconds.
    RateLimited(u64),
    /// Wrong email or password (one message for both).
    LoginFailed,
    /// A state conflict with a message key (e.g. `err-not-withdrawable`).
    Conflict(&'static str),
    Internal,
}

impl Failure {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Fields(_) | Self::Input { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden
            | Self::Csrf
            | Self::NoCookies
            | Self::CompanyUnverified
            | Self::SecondFactorRequired
            | Self::EmailUnverified
            | Self::PolicyDecisionRequired => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::LoginFailed => StatusCode::UNAUTHORIZED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
    /// Machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Fields(_) | Self::Input { .. } => "validation",
            Self::BadRequest => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::CompanyUnverified => "company_unverified",
            Self::SecondFactorRequired => "second_factor_required",
            Self::EmailUnverified => "email_unverified",
            Self::PolicyDecisionRequired => "policy_decision_required",
            Self::NotFound => "not_found",
            Self::Csrf => "csrf",
            Self::NoCookies => "cookies_missing",
            Self::RateLimited(_) => "rate_limited",
            Self::LoginFailed => "login_failed",
            Self::Conflict(_) => "conflict",
            Self::Internal => "internal",
        }
    }
    /// Message key of the human-readable message.
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Fields(_) | Self::Input { .. } => "error-summary-title",
            Self::BadRequest => "err-bad-request",
            Self::Unauthorized => "err-unauthorized",
            Self::Forbidden => "err-forbidden",
            Self::CompanyUnverified => "err-company-unverified",
            Self::SecondFactorRequired => "err-second-factor-required",
            Self::EmailUnverified => "err-email-unverified",
            Self::PolicyDecisionRequired => "err-policy-decision-required",
            Self::NotFound => "err-not-found",
            Self::Csrf => "err-csrf",
            Self::NoCookies => "err-no-cookies",
            Self::RateLimited(_) => "err-rate-limited",
            Self::LoginFailed => "err-login-failed",
            Self::Conflict(k) => k,
            Self::Internal => "err-internal",
        }
    }
    pub fn field(field: &'static str, code: &'static str) -> Self {
        let mut f = Fields::new();
        f.add(field, code);
        Self::Fields(f)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => {
                tracing::error!(error = %other, "store error");
                Self::Internal
            }
        }
    }
}

impl From<Fields> for Failure {
    fn from(f: Fields) -> Self {
        Self::Fields(f)
    }
}

/// Rendered by the guard, which knows the language and whether this is a page or the API.
impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut r = self.status().into_response();
        r.extensions_mut().insert(self);
        r
    }
}

pub type WebResult<T> = Result<T, Failure>;
