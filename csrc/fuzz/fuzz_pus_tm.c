/*
 * PUS-C telemetry unpack. Input: time_len = data[0] % 72 (above 64 exercises the range
 * error), then the packet data[1:]. Telemetry that unpacks must pack back, from its fields,
 * time octets and source data, to exactly the input packet.
 */
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccsds_pus_tm tm;
    ccsds_error err;
    uint8_t *again;
    size_t len = 0;
    int64_t time_len;
    ccsds_status status;
    if (size < 1) {
        return 0;
    }
    time_len = data[0] % 72;
    data++;
    size--;
    status = ccsds_pus_tm_unpack(data, size, time_len, &tm, &err);
    if (status != CCSDS_OK) {
        FUZZ_CHECK_ERROR(status, err);
        return 0;
    }
    FUZZ_CHECK(tm.source_data_offset == tm.time_offset + time_len);
    FUZZ_CHECK(tm.source_data_offset + tm.source_data_length + 2 == size);
    again = malloc(size);
    FUZZ_CHECK(again != NULL);
    status = ccsds_pus_tm_pack(tm.apid, tm.seq_flags, tm.seq_count, tm.time_ref, tm.service,
                               tm.subtype, tm.msg_counter, tm.dest_id, data + tm.time_offset,
                               (size_t)time_len, data + tm.source_data_offset,
                               tm.source_data_length, again, size, &len, &err);
    FUZZ_CHECK(status == CCSDS_OK);
    FUZZ_CHECK(len == size && memcmp(again, data, size) == 0);
    free(again);
    return 0;
}
