/*
 * Starling CCSDS transfer frames: TC frames (232.0-B-4) with the COP-1 control commands and
 * the CLCW (232.1-B-2), CLTUs with BCH(63,56) (231.0-B-4), the TC and TM randomizers, TM
 * frames (132.0-B-3) with ASM synchronisation (131.0-B), and packets into TM frames and back.
 *
 * The C twin of flight/ccsds/pure/{tcframe,cltu,tmframe,tmmux}.py, under the rules of
 * ccsds.h: C99, no heap, every length checked before use, the twin's checks in its order.
 */
#ifndef STARLING_FRAMES_H
#define STARLING_FRAMES_H

#include "ccsds.h"

#define CCSDS_TC_HEADER_LEN 5
#define CCSDS_TC_MAX_FRAME_LEN 1024
#define CCSDS_CLCW_LEN 4
#define CCSDS_TM_HEADER_LEN 6
#define CCSDS_TM_MAX_FRAME_LEN 2048
#define CCSDS_OCF_LEN 4
#define CCSDS_ASM_LEN 4
#define CCSDS_FHP_NO_PACKET 0x7FF
#define CCSDS_FHP_IDLE 0x7FE
#define CCSDS_CLTU_MAX_DATA 0xFFFF
#define CCSDS_MAX_CARRY 65541 /* a partial packet is at most one octet short of the largest */

/* ---- TC frames and the CLCW; tcframe.c ---- */
typedef struct {
    uint8_t bypass, control, vcid, seq;
    uint16_t scid, length, data_offset, data_length;
    int16_t segment; /* the segment header octet, or -1 */
    int16_t command; /* 0 Unlock, 1 Set V(R), -1 a data frame */
    int16_t set_vr;  /* the Set V(R) value, or -1 */
} ccsds_tc_frame;

typedef struct {
    uint8_t status, cop, vcid, no_rf, no_bitlock, lockout, wait, retransmit, farm_b, report;
} ccsds_clcw;

/* segment -1: no segment header. out needs CCSDS_TC_MAX_FRAME_LEN octets at most. */
ccsds_status ccsds_tc_frame_pack(int64_t bypass, int64_t control, int64_t scid, int64_t vcid,
                                 int64_t seq, int64_t segment, const uint8_t *data, size_t len,
                                 int fecf, uint8_t *out, size_t out_cap, size_t *out_len,
                                 ccsds_error *err);
/* Octets after the frame (CLTU fill) are allowed; out->length says where the frame ends. */
ccsds_status ccsds_tc_frame_unpack(const uint8_t *data, size_t len, int fecf, int segmented,
                                   ccsds_tc_frame *out, ccsds_error *err);
ccsds_status ccsds_clcw_pack(int64_t status, int64_t cop, int64_t vcid, int64_t no_rf,
                             int64_t no_bitlock, int64_t lockout, int64_t wait,
                             int64_t retransmit, int64_t farm_b, int64_t report, uint8_t out[4],
                             ccsds_error *err);
ccsds_status ccsds_clcw_unpack(const uint8_t *data, size_t len, size_t offset, ccsds_clcw *out,
                               ccsds_error *err);

/* ---- randomizers and CLTUs; cltu.c ---- */
typedef struct {
    size_t out_len;   /* information octets decoded, fill included */
    size_t start;     /* offset of the start sequence */
    size_t end;       /* offset just past the tail sequence */
    size_t corrected; /* code blocks with one bit error repaired */
} ccsds_cltu_result;

/* XOR with the TC (tm == 0) or TM (tm != 0) sequence; out may be data. */
void ccsds_randomize(const uint8_t *data, size_t len, int tm, uint8_t *out);
/* The CLTU's size for `len` data octets; 0 when len is outside 1..65535. */
size_t ccsds_cltu_encoded_len(size_t len);
ccsds_status ccsds_cltu_encode(const uint8_t *data, size_t len, int randomize, uint8_t *out,
                               size_t out_cap, size_t *out_len, ccsds_error *err);
/* out needs `len` octets (a CLTU never decodes to more than it holds). */
ccsds_status ccsds_cltu_decode(const uint8_t *buf, size_t len, int correct, int derandomize,
                               uint8_t *out, size_t out_cap, ccsds_cltu_result *res,
                               ccsds_error *err);

/* ---- TM frames and ASM synchronisation; tmframe.c ---- */
typedef struct {
    uint16_t scid, fhp, data_offset, data_length;
    uint8_t vcid, mc, vc;
    int64_t ocf; /* the 32-bit operational control field, or -1 */
} ccsds_tm_frame;

/* ocf -1: no operational control field. out needs CCSDS_TM_MAX_FRAME_LEN octets at most. */
ccsds_status ccsds_tm_frame_pack(int64_t scid, int64_t vcid, int64_t mc, int64_t vc,
                                 int64_t fhp, const uint8_t *data, size_t len, int64_t ocf,
                                 int fecf, uint8_t *out, size_t out_cap, size_t *out_len,
                                 ccsds_error *err);
/* `data` is exactly one frame. */
ccsds_status ccsds_tm_frame_unpack(const uint8_t *data, size_t len, int fecf,
                                   ccsds_tm_frame *out, ccsds_error *err);
/* Entries ccsds_tm_sync can ever need for `len` octets. */
size_t ccsds_tm_sync_capacity(size_t len);
/* Stops early, leaving the rest unconsumed, when `offsets` is full. */
ccsds_status ccsds_tm_sync(const uint8_t *buf, size_t len, int64_t frame_length, int check_fecf,
                           uint32_t *offsets, size_t capacity, ccsds_split_result *res,
                           ccsds_error *err);

/* ---- packets into frames and back; tmmux.c ---- */
typedef struct {
    size_t out_len, count, consumed, lead;
    uint8_t mc, vc;
} ccsds_tm_mux_result;

typedef struct {
    size_t out_len, carry_len, frames, gaps, bad, other, dropped;
    int64_t expected_vc;
} ccsds_tm_demux_result;

/* Frames ccsds_tm_mux can produce from `len` octets, times the frame length; 0 if invalid. */
size_t ccsds_tm_mux_capacity(size_t len, int64_t frame_length, int64_t ocf, int fecf);
ccsds_status ccsds_tm_mux(const uint8_t *stream, size_t len, int64_t lead, int64_t scid,
                          int64_t vcid, int64_t mc, int64_t vc, int64_t frame_length,
                          int64_t ocf, int fecf, int flush, uint8_t *out, size_t out_cap,
                          ccsds_tm_mux_result *res, ccsds_error *err);
/* carry: in (carry_len <= CCSDS_MAX_CARRY octets) and out; it needs CCSDS_MAX_PACKET_LEN
 * octets of room. out needs len + carry_len octets. */
ccsds_status ccsds_tm_demux(const uint8_t *frames, size_t len, int64_t frame_length, int fecf,
                            int64_t vcid, int64_t expected_vc, uint8_t *carry, size_t carry_len,
                            uint8_t *out, size_t out_cap, ccsds_tm_demux_result *res,
                            ccsds_error *err);

#endif /* STARLING_FRAMES_H */
