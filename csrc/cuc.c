/*
 * CCSDS Unsegmented Time Code (CUC, CCSDS 301.0-B-4 section 3.2).
 *
 * P-field, first octet (bit 7 is the most significant):
 *     extension:1 | time_code_id:3 | coarse_octets-1:2 | fine_octets:2
 * and, when the extension flag is set, a second octet:
 *     extension:1 | additional_coarse:2 | additional_fine:3 | reserved:2
 * Time code ID 0b001 counts from the CCSDS epoch (1958-01-01 TAI), 0b010 from an
 * agency-defined epoch. Supports 1..7 coarse and 0..7 fine octets, as flight/ccsds/pure/cuc.py.
 */
#include "internal.h"

static int known_time_code(int64_t id)
{
    return id == 1 || id == 2;
}

static ccsds_status check_octets(int64_t coarse_octets, int64_t fine_octets, ccsds_error *err)
{
    if (coarse_octets < 1 || coarse_octets > CCSDS_CUC_MAX_COARSE) {
        return ccsds_range(err, "coarse_octets", 1, CCSDS_CUC_MAX_COARSE, coarse_octets);
    }
    if (fine_octets < 0 || fine_octets > CCSDS_CUC_MAX_FINE) {
        return ccsds_range(err, "fine_octets", 0, CCSDS_CUC_MAX_FINE, fine_octets);
    }
    return CCSDS_OK;
}

static uint8_t *store_be(uint8_t *p, uint64_t value, unsigned octets)
{
    unsigned i;
    for (i = octets; i > 0; i--) {
        p[i - 1] = (uint8_t)(value & 0xFFu);
        value >>= 8;
    }
    return p + octets;
}

static uint64_t load_be(const uint8_t *p, unsigned octets)
{
    uint64_t value = 0;
    unsigned i;
    for (i = 0; i < octets; i++) {
        value = (value << 8) | p[i];
    }
    return value;
}

ccsds_status ccsds_cuc_pack(int64_t coarse, int64_t fine, int64_t coarse_octets,
                            int64_t fine_octets, int pfield, int64_t time_code_id, uint8_t *out,
                            size_t *out_len, ccsds_error *err)
{
    int64_t coarse_max;
    int64_t fine_max;
    uint8_t *p = out;
    ccsds_status status = check_octets(coarse_octets, fine_octets, err);
    if (status != CCSDS_OK) {
        return status;
    }
    if (!known_time_code(time_code_id)) {
        return ccsds_range(err, "time_code_id", 1, 2, time_code_id);
    }
    /* at most 7 octets each, so the maxima fit in int64_t */
    coarse_max = (int64_t)((UINT64_C(1) << (8 * coarse_octets)) - 1);
    fine_max = (int64_t)((UINT64_C(1) << (8 * fine_octets)) - 1);
    if (coarse < 0 || coarse > coarse_max) {
        return ccsds_range(err, "coarse", 0, coarse_max, coarse);
    }
    if (fine < 0 || fine > fine_max) {
        return ccsds_range(err, "fine", 0, fine_max, fine);
    }
    if (pfield) {
        unsigned base_coarse = coarse_octets < 4 ? (unsigned)coarse_octets : 4u;
        unsigned base_fine = fine_octets < 3 ? (unsigned)fine_octets : 3u;
        unsigned extra_coarse = (unsigned)coarse_octets - base_coarse;
        unsigned extra_fine = (unsigned)fine_octets - base_fine;
        unsigned first = ((unsigned)time_code_id << 4) | ((base_coarse - 1) << 2) | base_fine;
        if (extra_coarse != 0 || extra_fine != 0) {
            *p++ = (uint8_t)(0x80u | first);
            *p++ = (uint8_t)((extra_coarse << 5) | (extra_fine << 2));
        } else {
            *p++ = (uint8_t)first;
        }
    }
    p = store_be(p, (uint64_t)coarse, (unsigned)coarse_octets);
    p = store_be(p, (uint64_t)fine, (unsigned)fine_octets);
    *out_len = (size_t)(p - out);
    return CCSDS_OK;
}

ccsds_status ccsds_cuc_unpack(const uint8_t *data, size_t len, size_t offset,
                              int64_t coarse_octets, int64_t fine_octets, int pfield,
                              ccsds_cuc *out, ccsds_error *err)
{
    /* octets from offset to the end; an offset past the end leaves none */
    size_t n = offset < len ? len - offset : 0;
    size_t pos = offset;
    size_t length;
    unsigned time_code_id = 0;
    if (pfield) {
        unsigned first;
        if (n < 1) {
            return ccsds_fail(err, CCSDS_ERR_TRUNCATED, "pfield", NULL, (int64_t)offset, 1, 0);
        }
        first = data[pos];
        time_code_id = (first >> 4) & 0x07u;
        if (!known_time_code(time_code_id)) {
            return ccsds_fail(err, CCSDS_ERR_HEADER, "time_code_id", "1 or 2", (int64_t)offset,
                              0, time_code_id);
        }
        coarse_octets = ((first >> 2) & 0x03u) + 1;
        fine_octets = first & 0x03u;
        pos++;
        if (first & 0x80u) {
            unsigned second;
            if (n < 2) {
                return ccsds_fail(err, CCSDS_ERR_TRUNCATED, "pfield", NULL, (int64_t)offset, 2,
                                  (int64_t)n);
            }
            second = data[pos];
            if (second & 0x80u) {
                return ccsds_fail(err, CCSDS_ERR_HEADER, "pfield_extension", NULL,
                                  (int64_t)offset + 1, 0, 1);
            }
            coarse_octets += (second >> 5) & 0x03u;
            fine_octets += (second >> 2) & 0x07u;
            pos++;
            if (fine_octets > CCSDS_CUC_MAX_FINE) {
                return ccsds_fail(err, CCSDS_ERR_HEADER, "fine_octets", "<= %d",
                                  (int64_t)offset + 1, CCSDS_CUC_MAX_FINE, fine_octets);
            }
        }
    } else {
        ccsds_status status = check_octets(coarse_octets, fine_octets, err);
        if (status != CCSDS_OK) {
            return status;
        }
    }
    length = pos - offset + (size_t)coarse_octets + (size_t)fine_octets;
    if (n < length) {
        return ccsds_fail(err, CCSDS_ERR_TRUNCATED, "cuc_time", NULL, (int64_t)offset,
                          (int64_t)length, (int64_t)n);
    }
    out->coarse = load_be(data + pos, (unsigned)coarse_octets);
    pos += (size_t)coarse_octets;
    out->fine = load_be(data + pos, (unsigned)fine_octets);
    out->coarse_octets = (uint8_t)coarse_octets;
    out->fine_octets = (uint8_t)fine_octets;
    out->time_code_id = (uint8_t)time_code_id;
    out->length = (uint8_t)length;
    return CCSDS_OK;
}
