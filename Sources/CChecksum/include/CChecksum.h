#ifndef ARDESK_CCHECKSUM_H
#define ARDESK_CCHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this processor has the SSE 4.2 CRC-32C instruction.
int ardesk_crc32c_hardware_available(void);

/// CRC-32C of `count` bytes continuing from `crc` (already inverted, as in the table version),
/// with the processor's CRC-32C instruction. Call only when it is available.
uint32_t ardesk_crc32c_hardware(uint32_t crc, const void *bytes, size_t count);

/// 1 when this processor has the SHA instructions (and SSSE3 and SSE 4.1, which they are used with).
int ardesk_sha256_hardware_available(void);

/// SHA-256 of `count` bytes into `digest`, with the processor's SHA instructions. Call only when
/// they are available.
void ardesk_sha256_hardware(const void *bytes, size_t count, unsigned char digest[32]);

/// SHA-256 of two messages at once (their rounds interleaved, nearly twice as fast as one after
/// the other). Call only when the instructions are available.
void ardesk_sha256_hardware_pair(const void *a, size_t count_a, const void *b, size_t count_b,
                                 unsigned char digest_a[32], unsigned char digest_b[32]);

#endif
