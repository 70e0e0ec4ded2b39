//! `ApiToken` (seed: `app/models/api_token.py`).

use chrono::TimeDelta;
use sea_query::Condition;

use crate::define_model;
use crate::error::{Error, Result};
use crate::exec::Executor;
use crate::model::{self, col, Validate};
use crate::time::{now, Timestamp};

define_model! {
    /// An OAuth2 access token cached for an outside service. `access_token` is secret: it is
    /// redacted from `Debug` and dropped from the safe form.
    pub struct ApiToken in "api_tokens" sortable ["expires_at"] {
        pub service_name: String,
        pub access_token: String,
        pub token_type: Option<String>,
        pub expires_at: Timestamp,
    }
}
crate::impl_expirable!(ApiToken);

impl Validate for ApiToken {
    fn defaults(&mut self) {
        self.token_type.get_or_insert_with(|| "Bearer".to_owned());
    }

    fn check(&self) -> Result<()> {
        if self.service_name.trim().is_empty() || self.service_name.len() > 100 {
            return Err(Error::invalid(
                "service_name",
                "must be 1 to 100 characters",
            ));
        }
        if self.access_token.is_empty() {
            return Err(Error::invalid("access_token", "must not be empty"));
        }
        Ok(())
    }
}

impl ApiToken {
    async fn by_service(ex: &mut impl Executor, service_name: &str) -> Result<Option<Self>> {
        model::find_one(
            ex,
            Condition::all().add(col("service_name").eq(service_name)),
        )
        .await
    }

    /// The seed's `get_token`: the service's token if it has not expired.
    pub async fn get_token(ex: &mut impl Executor, service_name: &str) -> Result<Option<Self>> {
        Ok(Self::by_service(ex, service_name)
            .await?
            .filter(|t| !t.is_expired()))
    }

    /// The seed's `upsert_token`: inserts or replaces the service's token.
    pub async fn upsert_token(
        ex: &mut impl Executor,
        service_name: &str,
        access_token: &str,
        expires_in_seconds: i64,
        token_type: &str,
    ) -> Result<Self> {
        if expires_in_seconds <= 0 {
            return Err(Error::invalid("expires_in_seconds", "must be positive"));
        }
        let mut token = Self::by_service(ex, service_name)
            .await?
            .unwrap_or_else(|| ApiToken {
                service_name: service_name.to_owned(),
                ..Default::default()
            });
        token.access_token = access_token.to_owned();
        token.token_type = Some(token_type.to_owned());
        token.expires_at = now() + TimeDelta::seconds(expires_in_seconds);
        token.save(ex).await?;
        Ok(token)
    }
}
