/*
 * Primary header unpack/pack. Input: offset = data[0] % 8, then the buffer data[1:].
 * A header that unpacks must pack back to the same six octets.
 */
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccsds_header h;
    ccsds_error err;
    uint8_t packed[6];
    size_t offset;
    ccsds_status status;
    if (size < 1) {
        return 0;
    }
    offset = data[0] % 8;
    data++;
    size--;
    status = ccsds_unpack_header(data, size, offset, &h, &err);
    if (status != CCSDS_OK) {
        FUZZ_CHECK_ERROR(status, err);
        FUZZ_CHECK(err.offset == (int64_t)offset);
        return 0;
    }
    FUZZ_CHECK(offset + 6 <= size);
    status = ccsds_pack_header(h.type, h.sec_hdr, h.apid, h.seq_flags, h.seq_count,
                               h.data_length, packed, &err);
    FUZZ_CHECK(status == CCSDS_OK);
    FUZZ_CHECK(memcmp(packed, data + offset, 6) == 0);
    return 0;
}
