"""Stories from files: `story add --from FILE`, the `stories:` list of an answers file, the
YAML that `story edit` opens, and the stories of an export. Validated in full (pydantic,
unknown fields refused, sizes capped, control characters refused, tags checked against the
rubric) before anything is saved.

A story file is YAML or JSON: a list of stories, or a mapping ``{stories: [...]}``::

    stories:
      - title: Spam classifier rollback
        situation: Our new spam model lost its A/B test after a strong offline result.
        task: I owned finding out why before the next release.
        action: I compared training and serving features and found a skewed one ...
        result: We shipped the fix and cut false positives 30% in the re-run.
        metric: cut false positives 30%      # optional
        topics: [bh-failure]
        questions: [bh-failure-q1]

Imported only where a file is read, so pydantic stays off the plan and report path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError, field_validator

from assess.core.parsing import compose_tree, field_path, line_of
from assess.core.readers import read_input
from assess.core.textsafety import unsafe_character
from assess.errors import InputError
from assess.rubric.model import Rubric
from assess.stories.star import (
    MAX_METRIC_CHARS,
    MAX_PART_CHARS,
    MAX_STORIES,
    MAX_TAGS,
    MAX_TITLE_CHARS,
    Story,
    behavioral_questions,
    check_tags,
)

STORY_FIELDS = ("title", "situation", "task", "action", "result", "metric", "topics",
                "questions")


def _plain(value: str, multiline: bool = True) -> str:
    code = unsafe_character(value, multiline=multiline)
    if code:
        raise ValueError(f"control character {code} is not allowed (plain text only)")
    return value.strip()


class StoryModel(BaseModel):
    """One story as a file gives it."""

    model_config = ConfigDict(extra="forbid")

    title: StrictStr = Field(max_length=MAX_TITLE_CHARS)
    situation: StrictStr = Field(max_length=MAX_PART_CHARS)
    task: StrictStr = Field(max_length=MAX_PART_CHARS)
    action: StrictStr = Field(max_length=MAX_PART_CHARS)
    result: StrictStr = Field(max_length=MAX_PART_CHARS)
    metric: StrictStr | None = Field(default=None, max_length=MAX_METRIC_CHARS)
    topics: list[StrictStr] = Field(default_factory=list, max_length=MAX_TAGS)
    questions: list[StrictStr] = Field(default_factory=list, max_length=MAX_TAGS)

    @field_validator("title", "metric")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        return None if value is None else _plain(value, multiline=False)

    @field_validator("situation", "task", "action", "result")
    @classmethod
    def _part(cls, value: str) -> str:
        value = _plain(value)
        if not value:
            raise ValueError("empty; every STAR part needs a sentence or two")
        return value

    @field_validator("topics", "questions")
    @classmethod
    def _ids(cls, value: list[str]) -> list[str]:
        out = []
        for item in value:
            item = _plain(item, multiline=False)
            if len(item) > 200:
                raise ValueError("an id is at most 200 characters")
            if item not in out:
                out.append(item)
        return out

    def to_story(self) -> Story:
        if not self.title:
            raise ValueError("title: empty; give the story a short title")
        return Story(title=self.title, situation=self.situation, task=self.task,
                     action=self.action, result=self.result, metric=self.metric or None,
                     topics=tuple(self.topics), questions=tuple(self.questions))


def parse_stories(items: Any, label: str, rubric: Rubric, text: str | None = None,
                  prefix: tuple[str | int, ...] = (), single: bool = False) -> list[Story]:
    """Validate a list of story mappings against ``rubric``; InputError (exit 2) naming the
    file, line and field of the first problem."""
    where = field_path(prefix) or "(top level)"
    if not isinstance(items, list):
        raise InputError(f"{label}: {where}: expected a list of stories")
    if len(items) > MAX_STORIES:
        raise InputError(f"{label}: {where}: more than {MAX_STORIES} stories")
    root = compose_tree(text) if text is not None else None
    out: list[Story] = []
    for i, item in enumerate(items):
        loc = prefix if single else (*prefix, i)
        try:
            model = StoryModel.model_validate(item)
            story = model.to_story()
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            message = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = f"unknown field (allowed: {', '.join(STORY_FIELDS)})"
            elif err["type"] == "missing":
                message = "missing; every story has a title, situation, task, action and result"
            more = len(exc.errors()) - 1
            if more:
                message += f" (and {more} more problem{'s' if more > 1 else ''})"
            raise InputError(_line(label, text, root, (*loc, *err["loc"]), message)) from None
        except ValueError as exc:
            raise InputError(_line(label, text, root, loc, str(exc))) from None
        problem = check_tags(rubric, story.topics, story.questions)
        if problem:
            path, _, rest = problem.partition(": ")
            key, _, index = path.partition(".")
            raise InputError(_line(label, text, root, (*loc, key, int(index)), rest))
        out.append(story)
    return out


def _line(label: str, text: str | None, root: Any, loc: tuple[Any, ...], message: str) -> str:
    loc = tuple(int(p) if isinstance(p, str) and p.isdigit() else p for p in loc)
    line = line_of(text, loc, root) if text is not None and root is not None else None
    where = f"line {line}: " if line else ""
    return f"{label}: {where}{field_path(loc)}: {message}"


def stories_in(data: Any, label: str) -> tuple[Any, tuple[str, ...]]:
    """The list of stories in a story file's data, and where it sits."""
    if isinstance(data, dict):
        extra = [k for k in data if k != "stories"]
        if extra:
            raise InputError(f"{label}: {field_path((extra[0],))}: unknown field "
                             "(a story file is a list of stories, or stories: [...])")
        if "stories" not in data:
            raise InputError(f"{label}: stories: missing")
        return data["stories"], ("stories",)
    return data, ()


