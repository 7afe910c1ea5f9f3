import assert from 'node:assert/strict';
import {test} from 'node:test';
import {themeFor} from '../../source/ui/theme.ts';
import {noticeFor, redact} from '../../source/ui/notice.ts';
import {catalogue} from '../../source/errors.ts';

test('NO_COLOR turns every colour off; an empty NO_COLOR does not', () => {
	assert.deepEqual(themeFor({NO_COLOR: '1'}), {});
	assert.equal(themeFor({}).error, 'red');
	assert.equal(themeFor({NO_COLOR: ''}).error, 'red');
});

test('notices come from the catalogue; unknown codes read as internal errors', () => {
	assert.deepEqual(noticeFor('INVALID_TOKEN'), {code: 'INVALID_TOKEN', title: 'Invalid token', remediation: catalogue.INVALID_TOKEN.remediation});
	assert.equal(noticeFor('ECONNRESET').title, 'Internal error');
	assert.equal(noticeFor('ECONNRESET').remediation, catalogue.INTERNAL_ERROR.remediation);
});

test('redact removes a secret from a message', () => {
	assert.equal(redact('token abcd1234 refused', 'abcd1234'), 'token *** refused');
	assert.equal(redact('nothing here', ''), 'nothing here');
});
