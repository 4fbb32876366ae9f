"""The facade's shape, checked so that its signatures cannot drift apart.

The facade's signatures are written down in three places: the `…Ops` mixins that make
`counter_app.session.Session`, the UI's Protocols (ui/facade.py) and ../shared/API.md (the fixed
contract). The mixins are the implementation; these tests hold the other two to them:

- every method (and property) of every Protocol in ui/facade.py exists on `Session` with the
  identical signature: parameter names, kinds, defaults and annotations, compared as strings;
- every call of API.md's "Operations on a session" (and the session lines above the table) exists on
  `Session` and accepts API.md's keyword names, with API.md's defaults where it gives one (the
  list is copied below; when API.md is found beside the repository it is compared with the copy);
- every facade method forwards its parameters to the service function it calls under the names that
  service accepts;
- the methods refused in single-operator mode are exactly the ones marked `@refused_when_alone`.
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import ui.facade
from counter_app.counter import Counter
from counter_app.session import Session

ROOT = Path(__file__).resolve().parents[1]


# --- single-operator mode ----------------------------------------------------------------------------

# What `refuse_when_alone` patched onto Session before the decorator (DOMAIN "Holidays"; holiday.py
# point 2). 挂失 (report_lost_card) is deliberately not here.
REFUSED_WHEN_ALONE = {"open_account", "issue_card", "replace_card", "change_holder"}


def test_exactly_the_staffed_only_methods_are_refused_when_alone() -> None:
    marked = {
        name
        for name, member in inspect.getmembers(Session, inspect.isfunction)
        if getattr(member, "refused_when_alone", False)
    }
    assert marked == REFUSED_WHEN_ALONE


# --- the UI's Protocols ----------------------------------------------------------------------------------


def _annotation(value: Any) -> str:
    if value is inspect.Parameter.empty:
        return "-"
    return value if isinstance(value, str) else inspect.formatannotation(value)


def _shape(function: Callable[..., Any]) -> tuple[tuple[str, str, str, str], ...]:
    signature = inspect.signature(function)  # follows __wrapped__ (decorated facade methods)
    params = tuple(
        (p.name, p.kind.name, "-" if p.default is p.empty else repr(p.default), _annotation(p.annotation))
        for p in signature.parameters.values()
    )
    return (*params, ("return", "", "", _annotation(signature.return_annotation)))


def _protocols() -> list[type]:
    return [
        member
        for _, member in inspect.getmembers(ui.facade, inspect.isclass)
        if member.__module__ == ui.facade.__name__ and getattr(member, "_is_protocol", False)
    ]


def _declared(protocol: type) -> dict[str, Any]:
    """The methods and properties a Protocol itself declares (its bases are checked on their own)."""
    return {
        name: member
        for name, member in vars(protocol).items()
        if not name.startswith("_") and (inspect.isfunction(member) or isinstance(member, property))
    }


SESSION_PROTOCOLS = [p for p in _protocols() if p is not ui.facade.Counter]


def test_the_ui_declares_its_protocols() -> None:
    names = {p.__name__ for p in _protocols()}
    assert {"SaleSession", "ShiftSession", "IntentSession", "WorkstationSession", "Counter"} <= names
    declared = {name for p in SESSION_PROTOCOLS for name in _declared(p)}
    assert {"roles_today", "logout", "name", "roles", "top_up", "close_shift"} <= declared


@pytest.mark.parametrize("protocol", SESSION_PROTOCOLS, ids=lambda p: p.__name__)
def test_session_has_every_protocol_method_with_the_identical_signature(protocol: type) -> None:
    for name, declared in _declared(protocol).items():
        implemented = inspect.getattr_static(Session, name, None)
        assert implemented is not None, f"Session has no {name} ({protocol.__name__})"
        if isinstance(declared, property):
            assert isinstance(implemented, property), f"Session.{name} is not a property"
            assert _shape(declared.fget) == _shape(implemented.fget), name
        else:
            assert _shape(declared) == _shape(getattr(Session, name)), f"{protocol.__name__}.{name}"


def test_counter_has_what_the_ui_uses() -> None:
    """Parameters only: the Protocol's `login` returns the UI's `WorkstationSession` where the class
    says `Session` (which the test above holds to it)."""
    for name, declared in _declared(ui.facade.Counter).items():
        implemented = inspect.getattr_static(Counter, name, None)
        assert implemented is not None, f"Counter has no {name}"
        if isinstance(declared, property):
            assert isinstance(implemented, property), name
        else:
            assert _shape(declared)[:-1] == _shape(getattr(Counter, name))[:-1], name
    assert "clock" in inspect.signature(Counter.__init__).parameters


# --- API.md -----------------------------------------------------------------------------------------------

# Copied from ../shared/API.md: "Sessions, approvals, settings" and the table "Operations on a session"
# (a call's parameters as API.md writes them, defaults included).
API_CALLS = """
logout()
get_setting(key)
set_setting(key, value, approval=None)
open_shift(float_fen, supervisor=None)
find_account(room_code=None, account_no=None, meter_no=None)
read_card()
quote(account_no, amount_fen=None, energy_ckwh=None)
top_up(account_no, amount_fen=None, energy_ckwh=None, tender="cash", tendered_fen=None, reference=None, override_reason=None, approval=None)
collect_free(account_no)
open_account(room_code, cls, meter_no, holder, phone=None, class_confirmed=True)
confirm_class(account_no, cls, approval)
issue_card(account_no)
report_lost_card(account_no)
replace_card(account_no, tender="cash", reference=None)
replace_meter(account_no, new_meter_no, carried_ckwh, approval)
change_holder(account_no, holder, phone, handover_ckwh)
issue_tool_card(kind, meter_no, params=None, approval)
prepare_quota_batch(period, buildings)
approve_quota_batch(batch_id, approval)
issue_clear_card(account_no, reason, approval)
complete_clear(account_no)
refund_room(account_no, payee_name, payee_id, payee_account=None, manual_reading_ckwh=None, reason=None, approval, second_approval=None)
get_refund_form(form_no)
close_account(account_no, approval)
correct(receipt_no, reason, approval, account_no=None, amount_fen=None, energy_ckwh=None)
create_notice(kind, payer, notice_no=None, amount_fen=None, area_dm2=None, repair_date=None, repairman=None, department=None)
pay_notice(notice_no, amount_fen, amount_fen_again, tender="cash", tendered_fen=None, reference=None, paper_receipt_no=None)
back_charge(account_no, discovered_on, electrician, evidence, approval)
open_intents()
move_to_suspense(intent_id, reason, approval)
resolve_suspense(intent_id, action, approval)
low_balance(on)
clearance(account_no)
queued_operations()
approve_queued(queue_id, approval)
x_report()
close_shift(counted, difference_reason=None, approval=None)
sign_sheet(sheet_no, voucher_no=None)
record_deposit(slip_no, kind, bank, stamped_on, amount_fen, shift_ids)
issue_receipt_book(cashier, first_no, last_no)
void_receipt_page(page_no, reason)
close_month(period, approval)
verify_receipt(qr_text)
"""
_CALL = re.compile(r"(\w+)\(([^)]*)\)")


def _calls(text: str) -> dict[str, list[tuple[str, str | None]]]:
    """name → [(parameter, default as written or None)] for every `name(params)` in the text."""
    calls = {}
    for name, params in _CALL.findall(text):
        parts = [part.strip() for part in params.split(",") if part.strip()]
        calls[name] = [(p.split("=")[0].strip(), p.split("=", 1)[1].strip() if "=" in p else None) for p in parts]
    return calls


@pytest.mark.parametrize("call", sorted(_calls(API_CALLS)))
def test_session_accepts_api_md_keyword_names_and_defaults(call: str) -> None:
    method = getattr(Session, call, None)
    assert callable(method), f"Session has no {call} (API.md)"
    parameters = inspect.signature(method).parameters
    for name, default in _calls(API_CALLS)[call]:
        assert name in parameters, f"{call}: API.md's {name!r} is not accepted"
        param = parameters[name]
        assert param.kind in (param.KEYWORD_ONLY, param.POSITIONAL_OR_KEYWORD), f"{call}({name}=…)"
        if default is not None:
            assert param.default == ast.literal_eval(default), f"{call}: {name}={default} in API.md"


def _api_md() -> Path | None:
    """../shared/API.md beside the repository (a worktree may sit one folder deeper)."""
    for folder in ROOT.parents[:3]:
        if (folder / "shared" / "API.md").is_file():
            return folder / "shared" / "API.md"
    return None


def test_the_copied_calls_are_api_md_s() -> None:
    path = _api_md()
    if path is None:
        pytest.skip("../shared/API.md is not beside this repository")
    text = path.read_text(encoding="utf-8")
    section = text[text.index("## Sessions, approvals, settings") : text.index("## Error codes")]
    found = []
    for line in section.splitlines():
        if line.startswith("| `"):  # a table row: the calls are in its first cell
            found += re.findall(r"`(\w+\([^)]*\))`", line.split("|")[1])
        found += re.findall(r"\bs\.(\w+\([^)]*\))", line)
    assert _calls("\n".join(found)) == _calls(API_CALLS)


# --- the mixins forward to their services ---------------------------------------------------------------

# Facade methods that do their work inline (no service function of their own to forward to).
# approval_preview runs another facade method of the session (up to its co-signature): no service of its own.
INLINE = {"logout", "get_setting", "back_charge_calculation", "approval_preview"}


def _facade_methods() -> dict[str, Callable[..., Any]]:
    methods = {}
    for name, member in inspect.getmembers(Session, inspect.isfunction):
        if name.startswith("_"):
            continue
        methods[name] = inspect.unwrap(member)
    return methods


def _service_call(method: Callable[..., Any]) -> ast.Call | None:
    """The call in the method's body whose first argument is `self.ctx`: the service it forwards to."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and ast.unparse(node.args[0]) == "self.ctx":
            return node
    return None


