/*
 * TC Transfer Frames (CCSDS 232.0-B-4) with the COP-1 control commands, and the CLCW
 * (232.1-B-2). Layouts in flight/ccsds/pure/tcframe.py, which this mirrors check for check.
 */
#include <string.h>

#include "frames.h"
#include "internal.h"

ccsds_status ccsds_tc_frame_pack(int64_t bypass, int64_t control, int64_t scid, int64_t vcid,
                                 int64_t seq, int64_t segment, const uint8_t *data, size_t len,
                                 int fecf, uint8_t *out, size_t out_cap, size_t *out_len,
                                 ccsds_error *err)
{
    size_t trailer = fecf ? CCSDS_CRC_LEN : 0;
    size_t low;
    size_t total;
    size_t pos;
    unsigned word;
    CCSDS_CHECK(err, "bypass_flag", bypass, 1);
    CCSDS_CHECK(err, "control_command_flag", control, 1);
    CCSDS_CHECK(err, "spacecraft_id", scid, 0x3FF);
    CCSDS_CHECK(err, "virtual_channel_id", vcid, 0x3F);
    CCSDS_CHECK(err, "frame_sequence_number", seq, 0xFF);
    if (segment < -1 || segment > 0xFF) {
        return ccsds_range(err, "segment_header", -1, 0xFF, segment);
    }
    if (control && !bypass) {
        return ccsds_range(err, "bypass_flag", 1, 1, bypass);
    }
    if (control && segment != -1) {
        return ccsds_range(err, "segment_header", -1, -1, segment);
    }
    low = CCSDS_TC_HEADER_LEN + (segment >= 0 ? 1u : 0u) + 1 + trailer;
    total = low - 1 + len; /* len is a real buffer's length: no overflow */
    if (len < 1 || total > CCSDS_TC_MAX_FRAME_LEN) {
        return ccsds_fail(err, CCSDS_ERR_LENGTH, "frame_length", "%d..1024", -1, (int64_t)low,
                          (int64_t)total);
    }
    if (out_cap < total) {
        return ccsds_fail(err, CCSDS_ERR_CAPACITY, "output", NULL, -1, (int64_t)total,
                          (int64_t)out_cap);
    }
    word = ((unsigned)vcid << 10) | (unsigned)(total - 1);
    out[0] = (uint8_t)(((unsigned)bypass << 5) | ((unsigned)control << 4) | ((unsigned)scid >> 8));
    out[1] = (uint8_t)(scid & 0xFF);
    ccsds_store16(out + 2, word);
    out[4] = (uint8_t)seq;
    pos = CCSDS_TC_HEADER_LEN;
    if (segment >= 0) {
        out[pos++] = (uint8_t)segment;
    }
    memcpy(out + pos, data, len);
    pos += len;
    if (fecf) {
        ccsds_store16(out + pos, ccsds_crc16(out, pos, 0xFFFF));
        pos += CCSDS_CRC_LEN;
    }
    *out_len = pos;
    return CCSDS_OK;
}

ccsds_status ccsds_tc_frame_unpack(const uint8_t *data, size_t len, int fecf, int segmented,
                                   ccsds_tc_frame *out, ccsds_error *err)
{
    unsigned b0;
    unsigned bypass;
    unsigned control;
    size_t trailer = fecf ? CCSDS_CRC_LEN : 0;
    size_t has_segment;
    size_t length;
    size_t low;
    size_t offset;
    if (len < CCSDS_TC_HEADER_LEN) {
        return ccsds_fail(err, CCSDS_ERR_TRUNCATED, "primary_header", NULL, 0,
                          CCSDS_TC_HEADER_LEN, (int64_t)len);
    }
    b0 = data[0];
    if ((b0 >> 6) != 0) {
        return ccsds_fail(err, CCSDS_ERR_HEADER, "version", NULL, 0, 0, b0 >> 6);
    }
    if (((b0 >> 2) & 3u) != 0) {
        return ccsds_fail(err, CCSDS_ERR_HEADER, "spare", NULL, 0, 0, (b0 >> 2) & 3u);
    }
    bypass = (b0 >> 5) & 1u;
    control = (b0 >> 4) & 1u;
    if (control && !bypass) {
        return ccsds_fail(err, CCSDS_ERR_HEADER, "control_command_flag",
                          "0 when bypass_flag is 0", 0, 0, 1);
    }
    has_segment = segmented && !control ? 1 : 0;
    length = (((size_t)data[2] & 3u) << 8 | data[3]) + 1;
    low = CCSDS_TC_HEADER_LEN + has_segment + 1 + trailer;
    if (length < low) {
        return ccsds_fail(err, CCSDS_ERR_LENGTH, "frame_length", "%d..1024", 2, (int64_t)low,
                          (int64_t)length);
    }
    if (length > len) {
        return ccsds_fail(err, CCSDS_ERR_TRUNCATED, "frame", NULL, 0, (int64_t)length,
                          (int64_t)len);
    }
    if (fecf) {
        uint16_t computed = ccsds_crc16(data, length - 2, 0xFFFF);
        uint16_t stored = ccsds_load16(data + length - 2);
        if (computed != stored) {
            return ccsds_fail(err, CCSDS_ERR_CHECKSUM, "frame_error_control", NULL,
                              (int64_t)length - 2, computed, stored);
        }
    }
    offset = CCSDS_TC_HEADER_LEN + has_segment;
    out->bypass = (uint8_t)bypass;
    out->control = (uint8_t)control;
    out->scid = (uint16_t)(((b0 & 3u) << 8) | data[1]);
    out->vcid = (uint8_t)(data[2] >> 2);
    out->length = (uint16_t)length;
    out->seq = data[4];
    out->segment = has_segment ? (int16_t)data[CCSDS_TC_HEADER_LEN] : -1;
    out->data_offset = (uint16_t)offset;
    out->data_length = (uint16_t)(length - offset - trailer);
    out->command = -1;
    out->set_vr = -1;
    /* A control frame's data field is the FARM's to judge: it may hold a sealed command
       (SDLS) rather than a bare one. The two bare commands are recognised here. */
    if (control && out->data_length == 1 && data[offset] == 0x00) {
        out->command = 0;
    } else if (control && out->data_length == 3 && data[offset] == 0x82 &&
               data[offset + 1] == 0x00) {
        out->command = 1;
        out->set_vr = data[offset + 2];
    }
    return CCSDS_OK;
}

