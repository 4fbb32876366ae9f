"""Errors a person should read: one family, a stable code, a Chinese and an English message.

Everything raised to the UI, the CLI or the acceptance suite that a cashier can act on is a
`UserFacingError`. Anything else is a bug: it is logged with an id (see `counter_app.logs`) and
shown as "internal error, see log N". Never choose a message by parsing another program's text.

Codes are the contract of ../shared/API.md "Error codes"; keep them exactly.

    raise AccountUnknown("5-308")                  # 账户不存在：5-308
    raise InputInvalid("金额", detail_en="amount", field="amount_fen")
    UserFacingError.for_code("CARD_ABSENT")        # by code, when the code comes from data
"""

from __future__ import annotations

from typing import Any, ClassVar


class UserFacingError(Exception):
    """Base of every error a person should read.

    `detail` is appended to the message (a room code, a field name, a line number: whatever tells
    the person what to fix). `detail_en` is the English detail when it differs. `field` names the
    input field for the UI to mark; `intent_id` is set when a card-write intent stays open;
    `data` carries structured facts (rooms that overlap, attempts left) for callers and tests.
    """

    code: ClassVar[str] = "USER_ERROR"
    message_zh: ClassVar[str] = "操作未完成"
    message_en_base: ClassVar[str] = "The operation was not completed"

    def __init__(
        self,
        detail: str | None = None,
        *,
        detail_en: str | None = None,
        field: str | None = None,
        intent_id: str | None = None,
        queue_id: int | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.detail = detail
        self.detail_en = detail_en if detail_en is not None else detail
        self.field = field
        self.intent_id = intent_id
        self.queue_id = queue_id
        self.data = dict(data or {})
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.message_zh}：{self.detail}" if self.detail else self.message_zh

    @property
    def message_en(self) -> str:
        return f"{self.message_en_base}: {self.detail_en}" if self.detail_en else self.message_en_base

    def __str__(self) -> str:
        return f"[{self.code}] {self.message} / {self.message_en}"

    @classmethod
    def for_code(cls, code: str, detail: str | None = None, **kwargs: Any) -> UserFacingError:
        """An instance of the subclass registered for `code`."""
        return _BY_CODE[code](detail, **kwargs)


_BY_CODE: dict[str, type[UserFacingError]] = {}


def _define(name: str, code: str, zh: str, en: str) -> type[UserFacingError]:
    cls = type(name, (UserFacingError,), {"code": code, "message_zh": zh, "message_en_base": en})
    cls.__module__ = __name__
    _BY_CODE[code] = cls
    return cls


