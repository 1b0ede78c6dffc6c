"""Schemathesis hooks for tests/api/run.sh.

`positive_data_accepted`: a request that the document calls valid must not be refused
with 400 or 422, except where the refusal is about state or about a rule between two
fields, which a JSON Schema cannot state. Those exceptions are listed here by error code,
each with its reason; a 422 that names any other code (or a 400) fails the run.
"""
import json

import schemathesis

# Codes a schema-valid request may still get, and why.
STATE_OR_CROSS_FIELD = {
    # The body names a record that does not exist (the document cannot know the ids).
    "organization-unknown": "no such company",
    "posting-unknown": "no such public posting",
    "code-unknown": "no facility has this invitation code",
    "family-unknown": "no such family link",
    "reset-token-invalid": "no such reset token",
    "invitation-invalid": "no such invitation",
    # Consent rules: privacy_policy must be among the consents given.
    "consent-required": "the privacy-policy consent is missing from the list",
    "consent-unknown": "a consent that does not apply to this kind of account",
    # Rules between two fields.
    "hours-max-below-min": "hours_max below hours_min",
    "wage-max-below-min": "wage_max below wage_min",
    "wage-range-hourly": "wage out of range for its unit",
    "wage-range-daily": "wage out of range for its unit",
    "wage-range-monthly": "wage out of range for its unit",
    "wage-range-annual": "wage out of range for its unit",
    "posting-field-required-fixed": "a fixed-term contract needs its period and renewal rule",
    "review-reason-required": "a return needs a reason",
    # A posting must be complete to be submitted or to stay published (its stored state).
    "posting-field-required": "the stored draft is incomplete",
    "prefecture-required": "the stored draft is incomplete",
    "openings-required": "the stored draft is incomplete",
    "company-incomplete": "the company profile must be complete before submitting",
    # An invitation's kind decides which of role and relation it needs.
    "role-invalid": "the role does not fit the inviter's organisation",
    "relation-invalid": "a family invitation needs a relation",
    "org-invalid": "the caller does not administer this organisation",
    "org-name-required": "employers and supporters name their organisation",
    "saved-search-empty": "a saved search needs a condition",
    "apply-one-target": "posting_id and the deprecated organization_id together",
    "already-registered": "the invited address already has an account",
    "hours-range": "the stored draft's hours are out of range",
    "days-range": "the stored draft's days are out of range",
    "section-unknown": "the scout sections or proposal section do not apply",
    "sensitive-consent-required": "the sensitive-data consent is withdrawn",
    # Interviews and the ledger.
    "slot-in-past": "an interview time must be in the future (it depends on now)",
    "slot-place-required": "a slot needs a place or an online link (one of two fields)",
    "interview-answer-one": "an answer gives slot_id or others, exactly one",
    "ledger-request-or-decision": "a ledger version is a request or a decision, exactly one",
    "decision-required": "a decision on the ledger cannot be 'pending'",
    "discussion-required": "a decision needs what was discussed",
    "reason-required": "'not possible' and 'alternative' need their reason",
    # Messages and the agency.
    "message-empty": "a message needs words or a file (one of two fields)",
    "file-type-unknown": "a file's type is read from its content, which a schema cannot state",
    "file-type-mismatch": "a file's content must match its name's extension",
    "file-too-large": "a file's decoded size",
    "until-before-from": "a delegation's last day before its first",
    "until-past": "a delegation's last day has passed (it depends on today)",
    "period-too-long": "a delegation longer than a year (between two fields and today)",
    # The daily check-in.
    "employment-unknown": "no standing employment of the worker with this id",
    "report-day-closed": "a check-in is written on its day (it depends on today)",
    "clock-out-before-in": "clock_out before clock_in (two fields)",
    "clock-not-worked": "clock times on a day absent or off (two fields)",
    "report-sensitive-consent": "health data needs the sensitive-data consent (state)",
    "item-unknown": "an own item's id that does not exist",
    "item-value-invalid": "an own item's answer must fit its kind (stored state)",
    # Steps that check the password again (退会, 開示, rights requests).
    "password-wrong": "the password is checked against the stored one (state)",
    "password-required": "a fresh check takes the password or a code (one of two fields)",
    # Second factors: codes are checked against the stored secret and used once.
    "code-required": "an account with a second factor signs in with a code (state)",
    "code-wrong": "a code is checked against the stored secret or recovery codes (state)",
    "totp-already-on": "an authenticator is set up already (state)",
    "totp-not-on": "recovery codes need an authenticator in force (state)",
    "close-last-admin": "the only admin of an organisation with members cannot close (state)",
    # Rights requests.
    "rights-detail-required": "a correction needs its detail (kind and detail: two fields)",
    "rights-reason-required": "a refusal needs its reason (decision and reply: two fields)",
    # The address and its confirmation.
    "email-same": "the new address is the account's own (state)",
    "email-nothing-to-confirm": "the address is confirmed and no change waits (state)",
    # Policy versions.
    "policy-version-taken": "the text has that version already (state)",
    "policy-field-required": "a summary or text of only spaces (a schema cannot say 'not blank')",
    # Billing.
    "billing-success-company-only": "a success fee only on a company plan (two fields)",
    "billing-plan-empty": "a plan needs a monthly fee or a success fee (two fields)",
    "billing-plan-kind": "the plan is for the other kind of organisation (state)",
    "billing-month-not-ended": "only a month that has ended is billed (it depends on today)",
    "billing-issuer-missing": "no invoice without the issuer's registration number (configuration)",
    "billing-paid-future": "a payment day up to today (it depends on today)",
    "billing-paid-before-issue": "a payment day not before the invoice's (state)",
    "billing-paid-already": "the payment is recorded already (state)",
}


@schemathesis.check
def positive_data_accepted(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code not in (400, 422):
        return None
    if response.status_code == 400:
        raise AssertionError("a schema-valid request was refused as unreadable (400)")
    try:
        fields = json.loads(response.content)["error"]["fields"]
    except (ValueError, KeyError, TypeError):
        raise AssertionError("a 422 without the error shape")
    codes = {f.get("code") for f in fields.values()}
    other = sorted(c for c in codes if c not in STATE_OR_CROSS_FIELD)
    if other or not codes:
        raise AssertionError(
            "a schema-valid request was refused: "
            + ", ".join(f"{k}: {v.get('code')}" for k, v in fields.items())
        )
    return None
