"""Fernet interop with the Python `cryptography` package, as the WhoDis server used it.

Driven by tests/fernet_interop.rs. Protocol: one JSON object on stdin, one on stdout.
  {"op": "make", "plaintext": ..., "at_time"?: <unix seconds>}
                                              -> {"key": <44-char key>, "token": <token text>}
  {"op": "decrypt", "key": ..., "token": ...} -> {"plaintext": ...}
Exit status 3 means `cryptography` is not installed.
"""

import json
import sys

try:
    from cryptography.fernet import Fernet
except ImportError:
    sys.stderr.write("python package 'cryptography' is not installed: pip install cryptography\n")
    sys.exit(3)


def main() -> None:
    req = json.load(sys.stdin)
    if req["op"] == "make":
        # Exactly what the server did: raw generated key, token text stored as UTF-8 bytes.
        key = Fernet.generate_key()
        plaintext = req["plaintext"].encode("utf-8")
        if "at_time" in req:  # a token from a server whose clock differs from ours
            token = Fernet(key).encrypt_at_time(plaintext, req["at_time"])
        else:
            token = Fernet(key).encrypt(plaintext)
        out = {"key": key.decode("ascii"), "token": token.decode("ascii")}
    elif req["op"] == "decrypt":
        # No ttl, as on the server; a bad token raises InvalidToken and exits non-zero.
        plaintext = Fernet(req["key"].encode("ascii")).decrypt(req["token"].encode("ascii"))
        out = {"plaintext": plaintext.decode("utf-8")}
    else:
        sys.exit(f"unknown op {req['op']!r}")
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
