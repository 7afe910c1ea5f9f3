import assert from 'node:assert/strict';
import {test} from 'node:test';
import {delimiterText, isTabDelimiter, validateLeefDelimiter} from '../../../source/ui/wizard/leef-delimiter.ts';

test('the wizard accepts exactly the delimiters the LEEF formatter accepts; empty is tab', () => {
	for (const text of ['', '^', '|', '#', '~', 'x5E', '0x5e', 'tab', '\\t', 'x09']) {
		assert.equal(validateLeefDelimiter(text), undefined, text);
	}

	for (const text of ['a', '1', ' ', '=', '\\', '^^', 'é', '\u0001']) {
		assert.match(validateLeefDelimiter(text)!, /cannot separate attributes: not a letter, digit, space, = or \\ \(e\.g\. \^; empty is tab\)\./, text);
	}

	assert.match(validateLeefDelimiter('\u0001')!, /^"\\u0001"/);
});

test('tab in any spelling shows as empty (the placeholder says tab)', () => {
	for (const value of [undefined, '\t', 'tab', '\\t', 'x09', '0x09']) {
		assert.equal(delimiterText(value), '', String(value));
	}

	assert.equal(delimiterText('^'), '^');
	assert.equal(delimiterText('x5E'), 'x5E');
	assert.equal(isTabDelimiter('x09'), true);
	assert.equal(isTabDelimiter('^'), false);
	assert.equal(isTabDelimiter('bad'), false);
});
