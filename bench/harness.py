#!/usr/bin/env python3
"""Side-by-side TURN relay benchmark: Turnstone against coturn, driven by turnutils_uclient.

Run it through bench/run.sh (which builds the relay host first). Every server run starts a fresh
server on a fresh port, drives it with the same turnutils_uclient command line against one
turnutils_peer echo peer, and stops it again. Runs of the two servers alternate. Figures come from
uclient's once-a-second counters inside the window where every allocation sends, and from /proc
(server CPU time, memory, file descriptors; machine-wide steal and load). See docs/PERFORMANCE.md.
"""

import argparse
import csv
import json
import math
import os
import platform
import queue
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

HOST = "127.0.0.1"
USER, PASSWORD, REALM = "bench", "benchpass", "bench.local"
LISTEN_BASE, LISTEN_SLOTS, LISTEN_STEP = 47000, 220, 4   # 47000-47879: a fresh port per server run
PEER_PORT = 47990
RELAY_MIN, RELAY_MAX = 50000, 54999                       # the same 5,000-port range for both servers
FIXED_RATE = 10_000                                       # client messages/s offered in figure 1
CLK_TCK = os.sysconf("SC_CLK_TCK")

# uclient sets each client's first send to "connect done + 1 s + random(0..5 s)", so every
# allocation sends from 6 s after the "Total connect time" line until the earliest finisher,
# 1 s + n*z ms after it. Samples just inside those bounds make the measuring window.
ALL_SENDING_AFTER = 6.0
EDGE = 0.3

STATS_RE = re.compile(r"start_mclient: msz=(\d+), tot_send_msgs=(\d+), tot_recv_msgs=(\d+)")
CONNECT_RE = re.compile(r"Total connect time is (\d+)")
FINAL_RE = re.compile(r"start_mclient: tot_send_msgs=(\d+), tot_recv_msgs=(\d+)")
LOST_RE = re.compile(r"Total lost packets (\d+) \(([\d.]+)%\)")
TOTALS_RE = re.compile(r"Relay totals: to_peer=(\d+) dropped_to_peer=(\d+) to_client=(\d+) dropped_to_client=(\d+)")
RTT_RE = re.compile(r"Average round trip delay ([\d.]+) ms; min = (\d+) ms, max = (\d+) ms")


# ---- /proc readers ---------------------------------------------------------------------------

def proc_cpu_seconds(pid):
    """utime + stime of a process (all its threads), in seconds; None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def proc_status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM", "Threads"):
                    out[key] = int(value.split()[0])
    except FileNotFoundError:
        pass
    return out


def fd_count(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except FileNotFoundError:
        return 0


def machine_cpu():
    """Jiffies from the aggregate cpu line of /proc/stat: (busy, steal, total)."""
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (parts + [0] * 8)[:8]
    busy = user + nice + system + irq + softirq
    return busy, steal, busy + idle + iowait + steal


def load1():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def udp_sockets(server_port, drops=None):
    """UDP sockets on 127.0.0.1 in the relay range: {inode: drops}, and the drops of the listener.
    With a `drops` dict, also sums the drops of the echo peer's socket and of uclient's sockets
    (connected to the server's port), so a loss can be placed: server, peer or client."""
    relay, listener_drops = {}, 0
    server_remote = f"0100007F:{server_port:04X}"
    with open("/proc/net/udp") as f:
        next(f)
        for line in f:
            cols = line.split()
            address, _, port = cols[1].partition(":")
            if address != "0100007F":
                continue
            port = int(port, 16)
            if drops is not None:
                if port == PEER_PORT:
                    drops["peer"] = drops.get("peer", 0) + int(cols[12])
                elif cols[2] == server_remote:
                    drops["client"] = drops.get("client", 0) + int(cols[12])
            # Relay sockets are unconnected; uclient's own (ephemeral, maybe in the range) are connected.
            if RELAY_MIN <= port <= RELAY_MAX and cols[2] == "00000000:0000":
                relay[cols[9]] = int(cols[12])
            elif port == server_port:
                listener_drops += int(cols[12])
    return relay, listener_drops


def port_free(port):
    """True when nothing holds the slot's ports on 127.0.0.1 for UDP or TCP (an ephemeral client
    port may): the listen port and the ones after it in its slot (`turnstone serve` puts its HTTP
    listener at port + 1 and its metrics listener at port + 2)."""
    for p in range(port, port + LISTEN_STEP):
        for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            s = socket.socket(socket.AF_INET, kind)
            try:
                s.bind((HOST, p))
            except OSError:
                return False
            finally:
                s.close()
    return True


def port_ready(port):
    """True when something listens on 127.0.0.1:port over both UDP and TCP."""
    hexport = f"0100007F:{port:04X}"

    def has(path, state=None):
        with open(path) as f:
            for line in f.readlines()[1:]:
                cols = line.split()
                if cols[1] == hexport and (state is None or cols[3] == state):
                    return True
        return False

    return has("/proc/net/udp") and has("/proc/net/tcp", "0A")


# ---- Sampling --------------------------------------------------------------------------------

@dataclass
class Sample:
    t: float
    sent: int
    recv: int
    server_cpu: float
    client_cpu: float
    peer_cpu: float
    busy: int
    steal: int
    total: int
    udp_drops: int = 0
    peer_drops: int = 0
    client_drops: int = 0


class Context:
    """The processes whose CPU a sample reads."""

    def __init__(self, server, peer):
        self.server = server
        self.peer = peer

    def sample(self, client_pid, sent=0, recv=0):
        busy, steal, total = machine_cpu()
        others = {}
        relay, listener = udp_sockets(self.server.port, others)
        return Sample(time.monotonic(), sent, recv,
                      proc_cpu_seconds(self.server.pid) or 0.0,
                      (proc_cpu_seconds(client_pid) or 0.0) if client_pid else 0.0,
                      proc_cpu_seconds(self.peer.pid) or 0.0,
                      busy, steal, total, sum(relay.values()) + listener,
                      others.get("peer", 0), others.get("client", 0))


def window_figures(a, b):
    """Figures between two samples: rates, server CPU, and what else used the machine."""
    dt = b.t - a.t
    sent, recv = b.sent - a.sent, b.recv - a.recv
    cpu = b.server_cpu - a.server_cpu
    jiffies = max(1, b.total - a.total)
    ncpu = os.cpu_count() or 1
    machine_busy_cores = (b.busy - a.busy) / jiffies * ncpu
    ours = (cpu + (b.client_cpu - a.client_cpu) + (b.peer_cpu - a.peer_cpu)) / dt
    return {
        "window_s": round(dt, 2),
        "sent_per_s": sent / dt,
        "echoes_per_s": recv / dt,
        "loss_pct": max(0.0, (sent - recv) / sent * 100) if sent else float("nan"),
        "server_cpu_pct": cpu / dt * 100,
        "cpu_us_per_msg": cpu * 1e6 / (sent + recv) if sent + recv else float("nan"),
        "steal_pct": (b.steal - a.steal) / jiffies * 100,
        "others_cpu_pct": max(0.0, machine_busy_cores - ours) * 100,
        # Datagrams the kernel dropped at the server's UDP sockets (full receive buffers).
        "kernel_udp_drops": b.udp_drops - a.udp_drops,
        "peer_udp_drops": b.peer_drops - a.peer_drops,
        "client_udp_drops": b.client_drops - a.client_drops,
    }


# ---- Processes -------------------------------------------------------------------------------

def stop_process(proc, grace=10.0):
    if proc is None or proc.poll() is not None:
        return
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


class Server:
    name = ""
    label = ""

    def __init__(self, workdir):
        self.workdir = workdir
        self.proc = None
        self.port = None
        self.log_path = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def command(self, port, run_dir):
        raise NotImplementedError

    def environment(self):
        return dict(os.environ)

    def start(self, port, run_dir, timeout=30.0):
        self.port = port
        os.makedirs(run_dir, exist_ok=True)
        self.log_path = os.path.join(run_dir, f"{self.name}.log")
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.command(port, run_dir), stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=run_dir, env=self.environment())
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode} at start; see {self.log_path}")
            if port_ready(port):
                time.sleep(0.5)  # let the listener threads settle before the clock starts
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} did not listen on {HOST}:{port} within {timeout:.0f} s; see {self.log_path}")

    def stop(self):
        stop_process(self.proc)
        self.proc = None

    def totals(self):
        """Server-side relay counters written at exit, where the server has them."""
        return {}


