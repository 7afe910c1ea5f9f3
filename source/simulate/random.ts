/**
 * Stateless randomness: every simulated value is a pure function of (seed, index, salt), so
 * record i can be rebuilt on demand without storing anything, in any order.
 */

// murmur3's 32-bit finalizer: a bijection with full avalanche, cheap enough to call per field.
function mix32(value: number): number {
	let x = value;
	x ^= x >>> 16;
	x = Math.imul(x, 0x85_eb_ca_6b);
	x ^= x >>> 13;
	x = Math.imul(x, 0xc2_b2_ae_35);
	x ^= x >>> 16;
	return x >>> 0;
}

/** A 32-bit hash of (seed, index, salt); index may exceed 2^32. */
export function hash(seed: number, index: number, salt: number): number {
	const low = index >>> 0;
	const high = Math.floor(index / 4_294_967_296) >>> 0;
	let h = mix32(seed ^ Math.imul(salt + 1, 0x9e_37_79_b1));
	h = mix32(h ^ low);
	return mix32((h + Math.imul(high, 0x27_d4_eb_2f)) ^ 0x16_56_67_b1);
}

/** A float in [0, 1). */
export function unit(seed: number, index: number, salt: number): number {
	return hash(seed, index, salt) / 4_294_967_296;
}

/** An integer in [0, n). */
export function below(seed: number, index: number, salt: number, n: number): number {
	return Math.floor(unit(seed, index, salt) * n);
}

const byteHex = Array.from({length: 256}, (_, b) => b.toString(16).padStart(2, '0'));

/** `length` lowercase hex digits. */
export function hex(seed: number, index: number, salt: number, length: number): string {
	let out = '';
	for (let k = 0; out.length < length; k++) {
		const h = hash(seed, index, salt + (k * 7919));
		out += byteHex[h >>> 24] + byteHex[(h >>> 16) & 255] + byteHex[(h >>> 8) & 255] + byteHex[h & 255];
	}

	return out.length === length ? out : out.slice(0, length);
}

/** Picks from a list by cumulative weights (`weights` sums to anything positive). */
export function weighted(weights: readonly number[]): (u: number) => number {
	const total = weights.reduce((sum, w) => sum + w, 0);
	const cumulative: number[] = [];
	let running = 0;
	for (const w of weights) {
		running += w / total;
		cumulative.push(running);
	}

	return (u: number) => {
		for (let k = 0; k < cumulative.length - 1; k++) {
			if (u < cumulative[k]) {
				return k;
			}
		}

		return cumulative.length - 1;
	};
}

/** A 32-bit seed from a number or a string (FNV-1a for strings). */
export function seedOf(value: number | string): number {
	if (typeof value === 'number' && Number.isFinite(value)) {
		return mix32(Math.trunc(value) ^ 0x5b_d1_e9_95);
	}

	let h = 0x81_1c_9d_c5;
	for (const char of String(value)) {
		h = Math.imul(h ^ char.codePointAt(0)!, 0x01_00_01_93);
	}

	return mix32(h);
}
