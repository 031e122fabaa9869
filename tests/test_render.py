"""``tde render plan``: golden files, consent, choosing the plan, refusing, writing.

The golden files beside the fixture project are compared exactly. After a deliberate change to
the templates or the view, regenerate them with::

    UPDATE_GOLDEN=1 pytest tests/test_render.py

and read the diff before committing it.
"""

from __future__ import annotations

import dataclasses
import math
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, assert_golden, git

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "render"
PROJECT = FIXTURES / "project"
EXPECTED = FIXTURES / "expected"
#: 2026-08-29, the "generated on" date of the golden files.
EPOCH = "1788000000"
FORMATS = ("md", "html")
#: Strings placed where consent must keep them out of every rendered plan.
HIDDEN = (
    "PRIVATE-INTERVIEW-MARKER",
    "PRIVATE-FEEDBACK-MARKER",
    "PRIVATE-TITLE-MARKER",
    "PRIVATE-NAME-MARKER",
    "PRIVATE-ORG-MARKER",
    "PRIVATE-FEEDBACK-TITLE-MARKER",
    "PRIVATE-SOURCE-MARKER",
    "PRIVATE-RESPONSE-MARKER",
    "ANON-TITLE-MARKER",
    "ANON-INTERVIEWEE-MARKER",
    "ANON-ORG-MARKER",
    "ANON-SOURCE-MARKER",
    "ANON-INTERVIEW-BODY-MARKER",
    "PERSONA-BODY-MARKER",
    "USECASE-BODY-MARKER",
)


def commit(root: Path, monkeypatch: pytest.MonkeyPatch, when: str, author: str, message: str) -> None:
    """Commit everything in ``root`` at a fixed date, as ``author``."""
    monkeypatch.setenv("GIT_AUTHOR_NAME", author)
    monkeypatch.setenv("GIT_AUTHOR_DATE", f"{when}T10:00:00+00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"{when}T10:00:00+00:00")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", message)