def _resolve(method: Callable[..., Any], func: ast.expr) -> Callable[..., Any]:
    """The service function named by the call, looked up in the mixin's own module."""
    names = ast.unparse(func).split(".")
    target: Any = vars(sys.modules[method.__module__])[names[0]]
    for attr in names[1:]:
        target = getattr(target, attr)
    return target


def test_every_facade_method_forwards_its_arguments_under_the_service_s_names() -> None:
    """The mapping facade method → service function is read from the code, not declared: the call
    whose first argument is `self.ctx` IS the service (resolved in the mixin's module). A declared
    mapping could itself go stale; the call cannot. Checked: each keyword passed is a parameter of the
    service, a facade parameter is passed under its own name (or positionally at the service's
    parameter of that name), and no facade parameter is dropped."""
    without_service = set()
    problems = []
    for name, method in sorted(_facade_methods().items()):
        call = _service_call(method)
        if call is None:
            without_service.add(name)
            continue
        service = _resolve(method, call.func)
        accepted = inspect.signature(service).parameters
        open_ended = any(p.kind is p.VAR_KEYWORD for p in accepted.values())
        own = [p for p in inspect.signature(method).parameters if p != "self"]
        passed = set()
        positional = list(accepted)
        for index, arg in enumerate(call.args[1:], start=1):
            if isinstance(arg, ast.Name) and arg.id in own:
                passed.add(arg.id)
                if index >= len(positional) or positional[index] != arg.id:
                    problems.append(f"{name}: {arg.id} passed positionally where the service has another name")
        for keyword in call.keywords:
            if keyword.arg not in accepted and not open_ended:
                problems.append(f"{name}: {service.__qualname__} does not accept {keyword.arg}=")
            if isinstance(keyword.value, ast.Name) and keyword.value.id in own:
                passed.add(keyword.value.id)
                if keyword.value.id != keyword.arg:
                    problems.append(f"{name}: {keyword.value.id} forwarded as {keyword.arg}=")
        problems += [f"{name}: {p} is not forwarded" for p in own if p not in passed]
    assert problems == []
    assert without_service == INLINE
