"""Pick the connector the config names (``sync.connector``); the one place that knows them all."""
from __future__ import annotations

from kiosk.config import Config
from kiosk.sync.connector import ConfigurationError, Connector


def make_connector(config: Config) -> Connector:
    """The configured connector; raises :class:`ConfigurationError` when it cannot start."""
    kind = config.sync.connector
    if kind == "http":
        from kiosk.sync.http import http_connector_from_config

        return http_connector_from_config(config.sync, resolve=config.resolve)
    raise ConfigurationError(f"sync.connector {kind!r} is not known")
