"""Where assess finds its bundled data and the user's data home.

Bundled rubrics and templates live at the top of the repository and ship inside the wheel
as ``assess/rubrics`` and ``assess/report_templates``. ``importlib.resources`` finds them in
an installed wheel; a source checkout falls back to the repository folders.
"""

from __future__ import annotations

import os
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent


def _bundled(name: str) -> Path:
    from importlib import resources

    packaged = Path(str(resources.files("assess") / name))
    if packaged.is_dir():
        return packaged
    return _REPO_ROOT / name


def rubrics_dir() -> Path:
    """The folder holding the bundled rubric files."""
    return _bundled("rubrics")


def templates_dir() -> Path:
    """The folder holding the bundled report templates, CSS and fonts."""
    return _bundled("report_templates")


def default_home() -> Path:
    """The data home: ``$ASSESS_HOME`` if set, else the platform's user data dir."""
    env = os.environ.get("ASSESS_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("assess", appauthor=False))