def read_story_file(source: str | Path, rubric: Rubric,
                    stdin: BinaryIO | None = None) -> list[Story]:
    """Read and validate a YAML or JSON story file (``-`` for stdin)."""
    from assess.core.parsing import parse_yaml_text

    raw, label = read_input(source, InputError, "a story file", stdin)
    data = parse_yaml_text(raw, label, InputError)
    if data is None:
        raise InputError(f"{label}: the file is empty")
    items, prefix = stories_in(data, label)
    stories = parse_stories(items, label, rubric, raw.decode("utf-8-sig"), prefix)
    if not stories:
        raise InputError(f"{label}: no stories in the file")
    return stories


# ----- the YAML that `story edit` opens --------------------------------------------------------


def _literal(dumper: Any, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def edit_text(story: Story, rubric: Rubric) -> str:
    """A story as commented YAML, for the editor; ``parse_edited`` reads it back."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(str, _literal)
    body = yaml.dump(story.fields(), Dumper=Dumper, sort_keys=False, allow_unicode=True,
                     width=88, default_flow_style=None)
    lines = [
        f"# Story {story.id}: edit, save and close. An invalid story is refused and the saved one",
        "# stays as it was. Topics and questions are ids; the behavioral questions are:",
    ]
    for qid, (tid, text) in behavioral_questions(rubric).items():
        short = " ".join(text.split())
        short = short if len(short) <= 60 else short[:57] + "..."
        lines.append(f"#   {qid} ({tid}): {short}")
    return "\n".join(lines) + "\n" + body


def parse_edited(text: str, label: str, rubric: Rubric) -> Story:
    """The story in an edited YAML text (InputError when it is not a valid story)."""
    from assess.core.parsing import parse_yaml_text

    data = parse_yaml_text(text.encode("utf-8"), label, InputError)
    if not isinstance(data, dict):
        raise InputError(f"{label}: (top level): expected one story (title, situation, ...)")
    return parse_stories([data], label, rubric, text, single=True)[0]


MAX_EDITED_BYTES = 1_000_000  # a story is at most ~25 kB; the comment lists the questions


def read_edited(path: Path, label: str) -> str:
    """The text an editor left at ``path``: a regular file (not a link, a pipe, a device or a
    folder) of at most ``MAX_EDITED_BYTES``, in UTF-8. ``InputError`` saying what is wrong."""
    import stat

    try:
        info = path.lstat()
    except FileNotFoundError:
        raise InputError(f"{label}: the editor left no file (it was deleted or moved)") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot read ({exc.strerror or exc})") from None
    if stat.S_ISLNK(info.st_mode):
        raise InputError(f"{label}: the editor left a symbolic link, not the file; "
                         "save the story as a plain file")
    try:
        raw, _ = read_input(path, InputError, "the edited story", limit=MAX_EDITED_BYTES)
    except InputError as exc:  # name the story, not the temporary file
        raise InputError(f"{label}: {str(exc).split(': ', 1)[-1]}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{label}: not UTF-8 text (byte 0x{raw[exc.start]:02X} at offset "
                         f"{exc.start}); save the file as UTF-8") from None
