"""Check the known-answer vectors of tests/flight/ccsds/vectors.json against a codec backend.

Runs on CPython and on MicroPython alike (plain functions, no typing, no starred tuple
displays, which MicroPython rejects: hence the tuple concatenations), so the very same
checks run on each backend in CPython and on the pure twin inside real MicroPython. It calls
only the low-level function set every backend shares (see `flight.ccsds.pure`).

    failures, checked = check_all(backend, vectors)

`failures` is a list of (kind, name, message); `checked` counts the vectors examined.
"""

# ruff: noqa: RUF005 - MicroPython rejects starred tuple displays such as (*head, x)


def _hex(data):
    return "".join(f"{b:02x}" for b in bytes(data))


def _unhex(text):
    return bytes(int(text[i : i + 2], 16) for i in range(0, len(text), 2))


def _expect(label, actual, expected):
    if actual != expected:
        raise AssertionError(f"{label}: got {actual!r}, expected {expected!r}")


def check_crc16(codec, v):
    _expect("crc16", codec.crc16(_unhex(v["data"]), 0xFFFF), int(v["crc"], 16))


def check_cobs(codec, v):
    decoded, encoded = _unhex(v["decoded"]), _unhex(v["encoded"])
    _expect("cobs_encode", _hex(codec.cobs_encode(decoded)), v["encoded"])
    _expect("cobs_decode", _hex(codec.cobs_decode(encoded)), v["decoded"])


def check_header(codec, v):
    f = v["fields"]
    args = (
        f["packet_type"],
        f["sec_header_flag"],
        f["apid"],
        f["seq_flags"],
        f["seq_count"],
        f["data_length"],
    )
    _expect("pack_header", _hex(codec.pack_header(*args)), v["raw"])
    _expect("unpack_header", tuple(codec.unpack_header(_unhex(v["raw"]), 0)), (0,) + args)


def check_pus_tc(codec, v):
    f = v["fields"]
    raw = _unhex(v["raw"])
    app_data = _unhex(f["app_data"])
    head = (
        f["apid"],
        f["seq_flags"],
        f["seq_count"],
        f["ack_flags"],
        f["service"],
        f["subtype"],
        f["source_id"],
    )
    _expect("pus_tc_pack", _hex(codec.pus_tc_pack(*(head + (app_data,)))), v["raw"])
    fields = tuple(codec.pus_tc_unpack(raw))
    _expect("pus_tc_unpack", fields[:7], head)
    start, size = fields[7], fields[8]
    _expect("app_data", _hex(raw[start : start + size]), f["app_data"])


def check_pus_tm(codec, v):
    f, fmt = v["fields"], v["time_format"]
    raw = _unhex(v["raw"])
    time, source_data = _unhex(f["time"]), _unhex(f["source_data"])
    head = (
        f["apid"],
        f["seq_flags"],
        f["seq_count"],
        f["time_ref"],
        f["service"],
        f["subtype"],
        f["msg_counter"],
        f["dest_id"],
    )
    packed = codec.pus_tm_pack(*(head + (time, source_data)))
    _expect("pus_tm_pack", _hex(packed), v["raw"])
    fields = tuple(codec.pus_tm_unpack(raw, len(time)))
    _expect("pus_tm_unpack", fields[:8], head)
    t_off, start, size = fields[8], fields[9], fields[10]
    _expect("time", _hex(raw[t_off : t_off + len(time)]), f["time"])
    _expect("source_data", _hex(raw[start : start + size]), f["source_data"])
    cuc = tuple(
        codec.cuc_unpack(raw, t_off, fmt["coarse_octets"], fmt["fine_octets"], fmt["pfield"])
    )
    _expect("time format", cuc[2:4], (fmt["coarse_octets"], fmt["fine_octets"]))
    _expect("time length", cuc[5], len(time))


def check_cuc(codec, v):
    f = v["fields"]
    args = (f["coarse"], f["fine"], f["coarse_octets"], f["fine_octets"], f["pfield"])
    packed = codec.cuc_pack(*(args + (f["time_code_id"],)))
    _expect("cuc_pack", _hex(packed), v["raw"])
    raw = _unhex(v["raw"])
    code_id = f["time_code_id"] if f["pfield"] else 0
    expected = (f["coarse"], f["fine"], f["coarse_octets"], f["fine_octets"], code_id, len(raw))
    unpacked = codec.cuc_unpack(raw, 0, f["coarse_octets"], f["fine_octets"], f["pfield"])
    _expect("cuc_unpack", tuple(unpacked), expected)


CHECKS = (
    ("crc16", check_crc16),
    ("cobs", check_cobs),
    ("header", check_header),
    ("pus_tc", check_pus_tc),
    ("pus_tm", check_pus_tm),
    ("cuc", check_cuc),
)


def check_all(codec, vectors):
    """Run every vector through `codec`; return (failures, number of vectors checked)."""
    failures = []
    checked = 0
    for kind, check in CHECKS:
        for v in vectors[kind]:
            checked += 1
            try:
                check(codec, v)
            except Exception as exc:  # every failure is reported, not raised
                failures.append((kind, v["name"], f"{type(exc).__name__}: {exc}"))
    return failures, checked
