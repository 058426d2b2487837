/*
 * Space packets into fixed-length TM Transfer Frames and back (CCSDS 132.0-B-3, 4.1.4).
 * The rules (lead, flush, idle packets and frames, carry, gaps) are described in
 * flight/ccsds/pure/tmmux.py, which this mirrors check for check.
 */
#include <string.h>

#include "frames.h"
#include "internal.h"

#define IDLE_APID 0x7FFu
#define IDLE_OCTET 0x55u
#define MIN_DATA_FIELD 7

static size_t packet_len(const uint8_t *p)
{
    return (size_t)ccsds_load16(p + 4) + CCSDS_HEADER_LEN + 1;
}

static unsigned packet_apid(const uint8_t *p)
{
    return ((p[0] & 0x07u) << 8) | p[1];
}

/* Octet k of an idle packet of `length` octets (APID 0x7FF, data 0x55). */
static uint8_t idle_octet(size_t length, size_t k)
{
    size_t size = length - CCSDS_HEADER_LEN - 1;
    static const uint8_t head[4] = {0x07, 0xFF, 0xC0, 0x00};
    if (k < 4) {
        return head[k];
    }
    if (k == 4) {
        return (uint8_t)(size >> 8);
    }
    if (k == 5) {
        return (uint8_t)(size & 0xFFu);
    }
    return IDLE_OCTET;
}

static size_t trailer_of(int64_t ocf, int fecf)
{
    return (ocf >= 0 ? CCSDS_OCF_LEN : 0u) + (fecf ? CCSDS_CRC_LEN : 0u);
}

size_t ccsds_tm_mux_capacity(size_t len, int64_t frame_length, int64_t ocf, int fecf)
{
    size_t trailer = trailer_of(ocf, fecf);
    size_t dfs;
    if (frame_length < (int64_t)(CCSDS_TM_HEADER_LEN + trailer + MIN_DATA_FIELD) ||
        frame_length > CCSDS_TM_MAX_FRAME_LEN) {
        return 0;
    }
    dfs = (size_t)frame_length - CCSDS_TM_HEADER_LEN - trailer;
    return (len / dfs + 2) * (size_t)frame_length;
}

