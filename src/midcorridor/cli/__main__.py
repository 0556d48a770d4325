"""``python -m midcorridor.cli``: the command line, as the ``midcorridor`` script."""

from midcorridor.cli import main

main()
