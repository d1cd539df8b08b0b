/* fuzz_load.c — libFuzzer entry point (see fuzz/Makefile). */
#include "exercise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pmat_fuzz_one(data, size, 1);
    return 0;
}