ccsds_status ccsds_tm_mux(const uint8_t *stream, size_t len, int64_t lead, int64_t scid,
                          int64_t vcid, int64_t mc, int64_t vc, int64_t frame_length,
                          int64_t ocf, int fecf, int flush, uint8_t *out, size_t out_cap,
                          ccsds_tm_mux_result *res, ccsds_error *err)
{
    size_t trailer = trailer_of(ocf, fecf);
    size_t low = CCSDS_TM_HEADER_LEN + trailer + MIN_DATA_FIELD;
    size_t pos;
    size_t start;
    size_t dfs;
    size_t count = 0;
    size_t written = 0;
    size_t frame_len = 0;
    unsigned m;
    unsigned v;
    uint8_t data[CCSDS_TM_MAX_FRAME_LEN];
    CCSDS_CHECK(err, "spacecraft_id", scid, 0x3FF);
    CCSDS_CHECK(err, "virtual_channel_id", vcid, 7);
    CCSDS_CHECK(err, "master_channel_frame_count", mc, 0xFF);
    CCSDS_CHECK(err, "virtual_channel_frame_count", vc, 0xFF);
    if (ocf < -1 || ocf > 0xFFFFFFFFLL) {
        return ccsds_range(err, "ocf", -1, 0xFFFFFFFFLL, ocf);
    }
    if (frame_length < (int64_t)low || frame_length > CCSDS_TM_MAX_FRAME_LEN) {
        return ccsds_range(err, "frame_length", (int64_t)low, CCSDS_TM_MAX_FRAME_LEN,
                           frame_length);
    }
    if (lead < 0 || (uint64_t)lead > len) {
        return ccsds_range(err, "lead", 0, (int64_t)len, lead);
    }
    /* the whole stream is checked before any frame is written */
    for (pos = (size_t)lead; pos < len;) {
        size_t total;
        if (len - pos < CCSDS_HEADER_LEN) {
            return ccsds_fail(err, CCSDS_ERR_TRUNCATED, "primary_header", NULL, (int64_t)pos,
                              CCSDS_HEADER_LEN, (int64_t)(len - pos));
        }
        if (stream[pos] >> 5) {
            return ccsds_fail(err, CCSDS_ERR_HEADER, "version", NULL, (int64_t)pos, 0,
                              stream[pos] >> 5);
        }
        total = packet_len(stream + pos);
        if (total > len - pos) {
            return ccsds_fail(err, CCSDS_ERR_TRUNCATED, "packet", NULL, (int64_t)pos,
                              (int64_t)total, (int64_t)(len - pos));
        }
        pos += total;
    }
    dfs = (size_t)frame_length - CCSDS_TM_HEADER_LEN - trailer;
    if (out_cap < (len / dfs + 2) * (size_t)frame_length) {
        return ccsds_fail(err, CCSDS_ERR_CAPACITY, "output", NULL, -1,
                          (int64_t)((len / dfs + 2) * (size_t)frame_length), (int64_t)out_cap);
    }
    m = (unsigned)mc;
    v = (unsigned)vc;
    pos = 0;
    start = (size_t)lead;
    while (len - pos >= dfs) {
        int64_t fhp = start < pos + dfs ? (int64_t)(start - pos) : CCSDS_FHP_NO_PACKET;
        ccsds_tm_frame_pack(scid, vcid, m, v, fhp, stream + pos, dfs, ocf, fecf, out + written,
                            out_cap - written, &frame_len, NULL);
        written += frame_len;
        count++;
        m = (m + 1) & 0xFFu;
        v = (v + 1) & 0xFFu;
        pos += dfs;
        while (start < pos) {
            start += packet_len(stream + start);
        }
    }
    if (!flush) {
        res->consumed = pos;
        res->lead = start - pos;
    } else {
        size_t rest = len - pos;
        if (rest > 0 || count == 0) {
            int frames = 1;
            int k;
            size_t room = dfs - rest;
            size_t idle = room >= MIN_DATA_FIELD ? room : room + dfs;
            for (k = 0; k < 2 && k < frames; k++) {
                int64_t fhp;
                size_t i;
                if (rest == 0) {
                    fhp = CCSDS_FHP_IDLE;
                    memset(data, IDLE_OCTET, dfs);
                } else if (k == 0) {
                    fhp = start < len ? (int64_t)(start - pos) : (int64_t)rest;
                    memcpy(data, stream + pos, rest);
                    for (i = 0; i < room; i++) {
                        data[rest + i] = idle_octet(idle, i);
                    }
                    frames = room >= MIN_DATA_FIELD ? 1 : 2;
                } else {
                    fhp = CCSDS_FHP_NO_PACKET;
                    for (i = 0; i < dfs; i++) {
                        data[i] = idle_octet(idle, room + i);
                    }
                }
                ccsds_tm_frame_pack(scid, vcid, m, v, fhp, data, dfs, ocf, fecf, out + written,
                                    out_cap - written, &frame_len, NULL);
                written += frame_len;
                count++;
                m = (m + 1) & 0xFFu;
                v = (v + 1) & 0xFFu;
            }
        }
        res->consumed = len;
        res->lead = 0;
    }
    res->out_len = written;
    res->count = count;
    res->mc = (uint8_t)m;
    res->vc = (uint8_t)v;
    return CCSDS_OK;
}

/* Extends the partial packet from data[:end]; the twin's _continue. */
static int continue_packet(uint8_t *carry, size_t *carry_len, const uint8_t *data, size_t end,
                           size_t *used, int *done)
{
    size_t take;
    size_t need;
    *used = 0;
    *done = 0;
    if (*carry_len < CCSDS_HEADER_LEN) {
        take = CCSDS_HEADER_LEN - *carry_len < end ? CCSDS_HEADER_LEN - *carry_len : end;
        memcpy(carry + *carry_len, data, take);
        *carry_len += take;
        *used = take;
        if (*carry_len < CCSDS_HEADER_LEN) {
            return 0;
        }
    }
    if (carry[0] >> 5) {
        return -1;
    }
    need = packet_len(carry) - *carry_len;
    take = need < end - *used ? need : end - *used;
    memcpy(carry + *carry_len, data + *used, take);
    *carry_len += take;
    *used += take;
    *done = take == need;
    return 0;
}

