"""`counter-admin`, the administrator's command line, one module per command group.

- `door`: `open_admin` → `AdminSession` (engine, keys, clock, the acting operator, an `OpContext`
  at no workstation); everything below works through it.
- `cli` (main, dispatch, exit codes), `grammar` (the parser), `passwords` (stdin order),
  `output` (the one place of the core that writes to the console), `command` (what a handler gets).
- Groups: `operators` (init, operators, supervisor appointments), `workstations`, `tariffs`
  (tariffs, fees, settings), `notices`, `imports` (the two files' checks and previews) with
  `accounts_import` and `legacy_import` (applying them), `checks` (audit and receipt verify),
  `keys`, `backup`, `schema` (db upgrade), `reports`.

Nothing is imported here, so `counter_app.api` can import the door without the command line.
"""
