"""The card operations the operations layer uses: read, issue, write a purchase, clear/tool cards.

Every write follows one shape: start a card session, read the whole card, check it is the card the
caller expects, unlock it (PSC rules below), write ONE slot (the inactive one), read it back and
check, return what is now on the card. A card pulled at any byte leaves the old record or the new
one (docs/hardware.md §2); the caller's intent id travels in the record so recovery can tell.

Meter profiles (docs/hardware.md "Meter profiles"): a service is bound to a meter model with
`for_model(name)` (the account's meter model: issue, sale, clear, tool cards). Reading, and a
rewrite on an unbound service, recognises the card's format by trying the known profiles in order,
the reference first: the first that `claims` the card reads it.

PSC rules (SLE4442 locks for ever after 3 wrong PSCs): attempts are read before every verify; with
fewer than 3 left nothing is verified unless a person confirmed (`confirm_psc_retry=True`); the
last attempt is never spent by software.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Concatenate, ParamSpec, TypeVar

from base.clock import Clock, system_clock
from base.crashpoints import crash_point
from base.errors import CardLocked, CardMac, CardMismatch, CardPscWrong, InputInvalid
from hardware.card_reader import CardReader, DeviceDiagnostics
from hardware.profile import MeterProfile, ReferenceProfile
from hardware.protocol import ALL_ATTEMPTS, FACTORY_PSC
from hardware.records import (
    CardKind,
    CardReading,
    CardRecord,
    CheckRecord,
    ClearRecord,
    ParameterRecord,
    PurchaseRecord,
    TaggedFields,
    intent_tag,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
P = ParamSpec("P")

_TOOL_KINDS = (CardKind.CHECK, CardKind.PARAMETER)


def _exclusive(method: Callable[Concatenate[CardService, P], T]) -> Callable[Concatenate[CardService, P], T]:
    """The whole operation is one card session on the reader's thread: a status poll from the UI
    must not power the card on again between our VERIFY and our WRITE."""

    def wrapper(self: CardService, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self.reader.exclusive(lambda: method(self, *args, **kwargs))

    # What @functools.wraps does, called directly: its return type would lose the signature.
    functools.update_wrapper(wrapper, method)
    return wrapper


@dataclasses.dataclass(frozen=True)
class PurchaseOrder:
    """The purchase record `write_purchase_when_ready` writes, known once the intent is committed."""

    meter_no: str
    purchase_counter: int
    energy_ckwh: int
    free_ckwh: int
    amount_fen: int
    intent_id: str
    at: datetime


class CardService:
    """High-level card API over any `CardReader` and `MeterProfile`. Keys are bytes passed in."""

    def __init__(
        self,
        reader: CardReader,
        *,
        mac_key: bytes,
        psc_master_key: bytes,
        profile: MeterProfile | None = None,
        profiles: Sequence[MeterProfile] = (),
        clock: Clock | None = None,
    ) -> None:
        """`profile`: the default (the reference when None); `profiles`: every known profile, in the
        order a card's format is tried (the default is tried first when not among them)."""
        if not mac_key or not psc_master_key:
            raise ValueError("card keys must not be empty")
        self.reader = reader
        self.profile = profile or ReferenceProfile()
        names = [p.name for p in profiles]
        self.profiles: tuple[MeterProfile, ...] = (
            tuple(profiles) if self.profile.name in names else (self.profile, *profiles)
        )
        self._bound = False  # True: for_model chose the profile; rewrites do not recognise
        self._mac_key = mac_key
        self._psc_master_key = psc_master_key
        self._clock = clock or system_clock

    def for_model(self, meter_model: str | None) -> CardService:
        """This service, writing cards in meter model `meter_model`'s format (None: the default).
        INPUT_INVALID when no known profile has that name."""
        if meter_model is None or meter_model == self.profile.name:
            profile = self.profile
        else:
            found = [p for p in self.profiles if p.name == meter_model]
            if not found:
                raise InputInvalid(
                    f"未知的电表型号：{meter_model}",
                    detail_en=f"unknown meter model {meter_model!r}",
                    field="meter_model",
                    data={"meter_model": meter_model, "known": [p.name for p in self.profiles]},
                )
            profile = found[0]
        bound = copy.copy(self)
        bound.profile, bound._bound = profile, True
        return bound

    def recognise(self, raw_image: bytes) -> MeterProfile:
        """The profile whose format the card is in: the first known profile that claims it; a card
        no profile claims (factory-fresh, or damaged) is read with the default."""
        for profile in self.profiles:
            if profile.claims(raw_image[: profile.card_size], mac_key=self._mac_key):
                return profile
        return self.profile

    # --- reading -----------------------------------------------------------------------------
    @_exclusive
    def read_card(self, *, psc_attempts: bool = True) -> CardReading:
        """The card on the reader, checked, in whichever known format it is. CardAbsent, CardMac
        (not ours / no valid record), DeviceOffline. Compare `account_no` with the account you
        expect (CardMismatch is yours). `psc_attempts` False: the PSC error counter is not asked
        (`psc_attempts_left` None) — for a read before a write, whose own session asks it again
        right before presenting the PSC (one exchange fewer a top-up; issue 16)."""
        reading, raw_image, profile = self._session(recognise=True, attempts=psc_attempts)
        if reading.kind == CardKind.BLANK and profile.blank_state(raw_image) is None:
            raise CardMac(
                "卡上没有有效记录",
                detail_en="no valid record on the card",
                data={"card_serial": reading.card_serial},
            )
        return reading

    def diagnostics(self) -> DeviceDiagnostics:
        return self.reader.diagnostics()

    # --- writing -----------------------------------------------------------------------------
    @_exclusive
    def issue_card(
        self,
        *,
        account_no: str,
        meter_no: str,
        purchase_counter: int,
        intent_id: str,
        confirm_psc_retry: bool = False,
    ) -> CardReading:
        """A blank card becomes `account_no`'s user card: factory PSC changed, header written, and a
        record with the account's current `purchase_counter` and no energy (a replacement card
        continues the account's counter). Resumes an issue of the same account cut short."""
        _check_text(account_no, "account_no")
        reading, raw_image, profile = self._session()
        self._require_issuable(reading, raw_image, profile)
        record = self._empty_purchase(meter_no, purchase_counter, intent_id)
        unlocked = self._unlock(
            profile, reading, raw_image, confirm=confirm_psc_retry, header_account=account_no
        )
        return self._write_record(profile, *unlocked, record)

    @_exclusive
    def write_purchase(
        self,
        *,
        card_serial: str,
        account_no: str,
        meter_no: str,
        purchase_counter: int,
        energy_ckwh: int,
        free_ckwh: int,
        amount_fen: int,
        intent_id: str,
        at: datetime | None = None,
        confirm_psc_retry: bool = False,
    ) -> CardReading:
        """Write a purchase record (a correction rewrites under the same counter; the caller decides
        counters). CardMismatch if another card is on the reader; CardRemoved if pulled mid-write:
        then read the card again and check `purchase.is_from_intent(intent_id)`."""
        record = PurchaseRecord(
            meter_no=meter_no,
            at=at or self._clock(),
            tag=intent_tag(intent_id),
            slot_seq=0,
            purchase_counter=purchase_counter,
            energy_ckwh=energy_ckwh,
            free_ckwh=free_ckwh,
            amount_fen=amount_fen,
        )
        return self._rewrite(card_serial, account_no, (CardKind.USER,), record, confirm_psc_retry)

    @_exclusive
    def write_purchase_when_ready(
        self, *, card_serial: str, account_no: str, ready: Callable[[], PurchaseOrder | None],
        confirm_psc_retry: bool = False,
    ) -> CardReading | None:  # fmt: skip
        """`write_purchase` whose record is known only later, in one card session: the card is
        powered on, read and checked (CardMismatch…) at once; then `ready()` waits until the
        caller's intent is committed and gives the record, or None — the session ends with nothing
        sent but reads (returns None). The PSC is presented only after `ready()`: nothing on the
        card changes before the intent is durable. So the card's identity is read on the line while
        the intent commits (issue 16: two thirds of a top-up's reader bytes)."""
        reading, raw_image, profile = self._checked_session(card_serial, account_no, (CardKind.USER,))
        order = ready()
        if order is None:
            return None
        record = PurchaseRecord(
            meter_no=order.meter_no, at=order.at, tag=intent_tag(order.intent_id), slot_seq=0,
            purchase_counter=order.purchase_counter, energy_ckwh=order.energy_ckwh, free_ckwh=order.free_ckwh,
            amount_fen=order.amount_fen,
        )  # fmt: skip
        unlocked = self._unlock(profile, reading, raw_image, confirm=confirm_psc_retry)
        return self._write_record(profile, *unlocked, record)

    @_exclusive
    def make_clear_card(
        self,
        *,
        card_serial: str,
        account_no: str,
        meter_no: str,
        clear_seq: int,
        intent_id: str,
        confirm_psc_retry: bool = False,
    ) -> CardReading:
        """The account's user card becomes a clear card (清零卡) for `meter_no`."""
        record = ClearRecord(
            meter_no=meter_no, at=self._clock(), tag=intent_tag(intent_id), slot_seq=0, clear_seq=clear_seq
        )
        kinds = (CardKind.USER, CardKind.CLEAR)
        return self._rewrite(card_serial, account_no, kinds, record, confirm_psc_retry)

    @_exclusive
    def restore_user_card(
        self,
        *,
        card_serial: str,
        account_no: str,
        meter_no: str,
        purchase_counter: int,
        intent_id: str,
        confirm_psc_retry: bool = False,
    ) -> CardReading:
        """A clear card (back from the meter) becomes the account's user card again, no energy."""
        record = self._empty_purchase(meter_no, purchase_counter, intent_id)
        kinds = (CardKind.CLEAR, CardKind.USER)
        return self._rewrite(card_serial, account_no, kinds, record, confirm_psc_retry)

    @_exclusive
    def make_tool_card(
        self,
        *,
        kind: str,
        meter_no: str,
        intent_id: str,
        alarm_threshold_ckwh: int = 0,
        starting_counter: int | None = None,
        starting_balance_ckwh: int | None = None,
        param_seq: int = 1,
        confirm_psc_retry: bool = False,
    ) -> CardReading:
        """A blank card (or an existing tool card) becomes a check or parameter card for `meter_no`."""
        base: TaggedFields = {
            "meter_no": meter_no,
            "at": self._clock(),
            "tag": intent_tag(intent_id),
            "slot_seq": 0,
        }
        if kind == CardKind.CHECK:
            record: CardRecord = CheckRecord(**base)
        elif kind == CardKind.PARAMETER:
            record = ParameterRecord(
                **base,
                param_seq=param_seq,
                alarm_threshold_ckwh=alarm_threshold_ckwh,
                starting_counter=starting_counter,
                starting_balance_ckwh=starting_balance_ckwh,
            )
        else:
            raise InputInvalid("工具卡类型", detail_en=f"tool card kind must be check or parameter: {kind!r}")
        reading, raw_image, profile = self._session()
        if reading.kind not in _TOOL_KINDS:
            self._require_issuable(reading, raw_image, profile)
        unlocked = self._unlock(profile, reading, raw_image, confirm=confirm_psc_retry, header_account="")
        return self._write_record(profile, *unlocked, record)

    # --- steps -------------------------------------------------------------------------------
    def _session(
        self, *, recognise: bool = False, attempts: bool = True
    ) -> tuple[CardReading, bytes, MeterProfile]:
        """Power on and read the whole card, in the bound profile's format or (`recognise`) in the
        format the card is in; with the PSC error counter unless not `attempts`."""
        self.reader.power_on()
        size = max(p.card_size for p in self.profiles)
        raw_image = self.reader.read_main(address=0, length=size)
        profile = self.recognise(raw_image) if recognise else self.profile
        reading = profile.parse(raw_image[: profile.card_size], mac_key=self._mac_key)
        left = self.reader.read_attempts_left() if attempts else None
        return _replace(reading, psc_attempts_left=left), raw_image, profile

    def _require_issuable(self, reading: CardReading, raw_image: bytes, profile: MeterProfile) -> None:
        # A card that never held a valid record in this format (new, or an issue cut short) may be
        # (re)issued, unless another format claims it: anything else may hold a customer's energy.
        others = [p for p in self.profiles if p.name != profile.name]
        if (
            reading.kind != CardKind.BLANK
            or profile.blank_state(raw_image[: profile.card_size]) is None
            or any(p.claims(raw_image[: p.card_size], mac_key=self._mac_key) for p in others)
        ):
            raise InputInvalid(
                "卡不是空白卡",
                detail_en=f"the card is not blank ({reading.kind})",
                data={"card_serial": reading.card_serial, "kind": str(reading.kind)},
            )

    def _rewrite(
        self,
        card_serial: str,
        account_no: str,
        kinds: tuple[CardKind, ...],
        record: CardRecord,
        confirm: bool,
    ) -> CardReading:
        reading, raw_image, profile = self._checked_session(card_serial, account_no, kinds)
        return self._write_record(
            profile, *self._unlock(profile, reading, raw_image, confirm=confirm), record
        )

    def _checked_session(
        self, card_serial: str, account_no: str, kinds: tuple[CardKind, ...]
    ) -> tuple[CardReading, bytes, MeterProfile]:
        """A rewrite's first half: the card read in this power session, refused unless it is
        `card_serial` of `account_no` and of one of `kinds`."""
        reading, raw_image, profile = self._session(recognise=not self._bound)
        if reading.card_serial != card_serial or reading.account_no != account_no:
            raise CardMismatch(
                f"卡号 {reading.card_serial}",
                detail_en=f"card {reading.card_serial} on the reader",
                data={"card_serial": reading.card_serial, "account_no": reading.account_no},
            )
        if reading.kind not in kinds:
            raise CardMac(
                f"卡类型为 {reading.kind}",
                detail_en=f"card kind is {reading.kind}",
                data={"card_serial": card_serial, "kind": str(reading.kind)},
            )
        return reading, raw_image, profile

    def _unlock(
        self, profile: MeterProfile, reading: CardReading, raw_image: bytes, *, confirm: bool,
        header_account: str | None = None,
    ) -> tuple[CardReading, bytes]:  # fmt: skip
        """Verify the card's PSC within the rules; finish a first issue's PSC change if due. The card
        as it is now: read again when this wrote anything, else the image of this session's read
        (issue 16: a top-up read the whole card four times; nothing on it changed in between)."""
        psc = self._verify(profile, reading, confirm)
        wrote = False
        if header_account is not None and (
            reading.psc_mode == "factory" or reading.account_no != (header_account or None)
        ):
            self._write(*profile.header_write(account_no=header_account, psc_mode=reading.psc_mode))
            wrote = True
        card_no = (reading.account_no or "") if header_account is None else header_account
        target = self._derived(profile, reading, card_no)
        if psc != target:
            self._write(*profile.psc_mode_write("changing"))
            self.reader.change_psc(new_psc=target)
            wrote = True
        if reading.psc_mode != "derived" or psc != target:
            self._write(*profile.psc_mode_write("derived"))
            wrote = True
        if wrote:
            return self._reread(profile)
        # A right PSC restores the error counter (SLE4442: the compare erases it back to 0b111; the
        # PC/SC driver's verify returns only when it reads all three back). Not asked again (one
        # exchange, ~1.3 ms at 115200 Bd; issue 16): the count only reports, and every verify reads
        # the counter first (`_session`), so PSC safety never rests on this value.
        return _replace(reading, psc_attempts_left=ALL_ATTEMPTS), raw_image

    def _verify(self, profile: MeterProfile, reading: CardReading, confirm: bool) -> bytes:
        # This session's read asked for the error counter a moment ago (`_session`).
        left = (
            reading.psc_attempts_left
            if reading.psc_attempts_left is not None
            else self.reader.read_attempts_left()
        )
        facts = {"attempts_left": left, "card_serial": reading.card_serial}
        if left == 0:
            raise CardLocked(data=facts)
        if left == 1:
            raise CardPscWrong(
                "只剩最后一次机会，软件不再尝试，请交管理员处理",
                detail_en="one attempt left; software will not try, see the administrator",
                data={**facts, "needs_confirmation": True, "refused": True},
            )
        if left < 3 and not confirm:
            raise CardPscWrong(
                f"剩余 {left} 次，需确认后重试",
                detail_en=f"{left} attempts left; confirm to retry",
                data={**facts, "needs_confirmation": True},
            )
        psc = self._candidate_psc(profile, reading, left)
        try:
            self.reader.verify_psc(psc=psc)
        except CardPscWrong as exc:
            exc.data.update(card_serial=reading.card_serial, needs_confirmation=True)
            raise
        return psc

    def _candidate_psc(self, profile: MeterProfile, reading: CardReading, left: int) -> bytes:
        if reading.psc_mode == "factory":
            return FACTORY_PSC
        if reading.psc_mode == "changing" and left < 3:
            # The derived PSC was tried first and failed (see docs/hardware.md §1): the change
            # never reached the card, so it still has the factory PSC.
            return FACTORY_PSC
        return self._derived(profile, reading, reading.account_no or "")

    def _derived(self, profile: MeterProfile, reading: CardReading, card_no: str) -> bytes:
        return profile.psc(master_key=self._psc_master_key, card_serial=reading.card_serial, card_no=card_no)

    def _empty_purchase(self, meter_no: str, purchase_counter: int, intent_id: str) -> PurchaseRecord:
        """A record at the account's counter with no energy: a new or restored user card (the meter
        loads nothing from it, since its counter is already loaded or not ahead)."""
        return PurchaseRecord(meter_no=meter_no, at=self._clock(), tag=intent_tag(intent_id), slot_seq=0,
                              purchase_counter=purchase_counter, energy_ckwh=0, free_ckwh=0, amount_fen=0)  # fmt: skip

    def _write(self, address: int, data: bytes) -> None:
        self.reader.write_main(address=address, data=data)

    def _write_record(
        self, profile: MeterProfile, reading: CardReading, raw_image: bytes, record: CardRecord
    ) -> CardReading:
        """Write the record, read the written bytes back, and parse the card as it now is: the image
        read in this power session with the written bytes in place. The read-back is what proves the
        write; reading the rest of the card again (what this did before issue 16) proved nothing
        more, since nothing else on it was written in between."""
        address, data = profile.record_write(reading, record, mac_key=self._mac_key)
        self._write(address, data)
        crash_point("before_read_back")  # the crash-point sweep (counter_app/crashpoints.py)
        if self.reader.read_main(address=address, length=len(data)) != data:
            raise CardMac(
                "写入后读回不一致",
                detail_en="read-back differs from what was written",
                data={"card_serial": reading.card_serial},
            )
        image = raw_image[:address] + data + raw_image[address + len(data) :]
        after = _replace(profile.parse(image[: profile.card_size], mac_key=self._mac_key),
                         psc_attempts_left=reading.psc_attempts_left)  # fmt: skip
        if after.record is None or after.record.slot_seq != reading.next_slot_seq:
            raise CardMac(
                "写入后记录校验失败",
                detail_en="the written record does not verify",
                data={"card_serial": reading.card_serial},
            )
        log.info("card %s: wrote %s slot seq %d", reading.card_serial, after.kind, after.record.slot_seq)
        return after

    def _reread(self, profile: MeterProfile) -> tuple[CardReading, bytes]:
        raw_image = self.reader.read_main(address=0, length=profile.card_size)
        reading = profile.parse(raw_image, mac_key=self._mac_key)
        return _replace(reading, psc_attempts_left=self.reader.read_attempts_left()), raw_image


def _replace(reading: CardReading, *, psc_attempts_left: int | None) -> CardReading:
    return dataclasses.replace(reading, psc_attempts_left=psc_attempts_left)


def _check_text(value: str, name: str) -> None:
    if not value or not value.isascii() or len(value) > 12:
        raise InputInvalid(name, detail_en=f"{name} must be 1-12 ASCII characters", field=name)