ccsds_status ccsds_clcw_pack(int64_t status, int64_t cop, int64_t vcid, int64_t no_rf,
                             int64_t no_bitlock, int64_t lockout, int64_t wait,
                             int64_t retransmit, int64_t farm_b, int64_t report, uint8_t out[4],
                             ccsds_error *err)
{
    CCSDS_CHECK(err, "status_field", status, 7);
    CCSDS_CHECK(err, "cop_in_effect", cop, 3);
    CCSDS_CHECK(err, "virtual_channel_id", vcid, 0x3F);
    CCSDS_CHECK(err, "no_rf_available", no_rf, 1);
    CCSDS_CHECK(err, "no_bit_lock", no_bitlock, 1);
    CCSDS_CHECK(err, "lockout", lockout, 1);
    CCSDS_CHECK(err, "wait", wait, 1);
    CCSDS_CHECK(err, "retransmit", retransmit, 1);
    CCSDS_CHECK(err, "farm_b_counter", farm_b, 3);
    CCSDS_CHECK(err, "report_value", report, 0xFF);
    out[0] = (uint8_t)((status << 2) | cop);
    out[1] = (uint8_t)(vcid << 2);
    out[2] = (uint8_t)((no_rf << 7) | (no_bitlock << 6) | (lockout << 5) | (wait << 4) |
                       (retransmit << 3) | (farm_b << 1));
    out[3] = (uint8_t)report;
    return CCSDS_OK;
}

ccsds_status ccsds_clcw_unpack(const uint8_t *data, size_t len, size_t offset, ccsds_clcw *out,
                               ccsds_error *err)
{
    const uint8_t *p;
    if (offset > len || len - offset < CCSDS_CLCW_LEN) {
        int64_t available = offset > len ? 0 : (int64_t)(len - offset);
        return ccsds_fail(err, CCSDS_ERR_TRUNCATED, "clcw", NULL, (int64_t)offset,
                          CCSDS_CLCW_LEN, available);
    }
    p = data + offset;
    if (p[0] >> 7) {
        return ccsds_fail(err, CCSDS_ERR_HEADER, "control_word_type", NULL, (int64_t)offset, 0,
                          1);
    }
    if ((p[0] >> 5) & 3u) {
        return ccsds_fail(err, CCSDS_ERR_HEADER, "clcw_version", NULL, (int64_t)offset, 0,
                          (p[0] >> 5) & 3u);
    }
    out->status = (uint8_t)((p[0] >> 2) & 7u);
    out->cop = (uint8_t)(p[0] & 3u);
    out->vcid = (uint8_t)(p[1] >> 2);
    out->no_rf = (uint8_t)(p[2] >> 7);
    out->no_bitlock = (uint8_t)((p[2] >> 6) & 1u);
    out->lockout = (uint8_t)((p[2] >> 5) & 1u);
    out->wait = (uint8_t)((p[2] >> 4) & 1u);
    out->retransmit = (uint8_t)((p[2] >> 3) & 1u);
    out->farm_b = (uint8_t)((p[2] >> 1) & 3u);
    out->report = p[3];
    return CCSDS_OK;
}
