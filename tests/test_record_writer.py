"""scaffold.RecordWriter makes, with one reading per record, the bytes write_record makes."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from tdekit.records.writing import set_fields
from tdekit.scaffold import RecordWriter, write_record

TODAY = dt.date(2026, 6, 1)
TEXT = st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=30).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(title=TEXT, source=TEXT, section=st.one_of(st.none(), TEXT), body=st.text(st.characters(exclude_categories=["Cs", "Cc"], include_characters="\n"), max_size=80),
       round_=st.one_of(st.none(), st.integers(1, 9)))
def test_the_writer_gives_write_records_bytes(
    title: str, source: str, section: str | None, body: str, round_: int | None
) -> None:
    values: dict[str, object] = {"id": "a-comment", "title": title, "plan": "p", "date": TODAY, "source": source,
                                 "consent": "private", "channel": "email", "disposition": "open",
                                 "import_key": "0123abcd"}
    if section is not None:
        values["section"] = section
    if round_ is not None:
        values["round"] = round_
    writer = RecordWriter("feedback", root=None, today=TODAY)
    for _ in range(2):  # the first record is checked against write_record; the second is not
        raw, doc = writer.write(values, body)
        assert raw == write_record("feedback", values, body, root=None, today=TODAY)
        assert doc.data is not None and doc.data["title"] == title


def test_setting_fields_together_gives_the_bytes_of_setting_them_one_by_one() -> None:
    raw = b"---\nid: x   # the id\ntitle: T\nplan:\n---\n\nBody\n"
    fields = {"title": "New: title", "plan": "p-1", "round": 2, "tags": ["a", "b"]}
    one_by_one = raw
    for name, value in fields.items():
        one_by_one = set_fields(one_by_one, {name: value}, align_comments=True)
    assert set_fields(raw, fields, align_comments=True) == one_by_one
