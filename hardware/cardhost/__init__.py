"""The card host: a small program (standard library only, no Qt) that loads a vendor reader
library through ctypes and serves the reference reader protocol on 127.0.0.1:PORT.

It exists because the vendor libraries (Mingwah `mwic_32.dll` and compatibles) are 32-bit Windows
DLLs and the app is 64-bit: the host runs as its own 32-bit process and the app reaches it with
its ordinary serial driver at `socket://127.0.0.1:PORT`. See docs/hardware.md §6.
"""
