#!/usr/bin/env node
/**
 * Flags (meow) and routing; nothing else. Every room is imported lazily, so `--version`,
 * `--help` and `--daemon` never parse React or Ink.
 */
import meow from 'meow';
import {withEnvironment} from './config/resolve.ts';
import {version} from './version.ts';

const help = `
  Forward Microsoft Defender for Cloud Apps alerts and activities to your SIEM as syslog (CEF).

  Usage
    $ siem-agent                 interactive: set-up wizard on first run, the dashboard after
    $ siem-agent --daemon        headless: runs every configured agent, JSON-lines logs on stderr
    $ siem-agent demo            simulated tenant + built-in receiver + dashboard; needs no set-up
    $ siem-agent simulate        serves a simulated Defender for Cloud Apps API on loopback
    $ siem-agent listen          a syslog receiver that prints what arrives
    $ siem-agent test            sends one test message per agent to its syslog server

  Agent options (flags win over the config file; each also readable as SIEM_AGENT_<NAME>,
  e.g. SIEM_AGENT_TOKEN, SIEM_AGENT_POLL_INTERVAL)
    --config FILE              config file (default: ~/.config/siem-agent/config.json)
    --url URL                  tenant portal URL, e.g. https://contoso.portal.cloudappsecurity.com
                               (http:// is accepted, with a warning unless the host is loopback)
    --token TOKEN              API token (never logged; prefer SIEM_AGENT_TOKEN or the config file)
    --tenant-id ID, --client-id ID, --client-secret SECRET
                               sign in as an Entra ID app instead of a token (client credentials;
                               secret never logged, prefer SIEM_AGENT_CLIENT_SECRET); see docs/entra-id.md
    --client-certificate FILE  instead of the secret: the app's certificate (PEM, RSA), which may also
                               hold the private key; --client-key FILE when the key is a file of its own
    --authority URL            Entra ID token endpoint base (default https://login.microsoftonline.com;
                               sovereign clouds: e.g. https://login.microsoftonline.us)
    --proxy ADDRESS[:PORT]     HTTP(S) proxy for every API call; also http://user:password@host:port
    --syslog HOST[:PORT]       syslog server (default port 514, tls 6514, relp 2514; IPv6 as [addr]:port)
    --protocol udp|tcp|tls|relp  syslog transport (default tcp); tls: RFC 5425, certificate verified;
                               relp: every message acknowledged by the SIEM; see docs/transports.md
    --ca FILE                  tls/relp: CA certificate(s) (PEM) to trust instead of the system store
    --cert FILE, --key FILE    tls/relp: client certificate and key (PEM) for servers that require
                               mutual TLS; with relp, --ca or --cert turns TLS on
    --framing lf|octet-counting  TCP framing: newline (default) or RFC 6587 octet counting
    --max-message-size BYTES   UDP: longer messages are truncated (default 2048)
    --format cef|leef|json     message format: cef (default, byte-compatible with Microsoft's agent),
                               leef (LEEF 2.0 for QRadar), json (JSON in RFC 5424); see docs/formats.md
    --time-format FORMAT       syslog header time: rfc5424 (default), rfc3164, rfc3164-year
    --include-pri              start each message with <PRI>
    --include-system-name      put this host's name in the syslog header
    --data-types LIST          alerts,activities (default both)
    --name NAME                agent name (default "default"); selects the agent to override
    --poll-interval SECONDS    how often to ask for new data once caught up (default 10)
    --requests-per-minute N    API request budget per tenant (default 30, the documented limit; 0 = unlimited)
    --settle SECONDS           leave records younger than this for the next poll (default 5)

  Process options
    --daemon                   run headless until SIGTERM/SIGINT (SIGHUP reloads the config file)
    --stateDirectory DIR       checkpoints (default: "state" beside the config file)
    --logsDirectory DIR        also write logs to DIR/siem-agent.log (rotated at 10 MiB, 5 kept);
                               --logs-directory and --state-directory work too
    --metrics HOST:PORT        serve Prometheus /metrics and /healthz, e.g. 127.0.0.1:9464 (port 0: any
                               free port, logged); /healthz is 200 when every agent reaches its API and
                               its SIEM, else 503 with the reason per agent
    -h, --help                 this help
    -v, --version              the version

  simulate options
    --port N                   port to listen on (default 0: any free port, printed)
    --host ADDRESS             address to listen on (default 127.0.0.1)
    --token TOKEN              the token the simulated tenant accepts (default sim-token)
    --seed N                   data seed (default 1)
    --rate N                   live activities per second (default 2)
    --alert-rate N             live alerts per minute (default 1)
    --hostile F                fraction of records with hostile text (CR/LF, delimiters, forged headers)
    --backlog N                extra activities in the history window (for benchmarks)
    --no-throttle              lift the 30 requests/minute limit
    --error-rate F             fraction of requests answered with HTTP 500 (0–1)
    --malformed-rate F         fraction of bodies that are broken JSON (0–1)
    --latency MS               delay before every answer

  listen options
    --port N                   port (default 5514)   --host ADDRESS (default 127.0.0.1)
    --protocol tcp|udp|both|tls|relp  (default both: tcp and udp on the same port)
    --cert FILE, --key FILE    tls (required) and relp (RELP over TLS): the server's certificate and key (PEM)
    --parse                    print each message (CEF, LEEF, JSON) as a JSON object
    --count, --quiet           print only counts per second

  Exit codes
    0 stopped cleanly   1 bootstrap/internal error   2 usage or configuration error (incl. invalid proxy)
    3 invalid token     4 too many critical errors

  Examples
    $ siem-agent simulate --port 8080
    $ siem-agent --daemon --url http://127.0.0.1:8080 --token sim-token --syslog 127.0.0.1:5514
    $ siem-agent listen --port 5514
`;

