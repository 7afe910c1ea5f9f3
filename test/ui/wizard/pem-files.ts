/**
 * Files for the wizard's certificate fields: the wizard only checks that a file exists, is
 * readable and holds the right PEM block (the agent parses it when it starts), so these hold
 * just the markers. `remove` deletes the directory.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function pemFiles() {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'siem-wizard-pem-'));
	const write = (name: string, text: string) => {
		const file = path.join(directory, name);
		writeFileSync(file, text);
		return file;
	};

	return {
		directory,
		ca: write('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'),
		cert: write('agent.pem', '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n'),
		key: write('agent.key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'),
		text: write('notes.txt', 'not a certificate\n'),
		remove() {
			rmSync(directory, {recursive: true, force: true});
		},
	};
}
