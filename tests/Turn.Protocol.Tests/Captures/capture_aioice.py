#!/usr/bin/python3
"""Drives aioice's TURN client (UDP or TCP) against 127.0.0.1:PORT once, to capture its packets.

Allocates, sends a few datagrams to a local UDP echo peer through the relay (permission,
channel bind), receives the echoes, then closes (Refresh with lifetime 0). Bounded in time.
"""
import asyncio, sys
from aioice import turn

async def main(port, transport):
    loop = asyncio.get_running_loop()
    received = []

    class Echo(asyncio.DatagramProtocol):
        def connection_made(self, t): self.t = t
        def datagram_received(self, data, addr): self.t.sendto(data, addr)

    echo, _ = await loop.create_datagram_endpoint(Echo, local_addr=("127.0.0.1", 0))
    peer = echo.get_extra_info("sockname")

    class Client(asyncio.DatagramProtocol):
        def datagram_received(self, data, addr): received.append(data)

    t, _ = await asyncio.wait_for(turn.create_turn_endpoint(
        Client, server_addr=("127.0.0.1", port), username="u", password="p",
        lifetime=600, transport=transport), 10)
    print("relayed", t.get_extra_info("related_address"), t.get_extra_info("sockname"))
    for i in range(3):
        t.sendto(b"hello %d" % i, peer)
        await asyncio.sleep(0.3)
    print("echoes", len(received))
    t.close()
    await asyncio.sleep(0.5)
    echo.close()

asyncio.run(asyncio.wait_for(main(int(sys.argv[1]), sys.argv[2]), 20))
