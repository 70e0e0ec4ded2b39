#!/usr/bin/env python3
"""Server-side fixture for the whodis-admin tests.

Creates WhoDis databases the way the Flask server's ORM does, and reads databases back
through that ORM, so a Rust test can check that what whodis-admin writes is what the
server expects (and that whodis-admin reads what the server wrote).

    fixture.py make         --url URL --key KEY      create + fill a fresh database
    fixture.py dump         --url URL [--key KEY]    every table + decrypted config, as JSON
    fixture.py insert-audit --url URL --count N [--message-prefix P]
    fixture.py decrypt      --key KEY --token TOKEN

URL forms are whodis-admin's: postgres://user@host:port/db, postgresql://..., sqlite:///abs.db,
sqlite://path (relative to the working directory, or absolute). KEY is the raw Fernet key
(WHODIS_ENCRYPTION_KEY, which is used when --key is left out).

Output is JSON on stdout. Exit status: 0 ok; 1 a failure, explained on stderr (a row the
ORM cannot load, a secret that does not decrypt, a database that is not empty for make);
2 bad arguments.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import struct
import sys
import uuid
import zlib
from datetime import datetime, timedelta

# The fixture runs from the source tree: leave no __pycache__ beside it.
sys.dont_write_bytecode = True

from sqlalchemy import create_engine, func, inspect, insert, null, select  # noqa: E402
from sqlalchemy.engine import URL, make_url  # noqa: E402
from sqlalchemy.exc import DBAPIError  # noqa: E402

import whodis_server as ws  # noqa: E402


class FixtureError(Exception):
    """A failure reported on stderr with exit status 1."""


# ------------------------------------------------------------------------ plumbing


def sqlalchemy_url(url: str) -> URL:
    """whodis-admin's database URL -> the SQLAlchemy URL the server would configure."""
    url = url.strip()
    for prefix in ("sqlite://", "sqlite:"):
        if url.startswith(prefix):
            # As whodis-admin reads it: everything after the prefix is the path, so
            # sqlite:///abs is /abs and sqlite://rel is rel. A query (?mode=rwc) is for
            # the app's driver only.
            path = url[len(prefix):].split("?", 1)[0]
            if not path or path.startswith(":memory:"):
                raise FixtureError(f"a SQLite URL needs a file path: {url}")
            return URL.create("sqlite", database=os.path.abspath(path))
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return make_url("postgresql+psycopg2://" + url[len(prefix):])
    raise FixtureError(f"unsupported database URL (use sqlite://PATH or postgres://...): {url}")


def open_engine(url: str, create: bool = False):
    sa_url = sqlalchemy_url(url)
    if sa_url.get_backend_name() == "sqlite" and not create:
        # sqlite3 would create a missing file and the read would fail later, less clearly.
        if not os.path.isfile(sa_url.database):
            raise FixtureError(f"no SQLite database at {sa_url.database}")
    connect_args = {}
    if sa_url.get_backend_name() == "postgresql":
        # The server's database runs in UTC. Pinning the session time zone keeps the
        # dump's offsets (+00:00), and what an aware value becomes in a naive column,
        # the same whatever the test cluster's TimeZone setting is.
        connect_args["options"] = "-c timezone=UTC"
    engine = create_engine(sa_url, connect_args=connect_args)
    try:
        engine.connect().close()
    except DBAPIError as e:
        raise FixtureError(f"cannot connect to the database: {first_line(e)}") from None
    return engine


def fernet_arg(key):
    key = key or os.environ.get("WHODIS_ENCRYPTION_KEY")
    if not key:
        return None
    try:
        return ws.fernet_from_key(key)
    except ws.ConfigError as e:
        raise FixtureError(str(e)) from None


def emit(obj) -> None:
    json.dump(obj, sys.stdout, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")


def table_counts(engine) -> dict:
    tables = [m.__table__ for m in ws.MODELS] + [ws.alembic_version]
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in tables
        }


# ---------------------------------------------------------------------- make: data


# A 16x16 JPEG (encoded once with Pillow; kept as bytes so the fixture needs no image library).
JPEG_16X16 = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUf"
    "GhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgo"
    "KCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAQABADASIAAhEBAxEB/8QAHwAAAQUBAQEB"
    "AQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKB"
    "kaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1"
    "dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl"
    "5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcF"
    "BAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5"
    "OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0"
    "tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwCzRRRXwR9s"
    "f//Z"
)