# (class name, code, Chinese, English). The Chinese says what happened and, where it helps, what
# to do next: the cashier reads it with a queue in front of the counter.
_TABLE = [
    ("AuthFailed", "AUTH_FAILED", "用户名或密码错误", "Wrong name or password"),
    ("Locked", "LOCKED", "账号已锁定，请稍后再试", "Account locked, try again later"),
    ("RoleForbidden", "ROLE_FORBIDDEN", "您的角色无权进行此操作", "Your role may not do this"),
    ("InputInvalid", "INPUT_INVALID", "输入有误", "Invalid input"),
    ("ShiftNotOpen", "SHIFT_NOT_OPEN", "尚未开班，请先开班", "No shift is open; open a shift first"),
    ("ShiftClosed", "SHIFT_CLOSED", "班次已结账锁定", "The shift is closed and locked"),
    ("AccountUnknown", "ACCOUNT_UNKNOWN", "账户不存在", "Unknown account"),
    ("AccountPending", "ACCOUNT_PENDING", "账户类别待确认，需监督人确认后才能售电",
     "Account class not confirmed; a supervisor must confirm it before sales"),
    ("AccountClosed", "ACCOUNT_CLOSED", "账户已销户", "The account is closed"),
    ("AccountBusy", "ACCOUNT_BUSY", "该账户正在其他窗口或有未完成的写卡，请稍候",
     "The account is busy at another counter or has an unfinished card write"),
    ("NotCleared", "NOT_CLEARED", "尚未退电清零，不能销户", "Not cleared and refunded; cannot close"),
    ("BelowMinimum", "BELOW_MINIMUM", "金额低于最低充值额", "Amount below the minimum top-up"),
    ("AboveMaximum", "ABOVE_MAXIMUM", "金额超过最高充值额", "Amount above the maximum top-up"),
    ("OverMeterMaximum", "OVER_METER_MAXIMUM", "超过电表最大囤积电量", "Above the meter's maximum balance"),
    ("PreviousNotLoaded", "PREVIOUS_NOT_LOADED", "上次购电尚未输入电表，请先将卡插入电表",
     "The previous purchase is not loaded; insert the card into the meter first"),
    ("CardAbsent", "CARD_ABSENT", "读卡器上没有卡，请放卡", "No card on the reader; place the card"),
    ("CardRemoved", "CARD_REMOVED", "写卡时卡被取走，请放回原卡", "The card was removed during the write; put it back"),
    ("CardMismatch", "CARD_MISMATCH", "卡与账户不符", "The card does not belong to this account"),
    ("CardBlacklisted", "CARD_BLACKLISTED", "此卡已挂失或作废", "This card is reported lost or void"),
    ("CardMac", "CARD_MAC", "卡数据校验失败（非本系统卡或已损坏）", "Card data check failed (foreign or damaged card)"),
    ("CardLocked", "CARD_LOCKED", "卡已锁死，不能再写", "The card is locked and can no longer be written"),
    ("CardPscWrong", "CARD_PSC_WRONG", "卡密码校验失败", "Card PSC verification failed"),
    ("WriteBackStale", "WRITE_BACK_STALE", "卡上的电表返写信息不是最新的，请先插表",
     "The meter write-back on the card is not current; insert the card into the meter"),
    ("ApprovalRequired", "APPROVAL_REQUIRED", "此操作需要监督人签字确认", "This operation needs a supervisor's approval"),
    ("ApprovalInvalid", "APPROVAL_INVALID", "监督人确认无效", "The approval is not valid"),
    ("SelfApproval", "SELF_APPROVAL", "不能由操作人本人确认", "The operator cannot approve their own operation"),
    ("Queued", "QUEUED", "已排队，待有监督人值班时确认", "Queued until a supervisor is on duty"),
    ("QuotaOverlap", "QUOTA_OVERLAP", "与已批准的定额送电批次重叠", "Overlaps an approved free-quota batch"),
    ("CorrectionNotSameDay", "CORRECTION_NOT_SAME_DAY", "只能更正当天、尚未交财务的收费",
     "Only same-day charges not yet handed to finance can be corrected"),
    ("AlreadyLoaded", "ALREADY_LOADED", "电量已输入电表，不能作废；请走退电后重新售电",
     "The energy is already loaded; refund the room and sell again"),
    ("NoticePaid", "NOTICE_PAID", "该通知单已缴费", "This notice is already paid"),
    ("AmountsDiffer", "AMOUNTS_DIFFER", "两次输入的金额不一致", "The two amounts differ"),
    ("PendingIntents", "PENDING_INTENTS", "有未完成的写卡，请先处理或转挂账",
     "Unfinished card writes remain; resolve them or move them to suspense"),
    ("UnpaidBackCharge", "UNPAID_BACK_CHARGE", "有未缴的违规用电补缴电费", "An unpaid theft back-charge is outstanding"),
    ("PeriodFrozen", "PERIOD_FROZEN", "该会计期间已结账冻结", "The accounting period is closed"),
    ("ReviewerConflict", "REVIEWER_CONFLICT", "审核人不能审核自己经手的班次", "A reviewer cannot review a shift they sold in"),
    # Not one of API.md's codes: an addition (docs/api.md "Additions beside API.md").
    ("SheetFrozen", "SHEET_FROZEN", "交账单已由财务签收冻结，不能再修改",
     "The settlement sheet was signed for by finance and is frozen"),
    # An addition too (issue 12 §4): the card carries a purchase the database does not know.
    ("CardAhead", "CARD_AHEAD", "卡上有数据库中没有的购电记录（数据库可能被恢复到旧备份），已转入挂账待主管处理；请再次读卡后继续",
     "The card carries a purchase the database does not know (restored?); it is in suspense for the head"),
    # Addition (issue 12 §1): a sealed row does not match its seal (counter_app/row_seals.py).
    ("Tampered", "TAMPERED", "数据校验失败，记录可能被篡改", "A record failed its integrity check"),
    ("DeviceOffline", "DEVICE_OFFLINE", "设备未连接或无响应", "Device not connected or not answering"),
    # Addition (issue 17): a networked meter module answered, refusing the command (wrong password
    # or operator, deadline passed, an unknown data item). `data["error"]` is its error byte/code.
    ("MeterRefused", "METER_REFUSED", "电表模块拒绝了命令", "The meter module refused the command"),
    ("PrinterPaperOut", "PRINTER_PAPER_OUT", "打印机缺纸", "The printer is out of paper"),
    ("SimulationRefused", "SIMULATION_REFUSED", "生产数据库不允许使用模拟设备",
     "Simulated devices are refused on a production database"),
    ("KeyMissing", "KEY_MISSING", "密钥缺失或不匹配", "A key is missing or does not match"),
    ("SchemaNewer", "SCHEMA_NEWER", "数据库版本比程序新，请升级程序", "The database is newer than this program; upgrade the program"),
    ("SchemaOlder", "SCHEMA_OLDER", "数据库版本较旧，请先升级数据库", "The database is older than this program; upgrade the database"),
    ("ClockSkew", "CLOCK_SKEW", "本机时间与数据库服务器时间相差过大", "This PC's clock differs too much from the database server"),
    ("DbUnreachable", "DB_UNREACHABLE", "无法连接数据库", "The database cannot be reached"),
    # Additions (docs/api.md "Broken databases"): what db/errors.py makes of a driver's error code.
    ("DbBusy", "DB_BUSY", "数据库正被其他程序占用，请稍后再试",
     "The database is busy (held by another program); try again shortly"),
    ("DiskFull", "DISK_FULL", "磁盘已满，无法写入数据库，请通知管理员清理磁盘",
     "The disk is full and the database cannot be written; tell the administrator"),
    ("DbReadOnly", "DB_READ_ONLY", "数据库文件或所在文件夹只读，无法写入，请通知管理员",
     "The database file or its folder is read-only; tell the administrator"),
    ("DbIoError", "DB_IO_ERROR", "读写数据库文件时出错（磁盘故障），请通知管理员",
     "The database file could not be read or written (a disk fault); tell the administrator"),
    ("DbCorrupt", "DB_CORRUPT", "数据库文件已损坏，请停止使用并通知管理员从备份恢复",
     "The database file is damaged; stop and have the administrator restore a backup"),
    ("DbNotFound", "DB_NOT_FOUND", "数据库不存在（新装请先运行 counter-admin init）",
     "The database does not exist (run counter-admin init for a new installation)"),
    ("SaleNotRecorded", "SALE_NOT_RECORDED",
     "卡上已写入电量，请勿退款；本笔售电将在下次读卡或重启时自动入账",
     "The card holds the energy; do not refund. The sale will be recorded at the next card read "
     "or restart"),
]

