"""Plain words for the values of the file format, as a rendered plan shows them to readers.

The enumerations of the brief (``community_group``, ``partly_accepted``...) are for files and
scripts; people outside the team read these labels instead.
"""

from __future__ import annotations

from typing import Any

#: Who an anonymous interviewee was, by stakeholder type, in words that name no one.
ANONYMOUS_PEOPLE = {
    "resident": "A resident",
    "community_group": "A community group",
    "nonprofit": "A nonprofit",
    "researcher": "A researcher",
    "journalist": "A journalist",
    "civic_technologist": "A civic technologist",
    "business": "A business",
    "government": "A government staff member",
    "other": "A participant",
}
#: The same, for a group: "conversations with residents and researchers".
STAKEHOLDER_GROUPS = {
    "resident": "residents",
    "community_group": "community groups",
    "nonprofit": "nonprofits",
    "researcher": "researchers",
    "journalist": "journalists",
    "civic_technologist": "civic technologists",
    "business": "businesses",
    "government": "government staff",
    "other": "other stakeholders",
}
INTERVIEW_TACTICS = {
    "interview": "Interview",
    "scope_a_thon": "Scope-a-thon",
    "expert_consultation": "Expert consultation",
    "public_consultation": "Public consultation",
    "partner_workshop": "Partner workshop",
}
USECASE_STATUSES = {
    "candidate": "Candidate",
    "shortlisted": "Shortlisted",
    "selected": "Selected",
    "parked": "Parked",
}
DATASET_STATUSES = {"published": "Published", "unpublished": "Not yet published", "missing": "Does not exist yet"}
PLAN_STATUSES = {
    "draft": "Draft",
    "circulated": "Draft circulated for comment",
    "revised": "Revised after comment",
    "final": "Final",
}
INTERVENTION_KINDS = {
    "product": "A product",
    "project": "A project",
    "tool": "A tool",
    "data_release": "A data release",
    "event": "An event",
    "training": "Training",
    "other": "Other",
}
#: The 2019 "Roadmap to Informed Communities" grades interventions from lowering barriers to
#: formalising partnerships; each level with a line on what it means.
INTERVENTION_LEVELS = {
    "lower_barriers": ("Lowering barriers to access", "making data easier to find, read and use"),
    "diversify_tools": ("Diversifying tools", "offering more ways to use the data"),
    "build_responsiveness": ("Building channels for responsiveness", "letting people ask, correct and be answered"),
    "share_success": ("Sharing success", "telling how the data has been used, so others can build on it"),
    "catalyze_ecosystem": ("Catalysing an ecosystem", "helping partners grow their own work on the data"),
    "formalize_partnerships": ("Formalising partnerships", "agreements that keep the work going"),
}
ENGAGEMENT_TACTICS = {
    "open_comment": "Open online comment",
    "expert_focus_group": "Expert focus group",
    "public_workshop": "Public planning workshop",
    "other": "Other",
}
FORMALITY = {
    "light": ("Light", "the community already shares the goals; a short exchange is enough"),
    "standard": ("Standard", "partners share goals, but some steps need written agreement"),
    "formal": ("Formal", "more consensus work is needed before going ahead"),
}
DATA_SKILLS = {"low": "Low", "medium": "Medium", "high": "High"}
CHANNELS = {
    "online_comment": "Online comment",
    "email": "Email",
    "survey": "Survey",
    "focus_group": "Focus group",
    "workshop": "Workshop",
    "meeting": "Meeting",
    "co_design": "Co-design session",
    "one_on_one": "One-on-one conversation",
    "user_test": "User test",
    "advisory_group": "Advisory group",
    "other": "Other",
}
#: Who an anonymous piece of feedback came from, in words that name no one.
ANONYMOUS_SOURCES = {
    "online_comment": "An online commenter",
    "email": "A person who wrote to us",
    "survey": "A survey respondent",
    "focus_group": "A focus group participant",
    "workshop": "A workshop participant",
    "meeting": "A meeting participant",
    "co_design": "A co-design participant",
    "one_on_one": "A person we spoke with",
    "user_test": "A user-test participant",
    "advisory_group": "An advisory group member",
    "other": "A participant",
}
DISPOSITIONS = {
    "open": "Open",
    "accepted": "Accepted",
    "partly_accepted": "Partly accepted",
    "declined": "Declined",
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
    "overview": "Overview",
    "usecase": "The use case and why we chose it",
    "scoring": "How it scored",
    "heard": "Who we heard from",
    "data": "The data it needs",
    "users": "Who it is for",
    "personas": "The people we designed for",
    "stories": "User stories",
    "intervention": "What we will do",
    "activities": "Activities",
    "roles": "Roles",
    "timeline": "Timeline",
    "outcomes": "Desired outcomes",
    "resources": "Resources",
    "steward": "Who sustains it",
    "feedback": "How we asked for feedback, and what we did with it",
    "engagement": "How we asked",
    "next-steps": "Next steps",
}


def label(table: dict[str, str], value: Any) -> str:
    """The label of ``value`` in ``table``, or the value itself in words."""
    return table.get(str(value), str(value).replace("_", " "))


_ARTICLES = ("a ", "an ", "the ", "my ", "our ", "one ")


def with_article(noun: str) -> str:
    """``tenant organizer`` -> ``a tenant organizer``; a phrase that has its article keeps it."""
    text = noun.strip()
    lower = text.lower()
    if lower.startswith(_ARTICLES) or not text:
        return text
    vowel = lower[0] in "aeio" or (lower[0] == "u" and not lower.startswith(("uni", "use", "usu", "ure", "uti")))
    return ("an " if vowel or lower.startswith(("hour", "honest", "heir")) else "a ") + text
