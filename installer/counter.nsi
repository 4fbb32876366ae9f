; Windows installer of the cashier workstation (NSIS 3, Unicode).
;
;   makensis -DPAYLOAD=C:\build\dist\counter -DVERSION=0.1.0 -DOUTFILE=counter-setup-0.1.0.exe installer\counter.nsi
;
; PAYLOAD is the one-folder bundle made by scripts/build_bundle.sh ON WINDOWS (PyInstaller does not
; cross-build); CI compiles this script on Linux with the Linux bundle as a stand-in (tests/ship).
; -DFAST: no compression (CI only).
; -DCARDHOST=C:\build\dist\counter-cardhost adds the card host for vendor reader libraries (the
; 32-bit bundle of installer/cardhost.spec) to $INSTDIR\cardhost and starts it at every logon
; (docs/operations.md §6.1; UNVERIFIED on Windows).
;
; - Per-machine: Program Files, HKLM, Start-menu entry for all users; needs administrator rights.
; - Data and logs live in %ProgramData%\counter (the database counter.db, backups\, logs\): NEVER in
;   the install folder, so an upgrade or an uninstall cannot touch them.
; - Upgrade: the same fixed registry key and install folder; the old program files are replaced,
;   settings (in the database and in %ProgramData%) and the keys (Windows Credential Manager) stay.
; - The uninstaller removes the program files, shortcuts and registry entries and keeps the data.

Unicode true
!ifndef PAYLOAD
  !error "-DPAYLOAD=path\to\dist\counter is required"
!endif
!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef OUTFILE
  !define OUTFILE "counter-setup-${VERSION}.exe"
!endif
!ifdef FAST
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!define APPNAME "售电收费工作站"
!define APPKEY "CounterWorkstation"          ; fixed forever: upgrades find the installation by it
!define REGKEY "Software\${APPKEY}"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPKEY}"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
RequestExecutionLevel admin
InstallDir "$PROGRAMFILES64\${APPKEY}"
InstallDirRegKey HKLM "${REGKEY}" "InstallDir"
ShowInstDetails show

!include "MUI2.nsh"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  SetShellVarContext all
  SetRegView 64
  ; An installed version: upgrade in place (same folder), whatever the page says.
  ReadRegStr $0 HKLM "${REGKEY}" "InstallDir"
  StrCmp $0 "" +2 0
    StrCpy $INSTDIR $0
FunctionEnd

Section "Program" SecProgram
  SetShellVarContext all
  SetRegView 64
  ; The running program would keep its files locked.
  nsExec::Exec 'taskkill /IM counter-app.exe /T'
  nsExec::Exec 'taskkill /IM counter-cardhost.exe /T'
  ; Replace the previous program files entirely (stale DLLs of an older build must not linger);
  ; the data are not here.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${PAYLOAD}\*"

  ; Data and logs: %ProgramData%\counter (created, never removed by us).
  CreateDirectory "$APPDATA\counter"
  CreateDirectory "$APPDATA\counter\logs"
  CreateDirectory "$APPDATA\counter\backups"
  ; Least privilege (issue 12 §2; UNVERIFIED until run on Windows): the data folder (database,
  ; backups, logs) is readable and writable by SYSTEM and Administrators (full control) and by the
  ; local group CounterOperators (modify), never by BUILTIN\Users. Inheritance from ProgramData
  ; (which lets every user read) is cut. IT adds the Windows accounts that run counter-app to
  ; CounterOperators (`net localgroup CounterOperators <account> /add`). SIDs, not names, so a
  ; Chinese Windows resolves them: S-1-5-18 SYSTEM, S-1-5-32-544 Administrators, S-1-5-32-545 Users.
  nsExec::Exec 'net localgroup CounterOperators /add /comment:"counter-app: the data folder"'
  nsExec::Exec 'icacls "$APPDATA\counter" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F CounterOperators:(OI)(CI)M /T'
  nsExec::Exec 'icacls "$APPDATA\counter" /remove:g *S-1-5-32-545 /T'

  CreateShortCut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\counter-app.exe" "" "$INSTDIR\counter-app.exe" 0
  WriteRegStr HKLM "${REGKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${REGKEY}" "Version" "${VERSION}"
  WriteRegStr HKLM "${REGKEY}" "DataDir" "$APPDATA\counter"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "能源管理中心"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
  WriteUninstaller "$INSTDIR\uninstall.exe"
SectionEnd

!ifdef CARDHOST
; The card host (32-bit): the administrator copies the reader vendor's mwic_32.dll (and whatever DLLs
; it needs) into $INSTDIR\cardhost; an upgrade replaces only our files, never the vendor's DLL.
; Started by a Startup-folder shortcut for all users, windowless, logging to the data folder; the
; app reaches it at socket://127.0.0.1:4442 (COUNTER_READER_URL). Another reader port: edit the
; shortcut's --device-port.
Section "Card host" SecCardHost
  SetShellVarContext all
  SetRegView 64
  RMDir /r "$INSTDIR\cardhost\_internal"
  SetOutPath "$INSTDIR\cardhost"
  File /r "${CARDHOST}\*"
  CreateShortCut "$SMSTARTUP\counter-cardhost.lnk" "$INSTDIR\cardhost\counter-cardhost.exe" \
    '--lib "$INSTDIR\cardhost\mwic_32.dll" --port 4442 --device-port COM1 --log-file "$APPDATA\counter\logs\cardhost.log"'
SectionEnd
!endif

Section "Uninstall"
  SetShellVarContext all
  SetRegView 64
  nsExec::Exec 'taskkill /IM counter-app.exe /T'
  nsExec::Exec 'taskkill /IM counter-cardhost.exe /T'
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$SMSTARTUP\counter-cardhost.lnk"
  RMDir /r "$INSTDIR\cardhost"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\counter-app.exe"
  Delete "$INSTDIR\counter-admin.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTKEY}"
  DeleteRegKey HKLM "${REGKEY}"
  ; $APPDATA\counter (database, backups, logs) is KEPT on purpose: money records are never
  ; deleted by an uninstaller. An administrator removes it by hand after a verified backup.
  DetailPrint "数据保留在 / data kept in $APPDATA\counter"
SectionEnd
