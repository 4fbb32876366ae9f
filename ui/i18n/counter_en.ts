<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
<context>
    <name>AccountDetail</name>
    <message>
        <source>购电</source>
        <translation>Top-up</translation>
    </message>
    <message>
        <source>免费电量</source>
        <translation>Free energy</translation>
    </message>
    <message>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>更正重开</source>
        <translation>Correction</translation>
    </message>
    <message>
        <source>缴费（通知单）</source>
        <translation>Bill paid</translation>
    </message>
    <message>
        <source>收费（工本费等）</source>
        <translation>Fee paid</translation>
    </message>
    <message>
        <source>补缴电费</source>
        <translation>Back-charge paid</translation>
    </message>
    <message>
        <source>退费审批</source>
        <translation>Refund raised</translation>
    </message>
    <message>
        <source>挂账</source>
        <translation>Suspense</translation>
    </message>
    <message>
        <source>挂账处理</source>
        <translation>Suspense resolved</translation>
    </message>
    <message>
        <source>换表补电</source>
        <translation>Carried to new meter</translation>
    </message>
    <message>
        <source>清零</source>
        <translation>Cleared</translation>
    </message>
    <message>
        <source>旧系统购电</source>
        <translation>Old system top-up</translation>
    </message>
    <message>
        <source>入库</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>发卡</source>
        <translation>Card issued</translation>
    </message>
    <message>
        <source>挂失</source>
        <translation>Reported lost</translation>
    </message>
    <message>
        <source>补卡</source>
        <translation>Card replaced</translation>
    </message>
    <message>
        <source>报废</source>
        <translation>Spoiled</translation>
    </message>
    <message>
        <source>锁卡</source>
        <translation>Locked</translation>
    </message>
    <message>
        <source>制清零卡</source>
        <translation>Clear card made</translation>
    </message>
    <message>
        <source>制工具卡</source>
        <translation>Tool card made</translation>
    </message>
    <message>
        <source>退卡</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>空白</source>
        <translation>Blank</translation>
    </message>
    <message>
        <source>在用</source>
        <translation>In use</translation>
    </message>
    <message>
        <source>已报废</source>
        <translation>Spoiled</translation>
    </message>
    <message>
        <source>已锁</source>
        <translation>Locked</translation>
    </message>
    <message>
        <source>已挂失</source>
        <translation>Lost</translation>
    </message>
    <message>
        <source>工具卡</source>
        <translation>Tool card</translation>
    </message>
    <message>
        <source>开户</source>
        <translation>Opened</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Imported</translation>
    </message>
    <message>
        <source>旧系统导入</source>
        <translation>Imported from old system</translation>
    </message>
    <message>
        <source>类别变更</source>
        <translation>Class changed</translation>
    </message>
    <message>
        <source>类别确认</source>
        <translation>Class confirmed</translation>
    </message>
    <message>
        <source>入住人数变更</source>
        <translation>Occupants changed</translation>
    </message>
    <message>
        <source>过户</source>
        <translation>Holder changed</translation>
    </message>
    <message>
        <source>换表</source>
        <translation>Meter replaced</translation>
    </message>
    <message>
        <source>冻结</source>
        <translation>Blocked</translation>
    </message>
    <message>
        <source>解冻</source>
        <translation>Unblocked</translation>
    </message>
    <message>
        <source>销户</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>维修</source>
        <translation>Repair</translation>
    </message>
    <message>
        <source>水电费</source>
        <translation>Utilities</translation>
    </message>
    <message>
        <source>采暖费</source>
        <translation>Heating</translation>
    </message>
    <message>
        <source>违规补缴</source>
        <translation>Back-charge</translation>
    </message>
    <message>
        <source>补交电费（软件控制）</source>
        <translation>Electricity owed (software control)</translation>
    </message>
    <message>
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <source>一卡通</source>
        <translation>Campus card</translation>
    </message>
    <message>
        <source>微信</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <source>支付宝</source>
        <translation>Alipay</translation>
    </message>
    <message>
        <source>支票</source>
        <translation>Cheque</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>业务</source>
        <translation>Transaction</translation>
    </message>
    <message>
        <source>（已作废）</source>
        <translation> (voided)</translation>
    </message>
    <message>
        <source>金额(元)</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>电量(kWh)</source>
        <translation>Energy (kWh)</translation>
    </message>
    <message>
        <source>免费(kWh)</source>
        <translation>Free (kWh)</translation>
    </message>
    <message>
        <source>付款方式</source>
        <translation>Tender</translation>
    </message>
    <message>
        <source>凭条号</source>
        <translation>Receipt no.</translation>
    </message>
    <message>
        <source>收费点</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>卡号</source>
        <translation>Card no.</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>卡现状</source>
        <translation>Card now</translation>
    </message>
    <message>
        <source>读到时间</source>
        <translation>Seen at</translation>
    </message>
    <message>
        <source>电表时间</source>
        <translation>Meter time</translation>
    </message>
    <message>
        <source>剩余(kWh)</source>
        <translation>Remaining (kWh)</translation>
    </message>
    <message>
        <source>累计用电(kWh)</source>
        <translation>Used in total (kWh)</translation>
    </message>
    <message>
        <source>已入表购电次数</source>
        <translation>Purchases loaded</translation>
    </message>
    <message>
        <source>报警</source>
        <translation>Alarms</translation>
    </message>
    <message>
        <source>开单时间</source>
        <translation>Issued at</translation>
    </message>
    <message>
        <source>通知单号</source>
        <translation>Notice no.</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>缴费人</source>
        <translation>Payer</translation>
    </message>
    <message>
        <source>缴费时间</source>
        <translation>Paid at</translation>
    </message>
    <message>
        <source>未缴</source>
        <translation>Unpaid</translation>
    </message>
    <message>
        <source>账户详情 — {0}（{1}）</source>
        <translation>Account detail — {0} ({1})</translation>
    </message>
    <message>
        <source>购电与缴费</source>
        <translation>Purchases and payments</translation>
    </message>
    <message>
        <source>卡</source>
        <translation>Cards</translation>
    </message>
    <message>
        <source>电表返写</source>
        <translation>Meter write-backs</translation>
    </message>
    <message>
        <source>通知单</source>
        <translation>Notices</translation>
    </message>
    <message>
        <source>账户变更</source>
        <translation>Account changes</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>账户号</source>
        <translation>Account no.</translation>
    </message>
    <message>
        <source>房间</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>类别 / 状态</source>
        <translation>Class / status</translation>
    </message>
    <message>
        <source>户主 / 电话</source>
        <translation>Holder / phone</translation>
    </message>
    <message>
        <source>电表号 / 型号</source>
        <translation>Meter / model</translation>
    </message>
    <message>
        <source>当前卡号</source>
        <translation>Current card</translation>
    </message>
    <message>
        <source>购电次数</source>
        <translation>Purchases</translation>
    </message>
    <message>
        <source>床位 / 入住</source>
        <translation>Beds / occupants</translation>
    </message>
    <message>
        <source>最近返写剩余</source>
        <translation>Last write-back remaining</translation>
    </message>
    <message>
        <source>{0} kWh（{1}）</source>
        <translation>{0} kWh ({1})</translation>
    </message>
    <message>
        <source>待领免费电量</source>
        <translation>Free energy owed</translation>
    </message>
    <message>
        <source>开户日期</source>
        <translation>Opened on</translation>
    </message>
    <message>
        <source>电价</source>
        <translation>Price</translation>
    </message>
    <message>
        <source>{0} 元/kWh</source>
        <translation>{0} yuan/kWh</translation>
    </message>
    <message>
        <source>（没有记录）</source>
        <translation>(no records)</translation>
    </message>
    <message>
        <source>另有 {0} 条更早的记录未显示</source>
        <translation>{0} older records not shown</translation>
    </message>
</context>
<context>
    <name>Accounts</name>
    <message>
        <location filename="../pages/accounts.py" line="33"/>
        <source>校区/楼栋/单元/房间</source>
        <translation>Campus/building/unit/room</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="57"/>
        <source>账户</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>房间号 / 电表号 / 账户号（输入即查）</source>
        <translation type="vanished">Room / meter / account no. (search as you type)</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="62"/>
        <source>房间号 / 户主姓名 / 电表号 / 账户号（输入即查）</source>
        <translation>Room / holder / meter / account no. (search as you type)</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="89"/>
        <source>建档开户（教职工/实体经营）</source>
        <translation>Open account (staff/business)</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="91"/>
        <source>房间号</source>
        <translation>Room code</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="92"/>
        <location filename="../pages/accounts.py" line="107"/>
        <source>类别</source>
        <translation>Class</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="93"/>
        <source>电表号</source>
        <translation>Meter no.</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="94"/>
        <source>户主</source>
        <translation>Holder</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="95"/>
        <location filename="../pages/accounts.py" line="122"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="98"/>
        <source>已开户 {0}（{1}）</source>
        <translation>Account {0} opened ({1})</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="102"/>
        <source>确认类别</source>
        <translation>Confirm class</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="104"/>
        <location filename="../pages/accounts.py" line="120"/>
        <source>账户号</source>
        <translation>Account no.</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="113"/>
        <source>账户 {0} 类别已确认</source>
        <translation>Class of account {0} confirmed</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="118"/>
        <source>过户</source>
        <translation>Change holder</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="121"/>
        <source>新户主</source>
        <translation>New holder</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="123"/>
        <source>交接电量</source>
        <translation>Handover energy</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="126"/>
        <source>账户 {0} 已过户给 {1}</source>
        <translation>Account {0} transferred to {1}</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="144"/>
        <source>共 {0} 间房；点房间即查询</source>
        <translation>{0} rooms; click a room to look it up</translation>
    </message>
    <message>
        <source>楼栋树待接口提供（list_rooms）；请用上方搜索。</source>
        <translation type="vanished">The building tree is not available yet (list_rooms); use the search above.</translation>
    </message>
    <message>
        <location filename="../pages/accounts.py" line="159"/>
        <source>没有找到</source>
        <translation>Nothing found</translation>
    </message>
</context>
<context>
    <name>Approval</name>
    <message>
        <location filename="../approval_dialog.py" line="45"/>
        <source>操作</source>
        <translation>Operation</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="46"/>
        <source>经办人</source>
        <translation>Maker</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="49"/>
        <source>账户</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="51"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="53"/>
        <source>电量</source>
        <translation>Energy</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="55"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="68"/>
        <source>不能由操作人本人确认，请另一位监督人签字</source>
        <translation>The operator cannot approve their own operation; another supervisor must sign</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="69"/>
        <source>监督人姓名或密码错误，或该人当前不是监督人</source>
        <translation>Wrong supervisor name or password, or that person is not a supervisor now</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="70"/>
        <source>此操作需要监督人签字确认</source>
        <translation>This operation needs a supervisor&apos;s approval</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="87"/>
        <source>监督人确认</source>
        <translation>Supervisor approval</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="90"/>
        <source>请监督人核对以下内容，并输入本人姓名和密码：</source>
        <translation>Supervisor: check the following and enter your own name and password:</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="96"/>
        <source>监督人姓名</source>
        <translation>Supervisor name</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="97"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../approval_dialog.py" line="123"/>
        <source>请输入监督人姓名和密码</source>
        <translation>Enter the supervisor&apos;s name and password</translation>
    </message>
</context>
<context>
    <name>Backup</name>
    <message>
        <source>⚠ 备份失败（{0}）：{1}</source>
        <translation>⚠ Backup failed ({0}): {1}</translation>
    </message>
    <message>
        <source>⚠ 尚无备份：未设置备份目录</source>
        <translation>⚠ No backup: no backup folder set</translation>
    </message>
    <message>
        <source>⚠ 尚无经校验的备份</source>
        <translation>⚠ No verified backup yet</translation>
    </message>
    <message>
        <source>⚠ 最近一次备份在 {0}，已超过 {1} 天</source>
        <translation>⚠ Last backup {0}: more than {1} days old</translation>
    </message>
    <message>
        <source>最近一次有效备份：{0}</source>
        <translation>Last good backup: {0}</translation>
    </message>
</context>
<context>
    <name>Books</name>
    <message>
        <location filename="../pages/books.py" line="22"/>
        <source>收据本 {0}（{1}）：第 {2}—{3} 页；作废页 {4}</source>
        <translation>Receipt book {0} ({1}): pages {2}–{3}; voided pages {4}</translation>
    </message>
    <message>
        <location filename="../pages/books.py" line="30"/>
        <source>收据本</source>
        <translation>Receipt books</translation>
    </message>
    <message>
        <location filename="../pages/books.py" line="36"/>
        <source>发放收据本</source>
        <translation>Issue a receipt book</translation>
    </message>
    <message>
        <location filename="../pages/books.py" line="38"/>
        <source>营业员（登录名）</source>
        <translation>Cashier (login name)</translation>
    </message>
    <message>
        <location filename="../pages/books.py" line="39"/>
        <source>起始页号</source>
        <translation>First page no.</translation>
    </message>
    <message>
        <location filename="../pages/books.py" line="40"/>
        <source>终止页号</source>
        <translation>Last page no.</translation>
    </message>
    <message>
        <location filename="../pages/books.py" line="47"/>
        <source>作废收据页</source>
        <translation>Void a receipt page</translation>
    </message>
    <message>
        <location filename="../pages/books.py" line="49"/>
        <source>页号</source>
        <translation>Page no.</translation>
    </message>
    <message>
        <location filename="../pages/books.py" line="50"/>
        <source>作废原因</source>
        <translation>Reason for voiding</translation>
    </message>
    <message>
        <location filename="../pages/books.py" line="54"/>
        <source>作废此页</source>
        <translation>Void this page</translation>
    </message>
    <message>
        <location filename="../pages/books.py" line="59"/>
        <source>作废的收据页须保留原页，并在交账单上列明；只能作废本人领用的收据本。</source>
        <translation>Keep a voided page and list it on the settlement sheet; you can only void pages of your own book.</translation>
    </message>
