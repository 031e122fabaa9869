"""``tde init``, ``tde new`` and ``tde list``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from tdekit.cli import FormatOption, ProjectOption, check_format, load, project_root
from tdekit.errors import RefusedWrite, UsageError
from tdekit.records.kinds import KINDS, kind_for
from tdekit.text import join_words, plural

if TYPE_CHECKING:
    from tdekit.scaffold import FieldProblems, IdError

#: This module's commands; :mod:`tdekit.cli.app` adds them to ``tde``.
app = typer.Typer(rich_markup_mode=None)

#: The kinds whose status is not in a field called status, as the help of --status says them.
_OTHER_STATUS_FIELDS = "; ".join(
    f"{name}: {spec.status_field}"
    for name, spec in KINDS.items()
    if spec.status_field not in (None, "status")
)


class _NewCommand(TyperCommand):
    """``tde new``, whose usage error for a missing KIND says which kinds there are."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except typer.BadParameter as err:
            missing = hasattr(err, "param_type") and not err.message  # not given, as against wrong
            if missing and getattr(err.param, "name", None) == "kind":
                err.message = f"KIND is one of: {', '.join(KINDS)} (e.g. tde new interview \"Talk with Maria\")"
            raise


@app.command(short_help="Create a project: record folders and a tde.yaml.")
def init(
    ctx: typer.Context,
    directory: Annotated[
        Path | None,
        typer.Argument(
            metavar="DIR",
            help="Folder to set up, created if missing (default: --project, else here).",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Project name (default: from the folder name).")] = None,
    example: Annotated[
        bool, typer.Option("--example", help="Fill the folder with the shipped example project.")
    ] = False,
    git: Annotated[
        bool, typer.Option("--git/--no-git", help="Run 'git init' when not inside a git work tree.")
    ] = True,
) -> None:
    """Create a project: the record folders and a commented tde.yaml. Never overwrites a file."""
    from tdekit import output
    from tdekit.scaffold import ProjectNameError, init_project

    target = directory or (ctx.obj or {}).get("project") or Path()
    try:
        result = init_project(target, name=name, example=example, git=git)
    except ProjectNameError:
        raise UsageError("--name must be one line of text") from None
    output.info(f"Created a tde project in {result.root} ({len(result.created)} files and folders).")
    if result.git:
        output.info(result.git[:1].upper() + result.git[1:] + ".")
    for note in result.notes:
        output.info(f"Note: {note}.")
    if example:
        output.info("Next: try 'tde list', 'tde validate', 'tde score' and 'tde status' there.")
    else:
        output.info("Next: edit tde.yaml (organization, focus area), then 'tde new interview \"...\"'.")
    typer.echo(str(result.root))


NEW_HELP = "\n".join([
    "Write a new record from its template, with today's date, and print its path.",
    "",
    "\b",
    "KIND is one of:",
    *(f"  {name:<10} {spec.help}" for name, spec in KINDS.items()),
])


@app.command(cls=_NewCommand, help=NEW_HELP, short_help="Write a new record from its template.")
def new(
    ctx: typer.Context,
    kind: Annotated[
        str, typer.Argument(metavar="KIND", help=f"{join_words(list(KINDS), 'or')}.")
    ],
    title: Annotated[
        str, typer.Argument(metavar="TITLE", help="The record's title; its id is made from it.")
    ],
    record_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help="Use this id (a slug such as maria-ortega) instead of one made from the title.",
        ),
    ] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help="Fill in a field (VALUE is read as YAML; repeat for more fields).",
        ),
    ] = None,
    project: ProjectOption = None,
) -> None:
    from tdekit.cli.fields import field_error, parse_sets
    from tdekit.records.project import load_settings
    from tdekit.records.writing import FieldError
    from tdekit.scaffold import FieldProblems, IdError, IdTaken, new_record

    root = project_root(ctx, project)
    values = parse_sets(sets or [])
    settings, _ = load_settings(root)
    if kind_for(kind) == "update" and ("plan",) not in values:
        values = {("plan",): plan, **values} if (plan := _current_plan(root)) else values
    try:
        path = new_record(root, kind, title, record_id=record_id, values=values, settings=settings)
    except IdError as err:
        raise UsageError(_id_refused(err)) from None
    except IdTaken as err:
        hint = "; choose another id with --id" if err.case_only else " (choose another with --id)"
        raise RefusedWrite(err.message + hint) from None
    except FieldError as err:
        raise UsageError(field_error(err, values.get(tuple(map(str, err.path))))) from None
    except FieldProblems as err:
        raise UsageError(_field_problems(err, values)) from None
    typer.echo(_shown_path(path, root))


