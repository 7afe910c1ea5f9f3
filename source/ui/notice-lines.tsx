/**
 * A failed check or request as the wizard shows it: the catalogue title, the message, and
 * the remediation on its own line.
 */
import {Box, Text} from 'ink';
import {noticeFor} from './notice.ts';
import {useTheme} from './theme.ts';

interface Props {
	code: string;
	message: string;
	/** Text before the title, e.g. `API`. */
	prefix?: string;
}

export function NoticeLines({code, message, prefix = ''}: Props) {
	const theme = useTheme();
	const notice = noticeFor(code);
	return (
		<Box flexDirection="column">
			<Text color={theme.error}>{`${prefix}✗ ${notice.title}${message ? `: ${message}` : ''}`}</Text>
			{notice.remediation ? <Box paddingLeft={prefix.length + 2}><Text>{notice.remediation}</Text></Box> : null}
		</Box>
	);
}
