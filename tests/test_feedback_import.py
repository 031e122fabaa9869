"""tde feedback import: form exports in the shapes the tools write, and e-mail, into feedback."""

from __future__ import annotations

import codecs
import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run
from test_find_xlsx import write_xlsx

PLAN = "eviction-filings-release-plan"
GOOGLE_HEADER = ("Timestamp,Email Address,Your name,Which section is your comment about?,Your comment,"
                 "May we publish your name with your comment?,Which best describes you?\n")
GOOGLE_ROWS = [
    '6/3/2026 19:09:01,ana@example.org,Ana Quintero,§3,"Publish monthly,\nand in Spanish too.",Yes,Resident\n',
    '6/14/2026 8:02:11,ben@example.org,Ben Okafor,§5,Please keep addresses out of every file.,Without my name,Community group\n',
    '6/20/2026 10:30:00,cy@example.org,Cy Private,,My landlord filed against me last spring and I am afraid.,,Resident\n',
]


@pytest.fixture
def project(example: Path) -> Path:
    """The example, whose tde.yaml maps its own form's columns and consent answers (those of
    the tests' files that it does not name are guessed)."""
    assert '"Without my name": anonymous' in (example / "tde.yaml").read_text(encoding="utf-8")
    return example


def imported(root: Path, before: set[str]) -> dict[str, str]:
    """The feedback files added since ``before``, by name."""
    return {p.name: p.read_text(encoding="utf-8") for p in (root / "feedback").glob("*.md") if p.name not in before}


def names(root: Path) -> set[str]:
    return {p.name for p in (root / "feedback").glob("*.md")}


def run_import(tde: Callable[..., Run], root: Path, source: Path, *extra: str) -> Run:
    return tde("feedback", "import", str(source), "--plan", PLAN, *extra, cwd=root)


