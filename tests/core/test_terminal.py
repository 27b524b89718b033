"""The ``kiosk`` command at a terminal: help and errors in Vietnamese, one line where things go
wrong (a closed pipe, a busy port), ``-v`` that works, and no secret in any log line."""
import argparse
import logging
import os
import socket
import subprocess
import sys

import pytest

from kiosk import PROJECT_ROOT
from kiosk.cli import build_parser
from kiosk.cli._argparse import install
from kiosk.i18n import set_language
from tests.core.test_cli import config_path, kiosk  # noqa: F401 - the fixture is used below

ARGPARSE_ENGLISH = ("usage:", "positional arguments", "options:", "optional arguments",
                    "show this help message", "subcommands")


def _parsers(parser, path=("kiosk",)):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, path + (name,))


def _all_help(lang):
    set_language(lang)
    install()
    return {" ".join(path): parser.format_help() for path, parser in _parsers(build_parser())}


def test_every_help_is_vietnamese_with_argparse_words_translated():
    helps = _all_help("vi")
    assert len(helps) > 25  # every command and sub-command
    for where, text in helps.items():
        for english in ARGPARSE_ENGLISH:
            assert english not in text, (where, english)
        assert text.startswith("cách dùng: ") and "hiện trợ giúp này rồi thoát" in text, where
    assert "tùy chọn:" in helps["kiosk find"] and "tham số:" in helps["kiosk find"]


def test_every_option_and_argument_says_what_it_is_for():
    set_language("vi")
    install()
    for path, parser in _parsers(build_parser()):
        for action in parser._actions:
            if action.help == argparse.SUPPRESS or isinstance(action, argparse._HelpAction):
                continue
            assert action.help, (" ".join(path), action.dest)


#: Placeholders that read the same in both languages.
LITERAL_METAVARS = {"DD/MM/YYYY", "N", "CB...", "KK-...", "YYYY-YYYY", "URL"}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_placeholder_is_in_the_language_of_the_help(lang):
    from kiosk.i18n import load_catalog
    set_language(lang)
    install()
    words = set(load_catalog(lang).values()) | LITERAL_METAVARS
    for path, parser in _parsers(build_parser()):
        for action in parser._actions:
            if (isinstance(action, (argparse._HelpAction, argparse._SubParsersAction))
                    or action.nargs == 0 or action.choices):
                continue
            assert action.metavar in words, (" ".join(path), action.dest, action.metavar)


def test_help_in_english_with_lang_en():
    helps = _all_help("en")
    assert all(text.startswith("usage: ") for text in helps.values())
    assert "show this help message and exit" in helps["kiosk sync"]
    assert "cách dùng" not in "".join(helps.values())


def test_import_help_lists_the_columns_of_each_kind():
    students = kiosk("import", "students", "--help")
    assert students.returncode == 0
    for header in ("Tên lớp", "Mã lớp", "Mã học sinh", "Họ tên", "Ngày sinh", "Giới tính",
                   "Trạng thái HS"):
        assert header in students.stdout, header
    assert "Tên lớp (hoặc: Lớp, Mã lớp) - bắt buộc" in students.stdout
    assert "Ngày sinh - không bắt buộc" in students.stdout
    books = kiosk("import", "books", "--help", lang="en")
    assert "Số ĐKCB" in books.stdout and "required" in books.stdout
    assert "Mã học sinh" not in books.stdout


def test_usage_errors_in_vietnamese_and_english():
    missing = kiosk("borrow")
    assert missing.returncode == 2
    assert "kiosk borrow: lỗi: còn thiếu các tham số bắt buộc: MÃ_THẺ, MÃ" in missing.stderr
    assert "error" not in missing.stderr and "usage" not in missing.stderr
    choice = kiosk("report", "day", "--format", "pdf")
    assert "lựa chọn không hợp lệ: 'pdf'" in choice.stderr
    english = kiosk("borrow", lang="en")
    assert "the following arguments are required: CARD, CODE" in english.stderr


