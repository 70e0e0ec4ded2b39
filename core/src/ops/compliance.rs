//! Job-role mappings: which system roles a job code requires (editor).

use serde::Deserialize;

use crate::error::Result;
use crate::model;
use crate::models::{JobCode, JobRoleMapping, SystemRole};
use crate::ops::permission::Permission;
use crate::ops::trail::{Operation, Write};

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct AddMapping {
    pub job_code_id: i64,
    pub system_role_id: i64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct RemoveMapping {
    pub id: i64,
}

impl Operation for AddMapping {
    type Output = JobRoleMapping;
    const NAME: &'static str = "compliance.add_mapping";

    fn permission(&self) -> Permission {
        Permission::EditCompliance
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<JobRoleMapping> {
        let code: JobCode = model::require(w, self.job_code_id).await?;
        let role: SystemRole = model::require(w, self.system_role_id).await?;
        let mut mapping = JobRoleMapping {
            job_code_id: code.id,
            system_role_id: role.id,
            ..Default::default()
        };
        mapping.save(w).await?;
        w.message(format!(
            "Job code {} now requires {}",
            code.code, role.role_name
        ));
        w.changed(None, Some(&mapping), &[]);
        Ok(mapping)
    }
}

impl Operation for RemoveMapping {
    type Output = ();
    const NAME: &'static str = "compliance.remove_mapping";

    fn permission(&self) -> Permission {
        Permission::EditCompliance
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<()> {
        let mapping: JobRoleMapping = model::require(w, self.id).await?;
        let code: JobCode = model::require(w, mapping.job_code_id).await?;
        let role: SystemRole = model::require(w, mapping.system_role_id).await?;
        model::delete_by_id::<JobRoleMapping>(w, mapping.id).await?;
        w.message(format!(
            "Job code {} no longer requires {}",
            code.code, role.role_name
        ));
        w.changed(Some(&mapping), None, &[]);
        Ok(())
    }
}
