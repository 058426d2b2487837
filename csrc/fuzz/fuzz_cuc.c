/*
 * CUC time unpack/pack. Input: data[0] bit 0 = pfield, bits 1-3 = coarse_octets (0..7),
 * bits 4-7 = fine_octets (0..15; out-of-range counts exercise the range errors);
 * offset = data[1] % 4; the buffer is data[2:]. A time that unpacks must pack back to the
 * same octets without a P-field, and to a P-field encoding that unpacks to the same values
 * with one (a P-field may encode a format in more than one way).
 */
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccsds_cuc t;
    ccsds_cuc again;
    ccsds_error err;
    uint8_t packed[CCSDS_CUC_MAX_LEN];
    size_t len = 0;
    int pfield;
    size_t offset;
    ccsds_status status;
    if (size < 2) {
        return 0;
    }
    pfield = data[0] & 1;
    offset = data[1] % 4;
    status = ccsds_cuc_unpack(data + 2, size - 2, offset, (data[0] >> 1) & 7, data[0] >> 4,
                              pfield, &t, &err);
    if (status != CCSDS_OK) {
        FUZZ_CHECK_ERROR(status, err);
        return 0;
    }
    FUZZ_CHECK(offset + t.length <= size - 2);
    status = ccsds_cuc_pack((int64_t)t.coarse, (int64_t)t.fine, t.coarse_octets, t.fine_octets,
                            pfield, pfield ? t.time_code_id : 1, packed, &len, &err);
    FUZZ_CHECK(status == CCSDS_OK);
    if (!pfield) {
        FUZZ_CHECK(len == t.length && memcmp(packed, data + 2 + offset, len) == 0);
        return 0;
    }
    status = ccsds_cuc_unpack(packed, len, 0, 0, 0, 1, &again, &err);
    FUZZ_CHECK(status == CCSDS_OK && again.length == len);
    FUZZ_CHECK(again.coarse == t.coarse && again.fine == t.fine);
    FUZZ_CHECK(again.coarse_octets == t.coarse_octets && again.fine_octets == t.fine_octets);
    FUZZ_CHECK(again.time_code_id == t.time_code_id);
    return 0;
}
