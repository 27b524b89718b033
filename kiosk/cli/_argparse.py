"""argparse's own words ("usage:", "options", its error messages) through the kiosk's catalog.

argparse looks each of its messages up through the module-level functions ``_`` and ``ngettext``
(GNU gettext, which the kiosk does not ship); :func:`install` points them at the ``argparse``
namespace of the catalog, in the language of the moment. A message argparse adds in a later
Python version shows in English until it is added to :data:`MESSAGES`.

:func:`localise_metavars` gives every option's placeholder (``--class LỚP``) from the ``metavar``
namespace, so a command module need not spell one out in each language.
"""
from __future__ import annotations

import argparse

from kiosk.i18n import current_language, load_catalog, t

#: argparse's message (its ``%``-template, unchanged) -> the key in ``argparse.toml``.
MESSAGES = {
    "usage: ": "usage",
    "positional arguments": "positional_arguments",
    "options": "options",
    "optional arguments": "options",
    "show this help message and exit": "help",
    "show program's version number and exit": "version",
    "subcommands": "subcommands",
    "%(prog)s: error: %(message)s\n": "error",
    "argument %(argument_name)s: %(message)s": "argument",
    "unrecognized arguments: %s": "unrecognized",
    "the following arguments are required: %s": "required",
    "one of the arguments %s is required": "one_required",
    "not allowed with argument %s": "not_allowed_with",
    "ignored explicit argument %r": "ignored_explicit",
    "expected one argument": "expected_one",
    "expected at most one argument": "expected_at_most_one",
    "expected at least one argument": "expected_at_least_one",
    "expected %s argument": "expected_n",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "unexpected option string: %s": "unexpected_option",
    "invalid %(type)s value: %(value)r": "invalid_value",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "unknown_parser",
    "can't open '%(filename)s': %(error)s": "cannot_open",
}


#: Placeholders command modules spell out in English -> their key in ``metavar.toml``.
SPELLED_METAVARS = {"CODE=N": "code_n", "CODE=WORD": "code_word", "CODE=TEXT": "code_text",
                    "CODE=good:N,damaged:N,missing:N": "code_split",
                    "CODE=GOOD[/DAMAGED]": "code_counts", "PATH": "path", "DIR": "dir",
                    "WORD": "word"}


def translate(message: str | None) -> str | None:
    """argparse's ``_``: the catalog's words for one of its messages (as given when unknown)."""
    key = MESSAGES.get(message) if message else None
    return t(f"argparse.{key}") if key else message


def translate_plural(singular: str, plural: str, count: int) -> str:
    """argparse's ``ngettext`` (Vietnamese has one form; English keeps argparse's two)."""
    key = MESSAGES.get(singular)
    if key is None:
        return singular if count == 1 else plural
    return t(f"argparse.{key}" if count == 1 else f"argparse.{key}_plural")


def install() -> None:
    """Translate argparse's words from now on (call before building the parsers: section
    titles and the help option's text are looked up when a parser is made)."""
    argparse._ = translate
    argparse.ngettext = translate_plural


def localise_metavars(parser: argparse.ArgumentParser) -> None:
    """Give every option and argument of ``parser`` (and of its sub-commands) a placeholder in
    the current language: its name's entry in ``metavar.toml`` (a generic word when it has
    none), or the translation of an English placeholder spelt out in the code; a list of
    sub-commands without a name or a help gets the usual ones."""
    known = load_catalog(current_language())
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            action.metavar = action.metavar or t("cli.command_metavar")
            action.help = action.help or t("cli.command_help")
            for sub in action.choices.values():
                localise_metavars(sub)
            continue
        if isinstance(action, argparse._HelpAction) or action.nargs == 0 or action.choices:
            continue
        if action.metavar is None:
            key = f"metavar.{action.dest}"
            action.metavar = known[key] if key in known else t("metavar.value")
        elif isinstance(action.metavar, str) and action.metavar in SPELLED_METAVARS:
            action.metavar = t(f"metavar.{SPELLED_METAVARS[action.metavar]}")
