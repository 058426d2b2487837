/*
 * Starling CCSDS codec: Space Packets (133.0-B-2), PUS-C TC/TM (ECSS-E-ST-70-41C),
 * CUC time (301.0-B-4), CRC-16/CCITT-FALSE and COBS.
 *
 * The C twin of flight/ccsds/pure: every function validates in the same order and reports
 * the same error (kind, field, offset, expected, actual) as the pure-Python reference.
 * Rules: C99, no heap, every length checked before use, no assert reachable from input.
 * Functions return a ccsds_status; on failure they fill *err and leave outputs undefined.
 * Callers own all buffers and pass their capacities.
 */
#ifndef STARLING_CCSDS_H
#define STARLING_CCSDS_H

#include <stddef.h>
#include <stdint.h>

#define CCSDS_HEADER_LEN 6
#define CCSDS_MAX_PACKET_LEN (CCSDS_HEADER_LEN + 65536)
#define CCSDS_PUS_TC_SEC_LEN 5
#define CCSDS_PUS_TM_SEC_LEN 7
#define CCSDS_CRC_LEN 2
#define CCSDS_PUS_VERSION 2
#define CCSDS_CUC_MAX_COARSE 7
#define CCSDS_CUC_MAX_FINE 7
#define CCSDS_CUC_MAX_LEN (2 + CCSDS_CUC_MAX_COARSE + CCSDS_CUC_MAX_FINE)
#define CCSDS_TM_MAX_TIME_LEN 64

/* Error kinds; each maps to the errors.py class of the same name. */
typedef enum {
    CCSDS_OK = 0,
    CCSDS_ERR_TRUNCATED = 1, /* TruncatedError(field, offset, needed=expected, available=actual) */
    CCSDS_ERR_HEADER = 2,    /* HeaderError(field, offset, expected or text, actual) */
    CCSDS_ERR_LENGTH = 3,    /* LengthError(field, offset, expected or text, actual) */
    CCSDS_ERR_CHECKSUM = 4,  /* ChecksumError(offset, computed=expected, stored=actual) */
    CCSDS_ERR_FRAMING = 5,   /* FramingError(reason=text, offset) */
    CCSDS_ERR_RANGE = 6,     /* FieldRangeError(field, low, high, actual) */
    CCSDS_ERR_CAPACITY = 7,  /* the caller's output buffer is too small: a caller bug */
    CCSDS_ERR_CODING = 8     /* CodingError(field, offset, reason=text); frames.h */
} ccsds_status;

/* What went wrong, with the same fields as the Python exception. Strings are static. */
typedef struct {
    const char *field;
    const char *text; /* `expected` as text, a "%d" in it standing for `expected`; or a
                         framing reason; NULL when `expected` is just the number */
    int64_t offset;
    int64_t expected;
    int64_t actual;
    int64_t low;
    int64_t high;
} ccsds_error;

/* ---- CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF); crc.c ---- */
uint16_t ccsds_crc16(const uint8_t *data, size_t len, uint16_t crc);

/* ---- primary header, split, packetize; packet.c ---- */
typedef struct {
    uint8_t version, type, sec_hdr, seq_flags;
    uint16_t apid, seq_count, data_length;
} ccsds_header;

ccsds_status ccsds_pack_header(int64_t ptype, int64_t sec_hdr, int64_t apid, int64_t seq_flags,
                               int64_t seq_count, int64_t data_length, uint8_t out[6],
                               ccsds_error *err);
ccsds_status ccsds_unpack_header(const uint8_t *data, size_t len, size_t offset,
                                 ccsds_header *out, ccsds_error *err);

/* Caller-provided output arrays for ccsds_split, each with room for `capacity` entries. */
typedef struct {
    uint32_t *offsets;
    uint32_t *lengths;
    uint16_t *apids;
    uint16_t *seq_counts;
    size_t capacity;
} ccsds_split_arrays;

