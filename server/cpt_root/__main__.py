"""Let `python -m cpt ...` behave exactly like the `cpt` console script."""

from cpt.server.cli import main

raise SystemExit(main())
