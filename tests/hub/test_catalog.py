"""Every message the hub shows is in its catalog, in Vietnamese and in English (no database)."""
import re
import unicodedata
from pathlib import Path

from hub import ASSETS, PROJECT_ROOT
from hub.config import ConfigError, load_config
from hub.i18n import catalog, t

HUB = PROJECT_ROOT / "hub"
DYNAMIC = {  # keys built in templates as "prefix."|add:value, with every value they take
    "hub.term.": ["HK1", "HK2", "year"], "hub.health.": ["green", "late", "silent"],
    "hub.state.": ["pending", "sent", "received", "refused"],
    "hub.kind.": ["usage", "usage_subjects", "reading", "declarations", "overdue"],
    "hub.problem.": ["paper_out", "printer", "scanner", "clock", "queue", "dead"],
    "hub.field.": ["price", "classification", "publisher", "year", "unit", "subject", "grade"],
    "hub.item_kind.": ["book", "equipment_item", "equipment_stock"],
    "hub.reading.view.": ["loans", "per_student", "visits"],
    "hub.reading.legend.": ["loans", "per_student", "visits"],
}


def _used() -> set[str]:
    used = set()
    for path in list(HUB.rglob("*.py")) + list(HUB.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'''\bt\(\s*["'](hub\.[a-z_0-9.A-Z]+)["']''', text))
        used |= set(re.findall(r'''{%\s*t\s+["'](hub\.[a-z_0-9.A-Z]+)["']''', text))
        used |= {f"hub.{m}" for m in re.findall(r'''t\(f?["']hub\.([a-z_]+\.)\{''', text)}
    return used


def test_both_languages_have_the_same_keys():
    assert catalog("vi") and set(catalog("vi")) == set(catalog("en"))


def test_every_key_the_code_and_templates_name_exists():
    known = set(catalog("vi"))
    used = _used()
    assert len(used) > 100, "the pattern found too few keys"
    fixed = {k for k in used if not k.endswith(".")}
    assert fixed <= known, sorted(fixed - known)
    for prefix, values in DYNAMIC.items():
        assert {prefix + v for v in values} <= known, prefix


def test_catalog_is_nfc_and_vietnamese_first():
    for lang in ("vi", "en"):
        text = (ASSETS / "i18n" / lang / "hub.toml").read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", text) == text
    assert t("hub.login.title") == "Đăng nhập" and t("hub.login.title", "en") == "Log in"
    assert t("hub.no.such.key") == "hub.no.such.key"


def test_the_example_config_loads_and_bad_values_are_named(tmp_path):
    config = load_config(PROJECT_ROOT / "config" / "hub.example.toml")
    assert config.web.behind_tls_proxy and config.database.url.startswith("postgresql://")
    bad = tmp_path / "hub.toml"
    bad.write_text('[ingest]\nretry_after_s = "soon"\n')
    try:
        load_config(bad)
    except ConfigError as exc:
        assert "ingest.retry_after_s" in str(exc) and str(bad) in str(exc)
    else:
        raise AssertionError("a bad value was accepted")


def test_the_hub_imports_nothing_of_the_kiosk():
    for path in HUB.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(kiosk|db|devices|printers)\b", text, re.M), path


def test_systemd_unit_runs_the_hub_from_its_config():
    unit = (PROJECT_ROOT / "systemd" / "school-hub.service").read_text()
    assert "hub.wsgi:application" in unit and "HUB_CONFIG=/etc/school-hub/hub.toml" in unit
    assert "User=school-hub" in unit
    assert Path(PROJECT_ROOT / "systemd" / "school-hub-forward.timer").exists()
