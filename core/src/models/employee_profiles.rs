//! `EmployeeProfile` (seed: `app/models/employee_profiles.py`).

use sea_query::Condition;

use crate::define_model;
use crate::error::{Error, Result};
use crate::exec::Executor;
use crate::model::{self, col, Validate};
use crate::photo;

define_model! {
    /// Consolidated employee data: photo and Keystone record.
    pub struct EmployeeProfile in "employee_profiles" sortable ["email"] {
        pub email: String,
        #[serde(with = "crate::model::base64_bytes", default)]
        pub photo_data: Option<Vec<u8>>,
        pub photo_content_type: Option<String>,
        pub keystone_data: Option<serde_json::Value>,
    }
}

impl Validate for EmployeeProfile {
    fn check(&self) -> Result<()> {
        if self.email.trim().is_empty() || !self.email.contains('@') {
            return Err(Error::invalid("email", "must be an email address"));
        }
        // The label must name what the bytes are; the server's `image/jpg` names a JPEG too.
        // Size is checked by `set_photo` only, so a bigger photo the server stored stays
        // editable.
        match (&self.photo_data, &self.photo_content_type) {
            (Some(bytes), label) => {
                let real = photo::sniff_content_type(bytes).ok_or_else(|| {
                    Error::invalid(
                        "photo_data",
                        "the stored photo is not a PNG, JPEG, GIF or WebP",
                    )
                })?;
                if label.as_deref().map(photo::canonical_type).as_deref() != Some(real) {
                    return Err(Error::invalid(
                        "photo_content_type",
                        format!("the photo is {real}; use set_photo to store it"),
                    ));
                }
            }
            (None, Some(_)) => {
                return Err(Error::invalid("photo_content_type", "set without a photo"));
            }
            (None, None) => {}
        }
        Ok(())
    }
}

impl EmployeeProfile {
    pub async fn by_email(ex: &mut impl Executor, email: &str) -> Result<Option<Self>> {
        model::find_one(ex, Condition::all().add(col("email").eq(email))).await
    }

    /// Sets the photo; its content type is taken from the bytes. Nothing changes on error.
    pub fn set_photo(&mut self, bytes: Vec<u8>) -> Result<()> {
        let content_type = photo::check_photo(&bytes)?;
        self.photo_data = Some(bytes);
        self.photo_content_type = Some(content_type.to_owned());
        Ok(())
    }

    pub fn remove_photo(&mut self) {
        self.photo_data = None;
        self.photo_content_type = None;
    }

    /// `keystone_data.job_code`, which the compliance report keys on.
    pub fn job_code(&self) -> Option<&str> {
        self.keystone_data.as_ref()?.get("job_code")?.as_str()
    }
}