</context>
<context>
    <name>Cards</name>
    <message>
        <location filename="../pages/cards.py" line="20"/>
        <source>卡管理</source>
        <translation>Cards</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="24"/>
        <source>账户号</source>
        <translation>Account no.</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="27"/>
        <source>挂失</source>
        <translation>Report lost</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="30"/>
        <source>账户 {0} 的卡已挂失（已列入黑名单）</source>
        <translation>Card of account {0} reported lost (blacklisted)</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="34"/>
        <source>补卡（新卡放读卡器）</source>
        <translation>Replace card (new card on the reader)</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="37"/>
        <source>支付方式</source>
        <translation>Tender</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="38"/>
        <source>交易号</source>
        <translation>Transaction no.</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="41"/>
        <source>新卡 {0} 已发出{1}</source>
        <translation>New card {0} issued{1}</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="42"/>
        <source>，票号 {0}</source>
        <translation>, receipt {0}</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="47"/>
        <source>发卡（空白卡放读卡器）</source>
        <translation>Issue card (blank card on the reader)</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="50"/>
        <source>卡 {0} 已发给账户 {1}</source>
        <translation>Card {0} issued to account {1}</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="54"/>
        <source>换表补电</source>
        <translation>Replace meter</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="57"/>
        <source>新电表号</source>
        <translation>New meter no.</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="58"/>
        <source>转入电量</source>
        <translation>Energy carried</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="61"/>
        <source>参数卡 {0} 已写好：请插入新电表</source>
        <translation>Parameter card {0} written: insert it into the new meter</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="66"/>
        <source>工具卡</source>
        <translation>Tool card</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="70"/>
        <source>类别</source>
        <translation>Class</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="73"/>
        <source>检查卡</source>
        <translation>Check card</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="74"/>
        <source>参数卡</source>
        <translation>Parameter card</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="77"/>
        <source>电表号</source>
        <translation>Meter no.</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="80"/>
        <source>工具卡 {0}（{1}）已写好</source>
        <translation>Tool card {0} ({1}) written</translation>
    </message>
    <message>
        <location filename="../pages/cards.py" line="86"/>
        <source>补卡沿用原账户和购电次数；旧卡上未入表的购电转到新卡。</source>
        <translation>A replacement card keeps the account and purchase counter; an unloaded purchase moves to the new card.</translation>
    </message>
</context>
<context>
    <name>Charges</name>
    <message>
        <location filename="../pages/charges.py" line="17"/>
        <source>维修费</source>
        <translation>Repair fee</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="18"/>
        <source>水电费</source>
        <translation>Water/electricity bill</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="19"/>
        <source>采暖费</source>
        <translation>Heating fee</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="25"/>
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="26"/>
        <source>支票</source>
        <translation>Cheque</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="27"/>
        <source>一卡通</source>
        <translation>Campus card</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="28"/>
        <source>微信</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="29"/>
        <source>支付宝</source>
        <translation>Alipay</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="43"/>
        <source>收费</source>
        <translation>Charges</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="48"/>
        <source>按通知单收费</source>
        <translation>Pay a notice</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="49"/>
        <source>登记通知单/采暖费</source>
        <translation>Notices / heating</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="50"/>
        <source>违规用电补缴</source>
        <translation>Theft back-charge</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="53"/>
        <source>通知单须一次全额缴清；金额输入两次核对。需要学校结算收据的，填写收据页号。</source>
        <translation>A notice is paid once and in full; the amount is typed twice. Enter the stamped receipt page where one is needed.</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="64"/>
        <source>缴费</source>
        <translation>Pay</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="66"/>
        <location filename="../pages/charges.py" line="91"/>
        <source>通知单号</source>
        <translation>Notice no.</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="67"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="68"/>
        <source>再次输入金额</source>
        <translation>Amount again</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="69"/>
        <source>支付方式</source>
        <translation>Tender</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="70"/>
        <source>实收</source>
        <translation>Tendered</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="71"/>
        <source>交易号/支票号</source>
        <translation>Transaction/cheque no.</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="72"/>
        <source>收据页号</source>
        <translation>Stamped receipt page</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="75"/>
        <source>已收费 票号 {0}：￥{1}，找零 ￥{2}{3}</source>
        <translation>Paid, receipt {0}: ¥{1}, change ¥{2}{3}</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="79"/>
        <source>（迟交，已标记）</source>
        <translation> (late hand-in, flagged)</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="87"/>
        <source>登记通知单</source>
        <translation>Register notice</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="89"/>
        <source>类别</source>
        <translation>Class</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="90"/>
        <source>缴费单位/人</source>
        <translation>Payer</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="92"/>
        <source>金额（维修/水电）</source>
        <translation>Amount (repair/utility)</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="93"/>
        <source>采暖面积（m²）</source>
        <translation>Heated area (m²)</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="94"/>
        <source>维修日期</source>
        <translation>Repair date</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="95"/>
        <source>维修人</source>
        <translation>Repairman</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="96"/>
        <source>开单部门</source>
        <translation>Issuing department</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="99"/>
        <source>通知单 {0}：￥{1}</source>
        <translation>Notice {0}: ¥{1}</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="108"/>
        <source>违规用电补缴电费</source>
        <translation>Theft back-charge</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="110"/>
        <source>账户号</source>
        <translation>Account no.</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="111"/>
        <source>发现日期</source>
        <translation>Discovered on</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="112"/>
        <source>确认电工</source>
        <translation>Confirming electrician</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="113"/>
        <source>证据/通知人</source>
        <translation>Evidence / notified</translation>
    </message>
    <message>
        <location filename="../pages/charges.py" line="116"/>
        <source>通知单 {0}：{1} 天 × 电量 = {2} kWh，单价 {3}，应缴 ￥{4}</source>
        <translation>Notice {0}: {1} days → {2} kWh at {3}, due ¥{4}</translation>
    </message>
</context>
<context>
    <name>Demo</name>
    <message>
        <location filename="../demo_panel.py" line="28"/>
        <source>房间号（找卡/电表）</source>
        <translation>Room (find card/meter)</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="29"/>
        <source>卡号</source>
        <translation>Card no.</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="30"/>
        <source>电表号</source>
        <translation>Meter no.</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="31"/>
        <source>用电 kWh</source>
        <translation>Energy used (kWh)</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="32"/>
        <location filename="../demo_panel.py" line="203"/>
        <source>打印机缺纸</source>
        <translation>Printer out of paper</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="37"/>
        <source>房间</source>
        <translation>Room</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="38"/>
        <source>卡</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="39"/>
        <source>电表</source>
        <translation>Meter</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="40"/>
        <source>电量</source>
        <translation>Energy</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="45"/>
        <source>为该户发卡</source>
        <translation>Issue a card for this account</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="46"/>
        <source>放该户的卡</source>
        <translation>Put the account&apos;s card on the reader</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="47"/>
        <source>按房间找卡</source>
        <translation>Find card by room</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="48"/>
        <source>新空白卡</source>
        <translation>New blank card</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="49"/>
        <source>放到读卡器</source>
        <translation>Put on reader</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="50"/>
        <source>从读卡器取下</source>
        <translation>Take off reader</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="51"/>
        <source>插入电表</source>
        <translation>Insert into meter</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="52"/>
        <source>用电</source>
        <translation>Consume</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="53"/>
        <source>电表状态</source>
        <translation>Meter state</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="54"/>
        <source>最近凭条</source>
        <translation>Last receipt</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="61"/>
        <source>模拟设备</source>
        <translation>Simulated devices</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="83"/>
        <source>{0}：卡 {1}，电表 {2}</source>
        <translation>{0}: card {1}, meter {2}</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="100"/>
        <source>新空白卡 {0} 已放到读卡器</source>
        <translation>New blank card {0} is on the reader</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="108"/>
        <source>请输入房间号，如 1-101</source>
        <translation>Type a room code, e.g. 1-101</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="123"/>
        <source>已为 {0} 发卡 {1}，卡在读卡器上：到“售电”页直接回车</source>
        <translation>Card {1} issued for {0} and on the reader: press Enter on the Sale page</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="134"/>
        <source>该户还没有卡：请先点“为该户发卡”</source>
        <translation>This account has no card yet: click &quot;Issue a card for this account&quot; first</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="140"/>
        <source>{0} 的卡 {1} 已放到读卡器</source>
        <translation>Card {1} of {0} is on the reader</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="161"/>
        <source>请先发卡或按房间找卡</source>
        <translation>Issue a card first, or find the card by room</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="217"/>
        <source>电表已充入本次购电</source>
        <translation>The meter loaded this purchase</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="218"/>
        <source>电表未充值（本次已充过）</source>
        <translation>The meter did not load (already loaded)</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="219"/>
        <source>电表已清零</source>
        <translation>The meter was cleared</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="220"/>
        <source>参数已写入电表</source>
        <translation>Parameters written to the meter</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="221"/>
        <source>检查卡已读回电表状态</source>
        <translation>The check card read back the meter&apos;s state</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="222"/>
        <source>电表拒绝此卡（见返写错误）</source>
        <translation>The meter refused this card (see the write-back error)</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="223"/>
        <source>电表无响应（损坏或未安装）</source>
        <translation>The meter does not answer (broken or not installed)</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="225"/>
        <source>卡 {0} 插入电表：{1}；卡已从读卡器取下，回读卡器可见返写</source>
        <translation>Card {0} inserted into the meter: {1}; the card left the reader, put it back to see the write-back</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="227"/>
        <source>
电表剩余 {0} kWh，第 {1} 次</source>
        <translation>
Meter balance {0} kWh, purchase no. {1}</translation>
    </message>
    <message>
        <source>新空白卡 {0}</source>
        <translation type="vanished">New blank card {0}</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="147"/>
        <source>卡 {0} 已放到读卡器</source>
        <translation>Card {0} placed on the reader</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="154"/>
        <source>读卡器上已无卡</source>
        <translation>Reader empty</translation>
    </message>
    <message>
        <source>卡 {0} 已插入电表并返写</source>
        <translation type="vanished">Card {0} inserted into its meter (written back)</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="180"/>
        <source>电表 {0} 用电 {1} kWh</source>
        <translation>Meter {0} consumed {1} kWh</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="189"/>
        <source>第 {0} 次，剩余 {1} kWh，累计 {2} kWh，报警 {3}</source>
        <translation>counter {0}, remaining {1} kWh, consumed {2} kWh, alarms {3}</translation>
    </message>
    <message>
        <location filename="../demo_panel.py" line="211"/>
        <source>尚无凭条</source>
        <translation>No receipts yet</translation>
    </message>
    <message>
        <source>打印机已装纸</source>
        <translation>Paper loaded</translation>
    </message>
    <message>
        <source>打印机已装纸：{0} 张待打印凭条即将自动打印（见状态栏）</source>
        <translation>Paper loaded: {0} waiting receipts will print by themselves shortly (see the status bar)</translation>
    </message>
</context>
<context>
    <name>Deposits</name>
    <message>
        <location filename="../pages/deposits.py" line="1"/>
        <source>；应缴 ￥{0}，差额 ￥{1}（{2}）</source>
        <translation>; expected ¥{0}, difference ¥{1} ({2})</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="1"/>
        <source>差额原因</source>
        <translation>Reason for a difference</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="28"/>
        <source>现金缴款单</source>
        <translation>Cash deposit slip</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="29"/>
        <source>进账单</source>
        <translation>Bank credit slip</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="37"/>
        <source>请填写班次号，多个用逗号分开</source>
        <translation>Type the shift numbers, separated by commas</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="46"/>
        <source>（迟缴）</source>
        <translation> (late)</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="47"/>
        <source>已登记 {0} {1}：￥{2}，班次 {3}{4}</source>
        <translation>Recorded {0} {1}: ¥{2}, shifts {3}{4}</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="56"/>
        <source>班次</source>
        <translation>Shift</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="57"/>
        <source>应缴现金</source>
        <translation>Cash due</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="58"/>
        <source>应缴日</source>
        <translation>Due on</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="60"/>
        <source>缴存日</source>
        <translation>Deposited on</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="62"/>
        <source>未缴</source>
        <translation>Not deposited</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="64"/>
        <location filename="../pages/deposits.py" line="81"/>
        <source>单号</source>
        <translation>Slip no.</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="73"/>
        <source>缴款</source>
        <translation>Deposits</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="79"/>
        <source>登记缴款单</source>
        <translation>Record a deposit slip</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="82"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="83"/>
        <source>银行/结算中心</source>
        <translation>Bank / settlement centre</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="84"/>
        <source>银行盖章日期</source>
        <translation>Date stamped by the bank</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="85"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="86"/>
        <source>所缴班次号</source>
        <translation>Shifts covered</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="96"/>
        <source>迟缴、未缴的班次（部门助理核对）</source>
        <translation>Shifts deposited late or not yet (checked by the assistant)</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="103"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="113"/>
        <source>迟缴清单仅部门助理、主管和财务可查看</source>
        <translation>Only the assistant, head and finance see the late-deposit list</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="129"/>
        <source>共 {0} 个班次迟缴或未缴</source>
        <translation>{0} shifts late or not deposited</translation>
    </message>
    <message>
        <location filename="../pages/deposits.py" line="131"/>
        <source>没有迟缴</source>
        <translation>No late deposits</translation>
    </message>
</context>
<context>
    <name>DeviceSetup</name>
    <message>
        <location filename="../pages/device_setup.py" line="35"/>
        <source>{0}：{1} — {2}</source>
        <translation>{0}: {1} — {2}</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="36"/>
        <source>（{0}）</source>
        <translation> ({0})</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="27"/>
        <source>PC/SC 读卡器</source>
        <translation>PC/SC reader</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="28"/>
        <source>读卡主机</source>
        <translation>card host</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="29"/>
        <source>串口</source>
        <translation>serial port</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="48"/>
        <source>读卡器应答：{0}</source>
        <translation>The reader answered: {0}</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="50"/>
        <source>读卡器上没有卡。放一张卡再试。</source>
        <translation>No card on the reader. Put a card on it and try again.</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="52"/>
        <source>有卡（卡号 {0}），但无法识别：{1}</source>
        <translation>A card is in (card no. {0}) but cannot be read: {1}</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="56"/>
        <source>有卡：类型 {0}，卡号 {1}</source>
        <translation>Card in: kind {0}, card no. {1}</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="65"/>
        <source>找到 {0} 个设备，在上面的框里选择：</source>
        <translation>Found {0} devices; pick them in the boxes above:</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="67"/>
        <source>注意：{0}（{1}）</source>
        <translation>Note: {0} ({1})</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="73"/>
        <source>联机</source>
        <translation>online</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="73"/>
        <source>未联机或未知</source>
        <translation>offline or unknown</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="74"/>
        <source>测试页已发送到 {0}（{1}，纸：{2}）。请看打印机是否打出中文。</source>
        <translation>Test slip sent to {0} ({1}, paper: {2}). Check that the Chinese line printed as Chinese.</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="81"/>
        <source>本机设备设置：选择、测试、保存读卡器和打印机</source>
        <translation>This PC's devices: pick, test and save the reader and the printer</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="85"/>
        <source>查找设备</source>
        <translation>Find devices</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="92"/>
        <source>测试读卡</source>
        <translation>Test-read a card</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="94"/>
        <source>打印测试页</source>
        <translation>Print a test slip</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="96"/>
        <source>保存为本机设备</source>
        <translation>Save for this PC</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="100"/>
        <source>只有管理员可以保存本机设备</source>
        <translation>Only the administrator can save this PC's devices</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="102"/>
        <source>读卡器</source>
        <translation>Card reader</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="105"/>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="109"/>
        <source>保存在本机，不写入数据库；重新启动工作站后生效。</source>
        <translation>Saved on this PC, not in the database; used from the next start of the workstation.</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="135"/>
        <source>请先选择读卡器</source>
        <translation>Pick a card reader first</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="145"/>
        <source>请先选择打印机</source>
        <translation>Pick a printer first</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="159"/>
        <source>已保存到 {0}。重新启动工作站后生效。</source>
        <translation>Saved to {0}. Used from the next start of the workstation.</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="167"/>
        <source>（未选择：不使用）</source>
        <translation>(none chosen: not used)</translation>
    </message>
    <message>
        <location filename="../pages/device_setup.py" line="173"/>
        <source>已保存：{0}（现在未找到）</source>
        <translation>Saved: {0} (not found now)</translation>
    </message>