ccsds_status ccsds_tm_demux(const uint8_t *frames, size_t len, int64_t frame_length, int fecf,
                            int64_t vcid, int64_t expected_vc, uint8_t *carry, size_t carry_len,
                            uint8_t *out, size_t out_cap, ccsds_tm_demux_result *res,
                            ccsds_error *err)
{
    size_t at;
    size_t n = 0;
    size_t part = carry_len;
    size_t decoded = 0;
    size_t gaps = 0;
    size_t bad = 0;
    size_t other = 0;
    size_t dropped = 0;
    int64_t expected = expected_vc;
    int64_t low = CCSDS_TM_HEADER_LEN + 1 + (fecf ? CCSDS_CRC_LEN : 0);
    if (frame_length < low || frame_length > CCSDS_TM_MAX_FRAME_LEN) {
        return ccsds_range(err, "frame_length", low, CCSDS_TM_MAX_FRAME_LEN, frame_length);
    }
    CCSDS_CHECK(err, "virtual_channel_id", vcid, 7);
    if (expected_vc < -1 || expected_vc > 0xFF) {
        return ccsds_range(err, "expected_vc", -1, 0xFF, expected_vc);
    }
    if (len % (size_t)frame_length != 0) {
        return ccsds_fail(err, CCSDS_ERR_LENGTH, "frames", "a multiple of %d", 0, frame_length,
                          (int64_t)len);
    }
    if (carry_len > CCSDS_MAX_CARRY) {
        return ccsds_fail(err, CCSDS_ERR_LENGTH, "carry", "<= %d", -1, CCSDS_MAX_CARRY,
                          (int64_t)carry_len);
    }
    if (out_cap < len + carry_len) {
        return ccsds_fail(err, CCSDS_ERR_CAPACITY, "output", NULL, -1,
                          (int64_t)(len + carry_len), (int64_t)out_cap);
    }
    for (at = 0; at < len; at += (size_t)frame_length) {
        ccsds_tm_frame f;
        const uint8_t *data;
        size_t size;
        size_t end;
        size_t used = 0;
        size_t pos;
        if (ccsds_tm_frame_unpack(frames + at, (size_t)frame_length, fecf, &f, NULL) != CCSDS_OK) {
            bad++;
            continue;
        }
        if (f.vcid != vcid) {
            other++;
            continue;
        }
        decoded++;
        if (expected >= 0 && f.vc != expected) {
            gaps++;
            dropped += part;
            part = 0;
        }
        expected = (f.vc + 1) & 0xFF;
        if (f.fhp == CCSDS_FHP_IDLE) {
            dropped += part;
            part = 0;
            continue;
        }
        data = frames + at + f.data_offset;
        size = f.data_length;
        end = f.fhp == CCSDS_FHP_NO_PACKET ? size : f.fhp;
        if (part > 0) {
            int done = 0;
            if (continue_packet(carry, &part, data, end, &used, &done) < 0) {
                dropped += part;
                part = 0;
                used = 0;
            } else if (done) {
                if (packet_apid(carry) != IDLE_APID) {
                    memcpy(out + n, carry, part);
                    n += part;
                }
                part = 0;
            }
        }
        if (f.fhp == CCSDS_FHP_NO_PACKET) {
            dropped += part == 0 ? size - used : 0;
            continue;
        }
        if (part > 0) { /* the packet must end where the first header pointer says */
            dropped += part;
            part = 0;
        }
        dropped += f.fhp - used;
        for (pos = f.fhp; pos < size;) {
            size_t left = size - pos;
            size_t total;
            if (left < CCSDS_HEADER_LEN) {
                memcpy(carry, data + pos, left);
                part = left;
                break;
            }
            if (data[pos] >> 5) {
                dropped += left;
                break;
            }
            total = packet_len(data + pos);
            if (total > left) {
                memcpy(carry, data + pos, left);
                part = left;
                break;
            }
            if (packet_apid(data + pos) != IDLE_APID) {
                memcpy(out + n, data + pos, total);
                n += total;
            }
            pos += total;
        }
    }
    res->out_len = n;
    res->carry_len = part;
    res->frames = decoded;
    res->gaps = gaps;
    res->bad = bad;
    res->other = other;
    res->dropped = dropped;
    res->expected_vc = expected;
    return CCSDS_OK;
}
