"""Extract Quảng Trị administrative units into jobs/data/admin_units.json.

One-off, build-time script. The portal reads only the JSON it writes; it does not
depend on ``vietnamadminunits`` (which pulls shapely, geopy and Unidecode) at run time.

Source: vietnamadminunits 1.0.4 (MIT licence), https://pypi.org/project/vietnamadminunits/
Run it with a throwaway virtualenv, from the repository root::

    python3 -m venv /tmp/vau
    /tmp/vau/bin/pip install vietnamadminunits==1.0.4
    /tmp/vau/bin/python jobs/data/extract_admin_units.py

It reads the package's bundled data files directly, without importing the package:
  * data/dataset.db, table ``admin_units``: the 2025 two-tier units (34 provinces);
  * data/dataset.db, table ``admin_units_legacy``: the pre-2025 three-tier units (63 provinces);
  * data/converter_2025.json, ``DICT_PROVINCE_WARD_NO_DIVIDED``: for each new
    commune-level unit, the keys ``<old province>_<old district>_<old ward>`` of the
    old units it was formed from (no old unit of Quảng Trị/Quảng Bình was split, so
    ``DICT_PROVINCE_WARD_DIVIDED`` has no entry for this province).
"""

import importlib.metadata
import importlib.util
import json
import sqlite3
from pathlib import Path

VERSION = "1.0.4"
PROVINCE_KEY = "tinhquangtri"  # the 2025 province (old Quảng Trị + old Quảng Bình)
KINDS = {"Phường": "ward", "Xã": "commune", "Đặc khu": "special_zone"}
OUT = Path(__file__).resolve().parent / "admin_units.json"


def main():
    installed = importlib.metadata.version("vietnamadminunits")
    if installed != VERSION:
        raise SystemExit(f"expected vietnamadminunits {VERSION}, found {installed}")
    pkg_dir = Path(importlib.util.find_spec("vietnamadminunits").origin).parent
    db = sqlite3.connect(pkg_dir / "data" / "dataset.db")
    db.row_factory = sqlite3.Row
    converter = json.loads((pkg_dir / "data" / "converter_2025.json").read_text(encoding="utf-8"))

    # Pre-2025 districts of the old provinces merged into the new one.
    old_province_keys = converter["DICT_PROVINCE"][PROVINCE_KEY]  # ['tinhquangbinh', 'tinhquangtri']
    marks = ",".join("?" * len(old_province_keys))
    district_rows = db.execute(
        f"SELECT DISTINCT provinceKey, provinceShort, districtKey, districtCode, districtType, districtShort"  # noqa: S608 (only "?" placeholders)
        f" FROM admin_units_legacy WHERE provinceKey IN ({marks})",
        old_province_keys,
    ).fetchall()
    district_code = {(r["provinceKey"], r["districtKey"]): r["districtCode"] for r in district_rows}
    old_districts = sorted(
        (
            {
                # Built from type + short name: the package spells one "Thành Phố Đồng Hới".
                "code": r["districtCode"],
                "name": f"{r['districtType']} {r['districtShort']}",
                "old_province": r["provinceShort"],
            }
            for r in district_rows
        ),
        key=lambda d: int(d["code"]),
    )

    # New commune-level units, with the old districts they came from.
    old_units_of = converter["DICT_PROVINCE_WARD_NO_DIVIDED"][PROVINCE_KEY]
    assert PROVINCE_KEY not in converter["DICT_PROVINCE_WARD_DIVIDED"]
    ward_rows = db.execute(
        "SELECT * FROM admin_units WHERE provinceKey = ? ORDER BY CAST(wardCode AS INTEGER)",
        (PROVINCE_KEY,),
    ).fetchall()
    communes = []
    for r in ward_rows:
        old_keys = [k.split("_") for k in old_units_of[r["wardKey"]]]
        communes.append(
            {
                "code": r["wardCode"],
                "name": r["wardShort"],
                "kind": KINDS[r["wardType"]],
                "latitude": r["wardLat"],
                "longitude": r["wardLon"],
                "old_districts": sorted({district_code[(p, d)] for p, d, _ in old_keys}, key=int),
            }
        )

    data = {
        "source": f"vietnamadminunits {VERSION} (MIT), https://pypi.org/project/vietnamadminunits/"
        " — extracted by jobs/data/extract_admin_units.py",
        "province_2025": {"code": ward_rows[0]["provinceCode"], "name": ward_rows[0]["provinceShort"]},
        "communes": communes,
        "old_districts": old_districts,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(communes)} communes and {len(old_districts)} old districts to {OUT}")


if __name__ == "__main__":
    main()
