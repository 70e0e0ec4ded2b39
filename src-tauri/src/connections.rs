//! Connection profiles: the embedded demo database (always first, never removed) and the SQLite
//! files and PostgreSQL servers the admin added, each naming its operator. Kept as JSON in the
//! user's config folder; a PostgreSQL password lives in the OS keyring, never in that file.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use whodis_core::crypto::SecretString;
use whodis_core::{DbUrl, Error, Result};

pub const EMBEDDED_ID: &str = "embedded";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub target: Target,
    /// The operator (an email in that database's `users`); the default applies when empty.
    pub operator: Option<String>,
    /// A production database: named in a coloured band in the header and "[PRODUCTION]" in
    /// the window title at all times, and destructive actions ask for the database's name
    /// typed. Absent from files written before it existed (read as `false`).
    #[serde(default)]
    pub production: bool,
    /// The band's colour, `#rrggbb` (the UI's red when `None`).
    #[serde(default)]
    pub colour: Option<String>,
    /// Every write is refused on this connection, for every operator, by the backend
    /// (`Ctx::with_read_only`): lists and reads only.
    #[serde(default)]
    pub read_only: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    Embedded,
    Sqlite {
        path: String,
    },
    Postgres {
        host: String,
        port: u16,
        database: String,
        user: String,
        tls: TlsMode,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    Disable,
    Prefer,
    Require,
    VerifyFull,
}

impl TlsMode {
    fn sslmode(self) -> &'static str {
        match self {
            TlsMode::Disable => "disable",
            TlsMode::Prefer => "prefer",
            TlsMode::Require => "require",
            TlsMode::VerifyFull => "verify-full",
        }
    }
}

impl Profile {
    pub fn embedded() -> Self {
        Profile {
            id: EMBEDDED_ID.into(),
            name: "Demo (embedded)".into(),
            target: Target::Embedded,
            operator: None,
            production: false,
            colour: None,
            read_only: false,
        }
    }

    /// The name a production connection's destructive actions ask to be typed: the
    /// PostgreSQL database, or the SQLite file's name (as `downgrade --confirm-database`).
    pub fn database_name(&self) -> String {
        match &self.target {
            Target::Embedded => crate::paths::default_database()
                .map(|url| url.database_name())
                .unwrap_or_default(),
            Target::Sqlite { path } => std::path::Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            Target::Postgres { database, .. } => database.clone(),
        }
    }

    /// Checks the marks (production colour), which the header puts in a style: also run on
    /// every profile read from the file, so a hand-edited one cannot inject anything there.
    fn validate_marks(&self) -> Result<()> {
        match &self.colour {
            Some(c) if !is_hex_colour(c) => Err(Error::invalid(
                "colour",
                format!("a colour as #rrggbb (such as #c62828), not {c:?}"),
            )),
            _ => Ok(()),
        }
    }

