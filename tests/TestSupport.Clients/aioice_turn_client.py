#!/usr/bin/python3
"""Drives aioice's TURN client (aioice.turn) against a TURN server and prints one JSON object.

Used by AioiceTurnClient.cs; runs with Debian's /usr/bin/python3 and python3-aioice.

Modes:
  relay      Allocate, CreatePermission for the echo peer, send a Send indication and receive the
             echo as a Data indication, bind a channel and exchange ChannelData with the peer,
             Refresh, then delete (Refresh with LIFETIME 0) and check the allocation is gone.
  forbidden  Allocate, then try CreatePermission and ChannelBind to each --peer and report the
             response (0 = success, else the STUN error code).
  hold       Allocate, CreatePermission, then keep the allocation open for up to --hold seconds:
             every --interval send a ChannelData message of --payload-size bytes to the echo peer
             (counting bytes sent and echoed), and every --refresh-interval send a Refresh. Stops
             early when a Refresh fails (its error code is reported: 437 after the server ended the
             allocation) or when --stop-file appears; then deletes the allocation if it still exists.
             Prints "holding" on stderr once the allocation is up.

Transports: udp, tcp, and tls (TCP with TLS, verifying the server against --ca-file).
Every step is bounded by --timeout; on failure the JSON says which step failed and why.
"""

import argparse
import asyncio
import json
import ssl
import struct
import sys

from aioice import stun, turn

# Attributes aioice does not know; registering them lets it encode and decode them.
EXTRA_ATTRIBUTES = [
    (0x0013, "DATA", stun.pack_bytes, stun.unpack_bytes),
    (0x0017, "REQUESTED-ADDRESS-FAMILY", lambda v: struct.pack("!B3x", v), lambda d: d[0]),
]
for entry in EXTRA_ATTRIBUTES:
    if entry[0] not in stun.ATTRIBUTES_BY_TYPE:
        stun.ATTRIBUTES_BY_TYPE[entry[0]] = entry
        stun.ATTRIBUTES_BY_NAME[entry[1]] = entry

ADDRESS_FAMILIES = {"ipv4": 0x01, "ipv6": 0x02}


class Receiver:
    """Collects what the relay delivers (ChannelData and Data indications) per peer."""

    def __init__(self):
        self.queue = asyncio.Queue()

    def connection_made(self, transport):
        pass

    def connection_lost(self, exc):
        pass

    def datagram_received(self, data, addr):
        self.queue.put_nowait((bytes(data), addr))


class DataIndicationMixin:
    """aioice only delivers ChannelData; also deliver Data indications (RFC 8656 section 11.6)."""

    def datagram_received(self, data, addr):
        if len(data) >= 20 and not turn.is_channel_data(data):
            try:
                message = stun.parse_message(data)
            except ValueError:
                message = None
            if (
                message is not None
                and message.message_method == stun.Method.DATA
                and message.message_class == stun.Class.INDICATION
                and self.receiver is not None
            ):
                self.receiver.datagram_received(
                    message.attributes.get("DATA", b""),
                    message.attributes.get("XOR-PEER-ADDRESS"),
                )
                return
        super().datagram_received(data, addr)


class UdpClient(DataIndicationMixin, turn.TurnClientUdpProtocol):
    pass


class TcpClient(DataIndicationMixin, turn.TurnClientTcpProtocol):
    pass


async def open_client(args):
    loop = asyncio.get_running_loop()
    server = (args.host, args.port)
    kwargs = dict(username=args.user, password=args.password, lifetime=args.lifetime,
                  channel_refresh_time=turn.DEFAULT_CHANNEL_REFRESH_TIME)
    if args.transport in ("tcp", "tls"):
        context = None
        if args.transport == "tls":
            # Full verification (chain and host name) against the given CA file only.
            context = ssl.create_default_context(cafile=args.ca_file)
        transport, client = await loop.create_connection(
            lambda: TcpClient(server, **kwargs), host=args.host, port=args.port, ssl=context)
    else:
        transport, client = await loop.create_datagram_endpoint(
            lambda: UdpClient(server, **kwargs), remote_addr=server)
    client.receiver = Receiver()
    return transport, client


def error_code(exception):
    response = getattr(exception, "response", None)
    if response is not None and "ERROR-CODE" in response.attributes:
        return response.attributes["ERROR-CODE"][0]
    return -1


