//! Job-role mappings (which system roles a job code requires) and the roles employees hold
//! (editor).

use sea_query::{Alias, Condition, Expr, Func};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model;
use crate::models::{EmployeeProfile, EmployeeRoleAssignment, JobCode, JobRoleMapping, SystemRole};
use crate::ops::permission::Permission;
use crate::ops::trail::{Operation, Write};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct AddMapping {
    pub job_code_id: i64,
    pub system_role_id: i64,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
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

/// Records that an employee holds a system role: closes a "missing role" gap of the report.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct AssignRole {
    pub employee_email: String,
    pub system_role_id: i64,
}

/// Records that an employee no longer holds a system role: closes an "extra role" gap.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct UnassignRole {
    pub employee_email: String,
    pub system_role_id: i64,
}

/// Emails are one identity whatever their case (the report compares them so too).
fn email_is(column: &str, email: &str) -> Condition {
    Condition::all()
        .add(Expr::expr(Func::lower(Expr::col(Alias::new(column)))).eq(email.trim().to_lowercase()))
}

async fn employee(w: &mut Write<'_>, email: &str) -> Result<EmployeeProfile> {
    model::find_one::<EmployeeProfile>(w, email_is("email", email))
        .await?
        .ok_or_else(|| Error::not_found("employee profile", email.trim().to_owned()))
}

impl Operation for AssignRole {
    type Output = EmployeeRoleAssignment;
    const NAME: &'static str = "compliance.assign_role";

    fn permission(&self) -> Permission {
        Permission::EditCompliance
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<EmployeeRoleAssignment> {
        let role: SystemRole = model::require(w, self.system_role_id).await?;
        let person = employee(w, &self.employee_email).await?;
        let mut held = EmployeeRoleAssignment {
            employee_email: person.email.clone(),
            system_role_id: role.id,
            source: Some("whodis-admin".into()),
            ..Default::default()
        };
        // a role already held is refused by the table's unique pair, as a Conflict
        held.save(w).await?;
        w.message(format!("{} now holds {}", person.email, role.role_name));
        w.changed(None, Some(&held), &[]);
        Ok(held)
    }
}

impl Operation for UnassignRole {
    type Output = ();
    const NAME: &'static str = "compliance.unassign_role";

    fn permission(&self) -> Permission {
        Permission::EditCompliance
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<()> {
        let role: SystemRole = model::require(w, self.system_role_id).await?;
        let held = model::find_one::<EmployeeRoleAssignment>(
            w,
            email_is("employee_email", &self.employee_email)
                .add(Expr::col(Alias::new("system_role_id")).eq(role.id)),
        )
        .await?
        .ok_or_else(|| {
            Error::not_found(
                "assignment",
                format!(
                    "{} does not hold {}",
                    self.employee_email.trim(),
                    role.role_name
                ),
            )
        })?;
        model::delete_by_id::<EmployeeRoleAssignment>(w, held.id).await?;
        w.message(format!(
            "{} no longer holds {}",
            held.employee_email, role.role_name
        ));
        w.changed(Some(&held), None, &[]);
        Ok(())
    }
}

/// Job codes, system roles and the mappings between them: the matrix the UI edits.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct Matrix {
    pub job_codes: Vec<JobCode>,
    pub roles: Vec<SystemRole>,
    pub mappings: Vec<JobRoleMapping>,
}

pub async fn matrix(ctx: &crate::ops::Ctx) -> Result<Matrix> {
    ctx.authorize(Permission::Read, "compliance.matrix").await?;
    let mut c = ctx.db.conn().await?;
    let all = sea_query::Condition::all;
    Ok(Matrix {
        job_codes: model::find(&mut c, all()).await?,
        roles: model::find(&mut c, all()).await?,
        mappings: model::find(&mut c, all()).await?,
    })
}

/// One employee whose held roles differ from what their job code requires.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EmployeeGap {
    pub email: String,
    pub job_code: String,
    /// Required by the job code's mappings, not held.
    pub missing: Vec<String>,
    /// Held, not required by the job code.
    pub extra: Vec<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct JobCodeTotals {
    pub job_code: String,
    pub employees: u32,
    pub compliant: u32,
    pub missing_roles: u32,
    pub extra_roles: u32,
}

/// For every employee with `keystone_data.job_code`: the roles the mappings require against
/// the roles held (`employee_role_assignments`).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct ComplianceReport {
    pub employees_checked: u32,
    /// Employees with missing or extra roles, by email.
    pub gaps: Vec<EmployeeGap>,
    pub per_job_code: Vec<JobCodeTotals>,
}

/// Only the two columns the report needs: profiles also hold photos, which must not be loaded.
#[derive(sqlx::FromRow)]
struct ProfileJob {
    email: String,
    keystone_data: Option<serde_json::Value>,
}