@pytest.fixture
def lakeside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture project in a git repository with two dated commits of the plan."""
    root = tmp_path / "lakeside"
    shutil.copytree(PROJECT, root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    plan = root / "plans" / "arrivals-plan.md"
    final = plan.read_text(encoding="utf-8")
    plan.write_text(final.replace("status: circulated", "status: draft"), encoding="utf-8")
    git(root, "init", "--quiet")
    commit(root, monkeypatch, "2026-05-04", "Ana Ruiz", "First draft of the arrivals plan")
    plan.write_text(final, encoding="utf-8")
    commit(root, monkeypatch, "2026-06-01", "Ben Osei", "Circulate the draft for comment")
    return root


@pytest.fixture
def plain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture project outside any git repository."""
    root = tmp_path / "plain"
    shutil.copytree(PROJECT, root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return root


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_matches_golden_file(tde: Callable[..., Run], lakeside: Path, fmt: str) -> None:
    """The rendered plan equals the golden file for its format, byte for byte."""
    result = tde("render", "plan", "--format", fmt, cwd=lakeside)
    assert result.exit_code == 0, result
    assert_golden(result.stdout, EXPECTED / f"plan.{fmt}")


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_in_spanish_matches_golden_file(tde: Callable[..., Run], lakeside: Path, fmt: str) -> None:
    """With --lang es, every fixed word comes from the Spanish catalog: golden files plan.es.*."""
    result = tde("render", "plan", "--format", fmt, "--lang", "es", cwd=lakeside)
    assert result.exit_code == 0, result
    assert_golden(result.stdout, EXPECTED / f"plan.es.{fmt}")


def test_every_golden_file_has_a_test() -> None:
    """No golden file lies around without a format that produces it."""
    assert sorted(p.name for p in EXPECTED.glob("plan.*")) == sorted(
        [f"plan.{f}" for f in FORMATS] + [f"plan.es.{f}" for f in FORMATS]
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_private_and_anonymous_details_never_appear(tde: Callable[..., Run], lakeside: Path, fmt: str) -> None:
    """No name, source, title, body or response that consent withholds reaches the output."""
    result = tde("render", "plan", "--format", fmt, cwd=lakeside)
    assert result.exit_code == 0, result
    for marker in HIDDEN:
        assert marker not in result.stdout, marker
    assert "Grace Lee, Lakeside Riders Council" in result.stdout
    assert "Dana Whitfield" in result.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_private_records_do_not_show_in_counts(tde: Callable[..., Run], lakeside: Path, fmt: str) -> None:
    """Counts leave private records out: 2 interviews not 3, no 'declined', no journalist."""
    text = tde("render", "plan", "--format", fmt, cwd=lakeside).stdout
    assert "rests on 2 conversations with residents and community groups" in text
    assert "journalist" not in text.lower()
    assert "3 pieces of feedback: 1 open, 1 accepted, 1 partly accepted." in text
    assert "Declined" not in text
    assert 'd-declined"' not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_anonymous_people_appear_by_role(tde: Callable[..., Run], lakeside: Path, fmt: str) -> None:
    """An anonymous interview shows its stakeholder type; anonymous feedback a neutral label."""
    text = tde("render", "plan", "--format", fmt, cwd=lakeside).stdout
    assert "A resident (anonymous)" in text
    assert "A workshop participant (anonymous)" in text
    assert "Signs at the stop" in text  # what was said is kept, without the name


def test_example_plan_hides_its_private_material(tde: Callable[..., Run], example: Path) -> None:
    """The shipped example renders in both formats without its private markers or private sources."""
    for fmt in FORMATS:
        result = tde("render", "plan", "--format", fmt, cwd=example)
        assert result.exit_code == 0, result
        for hidden in ("PRIVATE-INTERVIEW-MARKER", "PRIVATE-FEEDBACK-MARKER", "Sam Whitaker", "Court Clerk's office staff member"):
            assert hidden not in result.stdout, hidden
        assert "Tenant, Eastside" not in result.stdout  # an anonymous interviewee's pseudonym


def test_outside_git_the_history_is_left_out(tde: Callable[..., Run], plain: Path) -> None:
    """Outside a git work tree the plan renders without a revision history section."""
    for fmt in FORMATS:
        result = tde("render", "plan", "--format", fmt, cwd=plain)
        assert result.exit_code == 0, result
        assert "Revision history" not in result.stdout
        assert "Last revised" not in result.stdout


def test_history_lists_the_plan_commits(tde: Callable[..., Run], lakeside: Path) -> None:
    """With render: {history: commits}, the revision history shows each commit of the plan file, newest first."""
    settings = lakeside / "tde.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "render:\n  history: commits\n", encoding="utf-8")
    text = tde("render", "plan", cwd=lakeside).stdout
    newer = text.index("| 2026-06-01 | Ben Osei | Circulate the draft for comment |")
    older = text.index("| 2026-05-04 | Ana Ruiz | First draft of the arrivals plan |")
    assert newer < older


def test_generated_date_follows_source_date_epoch(
    tde: Callable[..., Run], plain: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The generated-on date is SOURCE_DATE_EPOCH's when set."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027-01-15
    assert "Generated on 2027-01-15" in tde("render", "plan", cwd=plain).stdout


def test_plan_can_be_named_by_id_or_path(tde: Callable[..., Run], plain: Path) -> None:
    """PLAN may be the id or the file's path."""
    by_id = tde("render", "plan", "arrivals-plan", cwd=plain)
    by_path = tde("render", "plan", "plans/arrivals-plan.md", cwd=plain)
    assert by_id.exit_code == by_path.exit_code == 0
    assert by_id.stdout == by_path.stdout


def test_unknown_plan_suggests_the_nearest(tde: Callable[..., Run], plain: Path) -> None:
    """An unknown id fails with exit 1 and a did-you-mean."""
    result = tde("render", "plan", "arrival-plan", cwd=plain)
    assert result.exit_code == 1
    assert result.stderr == "error: no plan 'arrival-plan' in this project; did you mean 'arrivals-plan'?\n"
    assert result.stdout == ""


def test_a_record_of_another_kind_is_not_a_plan(tde: Callable[..., Run], plain: Path) -> None:
    """Naming a use case where a plan is wanted fails with exit 1."""
    result = tde("render", "plan", "arrivals-by-stop", cwd=plain)
    assert result.exit_code == 1
    assert "'arrivals-by-stop' is a use case (usecases/arrivals-by-stop.md), not a plan" in result.stderr


def add_plan(root: Path, plan_id: str, usecase: str) -> None:
    """A copy of the fixture's plan under another id, for another use case."""
    text = (root / "plans" / "arrivals-plan.md").read_text(encoding="utf-8")
    text = text.replace("id: arrivals-plan", f"id: {plan_id}").replace("usecase: arrivals-by-stop", f"usecase: {usecase}")
    (root / "plans" / f"{plan_id}.md").write_text(text, encoding="utf-8")


def unselect(root: Path) -> None:
    usecase = root / "usecases" / "arrivals-by-stop.md"
    usecase.write_text(usecase.read_text(encoding="utf-8").replace("status: selected", "status: shortlisted"), encoding="utf-8")


def test_several_plans_without_a_choice_are_listed(tde: Callable[..., Run], plain: Path) -> None:
    """Without PLAN and no plan for a selected use case, the plans are listed on one line (exit 1)."""
    add_plan(plain, "reliability-plan", "route-reliability")
    unselect(plain)
    result = tde("render", "plan", cwd=plain)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: no plan is for a selected use case; name the plan to render, one of: "
        "arrivals-plan (circulated, for arrivals-by-stop), reliability-plan (circulated, for route-reliability)\n"
    )
    assert result.stdout == ""


def test_many_plans_are_listed_on_one_line_cut_short(tde: Callable[..., Run], plain: Path) -> None:
    """With many plans to choose from, the one error line names the first five and counts the rest."""
    for number in range(1, 8):
        add_plan(plain, f"plan-{number}", "route-reliability")
    unselect(plain)
    result = tde("render", "plan", cwd=plain)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: no plan is for a selected use case; name the plan to render, one of: ")
    assert result.stderr.endswith(
        "plan-4 (circulated, for route-reliability) and 3 more\n"
    ), result.stderr


def test_the_selected_use_case_picks_the_plan(tde: Callable[..., Run], plain: Path) -> None:
    """With several plans, the one for the selected use case is rendered."""
    second = (plain / "plans" / "arrivals-plan.md").read_text(encoding="utf-8")
    second = second.replace("id: arrivals-plan", "id: reliability-plan").replace(
        "usecase: arrivals-by-stop", "usecase: route-reliability"
    ).replace("Draft plan: bus arrival times by stop", "Draft plan: reliability")
    (plain / "plans" / "reliability-plan.md").write_text(second, encoding="utf-8")
    result = tde("render", "plan", cwd=plain)
    assert result.exit_code == 0, result
    assert result.stdout.startswith("# Draft plan: bus arrival times by stop\n")


def test_no_plan_at_all_says_how_to_start_one(tde: Callable[..., Run], empty_project: Path) -> None:
    """A project without plans fails with exit 1 and the command that starts one."""
    result = tde("render", "plan", cwd=empty_project)
    assert result.exit_code == 1
    assert 'tde new plan "TITLE" --set usecase=ID' in result.stderr


def test_an_invalid_plan_is_refused(tde: Callable[..., Run], plain: Path) -> None:
    """A plan with errors is not rendered: exit 1, the located problem, a pointer to tde validate."""
    plan = plain / "plans" / "arrivals-plan.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: circulated", "status: circulatd"), encoding="utf-8")
    result = tde("render", "plan", "--format", "html", cwd=plain)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        "error: cannot render arrivals-plan: plans/arrivals-plan.md has an error; fix it first "
        "('tde validate' shows it too): plans/arrivals-plan.md:6:9: error: 'circulatd' is not"
    ), result.stderr
    assert result.stderr.count("\n") == 1