async def allocate(client, family):
    """Allocate as aioice's connect() does, optionally asking for an address family."""
    request = stun.Message(message_method=stun.Method.ALLOCATE, message_class=stun.Class.REQUEST)
    request.attributes["LIFETIME"] = client.lifetime
    request.attributes["REQUESTED-TRANSPORT"] = turn.UDP_TRANSPORT
    if family is not None:
        request.attributes["REQUESTED-ADDRESS-FAMILY"] = ADDRESS_FAMILIES[family]
    response, _ = await client.request_with_retry(request)
    client.relayed_address = response.attributes["XOR-RELAYED-ADDRESS"]
    return response


async def create_permission(client, peer):
    request = stun.Message(message_method=stun.Method.CREATE_PERMISSION, message_class=stun.Class.REQUEST)
    request.attributes["XOR-PEER-ADDRESS"] = peer
    await client.request_with_retry(request)


async def refresh(client, lifetime):
    request = stun.Message(message_method=stun.Method.REFRESH, message_class=stun.Class.REQUEST)
    request.attributes["LIFETIME"] = lifetime
    response, _ = await client.request_with_retry(request)
    return response.attributes.get("LIFETIME")


async def receive_from(receiver, peer, timeout):
    data, addr = await asyncio.wait_for(receiver.queue.get(), timeout)
    return data, (tuple(addr) if addr is not None else None)


async def relay_mode(args, result):
    transport, client = await open_client(args)
    try:
        result["step"] = "allocate"
        response = await allocate(client, args.family)
        result["relayed_address"] = list(client.relayed_address)
        result["mapped_address"] = list(response.attributes["XOR-MAPPED-ADDRESS"]) if "XOR-MAPPED-ADDRESS" in response.attributes else None
        result["lifetime"] = response.attributes.get("LIFETIME")
        result["realm"] = client.realm

        peer = (args.peer_host, args.peer_port)
        result["step"] = "create_permission"
        await create_permission(client, peer)
        result["permission_created"] = True

        result["step"] = "send_indication"
        payload = b"aioice send indication"
        indication = stun.Message(message_method=stun.Method.SEND, message_class=stun.Class.INDICATION)
        indication.attributes["XOR-PEER-ADDRESS"] = peer
        indication.attributes["DATA"] = payload
        client.send_stun(indication, client.server)
        data, source = await receive_from(client.receiver, peer, args.step_timeout)
        result["data_indication_echoed"] = data == payload
        result["data_indication_source"] = list(source) if source else None

        result["step"] = "channel_data"
        echoed = 0
        for i in range(args.count):
            message = ("aioice channel message %d" % i).encode()
            await client.send_data(message, peer)
            data, _ = await receive_from(client.receiver, peer, args.step_timeout)
            if data == message:
                echoed += 1
        result["channel_messages_sent"] = args.count
        result["channel_messages_echoed"] = echoed
        result["channel_number"] = client.peer_to_channel.get(peer)

        result["step"] = "refresh"
        result["refresh_lifetime"] = await refresh(client, args.lifetime)

        result["step"] = "delete"
        result["delete_lifetime"] = await refresh(client, 0)
        result["deleted"] = True

        # The allocation is gone: a further Refresh must fail with 437 Allocation Mismatch.
        result["step"] = "refresh_after_delete"
        try:
            await refresh(client, args.lifetime)
            result["refresh_after_delete_error"] = 0
        except stun.TransactionFailed as exception:
            result["refresh_after_delete_error"] = error_code(exception)
        result["step"] = "done"
        result["ok"] = True
    finally:
        transport.close()


async def forbidden_mode(args, result):
    transport, client = await open_client(args)
    try:
        result["step"] = "allocate"
        await allocate(client, args.family)
        result["relayed_address"] = list(client.relayed_address)
        result["realm"] = client.realm
        outcomes = []
        channel = 0x4000
        for host in args.peer:
            peer = (host, args.peer_port)
            outcome = {"peer": host}
            try:
                await create_permission(client, peer)
                outcome["create_permission"] = 0
            except stun.TransactionFailed as exception:
                outcome["create_permission"] = error_code(exception)
            try:
                await client.channel_bind(channel, peer)
                outcome["channel_bind"] = 0
            except stun.TransactionFailed as exception:
                outcome["channel_bind"] = error_code(exception)
            channel += 1
            outcomes.append(outcome)
        result["peers"] = outcomes
        result["step"] = "done"
        result["ok"] = True
        try:
            await refresh(client, 0)
        except stun.TransactionError:
            pass  # cleanup only; the server expires the allocation anyway
    finally:
        transport.close()