def png_16x16() -> bytes:
    """A small valid PNG (16x16 RGB gradient) built with zlib + struct only."""
    width = height = 16
    raw = b"".join(
        b"\x00" + b"".join(bytes((x * 16, y * 16, 128)) for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def session_hex(n: int) -> str:
    """A 64-hex-character session id, as the server's secrets.token_hex(32) makes."""
    return hashlib.sha256(f"whodis-fixture-session-{n}".encode()).hexdigest()


def genesys_id(kind: str, n: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://whodis.example/genesys/{kind}/{n}"))


USERS = [
    # email, role (None: the model default), is_active (None: the database default), notes
    ("server.admin@whodis.example", "admin", True, "Created by the server's first-run setup"),
    ("server.editor@whodis.example", "editor", None, None),
    ("server.viewer@whodis.example", None, None, None),
    ("viewer.one@whodis.example", "viewer", False, "Left the company; kept for the audit trail"),
    ("viewer.two@whodis.example", "viewer", True, None),
    ("viewer.three@whodis.example", "viewer", None, "Zoë — contractor, until end of quarter"),
]

CONFIG_PLAIN = [
    ("ldap.server", "ldap://ldap.whodis.example"),
    ("ldap.base_dn", "dc=whodis,dc=example"),
    ("search.max_results", "50"),
    ("genesys.region", "mypurecloud.com"),
]
CONFIG_SECRETS = [
    ("ldap.bind_password", "Server-LDAP-p4ss"),
    ("genesys.client_secret", "Server-genesys-s3cret"),
    ("graph.api_key", "graph-key-123"),
    ("auth.session_token", "tok-abc"),
]

JOB_CODES = [
    ("CSR1", "Customer Service Representative I"),
    ("CSR2", "Customer Service Representative II"),
    ("SUP1", "Customer Service Supervisor"),
]
SYSTEM_ROLES = [
    ("Employee", "Baseline Genesys Cloud access"),
    ("Agent", "Handles queue interactions"),
    ("Supervisor", "Monitors queues and agents"),
    ("Quality Evaluator", "Scores recorded interactions"),
]
JOB_ROLE_PAIRS = [
    ("CSR1", "Employee"),
    ("CSR1", "Agent"),
    ("CSR2", "Employee"),
    ("CSR2", "Agent"),
    ("CSR2", "Quality Evaluator"),
    ("SUP1", "Employee"),
    ("SUP1", "Supervisor"),
]

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0"
ROLE_RANK = {"viewer": 0, "editor": 1, "admin": 2}


def make(args) -> int:
    fernet = fernet_arg(args.key)
    if fernet is None:
        raise FixtureError("make needs --key (or WHODIS_ENCRYPTION_KEY) to encrypt secrets")
    engine = open_engine(args.url, create=True)
    existing = inspect(engine).get_table_names()
    if existing:
        raise FixtureError(f"database is not empty (has {', '.join(sorted(existing))})")
    sqlite = engine.dialect.name == "sqlite"

    ws.metadata.create_all(engine)
    now = ws.utcnow()

    def ago(days=0, hours=0, minutes=0):
        return now - timedelta(days=days, hours=hours, minutes=minutes)

    # Sections are committed one by one: the listener fills updated_at at commit, and a
    # query (config_set's look-up) would otherwise autoflush rows still missing it.
    with ws.open_session(engine) as s:
        s.execute(insert(ws.alembic_version).values(version_num=ws.ALEMBIC_HEAD))
        s.commit()

        # users -------------------------------------------------------------------
        for i, (email, role, active, notes) in enumerate(USERS):
            user = ws.User(email=email, created_at=ago(days=30 - 5 * i), notes=notes)
            if role is not None:
                user.role = role
            if active is not None:
                user.is_active = active
            s.add(user)
        s.commit()

        # configuration (through the server's ConfigurationService) ------------------
        for name, value in CONFIG_PLAIN + CONFIG_SECRETS:
            ws.config_set(s, fernet, name, value)

        # sessions: two expired, two live; last_activity is naive UTC (drift) ---------
        for i, (email, created_h, expires) in enumerate(
            [
                ("server.admin@whodis.example", 72, ago(days=2)),
                ("server.viewer@whodis.example", 30, ago(hours=5)),
                ("server.editor@whodis.example", 3, now + timedelta(minutes=15)),
                ("server.admin@whodis.example", 1, now + timedelta(hours=8)),
            ]
        ):
            created = ago(hours=created_h)
            s.add(
                ws.Session(
                    session_id=session_hex(i),
                    user_email=email,
                    ip_address=f"192.0.2.{10 + i}",
                    user_agent=UA,
                    last_activity=(created + timedelta(minutes=20)).replace(tzinfo=None),
                    expires_at=expires,
                    created_at=created,
                )
            )
        s.commit()

        # search_cache -------------------------------------------------------------
        caches = [
            ("john.doe", {"email": "john.doe@whodis.example", "ldap": {"displayName": "John Doe",
             "title": "CSR"}, "genesys": {"state": "active"}}, ago(days=8), ago(days=7)),
            ("jane.smith", {"email": "jane.smith@whodis.example", "ldap": {"displayName": "Jane Smith"},
             "genesys": None}, ago(days=3), ago(days=2)),
            ("csr team", {"results": [{"email": "alice.csr@whodis.example"},
             {"email": "bob.csr@whodis.example"}], "total": 2}, ago(days=1), now + timedelta(minutes=30)),
            ("nobody.here", {}, ago(hours=6), now + timedelta(hours=1)),
            # No result_data given: SQL NULL (a cache entry stored before the result came).
            ("pending.lookup", None, ago(minutes=40), now + timedelta(minutes=5)),
        ]
        if sqlite:
            # SQLite does not enforce String(500): a longer query is stored whole there.
            caches.append(("x" * 600, {"note": "600-character query"}, ago(minutes=20), now + timedelta(hours=2)))
        for query, result, created, expires in caches:
            entry = ws.SearchCache(search_query=query, created_at=created, expires_at=expires)
            if result is not None:
                entry.result_data = result
            s.add(entry)

        # api_tokens: token_type from the model default, and an explicit SQL NULL ------
        s.add(ws.ApiToken(service_name="genesys", access_token="genesys-access-token-0001",
                          created_at=ago(hours=3), expires_at=now + timedelta(hours=1)))
        # A plain None would be left out of the INSERT and get the "Bearer" default.
        s.add(ws.ApiToken(service_name="microsoft_graph", access_token="graph-access-token-0001",
                          token_type=null(), created_at=ago(hours=2), expires_at=ago(minutes=10)))

        # job role compliance --------------------------------------------------------
        codes = {code: ws.JobCode(code=code, description=desc, created_at=ago(days=28 - i))
                 for i, (code, desc) in enumerate(JOB_CODES)}
        roles = {name: ws.SystemRole(role_name=name, description=desc, created_at=ago(days=27 - i))
                 for i, (name, desc) in enumerate(SYSTEM_ROLES)}
        s.add_all(list(codes.values()) + list(roles.values()))
        for i, (code, role) in enumerate(JOB_ROLE_PAIRS):
            s.add(ws.JobRoleMapping(job_code=codes[code], system_role=roles[role],
                                    created_at=ago(days=20 - i)))

        # employee_profiles ----------------------------------------------------------
        png = png_16x16()
        for i, (email, code, name, dept, title, photo, ctype) in enumerate(
            [
                ("alice.csr@whodis.example", "CSR1", "Alice Example", "Customer Care",
                 "Customer Service Representative", png, "image/png"),
                # A JPEG under the label the server wrote: 'image/jpg' (not a registered type).
                ("bob.csr@whodis.example", "CSR2", "Bob Example", "Customer Care",
                 "Senior Customer Service Representative", JPEG_16X16, "image/jpg"),
                ("carol.sup@whodis.example", "SUP1", "Carol Example", "Customer Care",
                 "Customer Service Supervisor", None, None),
            ]
        ):
            s.add(ws.EmployeeProfile(
                email=email, photo_data=photo, photo_content_type=ctype,
                keystone_data={"job_code": code, "name": name, "department": dept, "title": title},
                created_at=ago(days=15 - i)))

        # genesys_* (as sync_from_service_data stores an API page) ------------------------
        for model, kind, names in [
            (ws.GenesysGroup, "groups", ["Customer Care", "Supervisors", "Retired Queue Group"]),
            (ws.GenesysSkill, "routing/skills", ["Billing", "Spanish", "Legacy Products"]),
            (ws.GenesysLocation, "locations", ["Main Office", "Remote", "Closed Branch"]),
        ]:
            for i, name in enumerate(names):
                gid = genesys_id(kind, i)
                active = i != 2
                raw = {"id": gid, "name": name, "state": "active" if active else "deleted",
                       "version": i + 1, "selfUri": f"/api/v2/{kind}/{gid}"}
                if kind == "groups":
                    raw.update(memberCount=12 - 5 * i, type="official", visibility="public")
                elif kind == "locations":
                    raw["address"] = {"city": "Springfield", "country": "US", "zipcode": f"0000{i}"}
                row = model(service_id=gid, service_name="genesys", raw_data=raw,
                            is_active=active, created_at=ago(days=12 - i))
                row.set_data("synced_from", "sync_from_service_data")
                s.add(row)
        s.commit()

        # audit_log: 3 legacy rows first (oldest), through Core: no listener, so
        # updated_at/success stay NULL, additional_data is SQL NULL (not JSON null). -----
        for i, event_type in enumerate(["search", "admin", None]):
            values = dict(
                created_at=ago(days=29, hours=20 - 2 * i),
                user_email="server.admin@whodis.example",
                ip_address="192.0.2.1",
                message=f"legacy row {i + 1}: written before the timestamp listener",
                additional_data=null(),
            )
            if event_type is not None:
                values["event_type"] = event_type
            if event_type == "search":
                values["search_query"] = "legacy.lookup"
            s.execute(insert(ws.AuditLog.__table__).values(**values))
        s.commit()

        users = [u[0] for u in USERS]
        event_types = ["search", "access", "admin", "config", "error"]
        for i in range(30):
            event_type = event_types[i % 5]
            log = ws.AuditLog(
                event_type=event_type,
                user_email=users[i % len(users)],
                ip_address=f"192.0.2.{100 + i}",
                user_agent=UA,
                session_id=session_hex(i % 4),
                success=event_type != "error" and i % 7 != 3,
                message=f"{event_type} event {i}",
                created_at=ago(hours=(29 - i) * 23 + 1),
            )
            if event_type == "search":
                log.search_query = f"employee.{i}"
            # additional_data in every shape the server has stored.
            shape = i % 4
            if shape == 0:
                log.set_data("results_count", i)
                log.set_data("services_used", ["ldap", "genesys"])
            elif shape == 1:
                # A dict serialised twice: a JSON *string* holding JSON text.
                log.additional_data = json.dumps({"results_count": i, "double_encoded": True})
            elif shape == 2:
                log.additional_data = ["ldap", "genesys", "graph"]
            else:
                # An explicit None: the JSON type stores JSON null, not SQL NULL.
                log.additional_data = None
            s.add(log)

        # access_attempts ----------------------------------------------------------
        resources = [("/admin", "admin"), ("/admin/users", "admin"), ("/search", "viewer"),
                     ("/utilities/blocked-numbers", "editor"), ("/admin/config", "admin")]
        user_roles = [("server.admin@whodis.example", "admin"),
                      ("server.editor@whodis.example", "editor"),
                      ("server.viewer@whodis.example", "viewer")]
        for i in range(10):
            resource, required = resources[i % len(resources)]
            email, role = user_roles[i % len(user_roles)]
            granted = ROLE_RANK[role] >= ROLE_RANK[required]
            s.add(ws.AccessAttempt(
                user_email=email, ip_address=f"192.0.2.{150 + i}", user_agent=UA,
                session_id=session_hex(i % 4), resource=resource, required_role=required,
                user_role=role, success=granted,
                message=("granted" if granted else "denied") + f" {resource}",
                created_at=ago(days=25 - 2 * i, hours=3)))

        # error_log --------------------------------------------------------------------
        errors = [
            ("LDAPError", "app/services/ldap_service.py", "ldap3.core.exceptions.LDAPBindError: invalid credentials"),
            ("GenesysAPIError", "app/services/genesys_service.py", "requests.exceptions.HTTPError: 401 Unauthorized"),
            ("DatabaseError", "app/models/base.py", "sqlalchemy.exc.OperationalError: server closed the connection"),
            ("ValueError", "app/blueprints/search/__init__.py", "ValueError: invalid search term"),
            ("TimeoutError", "app/services/graph_service.py", "TimeoutError: Graph API did not answer in 10s"),
        ]
        for i, (etype, path, last) in enumerate(errors):
            trace = (
                "Traceback (most recent call last):\n"
                f'  File "/opt/whodis/{path}", line {40 + i}, in handler\n'
                "    result = service.call()\n"
                f'  File "/opt/whodis/{path}", line {120 + i}, in call\n'
                "    raise\n"
                f"{last}\n"
            )
            s.add(ws.ErrorLog(
                user_email=users[i], ip_address=f"192.0.2.{200 + i}", user_agent=UA,
                error_type=etype, stack_trace=trace, success=False, message=last,
                created_at=ago(days=20 - 4 * i)))

        # blocked_numbers (drift; naive timestamps) -----------------------------------
        for i, (number, reason) in enumerate(
            [("+15555550100", "Repeated prank calls"), ("+15555550101", "Fraud attempts"),
             ("5555550102", None)]
        ):
            s.add(ws.BlockedNumber(number=number, reason=reason,
                                   created_at=ago(days=18 - 6 * i).replace(tzinfo=None)))
        s.commit()

    emit({"tables": table_counts(engine)})
    return 0


# --------------------------------------------------------------------------- dump


def json_value(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        return {"len": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return value


def row_dict(obj) -> dict:
    return {
        attr.columns[0].name: json_value(getattr(obj, attr.key))
        for attr in inspect(type(obj)).column_attrs
    }


def check_row(obj) -> None:
    """What the server dereferences on load beyond the columns themselves."""
    if isinstance(obj, ws.JobRoleMapping):
        # SQLite does not enforce the foreign keys; the server reads mapping.job_code.code.
        if obj.job_code_id is not None and obj.job_code is None:
            raise FixtureError(f"job_code_id={obj.job_code_id} matches no job_codes row")
        if obj.system_role_id is not None and obj.system_role is None:
            raise FixtureError(f"system_role_id={obj.system_role_id} matches no system_roles row")


def load_model(engine, model) -> list:
    """All rows of one model, by id. When the bulk load fails on a value (not on the
    query itself), the rows are loaded one by one so that the error names the row, and
    the column when one column alone fails."""
    table = model.__tablename__
    cols = model.__table__.c

    def load(session, stmt):
        rows = []
        for obj in session.execute(stmt).scalars():
            check_row(obj)
            rows.append(row_dict(obj))
        return rows

    try:
        with ws.open_session(engine) as s:
            return load(s, select(model).order_by(model.id))
    except DBAPIError as e:
        # The database refused the query: a missing table or column, not one bad row.
        raise FixtureError(f"{table}: cannot be read: {first_line(e)}") from None
    except Exception as e:  # noqa: BLE001 - any failure to load is what we report
        bulk_error = e
    with engine.connect() as conn:
        ids = conn.execute(select(cols.id).order_by(cols.id)).scalars().all()
    for row_id in ids:
        try:
            with ws.open_session(engine) as s:
                load(s, select(model).where(model.id == row_id))
        except Exception as e:  # noqa: BLE001
            where = f"{table} id={row_id}"
            column = failing_column(engine, model, row_id)
            if column:
                where += f" column {column}"
            raise FixtureError(f"{where}: the row does not load: {first_line(e)}") from None
    raise FixtureError(f"{table}: cannot be read: {first_line(bulk_error)}")


def failing_column(engine, model, row_id):
    """The first column whose stored value the column's type cannot read, if any. Core
    selects apply the same result processing (datetime parsing, JSON decoding) as the ORM."""
    cols = model.__table__.c
    with engine.connect() as conn:
        for col in model.__table__.columns:
            try:
                conn.execute(select(col).where(cols.id == row_id)).all()
            except Exception:  # noqa: BLE001
                return col.name
    return None


def first_line(e: Exception) -> str:
    text = str(e).strip().splitlines()
    if isinstance(e, FixtureError):
        return text[0] if text else ""
    return f"{type(e).__name__}: {text[0] if text else ''}"


def dump(args) -> int:
    fernet = fernet_arg(args.key)
    engine = open_engine(args.url)
    tables = {}
    for model in sorted(ws.MODELS, key=lambda m: m.__tablename__):
        tables[model.__tablename__] = load_model(engine, model)
    try:
        with engine.connect() as conn:
            tables["alembic_version"] = [
                dict(r._mapping)
                for r in conn.execute(select(ws.alembic_version).order_by(ws.alembic_version.c.version_num))
            ]
    except Exception as e:  # noqa: BLE001
        raise FixtureError(f"alembic_version: cannot be read: {first_line(e)}") from None

    config = {}
    with ws.open_session(engine) as s:
        for row in s.execute(select(ws.Configuration).order_by(ws.Configuration.id)).scalars():
            try:
                config[f"{row.category}.{row.key}"] = ws.config_value(row, fernet)
            except ws.ConfigError as e:
                raise FixtureError(str(e)) from None

    emit({"tables": tables, "config": config})
    return 0


# --------------------------------------------------------------- insert-audit, decrypt


def insert_audit(args) -> int:
    if args.count < 0:
        raise FixtureError("--count must not be negative")
    engine = open_engine(args.url)
    with ws.open_session(engine) as s:
        logs = []
        for n in range(1, args.count + 1):
            log = ws.AuditLog(
                event_type="search",
                user_email="server.viewer@whodis.example",
                search_query=f"{args.message_prefix} {n}",
                ip_address="192.0.2.250",
                user_agent=UA,
                success=True,
                message=f"{args.message_prefix} {n}",
            )
            log.set_data("results_count", n)
            logs.append(log)
        s.add_all(logs)
        # No flush before the commit: created_at/updated_at come from the listener, which
        # only sees objects still pending.
        s.commit()
        emit({"ids": [log.id for log in logs]})
    return 0


def set_config(args) -> int:
    """The server's own write of one setting (after an adopt, its inserts must still work)."""
    fernet = fernet_arg(args.key)
    engine = open_engine(args.url)
    with ws.open_session(engine) as s:
        row = ws.config_set(s, fernet, args.path, args.value)
        emit({"id": row.id, "is_encrypted": row.is_encrypted})
    return 0


def decrypt(args) -> int:
    fernet = fernet_arg(args.key)
    if fernet is None:
        raise FixtureError("decrypt needs --key (or WHODIS_ENCRYPTION_KEY)")
    try:
        plain = fernet.decrypt(args.token.encode("ascii")).decode("utf-8")
    except Exception:  # noqa: BLE001 - InvalidToken, or a token that is not ASCII/UTF-8
        raise FixtureError("the token does not decrypt with this key") from None
    emit({"plaintext": plain})
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("make", help="create and fill a fresh database as the server would")
    p.add_argument("--url", required=True)
    p.add_argument("--key", help="Fernet key (default: $WHODIS_ENCRYPTION_KEY)")
    p.set_defaults(run=make)

    p = sub.add_parser("dump", help="read every table back through the server's ORM")
    p.add_argument("--url", required=True)
    p.add_argument("--key", help="Fernet key (default: $WHODIS_ENCRYPTION_KEY)")
    p.set_defaults(run=dump)

    p = sub.add_parser("insert-audit", help="add audit_log search rows through the ORM")
    p.add_argument("--url", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--message-prefix", default="fixture search")
    p.set_defaults(run=insert_audit)

    p = sub.add_parser("set-config", help="write one setting through the server's config_set")
    p.add_argument("--url", required=True)
    p.add_argument("--key", help="Fernet key (default: $WHODIS_ENCRYPTION_KEY)")
    p.add_argument("--path", required=True, help="category.key")
    p.add_argument("--value", required=True)
    p.set_defaults(run=set_config)

    p = sub.add_parser("decrypt", help="decrypt one Fernet token")
    p.add_argument("--key", help="Fernet key (default: $WHODIS_ENCRYPTION_KEY)")
    p.add_argument("--token", required=True)
    p.set_defaults(run=decrypt)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except FixtureError as e:
        print(f"fixture.py {args.command}: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # noqa: BLE001 - a database error, said in one line
        print(f"fixture.py {args.command}: {first_line(e)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
