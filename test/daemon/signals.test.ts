import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {ownSignals} from '../../source/daemon.ts';

test('the daemon takes its signals over without losing one already caught (a service stopped while starting)', {timeout: 10_000}, async () => {
	// Stands for when-exit's hook, which the config store installs on import.
	const hook = (): void => assert.fail('the hook of the config store must not run');
	process.on('SIGHUP', hook);
	// Caught by the process now, handled on a later turn of the event loop: after the take-over.
	process.kill(process.pid, 'SIGHUP');
	const signals = ownSignals();
	try {
		assert.equal(process.listeners('SIGHUP').includes(hook), false, 'the other listener is gone');
		await delay(100);
		// Kept while nothing handled it, and handed over at once.
		const handled = await new Promise((resolve) => {
			signals.handleWith(resolve);
		});
		assert.equal(handled, 'SIGHUP');
	} finally {
		signals.release();
		process.off('SIGHUP', hook);
	}

	assert.equal(process.listenerCount('SIGHUP'), 0);
});
