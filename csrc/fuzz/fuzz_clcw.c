/*
 * CLCW unpack and pack. Input: data[0] % 8 = offset; the buffer is data[1:]. A CLCW that
 * unpacks must pack back to its octets with the spare bits cleared.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccsds_clcw c;
    ccsds_error err;
    uint8_t again[CCSDS_CLCW_LEN];
    size_t offset;
    ccsds_status status;
    const uint8_t *p;
    if (size < 1) {
        return 0;
    }
    offset = data[0] % 8;
    data++;
    size--;
    status = ccsds_clcw_unpack(data, size, offset, &c, &err);
    if (status != CCSDS_OK) {
        FUZZ_CHECK_ERROR(status, err);
        return 0;
    }
    FUZZ_CHECK(offset + CCSDS_CLCW_LEN <= size);
    status = ccsds_clcw_pack(c.status, c.cop, c.vcid, c.no_rf, c.no_bitlock, c.lockout, c.wait,
                             c.retransmit, c.farm_b, c.report, again, &err);
    FUZZ_CHECK(status == CCSDS_OK);
    p = data + offset;
    FUZZ_CHECK(again[0] == p[0] && again[1] == (p[1] & 0xFCu) && again[2] == (p[2] & 0xFEu));
    FUZZ_CHECK(again[3] == p[3]);
    return 0;
}
