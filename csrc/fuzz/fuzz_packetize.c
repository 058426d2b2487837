/*
 * Packetizing. Input: apid = data[0..1], seq_count = data[2..3] (big-endian; out-of-range
 * values exercise the range errors), chunk = data[4] (250..255 map to 65530..65535),
 * data[5] bit 0 = crc, bit 1 = packet type; the payload is data[6:]. The stream must split
 * back into exactly its packets, in order, with consecutive sequence counts, the right
 * segmentation flags and valid CRCs, and their data fields must rebuild the payload.
 */
#include <string.h>

#include "fuzz.h"

static void check_stream(const uint8_t *payload, size_t n, const uint8_t *out, size_t out_len,
                         unsigned apid, unsigned seq, size_t chunk, int crc, unsigned ptype,
                         unsigned next)
{
    size_t packets = n / chunk + (n % chunk != 0);
    size_t pos = 0;
    size_t at = 0;
    size_t i;
    unsigned trailer = crc ? 2u : 0u;
    for (i = 0; i < packets; i++) {
        ccsds_header h;
        ccsds_error err;
        size_t size = n - pos < chunk ? n - pos : chunk;
        unsigned flags = packets == 1 ? 3u : i == 0 ? 1u : i + 1 == packets ? 2u : 0u;
        FUZZ_CHECK(ccsds_unpack_header(out, out_len, at, &h, &err) == CCSDS_OK);
        FUZZ_CHECK(h.type == ptype && h.sec_hdr == 0 && h.apid == apid);
        FUZZ_CHECK(h.seq_flags == flags && h.seq_count == ((seq + i) & 0x3FFFu));
        FUZZ_CHECK(h.data_length + 1u == size + trailer);
        FUZZ_CHECK(memcmp(out + at + 6, payload + pos, size) == 0);
        FUZZ_CHECK(!crc || ccsds_crc16(out + at, 6 + size + 2, 0xFFFF) == 0);
        at += 6 + size + trailer;
        pos += size;
    }
    FUZZ_CHECK(at == out_len && pos == n);
    FUZZ_CHECK(next == ((seq + packets) & 0x3FFFu));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccsds_error err;
    size_t cap = 0;
    size_t out_len = 0;
    uint16_t next = 0;
    uint8_t *out;
    unsigned apid;
    unsigned seq;
    int64_t chunk;
    int crc;
    unsigned ptype;
    ccsds_status status;
    if (size < 6) {
        return 0;
    }
    apid = fuzz_u16(data);
    seq = fuzz_u16(data + 2);
    chunk = data[4] >= 250 ? 65530 + (data[4] - 250) : data[4];
    crc = data[5] & 1;
    ptype = (data[5] >> 1) & 1;
    data += 6;
    size -= 6;
    status = ccsds_packetize_size(size, apid, seq, chunk, ptype, crc, &cap, &err);
    if (status != CCSDS_OK) {
        FUZZ_CHECK_ERROR(status, err);
        FUZZ_CHECK(status == CCSDS_ERR_RANGE);
        return 0;
    }
    out = malloc(cap + 1);
    FUZZ_CHECK(out != NULL);
    status = ccsds_packetize(data, size, apid, seq, chunk, ptype, crc, out, cap, &out_len, &next,
                             &err);
    FUZZ_CHECK(status == CCSDS_OK && out_len == cap);
    check_stream(data, size, out, out_len, apid, seq, (size_t)chunk, crc, ptype, next);
    free(out);
    return 0;
}
