"""``tde validate`` and ``tde schema``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tdekit.cli import ProjectOption, check_format, load, project_root
from tdekit.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, RefusedWrite
from tdekit.records.kinds import KINDS
from tdekit.text import plural

#: This module's commands; :mod:`tdekit.cli.app` adds them to ``tde``.
app = typer.Typer(rich_markup_mode=None)


@app.command(short_help="Check every record and the rules across them.")
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Only report problems in these files or folders (rules across records still "
            "see the whole project).",
            metavar="PATHS",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings too, not only on errors.")
    ] = False,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="Output: text (one line per problem) or json."),
    ] = "text",
    project: ProjectOption = None,
) -> None:
    """Check every record: YAML, fields, ids, references, scores and the rules of the method.

    Each problem is one line, path:line:col: severity: message [code], the path relative to the
    current folder (with --format json: to the project folder). Exit 0 when clean, 1 on errors
    (with --strict also on warnings), 2 when tde.yaml itself cannot be used.
    """
    from tdekit import output
    from tdekit.problems import has_errors
    from tdekit.records.kinds import SETTINGS_FILE
    from tdekit.validate import in_scope, scope, seen_from, summary, validate_project

    check_format(fmt, ("text", "json"))
    root = project_root(ctx, project)
    prefixes = scope(root, paths) if paths else None
    loaded = load(root)
    settings_broken = loaded.settings is None
    problems = [
        p
        for p in validate_project(loaded)
        if in_scope(p.path, prefixes) or (settings_broken and p.path == SETTINGS_FILE)
    ]
    checked = sum(1 for r in loaded.records if in_scope(r.rel, prefixes))
    if fmt == "json":
        output.print_json([p.as_json() for p in problems])
    else:
        output.print_problems(seen_from(problems, root, Path.cwd()))
    output.info(summary(problems, checked))
    if settings_broken:
        output.error(f"{SETTINGS_FILE} cannot be used until the problems above are fixed")
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_PROBLEMS if has_errors(problems, strict=strict) else EXIT_OK)


@app.command(short_help="Print the JSON Schema of each record kind.")
def schema(
    kind: Annotated[
        str | None,
        typer.Argument(
            help=f"{', '.join(KINDS)}, or settings (tde.yaml); default: all of them.",
            metavar="KIND",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write one file per kind, DIR/<kind>.schema.json, instead of printing JSON.",
            file_okay=False,
            metavar="DIR",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="With -o, replace schema files that already exist.")
    ] = False,
) -> None:
    """Print the JSON Schema of each record kind, for editors and other tools."""
    from tdekit import output
    from tdekit.records.jsonschema import SchemaFilesExist, json_schemas, write_schemas

    schemas = json_schemas(kind)
    if out is None:
        output.print_json(next(iter(schemas.values())) if kind is not None else schemas)
        return
    try:
        written = write_schemas(schemas, out, force=force)
    except SchemaFilesExist as err:
        raise RefusedWrite(f"{err.message}; pass --force to replace") from None
    for path in written:
        typer.echo(str(path))
    output.info(f"{plural(len(written), 'schema file')} written to {out}")
