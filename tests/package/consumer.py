# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run by test_debian.sh with /usr/bin/python3 outside the source tree, against
the installed python3-libkiosk: reads the synthetic card from an emulated reader
(kiosk-sim from kiosk-tools) at the URI given as argv[1]."""
import sys

import libkiosk

expected_version, uri = sys.argv[1], sys.argv[2]
assert libkiosk.__file__.startswith("/usr/lib/python3/dist-packages/"), libkiosk.__file__
assert libkiosk.version() == expected_version, (libkiosk.version(), expected_version)
with libkiosk.Context() as ctx, ctx.open_idcard(uri) as reader:
    card = reader.read(timeout=10)
    assert card.id_number and len(card.id_number) == 18, "no ID number read"
    print("python3-libkiosk", libkiosk.version(), "from", libkiosk.library_path(), "read", card)
