"""Hostile PDFs and export files: bounded in time and memory, refused with one plain line.

A mentor's form or a ticked plan is a file from outside: what pypdf inflates is capped, an
encrypted file says so, a checkbox value that is not a state name is refused, and an import
refuses what typed input refuses. Every refusal leaves the database byte-identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from bounded import run_assess
from click.testing import CliRunner, Result
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject, TextStringObject

from assess.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
MINI = str(FIXTURES / "mini-rubric.yaml")
TOPICS = ["sd-feature-pipelines", "sd-serving", "sd-federated", "code-graphs", "beh-conflict"]
WEEK1, WEEK2 = "2026-11-25", "2026-12-02"

pytestmark = pytest.mark.timeout(90)


def invoke(today: str, *args: str, home: Path | None = None) -> Result:
    env = {"ASSESS_HOME": str(home)} if home is not None else None
    return CliRunner().invoke(cli, ["--today", today, *args], env=env)


def digest(home: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(home.glob("assess.db*")) if not p.name.endswith("-shm")}


def make_home(home: Path, tmp: Path) -> None:
    init = invoke(WEEK1, "init", "--name", "Ana", "--rubric", MINI, "--interview-date",
                  "2026-12-23", "--no-input", home=home)
    assert init.exit_code == 0, init.output
    answers = tmp / "w1.yaml"
    answers.write_text("ratings: {" + ", ".join(f"{t}: 2" for t in TOPICS) + "}\n")
    rated = invoke(WEEK1, "rate", "--answers", str(answers), home=home)
    assert rated.exit_code == 0, rated.output


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("hostile-form")
    home = tmp / "home"
    make_home(home, tmp)
    pdf = tmp / "m.pdf"
    result = invoke(WEEK1, "report", "--mentor-form", "-o", str(pdf), home=home)
    assert result.exit_code == 0, result.output
    return home, pdf


@pytest.fixture()
def form(made: tuple[Path, Path], assess_home: Path, tmp_path: Path) -> Path:
    shutil.copytree(made[0], assess_home)
    return Path(shutil.copy(made[1], tmp_path / "m.pdf"))


def edit(src: Path, dst: Path, values: dict[str, object] | None = None,
         rename: dict[str, str] | None = None, metadata: dict[str, str] | None = None) -> Path:
    """Change fields as a hostile tool would: set raw /V values, rename fields (/T)."""
    writer = PdfWriter(clone_from=str(src))
    for page in writer.pages:
        for annot in page.get("/Annots") or []:
            field = annot.get_object()
            name = str(field.get("/T"))
            if values and name in values:
                value = values[name]
                field[NameObject("/V")] = (TextStringObject(value) if type(value) is str
                                           else value)
            if rename and name in rename:
                field[NameObject("/T")] = TextStringObject(rename[name])
    if metadata:
        writer.add_metadata(metadata)
    writer.write(str(dst))
    return dst


def session_ids(today: str = WEEK1) -> list[str]:
    plan = json.loads(invoke(today, "plan", "--json").stdout)
    return [s["id"] for w in plan["weeks"] for s in w["sessions"]]


def refused(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert 1 <= len(lines) <= 2, lines
    return result.stderr


# ----- what a PDF inflates to is capped --------------------------------------------------------


def bomb(path: Path, streams: int, each: int, inside: bool = False) -> Path:
    """A small PDF whose form fields sit in ``streams`` object streams, each inflating to
    ``each`` bytes (a field dictionary, then blanks; ``inside``: blanks inside the dictionary)."""
    def stream(number: int) -> bytes:
        body = f"{number} 0 ".encode()
        first = len(body)
        squeeze = zlib.compressobj(1)
        data = squeeze.compress(body + f"<< /T (level:sd-serving{number}) /FT /Tx /V (2) "
                                .encode())
        if not inside:
            data += squeeze.compress(b">>")
        chunk = b" " * min(each, 1_000_000)
        for _ in range(each // len(chunk)):
            data += squeeze.compress(chunk)
        data += squeeze.compress(b">>" if inside else b"") + squeeze.flush()
        return (f"<< /Type /ObjStm /N 1 /First {first} /Filter /FlateDecode /Length "
                f"{len(data)} >>\nstream\n").encode() + data + b"\nendstream"

    field_base = 1000
    fields = " ".join(f"{field_base + k} 0 R" for k in range(streams))
    bodies = {
        1: f"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [{fields}] >> >>".encode(),
        2: b"<< /Type /Pages /Kids [] /Count 0 >>",
    }
    for k in range(streams):
        bodies[3 + k] = stream(field_base + k)
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number, body in bodies.items():
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_number = 3 + streams
    size = field_base + streams
    rows = bytearray()
    for number in range(size):
        if number in offsets:
            rows += bytes([1]) + offsets[number].to_bytes(4, "big") + (0).to_bytes(2, "big")
        elif number == xref_number:
            rows += bytes([1]) + len(out).to_bytes(4, "big") + (0).to_bytes(2, "big")
        elif number >= field_base:
            rows += bytes([2]) + (3 + number - field_base).to_bytes(4, "big") + bytes(2)
        else:
            rows += bytes([0]) + bytes(4) + (65535 if number == 0 else 0).to_bytes(2, "big")
    start = len(out)
    out += (f"{xref_number} 0 obj\n<< /Type /XRef /Size {size} /W [1 4 2] /Root 1 0 R "
            f"/Length {len(rows)} >>\nstream\n").encode() + rows + b"\nendstream\nendobj\n"
    out += f"startxref\n{start}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, int], Path]:
    """The two bombs of the audit, built once: 5 streams of 70 MB, 250 of 1 MB; and 250 of
    1 MB with the blanks inside the field's dictionary (pypdf parses them byte by byte)."""
    tmp = tmp_path_factory.mktemp("bombs")
    built = {(n, each): bomb(tmp / f"bomb-{n}.pdf", n, each)
             for n, each in ((5, 70_000_000), (250, 1_000_000))}
    built[250, 1] = bomb(tmp / "bomb-inside.pdf", 250, 1_000_000, inside=True)
    return built


