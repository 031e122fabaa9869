"""tde new checks the ids given with --set at once, so validate never refuses what new wrote."""

from __future__ import annotations

import itertools
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, Run
from tdekit.records.kinds import FOLDERS


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*") if p.is_file() and ".git" not in p.parts and ".tde-cache" not in p.parts
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan", "Draft", "--set", "usecase=eviction-filing"],
         "--set usecase: 'eviction-filing' is not a use case of this project (no usecases/eviction-filing.md); "
         "did you mean 'eviction-filings-by-neighborhood'?"),
        (["plan", "Draft", "--set", "usecase=renter-facing-eviction"],
         "--set usecase: 'renter-facing-eviction' is a persona (personas/renter-facing-eviction.md), not a use case"),
        (["persona", "Reader", "--set", "interviews=[eastside-tenant, courier-reportr]"],
         "--set interviews: 'courier-reportr' is not an interview of this project (no interviews/courier-reportr.md); "
         "did you mean 'courier-reporter'?"),
        (["feedback", "Comment", "--set", "plan=eviction-filings-release"],
         "--set plan: 'eviction-filings-release' is not a plan of this project (no plans/eviction-filings-release.md); "
         "did you mean 'eviction-filings-release-plan'?"),
        (["interview", "Talk", "--set", "usecases=who-owns-my-building, rental-assistance-reach"],
         "--set usecases: usecases must be a list; on the command line write it in brackets, "
         "e.g. --set 'usecases=[who-owns-my-building, rental-assistance-reach]'"),
    ],
)
def test_a_reference_that_validate_would_refuse_is_refused_at_once(
    tde: Callable[..., Run], example: Path, args: list[str], message: str
) -> None:
    """An id of no record, or of the wrong kind, is refused with a did-you-mean; nothing is written."""
    before = snapshot(example)
    result = tde("new", *args, cwd=example)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: {message}\n"
    assert snapshot(example) == before


def test_an_empty_kind_folder_is_named(tde: Callable[..., Run], empty_project: Path) -> None:
    """With no record of the kind yet, the refusal says how to write one."""
    result = tde("new", "plan", "Draft", "--set", "usecase=bus-times", cwd=empty_project)
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --set usecase: 'bus-times' is not a use case of this project (no usecases/bus-times.md); "
        "there are no usecases yet ('tde new usecase TITLE' writes one)\n"
    )


#: (kind, field) -> the kind its ids name, as the brief has it.
REFERENCES = {
    ("interview", "usecases"): "usecase",
    ("persona", "interviews"): "interview",
    ("usecase", "personas"): "persona",
    ("usecase", "evidence"): "interview",
    ("plan", "usecase"): "usecase",
    ("plan", "audience"): "persona",
    ("feedback", "plan"): "plan",
}
LISTS = {field for (_, field) in REFERENCES} - {"usecase", "plan"}
EXAMPLE_IDS = sorted(
    (p.parent.name, p.stem) for p in EXAMPLES.glob("*/*.md")
)
FOLDER_KIND = {folder: kind for kind, folder in FOLDERS.items()}  # every kind, from the registry
COUNTER = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(sorted(REFERENCES)),
    st.one_of(
        st.sampled_from([stem for _, stem in EXAMPLE_IDS]),
        st.sampled_from([stem[:-1] for _, stem in EXAMPLE_IDS]),  # a typo
    ),
)
def test_new_accepts_exactly_the_references_validate_accepts(
    tde: Callable[..., Run], reference: tuple[str, str], ref: str
) -> None:
    """tde new writes a record with a --set reference only when tde validate then accepts it."""
    kind, field = reference
    value = f"[{ref}]" if field in LISTS else ref
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        shutil.copytree(EXAMPLES, root)
        new_id = f"made-{next(COUNTER)}"
        result = tde("new", kind, "Made", "--id", new_id, "--set", f"{field}={value}", cwd=root)
        exists_as = {FOLDER_KIND[folder] for folder, stem in EXAMPLE_IDS if stem == ref}
        assert (result.exit_code == 0) == (REFERENCES[reference] in exists_as), result
        if result.exit_code == 0:
            check = tde("validate", "--format", "json", cwd=root)
            codes = {p["code"] for p in json.loads(check.stdout) if Path(p["path"]).stem == new_id}
            assert not codes & {"unknown-reference", "wrong-kind-reference"}