</context>
<context>
    <name>Diagnostics</name>
    <message>
        <location filename="../pages/diagnostics.py" line="27"/>
        <source>卡号 {0}，类型 {1}，账户 {2}</source>
        <translation>Card {0}, kind {1}, account {2}</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="34"/>
        <source>返写：剩余 {0} kWh，累计 {1} kWh，最后入表第 {2} 次，错误 {3}</source>
        <translation>Write-back: remaining {0} kWh, consumed {1} kWh, last loaded #{2}, error {3}</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="49"/>
        <source>设备诊断</source>
        <translation>Diagnostics</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="53"/>
        <source>正在使用的设备</source>
        <translation>Devices in use</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="56"/>
        <source>补打票号</source>
        <translation>Receipt no. to reprint</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="58"/>
        <source>设备状态/读卡器版本</source>
        <translation>Device status / reader version</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="59"/>
        <source>打印测试页</source>
        <translation>Test print</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="60"/>
        <source>读卡（只查询）</source>
        <translation>Read card (query only)</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="61"/>
        <source>补打</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="83"/>
        <source>测试页已打印。
</source>
        <translation>Test page printed.
</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="93"/>
        <source>请输入要补打的票号，如 W01-00000001</source>
        <translation>Type the receipt number to reprint, e.g. W01-00000001</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="98"/>
        <source>已补打 {0}（凭条标记“补打”第 {1} 次）</source>
        <translation>Reprinted {0} (marked &quot;reprint&quot; no. {1})</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="105"/>
        <location filename="../pages/diagnostics.py" line="115"/>
        <location filename="../pages/diagnostics.py" line="127"/>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="106"/>
        <source>是</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="106"/>
        <source>否</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="110"/>
        <source>读卡器</source>
        <translation>Reader</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="110"/>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="112"/>
        <source>{0}：未配置</source>
        <translation>{0}: not configured</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="114"/>
        <source>{0}：端口 {1}</source>
        <translation>{0}: port {1}</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="115"/>
        <source>版本 {0}</source>
        <translation>version {0}</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="116"/>
        <source>已连接 {0}</source>
        <translation>connected {0}</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="117"/>
        <source>应答 {0}</source>
        <translation>answered {0}</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="120"/>
        <source>模拟设备</source>
        <translation>simulated device</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="122"/>
        <source>联机 {0}</source>
        <translation>online {0}</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="124"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="125"/>
        <source>将尽</source>
        <translation>near end</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="126"/>
        <source>缺纸</source>
        <translation>out of paper</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="128"/>
        <source>纸 {0}</source>
        <translation>paper {0}</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="129"/>
        <source>盖开 {0}</source>
        <translation>cover open {0}</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="131"/>
        <source>有卡 {0}</source>
        <translation>card present {0}</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="133"/>
        <source>最近错误 {0}</source>
        <translation>last error {0}</translation>
    </message>
    <message>
        <location filename="../pages/diagnostics.py" line="139"/>
        <source>待打印凭条 {0} 张</source>
        <translation>{0} receipts waiting to print</translation>
    </message>
    <message>
        <source>打印测试页：待接口提供（test_print）</source>
        <translation type="vanished">Test print: not available yet (test_print)</translation>
    </message>
    <message>
        <source>测试页已发送</source>
        <translation type="vanished">Test page sent</translation>
    </message>
    <message>
        <source>请输入票号（补打接口：reprint_receipt）</source>
        <translation type="vanished">Enter a receipt no. (reprint: reprint_receipt)</translation>
    </message>
    <message>
        <source>已补打 {0}（标记“补打”）</source>
        <translation type="vanished">Reprinted {0} (marked REPRINT)</translation>
    </message>
</context>
<context>
    <name>Exceptions</name>
    <message>
        <source>数据被篡改</source>
        <translation>Data tampered with</translation>
    </message>
    <message>
        <source>确认所选排队操作（监督人签字）</source>
        <translation>Approve the selected queued operation (supervisor signs)</translation>
    </message>
    <message>
        <source>请先在上表中选择一条排队操作</source>
        <translation>First select a queued operation in the table above</translation>
    </message>
    <message>
        <source>排队操作 {0} 已确认并执行</source>
        <translation>Queued operation {0} approved and carried out</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="26"/>
        <location filename="../pages/exceptions.py" line="62"/>
        <source>类别</source>
        <translation>Class</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="28"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="32"/>
        <location filename="../pages/exceptions.py" line="64"/>
        <source>经办</source>
        <translation>Maker</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="33"/>
        <source>确认人</source>
        <translation>Co-signer</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="34"/>
        <source>窗口</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="35"/>
        <location filename="../pages/exceptions.py" line="63"/>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="43"/>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="44"/>
        <source>更正</source>
        <translation>Correction</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="45"/>
        <source>补打</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="46"/>
        <source>手工抄表</source>
        <translation>Manual reading</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="47"/>
        <source>放行</source>
        <translation>Override</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="48"/>
        <source>迟交</source>
        <translation>Late hand-in</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="49"/>
        <source>无价电量</source>
        <translation>Unpriced energy</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="50"/>
        <source>标记</source>
        <translation>Flagged</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="51"/>
        <source>恢复写卡</source>
        <translation>Recovered write</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="52"/>
        <source>长款</source>
        <translation>Over</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="53"/>
        <source>短款</source>
        <translation>Short</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="54"/>
        <source>待确认</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="61"/>
        <source>排队号</source>
        <translation>Queue no.</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="83"/>
        <source>异常</source>
        <translation>Exceptions</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="90"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="104"/>
        <source>写卡编号</source>
        <translation>Write no.</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="107"/>
        <source>转挂账</source>
        <translation>Move to suspense</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="108"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="110"/>
        <source>{0} 已转挂账</source>
        <translation>{0} moved to suspense</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="115"/>
        <source>处理挂账</source>
        <translation>Resolve suspense</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="120"/>
        <source>处理方式</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="123"/>
        <source>补写到卡（卡放读卡器）</source>
        <translation>Roll forward (card on the reader)</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="124"/>
        <source>开退费审批单</source>
        <translation>Refund form</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="129"/>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="146"/>
        <source>晨检清单仅监督人可见。</source>
        <translation>The morning list is for supervisors.</translation>
    </message>
    <message>
        <location filename="../pages/exceptions.py" line="149"/>
        <source>晨检清单：昨天和今天的作废、更正、补打、手工抄表、放行、长短款；下表为待确认的排队操作。</source>
        <translation>Morning list: yesterday&apos;s and today&apos;s voids, corrections, reprints, manual readings, overrides, overs and shorts; below, queued operations waiting for a co-signature.</translation>
    </message>
    <message>
        <source>晨检清单（作废、更正、补打、手工读数、放行、长短款）待接口提供；下表为待确认的排队操作。</source>
        <translation type="vanished">The morning list (voids, corrections, reprints, manual readings, overrides, over/short) is not available yet; below are the queued operations.</translation>
    </message>
    <message>
        <source>时钟回拨</source>
        <translation>Clock set back</translation>
    </message>
    <message>
        <source>数据回退</source>
        <translation>Data rolled back</translation>
    </message>
    <message>
        <source>销户</source>
        <translation>Close account</translation>
    </message>
    <message>
        <source>确认账户类别</source>
        <translation>Confirm account class</translation>
    </message>
    <message>
        <source>换表</source>
        <translation>Replace meter</translation>
    </message>
    <message>
        <source>违规用电补缴</source>
        <translation>Theft back-charge</translation>
    </message>
    <message>
        <source>发工具卡</source>
        <translation>Issue tool card</translation>
    </message>
    <message>
        <source>写清零卡</source>
        <translation>Write clear card</translation>
    </message>
    <message>
        <source>更正重开</source>
        <translation>Correction with new sale</translation>
    </message>
    <message>
        <source>挂账退费</source>
        <translation>Suspense: refund</translation>
    </message>
    <message>
        <source>挂账补写入账</source>
        <translation>Suspense: roll forward</translation>
    </message>
    <message>
        <source>定额送电批次</source>
        <translation>Free quota batch</translation>
    </message>
    <message>
        <source>房间退电</source>
        <translation>Room refund</translation>
    </message>
    <message>
        <source>其他操作</source>
        <translation>Other operation</translation>
    </message>
    <message>
        <source>备份</source>
        <translation>Backup</translation>
    </message>
</context>
<context>
    <name>Form</name>
    <message>
        <source>第二位监督人不能与第一位（{0}）相同</source>
        <translation>The second supervisor cannot be the first one ({0})</translation>
    </message>
    <message>
        <source>请第二位监督人核对并签字（不能与第一位相同）</source>
        <translation>Second supervisor: check and sign (not the same person as the first)</translation>
    </message>
    <message>
        <location filename="../pages/form.py" line="43"/>
        <source>请填写{0}</source>
        <translation>Please fill in {0}</translation>
    </message>
    <message>
        <location filename="../pages/form.py" line="54"/>
        <source>{0}格式不对</source>
        <translation>{0}: wrong format</translation>
    </message>
    <message>
        <location filename="../pages/form.py" line="96"/>
        <source>元</source>
        <translation>yuan</translation>
    </message>
</context>
<context>
    <name>Lock</name>
    <message>
        <location filename="../lock_screen.py" line="31"/>
        <location filename="../lock_screen.py" line="48"/>
        <source>工号或姓名</source>
        <translation>Login ID or name</translation>
    </message>
    <message>
        <source>请输入工号或姓名和密码</source>
        <translation>Enter your login ID or name and your password</translation>
    </message>
    <message>
        <location filename="../lock_screen.py" line="33"/>
        <location filename="../lock_screen.py" line="49"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../lock_screen.py" line="37"/>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../lock_screen.py" line="38"/>
        <source>监督人解锁（仅用于结班/交班）</source>
        <translation>Supervisor unlock (shift close/hand-over only)</translation>
    </message>
    <message>
        <location filename="../lock_screen.py" line="44"/>
        <source>已锁定 —— {0} 的班次</source>
        <translation>Locked — {0}&apos;s shift</translation>
    </message>
    <message>
        <location filename="../lock_screen.py" line="69"/>
        <source>只有 {0} 本人可以解锁；其他人请等 {0} 交班后登录，或由监督人解锁结班</source>
        <translation>Only {0} can unlock; others log in after {0} hands over, or a supervisor unlocks to close the shift</translation>
    </message>
    <message>
        <location filename="../lock_screen.py" line="79"/>
        <source>监督人解锁须由监督人输入本人工号或姓名和密码</source>
        <translation>A supervisor unlock needs the supervisor&apos;s own login ID or name and password</translation>
    </message>
    <message>
        <location filename="../lock_screen.py" line="86"/>
        <source>{0} 不是监督人，不能解锁他人的班次</source>
        <translation>{0} is not a supervisor and cannot unlock another person&apos;s shift</translation>
    </message>
