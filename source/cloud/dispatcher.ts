/**
 * The connection layer: one keep-alive undici Agent per client, or a ProxyAgent when a proxy
 * is set. Certificates are always verified; `ca` only adds trust, it never replaces the
 * system store.
 */

import * as tls from 'node:tls';
import {Agent, ProxyAgent, type Dispatcher} from 'undici';
import type {ProxySettings} from './proxy.ts';

export interface DispatcherOptions {
	proxy?: ProxySettings;
	/** Extra CA certificates (PEM), added to the default trust store. */
	ca?: string | string[];
	/** Per request, for headers and for each body chunk. */
	timeoutMs: number;
	/**
	 * Sockets per origin. The engine runs at most a query or two at a time per tenant.
	 * @default 4
	 */
	connections?: number;
}

function trustStore(ca: string | string[] | undefined): string[] | undefined {
	if (ca === undefined || (Array.isArray(ca) && ca.length === 0)) {
		return undefined;
	}

	// Node's `ca` replaces the default store, so the defaults are passed along explicitly.
	// getCACertificates also honours NODE_EXTRA_CA_CERTS and --use-system-ca; Deno lacks it.
	const defaults = (tls as {getCACertificates?: (kind: string) => string[]}).getCACertificates?.('default') ?? tls.rootCertificates;
	return [...defaults, ...(Array.isArray(ca) ? ca : [ca])];
}

/** Creates the dispatcher for one client. */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
	const ca = trustStore(options.ca);
	const tlsOptions = ca ? {ca} : {};
	const connectTimeout = Math.min(options.timeoutMs, 30_000);
	const common = {
		connections: options.connections ?? 4,
		headersTimeout: options.timeoutMs,
		bodyTimeout: options.timeoutMs,
	};

	if (options.proxy) {
		return new ProxyAgent({
			...common,
			uri: options.proxy.uri,
			connectTimeout,
			requestTls: tlsOptions,
			proxyTls: tlsOptions,
		});
	}

	return new Agent({...common, connect: {...tlsOptions, timeout: connectTimeout}});
}
