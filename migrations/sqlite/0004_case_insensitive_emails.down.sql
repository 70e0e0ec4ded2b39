DROP INDEX IF EXISTS users_email_lower_key;
