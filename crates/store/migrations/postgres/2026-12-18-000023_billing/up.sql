-- Billing (請求). Only organisations pay: a company or a facility is put on a plan (a
-- monthly fee, and for companies a success fee per hire, in yen before tax); seekers
-- and families are never charged. Nothing here is a person's data: an invoice names
-- the organisation, and a success-fee line the hire's start date and position only,
-- so the records outlive every 退会 and erasure for their legal period (keep_until).
CREATE TABLE billing_plans (
    id TEXT PRIMARY KEY NOT NULL,
    org_kind TEXT NOT NULL,
    name TEXT NOT NULL,
    monthly_fee BIGINT NOT NULL,
    success_fee BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
-- The plan an organisation is on, from a month on (one row per organisation).
CREATE TABLE billing_subscriptions (
    org_id TEXT PRIMARY KEY NOT NULL REFERENCES organizations(id),
    plan_id TEXT NOT NULL REFERENCES billing_plans(id),
    since_month TEXT NOT NULL,
    set_by TEXT NOT NULL REFERENCES users(id),
    set_at BIGINT NOT NULL
);
-- A qualified invoice (適格請求書) for one organisation and one month, with the issuer's
-- name and registration number and the recipient's name as they were on the day of
-- issue. One per organisation and month: a second run of the same month adds nothing.
CREATE TABLE invoices (
    id TEXT PRIMARY KEY NOT NULL,
    number TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    month TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    recipient TEXT NOT NULL,
    issuer_name TEXT NOT NULL,
    issuer_address TEXT NOT NULL,
    registration_number TEXT NOT NULL,
    total BIGINT NOT NULL,
    paid_on TEXT,
    paid_recorded_by TEXT REFERENCES users(id),
    keep_until TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (org_id, month)
);
-- An invoice's lines: quantity x unit price at a tax rate (percent).
CREATE TABLE invoice_lines (
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    pos INTEGER NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    unit_price BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    tax_rate INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, pos)
);
-- The sums per rate, each tax rounded once for the whole invoice.
CREATE TABLE invoice_taxes (
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    tax_rate INTEGER NOT NULL,
    base BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, tax_rate)
);
