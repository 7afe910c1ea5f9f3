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

/** Screen lines one error takes at `width` columns: its line and its wrapped remediation. */
export function errorHeight(error: RecentError, width: number): number {
	const remediation = noticeFor(error.code).remediation;
	return 1 + (remediation ? Math.ceil(remediation.length / Math.max(20, width - 5)) : 0);
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

	const shown: RecentError[] = [];
	let used = 0;
	for (const error of errors) {
		used += errorHeight(error, width);
		if (shown.length > 0 && used > height) {
			break;
		}

		shown.push(error);
	}

	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">{`Notifications (${errors.length})${shown.length < errors.length ? `, newest ${shown.length} shown` : ''}`}</Text>
			{shown.map((error, index) => {
				const notice = noticeFor(error.code);
				const where = error.dataType ? ` (${dataTypeLabel(error.dataType).toLowerCase()})` : '';
				const count = error.count > 1 ? ` ×${error.count}` : '';
				return (
					<Box key={`${error.code}-${error.time}-${index}`} flexDirection="column">
						<Text wrap="truncate-end">
							{`${formatAgo(error.time, now).padEnd(11)} `}
							<Text color={theme.error}>{`${notice.title}${count}${where}`}</Text>
							{error.message ? `: ${truncate(error.message, width)}` : ''}
						</Text>
						{notice.remediation ? <Box paddingLeft={4}><Text dimColor>{notice.remediation}</Text></Box> : null}
					</Box>
				);
			})}
		</Box>
	);
});