    /// Checks what a user typed, before anything is saved or opened.
    pub fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid("name", "give the connection a name"));
        }
        self.validate_marks()?;
        match &self.target {
            Target::Embedded => Ok(()),
            Target::Sqlite { path } if path.trim().is_empty() => {
                Err(Error::invalid("path", "choose a SQLite file"))
            }
            Target::Sqlite { .. } => Ok(()),
            Target::Postgres {
                host,
                database,
                user,
                port,
                ..
            } => {
                let bad = |s: &str| {
                    s.trim().is_empty()
                        || s.contains(['/', '@', '?', '#', ' '])
                        || s.chars().any(char::is_control)
                };
                // a name or IPv4 address, or an IPv6 address in brackets: anything else (a ':'
                // or '\\' in it) would move the port or database of the URL built from it
                let host_ok = host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-_".contains(&b))
                    || host
                        .strip_prefix('[')
                        .and_then(|h| h.strip_suffix(']'))
                        .is_some_and(|h| {
                            !h.is_empty()
                                && h.bytes()
                                    .all(|b| b.is_ascii_hexdigit() || b":.".contains(&b))
                        });
                if bad(host) || !host_ok {
                    Err(Error::invalid(
                        "host",
                        "a host name or address (letters, digits, dots and dashes; IPv6 in [ ])",
                    ))
                } else if bad(database) {
                    Err(Error::invalid(
                        "database",
                        "a database name, without spaces or slashes",
                    ))
                } else if database.bytes().all(|b| b == b'.') {
                    // a URL path of "." or ".." is read as no database at all: the server's
                    // default one would be opened instead (found by the fuzz test below)
                    Err(Error::invalid(
                        "database",
                        "a database name that is not only dots",
                    ))
                } else if bad(user) {
                    Err(Error::invalid(
                        "user",
                        "a user name, without spaces or slashes",
                    ))
                } else if *port == 0 {
                    Err(Error::invalid("port", "a port between 1 and 65535"))
                } else {
                    Ok(())
                }
            }
        }
    }

    /// The database URL; a PostgreSQL password comes from the keyring at the last moment.
    /// The database URL; with a password, every copy of it made here is zeroized after use.
    pub fn url(&self, password: Option<&SecretString>) -> Result<DbUrl> {
        match &self.target {
            Target::Embedded => crate::paths::default_database(),
            Target::Sqlite { path } => Ok(DbUrl::sqlite_file(std::path::Path::new(path))),
            Target::Postgres {
                host,
                port,
                database,
                user,
                tls,
            } => {
                let enc = percent_encode;
                let auth = match password {
                    Some(p) if !p.expose().is_empty() => {
                        let p = SecretString::new(enc(p.expose()));
                        SecretString::new(format!("{}:{}", enc(user), p.expose()))
                    }
                    _ => SecretString::new(enc(user)),
                };
                // the database name is encoded too: a '%' in it is a character, not an escape
                let url = SecretString::new(format!(
                    "postgres://{}@{host}:{port}/{}?sslmode={}",
                    auth.expose(),
                    enc(database),
                    tls.sslmode()
                ));
                DbUrl::parse(url.expose())
            }
        }
    }
}

/// The keyring entry holding a profile's PostgreSQL password.
impl Target {
    /// Whether a password saved for `self` may be sent to `other`: the same server (host and
    /// port), user and TLS mode. Anything else gets the password typed again, so a page cannot
    /// point a saved password at a host of its choosing.
    pub fn same_credentials_as(&self, other: &Target) -> bool {
        match (self, other) {
            (
                Target::Postgres {
                    host,
                    port,
                    user,
                    tls,
                    ..
                },
                Target::Postgres {
                    host: h,
                    port: p,
                    user: u,
                    tls: t,
                    ..
                },
            ) => host.eq_ignore_ascii_case(h) && port == p && user == u && tls == t,
            _ => false,
        }
    }
}

pub fn password_entry(id: &str) -> String {
    format!("whodis-admin.connection.{id}")
}

/// The profiles file.
pub struct ProfileStore {
    file: PathBuf,
}

impl ProfileStore {
    pub fn new(file: PathBuf) -> Self {
        ProfileStore { file }
    }

    /// `~/.config/com.whodis.admin/connections.json` on Linux (per platform elsewhere).
    pub fn default_location() -> Result<Self> {
        let dir = dirs::config_dir().ok_or_else(|| {
            Error::invalid("connections", "no per-user config folder on this system")
        })?;
        Ok(ProfileStore::new(
            dir.join(crate::paths::APP_ID).join("connections.json"),
        ))
    }

