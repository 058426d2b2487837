/*
 * Shared by the libFuzzer harnesses: the invariant check (abort, so libFuzzer records the
 * crash and its input; nothing here catches signals) and input-reading helpers.
 * Each harness documents how it reads its input; tests/csrc/test_fuzz.py reads the seed
 * corpus the same way to replay it through both Python backends.
 */
#ifndef STARLING_FUZZ_H
#define STARLING_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#include "ccsds.h"
#include "frames.h"

#define FUZZ_CHECK(cond)                                                                      \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);      \
            abort();                                                                          \
        }                                                                                     \
    } while (0)

/* A failing call must name a field and fail with a known status (never CAPACITY: the
 * harnesses size every output as the header says). */
#define FUZZ_CHECK_ERROR(status, err)                                                         \
    do {                                                                                      \
        FUZZ_CHECK(((status) >= CCSDS_ERR_TRUNCATED && (status) <= CCSDS_ERR_RANGE) ||        \
                   (status) == CCSDS_ERR_CODING);                                             \
        FUZZ_CHECK((err).field != NULL);                                                      \
    } while (0)

static inline unsigned fuzz_u16(const uint8_t *p)
{
    return ((unsigned)p[0] << 8) | p[1];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* STARLING_FUZZ_H */
