"""Rubrics: ``assess rubric list|show|validate|path``.

Click only: parse, call, print."""

from __future__ import annotations

import click

from assess.cli.common import emit_json


@click.group()
def rubric() -> None:
    """List, show and validate rubrics.

    Example: assess rubric show discord-mle
    """


@rubric.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def rubric_list(as_json: bool) -> None:
    """List the bundled rubrics.

    Example: assess rubric list
    """
    from assess.rubric.view import rubric_list_rows

    rows = rubric_list_rows()
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        click.echo(f"{row['id']:<20} {row['title']}  ({row['topics']} topics, v{row['version']})")


@rubric.command("show")
@click.argument("ref", required=False, metavar="[ID|PATH]")
@click.option("--json", "as_json", is_flag=True, help="Print the whole validated model as JSON.")
@click.option("--checklists", is_flag=True,
              help="Also list each question's checklist: the points a strong answer covers.")
def rubric_show(ref: str | None, as_json: bool, checklists: bool) -> None:
    """Show a rubric's rounds, topics and questions with their ids (default: discord-mle).

    Example: assess rubric show discord-mle --checklists
    """
    from assess.rubric.model import load_rubric
    from assess.rubric.view import rubric_outline

    model = load_rubric(ref)
    if as_json:
        emit_json(model.to_json_dict())
    else:
        click.echo(rubric_outline(model, checklists=checklists))


@rubric.command("validate")
@click.argument("file", type=click.Path(dir_okay=True))
def rubric_validate(file: str) -> None:
    """Check one rubric file and say what is wrong, with line numbers.

    Example: assess rubric validate my-rubric.yaml
    """
    from assess.rubric.model import load_rubric_file

    model = load_rubric_file(file)
    questions = sum(len(t.questions) for t in model.topics.values())
    click.echo(
        f"{file}: ok ({model.meta.id} v{model.meta.version}: {len(model.rounds)} rounds, "
        f"{len(model.topics)} topics, {questions} questions)"
    )


@rubric.command("path")
@click.argument("rubric_id", metavar="ID", required=False)
def rubric_path(rubric_id: str | None) -> None:
    """Print the file path of a bundled rubric (default: discord-mle).

    Example: assess rubric validate "$(assess rubric path discord-mle)"
    """
    from assess.errors import NotFoundError
    from assess.rubric.model import DEFAULT_RUBRIC, bundled_rubric_paths

    bundled = bundled_rubric_paths()
    key = rubric_id or DEFAULT_RUBRIC
    if key not in bundled:
        raise NotFoundError(f"unknown rubric {key!r} (bundled: {', '.join(bundled)})")
    click.echo(str(bundled[key]))
