"""Reliability 11: every way around dual control we know of, tried repeatedly; none may work.

    .venv/bin/python -m bench.reliability.bypass [--quick] [--rounds 20]

Each round, on a counter whose card holds an unloaded purchase (so the next sale needs a 监督人
override) and with a receipt to correct:
- facade: the override and a correction with no approval, the cashier approving herself, a wrong
  password, a cashier as co-signer, an unknown person; a shift close short by more than the limit
  without an approval;
- CLI: `accounts import` without a co-signer, co-signed by the maker, by a cashier, with a wrong
  password;
- forged SQL row: an approval row inserted by SQL (made-up signature, and the signature of a real
  approval copied onto a row for another payload);
- reuse: a consumed approval used again;
- expiry: an approval used after its time-to-live;
- payload change: an approval used for a different amount than it was granted for.
Counted: bypasses (an attempt that was not refused, or that wrote a sale) — must be 0.
"""

from __future__ import annotations

import random
from collections import Counter

from bench.common import ROOT, Results, parser, scratch


class Attempts:
    def __init__(self) -> None:
        self.tried = 0
        self.bypasses: list[str] = []
        self.codes: Counter[str] = Counter()

    def refused(self, label: str, fn) -> None:
        """`fn` must raise a refusal; anything else is a bypass."""
        self.tried += 1
        try:
            fn()
        except Exception as error:
            code = getattr(error, "code", None)
            if code is None:
                self.bypasses.append(f"{label}: crashed with {error!r}")
            self.codes[code or type(error).__name__] += 1
            return
        self.bypasses.append(f"{label}: went through")

    def exit_nonzero(self, label: str, run) -> None:
        self.tried += 1
        if run.code == 0:
            self.bypasses.append(f"{label}: exit 0")
        self.codes[f"exit {run.code}"] += 1


def facade_round(world, s, receipt_no: str, a: Attempts, rng: random.Random) -> None:
    from opstesting import PASSWORD

    from counter_app.approvals import Approval

    bad = [None, Approval(name="zhang", password=PASSWORD), Approval(name="li", password="wrong-password"),
           Approval(name="wu", password=PASSWORD), Approval(name="nobody", password=PASSWORD)]  # fmt: skip
    for approval in bad:
        amount = rng.choice((2_000, 3_000, 5_000))
        a.refused(f"override {approval}", lambda ap=approval, am=amount: s.top_up(
            account_no="D-5-308", amount_fen=am, override_reason="返写丢失", approval=ap))  # fmt: skip
        a.refused(f"correct {approval}", lambda ap=approval: s.correct(
            receipt_no=receipt_no, reason="金额输错", approval=ap, amount_fen=1_500))  # fmt: skip


def approvals_round(world, a: Attempts, rng: random.Random) -> None:
    from opstesting import CHEAP, PASSWORD
    from sqlalchemy import insert, select

    from counter_app.approvals import consume_approval, grant_approval
    from counter_app.keystore import bind_keys
    from db.models.security import Approval as ApprovalRow
    from db.models.security import Operator
    from db.session import unit_of_work

    engine = world.counter.engine
    world.clock.advance(minutes=2)  # wrong passwords of the facade round throttle approvals for a minute
    payload = {"account_no": "D-5-308", "amount_fen": rng.randrange(1_000, 50_000)}
    with unit_of_work(engine) as db:
        bind_keys(db, world.counter.keys)
        ids = dict(db.execute(select(Operator.name, Operator.id)).tuples().all())
        granted = [grant_approval(db, kind="k", payload=payload, maker_id=ids["zhang"], checker_name="li",
                                  checker_password=PASSWORD, workstation="W01", clock=world.clock, hasher=CHEAP)
                   for _ in range(3)]  # fmt: skip
        real = db.get(ApprovalRow, granted[0].approval_id)
        forged = []
        for signature in ("f" * 64, real.signature):  # made up; copied from a real approval
            forged.append(db.execute(insert(ApprovalRow).values(
                kind="k", payload_sha256="0" * 64, maker_id=ids["zhang"], checker_id=ids["li"], workstation="W01",
                nonce=f"forged-{rng.random()}", created_at=world.clock(), expires_at=world.clock().replace(year=2030),
                signature=signature,
            ).returning(ApprovalRow.id)).scalar_one())  # fmt: skip

    def use(approval_id, body):
        with unit_of_work(engine) as db:
            bind_keys(db, world.counter.keys)
            consume_approval(db, approval_id=approval_id, kind="k", payload=body, maker_id=ids["zhang"],
                             clock=world.clock)  # fmt: skip

    for approval_id in forged:
        a.refused("forged SQL row", lambda i=approval_id: use(i, payload))
        a.refused("forged SQL row, its own payload", lambda i=approval_id: use(i, {}))
    use(granted[0].approval_id, payload)
    a.refused("reuse", lambda: use(granted[0].approval_id, payload))
    a.refused(
        "payload change",
        lambda: use(granted[1].approval_id, {**payload, "amount_fen": payload["amount_fen"] + 1}),
    )
    a.refused("another kind", lambda: _use_kind(world, ids, granted[1].approval_id, payload))
    world.clock.advance(seconds=121)  # past the approval time-to-live (120 s), still the same day
    a.refused("expiry", lambda: use(granted[2].approval_id, payload))


