/*
 * ECSS-E-ST-70-41C (PUS-C) telecommand and telemetry packets with packet error control.
 *
 * TC secondary header (5 octets): pus_version:4 (=2) | ack_flags:4 | service:8 | subtype:8 |
 * source_id:16.  TM secondary header (7 octets + time): pus_version:4 (=2) |
 * time_ref_status:4 | service:8 | subtype:8 | msg_counter:16 | dest_id:16 | time.
 * Both end in a CRC-16/CCITT-FALSE over the whole packet.
 *
 * Unpacking checks, in this order (as flight/ccsds/pure/pus.py does): the primary header is
 * present; version 0; the packet type; the secondary header flag; the data length covers the
 * PUS headers and CRC; the buffer holds exactly one packet; the CRC; the PUS version.
 */
#include <string.h>

#include "internal.h"

#define TYPE_TM 0
#define TYPE_TC 1

/* Appends the CRC over out[0..len) and returns the packet's total length. */
static size_t finish(uint8_t *out, size_t len)
{
    ccsds_store16(out + len, ccsds_crc16(out, len, 0xFFFF));
    return len + CCSDS_CRC_LEN;
}

ccsds_status ccsds_pus_tc_pack(int64_t apid, int64_t seq_flags, int64_t seq_count,
                               int64_t ack_flags, int64_t service, int64_t subtype,
                               int64_t source_id, const uint8_t *app_data, size_t app_len,
                               uint8_t *out, size_t out_cap, size_t *out_len, ccsds_error *err)
{
    uint8_t header[CCSDS_HEADER_LEN];
    size_t data_len;
    ccsds_status status;
    CCSDS_CHECK(err, "ack_flags", ack_flags, 0x0F);
    CCSDS_CHECK(err, "service", service, 0xFF);
    CCSDS_CHECK(err, "subtype", subtype, 0xFF);
    CCSDS_CHECK(err, "source_id", source_id, 0xFFFF);
    if (app_len > 65536 - CCSDS_PUS_TC_SEC_LEN - CCSDS_CRC_LEN) {
        return ccsds_range(err, "app_data_length", 0, 65536 - CCSDS_PUS_TC_SEC_LEN - CCSDS_CRC_LEN,
                           (int64_t)app_len);
    }
    data_len = CCSDS_PUS_TC_SEC_LEN + app_len + CCSDS_CRC_LEN;
    status = ccsds_pack_header(TYPE_TC, 1, apid, seq_flags, seq_count, (int64_t)data_len - 1,
                               header, err);
    if (status != CCSDS_OK) {
        return status;
    }
    if (out_cap < CCSDS_HEADER_LEN + data_len) {
        return ccsds_fail(err, CCSDS_ERR_CAPACITY, "output", NULL, -1,
                          (int64_t)(CCSDS_HEADER_LEN + data_len), (int64_t)out_cap);
    }
    memcpy(out, header, CCSDS_HEADER_LEN);
    out[6] = (uint8_t)((CCSDS_PUS_VERSION << 4) | ack_flags);
    out[7] = (uint8_t)service;
    out[8] = (uint8_t)subtype;
    ccsds_store16(out + 9, (unsigned)source_id);
    if (app_len > 0) {
        memcpy(out + CCSDS_HEADER_LEN + CCSDS_PUS_TC_SEC_LEN, app_data, app_len);
    }
    *out_len = finish(out, CCSDS_HEADER_LEN + CCSDS_PUS_TC_SEC_LEN + app_len);
    return CCSDS_OK;
}

