"""``python -m tdekit.catalogs`` (``make messages``): the message catalogs brought up to date.

Extracts every message of the outputs with Babel's extractors, from the shipped templates
(Jinja's: ``_()``, ``gettext``, ``ngettext``) and from tdekit's Python (``gettext``,
``ngettext`` and ``N_``, the mark of words kept in tables), then updates each
``locale/<lang>/LC_MESSAGES/tdekit.po``: new messages are added untranslated, messages no
longer used are dropped, translations kept. The English catalog is the source language's: its
translations are the messages themselves. ``--check`` changes nothing and exits 1 when a catalog
lacks a message or leaves one untranslated (what tests/test_catalogs.py asserts).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tdekit import i18n
from tdekit.templating import shipped_dir

#: The names Python code marks messages with.
PYTHON_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
#: Jinja's i18n extension, new style, as the templates use it (tdekit.templating).
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}
_WIDTH = 100


def sources() -> Iterator[tuple[str, Path]]:
    """Each file messages are extracted from, with its extraction method."""
    package = Path(i18n.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        yield "python", path
    for path in sorted(shipped_dir("templates").rglob("*.j2")):
        yield "jinja2", path


def extract() -> Any:
    """A Babel Catalog of every message the outputs use (a template, no translations)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract as run
    from jinja2.ext import babel_extract

    template = Catalog(domain=i18n.DOMAIN, project="tdekit", fuzzy=False)
    for method, path in sources():
        with path.open("rb") as handle:
            if method == "python":
                found = run("python", handle, keywords=PYTHON_KEYWORDS, comment_tags=("Translators:",))
                messages: Iterator[tuple[int, Any, list[str]]] = (
                    (line, msg, comments) for line, msg, comments, _context in found
                )
            else:
                messages = (
                    (line, msg, comments)
                    for line, _func, msg, comments in babel_extract(handle, ("_", "gettext", "ngettext"), ["Translators:"], JINJA_OPTIONS)
                )
            for _line, message, comments in messages:
                texts = [m for m in (message if isinstance(message, tuple) else (message,)) if isinstance(m, str)]
                if texts:  # ngettext's count and a placeholder's value are not messages
                    template.add(texts[0] if len(texts) == 1 else tuple(texts[:2]), None, auto_comments=comments)
    return template


def catalog_path(language: str) -> Path:
    return i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def read(language: str) -> Any:
    """The catalog of ``language`` as it is on disk."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    if not catalog_path(language).is_file():  # a language being added (--add)
        return Catalog(
            locale=language.replace("-", "_"), domain=i18n.DOMAIN, project="tdekit", fuzzy=False,
            copyright_holder="tdekit developers", msgid_bugs_address="", version="1",
        )
    with catalog_path(language).open("rb") as handle:
        return read_po(handle, locale=language.replace("-", "_"), domain=i18n.DOMAIN)


def updated(language: str, template: Any) -> Any:
    """``language``'s catalog with exactly the messages of ``template``, translations kept.

    A translated message the templates and the code no longer use is kept at the end of the
    file as obsolete (``#~``), as msgmerge does, and comes back translated when the message
    does (a word reworded back, a branch that brings it merged later); the English catalog
    keeps none, since its translations are the messages themselves.
    """
    import copy

    catalog = read(language)
    kept = {_key(m.id): m for m in catalog.obsolete.values() if _translated(m.string)}
    template = copy.deepcopy(template)  # update() adopts the template's messages as they are
    template.creation_date = catalog.creation_date  # the header changes only when messages do
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    kept.update((_key(m.id), m) for m in catalog.obsolete.values() if _translated(m.string))
    for message in catalog:
        old = kept.pop(_key(message.id), None) if message.id else None
        if old is not None and not _translated(message.string) and type(old.id) is type(message.id):
            message.string = old.string
    catalog.obsolete.clear()
    if language == i18n.SOURCE:  # the source language translates each message to itself
        for message in catalog:
            if message.id and not _translated(message.string):
                message.string = message.id
    else:
        for key in sorted(kept):
            catalog.obsolete[key] = kept[key]
    return catalog


def _key(msgid: Any) -> str:
    """How a catalog knows a message: its id, the singular's for a plural message."""
    return str(msgid[0] if isinstance(msgid, (tuple, list)) else msgid)


def _translated(string: Any) -> bool:
    if isinstance(string, (tuple, list)):
        return all(string)
    return bool(string)


def write(language: str, catalog: Any) -> bool:
    """Write ``catalog`` in place of ``language``'s when it differs; True when written."""
    from babel.messages.pofile import write_po

    from tdekit import fsio

    out = io.BytesIO()
    write_po(out, catalog, width=_WIDTH, no_location=True, omit_header=False, sort_output=True)
    path = catalog_path(language)
    if path.is_file() and path.read_bytes() == out.getvalue():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fsio.write_file(path, out.getvalue(), overwrite=True)
    return True


def gaps(language: str, template: Any) -> list[str]:
    """What ``language``'s catalog lacks: each message missing from it or left untranslated."""
    catalog = read(language)
    found = []
    for message in template:
        if not message.id:
            continue
        have = catalog.get(message.id)
        if have is None:
            found.append(f"missing: {_shown(message.id)}")
        elif not _translated(have.string) or have.fuzzy:
            found.append(f"untranslated: {_shown(message.id)}")
    return found


def _shown(msgid: Any) -> str:
    return repr(msgid[0] if isinstance(msgid, (tuple, list)) else msgid)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tdekit.catalogs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when a catalog has gaps")
    parser.add_argument("--add", metavar="TAG", help="start the catalog of a new language (e.g. vi)")
    args = parser.parse_args(argv)
    template = extract()
    languages = i18n.languages()
    if args.add:
        languages = tuple(sorted({*languages, args.add}))
    if args.check:
        problems = [f"{lang}: {gap}" for lang in languages for gap in gaps(lang, template)]
        for line in problems:
            print(line, file=sys.stderr)
        return 1 if problems else 0
    for lang in languages:
        catalog = updated(lang, template)
        changed = write(lang, catalog)
        untranslated = sum(1 for m in catalog if m.id and not _translated(m.string))
        state = "updated" if changed else "unchanged"
        print(f"{catalog_path(lang).relative_to(i18n.LOCALE_DIR.parent)}: {state}, {len(catalog)} messages, {untranslated} untranslated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
