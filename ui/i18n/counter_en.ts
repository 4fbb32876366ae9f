<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
  <context>
    <name>Accounts</name>
    <message>
      <source>校区/楼栋/单元/房间</source>
      <translation>Campus/building/unit/room</translation>
    </message>
    <message>
      <source>账户</source>
      <translation>Account</translation>
    </message>
    <message>
      <source>房间号 / 电表号 / 账户号（输入即查）</source>
      <translation>Room / meter / account no. (search as you type)</translation>
    </message>
    <message>
      <source>建档开户（教职工/实体经营）</source>
      <translation>Open account (staff/business)</translation>
    </message>
    <message>
      <source>房间号</source>
      <translation>Room code</translation>
    </message>
    <message>
      <location filename="../pages/accounts.py" line="108" />
      <source>类别</source>
      <translation>Class</translation>
    </message>
    <message>
      <source>电表号</source>
      <translation>Meter no.</translation>
    </message>
    <message>
      <source>户主</source>
      <translation>Holder</translation>
    </message>
    <message>
      <location filename="../pages/accounts.py" line="115" />
      <source>电话</source>
      <translation>Phone</translation>
    </message>
    <message>
      <source>已开户 {0}（{1}）</source>
      <translation>Account {0} opened ({1})</translation>
    </message>
    <message>
      <source>确认类别</source>
      <translation>Confirm class</translation>
    </message>
    <message>
      <location filename="../pages/accounts.py" line="114" />
      <source>账户号</source>
      <translation>Account no.</translation>
    </message>
    <message>
      <source>账户 {0} 类别已确认</source>
      <translation>Class of account {0} confirmed</translation>
    </message>
    <message>
      <source>过户</source>
      <translation>Change holder</translation>
    </message>
    <message>
      <source>新户主</source>
      <translation>New holder</translation>
    </message>
    <message>
      <source>交接电量</source>
      <translation>Handover energy</translation>
    </message>
    <message>
      <source>账户 {0} 已过户给 {1}</source>
      <translation>Account {0} transferred to {1}</translation>
    </message>
    <message>
      <source>楼栋树待接口提供（list_rooms）；请用上方搜索。</source>
      <translation>The building tree is not available yet (list_rooms); use the search above.</translation>
    </message>
    <message>
      <source>没有找到</source>
      <translation>Nothing found</translation>
    </message>
  </context>
  <context>
    <name>Approval</name>
    <message>
      <source>操作</source>
      <translation>Operation</translation>
    </message>
    <message>
      <source>经办人</source>
      <translation>Maker</translation>
    </message>
    <message>
      <source>账户</source>
      <translation>Account</translation>
    </message>
    <message>
      <source>金额</source>
      <translation>Amount</translation>
    </message>
    <message>
      <source>电量</source>
      <translation>Energy</translation>
    </message>
    <message>
      <source>原因</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>不能由操作人本人确认，请另一位监督人签字</source>
      <translation>The operator cannot approve their own operation; another supervisor must sign</translation>
    </message>
    <message>
      <source>监督人姓名或密码错误，或该人当前不是监督人</source>
      <translation>Wrong supervisor name or password, or that person is not a supervisor now</translation>
    </message>
    <message>
      <source>此操作需要监督人签字确认</source>
      <translation>This operation needs a supervisor's approval</translation>
    </message>
    <message>
      <source>监督人确认</source>
      <translation>Supervisor approval</translation>
    </message>
    <message>
      <source>请监督人核对以下内容，并输入本人姓名和密码：</source>
      <translation>Supervisor: check the following and enter your own name and password:</translation>
    </message>
    <message>
      <source>监督人姓名</source>
      <translation>Supervisor name</translation>
    </message>
    <message>
      <source>密码</source>
      <translation>Password</translation>
    </message>
    <message>
      <source>请输入监督人姓名和密码</source>
      <translation>Enter the supervisor's name and password</translation>
    </message>
  </context>
  <context>
    <name>Cards</name>
    <message>
      <source>卡管理</source>
      <translation>Cards</translation>
    </message>
    <message>
      <source>账户号</source>
      <translation>Account no.</translation>
    </message>
    <message>
      <source>挂失</source>
      <translation>Report lost</translation>
    </message>
    <message>
      <source>账户 {0} 的卡已挂失（已列入黑名单）</source>
      <translation>Card of account {0} reported lost (blacklisted)</translation>
    </message>
    <message>
      <source>补卡（新卡放读卡器）</source>
      <translation>Replace card (new card on the reader)</translation>
    </message>
    <message>
      <source>支付方式</source>
      <translation>Tender</translation>
    </message>
    <message>
      <source>交易号</source>
      <translation>Transaction no.</translation>
    </message>
    <message>
      <source>新卡 {0} 已发出{1}</source>
      <translation>New card {0} issued{1}</translation>
    </message>
    <message>
      <source>，票号 {0}</source>
      <translation>, receipt {0}</translation>
    </message>
    <message>
      <source>发卡（空白卡放读卡器）</source>
      <translation>Issue card (blank card on the reader)</translation>
    </message>
    <message>
      <source>卡 {0} 已发给账户 {1}</source>
      <translation>Card {0} issued to account {1}</translation>
    </message>
    <message>
      <source>换表补电</source>
      <translation>Replace meter</translation>
    </message>
    <message>
      <source>新电表号</source>
      <translation>New meter no.</translation>
    </message>
    <message>
      <source>转入电量</source>
      <translation>Energy carried</translation>
    </message>
    <message>
      <source>参数卡 {0} 已写好：请插入新电表</source>
      <translation>Parameter card {0} written: insert it into the new meter</translation>
    </message>
    <message>
      <source>工具卡</source>
      <translation>Tool card</translation>
    </message>
    <message>
      <source>类别</source>
      <translation>Class</translation>
    </message>
    <message>
      <source>检查卡</source>
      <translation>Check card</translation>
    </message>
    <message>
      <source>参数卡</source>
      <translation>Parameter card</translation>
    </message>
    <message>
      <source>电表号</source>
      <translation>Meter no.</translation>
    </message>
    <message>
      <source>工具卡 {0}（{1}）已写好</source>
      <translation>Tool card {0} ({1}) written</translation>
    </message>
    <message>
      <source>补卡沿用原账户和购电次数；旧卡上未入表的购电转到新卡。</source>
      <translation>A replacement card keeps the account and purchase counter; an unloaded purchase moves to the new card.</translation>
    </message>
  </context>
  <context>
    <name>Charges</name>
    <message>
      <source>维修费</source>
      <translation>Repair fee</translation>
    </message>
    <message>
      <source>水电费</source>
      <translation>Water/electricity bill</translation>
    </message>
    <message>
      <source>采暖费</source>
      <translation>Heating fee</translation>
    </message>
    <message>
      <source>现金</source>
      <translation>Cash</translation>
    </message>
    <message>
      <source>支票</source>
      <translation>Cheque</translation>
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
      <source>收费</source>
      <translation>Charges</translation>
    </message>
    <message>
      <source>按通知单收费</source>
      <translation>Pay a notice</translation>
    </message>
    <message>
      <source>登记通知单/采暖费</source>
      <translation>Notices / heating</translation>
    </message>
    <message>
      <source>违规用电补缴</source>
      <translation>Theft back-charge</translation>
    </message>
    <message>
      <source>通知单须一次全额缴清；金额输入两次核对。需要学校结算收据的，填写收据页号。</source>
      <translation>A notice is paid once and in full; the amount is typed twice. Enter the stamped receipt page where one is needed.</translation>
    </message>
    <message>
      <source>缴费</source>
      <translation>Pay</translation>
    </message>
    <message>
      <location filename="../pages/charges.py" line="69" />
      <source>通知单号</source>
      <translation>Notice no.</translation>
    </message>
    <message>
      <source>金额</source>
      <translation>Amount</translation>
    </message>
    <message>
      <source>再次输入金额</source>
      <translation>Amount again</translation>
    </message>
    <message>
      <source>支付方式</source>
      <translation>Tender</translation>
    </message>
    <message>
      <source>实收</source>
      <translation>Tendered</translation>
    </message>
    <message>
      <source>交易号/支票号</source>
      <translation>Transaction/cheque no.</translation>
    </message>
    <message>
      <source>收据页号</source>
      <translation>Stamped receipt page</translation>
    </message>
    <message>
      <source>已收费 票号 {0}：￥{1}，找零 ￥{2}{3}</source>
      <translation>Paid, receipt {0}: ￥{1}, change ￥{2}{3}</translation>
    </message>
    <message>
      <source>（迟交，已标记）</source>
      <translation> (late hand-in, flagged)</translation>
    </message>
    <message>
      <source>登记通知单</source>
      <translation>Register notice</translation>
    </message>
    <message>
      <source>类别</source>
      <translation>Class</translation>
    </message>
    <message>
      <source>缴费单位/人</source>
      <translation>Payer</translation>
    </message>
    <message>
      <source>金额（维修/水电）</source>
      <translation>Amount (repair/utility)</translation>
    </message>
    <message>
      <source>采暖面积（m²）</source>
      <translation>Heated area (m²)</translation>
    </message>
    <message>
      <source>维修日期</source>
      <translation>Repair date</translation>
    </message>
    <message>
      <source>维修人</source>
      <translation>Repairman</translation>
    </message>
    <message>
      <source>开单部门</source>
      <translation>Issuing department</translation>
    </message>
    <message>
      <source>通知单 {0}：￥{1}</source>
      <translation>Notice {0}: ￥{1}</translation>
    </message>
    <message>
      <source>违规用电补缴电费</source>
      <translation>Theft back-charge</translation>
    </message>
    <message>
      <source>账户号</source>
      <translation>Account no.</translation>
    </message>
    <message>
      <source>发现日期</source>
      <translation>Discovered on</translation>
    </message>
    <message>
      <source>确认电工</source>
      <translation>Confirming electrician</translation>
    </message>
    <message>
      <source>证据/通知人</source>
      <translation>Evidence / notified</translation>
    </message>
    <message>
      <source>通知单 {0}：{1} 天 × 电量 = {2} kWh，单价 {3}，应缴 ￥{4}</source>
      <translation>Notice {0}: {1} days → {2} kWh at {3}, due ￥{4}</translation>
    </message>
  </context>
  <context>
    <name>Demo</name>
    <message>
      <source>房间号（找卡/电表）</source>
      <translation>Room (find card/meter)</translation>
    </message>
    <message>
      <source>卡号</source>
      <translation>Card no.</translation>
    </message>
    <message>
      <source>电表号</source>
      <translation>Meter no.</translation>
    </message>
    <message>
      <source>用电 kWh</source>
      <translation>Energy used (kWh)</translation>
    </message>
    <message>
      <location filename="../demo_panel.py" line="107" />
      <source>打印机缺纸</source>
      <translation>Printer out of paper</translation>
    </message>
    <message>
      <source>房间</source>
      <translation>Room</translation>
    </message>
    <message>
      <source>卡</source>
      <translation>Card</translation>
    </message>
    <message>
      <source>电表</source>
      <translation>Meter</translation>
    </message>
    <message>
      <source>电量</source>
      <translation>Energy</translation>
    </message>
    <message>
      <source>按房间找卡</source>
      <translation>Find card by room</translation>
    </message>
    <message>
      <source>新空白卡</source>
      <translation>New blank card</translation>
    </message>
    <message>
      <source>放到读卡器</source>
      <translation>Put on reader</translation>
    </message>
    <message>
      <source>从读卡器取下</source>
      <translation>Take off reader</translation>
    </message>
    <message>
      <source>插入电表</source>
      <translation>Insert into meter</translation>
    </message>
    <message>
      <source>用电</source>
      <translation>Consume</translation>
    </message>
    <message>
      <source>电表状态</source>
      <translation>Meter state</translation>
    </message>
    <message>
      <source>最近凭条</source>
      <translation>Last receipt</translation>
    </message>
    <message>
      <source>模拟设备</source>
      <translation>Simulated devices</translation>
    </message>
    <message>
      <source>{0}：卡 {1}，电表 {2}</source>
      <translation>{0}: card {1}, meter {2}</translation>
    </message>
    <message>
      <source>新空白卡 {0}</source>
      <translation>New blank card {0}</translation>
    </message>
    <message>
      <source>卡 {0} 已放到读卡器</source>
      <translation>Card {0} placed on the reader</translation>
    </message>
    <message>
      <source>读卡器上已无卡</source>
      <translation>Reader empty</translation>
    </message>
    <message>
      <source>卡 {0} 已插入电表并返写</source>
      <translation>Card {0} inserted into its meter (written back)</translation>
    </message>
    <message>
      <source>电表 {0} 用电 {1} kWh</source>
      <translation>Meter {0} consumed {1} kWh</translation>
    </message>
    <message>
      <source>第 {0} 次，剩余 {1} kWh，累计 {2} kWh，报警 {3}</source>
      <translation>counter {0}, remaining {1} kWh, consumed {2} kWh, alarms {3}</translation>
    </message>
    <message>
      <source>打印机已装纸，排队凭条已补打</source>
      <translation>Paper loaded; queued receipts printed</translation>
    </message>
    <message>
      <source>尚无凭条</source>
      <translation>No receipts yet</translation>
    </message>
  </context>
  <context>
    <name>Diagnostics</name>
    <message>
      <source>卡号 {0}，类型 {1}，账户 {2}</source>
      <translation>Card {0}, kind {1}, account {2}</translation>
    </message>
    <message>
      <source>返写：剩余 {0} kWh，累计 {1} kWh，最后入表第 {2} 次，错误 {3}</source>
      <translation>Write-back: remaining {0} kWh, consumed {1} kWh, last loaded #{2}, error {3}</translation>
    </message>
    <message>
      <source>设备诊断</source>
      <translation>Diagnostics</translation>
    </message>
    <message>
      <source>设备</source>
      <translation>Devices</translation>
    </message>
    <message>
      <source>补打票号</source>
      <translation>Receipt no. to reprint</translation>
    </message>
    <message>
      <source>设备状态/读卡器版本</source>
      <translation>Device status / reader version</translation>
    </message>
    <message>
      <source>打印测试页</source>
      <translation>Test print</translation>
    </message>
    <message>
      <source>读卡（只查询）</source>
      <translation>Read card (query only)</translation>
    </message>
    <message>
      <source>补打</source>
      <translation>Reprint</translation>
    </message>
    <message>
      <source>打印测试页：待接口提供（test_print）</source>
      <translation>Test print: not available yet (test_print)</translation>
    </message>
    <message>
      <source>测试页已发送</source>
      <translation>Test page sent</translation>
    </message>
    <message>
      <source>请输入票号（补打接口：reprint_receipt）</source>
      <translation>Enter a receipt no. (reprint: reprint_receipt)</translation>
    </message>
    <message>
      <source>已补打 {0}（标记“补打”）</source>
      <translation>Reprinted {0} (marked REPRINT)</translation>
    </message>
  </context>
  <context>
    <name>Exceptions</name>
    <message>
      <location filename="../pages/exceptions.py" line="36" />
      <source>类别</source>
      <translation>Class</translation>
    </message>
    <message>
      <source>时间</source>
      <translation>Time</translation>
    </message>
    <message>
      <location filename="../pages/exceptions.py" line="38" />
      <source>经办</source>
      <translation>Maker</translation>
    </message>
    <message>
      <location filename="../pages/exceptions.py" line="37" />
      <source>内容</source>
      <translation>Details</translation>
    </message>
    <message>
      <source>排队号</source>
      <translation>Queue no.</translation>
    </message>
    <message>
      <source>异常</source>
      <translation>Exceptions</translation>
    </message>
    <message>
      <source>刷新</source>
      <translation>Refresh</translation>
    </message>
    <message>
      <source>写卡编号</source>
      <translation>Write no.</translation>
    </message>
    <message>
      <source>转挂账</source>
      <translation>Move to suspense</translation>
    </message>
    <message>
      <source>原因</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>{0} 已转挂账</source>
      <translation>{0} moved to suspense</translation>
    </message>
    <message>
      <source>处理挂账</source>
      <translation>Resolve suspense</translation>
    </message>
    <message>
      <source>处理方式</source>
      <translation>Action</translation>
    </message>
    <message>
      <source>补写到卡（卡放读卡器）</source>
      <translation>Roll forward (card on the reader)</translation>
    </message>
    <message>
      <source>开退费审批单</source>
      <translation>Refund form</translation>
    </message>
    <message>
      <source>{0}：{1}</source>
      <translation>{0}: {1}</translation>
    </message>
    <message>
      <source>晨检清单仅监督人可见。</source>
      <translation>The morning list is for supervisors.</translation>
    </message>
    <message>
      <source>晨检清单（作废、更正、补打、手工读数、放行、长短款）待接口提供；下表为待确认的排队操作。</source>
      <translation>The morning list (voids, corrections, reprints, manual readings, overrides, over/short) is not available yet; below are the queued operations.</translation>
    </message>
  </context>
  <context>
    <name>Form</name>
    <message>
      <source>请填写{0}</source>
      <translation>Please fill in {0}</translation>
    </message>
    <message>
      <source>{0}格式不对</source>
      <translation>{0}: wrong format</translation>
    </message>
    <message>
      <source>元</source>
      <translation>yuan</translation>
    </message>
  </context>
  <context>
    <name>Lock</name>
    <message>
      <location filename="../lock_screen.py" line="48" />
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="../lock_screen.py" line="49" />
      <source>密码</source>
      <translation>Password</translation>
    </message>
    <message>
      <source>解锁</source>
      <translation>Unlock</translation>
    </message>
    <message>
      <source>监督人解锁（仅用于结班/交班）</source>
      <translation>Supervisor unlock (shift close/hand-over only)</translation>
    </message>
    <message>
      <source>已锁定 —— {0} 的班次</source>
      <translation>Locked — {0}'s shift</translation>
    </message>
    <message>
      <source>只有 {0} 本人可以解锁；其他人请等 {0} 交班后登录，或由监督人解锁结班</source>
      <translation>Only {0} can unlock; others log in after {0} hands over, or a supervisor unlocks to close the shift</translation>
    </message>
    <message>
      <source>监督人解锁须由监督人输入本人姓名和密码</source>
      <translation>A supervisor unlock needs the supervisor's own name and password</translation>
    </message>
    <message>
      <source>{0} 不是监督人，不能解锁他人的班次</source>
      <translation>{0} is not a supervisor and cannot unlock another person's shift</translation>
    </message>
  </context>
  <context>
    <name>Login</name>
    <message>
      <source>账号已锁定，还需等待 {0} 分 {1} 秒（至 {2}）</source>
      <translation>Account locked: {0} min {1} s left (until {2})</translation>
    </message>
    <message>
      <source>售电收费工作站 — 登录</source>
      <translation>Counter workstation — login</translation>
    </message>
    <message>
      <source>营业员登录</source>
      <translation>Operator login</translation>
    </message>
    <message>
      <source>本人姓名</source>
      <translation>Your name</translation>
    </message>
    <message>
      <location filename="../login.py" line="72" />
      <source>密码</source>
      <translation>Password</translation>
    </message>
    <message>
      <source>登录</source>
      <translation>Log in</translation>
    </message>
    <message>
      <source>姓名</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>备用金（元）</source>
      <translation>Float (yuan)</translation>
    </message>
    <message>
      <source>本班监督人（可空）</source>
      <translation>Shift supervisor (optional)</translation>
    </message>
    <message>
      <source>开班</source>
      <translation>Open shift</translation>
    </message>
    <message>
      <source>继续本人已开的班次</source>
      <translation>Continue my open shift</translation>
    </message>
    <message>
      <source>先开班：清点备用金后输入金额</source>
      <translation>Open the shift first: count the float and enter it</translation>
    </message>
    <message>
      <location filename="../login.py" line="130" />
      <source>备用金</source>
      <translation>Float</translation>
    </message>
    <message>
      <source>监督人</source>
      <translation>Supervisor</translation>
    </message>
    <message>
      <source>请输入姓名和密码</source>
      <translation>Enter name and password</translation>
    </message>
  </context>
  <context>
    <name>Main</name>
    <message>
      <source>售电收费工作站 — {0}</source>
      <translation>Counter workstation — {0}</translation>
    </message>
    <message>
      <source>工作站</source>
      <translation>Workstation</translation>
    </message>
    <message>
      <source>锁屏</source>
      <translation>Lock screen</translation>
    </message>
    <message>
      <source>退出登录</source>
      <translation>Log out</translation>
    </message>
    <message>
      <source>语言 / Language</source>
      <translation>语言 / Language</translation>
    </message>
    <message>
      <source>演示控制</source>
      <translation>Demo controls</translation>
    </message>
  </context>
  <context>
    <name>Models</name>
    <message>
      <source>写卡编号</source>
      <translation>Write no.</translation>
    </message>
    <message>
      <location filename="../models.py" line="94" />
      <source>账户</source>
      <translation>Account</translation>
    </message>
    <message>
      <source>金额</source>
      <translation>Amount</translation>
    </message>
    <message>
      <source>电量(kWh)</source>
      <translation>Energy (kWh)</translation>
    </message>
    <message>
      <location filename="../models.py" line="96" />
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>班次</source>
      <translation>Shift</translation>
    </message>
    <message>
      <source>房间</source>
      <translation>Room</translation>
    </message>
    <message>
      <source>类别</source>
      <translation>Class</translation>
    </message>
    <message>
      <source>户主</source>
      <translation>Holder</translation>
    </message>
    <message>
      <source>电表号</source>
      <translation>Meter no.</translation>
    </message>
    <message>
      <source>卡号</source>
      <translation>Card no.</translation>
    </message>
    <message>
      <source>学生公寓</source>
      <translation>Dorm</translation>
    </message>
    <message>
      <source>教职工</source>
      <translation>Staff</translation>
    </message>
    <message>
      <source>实体经营</source>
      <translation>Business</translation>
    </message>
    <message>
      <source>待确认</source>
      <translation>Pending</translation>
    </message>
    <message>
      <source>正常</source>
      <translation>OK</translation>
    </message>
    <message>
      <source>冻结</source>
      <translation>Blocked</translation>
    </message>
    <message>
      <source>已销户</source>
      <translation>Closed</translation>
    </message>
    <message>
      <source>未完成写卡</source>
      <translation>Unfinished write</translation>
    </message>
    <message>
      <source>挂账</source>
      <translation>Suspense</translation>
    </message>
    <message>
      <source>已补写</source>
      <translation>Rolled forward</translation>
    </message>
    <message>
      <source>已退费</source>
      <translation>Refunded</translation>
    </message>
    <message>
      <source>客户回来时放卡补写；或开具退费审批单退款（不得从钱箱付现）</source>
      <translation>When the customer returns, put the card on the reader to roll forward; or raise a refund form (never cash from the drawer)</translation>
    </message>
    <message>
      <source>客户在场：放回原卡重新读卡即可补写；客户已离开：请监督人转挂账后再结班</source>
      <translation>Customer present: put the card back and read it to finish the write; customer gone: a supervisor moves it to suspense before the shift closes</translation>
    </message>
  </context>
  <context>
    <name>Ops</name>
    <message>
      <source>提示</source>
      <translation>Notice</translation>
    </message>
  </context>
  <context>
    <name>Prompts</name>
    <message>
      <source>请操作</source>
      <translation>Action needed</translation>
    </message>
    <message>
      <source>请确认</source>
      <translation>Please confirm</translation>
    </message>
  </context>
  <context>
    <name>Quota</name>
    <message>
      <source>定额送电</source>
      <translation>Free quota</translation>
    </message>
    <message>
      <source>学生免费电：按期间和楼栋生成批次，监督人复核后生效；宿舍在下次持卡来时领取本学期全部未领电量。</source>
      <translation>Student free energy: prepare a batch per period and buildings; it takes effect when a supervisor approves; dorm rooms collect all unclaimed energy of the term at their next card visit.</translation>
    </message>
    <message>
      <source>生成批次</source>
      <translation>Prepare batch</translation>
    </message>
    <message>
      <source>期间（YYYY-MM）</source>
      <translation>Period (YYYY-MM)</translation>
    </message>
    <message>
      <source>楼栋（逗号分隔）</source>
      <translation>Buildings (comma separated)</translation>
    </message>
    <message>
      <source>批次 {0}：{1} 间，共 {2} kWh，待监督人复核</source>
      <translation>Batch {0}: {1} rooms, {2} kWh, awaiting a supervisor</translation>
    </message>
    <message>
      <source>复核批次</source>
      <translation>Approve batch</translation>
    </message>
    <message>
      <source>批次号</source>
      <translation>Batch no.</translation>
    </message>
    <message>
      <source>批次 {0} 已生效：{1} 间，{2} kWh（经办 {3}，复核 {4}）</source>
      <translation>Batch {0} in effect: {1} rooms, {2} kWh (maker {3}, checker {4})</translation>
    </message>
    <message>
      <source>只领免费电（不购电）</source>
      <translation>Free energy only (no purchase)</translation>
    </message>
    <message>
      <source>账户号</source>
      <translation>Account no.</translation>
    </message>
    <message>
      <source>已写卡免费电 {0} kWh，票号 {1}</source>
      <translation>Free energy {0} kWh written, receipt {1}</translation>
    </message>
  </context>
  <context>
    <name>Refund</name>
    <message>
      <source>退费审批单 {0}：退款 ￥{1}，可退电量 {2} kWh（未用免费电 {3} kWh）
{4}
由财务按审批单付款，不从钱箱付现。</source>
      <translation>Refund form {0}: refund ￥{1}, refundable energy {2} kWh (unused free energy {3} kWh)
{4}
Finance pays against the form; never cash from the drawer.</translation>
    </message>
    <message>
      <source>退电/清零/更正</source>
      <translation>Refund/Clear</translation>
    </message>
    <message>
      <source>清零</source>
      <translation>Clear</translation>
    </message>
    <message>
      <source>房间退电</source>
      <translation>Room refund</translation>
    </message>
    <message>
      <source>更正</source>
      <translation>Correction</translation>
    </message>
    <message>
      <source>销户</source>
      <translation>Close account</translation>
    </message>
    <message>
      <source>两次来访：①写清零卡（监督人签字），用户插表；②清零卡带回放读卡器，完成清零后再办理退电。</source>
      <translation>Two visits: (1) write a clear card (supervisor signs), the customer inserts it into the meter; (2) the clear card comes back onto the reader: complete the clear, then refund.</translation>
    </message>
    <message>
      <location filename="../pages/refund.py" line="63" />
      <location filename="../pages/refund.py" line="87" />
      <source>账户号</source>
      <translation>Account no.</translation>
    </message>
    <message>
      <source>写清零卡</source>
      <translation>Write clear card</translation>
    </message>
    <message>
      <location filename="../pages/refund.py" line="67" />
      <location filename="../pages/refund.py" line="75" />
      <source>原因</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>卡 {0} 已成为清零卡：请用户插入电表后带回</source>
      <translation>Card {0} is now a clear card: the customer inserts it into the meter and brings it back</translation>
    </message>
    <message>
      <source>完成清零（清零卡已放读卡器）</source>
      <translation>Complete clear (clear card on the reader)</translation>
    </message>
    <message>
      <source>已清零 {0} kWh（{1}）</source>
      <translation>Cleared {0} kWh ({1})</translation>
    </message>
    <message>
      <source>开具退费审批单</source>
      <translation>Raise refund form</translation>
    </message>
    <message>
      <source>收款人</source>
      <translation>Payee</translation>
    </message>
    <message>
      <source>学号/工号</source>
      <translation>Student/staff no.</translation>
    </message>
    <message>
      <source>银行卡号</source>
      <translation>Bank account</translation>
    </message>
    <message>
      <source>更正（作废重开，仅限当天）</source>
      <translation>Correction (void and reissue, same day only)</translation>
    </message>
    <message>
      <source>原票号</source>
      <translation>Original receipt no.</translation>
    </message>
    <message>
      <source>正确账户号</source>
      <translation>Correct account no.</translation>
    </message>
    <message>
      <source>正确金额</source>
      <translation>Correct amount</translation>
    </message>
    <message>
      <source>正确电量</source>
      <translation>Correct energy</translation>
    </message>
    <message>
      <source>原票已作废，新票号 {0}：￥{1}，{2} kWh</source>
      <translation>Original voided; new receipt {0}: ￥{1}, {2} kWh</translation>
    </message>
    <message>
      <source>销户（须已清零并退费）</source>
      <translation>Close account (after clear and refund)</translation>
    </message>
    <message>
      <source>账户 {0} 已销户</source>
      <translation>Account {0} closed</translation>
    </message>
  </context>
  <context>
    <name>Reports</name>
    <message>
      <source>报表</source>
      <translation>Reports</translation>
    </message>
    <message>
      <source>日/周/月/年表、电费月收费报表、分户明细、定额送电、低电通报等报表将在结算与报表功能完成后提供。目前可用命令行：
