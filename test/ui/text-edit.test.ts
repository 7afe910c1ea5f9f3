import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Key} from 'ink';
import {editText, editTextAt, mask, maskProxyPassword, splitKeys} from '../../source/ui/text-edit.ts';

const none: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
};

test('typing, pasting, deleting and clearing', () => {
	assert.equal(editText('ab', 'c', none), 'abc');
	assert.equal(editText('ab', 'cd\r\nef', none), 'abcdef');
	assert.equal(editText('abc', '', {...none, backspace: true}), 'ab');
	assert.equal(editText('abc', '', {...none, delete: true}), 'ab');
	assert.equal(editText('abc', 'u', {...none, ctrl: true}), '');
});

test('navigation keys are not edits', () => {
	assert.equal(editText('ab', '', {...none, return: true}), undefined);
	assert.equal(editText('ab', '', {...none, tab: true}), undefined);
	assert.equal(editText('ab', '', {...none, leftArrow: true}), undefined);
	assert.equal(editText('ab', 'p', {...none, ctrl: true}), undefined);
});

test('a mask never contains the secret', () => {
	assert.equal(mask('abc'), '•••');
	assert.equal(mask('x'.repeat(40)), `${'•'.repeat(32)} (40 characters)`);
	assert.equal(mask(''), '');
});

test('a chunk with line breaks is the text and Enters it stands for', () => {
	const enter = {...none, return: true};
	assert.deepEqual(splitKeys('514\r', none), [{input: '514', key: none}, {input: '', key: enter}]);
	assert.deepEqual(splitKeys('token\r\n', none), [{input: 'token', key: none}, {input: '', key: enter}]);
	assert.deepEqual(splitKeys('a\nb\n\rc', none), [
		{input: 'a', key: none}, {input: '', key: enter}, {input: 'b', key: none}, {input: '', key: enter}, {input: '', key: enter}, {input: 'c', key: none},
	]);
	assert.deepEqual(splitKeys('host\t514\r', none), [{input: 'host', key: none}, {input: '', key: {...none, tab: true}}, {input: '514', key: none}, {input: '', key: enter}]);
	// Everything else passes through: one key, text without breaks, Enter itself, Ctrl combinations.
	assert.deepEqual(splitKeys('\r', enter), [{input: '\r', key: enter}]);
	assert.deepEqual(splitKeys('abc', none), [{input: 'abc', key: none}]);
	assert.deepEqual(splitKeys('u', {...none, ctrl: true}), [{input: 'u', key: {...none, ctrl: true}}]);
});

test('a proxy URL shows everything but its password', () => {
	assert.equal(maskProxyPassword('proxy.contoso.com:3128'), 'proxy.contoso.com:3128');
	assert.equal(maskProxyPassword('http://proxy.contoso.com:3128'), 'http://proxy.contoso.com:3128');
	assert.equal(maskProxyPassword('http://svc:Pr0xy@proxy:3128'), 'http://svc:•••••@proxy:3128');
	// Being typed: letters after `user:` are a password already; digits alone may still be a port.
	assert.equal(maskProxyPassword('http://svc:Pr0'), 'http://svc:•••');
	assert.equal(maskProxyPassword('http://proxy:31'), 'http://proxy:31');
	assert.equal(maskProxyPassword('http://svc:1234@proxy:3128'), 'http://svc:••••@proxy:3128');
	assert.equal(maskProxyPassword('https://svc:@proxy'), 'https://svc:@proxy');
	// A password holding `@`, and an address without a scheme, as --proxy and the config accept.
	assert.equal(maskProxyPassword('http://user:p@ss@proxy:3128'), 'http://user:••••@proxy:3128');
	assert.equal(maskProxyPassword('user:s3cret@proxy:3128'), 'user:••••••@proxy:3128');
	assert.equal(maskProxyPassword('user:s3cr'), 'user:••••', 'being typed, letters after user: are a password');
	assert.equal(maskProxyPassword('proxy:3128'), 'proxy:3128');
	assert.equal(maskProxyPassword('proxy.contoso.com'), 'proxy.contoso.com');
});

test('a caret: ←/→, Home/End, Backspace and Ctrl+W at it, text inserted at it', () => {
	let state = {value: 'contoso', back: 0};
	const key = (changes: Partial<Key>, input = '') => {
		state = editTextAt(state.value, state.back, input, {...none, ...changes}) ?? state;
	};
	key({leftArrow: true});
	key({leftArrow: true});
	key({}, 'X');
	assert.deepEqual(state, {value: 'contoXso', back: 2});
	key({backspace: true});
	assert.deepEqual(state, {value: 'contoso', back: 2});
	key({home: true});
	key({}, 'my ');
	assert.deepEqual(state, {value: 'my contoso', back: 7});
	key({end: true});
	key({ctrl: true}, 'w');
	assert.deepEqual(state, {value: 'my ', back: 0});
	key({leftArrow: true});
	key({leftArrow: true});
	key({leftArrow: true});
	key({leftArrow: true});
	assert.equal(state.back, 3, 'not past the start');
	key({backspace: true});
	assert.deepEqual(state, {value: 'my ', back: 3}, 'nothing before the caret to delete');
	key({rightArrow: true}, '');
	key({ctrl: true}, 'u');
	assert.deepEqual(state, {value: 'y ', back: 2}, 'Ctrl+U clears up to the caret');
	assert.equal(editTextAt('ab', 0, '', {...none, return: true}), undefined, 'Enter is not an edit');
});
