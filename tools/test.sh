#!/usr/bin/env bash
# What `make test` runs inside the virtualenv, once DATABASE_URL and REDIS_URL point at running
# servers (tools/devservices.py run). Every step runs even when an earlier one fails, so one run
# shows everything; the exit code is pytest's if it failed, else 1 if a check failed, else 0.
# Arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
check() {
    echo "==> $*"
    "$@" || failed+=("$*")
}

check ruff check .
check ruff format --check .
if compgen -G "locale/*/LC_MESSAGES/*.po" >/dev/null; then
    check python manage.py compilemessages --ignore=.venv --ignore=.data -v 0
fi
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