def _use_kind(world, ids, approval_id, payload) -> None:
    from counter_app.approvals import consume_approval
    from counter_app.keystore import bind_keys
    from db.session import unit_of_work

    with unit_of_work(world.counter.engine) as db:
        bind_keys(db, world.counter.keys)
        consume_approval(db, approval_id=approval_id, kind="top_up.override_not_loaded", payload=payload,
                         maker_id=ids["zhang"], clock=world.clock)  # fmt: skip


def cli_round(tmp, a: Attempts, n: int) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from cli.admincli import AdminDb

    from bench.imports import write_file

    db = AdminDb.create(tmp)
    db.add_people()
    db.add_campuses()  # an import never creates a campus (issue 12 §6)
    path = tmp / "rooms.xlsx"
    write_file(path, 4)
    for _ in range(n):
        a.exit_nonzero("CLI import, no co-signer", db.run("accounts", "import", str(path), as_="admin"))
        a.exit_nonzero("CLI import, maker co-signs", db.run("accounts", "import", str(path), as_="admin",
                                                            approver="admin"))  # fmt: skip
        a.exit_nonzero("CLI import, cashier co-signs", db.run("accounts", "import", str(path), as_="admin",
                                                              approver="zhang"))  # fmt: skip
        a.exit_nonzero("CLI import, wrong password", db.run("accounts", "import", str(path), as_="admin",
                                                            approver="li", approver_password="wrong-pw-1"))  # fmt: skip
    imported = db.run("accounts", "import", str(path), "--dry-run", as_="admin")
    a.tried += 1
    if "新增 4 间" not in imported.stdout:  # nothing was imported by the refused attempts
        a.bypasses.append("CLI import: refused attempts wrote rooms")


def sales_written(world) -> int:
    from sqlalchemy import func, select

    from db.models import LedgerEntry
    from db.session import unit_of_work

    with unit_of_work(world.counter.engine, read_only=True) as db:
        return db.scalar(select(func.count()).where(LedgerEntry.kind.in_(("sale", "correction", "void"))))


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=None)
    args = p.parse_args(argv)
    rounds = args.rounds or (1 if args.quick else 20)
    results = Results("dual-control bypass", args)
    results.header()
    a, rng = Attempts(), random.Random(11)
    with scratch("bypass") as tmp:
        from opstesting import make_world

        world = make_world(tmp / "w")
        s = world.login("zhang")
        s.open_shift(float_fen=0)
        serial = world.issue_card("D-5-308", s)
        world.sim.present_card(serial)
        receipt_no = s.top_up(account_no="D-5-308", amount_fen=2_000).receipt_no  # left unloaded
        before = sales_written(world)
        for _ in range(rounds):
            world.sim.present_card(serial)
            facade_round(world, s, receipt_no, a, rng)
            approvals_round(world, a, rng)
        a.refused("close short, no reason", lambda: s.close_shift(counted={10_000: 0}))
        a.refused(
            "close short, reason, no approval",
            lambda: s.close_shift(counted={10_000: 0}, difference_reason="找零多找"),
        )
        a.refused("close short, self-approved", lambda: s.close_shift(
            counted={10_000: 0}, difference_reason="找零多找", approval=world.approval("zhang")))  # fmt: skip
        after = sales_written(world)
        world.close()
        cli_round(tmp / "cli", a, rounds)
    results.count("bypass attempts", a.tried)
    results.note(f"refusals: {dict(a.codes)}")
    for line in a.bypasses[:10]:
        results.note(line)
    results.count("sales, corrections or voids written by refused attempts", after - before, must_be=0)
    results.count("bypasses", len(a.bypasses), must_be=0)
    return results.finish()


if __name__ == "__main__":
    raise SystemExit(main())
