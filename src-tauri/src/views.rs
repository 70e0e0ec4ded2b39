//! Saved views: per screen (one table the window lists), named sets of filter chips, sort,
//! column layout (order, widths, hidden columns) and page size, one of them the screen's
//! default. Kept as JSON in the user's config folder beside `connections.json`, never in a
//! database. A screen's views are shared by every connection: the tables, and so the columns a
//! view names, are the same in every WhoDis database, and a column one database lacks is
//! ignored when the view is applied there.
//!
//! The file is checked when read: one that is not JSON, or of a version this build does not
//! know, is reported and never overwritten (saving refuses until it is fixed or removed); a
//! view in it that breaks a rule is dropped, with a warning, and the rest are kept. It is
//! written whole to a file beside it, synced, then renamed over it, so a crash or a full disk
//! leaves the previous file as it was.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use whodis_core::{Error, Result};

/// The file's format; a file of another version is reported, not read.
pub const VERSION: u64 = 1;
pub const MAX_NAME_CHARS: usize = 60;
/// Views per screen.
pub const MAX_VIEWS: usize = 50;
/// Screens with views (tables the window lists: a few dozen).
pub const MAX_SCREENS: usize = 200;
pub const MAX_COLUMNS: usize = 500;
pub const MAX_CHIPS: usize = 50;
/// A column or screen name's length, in characters.
pub const MAX_IDENT_CHARS: usize = 128;
/// A filter value's length, in characters.
pub const MAX_VALUE_CHARS: usize = 1000;
/// Column widths, in pixels: the UI's `clampWidth` bounds.
pub const MIN_WIDTH: u32 = 40;
pub const MAX_WIDTH: u32 = 1200;
/// Rows asked of the list engine per page (its own most).
pub const MIN_PAGE_SIZE: u32 = 25;
pub const MAX_PAGE_SIZE: u32 = whodis_core::list::MAX_PAGE_SIZE;
/// The filter operators of the UI's chips (`lib/query` `OPS`).
const OPS: [&str; 9] = [
    "eq", "ne", "contains", "gt", "gte", "lt", "lte", "is_null", "not_null",
];

/// One filter chip as the UI builds it: the value as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ViewChip {
    pub column: String,
    pub op: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ViewSort {
    pub column: String,
    pub descending: bool,
}

/// A column of the layout, in the order shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ViewColumn {
    pub name: String,
    pub width: u32,
    pub hidden: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct View {
    pub name: String,
    pub chips: Vec<ViewChip>,
    pub sort: Option<ViewSort>,
    pub columns: Vec<ViewColumn>,
    pub page_size: u32,
}

/// A screen's views, and the name of the one applied when the screen opens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ScreenViews {
    pub views: Vec<View>,
    pub default: Option<String>,
}

/// What a views command answers: the screen's views, and what was wrong in the file (entries
/// dropped on reading), for the window to show.
#[derive(Debug, Clone, Default, PartialEq, Serialize, specta::Type)]
pub struct ViewList {
    pub views: Vec<View>,
    pub default: Option<String>,
    pub warnings: Vec<String>,
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn check_ident(field: &str, what: &str, s: &str) -> Result<()> {
    if s.is_empty() || chars(s) > MAX_IDENT_CHARS || s.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            format!("{what} must be 1 to {MAX_IDENT_CHARS} characters without control characters, not {s:?}"),
        ));
    }
    Ok(())
}

/// A screen is named by its table: letters, digits, `_`, `-`, `.`.
pub fn check_screen(screen: &str) -> Result<()> {
    if screen.is_empty()
        || screen.len() > MAX_IDENT_CHARS
        || !screen
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
    {
        return Err(Error::invalid(
            "screen",
            format!(
                "a screen name of letters, digits and _ (up to {MAX_IDENT_CHARS}), not {screen:?}"
            ),
        ));
    }
    Ok(())
}

