-- Multi-counter PostgreSQL: the roles of one counter database (docs/operations.md "Several counters").
--
--   psql -v ON_ERROR_STOP=1 -d counter -f installer/postgres/roles.sql        (as a superuser or the owner)
--   ALTER ROLE counter_cashier PASSWORD '…';                                  (then give each PC the URL)
--
-- counter_owner   owns the database and its tables; the administrator connects as it to migrate
--                 (`counter-admin db upgrade`), initialise, import and restore. Never on a cashier PC.
-- counter_cashier what every counter PC (counter-app) connects as: SELECT everywhere, INSERT
--                 everywhere, UPDATE only on the tables that hold a CURRENT STATE (accounts, cards,
--                 receipt counters, shifts, …), and never UPDATE or DELETE on the append-only
--                 history: the ledger, receipts, approvals, the audit chain, settings, tariffs,
--                 settlement. The database itself refuses a cashier PC that tries to rewrite history,
--                 whatever the program does (notes/reliability.md §5).
--                 Rights are administration's alone (issue 12 §2): on operators, role grants, 监督人
--                 appointments, settings, tariffs, fees and the installation the cashier role has
--                 SELECT only; counter_owner (counter-admin, every change co-signed by the software)
--                 writes them.
--                 Sealed rows (counter_app/row_seals.py) get their seal right after the INSERT, when
--                 the id is known: the cashier role may UPDATE that one column, `row_mac`, of the
--                 insert-only sealed tables it writes. A seal cannot be forged without the audit key;
--                 a garbage seal only makes the row refused at use (TAMPERED), as a deleted row would.
--
-- Re-run after every migration that adds a table (idempotent). tests/ship/test_ship_postgres.py
-- checks that every table of the models is in exactly one of the two lists below.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'counter_owner') THEN
    CREATE ROLE counter_owner LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'counter_cashier') THEN
    CREATE ROLE counter_cashier LOGIN;
  END IF;
END $$;

DO $$
DECLARE
  -- current state: the cashier's role may change these rows in place
  mutable text[] := ARRAY[
    'accounts', 'cards', 'card_write_intents', 'print_jobs', 'receipt_counters', 'shifts',
    'workstations', 'campuses', 'buildings', 'units', 'rooms',
    'queued_operations', 'quota_room_months', 'notices', 'receipt_books', 'receipt_pages',
    'row_census', 'alembic_version'
  ];
  -- history: INSERT and SELECT only
  append_only text[] := ARRAY[
    'ledger_entries', 'ledger_marks', 'receipts', 'receipt_events', 'intent_events',
    'print_job_events', 'account_events', 'card_events', 'clock_marks', 'notice_payments',
    'queue_resolutions', 'quota_batches', 'quota_batch_rooms', 'quota_batch_approvals',
    'quota_deliveries', 'refund_forms', 'login_attempts',
    'approvals', 'approval_uses', 'approval_failures', 'audit_log',
    'shift_counts', 'x_report_log', 'z_reports', 'settlement_sheets', 'sheet_signatures',
    'sheet_freezes', 'deposits', 'deposit_shifts', 'receipt_book_returns', 'month_closes',
    'collection_checks', 'shift_closures', 'key_fingerprints',
    'card_classes',
    -- issue 15: tenders reconciled, the month's checks, the visitor log
    'deposit_reconciliations', 'tender_matches', 'monthly_imports', 'meter_readings', 'k3_figures',
    'four_party_signoffs', 'repair_prices', 'module_stock_moves', 'visitor_entries', 'visitor_steps',
    -- issue 17: networked meters (metering mode, readings, switch commands and their outcomes)
    'account_meterings', 'meter_readings_remote', 'meter_switches', 'software_control_steps',
    -- issue 16: the ledger's kept sums (written after a shift close by the counter that closed)
    'sum_batches', 'day_sums', 'sum_classes'
  ];
  -- rights and prices: SELECT only (administration writes them as counter_owner, co-signed)
  admin_only text[] := ARRAY[
    'operators', 'role_grants', 'supervisor_appointments', 'setting_values', 'tariffs', 'fees',
    'installation'
  ];
  -- insert-only tables with a seal written after the insert (UPDATE of row_mac only)
  sealed_after_insert text[] := ARRAY[
    'shift_counts', 'z_reports', 'settlement_sheets', 'print_job_events', 'x_report_log',
    'sheet_signatures', 'sheet_freezes', 'deposits', 'deposit_shifts', 'receipt_book_returns',
    'month_closes', 'collection_checks', 'key_fingerprints', 'card_classes',
    'deposit_reconciliations', 'tender_matches', 'sum_batches', 'day_sums', 'sum_classes'
  ];
  t text;
BEGIN
  EXECUTE format('ALTER DATABASE %I OWNER TO counter_owner', current_database());
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO counter_cashier', current_database());
  REVOKE CREATE ON SCHEMA public FROM PUBLIC;
  GRANT USAGE ON SCHEMA public TO counter_cashier;
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER TABLE public.%I OWNER TO counter_owner', t);
    EXECUTE format('REVOKE ALL ON public.%I FROM counter_cashier', t);
    IF t = ANY (mutable) THEN
      EXECUTE format('GRANT SELECT, INSERT, UPDATE ON public.%I TO counter_cashier', t);
    ELSIF t = ANY (append_only) THEN
      EXECUTE format('GRANT SELECT, INSERT ON public.%I TO counter_cashier', t);
      IF t = ANY (sealed_after_insert) THEN
        EXECUTE format('GRANT UPDATE (row_mac) ON public.%I TO counter_cashier', t);
      END IF;
    ELSIF t = ANY (admin_only) THEN
      EXECUTE format('GRANT SELECT ON public.%I TO counter_cashier', t);
    ELSE
      RAISE EXCEPTION 'table % is in no list of installer/postgres/roles.sql', t;
    END IF;
  END LOOP;
  -- the schema version is read, never written, by a cashier PC
  REVOKE INSERT, UPDATE ON public.alembic_version FROM counter_cashier;
  FOR t IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER SEQUENCE public.%I OWNER TO counter_owner', t);
    EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE public.%I TO counter_cashier', t);
  END LOOP;
END $$;
