/*
 * CRC-16/CCITT-FALSE. Input: init = data[0..1], split point = data[2] (times 4), then the
 * octets data[3:]. The fast paths (slice-by-16, carry-less multiply) must agree with the
 * bit-at-a-time definition, and continuing from a partial CRC must equal one pass.
 */
#include "fuzz.h"

static uint16_t reference(const uint8_t *data, size_t len, uint16_t crc)
{
    size_t i;
    int bit;
    for (i = 0; i < len; i++) {
        crc = (uint16_t)(crc ^ (data[i] << 8));
        for (bit = 0; bit < 8; bit++) {
            crc = (uint16_t)((crc & 0x8000u) ? (crc << 1) ^ 0x1021u : crc << 1);
        }
    }
    return crc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint16_t init;
    size_t cut;
    uint16_t whole;
    if (size < 3) {
        return 0;
    }
    init = (uint16_t)fuzz_u16(data);
    cut = (size_t)data[2] * 4;
    data += 3;
    size -= 3;
    if (cut > size) {
        cut = size;
    }
    whole = ccsds_crc16(data, size, init);
    FUZZ_CHECK(whole == reference(data, size, init));
    FUZZ_CHECK(ccsds_crc16(data + cut, size - cut, ccsds_crc16(data, cut, init)) == whole);
    return 0;
}
