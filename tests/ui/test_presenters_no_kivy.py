"""Presenters hold no Kivy import."""
import subprocess
import sys


def test_presenters_do_not_import_kivy():
    code = ("import sys, pkgutil, importlib, kiosk.presenters as p\n"
            "for m in pkgutil.iter_modules(p.__path__):\n"
            "    importlib.import_module('kiosk.presenters.' + m.name)\n"
            "import kiosk.services.reports\n"
            "print('kivy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
