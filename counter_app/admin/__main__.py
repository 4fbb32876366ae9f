"""`python -m counter_app.admin …` runs `counter-admin`."""

from counter_app.admin.cli import main

raise SystemExit(main())