async def count_echoes(client, peer, seconds, result):
    """Counts what the peer echoes back for `seconds`."""
    end = asyncio.get_running_loop().time() + seconds
    while True:
        remaining = end - asyncio.get_running_loop().time()
        if remaining <= 0:
            return
        try:
            data, _ = await receive_from(client.receiver, peer, remaining)
        except asyncio.TimeoutError:
            return
        result["messages_echoed"] += 1
        result["bytes_received"] += len(data)


async def hold_mode(args, result):
    import os
    transport, client = await open_client(args)
    try:
        result["step"] = "allocate"
        await allocate(client, args.family)
        result["relayed_address"] = list(client.relayed_address)
        result["realm"] = client.realm
        peer = (args.peer_host, args.peer_port)
        result["step"] = "create_permission"
        await create_permission(client, peer)
        print("holding", file=sys.stderr, flush=True)

        result["step"] = "hold"
        counts = {"bytes_sent": 0, "bytes_received": 0, "messages_sent": 0, "messages_echoed": 0, "refreshes": 0}
        result.update(counts)
        refresh_error = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + args.hold
        next_refresh = loop.time() + args.refresh_interval
        sequence = 0
        while loop.time() < deadline:
            if args.stop_file and os.path.exists(args.stop_file):
                result["stopped_by_file"] = True
                break
            if loop.time() >= next_refresh:
                next_refresh = loop.time() + args.refresh_interval
                try:
                    await refresh(client, args.lifetime)
                    result["refreshes"] += 1
                except stun.TransactionFailed as exception:
                    refresh_error = error_code(exception)
                    break
            if refresh_error == 0:
                message = (b"%08d" % sequence) + b"x" * max(0, args.payload_size - 8)
                sequence += 1
                await client.send_data(message, peer)
                result["messages_sent"] += 1
                result["bytes_sent"] += len(message)
                # Count echoes without waiting long: after the server ends the allocation nothing comes back.
                await count_echoes(client, peer, args.interval, result)
        result["refresh_error"] = refresh_error
        if refresh_error == 0:
            # Collect echoes still in flight, then delete so the server's final counts are settled.
            await count_echoes(client, peer, 0.5, result)
            result["step"] = "delete"
            await refresh(client, 0)
            result["deleted"] = True
        result["step"] = "done"
        result["ok"] = True
    finally:
        transport.close()


async def main(args):
    result = {"ok": False, "mode": args.mode, "transport": args.transport, "step": "connect"}
    try:
        modes = {"relay": relay_mode, "forbidden": forbidden_mode, "hold": hold_mode}
        work = modes[args.mode](args, result)
        await asyncio.wait_for(work, args.timeout)
    except stun.TransactionFailed as exception:
        result["error"] = str(exception)
        result["error_code"] = error_code(exception)
    except (asyncio.TimeoutError, stun.TransactionTimeout):
        result["error"] = "timed out during step '%s'" % result["step"]
    except (OSError, ValueError, KeyError, ssl.SSLError) as exception:
        result["error"] = "%s: %s" % (type(exception).__name__, exception)
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["relay", "forbidden", "hold"], default="relay")
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--transport", choices=["udp", "tcp", "tls"], default="udp")
    parser.add_argument("--ca-file", default=None, help="tls: the CA (or self-signed certificate) to verify the server with")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--family", choices=["ipv4", "ipv6"], default=None,
                        help="send REQUESTED-ADDRESS-FAMILY (default: none, the server picks IPv4)")
    parser.add_argument("--peer-host", default="127.0.0.1")
    parser.add_argument("--peer-port", type=int, default=3480)
    parser.add_argument("--peer", action="append", default=[], help="forbidden mode: a peer address to try (repeat)")
    parser.add_argument("--count", type=int, default=5, help="ChannelData messages to exchange")
    parser.add_argument("--lifetime", type=int, default=600)
    parser.add_argument("--step-timeout", type=float, default=5.0)
    parser.add_argument("--hold", type=float, default=20.0, help="hold mode: longest time to keep the allocation")
    parser.add_argument("--interval", type=float, default=0.2, help="hold mode: seconds between ChannelData messages")
    parser.add_argument("--payload-size", type=int, default=200, help="hold mode: bytes per ChannelData message (at least 8)")
    parser.add_argument("--refresh-interval", type=float, default=1.0, help="hold mode: seconds between Refresh requests")
    parser.add_argument("--stop-file", default=None, help="hold mode: stop (and delete the allocation) once this file exists")
    parser.add_argument("--timeout", type=float, default=30.0)
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args(sys.argv[1:]))))
