/*
 * Stream splitting. Input: data[0] bit 0 = check_crc; data[1..2] = max_length (big-endian,
 * 0 meaning the default 65542; values below 7 exercise the range error); the stream is
 * data[3:]. Every packet found must lie inside the consumed octets, in order, with the
 * header fields it reports, and packets plus skipped junk must add up to `consumed`.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccsds_split_arrays arrays;
    ccsds_split_result res;
    ccsds_error err;
    ccsds_status status;
    int check_crc;
    int64_t max_length;
    size_t i;
    size_t covered = 0;
    size_t end = 0;
    if (size < 3) {
        return 0;
    }
    check_crc = data[0] & 1;
    max_length = fuzz_u16(data + 1) == 0 ? CCSDS_MAX_PACKET_LEN : fuzz_u16(data + 1);
    data += 3;
    size -= 3;
    arrays.capacity = ccsds_split_capacity(size, check_crc);
    arrays.offsets = malloc(arrays.capacity * sizeof *arrays.offsets);
    arrays.lengths = malloc(arrays.capacity * sizeof *arrays.lengths);
    arrays.apids = malloc(arrays.capacity * sizeof *arrays.apids);
    arrays.seq_counts = malloc(arrays.capacity * sizeof *arrays.seq_counts);
    FUZZ_CHECK(arrays.offsets && arrays.lengths && arrays.apids && arrays.seq_counts);
    status = ccsds_split(data, size, max_length, check_crc, &arrays, &res, &err);
    if (status != CCSDS_OK) {
        FUZZ_CHECK_ERROR(status, err);
        FUZZ_CHECK(status == CCSDS_ERR_RANGE && max_length < 7);
    } else {
        FUZZ_CHECK(res.count < arrays.capacity); /* the worst case never fills the arrays */
        FUZZ_CHECK(res.consumed <= size);
        for (i = 0; i < res.count; i++) {
            const uint8_t *p = data + arrays.offsets[i];
            size_t len = arrays.lengths[i];
            FUZZ_CHECK(arrays.offsets[i] >= end);
            FUZZ_CHECK(len >= 7 && (int64_t)len <= max_length);
            end = arrays.offsets[i] + len;
            FUZZ_CHECK(end <= res.consumed);
            FUZZ_CHECK((p[0] >> 5) == 0);
            FUZZ_CHECK(len == fuzz_u16(p + 4) + 7u);
            FUZZ_CHECK(arrays.apids[i] == (fuzz_u16(p) & 0x7FFu));
            FUZZ_CHECK(arrays.seq_counts[i] == (fuzz_u16(p + 2) & 0x3FFFu));
            FUZZ_CHECK(!check_crc || ccsds_crc16(p, len, 0xFFFF) == 0);
            covered += len;
        }
        FUZZ_CHECK(covered + res.skipped == res.consumed);
        FUZZ_CHECK(size - res.consumed < CCSDS_MAX_PACKET_LEN);
    }
    free(arrays.offsets);
    free(arrays.lengths);
    free(arrays.apids);
    free(arrays.seq_counts);
    return 0;
}
