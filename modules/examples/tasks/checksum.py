#!/usr/bin/env python3
"""Checksum of a file. Parameters arrive as one JSON object on stdin; the result is JSON."""
import hashlib
import json
import sys

params = json.load(sys.stdin)
path = params["path"]
algorithm = params.get("algorithm", "sha256")
try:
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(65536), b""):
            digest.update(chunk)
except OSError as e:
    print(json.dumps({"_error": {"kind": "examples/checksum-error", "msg": f"cannot read {path}: {e.strerror}",
                                 "details": {"path": path}}}))
    sys.exit(1)
print(json.dumps({"path": path, "algorithm": algorithm, "checksum": digest.hexdigest()}))
