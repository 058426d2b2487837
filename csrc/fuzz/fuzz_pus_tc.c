/*
 * PUS-C telecommand unpack. Input: the packet, all of it. A telecommand that unpacks must
 * pack back, from its fields and application data, to exactly the input octets.
 */
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccsds_pus_tc tc;
    ccsds_error err;
    uint8_t *again;
    size_t len = 0;
    ccsds_status status = ccsds_pus_tc_unpack(data, size, &tc, &err);
    if (status != CCSDS_OK) {
        FUZZ_CHECK_ERROR(status, err);
        return 0;
    }
    FUZZ_CHECK(tc.app_data_offset + tc.app_data_length + 2 == size);
    again = malloc(size);
    FUZZ_CHECK(again != NULL);
    status = ccsds_pus_tc_pack(tc.apid, tc.seq_flags, tc.seq_count, tc.ack_flags, tc.service,
                               tc.subtype, tc.source_id, data + tc.app_data_offset,
                               tc.app_data_length, again, size, &len, &err);
    FUZZ_CHECK(status == CCSDS_OK);
    FUZZ_CHECK(len == size && memcmp(again, data, size) == 0);
    free(again);
    return 0;
}