@pytest.mark.timeout(120)
@pytest.mark.parametrize(("streams", "each"), [(5, 70_000_000), (250, 1_000_000), (250, 1)])
@pytest.mark.parametrize("command", ["rate", "done"])
def test_a_form_that_inflates_past_the_cap_is_refused_early(
    form: Path, tmp_path: Path, assess_home: Path, streams: int, each: int, command: str,
    bombs: dict[tuple[int, int], Path],
) -> None:
    pdf = Path(shutil.copy(bombs[streams, each], tmp_path / "bomb.pdf"))
    assert pdf.stat().st_size < 2_000_000
    before = digest(assess_home)
    args = (["rate", "--rater", "mentor", "--answers", str(pdf)] if command == "rate"
            else ["done", "--from", str(pdf)])
    run = run_assess(tmp_path, assess_home, "--today", WEEK2, *args, memory_mb=1024)
    assert run.returncode == 2, run.stderr
    what = "compressed parts" if streams == 5 else "object streams"
    limit = 20 if streams == 5 else 2
    assert run.stderr == (f"Error: {pdf}: the PDF's {what} inflate to more than {limit} MB; "
                          "not a form assess wrote, not read\n")
    assert run.cpu_seconds < 8, run  # the audit's 5 x 70 MB took 34 s and 469 MB
    assert run.peak_mb < 250, run
    assert digest(assess_home) == before


def test_a_form_under_the_cap_still_reads(form: Path, tmp_path: Path) -> None:
    from assess.inputs.pdf_answers import MAX_INFLATED_BYTES, read_pdf_fields

    assert MAX_INFLATED_BYTES == 20_000_000
    fields = read_pdf_fields(bomb(tmp_path / "small.pdf", 3, 600_000))  # 1.8 MB inflated
    assert fields == {f"level:sd-serving{1000 + k}": "2" for k in range(3)}


# ----- encrypted, dated, named -----------------------------------------------------------------


@pytest.mark.parametrize("block", [(), ("cryptography",)])
def test_an_aes_256_form_is_called_encrypted(form: Path, tmp_path: Path, assess_home: Path,
                                             block: tuple[str, ...]) -> None:
    filled = edit(form, tmp_path / "f.pdf", {"level:sd-serving": "2"})
    locked = tmp_path / "locked.pdf"
    subprocess.run(["qpdf", "--encrypt", "", "owner-secret", "256", "--", str(filled),
                    str(locked)], check=True, timeout=30)
    before = digest(assess_home)
    run = run_assess(tmp_path, assess_home, "--today", WEEK2, "rate", "--rater", "mentor",
                     "--answers", str(locked), block=block)
    assert run.returncode == 2
    assert run.stderr == (f"Error: {locked}: the PDF is encrypted; save an unencrypted copy "
                          "(without a password) and read that\n")
    assert "DependencyError" not in run.stderr
    assert run.peak_mb < 300
    assert digest(assess_home) == before


def test_a_megabyte_checkbox_name_is_cut_in_messages(form: Path, tmp_path: Path) -> None:
    first = session_ids()[0]
    huge = "session:" + "A" * 1_000_000
    pdf = edit(form, tmp_path / "t.pdf", {f"session:{first}": NameObject("/on")},
               rename={f"session:{first}": huge})
    result = invoke(WEEK1, "done", "--from", str(pdf))
    assert result.exit_code == 0, result.output[:300]
    assert result.stderr.startswith("1 ticked session(s) are in no plan of yours and were left "
                                    "out: 'AAAA")
    assert len(result.stderr) < 200
    assert "A" * 100 not in result.stderr


def test_a_1970_creation_date_does_not_blame_the_interview_date(
    form: Path, tmp_path: Path, assess_home: Path
) -> None:
    first = session_ids()[0]
    pdf = edit(form, tmp_path / "old.pdf", {f"session:{first}": NameObject("/on")},
               metadata={"/CreationDate": "D:19700101000000Z"})
    result = invoke("2026-11-26", "done", "--from", str(pdf))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Marked 1 session(s) done")
    assert result.stderr == ""  # the plan is found by the id the PDF carries, not its date
    assert "interview" not in result.output


