"""The WhoDis server's database models, as its Flask-SQLAlchemy ORM declares them.

The Rust tests use this module (through fixture.py) to create databases exactly as the
server would and to read back what whodis-admin wrote, through the server's own ORM.
Each declaration below mirrors the server's `db.Column(...)` one for one; only the Flask
wrapper is gone (`db.Model` -> `Base`, `db.session` -> a session from `open_session`).

Sources: the "Models API Reference" (app/models/*.py) plus the drift the live server's
database has beyond it, marked DRIFT where it is declared. What follows from the ORM:

* ids are `Integer` primary keys: SERIAL (INT4) on PostgreSQL, INTEGER rowid on SQLite;
* a column is nullable unless the reference says Not Null (SQLAlchemy's default);
* defaults (`role`, `is_encrypted`, `token_type`) are Python-side, as Flask-SQLAlchemy's
  `default=` is: the DDL carries no DEFAULT for them;
* `DateTime(timezone=True)` is TIMESTAMPTZ on PostgreSQL; SQLite has no such type, so
  SQLAlchemy stores text `YYYY-MM-DD HH:MM:SS.ffffff` (the offset dropped) and reads it
  back as a naive datetime;
* JSONB fields are `JSON` with a JSONB variant: JSONB on PostgreSQL, JSON text on SQLite.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, Optional

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import declarative_base, relationship, sessionmaker

# Flask-SQLAlchemy's `db.JSON` with the PostgreSQL JSONB the server's migrations create.
JSONData = JSON().with_variant(JSONB(), "postgresql")

metadata = MetaData()
Base = declarative_base(metadata=metadata)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


# --------------------------------------------------------------------------- mixins


class SerializableMixin:
    """to_dict / to_json_safe, as the server serialises models for its JSON API."""

    _SENSITIVE = ("password", "secret", "token", "key", "hash")

    def to_dict(self, exclude: Optional[list] = None) -> Dict[str, Any]:
        exclude = set(exclude or ())
        return {
            c.name: getattr(self, c.key)
            for c in self.__table__.columns
            if c.name not in exclude
        }

    def to_json_safe(self) -> Dict[str, Any]:
        return self.to_dict(
            exclude=[
                c.name
                for c in self.__table__.columns
                if any(s in c.name.lower() for s in self._SENSITIVE)
            ]
        )


class TimestampMixin:
    # Nullable here: the reference only gives Not Null on the models that say so (users,
    # sessions, search_cache, api_tokens), which redeclare these two columns. The
    # before_commit listener below fills them; there is no column default.
    created_at = Column(DateTime(timezone=True), index=True)
    updated_at = Column(DateTime(timezone=True))


class UserTrackingMixin:
    user_email = Column(String(255), index=True)
    user_agent = Column(Text)
    ip_address = Column(String(45), index=True)
    session_id = Column(String(255), index=True)


class ExpirableMixin:
    # Every model using it (sessions, search_cache, api_tokens) lists it Not Null.
    expires_at = Column(DateTime(timezone=True), nullable=False, index=True)

    def is_expired(self) -> bool:
        expires = self.expires_at
        if expires.tzinfo is None:  # SQLite gives back naive UTC
            expires = expires.replace(tzinfo=timezone.utc)
        return expires <= utcnow()


class JSONDataMixin:
    additional_data = Column(JSONData)

    def get_data(self, key: str, default=None):
        data = self.additional_data
        return data.get(key, default) if isinstance(data, dict) else default

    def set_data(self, key: str, value) -> None:
        # A new dict is assigned (not mutated in place) so the ORM sees the change: the
        # column is a plain JSON type, not a MutableDict.
        data = dict(self.additional_data) if isinstance(self.additional_data, dict) else {}
        data[key] = value
        self.additional_data = data

    def update_data(self, data_dict: Dict[str, Any]) -> None:
        data = dict(self.additional_data) if isinstance(self.additional_data, dict) else {}
        data.update(data_dict)
        self.additional_data = data


# ---------------------------------------------------------------------- base models


class BaseModel(Base, SerializableMixin):
    __abstract__ = True
    id = Column(Integer, primary_key=True)


class AuditableModel(BaseModel, TimestampMixin, UserTrackingMixin, JSONDataMixin):
    __abstract__ = True
    success = Column(Boolean, index=True)
    message = Column(Text)


class CacheableModel(BaseModel, TimestampMixin, ExpirableMixin):
    __abstract__ = True


class ServiceDataModel(BaseModel, TimestampMixin, JSONDataMixin):
    __abstract__ = True
    service_id = Column(String(255), index=True)
    service_name = Column(String(100), index=True)
    raw_data = Column(JSONData)
    is_active = Column(Boolean, index=True)


# ---------------------------------------------------------------------- core models


class User(BaseModel, TimestampMixin):
    __tablename__ = "users"
    email = Column(String(255), unique=True, nullable=False, index=True)
    role = Column(String(50), nullable=False, default="viewer")
    created_at = Column(DateTime(timezone=True), nullable=False, index=True)
    updated_at = Column(DateTime(timezone=True), nullable=False)
    # DRIFT: added on the live server outside the models (ALTER TABLE ... ADD COLUMN), so
    # these carry a database default, unlike the declared columns.
    is_active = Column(Boolean, default=True, server_default=true())
    notes = Column(Text)

    VALID_ROLES = ("admin", "editor", "viewer")

    @staticmethod
    def validate_role(role: str) -> bool:
        return role in User.VALID_ROLES


class Configuration(BaseModel):
    # No timestamps: the model extends BaseModel only.
    __tablename__ = "configuration"
    __table_args__ = (UniqueConstraint("category", "key"),)
    category = Column(String(50), nullable=False, index=True)
    key = Column(String(100), nullable=False, index=True)
    value = Column(LargeBinary)
    value_plaintext = Column(Text)
    is_encrypted = Column(Boolean, nullable=False, default=False)


class Session(BaseModel, TimestampMixin, ExpirableMixin):
    __tablename__ = "sessions"
    session_id = Column(String(255), unique=True, nullable=False, index=True)
    user_email = Column(String(255), nullable=False, index=True)
    ip_address = Column(String(45))
    user_agent = Column(Text)
    # DRIFT: the reference says DateTime(TZ); the live column is naive (TIMESTAMP WITHOUT
    # TIME ZONE), written with UTC wall-clock time.
    last_activity = Column(DateTime(), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, index=True)
    updated_at = Column(DateTime(timezone=True), nullable=False)


# --------------------------------------------------------------------- cache models


class SearchCache(CacheableModel):
    __tablename__ = "search_cache"
    search_query = Column(String(500), nullable=False, index=True)
    result_data = Column(JSONData)
    created_at = Column(DateTime(timezone=True), nullable=False, index=True)
    updated_at = Column(DateTime(timezone=True), nullable=False)


class ApiToken(BaseModel, TimestampMixin, ExpirableMixin):
    __tablename__ = "api_tokens"
    service_name = Column(String(100), unique=True, nullable=False)
    access_token = Column(Text, nullable=False)
    token_type = Column(String(50), default="Bearer")
    created_at = Column(DateTime(timezone=True), nullable=False, index=True)
    updated_at = Column(DateTime(timezone=True), nullable=False)


class EmployeeProfile(BaseModel, TimestampMixin):
    __tablename__ = "employee_profiles"
    email = Column(String(255), unique=True, index=True)
    photo_data = Column(LargeBinary)
    photo_content_type = Column(String(50))
    keystone_data = Column(JSONData)


class GenesysGroup(ServiceDataModel):
    __tablename__ = "genesys_groups"


class GenesysSkill(ServiceDataModel):
    __tablename__ = "genesys_skills"


class GenesysLocation(ServiceDataModel):
    __tablename__ = "genesys_locations"


# --------------------------------------------------------------------- audit models


class AuditLog(AuditableModel):
    __tablename__ = "audit_log"
    event_type = Column(String(50), index=True)
    search_query = Column(String(500), index=True)


class AccessAttempt(AuditableModel):
    __tablename__ = "access_attempts"
    resource = Column(String(255), index=True)
    required_role = Column(String(50))
    user_role = Column(String(50))


class ErrorLog(AuditableModel):
    __tablename__ = "error_log"
    error_type = Column(String(100), index=True)
    stack_trace = Column(Text)


# -------------------------------------------------------- job role compliance models


class JobCode(BaseModel, TimestampMixin):
    __tablename__ = "job_codes"
    code = Column(String(50), unique=True, index=True)
    description = Column(Text)


class SystemRole(BaseModel, TimestampMixin):
    __tablename__ = "system_roles"
    role_name = Column(String(255), unique=True, index=True)
    description = Column(Text)


class JobRoleMapping(BaseModel, TimestampMixin):
    __tablename__ = "job_role_mappings"
    __table_args__ = (UniqueConstraint("job_code_id", "system_role_id"),)
    job_code_id = Column(Integer, ForeignKey("job_codes.id"), index=True)
    system_role_id = Column(Integer, ForeignKey("system_roles.id"), index=True)
    job_code = relationship("JobCode", backref="mappings")
    system_role = relationship("SystemRole", backref="mappings")


# ------------------------------------------------------------------------- drift


class BlockedNumber(BaseModel):
    """DRIFT: the editors' blocked-numbers utility table, absent from the reference.

    An older table: naive timestamps (TIMESTAMP WITHOUT TIME ZONE). It has
    created_at/updated_at, so the before_commit listener still writes them.
    """

    __tablename__ = "blocked_numbers"
    number = Column(String(50))
    reason = Column(Text)
    created_at = Column(DateTime())
    updated_at = Column(DateTime())


# Alembic's own bookkeeping table, declared as Alembic creates it (a Core table: Alembic
# has no ORM model for it).
alembic_version = Table(
    "alembic_version",
    metadata,
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)
ALEMBIC_HEAD = "3f2a9c1d7e5b"

# Every ORM model, in dependency order (job_role_mappings after its parents).
MODELS = (
    User,
    Configuration,
    Session,
    SearchCache,
    ApiToken,
    EmployeeProfile,
    GenesysGroup,
    GenesysSkill,
    GenesysLocation,
    AuditLog,
    AccessAttempt,
    ErrorLog,
    JobCode,
    SystemRole,
    JobRoleMapping,
    BlockedNumber,
)


# ---------------------------------------------------------------- session + events

# The server's `db.session`: every session comes from this factory, so the listener
# below sees every commit, as `@event.listens_for(db.session, "before_commit")` does.
SessionFactory = sessionmaker()


def open_session(engine):
    return SessionFactory(bind=engine)


@event.listens_for(SessionFactory, "before_commit")
def before_commit(session):
    """Auto-update timestamps before commit (app/models/base.py).

    Only ORM objects are touched: rows written with a Core insert() keep what they were
    given (the fixture's "legacy" audit rows rely on that). An object already flushed
    by an autoflush is no longer in `session.new`, exactly as on the server.
    """
    current_time = datetime.now(timezone.utc)

    for obj in session.new:
        if hasattr(obj, "created_at") and obj.created_at is None:
            obj.created_at = current_time
        if hasattr(obj, "updated_at"):
            obj.updated_at = current_time

    for obj in session.dirty:
        if hasattr(obj, "updated_at"):
            obj.updated_at = current_time


# ------------------------------------------------------------ configuration service

# A key is stored encrypted when its name ends with one of these (ConfigurationService).
ENCRYPTED_SUFFIXES = ("_password", "_secret", "_key", "_token", "_credential")


class ConfigError(Exception):
    """A configuration value that cannot be read back (bad token, wrong key, bad row)."""


def fernet_from_key(key: str) -> Fernet:
    """The server's cipher: the raw 44-character urlsafe-base64 key (WHODIS_ENCRYPTION_KEY),
    used as is, with no derivation."""
    try:
        return Fernet(key.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError) as e:
        raise ConfigError(
            f"not a Fernet key (expected 44 urlsafe-base64 characters): {e}"
        ) from None


def split_name(name: str) -> tuple:
    category, sep, key = name.partition(".")
    if not sep or not category or not key:
        raise ConfigError(f"configuration name '{name}' is not 'category.key'")
    return category, key


def is_sensitive(key: str) -> bool:
    return key.lower().endswith(ENCRYPTED_SUFFIXES)


def config_set(session, fernet: Optional[Fernet], name: str, value: str, commit=True):
    """Store `value` under "category.key" as the server does.

    Encrypted: `value` = the Fernet token text as UTF-8 bytes, `value_plaintext` NULL.
    Plaintext: `value` NULL, `value_plaintext` = the text.
    """
    category, key = split_name(name)
    row = session.execute(
        select(Configuration).filter_by(category=category, key=key)
    ).scalar_one_or_none()
    if row is None:
        row = Configuration(category=category, key=key)
        session.add(row)
    if is_sensitive(key):
        if fernet is None:
            raise ConfigError(f"'{name}' is stored encrypted: an encryption key is needed")
        token = fernet.encrypt(str(value).encode("utf-8")).decode("ascii")
        row.value = token.encode("utf-8")
        row.value_plaintext = None
        row.is_encrypted = True
    else:
        row.value = None
        row.value_plaintext = str(value)
        row.is_encrypted = False
    if commit:
        session.commit()
    return row


def config_value(row: Configuration, fernet: Optional[Fernet]) -> Optional[str]:
    """The plaintext of one configuration row.

    The server returned "" when a token did not decrypt; here it raises, so a test sees
    a secret whose ciphertext our app wrote wrongly.
    """
    name = f"{row.category}.{row.key}"
    if not row.is_encrypted:
        return row.value_plaintext
    if row.value is None:
        raise ConfigError(f"configuration id={row.id} '{name}': encrypted but value is NULL")
    if fernet is None:
        raise ConfigError(
            f"configuration id={row.id} '{name}' is encrypted: an encryption key is needed"
        )
    try:
        return fernet.decrypt(bytes(row.value)).decode("utf-8")
    except InvalidToken:
        raise ConfigError(
            f"configuration id={row.id} '{name}': the value does not decrypt with this key "
            "(invalid Fernet token or wrong key)"
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            f"configuration id={row.id} '{name}': the decrypted value is not UTF-8"
        ) from None


def config_get(session, fernet: Optional[Fernet], name: str, default=None):
    category, key = split_name(name)
    row = session.execute(
        select(Configuration).filter_by(category=category, key=key)
    ).scalar_one_or_none()
    if row is None:
        return default
    return config_value(row, fernet)

