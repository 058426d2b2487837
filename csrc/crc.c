/*
 * CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection), the PUS packet error control.
 *
 * Portable path, every CPU: slice-by-16, sixteen table lookups fold sixteen octets into the
 * register per step (8 KiB of tables, several times the octet-at-a-time loop).
 * x86-64 with PCLMULQDQ (checked at run time, so one binary runs everywhere): carry-less
 * multiplication folds 64 octets per step into four 128-bit lanes, the method of Intel's
 * "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ". The lanes stay congruent
 * to the message modulo P, so their final 16 octets go through the table path with init 0.
 * ARM boards use the portable path (the Pi 4 has no PMULL).
 */
#include "ccsds.h"
#include "crc_tables.h"

static uint16_t crc16_tables(const uint8_t *data, size_t len, uint32_t c)
{
    const uint16_t(*t)[256] = ccsds_crc_table;
    while (len >= 16) {
        /* the register lines up with the first two octets of the block (MSB first) */
        c = (uint32_t)t[15][data[0] ^ (c >> 8)] ^ t[14][data[1] ^ (c & 0xFFu)] ^ t[13][data[2]] ^
            t[12][data[3]] ^ t[11][data[4]] ^ t[10][data[5]] ^ t[9][data[6]] ^ t[8][data[7]] ^
            t[7][data[8]] ^ t[6][data[9]] ^ t[5][data[10]] ^ t[4][data[11]] ^ t[3][data[12]] ^
            t[2][data[13]] ^ t[1][data[14]] ^ t[0][data[15]];
        data += 16;
        len -= 16;
    }
    while (len > 0) {
        c = ((c << 8) & 0xFF00u) ^ t[0][(c >> 8) ^ *data];
        data++;
        len--;
    }
    return (uint16_t)c;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CCSDS_CRC_CLMUL 1
#include <immintrin.h>

#define CLMUL_TARGET __attribute__((target("pclmul,ssse3")))
#define CLMUL_MIN_LEN 128

/* A 16-octet block as a 128-bit polynomial: first octet in the top bits (MSB first). */
CLMUL_TARGET static __m128i load_block(const uint8_t *p, __m128i swap)
{
    return _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), swap);
}

/* hi * k.hi + lo * k.lo: multiplies the lane by x^n mod P, one constant per 64-bit half. */
CLMUL_TARGET static __m128i fold(__m128i lane, __m128i k)
{
    return _mm_xor_si128(_mm_clmulepi64_si128(lane, k, 0x11), _mm_clmulepi64_si128(lane, k, 0x00));
}

CLMUL_TARGET static uint16_t crc16_clmul(const uint8_t *data, size_t len, uint32_t c)
{
    const __m128i swap = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m128i k512 = _mm_set_epi64x(CCSDS_CRC_X576_MOD_P, CCSDS_CRC_X512_MOD_P);
    const __m128i k128 = _mm_set_epi64x(CCSDS_CRC_X192_MOD_P, CCSDS_CRC_X128_MOD_P);
    uint8_t tail[16];
    __m128i a0 = load_block(data, swap);
    __m128i a1 = load_block(data + 16, swap);
    __m128i a2 = load_block(data + 32, swap);
    __m128i a3 = load_block(data + 48, swap);
    __m128i x;
    /* a non-zero init is the same as XOR-ing it into the first two octets */
    a0 = _mm_xor_si128(a0, _mm_set_epi64x((long long)((uint64_t)c << 48), 0));
    data += 64;
    len -= 64;
    while (len >= 64) {
        a0 = _mm_xor_si128(fold(a0, k512), load_block(data, swap));
        a1 = _mm_xor_si128(fold(a1, k512), load_block(data + 16, swap));
        a2 = _mm_xor_si128(fold(a2, k512), load_block(data + 32, swap));
        a3 = _mm_xor_si128(fold(a3, k512), load_block(data + 48, swap));
        data += 64;
        len -= 64;
    }
    x = _mm_xor_si128(fold(a0, k128), a1);
    x = _mm_xor_si128(fold(x, k128), a2);
    x = _mm_xor_si128(fold(x, k128), a3);
    _mm_storeu_si128((__m128i *)(void *)tail, _mm_shuffle_epi8(x, swap));
    return crc16_tables(data, len, crc16_tables(tail, sizeof tail, 0));
}
#endif

uint16_t ccsds_crc16(const uint8_t *data, size_t len, uint16_t crc)
{
#ifdef CCSDS_CRC_CLMUL
    if (len >= CLMUL_MIN_LEN && __builtin_cpu_supports("pclmul") &&
        __builtin_cpu_supports("ssse3")) {
        return crc16_clmul(data, len, crc);
    }
#endif
    return crc16_tables(data, len, crc);
}
