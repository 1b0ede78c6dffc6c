DROP TABLE account_actions;
DROP TABLE stated_purposes;