/// A view's name as typed, trimmed, or why it cannot be one.
pub fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "give the view a name"));
    }
    if chars(name) > MAX_NAME_CHARS {
        return Err(Error::invalid(
            "name",
            format!(
                "a view's name has at most {MAX_NAME_CHARS} characters (this one has {})",
                chars(name)
            ),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid(
            "name",
            "a view's name cannot hold control characters",
        ));
    }
    Ok(name.to_owned())
}

impl View {
    /// The rules a view keeps, on save and on every view read from the file.
    pub fn validate(&self) -> Result<()> {
        if check_name(&self.name)? != self.name {
            return Err(Error::invalid(
                "name",
                "a view's name has no spaces at its ends",
            ));
        }
        if self.chips.len() > MAX_CHIPS {
            return Err(Error::invalid(
                "chips",
                format!(
                    "a view keeps at most {MAX_CHIPS} filters (this one has {})",
                    self.chips.len()
                ),
            ));
        }
        for chip in &self.chips {
            check_ident("chips", "a filter's column", &chip.column)?;
            if !OPS.contains(&chip.op.as_str()) {
                return Err(Error::invalid(
                    "chips",
                    format!("unknown filter operator {:?}", chip.op),
                ));
            }
            if chars(&chip.value) > MAX_VALUE_CHARS {
                return Err(Error::invalid(
                    "chips",
                    format!("a filter's value has at most {MAX_VALUE_CHARS} characters"),
                ));
            }
        }
        if let Some(sort) = &self.sort {
            check_ident("sort", "the sort column", &sort.column)?;
        }
        if self.columns.len() > MAX_COLUMNS {
            return Err(Error::invalid(
                "columns",
                format!(
                    "a view keeps at most {MAX_COLUMNS} columns (this one has {})",
                    self.columns.len()
                ),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for column in &self.columns {
            check_ident("columns", "a column's name", &column.name)?;
            if !seen.insert(column.name.as_str()) {
                return Err(Error::invalid(
                    "columns",
                    format!("the column {:?} is listed twice", column.name),
                ));
            }
            if !(MIN_WIDTH..=MAX_WIDTH).contains(&column.width) {
                return Err(Error::invalid(
                    "columns",
                    format!(
                        "the column {:?} is {} px wide: a width is {MIN_WIDTH} to {MAX_WIDTH} px",
                        column.name, column.width
                    ),
                ));
            }
        }
        if !self.columns.is_empty() && self.columns.iter().all(|c| c.hidden) {
            return Err(Error::invalid(
                "columns",
                "a view shows at least one column",
            ));
        }
        if !(MIN_PAGE_SIZE..=MAX_PAGE_SIZE).contains(&self.page_size) {
            return Err(Error::invalid(
                "page_size",
                format!(
                    "a page has {MIN_PAGE_SIZE} to {MAX_PAGE_SIZE} rows, not {}",
                    self.page_size
                ),
            ));
        }
        Ok(())
    }
}

/// The whole file once read: every screen's views, and what was dropped on the way.
#[derive(Debug, Default)]
struct Loaded {
    screens: BTreeMap<String, ScreenViews>,
    warnings: Vec<String>,
}

impl Loaded {
    fn list(&self, screen: &str) -> ViewList {
        let found = self.screens.get(screen).cloned().unwrap_or_default();
        ViewList {
            views: found.views,
            default: found.default,
            warnings: self.warnings.clone(),
        }
    }
}

/// Reads the file's text leniently: the envelope must be right, each entry is checked alone.
fn parse(text: &str, file: &Path) -> Result<Loaded> {
    let bad = |why: String| {
        Error::invalid(
            "views",
            format!(
                "{} is not a valid saved-views file ({why}); it is left as it is: fix or remove it",
                file.display()
            ),
        )
    };
    let root: Value = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    let Value::Object(root) = root else {
        return Err(bad("not a JSON object".into()));
    };
    match root.get("version").and_then(Value::as_u64) {
        Some(VERSION) => {}
        Some(v) => {
            return Err(Error::invalid(
                "views",
                format!(
                    "{} has saved views of version {v}, which this version of whodis-admin \
                     (version {VERSION}) does not read; it is left as it is",
                    file.display()
                ),
            ))
        }
        None => return Err(bad("no \"version\" number".into())),
    }
    let mut loaded = Loaded::default();
    let screens = match root.get("screens") {
        None => return Ok(loaded),
        Some(Value::Object(screens)) => screens,
        Some(_) => return Err(bad("\"screens\" is not an object".into())),
    };
    for (screen, entry) in screens {
        let mut warn = |what: String| {
            tracing::warn!("saved views in {}: {what}", file.display());
            loaded.warnings.push(what);
        };
        if loaded.screens.len() >= MAX_SCREENS {
            warn(format!(
                "more than {MAX_SCREENS} screens have views; those after the first {MAX_SCREENS} were dropped"
            ));
            break;
        }
        if let Err(e) = check_screen(screen) {
            warn(format!("dropped the views of an unknown screen: {e}"));
            continue;
        }
        let Some(views) = entry.get("views").and_then(Value::as_array) else {
            warn(format!("{screen}: no list of views; dropped"));
            continue;
        };
        let mut kept: Vec<View> = Vec::new();
        for (i, raw) in views.iter().enumerate() {
            let view = match serde_json::from_value::<View>(raw.clone()) {
                Ok(view) => view,
                Err(e) => {
                    warn(format!(
                        "{screen}: view {} is malformed ({e}); dropped",
                        i + 1
                    ));
                    continue;
                }
            };
            if let Err(e) = view.validate() {
                warn(format!(
                    "{screen}: the view {:?} was dropped: {e}",
                    view.name
                ));
            } else if kept.iter().any(|v| v.name == view.name) {
                warn(format!(
                    "{screen}: a second view named {:?} was dropped",
                    view.name
                ));
            } else if kept.len() >= MAX_VIEWS {
                warn(format!(
                    "{screen}: the view {:?} was dropped: at most {MAX_VIEWS} views a screen",
                    view.name
                ));
            } else {
                kept.push(view);
            }
        }
        let default = match entry.get("default") {
            None | Some(Value::Null) => None,
            Some(Value::String(name)) if kept.iter().any(|v| &v.name == name) => Some(name.clone()),
            Some(other) => {
                warn(format!(
                    "{screen}: the default view {other} is not one of its views; no default"
                ));
                None
            }
        };
        if !kept.is_empty() {
            loaded.screens.insert(
                screen.clone(),
                ScreenViews {
                    views: kept,
                    default,
                },
            );
        }
    }
    Ok(loaded)
}

/// Writes `bytes` to `path` so that a reader sees the old file or the new one whole, never a
/// part: written to a file beside it in the same folder, synced, renamed over it, and the
/// folder synced so the rename itself survives a power cut.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let written = (|| {
        let mut file = std::fs::File::create(&partial)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&partial, path)
    })();
    if let Err(e) = written {
        // what was half written goes; the old file was never touched
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Serialises the read-modify-write of the file between commands (the window's managed state).
#[derive(Default)]
pub struct Lock(pub Mutex<()>);

/// The saved-views file.
pub struct ViewStore {
    file: PathBuf,
}

impl ViewStore {
    pub fn new(file: PathBuf) -> Self {
        ViewStore { file }
    }

    /// `~/.config/com.whodis.admin/views.json` on Linux (per platform elsewhere), beside the
    /// connection profiles.
    pub fn default_location() -> Result<Self> {
        let dir = dirs::config_dir()
            .ok_or_else(|| Error::invalid("views", "no per-user config folder on this system"))?;
        Ok(ViewStore::new(
            dir.join(crate::paths::APP_ID).join("views.json"),
        ))
    }

    fn read(&self) -> Result<Loaded> {
        match std::fs::read_to_string(&self.file) {
            Ok(text) => parse(&text, &self.file),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Loaded::default()),
            Err(e) => Err(Error::invalid(
                "views",
                format!("cannot read {}: {e}", self.file.display()),
            )),
        }
    }

    fn write(&self, loaded: &Loaded) -> Result<()> {
        let screens: serde_json::Map<String, Value> = loaded
            .screens
            .iter()
            .filter(|(_, s)| !s.views.is_empty())
            .map(|(name, s)| Ok((name.clone(), serde_json::to_value(s)?)))
            .collect::<std::result::Result<_, serde_json::Error>>()
            .map_err(|e| Error::invalid("views", e.to_string()))?;
        let text = serde_json::to_string_pretty(&serde_json::json!({
            "version": VERSION,
            "screens": screens,
        }))
        .map_err(|e| Error::invalid("views", e.to_string()))?;
        let cannot = |e: std::io::Error| {
            Error::invalid(
                "views",
                format!(
                    "cannot write {}: {e}; the views saved before are unchanged",
                    self.file.display()
                ),
            )
        };
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir).map_err(cannot)?;
        }
        write_atomic(&self.file, text.as_bytes()).map_err(cannot)
    }

    /// A screen's views (none when the file does not exist yet).
    pub fn list(&self, screen: &str) -> Result<ViewList> {
        check_screen(screen)?;
        Ok(self.read()?.list(screen))
    }

    /// Saves `view` under its name; a view of that name is replaced only when `overwrite`.
    pub fn save(&self, screen: &str, mut view: View, overwrite: bool) -> Result<ViewList> {
        check_screen(screen)?;
        view.name = check_name(&view.name)?;
        view.validate()?;
        let mut loaded = self.read()?;
        let entry = loaded.screens.entry(screen.to_owned()).or_default();
        match entry.views.iter().position(|v| v.name == view.name) {
            Some(_) if !overwrite => {
                return Err(Error::Conflict {
                    field: Some("name".into()),
                    message: format!("a view named {:?} exists already", view.name),
                })
            }
            Some(at) => entry.views[at] = view,
            None if entry.views.len() >= MAX_VIEWS => {
                return Err(Error::invalid(
                    "name",
                    format!(
                        "this screen has {MAX_VIEWS} views already, the most it keeps: delete one first"
                    ),
                ))
            }
            None => entry.views.push(view),
        }
        if loaded.screens.len() > MAX_SCREENS {
            return Err(Error::invalid(
                "views",
                format!("views are kept for at most {MAX_SCREENS} screens"),
            ));
        }
        self.write(&loaded)?;
        Ok(loaded.list(screen))
    }

    /// Deletes a view (and the default mark it had).
    pub fn delete(&self, screen: &str, name: &str) -> Result<ViewList> {
        check_screen(screen)?;
        let mut loaded = self.read()?;
        let entry = loaded.screens.entry(screen.to_owned()).or_default();
        let before = entry.views.len();
        entry.views.retain(|v| v.name != name);
        if entry.views.len() == before {
            return Err(Error::not_found("view", name.to_owned()));
        }
        if entry.default.as_deref() == Some(name) {
            entry.default = None;
        }
        self.write(&loaded)?;
        Ok(loaded.list(screen))
    }

    /// Marks the view applied when the screen opens (`None`: none is).
    pub fn set_default(&self, screen: &str, name: Option<&str>) -> Result<ViewList> {
        check_screen(screen)?;
        let mut loaded = self.read()?;
        let entry = loaded.screens.entry(screen.to_owned()).or_default();
        if let Some(name) = name {
            if !entry.views.iter().any(|v| v.name == name) {
                return Err(Error::not_found("view", name.to_owned()));
            }
        }
        entry.default = name.map(str::to_owned);
        self.write(&loaded)?;
        Ok(loaded.list(screen))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(name: &str) -> View {
        View {
            name: name.into(),
            chips: vec![
                ViewChip {
                    column: "event_type".into(),
                    op: "eq".into(),
                    value: "admin".into(),
                },
                ViewChip {
                    column: "*".into(),
                    op: "contains".into(),
                    value: "alice".into(),
                },
            ],
            sort: Some(ViewSort {
                column: "created_at".into(),
                descending: true,
            }),
            columns: vec![
                ViewColumn {
                    name: "created_at".into(),
                    width: 165,
                    hidden: false,
                },
                ViewColumn {
                    name: "message".into(),
                    width: 340,
                    hidden: true,
                },
            ],
            page_size: 200,
        }
    }

    fn store() -> (tempfile::TempDir, ViewStore) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = ViewStore::new(dir.path().join("config/views.json"));
        (dir, store)
    }

    fn message(e: Error) -> String {
        e.to_string()
    }

    #[test]
    fn views_round_trip_per_screen_with_a_default() {
        let (_dir, store) = store();
        assert_eq!(store.list("audit_log").expect("empty"), ViewList::default());
        store
            .save("audit_log", view("Admin events"), false)
            .expect("save");
        store.save("audit_log", view("Mine"), false).expect("save");
        store
            .save("users", view("Mine"), false)
            .expect("other screen");
        let listed = store
            .set_default("audit_log", Some("Mine"))
            .expect("default");
        assert_eq!(listed.default.as_deref(), Some("Mine"));

        // read again from the file, as the next run would
        let again = ViewStore::new(store.file.clone());
        let audit = again.list("audit_log").expect("list");
        assert_eq!(audit.views, vec![view("Admin events"), view("Mine")]);
        assert_eq!(audit.default.as_deref(), Some("Mine"));
        assert!(audit.warnings.is_empty(), "{:?}", audit.warnings);
        assert_eq!(again.list("users").expect("list").views, vec![view("Mine")]);
        assert_eq!(again.list("sessions").expect("list"), ViewList::default());

        // deleting the default one leaves no default
        let after = again.delete("audit_log", "Mine").expect("delete");
        assert_eq!(after.views, vec![view("Admin events")]);
        assert_eq!(after.default, None);
        assert!(again.delete("audit_log", "Mine").is_err());
        assert!(again.set_default("audit_log", Some("nope")).is_err());
        assert_eq!(
            again.set_default("audit_log", None).expect("clear").default,
            None
        );
        let text = std::fs::read_to_string(&store.file).expect("file");
        assert!(text.contains("\"version\": 1"), "{text}");
        assert!(!store.file.with_extension("json.partial").exists());
    }

    #[test]
    fn an_existing_name_is_replaced_only_when_asked() {
        let (_dir, store) = store();
        store.save("users", view("Active"), false).expect("save");
        let mut changed = view("  Active ");
        changed.page_size = 50;
        let e = store
            .save("users", changed.clone(), false)
            .expect_err("refused");
        assert_eq!(e.kind(), "conflict");
        assert!(message(e).contains("exists already"));
        assert_eq!(store.list("users").expect("list").views[0].page_size, 200);
        let listed = store.save("users", changed, true).expect("overwrite");
        assert_eq!(listed.views.len(), 1);
        assert_eq!(listed.views[0].name, "Active");
        assert_eq!(listed.views[0].page_size, 50);
    }

    #[test]
    fn limits_are_refused_with_clear_messages() {
        let (_dir, store) = store();
        let refused = |v: View| message(store.save("users", v, false).expect_err("refused"));

        let mut v = view("x");
        v.name = "n".repeat(MAX_NAME_CHARS + 1);
        assert!(refused(v).contains("at most 60 characters"));
        assert!(refused(view("   ")).contains("give the view a name"));
        let mut v = view("wide");
        v.columns[0].width = 5000;
        assert!(refused(v).contains("5000 px wide"));
        let mut v = view("narrow");
        v.columns[0].width = 3;
        assert!(refused(v).contains("40 to 1200 px"));
        let mut v = view("page");
        v.page_size = 0;
        assert!(refused(v).contains("25 to 500 rows"));
        let mut v = view("op");
        v.chips[0].op = "like".into();
        assert!(refused(v).contains("unknown filter operator \"like\""));
        let mut v = view("dup");
        v.columns[1].name = "created_at".into();
        assert!(refused(v).contains("listed twice"));
        let mut v = view("none shown");
        v.columns.iter_mut().for_each(|c| c.hidden = true);
        assert!(refused(v).contains("at least one column"));
        let mut v = view("many");
        v.columns = (0..=MAX_COLUMNS)
            .map(|i| ViewColumn {
                name: format!("c{i}"),
                width: 100,
                hidden: false,
            })
            .collect();
        assert!(refused(v).contains("at most 500 columns"));
        assert!(message(store.list("../etc").expect_err("refused")).contains("screen name"));
        assert!(!store.file.exists(), "nothing refused was written");

        for i in 0..MAX_VIEWS {
            store
                .save("users", view(&format!("v{i}")), false)
                .expect("within the limit");
        }
        let e = refused(view("one more"));
        assert!(e.contains("50 views already"), "{e}");
        // replacing one is still allowed at the limit
        store
            .save("users", view("v0"), true)
            .expect("overwrite at limit");
    }

    #[test]
    fn a_corrupt_or_newer_file_is_reported_and_never_overwritten() {
        let (_dir, store) = store();
        std::fs::create_dir_all(store.file.parent().expect("dir")).expect("mkdir");
        for text in [
            "{ this is not json",
            r#"{"version": 7, "screens": {}}"#,
            "[]",
        ] {
            std::fs::write(&store.file, text).expect("write");
            let listed = message(store.list("users").expect_err("refused"));
            assert!(listed.contains("views.json"), "{listed}");
            assert!(
                listed.contains("left as it is"),
                "says it is not touched: {listed}"
            );
            let saved = message(store.save("users", view("x"), false).expect_err("refused"));
            assert_eq!(saved, listed);
            assert!(store.delete("users", "x").is_err());
            assert!(store.set_default("users", None).is_err());
            assert_eq!(std::fs::read_to_string(&store.file).expect("read"), text);
        }
        std::fs::write(&store.file, r#"{"version": 7}"#).expect("write");
        assert!(message(store.list("users").expect_err("refused")).contains("version 7"));
    }

    #[test]
    fn bad_entries_are_dropped_with_a_warning_and_the_rest_kept() {
        let (_dir, store) = store();
        std::fs::create_dir_all(store.file.parent().expect("dir")).expect("mkdir");
        let good = serde_json::to_value(view("good")).expect("json");
        let mut wide = view("too wide");
        wide.columns[0].width = 99_999;
        let text = serde_json::json!({
            "version": 1,
            "screens": {
                "users": {
                    "views": [good, {"name": 3}, serde_json::to_value(&wide).expect("json"), good],
                    "default": "too wide",
                },
                "bad screen/": {"views": [good]},
                "sessions": {"views": "no"},
            }
        });
        std::fs::write(&store.file, text.to_string()).expect("write");
        let listed = store.list("users").expect("read despite bad entries");
        assert_eq!(listed.views, vec![view("good")]);
        assert_eq!(listed.default, None, "the default named a dropped view");
        let w = listed.warnings.join("\n");
        for expected in [
            "view 2 is malformed",
            "\"too wide\" was dropped",
            "99999 px wide",
            "second view named \"good\"",
            "unknown screen",
            "sessions: no list of views",
            "not one of its views",
        ] {
            assert!(w.contains(expected), "{expected:?} in {w}");
        }
        // the next write keeps what was valid
        store.save("users", view("new"), false).expect("save");
        let listed = ViewStore::new(store.file.clone())
            .list("users")
            .expect("list");
        assert!(listed.warnings.is_empty(), "{:?}", listed.warnings);
        assert_eq!(listed.views, vec![view("good"), view("new")]);
    }

    #[test]
    fn a_write_that_fails_leaves_the_old_file_intact() {
        let (_dir, store) = store();
        store.save("users", view("kept"), false).expect("save");
        let before = std::fs::read(&store.file).expect("read");
        // the file beside it cannot be made (a folder is in its place): the write fails, even
        // for root, before the old file is touched
        let partial = store.file.with_extension("json.partial");
        std::fs::create_dir(&partial).expect("mkdir");
        let e = message(
            store
                .save("users", view("lost"), false)
                .expect_err("refused"),
        );
        assert!(e.contains("cannot write") && e.contains("unchanged"), "{e}");
        assert_eq!(std::fs::read(&store.file).expect("read"), before);
        std::fs::remove_dir(&partial).expect("rmdir");
        assert_eq!(store.list("users").expect("list").views, vec![view("kept")]);
    }
}
