#!/usr/bin/env python3
"""tcp_proxy.py - the link between a depot and the hub in the link tests: a
TCP proxy owned by the test, one process and one thread, so that killing it
cuts every connection (a link down) and SIGSTOP freezes them all (a link
that hangs: connections stay open and nothing moves).

usage: tcp_proxy.py LISTEN_PORT TARGET_PORT PORT_FILE
  LISTEN_PORT 0 picks a free loopback port; the port listened on is written
  to PORT_FILE once listening (start it again with that port after a cut).
"""
import os
import selectors
import socket
import sys


def main():
    listen_port, target_port, port_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    sel = selectors.DefaultSelector()
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", listen_port))
    srv.listen(64)
    sel.register(srv, selectors.EVENT_READ, None)
    with open(port_file + ".tmp", "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(port_file + ".tmp", port_file)
    peer = {}
    while True:
        for key, _ in sel.select():
            s = key.fileobj
            if s is srv:
                a, _ = srv.accept()
                b = socket.socket()
                try:
                    b.connect(("127.0.0.1", target_port))
                except OSError:
                    a.close()
                    continue
                peer[a], peer[b] = b, a
                sel.register(a, selectors.EVENT_READ, None)
                sel.register(b, selectors.EVENT_READ, None)
                continue
            if s not in peer:
                continue
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            other = peer[s]
            if data:
                try:
                    other.sendall(data)
                    continue
                except OSError:
                    pass
            for x in (s, other):
                sel.unregister(x)
                peer.pop(x, None)
                x.close()


if __name__ == "__main__":
    main()
