"""Settlement and finance (日清月结): services called by the facade (counter_app/ops/settlement_*.py).

A service that acts takes `(ctx: OpContext, session, *, ...)`: who, where and when come from the
context, co-signatures go through `ctx.approve` (the single-operator queue hook), and the caller
owns the unit of work `session`. Read-only helpers take the session alone.

- shift_close / closing: `require_open_shift`, `declare_count` → `close_shift` (blind), `x_report`
- printouts: X and Z thermal reports
- signoff: `sign_sheet`, `sheet_info`, `sheet_pdf`, `require_sheet_editable`, `shift_handed_to_finance`
- receipt_books: `issue_receipt_book`, `void_receipt_page`, `use_receipt_page`, `book_pages`, `return_receipt_book`
- deposits: `record_deposit`, `late_deposits`, `record_collection_check`
- months: `period_of`, `require_period_open`, `close_month`
- report_catalogue: `REPORTS` (every kind → its builder), `build_report`; builders in reports,
  reports_finance, ops/quota_report, ops/notice_reports
"""
