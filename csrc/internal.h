/*
 * Helpers shared by the codec's C files (not part of the public API): error reporting in the
 * shape of flight/ccsds/errors.py, big-endian stores and loads.
 */
#ifndef STARLING_CCSDS_INTERNAL_H
#define STARLING_CCSDS_INTERNAL_H

#include "ccsds.h"

static inline ccsds_status ccsds_fail(ccsds_error *err, ccsds_status status, const char *field,
                                      const char *text, int64_t offset, int64_t expected,
                                      int64_t actual)
{
    if (err != NULL) {
        err->field = field;
        err->text = text;
        err->offset = offset;
        err->expected = expected;
        err->actual = actual;
        err->low = 0;
        err->high = 0;
    }
    return status;
}

/* FieldRangeError(field, low, high, actual): offset is -1, expected is (low, high). */
static inline ccsds_status ccsds_range(ccsds_error *err, const char *field, int64_t low,
                                       int64_t high, int64_t actual)
{
    ccsds_fail(err, CCSDS_ERR_RANGE, field, NULL, -1, 0, actual);
    if (err != NULL) {
        err->low = low;
        err->high = high;
    }
    return CCSDS_ERR_RANGE;
}

/* The twin's _check(): 0 <= value <= high. */
#define CCSDS_CHECK(err, name, value, high)                                                   \
    do {                                                                                      \
        if ((value) < 0 || (value) > (high)) {                                                \
            return ccsds_range((err), (name), 0, (high), (value));                            \
        }                                                                                     \
    } while (0)

static inline uint16_t ccsds_load16(const uint8_t *p)
{
    return (uint16_t)(((unsigned)p[0] << 8) | p[1]);
}

static inline void ccsds_store16(uint8_t *p, unsigned value)
{
    p[0] = (uint8_t)(value >> 8);
    p[1] = (uint8_t)(value & 0xFFu);
}

/* Writes a primary header whose fields the caller has already range-checked. */
static inline void ccsds_write_header(uint8_t *p, unsigned ptype, unsigned sec_hdr, unsigned apid,
                                      unsigned seq_flags, unsigned seq_count, unsigned data_length)
{
    ccsds_store16(p, (ptype << 12) | (sec_hdr << 11) | apid);
    ccsds_store16(p + 2, (seq_flags << 14) | seq_count);
    ccsds_store16(p + 4, data_length);
}

#endif /* STARLING_CCSDS_INTERNAL_H */
