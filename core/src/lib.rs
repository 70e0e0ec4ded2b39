//! `whodis-core`: the WhoDis models, the store on SQLite and PostgreSQL, the list engine and
//! the operations the desktop app and the CLI share. Knows nothing of any GUI.

pub mod activity;
pub mod audit_chain;
pub mod codec;
pub mod compat;
pub mod computed;
pub mod config;
pub mod crypto;
pub mod db;
pub mod demo;
pub mod dialect;
pub mod error;
pub mod exec;
pub mod expirable;
pub mod explore;
pub mod health;
pub mod input_file;
pub mod journal;
pub mod known_settings;
pub mod list;
pub mod model;
pub mod models;
pub mod ops;
pub mod photo;
pub mod schema;
pub mod tables;
pub mod time;
pub mod utilities;

pub use db::{Backend, Db, DbUrl, PoolConn, Tx};
pub use error::{Error, ErrorPayload, Result};
pub use ops::Ctx;
pub use tables::Table;
