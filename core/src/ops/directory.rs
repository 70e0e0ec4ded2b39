//! Directory data editors may change: employee profiles and photos, Genesys imports.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value as Json;

use crate::error::{Error, Result};
use crate::model::{self};
use crate::models::genesys::{self, SyncStats};
use crate::models::{EmployeeProfile, GenesysGroup, GenesysLocation, GenesysSkill};
use crate::ops::permission::Permission;
use crate::ops::trail::{Operation, Write};
use crate::time::Timestamp;

/// Replaces an employee's Keystone record. `based_on` is the record the editor started from:
/// if it is not the stored one (an editor that never loaded the record starts from nothing),
/// the edit is refused instead of replacing a record nobody saw.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct UpdateProfile {
    pub id: i64,
    pub expected_updated_at: Option<Timestamp>,
    pub based_on: Option<Json>,
    pub keystone_data: Option<Json>,
}

/// Replaces (`Some`) or removes (`None`) an employee's photo; its type comes from its bytes.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Deserialize)]
pub struct SetPhoto {
    pub id: i64,
    pub expected_updated_at: Option<Timestamp>,
    pub photo: Option<Vec<u8>>,
}

impl std::fmt::Debug for SetPhoto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetPhoto")
            .field("id", &self.id)
            .field("photo_bytes", &self.photo.as_ref().map(Vec::len))
            .finish()
    }
}

impl Operation for UpdateProfile {
    type Output = EmployeeProfile;
    const NAME: &'static str = "profiles.update";

    fn permission(&self) -> Permission {
        Permission::EditProfiles
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<EmployeeProfile> {
        if !matches!(self.keystone_data, None | Some(Json::Object(_))) {
            return Err(Error::invalid("keystone_data", "must be a JSON object"));
        }
        let before: EmployeeProfile = w.fresh(self.id, self.expected_updated_at).await?;
        if before.keystone_data != self.based_on {
            return Err(Error::Conflict {
                field: Some("keystone_data".into()),
                message: format!(
                    "the Keystone record of {} is not the one this edit started from; reload it \
                     and edit the stored record",
                    before.email
                ),
            });
        }
        let mut profile = before.clone();
        profile.keystone_data = self.keystone_data;
        model::save_if_unchanged(w, &mut profile, self.expected_updated_at).await?;
        w.message(format!("Updated the Keystone record of {}", profile.email));
        w.changed(Some(&before), Some(&profile), &[]);
        Ok(profile)
    }
}

impl Operation for SetPhoto {
    type Output = EmployeeProfile;
    const NAME: &'static str = "profiles.photo";

    fn permission(&self) -> Permission {
        Permission::EditProfiles
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<EmployeeProfile> {
        let before: EmployeeProfile = w.fresh(self.id, self.expected_updated_at).await?;
        let mut profile = before.clone();
        match self.photo {
            Some(bytes) => profile.set_photo(bytes)?,
            None => profile.remove_photo(),
        }
        model::save_if_unchanged(w, &mut profile, self.expected_updated_at).await?;
        w.message(match &profile.photo_content_type {
            Some(kind) => format!("Replaced the photo of {} ({kind})", profile.email),
            None => format!("Removed the photo of {}", profile.email),
        });
        w.changed(Some(&before), Some(&profile), &[]);
        Ok(profile)
    }
}

/// The largest Genesys export file read (a few thousand entities are a few MiB).
pub const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads an import file: a regular file of at most [`MAX_IMPORT_BYTES`], as UTF-8 text.
fn read_import_file(path: &Path) -> Result<String> {
    let too_big = |_| {
        Error::invalid(
            "path",
            format!("the file is over {} MiB", MAX_IMPORT_BYTES / (1024 * 1024)),
        )
    };
    let bytes = crate::input_file::read_regular_file(path, MAX_IMPORT_BYTES, "path", too_big)?;
    String::from_utf8(bytes).map_err(|_| Error::invalid("path", "the file is not UTF-8 text"))
}

/// Which Genesys cache an import fills.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GenesysKind {
    Groups,
    Skills,
    Locations,
}

impl GenesysKind {
    pub fn plural(self) -> &'static str {
        match self {
            Self::Groups => "groups",
            Self::Skills => "skills",
            Self::Locations => "locations",
        }
    }
}

