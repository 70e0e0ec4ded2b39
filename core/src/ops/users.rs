//! Users and their roles (admin only). The last admin can be neither demoted nor deleted.

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::{self, col};
use crate::models::User;
use crate::ops::permission::{Permission, Role};
use crate::ops::trail::{Operation, Write};
use crate::time::Timestamp;
use crate::utilities::count_where;

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct CreateUser {
    pub email: String,
    pub role: Role,
}

/// Changes a user's email and/or role. `expected_updated_at` is the row's `updated_at` as the
/// caller read it: if the row changed since, nothing is written and the error says so.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Deserialize)]
pub struct UpdateUser {
    pub id: i64,
    pub expected_updated_at: Option<Timestamp>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub role: Option<Role>,
}

/// Deletes a row read at `expected_updated_at`.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct DeleteRow {
    pub id: i64,
    pub expected_updated_at: Option<Timestamp>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct DeleteUser(pub DeleteRow);

impl Operation for CreateUser {
    type Output = User;
    const NAME: &'static str = "users.create";

    fn permission(&self) -> Permission {
        Permission::ManageUsers
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<User> {
        let mut user = User::new(self.email.trim(), self.role.as_str());
        ensure_new_identity(w, &user.email, None).await?;
        user.save(w).await?;
        w.message(format!("Created user {} ({})", user.email, user.role));
        w.changed(None, Some(&user), &[]);
        Ok(user)
    }
}

impl Operation for UpdateUser {
    type Output = User;
    const NAME: &'static str = "users.update";

    fn permission(&self) -> Permission {
        Permission::ManageUsers
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<User> {
        let before: User = w.fresh(self.id, self.expected_updated_at).await?;
        let mut user = before.clone();
        if let Some(email) = &self.email {
            user.email = email.trim().to_owned();
            ensure_new_identity(w, &user.email, Some(user.id)).await?;
        }
        if let Some(role) = self.role {
            user.role = role.as_str().to_owned();
        }
        if before.role == "admin" && user.role != "admin" {
            ensure_another_admin(w, &before, "demote").await?;
        }
        model::save_if_unchanged(w, &mut user, self.expected_updated_at).await?;
        w.message(if before.role == user.role {
            format!("Updated user {}", user.email)
        } else {
            format!(
                "Changed the role of {} from {} to {}",
                user.email, before.role, user.role
            )
        });
        w.changed(Some(&before), Some(&user), &[]);
        Ok(user)
    }
}

impl Operation for DeleteUser {
    type Output = ();
    const NAME: &'static str = "users.delete";

    fn permission(&self) -> Permission {
        Permission::ManageUsers
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<()> {
        let DeleteRow {
            id,
            expected_updated_at,
        } = self.0;
        let user: User = w.fresh(id, expected_updated_at).await?;
        if user.role == "admin" {
            ensure_another_admin(w, &user, "delete").await?;
        }
        model::delete_if_unchanged::<User>(w, id, expected_updated_at).await?;
        w.message(format!("Deleted user {} ({})", user.email, user.role));
        w.changed(Some(&user), None, &[]);
        Ok(())
    }
}

/// The admins, their rows locked until this transaction ends (PostgreSQL; SQLite's write
/// transactions are serial already), so two admins demoting each other at once cannot both see
/// the other as the remaining admin.
async fn locked_admins(w: &mut Write<'_>) -> Result<Vec<User>> {
    let admins = sea_query::Query::select()
        .columns(crate::model::stored_columns::<User>(
            crate::exec::Executor::shape(w),
        ))
        .from(sea_query::Alias::new("users"))
        .and_where(col("role").eq("admin"))
        .lock(sea_query::LockType::Update)
        .to_owned();
    crate::exec::fetch_all(w, &admins).await
}

/// Refuses to remove the last admin: nobody could manage users or keys afterwards.
async fn ensure_another_admin(w: &mut Write<'_>, user: &User, action: &str) -> Result<()> {
    let admins = locked_admins(w).await?;
    if admins.iter().all(|a| a.id == user.id) {
        return Err(Error::Conflict {
            field: Some("role".into()),
            message: format!(
                "cannot {action} {}: they are the last admin of this database",
                user.email
            ),
        });
    }
    Ok(())
}

/// Refuses a change that left the database without an admin: one made without the user
/// operations' own checks (a revert of a recorded change).
pub(crate) async fn ensure_an_admin_remains(w: &mut Write<'_>) -> Result<()> {
    let admins = locked_admins(w).await?;
    if admins.is_empty() {
        return Err(Error::Conflict {
            field: Some("role".into()),
            message: "this would leave the database without an admin: nobody could manage \
                      users or keys afterwards"
                .into(),
        });
    }
    Ok(())
}

/// Emails are one identity whatever their case: refuses `email` when another user (not `id`)
/// has it in any case. The database's unique index on `lower(email)` (our schema) backs this
/// against a concurrent insert; a server database is checked here only.
async fn ensure_new_identity(w: &mut Write<'_>, email: &str, id: Option<i64>) -> Result<()> {
    let mut same = sea_query::Condition::all().add(
        sea_query::Expr::expr(sea_query::Func::lower(sea_query::Expr::col(
            sea_query::Alias::new("email"),
        )))
        .eq(email.to_lowercase()),
    );
    if let Some(id) = id {
        same = same.add(col("id").ne(id));
    }
    match model::find_one::<User>(w, same).await? {
        Some(existing) => Err(Error::Conflict {
            field: Some("email".into()),
            message: format!(
                "{email} is already a user (as {}): emails are the same whatever their case",
                existing.email
            ),
        }),
        None => Ok(()),
    }
}

/// The first admin of a database that has none (a fresh one). Whoever holds the database's
/// credentials may create it; once an admin exists, only admins manage users.
pub async fn bootstrap_admin(ctx: &crate::ops::Ctx, email: &str) -> Result<User> {
    let operator = crate::ops::Operator {
        email: email.trim().to_owned(),
        role: None,
    };
    crate::ops::trail::run_as(ctx, operator, BootstrapAdmin(email.trim().to_owned())).await
}

struct BootstrapAdmin(String);

impl Operation for BootstrapAdmin {
    type Output = User;
    const NAME: &'static str = "users.bootstrap_admin";

    fn permission(&self) -> Permission {
        Permission::ManageUsers
    }

    async fn apply(self, w: &mut Write<'_>) -> Result<User> {
        let admins = sea_query::Condition::all().add(col("role").eq("admin"));
        if count_where::<User>(w, admins).await? > 0 {
            return Err(Error::Forbidden(
                "this database already has an admin; ask one of them to add you".into(),
            ));
        }
        let mut user = User::new(self.0, "admin");
        ensure_new_identity(w, &user.email, None).await?;
        user.save(w).await?;
        w.message(format!("Created the first admin, {}", user.email));
        w.changed(None, Some(&user), &[]);
        Ok(user)
    }
}

/// How many admins the database has (0 on a fresh one: see [`bootstrap_admin`]).
pub async fn admin_count(db: &crate::Db) -> Result<i64> {
    let admins = sea_query::Condition::all().add(col("role").eq("admin"));
    count_where::<User>(&mut db.conn().await?, admins).await
}

/// How many users the database has (0 = a fresh database).
pub async fn user_count(db: &crate::Db) -> Result<i64> {
    crate::utilities::count_rows::<User>(&mut db.conn().await?).await
}