# ----- checkbox values and field names ---------------------------------------------------------


@pytest.mark.parametrize(("value", "kind"), [
    (DictionaryObject({NameObject("/X"): NumberObject(1)}), "a dictionary"),
    (NumberObject(1), "a NumberObject"),
    ("maybe", "the text 'maybe'"),
])
def test_a_checkbox_value_that_is_not_a_state_is_refused(
    form: Path, tmp_path: Path, assess_home: Path, value: object, kind: str
) -> None:
    first = session_ids()[0]
    pdf = edit(form, tmp_path / "t.pdf", {f"session:{first}": value})
    before = digest(assess_home)
    result = invoke("2026-11-26", "done", "--from", str(pdf))
    assert refused(result) == (f"Error: {pdf}: field 'session:{first}': a checkbox's value "
                               f"must be a name such as /Yes or /Off, not {kind}\n")
    assert digest(assess_home) == before


def test_a_checkbox_name_that_is_not_one_of_its_states_is_refused(
    form: Path, tmp_path: Path
) -> None:
    first = session_ids()[0]
    states = PdfReader(str(form)).get_fields()[f"session:{first}"].get("/_States_")
    assert states and "/Bogus" not in states
    pdf = edit(form, tmp_path / "t.pdf", {f"session:{first}": NameObject("/Bogus")})
    assert refused(invoke("2026-11-26", "done", "--from", str(pdf))) == (
        f"Error: {pdf}: field 'session:{first}': '/Bogus' is not one of the checkbox's "
        "states; tick or untick it in a PDF viewer\n")


def test_two_fields_for_one_topic_are_refused_naming_both(
    form: Path, tmp_path: Path, assess_home: Path
) -> None:
    pdf = edit(form, tmp_path / "two.pdf", {"level:sd-serving": "2", "level:sd-federated": "4"},
               rename={"level:sd-federated": "level:sd%2Dserving"})
    before = digest(assess_home)
    out = refused(invoke(WEEK2, "rate", "--rater", "mentor", "--answers", str(pdf)))
    assert out == (f"Error: {pdf}: fields 'level:sd-serving' and 'level:sd%2Dserving' are both "
                   "the level of 'sd-serving'; a form has one of each per topic\n")
    assert digest(assess_home) == before


@pytest.mark.parametrize("level", ["³", "٣", "1" * 5000])
def test_a_level_in_other_digits_is_refused(form: Path, tmp_path: Path, assess_home: Path,
                                            level: str) -> None:
    pdf = edit(form, tmp_path / "l.pdf", {"level:sd-serving": level})
    before = digest(assess_home)
    out = refused(invoke(WEEK2, "rate", "--rater", "mentor", "--answers", str(pdf)))
    assert out.startswith(f"Error: {pdf}: ratings.sd-serving: level must be a whole number "
                          "1..5 or null (got ")
    assert len(out) < 300
    assert digest(assess_home) == before


# ----- a mentor's comment and the export ------------------------------------------------------


def test_a_long_comment_is_refused_and_the_longest_round_trips(
    form: Path, tmp_path: Path, assess_home: Path
) -> None:
    long = edit(form, tmp_path / "long.pdf",
                {"level:sd-serving": "3", "mentor-comment": "x" * 3000})
    before = digest(assess_home)
    assert refused(invoke(WEEK2, "rate", "--rater", "mentor", "--answers", str(long))) == (
        f"Error: {long}: mentor-comment: longer than 2000 characters\n")
    assert digest(assess_home) == before
    ok = edit(form, tmp_path / "ok.pdf", {"level:sd-serving": "3", "mentor-comment": "y" * 2000})
    assert invoke(WEEK2, "rate", "--rater", "mentor", "--answers", str(ok)).exit_code == 0
    exported = tmp_path / "e.json"
    assert invoke(WEEK2, "export", str(exported)).exit_code == 0
    other = tmp_path / "other"
    result = invoke(WEEK2, "import", str(exported), home=other)
    assert result.exit_code == 0, result.output
    mentor = [a for a in json.loads(invoke(WEEK2, "export", "-", home=other).stdout)
              ["assessments"] if a["rater"] == "mentor"]
    assert mentor[0]["comment"] == "y" * 2000


def test_the_store_refuses_a_comment_longer_than_an_export_takes(assess_home: Path,
                                                                 tmp_path: Path) -> None:
    from assess.errors import InputError
    from assess.rubric.model import load_rubric
    from assess.store import Store

    make_home(assess_home, tmp_path)
    with Store.open(assess_home) as store, pytest.raises(InputError, match=(
            "^comment: longer than 2000 characters$")):
        store.add_assessment("mentor", dt.date(2026, 12, 1), load_rubric(MINI),
                              {"sd-serving": 3}, comment="z" * 2001)
