/**
 * The selected agent's recent notifications, newest first, each with the remediation from the
 * error catalogue (the same words the logs and the docs use).
 */
import {Box, Text} from 'ink';
import {memo} from 'react';
import type {RecentError} from '../../engine/protocol.ts';
import {dataTypeLabel, formatAgo, truncate} from '../format.ts';
import {noticeFor} from '../notice.ts';
import {useTheme} from '../theme.ts';

/** Columns before the title: the age, padded. */
const ageWidth = 12;

/**
 * An error's first lines: age, title and its message, the message cut to fit three lines (the
 * part that names the host and port is often at its end), with room for word wrapping.
 */
function headline(error: RecentError, width: number): {title: string; message: string; lines: number} {
	const notice = noticeFor(error.code);
	const where = error.dataType ? ` (${dataTypeLabel(error.dataType).toLowerCase()})` : '';
	const count = error.count > 1 ? ` ×${error.count}` : '';
	const title = `${notice.title}${count}${where}`;
	// Word wrapping leaves lines short: count on ~12 columns less per line than the width.
	const perLine = Math.max(20, width - ageWidth);
	const room = Math.max(10, (3 * perLine) - ageWidth - title.length - 2);
	const message = error.message ? `: ${truncate(error.message, room)}` : '';
	return {title, message, lines: Math.min(3, Math.ceil((ageWidth + title.length + message.length) / perLine))};
}

/** Screen lines the remediation under an error takes at `width` columns. */
function remediationLines(remediation: string | undefined, width: number): number {
	return remediation ? Math.ceil(remediation.length / Math.max(20, width - 5)) : 0;
}

interface Props {
	errors: readonly RecentError[];
	now: number;
	width: number;
	/** Screen lines available for the errors (the heading not included). */
	height: number;
}

export const ErrorsPanel = memo(function ErrorsPanel({errors, now, width, height}: Props) {
	const theme = useTheme();
	if (errors.length === 0) {
		return <Text dimColor>No notifications.</Text>;
	}

	// Each error's headline is worked out once, for its height and for drawing it.
	const shown: Array<{error: RecentError; title: string; message: string}> = [];
	let used = 0;
	for (const error of errors) {
		const head = headline(error, width);
		used += head.lines + remediationLines(noticeFor(error.code).remediation, width);
		if (shown.length > 0 && used > height) {
			break;
		}

		shown.push({error, title: head.title, message: head.message});
	}

	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">{`Notifications (${errors.length})${shown.length < errors.length ? `, newest ${shown.length} shown` : ''}`}</Text>
			{shown.map(({error, title, message}, index) => {
				const notice = noticeFor(error.code);
				return (
					<Box key={`${error.code}-${error.time}-${index}`} flexDirection="column">
						<Text>
							{`${formatAgo(error.time, now).padEnd(ageWidth - 1)} `}
							<Text color={theme.error}>{title}</Text>
							{message}
						</Text>
						{notice.remediation ? <Box paddingLeft={4}><Text dimColor>{notice.remediation}</Text></Box> : null}
					</Box>
				);
			})}
		</Box>
	);
});
