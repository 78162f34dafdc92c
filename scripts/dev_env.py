#!/usr/bin/env python3
"""Write a development .env with keys of this machine's own, once (`make setup`; .env is git-ignored).

The keys encrypt the development database's personal data: a second run never replaces them, since the
data written under them would no longer read. Standard library only, so it runs before the virtualenv.
"""

import base64
import secrets
import sys
from pathlib import Path

path = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
if path.exists():
    # A key added since the file was written (PHONE_CODE_KEY) is appended; the others are never replaced.
    written = {line.split("=", 1)[0] for line in path.read_text().splitlines() if "=" in line}
    if "PHONE_CODE_KEY" not in written:
        with path.open("a") as env:
            env.write(f"PHONE_CODE_KEY={secrets.token_urlsafe(32)}\n")
    sys.exit(0)
path.write_text(
    "# Development settings of this machine, written by `make setup` (scripts/dev_env.py); never commit.\n"
    "DJANGO_DEBUG=true\n"
    f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n"
    f"FIELD_ENCRYPTION_KEYS={base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}\n"
    f"FIELD_BLIND_INDEX_KEY={secrets.token_urlsafe(32)}\n"
    f"PHONE_CODE_KEY={secrets.token_urlsafe(32)}\n"
)
path.chmod(0o600)
print(f"Wrote {path} with fresh development keys")
