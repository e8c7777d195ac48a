"""Writes the country databases wisp-server's geo tests read, with an independent writer.

    .venv/bin/python tests/interop/mmdb_fixtures.py crates/wisp-server/tests/fixtures/geo

The files are written by the PyPI package `mmdb-writer` (not by Wisp), shaped like
GeoLite2-Country: IPv6 trees with IPv4 networks inserted as IPv4-mapped under ::/96, and
IPv4-only trees; GeoLite2-style records (continent, country and registered_country with
names in several languages; equal values shared through pointers). Each shape is written
with 24-, 28- and 32-bit records (the writer picks 24 for files this small; the larger
sizes are forced, the writer encodes them).

The output is the same byte for byte on every run (fixed build_epoch), so
`crates/wisp-server/tests/geo.rs` checks that the committed files are what this script
writes, then looks up the networks below through Wisp and through libmaxminddb's
`mmdblookup`.
"""

import sys
from pathlib import Path

from mmdb_writer import MMDBWriter, TreeWriter
from netaddr import IPSet

BUILD_EPOCH = 1_700_000_000


def place(geoname_id, iso_code, names, eu=False):
    """A country as GeoLite2 stores it."""
    value = {"geoname_id": geoname_id, "iso_code": iso_code, "names": names}
    if eu:
        value["is_in_european_union"] = True
    return value


EUROPE = {
    "code": "EU",
    "geoname_id": 6255148,
    "names": {"de": "Europa", "en": "Europe", "fr": "Europe", "ja": "ヨーロッパ", "ru": "Европа"},
}
ASIA = {"code": "AS", "geoname_id": 6255147, "names": {"en": "Asia", "ja": "アジア"}}
NORTH_AMERICA = {"code": "NA", "geoname_id": 6255149, "names": {"en": "North America"}}


def country(iso_code, geoname_id, en, continent=EUROPE, eu=False, **names):
    c = place(geoname_id, iso_code, {"en": en, **names}, eu)
    return {"continent": continent, "country": c, "registered_country": c}


GB = country("GB", 2635167, "United Kingdom", de="Vereinigtes Königreich", fr="Royaume-Uni",
             ja="イギリス", ru="Великобритания")
FR = country("FR", 3017382, "France", eu=True, de="Frankreich", ja="フランス共和国")
DE = country("DE", 2921044, "Germany", eu=True, de="Deutschland", fr="Allemagne")
NL = country("NL", 2750405, "Netherlands", eu=True, de="Niederlande")
BE = country("BE", 2802361, "Belgium", eu=True, fr="Belgique")
CH = country("CH", 2658434, "Switzerland", de="Schweiz", fr="Suisse")
JP = country("JP", 1861060, "Japan", continent=ASIA, ja="日本")
US = place(6252001, "US", {"en": "United States"})

# Records Wisp must not answer: no `country` (only where the network is registered), and
# codes that are not two upper-case letters.
REGISTERED_ONLY = {"continent": NORTH_AMERICA, "registered_country": US}
LOWER_CASE = {"country": {"geoname_id": 2921044, "iso_code": "de"}}
THREE_LETTERS = {"country": {"geoname_id": 2635167, "iso_code": "GBR"}}
NUMBER = {"country": {"geoname_id": 2635167, "iso_code": 826}}

# (network, record); a network inside an earlier one overrides it there.
IPV4 = [
    ("81.2.69.0/24", GB),
    ("203.0.113.0/24", FR),
    ("198.51.100.0/24", DE),
    ("10.0.0.0/8", NL),
    ("10.1.0.0/16", BE),
    ("192.0.2.0/25", REGISTERED_ONLY),
    ("192.0.2.128/26", LOWER_CASE),
    ("192.0.2.192/27", THREE_LETTERS),
    ("192.0.2.224/28", NUMBER),
]
IPV6 = [
    ("2001:db8::/32", DE),
    ("2001:db8:1::/48", CH),
    ("3fff::/20", JP),
]


class SizedTreeWriter(TreeWriter):
    """mmdb-writer's own tree writer, with the record size given instead of the smallest."""

    record_size_wanted = None

    def _adjust_record_size(self):
        super()._adjust_record_size()
        if self.record_size_wanted is not None:
            assert self.record_size_wanted >= self.record_size
            self.record_size = self.record_size_wanted
            self.data_offset = self.record_size * 2 / 8 * self._node_counter


class FixtureWriter(MMDBWriter):
    def _build_meta(self):
        return {**super()._build_meta(), "build_epoch": BUILD_EPOCH}

    def write(self, path, record_size):
        writer = SizedTreeWriter(self.tree, self._build_meta(), self.int_type, self.float_type)
        writer.record_size_wanted = record_size
        writer.write(str(path))


def main(out):
    out.mkdir(parents=True, exist_ok=True)
    for ip_version in (6, 4):
        for record_size in (24, 28, 32):
            db = FixtureWriter(
                ip_version=ip_version,
                ipv4_compatible=ip_version == 6,
                database_type="Wisp-Test-Country",
                languages=["en"],
                description="Wisp's geo test database, written by mmdb-writer",
            )
            for network, record in IPV4 + (IPV6 if ip_version == 6 else []):
                db.insert_network(IPSet([network]), record)
            path = out / f"country-v{ip_version}-{record_size}.mmdb"
            db.write(path, record_size)
            print(path)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
