/**
 * The raw ceiling: writes `count` pre-formatted syslog lines (cycling through a pool file of
 * real CEF lines) into a TCP socket as fast as the receiver takes them. Run with fork():
 * argv = port, pool file, count; sends {type: 'started'} just before the first byte and
 * {type: 'done'} after the last.
 */
import {once} from 'node:events';
import {readFileSync} from 'node:fs';
import net from 'node:net';

const [port, poolFile, countText] = process.argv.slice(2);
const count = Number(countText);
const pool = readFileSync(poolFile);
const ends: number[] = [];
for (let index = pool.indexOf(10); index !== -1; index = pool.indexOf(10, index + 1)) {
	ends.push(index + 1);
}

const send = (message: {type: string}): void => {
	process.send?.(message);
};
const socket = net.connect({port: Number(port), host: '127.0.0.1', noDelay: true});
await once(socket, 'connect');
send({type: 'started'});
let left = count;
while (left > 0) {
	const lines = Math.min(left, ends.length);
	const chunk = lines === ends.length ? pool : pool.subarray(0, ends[lines - 1]);
	left -= lines;
	if (!socket.write(chunk)) {
		await once(socket, 'drain');
	}
}
socket.end();
await once(socket, 'close');
send({type: 'done'});
process.disconnect?.();
