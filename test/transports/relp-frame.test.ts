import assert from 'node:assert/strict';
import {test} from 'node:test';
import {encodeFrame, maxTxnr, nextTxnr, parseOffers, parseResponse, RelpFrameError, RelpParser} from '../../source/transports/relp-frame.ts';

test('encodeFrame: header, byte length of UTF-8 data, LF trailer; no data when empty', () => {
	assert.equal(encodeFrame(2, 'syslog', 'héllo').toString('utf8'), '2 syslog 6 héllo\n');
	assert.equal(encodeFrame(7, 'close').toString(), '7 close 0\n');
	assert.equal(encodeFrame(1, 'open', 'a\nb').toString(), '1 open 3 a\nb\n');
});

test('nextTxnr wraps after 999,999,999 to 1 (0 is for hints)', () => {
	assert.equal(nextTxnr(1), 2);
	assert.equal(nextTxnr(maxTxnr), 1);
});

test('RelpParser: frames split at every byte come out whole, with and without data', () => {
	const open = '200 OK\nrelp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog';
	const wire = Buffer.from(`1 rsp ${open.length} ${open}\n2 rsp 6 200 OK\n0 serverclose 0\n3 rsp 0 \n`);
	for (let cut = 0; cut <= wire.length; cut++) {
		const parser = new RelpParser();
		const frames = [...parser.push(wire.subarray(0, cut)), ...parser.push(wire.subarray(cut))];
		assert.deepEqual(frames.map(frame => [frame.txnr, frame.command, frame.data.toString()]), [
			[1, 'rsp', open],
			[2, 'rsp', '200 OK'],
			[0, 'serverclose', ''],
			[3, 'rsp', ''],
		], `cut at ${cut}`);
	}
});

test('RelpParser: data may hold LF and anything else; the length decides', () => {
	const parser = new RelpParser();
	const [frame] = parser.push(Buffer.from('5 syslog 7 a\nb 3 x\n'));
	assert.equal(frame.data.toString(), 'a\nb 3 x');
});

test('RelpParser: malformed input throws RelpFrameError', () => {
	for (const bad of ['hello world\n', '1 rsp 6 200 OKX', '1 rsp 3\n', 'x rsp 0\n', '1 r$p 0\n', '1234567890 rsp 0\n', '1 rsp 99999999 ', '1 rsp 5\n']) {
		assert.throws(() => new RelpParser().push(Buffer.from(bad)), RelpFrameError, JSON.stringify(bad));
	}
	// Incomplete is not malformed.
	assert.deepEqual(new RelpParser().push(Buffer.from('12 rs')), []);
});

test('parseResponse and parseOffers', () => {
	assert.deepEqual(parseResponse(Buffer.from('200 OK')), {status: 200, text: 'OK', body: ''});
	assert.deepEqual(parseResponse(Buffer.from('500 message too long')), {status: 500, text: 'message too long', body: ''});
	const open = parseResponse(Buffer.from('200 OK\nrelp_version=0\ncommands=syslog,eventlog\nflag'));
	assert.equal(open.body, 'relp_version=0\ncommands=syslog,eventlog\nflag');
	const offers = parseOffers(open.body);
	assert.deepEqual(offers.get('commands'), ['syslog', 'eventlog']);
	assert.deepEqual(offers.get('relp_version'), ['0']);
	assert.deepEqual(offers.get('flag'), []);
	assert.throws(() => parseResponse(Buffer.from('OK')), RelpFrameError);
});
