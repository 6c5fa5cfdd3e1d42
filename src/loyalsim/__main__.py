"""``python -m loyalsim`` runs the command-line interface."""

from loyalsim.cli import main

main()
