/*
 * COBS. Input: any octets. Decoding must fail cleanly or give a frame that re-encodes and
 * decodes to the same octets; encoding the input must give a zero-free frame within the
 * size bound that decodes back to exactly the input.
 */
#include <string.h>

#include "fuzz.h"

static void round_trip(const uint8_t *data, size_t size)
{
    ccsds_error err;
    size_t cap = ccsds_cobs_encode_max(size);
    uint8_t *frame = malloc(cap);
    uint8_t *back = malloc(cap);
    size_t frame_len = 0;
    size_t back_len = 0;
    FUZZ_CHECK(frame != NULL && back != NULL);
    FUZZ_CHECK(ccsds_cobs_encode(data, size, frame, cap, &frame_len, &err) == CCSDS_OK);
    FUZZ_CHECK(frame_len >= 1 && frame_len <= cap);
    FUZZ_CHECK(memchr(frame, 0, frame_len) == NULL);
    FUZZ_CHECK(ccsds_cobs_decode(frame, frame_len, back, cap, &back_len, &err) == CCSDS_OK);
    FUZZ_CHECK(back_len == size && (size == 0 || memcmp(back, data, size) == 0));
    free(frame);
    free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccsds_error err;
    uint8_t *decoded = malloc(size + 1);
    size_t len = 0;
    ccsds_status status;
    FUZZ_CHECK(decoded != NULL);
    status = ccsds_cobs_decode(data, size, decoded, size, &len, &err);
    if (status == CCSDS_OK) {
        FUZZ_CHECK(len <= size);
        round_trip(decoded, len);
    } else {
        FUZZ_CHECK(status == CCSDS_ERR_FRAMING && err.text != NULL);
        FUZZ_CHECK(err.offset >= 0 && (size_t)err.offset < size);
    }
    free(decoded);
    round_trip(data, size);
    return 0;
}
