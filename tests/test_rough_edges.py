"""Small things a new team meets first: help lines, did-you-means, padding, the plan's wording."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run
from tdekit import labels

STATUSES = {
    "usecase": ("candidate", "shortlisted", "selected", "parked"),
    "plan": ("draft", "circulated", "revised", "final"),
    "feedback": ("open", "accepted", "partly_accepted", "declined"),
}


@pytest.mark.parametrize(
    ("kind", "status"), [(kind, status) for kind, values in STATUSES.items() for status in values]
)
def test_a_misspelt_status_gets_a_did_you_mean(
    tde: Callable[..., Run], example: Path, kind: str, status: str
) -> None:
    """--status with a letter missing names the status meant, with or without a kind."""
    typo = status[:2] + status[3:]
    for args in ([kind], []):
        result = tde("list", *args, "--status", typo, cwd=example)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.startswith(f"error: unknown status '{typo}'; did you mean '{status}'? choose one of: ")


@pytest.mark.parametrize("args", [[], ["--project", "."], ["--id", "x"]])
def test_new_without_a_kind_lists_the_kinds(tde: Callable[..., Run], example: Path, args: list[str]) -> None:
    """'tde new' with no KIND is a usage error that says which kinds there are."""
    result = tde("new", *args, cwd=example)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Missing argument 'KIND'. KIND is one of: signal, interview, persona, usecase, plan, feedback, update "
        '(e.g. tde new interview "Talk with Maria")'
    )


@pytest.mark.parametrize("args", [["--help"], ["render", "--help"]])
def test_command_one_liners_fit_80_columns_whole(
    tde: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """In 'tde --help' at 80 columns each command has a whole one-line summary, never cut to '...'."""
    monkeypatch.setenv("COLUMNS", "80")
    result = tde(*args)
    assert result.exit_code == 0, result
    commands = result.stdout.split("Commands:\n", 1)[1].splitlines()
    assert commands
    for line in commands:
        assert not line.rstrip().endswith("..."), line
        assert len(line) <= 80
        assert re.fullmatch(r"  [a-z]+ +[A-Z].*[.)]", line), line  # one line: name, summary


def test_status_lines_carry_no_trailing_spaces(tde: Callable[..., Run], example: Path) -> None:
    """Piped, 'tde status' ends each line where its text ends (rich pads to the width)."""
    result = tde("status", cwd=example)
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert len(lines) > 5
    assert [line for line in lines if line != line.rstrip()] == []


def without_engagement(root: Path) -> None:
    """Drop the plan's engagement entries, keeping its feedback."""
    plan = root / "plans" / "eviction-filings-release-plan.md"
    text = plan.read_text(encoding="utf-8")
    text = re.sub(r"^engagement:\n(?:  .*\n)+", "", text, flags=re.MULTILINE)
    plan.write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLES, root)
    return root


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_feedback_without_an_engagement_round_is_not_called_unasked(
    tde: Callable[..., Run], project: Path, fmt: str
) -> None:
    """§6.1 with feedback but no engagement entry says so, not 'we have not asked for feedback'."""
    without_engagement(project)
    result = tde("render", "plan", "--format", fmt, cwd=project)
    assert result.exit_code == 0, result
    assert "We have not asked for feedback yet" not in result.stdout
    assert "No engagement round is recorded for this plan; the feedback below came in without one." in result.stdout


@pytest.mark.usefixtures("story_day")
def test_a_plan_without_feedback_or_engagement_has_not_asked(tde: Callable[..., Run], project: Path) -> None:
    """With neither engagement nor feedback, §6.1 still says that nobody was asked yet."""
    without_engagement(project)
    for path in (project / "feedback").glob("*.md"):
        path.unlink()
    plan = project / "plans" / "eviction-filings-release-plan.md"  # and so no change answers any
    plan.write_text(re.sub(r"^changes:\n(?:  .*\n)+", "", plan.read_text(encoding="utf-8"), flags=re.MULTILINE))
    result = tde("render", "plan", cwd=project)
    assert result.exit_code == 0, result
    assert "_We have not asked for feedback yet._" in result.stdout


def headings(text: str, fmt: str) -> dict[str, str]:
    """Section title -> its number, as the rendered plan heads its sections."""
    if fmt == "md":
        found = re.findall(r"^#{2,3} (\d+(?:\.\d+)?) (.+)$", text, flags=re.MULTILINE)
    else:
        found = re.findall(r'<h[23] id="[^"]+"><span class="num">([\d.]+)</span> ([^<]+)</h[23]>', text)
    return {title.replace("&#39;", "'"): number for number, title in found}


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_feedback_section_is_shown_under_the_plans_own_title(
    tde: Callable[..., Run], project: Path, fmt: str
) -> None:
    """Feedback about 'Audience' reads '§3 Who it is for', the title §3 has in the plan; a name
    that is no part of the plan stays as written, without a number."""
    odd = project / "feedback" / "legal-aid-privacy-rules.md"
    odd.write_text(odd.read_text(encoding="utf-8").replace("section: Activities", "section: The map colours"))
    result = tde("render", "plan", "--format", fmt, cwd=project)
    assert result.exit_code == 0, result
    text = result.stdout
    titles = headings(text, fmt)
    assert titles["Who it is for"] == "3"
    assert "§3 Who it is for" in text if fmt == "md" else '§3 Who it is for</a>' in text
    assert "Audience" not in text.split("Feedback log", 1)[1]
    # no feedback is said to be on §5.1 any more (the plan's own changes may still name it)
    log = text.split("Feedback log", 1)[1]
    assert " The map colours" in text and not re.search(r" on (<a [^>]*>)?§5\.1", log)
    for shown in re.findall(r"§(\d+(?:\.\d+)?) ([A-Z][a-z' ,]+?)(?: \||_|</a>)", text):
        number, title = shown
        if title in titles:
            assert titles[title] == number, shown


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_section_a_feedback_item_can_name_is_a_heading_of_the_plan(
    tde: Callable[..., Run], project: Path, fmt: str
) -> None:
    """Each title tde shows for a feedback section is the title of a section the plan has."""
    result = tde("render", "plan", "--format", fmt, cwd=project)
    titles = headings(result.stdout, fmt)
    assert set(labels.SECTION_NAMES.values()) == set(labels.SECTION_TITLES)
    missing = [title for title in labels.SECTION_TITLES.values() if title not in titles]
    assert missing == []
