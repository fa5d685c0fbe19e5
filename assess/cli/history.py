"""History and moving it: ``assess history``, ``assess export``, ``assess import``.

Click only: parse, call, print."""

from __future__ import annotations

import click

from assess.cli.common import (
    App,
    _note,
    _output_path,
    _safe,
    emit_json,
    open_store,
    pass_app,
)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option("--rater", type=click.Choice(["self", "mentor"]), default=None,
              help="Only this rater's assessments.")
@pass_app
def history(app: App, as_json: bool, rater: str | None) -> None:
    """Past assessments, oldest first, with readiness and the trend.

    Example: assess history --json
    """
    from assess.app.history import history_rows, history_table, target_level_of

    with open_store(app) as store:
        rows = history_rows(store, target_level_of(store.get_profile()), rater)
    if as_json:
        emit_json(rows)
    elif not rows:
        _note("No assessments yet. Run `assess rate` to rate yourself.")
    else:
        click.echo(history_table(rows))


@click.command("export")
@click.argument("file", metavar="FILE")
@pass_app
def export_cmd(app: App, file: str) -> None:
    """Write your whole history (profile, assessments, hours, stories) to a JSON file (- for
    stdout).

    Example: assess export assess-history.json
    """
    import json

    from assess.report.atomic import write_text_atomic

    if file != "-":
        _output_path(app, file, "")
    with open_store(app) as store:
        data = store.export_data()
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if file == "-":
        click.echo(_safe(text), nl=False)  # the same JSON, with control codes as \u escapes
    else:
        write_text_atomic(_output_path(app, file, ""), text)
    stories = f", {len(data['stories'])} stories" if data["stories"] else ""
    _note(f"Exported {len(data['assessments'])} assessments and {len(data['hours'])} hours "
          f"entries{stories}{'' if file == '-' else ' to ' + file}.")




@click.command("import")
@click.argument("file", metavar="FILE")
@pass_app
def import_cmd(app: App, file: str) -> None:
    """Merge a history exported by `assess export` (- for stdin). Importing twice adds nothing.

    Example: assess import assess-history.json
    """
    from assess.app.transfer import import_history

    done = import_history(app.home, app.today, file)
    for line in done.lines:
        click.echo(line)
    for note in done.notes:
        _note(note)
