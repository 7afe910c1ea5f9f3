import assert from 'node:assert/strict';
import {isIP} from 'node:net';
import {test} from 'node:test';
import fc from 'fast-check';
import {ipFamily} from '../../source/formats/record-fields.ts';

test('ipFamily agrees with node:net isIP on addresses and near-addresses', () => {
	const near = fc.string({unit: fc.constantFrom('0', '1', '2', '5', '9', '.', ':', 'a', 'f', '%', ' '), maxLength: 20});
	const octets = fc.array(fc.oneof(fc.integer({min: 0, max: 300}).map(String), fc.constantFrom('00', '01', '010', '255', '256', '')), {minLength: 1, maxLength: 5}).map(parts => parts.join('.'));
	fc.assert(fc.property(fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.ipV6(), near, octets), text => {
		assert.equal(ipFamily(text), isIP(text), JSON.stringify(text));
	}), {numRuns: 5000});
	for (const [text, family] of [['10.0.0.1', 4], ['255.255.255.255', 4], ['0.0.0.0', 4], ['01.2.3.4', 0], ['1.2.3', 0], ['1.2.3.4.', 0], ['::ffff:1.2.3.4', 6], ['1.2.3.4:80', 0], ['', 0]] as const) {
		assert.equal(ipFamily(text), family, text);
	}
});
