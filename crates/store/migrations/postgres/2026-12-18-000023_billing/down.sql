DROP TABLE invoice_taxes;
DROP TABLE invoice_lines;
DROP TABLE invoices;
DROP TABLE billing_subscriptions;
DROP TABLE billing_plans;
