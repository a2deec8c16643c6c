"""The bundle's entry point: the same as the `cogenesis` command."""

from cogenesis.launcher import main

raise SystemExit(main())