    /// The embedded profile first, then the saved ones.
    pub fn load(&self) -> Result<Vec<Profile>> {
        let saved: Vec<Profile> = match std::fs::read_to_string(&self.file) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                Error::invalid(
                    "connections",
                    format!(
                        "{} is not a valid profiles file ({e}); fix or remove it",
                        self.file.display()
                    ),
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                return Err(Error::invalid(
                    "connections",
                    format!("cannot read {}: {e}", self.file.display()),
                ))
            }
        };
        if let Some((p, e)) = saved
            .iter()
            .find_map(|p| p.validate_marks().err().map(|e| (p, e)))
        {
            return Err(Error::invalid(
                "connections",
                format!(
                    "{}: the connection {:?} has an invalid {e}; fix or remove it",
                    self.file.display(),
                    p.name
                ),
            ));
        }
        Ok(std::iter::once(Profile::embedded())
            .chain(saved.into_iter().filter(|p| p.id != EMBEDDED_ID))
            .collect())
    }

    fn save(&self, profiles: &[Profile]) -> Result<()> {
        let saved: Vec<&Profile> = profiles.iter().filter(|p| p.id != EMBEDDED_ID).collect();
        let text = serde_json::to_string_pretty(&saved)
            .map_err(|e| Error::invalid("connections", e.to_string()))?;
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::invalid("connections", e.to_string()))?;
        }
        // written beside and renamed, so a crash never leaves half a file
        let partial = self.file.with_extension("json.partial");
        std::fs::write(&partial, text)
            .and_then(|()| std::fs::rename(&partial, &self.file))
            .map_err(|e| {
                Error::invalid(
                    "connections",
                    format!("cannot write {}: {e}", self.file.display()),
                )
            })
    }

    /// Adds or replaces (same id) a profile.
    pub fn put(&self, profile: Profile) -> Result<()> {
        profile.validate()?;
        let mut all = self.load()?;
        match all.iter_mut().find(|p| p.id == profile.id) {
            Some(existing) => *existing = profile,
            None => all.push(profile),
        }
        self.save(&all)
    }

    pub fn remove(&self, id: &str) -> Result<()> {
        if id == EMBEDDED_ID {
            return Err(Error::invalid(
                "id",
                "the embedded demo database is always listed",
            ));
        }
        let mut all = self.load()?;
        let before = all.len();
        all.retain(|p| p.id != id);
        if all.len() == before {
            return Err(Error::not_found("connection", id.to_owned()));
        }
        self.save(&all)
    }

    pub fn get(&self, id: &str) -> Result<Profile> {
        self.load()?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| Error::not_found("connection", id.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(name: &str) -> Profile {
        Profile {
            id: format!("id-{name}"),
            name: name.into(),
            target: Target::Postgres {
                host: "db.corp".into(),
                port: 5432,
                database: "whodis".into(),
                user: "alice".into(),
                tls: TlsMode::Require,
            },
            operator: Some("alice@corp.test".into()),
            production: false,
            colour: None,
            read_only: false,
        }
    }

    #[test]
    fn profiles_round_trip_without_passwords_and_keep_the_embedded_one_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = ProfileStore::new(dir.path().join("c/connections.json"));
        assert_eq!(store.load().expect("empty").len(), 1);
        store.put(pg("prod")).expect("put");
        store.put(pg("staging")).expect("put");
        let mut renamed = pg("prod");
        renamed.name = "production".into();
        store.put(renamed).expect("replace");
        let all = store.load().expect("load");
        let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Demo (embedded)", "production", "staging"]);
        let text = std::fs::read_to_string(dir.path().join("c/connections.json")).expect("file");
        assert!(
            !text.contains("password") && !text.contains("embedded"),
            "{text}"
        );
        store.remove("id-staging").expect("remove");
        assert_eq!(store.load().expect("load").len(), 2);
        assert!(store.remove(EMBEDDED_ID).is_err());
        assert!(store.remove("nope").is_err());
    }

    #[test]
    fn bad_input_is_refused_before_saving() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = ProfileStore::new(dir.path().join("connections.json"));
        let mut p = pg("x");
        if let Target::Postgres { host, .. } = &mut p.target {
            *host = "db.corp/evil".into();
        }
        assert_eq!(store.put(p).expect_err("bad host").field(), Some("host"));
        assert!(!dir.path().join("connections.json").exists());
        std::fs::write(dir.path().join("connections.json"), "{not json").expect("write");
        assert!(store
            .load()
            .expect_err("broken file")
            .to_string()
            .contains("not a valid profiles file"));
    }

    #[test]
    fn production_and_read_only_marks_round_trip_and_old_files_still_load() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("connections.json");
        // a file written before the marks existed: no production, colour or read_only
        std::fs::write(
            &file,
            r#"[{"id":"old","name":"Old","target":{"kind":"sqlite","path":"/tmp/old.db"},"operator":null}]"#,
        )
        .expect("write");
        let store = ProfileStore::new(file.clone());
        let old = store.get("old").expect("an old file loads");
        assert!(!old.production && !old.read_only && old.colour.is_none());
        assert_eq!(old.database_name(), "old.db");

        let mut prod = pg("hr");
        prod.production = true;
        prod.colour = Some("#C62828".into());
        prod.read_only = true;
        store.put(prod.clone()).expect("put");
        assert_eq!(store.get("id-hr").expect("get"), prod);
        assert_eq!(prod.database_name(), "whodis");
        // the old profile is still there, unchanged, and no partial file is left behind
        assert_eq!(store.get("old").expect("old"), old);
        assert!(!dir.path().join("connections.json.partial").exists());
        let text = std::fs::read_to_string(&file).expect("file");
        assert!(text.contains(r#""read_only": true"#), "{text}");
    }

    #[test]
    fn a_bad_colour_is_refused_clearly_when_saved_and_when_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("connections.json");
        let store = ProfileStore::new(file.clone());
        for bad in ["red", "#12345", "#1234567", "#gg0000", "#c62828;}body{", ""] {
            let mut p = pg("prod");
            p.production = true;
            p.colour = Some(bad.into());
            let err = store.put(p).expect_err(bad);
            assert_eq!(err.field(), Some("colour"), "{bad}: {err}");
            assert!(err.to_string().contains("#rrggbb"), "{err}");
        }
        assert!(!file.exists(), "nothing saved");
        // a hand-edited file with a bad colour is refused with the connection named
        std::fs::write(
            &file,
            r##"[{"id":"x","name":"Prod","target":{"kind":"embedded"},"operator":null,"production":true,"colour":"url(evil)"}]"##,
        )
        .expect("write");
        let err = store
            .load()
            .expect_err("bad colour in the file")
            .to_string();
        assert!(
            err.contains("\"Prod\"") && err.contains("#rrggbb") && err.contains("fix or remove"),
            "{err}"
        );
    }

    #[test]
    fn postgres_urls_carry_tls_and_an_encoded_password() {
        let password = SecretString::new("p@ss/w:rd".into());
        let url = pg("x").url(Some(&password)).expect("url");
        assert_eq!(
            url.to_string(),
            "postgres://alice:***@db.corp:5432/whodis?sslmode=require"
        );
        assert_eq!(
            pg("x").url(None).expect("url").to_string(),
            "postgres://alice@db.corp:5432/whodis?sslmode=require"
        );
    }
}

