"""`python -m cogenesis` runs the same entry point as the `cogenesis` command."""

from cogenesis.launcher import main

raise SystemExit(main())
