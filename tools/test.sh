#!/usr/bin/env bash
# What `make test` runs inside the virtualenv, once DATABASE_URL and REDIS_URL point at running
# servers (tools/devservices.py run). Every step runs even when an earlier one fails, so one run
# shows everything; the exit code is pytest's if it failed, else 1 if a check failed, else 0.
# Arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."

# Uploaded files of the tests go to a throwaway folder, never the checkout's private/.
export PRIVATE_ROOT="${PRIVATE_ROOT:-$PWD/.data/test/private}"
export MEDIA_ROOT="${MEDIA_ROOT:-$PWD/.data/test/media}"

failed=()
check() {
    echo "==> $*"
    "$@" || failed+=("$*")
}

check ruff check .
check ruff format --check .
# The committed .mo files are tested against the .po files (tests/test_i18n.py); compiling
# them here would hide a forgotten `compilemessages`.
check python manage.py makemigrations --check --dry-run

echo "==> pytest $*"
python -m pytest "$@"
pytest_code=$?

if ((${#failed[@]})); then
    printf 'FAILED: %s\n' "${failed[@]}" >&2
fi
if ((pytest_code != 0)); then
    exit "$pytest_code"
fi
((${#failed[@]} == 0)) || exit 1