ccsds_status ccsds_pus_tm_pack(int64_t apid, int64_t seq_flags, int64_t seq_count,
                               int64_t time_ref, int64_t service, int64_t subtype,
                               int64_t msg_counter, int64_t dest_id, const uint8_t *time,
                               size_t time_len, const uint8_t *source_data, size_t source_len,
                               uint8_t *out, size_t out_cap, size_t *out_len, ccsds_error *err)
{
    uint8_t header[CCSDS_HEADER_LEN];
    int64_t fixed;
    size_t data_len;
    uint8_t *p;
    ccsds_status status;
    CCSDS_CHECK(err, "time_ref_status", time_ref, 0x0F);
    CCSDS_CHECK(err, "service", service, 0xFF);
    CCSDS_CHECK(err, "subtype", subtype, 0xFF);
    CCSDS_CHECK(err, "msg_counter", msg_counter, 0xFFFF);
    CCSDS_CHECK(err, "dest_id", dest_id, 0xFFFF);
    /* a time field longer than a packet leaves the allowed range empty, as in the twin;
       no buffer in memory exceeds INT64_MAX octets, so the casts keep the values */
    fixed = CCSDS_PUS_TM_SEC_LEN + (int64_t)time_len + CCSDS_CRC_LEN;
    if ((int64_t)source_len > 65536 - fixed) {
        return ccsds_range(err, "source_data_length", 0, 65536 - fixed, (int64_t)source_len);
    }
    data_len = (size_t)fixed + source_len;
    status = ccsds_pack_header(TYPE_TM, 1, apid, seq_flags, seq_count, (int64_t)data_len - 1,
                               header, err);
    if (status != CCSDS_OK) {
        return status;
    }
    if (out_cap < CCSDS_HEADER_LEN + data_len) {
        return ccsds_fail(err, CCSDS_ERR_CAPACITY, "output", NULL, -1,
                          (int64_t)(CCSDS_HEADER_LEN + data_len), (int64_t)out_cap);
    }
    memcpy(out, header, CCSDS_HEADER_LEN);
    out[6] = (uint8_t)((CCSDS_PUS_VERSION << 4) | time_ref);
    out[7] = (uint8_t)service;
    out[8] = (uint8_t)subtype;
    ccsds_store16(out + 9, (unsigned)msg_counter);
    ccsds_store16(out + 11, (unsigned)dest_id);
    p = out + CCSDS_HEADER_LEN + CCSDS_PUS_TM_SEC_LEN;
    if (time_len > 0) {
        memcpy(p, time, time_len);
        p += time_len;
    }
    if (source_len > 0) {
        memcpy(p, source_data, source_len);
        p += source_len;
    }
    *out_len = finish(out, (size_t)(p - out));
    return CCSDS_OK;
}

/* The framing TC and TM share; on success *total is the packet's length. */
static ccsds_status check_packet(const uint8_t *data, size_t n, unsigned ptype, size_t min_total,
                                 size_t *total, ccsds_error *err)
{
    size_t data_length;
    uint16_t computed;
    uint16_t stored;
    if (n < CCSDS_HEADER_LEN) {
        return ccsds_fail(err, CCSDS_ERR_TRUNCATED, "primary_header", NULL, 0, CCSDS_HEADER_LEN,
                          (int64_t)n);
    }
    if ((data[0] >> 5) != 0) {
        return ccsds_fail(err, CCSDS_ERR_HEADER, "version", NULL, 0, 0, data[0] >> 5);
    }
    if (((data[0] >> 4) & 1u) != ptype) {
        return ccsds_fail(err, CCSDS_ERR_HEADER, "packet_type", NULL, 0, ptype,
                          (data[0] >> 4) & 1u);
    }
    if (((data[0] >> 3) & 1u) != 1u) {
        return ccsds_fail(err, CCSDS_ERR_HEADER, "secondary_header_flag", NULL, 0, 1, 0);
    }
    data_length = ccsds_load16(data + 4);
    *total = data_length + CCSDS_HEADER_LEN + 1;
    if (*total < min_total) {
        return ccsds_fail(err, CCSDS_ERR_LENGTH, "packet_data_length", ">= %d", 4,
                          (int64_t)min_total - 7, (int64_t)data_length);
    }
    if (n < *total) {
        return ccsds_fail(err, CCSDS_ERR_TRUNCATED, "packet", NULL, 0, (int64_t)*total,
                          (int64_t)n);
    }
    if (n > *total) {
        return ccsds_fail(err, CCSDS_ERR_LENGTH, "packet_data_length", NULL, 4,
                          (int64_t)(n - CCSDS_HEADER_LEN - 1), (int64_t)data_length);
    }
    computed = ccsds_crc16(data, *total - CCSDS_CRC_LEN, 0xFFFF);
    stored = ccsds_load16(data + *total - CCSDS_CRC_LEN);
    if (computed != stored) {
        return ccsds_fail(err, CCSDS_ERR_CHECKSUM, "packet_error_control", NULL,
                          (int64_t)(*total - CCSDS_CRC_LEN), computed, stored);
    }
    if ((data[CCSDS_HEADER_LEN] >> 4) != CCSDS_PUS_VERSION) {
        return ccsds_fail(err, CCSDS_ERR_HEADER, "pus_version", NULL, CCSDS_HEADER_LEN,
                          CCSDS_PUS_VERSION, data[CCSDS_HEADER_LEN] >> 4);
    }
    return CCSDS_OK;
}

