/** Options of the simulated tenant, with their defaults. */

import {AgentError} from '../errors.ts';
import {noFaults, type Faults} from './faults.ts';

export interface SimulatorOptions {
	/** TCP port; 0 picks a free one (read it back from `Simulator.url`). @default 0 */
	port?: number;
	/** Address to listen on. @default '127.0.0.1' */
	host?: string;
	/** Everything the simulator produces (records, faults) is a pure function of the seed. @default 1 */
	seed?: number | string;
	/** The API token it accepts, as `Authorization: Token <token>` or `Bearer <token>`. @default 'sim-token' */
	token?: string;
	/**
	 * The Entra ID app it accepts: the simulator is also its own authority, answering the client
	 * credentials grant at `POST /<tenant>/oauth2/v2.0/token` and accepting the tokens it issued
	 * as `Authorization: Bearer <token>`. @default {tenantId: 'sim-tenant', clientId: 'sim-client', clientSecret: 'sim-secret'}
	 */
	entra?: {tenantId?: string; clientId?: string; clientSecret?: string; certificate?: string};
	/** Lifetime of the Entra ID tokens it issues (Entra's own is about an hour). @default 3599 */
	tokenLifetimeSeconds?: number;
	/** The clock, epoch ms. Tests pass a fake one; read once at start to anchor the history. @default Date.now */
	now?: () => number;
	/**
	 * Days of history before the start. More than the agent's two-day backfill window, so that
	 * records exist that a first start must not forward. @default 3
	 */
	historyDays?: number;
	/** Activities spread over the history. @default 3000 */
	historyActivities?: number;
	/** Alerts spread over the history. @default 60 */
	historyAlerts?: number;
	/**
	 * Extra activities in the history, for benchmarks (e.g. 1_000_000). They are derived on
	 * demand, never held in memory. @default 0
	 */
	backlogActivities?: number;
	/** New activities per second after the start. @default 2 */
	liveActivitiesPerSecond?: number;
	/** New alerts per minute after the start. @default 1 */
	liveAlertsPerMinute?: number;
	/**
	 * Fraction of activities whose `timestamp` is 1 to 6 hours before their `created` (others:
	 * under 30 s). An activity is visible only once `created` <= now. @default 0.05
	 */
	lateArrivalFraction?: number;
	/** Fraction of records carrying hostile text (CR/LF, pipes, `=`, backslashes, forged `CEF:`). @default 0 */
	hostileFraction?: number;
	/** Requests per minute per token before HTTP 429; 0 lifts the limit. @default 30 */
	throttle?: number;
	/** Injected failures; switch them at run time with `setFaults`. @default no faults */
	faults?: Partial<Faults>;
	/** Base of the alerts' `URL` field. @default 'https://contoso.portal.cloudappsecurity.com' */
	portalUrl?: string;
}

export type ResolvedOptions = Required<Omit<SimulatorOptions, 'faults' | 'entra'>> & {faults: Faults; entra: {tenantId: string; clientId: string; clientSecret: string; certificate?: string}};

function check(name: string, value: number, min: number, max = Number.POSITIVE_INFINITY): number {
	if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
		throw new AgentError('CONFIG_ERROR', `Simulator option ${name} must be a number from ${min}${max === Number.POSITIVE_INFINITY ? ' up' : ` to ${max}`}, got ${String(value)}.`);
	}

	return value;
}

/** Fills in defaults and checks ranges. @throws AgentError CONFIG_ERROR */
export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
	const o: ResolvedOptions = {
		port: options.port ?? 0,
		host: options.host ?? '127.0.0.1',
		seed: options.seed ?? 1,
		token: options.token ?? 'sim-token',
		entra: {tenantId: 'sim-tenant', clientId: 'sim-client', clientSecret: 'sim-secret', ...options.entra},
		tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
		now: options.now ?? Date.now,
		historyDays: options.historyDays ?? 3,
		historyActivities: options.historyActivities ?? 3000,
		historyAlerts: options.historyAlerts ?? 60,
		backlogActivities: options.backlogActivities ?? 0,
		liveActivitiesPerSecond: options.liveActivitiesPerSecond ?? 2,
		liveAlertsPerMinute: options.liveAlertsPerMinute ?? 1,
		lateArrivalFraction: options.lateArrivalFraction ?? 0.05,
		hostileFraction: options.hostileFraction ?? 0,
		throttle: options.throttle ?? 30,
		faults: {...noFaults, ...options.faults},
		portalUrl: options.portalUrl ?? 'https://contoso.portal.cloudappsecurity.com',
	};
	check('port', o.port, 0, 65_535);
	check('historyDays', o.historyDays, 0);
	for (const name of ['historyActivities', 'historyAlerts', 'backlogActivities'] as const) {
		o[name] = Math.floor(check(name, o[name], 0));
	}

	check('liveActivitiesPerSecond', o.liveActivitiesPerSecond, 0);
	check('liveAlertsPerMinute', o.liveAlertsPerMinute, 0);
	check('lateArrivalFraction', o.lateArrivalFraction, 0, 1);
	check('hostileFraction', o.hostileFraction, 0, 1);
	check('throttle', o.throttle, 0);
	check('tokenLifetimeSeconds', o.tokenLifetimeSeconds, 1);
	for (const [name, value] of Object.entries(o.entra).filter(([name]) => name !== 'certificate')) {
		if (typeof value !== 'string' || value === '' || /[\s/]/.test(value)) {
			throw new AgentError('CONFIG_ERROR', `Simulator option entra.${name} must be a non-empty string without spaces or slashes.`);
		}
	}

	if (typeof o.token !== 'string' || o.token === '' || /\s/.test(o.token)) {
		throw new AgentError('CONFIG_ERROR', 'Simulator option token must be a non-empty string without spaces.');
	}

	return o;
}
