/**
 * Step 2, Remote syslog: host, port and protocol, then what the protocol needs (TCP framing;
 * TLS certificate files and server name; RELP window and TLS), and what is wrong with them.
 */
import {defaultUdpMaxMessageSize} from '../../transports/index.ts';
import type {Framing} from '../../transports/types.ts';
import {checkPemFile} from './file-check.ts';
import type {FieldSpec, Option} from './fields.ts';
import {defaultPortOf} from '../../config/schema.ts';
import {withProtocol, type Protocol, type WizardForm} from './form.ts';
import {validateHost, validatePort, validateRelpWindow, validateServerName} from './validate.ts';

export const protocolOptions: ReadonlyArray<{value: Protocol; label: string}> = [
	{value: 'tcp', label: 'TCP'},
	{value: 'udp', label: 'UDP'},
	{value: 'tls', label: 'TLS (syslog over TLS, RFC 5425)'},
	{value: 'relp', label: 'RELP (every message acknowledged)'},
];

const framingOptions: Option[] = [
	{value: 'lf', label: 'LF (newline after each message)'},
	{value: 'octet-counting', label: 'Octet counting (RFC 6587)'},
];

/** Whether the form's transport uses TLS (TLS itself, or RELP with TLS on). */
export function usesTls(form: WizardForm): boolean {
	return form.protocol === 'tls' || (form.protocol === 'relp' && form.relpTls);
}

/** `tls`, `relp over tls`, …: how the connection step names the transport. */
export function transportLabel(form: WizardForm): string {
	return form.protocol === 'relp' && form.relpTls ? 'relp over tls' : form.protocol;
}

/** The form's free-text fields. */
type TextKey = 'host' | 'port' | 'caFile' | 'certFile' | 'keyFile' | 'serverName' | 'relpWindow';

function text(id: TextKey, label: string, placeholder: string, indent = true): FieldSpec {
	return {
		id,
		kind: 'text',
		label,
		indent,
		placeholder,
		get: form => form[id],
		set: (form, value) => ({...form, [id]: value}),
	};
}

const tlsFields: FieldSpec[] = [
	text('caFile', 'CA file', 'empty: the system store; or a PEM file, e.g. /etc/siem-agent/ca.pem'),
	text('certFile', 'Client certificate', 'none; or a PEM file (mutual TLS, needs the key)'),
	text('keyFile', 'Client key', 'none; or the PEM key file (unencrypted)'),
	text('serverName', 'Server name', 'the host above; or the name on the certificate'),
];

/** The step's fields for the current form. */
export function syslogFields(form: WizardForm): FieldSpec[] {
	const fields: FieldSpec[] = [
		text('host', 'Remote syslog host', 'IP address or host name', false),
		text('port', 'Syslog port', String(defaultPortOf(form.protocol)), false),
		{id: 'protocol', kind: 'select', label: 'Protocol', options: protocolOptions, get: f => f.protocol, set: (f, value) => withProtocol(f, value as Protocol)},
	];
	switch (form.protocol) {
		case 'tcp': {
			fields.push({id: 'framing', kind: 'select', label: 'TCP framing', indent: true, options: framingOptions, get: f => f.framing, set: (f, value) => ({...f, framing: value as Framing})});
			break;
		}

		case 'tls': {
			fields.push(...tlsFields);
			break;
		}

		case 'relp': {
			fields.push(
				text('relpWindow', 'RELP window', '128 (default): messages awaiting acknowledgement'),
				{id: 'relpTls', kind: 'toggle', label: 'Use TLS', indent: true, get: f => f.relpTls, set: (f, relpTls) => ({...f, relpTls})},
			);
			if (form.relpTls) {
				fields.push(...tlsFields);
			}

			break;
		}

		case 'udp': {
			break;
		}
	}

	return fields;
}

/** Field id → message for what is wrong on the step. */
export function syslogErrors(form: WizardForm): Record<string, string | undefined> {
	const errors: Record<string, string | undefined> = {
		host: validateHost(form.host),
		port: validatePort(form.port, defaultPortOf(form.protocol)),
	};
	if (form.protocol === 'relp') {
		errors['relpWindow'] = validateRelpWindow(form.relpWindow);
	}

	if (usesTls(form)) {
		errors['caFile'] = checkPemFile(form.caFile, 'certificate');
		errors['certFile'] = checkPemFile(form.certFile, 'certificate');
		errors['keyFile'] = checkPemFile(form.keyFile, 'private key');
		errors['serverName'] = validateServerName(form.serverName);
		const cert = form.certFile.trim() !== '';
		const key = form.keyFile.trim() !== '';
		if (cert && !key) {
			errors['keyFile'] ??= 'Enter the key file of the client certificate too (both or neither).';
		} else if (key && !cert) {
			errors['certFile'] ??= 'Enter the client certificate file for this key too (both or neither).';
		}
	}

	return errors;
}

/** A warning about the combination of format and transport, shown under the step's fields. */
export function syslogNote(form: WizardForm): string | undefined {
	if (form.format === 'json' && form.protocol === 'udp') {
		return `JSON over UDP: most messages exceed ${defaultUdpMaxMessageSize} bytes and are cut; prefer TCP, TLS or RELP.`;
	}

	return undefined;
}
