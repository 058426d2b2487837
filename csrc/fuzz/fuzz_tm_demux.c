/*
 * TM frames back into packets. Input: data[0] bit 0 = fecf; data[1..2] = frame_length
 * (big-endian, modulo 2100); data[3] = vcid; data[4] = expected_vc (255 meaning -1);
 * data[5] = the carry's length, taken from data[6:]; the frames are what follows, cut to
 * whole frames. The output must be whole packets back to back, none of them idle, no longer
 * than the frames and carry together; the counters must add up to the frames seen.
 */
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccsds_tm_demux_result res;
    ccsds_error err;
    ccsds_status status;
    int fecf;
    int64_t frame_length;
    int64_t expected;
    size_t carry_len;
    size_t len;
    size_t pos;
    uint8_t *carry;
    uint8_t *out;
    if (size < 6) {
        return 0;
    }
    fecf = data[0] & 1;
    frame_length = fuzz_u16(data + 1) % 2100;
    expected = data[4] == 255 ? -1 : data[4];
    carry_len = data[5];
    if (size - 6 < carry_len) {
        return 0;
    }
    len = size - 6 - carry_len;
    if (frame_length > 0) {
        len -= len % (size_t)frame_length;
    }
    carry = malloc(CCSDS_MAX_PACKET_LEN);
    out = malloc(len + carry_len + 1);
    FUZZ_CHECK(carry != NULL && out != NULL);
    memcpy(carry, data + 6, carry_len);
    status = ccsds_tm_demux(data + 6 + carry_len, len, frame_length, fecf, data[3], expected,
                            carry, carry_len, out, len + carry_len, &res, &err);
    if (status != CCSDS_OK) {
        FUZZ_CHECK_ERROR(status, err);
        FUZZ_CHECK(status == CCSDS_ERR_RANGE);
    } else {
        size_t seen = len / (size_t)frame_length;
        FUZZ_CHECK(res.frames + res.bad + res.other == seen && res.gaps <= res.frames);
        FUZZ_CHECK(res.out_len <= len + carry_len && res.carry_len <= CCSDS_MAX_CARRY);
        FUZZ_CHECK(res.expected_vc >= -1 && res.expected_vc <= 255);
        for (pos = 0; pos < res.out_len;) {
            size_t total;
            FUZZ_CHECK(res.out_len - pos >= 7 && (out[pos] >> 5) == 0);
            FUZZ_CHECK(((((unsigned)out[pos] & 7u) << 8) | out[pos + 1]) != 0x7FFu);
            total = (size_t)fuzz_u16(out + pos + 4) + 7;
            FUZZ_CHECK(total <= res.out_len - pos);
            pos += total;
        }
    }
    free(carry);
    free(out);
    return 0;
}
