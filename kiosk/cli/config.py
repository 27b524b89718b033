"""``kiosk config show``: the effective config (every default filled in), secrets masked."""
from __future__ import annotations

import dataclasses
import json
import re

from kiosk.cli._common import load_config_for, out, run_command
from kiosk.i18n import t

#: Keys whose values are never shown (a password or a token typed into the file by mistake).
SECRET_KEYS = re.compile(r"(password|passwd|secret|token)$", re.IGNORECASE)
#: ``scheme://user:password@host``: the password part of a URL.
URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@\s]+@", re.IGNORECASE)


def register(subparsers, common) -> None:
    """Add ``kiosk config show``."""
    parser = subparsers.add_parser("config", parents=[common], help=t("cli.config_help"),
                                   description=t("cli.config_help"))
    what = parser.add_subparsers(dest="config_action", metavar=t("cli.command_metavar"),
                                 required=True, help=t("cli.command_help"))
    what.add_parser("show", parents=[common], help=t("cli.config_show_help"),
                    description=t("cli.config_show_help")).set_defaults(func=run_show)


def masked(key: str, value):
    """``value`` as it may be shown: secrets replaced by ``***``."""
    if isinstance(value, str):
        if SECRET_KEYS.search(key) and value:
            return "***"
        return URL_PASSWORD.sub(lambda m: m.group("head") + "***@", value)
    return value


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if value is None:
        return '""  # (unset)'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string is a JSON string


def config_lines(config) -> list[str]:
    """The config as TOML: one table per section, ``[[scanner]]`` once per scanner."""
    lines = [f"# {t('cli.config_source', path=config.source or '-')}"]
    for field in dataclasses.fields(config):
        if field.name == "source":
            continue
        section = getattr(config, field.name)
        tables = section if isinstance(section, list) else [section]
        header = f"[[{field.name}]]" if isinstance(section, list) else f"[{field.name}]"
        for table in tables:
            lines += ["", header]
            lines += _table_lines(table, field.name)
    return lines


def _table_lines(table, prefix: str) -> list[str]:
    lines, nested = [], []
    for field in dataclasses.fields(table):
        value = getattr(table, field.name)
        if dataclasses.is_dataclass(value):
            nested.append((field.name, value))
            continue
        lines.append(f"{field.name} = {_toml_value(masked(field.name, value))}")
    for name, value in nested:
        lines += ["", f"[{prefix}.{name}]"] + _table_lines(value, f"{prefix}.{name}")
    return lines


@run_command
def run_show(args) -> int:
    """Print the effective config."""
    for line in config_lines(load_config_for(args)):
        out(line)
    return 0
