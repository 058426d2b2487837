/*
 * TM Transfer Frames (CCSDS 132.0-B-3) and ASM synchronisation (131.0-B). Layout and rules in
 * flight/ccsds/pure/tmframe.py, which this mirrors check for check.
 */
#include <string.h>

#include "frames.h"
#include "internal.h"

#define FHP_RULE "below %d, or 0x7FE/0x7FF"

ccsds_status ccsds_tm_frame_pack(int64_t scid, int64_t vcid, int64_t mc, int64_t vc,
                                 int64_t fhp, const uint8_t *data, size_t len, int64_t ocf,
                                 int fecf, uint8_t *out, size_t out_cap, size_t *out_len,
                                 ccsds_error *err)
{
    size_t trailer;
    size_t total;
    size_t pos;
    unsigned word;
    CCSDS_CHECK(err, "spacecraft_id", scid, 0x3FF);
    CCSDS_CHECK(err, "virtual_channel_id", vcid, 7);
    CCSDS_CHECK(err, "master_channel_frame_count", mc, 0xFF);
    CCSDS_CHECK(err, "virtual_channel_frame_count", vc, 0xFF);
    CCSDS_CHECK(err, "first_header_pointer", fhp, 0x7FF);
    if (ocf < -1 || ocf > 0xFFFFFFFFLL) {
        return ccsds_range(err, "ocf", -1, 0xFFFFFFFFLL, ocf);
    }
    trailer = (ocf >= 0 ? CCSDS_OCF_LEN : 0u) + (fecf ? CCSDS_CRC_LEN : 0u);
    total = CCSDS_TM_HEADER_LEN + len + trailer; /* len is a real buffer's: no overflow */
    if (len < 1 || total > CCSDS_TM_MAX_FRAME_LEN) {
        return ccsds_fail(err, CCSDS_ERR_LENGTH, "frame_length", "%d..2048", -1,
                          (int64_t)(CCSDS_TM_HEADER_LEN + 1 + trailer), (int64_t)total);
    }
    if (fhp < CCSDS_FHP_IDLE && (size_t)fhp >= len) {
        return ccsds_fail(err, CCSDS_ERR_LENGTH, "first_header_pointer", FHP_RULE, -1,
                          (int64_t)len, fhp);
    }
    if (out_cap < total) {
        return ccsds_fail(err, CCSDS_ERR_CAPACITY, "output", NULL, -1, (int64_t)total,
                          (int64_t)out_cap);
    }
    word = ((unsigned)scid << 4) | ((unsigned)vcid << 1) | (ocf >= 0 ? 1u : 0u);
    ccsds_store16(out, word);
    out[2] = (uint8_t)mc;
    out[3] = (uint8_t)vc;
    ccsds_store16(out + 4, 0x1800u | (unsigned)fhp);
    memcpy(out + CCSDS_TM_HEADER_LEN, data, len);
    pos = CCSDS_TM_HEADER_LEN + len;
    if (ocf >= 0) {
        uint32_t value = (uint32_t)ocf;
        out[pos] = (uint8_t)(value >> 24);
        out[pos + 1] = (uint8_t)((value >> 16) & 0xFFu);
        out[pos + 2] = (uint8_t)((value >> 8) & 0xFFu);
        out[pos + 3] = (uint8_t)(value & 0xFFu);
        pos += CCSDS_OCF_LEN;
    }
    if (fecf) {
        ccsds_store16(out + pos, ccsds_crc16(out, pos, 0xFFFF));
        pos += CCSDS_CRC_LEN;
    }
    *out_len = pos;
    return CCSDS_OK;
}

