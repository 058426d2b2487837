/*
 * TM frame unpack and pack. Input: data[0] bit 0 = fecf; the frame is data[1:]. A frame
 * that unpacks must pack back, from its fields and data field, to exactly the input.
 */
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccsds_tm_frame f;
    ccsds_error err;
    uint8_t again[CCSDS_TM_MAX_FRAME_LEN];
    size_t len = 0;
    int fecf;
    ccsds_status status;
    if (size < 1) {
        return 0;
    }
    fecf = data[0] & 1;
    data++;
    size--;
    status = ccsds_tm_frame_unpack(data, size, fecf, &f, &err);
    if (status != CCSDS_OK) {
        FUZZ_CHECK_ERROR(status, err);
        return 0;
    }
    FUZZ_CHECK(size <= CCSDS_TM_MAX_FRAME_LEN && f.data_length >= 1);
    FUZZ_CHECK(f.fhp >= CCSDS_FHP_IDLE || f.fhp < f.data_length);
    status = ccsds_tm_frame_pack(f.scid, f.vcid, f.mc, f.vc, f.fhp, data + f.data_offset,
                                 f.data_length, f.ocf, fecf, again, sizeof again, &len, &err);
    FUZZ_CHECK(status == CCSDS_OK);
    FUZZ_CHECK(len == size && memcmp(again, data, len) == 0);
    return 0;
}