// meow throws on a flag given twice (`--url a --url b`): a usage error, not a crash with a stack.
const cli = parseFlags(() => meow(help, {
	importMeta: import.meta,
	pkg: {name: 'siem-agent', version},
	version,
	description: false,
	allowUnknownFlags: false,
	booleanDefault: undefined,
	flags: {
		daemon: {type: 'boolean'},
		config: {type: 'string'},
		url: {type: 'string'},
		token: {type: 'string'},
		tenantId: {type: 'string'},
		clientId: {type: 'string'},
		clientSecret: {type: 'string'},
		clientCertificate: {type: 'string'},
		clientKey: {type: 'string'},
		authority: {type: 'string'},
		proxy: {type: 'string'},
		syslog: {type: 'string'},
		protocol: {type: 'string'},
		framing: {type: 'string'},
		maxMessageSize: {type: 'string'},
		format: {type: 'string'},
		timeFormat: {type: 'string'},
		includePri: {type: 'boolean'},
		includeSystemName: {type: 'boolean'},
		dataTypes: {type: 'string'},
		name: {type: 'string'},
		pollInterval: {type: 'string'},
		requestsPerMinute: {type: 'string'},
		settle: {type: 'string'},
		stateDirectory: {type: 'string'},
		logsDirectory: {type: 'string'},
		ca: {type: 'string'},
		cert: {type: 'string'},
		key: {type: 'string'},
		metrics: {type: 'string'},
		help: {type: 'boolean', shortFlag: 'h'},
		version: {type: 'boolean', shortFlag: 'v'},
		// simulate / listen
		port: {type: 'number'},
		host: {type: 'string'},
		seed: {type: 'number'},
		rate: {type: 'number'},
		alertRate: {type: 'number'},
		hostile: {type: 'number'},
		backlog: {type: 'number'},
		throttle: {type: 'boolean'},
		errorRate: {type: 'number'},
		malformedRate: {type: 'number'},
		latency: {type: 'number'},
		parse: {type: 'boolean'},
		count: {type: 'boolean', aliases: ['quiet']},
	},
}));

function parseFlags<T>(parse: () => T): T {
	try {
		return parse();
	} catch (error) {
		process.stderr.write(`siem-agent: ${(error as Error).message.replace(/\.$/, '')}. See siem-agent --help.\n`);
		process.exit(2);
	}
}

// `siem-agent listen | head` and friends: a reader that went away is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') {
		process.exit(0);
	}
	throw error;
});

let flags = cli.flags;
const [command, ...rest] = cli.input;

