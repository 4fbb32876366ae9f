"""`python -m hardware.cardhost --lib PATH --port N [--device-port COM1] [--baud 9600]`
(frozen: `counter-cardhost.exe …`). Prints the URL the app opens once it listens, then serves
until interrupted."""

from __future__ import annotations

import argparse
import logging
import sys

from hardware.cardhost.library import MwicLibrary, device_port_number
from hardware.cardhost.reader import HostedReader
from hardware.cardhost.server import CardHostServer

log = logging.getLogger("hardware.cardhost")

DEFAULT_PORT = 4442


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="counter-cardhost", description="Serve a vendor card reader library to the counter app."
    )
    parser.add_argument("--lib", required=True, help="the reader library, e.g. C:\\Reader\\mwic_32.dll")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="TCP port on 127.0.0.1 (0 = any free one)"
    )
    parser.add_argument(
        "--device-port", default="COM1", help="the reader's port for ic_init: COM1, COM2, …, USB"
    )
    parser.add_argument("--baud", type=int, default=9600, help="the reader's baud rate for ic_init")
    parser.add_argument(
        "--counter-form",
        choices=["bits", "count"],
        default="bits",
        help="how the library's rsct_4442 reports the PSC counter (docs/hardware.md §6)",
    )
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--log-file", help="append the log here (the windowless .exe has no console)")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        filename=args.log_file,
        encoding="utf-8",
    )
    try:
        port = device_port_number(args.device_port)
        library = MwicLibrary(args.lib, port=port, baud=args.baud, counter_form=args.counter_form)
    except (OSError, AttributeError, ValueError) as exc:
        # OSError: the file is missing or of the wrong bitness; AttributeError: a function is missing.
        log.error("cannot use %s: %s", args.lib, exc)
        print(f"counter-cardhost: cannot use {args.lib}: {exc}", file=sys.stderr)
        return 2
    try:
        server = CardHostServer(HostedReader(library), port=args.port)
    except OSError as exc:  # the port is taken: most likely a host is already running
        log.error("cannot listen on 127.0.0.1:%d: %s", args.port, exc)
        print(f"counter-cardhost: cannot listen on 127.0.0.1:{args.port}: {exc}", file=sys.stderr)
        return 3
    log.info("serving %s (%s) on %s", args.lib, args.device_port, server.url)
    # print() is a no-op where there is no stdout (the windowless .exe).
    print(f"counter-cardhost: listening on {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
