import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createSink} from '../../source/transports/index.ts';
import type {TransportConfig} from '../../source/transports/types.ts';
import {startCollector} from '../helpers/receiver.ts';

test('createSink dispatches on protocol', async () => {
	for (const protocol of ['tcp', 'udp'] as const) {
		const collector = await startCollector(protocol);
		const config: TransportConfig = protocol === 'tcp' ? {protocol, host: '127.0.0.1', port: collector.port, framing: 'lf'} : {protocol, host: '127.0.0.1', port: collector.port};
		const sink = createSink(config);
		try {
			await sink.send([`hello over ${protocol}`]);
			assert.deepEqual(await collector.waitFor(1), [`hello over ${protocol}`]);
		} finally {
			await sink.close();
			await collector.close();
		}
	}
});

test('createSink rejects an unknown protocol with CONFIG_ERROR', () => {
	assert.throws(() => createSink({protocol: 'carrier-pigeon', host: 'x', port: 1} as unknown as TransportConfig), {code: 'CONFIG_ERROR'});
});
