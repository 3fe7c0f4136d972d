# Opens N idle TCP (or TLS) connections to the relay, each after one Binding request answered,
# prints "ready", then holds them until stdin closes. Run by StreamMemoryTests: the clients live in
# this process so the relay's process counts only its own side.
import os, socket, ssl, struct, sys

host, port, count, use_tls = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "tls"
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
held = []
for _ in range(count):
    s = socket.create_connection((host, port), timeout=10)
    if use_tls:
        s = context.wrap_socket(s, server_hostname="localhost")
    s.sendall(struct.pack("!HHI", 0x0001, 0, 0x2112A442) + os.urandom(12))
    answer = s.recv(1500)
    if len(answer) < 20:
        print("no answer", flush=True)
        sys.exit(1)
    held.append(s)
print("ready", flush=True)
sys.stdin.read()