/// The seed's `sync_from_service_data` for one cache: items as the Genesys API returns them.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct ImportGenesys {
    pub kind: GenesysKind,
    #[serde(default = "default_service")]
    pub service_name: String,
    pub items: Vec<Json>,
}

fn default_service() -> String {
    "genesys".into()
}

impl ImportGenesys {
    /// Reads a Genesys export file: the API's paged shape `{"entities": [...]}` or a bare array.
    pub fn from_file(kind: GenesysKind, path: &Path) -> Result<Self> {
        let text = read_import_file(path)?;
        let json: Json = serde_json::from_str(&text)
            .map_err(|e| Error::invalid("file", format!("{} is not JSON: {e}", path.display())))?;
        let items = match json {
            Json::Array(items) => items,
            Json::Object(mut page) => match page.remove("entities") {
                Some(Json::Array(items)) => items,
                _ => return Err(not_items(path)),
            },
            _ => return Err(not_items(path)),
        };
        Ok(Self {
            kind,
            service_name: default_service(),
            items,
        })
    }
}

fn not_items(path: &Path) -> Error {
    Error::invalid(
        "file",
        format!(
            "{} holds neither a JSON array of items nor an object with an \"entities\" array",
            path.display()
        ),
    )
}

impl Operation for ImportGenesys {
    type Output = SyncStats;
    const NAME: &'static str = "genesys.import";

    fn permission(&self) -> Permission {
        Permission::ImportGenesys
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<SyncStats> {
        let (name, items) = (self.service_name.as_str(), self.items.as_slice());
        let stats = match self.kind {
            GenesysKind::Groups => {
                genesys::sync_from_service_data::<GenesysGroup>(w, name, items).await?
            }
            GenesysKind::Skills => {
                genesys::sync_from_service_data::<GenesysSkill>(w, name, items).await?
            }
            GenesysKind::Locations => {
                genesys::sync_from_service_data::<GenesysLocation>(w, name, items).await?
            }
        };
        w.message(format!(
            "Imported {} Genesys {}: {} created, {} updated",
            items.len(),
            self.kind.plural(),
            stats.created,
            stats.updated
        ));
        w.detail("kind", serde_json::to_value(self.kind).unwrap_or_default());
        w.detail("created", stats.created);
        w.detail("updated", stats.updated);
        Ok(stats)
    }
}

/// An employee's photo as stored, with the content type its bytes really have.
pub struct Photo {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
}

/// Whether the operator may see photos (any reader may); the app checks it for every photo it
/// serves, cached or not.
pub async fn authorize_photos(ctx: &crate::ops::Ctx) -> Result<()> {
    ctx.authorize(Permission::Read, "employee_profiles.photo")
        .await
        .map(drop)
}

/// The photo of an employee profile, for any reader; `None` when it has none.
pub async fn photo(ctx: &crate::ops::Ctx, id: i64) -> Result<Option<Photo>> {
    authorize_photos(ctx).await?;
    let profile: EmployeeProfile = model::require(&mut ctx.db.conn().await?, id).await?;
    Ok(profile.photo_data.and_then(|bytes| {
        crate::photo::sniff_content_type(&bytes).map(|content_type| Photo {
            bytes,
            content_type,
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items_in(contents: &str) -> Result<Vec<Json>> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("export.json");
        std::fs::write(&path, contents).expect("write");
        ImportGenesys::from_file(GenesysKind::Groups, &path).map(|req| req.items)
    }

    #[test]
    fn genesys_files_hold_a_bare_array_or_a_page_of_entities() {
        assert_eq!(items_in(r#"[{"id":"a"}]"#).expect("array").len(), 1);
        let page = items_in(r#"{"entities":[{"id":"a"},{"id":"b"}],"pageSize":25}"#);
        assert_eq!(page.expect("page").len(), 2);
        for bad in [r#"{"pageSize":25}"#, r#"{"entities":{}}"#, "42"] {
            let err = items_in(bad).expect_err(bad).to_string();
            assert!(err.contains("neither a JSON array"), "{bad}: {err}");
        }
        let err = items_in("{not json").expect_err("syntax").to_string();
        assert!(err.contains("is not JSON"), "{err}");
    }
}