class TurnstoneServer(Server):
    name = "turnstone"
    label = "Turnstone (relay-only host)"

    def __init__(self, workdir, binary, extra_env=None, name=None, label=None):
        super().__init__(workdir)
        self.binary = binary
        self.extra_env = extra_env or {}
        # A second build of the same host (--turnstone-b: e.g. ReadyToRun against JIT) runs under its own name.
        if name:
            self.name, self.label = name, label or name

    def command(self, port, run_dir):
        return [self.binary,
                f"--Relay:Port={port}", "--Relay:TlsPort=0",
                f"--Relay:ListenAddresses:0={HOST}", f"--Relay:RelayAddress={HOST}",
                f"--Relay:MinPort={RELAY_MIN}", f"--Relay:MaxPort={RELAY_MAX}",
                "--Relay:AllowLoopbackPeers=true", "--Relay:LinuxFastPath=true",
                # Every benchmark client connects from 127.0.0.1: lift the per-address TCP/TLS cap (default 32).
                "--Relay:MaxStreamConnectionsPerAddress=100000",
                # One user drives every allocation, as with coturn (whose user-quota defaults to 0).
                "--Relay:UserQuota=0",
                f"--Relay:DefaultRealm={REALM}", f"--Relay:Users:0={USER}:{PASSWORD}",
                # Every benchmark client shares 127.0.0.1: no per-source request limits (coturn has none by default).
                "--Relay:UnauthenticatedAnswersPerSecond=0", "--Relay:RequestsPerSecondPerSource=0", "--Relay:UnauthenticatedAnswersPerPrefixPerSecond=0",
                "--Relay:MaxRequestsInFlightPerSource=0", "--Relay:MaxRequestsInFlightPerPrefix=0",
                # Its default production logging (Information) to a file, as coturn's below.
                "--Logging:Console:FormatterName=simple"]

    def environment(self):
        env = dict(os.environ)
        env.setdefault("DOTNET_ENVIRONMENT", "Production")
        env.update(self.extra_env)
        return env

    def totals(self):
        if not self.log_path or not os.path.exists(self.log_path):
            return {}
        with open(self.log_path, errors="replace") as f:
            m = TOTALS_RE.search(f.read())
        if not m:
            return {}
        return {"server_to_peer": int(m.group(1)), "server_dropped_to_peer": int(m.group(2)),
                "server_to_client": int(m.group(3)), "server_dropped_to_client": int(m.group(4))}


class ServeServer(TurnstoneServer):
    """The normal co-hosted process: `turnstone serve` (relay + portal + API) with PostgreSQL."""
    name = "turnstone-serve"
    label = "Turnstone (turnstone serve, PostgreSQL)"

    def __init__(self, workdir, binary, connection_string, extra_env=None):
        super().__init__(workdir, binary, extra_env)
        self.connection_string = connection_string
        self.prepared = False

    def cli(self, *verb):
        result = subprocess.run([self.binary, *verb, f"--ConnectionStrings:Admin={self.connection_string}"],
                                capture_output=True, text=True, timeout=120, cwd=self.workdir, env=self.environment())
        return result.returncode, (result.stdout + result.stderr).strip()

    def prepare(self):
        """Once: schema, realm and the benchmark user, created with the product's own CLI."""
        if self.prepared:
            return
        for verb in (["migrate"], ["realm", "add", "--realm", REALM],
                     ["user", "add", "--realm", REALM, "--user", USER, "--password", PASSWORD]):
            code, output = self.cli(*verb)
            if code != 0 and "exist" not in output.lower():
                raise RuntimeError(f"turnstone {' '.join(verb[:2])} failed ({code}): {output[-400:]}")
        self.prepared = True

    def start(self, port, run_dir, timeout=60.0):
        self.prepare()
        super().start(port, run_dir, timeout)

    def command(self, port, run_dir):
        relay = [a for a in super().command(port, run_dir) if not a.startswith("--Relay:Users")]
        return [self.binary, "serve", *relay[1:],
                f"--ConnectionStrings:Admin={self.connection_string}",
                f"--Urls=http://{HOST}:{port + 1}", f"--Metrics:Port={port + 2}",
                f"--Turnstone:DataDirectory={os.path.join(run_dir, 'data')}"]

    def environment(self):
        env = super().environment()
        env.setdefault("TURNSTONE_ADMIN_PASSWORD", "bench-admin-password")
        return env

    def totals(self):
        return {}


