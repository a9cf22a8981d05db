#ifndef ARDESK_CCHECKSUM_H
#define ARDESK_CCHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this processor has the SSE 4.2 CRC-32C instruction.
int ardesk_crc32c_hardware_available(void);

/// CRC-32C of `count` bytes continuing from `crc` (already inverted, as in the table version),
/// with the processor's CRC-32C instruction. Call only when it is available.
uint32_t ardesk_crc32c_hardware(uint32_t crc, const void *bytes, size_t count);

#endif
