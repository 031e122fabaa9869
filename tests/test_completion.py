"""Shell completion: ``tde --show-completion`` prints a script that completes tde's commands.

The script is sourced in a real bash, which then asks the installed ``tde`` for completions
the way it does when a user presses Tab. ``_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION``
makes typer take the shell's name instead of guessing it from the parent process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
NO_DETECTION = "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"


def env() -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", NO_DETECTION: "1"}


def tde(*args: str, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tdekit", *args], env={**env(), **(extra or {})},
                          capture_output=True, text=True, check=False)


def test_help_offers_completion() -> None:
    """tde --help lists --install-completion and --show-completion."""
    done = tde("--help")
    assert done.returncode == 0, done.stderr
    assert "--install-completion" in done.stdout
    assert "--show-completion" in done.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("tde va", ["validate"]),
        ("tde s", ["schema", "score", "select", "status"]),
        ("tde render ", ["cards", "plan", "report"]),
        ("tde score --ex", ["--explain"]),
    ],
)
def test_bash_completes_commands_and_options(words: str, expected: list[str], tmp_path: Path) -> None:
    """The bash script, sourced, completes command names and options through tde itself."""
    script = tde("--show-completion", "bash")
    assert script.returncode == 0, script.stderr
    assert "_TDE_COMPLETE=complete_bash" in script.stdout
    (tmp_path / "tde-completion.bash").write_text(script.stdout)
    typed = words.split() + ([""] if words.endswith(" ") else [])  # the word being completed last
    program = (
        f'source "{tmp_path / "tde-completion.bash"}"\n'
        f"COMP_WORDS=({' '.join(repr(word) for word in typed)})\n"
        f"COMP_CWORD={len(typed) - 1}\n"
        "_tde_completion tde\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", program], env=env(),
                          capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(done.stdout.split()) == expected


def test_zsh_completion_names_the_commands() -> None:
    """The zsh protocol gives each command with its one-line help."""
    done = tde(extra={"_TDE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "tde sel"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("_arguments")
    assert '"select":"Mark one use case selected' in done.stdout