for _name, _code, _zh, _en in _TABLE:
    globals()[_name] = _define(_name, _code, _zh, _en)

ALL_CODES: frozenset[str] = frozenset(_BY_CODE)

# Names for static analysis and `from base.errors import CardAbsent`.
AuthFailed: type[UserFacingError]
Locked: type[UserFacingError]
RoleForbidden: type[UserFacingError]
InputInvalid: type[UserFacingError]
ShiftNotOpen: type[UserFacingError]
ShiftClosed: type[UserFacingError]
AccountUnknown: type[UserFacingError]
AccountPending: type[UserFacingError]
AccountClosed: type[UserFacingError]
AccountBusy: type[UserFacingError]
NotCleared: type[UserFacingError]
BelowMinimum: type[UserFacingError]
AboveMaximum: type[UserFacingError]
OverMeterMaximum: type[UserFacingError]
PreviousNotLoaded: type[UserFacingError]
CardAbsent: type[UserFacingError]
CardRemoved: type[UserFacingError]
CardMismatch: type[UserFacingError]
CardBlacklisted: type[UserFacingError]
CardMac: type[UserFacingError]
CardLocked: type[UserFacingError]
CardPscWrong: type[UserFacingError]
WriteBackStale: type[UserFacingError]
ApprovalRequired: type[UserFacingError]
ApprovalInvalid: type[UserFacingError]
SelfApproval: type[UserFacingError]
Queued: type[UserFacingError]
QuotaOverlap: type[UserFacingError]
CorrectionNotSameDay: type[UserFacingError]
AlreadyLoaded: type[UserFacingError]
NoticePaid: type[UserFacingError]
AmountsDiffer: type[UserFacingError]
PendingIntents: type[UserFacingError]
UnpaidBackCharge: type[UserFacingError]
PeriodFrozen: type[UserFacingError]
ReviewerConflict: type[UserFacingError]
SheetFrozen: type[UserFacingError]
CardAhead: type[UserFacingError]
DeviceOffline: type[UserFacingError]
MeterRefused: type[UserFacingError]
PrinterPaperOut: type[UserFacingError]
SimulationRefused: type[UserFacingError]
KeyMissing: type[UserFacingError]
SchemaNewer: type[UserFacingError]
SchemaOlder: type[UserFacingError]
ClockSkew: type[UserFacingError]
DbUnreachable: type[UserFacingError]
DbBusy: type[UserFacingError]
DiskFull: type[UserFacingError]
DbReadOnly: type[UserFacingError]
DbIoError: type[UserFacingError]
DbCorrupt: type[UserFacingError]
DbNotFound: type[UserFacingError]
SaleNotRecorded: type[UserFacingError]
Tampered: type[UserFacingError]
