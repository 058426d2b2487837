/*
 * TC frame unpack and pack. Input: data[0] bit 0 = fecf, bit 1 = segmented; the frame is
 * data[1:]. A frame that unpacks must pack back, from its fields and data field, to exactly
 * its own octets, and lie inside the input.
 */
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccsds_tc_frame f;
    ccsds_error err;
    uint8_t again[CCSDS_TC_MAX_FRAME_LEN];
    size_t len = 0;
    int fecf;
    int segmented;
    ccsds_status status;
    if (size < 1) {
        return 0;
    }
    fecf = data[0] & 1;
    segmented = (data[0] >> 1) & 1;
    data++;
    size--;
    status = ccsds_tc_frame_unpack(data, size, fecf, segmented, &f, &err);
    if (status != CCSDS_OK) {
        FUZZ_CHECK_ERROR(status, err);
        return 0;
    }
    FUZZ_CHECK(f.length <= size && f.length <= CCSDS_TC_MAX_FRAME_LEN);
    FUZZ_CHECK(f.data_offset + f.data_length + (fecf ? 2u : 0u) == f.length);
    FUZZ_CHECK(f.data_length >= 1);
    FUZZ_CHECK(f.control || (f.command == -1 && f.set_vr == -1));
    FUZZ_CHECK(!f.control || f.bypass);
    status = ccsds_tc_frame_pack(f.bypass, f.control, f.scid, f.vcid, f.seq, f.segment,
                                 data + f.data_offset, f.data_length, fecf, again, sizeof again,
                                 &len, &err);
    FUZZ_CHECK(status == CCSDS_OK);
    FUZZ_CHECK(len == f.length && memcmp(again, data, len) == 0);
    return 0;
}
