/* exercise.h — one fuzz iteration: load from memory, decode and analyse everything. */
#ifndef PMAT_FUZZ_EXERCISE_H
#define PMAT_FUZZ_EXERCISE_H
#include <stddef.h>
#include <stdint.h>
void pmat_fuzz_one(const uint8_t *data, size_t size, int run_cli);
#endif
