/*
 * Packets into TM frames. Input: data[0] bit 0 = fecf, bit 1 = flush, bit 2 = an OCF;
 * data[1..2] = frame_length (big-endian, taken modulo 2100); data[3] = lead; data[4] = vcid
 * (out of range above 7); data[5] = mc; data[6] = vc; the stream is data[7:]. Every frame
 * must unpack with the right counters and a first header pointer inside its data field;
 * with `flush`, demultiplexing the frames must give back the stream's packets after `lead`,
 * idle packets left out, with no gap, bad frame or dropped octet beyond `lead`.
 */
#include <string.h>

#include "fuzz.h"

static size_t expected_packets(const uint8_t *stream, size_t len, size_t pos, uint8_t *out)
{
    size_t n = 0;
    while (pos < len) {
        size_t total = (size_t)fuzz_u16(stream + pos + 4) + 7;
        if ((((stream[pos] & 7u) << 8) | stream[pos + 1]) != 0x7FFu) {
            memcpy(out + n, stream + pos, total);
            n += total;
        }
        pos += total;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ccsds_tm_mux_result res;
    ccsds_tm_demux_result dres;
    ccsds_error err;
    ccsds_status status;
    int fecf;
    int flush;
    int64_t ocf;
    int64_t frame_length;
    size_t lead;
    size_t cap;
    size_t i;
    uint8_t *frames;
    if (size < 7) {
        return 0;
    }
    fecf = data[0] & 1;
    flush = (data[0] >> 1) & 1;
    ocf = (data[0] >> 2) & 1 ? 0x01020304 : -1;
    frame_length = fuzz_u16(data + 1) % 2100;
    lead = data[3];
    cap = ccsds_tm_mux_capacity(size - 7, frame_length, ocf, fecf);
    frames = malloc(cap + 1);
    FUZZ_CHECK(frames != NULL);
    status = ccsds_tm_mux(data + 7, size - 7, (int64_t)lead, 42, data[4], data[5], data[6],
                          frame_length, ocf, fecf, flush, frames, cap, &res, &err);
    if (status != CCSDS_OK) {
        FUZZ_CHECK_ERROR(status, err);
        free(frames);
        return 0;
    }
    FUZZ_CHECK(res.out_len == res.count * (size_t)frame_length && res.out_len <= cap);
    FUZZ_CHECK(res.consumed <= size - 7 && (!flush || res.consumed == size - 7));
    FUZZ_CHECK(res.mc == (uint8_t)(data[5] + res.count) && res.vc == (uint8_t)(data[6] + res.count));
    for (i = 0; i < res.count; i++) {
        ccsds_tm_frame f;
        status = ccsds_tm_frame_unpack(frames + i * (size_t)frame_length, (size_t)frame_length,
                                       fecf, &f, &err);
        FUZZ_CHECK(status == CCSDS_OK);
        FUZZ_CHECK(f.vcid == data[4] && f.mc == (uint8_t)(data[5] + i) && f.ocf == ocf);
    }
    if (flush) {
        size_t len = size - 7;
        uint8_t *want = malloc(len + 1);
        uint8_t *got = malloc(res.out_len + 1);
        uint8_t *carry = malloc(CCSDS_MAX_PACKET_LEN);
        size_t n;
        FUZZ_CHECK(want != NULL && got != NULL && carry != NULL);
        n = expected_packets(data + 7, len, lead, want);
        status = ccsds_tm_demux(frames, res.out_len, frame_length, fecf, data[4], data[6], carry,
                                0, got, res.out_len + 1, &dres, &err);
        FUZZ_CHECK(status == CCSDS_OK);
        FUZZ_CHECK(dres.gaps == 0 && dres.bad == 0 && dres.carry_len == 0);
        FUZZ_CHECK(dres.out_len == n && (n == 0 || memcmp(got, want, n) == 0));
        FUZZ_CHECK(dres.dropped == lead);
        free(want);
        free(got);
        free(carry);
    }
    free(frames);
    return 0;
}
