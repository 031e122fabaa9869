"""``python -m tdekit`` runs the ``tde`` command."""

from tdekit.cli.app import main

main()
