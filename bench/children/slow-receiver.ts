/**
 * A syslog server slower than the API: accepts TCP on a free port and reads at most
 * `linesPerSecond` LF-terminated messages a second (it stops reading until it is back on
 * pace, so the agent feels TCP backpressure). Run with fork(); argv = linesPerSecond.
 * Messages: → {type: 'ready', port}; {type: 'count'} → {type: 'count', count}; {type: 'stop'}.
 */
import net from 'node:net';

const linesPerSecond = Number(process.argv[2]);
// The harness went away (it crashed or was killed): do not linger.
process.on('disconnect', () => process.exit(0));
let count = 0;
let startedAt: number | undefined;

const server = net.createServer((socket) => {
	socket.on('data', (chunk: Buffer) => {
		startedAt ??= performance.now();
		for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) {
			count++;
		}
		const allowed = ((performance.now() - startedAt) / 1000) * linesPerSecond;
		if (count > allowed) {
			socket.pause();
			setTimeout(() => socket.resume(), ((count - allowed) / linesPerSecond) * 1000);
		}
	});
	socket.on('error', () => undefined);
});

server.listen(0, '127.0.0.1', () => {
	process.send?.({type: 'ready', port: (server.address() as net.AddressInfo).port});
});

process.on('message', (message: {type: string}) => {
	if (message.type === 'count') {
		process.send?.({type: 'count', count});
	} else if (message.type === 'stop') {
		server.close();
		process.exit(0);
	}
});
