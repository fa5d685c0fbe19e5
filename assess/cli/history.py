"""History and moving it: ``assess history``, ``assess export``, ``assess import``.

Click only: parse, call, print."""

from __future__ import annotations

import click

from assess.cli.common import (
    App,
    _all_or_nothing,
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


MAX_IMPORT_BYTES = 50_000_000  # years of weekly check-ins fit in a few MB


@click.command("import")
@click.argument("file", metavar="FILE")
@pass_app
def import_cmd(app: App, file: str) -> None:
    """Merge a history exported by `assess export` (- for stdin). Importing twice adds nothing.

    Example: assess import assess-history.json
    """
    import json

    from assess.core.readers import read_input
    from assess.errors import InputError

    raw, label = read_input(file, InputError, "an `assess export` file", limit=MAX_IMPORT_BYTES)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{label}: not an assess export (invalid JSON: {exc})") from None
    except RecursionError:
        raise InputError(f"{label}: not an assess export (JSON nested too deeply)") from None
    with _all_or_nothing(app) as store:  # the history and the profile, or nothing
        result = store.import_data(data, label, app.today)
    click.echo(
        f"Imported {result.assessments_added} assessments and {result.hours_added} hours entries"
        f" from {label}; already here: {result.assessments_present + result.assessments_merged}"
        f" assessments ({result.assessments_merged} completed from the file) and "
        f"{result.hours_present} hours entries."
    )
    if result.stories_added or result.stories_present:
        click.echo(f"Stories: {result.stories_added} imported, {result.stories_present} "
                   "already here.")
    if result.profile_imported:
        _note("Imported the profile too.")
    for message in result.messages:
        _note(message)
