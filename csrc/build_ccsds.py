"""cffi (API mode) build of the C codec into `flight.ccsds._ccsds_c`.

setup.py names `csrc/build_ccsds.py:ffibuilder` in `cffi_modules`: build with
`pip install -e .` or, in place, `python setup.py build_ext --inplace` from the project root
(source paths are relative to it, so objects land in build/, never beside the sources).
"""

from pathlib import Path

from cffi import FFI

HERE = Path(__file__).resolve().parent
SOURCES = ["crc.c", "packet.c", "pus.c", "cuc.c", "cobs.c"]
CFLAGS = ["-std=c99", "-O3", "-Wall", "-Wextra", "-Werror"]

# Declarations cffi exposes; they mirror ccsds.h (cffi's parser takes no preprocessor lines).
CDEF = """
typedef enum {
    CCSDS_OK = 0, CCSDS_ERR_TRUNCATED = 1, CCSDS_ERR_HEADER = 2, CCSDS_ERR_LENGTH = 3,
    CCSDS_ERR_CHECKSUM = 4, CCSDS_ERR_FRAMING = 5, CCSDS_ERR_RANGE = 6, CCSDS_ERR_CAPACITY = 7
} ccsds_status;
typedef struct {
    const char *field; const char *text;
    int64_t offset; int64_t expected; int64_t actual; int64_t low; int64_t high;
} ccsds_error;
typedef struct {
    uint8_t version, type, sec_hdr, seq_flags;
    uint16_t apid, seq_count, data_length;
} ccsds_header;
typedef struct {
    uint32_t *offsets; uint32_t *lengths; uint16_t *apids; uint16_t *seq_counts;
    size_t capacity;
} ccsds_split_arrays;
typedef struct { size_t count; size_t consumed; size_t skipped; } ccsds_split_result;
typedef struct {
    uint16_t apid, seq_count, source_id;
    uint8_t seq_flags, ack_flags, service, subtype;
    uint32_t app_data_offset, app_data_length;
} ccsds_pus_tc;
typedef struct {
    uint16_t apid, seq_count, msg_counter, dest_id;
    uint8_t seq_flags, time_ref, service, subtype;
    uint32_t time_offset, source_data_offset, source_data_length;
} ccsds_pus_tm;
typedef struct {
    uint64_t coarse, fine;
    uint8_t coarse_octets, fine_octets, time_code_id, length;
} ccsds_cuc;

uint16_t ccsds_crc16(const uint8_t *data, size_t len, uint16_t crc);
ccsds_status ccsds_pack_header(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                               uint8_t out[6], ccsds_error *err);
ccsds_status ccsds_unpack_header(const uint8_t *data, size_t len, size_t offset,
                                 ccsds_header *out, ccsds_error *err);
size_t ccsds_split_capacity(size_t len, int check_crc);
ccsds_status ccsds_split(const uint8_t *buf, size_t len, int64_t max_length, int check_crc,
                         const ccsds_split_arrays *arrays, ccsds_split_result *res,
                         ccsds_error *err);
ccsds_status ccsds_packetize_size(size_t payload_len, int64_t apid, int64_t seq_count,
                                  int64_t chunk, int64_t ptype, int crc, size_t *size,
                                  ccsds_error *err);
ccsds_status ccsds_packetize(const uint8_t *payload, size_t payload_len, int64_t apid,
                             int64_t seq_count, int64_t chunk, int64_t ptype, int crc,
                             uint8_t *out, size_t out_cap, size_t *out_len,
                             uint16_t *next_seq_count, ccsds_error *err);
ccsds_status ccsds_pus_tc_pack(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                               const uint8_t *app_data, size_t app_len, uint8_t *out,
                               size_t out_cap, size_t *out_len, ccsds_error *err);
ccsds_status ccsds_pus_tm_pack(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                               int64_t, const uint8_t *time, size_t time_len,
                               const uint8_t *source_data, size_t source_len, uint8_t *out,
                               size_t out_cap, size_t *out_len, ccsds_error *err);
ccsds_status ccsds_pus_tc_unpack(const uint8_t *data, size_t len, ccsds_pus_tc *out,
                                 ccsds_error *err);
ccsds_status ccsds_pus_tm_unpack(const uint8_t *data, size_t len, int64_t time_len,
                                 ccsds_pus_tm *out, ccsds_error *err);
ccsds_status ccsds_cuc_pack(int64_t coarse, int64_t fine, int64_t coarse_octets,
                            int64_t fine_octets, int pfield, int64_t time_code_id, uint8_t *out,
                            size_t *out_len, ccsds_error *err);
ccsds_status ccsds_cuc_unpack(const uint8_t *data, size_t len, size_t offset,
                              int64_t coarse_octets, int64_t fine_octets, int pfield,
                              ccsds_cuc *out, ccsds_error *err);
size_t ccsds_cobs_encode_max(size_t len);
ccsds_status ccsds_cobs_encode(const uint8_t *data, size_t len, uint8_t *out, size_t out_cap,
                               size_t *out_len, ccsds_error *err);
ccsds_status ccsds_cobs_decode(const uint8_t *data, size_t len, uint8_t *out, size_t out_cap,
                               size_t *out_len, ccsds_error *err);
"""


def _relative(path: Path) -> str:
    # setuptools wants sources relative to the project root, where setup.py runs
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


ffibuilder = FFI()
ffibuilder.cdef(CDEF)
ffibuilder.set_source(
    "flight.ccsds._ccsds_c",
    '#include "ccsds.h"',
    sources=[_relative(HERE / name) for name in SOURCES],
    include_dirs=[_relative(HERE)],
    extra_compile_args=CFLAGS,
)
