"""Every command's help ends with an example, and --help stays cheap."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from assess.cli import cli


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in sorted((n, group.get_command(click.Context(group), n))
                             for n in group.list_commands(click.Context(group))):
        if isinstance(command, click.Group):
            found += _all_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("path", _all_commands(cli), ids=lambda p: " ".join(p) or "assess")
def test_help_ends_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    last = result.output.rstrip().splitlines()[-1].strip()
    assert last.startswith("Example: assess"), last


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys; from assess.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('weasyprint', 'jinja2', 'pydantic', 'yaml', 'icalendar', "
        "'sqlite3') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY="


def test_version() -> None:
    from assess import __version__

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"assess, version {__version__}\n"