def test_several_errors_are_refused_in_one_line(tde: Callable[..., Run], plain: Path) -> None:
    """Errors in several files the plan draws on give one line: the files, the count, the first."""
    plan = plain / "plans" / "arrivals-plan.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: circulated", "status: circulatd"), encoding="utf-8")
    item = plain / "feedback" / "portal-comment.md"
    item.write_text(item.read_text(encoding="utf-8").replace("consent: public", "consent: publick"), encoding="utf-8")
    result = tde("render", "plan", cwd=plain)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(
        "error: cannot render arrivals-plan: feedback/portal-comment.md, plans/arrivals-plan.md have 2 errors; "
        "fix them first ('tde validate' lists them all); the first: "
    ), result.stderr


def test_an_invalid_feedback_file_on_the_plan_is_refused(tde: Callable[..., Run], plain: Path) -> None:
    """Feedback on the plan that does not validate blocks the render too (it may be missing from the log)."""
    item = plain / "feedback" / "driver-call.md"
    item.write_text(item.read_text(encoding="utf-8").replace("consent: private", "consent: secret"), encoding="utf-8")
    result = tde("render", "plan", cwd=plain)
    assert result.exit_code == 1
    assert "feedback/driver-call.md" in result.stderr
    assert "PRIVATE" not in result.stdout + result.stderr.split("\n", 1)[0]


