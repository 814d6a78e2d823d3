"""``python -m edukg.cli``: the same as the ``edukg`` command."""

from edukg.cli import main

main()
