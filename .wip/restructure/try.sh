#!/bin/bash
# Fresh worktree of $1 (default c941602) at /tmp/try1, then apply.py on it.
set -e
BASE=${1:-c941602}
git -C /work/main worktree remove --force /tmp/try1 2>/dev/null || true
git -C /work/main worktree add --detach /tmp/try1 $BASE >/dev/null 2>&1
source /work/venvs/i18-layout/bin/activate
python /work/helpers/restructure/apply.py /tmp/try1
