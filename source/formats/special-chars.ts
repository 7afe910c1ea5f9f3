/**
 * For a char code ≥ 0x7F: whether it needs care in any format's output. DEL and the C1
 * controls, UTF-16 surrogates (a lone one is not text), and U+2028/U+2029, which some
 * receivers treat as line breaks.
 */
export function isSpecialHigh(c: number): boolean {
	return c <= 0x9f || (c >= 0xd8_00 && c <= 0xdf_ff) || c === 0x20_28 || c === 0x20_29;
}