ccsds_status ccsds_tm_frame_unpack(const uint8_t *data, size_t len, int fecf,
                                   ccsds_tm_frame *out, ccsds_error *err)
{
    unsigned b4;
    unsigned fhp;
    size_t trailer;
    size_t size;
    if (len < CCSDS_TM_HEADER_LEN) {
        return ccsds_fail(err, CCSDS_ERR_TRUNCATED, "primary_header", NULL, 0,
                          CCSDS_TM_HEADER_LEN, (int64_t)len);
    }
    if (data[0] >> 6) {
        return ccsds_fail(err, CCSDS_ERR_HEADER, "version", NULL, 0, 0, data[0] >> 6);
    }
    b4 = data[4];
    if (b4 >> 7) {
        return ccsds_fail(err, CCSDS_ERR_HEADER, "secondary_header_flag", NULL, 4, 0, 1);
    }
    if ((b4 >> 6) & 1u) {
        return ccsds_fail(err, CCSDS_ERR_HEADER, "synchronization_flag", NULL, 4, 0, 1);
    }
    if ((b4 >> 5) & 1u) {
        return ccsds_fail(err, CCSDS_ERR_HEADER, "packet_order_flag", NULL, 4, 0, 1);
    }
    if (((b4 >> 3) & 3u) != 3) {
        return ccsds_fail(err, CCSDS_ERR_HEADER, "segment_length_id", NULL, 4, 3,
                          (b4 >> 3) & 3u);
    }
    trailer = ((data[1] & 1u) ? CCSDS_OCF_LEN : 0u) + (fecf ? CCSDS_CRC_LEN : 0u);
    if (len < CCSDS_TM_HEADER_LEN + trailer + 1 || len > CCSDS_TM_MAX_FRAME_LEN) {
        return ccsds_fail(err, CCSDS_ERR_LENGTH, "frame_length", "%d..2048", 0,
                          (int64_t)(CCSDS_TM_HEADER_LEN + 1 + trailer), (int64_t)len);
    }
    size = len - CCSDS_TM_HEADER_LEN - trailer;
    if (fecf) {
        uint16_t computed = ccsds_crc16(data, len - 2, 0xFFFF);
        uint16_t stored = ccsds_load16(data + len - 2);
        if (computed != stored) {
            return ccsds_fail(err, CCSDS_ERR_CHECKSUM, "frame_error_control", NULL,
                              (int64_t)len - 2, computed, stored);
        }
    }
    fhp = ((b4 & 7u) << 8) | data[5];
    if (fhp < CCSDS_FHP_IDLE && fhp >= size) {
        return ccsds_fail(err, CCSDS_ERR_LENGTH, "first_header_pointer", FHP_RULE, 4,
                          (int64_t)size, fhp);
    }
    out->scid = (uint16_t)(((data[0] & 0x3Fu) << 4) | (data[1] >> 4));
    out->vcid = (uint8_t)((data[1] >> 1) & 7u);
    out->mc = data[2];
    out->vc = data[3];
    out->fhp = (uint16_t)fhp;
    out->data_offset = CCSDS_TM_HEADER_LEN;
    out->data_length = (uint16_t)size;
    out->ocf = -1;
    if (data[1] & 1u) {
        const uint8_t *p = data + CCSDS_TM_HEADER_LEN + size;
        out->ocf = (int64_t)(((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
                             ((uint32_t)p[2] << 8) | p[3]);
    }
    return CCSDS_OK;
}

size_t ccsds_tm_sync_capacity(size_t len)
{
    return len / (CCSDS_ASM_LEN + CCSDS_TM_HEADER_LEN + 1) + 1;
}

ccsds_status ccsds_tm_sync(const uint8_t *buf, size_t len, int64_t frame_length, int check_fecf,
                           uint32_t *offsets, size_t capacity, ccsds_split_result *res,
                           ccsds_error *err)
{
    size_t pos = 0;
    size_t count = 0;
    size_t skipped = 0;
    size_t span;
#if SIZE_MAX > 0xFFFFFFFFu
    if (len > 0xFFFFFFFFu) { /* offsets are 32-bit */
        return ccsds_fail(err, CCSDS_ERR_LENGTH, "buffer", "<= 4 GiB", 0, 0, (int64_t)len);
    }
#endif
    if (frame_length < CCSDS_TM_HEADER_LEN + 1 || frame_length > CCSDS_TM_MAX_FRAME_LEN) {
        return ccsds_range(err, "frame_length", CCSDS_TM_HEADER_LEN + 1, CCSDS_TM_MAX_FRAME_LEN,
                           frame_length);
    }
    span = CCSDS_ASM_LEN + (size_t)frame_length;
    while (len - pos >= CCSDS_ASM_LEN) {
        const uint8_t *p = buf + pos;
        if (p[0] != 0x1A || p[1] != 0xCF || p[2] != 0xFC || p[3] != 0x1D) {
            /* jump to the next candidate first octet; everything before it is junk */
            const uint8_t *next = memchr(p + 1, 0x1A, len - pos - 1);
            size_t step = next == NULL ? len - pos - (CCSDS_ASM_LEN - 1) : (size_t)(next - p);
            if (next != NULL && len - (size_t)(next - buf) < CCSDS_ASM_LEN) {
                step = len - pos - (CCSDS_ASM_LEN - 1);
            }
            pos += step;
            skipped += step;
            continue;
        }
        if (len - pos < span) {
            break;
        }
        if ((p[4] >> 6) != 0 || (check_fecf && ccsds_crc16(p + 4, (size_t)frame_length, 0xFFFF))) {
            pos++;
            skipped++;
            continue;
        }
        if (count == capacity) {
            break;
        }
        offsets[count++] = (uint32_t)(pos + CCSDS_ASM_LEN);
        pos += span;
    }
    res->count = count;
    res->consumed = pos;
    res->skipped = skipped;
    return CCSDS_OK;
}
