"""``tde new``: a record from its template, a slug id, hostile titles, --set, refusals."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from tdekit.records.frontmatter import read_document
from tdekit.records.project import load_project

KINDS = {
    "interview": "interviews",
    "persona": "personas",
    "usecase": "usecases",
    "plan": "plans",
    "feedback": "feedback",
}
DATED = {"interview", "feedback"}
#: The required fields each template leaves for a person to fill in.
LEFT_EMPTY = {
    "interview": {"interviewee", "stakeholder_type"},
    "persona": {"role"},
    "usecase": set(),
    "plan": {"usecase"},
    "feedback": {"plan", "source"},
}
TODAY = dt.date.today()


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its bytes (None for folders)."""
    return {
        p.relative_to(folder).as_posix(): (None if p.is_dir() else p.read_bytes())
        for p in sorted(folder.rglob("*"))
    }


def front(path: Path) -> dict[str, object]:
    doc = read_document(path.read_bytes(), path.name)
    assert doc.data is not None, doc.problems
    return doc.data


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_writes_every_kind_from_its_template(
    tde: Callable[..., Run], empty_project: Path, kind: str
) -> None:
    """Each kind gets its file in its folder, the slug id, the title, and today's date."""
    result = tde("new", kind, "Marisol, tenant organizer", cwd=empty_project)
    assert result.exit_code == 0, result
    rel = f"{KINDS[kind]}/marisol-tenant-organizer.md"
    assert result.stdout == rel + "\n"
    data = front(empty_project / rel)
    assert data["id"] == "marisol-tenant-organizer"
    assert data["title"] == "Marisol, tenant organizer"
    assert data["created"] == TODAY
    if kind in DATED:
        assert data["date"] == TODAY
    (record,) = load_project(empty_project).of_kind(kind)
    assert record.id == "marisol-tenant-organizer"
    # The template leaves what only a person can fill in empty; nothing else is wrong with it,
    # but for the template's own text, left to be replaced.
    problems = record.doc.problems
    assert {p.message.split()[0] for p in problems if p.code != "template-text"} == LEFT_EMPTY[kind]
    assert {p.severity for p in problems if p.code == "template-text"} == {"warning"}


@pytest.mark.parametrize("kind", ["interviews", "Use-Case", "PLANS", "use_case"])
def test_kinds_are_understood_by_folder_name_and_spelling(
    tde: Callable[..., Run], empty_project: Path, kind: str
) -> None:
    """A kind may be given by its folder name, in any case, with - or _."""
    result = tde("new", kind, "Something", cwd=empty_project)
    assert result.exit_code == 0, result


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Marisol, tenant organizer", "marisol-tenant-organizer"),
        ("Café Olé – naïve façade", "cafe-ole-naive-facade"),
        ("Straße in Łódź, Ærø", "strasse-in-lodz-aero"),
        ("Maria's data needs", "marias-data-needs"),
        ("Ñandú ÅÄÖ", "nandu-aao"),
        ("  Eviction   filings (2026) ", "eviction-filings-2026"),
        ("🏠 Housing 🏠", "housing"),
        ("null", "null"),
        ("2026-03-14", "2026-03-14"),
    ],
)
def test_ids_are_slugs_of_the_title(
    tde: Callable[..., Run], empty_project: Path, title: str, slug: str
) -> None:
    """Titles become lower-case ASCII slugs; ids that look like YAML values still read as text."""
    result = tde("new", "persona", title, cwd=empty_project)
    assert result.exit_code == 0, result
    assert result.stdout == f"personas/{slug}.md\n"
    data = front(empty_project / "personas" / f"{slug}.md")
    assert data["id"] == slug
    assert data["title"] == title.strip()


