-- Emails are one identity whatever their case: DEMO.ADMIN@x and demo.admin@x are the same user.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
