/**
 * SIP2 error detection: the checksum is the two's complement of the 16-bit sum of every byte of the
 * message from its first character up to and including "AZ", written as four upper-case hex digits.
 * It is computed over the bytes on the wire, so it holds for UTF-8 and GB18030 alike.
 */
export function sip2Checksum(bytes: Uint8Array): string {
  let sum = 0;
  for (const b of bytes) sum = (sum + b) & 0xffff;
  return ((-sum) & 0xffff).toString(16).toUpperCase().padStart(4, '0');
}
