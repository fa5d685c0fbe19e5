"""Broken and hostile rubric files: exit 2, a few plain `FILE: field.path: message` lines."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from assess.cli import cli
from assess.resources import rubrics_dir

BASE: dict[str, Any] = yaml.safe_load((rubrics_dir() / "discord-mle.yaml").read_text())


def _validate(path: Path) -> Any:
    return CliRunner().invoke(cli, ["rubric", "validate", str(path)])


def _write(tmp_path: Path, data: Any, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    elif isinstance(data, str):
        path.write_text(data)
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _assert_refused(result: Any, path: Path, pattern: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert 1 <= len(lines) <= 4, result.stderr
    assert "Traceback" not in result.stderr
    assert all(line.startswith(f"Error: {path}: ") for line in lines), result.stderr
    assert re.search(pattern, lines[0]), lines[0]


def mutated(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    change(data)
    return data


CASES = {
    "bad-yaml": ("meta:\n  id: x\n   title: [unclosed\n", r"line \d+: "),
    "empty": ("", r"the file is empty"),
    "whitespace-only": ("\n  \n", r"the file is empty"),
    "list-not-mapping": ("- a\n- b\n", r"\(top level\): expected a mapping.*got list"),
    "missing-key": (mutated(lambda d: d.pop("timeline")), r"timeline: Field required"),
    "missing-nested-key": (
        mutated(lambda d: d["rounds"][2]["topics"][0].pop("title")),
        r"line \d+: rounds\.2\.topics\.0\.title: Field required",
    ),
    "extra-key": (
        mutated(lambda d: d["meta"].update(colour="red")),
        r"line \d+: meta\.colour: unknown field",
    ),
    "duplicate-topic-id": (
        mutated(lambda d: d["rounds"][3]["topics"][1].update(id="am-nlp")),
        r"duplicate id 'am-nlp' in topics",
    ),
    "duplicate-round-id": (
        mutated(lambda d: d["rounds"][4].update(id="applied-ml")),
        r"duplicate id 'applied-ml' in rounds",
    ),
    "text-for-number": (
        mutated(lambda d: d["rounds"][2].update(weight="forty percent")),
        r"line \d+: rounds\.2\.weight: Input should be a valid number",
    ),
    "negative-weight": (
        mutated(lambda d: d["rounds"][0].update(weight=-0.03)),
        r"rounds\.0\.weight: Input should be greater than or equal to 0",
    ),
    "weights-not-one": (
        mutated(lambda d: d["rounds"][0].update(weight=0.5)),
        r"round weights must sum to 1",
    ),
    "min-share-above-weight": (
        mutated(lambda d: d["rounds"][2].update(min_share=0.6)),
        r"rounds\.2: min_share 0\.6 is above weight 0\.4",
    ),
    "unknown-criterion": (
        mutated(lambda d: d["rounds"][5]["criteria"].update({"luck": 0.0})),
        r"rounds\.5\.criteria: criterion weight for 'luck' must be a positive number",
    ),
    "round-without-topics": (
        mutated(lambda d: d["rounds"][1].update(topics=[])),
        r"rounds\.1\.topics: List should have at least 1 item",
    ),
    "gap-in-levels": (
        mutated(lambda d: d["scale"][2].update(level=4)),
        r"scale levels must be 1, 2, 3, 4, 5 in order",
    ),
    "alias-bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n"
            for i in range(20)
        ),
        r"too many YAML aliases",
    ),
    "python-tag": (
        "meta: !!python/object/apply:os.system ['echo pwned']\n",
        r"line 1: unsupported YAML tag",
    ),
    "python-name-tag": ("x: !!python/name:os.system\n", r"unsupported YAML tag"),
    "duplicate-key": ("meta:\n  id: a\n  id: b\n", r"line 3: duplicate key 'id'"),
    "binary": (bytes(range(256)) * 4, r"binary data"),
    "not-utf8": (b"meta: \xff\xfe\xfa\n", r"not UTF-8 text"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_rubric_is_refused_cleanly(tmp_path: Path, case: str) -> None:
    content, pattern = CASES[case]
    path = _write(tmp_path, content)
    _assert_refused(_validate(path), path, pattern)


def test_python_tag_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = _write(tmp_path, f"meta: !!python/object/apply:os.system ['touch {marker}']\n")
    _assert_refused(_validate(path), path, "unsupported YAML tag")
    assert not marker.exists()


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    _assert_refused(_validate(path), path, "no such file")


def test_many_errors_are_capped(tmp_path: Path) -> None:
    data = mutated(lambda d: [t.pop("title") for r in d["rounds"] for t in r["topics"]])
    path = _write(tmp_path, data)
    result = _validate(path)
    _assert_refused(result, path, "Field required")
    assert result.stderr.splitlines()[-1].endswith("more problems")


def test_valid_copy_validates(tmp_path: Path) -> None:
    path = _write(tmp_path, BASE)
    result = _validate(path)
    assert result.exit_code == 0
    assert result.stdout == (
        f"{path}: ok (discord-mle v1.0: 6 rounds, 23 topics, 38 questions)\n"
    )
