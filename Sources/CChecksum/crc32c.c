// CRC-32C with the SSE 4.2 instruction (eight bytes per instruction), about ten times the
// table-driven Swift version, which remains for processors without it. Checking the checksum of
// every line is on the one thread that reads a log while opening it.
#include "CChecksum.h"
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>

int ardesk_crc32c_hardware_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    return (ecx & bit_SSE4_2) != 0;
}

__attribute__((target("sse4.2")))
uint32_t ardesk_crc32c_hardware(uint32_t crc, const void *bytes, size_t count) {
    const unsigned char *p = bytes;
    uint64_t c = crc;
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        c = __builtin_ia32_crc32di(c, word);
        p += 8;
        count -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (count > 0) {
        c32 = __builtin_ia32_crc32qi(c32, *p);
        p++;
        count--;
    }
    return c32;
}
#else
int ardesk_crc32c_hardware_available(void) { return 0; }
uint32_t ardesk_crc32c_hardware(uint32_t crc, const void *bytes, size_t count) { (void)bytes; (void)count; return crc; }
#endif
