/*
 * ASM synchronisation. Input: data[0] bit 0 = check_fecf; data[1..2] = frame_length
 * (big-endian, 0 meaning 7; out-of-range values exercise the range error); the stream is
 * data[3:]. Every frame found must follow an ASM, lie inside the consumed octets in order,
 * and frames plus skipped junk must add up to `consumed`.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccsds_split_result res;
    ccsds_error err;
    ccsds_status status;
    uint32_t *offsets;
    size_t capacity;
    int check;
    int64_t frame_length;
    size_t i;
    size_t end = 0;
    if (size < 3) {
        return 0;
    }
    check = data[0] & 1;
    frame_length = fuzz_u16(data + 1) == 0 ? 7 : fuzz_u16(data + 1);
    data += 3;
    size -= 3;
    capacity = ccsds_tm_sync_capacity(size);
    offsets = malloc(capacity * sizeof *offsets);
    FUZZ_CHECK(offsets != NULL);
    status = ccsds_tm_sync(data, size, frame_length, check, offsets, capacity, &res, &err);
    if (status != CCSDS_OK) {
        FUZZ_CHECK_ERROR(status, err);
        FUZZ_CHECK(status == CCSDS_ERR_RANGE && (frame_length < 7 || frame_length > 2048));
    } else {
        FUZZ_CHECK(res.count < capacity && res.consumed <= size);
        for (i = 0; i < res.count; i++) {
            const uint8_t *p = data + offsets[i];
            FUZZ_CHECK(offsets[i] >= end + 4);
            FUZZ_CHECK(p[-4] == 0x1A && p[-3] == 0xCF && p[-2] == 0xFC && p[-1] == 0x1D);
            FUZZ_CHECK((p[0] >> 6) == 0);
            FUZZ_CHECK(!check || ccsds_crc16(p, (size_t)frame_length, 0xFFFF) == 0);
            end = offsets[i] + (size_t)frame_length;
            FUZZ_CHECK(end <= res.consumed);
        }
        FUZZ_CHECK(res.skipped + res.count * (4 + (size_t)frame_length) == res.consumed);
        FUZZ_CHECK(size - res.consumed < 4 + (size_t)frame_length);
    }
    free(offsets);
    return 0;
}