def test_an_unrelated_invalid_file_does_not_block(tde: Callable[..., Run], plain: Path) -> None:
    """A broken use case the plan does not draw on leaves the render alone."""
    other = plain / "usecases" / "stop-accessibility.md"
    other.write_text(other.read_text(encoding="utf-8").replace("status: candidate", "status: maybe"), encoding="utf-8")
    result = tde("render", "plan", cwd=plain)
    assert result.exit_code == 0, result


def test_output_file_is_written_and_overwritten(tde: Callable[..., Run], plain: Path) -> None:
    """-o writes the file, and replaces a regular file that is already there."""
    out = plain / "plan.html"
    out.write_text("old", encoding="utf-8")
    result = tde("render", "plan", "-f", "html", "-o", str(out), cwd=plain)
    assert result.exit_code == 0, result
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "Wrote arrivals-plan (html) to" in result.stderr


def test_output_through_a_symlink_is_refused(tde: Callable[..., Run], plain: Path, tmp_path: Path) -> None:
    """-o naming a symbolic link is refused (exit 1) and the file it points at is untouched."""
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me", encoding="utf-8")
    link = plain / "plan.html"
    link.symlink_to(target)
    result = tde("render", "plan", "-f", "html", "-o", str(link), cwd=plain)
    assert result.exit_code == 1
    assert "symbolic link" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    assert link.is_symlink()


def test_output_to_a_folder_is_refused(tde: Callable[..., Run], plain: Path) -> None:
    """-o naming a folder is refused with exit 1 and nothing is written."""
    folder = plain / "out"
    folder.mkdir()
    result = tde("render", "plan", "-o", str(folder), cwd=plain)
    assert result.exit_code == 1
    assert "not a regular file" in result.stderr
    assert list(folder.iterdir()) == []


def test_unknown_format_is_a_usage_error(tde: Callable[..., Run], plain: Path) -> None:
    """--format odt is refused with exit 2, naming the formats there are."""
    result = tde("render", "plan", "--format", "odt", cwd=plain)
    assert result.exit_code == 2
    assert "choose one of: md, html, pdf, docx" in result.stderr