async function main(): Promise<number> {
	// Inside main: a bad SIEM_AGENT_* value is a configuration error (exit 2), not a crash.
	flags = withEnvironment(cli.flags as Record<string, unknown>) as typeof cli.flags;
	// meow shows the help on its own only without a command; `siem-agent simulate --help` too.
	if (flags.help) {
		cli.showHelp(0);
	}
	// `--format --daemon`, `--syslog=` or `--port=`: a flag that needs a value and got none would
	// otherwise fall back to its default in silence. Named as typed (meow gives a number flag
	// written `--port=` no value at all, and a string flag '').
	const valueless = missingValue(process.argv.slice(2), Object.entries(cli.flags).filter(([, value]) => value === '').map(([name]) => name));
	if (valueless) {
		return usage(`${valueless} needs a value`);
	}
	const runtimeProblem = oldNode();
	if (runtimeProblem) {
		process.stderr.write(`siem-agent: ${runtimeProblem}\n`);
		return 1;
	}
	if (rest.length > 0) {
		return usage(`unexpected argument "${rest[0]}"`);
	}
	if (flags.daemon) {
		if (command) {
			return usage(`--daemon takes no command (got "${command}")`);
		}
		const {runDaemon} = await import('./daemon.ts');
		return runDaemon(flags);
	}
	switch (command) {
		case undefined: {
			if (!hasTerminal()) {
				return 2;
			}
			const {runInteractive} = await import('./interactive.ts');
			return runInteractive(flags);
		}
		case 'demo': {
			if (!hasTerminal()) {
				return 2;
			}
			const {runDemo} = await import('./demo.ts');
			return runDemo(flags);
		}
		case 'simulate': {
			const {runSimulate} = await import('./simulate/command.ts');
			await runSimulate(flags);
			return 0;
		}
		case 'listen': {
			const {runListen} = await import('./listen/command.ts');
			await runListen(flags);
			return 0;
		}
		case 'test': {
			const {runTest} = await import('./test-command.ts');
			return runTest(flags);
		}
		default:
			return usage(`unknown command "${command}"`);
	}
}

/** The UI draws on a terminal and reads keys from one; without it, say what to run instead. */
function hasTerminal(): boolean {
	if (process.stdin.isTTY && process.stdout.isTTY) {
		return true;
	}
	process.stderr.write('siem-agent: the interactive dashboard needs a terminal (stdin and stdout are not one). For services, cron and pipes run `siem-agent --daemon` (see --help).\n');
	return false;
}

/**
 * Run from the bundle by an older Node (a machine's own Node 20, say), the agent would fail
 * deep inside a dependency with a message nobody can act on; say what to run instead.
 */
function oldNode(): string | undefined {
	const major = Number.parseInt(process.versions.node ?? '', 10);
	if ('Deno' in globalThis || !(major < 26)) {
		return undefined;
	}
	return `needs Node.js 26 or later, and this is Node ${process.versions.node}. Run the single executable (dist/siem-agent, built by npm run build), or from the checkout npm start / npm run demo, which use the Node 26 the project pins.`;
}

/** The first argument written `--flag=` with nothing after it, or naming one of the string flags meow read as ''. */
function missingValue(argv: readonly string[], emptyFlags: readonly string[]): string | undefined {
	const camel = (flag: string) => flag.replaceAll(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
	for (const argument of argv) {
		const flag = /^(--[a-zA-Z][\w-]*)(=?)(.*)$/.exec(argument);
		if (flag && flag[3] === '' && (flag[2] === '=' || emptyFlags.includes(camel(flag[1]!.slice(2))))) {
			return flag[1];
		}
	}

	return undefined;
}

function usage(message: string): number {
	process.stderr.write(`siem-agent: ${message}. See siem-agent --help.\n`);
	return 2;
}

try {
	process.exitCode = await main();
} catch (error) {
	const {serializeError, exitCodeOf} = await import('./errors.ts');
	const e = serializeError(error);
	process.stderr.write(`siem-agent: ${e.code}: ${e.message}\n`);
	process.exitCode = exitCodeOf(e.code === 'INTERNAL_ERROR' ? 'BOOTSTRAP_ERROR' : e.code);
}
