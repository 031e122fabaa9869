"""``python -m tdekit`` runs the ``tde`` command."""

from tdekit.cli import main

main()
