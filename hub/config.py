"""The hub's configuration: one typed TOML file (``HUB_CONFIG``), defaults for everything.

A bad value stops the start with one line naming the file, the key and what is wrong. Secrets
(Django's secret key, the database password) are read from files named here, never kept in it.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path


class ConfigError(ValueError):
    """The config file is unreadable or holds a bad value."""


@dataclass(frozen=True)
class WebConfig:
    """``[web]``: how the site is served."""

    debug: bool = False
    allowed_hosts: list = field(default_factory=lambda: ["localhost", "127.0.0.1"])
    #: File holding Django's secret key (mode 600); created on first start when missing.
    secret_key_file: str = "secret_key"
    #: Behind a TLS-terminating reverse proxy: trust its X-Forwarded-Proto, secure cookies.
    behind_tls_proxy: bool = False
    csrf_trusted_origins: list = field(default_factory=list)
    static_root: str = "static"


@dataclass(frozen=True)
class DatabaseConfig:
    """``[database]``: ``url`` is ``sqlite:///path`` (the demo) or ``postgresql://user@host/db``."""

    url: str = "sqlite:///hub.sqlite3"
    #: File holding the PostgreSQL password (mode 600), if the server asks for one.
    password_file: str = ""


@dataclass(frozen=True)
class IngestConfig:
    """``[ingest]``: the receiving end of the kiosks' pushes."""

    max_records_per_batch: int = 1000
    max_body_bytes: int = 16 * 1024 * 1024
    #: Batches stored at once (across every server process); more are told to come back later.
    max_concurrent_batches: int = 8
    retry_after_s: int = 15


@dataclass(frozen=True)
class HealthConfig:
    """``[health]``: when a kiosk is late or silent, when its clock or queue is a problem."""

    late_after_min: int = 20
    silent_after_h: int = 24
    clock_tolerance_s: int = 120
    queue_late_after_h: int = 2


@dataclass(frozen=True)
class LoginConfig:
    """``[login]``: failed log-ins allowed before a lock-out, and how long it lasts."""

    failure_limit: int = 5
    cooloff_min: int = 15


@dataclass(frozen=True)
class ForwardConfig:
    """``[forward]``: passing records on to the provincial systems. ``kind = "none"`` until
    the province publishes an API; ``"contract_v1"`` sends them to another receiver of the
    kiosks' contract (a provincial hub, or the stand-in for a trial)."""

    kind: str = "none"
    url: str = ""
    token_file: str = ""
    batch_size: int = 500
    timeout_s: int = 30


@dataclass(frozen=True)
class HubConfig:
    """The whole file."""

    web: WebConfig = field(default_factory=WebConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    ingest: IngestConfig = field(default_factory=IngestConfig)
    health: HealthConfig = field(default_factory=HealthConfig)
    login: LoginConfig = field(default_factory=LoginConfig)
    forward: ForwardConfig = field(default_factory=ForwardConfig)
    #: The folder relative paths are taken from (the config file's folder).
    base_dir: Path = field(default_factory=Path.cwd)

    def resolve(self, path: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        candidate = Path(path).expanduser()
        return candidate if candidate.is_absolute() else self.base_dir / candidate


SECTIONS = {"web": WebConfig, "database": DatabaseConfig, "ingest": IngestConfig,
            "health": HealthConfig, "login": LoginConfig, "forward": ForwardConfig}


def _section(path: Path, name: str, cls, table) -> object:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{name}] is not a table")
    known = {f.name: f for f in fields(cls)}
    values = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{path}: {name}.{key}: unknown key")
        default = getattr(cls(), key)
        if isinstance(default, bool) and not isinstance(value, bool):
            raise ConfigError(f"{path}: {name}.{key}: expected true or false")
        if isinstance(default, int) and not isinstance(default, bool) and (
                not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise ConfigError(f"{path}: {name}.{key}: expected a whole number >= 0")
        if isinstance(default, str) and not isinstance(value, str):
            raise ConfigError(f"{path}: {name}.{key}: expected text")
        if isinstance(default, list) and not (isinstance(value, list)
                                              and all(isinstance(v, str) for v in value)):
            raise ConfigError(f"{path}: {name}.{key}: expected a list of text")
        values[key] = value
    return cls(**values)


def load_config(path: str | os.PathLike | None = None) -> HubConfig:
    """Read ``path`` (or ``$HUB_CONFIG``); no file at all gives the defaults (the demo's)."""
    path = path or os.environ.get("HUB_CONFIG")
    if not path:
        return HubConfig()
    path = Path(path).resolve()
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not TOML: {exc}") from None
    sections = {}
    for name, table in raw.items():
        if name not in SECTIONS:
            raise ConfigError(f"{path}: [{name}]: unknown section")
        sections[name] = _section(path, name, SECTIONS[name], table)
    url = sections.get("database", DatabaseConfig()).url
    if not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise ConfigError(f"{path}: database.url: expected sqlite:///PATH or postgresql://...")
    kind = sections.get("forward", ForwardConfig()).kind
    if kind not in ("none", "contract_v1"):
        raise ConfigError(f"{path}: forward.kind: expected \"none\" or \"contract_v1\"")
    return HubConfig(base_dir=path.parent, **sections)
