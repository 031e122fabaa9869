"""A bare typer app with tde's command names and settings: the yardstick for start-up time.

It keeps tde's command surface (every command and group, with options like tde's), since
typer's own cost grows with each command it registers.

Its commands do nothing; what ``--help`` and ``--version`` cost here is what typer itself
costs, so ``tde``'s figures can be read against it. It has no shell completion options
(``add_completion=False``), so the ratio counts what tde's ``--install-completion`` costs.

    python benchmarks/bare_app.py --help
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="tde",
    help="A bare app with tde's commands.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
render_app = typer.Typer(help="Render.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(render_app, name="render", help="Render a plan.")

ProjectOption = Annotated[Path | None, typer.Option("--project", "-p", help="The project folder.")]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="Output format.")]


def _version(value: bool) -> None:
    if value:
        typer.echo("tde 0.0.0")
        raise typer.Exit()


@app.callback()
def _root(
    project: ProjectOption = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
) -> None:
    """A bare app with tde's commands."""


@app.command()
def init(directory: Path = Path(), name: str | None = None, example: bool = False) -> None:
    """Create a project."""


@app.command()
def new(kind: str, title: str, record_id: Annotated[str | None, typer.Option("--id")] = None) -> None:
    """Write a new record."""


@app.command(name="list")
def list_records(kind: str | None = None, fmt: FormatOption = "table", project: ProjectOption = None) -> None:
    """List records."""


@app.command()
def validate(paths: list[Path] | None = None, strict: bool = False, fmt: FormatOption = "text") -> None:
    """Check every record."""


@app.command()
def schema(kind: str | None = None) -> None:
    """Print JSON Schema."""


@app.command()
def score(top: int | None = None, fmt: FormatOption = "table") -> None:
    """Rank use cases."""


@app.command()
def select(usecase: str) -> None:
    """Select a use case."""


@render_app.command(name="plan")
def render_plan(plan: str | None = None, fmt: FormatOption = "md") -> None:
    """Render a plan."""


@render_app.command(name="report")
def render_report(plan: str | None = None, fmt: FormatOption = "md", lang: str | None = None) -> None:
    """Render the report."""


@render_app.command(name="cards")
def render_cards(kind: str = "all", lang: str | None = None) -> None:
    """Render workshop cards."""


@app.command()
def status() -> None:
    """Where the project stands."""


@app.command()
def circulate(plan: str | None = None, closes: str | None = None) -> None:
    """Circulate a plan."""


find_app = typer.Typer(help="Find.", invoke_without_command=True, rich_markup_mode=None)
app.add_typer(find_app, name="find", help="Rank topics.")


@find_app.command(name="requests")
def find_requests(
    file: Path, source: str, kind: str = "other", topic_column: str | None = None,
    text_column: list[str] | None = None, date_column: str | None = None, where: list[str] | None = None,
) -> None:
    """Tally a request log."""


tally_app = typer.Typer(help="Tally.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(tally_app, name="tally", help="Import tallies.")


@tally_app.command(name="import")
def tally_import(file: Path, engagement: str) -> None:
    """Import tallies."""


feedback_app = typer.Typer(help="Feedback.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(feedback_app, name="feedback", help="Import feedback.")


@feedback_app.command(name="import")
def feedback_import(
    file: Path, plan: str, map_: Annotated[list[str] | None, typer.Option("--map")] = None,
    channel: str | None = None, round_: Annotated[int | None, typer.Option("--round")] = None,
    dry_run: bool = False,
) -> None:
    """Import feedback."""


export_app = typer.Typer(help="Export.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(export_app, name="export", help="Export records.")


@export_app.command(name="feedback")
def export_feedback(plan: str | None = None, fmt: FormatOption = "csv") -> None:
    """Export feedback."""


if __name__ == "__main__":
    app(prog_name="tde")