</context>
<context>
    <name>Login</name>
    <message>
        <source>正在检查数据库和密钥，请稍候…</source>
        <translation>Checking the database and keys, please wait…</translation>
    </message>
    <message>
        <source>数据库和密钥检查通过</source>
        <translation>Database and keys checked</translation>
    </message>
    <message>
        <source>无法打开：{0}</source>
        <translation>Cannot open: {0}</translation>
    </message>
    <message>
        <location filename="../login.py" line="34"/>
        <source>账号已锁定，还需等待 {0} 分 {1} 秒（至 {2}）</source>
        <translation>Account locked: {0} min {1} s left (until {2})</translation>
    </message>
    <message>
        <location filename="../login.py" line="44"/>
        <source>（还可尝试 {0} 次）</source>
        <translation> ({0} tries left)</translation>
    </message>
    <message>
        <location filename="../login.py" line="58"/>
        <source>售电收费工作站 — 登录</source>
        <translation>Counter workstation — login</translation>
    </message>
    <message>
        <location filename="../login.py" line="65"/>
        <source>营业员登录</source>
        <translation>Operator login</translation>
    </message>
    <message>
        <location filename="../login.py" line="72"/>
        <source>工号或姓名</source>
        <translation>Login ID or name</translation>
    </message>
    <message>
        <location filename="../login.py" line="73"/>
        <location filename="../login.py" line="79"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../login.py" line="77"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../login.py" line="90"/>
        <source>备用金（元）</source>
        <translation>Float (yuan)</translation>
    </message>
    <message>
        <location filename="../login.py" line="91"/>
        <source>本班监督人（可空）</source>
        <translation>Shift supervisor (optional)</translation>
    </message>
    <message>
        <location filename="../login.py" line="94"/>
        <source>开班</source>
        <translation>Open shift</translation>
    </message>
    <message>
        <location filename="../login.py" line="95"/>
        <source>继续本人已开的班次</source>
        <translation>Continue my open shift</translation>
    </message>
    <message>
        <location filename="../login.py" line="96"/>
        <source>先开班：清点备用金后输入金额</source>
        <translation>Open the shift first: count the float and enter it</translation>
    </message>
    <message>
        <location filename="../login.py" line="97"/>
        <location filename="../login.py" line="138"/>
        <source>备用金</source>
        <translation>Float</translation>
    </message>
    <message>
        <location filename="../login.py" line="98"/>
        <source>监督人</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <location filename="../login.py" line="111"/>
        <source>请输入工号或姓名和密码</source>
        <translation>Enter your login ID or name and your password</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>此工作站没有班次页：监督人解锁仅用于结班/交班</source>
        <translation>This workstation has no shift page: a supervisor unlock is for closing or handing over a shift only</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="65"/>
        <source>售电收费工作站 — {0}</source>
        <translation>Counter workstation — {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="119"/>
        <source>工作站</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="120"/>
        <source>锁屏</source>
        <translation>Lock screen</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="122"/>
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="125"/>
        <source>语言 / Language</source>
        <translation>语言 / Language</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="136"/>
        <source>演示控制</source>
        <translation>Demo controls</translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <location filename="../models.py" line="84"/>
        <source>写卡编号</source>
        <translation>Write no.</translation>
    </message>
    <message>
        <location filename="../models.py" line="85"/>
        <location filename="../models.py" line="99"/>
        <source>账户</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../models.py" line="86"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../models.py" line="87"/>
        <source>电量(kWh)</source>
        <translation>Energy (kWh)</translation>
    </message>
    <message>
        <location filename="../models.py" line="88"/>
        <location filename="../models.py" line="101"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../models.py" line="89"/>
        <source>班次</source>
        <translation>Shift</translation>
    </message>
    <message>
        <location filename="../models.py" line="98"/>
        <source>房间</source>
        <translation>Room</translation>
    </message>
    <message>
        <location filename="../models.py" line="100"/>
        <source>类别</source>
        <translation>Class</translation>
    </message>
    <message>
        <location filename="../models.py" line="102"/>
        <source>户主</source>
        <translation>Holder</translation>
    </message>
    <message>
        <location filename="../models.py" line="103"/>
        <source>电表号</source>
        <translation>Meter no.</translation>
    </message>
    <message>
        <location filename="../models.py" line="104"/>
        <source>卡号</source>
        <translation>Card no.</translation>
    </message>
    <message>
        <location filename="../models.py" line="112"/>
        <source>学生公寓</source>
        <translation>Dorm</translation>
    </message>
    <message>
        <location filename="../models.py" line="113"/>
        <source>教职工</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../models.py" line="114"/>
        <source>实体经营</source>
        <translation>Business</translation>
    </message>
    <message>
        <location filename="../models.py" line="120"/>
        <source>待确认</source>
        <translation>Pending</translation>
    </message>
    <message>
        <location filename="../models.py" line="121"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../models.py" line="122"/>
        <source>冻结</source>
        <translation>Blocked</translation>
    </message>
    <message>
        <location filename="../models.py" line="123"/>
        <source>已销户</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../models.py" line="129"/>
        <source>未完成写卡</source>
        <translation>Unfinished write</translation>
    </message>
    <message>
        <location filename="../models.py" line="130"/>
        <source>挂账</source>
        <translation>Suspense</translation>
    </message>
    <message>
        <location filename="../models.py" line="131"/>
        <source>已补写</source>
        <translation>Rolled forward</translation>
    </message>
    <message>
        <location filename="../models.py" line="132"/>
        <source>已退费</source>
        <translation>Refunded</translation>
    </message>
    <message>
        <location filename="../models.py" line="139"/>
        <source>客户回来时放卡补写；或开具退费审批单退款（不得从钱箱付现）</source>
        <translation>When the customer returns, put the card on the reader to roll forward; or raise a refund form (never cash from the drawer)</translation>
    </message>
    <message>
        <location filename="../models.py" line="140"/>
        <source>客户在场：放回原卡重新读卡即可补写；客户已离开：请监督人转挂账后再结班</source>
        <translation>Customer present: put the card back and read it to finish the write; customer gone: a supervisor moves it to suspense before the shift closes</translation>
    </message>
</context>
<context>
    <name>Month</name>
    <message>
        <location filename="../pages/month.py" line="30"/>
        <source>{0} 已月结（{1} 办理，{2} 复核）</source>
        <translation>{0} closed (by {1}, co-signed by {2})</translation>
    </message>
    <message>
        <location filename="../pages/month.py" line="38"/>
        <source>月结</source>
        <translation>Month close</translation>
    </message>
    <message>
        <location filename="../pages/month.py" line="44"/>
        <source>月结前：本会计月所有班次须已结班，交账单须已由财务签收，排队待确认的操作须已处理。月结后该月不能再记入任何业务。</source>
        <translation>Before the month close every shift of the accounting month must be closed, its sheet signed for by finance, and no queued operation may wait. After the close nothing more can be recorded in that month.</translation>
    </message>
    <message>
        <location filename="../pages/month.py" line="53"/>
        <source>会计月结</source>
        <translation>Close the accounting month</translation>
    </message>
    <message>
        <location filename="../pages/month.py" line="54"/>
        <source>会计期间（YYYY-MM）</source>
        <translation>Period (YYYY-MM)</translation>
    </message>
    <message>
        <location filename="../pages/month.py" line="58"/>
        <source>月结（需复核人签字）</source>
        <translation>Close month (co-signed)</translation>
    </message>
</context>
<context>
    <name>Next</name>
    <message>
        <location filename="../next_steps.py" line="17"/>
        <source>请核对姓名和密码；连续输错会锁定账号</source>
        <translation>Check the name and password; repeated mistakes lock the account</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="18"/>
        <source>请先开班：退出登录后重新登录并输入备用金</source>
        <translation>Open a shift first: log out, log in again and enter the float</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="19"/>
        <source>本班已结班：请重新登录开新班</source>
        <translation>This shift is closed: log in again to open a new one</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="20"/>
        <source>请核对房间号（如 5-308），或到“账户”页按户主/电表号搜索</source>
        <translation>Check the room code (e.g. 5-308), or search by holder/meter on the Accounts page</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="21"/>
        <source>请监督人在“账户”页确认类别后再售电</source>
        <translation>A supervisor confirms the class on the Accounts page before selling</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="22"/>
        <source>已销户账户不能售电；如需重新用电请建档开户</source>
        <translation>A closed account cannot buy; open a new account for new supply</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="23"/>
        <source>该账户有未完成的写卡：请把原卡放回读卡器重新回车，或到“异常”页处理</source>
        <translation>This account has an unfinished card write: put the card back and press Enter, or resolve it on the Exceptions page</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="26"/>
        <source>请输入不低于最低充值额的金额</source>
        <translation>Enter at least the minimum top-up</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="27"/>
        <source>请减少金额，超出部分下次再购</source>
        <translation>Lower the amount; buy the rest next time</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="28"/>
        <source>请减少电量：电表余额加本次不能超过上限</source>
        <translation>Lower the energy: meter balance plus this purchase may not exceed the maximum</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="29"/>
        <source>写卡时卡被取走：请把卡放回读卡器后重新回车</source>
        <translation>The card was pulled during the write: put it back and press Enter</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="30"/>
        <source>请放该账户的卡，或清空房间号后直接回车按卡查询</source>
        <translation>Put this account&apos;s card on the reader, or clear the room code and press Enter to look up by card</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="31"/>
        <source>此卡已挂失或作废：请收回，到“卡管理”页补卡</source>
        <translation>This card is lost or void: keep it and replace it on the Cards page</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="32"/>
        <source>卡上数据无效：请确认是本中心的卡，否则到“卡管理”页补卡</source>
        <translation>The card&apos;s data is invalid: check it is our card, else replace it on the Cards page</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="33"/>
        <source>此卡已锁死不能再用：请到“卡管理”页补卡</source>
        <translation>This card is locked for good: replace it on the Cards page</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="34"/>
        <source>请勿再试此卡（三次错误会锁死），联系管理员</source>
        <translation>Do not try this card again (three errors lock it); call the administrator</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="35"/>
        <source>请用户把卡插入电表后带回，再放读卡器</source>
        <translation>Ask the customer to insert the card into the meter and bring it back</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="36"/>
        <source>请先在“收费”页缴清违规用电补缴电费</source>
        <translation>Pay the back-charge on the Charges page first</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="37"/>
        <source>请检查读卡器/打印机的电源和连线，再重试；“诊断”页可查看状态</source>
        <translation>Check the reader/printer power and cable, then retry; the Diagnostics page shows their state</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="38"/>
        <source>请装纸；凭条会自动补打</source>
        <translation>Load paper; the receipt prints again by itself</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="39"/>
        <source>请先在“异常”页处理未完成的写卡，再结班</source>
        <translation>Resolve unfinished card writes on the Exceptions page, then close</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="40"/>
        <source>请先写清零卡、插表、带回完成清零并退电</source>
        <translation>Make the clear card, insert it into the meter, bring it back, then refund</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="41"/>
        <source>只能更正当天的凭条；已入表或隔天的请走退电</source>
        <translation>Only today&apos;s receipts can be corrected; otherwise refund the room</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="42"/>
        <source>该次购电已输入电表，不能更正；请走房间退电后重新售电</source>
        <translation>That purchase is already in the meter: refund the room, then sell again</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="43"/>
        <source>请由有权限的人员办理</source>
        <translation>Someone holding the right role must do this</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="44"/>
        <source>请另一位未在本班售电、也未签过本单的人员签这一步</source>
        <translation>Someone who did not sell in this shift and has not signed this sheet signs this step</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="47"/>
        <source>财务已签收，交账单不能再改；差错请走退费或下月调整</source>
        <translation>Finance has signed for it; the sheet cannot change. Fix mistakes by a refund or next month&apos;s adjustment</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="48"/>
        <source>该会计月已月结，不能再记入；请按本月业务办理</source>
        <translation>That accounting month is closed; record it in the current month</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="49"/>
        <source>已排队，等监督人上班后在“异常”页确认</source>
        <translation>Queued: a supervisor confirms it on the Exceptions page</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="47"/>
        <source>不要退款、不要重写：请把卡放回读卡器读卡即可入账；该笔在“异常”页可查</source>
        <translation>Do not refund, do not write again: put the card back on the reader and read it to record the sale; it is listed on the Exceptions page</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="47"/>
        <source>请稍候再试；反复出现请联系管理员</source>
        <translation>Try again in a moment; if it keeps happening, call the administrator</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="47"/>
        <source>请联系管理员清理磁盘后再继续</source>
        <translation>Have the administrator free disk space, then continue</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="47"/>
        <source>请联系管理员检查数据库文件夹的权限</source>
        <translation>Have the administrator check the database folder's permissions</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="47"/>
        <source>请联系管理员检查磁盘</source>
        <translation>Have the administrator check the disk</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="47"/>
        <source>请停止售电，联系管理员从备份恢复</source>
        <translation>Stop selling; have the administrator restore from a backup</translation>
    </message>
    <message>
        <location filename="../next_steps.py" line="47"/>
        <source>请联系管理员检查数据库位置（新装由管理员运行初始化）</source>
        <translation>Have the administrator check where the database is (a new installation is initialised by the administrator)</translation>
    </message>
</context>
<context>
    <name>Ops</name>
    <message>
        <location filename="../ops.py" line="192"/>
        <source>提示</source>
        <translation>Notice</translation>
    </message>
</context>
<context>
    <name>Prompts</name>
    <message>
        <location filename="../prompts.py" line="70"/>
        <source>请操作</source>
        <translation>Action needed</translation>
    </message>
    <message>
        <location filename="../prompts.py" line="86"/>
        <source>请确认</source>
        <translation>Please confirm</translation>
    </message>
</context>
<context>
    <name>Quota</name>
    <message>
        <source>生成时间</source>
        <translation>Prepared at</translation>
    </message>
    <message>
        <source>经办</source>
        <translation>Maker</translation>
    </message>
    <message>
        <source>电量（kWh）</source>
        <translation>Energy (kWh)</translation>
    </message>
    <message>
        <source>房间数</source>
        <translation>Rooms</translation>
    </message>
    <message>
        <source>楼栋</source>
        <translation>Buildings</translation>
    </message>
    <message>
        <source>期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>待复核的批次（选中一行即填入批次号）：</source>
        <translation>Batches waiting for review (select a row to fill in its number):</translation>
    </message>
    <message>
        <location filename="../pages/quota.py" line="23"/>
        <source>定额送电</source>
        <translation>Free quota</translation>
    </message>
    <message>
        <location filename="../pages/quota.py" line="29"/>
        <source>学生免费电：按期间和楼栋生成批次，监督人复核后生效；宿舍在下次持卡来时领取本学期全部未领电量。</source>
        <translation>Student free energy: prepare a batch per period and buildings; it takes effect when a supervisor approves; dorm rooms collect all unclaimed energy of the term at their next card visit.</translation>
    </message>
    <message>
        <location filename="../pages/quota.py" line="39"/>
        <source>生成批次</source>
        <translation>Prepare batch</translation>
    </message>
    <message>
        <location filename="../pages/quota.py" line="41"/>
        <source>期间（YYYY-MM）</source>
        <translation>Period (YYYY-MM)</translation>
    </message>
    <message>
        <location filename="../pages/quota.py" line="42"/>
        <source>楼栋（逗号分隔）</source>
        <translation>Buildings (comma separated)</translation>
    </message>
    <message>
        <location filename="../pages/quota.py" line="47"/>
        <source>批次 {0}：{1} 间，共 {2} kWh，待监督人复核</source>
        <translation>Batch {0}: {1} rooms, {2} kWh, awaiting a supervisor</translation>
    </message>
    <message>
        <location filename="../pages/quota.py" line="55"/>
        <source>复核批次</source>
        <translation>Approve batch</translation>
    </message>
    <message>
        <location filename="../pages/quota.py" line="56"/>
        <source>批次号</source>
        <translation>Batch no.</translation>
    </message>
    <message>
        <location filename="../pages/quota.py" line="58"/>
        <source>批次 {0} 已生效：{1} 间，{2} kWh（经办 {3}，复核 {4}）</source>
        <translation>Batch {0} in effect: {1} rooms, {2} kWh (maker {3}, checker {4})</translation>
    </message>
    <message>
        <location filename="../pages/quota.py" line="67"/>
        <source>只领免费电（不购电）</source>
        <translation>Free energy only (no purchase)</translation>
    </message>
    <message>
        <location filename="../pages/quota.py" line="68"/>
        <source>账户号</source>
        <translation>Account no.</translation>
    </message>
    <message>
        <location filename="../pages/quota.py" line="70"/>
        <source>已写卡免费电 {0} kWh，票号 {1}</source>
        <translation>Free energy {0} kWh written, receipt {1}</translation>
    </message>
</context>
<context>
    <name>Refund</name>
    <message>
        <source>离校结清</source>
        <translation>Graduation clearance</translation>
    </message>
    <message>
        <source>电表损坏退电</source>
        <translation>Broken meter</translation>
    </message>
    <message>
        <source>{0}：已结清，可开具结清证明</source>
        <translation>{0}: cleared; the clearance slip can be issued</translation>
    </message>
    <message>
        <source>已保存：{0}</source>
        <translation>Saved: {0}</translation>
    </message>
    <message>
        <source>{0}：尚未结清
{1}</source>
        <translation>{0}: not cleared yet
{1}</translation>
    </message>
    <message>
        <source>已保存：{0}（请用 A4 纸打印，交监督人和财务签字）</source>
        <translation>Saved: {0} (print on A4 for the supervisor and finance to sign)</translation>
    </message>
    <message>
        <source>请输入账户号或房间号</source>
        <translation>Enter an account no. or room code</translation>
    </message>
    <message>
        <source>毕业离校：无未缴费用、无未完成写卡、房间已退电或已过户，方可开具结清证明。</source>
        <translation>Graduation: a clearance slip needs no unpaid charges, no unfinished card write, and the room refunded or transferred.</translation>
    </message>
    <message>
        <source>原因（如：电表黑屏不能读卡）</source>
        <translation>Reason (e.g. meter display dead, cannot read cards)</translation>
    </message>
    <message>
        <source>手工抄读剩余电量</source>
        <translation>Remaining energy read by hand</translation>
    </message>
    <message>
        <source>保存结清证明</source>
        <translation>Save the clearance slip</translation>
    </message>
    <message>
        <source>另存结清证明（PDF）…</source>
        <translation>Save the clearance slip (PDF)…</translation>
    </message>
    <message>
        <source>查询结清情况</source>
        <translation>Check the clearance</translation>
    </message>
    <message>
        <source>保存退费审批单</source>
        <translation>Save the refund form</translation>
    </message>
    <message>
        <source>另存退费审批单（A4 PDF）…</source>
        <translation>Save the refund form (A4 PDF)…</translation>
    </message>
    <message>
        <source>电表损坏退电（手工抄表，两位监督人签字）</source>
        <translation>Broken-meter refund (manual reading, two supervisors sign)</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="17"/>
        <source>退费审批单 {0}：退款 ￥{1}，可退电量 {2} kWh（未用免费电 {3} kWh）
{4}
由财务按审批单付款，不从钱箱付现。</source>
        <translation>Refund form {0}: refund ¥{1}, refundable energy {2} kWh (unused free energy {3} kWh)
{4}
Finance pays against the form; never cash from the drawer.</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="35"/>
        <source>退电/清零/更正</source>
        <translation>Refund/Clear</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="40"/>
        <source>清零</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="41"/>
        <source>房间退电</source>
        <translation>Room refund</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="42"/>
        <source>更正</source>
        <translation>Correction</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="43"/>
        <source>销户</source>
        <translation>Close account</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="46"/>
        <source>两次来访：①写清零卡（监督人签字），用户插表；②清零卡带回放读卡器，完成清零后再办理退电。</source>
        <translation>Two visits: (1) write a clear card (supervisor signs), the customer inserts it into the meter; (2) the clear card comes back onto the reader: complete the clear, then refund.</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="57"/>
        <source>账户号或房间号</source>
        <translation>Account no. or room</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="60"/>
        <source>写清零卡</source>
        <translation>Write clear card</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="61"/>
        <location filename="../pages/refund.py" line="91"/>
        <location filename="../pages/refund.py" line="105"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="63"/>
        <source>卡 {0} 已成为清零卡：请用户插入电表后带回</source>
        <translation>Card {0} is now a clear card: the customer inserts it into the meter and brings it back</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="68"/>
        <source>完成清零（清零卡已放读卡器）</source>
        <translation>Complete clear (clear card on the reader)</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="71"/>
        <source>已清零 {0} kWh（{1}）</source>
        <translation>Cleared {0} kWh ({1})</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="85"/>
        <source>开具退费审批单</source>
        <translation>Raise refund form</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="88"/>
        <source>收款人</source>
        <translation>Payee</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="89"/>
        <source>学号/工号</source>
        <translation>Student/staff no.</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="90"/>
        <source>银行卡号</source>
        <translation>Bank account</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="102"/>
        <source>更正（作废重开，仅限当天）</source>
        <translation>Correction (void and reissue, same day only)</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="104"/>
        <source>原票号</source>
        <translation>Original receipt no.</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="106"/>
        <source>正确账户号或房间号</source>
        <translation>Correct account no. or room</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="107"/>
        <source>正确金额</source>
        <translation>Correct amount</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="108"/>
        <source>正确电量</source>
        <translation>Correct energy</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="111"/>
        <source>原票已作废，新票号 {0}：￥{1}，{2} kWh</source>
        <translation>Original voided; new receipt {0}: ¥{1}, {2} kWh</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="121"/>
        <source>销户（须已清零并退费）</source>
        <translation>Close account (after clear and refund)</translation>
    </message>
    <message>
        <location filename="../pages/refund.py" line="124"/>
        <source>账户 {0} 已销户</source>
        <translation>Account {0} closed</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <source>第一页存为图片，发到宿舍群</source>
        <translation>The first page as a picture, for the dorm chat groups</translation>
    </message>
    <message>
        <source>轮岗任职</source>
        <translation>Job rotation</translation>
    </message>
    <message>
        <source>来电来访登记</source>
        <translation>Visitor and phone log</translation>
    </message>
    <message>
        <source>收账检查记录</source>
        <translation>Collection checks</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="1"/>
        <source>一卡通/微信/支付宝对账</source>
        <translation>Campus card / WeChat / Alipay matches</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="46"/>
        <source>日报表</source>
        <translation>Daily report</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="47"/>
        <source>周报表</source>
        <translation>Weekly report</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="48"/>
        <source>月报表</source>
        <translation>Monthly report</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="49"/>
        <source>年报表</source>
        <translation>Yearly report</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="50"/>
        <source>电费月收费报表</source>
        <translation>Monthly collection report</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="51"/>
        <source>电费分户明细表</source>
        <translation>Per-account detail</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="52"/>
        <source>定额送电</source>
        <translation>Free quota</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="53"/>
        <source>低电量通报</source>
        <translation>Low balance</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="54"/>
        <source>通知单对账</source>
        <translation>Notice reconciliation</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="55"/>
        <source>缴款记录</source>
        <translation>Deposits</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="56"/>
        <source>监督确认统计</source>
        <translation>Co-signatures</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="57"/>
        <source>卡片库存</source>
        <translation>Card stock</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="58"/>
        <source>电价公示</source>
        <translation>Tariff board</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="1"/>
        <source>线损检查</source>
        <translation>Loss check</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="1"/>
        <source>异常用电户</source>
        <translation>Abnormal accounts</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="1"/>
        <source>四方对账</source>
        <translation>Four-party reconciliation</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="1"/>
        <source>K3 记账凭证</source>
        <translation>K3 vouchers</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="1"/>
        <source>电表模块库存</source>
        <translation>Meter-module stock</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="1"/>
        <source>维修价目表</source>
        <translation>Repair price list</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="59"/>
        <source>售电登记表</source>
        <translation>Sales register</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="60"/>
        <source>周例会数据</source>
        <translation>Weekly meeting figures</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="60"/>
        <source>供电局电费结算统计</source>
        <translation>Power company settlement</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="60"/>
        <source>月度趋势</source>
        <translation>Monthly trend</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="60"/>
        <source>欠费及违规用电</source>
        <translation>Arrears and theft</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="60"/>
        <source>免费电量分户核对</source>
        <translation>Free energy per room vs entitlement</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="128"/>
        <location filename="../pages/reports.py" line="170"/>
        <source>报表</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="167"/>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="172"/>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="174"/>
        <source>到</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="178"/>
        <source>导出：</source>
        <translation>Export:</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="221"/>
        <source>正在生成…</source>
        <translation>Building…</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="233"/>
        <source>共 {0} 行</source>
        <translation>Rows: {0}</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="243"/>
        <source>导出报表</source>
        <translation>Export report</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="258"/>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="263"/>
        <source>已导出：{0}</source>
        <translation>Exported: {0}</translation>
    </message>
    <message>
        <source>日/周/月/年表、电费月收费报表、分户明细、定额送电、低电通报等报表将在结算与报表功能完成后提供。目前可用命令行：
counter-admin report day --from 日期 --to 日期 --format pdf --out 文件</source>
        <translation type="vanished">Daily/weekly/monthly/yearly tables, the monthly collection report, per-account detail, free quota and low-balance lists come with the settlement and reports feature. Meanwhile use the command line:
counter-admin report day --from DATE --to DATE --format pdf --out FILE</translation>
    </message>
</context>
<context>
    <name>Sale</name>
    <message>
        <location filename="../pages/sale_panel.py" line="29"/>
        <source>读卡器上不是用户卡，请放用户卡</source>
        <translation>The card on the reader is not a user card; place the user card</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="35"/>
        <source>卡上账户 {0}，输入房间 {1}</source>
        <translation>card belongs to {0}, room typed {1}</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="40"/>
        <source>售电</source>
        <translation>Sale</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="58"/>
        <source>房间号；空白回车 = 读卡</source>
        <translation>Room code; empty + Enter = read card</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="59"/>
        <location filename="../pages/sale.py" line="75"/>
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="60"/>
        <source>或电量（kWh）</source>
        <translation>or energy (kWh)</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="61"/>
        <source>实收（元）；空白回车 = 收讫</source>
        <translation>Tendered (yuan); empty + Enter = exact</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="65"/>
        <source>交易号/支票号（非现金必填）</source>
        <translation>Transaction/cheque no. (required unless cash)</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="66"/>
        <source>放行原因</source>
        <translation>Override reason</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="74"/>
        <source>卡/房间号</source>
        <translation>Card / room</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="76"/>
        <source>电量（kWh）</source>
        <translation>Energy (kWh)</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="77"/>
        <source>应收</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="78"/>
        <source>支付方式</source>
        <translation>Tender</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="79"/>
        <source>参考号</source>
        <translation>Reference</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="80"/>
        <source>实收（元）</source>
        <translation>Tendered (yuan)</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="81"/>
        <source>找零</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="92"/>
        <source>快捷金额：Alt+1 30元  Alt+2 50元  Alt+3 100元  Alt+4 200元；Esc 清空；Ctrl+P 补打上一张</source>
        <translation>Quick amounts: Alt+1 30  Alt+2 50  Alt+3 100  Alt+4 200 yuan; Esc clears; Ctrl+P reprints the last</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="103"/>
        <source>监督人放行（上次未入表）</source>
        <translation>Supervisor override (previous unloaded)</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="105"/>
        <source>补打上一张（Ctrl+P）</source>
        <translation>Reprint last (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="211"/>
        <source>电量</source>
        <translation>Energy</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="212"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="238"/>
        <source>（另送免费电 {0} kWh）</source>
        <translation>(plus free {0} kWh)</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="250"/>
        <source>请先放卡回车或输入房间号回车</source>
        <translation>Place the card and press Enter, or type the room code and press Enter</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="260"/>
        <source>实收</source>
        <translation>Tendered</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="275"/>
        <source>请先输入金额并回车</source>
        <translation>Enter the amount and press Enter first</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="280"/>
        <source>实收少于应收 ￥{0}</source>
        <translation>Tendered is less than the ¥{0} due</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="300"/>
        <source>正在写卡，请勿取卡…</source>
        <translation>Writing the card, do not remove it…</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="325"/>
        <source>写卡未完成（编号 {0}）：客户在场请放回原卡后重新回车；客户已离开请到“异常”页处理。</source>
        <translation>Card write unfinished (no. {0}): if the customer is here, put the card back and press Enter again; if they left, handle it on the Exceptions page.</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="325"/>
        <source>卡上已写入电量（编号 {0}），请勿退款：本笔将在下次读卡或重启时自动入账，可在“异常”页查看。</source>
        <translation>The card holds the energy (no. {0}): do not refund. The sale will be recorded at the next card read or restart; it is listed on the Exceptions page.</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="344"/>
        <source>请填写放行原因</source>
        <translation>Enter the override reason</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="352"/>
        <source>放行：上次购电未入表时再次售电</source>
        <translation>Override: sell again while the previous purchase is unloaded</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="369"/>
        <source>已补打 {0}（第 {1} 次，凭条标记“补打”）</source>
        <translation>Reprinted {0} (no. {1}, marked &quot;reprint&quot;)</translation>
    </message>
    <message>
        <source>已补打 {0}</source>
        <translation type="vanished">Reprinted {0}</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="400"/>
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="401"/>
        <source>一卡通</source>
        <translation>Campus card</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="402"/>
        <source>微信</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="403"/>
        <source>支付宝</source>
        <translation>Alipay</translation>
    </message>
    <message>
        <location filename="../pages/sale.py" line="404"/>
        <source>支票</source>
        <translation>Cheque</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="47"/>
        <source>账户</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="50"/>
        <source>房间</source>
        <translation>Room</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="51"/>
        <source>账户号</source>
        <translation>Account no.</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="52"/>
        <source>户主</source>
        <translation>Holder</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="53"/>
        <source>类别/状态</source>
        <translation>Class/status</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="54"/>
        <source>电价</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="55"/>
        <source>上次返写</source>
        <translation>Last write-back</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="56"/>
        <source>待领免费电</source>
        <translation>Free energy owed</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="57"/>
        <source>卡</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="83"/>
        <source>{0} 元/kWh</source>
        <translation>{0} yuan/kWh</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="96"/>
        <source>无返写记录</source>
        <translation>No write-back yet</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="97"/>
        <source>时间未知</source>
        <translation>time unknown</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="98"/>
        <source>剩余 {0} kWh，累计 {1} kWh（{2}）</source>
        <translation>remaining {0} kWh, consumed {1} kWh ({2})</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="102"/>
        <source>；报警：{0}</source>
        <translation>; alarms: {0}</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="108"/>
        <source>未读卡</source>
        <translation>not read</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="110"/>
        <source>上次购电已入表</source>
        <translation>previous purchase loaded</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="111"/>
        <source>上次购电未入表</source>
        <translation>previous purchase NOT loaded</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="114"/>
        <source>{0}（第 {1} 次购电）{2}</source>
        <translation>{0} (purchase #{1}) {2}</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="121"/>
        <source>类别待确认：请监督人先确认类别（账户页）</source>
        <translation>Class pending: a supervisor must confirm it first (Accounts page)</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="123"/>
        <source>账户不可售电：{0}</source>
        <translation>No sales on this account: {0}</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="125"/>
        <source>上次购电尚未输入电表，请先将卡插入电表</source>
        <translation>The previous purchase is not in the meter yet; insert the card into the meter first</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="131"/>
        <source>售电成功 票号 {0}</source>
        <translation>Sold, receipt {0}</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="132"/>
        <source>金额 ￥{0}</source>
        <translation>amount ¥{0}</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="133"/>
        <source>电量 {0} kWh</source>
        <translation>energy {0} kWh</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="136"/>
        <source>免费电 {0} kWh</source>
        <translation>free {0} kWh</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="138"/>
        <source>带入未入表电量 {0} kWh</source>
        <translation>carried unloaded {0} kWh</translation>
    </message>
    <message>
        <location filename="../pages/sale_panel.py" line="139"/>
        <source>找零 ￥{0}</source>
        <translation>change ¥{0}</translation>
    </message>
    <message>
        <source>{0}（新卡，尚未购电）</source>
        <translation>{0} (new card, nothing bought yet)</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <location filename="../pages/settings.py" line="175"/>
        <source>审计</source>
        <translation>Auditor</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="61"/>
        <source>说明</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="62"/>
        <source>当前值</source>
        <translation>Current value</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="64"/>
        <source>复核</source>
        <translation>Co-sign</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="66"/>
        <source>需监督人</source>
        <translation>supervisor</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="69"/>
        <source>修改</source>
        <translation>Changed</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="72"/>
        <source>默认值</source>
        <translation>default</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="88"/>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="91"/>
        <source>电价 {0}</source>
        <translation>Tariff {0}</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="93"/>
        <source>收费 {0}</source>
        <translation>Fee {0}</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="96"/>
        <source>标准</source>
        <translation>Rate</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="97"/>
        <source>生效时间</source>
        <translation>Effective from</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="98"/>
        <source>依据文件</source>
        <translation>Basis</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="107"/>
        <source>登录名</source>
        <translation>Login</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="108"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="109"/>
        <source>角色</source>
        <translation>Roles</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="111"/>
        <source>监督人任期</source>
        <translation>Supervisor periods</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="116"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="118"/>
        <source>已停用</source>
        <translation>disabled</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="118"/>
        <source>在用</source>
        <translation>active</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="139"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="144"/>
        <source>参数</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="145"/>
        <source>电价与收费标准</source>
        <translation>Tariffs and fees</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="146"/>
        <source>人员与监督人</source>
        <translation>People and supervisors</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="162"/>
        <source>在上表选择参数</source>
        <translation>Choose a setting above</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="163"/>
        <source>值（数字、true/false、JSON 列表或文字）</source>
        <translation>Value (number, true/false, JSON list or text)</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="172"/>
        <source>新值</source>
        <translation>New value</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="185"/>
        <source>电价和收费标准的调整须依据文件并经监督人复核，用命令行办理：
counter-admin tariff set --class dorm --price-e4 5883 --from 时间 --basis 文件号
counter-admin fee set card --fen 1000 --from 时间 --basis 文件号</source>
        <translation>Tariffs and fees change by a school document, co-signed, on the command line:
counter-admin tariff set --class dorm --price-e4 5883 --from TIME --basis DOCUMENT
counter-admin fee set card --fen 1000 --from TIME --basis DOCUMENT</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="202"/>
        <source>营业员和监督人任命用命令行办理（授予角色须监督人复核）：
counter-admin operator add 姓名 --role cashier
counter-admin supervisor appoint 姓名 --from 日期 --to 日期</source>
        <translation>Cashiers and supervisor appointments are kept on the command line (granting a role is co-signed):
counter-admin operator add NAME --role cashier
counter-admin supervisor appoint NAME --from DATE --to DATE</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="258"/>
        <source>未保存：需监督人复核</source>
        <translation>Not saved: a co-signature is needed</translation>
    </message>
    <message>
        <source>读取</source>
        <translation type="vanished">Read</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="165"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="60"/>
        <location filename="../pages/settings.py" line="171"/>
        <source>参数名</source>
        <translation>Key</translation>
    </message>
    <message>
        <source>值</source>
        <translation type="vanished">Value</translation>
    </message>
    <message>
        <source>营业员、监督人任命、电价、收费标准和设备端口暂用命令行维护：
counter-admin operator add 姓名 --role cashier
counter-admin supervisor appoint 姓名 --from 日期 --to 日期
counter-admin tariff set --class dorm --price-e4 5883 --from 时间 --basis 文件号</source>
        <translation type="vanished">Operators, supervisor appointments, tariffs, fees and device ports are maintained on the command line for now:
counter-admin operator add NAME --role cashier
counter-admin supervisor appoint NAME --from DATE --to DATE
counter-admin tariff set --class dorm --price-e4 5883 --from TIME --basis DOCUMENT</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="272"/>
        <source>已保存 {0}</source>
        <translation>Saved {0}</translation>
    </message>
    <message>
        <location filename="../pages/settings.py" line="158"/>
        <location filename="../pages/settings.py" line="266"/>
        <source>修改参数</source>
        <translation>Change setting</translation>
    </message>
    <message>
        <source>{0} 元/kWh</source>
        <translation>{0} yuan/kWh</translation>
    </message>
    <message>
        <source>补卡费</source>
        <translation>Card replacement fee</translation>
    </message>
    <message>
        <source>采暖费（每平方米）</source>
        <translation>Heating (per m²)</translation>
    </message>
    <message>
        <source>营业员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <source>监督人</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>部门助理</source>
        <translation>Assistant</translation>
    </message>
    <message>
        <source>主管</source>
        <translation>Head</translation>
    </message>
    <message>
        <source>财务</source>
        <translation>Finance</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>添加、停用人员，重置密码，任命监督人：在“人员”页办理。</source>
        <translation>Add or disable people, reset passwords, appoint supervisors: on the People page.</translation>
    </message>
    <message>
        <source>调整电价和收费标准（依据文件，经监督人复核）：在“电价与收费”页办理。</source>
        <translation>Tariffs and fees (with their basis document, co-signed): on the Tariffs &amp; fees page.</translation>
    </message>
</context>
<context>
    <name>Sheets</name>
    <message>
        <source>本机没有 PDF 预览工具（pdftoppm）：请用“另存 PDF…”后打开</source>
        <translation>No PDF preview tool (pdftoppm) here: use "Save PDF…" and open the file</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="1"/>
        <source>售电登记表…</source>
        <translation>Sales register…</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="47"/>
        <source>已签收冻结</source>
        <translation>Signed for, frozen</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="48"/>
        <source>待{0}签字</source>
        <translation>Waiting for {0}</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="54"/>
        <source>交账单号</source>
        <translation>Sheet no.</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="55"/>
        <source>窗口</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="56"/>
        <source>营业员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="57"/>
        <source>结账时间</source>
        <translation>Closed at</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="58"/>
        <source>应有</source>
        <translation>Expected</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="59"/>
        <source>实点</source>
        <translation>Counted</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="60"/>
        <source>长短款</source>
        <translation>Difference</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="61"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="69"/>
        <source>{0}：{1}（{2}）</source>
        <translation>{0}: {1} ({2})</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="71"/>
        <source>尚无人签字</source>
        <translation>Nobody has signed yet</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="73"/>
        <source>财务已签收，本单已冻结</source>
        <translation>Finance has signed for it; the sheet is frozen</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="81"/>
        <source>这一步是“{0}”：请由担任该职务的人员登录后签字</source>
        <translation>This step is &quot;{0}&quot;: the person holding that post logs in and signs</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="108"/>
        <source>交账单</source>
        <translation>Settlement sheets</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="121"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="129"/>
        <source>签字</source>
        <translation>Sign-off</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="131"/>
        <source>请在上表选择交账单</source>
        <translation>Choose a sheet above</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="132"/>
        <source>凭证号（财务签收时填写）</source>
        <translation>Voucher no. (finance&apos;s sign-off)</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="134"/>
        <source>本人签字（{0}）</source>
        <translation>Sign as myself ({0})</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="136"/>
        <source>查看交账单</source>
        <translation>View the sheet</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="136"/>
        <source>上一页</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="136"/>
        <source>下一页</source>
        <translation>Next page</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="136"/>
        <source>第 {0} / {1} 页</source>
        <translation>Page {0} of {1}</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="136"/>
        <source>请先点“查看交账单”阅读本单，再签字</source>
        <translation>Read the sheet first (View the sheet), then sign</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="136"/>
        <source>已签收冻结（凭证号 {0}）</source>
        <translation>Received and frozen (voucher {0})</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="136"/>
        <source>凭证号：{0}</source>
        <translation>Voucher number: {0}</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="138"/>
        <source>另存 PDF…</source>
        <translation>Save PDF…</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="193"/>
        <source>交账单 {0}
</source>
        <translation>Sheet {0}
</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="214"/>
        <source>已签字：{0}</source>
        <translation>Signed: {0}</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="239"/>
        <source>交账单 PDF 无法预览：请用“另存 PDF…”后打开，并报告管理员（见日志）</source>
        <translation>The sheet PDF cannot be previewed: use &quot;Save PDF…&quot; and open the file, and tell the administrator (see the log)</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="248"/>
        <source>保存交账单</source>
        <translation>Save settlement sheet</translation>
    </message>
    <message>
        <location filename="../pages/sheets.py" line="263"/>
        <source>已保存：{0}</source>
        <translation>Saved: {0}</translation>
    </message>
    <message>
        <source>部门助理</source>
        <translation>Assistant</translation>
    </message>
    <message>
        <source>主管</source>
        <translation>Head</translation>
    </message>
    <message>
        <source>财务</source>
        <translation>Finance</translation>
    </message>
</context>
<context>
    <name>Shift</name>
    <message>
        <location filename="../pages/shift.py" line="1"/>
        <source>售电登记表</source>
        <translation>Sales register</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="51"/>
        <source>按收费：{0}
按支付方式：{1}
票号 {2} — {3}，作废 {4} 张，免费电 {5} kWh</source>
        <translation>By charge: {0}
By tender: {1}
Receipts {2} — {3}, {4} voids, free energy {5} kWh</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="59"/>
        <source>长款</source>
        <translation>over</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="61"/>
        <source>短款</source>
        <translation>short</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="63"/>
        <source>无差额</source>
        <translation>no difference</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="65"/>
        <source>交账单 {0}：应有 ￥{1}，实点 ￥{2}，{3} ￥{4}{5}</source>
        <translation>Sheet {0}: expected ¥{1}, counted ¥{2}, {3} ¥{4}{5}</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="71"/>
        <source>
PDF：{0}</source>
        <translation>
PDF: {0}</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="81"/>
        <source>班次</source>
        <translation>Shift</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="85"/>
        <source>中途自查（X 报表，不结班）</source>
        <translation>Mid-shift self-check (X report, shift stays open)</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="86"/>
        <source>查看本班合计</source>
        <translation>Show shift totals</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="44"/>
        <source>{0} 元</source>
        <translation>{0} yuan</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="27"/>
        <source>寝室用户</source>
        <translation>Dormitory</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="28"/>
        <source>业主用户</source>
        <translation>Owners</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="29"/>
        <source>代收维修费</source>
        <translation>Repair fees</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="30"/>
        <source>代收水电费</source>
        <translation>Water/electricity bills</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="31"/>
        <source>采暖费</source>
        <translation>Heating</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="32"/>
        <source>违规用电补缴</source>
        <translation>Back-charge</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="33"/>
        <source>补卡费</source>
        <translation>Card fee</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="108"/>
        <source>结班</source>
        <translation>Close shift</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="111"/>
        <source>本人清点合计</source>
        <translation>Your count</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="112"/>
        <source>差额原因</source>
        <translation>Difference reason</translation>
    </message>
    <message>
        <location filename="../pages/shift.py" line="148"/>
        <source>结班差额</source>
        <translation>Shift close difference</translation>
    </message>
    <message>
        <source>
差额超过限额：填写原因后，结班时须监督人确认</source>
        <translation>
The difference is above the limit: give a reason; a supervisor confirms at closing</translation>
    </message>
    <message>
        <source>请确认</source>
        <translation>Please confirm</translation>
    </message>
    <message>
        <source>应有 ￥{0}，实点 ￥{1}，{2}</source>
        <translation>expected ¥{0}, counted ¥{1}, {2}</translation>
    </message>
    <message>
        <source>清点已提交（不能再改）：{0}</source>
        <translation>Count submitted (can no longer change): {0}</translation>
    </message>
    <message>
        <source>
请填写差额原因后结班</source>
        <translation>
Give the reason for the difference, then close</translation>
    </message>
    <message>
        <source>结班（盲点现金）</source>
        <translation>Close shift (blind count)</translation>
    </message>
    <message>
        <source>中途自查（X 报表）</source>
        <translation>Mid-shift check (X report)</translation>
    </message>
    <message>
        <source>① 按面额清点现金（盲点，不显示应有金额）</source>
        <translation>① Count the cash by denomination (blind: the expected amount is not shown)</translation>
    </message>
    <message>
        <source>提交清点（提交后不能更改）</source>
        <translation>Submit the count (cannot be changed afterwards)</translation>
    </message>
    <message>
        <source>② 差额与结班</source>
        <translation>② Difference and close</translation>
    </message>
    <message>
        <source>结班后本班锁定，不能再售电或收费。确定结班？</source>
        <translation>After closing, the shift is locked: no more sales or payments. Close the shift?</translation>
    </message>
    <message>
        <source>本人清点合计 ￥{0}。
提交后清点不能更改，之后才显示应有金额和差额。确定提交？</source>
        <translation>My count: ¥{0}.
Once submitted the count cannot change; only then are the expected amount and the difference shown. Submit?</translation>
    </message>
    <message>
        <source>有{0}：请填写原因</source>
        <translation>Cash {0}: give a reason</translation>
    </message>
    <message>
        <source>清点</source>
        <translation>Count</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../status.py" line="23"/>
        <source>演示 / SIMULATED —— 模拟设备，不是真实售电</source>
        <translation>演示 / SIMULATED — simulated devices, not real sales</translation>
    </message>
    <message>
        <location filename="../status.py" line="36"/>
        <source>⏳ 正在处理，请稍候…</source>
        <translation>⏳ Working, please wait…</translation>
    </message>
    <message>
        <location filename="../status.py" line="45"/>
        <source>{0}：未配置</source>
        <translation>{0}: not configured</translation>
    </message>
    <message>
        <location filename="../status.py" line="47"/>
        <source>{0}：无响应</source>
        <translation>{0}: not answering</translation>
    </message>
    <message>
        <location filename="../status.py" line="49"/>
        <source>{0}：脱机</source>
        <translation>{0}: offline</translation>
    </message>
    <message>
        <location filename="../status.py" line="51"/>
        <source>{0}：盖未关</source>
        <translation>{0}: cover open</translation>
    </message>
    <message>
        <location filename="../status.py" line="52"/>
        <source>{0}：正常</source>
        <translation>{0}: OK</translation>
    </message>
    <message>
        <location filename="../status.py" line="57"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../status.py" line="86"/>
        <source>读卡器</source>
        <translation>Reader</translation>
    </message>
    <message>
        <location filename="../status.py" line="87"/>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>离线</source>
        <translation type="vanished">offline</translation>
    </message>
    <message>
        <location filename="../status.py" line="60"/>
        <location filename="../status.py" line="77"/>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>缺纸</source>
        <translation>out of paper</translation>
    </message>
    <message>
        <location filename="../status.py" line="79"/>
        <source>读卡器：{0}</source>
        <translation>Reader: {0}</translation>
    </message>
    <message>
        <location filename="../status.py" line="80"/>
        <source>打印机：{0}</source>
        <translation>Printer: {0}</translation>
    </message>
    <message>
        <location filename="../status.py" line="63"/>
        <location filename="../status.py" line="81"/>
        <source>纸：{0}</source>
        <translation>Paper: {0}</translation>
    </message>
    <message>
        <location filename="../status.py" line="58"/>
        <source>将尽</source>
        <translation>Paper near end</translation>
    </message>
    <message>
        <location filename="../status.py" line="59"/>
        <source>缺纸，请装纸</source>
        <translation>Out of paper, load paper</translation>
    </message>
    <message>
        <location filename="../status.py" line="70"/>
        <source>模拟 {0}</source>
        <translation>simulated {0}</translation>
    </message>
    <message>
        <location filename="../status.py" line="71"/>
        <location filename="../status.py" line="82"/>
        <source>端口：{0}</source>
        <translation>Port: {0}</translation>
    </message>
    <message>
        <source>待打印凭条 {0} 张</source>
        <translation type="vanished">{0} receipts waiting to print</translation>
    </message>
    <message>
        <source>打印机缺纸，请立即装纸</source>
        <translation>Printer out of paper: load paper now</translation>
    </message>
    <message>
        <source>打印机盖未关</source>
        <translation>printer cover open</translation>
    </message>
    <message>
        <source>打印机盖未关，请合上</source>
        <translation>Printer cover open: close it</translation>
    </message>
    <message>
        <source>打印机脱机</source>
        <translation>printer offline</translation>
    </message>
    <message>
        <source>打印机脱机，请检查电源和连线</source>
        <translation>Printer offline: check its power and cable</translation>
    </message>
    <message>
        <source>{0} 张凭条待打印（正在打印）</source>
        <translation>{0} receipts waiting (printing)</translation>
    </message>
    <message>
        <source>凭条暂时无法打印</source>
        <translation>receipts cannot be printed for now</translation>
    </message>
    <message>
        <source>{0} 张凭条待打印（{1}）</source>
        <translation>{0} receipts waiting ({1})</translation>
    </message>
    <message>
        <source>{0} 张凭条待打印（打印机无响应）</source>
        <translation>{0} receipts waiting (printer not answering)</translation>
    </message>
    <message>
        <source>{0} 张凭条未打印，恢复后自动打印，请交给对应客户</source>
        <translation>{0} receipts not printed; they print by themselves once it is fixed — hand each to its customer</translation>
    </message>
    <message>
        <source>正在打印排队的 {0} 张凭条…</source>
        <translation>Printing {0} waiting receipts…</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>补打 {0}（第 {1} 次）尚未打出：{2}</source>
        <translation>Reprint of {0} (#{1}) not printed yet: {2}</translation>
    </message>
</context>
<context>
    <name>Chart</name>
    <message>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
</context>
<context>
    <name>Verify</name>
    <message>
        <source>验票</source>
        <translation>Check QR</translation>
    </message>
    <message>
        <source>✔ 真票：本中心签发，内容未被改动</source>
        <translation>✔ GENUINE: issued by this centre, unaltered</translation>
    </message>
    <message>
        <source>✘ 不是真票：签名不符或内容被改动</source>
        <translation>✘ NOT GENUINE: signature does not match or content altered</translation>
    </message>
    <message>
        <source>收费点</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <source>凭条号</source>
        <translation>Receipt no.</translation>
    </message>
    <message>
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>时间（北京时间）</source>
        <translation>Time (Beijing)</translation>
    </message>
    <message>
        <source>用扫码枪扫描凭条上的二维码，或粘贴二维码内容后按回车。Esc 清除。</source>
        <translation>Scan the receipt's QR code with the scanner, or paste its text and press Enter. Esc clears.</translation>
    </message>
    <message>
        <source>二维码内容（CR1|…）</source>
        <translation>QR text (CR1|…)</translation>
    </message>
    <message>
        <source>已查验的内容：{0}</source>
        <translation>Text checked: {0}</translation>
    </message>
    <message>
        <source>⚠ 真票，但已作废：这张凭条不再代表已付的钱</source>
        <translation>⚠ Genuine, but VOIDED: this receipt no longer stands for money paid</translation>
    </message>
    <message>
        <source>这笔售电已作废（或作废重开），不能据此退费或更正。重开的凭条是另一张号码。</source>
        <translation>This sale was voided (or voided and reissued): no refund or correction on it. A reissued receipt has another number.</translation>
    </message>
    <message>
        <source>签名真实，但本收费点的数据库里没有这张凭条（其他收费点单独的数据库？）。请核对凭条上印的内容。</source>
        <translation>The signature is genuine, but this counter's database has no such receipt (another counter's own database?). Check what is printed on the receipt.</translation>
    </message>
    <message>
        <source>请核对凭条上印的收费点、凭条号、金额和时间与上面一致。</source>
        <translation>Check that the workstation, receipt no., amount and time printed on the receipt match the above.</translation>
    </message>
    <message>
        <source>二维码可读，但签名与内容不符：凭条可能被改动或伪造。请勿据此办理退费或更正，请报告主管。</source>
        <translation>The QR is readable but its signature does not match its content: the receipt may be altered or forged. Do not refund or correct on it; tell the head of the counter.</translation>
    </message>
    <message>
        <source>这不是本系统凭条的二维码（或扫描不完整），请重新扫描。</source>
        <translation>This is not a receipt QR of this system (or the scan is incomplete); scan again.</translation>
    </message>
</context>
<context>
    <name>Tenders</name>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>微信</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>支付宝</source>
        <translation>Alipay</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>一卡通</source>
        <translation>Campus card</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>仅账面有</source>
        <translation>Only in the ledger</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>仅对账单有</source>
        <translation>Only in the statement</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>金额不符</source>
        <translation>Amounts differ</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>按交易号</source>
        <translation>By reference</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>按日</source>
        <translation>By day</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>{0}：账面 ￥{1}，对账单 ￥{2}，相符 {3}，差异 {4}</source>
        <translation>{0}: ledger ¥{1}, statement ¥{2}, {3} agree, {4} differences</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>无法读取的行：</source>
        <translation>Lines refused: </translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>已记录并冻结：{0}（复核 {1}）</source>
        <translation>Recorded and frozen: {0} (co-signed by {1})</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>交易号/日期</source>
        <translation>Reference/day</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>账面</source>
        <translation>Ledger</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>对账单</source>
        <translation>Statement</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>差额</source>
        <translation>Difference</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>对账单行</source>
        <translation>Statement line</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>核对编号</source>
        <translation>Match no.</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>支付方式</source>
        <translation>Tender</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>差异</source>
        <translation>Differences</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>核对人/复核人</source>
        <translation>Matched / co-signed</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>记录并签字冻结</source>
        <translation>Record, co-sign and freeze</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>对账</source>
        <translation>Statements</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>核对对账单</source>
        <translation>Check a statement</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>期间起</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>期间止</source>
        <translation>To</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>对账单文件（CSV/XLSX）</source>
        <translation>Statement file (CSV/XLSX)</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>核对（不记录）</source>
        <translation>Check (nothing recorded)</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>对账单 (*.csv *.xlsx *.txt)</source>
        <translation>Statements (*.csv *.xlsx *.txt)</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>选择对账单</source>
        <translation>Choose a statement</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>已记录的对账（已冻结）</source>
        <translation>Recorded matches (frozen)</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../pages/tenders.py" line="1"/>
        <source>共 {0} 份</source>
        <translation>{0} in all</translation>
    </message>
</context>
<context>
    <name>MonthlyChecks</name>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>防窃电报警</source>
        <translation>Tamper alarm</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>长期未购电</source>
        <translation>No purchase</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>用电过低</source>
        <translation>Use too low</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>用电过高</source>
        <translation>Use too high</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>楼栋</source>
        <translation>Building</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>总表 kWh</source>
        <translation>Main meter kWh</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>分表合计 kWh</source>
        <translation>Subs kWh</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>差额 kWh</source>
        <translation>Difference kWh</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>损耗率</source>
        <translation>Loss</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>超损</source>
        <translation>Over</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>是</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>表类型</source>
        <translation>Meter</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>总表</source>
        <translation>Main</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>分表</source>
        <translation>Sub</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>表号</source>
        <translation>Meter no.</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>房间</source>
        <translation>Room</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>上次读数</source>
        <translation>Previous</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>本次读数</source>
        <translation>Current</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>用电量</source>
        <translation>Used</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>抄表人</source>
        <translation>Read by</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>账户</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>异常</source>
        <translation>Finding</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>说明</source>
        <translation>Detail</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>柜台收费</source>
        <translation>Counter yuan</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>柜台售电</source>
        <translation>Counter kWh</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>K3 收入</source>
        <translation>K3 yuan</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>K3 电量</source>
        <translation>K3 kWh</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>电工抄表</source>
        <translation>Readings kWh</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>系统报表</source>
        <translation>System kWh</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>K3−柜台 元</source>
        <translation>K3−counter yuan</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>抄表−系统</source>
        <translation>Readings−system</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>月度检查</source>
        <translation>Monthly checks</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>线损检查：选中一栋楼查看它的总表和分表。</source>
        <translation>Loss check: select a building to see its main meter and sub-meters.</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>异常用电户（假期月份只列防窃电报警）：</source>
        <translation>Abnormal accounts (in holiday months only tamper alarms):</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>四方对账签字</source>
        <translation>Four-party sign-off</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>{0} 四方对账已签字冻结</source>
        <translation>{0} four-party reconciliation signed and frozen</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>签字冻结（需监督人签字）</source>
        <translation>Sign and freeze (co-signed)</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>查看</source>
        <translation>Show</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>导入抄表文件…</source>
        <translation>Import readings…</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>导入 K3 文件…</source>
        <translation>Import K3 file…</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>会计月份</source>
        <translation>Accounting month</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>四方对账 {0}：已签字冻结（{1}）</source>
        <translation>Four-party {0}: signed and frozen ({1})</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>四方对账 {0}：未签字</source>
        <translation>Four-party {0}: not signed</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>选择文件</source>
        <translation>Choose a file</translation>
    </message>
    <message>
        <location filename="../pages/monthly_checks.py" line="1"/>
        <source>已导入 {0} 行</source>
        <translation>{0} rows imported</translation>
    </message>
</context>
<context>
    <name>Admin</name>
    <message>
        <source>两次输入的密码不一致</source>
        <translation>The two passwords differ</translation>
    </message>
    <message>
        <source>电价格式不对（元/kWh，最多 4 位小数）</source>
        <translation>Price format: yuan/kWh, at most 4 decimals</translation>
    </message>
</context>
<context>
    <name>People</name>
    <message>
        <source>人员</source>
        <translation>People</translation>
    </message>
    <message>
        <source>任命监督人</source>
        <translation>Appoint supervisor</translation>
    </message>
    <message>
        <source>任期自</source>
        <translation>From</translation>
    </message>
    <message>
        <source>任期至</source>
        <translation>To</translation>
    </message>
    <message>
        <source>修改姓名</source>
        <translation>Rename</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Disable</translation>
    </message>
    <message>
        <source>再输一次</source>
        <translation>Again</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>已任命 {0} 为监督人</source>
        <translation>{0} appointed supervisor</translation>
    </message>
    <message>
        <source>已停用 {0}</source>
        <translation>{0} disabled</translation>
    </message>
    <message>
        <source>已改名 {0}</source>
        <translation>{0} renamed</translation>
    </message>
    <message>
        <source>已添加 {0}</source>
        <translation>{0} added</translation>
    </message>
    <message>
        <source>已重置 {0} 的密码</source>
        <translation>Password of {0} reset</translation>
    </message>
    <message>
        <source>新密码（至少 8 位）</source>
        <translation>New password (8+)</translation>
    </message>
    <message>
        <source>添加人员</source>
        <translation>Add person</translation>
    </message>
    <message>
        <source>登录名</source>
        <translation>Login ID</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>重置密码</source>
        <translation>Reset password</translation>
    </message>
</context>
<context>
    <name>Prices</name>
    <message>
        <source>依据文件号</source>
        <translation>Basis document</translation>
    </message>
    <message>
        <source>收费标准已设定</source>
        <translation>Fee set</translation>
    </message>
    <message>
        <source>收费项目</source>
        <translation>Fee</translation>
    </message>
    <message>
        <source>标准（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>生效日期</source>
        <translation>Effective from</translation>
    </message>
    <message>
        <source>电价与收费</source>
        <translation>Tariffs &amp; fees</translation>
    </message>
    <message>
        <source>电价已设定</source>
        <translation>Tariff set</translation>
    </message>
    <message>
        <source>电价（元/kWh）</source>
        <translation>Price (yuan/kWh)</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Class</translation>
    </message>
    <message>
        <source>设定收费标准</source>
        <translation>Set a fee</translation>
    </message>
    <message>
        <source>设定电价</source>
        <translation>Set a tariff</translation>
    </message>
</context>
<context>
    <name>Stations</name>
    <message>
        <source>密钥</source>
        <translation>Key</translation>
    </message>
    <message>
        <source>密钥指纹</source>
        <translation>Key fingerprints</translation>
    </message>
    <message>
        <source>已登记的窗口</source>
        <translation>Registered workstations</translation>
    </message>
    <message>
        <source>指纹</source>
        <translation>Fingerprint</translation>
    </message>
    <message>
        <source>校区</source>
        <translation>Campus</translation>
    </message>
    <message>
        <source>模拟</source>
        <translation>Simulated</translation>
    </message>
    <message>
        <source>生成时间</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>登记时间</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>登记窗口</source>
        <translation>Register workstation</translation>
    </message>
    <message>
        <source>真实</source>
        <translation>Real</translation>
    </message>
    <message>
        <source>窗口</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <source>窗口与密钥</source>
        <translation>Workstations &amp; keys</translation>
    </message>
    <message>
        <source>窗口代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>窗口已登记</source>
        <translation>Workstation registered</translation>
    </message>
    <message>
        <source>设备</source>
        <translation>Devices</translation>
    </message>
    <message>
        <location filename="../pages/stations.py" line="1"/>
        <source>设备密钥（本机密钥库）</source>
        <translation>Device secrets (this PC's keystore)</translation>
    </message>
    <message>
        <location filename="../pages/stations.py" line="1"/>
        <source>DL/T 645 远程拉闸/合闸密码</source>
        <translation>DL/T 645 remote trip/close password</translation>
    </message>
    <message>
        <location filename="../pages/stations.py" line="1"/>
        <source>{0}：已设置</source>
        <translation>{0}: set</translation>
    </message>
    <message>
        <location filename="../pages/stations.py" line="1"/>
        <source>{0}：未设置（counter-admin keys set-device-secret {1}）</source>
        <translation>{0}: not set (counter-admin keys set-device-secret {1})</translation>
    </message>
</context>
<context>
    <name>Register</name>
    <message>
        <location filename="../register_export.py" line="1"/>
        <source>售电登记表已保存：{0}</source>
        <translation>Sales register saved: {0}</translation>
    </message>
    <message>
        <location filename="../register_export.py" line="1"/>
        <source>保存售电登记表</source>
        <translation>Save the sales register</translation>
    </message>
</context>
<context>
    <name>Duties</name>
    <message>
        <source>未告知用户的来电来访：{0} 条</source>
        <translation>Calls and visits not yet answered to the customer: {0}</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>轮岗：岗位任职</source>
        <translation>Job rotation: posts held</translation>
    </message>
    <message>
        <source>{0}：{1} 张通知单，合计 ￥{2}</source>
        <translation>{0}: {1} notices, total ¥{2}</translation>
    </message>
    <message>
        <source>检查通过，可导入</source>
        <translation>Checked, ready to import</translation>
    </message>
    <message>
        <source>已导入</source>
        <translation>Imported</translation>
    </message>
    <message>
        <source>有 {0} 处问题，未导入：</source>
        <translation>{0} problems, nothing imported:</translation>
    </message>
    <message>
        <source>已导出 {0} 个部门的对账单</source>
        <translation>Exported lists for {0} departments</translation>
    </message>
    <message>
        <source>保存到文件夹</source>
        <translation>Save to folder</translation>
    </message>
    <message>
        <source>到</source>
        <translation>To</translation>
    </message>
    <message>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <source>按开单部门导出对账单（PDF）</source>
        <translation>Reconciliation per issuing department (PDF)</translation>
    </message>
    <message>
        <source>检查并导入</source>
        <translation>Check and import</translation>
    </message>
    <message>
        <source>只检查</source>
        <translation>Check only</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>开单部门（文件未注明时）</source>
        <translation>Issuing department (if the file has none)</translation>
    </message>
    <message>
        <source>文件路径</source>
        <translation>File path</translation>
    </message>
    <message>
        <source>导入应收清单（CSV 或 XLSX）</source>
        <translation>Import a receivables list (CSV or XLSX)</translation>
    </message>
    <message>
        <source>应收清单导入与按部门对账</source>
        <translation>Receivables lists and reconciliation by department</translation>
    </message>
    <message>
        <source>已记录检查 {0}</source>
        <translation>Check {0} recorded</translation>
    </message>
    <message>
        <source>检查结果</source>
        <translation>Findings</translation>
    </message>
    <message>
        <source>清点金额</source>
        <translation>Cash counted</translation>
    </message>
    <message>
        <source>班次号</source>
        <translation>Shift no.</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>检查期间自</source>
        <translation>Covers from</translation>
    </message>
    <message>
        <source>抽查</source>
        <translation>Spot check</translation>
    </message>
    <message>
        <source>半月收账检查</source>
        <translation>Half-month collection check</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>记录检查</source>
        <translation>Record a check</translation>
    </message>
    <message>
        <source>半月收账检查与抽查（本月）</source>
        <translation>Half-month collection checks and spot checks (this month)</translation>
    </message>
    <message>
        <source>第 {0} 条：{1}</source>
        <translation>Item {0}: {1}</translation>
    </message>
    <message>
        <source>已办结</source>
        <translation>closed</translation>
    </message>
    <message>
        <source>待处理</source>
        <translation>open</translation>
    </message>
    <message>
        <source>上报给谁 / 答复 / 备注</source>
        <translation>To whom / answer / note</translation>
    </message>
    <message>
        <source>已告知用户</source>
        <translation>Customer told</translation>
    </message>
    <message>
        <source>上报主管或助理</source>
        <translation>Escalate to head or assistant</translation>
    </message>
    <message>
        <source>处理</source>
        <translation>Follow up</translation>
    </message>
    <message>
        <source>当场答复（权限内）</source>
        <translation>Answered on the spot (within authority)</translation>
    </message>
    <message>
        <source>登记</source>
        <translation>Log it</translation>
    </message>
    <message>
        <source>来电来访登记（未告知用户的事项）</source>
        <translation>Visitor and phone log (customer not told yet)</translation>
    </message>
    <message>
        <source>部门事务</source>
        <translation>Department duties</translation>
    </message>
    <message>
        <source>监督人（任命）</source>
        <translation>Supervisor (appointed)</translation>
    </message>
    <message>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>财务</source>
        <translation>Finance</translation>
    </message>
    <message>
        <source>主管</source>
        <translation>Head</translation>
    </message>
    <message>
        <source>部门助理</source>
        <translation>Assistant</translation>
    </message>
    <message>
        <source>监督人</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>营业员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <source>超期</source>
        <translation>Over limit</translation>
    </message>
    <message>
        <source>月数</source>
        <translation>Months</translation>
    </message>
    <message>
        <source>在任</source>
        <translation>Holds it</translation>
    </message>
    <message>
        <source>结束</source>
        <translation>To</translation>
    </message>
    <message>
        <source>起始</source>
        <translation>From</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>岗位</source>
        <translation>Post</translation>
    </message>
    <message>
        <source>抽查清点</source>
        <translation>Counted in spot checks</translation>
    </message>
    <message>
        <source>抽查次数</source>
        <translation>Spot checks</translation>
    </message>
    <message>
        <source>检查人</source>
        <translation>Checked by</translation>
    </message>
    <message>
        <source>未检查</source>
        <translation>Not checked</translation>
    </message>
    <message>
        <source>已检查</source>
        <translation>Checked</translation>
    </message>
    <message>
        <source>收账检查</source>
        <translation>Collection check</translation>
    </message>
    <message>
        <source>半月</source>
        <translation>Half-month</translation>
    </message>
    <message>
        <source>答复</source>
        <translation>Answer</translation>
    </message>
    <message>
        <source>上报至</source>
        <translation>Escalated to</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Question</translation>
    </message>
    <message>
        <source>房间</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>来电来访人</source>
        <translation>Caller</translation>
    </message>
    <message>
        <source>方式</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>来访</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>来电</source>
        <translation>Phone call</translation>
    </message>
</context>
<context>
    <name>Networked</name>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>合闸</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>拉闸</source>
        <translation>Trip</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>闭合（通电）</source>
        <translation>Closed (power on)</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>断开（断电）</source>
        <translation>Open (power off)</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>无应答</source>
        <translation>No answer</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>已执行</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>未执行</source>
        <translation>Not done</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>结果未知</source>
        <translation>Outcome unknown</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>抄表时间</source>
        <translation>Read at</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>读数 kWh</source>
        <translation>Reading kWh</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>继电器</source>
        <translation>Relay</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>方式</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>手动</source>
        <translation>Manual</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>定时</source>
        <translation>Scheduled</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>命令</source>
        <translation>Command</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>说明</source>
        <translation>Detail</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>远程抄表</source>
        <translation>Networked meters</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>最近抄表：</source>
        <translation>Latest readings:</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>拉闸/合闸记录：</source>
        <translation>Trip / close history:</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>拉闸/合闸</source>
        <translation>Trip / close</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>拉闸（断电）</source>
        <translation>Trip (power off)</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>合闸（允许送电）</source>
        <translation>Allow closing (power on)</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>发送（需监督人签字）</source>
        <translation>Send (supervisor signs)</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>账户号</source>
        <translation>Account no.</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>查看</source>
        <translation>Show</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>抄表</source>
        <translation>Read meter</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>账户</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>读数 {0} kWh，{1}</source>
        <translation>Reading {0} kWh, {1}</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>电表无应答</source>
        <translation>The meter did not answer</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>总线 {0}，表地址 {1}（{2}）；余额 {3} 元（剩余 {4} kWh，已用 {5} kWh）</source>
        <translation>Bus {0}, address {1} ({2}); balance {3} yuan ({4} kWh left, {5} kWh used)</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>前后读数</source>
        <translation>Readings before/after</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>估算</source>
        <translation>Estimate</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>开始</source>
        <translation>Began</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>结束</source>
        <translation>Ended</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>软件控制中</source>
        <translation>Ongoing</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>电量来源</source>
        <translation>Energy from</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>期间电量 kWh</source>
        <translation>kWh used</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>余额抵扣 kWh</source>
        <translation>Covered kWh</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>补交电费</source>
        <translation>Charge</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>通知单号</source>
        <translation>Notice no.</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>软件控制（模块故障期间保持供电）：</source>
        <translation>Software control (power kept on while the module is out):</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>开始软件控制</source>
        <translation>Begin software control</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>维修记录号</source>
        <translation>Repair log entry</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>第 {0} 次软件控制已开始</source>
        <translation>Software control period {0} begun</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>开始（需监督人签字）</source>
        <translation>Begin (supervisor signs)</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>结束软件控制并补交所差电费</source>
        <translation>End software control and back-charge the shortfall</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>同一模块前后读数</source>
        <translation>Same module: readings before and after</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>更换了模块</source>
        <translation>Module replaced</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>是（读数从零开始）</source>
        <translation>Yes (register restarts)</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>估算电量</source>
        <translation>Estimated energy</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>估算依据</source>
        <translation>Basis of the estimate</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>新模块起始读数</source>
        <translation>New module's starting register</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>期间电量 {0} kWh，补交电费 {1} 元{2}</source>
        <translation>Period energy {0} kWh, back-charge {1} yuan{2}</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>结束（需监督人签字）</source>
        <translation>End (supervisor signs)</translation>
    </message>
    <message>
        <location filename="../pages/networked.py" line="1"/>
        <source>；软件控制期间用电 {0} kWh 已从余额抵扣</source>
        <translation>; {0} kWh used under software control taken from the balance</translation>
    </message>
</context>
<context>
    <name>BusStatus</name>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>{0}：应答 {1}，无应答 {2}</source>
        <translation>{0}: {1} answered, {2} did not answer</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>{0}：未抄（{1}）</source>
        <translation>{0}: not read ({1})</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>{0}：端口无法使用</source>
        <translation>{0}: the port cannot be used</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>上次应答</source>
        <translation>Answered last</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>全部立即抄表(&amp;R)</source>
        <translation>&amp;Read all now</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>刷新 (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>协议</source>
        <translation>Protocol</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>定时抄表</source>
        <translation>Scheduled</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>定时抄表：已关闭（设置 meter_bus.poll_minutes 为 0）</source>
        <translation>Scheduled reads: off (setting meter_bus.poll_minutes is 0)</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>定时抄表：本次登录未运行（需营业员、监督人、部门助理或主任登录）</source>
        <translation>Scheduled reads: not running for this login (a cashier, supervisor, assistant or head runs them)</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>定时抄表：每 {0} 分钟，总线 {1}</source>
        <translation>Scheduled reads: every {0} minutes, buses {1}</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>定时抄表：每 {0} 分钟；没有可抄的总线</source>
        <translation>Scheduled reads: every {0} minutes; no bus to read</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>定时抄表：由另一工作站运行（设置 meter_bus.poll_workstation）</source>
        <translation>Scheduled reads: run by another workstation (setting meter_bus.poll_workstation)</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>应答</source>
        <translation>Answered</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>总线</source>
        <translation>Bus</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>总线 {0} 的电表：</source>
        <translation>Meters on bus {0}:</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>总线状态</source>
        <translation>Meter buses</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>房间</source>
        <translation>Room</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>抄所选总线(&amp;U)</source>
        <translation>Read the chosen b&amp;us</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>抄表时间</source>
        <translation>Read at</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>无应答</source>
        <translation>No answer</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>无应答，自 {0} 起</source>
        <translation>No answer since {0}</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>最近一次</source>
        <translation>Last read</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>未抄过</source>
        <translation>Never read</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>未运行</source>
        <translation>Not running</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>正在抄表…</source>
        <translation>Reading the meters…</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>没有联网计量的总线</source>
        <translation>No networked meter bus</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>电表：</source>
        <translation>Meters:</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>端口</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>继电器</source>
        <translation>Relay</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>表地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>表数</source>
        <translation>Meters</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>读数 kWh</source>
        <translation>Reading kWh</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>账户</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>运行中</source>
        <translation>Running</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location filename="../pages/bus_status.py" line="1"/>
        <source>（未配置）</source>
        <translation>(not configured)</translation>
    </message>
</context>
</TS>
