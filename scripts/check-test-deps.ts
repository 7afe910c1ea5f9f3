/**
 * Runs before the tests: the integration tests use real programs from Debian (rsyslog and its
 * RELP and TLS modules, tinyproxy, tmux, openssl). When one is missing, say which and how to get
 * it, instead of letting a dozen tests fail with less helpful messages. `.ci/run` installs them.
 */
import {existsSync} from 'node:fs';

const modules = ['/usr/lib/x86_64-linux-gnu/rsyslog', '/usr/lib/rsyslog'];
const needs: Array<{package: string; present: boolean}> = [
	{package: 'rsyslog', present: ['/usr/sbin/rsyslogd', '/sbin/rsyslogd'].some((file) => existsSync(file))},
	{package: 'rsyslog-relp', present: modules.some((dir) => existsSync(`${dir}/imrelp.so`))},
	{package: 'rsyslog-gnutls', present: modules.some((dir) => existsSync(`${dir}/lmnsd_gtls.so`))},
	{package: 'tinyproxy', present: ['/usr/bin/tinyproxy', '/usr/sbin/tinyproxy'].some((file) => existsSync(file))},
	{package: 'tmux', present: existsSync('/usr/bin/tmux')},
	{package: 'openssl', present: existsSync('/usr/bin/openssl')},
];
const missing = needs.filter((need) => !need.present).map((need) => need.package);
if (missing.length > 0) {
	process.stderr.write(`The integration tests need Debian packages that are not installed: ${missing.join(' ')}\n`
		+ `Install them with:  sudo apt-get install -y ${missing.join(' ')}\n`
		+ '(or run the whole CI script as root: bash .ci/run)\n');
	process.exit(1);
}