counter-admin report day --from 日期 --to 日期 --format pdf --out 文件</source>
      <translation>Daily/weekly/monthly/yearly tables, the monthly collection report, per-account detail, free quota and low-balance lists come with the settlement and reports feature. Meanwhile use the command line:
counter-admin report day --from DATE --to DATE --format pdf --out FILE</translation>
    </message>
  </context>
  <context>
    <name>Sale</name>
    <message>
      <source>读卡器上不是用户卡，请放用户卡</source>
      <translation>The card on the reader is not a user card; place the user card</translation>
    </message>
    <message>
      <source>卡上账户 {0}，输入房间 {1}</source>
      <translation>card belongs to {0}, room typed {1}</translation>
    </message>
    <message>
      <source>售电</source>
      <translation>Sale</translation>
    </message>
    <message>
      <source>房间号；空白回车 = 读卡</source>
      <translation>Room code; empty + Enter = read card</translation>
    </message>
    <message>
      <location filename="../pages/sale.py" line="98" />
      <source>金额（元）</source>
      <translation>Amount (yuan)</translation>
    </message>
    <message>
      <source>或电量（kWh）</source>
      <translation>or energy (kWh)</translation>
    </message>
    <message>
      <source>实收（元）；空白回车 = 收讫</source>
      <translation>Tendered (yuan); empty + Enter = exact</translation>
    </message>
    <message>
      <source>交易号/支票号（非现金必填）</source>
      <translation>Transaction/cheque no. (required unless cash)</translation>
    </message>
    <message>
      <source>放行原因</source>
      <translation>Override reason</translation>
    </message>
    <message>
      <source>卡/房间号</source>
      <translation>Card / room</translation>
    </message>
    <message>
      <source>电量（kWh）</source>
      <translation>Energy (kWh)</translation>
    </message>
    <message>
      <source>应收</source>
      <translation>Due</translation>
    </message>
    <message>
      <source>支付方式</source>
      <translation>Tender</translation>
    </message>
    <message>
      <source>参考号</source>
      <translation>Reference</translation>
    </message>
    <message>
      <source>实收（元）</source>
      <translation>Tendered (yuan)</translation>
    </message>
    <message>
      <source>找零</source>
      <translation>Change</translation>
    </message>
    <message>
      <source>快捷金额：Alt+1 30元  Alt+2 50元  Alt+3 100元  Alt+4 200元；Esc 清空；Ctrl+P 补打上一张</source>
      <translation>Quick amounts: Alt+1 30  Alt+2 50  Alt+3 100  Alt+4 200 yuan; Esc clears; Ctrl+P reprints the last</translation>
    </message>
    <message>
      <source>监督人放行（上次未入表）</source>
      <translation>Supervisor override (previous unloaded)</translation>
    </message>
    <message>
      <source>补打上一张（Ctrl+P）</source>
      <translation>Reprint last (Ctrl+P)</translation>
    </message>
    <message>
      <source>电量</source>
      <translation>Energy</translation>
    </message>
    <message>
      <source>金额</source>
      <translation>Amount</translation>
    </message>
    <message>
      <source>（另送免费电 {0} kWh）</source>
      <translation>(plus free {0} kWh)</translation>
    </message>
    <message>
      <source>请先放卡回车或输入房间号回车</source>
      <translation>Place the card and press Enter, or type the room code and press Enter</translation>
    </message>
    <message>
      <source>实收</source>
      <translation>Tendered</translation>
    </message>
    <message>
      <source>请先输入金额并回车</source>
      <translation>Enter the amount and press Enter first</translation>
    </message>
    <message>
      <source>实收少于应收 ￥{0}</source>
      <translation>Tendered is less than the ￥{0} due</translation>
    </message>
    <message>
      <source>正在写卡，请勿取卡…</source>
      <translation>Writing the card, do not remove it…</translation>
    </message>
    <message>
      <source>写卡未完成（编号 {0}）：客户在场请放回原卡后重新回车；客户已离开请到“异常”页处理。</source>
      <translation>Card write unfinished (no. {0}): if the customer is here, put the card back and press Enter again; if they left, handle it on the Exceptions page.</translation>
    </message>
    <message>
      <source>请填写放行原因</source>
      <translation>Enter the override reason</translation>
    </message>
    <message>
      <source>放行：上次购电未入表时再次售电</source>
      <translation>Override: sell again while the previous purchase is unloaded</translation>
    </message>
    <message>
      <source>已补打 {0}</source>
      <translation>Reprinted {0}</translation>
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
      <source>账户</source>
      <translation>Account</translation>
    </message>
    <message>
      <source>房间</source>
      <translation>Room</translation>
    </message>
    <message>
      <source>账户号</source>
      <translation>Account no.</translation>
    </message>
    <message>
      <source>户主</source>
      <translation>Holder</translation>
    </message>
    <message>
      <source>类别/状态</source>
      <translation>Class/status</translation>
    </message>
    <message>
      <source>电价</source>
      <translation>Price</translation>
    </message>
    <message>
      <source>上次返写</source>
      <translation>Last write-back</translation>
    </message>
    <message>
      <source>待领免费电</source>
      <translation>Free energy owed</translation>
    </message>
    <message>
      <source>卡</source>
      <translation>Card</translation>
    </message>
    <message>
      <source>{0} 元/kWh</source>
      <translation>{0} yuan/kWh</translation>
    </message>
    <message>
      <source>无返写记录</source>
      <translation>No write-back yet</translation>
    </message>
    <message>
      <source>时间未知</source>
      <translation>time unknown</translation>
    </message>
    <message>
      <source>剩余 {0} kWh，累计 {1} kWh（{2}）</source>
      <translation>remaining {0} kWh, consumed {1} kWh ({2})</translation>
    </message>
    <message>
      <source>；报警：{0}</source>
      <translation>; alarms: {0}</translation>
    </message>
    <message>
      <source>未读卡</source>
      <translation>not read</translation>
    </message>
    <message>
      <source>上次购电已入表</source>
      <translation>previous purchase loaded</translation>
    </message>
    <message>
      <source>上次购电未入表</source>
      <translation>previous purchase NOT loaded</translation>
    </message>
    <message>
      <source>{0}（第 {1} 次购电）{2}</source>
      <translation>{0} (purchase #{1}) {2}</translation>
    </message>
    <message>
      <source>类别待确认：请监督人先确认类别（账户页）</source>
      <translation>Class pending: a supervisor must confirm it first (Accounts page)</translation>
    </message>
    <message>
      <source>账户不可售电：{0}</source>
      <translation>No sales on this account: {0}</translation>
    </message>
    <message>
      <source>上次购电尚未输入电表，请先将卡插入电表</source>
      <translation>The previous purchase is not in the meter yet; insert the card into the meter first</translation>
    </message>
    <message>
      <source>售电成功 票号 {0}</source>
      <translation>Sold, receipt {0}</translation>
    </message>
    <message>
      <source>金额 ￥{0}</source>
      <translation>amount ￥{0}</translation>
    </message>
    <message>
      <source>电量 {0} kWh</source>
      <translation>energy {0} kWh</translation>
    </message>
    <message>
      <source>免费电 {0} kWh</source>
      <translation>free {0} kWh</translation>
    </message>
    <message>
      <source>带入未入表电量 {0} kWh</source>
      <translation>carried unloaded {0} kWh</translation>
    </message>
    <message>
      <source>找零 ￥{0}</source>
      <translation>change ￥{0}</translation>
    </message>
  </context>
  <context>
    <name>Settings</name>
    <message>
      <source>设置</source>
      <translation>Settings</translation>
    </message>
    <message>
      <source>参数</source>
      <translation>Settings</translation>
    </message>
    <message>
      <source>值（数字、true/false、JSON 列表或文字）</source>
      <translation>Value (number, true/false, JSON list or text)</translation>
    </message>
    <message>
      <source>读取</source>
      <translation>Read</translation>
    </message>
    <message>
      <source>保存</source>
      <translation>Save</translation>
    </message>
    <message>
      <source>参数名</source>
      <translation>Key</translation>
    </message>
    <message>
      <source>值</source>
      <translation>Value</translation>
    </message>
    <message>
      <source>营业员、监督人任命、电价、收费标准和设备端口暂用命令行维护：
counter-admin operator add 姓名 --role cashier
counter-admin supervisor appoint 姓名 --from 日期 --to 日期
counter-admin tariff set --class dorm --price-e4 5883 --from 时间 --basis 文件号</source>
      <translation>Operators, supervisor appointments, tariffs, fees and device ports are maintained on the command line for now:
counter-admin operator add NAME --role cashier
counter-admin supervisor appoint NAME --from DATE --to DATE
counter-admin tariff set --class dorm --price-e4 5883 --from TIME --basis DOCUMENT</translation>
    </message>
    <message>
      <source>已保存 {0}</source>
      <translation>Saved {0}</translation>
    </message>
    <message>
      <source>修改参数</source>
      <translation>Change setting</translation>
    </message>
  </context>
  <context>
    <name>Shift</name>
    <message>
      <source>按收费：{0}
按支付方式：{1}
票号 {2} — {3}，作废 {4} 张，免费电 {5} kWh</source>
      <translation>By charge: {0}
By tender: {1}
Receipts {2} — {3}, {4} voids, free energy {5} kWh</translation>
    </message>
    <message>
      <source>长款</source>
      <translation>over</translation>
    </message>
    <message>
      <source>短款</source>
      <translation>short</translation>
    </message>
    <message>
      <source>无差额</source>
      <translation>no difference</translation>
    </message>
    <message>
      <source>交账单 {0}：应有 ￥{1}，实点 ￥{2}，{3} ￥{4}{5}</source>
      <translation>Sheet {0}: expected ￥{1}, counted ￥{2}, {3} ￥{4}{5}</translation>
    </message>
    <message>
      <source>
PDF：{0}</source>
      <translation>
PDF: {0}</translation>
    </message>
    <message>
      <source>班次</source>
      <translation>Shift</translation>
    </message>
    <message>
      <source>中途自查（X 报表，不结班）</source>
      <translation>Mid-shift self-check (X report, shift stays open)</translation>
    </message>
    <message>
      <source>查看本班合计</source>
      <translation>Show shift totals</translation>
    </message>
    <message>
      <source>结班：先按面额清点现金（盲点，不显示应有金额）</source>
      <translation>Close: count the cash by denomination first (blind: the expected amount is not shown)</translation>
    </message>
    <message>
      <source>{0} 元</source>
      <translation>{0} yuan</translation>
    </message>
    <message>
      <source>差额原因（有长短款时填写）</source>
      <translation>Reason for a difference (over/short)</translation>
    </message>
    <message>
      <source>结班</source>
      <translation>Close shift</translation>
    </message>
    <message>
      <source>本人清点合计</source>
      <translation>Your count</translation>
    </message>
    <message>
      <source>差额原因</source>
      <translation>Difference reason</translation>
    </message>
    <message>
      <source>差额超过限额：请填写原因，再请监督人确认</source>
      <translation>Difference above the limit: enter a reason, then a supervisor approves</translation>
    </message>
    <message>
      <source>结班差额</source>
      <translation>Shift close difference</translation>
    </message>
  </context>
  <context>
    <name>Status</name>
    <message>
      <source>演示 / SIMULATED —— 模拟设备，不是真实售电</source>
      <translation>演示 / SIMULATED — simulated devices, not real sales</translation>
    </message>
    <message>
      <source>⏳ 正在处理，请稍候…</source>
      <translation>⏳ Working, please wait…</translation>
    </message>
    <message>
      <source>正常</source>
      <translation>OK</translation>
    </message>
    <message>
      <source>离线</source>
      <translation>offline</translation>
    </message>
    <message>
      <source>未知</source>
      <translation>unknown</translation>
    </message>
    <message>
      <source>缺纸</source>
      <translation>out of paper</translation>
    </message>
    <message>
      <source>读卡器：{0}</source>
      <translation>Reader: {0}</translation>
    </message>
    <message>
      <source>打印机：{0}</source>
      <translation>Printer: {0}</translation>
    </message>
    <message>
      <source>纸：{0}</source>
      <translation>Paper: {0}</translation>
    </message>
    <message>
      <source>端口：{0}</source>
      <translation>Port: {0}</translation>
    </message>
    <message>
      <source>待打印凭条 {0} 张</source>
      <translation>{0} receipts waiting to print</translation>
    </message>
  </context>
</TS>