def test_no_config_file_is_said_in_vietnamese():
    result = kiosk("find", "x")
    assert result.returncode == 2
    assert result.stderr.strip() == ("Lỗi cấu hình: chưa có tệp cấu hình: dùng --config TỆP "
                                     "hoặc đặt biến KIOSK_CONFIG")


@pytest.mark.parametrize("args", [("find", "a"), ("--help",), ("report", "day"),
                                  ("config", "show"), ("sync", "--status")])
def test_a_reader_that_goes_away_gets_no_traceback(config_path, args):  # noqa: F811
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("KIOSK_CONFIG", None)
    process = subprocess.Popen([sys.executable, "-m", "kiosk", *args, "--config",
                                str(config_path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env, cwd=PROJECT_ROOT)
    process.stdout.close()  # like `| head` that has read enough, before the first line
    _, err = process.communicate(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()
    # A help text fits in stdout's buffer, which Python drops quietly at exit: status 0.
    assert process.returncode == (0 if args == ("--help",) else 141)


def test_standin_on_a_busy_port_is_one_line(tmp_path):
    token = tmp_path / "t.token"
    token.write_text("tok-busy-port-1\n")
    token.chmod(0o600)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = kiosk("standin-server", "--port", str(port), "--token-file", str(token),
                       "--db", str(tmp_path / "s.sqlite3"))
    assert result.returncode == 2
    assert result.stderr == (f"Không mở được máy chủ giả lập tại 127.0.0.1:{port}: cổng này "
                             "đang được một chương trình khác dùng\n")


def _run_python(code: str, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("KIOSK_CONFIG", None)
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, cwd=PROJECT_ROOT, timeout=60)


def test_verbose_logs_debug_even_after_escpos_configured_logging(config_path):  # noqa: F811
    code = ("import sys, escpos.printer\n"  # python-escpos calls logging.basicConfig() here
            "from kiosk.cli import main\n"
            "raise SystemExit(main(sys.argv[1:]))\n")
    verbose = _run_python(code, "-v", "find", "an", "--config", str(config_path))
    assert verbose.returncode == 0, verbose.stderr
    assert " DEBUG peewee: " in verbose.stderr
    quiet = _run_python(code, "find", "an", "--config", str(config_path))
    assert "DEBUG" not in quiet.stderr


def test_no_pin_hash_or_token_in_any_log_line(context, caplog, tmp_path):
    """Sign-ins (right, wrong, locked), a PIN set, and a push, all at DEBUG."""
    from db.models import Patron
    from db.queries import patrons
    from db.tx import write_transaction
    from kiosk.services.staff import StaffService, hash_pin
    from kiosk.standin.server import StandinServer
    from kiosk.sync.factory import make_connector
    from kiosk.sync.worker import SyncWorker
    from tests.factories import reconfigure
    from tests.sync.helpers import fill_outbox, write_token

    caplog.set_level(logging.DEBUG)
    staff = Patron.get(Patron.code == "CB0001")
    new_hash = hash_pin("97531")
    with write_transaction(context.db):
        patrons.set_pin_hash(staff.id, new_hash)
    service = StaffService(context)
    assert service.authenticate("CB0001", "97531").ok
    for _ in range(6):
        service.authenticate("CB0001", "0000")
    token = "tok-secret-7d1e0c55"
    server = StandinServer(tmp_path / "standin.sqlite3", token=token).start()
    try:
        reconfigure(context, "sync", url=server.url,
                    token_file=str(write_token(tmp_path / "p.token", token)))
        fill_outbox(context.db, context.clock, 3)
        assert SyncWorker(context, make_connector(context.config)).run_once().accepted == 3
    finally:
        server.stop()
    logged = caplog.text
    assert "UPDATE" in logged and "/v1/records" in logged  # the statements were logged
    for secret in (new_hash, new_hash.split("$")[-1], staff.pin_hash, token):
        assert secret not in logged


def test_no_pin_hash_or_token_on_a_verbose_terminal(tmp_path):
    prepared = kiosk("-v", "demo", "--prepare", str(tmp_path / "demo"))
    assert prepared.returncode == 0, prepared.stderr
    assert "INSERT" in prepared.stderr  # DEBUG lines came out
    assert "scrypt$" not in prepared.stderr
    from kiosk.config import load_config
    from kiosk.context import open_context
    context = open_context(load_config(tmp_path / "demo" / "kiosk.toml"))
    hashes = [row[0] for row in context.db.execute_sql(
        "SELECT pin_hash FROM patron WHERE pin_hash != ''").fetchall()]
    context.close()
    assert hashes and not any(h.split("$")[-1] in prepared.stderr for h in hashes)


def test_a_mistyped_database_path_is_refused_not_created(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('[school]\ncode = "HY-1"\nname = "Trường"\n[database]\n'
                      'path = "data/kiosk.sqllite3"\n', encoding="utf-8")
    target = tmp_path / "data" / "kiosk.sqllite3"
    expected = (f"Không có cơ sở dữ liệu tại {target}: hãy kiểm tra database.path trong tệp "
                f"cấu hình. Nếu trường mới bắt đầu dùng ki-ốt, hãy tạo bằng: kiosk db init "
                f"--config {config}\n")
    for args in (("run", "--console"), ("run",), ("find", "an"), ("borrow", "0123456789", "X"),
                 ("report", "day"), ("sync", "--status"), ("db", "check")):
        refused = kiosk(*args, config=config)
        assert refused.returncode == 2, args
        assert refused.stderr.endswith(expected) and "Traceback" not in refused.stderr, args
    assert not (tmp_path / "data").exists()  # not even its folder
    created = kiosk("db", "init", config=config)
    assert created.returncode == 0 and target.is_file()
    assert kiosk("find", "an", config=config).returncode == 1  # a school with no one yet


def test_a_refused_code_is_shortened_and_escaped(config_path):  # noqa: F811
    flood, escape = "A" * 10_000, "TK\x1b[2J\x1b[31m.00001\u202e"
    result = kiosk("borrow", "0123456789", flood, escape, "TK." + "9" * 60, config=config_path)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) == 4 and all(len(line) < 160 for line in lines), lines
    assert lines[1].startswith("-- " + "A" * 40 + "…: ")
    assert lines[2].startswith("-- TK\\x1b[2J\\x1b[31m.00001\\u202e: ")
    assert "TK." + "9" * 37 + "…" in lines[3]  # the message repeats the code, shortened too


def test_an_outcome_never_repeats_a_code_unescaped(context):
    from kiosk.services.circulation import Circulation
    service = Circulation(context)
    session = service.start_session("0123456789")
    outcome = service.borrow(session, "XX." + "7" * 55)  # a well-formed code no one knows
    assert outcome.code == "unknown_code" and outcome.params["code"].endswith("7" * 55)
    assert "XX." + "7" * 37 + "…" in outcome.message


def test_help_loads_no_heavy_library():
    """Every command pays for what building the parser imports (a Pi starts Python slowly)."""
    code = ("import sys\nfrom kiosk.cli import main\ntry:\n    main(['--help'])\n"
            "except SystemExit:\n    pass\n"
            "heavy = ('openpyxl', 'reportlab', 'xlsxwriter', 'PIL', 'escpos', 'kivy', 'cv2')\n"
            "sys.stderr.write(repr([m for m in heavy if m in sys.modules]))\n")
    result = _run_python(code)
    assert result.stderr == "[]"


def test_a_stderr_that_logs_what_it_is_given_does_not_loop(monkeypatch, capfd):
    """Kivy replaces sys.stderr with a stream that logs each write; the kiosk's handler must
    not feed that line back to itself for ever."""
    import logging
    import sys

    from kiosk.logs import configure

    class LoggingStream:
        def write(self, text):
            logging.getLogger("kivy").warning("stderr: %s", text.strip())

        def flush(self):
            pass

    configure()
    monkeypatch.setattr(sys, "stderr", LoggingStream())
    logging.getLogger("kiosk.test").warning("một dòng")
    monkeypatch.undo()
    err = capfd.readouterr().err
    assert "WARNING kivy: stderr: " in err and "kiosk.test: một dòng" in err
