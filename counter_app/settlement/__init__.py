"""Settlement and finance (日清月结): services over a SQLAlchemy session, called by the facade.

- shift_close / closing: `require_open_shift`, `declare_count` → `close_shift` (blind), `x_report`
- printouts: X and Z thermal reports
- signoff: `sign_sheet`, `sheet_info`, `sheet_pdf`, `require_sheet_editable`, `shift_handed_to_finance`
- receipt_books: `issue_receipt_book`, `void_receipt_page`, `use_receipt_page`, `book_pages`, `return_receipt_book`
- deposits: `record_deposit`, `late_deposits`, `record_collection_check`
- months: `period_of`, `require_period_open`, `close_month`
- reports / reports_finance: `REPORTS`, `build_report`, `register_report`
"""