pub async fn report(ctx: &crate::ops::Ctx) -> Result<ComplianceReport> {
    use std::collections::{BTreeMap, BTreeSet};
    let matrix = matrix(ctx).await?;
    let mut c = ctx.db.conn().await?;
    let profiles: Vec<ProfileJob> = crate::exec::fetch_all(
        &mut c,
        &sea_query::Query::select()
            .columns([
                sea_query::Alias::new("email"),
                sea_query::Alias::new("keystone_data"),
            ])
            .from(sea_query::Alias::new(
                <crate::models::EmployeeProfile as model::Model>::TABLE,
            ))
            .to_owned(),
    )
    .await?;
    let assignments: Vec<crate::models::EmployeeRoleAssignment> =
        model::find(&mut c, sea_query::Condition::all()).await?;

    let role_name: BTreeMap<i64, &str> = matrix
        .roles
        .iter()
        .map(|r| (r.id, r.role_name.as_str()))
        .collect();
    let code_of: BTreeMap<i64, &str> = matrix
        .job_codes
        .iter()
        .map(|j| (j.id, j.code.as_str()))
        .collect();
    let mut required: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for m in &matrix.mappings {
        if let (Some(code), Some(role)) = (
            code_of.get(&m.job_code_id),
            role_name.get(&m.system_role_id),
        ) {
            required.entry(code).or_default().insert(role);
        }
    }
    let mut held: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for a in &assignments {
        if let Some(role) = role_name.get(&a.system_role_id) {
            held.entry(a.employee_email.to_ascii_lowercase())
                .or_default()
                .insert(role);
        }
    }

    let empty = BTreeSet::new();
    let mut gaps = Vec::new();
    let mut totals: BTreeMap<String, JobCodeTotals> = BTreeMap::new();
    let mut checked = 0;
    for p in &profiles {
        let Some(code) = p
            .keystone_data
            .as_ref()
            .and_then(|k| k.get("job_code"))
            .and_then(serde_json::Value::as_str)
        else {
            continue;
        };
        checked += 1;
        let need = required.get(code).unwrap_or(&empty);
        let have = held.get(&p.email.to_ascii_lowercase()).unwrap_or(&empty);
        let missing: Vec<String> = need.difference(have).map(|r| (*r).to_owned()).collect();
        let extra: Vec<String> = have.difference(need).map(|r| (*r).to_owned()).collect();
        let t = totals
            .entry(code.to_owned())
            .or_insert_with(|| JobCodeTotals {
                job_code: code.to_owned(),
                employees: 0,
                compliant: 0,
                missing_roles: 0,
                extra_roles: 0,
            });
        t.employees += 1;
        t.missing_roles += missing.len() as u32;
        t.extra_roles += extra.len() as u32;
        if missing.is_empty() && extra.is_empty() {
            t.compliant += 1;
        } else {
            gaps.push(EmployeeGap {
                email: p.email.clone(),
                job_code: code.to_owned(),
                missing,
                extra,
            });
        }
    }
    gaps.sort_by(|a, b| a.email.cmp(&b.email));
    Ok(ComplianceReport {
        employees_checked: checked,
        gaps,
        per_job_code: totals.into_values().collect(),
    })
}

/// The resource an export of the report is checked and recorded as.
pub const REPORT_RESOURCE: &str = "compliance_report";

/// Writes the report's employees with gaps to a CSV file (email, job code, missing, extra);
/// recorded in the audit log like any export.
pub async fn export_report(ctx: &crate::ops::Ctx, path: &str) -> Result<u64> {
    use crate::ops::export::{csv_line, publish, write_partial, ExportFormat, RecordExport};
    use serde_json::Value as Json;
    ctx.authorize(Permission::Export, REPORT_RESOURCE).await?;
    let report = report(ctx).await?;
    let mut out = csv_line(
        ["email", "job_code", "missing", "extra"]
            .map(Json::from)
            .into_iter(),
    );
    out.push('\n');
    for g in &report.gaps {
        let cells = [
            Json::from(g.email.as_str()),
            Json::from(g.job_code.as_str()),
            Json::from(g.missing.join("; ")),
            Json::from(g.extra.join("; ")),
        ];
        out.push_str(&csv_line(cells.into_iter()));
        out.push('\n');
    }
    let target = std::path::Path::new(path);
    let partial = write_partial(target, out.as_bytes())?;
    let rows = report.gaps.len() as u64;
    let record = RecordExport {
        what: REPORT_RESOURCE.to_owned(),
        format: ExportFormat::Csv,
        rows,
        unreadable: 0,
        filters: Json::Null,
    };
    publish(ctx, &partial, target, record).await?;
    Ok(rows)
}
