import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Key} from 'ink';
import {editText, mask} from '../../source/ui/text-edit.ts';

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
