"""cffi (API mode) build of the C codec into `flight.ccsds._ccsds_c`.

setup.py names `csrc/build_ccsds.py:ffibuilder` in `cffi_modules`: build with
`pip install -e .` or, in place, `python setup.py build_ext --inplace` from the project root
(source paths are relative to it, so objects land in build/, never beside the sources).
"""

from pathlib import Path

from cffi import FFI

HERE = Path(__file__).resolve().parent
SOURCES = ["crc.c", "packet.c", "pus.c", "cuc.c", "cobs.c", "tcframe.c", "cltu.c", "tmframe.c"]
SOURCES += ["tmmux.c"]
CFLAGS = ["-std=c99", "-O3", "-Wall", "-Wextra", "-Werror"]

# Declarations cffi exposes; they mirror ccsds.h (cffi's parser takes no preprocessor lines).
CDEF = """
typedef enum {
    CCSDS_OK = 0, CCSDS_ERR_TRUNCATED = 1, CCSDS_ERR_HEADER = 2, CCSDS_ERR_LENGTH = 3,
    CCSDS_ERR_CHECKSUM = 4, CCSDS_ERR_FRAMING = 5, CCSDS_ERR_RANGE = 6, CCSDS_ERR_CAPACITY = 7,
    CCSDS_ERR_CODING = 8
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

# frames.h
CDEF += """
typedef struct {
    uint8_t bypass, control, vcid, seq;
    uint16_t scid, length, data_offset, data_length;
    int16_t segment; int16_t command; int16_t set_vr;
} ccsds_tc_frame;
typedef struct {
    uint8_t status, cop, vcid, no_rf, no_bitlock, lockout, wait, retransmit, farm_b, report;
} ccsds_clcw;
typedef struct { size_t out_len; size_t start; size_t end; size_t corrected; } ccsds_cltu_result;
typedef struct {
    uint16_t scid, fhp, data_offset, data_length;
    uint8_t vcid, mc, vc;
    int64_t ocf;
} ccsds_tm_frame;
typedef struct { size_t out_len, count, consumed, lead; uint8_t mc, vc; } ccsds_tm_mux_result;
typedef struct {
    size_t out_len, carry_len, frames, gaps, bad, other, dropped;
    int64_t expected_vc;
} ccsds_tm_demux_result;

ccsds_status ccsds_tc_frame_pack(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                                 const uint8_t *data, size_t len, int fecf, uint8_t *out,
                                 size_t out_cap, size_t *out_len, ccsds_error *err);
ccsds_status ccsds_tc_frame_unpack(const uint8_t *data, size_t len, int fecf, int segmented,
                                   ccsds_tc_frame *out, ccsds_error *err);
ccsds_status ccsds_clcw_pack(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                             int64_t, int64_t, int64_t, uint8_t out[4], ccsds_error *err);
ccsds_status ccsds_clcw_unpack(const uint8_t *data, size_t len, size_t offset, ccsds_clcw *out,
                               ccsds_error *err);
void ccsds_randomize(const uint8_t *data, size_t len, int tm, uint8_t *out);
size_t ccsds_cltu_encoded_len(size_t len);
ccsds_status ccsds_cltu_encode(const uint8_t *data, size_t len, int randomize, uint8_t *out,
                               size_t out_cap, size_t *out_len, ccsds_error *err);
ccsds_status ccsds_cltu_decode(const uint8_t *buf, size_t len, int correct, int derandomize,
                               uint8_t *out, size_t out_cap, ccsds_cltu_result *res,
                               ccsds_error *err);
ccsds_status ccsds_tm_frame_pack(int64_t, int64_t, int64_t, int64_t, int64_t,
                                 const uint8_t *data, size_t len, int64_t ocf, int fecf,
                                 uint8_t *out, size_t out_cap, size_t *out_len, ccsds_error *err);
ccsds_status ccsds_tm_frame_unpack(const uint8_t *data, size_t len, int fecf,
                                   ccsds_tm_frame *out, ccsds_error *err);
size_t ccsds_tm_sync_capacity(size_t len);
ccsds_status ccsds_tm_sync(const uint8_t *buf, size_t len, int64_t frame_length, int check_fecf,
                           uint32_t *offsets, size_t capacity, ccsds_split_result *res,
                           ccsds_error *err);
size_t ccsds_tm_mux_capacity(size_t len, int64_t frame_length, int64_t ocf, int fecf);
ccsds_status ccsds_tm_mux(const uint8_t *stream, size_t len, int64_t lead, int64_t scid,
                          int64_t vcid, int64_t mc, int64_t vc, int64_t frame_length,
                          int64_t ocf, int fecf, int flush, uint8_t *out, size_t out_cap,
                          ccsds_tm_mux_result *res, ccsds_error *err);
ccsds_status ccsds_tm_demux(const uint8_t *frames, size_t len, int64_t frame_length, int fecf,
                            int64_t vcid, int64_t expected_vc, uint8_t *carry, size_t carry_len,
                            uint8_t *out, size_t out_cap, ccsds_tm_demux_result *res,
                            ccsds_error *err);
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
    '#include "ccsds.h"\n#include "frames.h"',
    sources=[_relative(HERE / name) for name in SOURCES],
    include_dirs=[_relative(HERE)],
    extra_compile_args=CFLAGS,
)
