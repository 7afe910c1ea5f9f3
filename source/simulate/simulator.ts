/**
 * A simulated Defender for Cloud Apps tenant: a real `node:http` server speaking the REST API
 * of SPEC §2 (activities and alerts, filters, sort, skip/limit, scan mode, 429 throttling),
 * with deterministic data, late arrivals, injectable faults and ground truth for tests.
 */

import {Buffer} from 'node:buffer';
import {createHash, randomBytes, timingSafeEqual, verify, X509Certificate} from 'node:crypto';
import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {setTimeout as delay} from 'node:timers/promises';
import type {ApiRecord} from '../cloud/types.ts';
import {AgentError} from '../errors.ts';
import {createActivityModel} from './activities.ts';
import {createAlertModel} from './alerts.ts';
import type {Dataset} from './dataset.ts';
import {checkFaults, decideFaults, malformedBody, type Faults} from './faults.ts';
import {HttpError} from './http-error.ts';
import {readBody, send, sendError} from './http-io.ts';
import {resolveOptions, type SimulatorOptions} from './options.ts';
import {MatchCounter, parseQuery, runQuery} from './query.ts';
import {seedOf} from './random.ts';
import {createThrottle} from './throttle.ts';
import {createTimeline} from './timeline.ts';
import type {SimRoute, Simulator, SimulatorStats} from './types.ts';

export type {SimulatorOptions} from './options.ts';
export type {Faults} from './faults.ts';
export type {SimRoute, Simulator, SimulatorStats} from './types.ts';

const day = 86_400_000;
const apiRoutes: Readonly<Record<string, SimRoute>> = {'/api/v1/activities': 'activities', '/api/v1/alerts': 'alerts'};

