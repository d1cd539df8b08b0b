/* fuzz_load.c — libFuzzer entry point (see fuzz/Makefile).
 * Every input goes through the loader and the decoders; the shell commands (slow by
 * comparison) run on a fixed one in eight of the inputs, chosen by a hash of the bytes
 * so that a saved crash input reproduces. */
#include <stdlib.h>

#include "exercise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t x = 2166136261u;
    for (size_t i = 0; i < size; i++)
        x = (x ^ data[i]) * 16777619u;
    pmat_fuzz_one(data, size, (x & 7) == 0 || getenv("PMAT_FUZZ_ALL_CLI") != NULL);
    return 0;
}