class CoturnServer(Server):
    name = "coturn"
    label = "coturn turnserver"

    def command(self, port, run_dir):
        return ["turnserver", "-n",  # -n: no configuration file, only these options
                f"--listening-ip={HOST}", f"--relay-ip={HOST}", f"--listening-port={port}",
                f"--min-port={RELAY_MIN}", f"--max-port={RELAY_MAX}",
                "--lt-cred-mech", f"--user={USER}:{PASSWORD}", f"--realm={REALM}",
                "--allow-loopback-peers", "--no-tls", "--no-dtls", "--no-cli", "--no-rfc5780",
                "--no-stdout-log", f"--log-file={os.path.join(run_dir, 'coturn-server.log')}", "--simple-log",
                f"--db={os.path.join(run_dir, 'turndb')}", f"--pidfile={os.path.join(run_dir, 'turnserver.pid')}"]


class Peer:
    def __init__(self, workdir):
        self.proc = None
        self.workdir = workdir

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def ensure(self):
        if self.proc is not None and self.proc.poll() is None:
            return
        log = open(os.path.join(self.workdir, "peer.log"), "ab")
        self.proc = subprocess.Popen(["turnutils_peer", "-L", HOST, "-p", str(PEER_PORT)],
                                     stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        time.sleep(0.3)
        if self.proc.poll() is not None:
            raise RuntimeError(f"turnutils_peer could not listen on {HOST}:{PEER_PORT}")

    def stop(self):
        stop_process(self.proc)


class UClient:
    """One turnutils_uclient process whose output lines are read as they come (line-buffered)."""

    def __init__(self, args, log_path):
        self.log = open(log_path, "w")
        self.log.write("turnutils_uclient " + " ".join(args) + "\n")
        self.proc = subprocess.Popen(["stdbuf", "-oL", "-eL", "turnutils_uclient", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     text=True, errors="replace", start_new_session=True)
        self.lines = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put((time.monotonic(), line))
            self.log.write(line)
        self.lines.put((time.monotonic(), None))

    @property
    def pid(self):
        return self.proc.pid

    def next_line(self, deadline):
        """(time, line) or (time, None) at end of output; raises TimeoutError after the deadline."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        try:
            return self.lines.get(timeout=remaining)
        except queue.Empty:
            raise TimeoutError from None

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=10)
        self.reader.join(timeout=5)
        self.log.close()


def uclient_args(port, transport, clients, messages, interval_ms, length):
    args = ["-c", "-m", str(clients), "-n", str(messages), "-z", str(interval_ms), "-l", str(length),
            "-e", HOST, "-r", str(PEER_PORT), "-u", USER, "-w", PASSWORD, "-p", str(port)]
    if transport == "tcp":
        args.insert(0, "-t")
    return args + [HOST]


# ---- Scenarios -------------------------------------------------------------------------------

@dataclass
class Scenario:
    figure: str        # fixed, saturated, setup, memory
    key: str           # unique label of the configuration
    params: dict = field(default_factory=dict)


def run_traffic(ctx, uc, window_from, window_to, complete, timeout):
    """Reads uclient's counters: samples the server at each once-a-second line; returns the
    figures of the window [T0 + window_from, T0 + window_to] and uclient's final totals."""
    deadline = time.monotonic() + timeout
    t0 = None
    samples = []
    final = {}
    try:
        while True:
            t, line = uc.next_line(deadline)
            if line is None:
                break
            if t0 is None and CONNECT_RE.search(line):
                t0 = t
                continue
            m = STATS_RE.search(line)
            if m and t0 is not None:
                samples.append(ctx.sample(uc.pid, int(m.group(2)), int(m.group(3))))
                if not complete and samples[-1].t > t0 + window_to:
                    break
                continue
            if (m := FINAL_RE.search(line)):
                final["total_sent"], final["total_recv"] = int(m.group(1)), int(m.group(2))
            elif (m := LOST_RE.search(line)):
                final["total_lost"], final["total_lost_pct"] = int(m.group(1)), float(m.group(2))
            elif (m := RTT_RE.search(line)):
                final["rtt_avg_ms"], final["rtt_min_ms"], final["rtt_max_ms"] = float(m.group(1)), int(m.group(2)), int(m.group(3))
    except TimeoutError:
        if complete:
            raise RuntimeError("uclient did not finish in time") from None
    finally:
        uc.kill()
    if t0 is None:
        raise RuntimeError("uclient never connected (no 'Total connect time' line)")
    inside = [s for s in samples if t0 + window_from <= s.t <= t0 + window_to]
    if len(inside) < 2 or inside[-1].t - inside[0].t < 1.5:
        raise RuntimeError(f"no usable window: {len(samples)} counter lines, {len(inside)} inside "
                           f"[{window_from:.1f}, {window_to:.1f}] s after connect")
    figures = window_figures(inside[0], inside[-1])
    figures.update(final)
    return figures


def scenario_fixed(ctx, server, run_dir, p, window):
    # Each client sends one message every z ms, so clients * 1000 / z messages/s in total.
    z = p["allocations"] * 1000 // FIXED_RATE
    n = math.ceil((ALL_SENDING_AFTER - 1 + window + 2 * EDGE + 0.5) * 1000 / z)
    uc = UClient(uclient_args(server.port, p["transport"], p["allocations"], n, z, p["length"]),
                 os.path.join(run_dir, "uclient.log"))
    window_to = 1 + n * z / 1000 - EDGE
    figures = run_traffic(ctx, uc, ALL_SENDING_AFTER + EDGE, window_to, p.get("complete", False),
                          timeout=60 + window_to + (15 if p.get("complete") else 0))
    figures["offered_per_s"] = p["allocations"] * 1000 / z
    return figures


def scenario_saturated(ctx, server, run_dir, p, window):
    # z = 1 ms with 100 clients offers 100,000 messages/s: more than the machine carries, so
    # uclient sends as fast as it can (it catches up at most 50 messages per client per tick).
    n = int((ALL_SENDING_AFTER + window + 5) * 1000)
    uc = UClient(uclient_args(server.port, p["transport"], p["allocations"], n, 1, p["length"]),
                 os.path.join(run_dir, "uclient.log"))
    return run_traffic(ctx, uc, ALL_SENDING_AFTER + EDGE, ALL_SENDING_AFTER + EDGE + window + 0.5, False,
                       timeout=60 + ALL_SENDING_AFTER + window)


def wait_for_relay_sockets(uc_list, baseline, target, quiet_after, deadline, live_target=0):
    """Polls the relay port range: returns (new relay sockets seen, time the last one appeared).
    Stops once `target` new sockets were seen (or `live_target` are open at once, 0.5 s after the
    last new one), `quiet_after` seconds after the last new one, or when every uclient exited."""
    seen, last_new = set(), None
    while time.monotonic() < deadline:
        relay, _ = udp_sockets(0)
        live = set(relay) - baseline
        fresh = live - seen
        now = time.monotonic()
        if fresh:
            seen |= fresh
            last_new = now
        if target and len(seen) >= target:
            break
        if live_target and len(live) >= live_target and now - last_new > 0.5:
            break
        if last_new and now - last_new > quiet_after:
            break
        if all(uc.proc.poll() is not None for uc in uc_list):
            break
        time.sleep(0.01)
    return seen, last_new


def scenario_setup(ctx, server, run_dir, p, window):
    # A warm-up client first, so both servers are measured past their first requests (JIT for .NET).
    warm = UClient(uclient_args(server.port, p["transport"], 5, 1, 20, 100), os.path.join(run_dir, "uclient-warmup.log"))
    try:
        wait_for_relay_sockets([warm], set(udp_sockets(0)[0]), 10, 2.0, time.monotonic() + 30)
    finally:
        warm.kill()
    time.sleep(0.5)
    # Two identical rounds in the same server process. The first is the figure as measured since
    # the start (a fresh process: for .NET it includes tiered JIT of the control path, which five
    # warm-up clients do not get past); the second ("warm") is what a server that has already set
    # up a few hundred sessions pays, as a long-running relay does.
    before = len(udp_sockets(0)[0])
    cold = setup_round(server, run_dir, p, "")
    # Over TCP the first round's allocations end with its connections: let that teardown finish
    # (back to the socket count before the round) so its CPU is not counted in the warm round.
    if p["transport"] == "tcp":
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and len(udp_sockets(0)[0]) > before:
            time.sleep(0.05)
    time.sleep(1.0)
    warm_round = setup_round(server, run_dir, p, "warm-")
    return {**cold, **{"warm_" + k: v for k, v in warm_round.items()
                       if k in ("setup_s", "sessions_per_s", "server_cpu_ms_per_session")}}


def setup_round(server, run_dir, p, tag):
    # Several uclient processes connect at once; each client session is a probe Allocate (left
    # behind over UDP), an Allocate, CreatePermission and ChannelBind, each after its 401 round.
    # uclient connects all its clients first and then idles 100 ms per client before it says
    # "Total connect time", so the end is taken from the server side: the last relay socket.
    procs, per = p["processes"], p["clients"]
    baseline = set(udp_sockets(0)[0])
    cpu0 = proc_cpu_seconds(server.pid)
    start = time.monotonic()
    ucs = [UClient(uclient_args(server.port, p["transport"], per, 1, 20, 100), os.path.join(run_dir, f"uclient-{tag}{i}.log"))
           for i in range(procs)]
    try:
        # Over UDP the probe allocations stay (2 per session); over TCP they end with the probe's
        # connection, so wait for one live allocation per session instead.
        expected = 2 * procs * per if p["transport"] == "udp" else 0
        seen, last_new = wait_for_relay_sockets(ucs, baseline, expected, 3.0, start + 60,
                                                live_target=0 if expected else procs * per)
        cpu1 = proc_cpu_seconds(server.pid)
        live = len(set(udp_sockets(0)[0]) - baseline)
    finally:
        for uc in ucs:
            uc.kill()
    if last_new is None:
        raise RuntimeError(f"no relay socket appeared ({tag or 'first '}round)")
    if p["transport"] == "udp" and len(seen) < expected:
        raise RuntimeError(f"only {len(seen)} of {expected} allocations appeared within 60 s ({tag or 'first '}round)")
    if p["transport"] == "tcp" and live < procs * per:
        raise RuntimeError(f"only {live} of {procs * per} allocations live ({tag or 'first '}round)")
    elapsed = last_new - start
    sessions = procs * per
    return {"sessions": sessions, "relay_sockets_seen": len(seen), "setup_s": round(elapsed, 3),
            "sessions_per_s": sessions / elapsed, "server_cpu_ms_per_session": (cpu1 - cpu0) * 1000 / sessions}


# bench/Turnstone.SetupLoad (--setup-load): a session-setup load generator that is not paced by timers.
SETUP_LOAD = None


def pin_all_threads(pid, cpus):
    """Every thread of a process (and those it starts later) onto the given CPUs (taskset -a)."""
    subprocess.run(["taskset", "-a", "-cp", cpus, str(pid)], check=True, capture_output=True, timeout=10)


def setup_load_round(server, run_dir, p, sessions, tag):
    """One run of the generator on CPU 1: its JSON line, and the server's CPU from start to that line. The allocations
    are ended only after the CPU is read (the generator waits for a line on its standard input)."""
    log = open(os.path.join(run_dir, f"setup-load-{tag}.err"), "w")
    cpu0 = proc_cpu_seconds(server.pid)
    gen = subprocess.Popen(["taskset", "-c", "1", SETUP_LOAD, "--server", f"{HOST}:{server.port}",
                            "--transport", p["transport"], "--sessions", str(sessions),
                            "--concurrency", str(p["concurrency"]), "--user", USER, "--password", PASSWORD,
                            "--peer", f"{HOST}:{PEER_PORT}"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        lines = queue.Queue()
        threading.Thread(target=lambda: lines.put(gen.stdout.readline()), daemon=True).start()
        try:
            line = lines.get(timeout=300)
        except queue.Empty:
            raise RuntimeError(f"setup load generator gave no result within 300 s ({tag})")
        cpu1 = proc_cpu_seconds(server.pid)
        if not line.strip():
            raise RuntimeError(f"setup load generator exited without a result ({tag}), see {log.name}")
        result = json.loads(line)
        gen.stdin.write("release\n")
        gen.stdin.flush()
        gen.wait(timeout=60)
    finally:
        if gen.poll() is None:
            gen.kill()
            gen.wait()
        log.close()
    with open(os.path.join(run_dir, f"setup-load-{tag}.json"), "w") as f:
        f.write(line)
    if result["ok"] < sessions:
        raise RuntimeError(f"{result['failed']} of {sessions} sessions failed ({tag}): {result['failures']}")
    return result, (cpu1 - cpu0) * 1000 / sessions


def scenario_setuprate(ctx, server, run_dir, p, window):
    # The server gets CPU 0 and the generator CPU 1, so neither takes the other's core and the rate is the server's:
    # sessions per second while it runs flat out on one core. A round is Allocate (401), Allocate, CreatePermission
    # and ChannelBind per session, p["concurrency"] sessions at a time. A short warm-up first (both servers past their
    # first requests), then a fresh and a warm round in the same process, as in "setup".
    if SETUP_LOAD is None:
        raise RuntimeError("the setuprate figure needs --setup-load (bench/Turnstone.SetupLoad)")
    if (os.cpu_count() or 1) < 2:
        raise RuntimeError("the setuprate figure needs two CPUs (one for the server, one for the generator)")
    pin_all_threads(server.pid, "0")
    setup_load_round(server, run_dir, p, 200, "warmup")
    time.sleep(1.0)
    out = {}
    for tag, prefix in (("fresh", ""), ("warm", "warm_")):
        result, cpu_ms = setup_load_round(server, run_dir, p, p["sessions"], tag)
        out.update({prefix + "sessions_per_s": result["sessions_per_s"], prefix + "server_cpu_ms_per_session": cpu_ms,
                    prefix + "latency_p50_ms": result["latency_ms"]["p50"], prefix + "retransmits": result["retransmits"]})
        time.sleep(1.0)
    return out


def scenario_memory(ctx, server, run_dir, p, window):
    idle = proc_status(server.pid)
    fds_idle = fd_count(server.pid)
    # uclient leaves one probe allocation per client, so N clients hold 2N allocations over UDP.
    clients = p["allocations"] // 2
    uc = UClient(uclient_args(server.port, "udp", clients, 1_000_000, 1000, 100), os.path.join(run_dir, "uclient.log"))
    try:
        seen, _ = wait_for_relay_sockets([uc], set(udp_sockets(0)[0]), p["allocations"], 3.0, time.monotonic() + 90)
        if len(seen) < p["allocations"]:
            raise RuntimeError(f"only {len(seen)} of {p['allocations']} allocations appeared")
        time.sleep(3)  # let the last allocations settle and the 1 msg/s traffic begin
        loaded = proc_status(server.pid)
        fds = fd_count(server.pid)
        live = len(udp_sockets(0)[0])
    finally:
        uc.kill()
    return {"idle_rss_mb": idle.get("VmRSS", 0) / 1024, "idle_hwm_mb": idle.get("VmHWM", 0) / 1024,
            "loaded_rss_mb": loaded.get("VmRSS", 0) / 1024, "loaded_hwm_mb": loaded.get("VmHWM", 0) / 1024,
            "allocations": live, "threads": loaded.get("Threads", 0), "fds_idle": fds_idle, "fds_loaded": fds}


def scenario_load(ctx, server, run_dir, p, window):
    """Memory under traffic (issue 17): uclient clients (-c, so one probe allocation stays beside each client's
    allocation: 2 per client) each sending one 100-byte message every interval_ms; peak RSS (VmHWM: the setup burst
    and the traffic), the largest RSS inside the window, and the server CPU once every client sends. Four uclient
    processes share the clients: each idles 100 ms per client after connecting them all before it sends, which for
    1,000 clients in one process would be 100 s."""
    idle = proc_status(server.pid)
    procs = p.get("processes", 4)
    per = p["allocations"] // 2 // procs
    clients = per * procs
    n = int((120 + per / 10 + ALL_SENDING_AFTER + window + 10) * 1000 / p["interval_ms"])
    ucs = [UClient(uclient_args(server.port, "udp", per, n, p["interval_ms"], 100), os.path.join(run_dir, f"uclient-{i}.log"))
           for i in range(procs)]
    try:
        start = time.monotonic()
        # uclient retries a refused Allocate after a pause, and on a busy machine pauses run long: 20 s of quiet.
        seen, last_new = wait_for_relay_sockets(ucs, set(udp_sockets(0)[0]), 2 * clients, 20.0, start + 120)
        if len(seen) < 2 * clients:
            raise RuntimeError(f"only {len(seen)} of {2 * clients} allocations appeared within 120 s")
        setup_s = (last_new or time.monotonic()) - start
        # Every uclient says "Total connect time" when it starts sending; each client's first send follows 1-6 s later.
        deadline = time.monotonic() + per / 10 + 60
        for uc in ucs:
            while True:
                _, line = uc.next_line(deadline)
                if line is None:
                    raise RuntimeError("a uclient exited before it sent")
                if CONNECT_RE.search(line):
                    break
        time.sleep(ALL_SENDING_AFTER + 0.5)
        a = ctx.sample(ucs[0].pid)
        rss = []
        end = time.monotonic() + window
        while time.monotonic() < end:
            rss.append(proc_status(server.pid).get("VmRSS", 0))
            time.sleep(0.25)
        b = ctx.sample(ucs[0].pid)
        loaded = proc_status(server.pid)
        fds = fd_count(server.pid)
    except TimeoutError:
        raise RuntimeError("uclient did not start sending in time") from None
    finally:
        for uc in ucs:
            uc.kill()
    dt = b.t - a.t
    # Per message at the offered rate (each message and its echo), as uclient's counters are not summed here.
    offered = clients * 1000 / p["interval_ms"]
    cpu = b.server_cpu - a.server_cpu
    return {"idle_rss_mb": idle.get("VmRSS", 0) / 1024, "peak_rss_mb": loaded.get("VmHWM", 0) / 1024,
            "window_max_rss_mb": max(rss or [0]) / 1024, "loaded_rss_mb": loaded.get("VmRSS", 0) / 1024,
            "allocations": len(seen), "setup_s": round(setup_s, 2), "server_cpu_pct": cpu / dt * 100,
            "cpu_us_per_msg_offered": cpu * 1e6 / (2 * offered * dt) if dt > 0 else float("nan"),
            "threads": loaded.get("Threads", 0), "fds_loaded": fds,
            "steal_pct": (b.steal - a.steal) / max(1, b.total - a.total) * 100}


SCENARIOS = {
    "fixed": scenario_fixed,
    "saturated": scenario_saturated,
    "setup": scenario_setup,
    "setuprate": scenario_setuprate,
    "memory": scenario_memory,
    "load": scenario_load,
}


def plan(quick):
    out = []
    for transport in ("udp", "tcp"):
        for length in (100, 1000):
            for allocations in (10, 100):
                # The 100-byte, 10-allocation runs also wait for uclient's own totals (loss, RTT).
                complete = length == 100 and allocations == 10
                out.append(Scenario("fixed", f"fixed {transport} {length}B {allocations}alloc",
                                    {"transport": transport, "length": length, "allocations": allocations,
                                     "complete": complete}))
    for transport in ("udp", "tcp"):
        out.append(Scenario("saturated", f"saturated {transport} 100B 100alloc",
                            {"transport": transport, "length": 100, "allocations": 100}))
    for transport in ("udp", "tcp"):
        out.append(Scenario("setup", f"setup {transport} 4x50",
                            {"transport": transport, "processes": 4, "clients": 50}))
    for transport in ("udp", "tcp"):
        out.append(Scenario("setuprate", f"setuprate {transport} 4000x100",
                            {"transport": transport, "sessions": 4000, "concurrency": 100}))
    out.append(Scenario("memory", "memory 1000alloc", {"allocations": 1000}))
    # Issue 17's figure: 1,000 clients (2,000 allocations) at 10,000 msg/s of 100 bytes; peak RSS.
    out.append(Scenario("load", "load 2000alloc 10kmsgps", {"allocations": 2000, "interval_ms": 100}))
    return out


# ---- Reporting -------------------------------------------------------------------------------

# (figure, metric, unit, better) rows of the summary table; better: "low" or "high".
SUMMARY_METRICS = {
    "fixed": [("cpu_us_per_msg", "µs CPU/msg", "low"), ("server_cpu_pct", "server CPU %", "low"),
              ("echoes_per_s", "echoes/s", "high"), ("loss_pct", "loss % (window)", "low"),
              ("total_lost_pct", "loss % (uclient total)", "low"), ("rtt_avg_ms", "RTT avg ms (uclient)", "low"),
              ("kernel_udp_drops", "server UDP drops (kernel)", "low"),
              ("client_udp_drops", "uclient UDP drops (kernel)", "low"), ("peer_udp_drops", "peer UDP drops (kernel)", "low")],
    "saturated": [("echoes_per_s", "echoes/s", "high"), ("loss_pct", "loss %", "low"),
                  ("server_cpu_pct", "server CPU %", "low"), ("cpu_us_per_msg", "µs CPU/msg", "low"),
                  ("kernel_udp_drops", "server UDP drops (kernel)", "low"),
                  ("client_udp_drops", "uclient UDP drops (kernel)", "low"), ("peer_udp_drops", "peer UDP drops (kernel)", "low")],
    "setup": [("sessions_per_s", "sessions/s", "high"), ("server_cpu_ms_per_session", "server CPU ms/session", "low"),
              ("warm_sessions_per_s", "warm: sessions/s", "high"),
              ("warm_server_cpu_ms_per_session", "warm: server CPU ms/session", "low")],
    "setuprate": [("sessions_per_s", "sessions/s (server on 1 core)", "high"),
                  ("server_cpu_ms_per_session", "server CPU ms/session", "low"),
                  ("latency_p50_ms", "session setup p50 ms", "low"), ("retransmits", "retransmits", "low"),
                  ("warm_sessions_per_s", "warm: sessions/s (server on 1 core)", "high"),
                  ("warm_server_cpu_ms_per_session", "warm: server CPU ms/session", "low"),
                  ("warm_latency_p50_ms", "warm: session setup p50 ms", "low"), ("warm_retransmits", "warm: retransmits", "low")],
    "memory": [("idle_rss_mb", "idle RSS MB", "low"), ("idle_hwm_mb", "idle HWM MB", "low"),
               ("loaded_rss_mb", "RSS MB @1000 alloc", "low"), ("loaded_hwm_mb", "HWM MB @1000 alloc", "low"),
               ("fds_loaded", "fds @1000 alloc", "low")],
    "load": [("idle_rss_mb", "idle RSS MB", "low"), ("peak_rss_mb", "peak RSS MB (VmHWM)", "low"),
             ("window_max_rss_mb", "max RSS MB in window", "low"), ("setup_s", "setup of 2000 allocations s", "low"),
             ("server_cpu_pct", "server CPU %", "low"), ("cpu_us_per_msg_offered", "µs CPU/msg (offered)", "low")],
}


def fmt(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    ax = abs(x)
    if ax >= 1000:
        return f"{x:,.0f}"
    if ax >= 100:
        return f"{x:.0f}"
    if ax >= 10:
        return f"{x:.1f}"
    if ax >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def summarize(rows, servers):
    """One line per (configuration, metric): min/median/max per server and the median ratio."""
    names = [s.name for s in servers]
    out = []
    keys = list(dict.fromkeys(r["key"] for r in rows))
    for key in keys:
        figure = next(r["figure"] for r in rows if r["key"] == key)
        for metric, label, better in SUMMARY_METRICS[figure]:
            line = {"key": key, "metric": label, "better": better}
            medians = {}
            for name in names:
                values = [r[metric] for r in rows if r["key"] == key and r["server"] == name and r.get("ok")
                          and isinstance(r.get(metric), (int, float)) and not math.isnan(r[metric])]
                if values:
                    medians[name] = statistics.median(values)
                    line[name] = (min(values), medians[name], max(values), len(values))
            if not any(n in line for n in names):
                continue
            for name in names:
                if name != "coturn" and name in medians and medians.get("coturn"):
                    line[f"ratio:{name}"] = medians[name] / medians["coturn"]
            ctx = [r for r in rows if r["key"] == key and r.get("ok")]
            line["load1"] = statistics.median([r["load1"] for r in ctx]) if ctx else None
            steals = [r["steal_pct"] for r in ctx if isinstance(r.get("steal_pct"), float)]
            line["steal_pct"] = statistics.median(steals) if steals else None
            others = [r["others_cpu_pct"] for r in ctx if isinstance(r.get("others_cpu_pct"), float)]
            line["others_cpu_pct"] = statistics.median(others) if others else None
            out.append(line)
    return out


def render_markdown(summary, servers, runs):
    names = [s.name for s in servers]
    ratio_names = [n for n in names if n != "coturn"] if "coturn" in names else []
    head = ["configuration", "metric"] + [f"{n} min / **median** / max" for n in names]
    head += [f"ratio {n}/coturn" for n in ratio_names]
    head += ["load1", "steal %", "others' CPU %"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in summary:
        cells = [s["key"], s["metric"] + (" ↓" if s["better"] == "low" else " ↑")]
        for n in names:
            if n in s:
                lo, med, hi, count = s[n]
                cells.append(f"{fmt(lo)} / **{fmt(med)}** / {fmt(hi)}" + ("" if count == runs else f" (n={count})"))
            else:
                cells.append("-")
        for n in ratio_names:
            cells.append(f"**{s[f'ratio:{n}']:.2f}**" if f"ratio:{n}" in s else "-")
        cells += [fmt(s["load1"]), fmt(s["steal_pct"]), fmt(s["others_cpu_pct"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render_text(summary, servers):
    names = [s.name for s in servers]
    width = max(len(s["key"]) for s in summary) if summary else 20
    mwidth = max(len(s["metric"]) for s in summary) if summary else 10
    header = f"{'configuration':<{width}}  {'metric':<{mwidth}}  " + "  ".join(f"{n + ' min/med/max':>28}" for n in names)
    ratio_names = [n for n in names if n != "coturn"] if "coturn" in names else []
    header += "".join(f"  {n[:9] + '/c':>11}" for n in ratio_names) + f"  {'load1':>5}  {'steal%':>6}"
    out = [header, "-" * len(header)]
    for s in summary:
        cells = []
        for n in names:
            if n in s:
                lo, med, hi, _ = s[n]
                cells.append(f"{fmt(lo) + ' / ' + fmt(med) + ' / ' + fmt(hi):>28}")
            else:
                cells.append(f"{'-':>28}")
        ratios = "".join(f"  {(f'{s[k]:.2f}' if (k := f'ratio:{n}') in s else '-'):>11}" for n in ratio_names)
        out.append(f"{s['key']:<{width}}  {s['metric']:<{mwidth}}  " + "  ".join(cells)
                   + ratios + f"  {fmt(s['load1']):>5}  {fmt(s['steal_pct']):>6}")
    return "\n".join(out) + "\n"


def machine_description():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    def version(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip().splitlines()[0]
        except (OSError, subprocess.SubprocessError, IndexError):
            return "unknown"
    coturn = version(["dpkg-query", "-W", "-f", "${Version}", "coturn"])
    return {
        "cpus": os.cpu_count(), "cpu_model": model, "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(), "dotnet": version(["dotnet", "--version"]), "coturn": coturn,
    }


# ---- Main ------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--turnstone", required=True, help="path of the built Turnstone.RelayHost executable")
    ap.add_argument("--runs", type=int, default=3, help="runs per server and configuration (default 3)")
    ap.add_argument("--window", type=float, default=5.0, help="seconds measured inside each traffic run (default 5)")
    ap.add_argument("--only", default="", help="comma-separated figures to run: fixed,saturated,setup,setuprate,memory,load")
    ap.add_argument("--filter", default="", help="run only configurations whose label contains this text")
    ap.add_argument("--servers", default="turnstone,coturn", help="servers to run (default turnstone,coturn)")
    ap.add_argument("--results", required=True, help="directory for this run's results")
    ap.add_argument("--turnstone-env", action="append", default=[], metavar="NAME=VALUE",
                    help="environment for the Turnstone process, e.g. DOTNET_gcServer=1 (repeatable)")
    ap.add_argument("--turnstone-b", default="", help="a second build of the relay-only host, measured beside the first "
                    "as server turnstone-b (bench/run.sh --r2r-both: ReadyToRun against JIT)")
    ap.add_argument("--turnstone-b-env", action="append", default=[], metavar="NAME=VALUE",
                    help="environment for turnstone-b only (e.g. DOTNET_GCgen0size=0x400000)")
    ap.add_argument("--serve", default="", help="path of the built `turnstone` program: also measure `turnstone serve`")
    ap.add_argument("--serve-db", default="", help="PostgreSQL connection string for --serve")
    ap.add_argument("--setup-load", default="", help="path of the built bench/Turnstone.SetupLoad generator (the setuprate "
                    "figure; without it that figure is skipped)")
    ap.add_argument("--budget", type=float, default=0, help="stop starting new runs after this many seconds (0 = none)")
    args = ap.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536 if hard == resource.RLIM_INFINITY else min(65536, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))

    args.results = os.path.abspath(args.results)
    os.makedirs(args.results, exist_ok=True)
    logs = os.path.join(args.results, "logs")
    os.makedirs(logs, exist_ok=True)

    servers = []
    names = args.servers.split(",")
    if args.serve and "turnstone-serve" not in names:
        names.insert(1, "turnstone-serve")
    if args.turnstone_b and "turnstone-b" not in names:
        names.insert(1, "turnstone-b")
    for name in names:
        if name == "turnstone":
            extra = dict(item.split("=", 1) for item in args.turnstone_env)
            servers.append(TurnstoneServer(logs, os.path.abspath(args.turnstone), extra))
        elif name == "turnstone-b":
            extra = dict(item.split("=", 1) for item in args.turnstone_env + args.turnstone_b_env)
            servers.append(TurnstoneServer(logs, os.path.abspath(args.turnstone_b), extra, "turnstone-b",
                                           "Turnstone (relay-only host, second build)"))
        elif name == "turnstone-serve":
            if not (args.serve and args.serve_db):
                sys.exit("turnstone-serve needs --serve and --serve-db")
            extra = dict(item.split("=", 1) for item in args.turnstone_env)
            servers.append(ServeServer(logs, os.path.abspath(args.serve), args.serve_db, extra))
        elif name == "coturn":
            if shutil.which("turnserver"):
                servers.append(CoturnServer(logs))
            else:
                print("coturn's turnserver is not installed (Debian package coturn): measuring Turnstone alone.")
        else:
            sys.exit(f"unknown server {name}")

    scenarios = plan(False)
    global SETUP_LOAD
    if args.setup_load:
        SETUP_LOAD = os.path.abspath(args.setup_load)
    else:
        scenarios = [s for s in scenarios if s.figure != "setuprate"]
    if args.only:
        wanted = set(args.only.split(","))
        scenarios = [s for s in scenarios if s.figure in wanted]
    if args.filter:
        scenarios = [s for s in scenarios if args.filter in s.key]

    machine = machine_description()
    print(f"Machine: {machine['cpus']} x {machine['cpu_model']}, {machine['memory_gib']} GiB, kernel {machine['kernel']}, "
          f".NET SDK {machine['dotnet']}, coturn {machine['coturn']}")
    print(f"Plan: {len(scenarios)} configurations x {len(servers)} servers x {args.runs} runs, window {args.window:.0f} s; "
          f"load average now {load1():.2f}")

    peer = Peer(logs)
    rows = []
    started = time.monotonic()
    slot = 0
    stopped_early = False
    try:
        for run in range(args.runs):
            for scenario in scenarios:
                # Interleave: alternate which server goes first, run by run and configuration by configuration.
                order = servers if (run + scenarios.index(scenario)) % 2 == 0 else list(reversed(servers))
                for server in order:
                    if args.budget and time.monotonic() - started > args.budget:
                        stopped_early = True
                        raise StopIteration
                    peer.ensure()
                    port = LISTEN_BASE + (slot % LISTEN_SLOTS) * LISTEN_STEP
                    slot += 1
                    # coturn retries a taken port instead of exiting: pick a port free right now.
                    for _ in range(LISTEN_SLOTS):
                        if port_free(port):
                            break
                        port = LISTEN_BASE + (slot % LISTEN_SLOTS) * LISTEN_STEP
                        slot += 1
                    run_dir = os.path.join(logs, f"{scenario.key.replace(' ', '_')}-{server.name}-{run + 1}")
                    row = {"figure": scenario.figure, "key": scenario.key, "server": server.name, "run": run + 1,
                           "load1": load1(), "ok": False}
                    ctx = Context(server, peer)
                    t_start = time.monotonic()
                    try:
                        # The listen ports sit in the kernel's ephemeral range, so another program's
                        # connection may hold one: a server that cannot bind gets the next slot.
                        for attempt in range(3):
                            try:
                                server.start(port, run_dir)
                                break
                            except RuntimeError as ex:
                                if attempt == 2 or "at start" not in str(ex):
                                    raise
                                port = LISTEN_BASE + (slot % LISTEN_SLOTS) * LISTEN_STEP
                                slot += 1
                        row.update(SCENARIOS[scenario.figure](ctx, server, run_dir, scenario.params, args.window))
                        if server.proc.poll() is not None:
                            raise RuntimeError(f"{server.name} exited during the run")
                        row["ok"] = True
                    except RuntimeError as ex:
                        row["error"] = str(ex)
                    finally:
                        server.stop()
                    row.update(server.totals())
                    row["elapsed_s"] = round(time.monotonic() - t_start, 1)
                    rows.append(row)
                    brief = ", ".join(f"{k}={fmt(v) if isinstance(v, float) else v}" for k, v in row.items()
                                      if k not in ("figure", "key", "server", "run", "ok"))
                    print(f"[{time.monotonic() - started:6.0f}s] {scenario.key} | {server.name} #{run + 1}: "
                          f"{'ok' if row['ok'] else 'FAILED'} {brief}", flush=True)
    except StopIteration:
        pass
    except KeyboardInterrupt:
        stopped_early = True
        print("interrupted: writing what was measured")
    finally:
        for server in servers:
            server.stop()
        peer.stop()

    write_results(args, rows, servers, machine, time.monotonic() - started, stopped_early)
    return 0 if rows and all(r["ok"] for r in rows) else 1


def write_results(args, rows, servers, machine, elapsed, stopped_early):
    fields = list(dict.fromkeys(k for r in rows for k in r))
    with open(os.path.join(args.results, "runs.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in r.items()})
    summary = summarize(rows, servers)
    with open(os.path.join(args.results, "summary.csv"), "w", newline="") as f:
        w = csv.writer(f)
        head = ["configuration", "metric", "better"]
        for s in servers:
            head += [f"{s.name}_min", f"{s.name}_median", f"{s.name}_max", f"{s.name}_runs"]
        ratio_names = [srv.name for srv in servers if srv.name != "coturn"]
        head += [f"ratio_{n}_over_coturn" for n in ratio_names] + ["load1_median", "steal_pct_median", "others_cpu_pct_median"]
        w.writerow(head)
        for s in summary:
            line = [s["key"], s["metric"], s["better"]]
            for srv in servers:
                line += list(s.get(srv.name, ("", "", "", 0)))
            line += [s.get(f"ratio:{n}", "") for n in ratio_names] + [s["load1"], s["steal_pct"], s["others_cpu_pct"]]
            w.writerow([f"{v:.6g}" if isinstance(v, float) else v for v in line])
    failures = [r for r in rows if not r["ok"]]
    md = [f"# Benchmark results ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})", "",
          f"Machine: {machine['cpus']} x {machine['cpu_model']}, {machine['memory_gib']} GiB, kernel {machine['kernel']}; "
          f".NET SDK {machine['dotnet']}; coturn {machine['coturn']}.",
          f"Runs per server and configuration: {args.runs}; window {args.window:.0f} s; took {elapsed / 60:.1f} min"
          + (" (stopped early)" if stopped_early else "") + ".",
          "Ratio = median of that server / coturn median (↓ lower is better, ↑ higher is better). "
          "load1 = 1-minute load average at the start of the run; steal % and others' CPU % "
          "(cores busy outside the server, uclient and peer, as % of one core) inside the window.", "",
          render_markdown(summary, servers, args.runs)]
    if failures:
        md += ["## Failed runs", ""] + [f"- {r['key']} / {r['server']} #{r['run']}: {r.get('error')}" for r in failures] + [""]
    with open(os.path.join(args.results, "summary.md"), "w") as f:
        f.write("\n".join(md))
    print()
    print(render_text(summary, servers))
    if failures:
        print(f"{len(failures)} run(s) failed:")
        for r in failures:
            print(f"  {r['key']} / {r['server']} #{r['run']}: {r.get('error')}")
    print(f"Results: {args.results}/summary.md, summary.csv, runs.csv (logs under {args.results}/logs)")


if __name__ == "__main__":
    sys.exit(main())
