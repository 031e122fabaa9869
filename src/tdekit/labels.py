"""Plain words for the values of the file format, as a rendered plan shows them to readers.

The enumerations of the brief (``community_group``, ``partly_accepted``...) are for files and
scripts; people outside the team read these labels instead, in the output's language: the
tables hold the English words (marked ``N_`` for extraction) and :func:`label` translates.
"""

from __future__ import annotations

from typing import Any

from tdekit.i18n import N_, gettext

#: Who an anonymous interviewee was, by stakeholder type, in words that name no one.
ANONYMOUS_PEOPLE = {
    "resident": N_("A resident"),
    "community_group": N_("A community group"),
    "nonprofit": N_("A nonprofit"),
    "researcher": N_("A researcher"),
    "journalist": N_("A journalist"),
    "civic_technologist": N_("A civic technologist"),
    "business": N_("A business"),
    "government": N_("A government staff member"),
    "other": N_("A participant"),
}
#: The same, for a group: "conversations with residents and researchers".
STAKEHOLDER_GROUPS = {
    "resident": N_("residents"),
    "community_group": N_("community groups"),
    "nonprofit": N_("nonprofits"),
    "researcher": N_("researchers"),
    "journalist": N_("journalists"),
    "civic_technologist": N_("civic technologists"),
    "business": N_("businesses"),
    "government": N_("government staff"),
    "other": N_("other stakeholders"),
}
INTERVIEW_TACTICS = {
    "interview": N_("Interview"),
    "scope_a_thon": N_("Scope-a-thon"),
    "expert_consultation": N_("Expert consultation"),
    "public_consultation": N_("Public consultation"),
    "partner_workshop": N_("Partner workshop"),
}
USECASE_STATUSES = {
    "candidate": N_("Candidate"),
    "shortlisted": N_("Shortlisted"),
    "selected": N_("Selected"),
    "parked": N_("Parked"),
}
DATASET_STATUSES = {"published": N_("Published"), "unpublished": N_("Not yet published"), "missing": N_("Does not exist yet")}
PLAN_STATUSES = {
    "draft": N_("Draft"),
    "circulated": N_("Draft circulated for comment"),
    "revised": N_("Revised after comment"),
    "final": N_("Final"),
}
INTERVENTION_KINDS = {
    "product": N_("A product"),
    "project": N_("A project"),
    "tool": N_("A tool"),
    "data_release": N_("A data release"),
    "event": N_("An event"),
    "training": N_("Training"),
    "other": N_("Other"),
}
#: The 2019 "Roadmap to Informed Communities" grades interventions from lowering barriers to
#: formalising partnerships; each level with a line on what it means.
INTERVENTION_LEVELS = {
    "lower_barriers": (N_("Lowering barriers to access"), N_("making data easier to find, read and use")),
    "diversify_tools": (N_("Diversifying tools"), N_("offering more ways to use the data")),
    "build_responsiveness": (N_("Building channels for responsiveness"), N_("letting people ask, correct and be answered")),
    "share_success": (N_("Sharing success"), N_("telling how the data has been used, so others can build on it")),
    "catalyze_ecosystem": (N_("Catalysing an ecosystem"), N_("helping partners grow their own work on the data")),
    "formalize_partnerships": (N_("Formalising partnerships"), N_("agreements that keep the work going")),
}
ENGAGEMENT_TACTICS = {
    "open_comment": N_("Open online comment"),
    "expert_focus_group": N_("Expert focus group"),
    "public_workshop": N_("Public planning workshop"),
    "other": N_("Other"),
}
FORMALITY = {
    "light": (N_("Light"), N_("the community already shares the goals; a short exchange is enough")),
    "standard": (N_("Standard"), N_("partners share goals, but some steps need written agreement")),
    "formal": (N_("Formal"), N_("more consensus work is needed before going ahead")),
}
DATA_SKILLS = {"low": N_("Low"), "medium": N_("Medium"), "high": N_("High")}
CHANNELS = {
    "online_comment": N_("Online comment"),
    "email": N_("Email"),
    "survey": N_("Survey"),
    "focus_group": N_("Focus group"),
    "workshop": N_("Workshop"),
    "meeting": N_("Meeting"),
    "co_design": N_("Co-design session"),
    "one_on_one": N_("One-on-one conversation"),
    "user_test": N_("User test"),
    "advisory_group": N_("Advisory group"),
    "other": N_("Other"),
}
#: Who an anonymous piece of feedback came from, in words that name no one.
ANONYMOUS_SOURCES = {
    "online_comment": N_("An online commenter"),
    "email": N_("A person who wrote to us"),
    "survey": N_("A survey respondent"),
    "focus_group": N_("A focus group participant"),
    "workshop": N_("A workshop participant"),
    "meeting": N_("A meeting participant"),
    "co_design": N_("A co-design participant"),
    "one_on_one": N_("A person we spoke with"),
    "user_test": N_("A user-test participant"),
    "advisory_group": N_("An advisory group member"),
    "other": N_("A participant"),
}
DISPOSITIONS = {
    "open": N_("Open"),
    "accepted": N_("Accepted"),
    "partly_accepted": N_("Partly accepted"),
    "declined": N_("Declined"),
}
#: What a feedback ``section`` may call a part of the plan -> that part's anchor key.
SECTION_NAMES = {
    "overview": "overview", "summary": "overview", "plan": "overview",
    "use case": "usecase", "usecase": "usecase",
    "scores": "scoring", "scoring": "scoring", "score": "scoring",
    "evidence": "heard", "who we heard from": "heard",
    "data": "data", "datasets": "data", "the data it needs": "data",
    "audience": "users", "users": "users", "intended users": "users", "who it is for": "users",
    "personas": "personas", "user stories": "stories",
    "intervention": "intervention", "formality": "intervention", "what we will do": "intervention",
    "activities": "activities",
    "roles": "roles",
    "milestones": "timeline", "timeline": "timeline",
    "outcomes": "outcomes", "desired outcomes": "outcomes",
    "resources": "resources", "budget": "resources",
    "steward": "steward", "stewardship": "steward", "sustainability": "steward",
    "who sustains it": "steward",
    "feedback": "feedback", "engagement": "engagement", "how we asked": "engagement",
    "next steps": "next-steps",
}
#: The title each part of the plan has in the shipped templates, by anchor key: a feedback
#: item about "Audience" is shown as about "§3 Who it is for", the section it points at.
SECTION_TITLES = {
    "overview": N_("Overview"),
    "usecase": N_("The use case and why we chose it"),
    "scoring": N_("How it scored"),
    "heard": N_("Who we heard from"),
    "data": N_("The data it needs"),
    "users": N_("Who it is for"),
    "personas": N_("The people we designed for"),
    "stories": N_("User stories"),
    "intervention": N_("What we will do"),
    "activities": N_("Activities"),
    "roles": N_("Roles"),
    "timeline": N_("Timeline"),
    "outcomes": N_("Desired outcomes"),
    "resources": N_("Resources"),
    "steward": N_("Who sustains it"),
    "feedback": N_("How we asked for feedback, and what we did with it"),
    "engagement": N_("How we asked"),
    "next-steps": N_("Next steps"),
}


def label(table: dict[str, str], value: Any) -> str:
    """The label of ``value`` in ``table`` in the output's language, or the value itself in words."""
    found = table.get(str(value))
    return gettext(found) if found is not None else str(value).replace("_", " ")


def pair(table: dict[str, tuple[str, str]], value: str | None) -> tuple[str | None, str | None]:
    """A level's or formality's name and what it means, in the output's language."""
    if value is None or value not in table:
        return None, None
    name, meaning = table[value]
    return gettext(name), gettext(meaning)


_ARTICLES = ("a ", "an ", "the ", "my ", "our ", "one ")


def with_article(noun: str) -> str:
    """``tenant organizer`` -> ``a tenant organizer``; a phrase that has its article keeps it."""
    text = noun.strip()
    lower = text.lower()
    if lower.startswith(_ARTICLES) or not text:
        return text
    vowel = lower[0] in "aeio" or (lower[0] == "u" and not lower.startswith(("uni", "use", "usu", "ure", "uti")))
    return ("an " if vowel or lower.startswith(("hour", "honest", "heir")) else "a ") + text
