"""``[database]``: an SQLite ``path`` or a PostgreSQL ``url``; the server's password only from a
file the kiosk's user alone can read (or ~/.pgpass), never from the config, never in a message."""
import logging
import os
from urllib.parse import urlsplit

import pytest

from db.errors import DatabaseUnavailable
from kiosk.config import ConfigError, config_from_dict
from kiosk.context import open_context

SCHOOL = {"code": "HY-1", "name": "Trường THCS Thử"}
SECRET = "Ng0-Quy3n-9f2c"


def test_a_url_holding_a_password_is_refused_without_repeating_it():
    with pytest.raises(ConfigError) as refused:
        config_from_dict({"school": SCHOOL, "database": {
            "url": f"postgresql://kiosk:{SECRET}@10.0.0.2:5432/school"}})
    assert "database.url" in str(refused.value) and "password_file" in str(refused.value)
    assert SECRET not in str(refused.value)


@pytest.mark.parametrize("database, key", [
    ({"url": "mysql://kiosk@host/school"}, "database.url"),
    ({"url": "postgresql://kiosk@host:99999/school"}, "database.url"),
    ({"password_file": "/etc/school-kiosk/db.password"}, "database.password_file"),
    ({"url": "postgresql://kiosk@host/school", "connect_timeout_s": 0.5},
     "database.connect_timeout_s"),
])
def test_bad_database_settings_name_their_key(database, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        config_from_dict({"school": SCHOOL, "database": database})


def test_a_server_url_is_on_server_and_a_path_is_not():
    server = config_from_dict({"school": SCHOOL, "database": {
        "url": "postgresql://kiosk@10.0.0.2/school?sslmode=verify-full"}})
    assert server.database.on_server
    assert not config_from_dict({"school": SCHOOL}).database.on_server


def _password_file(tmp_path, mode: int):
    path = tmp_path / "db.password"
    path.write_text(SECRET + "\n", encoding="utf-8")
    os.chmod(path, mode)
    return path


def test_a_password_file_others_can_read_is_refused_before_connecting(tmp_path, caplog):
    path = _password_file(tmp_path, 0o644)
    config = config_from_dict({"school": SCHOOL, "database": {
        "url": "postgresql://kiosk@192.0.2.1:5432/school", "password_file": str(path)}})
    with caplog.at_level(logging.DEBUG), pytest.raises(DatabaseUnavailable) as refused:
        open_context(config)  # 192.0.2.1 never answers: refused before any attempt
    assert refused.value.reason == "denied"
    assert "chmod 600" in str(refused.value) and "0644" in str(refused.value)
    assert SECRET not in str(refused.value) + caplog.text


@pytest.mark.postgresql_only
def test_the_password_reaches_the_driver_and_nowhere_else(tmp_path, database_section, caplog):
    path = _password_file(tmp_path, 0o600)
    url = database_section["url"]
    config = config_from_dict({"school": SCHOOL, "database": {"url": url,
                                                              "password_file": str(path)}})
    with caplog.at_level(logging.DEBUG):
        context = open_context(config)
    db = context.db
    assert db.connect_params["password"] == SECRET
    assert SECRET not in db.database and urlsplit(db.database).password is None
    from db.engine import engine_of
    assert SECRET not in engine_of(db).location(db)
    assert f"school-kiosk {context.kiosk_id}" in db.execute_sql(
        "SELECT current_setting('application_name')").fetchone()[0]
    assert SECRET not in caplog.text
    context.close()
