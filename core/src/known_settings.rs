//! The configuration settings whose meaning is known (the WhoDis server reads them), with the
//! kind of value each takes, so a write that the server could not use is refused with a reason
//! instead of being stored: `search.max_results = "fifty"`. Settings not listed here, and names
//! that follow a known pattern (`….url`, `….enabled`), are checked by their pattern; anything
//! else is free text.

use crate::error::{Error, Result};

/// What a setting's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A whole number in a range (both ends included).
    Integer {
        min: i64,
        max: i64,
    },
    /// `true` or `false`.
    Boolean,
    /// An `http://` or `https://` address with a host.
    Url,
    /// A host name or address, without scheme or port.
    Host,
    /// One of a fixed set of words.
    OneOf(&'static [&'static str]),
    Text,
}

const PORT: ValueKind = ValueKind::Integer {
    min: 1,
    max: 65_535,
};
const MINUTES: ValueKind = ValueKind::Integer {
    min: 1,
    max: 525_600,
};

/// The settings the server's code reads, by `category.key`.
const KNOWN: &[(&str, ValueKind)] = &[
    ("auth.session_timeout_minutes", MINUTES),
    (
        "auth.required_role",
        ValueKind::OneOf(&["admin", "editor", "viewer"]),
    ),
    ("ldap.host", ValueKind::Host),
    ("ldap.port", PORT),
    ("ldap.use_ssl", ValueKind::Boolean),
    ("ldap.timeout", ValueKind::Integer { min: 1, max: 600 }),
    ("genesys.region", ValueKind::Host),
    (
        "genesys.cache_refresh_hours",
        ValueKind::Integer { min: 1, max: 8_760 },
    ),
    ("graph.tenant_id", ValueKind::Text),
    (
        "search.cache_ttl_minutes",
        ValueKind::Integer {
            min: 0,
            max: 525_600,
        },
    ),
    (
        "search.max_results",
        ValueKind::Integer {
            min: 1,
            max: 10_000,
        },
    ),
    (
        "search.timeout_seconds",
        ValueKind::Integer { min: 1, max: 600 },
    ),
];

/// The kind of value `category.key` takes.
pub fn kind_of(path: &str) -> ValueKind {
    if let Some((_, kind)) = KNOWN.iter().find(|(p, _)| p.eq_ignore_ascii_case(path)) {
        return *kind;
    }
    let key = path.rsplit('.').next().unwrap_or(path).to_ascii_lowercase();
    if key == "url" || key.ends_with("_url") {
        ValueKind::Url
    } else if key == "enabled" || key.ends_with("_enabled") || key.starts_with("is_") {
        ValueKind::Boolean
    } else if key == "port" || key.ends_with("_port") {
        PORT
    } else {
        ValueKind::Text
    }
}

/// Refuses a value `path` cannot take, saying what it takes. The value itself is never
/// repeated in the message (a setting may be a secret typed in the wrong field).
pub fn check(path: &str, value: &str) -> Result<()> {
    let kind = kind_of(path);
    let trimmed = value.trim();
    let refuse = |what: String| Err(Error::invalid("value", format!("{path} takes {what}")));
    match kind {
        ValueKind::Integer { min, max } => match trimmed.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(()),
            _ => refuse(format!("a whole number from {min} to {max}")),
        },
        ValueKind::Boolean => match trimmed {
            "true" | "false" => Ok(()),
            _ => refuse("true or false".into()),
        },
        ValueKind::Url => {
            let rest = trimmed
                .strip_prefix("https://")
                .or_else(|| trimmed.strip_prefix("http://"));
            let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
            match host {
                Some(h) if !h.is_empty() && !h.contains(char::is_whitespace) => Ok(()),
                _ => refuse("an http:// or https:// address".into()),
            }
        }
        ValueKind::Host => {
            let ok = !trimmed.is_empty()
                && trimmed.len() <= 253
                && trimmed
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-_".contains(&b));
            if ok {
                Ok(())
            } else {
                refuse("a host name (letters, digits, dots and dashes; no scheme or port)".into())
            }
        }
        ValueKind::OneOf(words) => {
            if words.contains(&trimmed) {
                Ok(())
            } else {
                refuse(format!("one of {}", words.join(", ")))
            }
        }
        ValueKind::Text => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn known_settings_take_their_kind() {
        assert!(check("search.max_results", "50").is_ok());
        let err = check("search.max_results", "fifty")
            .unwrap_err()
            .to_string();
        assert!(err.contains("a whole number from 1 to 10000"), "{err}");
        assert!(!err.contains("fifty"), "the value is not repeated: {err}");
        assert!(check("search.max_results", "0").is_err());
        assert!(check("ldap.port", "636").is_ok());
        assert!(check("ldap.port", "70000").is_err());
        assert!(check("auth.required_role", "editor").is_ok());
        assert!(check("auth.required_role", "root").is_err());
        assert!(check("ldap.host", "ldap.corp.example").is_ok());
        assert!(check("ldap.host", "ldaps://ldap.corp.example:636").is_err());
    }

    #[test]
    fn patterns_cover_unlisted_settings() {
        assert_eq!(kind_of("graph.authority_url"), ValueKind::Url);
        assert!(check("graph.authority_url", "https://login.example/tenant").is_ok());
        assert!(check("graph.authority_url", "login.example").is_err());
        assert!(check("features.photos_enabled", "true").is_ok());
        assert!(check("features.photos_enabled", "yes").is_err());
        assert!(check("smtp.port", "25").is_ok());
        // free text otherwise, secrets included
        assert!(check("ldap.bind_password", "anything at all").is_ok());
        assert!(check("ldap.base_dn", "dc=corp,dc=example").is_ok());
    }
}
