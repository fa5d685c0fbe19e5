"""Safe reading of YAML/JSON files from users, and readable validation errors.

Files are data: decoded strictly, refused when binary or huge, checked for alias bombs, and
loaded with the safe loader only (libyaml's when available). Errors read
``FILE: line N: field.path: message``.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

MAX_FILE_BYTES = 2_000_000
MAX_ALIASES = 100

_BaseSafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SafeLoader(_BaseSafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader (libyaml's when available), refusing a key given twice in a mapping:
    YAML would keep the last one silently, hiding a typo in a hand-edited file."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: the base class reports it
                break
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
        return super().construct_mapping(node, deep=deep)


def parse_yaml_text(raw: bytes, label: str, error: type[Exception]) -> Any:
    """Decode and safe-load YAML (or JSON) bytes, refusing binary data and alias bombs.

    Every failure raises ``error`` with a message of the form ``LABEL: ...``.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise error(f"{label}: file is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    if b"\x00" in raw:
        raise error(f"{label}: binary data, expected YAML or JSON text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{label}: not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise error(f"{label}: the file is empty")
    try:
        if "*" in text:  # only a file with aliases can be an alias bomb
            aliases = 0
            for event in yaml.parse(text, Loader=_SafeLoader):
                if isinstance(event, yaml.AliasEvent):
                    aliases += 1
                    if aliases > MAX_ALIASES:
                        raise error(f"{label}: too many YAML aliases (more than {MAX_ALIASES})")
        return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise error(f"{label}: {_yaml_message(exc)}") from None
    except RecursionError:
        raise error(f"{label}: YAML nested too deeply") from None
    except (ValueError, TypeError) as exc:  # e.g. an impossible date such as 2026-13-01
        raise error(_unconstructible(text, label, exc)) from None


def _unconstructible(text: str, label: str, exc: Exception) -> str:
    """Name the field whose YAML scalar could not become a value (an impossible date)."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    stack: list[tuple[Any, tuple[str, ...]]] = [(node, ())]
    loader = yaml.SafeLoader("")
    while stack:
        current, path = stack.pop()
        if isinstance(current, yaml.MappingNode):
            stack.extend((value, (*path, str(key.value))) for key, value in current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((value, (*path, str(i))) for i, value in enumerate(current.value))
        elif isinstance(current, yaml.ScalarNode) and current.tag.endswith(":timestamp"):
            try:
                loader.construct_yaml_timestamp(current)
            except ValueError as bad:
                where = ".".join(path) or "(top level)"
                return (
                    f"{label}: line {current.start_mark.line + 1}: {where}: "
                    f"{current.value!r} is not a date in YYYY-MM-DD form ({bad})"
                )
    return f"{label}: {exc}"


def _yaml_message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in str(problem):
        problem = "unsupported YAML tag (only plain data is allowed): " + str(problem)
    if mark is not None:
        return f"line {mark.line + 1}: {problem}"
    return str(problem)


# C0 controls but tab and newline, DEL, and C1 controls: nothing a rubric or a note needs, and
# what a terminal obeys (clear the screen, retitle the window, write the clipboard).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_character(text: str) -> str | None:
    """``"U+001B"`` for the first control character in ``text`` (tab and newline are fine)."""
    found = _CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def field_path(loc: tuple[Any, ...]) -> str:
    """``a.b.0.c`` for an error location; a part with control characters (a newline in a key
    of a hostile file) is shown quoted, so an error stays on its one line."""
    return ".".join(
        str(part) if str(part).isprintable() else repr(str(part)) for part in loc
    )


class LocatedError(ValueError):
    """A check over a whole model (a repeated id) that knows which field it is about: raised in
    a model validator, it is reported at ``loc`` under the model, with that field's line."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


def format_validation_error(label: str, exc: Any, text: str | None = None, limit: int = 3) -> str:
    """Lines ``LABEL: line N: field.path: message`` (at most ``limit``) for a pydantic error."""
    lines = []
    errors = exc.errors(include_url=False)
    for err in errors[:limit]:
        loc = tuple(err["loc"])
        message = err["msg"]
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, LocatedError):
            loc, message = (*loc, *cause.loc), str(cause)
        path = field_path(loc)
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        message = message.replace("Tuple should", "List should").replace(" after validation", "")
        message = message.replace("a valid tuple", "a list")
        if err["type"] == "extra_forbidden":
            message = "unknown field (not allowed here)"
        line = line_of(text, loc) if text is not None else None
        where = f"line {line}: " if line else ""
        lines.append(f"{label}: {where}{path or '(top level)'}: {message}")
    if len(errors) > limit:
        lines.append(f"{label}: ... and {len(errors) - limit} more problems")
    return "\n".join(lines)


def line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """Best-effort line number of a pydantic error location in YAML text."""
    try:
        node = yaml.compose(text, Loader=_SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None
    line = None
    keyed = False  # the last node was reached through a mapping key
    for part in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            found = None
            for key, value in node.value:
                if str(key.value) == str(part):
                    found = value
                    line = key.start_mark.line + 1
                    break
            node, keyed = found, True
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if 0 <= part < len(node.value) else None
            keyed = False
        else:
            break
    # A whole list or mapping under a key (a checklist with too few points): the key's line.
    if node is not None and not (
        keyed and isinstance(node, (yaml.MappingNode, yaml.SequenceNode))
    ):
        line = node.start_mark.line + 1
    return line
