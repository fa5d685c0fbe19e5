"""Safe reading of YAML/JSON files from users, and readable validation errors.

Files are data: decoded strictly, refused when binary or huge, checked for alias bombs, and
loaded with the safe loader only (libyaml's when available). Errors read
``FILE: line N: field.path: message``.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from assess.core.textsafety import shown, unsafe_character

MAX_FILE_BYTES = 2_000_000
MAX_ALIASES = 100
MAX_NODES = 200_000  # values in the file once every alias is expanded

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
                    None, None, f"duplicate key {shown(key)}", key_node.start_mark
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
            _check_aliases(text, label, error)
        return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise error(f"{label}: {_yaml_message(exc)}") from None
    except RecursionError:
        raise error(f"{label}: YAML nested too deeply") from None
    except (ValueError, TypeError) as exc:  # e.g. an impossible date such as 2026-13-01
        raise error(_unconstructible(text, label, exc)) from None


def _check_aliases(text: str, label: str, error: type[Exception]) -> None:
    """Refuse a file whose aliases are too many, recursive, or expand to too many values.

    An alias shares its node, so a file can stay under ``MAX_ALIASES`` and still stand for
    billions of values once walked (by validation, or by an error message showing one). The
    expanded size is counted on the node graph, each distinct node once: linear in the file.
    """
    aliases = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise error(f"{label}: too many YAML aliases (more than {MAX_ALIASES})")
    root = yaml.compose(text, Loader=_SafeLoader)
    if root is None:
        return
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            active.discard(key)
            total = 1 + sum(sizes[id(child)] for child in children)
            if total > MAX_NODES:
                raise error(
                    f"{label}: YAML aliases expand to more than {MAX_NODES} values; not read"
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in active:
            raise error(f"{label}: line {node.start_mark.line + 1}: a YAML alias refers to "
                        "itself (recursive data is not allowed)")
        active.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _unconstructible(text: str, label: str, exc: Exception) -> str:
    """Name the field whose YAML scalar could not become a value (an impossible date)."""
    try:
        node = yaml.compose(text, Loader=_SafeLoader)
    except (yaml.YAMLError, RecursionError):  # cannot walk it again: name the value only
        return f"{label}: {shown(str(exc))}"
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
                    f"{shown(current.value)} is not a date in YYYY-MM-DD form ({bad})"
                )
    return f"{label}: {shown(str(exc))}"


def _yaml_message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in str(problem):
        problem = "unsupported YAML tag (only plain data is allowed): " + str(problem)
    if mark is not None:
        return f"line {mark.line + 1}: {problem}"
    return str(problem)


def control_character(text: str) -> str | None:
    """``"U+001B"`` for the first control or bidi character in ``text`` (tab and newline are
    fine): what a terminal obeys rather than shows (see ``assess.core.textsafety``)."""
    return unsafe_character(text, multiline=True)


def field_path(loc: tuple[Any, ...]) -> str:
    """``a.b.0.c`` for an error location; a part with control characters (a newline in a key
    of a hostile file) is shown quoted, so an error stays on its one line, and a long part is
    cut."""
    parts = []
    for part in loc:
        text = str(part) if isinstance(part, (str, int)) else shown(part)
        parts.append(text if text.isprintable() and len(text) <= 60 else shown(text))
    return ".".join(parts)


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
    root = compose_tree(text) if text is not None else None
    for err in errors[:limit]:
        loc = tuple(err["loc"])
        message = err["msg"]
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, LocatedError):
            loc, message = (*loc, *cause.loc), str(cause)
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        message = message.replace("Tuple should", "List should").replace(" after validation", "")
        message = message.replace("a valid tuple", "a list")
        if err["type"] == "extra_forbidden":
            message = "unknown field (not allowed here)"
        if not loc:  # a cross-check of the whole file names its field first: "rounds.2.x: ..."
            loc, message = _located(message)
        path = field_path(loc)
        line = line_of(text, loc, root) if text is not None else None
        where = f"line {line}: " if line else ""
        lines.append(f"{label}: {where}{path or '(top level)'}: {message}")
    if len(errors) > limit:
        lines.append(f"{label}: ... and {len(errors) - limit} more problems")
    return "\n".join(lines)


_LOCATED = re.compile(r"^([A-Za-z_][\w-]*(?:\.[\w-]+)*): (.+)$", re.DOTALL)


def _located(message: str) -> tuple[tuple[Any, ...], str]:
    """Split ``"rounds.2.criteria: unknown ..."`` into a location and the rest of the message."""
    found = _LOCATED.match(message)
    if not found:
        return (), message
    loc = tuple(int(p) if p.isdigit() else p for p in found.group(1).split("."))
    return loc, found.group(2)


def compose_tree(text: str) -> Any:
    """The YAML node tree of ``text`` (for line numbers), or None when it cannot be built."""
    try:
        return yaml.compose(text, Loader=_SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None


_UNSET: Any = object()


def line_of(text: str | None, loc: tuple[Any, ...], root: Any = _UNSET) -> int | None:
    """Best-effort line number of a pydantic error location in YAML text.

    Pass ``root`` (from ``compose_tree``) when looking up several locations in one file, so
    the file is parsed once, not once per error.
    """
    node = compose_tree(text) if root is _UNSET and text is not None else root
    if root is _UNSET and text is None:
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