def _current_plan(root: Path) -> str | None:
    """The plan an update is about when --set plan= does not say: the selected use case's, or
    the only one; None when that is not clear (the field is left for the person to fill in)."""
    from tdekit.errors import TdeError
    from tdekit.publish.choice import choose_plan

    try:
        return choose_plan(load(root), None).id
    except TdeError:
        return None


def _field_problems(err: FieldProblems, values: dict[Any, object]) -> str:
    """What ``tde new`` says when --set values would add problems of their own."""
    said = [f"--set: {p.message}" for p in err.problems]
    for path in err.lists:
        name = ".".join(path)
        typed = str(values.get(path, "")).strip()
        said.append(
            f"--set {name}: {name} must be a list; on the command line write it in brackets, "
            f"e.g. --set '{name}=[{typed}]'"
        )
    said += [f"--set {field}: {message}" for field, message in err.references]
    return "; ".join(said)


def _id_refused(err: IdError) -> str:
    if err.record_id is None:
        return f"{err.message}; give one with --id"
    if not err.record_id.strip():
        return "the id given with --id is empty; give one, or leave --id out to make it from the title"
    return err.message


def _shown_path(path: Path, root: Path) -> str:
    """``path`` as the user can type it from here: relative inside the project, else absolute."""
    import os

    try:
        here = Path.cwd()
    except FileNotFoundError:  # run from a folder that was deleted
        return str(path)
    if here == root or here.is_relative_to(root) or path.is_relative_to(here):
        return os.path.relpath(path, here)
    return str(path)


@app.command(name="list", short_help="List records: id, title, status, key fields.")
def list_records(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Argument(
            metavar="KIND", help=f"Only this kind: {', '.join(KINDS)}."
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", "-s", help=f"Only records with this status ({_OTHER_STATUS_FIELDS})."),
    ] = None,
    fmt: FormatOption = "table",
    project: ProjectOption = None,
) -> None:
    """A table of records: id, title, status and the fields that matter for each kind.

    Ids, dates and choices are never split; in a narrow terminal the fields that matter least
    are left out (and named on stderr) so that titles keep room. The JSON has every field (an
    update's kind as update_kind).
    """
    from tdekit import output
    from tdekit.listing import floors, list_rows, select_records

    check_format(fmt, ("table", "json"))
    root = project_root(ctx, project)
    loaded = load(root)
    chosen_kind, records = select_records(loaded, kind, status)
    invalid = sum(1 for r in records if not r.valid)
    if fmt == "json":
        output.print_json([_as_json(r) for r in records])
    else:
        size = output.width()
        names, rows, whole, dropped = list_rows(records, chosen_kind, width=size)
        output.print_table(names, rows, whole=whole, floors=floors(names))
        note = plural(len(records), "record")
        if dropped:
            note += f"; left out to fit {size} columns: {', '.join(dropped)} (--format json has every field)"
        output.info(note)
    if invalid:
        output.info(
            f"{invalid} of them {'has' if invalid == 1 else 'have'} problems; run 'tde validate' to see "
            f"{'it' if invalid == 1 else 'them'}."
        )


def _as_json(record: Any) -> dict[str, Any]:
    """A record for scripts: where it is and whether it is valid, then its front-matter fields.

    A field named like one of those first keys (an update's ``kind``) is given as
    ``KIND_FIELD`` (``update_kind``), so that no field is lost.
    """
    fields = dict(record.data if record.data is not None else (record.doc.data or {}))
    head = {"kind": record.kind, "path": record.rel, "valid": record.valid}
    head |= {"id": fields.pop("id", record.id), "title": fields.pop("title", record.title)}
    return head | {
        (f"{record.kind}_{name}" if name in head else name): value for name, value in fields.items()
    }
