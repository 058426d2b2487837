/*
 * Consistent Overhead Byte Stuffing without the frame delimiters, byte-identical to
 * flight/ccsds/pure/cobs.py and to the `cobs` package tmtccmd's SerialCobsComIF uses.
 */
#include <string.h>

#include "internal.h"

size_t ccsds_cobs_encode_max(size_t len)
{
    /* one code octet per 254 data octets, plus the first */
    size_t extra = len / 254 + 1;
    return len > SIZE_MAX - extra ? 0 : len + extra;
}

ccsds_status ccsds_cobs_encode(const uint8_t *data, size_t len, uint8_t *out, size_t out_cap,
                               size_t *out_len, ccsds_error *err)
{
    size_t start = 0;
    uint8_t *o = out;
    size_t needed = ccsds_cobs_encode_max(len);
    if (needed == 0 || out_cap < needed) {
        return ccsds_fail(err, CCSDS_ERR_CAPACITY, "output", NULL, -1, (int64_t)needed,
                          (int64_t)out_cap);
    }
    for (;;) {
        /* a block holds up to 254 non-zero octets and ends at a zero, at 254, or at the end */
        size_t limit = len - start < 254 ? len : start + 254;
        const uint8_t *zero = limit > start ? memchr(data + start, 0, limit - start) : NULL;
        size_t end = zero != NULL ? (size_t)(zero - data) : limit;
        size_t block = end - start;
        *o++ = (uint8_t)(block + 1);
        if (block > 0) {
            memcpy(o, data + start, block);
            o += block;
        }
        if (block == 254) {
            /* a full block (code 0xFF) consumes no zero octet */
            start = end;
            if (start == len) {
                break;
            }
            continue;
        }
        if (end == len) {
            break;
        }
        start = end + 1;
    }
    *out_len = (size_t)(o - out);
    return CCSDS_OK;
}

ccsds_status ccsds_cobs_decode(const uint8_t *data, size_t len, uint8_t *out, size_t out_cap,
                               size_t *out_len, ccsds_error *err)
{
    size_t i = 0;
    uint8_t *o = out;
    if (out_cap < len) {
        return ccsds_fail(err, CCSDS_ERR_CAPACITY, "output", NULL, -1, (int64_t)len,
                          (int64_t)out_cap);
    }
    while (i < len) {
        size_t code = data[i];
        size_t block;
        const uint8_t *zero;
        if (code == 0) {
            return ccsds_fail(err, CCSDS_ERR_FRAMING, "cobs", "zero byte", (int64_t)i, 0, 0);
        }
        if (code > len - i) {
            return ccsds_fail(err, CCSDS_ERR_FRAMING, "cobs", "code runs past the end",
                              (int64_t)i, 0, 0);
        }
        block = code - 1;
        zero = block > 0 ? memchr(data + i + 1, 0, block) : NULL;
        if (zero != NULL) {
            return ccsds_fail(err, CCSDS_ERR_FRAMING, "cobs", "zero byte",
                              (int64_t)(zero - data), 0, 0);
        }
        if (block > 0) {
            memcpy(o, data + i + 1, block);
            o += block;
        }
        i += code;
        if (code < 0xFF && i < len) {
            *o++ = 0;
        }
    }
    *out_len = (size_t)(o - out);
    return CCSDS_OK;
}