typedef struct {
    size_t count;    /* packets found */
    size_t consumed; /* octets used, packets and junk; the rest waits for the next read */
    size_t skipped;  /* junk octets passed over */
} ccsds_split_result;

/* Entries ccsds_split can ever need for `len` octets (the smallest packet is 7 octets). */
size_t ccsds_split_capacity(size_t len, int check_crc);
/* Stops early, leaving the rest unconsumed, when the arrays are full. */
ccsds_status ccsds_split(const uint8_t *buf, size_t len, int64_t max_length, int check_crc,
                         const ccsds_split_arrays *arrays, ccsds_split_result *res,
                         ccsds_error *err);

/* Checks the arguments like ccsds_packetize and gives the stream's exact size in *size. */
ccsds_status ccsds_packetize_size(size_t payload_len, int64_t apid, int64_t seq_count,
                                  int64_t chunk, int64_t ptype, int crc, size_t *size,
                                  ccsds_error *err);
ccsds_status ccsds_packetize(const uint8_t *payload, size_t payload_len, int64_t apid,
                             int64_t seq_count, int64_t chunk, int64_t ptype, int crc,
                             uint8_t *out, size_t out_cap, size_t *out_len,
                             uint16_t *next_seq_count, ccsds_error *err);

/* ---- PUS-C packets; pus.c ---- */
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

ccsds_status ccsds_pus_tc_pack(int64_t apid, int64_t seq_flags, int64_t seq_count,
                               int64_t ack_flags, int64_t service, int64_t subtype,
                               int64_t source_id, const uint8_t *app_data, size_t app_len,
                               uint8_t *out, size_t out_cap, size_t *out_len, ccsds_error *err);
ccsds_status ccsds_pus_tm_pack(int64_t apid, int64_t seq_flags, int64_t seq_count,
                               int64_t time_ref, int64_t service, int64_t subtype,
                               int64_t msg_counter, int64_t dest_id, const uint8_t *time,
                               size_t time_len, const uint8_t *source_data, size_t source_len,
                               uint8_t *out, size_t out_cap, size_t *out_len, ccsds_error *err);
ccsds_status ccsds_pus_tc_unpack(const uint8_t *data, size_t len, ccsds_pus_tc *out,
                                 ccsds_error *err);
ccsds_status ccsds_pus_tm_unpack(const uint8_t *data, size_t len, int64_t time_len,
                                 ccsds_pus_tm *out, ccsds_error *err);

/* ---- CUC time; cuc.c ---- */
typedef struct {
    uint64_t coarse, fine;
    uint8_t coarse_octets, fine_octets, time_code_id, length;
} ccsds_cuc;

/* out needs CCSDS_CUC_MAX_LEN octets. */
ccsds_status ccsds_cuc_pack(int64_t coarse, int64_t fine, int64_t coarse_octets,
                            int64_t fine_octets, int pfield, int64_t time_code_id, uint8_t *out,
                            size_t *out_len, ccsds_error *err);
/* Error offsets count from the start of `data`; the octet counts are ignored with pfield. */
ccsds_status ccsds_cuc_unpack(const uint8_t *data, size_t len, size_t offset,
                              int64_t coarse_octets, int64_t fine_octets, int pfield,
                              ccsds_cuc *out, ccsds_error *err);

/* ---- COBS without delimiters; cobs.c ---- */
size_t ccsds_cobs_encode_max(size_t len); /* 0 when the size would overflow size_t */
ccsds_status ccsds_cobs_encode(const uint8_t *data, size_t len, uint8_t *out, size_t out_cap,
                               size_t *out_len, ccsds_error *err);
/* out needs `len` octets (a frame never decodes to more than it holds). */
ccsds_status ccsds_cobs_decode(const uint8_t *data, size_t len, uint8_t *out, size_t out_cap,
                               size_t *out_len, ccsds_error *err);

#endif /* STARLING_CCSDS_H */
