#!/usr/bin/python3
"""Legitimate TURN client cycles (aioice) while a flood runs; prints one JSON object.

Used by LegitimateCycles.cs. Each cycle is what a real client does: open a socket, Allocate (401,
then with credentials), Refresh, delete (Refresh with LIFETIME 0), close. Cycles run one after
another until --duration seconds have passed or --max-cycles ran; each is bounded by
--cycle-timeout, and a cycle that fails or times out counts as failed.
"""

import argparse
import asyncio
import json
import sys
import time

from aioice import stun, turn


async def one_cycle(args):
    loop = asyncio.get_running_loop()
    server = (args.host, args.port)
    transport, client = await loop.create_datagram_endpoint(
        lambda: turn.TurnClientUdpProtocol(server, username=args.user, password=args.password,
                                           lifetime=600, channel_refresh_time=turn.DEFAULT_CHANNEL_REFRESH_TIME),
        remote_addr=server)
    try:
        request = stun.Message(message_method=stun.Method.ALLOCATE, message_class=stun.Class.REQUEST)
        request.attributes["LIFETIME"] = 600
        request.attributes["REQUESTED-TRANSPORT"] = turn.UDP_TRANSPORT
        await client.request_with_retry(request)
        for lifetime in (600, 0):
            refresh = stun.Message(message_method=stun.Method.REFRESH, message_class=stun.Class.REQUEST)
            refresh.attributes["LIFETIME"] = lifetime
            await client.request_with_retry(refresh)
    finally:
        transport.close()


async def main(args):
    result = {"attempted": 0, "succeeded": 0, "latencies_ms": [], "errors": {}}
    end = time.monotonic() + args.duration
    while time.monotonic() < end and result["attempted"] < args.max_cycles:
        result["attempted"] += 1
        started = time.monotonic()
        try:
            await asyncio.wait_for(one_cycle(args), args.cycle_timeout)
            result["succeeded"] += 1
            result["latencies_ms"].append(round((time.monotonic() - started) * 1000, 2))
        except (asyncio.TimeoutError, stun.TransactionError, OSError, ValueError, KeyError) as exception:
            name = type(exception).__name__
            response = getattr(exception, "response", None)
            if response is not None and "ERROR-CODE" in response.attributes:
                name += " %d" % response.attributes["ERROR-CODE"][0]
            result["errors"][name] = result["errors"].get(name, 0) + 1
        if args.pause > 0:
            await asyncio.sleep(args.pause)
    print(json.dumps(result), flush=True)
    return 0


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--max-cycles", type=int, default=1000)
    parser.add_argument("--cycle-timeout", type=float, default=3.0)
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between cycles")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args(sys.argv[1:]))))