/// `#rrggbb`, hex digits of either case.
fn is_hex_colour(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c.bytes().skip(1).all(|b| b.is_ascii_hexdigit())
}

/// Percent-encodes everything but RFC 3986's unreserved characters, as a URL's user part needs
/// (form encoding would turn a space into `+`, which a server reads as a plus sign).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod encoding_tests {
    #[test]
    fn a_saved_password_belongs_to_its_server_user_and_tls_mode() {
        use super::{Target, TlsMode};
        let saved = Target::Postgres {
            host: "db.internal".into(),
            port: 5432,
            database: "whodis".into(),
            user: "alice".into(),
            tls: TlsMode::Require,
        };
        let with = |f: &dyn Fn(&mut Target)| {
            let mut t = saved.clone();
            f(&mut t);
            t
        };
        assert!(saved.same_credentials_as(&with(&|t| {
            if let Target::Postgres { host, database, .. } = t {
                *host = "DB.internal".into();
                *database = "other".into();
            }
        })));
        for changed in [
            with(&|t| {
                if let Target::Postgres { host, .. } = t {
                    *host = "evil.example".into()
                }
            }),
            with(&|t| {
                if let Target::Postgres { port, .. } = t {
                    *port = 6543
                }
            }),
            with(&|t| {
                if let Target::Postgres { user, .. } = t {
                    *user = "bob".into()
                }
            }),
            with(&|t| {
                if let Target::Postgres { tls, .. } = t {
                    *tls = TlsMode::Disable
                }
            }),
            Target::Sqlite {
                path: "/tmp/x.db".into(),
            },
        ] {
            assert!(!saved.same_credentials_as(&changed), "{changed:?}");
        }
    }

    #[test]
    fn user_parts_are_percent_encoded() {
        assert_eq!(
            super::percent_encode("a b+c/d?e@f:g"),
            "a%20b%2Bc%2Fd%3Fe%40f%3Ag"
        );
        assert_eq!(super::percent_encode("pässwörd"), "p%C3%A4ssw%C3%B6rd");
    }
}

