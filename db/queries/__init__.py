"""The counter's stored questions, one module per area, so storage knowledge stays inside db/.

What lives here (and nowhere else):
- SQL shaped for an index or a dialect: the account search's prefix ranges (`search`), the report
  buckets' `time_bucket` SQL function (`settlement`), the audit chain's advisory lock (`security`);
- the "current row of an insert-only history" derivations: the intent's latest state, the open
  shift, the last write-back seen, the tariff or fee in force, a setting's latest row, the audit
  chain's head, a role's latest grant or revoke… one named function each;
- the look-ups of the hot paths by key (account by number, room code, meter, card; the conditional
  UPDATE that claims an account).

A plain `select()` that serves one service and knows nothing of an index or a dialect may stay in
that service (tests/test_storage_rules.py counts them). Look-ups return ORM objects or rows; the
callers copy what they need into the frozen dataclasses of API.md. Nothing here commits.
Receipt numbers are `db.numbering`.
"""