def test_a_very_long_title_gets_a_short_id_cut_at_a_word(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """The id of a long title is at most 80 characters and ends on a whole word."""
    title = "Eviction filings by neighbourhood " * 8
    result = tde("new", "usecase", title, cwd=empty_project)
    assert result.exit_code == 0, result
    slug = Path(result.stdout.strip()).stem
    assert slug == "eviction-filings-by-neighbourhood-eviction-filings-by-neighbourhood-eviction"
    assert len(slug) <= 80
    assert front(empty_project / "usecases" / f"{slug}.md")["title"] == title.strip()


HOSTILE = [
    'He said "hi"',
    "it's 'quoted'",
    "Mold in unit #4B",
    "#hashtag first",
    "Bus data: a wish list",
    "trailing colon:",
    "{{ 7*7 }} and {% if x %}",
    "<b>bold</b> <script>alert(1)</script>",
    "[bold]rich markup[/bold]",
    "  padded on both sides  ",
    "🏠 Housing 🏠 ",
    "yes",
    "No",
    "~",
    "123",
    "0x1F",
    "2026-02-30",
    "*alias",
    "&anchor",
    "!tag value",
    "%directive",
    "@handle",
    "`backtick",
    "? question",
    "| pipe",
    "> folded",
    "a, b, [c], {d}",
    "back\\slash",
    "--- not a fence",
    "tab\tinside",
    "x\u200by zero-width inside",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_titles_load_back_unchanged(
    tde: Callable[..., Run], empty_project: Path, title: str
) -> None:
    """Any title is written so that the reader gives it back exactly (trimmed of outer spaces)."""
    result = tde("new", "usecase", "--id", "hostile", "--", title, cwd=empty_project)
    if "\t" in title:
        assert result.exit_code == 2
        assert result.stderr == "error: the title contains a line break or control character\n"
        return
    assert result.exit_code == 0, result
    path = empty_project / "usecases" / "hostile.md"
    doc = read_document(path.read_bytes(), "hostile.md")
    assert doc.problems == []
    assert doc.data is not None and doc.data["title"] == title.strip()
    listed = tde("list", "usecase", "--format", "json", cwd=empty_project)
    assert [r["title"] for r in json.loads(listed.stdout)] == [title.strip()]


def test_jinja_in_a_title_is_not_evaluated(tde: Callable[..., Run], empty_project: Path) -> None:
    """'{{ 7*7 }}' in a title stays those characters, never 49."""
    result = tde("new", "interview", "{{ 7*7 }} ways", cwd=empty_project)
    assert result.exit_code == 0, result
    text = (empty_project / "interviews" / "7-7-ways.md").read_text()
    assert 'title: "{{ 7*7 }} ways"' in text
    assert "49" not in text


def test_a_title_starting_with_a_dash_needs_the_double_dash(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """'-' at the start of a title reads as an option unless '--' comes first."""
    assert tde("new", "persona", "- dash", cwd=empty_project).exit_code == 2
    result = tde("new", "persona", "--", "- dash", cwd=empty_project)
    assert result.exit_code == 0, result
    assert front(empty_project / "personas" / "dash.md")["title"] == "- dash"


def test_an_explicit_id_is_used(tde: Callable[..., Run], empty_project: Path) -> None:
    """--id overrides the slug of the title."""
    result = tde("new", "interview", "Maria Ortega, tenants union", "--id", "maria", cwd=empty_project)
    assert result.exit_code == 0, result
    assert result.stdout == "interviews/maria.md\n"
    assert front(empty_project / "interviews" / "maria.md")["id"] == "maria"


def test_a_title_with_no_letters_needs_an_id(tde: Callable[..., Run], empty_project: Path) -> None:
    """A title that makes no slug (all emoji, another script) asks for --id; with one it works."""
    result = tde("new", "persona", "東京 🏠", cwd=empty_project)
    assert result.exit_code == 2
    assert result.stderr == "error: cannot make an id from the title '東京 🏠'; give one with --id\n"
    result = tde("new", "persona", "東京 🏠", "--id", "tokyo", cwd=empty_project)
    assert result.exit_code == 0, result
    assert front(empty_project / "personas" / "tokyo.md")["title"] == "東京 🏠"


# --- refusals: each exits with the brief's code, says why on one line, and writes nothing ---


def refused(tde: Callable[..., Run], root: Path, *args: str) -> Run:
    before = snapshot(root)
    result = tde(*args, cwd=root)
    assert result.stdout == ""
    assert result.stderr.startswith(("error: ", "Usage: ")), result
    assert snapshot(root) == before
    return result


def test_an_existing_id_is_refused_in_any_folder(tde: Callable[..., Run], empty_project: Path) -> None:
    """Ids are unique across the project: the same id in another kind's folder is refused too."""
    assert tde("new", "interview", "Maria", cwd=empty_project).exit_code == 0
    original = (empty_project / "interviews" / "maria.md").read_bytes()
    for kind in ("interview", "persona"):
        result = refused(tde, empty_project, "new", kind, "Maria")
        assert result.exit_code == 1
        assert result.stderr == (
            "error: interviews/maria.md already exists; ids are unique across the project "
            "(choose another with --id)\n"
        )
    assert (empty_project / "interviews" / "maria.md").read_bytes() == original


def test_an_id_differing_only_by_case_is_refused(tde: Callable[..., Run], empty_project: Path) -> None:
    """A hand-made 'Maria.md' blocks 'maria': the two would collide on case-insensitive disks."""
    (empty_project / "personas" / "Maria.md").write_text("---\nid: Maria\ntitle: Maria\n---\n")
    result = refused(tde, empty_project, "new", "interview", "maria")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: 'maria' differs only by case from personas/Maria.md; choose another id with --id\n"
    )


@pytest.mark.parametrize(
    "bad_id",
    ["../x", "/abs/x", "UPPER", "Upper-Case", "x\u200b", "\u200bx", "-leading", "has space", "x.md",
     "a/b", "ünï", "x" * 81],
)
def test_ids_that_are_not_slugs_are_refused(
    tde: Callable[..., Run], empty_project: Path, bad_id: str
) -> None:
    """--id must be a slug: no paths, capitals, invisible characters, dots or spaces."""
    result = refused(tde, empty_project, "new", "interview", "Maria", "--id", bad_id)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {bad_id!r} is not a valid id: use lower-case letters, digits and hyphens, "
        "starting with a letter or digit, at most 80 characters\n"
    )
    assert not (empty_project.parent / "x").exists()
    assert not Path("/abs/x").exists()


@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_id_is_called_empty(tde: Callable[..., Run], empty_project: Path, empty: str) -> None:
    """--id "" says the id is empty, not that no id could be made from the title."""
    result = refused(tde, empty_project, "new", "persona", "x", "--id", empty)
    assert result.exit_code == 2
    assert result.stderr == (
        "error: the id given with --id is empty; give one, or leave --id out to make it from the "
        "title\n"
    )


def test_the_id_limit_is_the_same_for_new_validate_and_schema(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """An id one character too long for tde new is too long for validate and the JSON Schema too."""
    longest, too_long = "x" * 80, "x" * 81
    assert tde("new", "persona", "P", "--id", longest, "--set", "role=R", cwd=empty_project).exit_code == 0
    assert tde("new", "persona", "P", "--id", too_long, cwd=empty_project).exit_code == 2
    (empty_project / "personas" / f"{too_long}.md").write_text(
        f"---\nid: {too_long}\ntitle: P\nrole: R\n---\n"
    )
    result = tde("validate", "--format", "json", cwd=empty_project)
    assert [(p["path"], p["code"]) for p in json.loads(result.stdout) if p["severity"] == "error"] == [
        (f"personas/{too_long}.md", "invalid-value")
    ]
    schema = json.loads(tde("schema", "persona").stdout)
    assert schema["properties"]["id"]["maxLength"] == 80


def test_the_invisible_character_is_shown_in_the_refusal(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """A zero-width space in --id is shown as an escape, so the user can see what is wrong."""
    result = refused(tde, empty_project, "new", "interview", "Maria", "--id", "mar\u200bia")
    assert "'mar\\u200bia'" in result.stderr


@pytest.mark.parametrize("title", ["", "   ", "two\nlines", "nul\x00", "ne\x85l", "a\u2028b"])
def test_empty_and_multi_line_titles_are_refused(
    tde: Callable[..., Run], empty_project: Path, title: str
) -> None:
    """A title must be one line of text."""
    result = refused(tde, empty_project, "new", "interview", title)
    assert result.exit_code == 2
    expected = "the title is empty" if not title.strip() else "the title contains a line break or control character"
    assert result.stderr == f"error: {expected}\n"


def test_an_unknown_kind_is_a_usage_error(tde: Callable[..., Run], empty_project: Path) -> None:
    """An unknown kind exits 2 and names the kinds there are."""
    result = refused(tde, empty_project, "new", "meeting", "Town hall")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: unknown kind 'meeting'; choose one of: signal, interview, persona, usecase, plan, feedback, update\n"
    )


@pytest.mark.parametrize(
    ("kind", "assignment", "message"),
    [
        ("interview", "stakeholdr_type=resident",
         "--set: unknown field 'stakeholdr_type'; did you mean 'stakeholder_type'?"),
        ("interview", "stakeholder_type=residnt",
         "--set: 'residnt' is not a valid stakeholder_type (did you mean 'resident'?); choose one of: "
         "resident, community_group, nonprofit, researcher, journalist, civic_technologist, business, "
         "government, other"),
        ("usecase", "status=chosen",
         "--set: 'chosen' is not a valid status; choose one of: candidate, shortlisted, selected, parked"),
        ("interview", "date=2026-02-30", "--set date: 2026-02-30 is not a real date"),
        ("interview", "date=next week", "--set: date must be a date written YYYY-MM-DD"),
        ("interview", "usecases=[a, b", "--set usecases: [a, b is not a valid YAML list or mapping "
         "(did not find expected ',' or ']' (while parsing a flow sequence))"),
        ("interview", "needs=one need",
         "--set needs: needs must be a list; on the command line write it in brackets, "
         "e.g. --set 'needs=[one need]'"),
        ("usecase", "scores={capacity: 3.5}", "--set: scores.capacity must be a whole number"),
        ("usecase", "scores.capacity=3",
         "--set scores.capacity: scores is written on one line in the template; set it whole, "
         "e.g. --set 'scores={capacity: ...}'"),
        ("plan", "intervention.colour=red",
         "--set intervention.colour: the template has no field 'colour' in intervention; "
         "known fields there: kind, summary, level"),
        ("plan", "intervention.sumary=Publish",
         "--set intervention.sumary: the template has no field 'sumary' in intervention; "
         "did you mean 'summary'?"),
        ("plan", "nothing.here=x", "--set nothing.here: the template has no field nothing"),
        ("plan", "intervention=tool", "--set intervention: the template holds a block there; edit the file instead"),
        ("interview", "title=Other", "--set cannot change title; use the TITLE argument and --id"),
        ("interview", "id=other", "--set cannot change id; use the TITLE argument and --id"),
        ("interview", "no-equals-sign", "--set takes FIELD=VALUE, not 'no-equals-sign'"),
        ("interview", "Bad Name=x", "--set: 'Bad Name' is not a field name"),
        ("interview", "interviewee=two\nlines",
         "--set interviewee: the value contains a line break or control character"),
    ],
)
def test_bad_set_values_are_refused_with_a_reason(
    tde: Callable[..., Run], empty_project: Path, kind: str, assignment: str, message: str
) -> None:
    """Each wrong --set says what is wrong with it (with a did-you-mean) and nothing is written."""
    result = refused(tde, empty_project, "new", kind, "Set me", "--set", assignment)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {message}")
    assert result.stderr.count("\n") == 1


def test_several_bad_set_values_are_reported_together(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """All the problems that --set values cause are named in one line."""
    result = refused(
        tde, empty_project, "new", "feedback", "Comment",
        "--set", "channel=carrier_pigeon", "--set", "disposition=maybe",
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "'carrier_pigeon' is not a valid channel" in result.stderr
    assert "'maybe' is not a valid disposition" in result.stderr


# --- --set: values land on their line, the template's comment kept ---


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(
    ("kind", "assignment", "line", "value"),
    [
        ("interview", "interviewee=Maria Ortega",
         'interviewee: Maria Ortega      # name, or a pseudonym such as "Tenant, Eastside"', "Maria Ortega"),
        ("interview", 'interviewee="Maria # 2"',
         'interviewee: "Maria # 2"       # name, or a pseudonym such as "Tenant, Eastside"', "Maria # 2"),
        ("interview", "interviewee='it''s me'",
         "interviewee: 'it''s me'        # name, or a pseudonym such as \"Tenant, Eastside\"", "it's me"),
        ("interview", "interviewee=   Maria   ",
         'interviewee: Maria             # name, or a pseudonym such as "Tenant, Eastside"', "Maria"),
        ("interview", "organization=Tenants #1",
         'organization: "Tenants #1"     # optional', "Tenants #1"),
        ("interview", "organization=Riverton: Legal Aid",
         'organization: "Riverton: Legal Aid"  # optional', "Riverton: Legal Aid"),
        ("interview", "stakeholder_type=resident",
         "stakeholder_type: resident     # resident, community_group, nonprofit, researcher, "
         "journalist, civic_technologist, business, government, other", "resident"),
        ("interview", "date=2026-03-14",
         "date: 2026-03-14               # when the conversation took place", dt.date(2026, 3, 14)),
        ("interview", "usecases=[eviction-filings, who-owns]",
         "usecases: [eviction-filings, who-owns]  # ids of the use cases this conversation supports",
         ["eviction-filings", "who-owns"]),
        ("interview", 'needs=["filings by ward", "owner names: LLCs"]',
         'needs: ["filings by ward", "owner names: LLCs"]  # data needs heard, one per item',
         ["filings by ward", "owner names: LLCs"]),
        ("interview", "usecases=[]", None, []),
        ("interview", "tags=[a]", "tags: [a]", ["a"]),
        ("usecase", "scores={capacity: 3, impact: 5}",
         "scores: {capacity: 3, impact: 5}  # criterion: score on the scale in tde.yaml",
         {"capacity": 3, "impact": 5}),
        ("usecase", "user_stories=[{as_a: tenant, i_want: filings by ward, so_that: we organise}]",
         "user_stories: [{as_a: tenant, i_want: filings by ward, so_that: we organise}]  "
         "# - as_a: ...  i_want: ...  so_that: ...",
         [{"as_a": "tenant", "i_want": "filings by ward", "so_that": "we organise"}]),
        ("plan", "intervention.kind=data_release",
         "  kind: data_release           # product, project, tool, data_release, event, training, other",
         "data_release"),
        ("plan", "intervention.summary=Publish filings: weekly, by ward",
         '  summary: "Publish filings: weekly, by ward"  # one or two sentences',
         "Publish filings: weekly, by ward"),
        ("feedback", "response=We will add a map",
         "response: We will add a map    # what the team will do (needed once the disposition is not open)",
         "We will add a map"),
        ("persona", "data_skills=high", "data_skills: high              # low, medium, high", "high"),
    ],
)
def test_set_values_land_on_their_line_keeping_the_comment(
    tde: Callable[..., Run],
    empty_project: Path,
    kind: str,
    assignment: str,
    line: str | None,
    value: object,
) -> None:
    """A --set value replaces the template's value on its own line; only that line differs.

    The template's comment stays in its column where the value leaves room for it.
    """
    if assignment.startswith("usecases="):  # the use cases it names must exist
        for usecase in ("eviction-filings", "who-owns"):
            assert tde("new", "usecase", usecase, cwd=empty_project).exit_code == 0
    assert tde("new", kind, "Plain", "--id", "plain", cwd=empty_project).exit_code == 0
    result = tde("new", kind, "Plain", "--id", "filled", "--set", assignment, cwd=empty_project)
    assert result.exit_code == 0, result
    folder = empty_project / KINDS[kind]
    plain, filled = lines_of(folder / "plain.md"), lines_of(folder / "filled.md")
    assert len(plain) == len(filled)
    differing = [(a, b) for a, b in zip(plain, filled, strict=True) if a != b]
    assert differing[0] == ("id: plain", "id: filled")
    assert [b for _, b in differing[1:]] == ([] if line is None else [line])
    data = front(folder / "filled.md")
    field = assignment.split("=")[0].split(".")
    found = data[field[0]]
    if len(field) > 1:
        found = found[field[1]]  # type: ignore[index]
    assert found == value


def test_set_can_add_a_field_the_template_leaves_out(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """A known field absent from a project's own template is added before the closing '---'."""
    templates = empty_project / "templates" / "records"
    templates.mkdir(parents=True)
    (templates / "persona.md.j2").write_text(
        "---\nid: {{ id | yaml }}\ntitle: {{ title | yaml }}\nrole: Tenant\n---\n\nOur own persona body.\n"
    )
    result = tde("new", "persona", "Organizer", "--set", "data_skills=low", cwd=empty_project)
    assert result.exit_code == 0, result
    assert (empty_project / "personas" / "organizer.md").read_text() == (
        "---\nid: organizer\ntitle: Organizer\nrole: Tenant\ndata_skills: low\n---\n\nOur own persona body.\n"
    )


def test_a_project_template_overrides_the_shipped_one(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """templates/records/<kind>.md.j2 in the project is used instead of the shipped one, CRLF kept."""
    templates = empty_project / "templates" / "records"
    templates.mkdir(parents=True)
    (templates / "interview.md.j2").write_text(
        "---\r\nid: {{ id | yaml }}\r\ntitle: {{ title | yaml }}\r\ndate: {{ today }}\r\n"
        "interviewee: Anonymous  # our default\r\nstakeholder_type: resident\r\ntactic: interview\r\n"
        "consent: anonymous\r\n---\r\n\r\n## Questions we always ask\r\n",
        newline="",
    )
    result = tde("new", "interview", "Northside walk", "--set", "interviewee=Resident", cwd=empty_project)
    assert result.exit_code == 0, result
    raw = (empty_project / "interviews" / "northside-walk.md").read_bytes()
    assert raw == (
        f"---\r\nid: northside-walk\r\ntitle: Northside walk\r\ndate: {TODAY.isoformat()}\r\n"
        "interviewee: Resident   # our default\r\nstakeholder_type: resident\r\ntactic: interview\r\n"
        "consent: anonymous\r\n---\r\n\r\n## Questions we always ask\r\n"
    ).encode()
    (record,) = load_project(empty_project).of_kind("interview")
    assert record.valid, record.doc.problems
    # the other kinds still come from the shipped templates
    assert tde("new", "persona", "Tenant", cwd=empty_project).exit_code == 0
    assert "A short portrait" in (empty_project / "personas" / "tenant.md").read_text()


def test_a_project_template_that_loses_the_title_is_reported(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """A template that writes the title without the yaml filter is named, and nothing is written."""
    templates = empty_project / "templates" / "records"
    templates.mkdir(parents=True)
    (templates / "persona.md.j2").write_text("---\nid: {{ id }}\ntitle: {{ title }}\nrole: x\n---\n")
    result = refused(tde, empty_project, "new", "persona", "Mold in unit #4B")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: the template records/persona.md.j2 must write 'id: {{ id | yaml }}' and "
        "'title: {{ title | yaml }}' so that they read back as given\n"
    )


def test_usecase_template_lists_the_projects_criteria(
    tde: Callable[..., Run], example: Path
) -> None:
    """A new use case shows the criteria of tde.yaml as comments to fill in."""
    result = tde("new", "usecase", "Bus stops", cwd=example)
    assert result.exit_code == 0, result
    text = (example / "usecases" / "bus-stops.md").read_text()
    settings = (example / "tde.yaml").read_text()
    for name in ("capacity", "interest"):
        assert f"#  {name}:" in text
        assert f"    {name}:" in settings


# --- where the new path is printed from ---


def test_the_path_is_relative_to_a_subfolder(tde: Callable[..., Run], empty_project: Path) -> None:
    """Run from inside the project, the printed path leads from there to the new file."""
    here = empty_project / "interviews"
    result = tde("new", "persona", "From a subfolder", cwd=here)
    assert result.exit_code == 0, result
    assert result.stdout == "../personas/from-a-subfolder.md\n"
    assert (here / result.stdout.strip()).resolve() == empty_project / "personas" / "from-a-subfolder.md"


def test_the_path_is_absolute_from_outside_the_project(
    tde: Callable[..., Run], empty_project: Path, tmp_path: Path
) -> None:
    """Run from elsewhere with --project, the printed path is absolute."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = tde("--project", str(empty_project), "new", "persona", "Far away", cwd=elsewhere)
    assert result.exit_code == 0, result
    assert result.stdout == f"{empty_project / 'personas' / 'far-away.md'}\n"


def test_the_path_is_relative_from_above_the_project(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """Run from the folder that holds the project, the path starts with the project's folder."""
    result = tde("new", "persona", "Near", "--project", empty_project.name, cwd=empty_project.parent)
    assert result.exit_code == 0, result
    assert result.stdout == f"{empty_project.name}/personas/near.md\n"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("---\nid: {{ id | yaml }}\ntitle: {{ title | yaml }}\nrole: {{ nope }}\n---\n",
         "templates/records/persona.md.j2:4: the template cannot be used: 'nope' is undefined"),
        ("---\nid: {{ id | yaml }\n---\n",
         "templates/records/persona.md.j2:2: the template cannot be used: unexpected '}'"),
        ("---\nid: {{ id | yaml }}\ntitle: {{ title | yaml }}\nrole: {{ ''.__class__ }}\n---\n",
         "templates/records/persona.md.j2:4: the template cannot be used: access to attribute "
         "'__class__' of 'str' object is unsafe."),
        ("---\nid: {{ id | yaml }}\ntitle: {{ title | yaml }}\nrole: [\n---\n",
         "the template records/persona.md.j2 does not make a valid record: personas/x.md:5:1: error: "),
    ],
)
def test_a_broken_project_template_is_named_with_its_line(
    tde: Callable[..., Run], empty_project: Path, source: str, message: str
) -> None:
    """A project template that fails to render (sandbox refusals included) is one located error."""
    templates = empty_project / "templates" / "records"
    templates.mkdir(parents=True)
    (templates / "persona.md.j2").write_text(source)
    result = refused(tde, empty_project, "new", "persona", "X")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {message}")
    assert result.stderr.count("\n") == 1


def test_a_project_template_that_is_not_utf8_is_reported(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """A template saved in another encoding is named, not a traceback."""
    templates = empty_project / "templates" / "records"
    templates.mkdir(parents=True)
    (templates / "persona.md.j2").write_bytes(b"---\nid: caf\xe9\n---\n")
    result = refused(tde, empty_project, "new", "persona", "X")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: templates/records/persona.md.j2:2: the template cannot be used: byte 0xe9 is not "
        "valid UTF-8; save the template as UTF-8\n"
    )


PRIVATE = b"---\nid: secret\ntitle: Rosa asked not to be named\n---\n"


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ("file", "templates/records/persona.md.j2: the template cannot be used: it is a symbolic link; "
                 "tde uses only regular files inside templates/ as the project's templates"),
        ("include", "templates/records/persona.md.j2:2: the template cannot be used: cannot use "
                    "templates/records/private.md.j2: it is a symbolic link; tde uses only regular "
                    "files inside templates/ as the project's templates"),
        ("folder", "templates/records: the template cannot be used: it is a symbolic link; tde uses "
                   "only regular files inside templates/ as the project's templates"),
    ],
)
def test_a_project_template_that_links_elsewhere_is_refused(
    tde: Callable[..., Run], empty_project: Path, tmp_path: Path, layout: str, message: str
) -> None:
    """A record template that is (or includes, or sits in) a link to a file elsewhere is refused: exit 2, nothing written."""
    private = tmp_path / "private.md"
    private.write_bytes(PRIVATE)
    templates = empty_project / "templates" / "records"
    if layout == "folder":
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        (elsewhere / "persona.md.j2").symlink_to(private)
        templates.parent.mkdir()
        templates.symlink_to(elsewhere)
    else:
        templates.mkdir(parents=True)
    if layout == "file":
        (templates / "persona.md.j2").symlink_to(private)
    if layout == "include":
        (templates / "private.md.j2").symlink_to(private)
        (templates / "persona.md.j2").write_text("---\n{% include 'records/private.md.j2' %}\n")
    result = refused(tde, empty_project, "new", "persona", "X")
    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n"


def test_a_failing_expression_in_a_project_template_is_located(
    tde: Callable[..., Run], empty_project: Path
) -> None:
    """Any error raised by a project's own template is that template's, named with its line, never a crash."""
    templates = empty_project / "templates" / "records"
    templates.mkdir(parents=True)
    (templates / "persona.md.j2").write_text("---\nid: {{ id | yaml }}\nrole: {{ 1 / 0 }}\n---\n")
    result = refused(tde, empty_project, "new", "persona", "X")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: templates/records/persona.md.j2:3: the template cannot be used: "
        "ZeroDivisionError: division by zero\n"
    )