/// The connection form's share of the fuzz suite (the operations are fuzzed in
/// `core/tests/fuzz.rs`, the CLI in `tests/cli_fuzz.rs`): any profile the page can send either
/// validates and builds a URL that parses back to the same server, user and database, or is a
/// typed `invalid` — never a panic — and the password never appears in an error or the shown URL.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod fuzz_tests {
    use proptest::prelude::*;

    use super::*;

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[a-z0-9.-]{1,20}",
            "[ -~]{0,30}",
            "\\PC{0,12}",
            Just("a\u{0}b".to_owned()),
            Just("x".repeat(300)),
        ]
    }

    fn target() -> impl Strategy<Value = Target> {
        let tls = prop::sample::select(vec![
            TlsMode::Disable,
            TlsMode::Prefer,
            TlsMode::Require,
            TlsMode::VerifyFull,
        ]);
        prop_oneof![
            Just(Target::Embedded),
            text().prop_map(|path| Target::Sqlite { path }),
            (text(), any::<u16>(), text(), text(), tls).prop_map(
                |(host, port, database, user, tls)| Target::Postgres {
                    host,
                    port,
                    database,
                    user,
                    tls,
                }
            ),
        ]
    }

    // found by the fuzzer: "." in a URL path is no database, so the server's default opened
    #[test]
    fn a_database_of_only_dots_is_refused() {
        for database in [".", ".."] {
            let profile = Profile {
                id: "p".into(),
                name: "dots".into(),
                target: Target::Postgres {
                    host: "db".into(),
                    port: 5432,
                    database: database.into(),
                    user: "u".into(),
                    tls: TlsMode::Disable,
                },
                operator: None,
                production: false,
                colour: None,
                read_only: false,
            };
            let err = profile.validate().unwrap_err();
            assert_eq!(err.field(), Some("database"), "{database}: {err}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

        #[test]
        fn any_profile_validates_or_is_refused_clearly(
            name in text(),
            target in target(),
            password in prop::option::of("PW#[ -~]{6,16}"),
        ) {
            let profile = Profile {
                id: "p".into(), name, target, operator: None,
                production: false, colour: None, read_only: false,
            };
            let secret = password.clone().map(SecretString::new);
            let outcome = profile.validate().and_then(|()| profile.url(secret.as_ref()));
            match outcome {
                Ok(url) => {
                    let shown = url.to_string();
                    if let Some(p) = &password {
                        prop_assert!(!shown.contains(p.as_str()), "{} shows the password", shown);
                    }
                    if let Target::Postgres { database, .. } = &profile.target {
                        prop_assert_eq!(url.backend(), whodis_core::Backend::Postgres);
                        prop_assert_eq!(url.database_name(), database.clone());
                    }
                }
                Err(e) => {
                    prop_assert_eq!(e.kind(), "invalid", "{}", e);
                    if let Some(p) = &password {
                        prop_assert!(!e.to_string().contains(p.as_str()), "{} echoes it", e);
                    }
                }
            }
        }
    }
}
