"""The fixed words of outputs, through gettext, so that they come in the reader's language.

Templates write every fixed word as ``{{ _("What we heard") }}`` (Jinja's i18n extension,
new style: ``{{ _("Comment on §%(n)s", n=number) }}``, ``{{ ngettext("%(num)d person",
"%(num)d people", count) }}``); Python code that makes words for an output calls
:func:`gettext` / :func:`ngettext` from here when the words are made, and marks words it keeps
in tables with :func:`N_` so that extraction finds them.

The words come from the message catalog of the language in use: ``locale/<lang>/LC_MESSAGES/
tdekit.po`` beside this module, read with Babel when first needed (no compiled ``.mo``: a
fresh clone renders in every language it ships). English is the language the messages are
written in; its catalog is there so that the catalogs can be checked alike. :func:`use` sets
the language for what runs inside it (``tde render --lang``, ``language`` in ``tde.yaml``, a
translated plan's ``language``). Adding a language is one ``.po`` file (docs/translating.md).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

#: The catalogs: ``locale/<lang>/LC_MESSAGES/tdekit.po``.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "tdekit"
#: The language messages are written in, and the default.
SOURCE = "en"
#: A BCP 47 language tag as tdekit takes it: a language, then optional script and region
#: (``es``, ``es-MX``, ``zh-Hant``, ``pt-BR``, ``es-419``).
_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")  # = records.models.Language

#: The language in use and the catalog that serves it (``es-MX`` -> ``es``), looked up once by
#: :func:`use` rather than at every word.
_active: contextvars.ContextVar[tuple[str, str]] = contextvars.ContextVar(
    "tdekit_language", default=(SOURCE, SOURCE)
)


def N_(message: str) -> str:
    """``message`` unchanged: marks words kept in a table, translated where they are shown."""
    return message


def languages() -> tuple[str, ...]:
    """The languages tdekit has a catalog for, in order."""
    if not LOCALE_DIR.is_dir():
        return (SOURCE,)
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return tuple(sorted(found | {SOURCE}))


def catalog_language(tag: str) -> str | None:
    """The catalog that serves ``tag`` (``es-MX`` -> ``es``), or None when there is none."""
    if not _TAG.fullmatch(tag):
        return None
    have = languages()
    for candidate in (tag, tag.replace("-", "_"), tag.split("-")[0]):
        if candidate in have:
            return candidate
    return None


def problem(tag: object) -> str | None:
    """Why ``tag`` cannot be an output's language, or None when it can."""
    if not isinstance(tag, str) or not _TAG.fullmatch(tag):
        return (
            f"{tag!r} is not a language tag tdekit reads: write a BCP 47 tag such as 'en', "
            "'es' or 'es-MX'"
        )
    if catalog_language(tag) is None:
        return f"tdekit has no catalog for language '{tag}'; it has {', '.join(languages())} (docs/translating.md)"
    return None


def current() -> str:
    """The language in use (a BCP 47 tag)."""
    return _active.get()[0]


@contextlib.contextmanager
def use(tag: str) -> Iterator[str]:
    """Run the block with ``tag``'s words; ValueError when tdekit has no catalog for it."""
    why = problem(tag)
    if why is not None:
        raise ValueError(why)
    token = _active.set((tag, catalog_language(tag) or SOURCE))
    try:
        yield tag
    finally:
        _active.reset(token)


@functools.cache
def translations(language: str) -> Any:
    """The compiled catalog of ``language`` (a catalog's folder name), from its ``.po``."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return Translations()  # the source language without a catalog: the words as written
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language.replace("-", "_"), domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # untranslated and fuzzy messages stay in the source language
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def _current_translations() -> Any:
    return translations(_active.get()[1])


def gettext(message: str) -> str:
    """``message`` in the output's language."""
    if current() == SOURCE:
        return message
    return str(_current_translations().gettext(message))


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the output's language."""
    if current() == SOURCE:
        return singular if n == 1 else plural
    return str(_current_translations().ngettext(singular, plural, n))


def locale() -> Any:
    """Babel's Locale of the language in use."""
    from babel import Locale

    return Locale.parse(current(), sep="-")


def number(value: float) -> str:
    """``1,234,567`` or ``12.5``: a measured number in the output's language, never in
    scientific notation."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=locale()))


def language_name(tag: str) -> str:
    """``Español``: a language's name in that language, as a link to its version reads."""
    from babel import Locale

    name = str(Locale.parse(tag, sep="-").get_display_name(tag.replace("-", "_")) or tag)
    return name[:1].upper() + name[1:]


def month(day: dt.date) -> str:
    """``Mar`` / ``mar``: ``day``'s month written out, short, in the output's language."""
    from babel.dates import format_date

    return str(format_date(day, "LLL", locale=locale()))


def join_words(items: Sequence[object]) -> str:
    """``a, b and c`` in the output's language."""
    from tdekit.text import join_words as join

    return join(items, gettext("and"))


def install(env: jinja2.Environment) -> None:
    """Give ``env``'s templates ``_``, ``gettext`` and ``ngettext`` (new style: escaping and
    ``%(name)s`` placeholders handled by Jinja)."""
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
