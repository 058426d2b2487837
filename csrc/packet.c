/*
 * Space Packet primary header (CCSDS 133.0-B-2), stream splitting and packetizing.
 *
 * Header layout (6 octets, big-endian):
 *     version:3 | type:1 | secondary_header_flag:1 | apid:11
 *     sequence_flags:2 | sequence_count:14
 *     packet_data_length:16   (octets in the data field minus one)
 * Mirrors flight/ccsds/pure/packet.py check for check.
 */
#include <string.h>

#include "internal.h"

ccsds_status ccsds_pack_header(int64_t ptype, int64_t sec_hdr, int64_t apid, int64_t seq_flags,
                               int64_t seq_count, int64_t data_length, uint8_t out[6],
                               ccsds_error *err)
{
    CCSDS_CHECK(err, "packet_type", ptype, 1);
    CCSDS_CHECK(err, "secondary_header_flag", sec_hdr, 1);
    CCSDS_CHECK(err, "apid", apid, 0x7FF);
    CCSDS_CHECK(err, "sequence_flags", seq_flags, 3);
    CCSDS_CHECK(err, "sequence_count", seq_count, 0x3FFF);
    CCSDS_CHECK(err, "packet_data_length", data_length, 0xFFFF);
    ccsds_write_header(out, (unsigned)ptype, (unsigned)sec_hdr, (unsigned)apid,
                       (unsigned)seq_flags, (unsigned)seq_count, (unsigned)data_length);
    return CCSDS_OK;
}

ccsds_status ccsds_unpack_header(const uint8_t *data, size_t len, size_t offset,
                                 ccsds_header *out, ccsds_error *err)
{
    const uint8_t *p;
    if (offset > len || len - offset < CCSDS_HEADER_LEN) {
        int64_t available = offset > len ? 0 : (int64_t)(len - offset);
        return ccsds_fail(err, CCSDS_ERR_TRUNCATED, "primary_header", NULL, (int64_t)offset,
                          CCSDS_HEADER_LEN, available);
    }
    p = data + offset;
    if ((p[0] >> 5) != 0) {
        return ccsds_fail(err, CCSDS_ERR_HEADER, "version", NULL, (int64_t)offset, 0, p[0] >> 5);
    }
    out->version = 0;
    out->type = (uint8_t)((p[0] >> 4) & 1u);
    out->sec_hdr = (uint8_t)((p[0] >> 3) & 1u);
    out->apid = (uint16_t)(((p[0] & 0x07u) << 8) | p[1]);
    out->seq_flags = (uint8_t)(p[2] >> 6);
    out->seq_count = (uint16_t)(((p[2] & 0x3Fu) << 8) | p[3]);
    out->data_length = ccsds_load16(p + 4);
    return CCSDS_OK;
}

size_t ccsds_split_capacity(size_t len, int check_crc)
{
    return len / (check_crc ? CCSDS_HEADER_LEN + 3 : CCSDS_HEADER_LEN + 1) + 1;
}

ccsds_status ccsds_split(const uint8_t *buf, size_t len, int64_t max_length, int check_crc,
                         const ccsds_split_arrays *arrays, ccsds_split_result *res,
                         ccsds_error *err)
{
    size_t pos = 0;
    size_t count = 0;
    size_t skipped = 0;
    size_t min_length = check_crc ? CCSDS_HEADER_LEN + 3 : CCSDS_HEADER_LEN + 1;
#if SIZE_MAX > 0xFFFFFFFFu
    if (len > 0xFFFFFFFFu) { /* offsets are 32-bit */
        return ccsds_fail(err, CCSDS_ERR_LENGTH, "buffer", "<= 4 GiB", 0, 0, (int64_t)len);
    }
#endif
    if (max_length < CCSDS_HEADER_LEN + 1 || max_length > CCSDS_MAX_PACKET_LEN) {
        return ccsds_range(err, "max_length", CCSDS_HEADER_LEN + 1, CCSDS_MAX_PACKET_LEN,
                           max_length);
    }
    while (len - pos >= CCSDS_HEADER_LEN) {
        const uint8_t *p = buf + pos;
        size_t total = (size_t)ccsds_load16(p + 4) + CCSDS_HEADER_LEN + 1;
        if ((p[0] >> 5) != 0 || total > (size_t)max_length || total < min_length) {
            pos++;
            skipped++;
            continue;
        }
        if (total > len - pos) {
            break; /* a partial packet waits for the next read */
        }
        if (check_crc && ccsds_crc16(p, total, 0xFFFF) != 0) {
            pos++;
            skipped++;
            continue;
        }
        if (count == arrays->capacity) {
            break;
        }
        arrays->offsets[count] = (uint32_t)pos;
        arrays->lengths[count] = (uint32_t)total;
        arrays->apids[count] = (uint16_t)(((p[0] & 0x07u) << 8) | p[1]);
        arrays->seq_counts[count] = (uint16_t)(((p[2] & 0x3Fu) << 8) | p[3]);
        count++;
        pos += total;
    }
    res->count = count;
    res->consumed = pos;
    res->skipped = skipped;
    return CCSDS_OK;
}

