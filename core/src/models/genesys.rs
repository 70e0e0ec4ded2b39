//! Genesys caches (seed: `app/models/genesys.py`, `ServiceDataModel`): groups, skills,
//! locations. All three share one shape and the seed's service-data behaviour.

use sea_query::Condition;
use serde::Serialize;
use serde_json::Value as Json;

use crate::define_model;
use crate::error::{Error, Result};
use crate::exec::Executor;
use crate::model::{self, col, Model, Validate};

/// What service-data models have in common.
pub trait ServiceData: Model {
    fn service_id(&self) -> &str;
    fn set_service_ids(&mut self, service_name: &str, service_id: &str);
    fn set_from_service(&mut self, name: Option<String>, is_active: bool, raw: Json);
}

macro_rules! service_data_model {
    ($(#[$meta:meta])* $name:ident, $table:literal) => {
        define_model! {
            $(#[$meta])*
            pub struct $name in $table sortable ["name", "is_active"] {
                pub service_id: String,
                pub service_name: String,
                /// Extension: the display name the seed's `update_from_service` extracts.
                pub name: Option<String>,
                pub raw_data: Option<serde_json::Value>,
                pub is_active: bool,
                pub additional_data: Option<serde_json::Value>,
            }
        }
        crate::impl_json_data!($name);

        impl Validate for $name {
            fn defaults(&mut self) {
                if self.service_name.is_empty() {
                    self.service_name = "genesys".to_owned();
                }
            }

            fn check(&self) -> Result<()> {
                if self.service_id.trim().is_empty() {
                    return Err(Error::invalid("service_id", "must not be empty"));
                }
                if self.service_name.trim().is_empty() {
                    return Err(Error::invalid("service_name", "must not be empty"));
                }
                Ok(())
            }
        }

        impl ServiceData for $name {
            fn service_id(&self) -> &str {
                &self.service_id
            }
            fn set_service_ids(&mut self, service_name: &str, service_id: &str) {
                self.service_name = service_name.to_owned();
                self.service_id = service_id.to_owned();
            }
            fn set_from_service(&mut self, name: Option<String>, is_active: bool, raw: Json) {
                self.name = name;
                self.is_active = is_active;
                self.raw_data = Some(raw);
            }
        }

        impl $name {
            pub async fn update_from_service(
                &mut self,
                ex: &mut impl Executor,
                data: &Json,
            ) -> Result<()> {
                update_from_service(ex, self, data).await
            }

            pub async fn sync_from_service_data(
                ex: &mut impl Executor,
                service_name: &str,
                items: &[Json],
            ) -> Result<SyncStats> {
                sync_from_service_data::<Self>(ex, service_name, items).await
            }
        }
    };
}

service_data_model!(
    /// A Genesys Cloud group.
    GenesysGroup, "genesys_groups"
);
service_data_model!(
    /// A Genesys Cloud routing skill.
    GenesysSkill, "genesys_skills"
);
service_data_model!(
    /// A Genesys Cloud location.
    GenesysLocation, "genesys_locations"
);

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SyncStats {
    pub created: u64,
    pub updated: u64,
}

/// The common fields of a service record: its id, display name and active flag. Genesys says
/// `state: "active" | "inactive" | "deleted"` for groups and skills, `enabled` elsewhere.
pub fn extract_service_fields(data: &Json) -> Result<(String, Option<String>, bool)> {
    let id = match data.get("id") {
        Some(Json::String(s)) if !s.is_empty() => s.clone(),
        Some(Json::Number(n)) => n.to_string(),
        _ => {
            return Err(Error::invalid(
                "id",
                "every service item needs a non-empty \"id\"",
            ))
        }
    };
    let name = data.get("name").and_then(Json::as_str).map(str::to_owned);
    let active = if let Some(b) = data.get("active").and_then(Json::as_bool) {
        b
    } else if let Some(b) = data.get("enabled").and_then(Json::as_bool) {
        b
    } else if let Some(state) = data.get("state").and_then(Json::as_str) {
        state.eq_ignore_ascii_case("active")
    } else {
        true
    };
    Ok((id, name, active))
}

/// The seed's `update_from_service`: refreshes name, active flag and raw data from `data`.
pub async fn update_from_service<M: ServiceData>(
    ex: &mut impl Executor,
    model: &mut M,
    data: &Json,
) -> Result<()> {
    let (id, name, active) = extract_service_fields(data)?;
    if id != model.service_id() {
        return Err(Error::invalid(
            "id",
            format!("the data is for '{id}', not '{}'", model.service_id()),
        ));
    }
    let mut changed = model.clone();
    changed.set_from_service(name, active, data.clone());
    model::save(ex, &mut changed).await?;
    *model = changed;
    Ok(())
}

/// The seed's `sync_from_service_data`: creates or updates one row per item, keyed on
/// `(service_name, id)`. Running it twice with the same items creates nothing the second time.
/// Every item is checked before anything is written.
pub async fn sync_from_service_data<M: ServiceData>(
    ex: &mut impl Executor,
    service_name: &str,
    items: &[Json],
) -> Result<SyncStats> {
    if service_name.trim().is_empty() {
        return Err(Error::invalid("service_name", "must not be empty"));
    }
    let parsed = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            extract_service_fields(item).map_err(|e| match e {
                Error::Invalid { field, reason } => {
                    Error::invalid(format!("items[{i}].{field}"), reason)
                }
                other => other,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut stats = SyncStats::default();
    for ((id, name, active), raw) in parsed.into_iter().zip(items) {
        let cond = Condition::all()
            .add(col("service_name").eq(service_name))
            .add(col("service_id").eq(&id));
        let mut row = match model::find_one::<M>(ex, cond).await? {
            Some(row) => {
                stats.updated += 1;
                row
            }
            None => {
                stats.created += 1;
                let mut row = M::default();
                row.set_service_ids(service_name, &id);
                row
            }
        };
        row.set_from_service(name, active, raw.clone());
        model::save(ex, &mut row).await?;
    }
    Ok(stats)
}