ccsds_status ccsds_pus_tc_unpack(const uint8_t *data, size_t len, ccsds_pus_tc *out,
                                 ccsds_error *err)
{
    const size_t start = CCSDS_HEADER_LEN + CCSDS_PUS_TC_SEC_LEN;
    size_t total = 0;
    ccsds_status status = check_packet(data, len, TYPE_TC, start + CCSDS_CRC_LEN, &total, err);
    if (status != CCSDS_OK) {
        return status;
    }
    out->apid = (uint16_t)(((data[0] & 0x07u) << 8) | data[1]);
    out->seq_flags = (uint8_t)(data[2] >> 6);
    out->seq_count = (uint16_t)(((data[2] & 0x3Fu) << 8) | data[3]);
    out->ack_flags = (uint8_t)(data[6] & 0x0Fu);
    out->service = data[7];
    out->subtype = data[8];
    out->source_id = ccsds_load16(data + 9);
    out->app_data_offset = (uint32_t)start;
    out->app_data_length = (uint32_t)(total - CCSDS_CRC_LEN - start);
    return CCSDS_OK;
}

ccsds_status ccsds_pus_tm_unpack(const uint8_t *data, size_t len, int64_t time_len,
                                 ccsds_pus_tm *out, ccsds_error *err)
{
    const size_t time_offset = CCSDS_HEADER_LEN + CCSDS_PUS_TM_SEC_LEN;
    size_t start;
    size_t total = 0;
    ccsds_status status;
    if (time_len < 0 || time_len > CCSDS_TM_MAX_TIME_LEN) {
        return ccsds_range(err, "time_len", 0, CCSDS_TM_MAX_TIME_LEN, time_len);
    }
    start = time_offset + (size_t)time_len;
    status = check_packet(data, len, TYPE_TM, start + CCSDS_CRC_LEN, &total, err);
    if (status != CCSDS_OK) {
        return status;
    }
    out->apid = (uint16_t)(((data[0] & 0x07u) << 8) | data[1]);
    out->seq_flags = (uint8_t)(data[2] >> 6);
    out->seq_count = (uint16_t)(((data[2] & 0x3Fu) << 8) | data[3]);
    out->time_ref = (uint8_t)(data[6] & 0x0Fu);
    out->service = data[7];
    out->subtype = data[8];
    out->msg_counter = ccsds_load16(data + 9);
    out->dest_id = ccsds_load16(data + 11);
    out->time_offset = (uint32_t)time_offset;
    out->source_data_offset = (uint32_t)start;
    out->source_data_length = (uint32_t)(total - CCSDS_CRC_LEN - start);
    return CCSDS_OK;
}
