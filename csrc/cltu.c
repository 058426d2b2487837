/*
 * CLTUs with BCH(63,56) code blocks (CCSDS 231.0-B-4) and the TC/TM randomizers.
 * The code, the fill and the decoding rules are described in flight/ccsds/pure/cltu.py,
 * which this mirrors check for check; the tables come from gen_frame_tables.py.
 */
#include <string.h>

#include "frame_tables.h"
#include "frames.h"
#include "internal.h"

#define INFO_LEN 7
#define BLOCK_LEN 8
#define FILL 0x55u

static const uint8_t start_sequence[2] = {0xEB, 0x90};
static const uint8_t tail_sequence[BLOCK_LEN] = {0xC5, 0xC5, 0xC5, 0xC5, 0xC5, 0xC5, 0xC5, 0x79};

void ccsds_randomize(const uint8_t *data, size_t len, int tm, uint8_t *out)
{
    const uint8_t *seq = tm ? ccsds_tm_sequence : ccsds_tc_sequence;
    size_t i;
    size_t k = 0;
    for (i = 0; i < len; i++) {
        out[i] = (uint8_t)(data[i] ^ seq[k]);
        k = k == 254 ? 0 : k + 1;
    }
}

/* The 7-bit remainder of info(x)·x^7 mod g(x) over 7 information octets. */
static unsigned remainder7(const uint8_t *info)
{
    unsigned reg = 0;
    int i;
    for (i = 0; i < INFO_LEN; i++) {
        /* the register lines up with the next 7 data bits: one lookup per octet */
        reg = ccsds_bch_table[((reg << 1) ^ info[i]) & 0xFFu];
    }
    return reg;
}

size_t ccsds_cltu_encoded_len(size_t len)
{
    if (len < 1 || len > CCSDS_CLTU_MAX_DATA) {
        return 0;
    }
    return 2 + (len + INFO_LEN - 1) / INFO_LEN * BLOCK_LEN + BLOCK_LEN;
}

ccsds_status ccsds_cltu_encode(const uint8_t *data, size_t len, int randomize, uint8_t *out,
                               size_t out_cap, size_t *out_len, ccsds_error *err)
{
    size_t needed = ccsds_cltu_encoded_len(len);
    size_t pos = 0;
    uint8_t *o = out;
    size_t k = 0;
    if (needed == 0) {
        return ccsds_fail(err, CCSDS_ERR_LENGTH, "data", "1..65535", -1, 0, (int64_t)len);
    }
    if (out_cap < needed) {
        return ccsds_fail(err, CCSDS_ERR_CAPACITY, "output", NULL, -1, (int64_t)needed,
                          (int64_t)out_cap);
    }
    memcpy(o, start_sequence, sizeof start_sequence);
    o += sizeof start_sequence;
    while (pos < len) {
        int i;
        for (i = 0; i < INFO_LEN; i++, pos++) {
            if (pos < len) {
                o[i] = randomize ? (uint8_t)(data[pos] ^ ccsds_tc_sequence[k]) : data[pos];
                k = k == 254 ? 0 : k + 1;
            } else {
                o[i] = FILL; /* fill goes in after randomization, as plain 0x55 */
            }
        }
        o[INFO_LEN] = (uint8_t)(((~remainder7(o)) & 0x7Fu) << 1);
        o += BLOCK_LEN;
    }
    memcpy(o, tail_sequence, sizeof tail_sequence);
    o += sizeof tail_sequence;
    *out_len = (size_t)(o - out);
    return CCSDS_OK;
}

ccsds_status ccsds_cltu_decode(const uint8_t *buf, size_t len, int correct, int derandomize,
                               uint8_t *out, size_t out_cap, ccsds_cltu_result *res,
                               ccsds_error *err)
{
    size_t start;
    size_t pos;
    size_t n = 0;
    size_t corrected = 0;
    if (out_cap < len) {
        return ccsds_fail(err, CCSDS_ERR_CAPACITY, "output", NULL, -1, (int64_t)len,
                          (int64_t)out_cap);
    }
    for (start = 0; start + 1 < len; start++) {
        if (buf[start] == 0xEB && buf[start + 1] == 0x90) {
            break;
        }
    }
    if (start + 1 >= len) {
        return ccsds_fail(err, CCSDS_ERR_CODING, "start_sequence", "no start sequence", -1, 0,
                          0);
    }
    pos = start + 2;
    for (;;) {
        unsigned syndrome;
        if (len - pos < BLOCK_LEN) {
            return ccsds_fail(err, CCSDS_ERR_TRUNCATED, "code_block", NULL, (int64_t)pos,
                              BLOCK_LEN, (int64_t)(len - pos));
        }
        if (memcmp(buf + pos, tail_sequence, BLOCK_LEN) == 0) {
            break;
        }
        memcpy(out + n, buf + pos, INFO_LEN);
        syndrome = remainder7(buf + pos) ^ ((~(unsigned)buf[pos + INFO_LEN] >> 1) & 0x7Fu);
        if (syndrome != 0) {
            int bit = ccsds_bch_syndrome[syndrome];
            if (!correct || bit < 0) {
                return ccsds_fail(err, CCSDS_ERR_CODING, "code_block",
                                  "code block fails decoding", (int64_t)pos, 0, 0);
            }
            if (bit < 56) {
                out[n + (size_t)bit / 8] ^= (uint8_t)(0x80u >> (bit % 8));
            }
            corrected++;
        }
        n += INFO_LEN;
        pos += BLOCK_LEN;
    }
    if (n == 0) {
        return ccsds_fail(err, CCSDS_ERR_CODING, "code_block",
                          "no code block before the tail sequence", (int64_t)pos, 0, 0);
    }
    if (derandomize) {
        ccsds_randomize(out, n, 0, out);
    }
    res->out_len = n;
    res->start = start;
    res->end = pos + BLOCK_LEN;
    res->corrected = corrected;
    return CCSDS_OK;
}