ccsds_status ccsds_packetize_size(size_t payload_len, int64_t apid, int64_t seq_count,
                                  int64_t chunk, int64_t ptype, int crc, size_t *size,
                                  ccsds_error *err)
{
    int64_t trailer = crc ? CCSDS_CRC_LEN : 0;
    size_t packets;
    size_t overhead;
    CCSDS_CHECK(err, "apid", apid, 0x7FF);
    CCSDS_CHECK(err, "sequence_count", seq_count, 0x3FFF);
    CCSDS_CHECK(err, "packet_type", ptype, 1);
    if (chunk < 1 || chunk > 65536 - trailer) {
        return ccsds_range(err, "chunk", 1, 65536 - trailer, chunk);
    }
    packets = payload_len / (size_t)chunk + (payload_len % (size_t)chunk != 0);
    overhead = (size_t)(CCSDS_HEADER_LEN + trailer);
    if (packets > (SIZE_MAX - payload_len) / overhead) {
        return ccsds_fail(err, CCSDS_ERR_CAPACITY, "output", NULL, -1, 0, 0);
    }
    *size = payload_len + packets * overhead;
    return CCSDS_OK;
}

ccsds_status ccsds_packetize(const uint8_t *payload, size_t payload_len, int64_t apid,
                             int64_t seq_count, int64_t chunk, int64_t ptype, int crc,
                             uint8_t *out, size_t out_cap, size_t *out_len,
                             uint16_t *next_seq_count, ccsds_error *err)
{
    size_t needed = 0;
    size_t pos = 0;
    size_t step;
    unsigned seq = (unsigned)seq_count;
    unsigned trailer = crc ? CCSDS_CRC_LEN : 0u;
    uint8_t *o = out;
    ccsds_status status =
        ccsds_packetize_size(payload_len, apid, seq_count, chunk, ptype, crc, &needed, err);
    if (status != CCSDS_OK) {
        return status;
    }
    if (needed > out_cap) {
        return ccsds_fail(err, CCSDS_ERR_CAPACITY, "output", NULL, -1, (int64_t)needed,
                          (int64_t)out_cap);
    }
    step = (size_t)chunk;
    while (pos < payload_len) {
        size_t size = payload_len - pos < step ? payload_len - pos : step;
        unsigned flags;
        if (payload_len <= step) {
            flags = 3; /* unsegmented */
        } else if (pos == 0) {
            flags = 1; /* first */
        } else if (pos + size == payload_len) {
            flags = 2; /* last */
        } else {
            flags = 0; /* continuation */
        }
        ccsds_write_header(o, (unsigned)ptype, 0, (unsigned)apid, flags, seq,
                           (unsigned)size + trailer - 1);
        memcpy(o + CCSDS_HEADER_LEN, payload + pos, size);
        o += CCSDS_HEADER_LEN + size;
        if (crc) {
            size_t packet_len = CCSDS_HEADER_LEN + size;
            ccsds_store16(o, ccsds_crc16(o - packet_len, packet_len, 0xFFFF));
            o += CCSDS_CRC_LEN;
        }
        seq = (seq + 1) & 0x3FFFu;
        pos += size;
    }
    *out_len = (size_t)(o - out);
    *next_seq_count = (uint16_t)seq;
    return CCSDS_OK;
}
