"""Where a reader sends a comment on one section of a plan: a form, or an e-mail.

The addresses were checked at the border (:mod:`tdekit.records.models`): the form is an https
address with no space, quote or angle bracket, the e-mail one address with no sign a
``mailto:`` URL reads. Every part put into them here is URL-encoded (the section number in the
form's ``{section}``, the subject of the e-mail), so no text of a record can end the address
or add a field to it. The finished page still passes the gate like any other.
"""

from __future__ import annotations

from urllib.parse import quote

from tdekit.i18n import gettext as _
from tdekit.publish.views import CommentPeriod

#: Where a form address takes the section number.
SECTION_FIELD = "{section}"


def comment_href(comment: CommentPeriod | None, section: str, title: str) -> str:
    """The address of the "Comment on §N" link of ``section`` (a number, "5.3"; empty for the
    plan as a whole): the form with the number filled in when the plan has one, else an e-mail
    whose subject names the plan and the section; empty when the plan gives neither."""
    if comment is None:
        return ""
    return form_href(comment, section) or mail_href(comment, section, title)


def form_href(comment: CommentPeriod, section: str) -> str:
    """The form's address with ``{section}`` filled in (URL-encoded); empty without a form."""
    return comment.form_url.replace(SECTION_FIELD, quote(section, safe="")) if comment.form_url else ""


def mail_href(comment: CommentPeriod, section: str, title: str) -> str:
    """A ``mailto:`` address whose subject names the plan and the section (URL-encoded)."""
    if not comment.email:
        return ""
    subject = (_("Comment on §%(n)s of %(title)s") % {"n": section, "title": title} if section
               else _("Comment on %(title)s") % {"title": title})
    return f"mailto:{quote(comment.email, safe='@')}?subject={quote(subject, safe='')}"
