#!/bin/sh
# Print the path of a Python >= 3.12 (Django 6.1 needs it), preferring 3.12, which the pins and
# the Docker image use. A pyenv shim can exist without working, so each candidate is run.
# $PYTHON overrides the search.
for candidate in \
    "${PYTHON:-}" \
    python3.12 \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3.12 \
    /root/.pyenv/versions/3.12*/bin/python3.12 \
    /usr/local/bin/python3.12 /usr/bin/python3.12 \
    python3.13 \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13 \
    /root/.pyenv/versions/3.13*/bin/python3.13 \
    python3; do
    [ -n "$candidate" ] || continue
    path=$(command -v "$candidate" 2>/dev/null) || continue
    if "$path" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
        echo "$path"
        exit 0
    fi
done
echo "No Python >= 3.12 found (tried python3.12, pyenv's versions, python3.13, python3)." >&2
echo "Install one (e.g. 'pyenv install 3.12') or point PYTHON=/path/to/python3.12 at it." >&2
exit 1
