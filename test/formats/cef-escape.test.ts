import assert from 'node:assert/strict';
import {test} from 'node:test';
import {escapeCefExtension, escapeCefHeader} from '../../source/formats/cef-escape.ts';

const cases: Array<[input: string, header: string, extension: string]> = [
	['plain text 123', 'plain text 123', 'plain text 123'],
	['', '', ''],
	['a\\b', 'a\\\\b', 'a\\\\b'],
	['a|b', 'a\\|b', 'a|b'],
	['a=b', 'a=b', 'a\\=b'],
	['line1\nline2', 'line1 line2', 'line1\\nline2'],
	['line1\r\nline2', 'line1  line2', 'line1\\r\\nline2'],
	['tab\there', 'tab here', 'tab here'],
	['nul\0byte', 'nulbyte', 'nulbyte'],
	['bell\u0007esc\u001b[31mred', 'bellesc[31mred', 'bellesc[31mred'],
	['del\u007f c1\u0085\u009b end', 'del c1 end', 'del c1 end'],
	['sep\u2028para\u2029', 'sep para ', 'sep para '],
	['lone high \ud800 x', 'lone high \ufffd x', 'lone high \ufffd x'],
	['lone low \udc00', 'lone low \ufffd', 'lone low \ufffd'],
	['high at end \ud83d', 'high at end \ufffd', 'high at end \ufffd'],
	['swapped \udc00\ud800', 'swapped \ufffd\ufffd', 'swapped \ufffd\ufffd'],
	['emoji 😀 ok', 'emoji 😀 ok', 'emoji 😀 ok'],
	['日本語 é ß', '日本語 é ß', '日本語 é ß'],
	['x cs1=forged', 'x cs1=forged', 'x cs1\\=forged'],
	['\nCEF:0|forged|x', ' CEF:0\\|forged\\|x', '\\nCEF:0|forged|x'],
	['ends with \\', 'ends with \\\\', 'ends with \\\\'],
	['\\=', '\\\\=', '\\\\\\='],
	['\\|', '\\\\\\|', '\\\\|'],
	['mixed é\\=\n|\0😀', 'mixed é\\\\= \\|😀', 'mixed é\\\\\\=\\n|😀'],
];

for (const [input, header, extension] of cases) {
	test('escape ' + JSON.stringify(input), () => {
		assert.equal(escapeCefHeader(input), header);
		assert.equal(escapeCefExtension(input), extension);
	});
}

test('clean values are returned as the same string', () => {
	const value = 'admin@contoso.com https://x/#/a?b';
	assert.equal(escapeCefExtension(value), value);
	assert.equal(escapeCefHeader(value), value);
});
