"""tde find: topics ranked across signals, beside the strategic priorities; the topic matcher."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import Run
from tdekit.finding.topics import TopicMap

FIND = """
find:
  strategic_priorities:
    - Prevent displacement and EVICTION of long-time residents
    - Street safety for children walking to school
  topics:
    evictions: [eviction, lockout]
    housing_conditions: [mold, heat]
    street_safety: [crosswalk, speeding]
    noise: [loud]
"""


def project_with_signals(root: Path, signals: dict[str, tuple[int, dict[str, int]]]) -> Path:
    settings = root / "tde.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + FIND, encoding="utf-8")
    (root / "signals").mkdir(exist_ok=True)
    for name, (rows, counts) in signals.items():
        flow = ", ".join(f"{topic}: {n}" for topic, n in counts.items())
        (root / "signals" / f"{name}.md").write_text(
            f"---\nid: {name}\ntitle: {name}\nsource: {name}\nkind: other\nrows: {rows}\n"
            f"counts: {{{flow}}}\n---\n", encoding="utf-8")
    return root


SIGNALS = {
    "log-311": (1000, {"housing_conditions": 400, "evictions": 100, "noise": 3}),
    "records-requests": (50, {"evictions": 30, "street_safety": 4}),
    "survey": (20, {"evictions": 2, "street_safety": 12}),
}


def test_json_ranks_topics_with_sources_share_and_priority(tde: Callable[..., Run], empty_project: Path) -> None:
    """JSON: {topic, rows, sources, share, priority} in rank order, with the overlap and parts."""
    root = project_with_signals(empty_project, SIGNALS)
    result = tde("find", "--format", "json", cwd=root)
    assert result.exit_code == 0, result
    ranked = json.loads(result.stdout)
    assert [(t["topic"], t["rows"], t["sources"], t["priority"], t["overlap"]) for t in ranked] == [
        ("housing_conditions", 400, 1, False, False),
        ("evictions", 132, 3, True, True),
        ("street_safety", 16, 2, True, True),
        ("noise", "fewer than 5", 1, False, False),
    ]
    assert ranked[1]["share"] == round(132 / 1070, 4)
    assert ranked[1]["by_source"] == [
        {"signal": "log-311", "rows": 100, "share": 0.1},
        {"signal": "records-requests", "rows": 30, "share": 0.6},
        {"signal": "survey", "rows": "fewer than 5", "share": None},
    ]
    assert ranked[3]["share"] is None
    assert set(ranked[0]) == {"topic", "rows", "sources", "share", "priority", "overlap", "by_source", "partners"}


def test_table_and_csv_say_fewer_than_5(tde: Callable[..., Run], empty_project: Path) -> None:
    """No count under 5 is printed as a number, in the table or the CSV; the overlap is named."""
    root = project_with_signals(empty_project, SIGNALS)
    table = tde("find", cwd=root)
    assert table.exit_code == 0, table
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["#", "Topic", "Rows", "Share", "Sources", "By", "source", "Priority"]
    assert re.search(r"^2\s+evictions\s+132\s+12%\s+3\s+log-311 100 \(10%\); records-requests 30 \(60%\);", lines[3])
    assert lines[3].rstrip().endswith("survey       overlap") and lines[4].strip() == "fewer than 5 (-)"
    assert re.search(r"^4\s+noise\s+fewer than 5\s+-\s+1\s", lines[-1])
    assert table.stderr == (
        "Area of overlap (a strategic priority that two sources or more support): evictions, street_safety\n")
    rows = list(csv.reader(io.StringIO(tde("find", "--format", "csv", cwd=root).stdout)))
    assert rows[0] == ["rank", "topic", "rows", "share", "sources", "priority", "overlap", "by_source", "partners"]
    assert rows[4] == ["4", "noise", "fewer than 5", "", "1", "false", "false", "log-311: fewer than 5", ""]
    assert rows[2][7] == "log-311: 100; records-requests: 30; survey: fewer than 5"
    for row in rows[1:]:
        assert not re.search(r"(?<![\d.])[1-4](?![\d.%])", ",".join([row[2], row[7]])), row


def test_without_signals_find_says_what_to_do(tde: Callable[..., Run], empty_project: Path) -> None:
    """No signals: an empty list in JSON, and the commands that make one for people."""
    assert json.loads(tde("find", "--format", "json", cwd=empty_project).stdout) == []
    result = tde("find", cwd=empty_project)
    assert result.exit_code == 0 and "tde find requests FILE --source NAME" in result.stderr
    assert tde("find", "--format", "xml", cwd=empty_project).exit_code == 2


def test_an_invalid_signal_is_left_out_of_the_ranking(tde: Callable[..., Run], empty_project: Path) -> None:
    """A signal with problems is not counted (validate reports it)."""
    root = project_with_signals(empty_project, {"log-311": (10, {"noise": 7}), "bad": (-1, {"noise": 9})})
    ranked = json.loads(tde("find", "--format", "json", cwd=root).stdout)
    assert [(t["topic"], t["rows"]) for t in ranked] == [("noise", 7)]


WORDS = st.text(alphabet="abcdefgh ", min_size=1, max_size=12).filter(lambda w: w.strip() != "")


@given(topics=st.dictionaries(WORDS, st.lists(WORDS, max_size=3), min_size=1, max_size=4), category=WORDS)
def test_a_category_is_in_the_first_topic_it_names_or_contains(topics: dict[str, list[str]], category: str) -> None:
    """Equal to a topic's name wins; else the first topic with a keyword inside it; ignoring case."""
    matcher = TopicMap(topics)
    folded = category.strip().casefold()
    by_name = [t for t in topics if t.strip().casefold() == folded]
    by_word = [t for t, words in topics.items() if any(w.strip() and w.strip().casefold() in folded for w in words)]
    expected = (by_name or by_word or [None])[0]
    assert matcher.for_category(category) == expected
    assert matcher.for_category(category.upper()) == expected


@given(words=st.lists(st.sampled_from(["mold", "moldy", "heat", "LOUD", "loudly", "x"]), max_size=6))
def test_keywords_in_text_count_as_whole_words(words: list[str]) -> None:
    """Free text is in the first topic whose keyword is one of its words, ignoring case."""
    matcher = TopicMap({"housing": ["mold", "heat"], "noise": ["loud"]})
    text = ", ".join(words)
    said = {w.casefold() for w in words}
    expected = "housing" if said & {"mold", "heat"} else ("noise" if "loud" in said else None)
    assert matcher.for_text(text) == expected


def test_a_priority_contains_a_keyword_or_the_name_as_written(tde: Callable[..., Run], empty_project: Path) -> None:
    """As BRIEF says: a priority's text contains (not as whole words) the topic's name, with its
    '_' read as a space, or a keyword, ignoring case; 'Healthy, heated homes' holds 'heat'."""
    root = project_with_signals(empty_project, {"log": (100, {"housing_conditions": 50, "noise": 10, "evictions": 9})})
    settings = root / "tde.yaml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("    - Prevent displacement and EVICTION of long-time residents\n",
                        "    - Healthy, HEATED homes\n    - Quiet nights and a NOISE ordinance review\n")
    text = text.replace("    - Street safety for children walking to school\n", "")
    settings.write_text(text, encoding="utf-8")
    result = tde("find", "--format", "json", cwd=root)
    assert result.exit_code == 0, result
    assert {t["topic"]: t["priority"] for t in json.loads(result.stdout)} == {
        "housing_conditions": True, "noise": True, "evictions": False}
