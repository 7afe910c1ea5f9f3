/** The machine line every table carries: CPUs, memory, Node, kernel, rsyslog, load. */
import os from 'node:os';
import {rsyslogVersion} from './rsyslog.ts';

export function machineLine(): string {
	const cpus = os.cpus();
	const model = cpus[0]?.model.replaceAll(/\s+/g, ' ').trim() ?? 'unknown CPU';
	const memory = `${Math.round(os.totalmem() / 1024 ** 3)} GiB RAM`;
	return `${cpus.length} × ${model}, ${memory}, Node ${process.version}, Linux ${os.release()}, rsyslogd ${rsyslogVersion() ?? 'not installed'}`;
}

/** "load 0.52 / 0.61 / 0.70" (1, 5, 15 min): other work on the machine skews every number. */
export function loadLine(): string {
	return `load ${os.loadavg().map((value) => value.toFixed(2)).join(' / ')}`;
}
