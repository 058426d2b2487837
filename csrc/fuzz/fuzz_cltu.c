/*
 * CLTU decode and encode, and the randomizers. Input: data[0] bit 0 = correct, bit 1 =
 * derandomize on decode, bit 2 = randomize on encode; the rest is the buffer. Decoding must
 * fail cleanly or give whole code blocks from inside the buffer; encoding the buffer and
 * decoding the result must give back the buffer (plus fill) with nothing corrected; both
 * randomizers must be their own inverse.
 */
#include <string.h>

#include "fuzz.h"

static void round_trip(const uint8_t *data, size_t size, int randomize)
{
    ccsds_error err;
    ccsds_cltu_result res;
    size_t cap = ccsds_cltu_encoded_len(size);
    size_t len = 0;
    uint8_t *cltu;
    uint8_t *back;
    size_t i;
    if (cap == 0) {
        FUZZ_CHECK(ccsds_cltu_encode(data, size, randomize, NULL, 0, &len, &err) ==
                   CCSDS_ERR_LENGTH);
        return;
    }
    cltu = malloc(cap);
    back = malloc(cap);
    FUZZ_CHECK(cltu != NULL && back != NULL);
    FUZZ_CHECK(ccsds_cltu_encode(data, size, randomize, cltu, cap, &len, &err) == CCSDS_OK);
    FUZZ_CHECK(len == cap && cltu[0] == 0xEB && cltu[1] == 0x90);
    FUZZ_CHECK(ccsds_cltu_decode(cltu, len, 0, randomize, back, cap, &res, &err) == CCSDS_OK);
    FUZZ_CHECK(res.start == 0 && res.end == len && res.corrected == 0);
    FUZZ_CHECK(res.out_len >= size && res.out_len - size < 7);
    FUZZ_CHECK(memcmp(back, data, size) == 0);
    for (i = size; i < res.out_len && !randomize; i++) {
        FUZZ_CHECK(back[i] == 0x55); /* fill; randomized CLTUs derandomize it too */
    }
    free(cltu);
    free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccsds_error err;
    ccsds_cltu_result res;
    ccsds_status status;
    uint8_t *out;
    uint8_t *twice;
    int flags;
    if (size < 1) {
        return 0;
    }
    flags = data[0];
    data++;
    size--;
    out = malloc(size + 1);
    twice = malloc(size + 1);
    FUZZ_CHECK(out != NULL && twice != NULL);
    status = ccsds_cltu_decode(data, size, flags & 1, (flags >> 1) & 1, out, size, &res, &err);
    if (status != CCSDS_OK) {
        FUZZ_CHECK_ERROR(status, err);
        FUZZ_CHECK(status == CCSDS_ERR_CODING || status == CCSDS_ERR_TRUNCATED);
    } else {
        size_t blocks = res.out_len / 7;
        FUZZ_CHECK(res.out_len > 0 && res.out_len % 7 == 0);
        FUZZ_CHECK(res.start + 2 + blocks * 8 + 8 == res.end && res.end <= size);
        FUZZ_CHECK(data[res.start] == 0xEB && data[res.start + 1] == 0x90);
        FUZZ_CHECK(res.corrected <= blocks && ((flags & 1) || res.corrected == 0));
    }
    ccsds_randomize(data, size, flags & 8, out);
    ccsds_randomize(out, size, flags & 8, twice);
    FUZZ_CHECK(size == 0 || memcmp(twice, data, size) == 0);
    round_trip(data, size, (flags >> 2) & 1);
    free(out);
    free(twice);
    return 0;
}
