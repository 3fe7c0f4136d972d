#!/usr/bin/python3
"""Logging UDP+TCP proxy used once to capture real clients' packets as test data.

Listens on 127.0.0.1:LISTEN (UDP and TCP), forwards to a TURN server on 127.0.0.1:TARGET,
and appends one line per datagram / TCP read to LOG: "<proto> <c2s|s2c> <hex>".
Stops by itself after --seconds. Not used by the tests; kept so the captures can be redone.
"""
import argparse, asyncio, binascii

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", type=int, required=True)
    ap.add_argument("--target", type=int, required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--seconds", type=int, default=120)
    args = ap.parse_args()
    log = open(args.log, "a", buffering=1)

    def record(proto, direction, data):
        log.write(f"{proto} {direction} {binascii.hexlify(data).decode()}\n")

    class Upstream(asyncio.DatagramProtocol):
        def __init__(self, downstream, client):
            self.downstream, self.client = downstream, client
        def connection_made(self, transport):
            self.transport = transport
        def datagram_received(self, data, addr):
            record("udp", "s2c", data)
            self.downstream.sendto(data, self.client)

    class Downstream(asyncio.DatagramProtocol):
        def __init__(self):
            self.upstreams = {}
        def connection_made(self, transport):
            self.transport = transport
        def datagram_received(self, data, addr):
            record("udp", "c2s", data)
            asyncio.ensure_future(self.forward(data, addr))
        async def forward(self, data, addr):
            if addr not in self.upstreams:
                loop = asyncio.get_running_loop()
                t, _ = await loop.create_datagram_endpoint(lambda: Upstream(self.transport, addr),
                                                           remote_addr=("127.0.0.1", args.target))
                self.upstreams[addr] = t
            self.upstreams[addr].sendto(data)

    async def pipe(reader, writer, direction):
        try:
            while data := await reader.read(65536):
                record("tcp", direction, data)
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def on_tcp(client_reader, client_writer):
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", args.target)
        await asyncio.gather(pipe(client_reader, server_writer, "c2s"), pipe(server_reader, client_writer, "s2c"))

    async def run():
        loop = asyncio.get_running_loop()
        await loop.create_datagram_endpoint(Downstream, local_addr=("127.0.0.1", args.listen))
        server = await asyncio.start_server(on_tcp, "127.0.0.1", args.listen)
        async with server:
            await asyncio.sleep(args.seconds)

    asyncio.run(run())

if __name__ == "__main__":
    main()
