/**
 * Step 4's live checks: whether the API accepts the token and whether the SIEM is reachable,
 * each failure with its remediation.
 */
import {Box, Text} from 'ink';
import type {CheckResult} from '../deps.ts';
import {useTheme} from '../theme.ts';
import {NoticeLines} from '../notice-lines.tsx';

export interface ConnectionCheck {
	/** What was checked; a different form means the result is stale. */
	signature: string;
	api?: CheckResult;
	siem?: CheckResult;
}

interface Props {
	check?: ConnectionCheck;
	/** e.g. `tcp 10.0.0.5:514`. */
	target: string;
	/** What a passed API check says. @default 'token accepted' */
	apiOk?: string;
}

function Line({label, result, ok}: {label: string; result?: CheckResult; ok: string}) {
	const theme = useTheme();
	if (!result) {
		return <Text>{`${label}checking…`}</Text>;
	}

	if (result.ok) {
		return <Text color={theme.ok}>{`${label}✓ ${ok}`}</Text>;
	}

	return <NoticeLines prefix={label} code={result.code} message={result.message} />;
}

export function ConnectionPanel({check, target, apiOk = 'token accepted'}: Props) {
	if (!check) {
		return null;
	}

	return (
		<Box flexDirection="column">
			<Line label="API   " result={check.api} ok={apiOk} />
			<Line label="SIEM  " result={check.siem} ok={`${target} reachable`} />
		</Box>
	);
}

/** True once both checks have answered. */
export function checkDone(check: ConnectionCheck | undefined): boolean {
	return Boolean(check?.api && check.siem);
}

/** True when both checks passed. */
export function checkPassed(check: ConnectionCheck | undefined): boolean {
	return Boolean(check?.api?.ok && check.siem?.ok);
}