/** Starts a simulated tenant. @throws AgentError CONFIG_ERROR for bad options, BOOTSTRAP_ERROR when it cannot listen. */
export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const o = resolveOptions(options);
	const seed = seedOf(o.seed);
	const startedAt = o.now();
	const start = startedAt - (o.historyDays * day);
	const activityTimeline = createTimeline({seed, salt: 1, start, anchor: startedAt, historyCount: o.historyActivities + o.backlogActivities, perMs: o.liveActivitiesPerSecond / 1000});
	const alertTimeline = createTimeline({seed, salt: 2, start, anchor: startedAt, historyCount: o.historyAlerts, perMs: o.liveAlertsPerMinute / 60_000});
	const activities = createActivityModel({seed, timeline: activityTimeline, lateArrivalFraction: o.lateArrivalFraction, hostileFraction: o.hostileFraction});
	const alerts = createAlertModel({seed, timeline: alertTimeline, activities, portalUrl: o.portalUrl, hostileFraction: o.hostileFraction});
	const datasets: Record<SimRoute, Dataset> = {activities, alerts};
	const counters: Record<SimRoute, MatchCounter> = {activities: new MatchCounter(), alerts: new MatchCounter()};
	const throttle = createThrottle(o.throttle);
	const closing = new AbortController();
	const hung = new Set<ServerResponse>();
	let faults = {...o.faults};
	let requestNumber = 0;
	const counts = {requests: 0, throttled: 0, injected: {errors: 0, malformed: 0, hung: 0}, byRoute: {activities: {}, alerts: {}} as Record<SimRoute, Record<string, number>>, recordsServed: {activities: 0, alerts: 0}};
	const tally = (route: SimRoute, status: number | string) => {
		counts.byRoute[route][status] = (counts.byRoute[route][status] ?? 0) + 1;
	};

	const tokenBytes = Buffer.from(o.token);
	/** Entra ID tokens issued, with when each expires. */
	const issued = new Map<string, number>();
	let tokensIssued = 0;
	function authorized(header: string | undefined): boolean {
		const given = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
		const bytes = Buffer.from(given ?? '');
		if (given !== undefined && bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes)) {
			return true;
		}

		const expires = /^bearer\s/i.test(header ?? '') && given !== undefined ? issued.get(given) : undefined;
		return expires !== undefined && o.now() < expires;
	}

	/** The client credentials grant, answered the way Entra ID answers it (errors included). */
	async function handleTokenRequest(tenant: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
		const form = new URLSearchParams(await readBody(request));
		const refuse = (status: number, error: string, description: string) => {
			send(response, status, JSON.stringify({error, error_description: `${description} Trace ID: 00000000-0000-0000-0000-000000000000 (simulated)`, error_codes: [Number(/^AADSTS(\d+)/.exec(description)?.[1] ?? 0)]}));
		};

		if (tenant !== o.entra.tenantId) {
			refuse(400, 'invalid_request', `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
		} else if (form.get('grant_type') !== 'client_credentials') {
			refuse(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
		} else if (form.get('client_id') !== o.entra.clientId) {
			refuse(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory '${tenant}'.`);
		} else if (form.get('scope') !== '05a65629-4c1b-48c1-a78b-804c4abdd4af/.default') {
			refuse(400, 'invalid_scope', `AADSTS1002012: The provided value for scope ${form.get('scope') ?? ''} is not valid.`);
		} else if (form.has('client_assertion')) {
			const verdict = checkAssertion(form, `http://${request.headers.host ?? ''}/${tenant}/oauth2/v2.0/token`);
			if (verdict) {
				refuse(401, 'invalid_client', verdict);
			} else {
				issue();
			}
		} else if (!secretMatches(form.get('client_secret') ?? '')) {
			refuse(401, 'invalid_client', `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${o.entra.clientId}'.`);
		} else {
			issue();
		}

		function issue(): void {
			const token = `sim-jwt.${randomBytes(24).toString('base64url')}`;
			issued.set(token, o.now() + (o.tokenLifetimeSeconds * 1000));
			tokensIssued++;
			send(response, 200, JSON.stringify({token_type: 'Bearer', expires_in: o.tokenLifetimeSeconds, ext_expires_in: o.tokenLifetimeSeconds, access_token: token}));
		}
	}

	const certificate = o.entra.certificate === undefined ? undefined : new X509Certificate(o.entra.certificate);
	const thumbprint = certificate ? createHash('sha1').update(certificate.raw).digest('base64url') : undefined;
	/** Why a client assertion is refused (Entra's words), or undefined when it is good. */
	function checkAssertion(form: URLSearchParams, audience: string): string | undefined {
		if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
			return 'AADSTS50027: Invalid client_assertion_type.';
		}

		const parts = (form.get('client_assertion') ?? '').split('.');
		let header: {alg?: unknown; x5t?: unknown};
		let payload: {aud?: unknown; iss?: unknown; sub?: unknown; exp?: unknown; nbf?: unknown};
		try {
			header = JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString('utf8')) as typeof header;
			payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as typeof payload;
		} catch {
			return 'AADSTS50027: JWT token is invalid or malformed.';
		}

		if (!certificate || header.x5t !== thumbprint) {
			return `AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application '${o.entra.clientId}'.`;
		}

		if (header.alg !== 'RS256' || parts.length !== 3 || !verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), certificate.publicKey, Buffer.from(parts[2], 'base64url'))) {
			return 'AADSTS700027: Client assertion failed signature validation.';
		}

		const seconds = o.now() / 1000;
		if (payload.aud !== audience || payload.iss !== o.entra.clientId || payload.sub !== o.entra.clientId) {
			return `AADSTS700016: The client assertion's audience or issuer does not match (expected aud ${audience}).`;
		}

		if (typeof payload.exp !== 'number' || payload.exp < seconds - 300 || (typeof payload.nbf === 'number' && payload.nbf > seconds + 300)) {
			return 'AADSTS700024: Client assertion is not within its valid time range.';
		}

		return undefined;
	}

	const secretBytes = Buffer.from(o.entra.clientSecret);
	function secretMatches(given: string): boolean {
		const bytes = Buffer.from(given);
		return bytes.length === secretBytes.length && timingSafeEqual(bytes, secretBytes);
	}

	function applyFaults(partial: unknown): Faults {
		faults = {...faults, ...checkFaults(partial)};
		return {...faults};
	}

	function applyThrottle(perMinute: number): void {
		if (!(perMinute >= 0)) {
			throw new HttpError(400, '"throttle" must be a non-negative number of requests per minute.');
		}

		throttle.perMinute = perMinute;
	}

	// Programmatic callers get the catalogue's error, HTTP callers a 400.
	function asConfigError<T>(apply: () => T): T {
		try {
			return apply();
		} catch (error) {
			throw error instanceof HttpError ? new AgentError('CONFIG_ERROR', error.message) : error;
		}
	}

	function stats(): SimulatorStats {
		const now = o.now();
		return {
			requests: counts.requests,
			throttled: counts.throttled,
			injected: {...counts.injected},
			byRoute: structuredClone(counts.byRoute),
			recordsServed: {...counts.recordsServed},
			visible: {activities: activityTimeline.visibleEnd(now), alerts: alertTimeline.visibleEnd(now)},
			faults: {...faults},
			throttlePerMinute: throttle.perMinute,
			tokensIssued,
		};
	}

	function parseBody(request: IncomingMessage, text: string, url: URL): unknown {
		if (text.trim() === '') {
			// A GET may carry the query in the URL instead: ?filters={...}&limit=10
			const body: Record<string, unknown> = Object.fromEntries(url.searchParams);
			if (typeof body.filters === 'string') {
				body.filters = parseJson(body.filters);
			}

			return request.method === 'GET' ? body : {};
		}

		return parseJson(text);
	}

	async function handleApi(route: SimRoute, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
		const text = await readBody(request);
		const decision = decideFaults(seed, requestNumber++, faults);
		if (decision.hang) {
			hung.add(response);
			response.on('close', () => hung.delete(response));
			tally(route, 'hung');
			counts.injected.hung++;
			return;
		}

		if (faults.latencyMs > 0) {
			await delay(faults.latencyMs, undefined, {signal: closing.signal});
		}

		if (!authorized(request.headers.authorization)) {
			throw new HttpError(401, 'Invalid token. Send the API token as "Authorization: Token <token>".');
		}

		const verdict = throttle.take(o.token, o.now());
		if (!verdict.ok) {
			counts.throttled++;
			tally(route, 429);
			sendError(response, 429, `Request was throttled. Expected available in ${verdict.retryAfterSeconds} seconds.`, {'retry-after': String(verdict.retryAfterSeconds)});
			return;
		}

		if (decision.error) {
			counts.injected.errors++;
		}

		if (decision.error === 503) {
			tally(route, 503);
			const page = '<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body>Service Unavailable (simulated)</body></html>';
			send(response, 503, page, {'content-type': 'text/html; charset=utf-8', 'retry-after': '1'});
			return;
		}

		if (decision.error === 500) {
			throw new HttpError(500, 'Internal server error (simulated).');
		}

		const query = parseQuery(datasets[route], parseBody(request, text, url));
		const result = runQuery(datasets[route], query, o.now(), counters[route]);
		tally(route, 200);
		if (decision.malformed) {
			counts.injected.malformed++;
			send(response, 200, malformedBody(decision.malformed, result.body));
			return;
		}

		counts.recordsServed[route] += result.records;
		send(response, 200, result.body);
	}

	async function handleControl(path: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
		const tokenRoute = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
		if (tokenRoute && request.method === 'POST') {
			await handleTokenRequest(decodeURIComponent(tokenRoute[1]), request, response);
			return;
		}

		if (path === '/_sim/health' && request.method === 'GET') {
			send(response, 200, JSON.stringify({status: 'ok', startedAt, now: o.now(), ...stats()}));
			return;
		}

		if (path === '/_sim/faults' && (request.method === 'POST' || request.method === 'GET')) {
			const body = request.method === 'POST' ? parseJson(await readBody(request)) : {};
			const partial = checkFaults(body);
			const {throttle: perMinute} = body as {throttle?: unknown};
			if (perMinute !== undefined) {
				applyThrottle(typeof perMinute === 'number' ? perMinute : Number.NaN);
			}

			send(response, 200, JSON.stringify({...applyFaults(partial), throttle: throttle.perMinute}));
			return;
		}

		throw new HttpError(request.method === 'GET' || request.method === 'POST' ? 404 : 405, `No route for ${request.method ?? ''} ${path}.`);
	}

	const server = http.createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://simulator');
		const path = url.pathname.replace(/\/+$/, '');
		const route = apiRoutes[path];
		let handling: Promise<void>;
		if (route) {
			counts.requests++;
		}

		if (route && request.method !== 'GET' && request.method !== 'POST') {
			handling = Promise.reject(new HttpError(405, 'Use POST (or GET).'));
		} else {
			handling = route ? handleApi(route, request, response, url) : handleControl(path, request, response);
		}

		handling.catch((error: unknown) => {
			if (closing.signal.aborted) {
				response.destroy();
				return;
			}

			const status = error instanceof HttpError ? error.status : 500;
			if (route) {
				tally(route, status);
			}

			sendError(response, status, error instanceof Error ? error.message : String(error), status === 405 ? {allow: 'GET, POST'} : {});
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			reject(new AgentError('BOOTSTRAP_ERROR', `The simulator cannot listen on ${o.host}:${o.port} (${error.code ?? error.message}).`, {cause: error}));
		});
		server.listen(o.port, o.host, resolve);
	});
	const {port} = server.address() as AddressInfo;
	const host = o.host.includes(':') ? `[${o.host}]` : o.host;
	let closed: Promise<void> | undefined;

	function between(timeline: typeof activityTimeline, fromMs: number, toMs: number): [number, number] {
		const end = timeline.visibleEnd(o.now());
		const lo = timeline.lowerBound(Math.ceil(fromMs), 0, end);
		return [lo, Math.max(lo, timeline.lowerBound(Math.ceil(toMs), 0, end))];
	}

	function records(dataset: Dataset, [lo, hi]: [number, number]): ApiRecord[] {
		const out: ApiRecord[] = [];
		for (let i = lo; i < hi; i++) {
			out.push(JSON.parse(dataset.json(i)) as ApiRecord);
		}

		return out;
	}

	return {
		url: `http://${host}:${port}`,
		port,
		token: o.token,
		startedAt,
		activitiesCreatedBetween: (fromMs, toMs) => records(activities, between(activityTimeline, fromMs, toMs)),
		countActivitiesCreatedBetween(fromMs, toMs) {
			const [lo, hi] = between(activityTimeline, fromMs, toMs);
			return hi - lo;
		},
		alertsBetween: (fromMs, toMs) => records(alerts, between(alertTimeline, fromMs, toMs)),
		countAlertsBetween(fromMs, toMs) {
			const [lo, hi] = between(alertTimeline, fromMs, toMs);
			return hi - lo;
		},
		stats,
		setFaults: partial => asConfigError(() => applyFaults(partial)),
		setThrottle(perMinute) {
			asConfigError(() => {
				applyThrottle(perMinute);
			});
		},
		async close() {
			closed ??= new Promise<void>(resolve => {
				closing.abort();
				server.close(() => {
					resolve();
				});
				for (const response of hung) {
					response.destroy();
				}

				server.closeAllConnections?.();
			});
			return closed;
		},
	};
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new HttpError(400, 'The request body is not valid JSON.');
	}
}
