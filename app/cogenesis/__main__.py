"""`python -m cogenesis` runs the same entry point as the `cogenesis` command."""

from cogenesis.cli.main import main

raise SystemExit(main())
