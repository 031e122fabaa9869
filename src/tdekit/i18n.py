"""The fixed words of outputs, through gettext, so that they can come in the reader's language.

Templates write every fixed word as ``{{ _("What we heard") }}`` (Jinja's i18n extension,
new style: ``{{ _("Comment on §%(n)s", n=number) }}``, ``{{ ngettext("%(num)d person",
"%(num)d people", count) }}``); Python code that makes words for an output calls
:func:`gettext` / :func:`ngettext` from here when the words are made. Until message catalogs
are installed, the words are English as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2


def gettext(message: str) -> str:
    """``message`` in the output's language."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the output's language."""
    return singular if n == 1 else plural


def install(env: jinja2.Environment) -> None:
    """Give ``env``'s templates ``_``, ``gettext`` and ``ngettext`` (new style: escaping and
    ``%(name)s`` placeholders handled by Jinja)."""
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
