"""What to do next, per refusal code: every refusal a cashier reads ends with the next step.

The core's messages say what went wrong ("卡与账户不符"); at the counter the person also needs the
way out ("请放该账户的卡…"). Hints are UI words (translated with the UI), so they live here, not in
counter_app/errors.py. A message that already says what to do gets no hint.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def next_step(code: str) -> str:
    hints = {
        "AUTH_FAILED": translate("Next", "请核对姓名和密码；连续输错会锁定账号"),
        "SHIFT_NOT_OPEN": translate("Next", "请先开班：退出登录后重新登录并输入备用金"),
        "SHIFT_CLOSED": translate("Next", "本班已结班：请重新登录开新班"),
        "ACCOUNT_UNKNOWN": translate("Next", "请核对房间号（如 5-308），或到“账户”页按户主/电表号搜索"),
        "ACCOUNT_PENDING": translate("Next", "请监督人在“账户”页确认类别后再售电"),
        "ACCOUNT_CLOSED": translate("Next", "已销户账户不能售电；如需重新用电请建档开户"),
        "ACCOUNT_BUSY": translate(
            "Next", "该账户有未完成的写卡：请把原卡放回读卡器重新回车，或到“异常”页处理"
        ),
        "BELOW_MINIMUM": translate("Next", "请输入不低于最低充值额的金额"),
        "ABOVE_MAXIMUM": translate("Next", "请减少金额，超出部分下次再购"),
        "OVER_METER_MAXIMUM": translate("Next", "请减少电量：电表余额加本次不能超过上限"),
        "CARD_REMOVED": translate("Next", "写卡时卡被取走：请把卡放回读卡器后重新回车"),
        "CARD_MISMATCH": translate("Next", "请放该账户的卡，或清空房间号后直接回车按卡查询"),
        "CARD_BLACKLISTED": translate("Next", "此卡已挂失或作废：请收回，到“卡管理”页补卡"),
        "CARD_MAC": translate("Next", "卡上数据无效：请确认是本中心的卡，否则到“卡管理”页补卡"),
        "CARD_LOCKED": translate("Next", "此卡已锁死不能再用：请到“卡管理”页补卡"),
        "CARD_PSC_WRONG": translate("Next", "请勿再试此卡（三次错误会锁死），联系管理员"),
        "WRITE_BACK_STALE": translate("Next", "请用户把卡插入电表后带回，再放读卡器"),
        "UNPAID_BACK_CHARGE": translate("Next", "请先在“收费”页缴清违规用电补缴电费"),
        "DEVICE_OFFLINE": translate("Next", "请检查读卡器/打印机的电源和连线，再重试；“诊断”页可查看状态"),
        "PRINTER_PAPER_OUT": translate("Next", "请装纸；凭条会自动补打"),
        "PENDING_INTENTS": translate("Next", "请先在“异常”页处理未完成的写卡，再结班"),
        "NOT_CLEARED": translate("Next", "请先写清零卡、插表、带回完成清零并退电"),
        "CORRECTION_NOT_SAME_DAY": translate("Next", "只能更正当天的凭条；已入表或隔天的请走退电"),
        "ALREADY_LOADED": translate("Next", "该次购电已输入电表，不能更正；请走房间退电后重新售电"),
        "ROLE_FORBIDDEN": translate("Next", "请由有权限的人员办理"),
        "REVIEWER_CONFLICT": translate("Next", "请另一位未在本班售电、也未签过本单的人员签这一步"),
        "SHEET_FROZEN": translate("Next", "财务已签收，交账单不能再改；差错请走退费或下月调整"),
        "PERIOD_FROZEN": translate("Next", "该会计月已月结，不能再记入；请按本月业务办理"),
        "QUEUED": translate("Next", "已排队，等监督人上班后在“异常”页确认"),
        "SALE_NOT_RECORDED": translate(
            "Next", "不要退款、不要重写：请把卡放回读卡器读卡即可入账；该笔在“异常”页可查"
        ),
        "DB_BUSY": translate("Next", "请稍候再试；反复出现请联系管理员"),
        "DISK_FULL": translate("Next", "请联系管理员清理磁盘后再继续"),
        "DB_READ_ONLY": translate("Next", "请联系管理员检查数据库文件夹的权限"),
        "DB_IO_ERROR": translate("Next", "请联系管理员检查磁盘"),
        "DB_CORRUPT": translate("Next", "请停止售电，联系管理员从备份恢复"),
        "DB_NOT_FOUND": translate("Next", "请联系管理员检查数据库位置（新装由管理员运行初始化）"),
    }
    return hints.get(code, "")


def with_next_step(code: str, message: str) -> str:
    hint = next_step(code)
    if not hint or hint in message:
        return message
    return f"{message}\n{hint}"