def test_a_google_forms_csv_becomes_records_with_consent_only_from_the_answer(
    project: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    """Each row is a record; consent from the answer, else private; the address only in contact."""
    source = tmp_path / "responses.csv"
    source.write_text(GOOGLE_HEADER + "".join(GOOGLE_ROWS), encoding="utf-8", newline="")
    before = names(project)
    result = run_import(tde, project, source, "--round", "1")
    assert result.exit_code == 0, result
    files = imported(project, before)
    assert len(files) == 3
    ana = next(t for t in files.values() if "Ana Quintero" in t)
    assert "consent: public" in ana and 'contact: "ana@example.org"' in ana and "section: \"§3\"" in ana
    assert "stakeholder_type: resident" in ana and "round: 1" in ana and "date: 2026-06-03" in ana
    assert ana.endswith("Publish monthly,\nand in Spanish too.\n")
    ben = next(t for t in files.values() if "Ben Okafor" in t)
    assert "consent: anonymous" in ben and "stakeholder_type: community_group" in ben
    cy = next(t for t in files.values() if "Cy Private" in t)
    assert "consent: private" in cy
    assert all(t.count("example.org") == 1 for t in files.values())  # in contact, nowhere else
    assert tde("validate", "--strict", cwd=project).exit_code == 0


def only_consent(root: Path) -> None:
    """tde.yaml's mapping reduced to the consent column and its answers."""
    settings = root / "tde.yaml"
    kept = settings.read_text(encoding="utf-8").split("\nimports:")[0]
    settings.write_text(kept + "\nimports:\n  feedback:\n    columns:\n      consent: May we publish your name "
                        "with your comment?\n    consent_values:\n      \"Yes\": public\n", encoding="utf-8")


def test_dry_run_shows_the_guessed_columns_and_writes_nothing(
    project: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    only_consent(project)
    source = tmp_path / "responses.csv"
    source.write_text(GOOGLE_HEADER + GOOGLE_ROWS[0], encoding="utf-8", newline="")
    before = names(project)
    result = run_import(tde, project, source, "--dry-run", "--dates", "mdy")
    assert result.exit_code == 0, result
    assert "date              <- 'Timestamp' (guessed)" in result.stdout
    assert "contact           <- 'Email Address' (guessed)" in result.stdout
    assert "body              <- 'Your comment' (guessed)" in result.stdout
    assert "consent           <- 'May we publish your name with your comment?' (tde.yaml)" in result.stdout
    assert "would add: 1 new item. Nothing was written (--dry-run)." in result.stdout
    assert names(project) == before


def test_reimport_adds_nothing_and_a_longer_export_only_the_new_rows(
    project: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    source = tmp_path / "responses.csv"
    source.write_text(GOOGLE_HEADER + "".join(GOOGLE_ROWS[:2]), encoding="utf-8", newline="")
    assert run_import(tde, project, source).exit_code == 0
    after_first = names(project)
    again = run_import(tde, project, source)
    assert again.exit_code == 0 and "0 new items, 2 imported before" in again.stdout
    assert names(project) == after_first
    source.write_text(GOOGLE_HEADER + "".join(GOOGLE_ROWS), encoding="utf-8", newline="")
    longer = run_import(tde, project, source)
    assert longer.exit_code == 0 and "1 new item, 2 imported before" in longer.stdout
    added = imported(project, after_first)
    assert len(added) == 1 and "Cy Private" in next(iter(added.values()))


def test_the_zip_google_forms_downloads_is_read(project: Path, tmp_path: Path, tde: Callable[..., Run]) -> None:
    source = tmp_path / "Plan comments.csv.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("Plan comments.csv", GOOGLE_HEADER + GOOGLE_ROWS[0])
    before = names(project)
    result = run_import(tde, project, source, "--dates", "mdy")
    assert result.exit_code == 0, result
    assert "inside a zip file" in result.stdout
    assert len(imported(project, before)) == 1


def test_a_microsoft_forms_workbook_is_read_by_header(project: Path, tmp_path: Path, tde: Callable[..., Run]) -> None:
    """Fixed columns in their own order, dates as serial numbers, a question named Email2."""
    source = write_xlsx(tmp_path / "Plan comments(1-2).xlsx", [
        ["ID", "Start time", "Completion time", "Email", "Name", "Your comment", "Email2"],
        [1, dt.date(2026, 6, 4), dt.date(2026, 6, 4), "anonymous", "", "Add a map of filings by ward.", ""],
        [2, dt.date(2026, 6, 5), dt.date(2026, 6, 5), "dee@example.org", "Dee Park", "Publish the code too.", "x"],
    ])
    before = names(project)
    result = run_import(tde, project, source, "--dry-run")
    assert "date              <- 'Completion time' (guessed)" in result.stdout, result
    result = run_import(tde, project, source)
    assert result.exit_code == 0, result
    files = imported(project, before)
    dee = next(t for t in files.values() if "Dee Park" in t)
    assert "date: 2026-06-05" in dee and 'contact: "dee@example.org"' in dee and "consent: private" in dee


def test_surveymonkey_and_qualtrics_header_rows_are_not_rows(
    project: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    monkey = tmp_path / "monkey.csv"
    monkey.write_text(
        "Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,"
        "Custom Data 1,Your comment,Which section?\n"
        ",,,,,,,,,Open-Ended Response,Response\n"
        "114,431,06/07/2026 10:01:02 AM,06/07/2026 10:04:02 AM,10.0.0.1,,,,,Say when it updates.,§2\n",
        encoding="utf-8", newline="")
    qualtrics = tmp_path / "qualtrics.csv"
    qualtrics.write_text(
        "StartDate,EndDate,ResponseId,Q1,Q2\n"
        "Start Date,End Date,Response ID,Your comment on the plan,Which section?\n"
        '"{""ImportId"":""startDate""}","{""ImportId"":""endDate""}","{""ImportId"":""_recordId""}",'
        '"{""ImportId"":""QID1_TEXT""}","{""ImportId"":""QID2""}"\n'
        "2026-06-08 09:00:00,2026-06-08 09:05:00,R_1,Keep it simple.,§4\n",
        encoding="utf-8", newline="")
    before = names(project)
    for source in (monkey, qualtrics):
        result = run_import(tde, project, source)
        assert result.exit_code == 0, result
        assert "1 new item" in result.stdout, result
    files = imported(project, before)
    assert {t.split("date: ")[1][:10] for t in files.values()} == {"2026-06-07", "2026-06-08"}
    assert any('section: "§2"' in t for t in files.values()) and any('section: "§4"' in t for t in files.values())


def test_semicolon_cp1252_utf16_and_bom_files_are_read(project: Path, tmp_path: Path, tde: Callable[..., Run]) -> None:
    kobo = tmp_path / "kobo.csv"
    kobo.write_bytes('"created_at";"body";"author/name"\n"2026-06-09 12:00:00";"Très bien, merci";"Zoé"\n'
                     .encode("cp1252"))
    unicode_text = tmp_path / "unicode.txt"
    unicode_text.write_bytes(codecs.BOM_UTF16_LE + "Timestamp\tYour comment\r\n25/06/2026 08:00:00\tNaïve question\r\n"
                             .encode("utf-16-le"))
    excel = tmp_path / "excel.csv"
    excel.write_bytes(codecs.BOM_UTF8 + b"Timestamp,Your comment\r\n13/06/2026 08:00:00,Good plan\r\n")
    before = names(project)
    for source in (kobo, unicode_text, excel):
        result = run_import(tde, project, source)
        assert result.exit_code == 0, result
    texts = "".join(imported(project, before).values())
    assert "Très bien, merci" in texts and "Naïve question" in texts and "Good plan" in texts
    assert "date: 2026-06-25" in texts and "date: 2026-06-13" in texts


def test_ambiguous_dates_ask_for_dates_and_bad_dates_refuse_the_import(
    project: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    source = tmp_path / "a.csv"
    source.write_text("Timestamp,Your comment\n03/04/2026 10:00:00,One\n05/04/2026 10:00:00,Two\n", encoding="utf-8")
    before = names(project)
    refused = run_import(tde, project, source)
    assert refused.exit_code == 2 and "give --dates dmy or --dates mdy" in refused.stderr, refused
    done = run_import(tde, project, source, "--dates", "dmy")
    assert done.exit_code == 0, done
    assert "date: 2026-04-05" in "".join(imported(project, before).values())
    bad = tmp_path / "bad.csv"
    bad.write_text("Timestamp,Your comment\n2026-06-01,Fine\n2026-02-30,Impossible day\nyesterday,Vague\n",
                   encoding="utf-8")
    middle = names(project)
    refused = run_import(tde, project, bad)
    assert refused.exit_code == 1
    assert "bad.csv: row 3: '2026-02-30' is not a date" in refused.stderr
    assert "bad.csv: row 4: 'yesterday' is not a date" in refused.stderr
    assert "nothing was imported: 2 of 3 rows refused" in refused.stderr
    assert names(project) == middle


def test_missing_columns_wrong_encodings_and_huge_cells_are_refused(
    project: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    before = names(project)
    no_body = tmp_path / "nobody.csv"
    no_body.write_text("Timestamp,Rating\n2026-06-01,5\n", encoding="utf-8")
    result = run_import(tde, project, no_body)
    assert result.exit_code == 2 and "no column found for the comment's text (body)" in result.stderr, result
    wrong_map = run_import(tde, project, no_body, "--map", "body=Ratng")
    assert "has no column 'Ratng' for body (from --map) (did you mean 'Rating'?)" in wrong_map.stderr
    garbled = tmp_path / "garbled.csv"
    garbled.write_bytes(b"Timestamp,Your comment\n2026-06-01,caf\x81\x8d\n")
    result = run_import(tde, project, garbled)
    assert result.exit_code == 1 and "garbled.csv:2: the file is neither UTF-8 nor Windows (cp1252) text" in result.stderr
    huge = tmp_path / "huge.csv"
    huge.write_text("Timestamp,Your comment\n2026-06-01,fine\n2026-06-02," + "a" * 10_000_000 + "\n", encoding="utf-8")
    result = run_import(tde, project, huge)
    assert result.exit_code == 1 and "row 3: a cell is longer than 100,000 characters" in result.stderr, result
    assert names(project) == before


def test_hostile_cells_are_kept_as_text_and_render_safely(
    project: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    source = tmp_path / "hostile.csv"
    source.write_text(
        "Timestamp,Your name,Your comment,May we publish your name with your comment?\n"
        '2026-06-02,"=HYPERLINK(""http://evil.example"",""x"")","<script>alert(1)</script> Fix the map, please.",Yes\n'
        "2026-06-03,@SUM(1+1),'=1+2 and \u202eevil\u202c text\x07,Yes\n",
        encoding="utf-8")
    before = names(project)
    assert run_import(tde, project, source).exit_code == 0
    texts = "".join(imported(project, before).values())
    assert "\u202e" not in texts and "\x07" not in texts and "'=1+2" not in texts
    assert tde("validate", "--strict", cwd=project).exit_code == 0
    html = tde("render", "plan", PLAN, "-f", "html", cwd=project)
    assert html.exit_code == 0, html
    assert "<script>alert" not in html.stdout and "&lt;script&gt;" in html.stdout


def test_the_mapping_in_tde_yaml_is_checked_and_map_names_a_field(
    example: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    settings = example / "tde.yaml"
    kept = settings.read_text(encoding="utf-8").split("\nimports:")[0]
    settings.write_text(kept + "\nimports:\n  feedback:\n    columns:\n      comment: Your comment\n"
                        "    consent_values:\n      \"Yes\": publik\n", encoding="utf-8")
    result = tde("validate", cwd=example)
    assert "unknown field 'comment'; did you mean 'consent'? [unknown-field]" in result.stdout
    assert "'publik' is not a valid imports.feedback.consent_values.Yes (did you mean 'public'?)" in result.stdout
    source = tmp_path / "a.csv"
    source.write_text("Timestamp,Your comment\n2026-06-01,Fine\n", encoding="utf-8")
    refused = run_import(tde, example, source, "--map", "comment=Your comment")
    assert refused.exit_code == 2 and "'comment' is not a field; choose one of: date, source" in refused.stderr


def test_a_row_with_more_cells_than_the_header_refuses_the_import(
    project: Path, tmp_path: Path, tde: Callable[..., Run]
) -> None:
    source = tmp_path / "a.csv"
    source.write_text('Timestamp,Your comment\n2026-06-01,Fine\n2026-06-02,"Unclosed, quote",extra\n', encoding="utf-8")
    before = names(project)
    refused = run_import(tde, project, source)
    assert refused.exit_code == 1
    assert "a.csv: row 3: it has 3 cells where the header has 2; check the quoting of that row" in refused.stderr
    assert names(project) == before


def test_the_plan_is_named_as_tde_render_names_it(project: Path, tmp_path: Path, tde: Callable[..., Run]) -> None:
    """--plan takes an id or the plan's path, as tde render does; an unknown one is refused with
    a did-you-mean and nothing written, in the import and in the export alike."""
    source = tmp_path / "responses.csv"
    source.write_text(GOOGLE_HEADER + GOOGLE_ROWS[0], encoding="utf-8", newline="")
    before = names(project)
    wrong = tde("feedback", "import", str(source), "--plan", "eviction-filings-relase-plan", "--dates", "mdy", cwd=project)
    assert wrong.exit_code == 1 and "did you mean 'eviction-filings-release-plan'?" in wrong.stderr, wrong
    assert names(project) == before
    export = tde("export", "feedback", "--plan", "eviction-filings-relase-plan", cwd=project)
    assert export.exit_code == 1 and "did you mean 'eviction-filings-release-plan'?" in export.stderr, export
    by_path = tde("feedback", "import", str(source), "--plan", f"plans/{PLAN}.md", "--dates", "mdy", cwd=project)
    assert by_path.exit_code == 0, by_path
    (added,) = imported(project, before).values()
    assert f"plan: {PLAN}" in added