def considered_rows(text: str) -> list[str]:
    """The rows of the Markdown table of use cases considered (§2.4)."""
    section = text.split("### 2.4 Other use cases considered", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| ") and not line.startswith(("| Rank", "| ---"))]


def test_rank_counts_every_use_case_the_table_shows(tde: Callable[..., Run], plain: Path) -> None:
    """'ranked 1 of N' counts the rows of the table of use cases considered, and says which are not fully scored."""
    text = tde("render", "plan", cwd=plain).stdout
    rows = considered_rows(text)
    assert len(rows) == 3
    assert f"ranked **1 of {len(rows)}** use cases (1 not yet scored, 1 only partly scored)." in text
    html = tde("render", "plan", "--format", "html", cwd=plain).stdout
    assert "<strong>1 of 3</strong> use cases (1 not yet scored, 1 only partly scored)." in html


def test_a_partly_scored_use_case_is_marked_incomplete(tde: Callable[..., Run], plain: Path) -> None:
    """A use case missing a weighted score shows its score as incomplete, with a note on what that means."""
    text = tde("render", "plan", cwd=plain).stdout
    assert "| 2 | On-time performance by route | 3.50 (incomplete) | Shortlisted |" in considered_rows(text)
    assert "| – | Which stops have shelters and curb ramps | not scored | Candidate |" in considered_rows(text)
    assert "_Incomplete: rated on some criteria only, so the score may still change;" in text
    html = tde("render", "plan", "--format", "html", cwd=plain).stdout
    assert '<td class="n">3.50 <span class="tag">incomplete</span></td>' in html
    assert '<p class="note">Incomplete: rated on some criteria only' in html


def test_fully_scored_use_cases_carry_no_incomplete_note(tde: Callable[..., Run], plain: Path) -> None:
    """Once every use case is scored on every criterion, neither the count nor the table adds a caveat."""
    for name, scores in (("route-reliability", "  capacity: 3\n  interest: 4\n"), ("stop-accessibility", None)):
        path = plain / "usecases" / f"{name}.md"
        text = path.read_text(encoding="utf-8")
        if scores is None:
            text = text.replace("status: candidate\n", "status: candidate\nscores:\n  capacity: 2\n  interest: 2\n  impact: 2\n")
        else:
            text = text.replace(scores, scores + "  impact: 3\n")
        path.write_text(text, encoding="utf-8")
    text = tde("render", "plan", cwd=plain).stdout
    assert "ranked **1 of 3** use cases. The score" in text
    assert "incomplete" not in text.lower()


def test_huge_weights_never_crash_the_render(tde: Callable[..., Run], plain: Path) -> None:
    """Weights so large that the score overflows give a plan (or a clean error), never a traceback or 'nan'."""
    settings = plain / "tde.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("weight: 0.3\n", "weight: 1e308\n"), encoding="utf-8")
    for fmt in FORMATS:
        result = tde("render", "plan", "--format", fmt, cwd=plain)  # an exception would fail here
        assert result.exit_code in (0, 1, 2), result
        if result.exit_code:
            assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
        else:
            assert not re.search(r"\b(nan|inf)\b", result.stdout, flags=re.IGNORECASE)


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_a_non_finite_score_is_shown_as_unknown(
    tde: Callable[..., Run], plain: Path, monkeypatch: pytest.MonkeyPatch, value: float
) -> None:
    """A score that is not a finite number reads 'unknown', without a rank, in both formats."""
    from tdekit import scoring

    real = scoring.score_usecases

    def broken(*args: object, **kwargs: object) -> list[scoring.UseCaseScore]:
        return [
            dataclasses.replace(
                s,
                score=None if s.score is None else value,
                criteria=tuple(
                    dataclasses.replace(c, contribution=None if c.contribution is None else value) for c in s.criteria
                ),
            )
            for s in real(*args, **kwargs)  # type: ignore[arg-type]
        ]

    monkeypatch.setattr(scoring, "score_usecases", broken)
    text = tde("render", "plan", cwd=plain).stdout
    assert "Its score is **unknown**: the weights in the project's settings do not give a usable number" in text
    assert "| **Score** | | | **unknown** | |" in text
    assert "| – | **Bus arrival times by stop, to plan a commute** (this plan) | unknown | Selected |" in considered_rows(text)
    assert "| – | Which stops have shelters and curb ramps | not scored | Candidate |" in considered_rows(text)
    html = tde("render", "plan", "--format", "html", cwd=plain)
    assert html.exit_code == 0, html
    assert "Its score is <strong>unknown</strong>" in html.stdout
    for output in (text, html.stdout):
        assert not re.search(r"\b(nan|inf)\b", output, flags=re.IGNORECASE)
