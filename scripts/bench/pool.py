#!/usr/bin/env python3
"""Creates a pool of view-once secrets for a reveal benchmark: POSTs the same sealed payload
N times (each create is a new secret with the same key, so one reveal proof opens them all)
and writes their ids, one per line.

    pool.py BASE PAYLOAD VERIFIER N OUT
"""

import http.client
import json
import sys
import urllib.parse

base, payload_path, verifier, n, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
url = urllib.parse.urlparse(base)
payload = open(payload_path, "rb").read()
boundary = "wisppoolboundary"
options = json.dumps({"verifier": verifier, "ttl": 3600, "max_views": 1})
body = (
    f"--{boundary}\r\nContent-Disposition: form-data; name=\"options\"\r\nContent-Type: application/json\r\n\r\n{options}\r\n"
    f"--{boundary}\r\nContent-Disposition: form-data; name=\"payload\"\r\nContent-Type: application/octet-stream\r\n\r\n"
).encode() + payload + f"\r\n--{boundary}--\r\n".encode()
headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
conn = http.client.HTTPConnection(url.hostname, url.port)
with open(out, "w") as f:
    for _ in range(n):
        conn.request("POST", "/api/v1/secrets", body, headers)
        response = conn.getresponse()
        data = response.read()
        if response.status != 201:
            sys.exit(f"create failed: {response.status} {data[:200]!r}")
        f.write(json.loads(data)["id"] + "\n")
